/*
 * Durations: SCORM 2004 timeinterval (second,10,2), xAPI ISO 8601 durations,
 * SCORM 1.2 CMITimespan; and SCORM 1.2 CMITime, which shares their digits.
 * Lengths are counted in hundredths of a second, SCORM's own precision.
 */
#include <stdio.h>
#include <string.h>

#include "util/time.h"
#include "util/util.h"

#define CENTIS_SECOND INT64_C(100)
#define CENTIS_MINUTE (60 * CENTIS_SECOND)
#define CENTIS_HOUR   (60 * CENTIS_MINUTE)
#define CENTIS_DAY    (24 * CENTIS_HOUR)
#define CENTIS_WEEK   (7 * CENTIS_DAY)
#define CENTIS_MONTH  (30 * CENTIS_DAY) /* as the header documents */
#define CENTIS_YEAR   (365 * CENTIS_DAY)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int64_t sat_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t sat_mul(int64_t a, int64_t b)
{
	return b != 0 && a > INT64_MAX / b ? INT64_MAX : a * b;
}

typedef struct {
	const char *p;
	const char *why;
} cursor;

/* One designated component: digits [ '.' digits ] letter. */
typedef struct {
	const char *start; /* first digit */
	size_t int_len;    /* digits before the point */
	const char *frac;  /* first fraction digit, NULL when none */
	size_t frac_len;
	char designator; /* the letter after the number */
} component;

/* Reads a number and its designator letter; false when there is no number. */
static bool take_component(cursor *c, component *out)
{
	const char *p = c->p;

	memset(out, 0, sizeof(*out));
	out->start = p;
	while (is_digit(*p))
		p++;
	out->int_len = (size_t)(p - out->start);
	if (out->int_len == 0) {
		if (*p == '.' || *p == ',')
			c->why = "a digit is needed before the decimal point";
		return false;
	}
	if (*p == '.') {
		p++;
		out->frac = p;
		while (is_digit(*p))
			p++;
		out->frac_len = (size_t)(p - out->frac);
		if (out->frac_len == 0) {
			c->why = "digits expected after '.'";
			return false;
		}
	}
	if (*p == '\0') {
		c->why = "a number without its designator (Y, M, W, D, H or S)";
		return false;
	}
	out->designator = *p++;
	c->p = p;
	return true;
}

/*
 * The component's length in hundredths: the integer part saturates; the
 * fraction is taken exactly (floor) to the hundredth however many digits it
 * has, since Horner's rule from the last digit keeps every step an exact
 * floor: floor((d + floor(x)) / 10) == floor((d + x) / 10).
 */
static int64_t component_centis(const component *k, int64_t unit)
{
	int64_t whole = 0, part = 0;
	size_t i;

	for (i = 0; i < k->int_len; i++)
		whole = sat_add(sat_mul(whole, 10), k->start[i] - '0');
	whole = sat_mul(whole, unit);
	for (i = k->frac_len; i > 0; i--)
		part = ((k->frac[i - 1] - '0') * unit + part) / 10;
	return sat_add(whole, part);
}

/*
 * P[nY][nM][nD][T[nH][nM][nS]] (SCORM 2004 RTE book 4.1.1.7 and ISO 8601
 * 4.4.3.2) or PnW (xAPI only). SCORM 2004: a fraction only on the seconds,
 * at most two digits. xAPI: any number of fraction digits, on the last
 * component written only (ISO 8601 4.4.3.2). Both: at least one component,
 * at least one after T, and each designator once, in order.
 */
static bool parse_iso(cursor *c, somo__dur_dialect d, int64_t *total)
{
	static const struct {
		char letter;
		bool time;
		int64_t unit;
	} order[] = {
	    {'Y', false, CENTIS_YEAR}, {'M', false, CENTIS_MONTH}, {'D', false, CENTIS_DAY},
	    {'H', true, CENTIS_HOUR},  {'M', true, CENTIS_MINUTE}, {'S', true, CENTIS_SECOND},
	};
	size_t next = 0, i;
	bool in_time = false, any = false, any_time = false, had_fraction = false;
	component k;

	if (*c->p != 'P') {
		c->why = "a duration starts with 'P'";
		return false;
	}
	c->p++;
	*total = 0;
	for (;;) {
		if (*c->p == '\0')
			break;
		if (*c->p == 'T' && !in_time) {
			in_time = true;
			c->p++;
			while (next < SOMO__ARRAY_SIZE(order) && !order[next].time)
				next++;
			continue;
		}
		if (!take_component(c, &k)) {
			if (!c->why)
				c->why = "a number expected";
			return false;
		}
		if (had_fraction) {
			c->why = "only the last component may have a fraction";
			return false;
		}
		if (k.designator == 'W' && !in_time && d == SOMO__DUR_XAPI && !any) {
			if (*c->p != '\0') {
				c->why = "weeks (PnW) cannot be combined with other components";
				return false;
			}
			*total = component_centis(&k, CENTIS_WEEK);
			return true;
		}
		for (i = next; i < SOMO__ARRAY_SIZE(order); i++)
			if (order[i].letter == k.designator && order[i].time == in_time)
				break;
		if (i == SOMO__ARRAY_SIZE(order)) {
			c->why = in_time ? "H, M or S expected after T, in that order"
			                 : "Y, M or D expected before T, in that order";
			return false;
		}
		if (k.frac) {
			if (d == SOMO__DUR_SCORM2004 && (k.designator != 'S' || k.frac_len > 2)) {
				c->why = "a fraction only on the seconds, at most two digits";
				return false;
			}
			had_fraction = true;
		}
		*total = sat_add(*total, component_centis(&k, order[i].unit));
		next = i + 1;
		any = true;
		if (in_time)
			any_time = true;
	}
	if (!any) {
		c->why = "at least one component is needed after 'P'";
		return false;
	}
	if (in_time && !any_time) {
		c->why = "'T' must be followed by hours, minutes or seconds";
		return false;
	}
	return true;
}

