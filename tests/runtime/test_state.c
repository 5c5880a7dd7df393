/*
 * A runtime's state through JSON and back, with every element of both data
 * models holding a value; the C API's ownership and NULL rules; memory per
 * runtime.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "somo.h"
#include "somo/runtime.h"

typedef struct {
	const char *name, *value;
} pair;

/* LMS-supplied values of SCORM 2004. */
static const pair lms_2004[] = {
    {"cmi.completion_threshold", "0.75"},
    {"cmi.credit", "no-credit"},
    {"cmi.entry", "resume"},
    {"cmi.launch_data", "chapter=2"},
    {"cmi.learner_id", "urn:learner:42"},
    {"cmi.learner_name", "{lang=fr}Dupont, Marie"},
    {"cmi.max_time_allowed", "PT2H"},
    {"cmi.mode", "review"},
    {"cmi.scaled_passing_score", "0.6"},
    {"cmi.time_limit_action", "exit,message"},
    {"cmi.total_time", "PT10M"},
    {"cmi.comments_from_lms.0.comment", "{lang=en}Welcome"},
    {"cmi.comments_from_lms.0.location", "intro"},
    {"cmi.comments_from_lms.0.timestamp", "2026-12-04T10:00:00.0Z"},
};

/* What content sets in SCORM 2004: every writable element. */
static const pair content_2004[] = {
    {"cmi.completion_status", "incomplete"},
    {"cmi.exit", "suspend"},
    {"cmi.learner_preference.audio_level", "0.8"},
    {"cmi.learner_preference.language", "fr-CA"},
    {"cmi.learner_preference.delivery_speed", "1.5"},
    {"cmi.learner_preference.audio_captioning", "1"},
    {"cmi.location", "page-7"},
    {"cmi.progress_measure", "0.5"},
    {"cmi.score.scaled", "0.7"},
    {"cmi.score.raw", "70"},
    {"cmi.score.min", "0"},
    {"cmi.score.max", "100"},
    {"cmi.session_time", "PT5M"},
    {"cmi.success_status", "passed"},
    {"cmi.suspend_data", "{\"a\":[1,2]}\n\u00e9"},
    {"adl.nav.request", "{target=intro}choice"},
    {"cmi.comments_from_learner.0.comment", "{lang=en}Too long"},
    {"cmi.comments_from_learner.0.location", "page-2"},
    {"cmi.comments_from_learner.0.timestamp", "2026-12-04T10:05:00.5+01:00"},
    {"cmi.objectives.0.id", "urn:obj:1"},
    {"cmi.objectives.0.score.scaled", "-0.25"},
    {"cmi.objectives.0.score.raw", "3"},
    {"cmi.objectives.0.score.min", "1"},
    {"cmi.objectives.0.score.max", "9"},
    {"cmi.objectives.0.success_status", "failed"},
    {"cmi.objectives.0.completion_status", "completed"},
    {"cmi.objectives.0.progress_measure", "1"},
    {"cmi.objectives.0.description", "{lang=de}Ziel"},
    {"cmi.objectives.1.id", "obj-2"},
    {"cmi.interactions.0.id", "q1"},
    {"cmi.interactions.0.type", "choice"},
    {"cmi.interactions.0.objectives.0.id", "urn:obj:1"},
    {"cmi.interactions.0.objectives.1.id", "obj-2"},
    {"cmi.interactions.0.timestamp", "2026-12-04T10:06:00"},
    {"cmi.interactions.0.correct_responses.0.pattern", "a[,]b"},
    {"cmi.interactions.0.correct_responses.1.pattern", "c"},
    {"cmi.interactions.0.weighting", "2"},
    {"cmi.interactions.0.learner_response", "b[,]a"},
    {"cmi.interactions.0.result", "correct"},
    {"cmi.interactions.0.latency", "PT12S"},
    {"cmi.interactions.0.description", "Pick two"},
    {"cmi.interactions.1.id", "q2"},
    {"cmi.interactions.1.type", "fill-in"},
    {"cmi.interactions.1.correct_responses.0.pattern", "{case_matters=true}{lang=en}Paris[,]Lyon"},
    {"cmi.interactions.1.learner_response", "paris"},
    {"cmi.interactions.1.result", "0.5"},
    {"adl.data.0.store", "shared value"},
};

