/*
 * SCORM to xAPI: the statements Somo writes for each runtime event against
 * the example statements of ADL's xAPI SCORM Profile (verb, object and its
 * type, grouping, category, result, timestamp), all valid under xAPI 1.0.3
 * and 2.0; and the profile's state documents. No network.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "somo/xapi_scorm.h"

static char profile_dir[1024];

static json_t *to_json(const somo_xapi_statement *st)
{
	char *s = NULL;
	json_error_t e;
	assert_int_equal(somo_xapi_statement_to_json(st, 0, &s), 0);
	json_t *v = json_loads(s, 0, &e);
	somo_free(s);
	assert_non_null(v);
	return v;
}

static void assert_valid(const somo_xapi_statement *st)
{
	somo_xapi_validate_opts o = SOMO_XAPI_VALIDATE_OPTS_INIT;
	somo_xapi_problems *p = NULL;
	for (int v = SOMO_XAPI_1_0_3; v <= SOMO_XAPI_2_0; v++) {
		o.xapi = (somo_xapi_version)v;
		int rc = somo_xapi_statement_validate(st, &o, &p);
		for (size_t i = 0; i < somo_xapi_problems_count(p); i++)
			fprintf(stderr, "%s: %s\n", somo_xapi_problems_path(p, i),
			        somo_xapi_problems_message(p, i));
		somo_xapi_problems_free(p);
		assert_int_equal(rc, 0);
	}
}

static somo_xapi_scorm_event event_of(const char *verb)
{
	static const char *names[] = {"",        "initialized", "terminated", "suspended",
	                              "resumed", "completed",   "passed",     "failed",
	                              "scored",  "responded",   "commented",  "progressed"};
	const char *last = strrchr(verb, '/') + 1;
	for (int i = 1; i < (int)(sizeof names / sizeof *names); i++)
		if (strcmp(last, names[i]) == 0)
			return (somo_xapi_scorm_event)i;
	return 0;
}

static const char *lang_value(json_t *map)
{
	return json_string_value(json_object_get(map, "en-US"));
}

/* Build the event an example statement records, then compare. */
static void check_example(const char *rel)
{
	char path[2048];
	json_error_t je;
	snprintf(path, sizeof path, "%s/statements/%s", profile_dir, rel);
	json_t *ex = json_load_file(path, 0, &je);
	assert_non_null(ex);
	json_t *ctxa = json_object_get(json_object_get(ex, "context"), "contextActivities");
	json_t *grouping = json_object_get(ctxa, "grouping");
	json_t *acct = json_object_get(json_object_get(ex, "actor"), "account");
	json_t *obj = json_object_get(ex, "object");
	json_t *res = json_object_get(ex, "result");
	json_t *parent = json_array_get(json_object_get(ctxa, "parent"), 0);
	const char *course = NULL, *attempt = NULL;
	size_t i;
	json_t *g;
	json_array_foreach (grouping, i, g) {
		const char *t =
		    json_string_value(json_object_get(json_object_get(g, "definition"), "type"));
		if (t && strstr(t, "/course"))
			course = json_string_value(json_object_get(g, "id"));
		if (t && strstr(t, "/attempt"))
			attempt = json_string_value(json_object_get(g, "id"));
	}
	assert_non_null(course);
	assert_non_null(attempt);

	somo_xapi_actor learner = {0};
	learner.account_home_page = json_string_value(json_object_get(acct, "homePage"));
	learner.account_name = json_string_value(json_object_get(acct, "name"));
	somo_xapi_scorm_context c = SOMO_XAPI_SCORM_CONTEXT_INIT;
	c.learner = &learner;
	c.course_iri = course;
	c.sco_iri = parent ? json_string_value(json_object_get(parent, "id"))
	                   : json_string_value(json_object_get(obj, "id"));
	c.sco_name = lang_value(json_object_get(json_object_get(obj, "definition"), "name"));
	c.attempt_iri = attempt;

	somo_xapi_scorm_event_data e = {0};
	e.event = event_of(json_string_value(json_object_get(json_object_get(ex, "verb"), "id")));
	assert_true(e.event != 0);
	e.timestamp = json_string_value(json_object_get(ex, "timestamp"));
	if (parent)
		e.objective_id = json_string_value(json_object_get(obj, "id"));
	json_t *score = json_object_get(res, "score");
	if (json_object_get(score, "scaled")) {
		e.has |= SOMO_XAPI_RESULT_SCALED;
		e.scaled = json_number_value(json_object_get(score, "scaled"));
		e.progress = e.scaled;
	}
	if (json_object_get(res, "success")) {
		e.has |= SOMO_XAPI_RESULT_SUCCESS;
		e.success = json_is_true(json_object_get(res, "success"));
	}
	if (json_object_get(res, "completion")) {
		e.has |= SOMO_XAPI_RESULT_COMPLETION;
		e.completion = json_is_true(json_object_get(res, "completion"));
	}
	e.session_time = json_string_value(json_object_get(res, "duration"));
	e.comment = json_string_value(json_object_get(res, "response"));

	somo_xapi_statement *st = NULL;
	assert_int_equal(somo_xapi_scorm_statement(&c, &e, &st), 0);
	assert_valid(st);
	json_t *got = to_json(st);
	json_t *gctx = json_object_get(json_object_get(got, "context"), "contextActivities");

	assert_true(json_equal(json_object_get(json_object_get(got, "verb"), "id"),
	                       json_object_get(json_object_get(ex, "verb"), "id")));
	assert_true(json_equal(json_object_get(got, "actor"), json_object_get(ex, "actor")));
	assert_true(json_equal(json_object_get(json_object_get(got, "object"), "id"),
	                       json_object_get(obj, "id")));
	/* The objective example with a global objective types its object as a lesson. */
	if (!parent || strstr(rel, "local"))
		assert_true(json_equal(
		    json_object_get(json_object_get(json_object_get(got, "object"), "definition"),
		                    "type"),
		    json_object_get(json_object_get(obj, "definition"), "type")));
	/* Every statement has a timestamp (profile 3.2), the example's when it has one. */
	assert_non_null(json_object_get(got, "timestamp"));
	if (json_object_get(ex, "timestamp"))
		assert_true(json_equal(json_object_get(got, "timestamp"),
		                       json_object_get(ex, "timestamp")));
	/* Grouping: the course and the attempt, with their types. */
	json_t *gg = json_object_get(gctx, "grouping");
	assert_int_equal(json_array_size(gg), 2);
	json_array_foreach (gg, i, g) {
		const char *id = json_string_value(json_object_get(g, "id"));
		const char *t =
		    json_string_value(json_object_get(json_object_get(g, "definition"), "type"));
		assert_true((strcmp(id, course) == 0 && strstr(t, "/course")) ||
		            (strcmp(id, attempt) == 0 && strstr(t, "/attempt")));
	}
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(gctx, "category"), 0), "id")),
	                    "https://w3id.org/xapi/scorm");
	if (parent)
		assert_true(json_equal(
		    json_object_get(json_array_get(json_object_get(gctx, "parent"), 0), "id"),
		    json_object_get(parent, "id")));
	if (res)
		assert_true(json_equal(json_object_get(got, "result"), res));
	else
		assert_null(json_object_get(got, "result"));
	json_decref(got);
	json_decref(ex);
	somo_xapi_statement_free(st);
}

