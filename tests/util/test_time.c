/*
 * ISO 8601 date-times and durations (lib/util/time.h): the cases in
 * data/time-cases.txt, then round trips of the formatters through the parsers.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases.h"
#include "somo/common.h"
#include "util/time.h"
#include "util/util.h"

typedef struct {
	int failures;
	int run;
} tally;

static void report(tally *t, const test_case *c, const char *fmt, ...) SOMO__PRINTF(3, 4);
static void report(tally *t, const test_case *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "time-cases.txt:%d: %s '%s': ", c->line, c->field[0], c->field[1]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	t->failures++;
}

static int expect_valid(tally *t, const test_case *c)
{
	if (strcmp(c->field[2], "valid") == 0)
		return 1;
	if (strcmp(c->field[2], "invalid") == 0)
		return 0;
	report(t, c, "EXPECT must be valid or invalid, not '%s'", c->field[2]);
	return -1;
}

static int64_t number(const char *s)
{
	return strtoll(s, NULL, 10);
}

static void check_time(tally *t, const test_case *c, somo__time_dialect d)
{
	somo__time tm;
	int want = expect_valid(t, c), rc;

	if (want < 0)
		return;
	memset(&tm, 0x5a, sizeof(tm));
	rc = somo__time_parse(c->field[1], d, &tm);
	if ((rc == 0) != want) {
		report(t, c, "expected %s, got %d (%s)", c->field[2], rc,
		       somo_error_last()->message);
		return;
	}
	if (rc != 0 && (rc != SOMO_EINVALID || somo_error_last()->message[0] == '\0'))
		report(t, c, "a refusal must be SOMO_EINVALID with a message, got %d", rc);
	if (rc == 0 && c->nfields > 3) {
		int32_t nanos = -1;
		int64_t epoch = somo__time_epoch(&tm, &nanos);
		int64_t want_nanos = c->nfields > 4 ? number(c->field[4]) : 0;
		if (epoch != number(c->field[3]) || nanos != want_nanos)
			report(t, c, "epoch %" PRId64 ".%09d, expected %s.%09" PRId64, epoch,
			       (int)nanos, c->field[3], want_nanos);
	}
	/* out may be NULL */
	if (somo__time_parse(c->field[1], d, NULL) != rc)
		report(t, c, "result differs when out is NULL");
}

static void check_duration(tally *t, const test_case *c, somo__dur_dialect d)
{
	int64_t centis = -12345;
	int want = expect_valid(t, c), rc;

	if (want < 0)
		return;
	rc = somo__duration_parse(c->field[1], d, &centis);
	if ((rc == 0) != want) {
		report(t, c, "expected %s, got %d (%s)", c->field[2], rc,
		       somo_error_last()->message);
		return;
	}
	if (rc != 0 && (rc != SOMO_EINVALID || somo_error_last()->message[0] == '\0'))
		report(t, c, "a refusal must be SOMO_EINVALID with a message, got %d", rc);
	if (rc == 0 && c->nfields > 3 && centis != number(c->field[3]))
		report(t, c, "%" PRId64 " centiseconds, expected %s", centis, c->field[3]);
	if (somo__duration_parse(c->field[1], d, NULL) != rc)
		report(t, c, "result differs when centis is NULL");
	if (rc == 0 && centis < INT64_MAX) {
		/* Formatting what was read and reading it again keeps the length. */
		char buf[64];
		int64_t again = -1;
		if (somo__duration_format(centis, d, buf, sizeof(buf)) == 0 &&
		    (somo__duration_parse(buf, d, &again) != 0 || again != centis))
			report(t, c, "formatted as '%s', which reads back as %" PRId64, buf, again);
	}
}

static void check_format(tally *t, const test_case *c, somo__dur_dialect d)
{
	char buf[64];
	int rc = somo__duration_format(number(c->field[1]), d, buf, sizeof(buf));

	if (strcmp(c->field[2], "limit") == 0 || strcmp(c->field[2], "invalid") == 0) {
		int code = c->field[2][0] == 'l' ? SOMO_ELIMIT : SOMO_EINVAL;
		if (rc != code)
			report(t, c, "expected %s, got %d ('%s')", c->field[2], rc, rc ? "" : buf);
		return;
	}
	if (rc != 0 || strcmp(buf, c->field[2]) != 0)
		report(t, c, "got %d '%s', expected '%s'", rc, rc ? "" : buf, c->field[2]);
}