static const pair lms_12[] = {
    {"cmi.core.student_id", "s-1"},
    {"cmi.core.student_name", "Doe, John"},
    {"cmi.core.credit", "credit"},
    {"cmi.core.entry", "resume"},
    {"cmi.core.lesson_mode", "normal"},
    {"cmi.core.total_time", "0001:00:00"},
    {"cmi.launch_data", "x=1"},
    {"cmi.comments_from_lms", "see page 3"},
    {"cmi.student_data.mastery_score", "80"},
    {"cmi.student_data.max_time_allowed", "0002:00:00"},
    {"cmi.student_data.time_limit_action", "continue,message"},
};

static const pair content_12[] = {
    {"cmi.core.lesson_location", "p4"},
    {"cmi.core.lesson_status", "incomplete"},
    {"cmi.core.score.raw", "55.5"},
    {"cmi.core.score.min", "0"},
    {"cmi.core.score.max", "100"},
    {"cmi.core.exit", "suspend"},
    {"cmi.core.session_time", "0000:10:00"},
    {"cmi.suspend_data", "state"},
    {"cmi.comments", "hard"},
    {"cmi.student_preference.audio", "50"},
    {"cmi.student_preference.language", "english"},
    {"cmi.student_preference.speed", "-20"},
    {"cmi.student_preference.text", "1"},
    {"cmi.objectives.0.id", "o1"},
    {"cmi.objectives.0.score.raw", "4"},
    {"cmi.objectives.0.score.min", "0"},
    {"cmi.objectives.0.score.max", "10"},
    {"cmi.objectives.0.status", "failed"},
    {"cmi.interactions.0.id", "i1"},
    {"cmi.interactions.0.objectives.0.id", "o1"},
    {"cmi.interactions.0.time", "10:11:12"},
    {"cmi.interactions.0.type", "choice"},
    {"cmi.interactions.0.correct_responses.0.pattern", "a"},
    {"cmi.interactions.0.weighting", "1"},
    {"cmi.interactions.0.student_response", "b"},
    {"cmi.interactions.0.result", "wrong"},
    {"cmi.interactions.0.latency", "0000:00:05"},
};

static somo_rt *filled(somo_scorm_version v)
{
	somo_rt_data_map map[] = {{"store-1", 1, 1}};
	somo_rt_opts o = SOMO_RT_OPTS_INIT;
	const pair *lms = v == SOMO_SCORM_12 ? lms_12 : lms_2004;
	const pair *content = v == SOMO_SCORM_12 ? content_12 : content_2004;
	size_t nl =
	    v == SOMO_SCORM_12 ? sizeof(lms_12) / sizeof(pair) : sizeof(lms_2004) / sizeof(pair);
	size_t nc = v == SOMO_SCORM_12 ? sizeof(content_12) / sizeof(pair)
	                               : sizeof(content_2004) / sizeof(pair);
	somo_rt *rt = NULL;
	size_t i;

	if (v == SOMO_SCORM_2004) {
		o.data_map = map;
		o.data_map_len = 1;
	}
	assert_int_equal(somo_rt_new(&rt, v, &o), 0);
	for (i = 0; i < nl; i++)
		if (somo_rt_set_lms_value(rt, lms[i].name, lms[i].value) != 0)
			fail_msg("%s: %s", lms[i].name, somo_error_last()->message);
	assert_string_equal(somo_rt_initialize(rt, ""), "true");
	for (i = 0; i < nc; i++) {
		const char *r = somo_rt_set_value(rt, content[i].name, content[i].value);
		if (strcmp(r, "true") != 0)
			fail_msg("%s = %s: error %d", content[i].name, content[i].value,
			         somo_rt_last_error(rt));
	}
	return rt;
}

