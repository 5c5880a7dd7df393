/*
 * Value validators for every data model type: SCORM 2004 RTE book 4.1.1
 * (characterstring, localized_string_type, long_identifier_type, real(10,7),
 * time(second,10,0), timeinterval(second,10,2), language_type, vocabularies)
 * and SCORM 1.2 RTE 3.4.2 (CMIString255/4096, CMIIdentifier, CMIDecimal,
 * CMISInteger, CMITime, CMITimespan, CMIFeedback).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm.h"
#include "util/text.h"
#include "util/time.h"

bool somo__dm_real(const char *s, size_t len, double *out)
{
	char buf[64];
	size_t i = 0;
	bool digits = false;

	if (len == 0 || len >= sizeof(buf))
		return false;
	if (s[i] == '-' || s[i] == '+')
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits = true;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			digits = true;
		}
	}
	if (!digits || i != len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (out)
		*out = strtod(buf, NULL);
	return true;
}

static bool in_range(somo__dm_range r, double d)
{
	switch (r) {
	case SOMO__R_0_1:
		return d >= 0 && d <= 1;
	case SOMO__R_M1_1:
		return d >= -1 && d <= 1;
	case SOMO__R_GE0:
		return d >= 0;
	case SOMO__R_0_100:
		return d >= 0 && d <= 100;
	case SOMO__R_M1_100:
		return d >= -1 && d <= 100;
	case SOMO__R_M100_100:
		return d >= -100 && d <= 100;
	default:
		return isfinite(d);
	}
}

/*
 * long_identifier_type: a URI (RFC 3986) as java.net.URI, which ADL's
 * reference LMS uses, accepts it: no whitespace, controls or excluded
 * characters ("<>\"{}|\\^`[]"), %-escapes complete, and a scheme, when one is
 * given, made of a letter then letters, digits, "+", "-", "." and followed
 * by something ("urn:" alone is not a URI).
 */
bool somo__dm_uri(const char *s, size_t len)
{
	size_t i, colon = len;

	if (len == 0 || !somo__utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f || strchr("<>\"{}|\\^`[]", c))
			return false;
		if (c == '%' && (i + 2 >= len || !strchr("0123456789abcdefABCDEF", s[i + 1]) ||
		                 !strchr("0123456789abcdefABCDEF", s[i + 2])))
			return false;
		if (colon == len && (c == '/' || c == '?' || c == '#'))
			colon = len + 1; /* no scheme */
		if (colon == len && c == ':')
			colon = i;
	}
	if (colon < len) {
		if (colon == 0 || colon + 1 == len)
			return false;
		if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
			return false;
		for (i = 1; i < colon; i++) {
			char c = s[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
				return false;
		}
	}
	return true;
}

static size_t chars(const char *s, size_t len)
{
	return somo__utf8_length(s, len);
}

/* {lang=xx} at the start of s: the length of the delimiter, 0 when absent,
 * -1 when malformed. */
static long lang_delim(const char *s, size_t len)
{
	const char *end;
	char tag[64];
	size_t tl;

	if (len < 6 || strncmp(s, "{lang=", 6) != 0)
		return 0;
	end = memchr(s, '}', len);
	if (!end)
		return 0; /* not a delimiter: plain text */
	tl = (size_t)(end - (s + 6));
	if (tl == 0 || tl >= sizeof(tag))
		return -1;
	memcpy(tag, s + 6, tl);
	tag[tl] = '\0';
	if (!somo__dm_language(tag, tl))
		return -1;
	return (long)(end - s) + 1;
}

static somo__dm_valid check_lstr(const char *s, size_t len, unsigned spm)
{
	long d = lang_delim(s, len);

	if (d < 0)
		return SOMO__V_TYPE;
	if (spm && chars(s + d, len - (size_t)d) > spm)
		return SOMO__V_SPM;
	return SOMO__V_OK;
}

static bool vocab_has(const char *const *v, const char *s, size_t len)
{
	for (; *v; v++)
		if (strlen(*v) == len && memcmp(*v, s, len) == 0)
			return true;
	return false;
}

