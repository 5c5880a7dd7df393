/*
 * The response grammars of interactions: correct_responses.n.pattern and
 * learner_response for each interaction type (SCORM 2004 RTE book 4.2.9.1 and
 * 4.2.9.2), with the [,] [.] [:] delimiters and the {case_matters=}
 * {order_matters=} {lang=} prefixes; SCORM 1.2 CMIFeedback.
 */
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm.h"
#include "util/text.h"

typedef struct {
	const char *s;
	size_t len;
} span;

/* The next part of s up to delim (3 characters, "[,]"), advancing *pos. */
static bool next_part(const char *s, size_t len, size_t *pos, const char *delim, span *out)
{
	size_t i = *pos;

	if (i > len)
		return false;
	out->s = s + i;
	for (; i + 3 <= len; i++) {
		if (memcmp(s + i, delim, 3) == 0) {
			out->len = i - *pos;
			*pos = i + 3;
			return true;
		}
	}
	out->len = len - *pos;
	*pos = len + 1;
	return true;
}

static bool find_delim(span in, const char *delim, span *a, span *b)
{
	size_t i;

	for (i = 0; i + 3 <= in.len; i++) {
		if (memcmp(in.s + i, delim, 3) == 0) {
			a->s = in.s;
			a->len = i;
			b->s = in.s + i + 3;
			b->len = in.len - i - 3;
			return true;
		}
	}
	return false;
}

/* short_identifier_type; its 250-character SPM is a minimum to store, not a limit. */
static bool short_id(span x)
{
	return x.len > 0 && somo__dm_uri(x.s, x.len);
}

/*
 * The {case_matters=} / {order_matters=} prefixes a pattern of the type
 * allows, in any order, before the first part; each must say true or false.
 * They end at the first {lang=} or text.
 */
static bool skip_flags(const char *s, size_t len, size_t *pos, bool case_ok, bool order_ok)
{
	for (;;) {
		const char *p = s + *pos;
		size_t rest = len - *pos, kl;
		if (case_ok && rest >= 14 && strncmp(p, "{case_matters=", 14) == 0)
			kl = 14;
		else if (order_ok && rest >= 15 && strncmp(p, "{order_matters=", 15) == 0)
			kl = 15;
		else
			return true;
		if (rest >= kl + 5 && strncmp(p + kl, "true}", 5) == 0)
			*pos += kl + 5;
		else if (rest >= kl + 6 && strncmp(p + kl, "false}", 6) == 0)
			*pos += kl + 6;
		else
			return false;
	}
}

/* A localized string part: an optional valid {lang=tag}, then any text. */
static bool lstr(span x)
{
	if (x.len >= 6 && strncmp(x.s, "{lang=", 6) == 0) {
		const char *end = memchr(x.s, '}', x.len);
		if (end && !somo__dm_language(x.s + 6, (size_t)(end - x.s) - 6))
			return false;
	}
	return true;
}

static bool real_span(span x)
{
	return somo__dm_real(x.s, x.len, NULL);
}

/* numeric min[:]max, either side optional, min <= max. */
static bool numeric_range(span x)
{
	span a, b;
	double lo, hi;

	if (!find_delim(x, "[:]", &a, &b))
		return false;
	if (a.len && !somo__dm_real(a.s, a.len, &lo))
		return false;
	if (b.len && !somo__dm_real(b.s, b.len, &hi))
		return false;
	if (a.len && b.len && lo > hi)
		return false;
	return true;
}

