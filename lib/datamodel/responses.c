/*
 * The response grammars of interactions: correct_responses.n.pattern and
 * learner_response for each interaction type (SCORM 2004 RTE book 4.2.9.1 and
 * 4.2.9.2), with the [,] [.] [:] delimiters and the {case_matters=}
 * {order_matters=} {lang=} prefixes; SCORM 1.2 CMIFeedback.
 */
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

static bool short_id(span x)
{
	return x.len > 0 && somo__utf8_length(x.s, x.len) <= 250 && somo__dm_uri(x.s, x.len);
}

/* Skip the {case_matters=..} / {order_matters=..} prefixes the type allows. */
static bool skip_flags(const char *s, size_t len, size_t *pos, bool case_ok, bool order_ok)
{
	bool seen_case = false, seen_order = false;

	for (;;) {
		const char *p = s + *pos;
		size_t rest = len - *pos;
		if (case_ok && !seen_case && rest >= 14 && strncmp(p, "{case_matters=", 14) == 0) {
			if (rest >= 19 && strncmp(p + 14, "true}", 5) == 0)
				*pos += 19;
			else if (rest >= 20 && strncmp(p + 14, "false}", 6) == 0)
				*pos += 20;
			else
				return false;
			seen_case = true;
			continue;
		}
		if (order_ok && !seen_order && rest >= 15 && strncmp(p, "{order_matters=", 15) == 0) {
			if (rest >= 20 && strncmp(p + 15, "true}", 5) == 0)
				*pos += 20;
			else if (rest >= 21 && strncmp(p + 15, "false}", 6) == 0)
				*pos += 21;
			else
				return false;
			seen_order = true;
			continue;
		}
		return true;
	}
}

/* A localized string part: optional {lang=tag}, then at most spm characters. */
static bool lstr(span x, size_t spm)
{
	if (x.len >= 6 && strncmp(x.s, "{lang=", 6) == 0) {
		const char *end = memchr(x.s, '}', x.len);
		char tag[64];
		size_t tl;
		if (end) {
			tl = (size_t)(end - x.s) - 6;
			if (tl == 0 || tl >= sizeof(tag))
				return false;
			memcpy(tag, x.s + 6, tl);
			tag[tl] = '\0';
			if (!somo__langtag_valid(tag))
				return false;
			x.len -= (size_t)(end - x.s) + 1;
			x.s = end + 1;
		}
	}
	return somo__utf8_length(x.s, x.len) <= spm;
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

static bool valid_2004(somo__itype t, bool pattern, const char *s, size_t len)
{
	size_t pos = 0, n = 0;
	span part;
	span seen[36];

	switch (t) {
	case SOMO__IT_TRUE_FALSE:
		return (len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0);
	case SOMO__IT_CHOICE:
	case SOMO__IT_SEQUENCING:
		if (len == 0)
			return t == SOMO__IT_CHOICE;
		while (next_part(s, len, &pos, "[,]", &part)) {
			size_t i;
			if (!short_id(part) || n >= SOMO__ARRAY_SIZE(seen))
				return false;
			if (t == SOMO__IT_CHOICE)
				for (i = 0; i < n; i++)
					if (span_eq(seen[i], part))
						return false;
			seen[n++] = part;
		}
		return true;
	case SOMO__IT_FILL_IN:
		if (pattern && !skip_flags(s, len, &pos, true, true))
			return false;
		while (next_part(s, len, &pos, "[,]", &part)) {
			if (!lstr(part, 250) || ++n > 10)
				return false;
		}
		return true;
	case SOMO__IT_LONG_FILL_IN:
		if (pattern && !skip_flags(s, len, &pos, true, false))
			return false;
		part.s = s + pos;
		part.len = len - pos;
		return lstr(part, 4000);
	case SOMO__IT_LIKERT:
		part.s = s;
		part.len = len;
		return short_id(part);
	case SOMO__IT_MATCHING:
		while (next_part(s, len, &pos, "[,]", &part)) {
			span a, b;
			if (!find_delim(part, "[.]", &a, &b) || !short_id(a) || !short_id(b) || ++n > 36)
				return false;
		}
		return true;
	case SOMO__IT_PERFORMANCE:
		if (pattern && !skip_flags(s, len, &pos, false, true))
			return false;
		while (next_part(s, len, &pos, "[,]", &part)) {
			span a, b;
			if (!find_delim(part, "[.]", &a, &b) || ++n > 250)
				return false;
			if (a.len == 0 && b.len == 0)
				return false;
			if (a.len && !short_id(a))
				return false;
			if (b.len && somo__utf8_length(b.s, b.len) > 250)
				return false;
			if (pattern && b.len && memchr(b.s, '[', b.len)) {
				/* a numeric range min[:]max as the answer */
				span x, y;
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
				       const char *s, size_t len, bool lenient, const char **reason);

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
		*reason = pattern ? "a correct response pattern outside the grammar of its interaction type accepted"
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