static void check_format_ts(tally *t, const test_case *c)
{
	char buf[64];
	int32_t nanos = c->nfields > 3 ? (int32_t)number(c->field[3]) : 0;
	int rc = somo__time_format_xapi(number(c->field[1]), nanos, buf, sizeof(buf));

	if (strcmp(c->field[2], "limit") == 0 || strcmp(c->field[2], "invalid") == 0) {
		int code = c->field[2][0] == 'l' ? SOMO_ELIMIT : SOMO_EINVAL;
		if (rc != code)
			report(t, c, "expected %s, got %d", c->field[2], rc);
		return;
	}
	if (rc != 0 || strcmp(buf, c->field[2]) != 0) {
		report(t, c, "got %d '%s', expected '%s'", rc, rc ? "" : buf, c->field[2]);
		return;
	}
	/* What Somo writes, its own parser reads back to the same millisecond. */
	{
		somo__time tm;
		int32_t back_nanos;
		if (somo__time_parse(buf, SOMO__TIME_XAPI, &tm) != 0 ||
		    somo__time_epoch(&tm, &back_nanos) != number(c->field[1]) ||
		    back_nanos != nanos / 1000000 * 1000000)
			report(t, c, "'%s' does not read back", buf);
	}
}

static void run_case(const test_case *c, void *payload)
{
	tally *t = payload;
	const char *k = c->field[0];

	t->run++;
	if (strcmp(k, "t2004") == 0)
		check_time(t, c, SOMO__TIME_SCORM2004);
	else if (strcmp(k, "txapi") == 0)
		check_time(t, c, SOMO__TIME_XAPI);
	else if (strcmp(k, "d2004") == 0)
		check_duration(t, c, SOMO__DUR_SCORM2004);
	else if (strcmp(k, "dxapi") == 0)
		check_duration(t, c, SOMO__DUR_XAPI);
	else if (strcmp(k, "d12") == 0)
		check_duration(t, c, SOMO__DUR_SCORM12);
	else if (strcmp(k, "t12") == 0) {
		int want = expect_valid(t, c);
		if (want >= 0 && somo__scorm12_time_valid(c->field[1]) != (want == 1))
			report(t, c, "expected %s", c->field[2]);
	} else if (strcmp(k, "f2004") == 0)
		check_format(t, c, SOMO__DUR_SCORM2004);
	else if (strcmp(k, "fxapi") == 0)
		check_format(t, c, SOMO__DUR_XAPI);
	else if (strcmp(k, "f12") == 0)
		check_format(t, c, SOMO__DUR_SCORM12);
	else if (strcmp(k, "fts") == 0)
		check_format_ts(t, c);
	else
		report(t, c, "unknown KIND");
}

static void data_cases(void **state)
{
	tally t = {0, 0};
	int n;
	(void)state;

	n = cases_each("data/time-cases.txt", run_case, &t);
	fprintf(stderr, "%d date-time and duration cases, %d failed\n", t.run, t.failures);
	assert_true(n > 300);
	assert_int_equal(t.failures, 0);
}

/* Every length in hundredths formats and reads back unchanged, in every
 * dialect (SCORM 1.2 up to its 9999 hours). */