static void test_profile_examples(void **state)
{
	(void)state;
	static const char *files[] = {
	    "scorm.profile.initializing.attempt.schema/profile.appendix.stmt.initialized.json",
	    "scorm.profile.terminating.attempt.schema/profile.appendixstmt.terminated.json",
	    "scorm.profile.suspending.attempt.schema/profile.appendix.stmt.suspended.json",
	    "scorm.profile.resuming.attempt.schema/profile.appendix.stmt.resumed.json",
	    "scorm.profile.completion.status.schema/scorm.profile.stmt.completion.status.json",
	    "scorm.profile.session.time.schema/profile.schema.stmt.success.status.passed.json",
	    "scorm.profile.session.time.schema/profile.schema.stmt.success.status.failed.json",
	    "scorm.profile.score.schema/profile.schema.stmt.score.json",
	    "scorm.profile.progress.measure.schema/profile.schema.stmt.progress.measure.json",
	    "scorm.profile.success.status.schema/profile.schema.stmt.session.time.json",
	    ("scorm.profile.comments.from.learner.schema/"
	     "scorm.profile.mapping.stmt.learner.comment.json"),
	    "scorm.profile.objectives.schema/scorm.profile.stmt.local.objective.json",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		fprintf(stderr, "example %s\n", files[i]);
		check_example(files[i]);
	}
}

