/*
 * ISO 8601 date-times as SCORM 2004 and xAPI write them: parsing, the
 * instant they denote, and the xAPI form Somo writes.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/time.h"
#include "util/util.h"

/* Cursor over the text being parsed; why says what went wrong first. */
typedef struct {
	const char *p;
	const char *why;
} cursor;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Exactly n digits into *v; false (cursor untouched) otherwise. */
static bool take_digits(cursor *c, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (!is_digit(c->p[i]))
			return false;
		x = x * 10 + (c->p[i] - '0');
	}
	if (is_digit(c->p[n]))
		return false; /* more digits than the field has */
	c->p += n;
	*v = x;
	return true;
}

/* The character ch, never stepping past the end of the text. */
static bool take_char(cursor *c, char ch)
{
	if (*c->p != ch)
		return false;
	c->p++;
	return true;
}

static bool fail(cursor *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return false;
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The fraction of a second after '.', at most max digits (0: any number). */
static bool take_fraction(cursor *c, int max, somo__time *t)
{
	size_t n = 0;
	int32_t nanos = 0;

	while (is_digit(c->p[n])) {
		if (n < 9)
			nanos = nanos * 10 + (c->p[n] - '0');
		n++;
		if (max && n > (size_t)max)
			return fail(c, "too many fraction digits in the seconds");
	}
	if (n == 0)
		return fail(c, "digits expected after '.'");
	for (size_t i = n; i < 9; i++)
		nanos *= 10;
	c->p += n;
	t->nanos = nanos;
	t->fraction_digits = n > INT_MAX ? INT_MAX : (int)n; /* saturates */
	return true;
}

/*
 * A time zone designator: "Z", +hh, -hh, +hh:mm, -hh:mm. SCORM 2004 takes all
 * of them (RTE book 4.1.1.7, hh 00..23, mm 00..59). xAPI takes "Z", +hh:mm and
 * +hh, and refuses the "unknown offset" -00 / -00:00 (RFC 3339 4.3), as its
 * conformance suite does.
 */
static bool take_offset(cursor *c, somo__time_dialect d, somo__time *t)
{
	int sign, hh, mm = 0;

	if (*c->p == 'Z') {
		c->p++;
		t->has_offset = true;
		t->offset_minutes = 0;
		return true;
	}
	if (*c->p != '+' && *c->p != '-')
		return fail(c, "a time zone designator (Z, +hh:mm or -hh:mm) expected");
	sign = *c->p == '-' ? -1 : 1;
	c->p++;
	if (!take_digits(c, 2, &hh))
		return fail(c, "two-digit offset hours expected");
	if (hh > 23)
		return fail(c, "offset hours out of range (00..23)");
	if (*c->p == ':') {
		c->p++;
		if (!take_digits(c, 2, &mm))
			return fail(c, "two-digit offset minutes expected");
		if (mm > 59)
			return fail(c, "offset minutes out of range (00..59)");
	}
	if (d == SOMO__TIME_XAPI && sign < 0 && hh == 0 && mm == 0)
		return fail(c, "the offset -00:00 (unknown local offset) is not allowed");
	t->has_offset = true;
	t->offset_minutes = sign * (hh * 60 + mm);
	return true;
}

/*
 * SCORM 2004 time (second,10,0): YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]],
 * year 1970..2038, at most two fraction digits, and (as the RTE book's
 * grammar nests it and ADL's conformance suite checks) a time zone only after
 * a fraction of a second.
 */
static bool parse_scorm2004(cursor *c, somo__time *t)
{
	if (!take_digits(c, 4, &t->year))
		return fail(c, "a four-digit year expected");
	if (t->year < 1970 || t->year > 2038)
		return fail(c, "year out of range (1970..2038)");
	t->precision = 1;
	if (*c->p != '-')
		return true;
	c->p++;
	if (!take_digits(c, 2, &t->month) || t->month < 1 || t->month > 12)
		return fail(c, "month expected (01..12)");
	t->precision = 2;
	if (*c->p != '-')
		return true;
	c->p++;
	if (!take_digits(c, 2, &t->day) || t->day < 1 || t->day > days_in_month(t->year, t->month))
		return fail(c, "day of the month expected (01..28/29/30/31)");
	t->precision = 3;
	if (*c->p != 'T')
		return true;
	c->p++;
	if (!take_digits(c, 2, &t->hour) || t->hour > 23)
		return fail(c, "hour expected (00..23)");
	t->precision = 4;
	if (*c->p != ':')
		return true;
	c->p++;
	if (!take_digits(c, 2, &t->minute) || t->minute > 59)
		return fail(c, "minutes expected (00..59)");
	t->precision = 5;
	if (*c->p != ':')
		return true;
	c->p++;
	if (!take_digits(c, 2, &t->second) || t->second > 59)
		return fail(c, "seconds expected (00..59)");
	t->precision = 6;
	if (*c->p != '.')
		return true;
	c->p++;
	if (!take_fraction(c, 2, t))
		return false;
	if (*c->p == '\0')
		return true;
	return take_offset(c, SOMO__TIME_SCORM2004, t);
}

/*
 * xAPI timestamp: an ISO 8601 complete date-time in extended format,
 * YYYY-MM-DDThh:mm:ss[.f...][Z|+hh:mm|+hh], any number of fraction digits,
 * offset optional (the LRS then takes UTC), second 60 for a leap second.
 */
static bool parse_xapi(cursor *c, somo__time *t)
{
	if (!take_digits(c, 4, &t->year))
		return fail(c, "a four-digit year expected");
	if (!take_char(c, '-') || !take_digits(c, 2, &t->month) || t->month < 1 || t->month > 12)
		return fail(c, "-MM expected (01..12)");
	if (!take_char(c, '-') || !take_digits(c, 2, &t->day) || t->day < 1 ||
	    t->day > days_in_month(t->year, t->month))
		return fail(c, "-DD expected (01..28/29/30/31)");
	if (!take_char(c, 'T'))
		return fail(c, "'T' and the time of day expected");
	if (!take_digits(c, 2, &t->hour) || t->hour > 23)
		return fail(c, "hour expected (00..23)");
	if (!take_char(c, ':') || !take_digits(c, 2, &t->minute) || t->minute > 59)
		return fail(c, ":mm expected (00..59)");
	if (!take_char(c, ':') || !take_digits(c, 2, &t->second) || t->second > 60)
		return fail(c, ":ss expected (00..60)");
	t->precision = 6;
	if (*c->p == '.') {
		c->p++;
		if (!take_fraction(c, 0, t))
			return false;
	}
	if (*c->p == '\0')
		return true;
	return take_offset(c, SOMO__TIME_XAPI, t);
}

int somo__time_parse(const char *s, somo__time_dialect d, somo__time *out)
{
	somo__time t;
	cursor c = {s, NULL};
	bool ok;

	if (!s)
		return somo__error(SOMO_EINVAL, "no date-time given");
	memset(&t, 0, sizeof(t));
	t.hour = t.minute = t.second = -1;
	switch (d) {
	case SOMO__TIME_SCORM2004:
		ok = parse_scorm2004(&c, &t);
		break;
	case SOMO__TIME_XAPI:
		ok = parse_xapi(&c, &t);
		break;
	default:
		return somo__error(SOMO_EINVAL, "unknown date-time dialect %d", (int)d);
	}
	if (ok && *c.p != '\0')
		ok = fail(&c, "unexpected text after the date-time");
	if (!ok)
		return somo__error(SOMO_EINVALID, "'%.40s%s' is not a valid %s: %s", s,
		                   strlen(s) > 40 ? "..." : "",
		                   d == SOMO__TIME_XAPI ? "xAPI timestamp" : "SCORM 2004 time",
		                   c.why ? c.why : "malformed");
	if (out)
		*out = t;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int64_t somo__time_epoch(const somo__time *t, int32_t *nanos)
{
	int64_t days, secs;

	if (!t) {
		if (nanos)
			*nanos = 0;
		return 0;
	}
	days = days_from_civil(t->year, t->month > 0 ? t->month : 1, t->day > 0 ? t->day : 1);
	secs = days * 86400 + (int64_t)(t->hour > 0 ? t->hour : 0) * 3600 +
	       (t->minute > 0 ? t->minute : 0) * 60 + (t->second > 0 ? t->second : 0);
	if (t->has_offset)
		secs -= (int64_t)t->offset_minutes * 60;
	if (nanos)
		*nanos = t->nanos;
	return secs;
}

int somo__time_format_xapi(int64_t epoch_sec, int32_t nanos, char *buf, size_t size)
{
	int64_t days, rem, y;
	int m, d, n;

	if (!buf || nanos < 0 || nanos > 999999999)
		return somo__error(SOMO_EINVAL, "bad instant or buffer for a timestamp");
	/* Keep the arithmetic far from overflow: years 0000..9999 only. */
	if (epoch_sec < -62167219200LL || epoch_sec > 253402300799LL)
		return somo__error(SOMO_ELIMIT, "instant outside the years 0000..9999");
	days = epoch_sec / 86400;
	rem = epoch_sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, m, d,
	             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
	             (int)(nanos / 1000000));
	if (n < 0 || (size_t)n >= size)
		return somo__error(SOMO_ELIMIT, "timestamp buffer too small (%zu bytes)", size);
	return 0;
}

void somo__time_now(int64_t *epoch_sec, int32_t *nanos)
{
	struct timespec ts;

	if (timespec_get(&ts, TIME_UTC) != TIME_UTC) {
		ts.tv_sec = time(NULL);
		ts.tv_nsec = 0;
	}
	if (epoch_sec)
		*epoch_sec = (int64_t)ts.tv_sec;
	if (nanos)
		*nanos = (int32_t)ts.tv_nsec;
}
