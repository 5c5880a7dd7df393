/*
 * The parts of reading cmi5.xml and tincan.xml that do not depend on the
 * format: a libxml2 parse hardened against hostile documents, text access,
 * line-numbered messages, and URL checks.
 */
#include "manifest/cmi5_xml.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "somo/package.h"

/*
 * Network off; no DTD loading, no default attributes from a DTD, no entity
 * substitution (XML_PARSE_NOENT stays unset); BIG_LINES keeps line numbers
 * past 65535 for messages; errors are collected, never printed.
 */
#define CX_PARSE_OPTIONS                                                                           \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |         \
	 XML_PARSE_NOCDATA)

typedef struct {
	bool saw_doctype;
} cx_state;

/* A DOCTYPE stops the parse at once: no internal subset, no entity ever declared. */
static void cx_refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                              const xmlChar *sys_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	cx_state *st = ctxt->_private;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	if (st)
		st->saw_doctype = true;
	xmlStopParser(ctxt);
}

/* libxml2 reports some encoding errors through the generic handler whatever the options. */
static void cx_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static const char *base_name(const char *file)
{
	return file && *file ? file : "document";
}

/* Pass the package's error on in diag (copied first: it lives in the buffer diag reuses). */
static int read_failed(somo_diag *diag, int rc, const char *file)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", somo_error_last()->message);
	return somo__diag(diag, rc, file, 0, 0, "%s", msg);
}

int somo__cx_read_root(void **data, size_t *size, somo_package *pkg, const char *name, size_t max,
                       somo_diag *diag)
{
	somo_package_entry e;
	int rc;

	if ((rc = somo_package_find_root_file(pkg, name)) < 0)
		return read_failed(diag, rc, name);
	if (somo_package_stat(pkg, name, &e) == 0 && e.size > max)
		return somo__diag(diag, SOMO_ELIMIT, name, 0, 0,
		                  "%s is %llu bytes, more than the %zu allowed", name,
		                  (unsigned long long)e.size, max);
	if ((rc = somo_package_read(pkg, name, data, size)) < 0)
		return read_failed(diag, rc, name);
	return 0;
}

