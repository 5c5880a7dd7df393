/*
 * Well-formed language tags, RFC 5646 section 2.1 (BCP 47):
 *
 *   Language-Tag = langtag / privateuse / grandfathered
 *   langtag      = language ["-" script] ["-" region] *("-" variant)
 *                  *("-" extension) ["-" privateuse]
 *
 * Letters are matched without regard to case (2.1.1). Well-formed is the
 * ABNF; whether a subtag is in the IANA registry is not checked.
 */
#include <string.h>

#include "util/text.h"
#include "util/util.h"

#define SUBTAGS_MAX 64 /* far beyond any real tag; longer input is refused */

typedef struct {
	const char *p;
	size_t len;
} subtag;

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_alpha(const subtag *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (!is_alpha(t->p[i]))
			return false;
	return true;
}

static bool all_digit(const subtag *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (!is_digit(t->p[i]))
			return false;
	return true;
}

static bool is_x(const subtag *t)
{
	return t->len == 1 && (t->p[0] == 'x' || t->p[0] == 'X');
}

/* irregular grandfathered tags (2.1): they do not fit the langtag rule. */
static const char *const irregular[] = {
    "en-GB-oed", "i-ami", "i-bnn",     "i-default", "i-enochian", "i-hak",
    "i-klingon", "i-lux", "i-mingo",   "i-navajo",  "i-pwn",      "i-tao",
    "i-tay",     "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
};
/* The regular grandfathered ones (art-lojban, zh-min-nan, ...) match langtag. */

bool somo__langtag_valid(const char *s)
{
	subtag t[SUBTAGS_MAX];
	size_t n = 0, i = 0, k;
	const char *p;

	if (!s || !*s)
		return false;
	for (k = 0; k < SOMO__ARRAY_SIZE(irregular); k++)
		if (somo__str_ieq(s, irregular[k]))
			return true;

	/* Split into subtags of 1..8 letters and digits. */
	for (p = s;;) {
		const char *start = p;
		while (is_alpha(*p) || is_digit(*p))
			p++;
		if (p == start || p - start > 8 || n == SUBTAGS_MAX)
			return false;
		t[n].p = start;
		t[n].len = (size_t)(p - start);
		n++;
		if (*p == '\0')
			break;
		if (*p != '-')
			return false;
		p++;
	}

	/* language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA */
	if (!is_x(&t[0])) {
		if (t[0].len < 2 || !all_alpha(&t[0]))
			return false;
		i = 1;
		/* extlang = 3ALPHA *2("-" 3ALPHA) */
		if (t[0].len <= 3)
			for (k = 0; k < 3 && i < n && t[i].len == 3 && all_alpha(&t[i]); k++)
				i++;
		/* script = 4ALPHA */
		if (i < n && t[i].len == 4 && all_alpha(&t[i]))
			i++;
		/* region = 2ALPHA / 3DIGIT */
		if (i < n &&
		    ((t[i].len == 2 && all_alpha(&t[i])) || (t[i].len == 3 && all_digit(&t[i]))))
			i++;
		/* variant = 5*8alphanum / (DIGIT 3alphanum) */
		while (i < n && (t[i].len >= 5 || (t[i].len == 4 && is_digit(t[i].p[0]))))
			i++;
		/* extension = singleton 1*("-" (2*8alphanum)) */
		while (i < n && t[i].len == 1 && !is_x(&t[i])) {
			size_t first = ++i;
			while (i < n && t[i].len >= 2)
				i++;
			if (i == first)
				return false;
		}
		if (i == n)
			return true;
	}
	/* privateuse = "x" 1*("-" (1*8alphanum)) */
	if (!is_x(&t[i]) || i + 1 == n)
		return false;
	return true;
}
