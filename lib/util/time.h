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

/* 0 when s is a valid date-time in the dialect (out filled if not NULL),
 * SOMO_EINVALID otherwise. */
int somo__time_parse(const char *s, somo__time_dialect d, somo__time *out);
/* Seconds since 1970-01-01T00:00:00Z (missing parts as their minimum, no
 * offset taken as UTC) and the nanoseconds in the second. */
int64_t somo__time_epoch(const somo__time *t, int32_t *nanos);
/* Format an instant as xAPI wants it: 2026-12-04T20:40:23.123Z (milliseconds, UTC). */
int somo__time_format_xapi(int64_t epoch_sec, int32_t nanos, char *buf, size_t size);
/* The current time for timestamps. */
void somo__time_now(int64_t *epoch_sec, int32_t *nanos);

typedef enum {
	SOMO__DUR_SCORM2004 = 1, /* timeinterval (second,10,2) */
	SOMO__DUR_XAPI = 2,      /* ISO 8601 duration, weeks allowed, any precision */
	SOMO__DUR_SCORM12 = 3    /* CMITimespan HHHH:MM:SS[.SS] */
} somo__dur_dialect;

/* 0 when s is a valid duration in the dialect, SOMO_EINVALID otherwise.
 * centis (if not NULL) gets the length in hundredths of a second, with
 * years as 365 days and months as 30 days (saturating at INT64_MAX). */
int somo__duration_parse(const char *s, somo__dur_dialect d, int64_t *centis);
/* Format hundredths of a second: SCORM 2004 / xAPI as PT#H#M#.##S
 * ("PT0S" for zero), SCORM 1.2 as HHHH:MM:SS.SS. Returns 0 or SOMO_ELIMIT. */
int somo__duration_format(int64_t centis, somo__dur_dialect d, char *buf, size_t size);

/* SCORM 1.2 CMITime: HH:MM:SS[.S[S]] with valid ranges. */
bool somo__scorm12_time_valid(const char *s);

#endif