static somo__dm_valid check_navreq(const char *s, size_t len)
{
	static const char *const plain[] = {"continue",   "previous", "exit",
	                                    "exitAll",    "abandon",  "abandonAll",
	                                    "suspendAll", "_none_",   NULL};

	if (vocab_has(plain, s, len))
		return SOMO__V_OK;
	if (len > 9 && strncmp(s, "{target=", 8) == 0) {
		const char *end = memchr(s, '}', len);
		size_t tl, rest;
		if (!end)
			return SOMO__V_TYPE;
		tl = (size_t)(end - (s + 8));
		rest = len - (size_t)(end + 1 - s);
		if (tl == 0 || !somo__dm_uri(s + 8, tl))
			return SOMO__V_TYPE;
		if ((rest == 6 && memcmp(end + 1, "choice", 6) == 0) ||
		    (rest == 4 && memcmp(end + 1, "jump", 4) == 0))
			return SOMO__V_OK;
	}
	return SOMO__V_TYPE;
}

/* SCORM 1.2 CMIIdentifier: no whitespace, at most 255 characters. */
static bool id12(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 255)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20)
			return false;
	return true;
}

static bool sint12(const char *s, size_t len, long *out)
{
	size_t i = 0;
	long v = 0;

	if (len == 0 || len > 6)
		return false;
	if (s[0] == '-' || s[0] == '+')
		i++;
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = s[0] == '-' ? -v : v;
	return true;
}