static void test_responded_and_scorm12(void **state)
{
	(void)state;
	somo_xapi_actor learner = {.mbox = "mailto:kai@example.org"};
	somo_xapi_scorm_context c = SOMO_XAPI_SCORM_CONTEXT_INIT;
	char *attempt = NULL;
	assert_int_equal(somo_xapi_scorm_attempt_iri("https://example.org/c/1/sco/a",
	                                             "50fd6961-ab6c-4e75-a6c7-ca42dce50dd6",
	                                             &attempt),
	                 0);
	assert_string_equal(
	    attempt,
	    "https://example.org/c/1/sco/a?attemptId=50fd6961-ab6c-4e75-a6c7-ca42dce50dd6");
	somo_free(attempt);
	assert_int_equal(somo_xapi_scorm_attempt_iri("x", "nope", &attempt), SOMO_EINVAL);
	assert_null(attempt);
	assert_int_equal(somo_xapi_scorm_attempt_iri("https://example.org/c/1/sco/a",
	                                             "50fd6961-ab6c-4e75-a6c7-ca42dce50dd6",
	                                             &attempt),
	                 0);
	c.learner = &learner;
	c.course_iri = "https://example.org/c/1";
	c.sco_iri = "https://example.org/c/1/sco/a";
	c.attempt_iri = attempt;
	c.registration = "6690e6c9-3ef0-4ed3-8b37-7f3964730bee";
	c.scorm12 = 1;

	const char *correct[] = {"golf[,]tennis"};
	somo_xapi_scorm_event_data e = {0};
	e.event = SOMO_XAPI_SCORM_RESPONDED;
	e.timestamp = "2026-01-02T03:04:05.678Z";
	e.interaction_id = "q 1/sports";
	e.interaction_type = SOMO_XAPI_INTERACTION_CHOICE;
	e.learner_response = "golf[,]tennis";
	e.correct_responses = correct;
	e.correct_count = 1;
	e.description = "Which sports?";
	e.interaction_result = "correct";
	somo_xapi_statement *st = NULL;
	assert_int_equal(somo_xapi_scorm_statement(&c, &e, &st), 0);
	assert_valid(st);
	json_t *v = to_json(st);
	json_t *o = json_object_get(v, "object");
	assert_string_equal(json_string_value(json_object_get(o, "id")),
	                    "https://example.org/c/1/sco/a/interactions/q%201%2Fsports");
	json_t *def = json_object_get(o, "definition");
	assert_string_equal(json_string_value(json_object_get(def, "type")),
	                    "http://adlnet.gov/expapi/activities/cmi.interaction");
	assert_string_equal(json_string_value(json_object_get(def, "interactionType")), "choice");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(def, "correctResponsesPattern"), 0)),
	    "golf[,]tennis");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(v, "result"), "response")),
	    "golf[,]tennis");
	assert_true(json_is_true(json_object_get(json_object_get(v, "result"), "success")));
	json_t *ca = json_object_get(json_object_get(v, "context"), "contextActivities");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(ca, "parent"), 0), "id")),
	                    c.sco_iri);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(v, "context"), "registration")),
	    c.registration);
	json_decref(v);
	somo_xapi_statement_free(st);

	/* SCORM 1.2: raw 95 becomes scaled 0.95 beside the raw. */
	memset(&e, 0, sizeof e);
	e.event = SOMO_XAPI_SCORM_SCORED;
	e.has = SOMO_XAPI_RESULT_RAW | SOMO_XAPI_RESULT_MIN | SOMO_XAPI_RESULT_MAX;
	e.raw = 95;
	e.min = 0;
	e.max = 100;
	assert_int_equal(somo_xapi_scorm_statement(&c, &e, &st), 0);
	assert_valid(st);
	v = to_json(st);
	json_t *score = json_object_get(json_object_get(v, "result"), "score");
	assert_true(json_number_value(json_object_get(score, "scaled")) == 0.95);
	assert_true(json_number_value(json_object_get(score, "raw")) == 95);
	assert_non_null(json_object_get(v, "timestamp")); /* now */
	json_decref(v);
	somo_xapi_statement_free(st);

	/* Missing pieces are refused. */
	e.event = SOMO_XAPI_SCORM_RESPONDED;
	assert_int_equal(somo_xapi_scorm_statement(&c, &e, &st), SOMO_EINVAL);
	e.event = 99;
	assert_int_equal(somo_xapi_scorm_statement(&c, &e, &st), SOMO_EINVAL);
	c.attempt_iri = NULL;
	e.event = SOMO_XAPI_SCORM_INITIALIZED;
	assert_int_equal(somo_xapi_scorm_statement(&c, &e, &st), SOMO_EINVAL);
	assert_null(st);
	somo_free(attempt);
}