static void round_trip(somo_scorm_version v)
{
	somo_rt *a = filled(v), *b = NULL;
	char *ja = NULL, *jb = NULL;
	const pair *content = v == SOMO_SCORM_12 ? content_12 : content_2004;
	size_t nc = v == SOMO_SCORM_12 ? sizeof(content_12) / sizeof(pair)
	                               : sizeof(content_2004) / sizeof(pair);
	const pair *lms = v == SOMO_SCORM_12 ? lms_12 : lms_2004;
	size_t nl =
	    v == SOMO_SCORM_12 ? sizeof(lms_12) / sizeof(pair) : sizeof(lms_2004) / sizeof(pair);
	size_t i;

	assert_int_equal(somo_rt_to_json(a, &ja), 0);
	assert_int_equal(somo_rt_new(&b, v, NULL), 0);
	assert_int_equal(somo_rt_from_json(b, ja), 0);
	assert_int_equal(somo_rt_to_json(b, &jb), 0);
	assert_string_equal(ja, jb);
	/* b is running, as a was: every readable value is the same */
	for (i = 0; i < nc + nl; i++) {
		const char *name = i < nc ? content[i].name : lms[i - nc].name;
		char va[512];
		int ea;
		snprintf(va, sizeof(va), "%s", somo_rt_get_value(a, name));
		ea = somo_rt_last_error(a);
		assert_string_equal(somo_rt_get_value(b, name), va);
		assert_int_equal(somo_rt_last_error(b), ea);
	}
	somo_free(ja);
	somo_free(jb);
	somo_rt_free(a);
	somo_rt_free(b);
}

static void round_trip_2004(void **state)
{
	(void)state;
	round_trip(SOMO_SCORM_2004);
}

static void round_trip_12(void **state)
{
	(void)state;
	round_trip(SOMO_SCORM_12);
}

static void restore_refuses_bad_states(void **state)
{
	somo_rt *rt = NULL;
	char *before = NULL, *after = NULL;
	static const char *const bad[] = {
	    "not json",
	    "[]",
	    "{\"format\":\"other\"}",
	    "{\"format\":\"somo-rt/1\",\"version\":\"1.2\",\"state\":\"running\"}",
	    "{\"format\":\"somo-rt/1\",\"version\":\"2004\",\"state\":\"flying\"}",
	    "{\"format\":\"somo-rt/"
	    "1\",\"version\":\"2004\",\"state\":\"running\",\"values\":{\"cmi.bogus\":\"1\"}}",
	    "{\"format\":\"somo-rt/"
	    "1\",\"version\":\"2004\",\"state\":\"running\",\"values\":{\"cmi.score.scaled\":\"7\"}"
	    "}",
	    "{\"format\":\"somo-rt/"
	    "1\",\"version\":\"2004\",\"state\":\"running\",\"values\":{\"cmi.location\":5}}",
	    "{\"format\":\"somo-rt/"
	    "1\",\"version\":\"2004\",\"state\":\"running\",\"collections\":{\"cmi.interactions\":["
	    "{\"type\":\"choice\",\"result\":\"maybe\"}]}}",
	};
	size_t i;
	(void)state;

	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_2004, NULL), 0);
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.learner_id", "k"), 0);
	assert_int_equal(somo_rt_to_json(rt, &before), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (somo_rt_from_json(rt, bad[i]) >= 0)
			fail_msg("accepted: %s", bad[i]);
		assert_string_not_equal(somo_error_last()->message, "");
	}
	assert_int_equal(somo_rt_to_json(rt, &after), 0);
	assert_string_equal(before, after);
	somo_free(before);
	somo_free(after);
	somo_rt_free(rt);
}