static void duration_round_trip(void **state)
{
	static const somo__dur_dialect dialects[] = {SOMO__DUR_SCORM2004, SOMO__DUR_XAPI,
	                                             SOMO__DUR_SCORM12};
	uint64_t x = 0x9E3779B97F4A7C15u;
	int i, failures = 0;
	(void)state;

	for (i = 0; i < 200000; i++) {
		int64_t centis, back = -1;
		size_t k;
		char buf[64];

		if (i < 10000)
			centis = i; /* every value of the first 100 seconds */
		else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* a spread of magnitudes up to INT64_MAX */
			centis = (int64_t)((x >> 1) >> (x % 63));
		}
		for (k = 0; k < SOMO__ARRAY_SIZE(dialects); k++) {
			int rc = somo__duration_format(centis, dialects[k], buf, sizeof(buf));
			if (dialects[k] == SOMO__DUR_SCORM12 && centis >= INT64_C(3600000000)) {
				if (rc != SOMO_ELIMIT)
					failures++;
				continue;
			}
			if (rc != 0 || somo__duration_parse(buf, dialects[k], &back) != 0 ||
			    back != centis) {
				if (failures++ < 10)
					fprintf(stderr, "%" PRId64 " -> '%s' -> %" PRId64 "\n",
					        centis, buf, back);
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void duration_format_buffer_limits(void **state)
{
	char buf[8];
	(void)state;

	assert_int_equal(somo__duration_format(634, SOMO__DUR_SCORM2004, buf, 8), 0);
	assert_string_equal(buf, "PT6.34S");
	assert_int_equal(somo__duration_format(634, SOMO__DUR_SCORM2004, buf, 7), SOMO_ELIMIT);
	assert_int_equal(somo__duration_format(0, SOMO__DUR_SCORM12, buf, 8), SOMO_ELIMIT);
	assert_int_equal(somo__duration_format(0, SOMO__DUR_SCORM2004, NULL, 8), SOMO_EINVAL);
	assert_int_equal(somo__duration_format(0, (somo__dur_dialect)9, buf, 8), SOMO_EINVAL);
	assert_int_equal(somo__duration_parse(NULL, SOMO__DUR_XAPI, NULL), SOMO_EINVAL);
	assert_int_equal(somo__duration_parse("PT1S", (somo__dur_dialect)9, NULL), SOMO_EINVAL);
	assert_false(somo__scorm12_time_valid(NULL));
}

static void time_fields(void **state)
{
	somo__time t;
	char buf[25];
	(void)state;

	assert_int_equal(somo__time_parse("2004-04-01T09:45:58.55+02:30", SOMO__TIME_SCORM2004, &t),
	                 0);
	assert_int_equal(t.year, 2004);
	assert_int_equal(t.month, 4);
	assert_int_equal(t.day, 1);
	assert_int_equal(t.hour, 9);
	assert_int_equal(t.minute, 45);
	assert_int_equal(t.second, 58);
	assert_int_equal(t.nanos, 550000000);
	assert_int_equal(t.fraction_digits, 2);
	assert_true(t.has_offset);
	assert_int_equal(t.offset_minutes, 150);
	assert_int_equal(t.precision, 6);

	assert_int_equal(somo__time_parse("2004-04", SOMO__TIME_SCORM2004, &t), 0);
	assert_int_equal(t.precision, 2);
	assert_int_equal(t.day, 0);
	assert_int_equal(t.hour, -1);
	assert_int_equal(t.minute, -1);
	assert_int_equal(t.second, -1);
	assert_false(t.has_offset);
	assert_int_equal(t.fraction_digits, 0);

	assert_int_equal(somo__time_parse("2004-04-01T15", SOMO__TIME_SCORM2004, &t), 0);
	assert_int_equal(t.precision, 4);
	assert_int_equal(
	    somo__time_parse("2008-09-15T15:53:00.0123456789123-05:00", SOMO__TIME_XAPI, &t), 0);
	assert_int_equal(t.fraction_digits, 13);
	assert_int_equal(t.nanos, 12345678);
	assert_int_equal(t.offset_minutes, -300);

	assert_int_equal(somo__time_parse(NULL, SOMO__TIME_XAPI, &t), SOMO_EINVAL);
	assert_int_equal(somo__time_parse("2004", (somo__time_dialect)7, &t), SOMO_EINVAL);
	assert_int_equal(somo__time_epoch(NULL, NULL), 0);

	/* the buffer: 24 characters and the NUL */
	assert_int_equal(somo__time_format_xapi(0, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	assert_int_equal(somo__time_format_xapi(0, 0, buf, 24), SOMO_ELIMIT);
	assert_int_equal(somo__time_format_xapi(0, -1, buf, sizeof(buf)), SOMO_EINVAL);
	assert_int_equal(somo__time_format_xapi(0, 0, NULL, 25), SOMO_EINVAL);
}

/* Every second of a span of days, and instants across four centuries,
 * format and read back. */
static void timestamp_round_trip(void **state)
{
	int64_t s;
	int failures = 0;
	(void)state;

	for (s = -86400 * 3; s < 253402300799; s += 86399 * 37 + 13) {
		char buf[32];
		somo__time t;
		int32_t nanos = (int32_t)((s % 1000) * 1000000);
		int32_t back_nanos;
		if (nanos < 0)
			nanos = -nanos;
		if (somo__time_format_xapi(s, nanos, buf, sizeof(buf)) != 0 ||
		    somo__time_parse(buf, SOMO__TIME_XAPI, &t) != 0 ||
		    somo__time_epoch(&t, &back_nanos) != s || back_nanos != nanos) {
			if (failures++ < 10)
				fprintf(stderr, "%" PRId64 " -> '%s'\n", s, buf);
		}
	}
	assert_int_equal(failures, 0);
}

static void now_is_recent(void **state)
{
	int64_t a, b;
	int32_t na = -1, nb = -1;
	char buf[25];
	(void)state;

	somo__time_now(&a, &na);
	somo__time_now(&b, &nb);
	assert_true(a > 1767225600); /* after 2026-01-01 */
	assert_true(b > a || (b == a && nb >= na));
	assert_true(na >= 0 && na < 1000000000);
	assert_int_equal(somo__time_format_xapi(a, na, buf, sizeof(buf)), 0);
	assert_int_equal(somo__time_parse(buf, SOMO__TIME_XAPI, NULL), 0);
	somo__time_now(NULL, NULL);
}

/* Inputs far longer than any real value: linear, bounded, saturating. */
static void long_inputs(void **state)
{
	size_t n = 200000, i;
	char *s = malloc(n + 8);
	int64_t centis = -1;
	(void)state;

	assert_non_null(s);
	/* PT999...9S saturates */
	memcpy(s, "PT", 2);
	memset(s + 2, '9', n);
	memcpy(s + 2 + n, "S", 2);
	assert_int_equal(somo__duration_parse(s, SOMO__DUR_XAPI, &centis), 0);
	assert_true(centis == INT64_MAX);
	assert_int_equal(somo__duration_parse(s, SOMO__DUR_SCORM2004, &centis), 0);
	assert_true(centis == INT64_MAX);
	/* P000...01D is one day */
	s[0] = 'P';
	memset(s + 1, '0', n);
	memcpy(s + 1 + n, "1D", 3);
	assert_int_equal(somo__duration_parse(s, SOMO__DUR_SCORM2004, &centis), 0);
	assert_true(centis == 8640000);
	/* PT0.999...9S: every fraction digit read, the length truncated */
	memcpy(s, "PT0.", 4);
	memset(s + 4, '9', n);
	memcpy(s + 4 + n, "S", 2);
	assert_int_equal(somo__duration_parse(s, SOMO__DUR_XAPI, &centis), 0);
	assert_true(centis == 99);
	assert_int_equal(somo__duration_parse(s, SOMO__DUR_SCORM2004, NULL), SOMO_EINVALID);
	/* a timestamp with a very long fraction */
	memcpy(s, "2026-12-04T20:40:23.", 20);
	for (i = 20; i < n; i++)
		s[i] = (char)('0' + i % 10);
	memcpy(s + n, "Z", 2);
	assert_int_equal(somo__time_parse(s, SOMO__TIME_XAPI, NULL), 0);
	assert_int_equal(somo__time_parse(s, SOMO__TIME_SCORM2004, NULL), SOMO_EINVALID);
	/* the error message stays short */
	assert_true(strlen(somo_error_last()->message) < 200);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(data_cases),
	    cmocka_unit_test(duration_round_trip),
	    cmocka_unit_test(duration_format_buffer_limits),
	    cmocka_unit_test(time_fields),
	    cmocka_unit_test(timestamp_round_trip),
	    cmocka_unit_test(now_is_recent),
	    cmocka_unit_test(long_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
