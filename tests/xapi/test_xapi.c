/*
 * xAPI statements: building, parsing, serialising numbers exactly, and
 * validation cases (tests/xapi/data/validate-cases.jsonl: a statement, the
 * xAPI version and the JSON paths of every problem expected, in any order).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "somo.h"
#include "util/text.h"
#include "xapi/xapi_internal.h"

static somo_xapi_statement *parse(const char *text)
{
	somo_xapi_statement *st = NULL;
	somo_diag d;

	assert_int_equal(somo_xapi_statement_parse(&st, text, strlen(text), NULL, &d), 0);
	return st;
}

static char *to_json(const somo_xapi_statement *st)
{
	char *out = NULL;

	assert_int_equal(somo_xapi_statement_to_json(st, SOMO_XAPI_JSON_SORT_KEYS, &out), 0);
	return out;
}

/* Scores come out as they were written, and every double reads back equal. */
static void numbers_serialise_as_written(void **state)
{
	static const char *const written[] = {"0.8314",
	                                      "0.1",
	                                      "0.95",
	                                      "-0.5",
	                                      "1e-7",
	                                      "123456.789",
	                                      "0.30000000000000004",
	                                      "1.7976931348623157e308"};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		char text[256], want[256], *out;
		somo_xapi_statement *st;
		json_t *back;

		snprintf(text, sizeof(text), "{\"result\":{\"score\":{\"scaled\":%s}}}",
		         written[i]);
		st = parse(text);
		out = to_json(st);
		snprintf(want, sizeof(want), "{\"result\": {\"score\": {\"scaled\": %s}}}",
		         written[i]);
		if (strcmp(out, want) != 0)
			snprintf(want, sizeof(want), "{\"result\":{\"score\":{\"scaled\":%s}}}",
			         written[i]);
		assert_string_equal(out, want);
		back = json_loads(out, 0, NULL);
		assert_non_null(back);
		assert_true(json_real_value(json_object_get(
		                json_object_get(json_object_get(back, "result"), "score"),
		                "scaled")) == strtod(written[i], NULL));
		json_decref(back);
		somo_free(out);
		somo_xapi_statement_free(st);
	}
}

/* A document mixing a short and a long real keeps both exact. */
static void mixed_reals_round_trip(void **state)
{
	somo_xapi_statement *st =
	    parse("{\"a\":0.8314,\"b\":[0.1,{\"c\":0.30000000000000004}],\"d\":95}");
	char *out = to_json(st);
	json_t *back = json_loads(out, 0, NULL);
	(void)state;

	assert_non_null(back);
	assert_true(json_real_value(json_object_get(back, "a")) == 0.8314);
	assert_true(json_real_value(json_object_get(json_array_get(json_object_get(back, "b"), 1),
	                                            "c")) == 0.1 + 0.2);
	assert_int_equal(json_integer_value(json_object_get(back, "d")), 95);
	assert_int_equal(somo__xapi_real_precision(json_object_get(back, "a")), 15);
	assert_int_equal(somo__xapi_real_precision(back), 17);
	json_decref(back);
	somo_free(out);
	somo_xapi_statement_free(st);
}

/* For many doubles, decimal-looking and arbitrary: the precision chosen reads
 * back exactly, and no smaller one of 15..17 would. */
static void precision_is_exact_and_shortest(void **state)
{
	uint64_t x = 88172645463325252ull;
	int i;
	(void)state;

	for (i = 0; i < 200000; i++) {
		char buf[64];
		double d;
		uint64_t bits;
		int p;
		json_t *r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (i % 2) {
			/* a decimal as a score or measure is written: up to 9 digits, up to 6
			 * decimals */
			snprintf(buf, sizeof(buf), "%s%llu.%06llu", (x & 1) ? "-" : "",
			         (unsigned long long)((x >> 8) % 1000),
			         (unsigned long long)((x >> 20) % 1000000));
			d = strtod(buf, NULL);
		} else {
			bits = x;
			memcpy(&d, &bits, sizeof(d));
			if (d != d || d - d != 0) /* NaN or infinite: not JSON */
				continue;
		}
		r = json_real(d);
		p = somo__xapi_real_precision(r);
		json_decref(r);
		snprintf(buf, sizeof(buf), "%.*g", p, d);
		assert_true(strtod(buf, NULL) == d);
		if (p > 15) {
			snprintf(buf, sizeof(buf), "%.*g", p - 1, d);
			assert_true(strtod(buf, NULL) != d);
		}
	}
}