static void next_session_rules(void **state)
{
	somo_rt *rt = filled(SOMO_SCORM_2004);
	(void)state;

	/* suspended: the attempt goes on, total time accumulated */
	assert_string_equal(somo_rt_terminate(rt, ""), "true");
	assert_int_equal(somo_rt_next_session(rt), 0);
	assert_string_equal(somo_rt_initialize(rt, ""), "true");
	assert_string_equal(somo_rt_get_value(rt, "cmi.entry"), "resume");
	assert_string_equal(somo_rt_get_value(rt, "cmi.total_time"), "PT15M");
	assert_string_equal(somo_rt_get_value(rt, "cmi.location"), "page-7");
	assert_string_equal(somo_rt_get_value(rt, "adl.nav.request"), "_none_");
	assert_string_equal(somo_rt_get_value(rt, "cmi.interactions._count"), "2");
	/* normal exit: a new attempt keeps only what the LMS gave */
	assert_string_equal(somo_rt_set_value(rt, "cmi.exit", "normal"), "true");
	assert_string_equal(somo_rt_terminate(rt, ""), "true");
	assert_int_equal(somo_rt_next_session(rt), 0);
	assert_string_equal(somo_rt_initialize(rt, ""), "true");
	assert_string_equal(somo_rt_get_value(rt, "cmi.entry"), "ab-initio");
	assert_string_equal(somo_rt_get_value(rt, "cmi.total_time"), "PT0H0M0S");
	assert_string_equal(somo_rt_get_value(rt, "cmi.location"), "");
	assert_int_equal(somo_rt_last_error(rt), 403);
	assert_string_equal(somo_rt_get_value(rt, "cmi.interactions._count"), "0");
	assert_string_equal(somo_rt_get_value(rt, "cmi.learner_id"), "urn:learner:42");
	assert_string_equal(somo_rt_get_value(rt, "cmi.comments_from_lms._count"), "1");
	assert_string_equal(somo_rt_get_value(rt, "adl.data.0.store"), "shared value");
	somo_rt_free(rt);
}

static void api_null_and_options(void **state)
{
	somo_rt *rt = NULL;
	somo_rt_opts o = SOMO_RT_OPTS_INIT;
	somo_rt_data_map bad = {"has space", 1, 1};
	(void)state;

	somo_rt_free(NULL);
	assert_int_equal(somo_rt_new(NULL, SOMO_SCORM_2004, NULL), SOMO_EINVAL);
	assert_int_equal(somo_rt_new(&rt, (somo_scorm_version)7, NULL), SOMO_EINVAL);
	assert_null(rt);
	o.version = 99;
	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_2004, &o), SOMO_EINVAL);
	o.version = SOMO_RT_OPTS_VERSION;
	o.data_map = &bad;
	o.data_map_len = 1;
	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_2004, &o), SOMO_EINVAL);
	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_12, &o), SOMO_EINVAL);
	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_2004, NULL), 0);
	assert_string_equal(somo_rt_initialize(rt, NULL), "true");
	assert_string_equal(somo_rt_get_value(rt, NULL), "");
	assert_int_equal(somo_rt_last_error(rt), 301);
	assert_string_equal(somo_rt_set_value(rt, "cmi.location", NULL), "true");
	assert_string_equal(somo_rt_get_value(rt, "cmi.location"), "");
	assert_int_equal(somo_rt_last_error(rt), 0);
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.nothing", "x"), SOMO_ENOTFOUND);
	/* shared data stores come from the map only */
	assert_int_equal(somo_rt_set_lms_value(rt, "adl.data.0.store", "x"), SOMO_EINVALID);
	assert_string_equal(somo_rt_get_value(rt, "adl.data._count"), "0");
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.scaled_passing_score", "3"), SOMO_EINVALID);
	assert_string_equal(somo_dm_error_string(SOMO_SCORM_2004, 408),
	                    "Data Model Dependency Not Established");
	assert_string_equal(somo_dm_error_string(SOMO_SCORM_12, 408), "");
	assert_string_equal(somo_dm_error_string(SOMO_SCORM_12, 202),
	                    "Element cannot have children");
	assert_int_equal(somo_rt_parse_code("007"), -1);
	assert_int_equal(somo_rt_parse_code("0"), 0);
	assert_int_equal(somo_rt_parse_code("1000"), -1);
	somo_rt_free(rt);
}