static bool span_eq(span a, span b)
{
	return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

static int cmp_span(const void *a, const void *b)
{
	const span *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* short identifiers separated by [,]; unique when asked (choice). */
static bool id_list(const char *s, size_t len, bool unique)
{
	size_t pos = 0, n = 0, i;
	span part, *all = NULL;
	bool ok = true;

	while (next_part(s, len, &pos, "[,]", &part)) {
		if (!short_id(part))
			return false;
		n++;
	}
	if (!unique || n < 2)
		return true;
	if ((all = somo__calloc(n, sizeof(*all))) == NULL)
		return false;
	for (pos = 0, i = 0; next_part(s, len, &pos, "[,]", &part); i++)
		all[i] = part;
	qsort(all, n, sizeof(*all), cmp_span);
	for (i = 1; i < n && ok; i++)
		if (span_eq(all[i - 1], all[i]))
			ok = false;
	somo__free(all);
	return ok;
}

static bool valid_2004(somo__itype t, bool pattern, const char *s, size_t len)
{
	size_t pos = 0;
	span part;

	switch (t) {
	case SOMO__IT_TRUE_FALSE:
		return (len == 4 && memcmp(s, "true", 4) == 0) ||
		       (len == 5 && memcmp(s, "false", 5) == 0);
	case SOMO__IT_CHOICE:
	case SOMO__IT_SEQUENCING:
		if (len == 0)
			return t == SOMO__IT_CHOICE;
		return id_list(s, len, t == SOMO__IT_CHOICE);
	case SOMO__IT_FILL_IN:
		if (pattern && !skip_flags(s, len, &pos, true, true))
			return false;
		while (next_part(s, len, &pos, "[,]", &part)) {
			if (!lstr(part))
				return false;
		}
		return true;
	case SOMO__IT_LONG_FILL_IN:
		if (pattern && !skip_flags(s, len, &pos, true, false))
			return false;
		part.s = s + pos;
		part.len = len - pos;
		return lstr(part);
	case SOMO__IT_LIKERT:
		part.s = s;
		part.len = len;
		return short_id(part);
	case SOMO__IT_MATCHING:
		while (next_part(s, len, &pos, "[,]", &part)) {
			span a, b;
			span x, y;
			if (!find_delim(part, "[.]", &a, &b) || !short_id(a) || !short_id(b) ||
			    find_delim(b, "[.]", &x, &y))
				return false;
		}
		return true;
	case SOMO__IT_PERFORMANCE:
		if (pattern && !skip_flags(s, len, &pos, false, true))
			return false;
		while (next_part(s, len, &pos, "[,]", &part)) {
			span a, b;
			span x, y;
			if (!find_delim(part, "[.]", &a, &b) || find_delim(b, "[.]", &x, &y))
				return false;
			if (a.len == 0 && b.len == 0)
				return false;
			if (a.len && !short_id(a))
				return false;
			if (pattern && b.len && memchr(b.s, '[', b.len)) {
				/* a numeric range min[:]max as the answer */
				if (find_delim(b, "[:]", &x, &y) && !numeric_range(b))
					return false;
			}
		}
		return true;
	case SOMO__IT_NUMERIC:
		part.s = s;
		part.len = len;
		return pattern ? numeric_range(part) || real_span(part) : real_span(part);
	case SOMO__IT_OTHER:
		return somo__utf8_length(s, len) <= 4000;
	default:
		return false;
	}
}

somo__dm_valid somo__dm_response_valid(somo_scorm_version v, somo__itype t, bool pattern,
                                       const char *s, size_t len, bool lenient, const char **reason)
{
	if (v == SOMO_SCORM_12) {
		/* CMIFeedback: at most 255 characters; the format by type is advisory in 1.2. */
		if (somo__utf8_length(s, len) <= 255)
			return SOMO__V_OK;
		if (lenient && somo__utf8_length(s, len) <= 4096) {
			*reason = "a response longer than CMIFeedback's 255 characters accepted";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_TYPE;
	}
	if (valid_2004(t, pattern, s, len))
		return SOMO__V_OK;
	if (lenient && somo__utf8_length(s, len) <= 4000) {
		*reason =
		    pattern
		        ? "a correct response pattern outside the grammar of its interaction type "
		          "accepted"
		        : "a learner response outside the grammar of its interaction type accepted";
		return SOMO__V_LENIENT;
	}
	return SOMO__V_TYPE;
}

/* Choice patterns compare as sets; others as written. */
bool somo__dm_pattern_equal(somo__itype t, const char *a, size_t alen, const char *b, size_t blen)
{
	if (t == SOMO__IT_CHOICE) {
		size_t pa = 0, na = 0, nb = 0, pb = 0;
		span x, y;
		if (alen == 0 || blen == 0)
			return alen == blen;
		while (next_part(a, alen, &pa, "[,]", &x)) {
			bool found = false;
			na++;
			pb = 0;
			while (next_part(b, blen, &pb, "[,]", &y))
				if (span_eq(x, y))
					found = true;
			if (!found)
				return false;
		}
		pb = 0;
		while (next_part(b, blen, &pb, "[,]", &y))
			nb++;
		return na == nb;
	}
	return alen == blen && memcmp(a, b, alen) == 0;
}
