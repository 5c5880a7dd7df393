/*
 * Statements to and from JSON text with jansson: Somo's limits on the way
 * in, the shortest exact form of every number on the way out.
 */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xapi/xapi_internal.h"

#define XAPI_DEFAULT_MAX_BYTES ((size_t)4 * 1024 * 1024)

int somo__xapi_parse_json(json_t **out, const char *text, size_t len,
                          const somo_xapi_parse_opts *opts, somo_diag *diag)
{
	size_t max = XAPI_DEFAULT_MAX_BYTES;
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	if (opts && opts->max_bytes)
		max = opts->max_bytes;
	if (len > max)
		return somo__diag(diag, SOMO_ELIMIT, "", 0, 0,
		                  "statement text of %zu bytes is larger than the limit of %zu",
		                  len, max);
	/* Duplicate keys make a statement ambiguous: refuse them. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return somo__diag(diag, SOMO_EPARSE, "", jerr.line, jerr.column, "%s", jerr.text);
	*out = root;
	return 0;
}

/* The precision one real needs: 15 significant digits hold any decimal of
 * up to 15 digits exactly (DBL_DIG), so a score written as 0.8314 comes back
 * as 0.8314; a double made by arithmetic may need 16 or 17. */
static int real_precision(double d)
{
	char buf[40];
	double m;
	int p;

	/* Fast path, exact: when d is the double nearest to m / 10^6 for an
	 * integer m of at most 15 digits (IEEE division is correctly rounded,
	 * so the test below is exact), m / 10^6 is what %.15g prints and it
	 * reads back as d. Scores and most measures take this path. */
	if (d > -1e9 && d < 1e9) {
		m = (double)(long long)(d * 1e6 + (d < 0 ? -0.5 : 0.5));
		if (m / 1e6 == d)
			return DBL_DIG;
	}
	for (p = DBL_DIG; p < 17; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, d);
		if (strtod(buf, NULL) == d)
			return p;
	}
	return 17;
}

int somo__xapi_real_precision(const json_t *v)
{
	int best = DBL_DIG, p;
	json_t *item;
	void *it;
	size_t i, n;

	/* The iterator calls, not json_object_foreach: half the calls per
	 * member, and this walk runs on every serialisation. */
	switch (json_typeof(v)) {
	case JSON_REAL:
		return real_precision(json_real_value(v));
	case JSON_OBJECT:
		for (it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it)) {
			item = json_object_iter_value(it);
			if (json_is_real(item) || json_is_object(item) || json_is_array(item)) {
				p = somo__xapi_real_precision(item);
				if (p > best)
					best = p;
			}
		}
		return best;
	case JSON_ARRAY:
		for (i = 0, n = json_array_size(v); i < n; i++) {
			item = json_array_get(v, i);
			if (json_is_real(item) || json_is_object(item) || json_is_array(item)) {
				p = somo__xapi_real_precision(item);
				if (p > best)
					best = p;
			}
		}
		return best;
	default:
		return best;
	}
}

int somo__xapi_dump(const json_t *v, unsigned flags, somo__buf *buf)
{
	size_t jflags = JSON_REAL_PRECISION(somo__xapi_real_precision(v));
	size_t room, need;

	jflags |= (flags & SOMO_XAPI_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
	if (flags & SOMO_XAPI_JSON_SORT_KEYS)
		jflags |= JSON_SORT_KEYS;
	/* json_dumpb writes into the buffer's free room directly; when the text
	 * does not fit it says how much it needs and is run again. */
	if (somo__buf_grow(buf, 256) < 0)
		return somo__error_oom();
	room = buf->cap - buf->len - 1;
	need = json_dumpb(v, buf->ptr + buf->len, room, jflags);
	if (need == 0)
		return somo__error(SOMO_EINVAL, "only objects and arrays are serialised");
	if (need > room) {
		if (somo__buf_grow(buf, need) < 0)
			return somo__error_oom();
		room = buf->cap - buf->len - 1;
		if (json_dumpb(v, buf->ptr + buf->len, room, jflags) != need)
			return somo__error(SOMO_ERROR, "serialisation changed size");
	}
	buf->len += need;
	buf->ptr[buf->len] = '\0';
	return 0;
}

json_t *somo__xapi_json(const somo_xapi_statement *st)
{
	return st ? st->root : NULL;
}

int somo__xapi_wrap(somo_xapi_statement **out, json_t *root)
{
	somo_xapi_statement *st = somo__calloc(1, sizeof(*st));

	if (st == NULL) {
		json_decref(root);
		return somo__error_oom();
	}
	st->root = root;
	*out = st;
	return 0;
}

SOMO_API int somo_xapi_statement_parse(somo_xapi_statement **out, const char *json, size_t len,
                                       const somo_xapi_parse_opts *opts, somo_diag *diag)
{
	json_t *root;
	int rc;

	if (out == NULL)
		return somo__error(SOMO_EINVAL, "somo_xapi_statement_parse: out is NULL");
	*out = NULL;
	if (json == NULL)
		return somo__error(SOMO_EINVAL, "somo_xapi_statement_parse: json is NULL");
	if ((rc = somo__xapi_parse_json(&root, json, len, opts, diag)) < 0)
		return somo__error(rc, "%s", diag ? diag->text : "statement is not JSON");
	if (!json_is_object(root)) {
		json_decref(root);
		somo__diag(diag, SOMO_EPARSE, "", 1, 1, "a statement must be a JSON object");
		return somo__error(SOMO_EPARSE, "a statement must be a JSON object");
	}
	return somo__xapi_wrap(out, root);
}

SOMO_API int somo_xapi_statement_to_json(const somo_xapi_statement *st, unsigned flags, char **out)
{
	somo__buf b = SOMO__BUF_INIT;
	int rc;

	if (out == NULL || st == NULL)
		return somo__error(SOMO_EINVAL, "somo_xapi_statement_to_json: NULL argument");
	*out = NULL;
	/* most statements fit in 1 KiB: one allocation instead of a doubling series */
	if (somo__buf_grow(&b, 1024) < 0)
		return somo__error_oom();
	if ((rc = somo__xapi_dump(st->root, flags, &b)) < 0) {
		somo__buf_free(&b);
		return rc;
	}
	*out = somo__buf_detach(&b);
	return 0;
}

SOMO_API int somo_xapi_statement_dup(somo_xapi_statement **out, const somo_xapi_statement *st)
{
	json_t *copy;

	if (out == NULL || st == NULL)
		return somo__error(SOMO_EINVAL, "somo_xapi_statement_dup: NULL argument");
	*out = NULL;
	if ((copy = json_deep_copy(st->root)) == NULL)
		return somo__error_oom();
	return somo__xapi_wrap(out, copy);
}

SOMO_API void somo_xapi_statement_free(somo_xapi_statement *st)
{
	if (st == NULL)
		return;
	json_decref(st->root);
	somo__free(st);
}
