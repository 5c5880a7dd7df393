/*
 * Fuzzes every date-time and duration parser and formatter of
 * lib/util/time.h on one input, and checks what must hold between them:
 * a duration read, formatted and read again keeps its length; a timestamp
 * read, formatted and read again keeps its instant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/time.h"

#define INPUT_MAX 4096

static void check_duration(const char *s, somo__dur_dialect d)
{
	int64_t centis = -1, back = -1;
	char buf[64];

	if (somo__duration_parse(s, d, &centis) != 0)
		return;
	if (centis < 0)
		abort();
	if (somo__duration_format(centis, d, buf, sizeof(buf)) != 0) {
		/* only SCORM 1.2 has a ceiling: 9999 hours */
		if (d != SOMO__DUR_SCORM12)
			abort();
		return;
	}
	if (centis == INT64_MAX)
		return; /* saturated: the text said more than fits */
	if (somo__duration_parse(buf, d, &back) != 0 || back != centis)
		abort();
}

static void check_time(const char *s, somo__time_dialect d)
{
	somo__time t, again;
	int64_t epoch;
	int32_t nanos, back_nanos;
	char buf[32];

	if (somo__time_parse(s, d, &t) != 0)
		return;
	if (t.precision < 1 || t.precision > 6 || t.nanos < 0 || t.nanos > 999999999)
		abort();
	epoch = somo__time_epoch(&t, &nanos);
	if (somo__time_format_xapi(epoch, nanos, buf, sizeof(buf)) != 0)
		return; /* beyond year 9999 or before 0000 after the offset */
	if (somo__time_parse(buf, SOMO__TIME_XAPI, &again) != 0)
		abort();
	/* leap second 60 reads as the next second's instant; both agree */
	if (somo__time_epoch(&again, &back_nanos) != epoch ||
	    back_nanos != nanos / 1000000 * 1000000)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > INPUT_MAX)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_time(s, SOMO__TIME_SCORM2004);
	check_time(s, SOMO__TIME_XAPI);
	check_duration(s, SOMO__DUR_SCORM2004);
	check_duration(s, SOMO__DUR_XAPI);
	check_duration(s, SOMO__DUR_SCORM12);
	(void)somo__scorm12_time_valid(s);

	/* the formatters on raw numbers */
	if (size >= 12) {
		int64_t n;
		int32_t ns;
		char buf[64];
		memcpy(&n, data, sizeof(n));
		memcpy(&ns, data + 8, sizeof(ns));
		(void)somo__time_format_xapi(n, ns, buf, sizeof(buf));
		(void)somo__time_format_xapi(n, ns, buf, (size_t)(data[0] % 40));
		(void)somo__duration_format(n, SOMO__DUR_SCORM2004, buf, (size_t)(data[1] % 40));
		(void)somo__duration_format(n, SOMO__DUR_XAPI, buf, sizeof(buf));
		(void)somo__duration_format(n, SOMO__DUR_SCORM12, buf, sizeof(buf));
	}
	free(s);
	return 0;
}