static void test_state_documents(void **state)
{
	(void)state;
	const char *attempts[] = {"http://adlnet.gov/courses/compsci/CS204/lesson01/01/attempt/01"};
	char *json = NULL;
	assert_int_equal(somo_xapi_scorm_activity_state(attempts, 1, &json), 0);
	assert_string_equal(
	    json,
	    "{\"attempts\":[\"http://adlnet.gov/courses/compsci/CS204/lesson01/01/attempt/01\"]}");
	somo_free(json);
	somo_xapi_scorm_attempt_state s = {"credit", "normal", "page-02", "PT0H20M",
	                                   "{\"language\":\"en-US\"}"};
	assert_int_equal(somo_xapi_scorm_attempt_state_json(&s, &json), 0);
	assert_string_equal(json,
	                    "{\"credit\":\"credit\",\"mode\":\"normal\",\"location\":\"page-02\","
	                    "\"total_time\":\"PT0H20M\",\"preferences\":{\"language\":\"en-US\"}}");
	somo_free(json);
	s.mode = "fast";
	assert_int_equal(somo_xapi_scorm_attempt_state_json(&s, &json), SOMO_EINVAL);
	s.mode = NULL;
	s.preferences_json = "[1]";
	assert_int_equal(somo_xapi_scorm_attempt_state_json(&s, &json), SOMO_EINVAL);
}

int main(void)
{
	const char *corpus = getenv("SOMO_CORPUS_DIR");
	if (corpus && *corpus)
		snprintf(profile_dir, sizeof profile_dir, "%s/xapi/xAPI-SCORM-Profile", corpus);
	else
		snprintf(profile_dir, sizeof profile_dir,
		         "%s/../shared/corpus/xapi/xAPI-SCORM-Profile", SOMO_SOURCE_DIR);
	const struct CMUnitTest with_corpus[] = {
	    cmocka_unit_test(test_profile_examples),
	    cmocka_unit_test(test_responded_and_scorm12),
	    cmocka_unit_test(test_state_documents),
	};
	if (access(profile_dir, R_OK) != 0) {
		fprintf(stderr, "skipped: no xAPI SCORM Profile at %s\n", profile_dir);
		return 77;
	}
	return cmocka_run_group_tests(with_corpus, NULL, NULL);
}