static void parse_errors_are_located(void **state)
{
	somo_xapi_parse_opts opts = SOMO_XAPI_PARSE_OPTS_INIT;
	somo_xapi_statement *st = NULL;
	somo_diag d;
	(void)state;

	assert_int_equal(somo_xapi_statement_parse(&st, "{\n\"actor\": }", 12, NULL, &d),
	                 SOMO_EPARSE);
	assert_null(st);
	assert_int_equal(d.line, 2);
	assert_true(d.column > 0);
	assert_int_equal(somo_xapi_statement_parse(&st, "[1]", 3, NULL, &d), SOMO_EPARSE);
	assert_int_equal(somo_xapi_statement_parse(&st, "{\"id\":1,\"id\":2}", 15, NULL, &d),
	                 SOMO_EPARSE);
	opts.max_bytes = 4;
	assert_int_equal(somo_xapi_statement_parse(&st, "{\"id\":1}", 8, &opts, &d), SOMO_ELIMIT);
	assert_int_equal(somo_xapi_statement_parse(NULL, "{}", 2, NULL, &d), SOMO_EINVAL);
	assert_int_equal(somo_xapi_statement_validate(NULL, NULL, NULL), SOMO_EINVAL);
	somo_xapi_statement_free(NULL);
	somo_xapi_problems_free(NULL);
}

static const somo_xapi_lang en_name[] = {{"en-US", "Which club?"}, {"de-DE", "Welcher Schläger?"}};
static const somo_xapi_lang en_golf[] = {{"en-US", "Golf"}};
static const somo_xapi_component choices[] = {{"driver", en_golf, 1}, {"putter", NULL, 0}};

