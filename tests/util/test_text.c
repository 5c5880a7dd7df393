/*
 * UTF-8, UUIDs, IRIs and language tags (lib/util/text.h): the cases in
 * data/text-cases.txt, then UUID generation.
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
#include "util/text.h"
#include "util/util.h"

typedef struct {
	int failures;
	int run;
} tally;

static void run_case(const test_case *c, void *payload)
{
	tally *t = payload;
	const char *k = c->field[0], *in = c->field[1];
	bool want, got;

	t->run++;
	if (strcmp(c->field[2], "valid") != 0 && strcmp(c->field[2], "invalid") != 0) {
		fprintf(stderr, "text-cases.txt:%d: EXPECT must be valid or invalid\n", c->line);
		t->failures++;
		return;
	}
	want = strcmp(c->field[2], "valid") == 0;
	if (strcmp(k, "utf8") == 0)
		got = somo__utf8_valid(in, c->input_len);
	else if (strcmp(k, "uuid") == 0)
		got = somo__uuid_valid(in);
	else if (strcmp(k, "iri") == 0)
		got = somo__iri_valid(in);
	else if (strcmp(k, "langtag") == 0)
		got = somo__langtag_valid(in);
	else {
		fprintf(stderr, "text-cases.txt:%d: unknown KIND '%s'\n", c->line, k);
		t->failures++;
		return;
	}
	if (got != want) {
		fprintf(stderr, "text-cases.txt:%d: %s '%s': expected %s\n", c->line, k, in,
		        c->field[2]);
		t->failures++;
	}
	if (got && strcmp(k, "utf8") == 0 && c->nfields > 3 &&
	    somo__utf8_length(in, c->input_len) != (size_t)strtoul(c->field[3], NULL, 10)) {
		fprintf(stderr, "text-cases.txt:%d: length %zu, expected %s\n", c->line,
		        somo__utf8_length(in, c->input_len), c->field[3]);
		t->failures++;
	}
}

static void data_cases(void **state)
{
	tally t = {0, 0};
	int n;
	(void)state;

	n = cases_each("data/text-cases.txt", run_case, &t);
	fprintf(stderr, "%d text cases, %d failed\n", t.run, t.failures);
	assert_true(n > 150);
	assert_int_equal(t.failures, 0);
}

static void utf8_edges(void **state)
{
	uint32_t cp = 0;
	(void)state;

	/* the length given is what is checked, NULs included */
	assert_true(somo__utf8_valid("a\0b", 3));
	assert_false(somo__utf8_valid("\xc3\xa9", 1));
	assert_true(somo__utf8_valid(NULL, 0));
	assert_false(somo__utf8_valid(NULL, 1));
	assert_int_equal(somo__utf8_length(NULL, 4), 0);
	assert_int_equal(somo__utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(somo__utf8_decode("\xf0\x9f\x98\x80", 3, &cp), 0);
	assert_int_equal(somo__utf8_decode("", 0, &cp), 0);
	assert_int_equal(somo__utf8_decode("A", 1, NULL), 1);
}

/* Every code point encodes and decodes; the valid set is exactly the
 * scalar values. */
static void utf8_every_code_point(void **state)
{
	uint32_t c;
	(void)state;

	for (c = 0; c <= 0x10FFFF; c++) {
		char b[4];
		size_t n;
		uint32_t back = 0;

		if (c < 0x80) {
			b[0] = (char)c;
			n = 1;
		} else if (c < 0x800) {
			b[0] = (char)(0xC0 | (c >> 6));
			b[1] = (char)(0x80 | (c & 0x3F));
			n = 2;
		} else if (c < 0x10000) {
			b[0] = (char)(0xE0 | (c >> 12));
			b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			b[2] = (char)(0x80 | (c & 0x3F));
			n = 3;
		} else {
			b[0] = (char)(0xF0 | (c >> 18));
			b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
			b[3] = (char)(0x80 | (c & 0x3F));
			n = 4;
		}
		if (c >= 0xD800 && c <= 0xDFFF) {
			assert_false(somo__utf8_valid(b, n));
			continue;
		}
		assert_true(somo__utf8_valid(b, n));
		assert_int_equal(somo__utf8_decode(b, n, &back), n);
		assert_int_equal(back, c);
		assert_int_equal(somo__utf8_length(b, n), 1);
	}
}

static void uuid_v4_generated(void **state)
{
	char a[37], b[37];
	int i;
	(void)state;

	for (i = 0; i < 1000; i++) {
		assert_int_equal(somo__uuid_v4(a), 0);
		assert_int_equal(strlen(a), 36);
		assert_true(somo__uuid_valid(a));
		assert_int_equal(a[14], '4');           /* version */
		assert_non_null(strchr("89ab", a[19])); /* variant */
		for (const char *p = a; *p; p++)
			assert_true(*p == '-' || (*p >= '0' && *p <= '9') ||
			            (*p >= 'a' && *p <= 'f'));
		assert_int_equal(somo__uuid_v4(b), 0);
		assert_string_not_equal(a, b);
	}
	assert_int_equal(somo__uuid_v4(NULL), SOMO_EINVAL);
}

/* Inputs far longer than any real value. */
static void long_inputs(void **state)
{
	size_t n = 1 << 20, i;
	char *s = malloc(n + 32);
	(void)state;

	assert_non_null(s);
	/* a 1 MiB IRI: valid, then one bad byte at the end */
	memcpy(s, "http://example.com/", 19);
	for (i = 19; i < n; i++)
		s[i] = (char)('a' + i % 26);
	s[n] = '\0';
	assert_true(somo__iri_valid(s));
	assert_true(somo__utf8_valid(s, n));
	s[n - 1] = ' ';
	assert_false(somo__iri_valid(s));

	/* language tags: 64 subtags are taken, 65 refused */
	strcpy(s, "en-x");
	for (i = 2; i < 64; i++)
		strcat(s, "-a");
	assert_true(somo__langtag_valid(s));
	strcat(s, "-a");
	assert_false(somo__langtag_valid(s));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(data_cases),
	    cmocka_unit_test(utf8_edges),
	    cmocka_unit_test(utf8_every_code_point),
	    cmocka_unit_test(uuid_v4_generated),
	    cmocka_unit_test(long_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