/* The LMS reads what content cannot: write-only values, values after Terminate. */
static void lms_view(void **state)
{
	somo_rt *rt = filled(SOMO_SCORM_2004);
	(void)state;

	assert_string_equal(somo_rt_get_value(rt, "cmi.exit"), "");
	assert_int_equal(somo_rt_last_error(rt), 405);
	assert_string_equal(somo_rt_lms_value(rt, "cmi.exit"), "suspend");
	assert_int_equal(somo_rt_last_error(rt), 405);
	assert_string_equal(somo_rt_lms_value(rt, "cmi.session_time"), "PT5M");
	assert_int_equal(somo_rt_state(rt), SOMO_RT_RUNNING);
	assert_string_equal(somo_rt_terminate(rt, ""), "true");
	assert_int_equal(somo_rt_state(rt), SOMO_RT_TERMINATED);
	assert_string_equal(somo_rt_lms_value(rt, "adl.nav.request"), "{target=intro}choice");
	assert_string_equal(somo_rt_lms_value(rt, "cmi.total_time"), "PT15M");
	/* evaluated against the threshold and passing score */
	assert_string_equal(somo_rt_lms_value(rt, "cmi.completion_status"), "incomplete");
	assert_string_equal(somo_rt_lms_value(rt, "cmi.success_status"), "passed");
	assert_string_equal(somo_rt_lms_value(rt, "cmi.interactions._count"), "2");
	assert_string_equal(somo_rt_lms_value(rt, "adl.data.0.store"), "shared value");
	assert_null(somo_rt_lms_value(rt, "cmi.nothing"));
	assert_null(somo_rt_lms_value(rt, "cmi.objectives.5.id"));
	assert_string_equal(somo_rt_get_value(rt, "cmi.location"), "");
	assert_int_equal(somo_rt_last_error(rt), 123);
	somo_rt_free(rt);
}

/* Values beyond the smallest permitted maximum are kept up to the runtime's
 * ceiling: 1 Mi characters when strict, 4 Mi when lenient. */
static void storage_ceiling(void **state)
{
	somo_rt *strict = NULL, *lenient = NULL;
	somo_rt_opts o = SOMO_RT_OPTS_INIT;
	size_t n = (1u << 20) * 2 + 2; /* 1 Mi + 1 two-byte characters */
	char *big = malloc(n + 1);
	size_t i;
	(void)state;

	assert_non_null(big);
	for (i = 0; i < n; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[n] = '\0';
	o.lenient = 1;
	assert_int_equal(somo_rt_new(&strict, SOMO_SCORM_2004, NULL), 0);
	assert_int_equal(somo_rt_new(&lenient, SOMO_SCORM_2004, &o), 0);
	somo_rt_initialize(strict, "");
	somo_rt_initialize(lenient, "");
	assert_string_equal(somo_rt_set_value(strict, "cmi.suspend_data", big), "false");
	assert_int_equal(somo_rt_last_error(strict), 407);
	assert_string_equal(somo_rt_set_value(lenient, "cmi.suspend_data", big), "true");
	big[n - 2] = '\0'; /* 1 Mi characters, 2 MiB */
	assert_string_equal(somo_rt_set_value(strict, "cmi.suspend_data", big), "true");
	assert_string_equal(somo_rt_set_value(strict, "cmi.location", big), "true");
	assert_int_equal(strlen(somo_rt_get_value(strict, "cmi.location")), n - 2);
	free(big);
	somo_rt_free(strict);
	somo_rt_free(lenient);
}

/* Bytes per live runtime holding 50 interactions (the benchmark's shape). */
static void memory_per_runtime(void **state)
{
	somo_rt *rt = NULL;
	char name[64], v[16];
	int i;
	size_t bytes;
	(void)state;

	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_2004, NULL), 0);
	assert_string_equal(somo_rt_initialize(rt, ""), "true");
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "cmi.interactions.%d.id", i);
		snprintf(v, sizeof(v), "q%d", i);
		assert_string_equal(somo_rt_set_value(rt, name, v), "true");
		snprintf(name, sizeof(name), "cmi.interactions.%d.type", i);
		assert_string_equal(somo_rt_set_value(rt, name, "choice"), "true");
		snprintf(name, sizeof(name), "cmi.interactions.%d.learner_response", i);
		assert_string_equal(somo_rt_set_value(rt, name, "a[,]b"), "true");
	}
	bytes = somo_rt_memory(rt);
	print_message("bytes per runtime with 50 interactions: %zu\n", bytes);
	assert_true(bytes < 8192);
	somo_rt_free(rt);
}