static void build_full_statement(somo_xapi_statement **out)
{
	static const char *const correct[] = {"driver"};
	static const char *const rel[] = {"https://example.org/types/coach"};
	somo_xapi_actor members[] = {
	    {0, "A", "mailto:a@example.org", NULL, NULL, NULL, NULL, NULL, 0},
	    {0, NULL, NULL, NULL, NULL, "https://lms.example.org", "b-17", NULL, 0}};
	somo_xapi_actor learner = {.name = "Kai", .mbox = "mailto:kai@example.org"};
	somo_xapi_actor team = {
	    .is_group = 1, .name = "Team", .members = members, .member_count = 2};
	somo_xapi_actor coach = {.openid = "https://openid.example.org/coach"};
	somo_xapi_activity q = {.id = "https://example.org/course/1/q1",
	                        .type = "http://adlnet.gov/expapi/activities/cmi.interaction",
	                        .name = en_name,
	                        .name_count = 2,
	                        .interaction_type = SOMO_XAPI_INTERACTION_CHOICE,
	                        .correct_responses = correct,
	                        .correct_response_count = 1,
	                        .extensions_json = "{\"https://example.org/ext/points\": 3}"};
	somo_xapi_activity course = {.id = "https://example.org/course/1",
	                             .type = "http://adlnet.gov/expapi/activities/course"};
	somo_xapi_activity cat = {.id = "https://w3id.org/xapi/scorm"};
	somo_xapi_result r = {.has = SOMO_XAPI_RESULT_SCALED | SOMO_XAPI_RESULT_RAW |
	                             SOMO_XAPI_RESULT_MIN | SOMO_XAPI_RESULT_MAX |
	                             SOMO_XAPI_RESULT_SUCCESS | SOMO_XAPI_RESULT_COMPLETION,
	                      .scaled = 0.8314,
	                      .raw = 83.14,
	                      .min = 0,
	                      .max = 100,
	                      .success = 1,
	                      .completion = 1,
	                      .response = "driver",
	                      .duration = "PT1M30.5S"};
	somo_xapi_attachment att = {
	    .usage_type = "http://adlnet.gov/expapi/attachments/signature",
	    .display = en_golf,
	    .display_count = 1,
	    .content_type = "application/octet-stream",
	    .length = 4235,
	    .sha2 = "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"};
	somo_xapi_statement *st = NULL;

	q.components[SOMO_XAPI_COMPONENTS_CHOICES] = choices;
	q.component_count[SOMO_XAPI_COMPONENTS_CHOICES] = 2;
	assert_int_equal(somo_xapi_statement_new(&st), 0);
	assert_int_equal(somo_xapi_statement_ensure_id(st), 0);
	assert_int_equal(somo_xapi_statement_set_actor(st, &learner), 0);
	assert_int_equal(somo_xapi_statement_set_verb(st, "http://adlnet.gov/expapi/verbs/answered",
	                                              "en-US", "answered"),
	                 0);
	assert_int_equal(somo_xapi_statement_set_object_activity(st, &q), 0);
	assert_int_equal(somo_xapi_statement_set_result(st, &r), 0);
	assert_int_equal(somo_xapi_statement_set_extension(st, SOMO_XAPI_EXT_RESULT,
	                                                   "https://example.org/ext/tries", "2"),
	                 0);
	assert_int_equal(
	    somo_xapi_statement_set_registration(st, "ec531277-b57b-4c15-8d91-d292c5b2b8f7"), 0);
	assert_int_equal(somo_xapi_statement_set_instructor(st, &coach), 0);
	assert_int_equal(somo_xapi_statement_set_team(st, &team), 0);
	assert_int_equal(
	    somo_xapi_statement_add_context_activity(st, SOMO_XAPI_CONTEXT_PARENT, &course), 0);
	assert_int_equal(
	    somo_xapi_statement_add_context_activity(st, SOMO_XAPI_CONTEXT_CATEGORY, &cat), 0);
	assert_int_equal(somo_xapi_statement_set_revision(st, "r2"), 0);
	assert_int_equal(somo_xapi_statement_set_platform(st, "Somo"), 0);
	assert_int_equal(somo_xapi_statement_set_language(st, "en-US"), 0);
	assert_int_equal(
	    somo_xapi_statement_set_context_statement(st, "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"),
	    0);
	assert_int_equal(somo_xapi_statement_set_extension(st, SOMO_XAPI_EXT_CONTEXT,
	                                                   "https://example.org/ext/room",
	                                                   "{\"n\":4}"),
	                 0);
	assert_int_equal(somo_xapi_statement_add_context_actor(st, &coach, rel, 1), 0);
	assert_int_equal(somo_xapi_statement_add_context_actor(st, &team, NULL, 0), 0);
	assert_int_equal(somo_xapi_statement_set_timestamp_now(st), 0);
	assert_int_equal(somo_xapi_statement_add_attachment(st, &att), 0);
	*out = st;
}

static int count_problems(const somo_xapi_statement *st, somo_xapi_version v,
                          somo_xapi_problems **p)
{
	somo_xapi_validate_opts o = SOMO_XAPI_VALIDATE_OPTS_INIT;

	o.xapi = v;
	return somo_xapi_statement_validate(st, &o, p);
}