/* Exactly n digits, no more. */
static bool take_fixed(cursor *c, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (!is_digit(c->p[i]))
			return false;
		x = x * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*v = x;
	return true;
}

/*
 * :MM:SS[.S[S]] into hundredths. A clock (CMITime) has minutes and seconds
 * 00..59; a CMITimespan only "exactly 2 digits" (SCORM 1.2 RTE 3.4.2), so
 * "00:75:00" is 75 minutes there.
 */
static bool parse_min_sec(cursor *c, bool clock, int64_t *centis)
{
	int mm, ss, f = 0, n = 0, max = clock ? 59 : 99;

	if (*c->p != ':' || (c->p++, !take_fixed(c, 2, &mm)) || mm > max) {
		c->why = clock ? ":MM expected (00..59)" : ":MM expected (two digits)";
		return false;
	}
	if (*c->p != ':' || (c->p++, !take_fixed(c, 2, &ss)) || ss > max) {
		c->why = clock ? ":SS expected (00..59)" : ":SS expected (two digits)";
		return false;
	}
	if (*c->p == '.') {
		c->p++;
		while (is_digit(*c->p) && n < 2) {
			f = f * 10 + (*c->p - '0');
			c->p++;
			n++;
		}
		if (n == 0 || is_digit(*c->p)) {
			c->why = "one or two digits expected after '.'";
			return false;
		}
		if (n == 1)
			f *= 10;
	}
	*centis = mm * CENTIS_MINUTE + ss * CENTIS_SECOND + f;
	return true;
}

/* SCORM 1.2 CMITimespan: HHHH:MM:SS[.S[S]], two to four digits of hours. */
static bool parse_scorm12_span(cursor *c, int64_t *centis)
{
	int hours = 0, n = 0;
	int64_t rest;

	while (is_digit(*c->p) && n < 4) {
		hours = hours * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	if (n < 2 || is_digit(*c->p)) {
		c->why = "two to four digits of hours expected";
		return false;
	}
	if (!parse_min_sec(c, false, &rest))
		return false;
	*centis = hours * CENTIS_HOUR + rest;
	return true;
}

int somo__duration_parse(const char *s, somo__dur_dialect d, int64_t *centis)
{
	cursor c;
	int64_t total = 0;
	bool ok;
	const char *name;

	if (!s)
		return somo__error(SOMO_EINVAL, "no duration given");
	c.p = s;
	c.why = NULL;
	switch (d) {
	case SOMO__DUR_SCORM2004:
		name = "SCORM 2004 timeinterval";
		ok = parse_iso(&c, d, &total);
		break;
	case SOMO__DUR_XAPI:
		name = "xAPI duration";
		ok = parse_iso(&c, d, &total);
		break;
	case SOMO__DUR_SCORM12:
		name = "SCORM 1.2 CMITimespan";
		ok = parse_scorm12_span(&c, &total);
		break;
	default:
		return somo__error(SOMO_EINVAL, "unknown duration dialect %d", (int)d);
	}
	if (ok && *c.p != '\0') {
		ok = false;
		c.why = "unexpected text after the duration";
	}
	if (!ok)
		return somo__error(SOMO_EINVALID, "'%.40s%s' is not a valid %s: %s", s,
		                   strlen(s) > 40 ? "..." : "", name, c.why ? c.why : "malformed");
	if (centis)
		*centis = total;
	return 0;
}

int somo__duration_format(int64_t centis, somo__dur_dialect d, char *buf, size_t size)
{
	int64_t hours = centis / CENTIS_HOUR;
	int minutes = (int)(centis / CENTIS_MINUTE % 60);
	int seconds = (int)(centis / CENTIS_SECOND % 60);
	int hundredths = (int)(centis % CENTIS_SECOND);
	char tmp[64];
	size_t len = 0;
	int n;

	if (!buf || centis < 0)
		return somo__error(SOMO_EINVAL, "a duration cannot be negative");
	switch (d) {
	case SOMO__DUR_SCORM12:
		if (hours > 9999)
			return somo__error(SOMO_ELIMIT, "CMITimespan holds at most 9999 hours");
		n = snprintf(tmp, sizeof(tmp), "%04d:%02d:%02d.%02d", (int)hours, minutes, seconds,
		             hundredths);
		len = (size_t)n;
		break;
	case SOMO__DUR_SCORM2004:
	case SOMO__DUR_XAPI:
		memcpy(tmp, "PT", 2);
		len = 2;
		if (hours > 0)
			len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%lldH",
			                        (long long)hours);
		if (minutes > 0)
			len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%dM", minutes);
		if (seconds > 0 || hundredths > 0 || centis == 0) {
			len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, "%d", seconds);
			if (hundredths % 10)
				len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, ".%02d",
				                        hundredths);
			else if (hundredths)
				len += (size_t)snprintf(tmp + len, sizeof(tmp) - len, ".%d",
				                        hundredths / 10);
			tmp[len++] = 'S';
			tmp[len] = '\0';
		}
		break;
	default:
		return somo__error(SOMO_EINVAL, "unknown duration dialect %d", (int)d);
	}
	if (len >= size)
		return somo__error(SOMO_ELIMIT, "duration buffer too small (%zu bytes)", size);
	memcpy(buf, tmp, len + 1);
	return 0;
}

bool somo__scorm12_time_valid(const char *s)
{
	cursor c = {s, NULL};
	int hh;
	int64_t rest;

	if (!s || !take_fixed(&c, 2, &hh) || hh > 23)
		return false;
	return parse_min_sec(&c, true, &rest) && *c.p == '\0';
}