somo__dm_valid somo__dm_validate(somo_scorm_version v, const somo__dm_element *el,
                                 somo__itype itype, const char *value, size_t len, bool lenient,
                                 bool host, const char **reason)
{
	double d;
	char buf[96];

	*reason = NULL;
	if (!somo__utf8_valid(value, len)) {
		*reason = "the value is not well-formed UTF-8";
		return SOMO__V_TYPE;
	}
	switch ((somo__dm_type)el->type) {
	case SOMO__T_CS:
	case SOMO__T_12_STR:
		if (el->spm && chars(value, len) > el->spm)
			return SOMO__V_SPM;
		return SOMO__V_OK;
	case SOMO__T_LSTR:
		return check_lstr(value, len, el->spm);
	case SOMO__T_LID:
		/* the LMS's own identifiers need only be non-empty (see dm.h) */
		if (host ? len == 0 : !somo__dm_uri(value, len))
			return SOMO__V_TYPE;
		if (el->spm && chars(value, len) > el->spm)
			return SOMO__V_SPM;
		return SOMO__V_OK;
	case SOMO__T_REAL:
		if (!somo__dm_real(value, len, &d))
			return SOMO__V_TYPE;
		return in_range(el->range, d) ? SOMO__V_OK : SOMO__V_RANGE;
	case SOMO__T_TIME:
		if (len >= sizeof(buf))
			return SOMO__V_TYPE;
		memcpy(buf, value, len);
		buf[len] = '\0';
		if (somo__time_parse(buf, SOMO__TIME_SCORM2004, NULL) == 0)
			return SOMO__V_OK;
		/* authoring tools write full ISO 8601 (milliseconds, a zone without a fraction) */
		if (lenient && somo__time_parse(buf, SOMO__TIME_XAPI, NULL) == 0) {
			*reason = "an ISO 8601 time beyond SCORM's time(second,10,0) accepted";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_TYPE;
	case SOMO__T_DUR:
	case SOMO__T_12_SPAN:
		if (len >= sizeof(buf))
			return SOMO__V_TYPE;
		memcpy(buf, value, len);
		buf[len] = '\0';
		if (somo__duration_parse(
		        buf, el->type == SOMO__T_DUR ? SOMO__DUR_SCORM2004 : SOMO__DUR_SCORM12,
		        NULL) == 0)
			return SOMO__V_OK;
		if (lenient && el->type == SOMO__T_12_SPAN &&
		    somo__duration_parse(buf, SOMO__DUR_XAPI, NULL) == 0) {
			*reason = "an ISO 8601 duration accepted for SCORM 1.2's CMITimespan";
			return SOMO__V_LENIENT;
		}
		/* more than two fraction digits of seconds, or weeks */
		if (lenient && el->type == SOMO__T_DUR &&
		    somo__duration_parse(buf, SOMO__DUR_XAPI, NULL) == 0) {
			*reason = "an ISO 8601 duration beyond SCORM's timeinterval(second,10,2) "
			          "accepted";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_TYPE;
	case SOMO__T_12_TIME:
		if (len >= sizeof(buf))
			return SOMO__V_TYPE;
		memcpy(buf, value, len);
		buf[len] = '\0';
		if (somo__scorm12_time_valid(buf))
			return SOMO__V_OK;
		if (lenient && (somo__time_parse(buf, SOMO__TIME_SCORM2004, NULL) == 0 ||
		                somo__time_parse(buf, SOMO__TIME_XAPI, NULL) == 0)) {
			*reason = "an ISO 8601 date and time accepted for SCORM 1.2's CMITime";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_TYPE;
	case SOMO__T_VOCAB:
		if (vocab_has(el->vocab, value, len))
			return SOMO__V_OK;
		/* SCORM 2004's interaction types written into a SCORM 1.2 interaction */
		if (lenient && v == SOMO_SCORM_12 && el->coll == SOMO__C_INT &&
		    ((len == 12 && memcmp(value, "long-fill-in", 12) == 0) ||
		     (len == 5 && memcmp(value, "other", 5) == 0))) {
			*reason = "a SCORM 2004 interaction type accepted in SCORM 1.2";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_TYPE;
	case SOMO__T_LANG:
		if (len == 0)
			return SOMO__V_OK;
		return somo__dm_language(value, len) ? SOMO__V_OK : SOMO__V_TYPE;
	case SOMO__T_RESULT:
		if (vocab_has(el->vocab, value, len))
			return SOMO__V_OK;
		if (somo__dm_real(value, len, &d))
			return SOMO__V_OK;
		if (lenient && v == SOMO_SCORM_12 && len == 9 &&
		    memcmp(value, "incorrect", 9) == 0) {
			*reason = "SCORM 2004's 'incorrect' accepted for SCORM 1.2's 'wrong'";
			return SOMO__V_LENIENT;
		}
		if (lenient && v == SOMO_SCORM_2004 && len == 5 && memcmp(value, "wrong", 5) == 0) {
			*reason = "SCORM 1.2's 'wrong' accepted for 'incorrect'";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_TYPE;
	case SOMO__T_NAVREQ:
		return check_navreq(value, len);
	case SOMO__T_12_ID:
		return id12(value, len) ? SOMO__V_OK : SOMO__V_TYPE;
	case SOMO__T_12_DEC:
		if (!somo__dm_real(value, len, &d))
			return SOMO__V_TYPE;
		return in_range(el->range, d) ? SOMO__V_OK : SOMO__V_RANGE;
	case SOMO__T_12_BLANKDEC:
		if (len == 0)
			return SOMO__V_OK;
		if (!somo__dm_real(value, len, &d))
			return SOMO__V_TYPE;
		if (in_range(el->range, d))
			return SOMO__V_OK;
		/* tools write raw points (150 of 200) where SCORM 1.2 wants 0..100 */
		if (lenient && (el->access & SOMO__DM_W) && isfinite(d)) {
			*reason = "a score outside SCORM 1.2's 0..100 accepted";
			return SOMO__V_LENIENT;
		}
		return SOMO__V_RANGE;
	case SOMO__T_12_SINT: {
		long iv;
		if (!sint12(value, len, &iv))
			return SOMO__V_TYPE;
		return in_range(el->range, (double)iv) ? SOMO__V_OK : SOMO__V_RANGE;
	}
	case SOMO__T_PATTERN:
	case SOMO__T_RESPONSE:
	case SOMO__T_12_FEEDBACK:
		return somo__dm_response_valid(v, itype, el->type == SOMO__T_PATTERN, value, len,
		                               lenient, reason);
	default:
		return SOMO__V_TYPE;
	}
}

somo__itype somo__itype_parse(const char *s, size_t len)
{
	static const char *const names[] = {"true-false", "choice",   "fill-in",     "long-fill-in",
	                                    "likert",     "matching", "performance", "sequencing",
	                                    "numeric",    "other"};
	size_t i;

	for (i = 0; i < SOMO__ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (somo__itype)(i + 1);
	return SOMO__IT_NONE;
}

static const char *range_text(somo__dm_range r)
{
	switch (r) {
	case SOMO__R_0_1:
		return ", from 0 to 1";
	case SOMO__R_M1_1:
		return ", from -1 to 1";
	case SOMO__R_GE0:
		return ", 0 or more";
	case SOMO__R_0_100:
		return ", from 0 to 100";
	case SOMO__R_M1_100:
		return ", from -1 to 100";
	case SOMO__R_M100_100:
		return ", from -100 to 100";
	default:
		return "";
	}
}

void somo__dm_describe(somo_scorm_version v, const somo__dm_element *el, char *buf, size_t size)
{
	const char *t;
	size_t n;

	switch ((somo__dm_type)el->type) {
	case SOMO__T_CS:
		t = "characterstring";
		break;
	case SOMO__T_LSTR:
		t = "localized_string_type: an optional {lang=ISO 639 code} then text";
		break;
	case SOMO__T_LID:
		t = "long_identifier_type: a URI without spaces";
		break;
	case SOMO__T_REAL:
		t = "real(10,7): a decimal number";
		break;
	case SOMO__T_TIME:
		t = "time(second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], 1970 to 2038";
		break;
	case SOMO__T_DUR:
		t = "timeinterval(second,10,2): P[yY][mM][dD][T[hH][nM][s[.s]S]]";
		break;
	case SOMO__T_LANG:
		t = "language_type: an ISO 639 code with optional subtags, or empty";
		break;
	case SOMO__T_PATTERN:
	case SOMO__T_RESPONSE:
		t = "the response grammar of the interaction's type (RTE book 4.2.9)";
		break;
	case SOMO__T_NAVREQ:
		t = "a navigation request: continue, previous, exit, exitAll, abandon, abandonAll, "
		    "suspendAll, _none_, {target=ID}choice or {target=ID}jump";
		break;
	case SOMO__T_12_STR:
		t = el->spm > 255 ? "CMIString4096" : "CMIString255";
		break;
	case SOMO__T_12_ID:
		t = "CMIIdentifier: at most 255 characters without spaces";
		break;
	case SOMO__T_12_DEC:
		t = "CMIDecimal: a decimal number";
		break;
	case SOMO__T_12_BLANKDEC:
		t = "CMIDecimal or CMIBlank";
		break;
	case SOMO__T_12_SINT:
		t = "CMISInteger: a whole number";
		break;
	case SOMO__T_12_TIME:
		t = "CMITime: HH:MM:SS[.SS]";
		break;
	case SOMO__T_12_SPAN:
		t = "CMITimespan: HHHH:MM:SS[.SS]";
		break;
	case SOMO__T_12_FEEDBACK:
		t = "CMIFeedback: at most 255 characters";
		break;
	case SOMO__T_VOCAB:
	case SOMO__T_RESULT: {
		const char *const *w;
		n = (size_t)snprintf(buf, size, "one of");
		for (w = el->vocab; *w && n < size; w++)
			n += (size_t)snprintf(buf + n, size - n, "%s \"%s\"",
			                      w == el->vocab ? "" : ",", *w);
		if (el->type == SOMO__T_RESULT && n < size)
			snprintf(buf + n, size - n, " or a decimal number");
		return;
	}
	default:
		t = "a value";
		break;
	}
	(void)v;
	n = (size_t)snprintf(buf, size, "%s%s", t, range_text((somo__dm_range)el->range));
	if (el->spm && n < size && el->type != SOMO__T_12_STR && el->type != SOMO__T_12_ID &&
	    el->type != SOMO__T_12_FEEDBACK)
		snprintf(buf + n, size - n, " (%u characters kept at least)", (unsigned)el->spm);
}