static void builder_makes_valid_statements(void **state)
{
	somo_xapi_statement *st = NULL, *copy = NULL, *back = NULL;
	somo_xapi_problems *p = NULL;
	char *json, *json2;
	size_t i;
	(void)state;

	build_full_statement(&st);
	assert_int_equal(count_problems(st, SOMO_XAPI_2_0, &p), 0);
	assert_int_equal(somo_xapi_problems_count(p), 0);
	somo_xapi_problems_free(p);
	/* 1.0.3 knows no contextAgents / contextGroups */
	assert_int_equal(count_problems(st, SOMO_XAPI_1_0_3, &p), SOMO_EINVALID);
	assert_int_equal(somo_xapi_problems_count(p), 2);
	for (i = 0; i < 2; i++)
		assert_true(strcmp(somo_xapi_problems_path(p, i), "$.context.contextAgents") == 0 ||
		            strcmp(somo_xapi_problems_path(p, i), "$.context.contextGroups") == 0);
	assert_null(somo_xapi_problems_path(p, 2));
	somo_xapi_problems_free(p);

	assert_true(somo__uuid_valid(somo_xapi_statement_id(st)));
	assert_string_equal(somo_xapi_statement_verb_id(st),
	                    "http://adlnet.gov/expapi/verbs/answered");
	assert_non_null(somo_xapi_statement_timestamp(st));

	/* serialise, parse, serialise: the same text */
	json = to_json(st);
	assert_non_null(strstr(json, "\"scaled\":0.8314"));
	assert_non_null(strstr(json, "\"raw\":83.14"));
	back = parse(json);
	json2 = to_json(back);
	assert_string_equal(json, json2);
	somo_free(json2);
	assert_int_equal(somo_xapi_statement_dup(&copy, back), 0);
	json2 = to_json(copy);
	assert_string_equal(json, json2);
	somo_free(json2);
	somo_free(json);

	/* ensure_id keeps an id that is there */
	json = somo__strdup(somo_xapi_statement_id(copy));
	assert_int_equal(somo_xapi_statement_ensure_id(copy), 0);
	assert_string_equal(json, somo_xapi_statement_id(copy));
	somo__free(json);

	somo_xapi_statement_free(copy);
	somo_xapi_statement_free(back);
	somo_xapi_statement_free(st);
}

static void builder_substatement_and_voiding(void **state)
{
	somo_xapi_actor me = {.mbox = "mailto:kai@example.org"};
	somo_xapi_activity act = {.id = "https://example.org/a"};
	somo_xapi_statement *sub = NULL, *st = NULL, *v = NULL;
	somo_xapi_problems *p = NULL;
	(void)state;

	assert_int_equal(somo_xapi_statement_new(&sub), 0);
	assert_int_equal(somo_xapi_statement_set_actor(sub, &me), 0);
	assert_int_equal(somo_xapi_statement_set_verb(
	                     sub, "http://adlnet.gov/expapi/verbs/attempted", NULL, NULL),
	                 0);
	assert_int_equal(somo_xapi_statement_set_object_activity(sub, &act), 0);
	assert_int_equal(somo_xapi_statement_set_id(sub, "8f87ccde-bb56-4c2e-ab83-44982ef22df0"),
	                 0);

	assert_int_equal(somo_xapi_statement_new(&st), 0);
	assert_int_equal(somo_xapi_statement_set_actor(st, &me), 0);
	assert_int_equal(somo_xapi_statement_set_verb(st, "http://adlnet.gov/expapi/verbs/planned",
	                                              "en", "planned"),
	                 0);
	assert_int_equal(somo_xapi_statement_set_object_substatement(st, sub), 0);
	assert_int_equal(count_problems(st, SOMO_XAPI_2_0, &p), 0); /* the id was not copied */
	somo_xapi_problems_free(p);
	assert_int_equal(somo_xapi_statement_set_object_substatement(st, st), SOMO_EINVAL);

	assert_int_equal(somo_xapi_statement_new(&v), 0);
	assert_int_equal(somo_xapi_statement_set_actor(v, &me), 0);
	assert_int_equal(somo_xapi_statement_set_verb(v, SOMO_XAPI_VERB_VOIDED, "en-US", "voided"),
	                 0);
	assert_int_equal(somo_xapi_statement_set_object_activity(v, &act), 0);
	assert_int_equal(count_problems(v, SOMO_XAPI_2_0, &p), SOMO_EINVALID);
	assert_string_equal(somo_xapi_problems_path(p, 0), "$.object");
	somo_xapi_problems_free(p);
	assert_int_equal(
	    somo_xapi_statement_set_object_statement_ref(v, somo_xapi_statement_id(sub)), 0);
	assert_int_equal(count_problems(v, SOMO_XAPI_2_0, NULL), 0);

	/* bad builder arguments leave the statement unchanged */
	assert_int_equal(somo_xapi_statement_set_extension(v, SOMO_XAPI_EXT_RESULT,
	                                                   "http://x.example/e", "{bad"),
	                 SOMO_EINVAL);
	assert_int_equal(somo_xapi_statement_set_verb(v, "http://x.example/v", "en", NULL),
	                 SOMO_EINVAL);
	assert_int_equal(count_problems(v, SOMO_XAPI_2_0, NULL), 0);

	somo_xapi_statement_free(v);
	somo_xapi_statement_free(st);
	somo_xapi_statement_free(sub);
}

