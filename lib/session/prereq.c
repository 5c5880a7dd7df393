/*
 * adlcp:prerequisites of SCORM 1.2: the AICC script grammar (AICC CMI001,
 * "Prerequisites"), evaluated against the lesson status of the items named.
 *
 *   expr    := term { '|' term }
 *   term    := factor { '&' factor }
 *   factor  := '~' factor | '(' expr ')' | N '*' set | set | element
 *   set     := '{' element { ',' element } '}'      (alone: all of them)
 *   element := identifier [ ('=' | '<>') status ]
 *   status  := passed | completed | failed | incomplete | browsed |
 *              not attempted, or their first letters (p c f i b n)
 *
 * An identifier alone is met when its item is passed or completed. The
 * words AND, OR and NOT (any case) are read as &, | and ~, as some authoring
 * tools write them. The text is bounded (depth, length); anything else is
 * malformed (-1), which the caller treats as no prerequisite.
 */
#include <ctype.h>
#include <string.h>

#include "session/session_int.h"
#include "util/util.h"

#define PREREQ_MAX_LEN   65536
#define PREREQ_MAX_DEPTH 64

typedef struct {
	const char *p;
	somo__prereq_status_fn status_of;
	void *payload;
	int depth;
	bool bad;
} pr_ctx;

static void skip_ws(pr_ctx *c)
{
	while (*c->p && isspace((unsigned char)*c->p))
		c->p++;
}

static bool ident_char(char ch)
{
	return ch && !isspace((unsigned char)ch) && !strchr("&|~=<>(){},*\"'", ch);
}

/* Is the next word kw (upper case; matched in any case, whole word)? Consumed when so. */
static bool take_word(pr_ctx *c, const char *kw)
{
	size_t n = strlen(kw), i;

	skip_ws(c);
	for (i = 0; i < n; i++)
		if (toupper((unsigned char)c->p[i]) != kw[i])
			return false;
	if (ident_char(c->p[n]))
		return false;
	c->p += n;
	return true;
}

static char status_code(const char *w, size_t n)
{
	static const struct {
		const char *name;
		char code;
	} names[] = {{"passed", 'p'},       {"completed", 'c'}, {"failed", 'f'},
	             {"incomplete", 'i'},   {"browsed", 'b'},   {"not attempted", 'n'},
	             {"not_attempted", 'n'}};
	size_t i, k;

	if (n == 1) {
		char ch = (char)tolower((unsigned char)w[0]);
		return strchr("pcfibn", ch) ? ch : 0;
	}
	for (i = 0; i < SOMO__ARRAY_SIZE(names); i++) {
		if (strlen(names[i].name) != n)
			continue;
		for (k = 0; k < n && tolower((unsigned char)w[k]) == names[i].name[k]; k++)
			;
		if (k == n)
			return names[i].code;
	}
	return 0;
}

static bool parse_expr(pr_ctx *c);

static bool parse_element(pr_ctx *c)
{
	const char *id, *w;
	size_t len;
	char st, want, quote = 0;
	bool neg;

	skip_ws(c);
	id = c->p;
	while (ident_char(*c->p))
		c->p++;
	len = (size_t)(c->p - id);
	if (len == 0 || (st = c->status_of(id, len, c->payload)) == 0) {
		c->bad = true;
		return false;
	}
	skip_ws(c);
	if (c->p[0] != '=' && !(c->p[0] == '<' && c->p[1] == '>'))
		return st == 'p' || st == 'c';
	neg = c->p[0] == '<';
	c->p += neg ? 2 : 1;
	skip_ws(c);
	if (*c->p == '"' || *c->p == '\'')
		quote = *c->p++;
	w = c->p;
	if (quote) {
		while (*c->p && *c->p != quote)
			c->p++;
		want = status_code(w, (size_t)(c->p - w));
		if (*c->p)
			c->p++;
	} else {
		while (isalpha((unsigned char)*c->p) || *c->p == '_')
			c->p++;
		/* "not attempted" unquoted, as two words */
		if (c->p - w == 3 && strncmp(w, "not", 3) == 0) {
			const char *q = c->p;
			while (*q == ' ')
				q++;
			if (strncmp(q, "attempted", 9) == 0 && !ident_char(q[9]))
				c->p = q + 9;
		}
		want = c->p - w > 3 && w[3] == ' ' ? 'n' : status_code(w, (size_t)(c->p - w));
	}
	if (!want) {
		c->bad = true;
		return false;
	}
	return neg ? st != want : st == want;
}

/* '{' element {',' element} '}': how many are met, and how many there are. */
static void parse_set(pr_ctx *c, unsigned *met, unsigned *total)
{
	*met = *total = 0;
	c->p++; /* '{' */
	for (;;) {
		bool v = parse_expr(c);
		if (c->bad)
			return;
		(*total)++;
		*met += v;
		skip_ws(c);
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == '}') {
			c->p++;
			return;
		}
		c->bad = true;
		return;
	}
}

static bool parse_factor(pr_ctx *c)
{
	bool v;

	if (++c->depth > PREREQ_MAX_DEPTH) {
		c->bad = true;
		return false;
	}
	skip_ws(c);
	if (*c->p == '~' || take_word(c, "NOT")) {
		if (*c->p == '~')
			c->p++;
		v = !parse_factor(c);
	} else if (*c->p == '(') {
		c->p++;
		v = parse_expr(c);
		skip_ws(c);
		if (*c->p != ')')
			c->bad = true;
		else
			c->p++;
	} else if (*c->p == '{') {
		unsigned met, total;
		parse_set(c, &met, &total);
		v = met == total;
	} else if (isdigit((unsigned char)*c->p)) {
		const char *save = c->p;
		unsigned long n = 0;
		while (isdigit((unsigned char)*c->p) && n < 100000)
			n = n * 10 + (unsigned long)(*c->p++ - '0');
		skip_ws(c);
		if (*c->p == '*') {
			unsigned met, total;
			c->p++;
			skip_ws(c);
			if (*c->p != '{') {
				c->bad = true;
				v = false;
			} else {
				parse_set(c, &met, &total);
				v = met >= n;
			}
		} else {
			c->p = save; /* an identifier starting with a digit */
			v = parse_element(c);
		}
	} else {
		v = parse_element(c);
	}
	c->depth--;
	return v;
}

static bool parse_term(pr_ctx *c)
{
	bool v = parse_factor(c);

	while (!c->bad) {
		skip_ws(c);
		if (*c->p == '&')
			c->p++;
		else if (!take_word(c, "AND"))
			break;
		v = parse_factor(c) && v;
	}
	return v;
}

static bool parse_expr(pr_ctx *c)
{
	bool v = parse_term(c);

	while (!c->bad) {
		skip_ws(c);
		if (*c->p == '|')
			c->p++;
		else if (!take_word(c, "OR"))
			break;
		v = parse_term(c) || v;
	}
	return v;
}

int somo__prereq_eval(const char *expr, somo__prereq_status_fn status_of, void *payload)
{
	pr_ctx c = {expr, status_of, payload, 0, false};
	bool v;

	if (!expr || !status_of || strlen(expr) > PREREQ_MAX_LEN)
		return -1;
	skip_ws(&c);
	if (!*c.p)
		return 1; /* empty: no prerequisite */
	v = parse_expr(&c);
	skip_ws(&c);
	if (c.bad || *c.p)
		return -1;
	return v ? 1 : 0;
}
