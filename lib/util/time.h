/*
 * ISO 8601 date-times and durations exactly as SCORM and xAPI define them.
 *
 * SCORM 2004 time (second,10,0) (RTE book 4.1.1.7, "characterstring"
 * YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], year 1970..2038, at most two
 * fraction digits) and timeinterval (second,10,2) (P[yY][mM][dD][T[hH][nM][s[.s]S]],
 * at most two fraction digits, P alone invalid, T without time part invalid).
 * SCORM 1.2 CMITime (HH:MM:SS[.SS]) and CMITimespan (HHHH:MM:SS[.SS]).
 * xAPI timestamps (ISO 8601 extended, full date-time with optional offset;
 * the xAPI spec's RFC 3339 subset is what its conformance suite accepts) and
 * durations (ISO 8601 durations including weeks, any fraction precision).
 *
 * What each accepts, in detail (tests/util/data/time-cases.txt has the cases,
 * and the tests check ADL's SCORM 2004 CTS and LRS conformance suite agree):
 *
 * - SCORM 2004 time: every field two digits (year four), ranges checked
 *   (day against the month, Feb 29 in leap years only, hour 00..23, no 24,
 *   second 00..59); TZD is "Z", +hh, -hh, +hh:mm or -hh:mm (hh 00..23,
 *   -00 allowed) and only after a fraction of a second, as the RTE book's
 *   nesting says and the CTS checks ("...:58Z" is refused, "...:58.0Z" taken).
 * - xAPI timestamp: YYYY-MM-DDThh:mm:ss[.f...][TZD], year 0000..9999, any
 *   number of fraction digits ('.' only), second 60 for a leap second, TZD
 *   "Z", +hh:mm or +hh (also with '-'); no TZD means UTC. Refused: -00:00,
 *   -00 (RFC 3339's unknown offset, refused by the conformance suite),
 *   basic-format offsets (+0000), 24:00, lowercase 't'/'z', reduced precision.
 * - Durations: the number before each designator is any number of digits
 *   (leading zeros fine); values beyond INT64_MAX hundredths saturate. xAPI
 *   adds PnW (alone: "P4W1D" is refused) and a fraction on the last
 *   component written (any digits, '.' only); SCORM 2004 a fraction on the
 *   seconds only, one or two digits. No sign, no alternative format.
 * - SCORM 1.2: CMITimespan hours two to four digits, minutes and seconds
 *   exactly two digits (the spec gives no range: "00:75:00" is 75 minutes);
 *   CMITime, a clock, hours 00..23, minutes and seconds 00..59. Fractions
 *   one or two digits.
 *
 * All functions are pure and thread-safe; parse failures set the thread's
 * last error (somo_error_last()) with the reason.
 */
#ifndef SOMO_UTIL_TIME_H
#define SOMO_UTIL_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	SOMO__TIME_SCORM2004 = 1, /* time (second,10,0) */
	SOMO__TIME_XAPI = 2       /* xAPI timestamp */
} somo__time_dialect;

typedef struct {
	int year, month, day;     /* month, day 1-based; 0 when absent */
	int hour, minute, second; /* -1 when absent */
	int32_t nanos;            /* fraction of the second */
	int fraction_digits;      /* digits written, 0 when none */
	bool has_offset;          /* a Z or +hh:mm was given */
	int offset_minutes;       /* east of UTC */
	int precision;            /* components given: 1 year .. 6 seconds */
} somo__time;

/* 0 when s is a valid date-time in the dialect (out filled if not NULL,
 * untouched otherwise), SOMO_EINVALID when it is not (the last error says
 * why), SOMO_EINVAL when s is NULL or d unknown. fraction_digits counts every
 * digit written; nanos keeps the first nine. */
int somo__time_parse(const char *s, somo__time_dialect d, somo__time *out);
/* Seconds since 1970-01-01T00:00:00Z (missing parts as their minimum, no
 * offset taken as UTC) and the nanoseconds in the second (nanos may be
 * NULL). A leap second 60 counts as the first second of the next minute.
 * t NULL gives 0. */
int64_t somo__time_epoch(const somo__time *t, int32_t *nanos);
/* Format an instant as xAPI wants it: 2026-12-04T20:40:23.123Z (milliseconds,
 * truncated, UTC) into buf: 25 bytes are enough. Returns 0, SOMO_EINVAL
 * (buf NULL, nanos outside 0..999999999) or SOMO_ELIMIT (buf too small, or
 * the instant outside the years 0000..9999). */
int somo__time_format_xapi(int64_t epoch_sec, int32_t nanos, char *buf, size_t size);
/* The current time (C11 timespec_get, UTC) for timestamps; either pointer
 * may be NULL. */
void somo__time_now(int64_t *epoch_sec, int32_t *nanos);

typedef enum {
	SOMO__DUR_SCORM2004 = 1, /* timeinterval (second,10,2) */
	SOMO__DUR_XAPI = 2,      /* ISO 8601 duration, weeks allowed, any precision */
	SOMO__DUR_SCORM12 = 3    /* CMITimespan HHHH:MM:SS[.SS] */
} somo__dur_dialect;

/* 0 when s is a valid duration in the dialect, SOMO_EINVALID otherwise (the
 * last error says why; SOMO_EINVAL for s NULL or d unknown).
 * centis (if not NULL) gets the length in hundredths of a second, with
 * years as 365 days, months as 30 days and weeks as 7 days (saturating at
 * INT64_MAX); finer fractions are truncated to the hundredth. */
int somo__duration_parse(const char *s, somo__dur_dialect d, int64_t *centis);
/* Format hundredths of a second: SCORM 2004 / xAPI as PT#H#M#.##S, zero
 * components left out and trailing fraction zeros dropped ("PT0S" for zero,
 * "PT1H0.5S"), SCORM 1.2 as HHHH:MM:SS.SS. What is written reads back with
 * somo__duration_parse() in the same dialect as the same length. 32 bytes
 * are always enough. Returns 0, SOMO_ELIMIT (buf too small; SCORM 1.2 beyond
 * 9999 hours) or SOMO_EINVAL (negative centis, buf NULL, d unknown). */
int somo__duration_format(int64_t centis, somo__dur_dialect d, char *buf, size_t size);

/* SCORM 1.2 CMITime: HH:MM:SS[.S[S]] with valid ranges. NULL is not valid. */
bool somo__scorm12_time_valid(const char *s);

#endif