static void problems_are_bounded(void **state)
{
	somo_xapi_validate_opts o = SOMO_XAPI_VALIDATE_OPTS_INIT;
	somo_xapi_problems *p = NULL;
	somo__buf b = SOMO__BUF_INIT;
	int i;
	(void)state;

	/* 1000 bad statements in an array: the list stops at max_problems */
	somo__buf_putc(&b, '[');
	for (i = 0; i < 1000; i++)
		somo__buf_puts(&b, i ? ",{}" : "{}");
	somo__buf_putc(&b, ']');
	o.max_problems = 10;
	assert_int_equal(somo_xapi_validate_json(b.ptr, b.len, &o, &p, NULL), SOMO_EINVALID);
	assert_int_equal(somo_xapi_problems_count(p), 10);
	assert_string_equal(somo_xapi_problems_path(p, 0), "$[0]");
	somo_xapi_problems_free(p);
	somo__buf_free(&b);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void data_cases(void **state)
{
	char path[4096], line[1 << 14];
	FILE *f;
	int n = 0, bad = 0;
	(void)state;

	snprintf(path, sizeof(path), "%s/tests/xapi/data/validate-cases.jsonl", SOMO_SOURCE_DIR);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		somo_xapi_validate_opts o = SOMO_XAPI_VALIDATE_OPTS_INIT;
		json_t *tc = json_loads(line, 0, NULL), *want;
		somo_xapi_problems *p = NULL;
		char *text;
		size_t i;
		int rc, ok;

		assert_non_null(tc);
		o.xapi = strcmp(json_string_value(json_object_get(tc, "xapi")), "1.0.3") == 0
		             ? SOMO_XAPI_1_0_3
		             : SOMO_XAPI_2_0;
		want = json_object_get(tc, "problems");
		text = json_dumps(json_object_get(tc, "statement"), 0);
		rc = somo_xapi_validate_json(text, strlen(text), &o, &p, NULL);
		ok = (rc == 0) == (json_array_size(want) == 0) &&
		     somo_xapi_problems_count(p) == json_array_size(want);
		if (ok) {
			/* the same paths, in any order (problems follow the document's order) */
			const char *got[64], *exp[64];
			size_t nw = json_array_size(want);
			assert_true(nw <= 64);
			for (i = 0; i < nw; i++) {
				got[i] = somo_xapi_problems_path(p, i);
				exp[i] = json_string_value(json_array_get(want, i));
			}
			qsort(got, nw, sizeof(got[0]), cmp_str);
			qsort(exp, nw, sizeof(exp[0]), cmp_str);
			for (i = 0; ok && i < nw; i++)
				ok = strcmp(got[i], exp[i]) == 0;
		}
		if (!ok) {
			bad++;
			printf("case '%s': got rc %d and\n",
			       json_string_value(json_object_get(tc, "name")), rc);
			for (i = 0; i < somo_xapi_problems_count(p); i++)
				printf("    %s: %s\n", somo_xapi_problems_path(p, i),
				       somo_xapi_problems_message(p, i));
		}
		n++;
		free(text);
		somo_xapi_problems_free(p);
		json_decref(tc);
	}
	fclose(f);
	printf("%d validation cases, %d wrong\n", n, bad);
	assert_true(n >= 50);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(numbers_serialise_as_written),
	    cmocka_unit_test(mixed_reals_round_trip),
	    cmocka_unit_test(precision_is_exact_and_shortest),
	    cmocka_unit_test(parse_errors_are_located),
	    cmocka_unit_test(builder_makes_valid_statements),
	    cmocka_unit_test(builder_substatement_and_voiding),
	    cmocka_unit_test(problems_are_bounded),
	    cmocka_unit_test(data_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