/* The LMS initialises cmi.objectives.n.id from the manifest: an id that is no
 * URI ("ob j 1", an anyURI with its escapes decoded) is taken from the host,
 * kept through the state, and still refused from the content. */
static void lms_objective_ids(void **unused)
{
	somo_rt *rt = NULL, *back = NULL;
	char *json = NULL;

	(void)unused;
	assert_int_equal(somo_rt_new(&rt, SOMO_SCORM_2004, NULL), 0);
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.objectives.0.id", "ob j 1"), 0);
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.objectives.1.id", "urn:x:2"), 0);
	/* an id is still required, and a record still needs the ones before it */
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.objectives.2.id", ""), SOMO_EINVALID);
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.objectives.3.id", "z"), SOMO_EINVALID);
	/* ids stay unique */
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.objectives.2.id", "ob j 1"), SOMO_EINVALID);
	/* other types are checked as before */
	assert_int_equal(somo_rt_set_lms_value(rt, "cmi.objectives.0.score.scaled", "2"),
	                 SOMO_EINVALID);
	assert_string_equal(somo_rt_initialize(rt, ""), "true");
	assert_string_equal(somo_rt_get_value(rt, "cmi.objectives._count"), "2");
	assert_string_equal(somo_rt_get_value(rt, "cmi.objectives.0.id"), "ob j 1");
	assert_string_equal(somo_rt_set_value(rt, "cmi.objectives.0.success_status", "passed"),
	                    "true");
	/* the content's SetValue stays strict: 406 for an id that is no URI */
	assert_string_equal(somo_rt_set_value(rt, "cmi.objectives.2.id", "ob j 2"), "false");
	assert_int_equal(somo_rt_last_error(rt), 406);
	assert_string_equal(somo_rt_set_value(rt, "cmi.interactions.0.id", "i 1"), "false");
	assert_int_equal(somo_rt_last_error(rt), 406);
	assert_string_equal(somo_rt_get_value(rt, "cmi.objectives._count"), "2");
	/* through the state and back */
	assert_int_equal(somo_rt_to_json(rt, &json), 0);
	assert_int_equal(somo_rt_new(&back, SOMO_SCORM_2004, NULL), 0);
	assert_int_equal(somo_rt_from_json(back, json), 0);
	assert_string_equal(somo_rt_lms_value(back, "cmi.objectives.0.id"), "ob j 1");
	assert_string_equal(somo_rt_lms_value(back, "cmi.objectives.0.success_status"), "passed");
	somo_free(json);
	somo_rt_free(back);
	somo_rt_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip_2004),
	    cmocka_unit_test(round_trip_12),
	    cmocka_unit_test(restore_refuses_bad_states),
	    cmocka_unit_test(next_session_rules),
	    cmocka_unit_test(api_null_and_options),
	    cmocka_unit_test(lms_view),
	    cmocka_unit_test(lms_objective_ids),
	    cmocka_unit_test(storage_ceiling),
	    cmocka_unit_test(memory_per_runtime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