int somo__cx_parse(xmlDocPtr *out, const void *data, size_t size, size_t max, const char *file,
                   const char *root, const char *what, somo_diag *diag)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlNode *top;
	cx_state st = {false};
	const char *name = base_name(file);
	xmlGenericErrorFunc old_handler;
	void *old_ctx;

	*out = NULL;
	if (!data && size)
		return somo__diag(diag, SOMO_EINVAL, name, 0, 0, "no data");
	if (size > max || size > (size_t)INT_MAX)
		return somo__diag(diag, SOMO_ELIMIT, name, 0, 0,
		                  "%s is %zu bytes, more than the %zu allowed", name, size, max);
	if (size == 0)
		return somo__diag(diag, SOMO_EPARSE, name, 1, 1, "%s is empty", name);

	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return somo__error_oom();
	ctxt->sax->internalSubset = cx_refuse_doctype;
	ctxt->_private = &st;
	/* The handler is per thread in libxml2: set for this parse, then put back. */
	old_handler = xmlGenericError;
	old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, cx_silent);
	doc = xmlCtxtReadMemory(ctxt, data, (int)size, NULL, NULL, CX_PARSE_OPTIONS);
	xmlSetGenericErrorFunc(old_ctx, old_handler);
	if (st.saw_doctype) {
		int line = ctxt->input ? ctxt->input->line : 0;
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return somo__diag(
		    diag, SOMO_EUNSAFE, name, line, 0,
		    "a DOCTYPE is not allowed in %s (no DTD or entity is ever loaded)", name);
	}
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[400];
		int line = e ? e->line : 0, col = e ? e->int2 : 0;
		size_t n;

		snprintf(msg, sizeof(msg), "%s",
		         e && e->message ? e->message : "not well-formed XML");
		n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return somo__diag(diag, SOMO_EPARSE, name, line, col, "malformed XML: %s", msg);
	}
	xmlFreeParserCtxt(ctxt);
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return somo__diag(diag, SOMO_EUNSAFE, name, 0, 0, "a DOCTYPE is not allowed in %s",
		                  name);
	}
	if ((top = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return somo__diag(diag, SOMO_EPARSE, name, 1, 0, "%s has no root element", name);
	}
	if (strcmp((const char *)top->name, root) != 0) {
		int rc =
		    somo__diag(diag, SOMO_EPARSE, name, somo__cx_line(top), 0,
		               "the root element is <%s>, not %s", (const char *)top->name, what);

		xmlFreeDoc(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *somo__cx_text(const xmlNode *el)
{
	somo__buf b = SOMO__BUF_INIT;
	const xmlNode *c;
	char *raw, *t;

	for (c = el->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			if (somo__buf_puts(&b, (const char *)c->content) < 0) {
				somo__buf_free(&b);
				return NULL;
			}
		}
	}
	if ((raw = somo__buf_detach(&b)) == NULL)
		return NULL;
	t = somo__str_trim_dup(raw);
	somo__free(raw);
	return t;
}

bool somo__cx_has_text(const xmlNode *el)
{
	const xmlNode *c;
	const char *p;

	for (c = el->children; c; c = c->next) {
		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
			continue;
		for (p = (const char *)c->content; *p; p++)
			if (!is_space(*p))
				return true;
	}
	return false;
}

char *somo__cx_attr(const xmlNode *el, const char *name, bool *oom)
{
	const xmlAttr *a;
	somo__buf b = SOMO__BUF_INIT;
	const xmlNode *c;
	char *raw, *t;

	for (a = el->properties; a; a = a->next)
		if (a->ns == NULL && a->name && !strcmp((const char *)a->name, name))
			break;
	if (!a)
		return NULL;
	/* The attribute's value is its text children; entity references are never expanded. */
	for (c = a->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content &&
		    somo__buf_puts(&b, (const char *)c->content) < 0) {
			somo__buf_free(&b);
			*oom = true;
			return NULL;
		}
	}
	if ((raw = somo__buf_detach(&b)) == NULL) {
		*oom = true;
		return NULL;
	}
	t = somo__str_trim_dup(raw);
	somo__free(raw);
	if (!t)
		*oom = true;
	return t;
}

int somo__cx_line(const xmlNode *n)
{
	long l = xmlGetLineNo(n);
	return l > 0 && l < INT_MAX ? (int)l : 0;
}

const char *somo__cx_ns(const xmlNode *n)
{
	return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

bool somo__cx_is(const xmlNode *n, const char *ns, const char *name)
{
	const char *have = somo__cx_ns(n);

	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0)
		return false;
	if (!ns)
		return have == NULL;
	return have && !strcmp(have, ns);
}

void somo__cx_add(somo__cx_msgs *l, int severity, int line, const char *fmt, ...)
{
	va_list ap;
	somo__buf b = SOMO__BUF_INIT;
	char *text;

	if (l->count >= SOMO__CX_MAX_MSGS) {
		/* Errors still count, so a flood of them cannot pass as valid. */
		if (severity == SOMO__CX_ERROR)
			l->errors++;
		return;
	}
	va_start(ap, fmt);
	if (somo__buf_vprintf(&b, fmt, ap) < 0) {
		va_end(ap);
		somo__buf_free(&b);
		l->oom = true;
		return;
	}
	va_end(ap);
	if ((text = somo__buf_detach(&b)) == NULL) {
		l->oom = true;
		return;
	}
	if (l->count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		somo__cx_msg *n = somo__realloc(l->items, ncap * sizeof(*n));
		if (!n) {
			somo__free(text);
			l->oom = true;
			return;
		}
		l->items = n;
		l->cap = ncap;
	}
	l->items[l->count].severity = severity;
	l->items[l->count].line = line;
	l->items[l->count].text = text;
	l->count++;
	if (severity == SOMO__CX_ERROR)
		l->errors++;
}

void somo__cx_add_all(somo__cx_msgs *l, const somo__cx_msgs *src)
{
	size_t i, kept_errors = 0;

	for (i = 0; i < src->count; i++) {
		somo__cx_add(l, src->items[i].severity, src->items[i].line, "%s",
		             src->items[i].text);
		if (src->items[i].severity == SOMO__CX_ERROR)
			kept_errors++;
	}
	/* Errors beyond the kept messages are counted as well. */
	l->errors += src->errors - kept_errors;
	if (src->oom)
		l->oom = true;
}

void somo__cx_sort(somo__cx_msgs *l)
{
	size_t i, j;

	/* Insertion sort: stable, and lists are short and mostly in order already. */
	for (i = 1; i < l->count; i++) {
		somo__cx_msg m = l->items[i];
		for (j = i; j > 0 && l->items[j - 1].line > m.line; j--)
			l->items[j] = l->items[j - 1];
		l->items[j] = m;
	}
}

void somo__cx_msgs_free(somo__cx_msgs *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		somo__free(l->items[i].text);
	somo__free(l->items);
	memset(l, 0, sizeof(*l));
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

bool somo__cx_url_absolute(const char *u)
{
	const char *p = u;

	/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	if (!is_alpha(*p))
		return false;
	for (p++; is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.'; p++)
		;
	return *p == ':';
}

const char *somo__cx_url_problem(const char *u)
{
	const unsigned char *p;

	if (!*u)
		return "it is empty";
	for (p = (const unsigned char *)u; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f)
			return *p == ' ' ? "it contains a space (write %20)"
			                 : "it contains whitespace or a control character";
		if (strchr("<>\"{}|\\^`", *p))
			return "it contains a character that URLs do not allow (one of < > \" { } "
			       "| \\ ^ `)";
		if (*p == '%' && !(is_hex((char)p[1]) && is_hex((char)p[2])))
			return "it contains a '%' not followed by two hexadecimal digits";
	}
	if (somo__cx_url_absolute(u)) {
		const char *colon = strchr(u, ':');
		if (colon[1] == '\0')
			return "nothing follows its scheme";
	}
	return NULL;
}

int somo__cx_url_member(const char *u, char **path, const char **why)
{
	size_t n = strcspn(u, "?#"), i;
	somo__buf b = SOMO__BUF_INIT;
	const char *seg, *end;

	*path = NULL;
	*why = NULL;
	if (n == 0) {
		*why = "it names no file";
		return SOMO_EINVALID;
	}
	if (u[0] == '/') {
		*why = "it starts with '/', which points outside the package";
		return SOMO_EINVALID;
	}
	/* Segment by segment: "." dropped, ".." refused, empty segments collapsed. */
	for (seg = u; seg < u + n; seg = end + 1) {
		size_t start = b.len;
		for (end = seg; end < u + n && *end != '/'; end++)
			;
		for (i = 0; seg + i < end; i++) {
			char c = seg[i];
			if (c == '%' && seg + i + 2 < end && is_hex(seg[i + 1]) &&
			    is_hex(seg[i + 2])) {
				c = (char)(hex_val(seg[i + 1]) * 16 + hex_val(seg[i + 2]));
				i += 2;
				if (c == '\0') {
					somo__buf_free(&b);
					*why = "it contains an encoded NUL";
					return SOMO_EINVALID;
				}
				if (c == '/' || c == '\\') {
					somo__buf_free(&b);
					*why = "it contains an encoded path separator";
					return SOMO_EINVALID;
				}
			}
			if (somo__buf_putc(&b, c) < 0)
				goto oom;
		}
		if (b.len == start || (b.len - start == 1 && b.ptr[start] == '.')) {
			b.len = start;
			if (b.ptr)
				b.ptr[b.len] = '\0';
		} else if (b.len - start == 2 && !memcmp(b.ptr + start, "..", 2)) {
			somo__buf_free(&b);
			*why = "it contains a '..' segment";
			return SOMO_EINVALID;
		} else if (end < u + n && somo__buf_putc(&b, '/') < 0) {
			goto oom;
		}
		if (end >= u + n)
			break;
	}
	while (b.len > 0 && b.ptr[b.len - 1] == '/')
		b.ptr[--b.len] = '\0';
	if (b.len == 0) {
		somo__buf_free(&b);
		*why = "it names no file";
		return SOMO_EINVALID;
	}
	if ((*path = somo__buf_detach(&b)) == NULL)
		return somo__error_oom();
	return 0;
oom:
	somo__buf_free(&b);
	return somo__error_oom();
}

int somo__cx_url_query_names(const char *u, int (*fn)(const char *name, void *payload),
                             void *payload)
{
	const char *q = strchr(u, '?'), *p, *end;
	somo__buf b = SOMO__BUF_INIT;
	int rc = 0;

	if (!q)
		return 0;
	for (p = q + 1; *p && *p != '#'; p = *end ? end + 1 : end) {
		const char *eq;
		size_t i;

		for (end = p; *end && *end != '&' && *end != ';' && *end != '#'; end++)
			;
		for (eq = p; eq < end && *eq != '='; eq++)
			;
		somo__buf_clear(&b);
		for (i = 0; p + i < eq; i++) {
			char c = p[i];
			if (c == '+')
				c = ' ';
			else if (c == '%' && p + i + 2 < eq && is_hex(p[i + 1]) &&
			         is_hex(p[i + 2])) {
				c = (char)(hex_val(p[i + 1]) * 16 + hex_val(p[i + 2]));
				i += 2;
			}
			if (somo__buf_putc(&b, c) < 0) {
				somo__buf_free(&b);
				return somo__error_oom();
			}
		}
		if (b.len > 0 && (rc = fn(b.ptr, payload)) != 0)
			break;
		if (*end == '#')
			break;
	}
	somo__buf_free(&b);
	return rc;
}

size_t somo__cx_pick_lang(const char *(*lang_at)(const void *items, size_t i), const void *items,
                          size_t count, const char *want)
{
	size_t i, plen;

	if (!want || !*want)
		return 0;
	for (i = 0; i < count; i++) {
		const char *l = lang_at(items, i);
		if (l && somo__str_ieq(l, want))
			return i;
	}
	plen = strcspn(want, "-");
	for (i = 0; i < count; i++) {
		const char *l = lang_at(items, i);
		size_t j;
		if (!l || strcspn(l, "-") != plen)
			continue;
		for (j = 0; j < plen; j++)
			if ((l[j] | 0x20) != (want[j] | 0x20))
				break;
		if (j == plen)
			return i;
	}
	return 0;
}
