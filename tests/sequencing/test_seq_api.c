/*
 * The sequencing API's contracts: argument and state errors, navigation
 * request names, shared global objective tables, saved state refusals,
 * seeded selection, tree size limits and running out of memory.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "somo.h"

static const char manifest_text[] =
    "<?xml version=\"1.0\"?>\n"
    "<manifest identifier=\"m\" version=\"1\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" "
    "xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" "
    "xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" "
    "xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\">\n"
    "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th "
    "Edition</schemaversion></metadata>\n"
    "<organizations default=\"org\"><organization identifier=\"org\"><title>C</title>\n"
    " <item identifier=\"pool\"><title>Pool</title>\n"
    "  <item identifier=\"p1\" identifierref=\"r\"><title>P1</title></item>\n"
    "  <item identifier=\"p2\" identifierref=\"r\"><title>P2</title></item>\n"
    "  <item identifier=\"p3\" identifierref=\"r\"><title>P3</title></item>\n"
    "  <item identifier=\"p4\" identifierref=\"r\"><title>P4</title></item>\n"
    "  <item identifier=\"p5\" identifierref=\"r\"><title>P5</title></item>\n"
    "  <imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>\n"
    "   <imsss:randomizationControls selectCount=\"3\" selectionTiming=\"once\" "
    "reorderChildren=\"true\" randomizationTiming=\"once\"/></imsss:sequencing>\n"
    " </item>\n"
    " <item identifier=\"x\" identifierref=\"r\"><title>X</title>\n"
    "  <imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"px\">"
    "<imsss:mapInfo targetObjectiveID=\"G\" writeSatisfiedStatus=\"true\"/>"
    "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>\n"
    " </item>\n"
    " <imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>\n"
    "</organization></organizations>\n"
    "<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\" "
    "href=\"a.html\"/></resources>\n"
    "</manifest>\n";

static somo_manifest *load(void)
{
	somo_manifest *man = NULL;
	somo_diag d;
	assert_int_equal(somo_manifest_parse_memory(&man, manifest_text, sizeof(manifest_text) - 1,
	                                            NULL, NULL, &d),
	                 0);
	return man;
}

static void test_nav_names(void **state)
{
	somo_nav_request r;
	const char *t;
	size_t tl;
	(void)state;

	assert_string_equal(somo_nav_name(SOMO_NAV_SUSPEND_ALL), "suspendAll");
	assert_string_equal(somo_nav_name(SOMO_NAV_NONE), "_none_");
	assert_string_equal(somo_nav_name((somo_nav_request)99), "");
	assert_int_equal(somo_nav_parse("continue", &r, &t, &tl), 0);
	assert_int_equal(r, SOMO_NAV_CONTINUE);
	assert_null(t);
	assert_int_equal(somo_nav_parse("{target=act_2}choice", &r, &t, &tl), 0);
	assert_int_equal(r, SOMO_NAV_CHOICE);
	assert_int_equal(tl, 5);
	assert_memory_equal(t, "act_2", 5);
	assert_int_equal(somo_nav_parse("{target=a}jump", &r, NULL, NULL), 0);
	assert_int_equal(r, SOMO_NAV_JUMP);
	assert_int_equal(somo_nav_parse("_none_", &r, NULL, NULL), 0);
	assert_int_equal(r, SOMO_NAV_NONE);
	assert_int_equal(somo_nav_parse("choice", &r, NULL, NULL), SOMO_EINVAL);
	assert_int_equal(somo_nav_parse("{target=}choice", &r, NULL, NULL), SOMO_EINVAL);
	assert_int_equal(somo_nav_parse("{target=a}continue", &r, NULL, NULL), SOMO_EINVAL);
	assert_int_equal(somo_nav_parse("{target=a", &r, NULL, NULL), SOMO_EINVAL);
	assert_int_equal(somo_nav_parse("Continue", &r, NULL, NULL), SOMO_EINVAL);
}

static void test_errors(void **state)
{
	somo_manifest *man = load();
	somo_seq *seq = NULL;
	somo_seq_result res;
	somo_seq_report_data rep = SOMO_SEQ_REPORT_INIT;
	somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
	somo_seq_delivery d;
	(void)state;

	assert_int_equal(somo_seq_new(&seq, NULL, NULL, NULL), SOMO_EINVAL);
	assert_int_equal(somo_seq_new(&seq, man, "nope", NULL), SOMO_ENOTFOUND);
	o.version = 99;
	assert_int_equal(somo_seq_new(&seq, man, NULL, &o), SOMO_EINVAL);
	o.version = SOMO_SEQ_OPTS_VERSION;
	o.max_activities = 3;
	assert_int_equal(somo_seq_new(&seq, man, NULL, &o), SOMO_ELIMIT);
	assert_int_equal(somo_seq_new(&seq, man, "org", NULL), 0);

	assert_int_equal(somo_seq_current(seq, &d), SOMO_ENOTFOUND);
	assert_int_equal(somo_seq_objective_count(seq), 0);
	assert_int_equal(somo_seq_report(seq, &rep), SOMO_ESTATE);
	assert_int_equal(somo_seq_navigate(seq, (somo_nav_request)42, NULL, &res), SOMO_EINVAL);
	assert_int_equal(somo_seq_navigate(seq, SOMO_NAV_CHOICE, "missing", &res), 0);
	assert_false(res.accepted);
	assert_string_equal(res.exception, "NB.2.1-11");
	assert_non_null(res.exception_text);
	assert_int_equal(somo_seq_navigate(seq, SOMO_NAV_CHOICE, "x", &res), 0);
	assert_string_equal(res.deliver, "x");
	rep.has_scaled = true;
	rep.scaled = 1.5;
	assert_int_equal(somo_seq_report(seq, &rep), SOMO_EINVAL);
	rep.scaled = 0.5;
	rep.success = (somo_seq_status)77;
	assert_int_equal(somo_seq_report(seq, &rep), SOMO_EINVAL);
	rep.success = SOMO_SEQ_PASSED;
	rep.version = 5;
	assert_int_equal(somo_seq_report(seq, &rep), SOMO_EINVAL);
	rep.version = SOMO_SEQ_REPORT_VERSION;
	assert_int_equal(somo_seq_report(seq, &rep), 0);
	assert_int_equal(somo_seq_find(seq, "nope", NULL), SOMO_ENOTFOUND);
	somo_seq_free(seq);
	somo_seq_free(NULL);
	somo_manifest_free(man);
}

static void test_shared_globals(void **state)
{
	somo_manifest *man = load();
	somo_seq_globals *g = NULL;
	somo_seq *a = NULL, *b = NULL;
	somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
	somo_seq_result res;
	somo_seq_report_data rep = SOMO_SEQ_REPORT_INIT;
	somo_seq_objective_values v;
	char *json, *state_a;
	(void)state;

	assert_int_equal(somo_seq_globals_new(&g), 0);
	o.globals = g;
	assert_int_equal(somo_seq_new(&a, man, NULL, &o), 0);
	assert_int_equal(somo_seq_new(&b, man, NULL, &o), 0);
	assert_ptr_equal(somo_seq_globals_of(a), g);
	assert_int_equal(somo_seq_navigate(a, SOMO_NAV_CHOICE, "x", &res), 0);
	rep.success = SOMO_SEQ_PASSED;
	assert_int_equal(somo_seq_report(a, &rep), 0);
	/* b reads what a wrote, through the same table */
	assert_int_equal(somo_seq_globals_count(g), 1);
	assert_int_equal(somo_seq_globals_get(somo_seq_globals_of(b), "G", &v), 0);
	assert_int_equal(v.success, SOMO_SEQ_PASSED);
	/* a borrowed table is not saved with the state */
	state_a = somo_seq_state_to_json(a);
	assert_non_null(state_a);
	assert_null(strstr(state_a, "\"globals\""));
	somo_free(state_a);

	json = somo_seq_globals_to_json(g);
	assert_non_null(json);
	assert_int_equal(somo_seq_globals_from_json(g, "{\"bad\":1}"), SOMO_ECORRUPT);
	assert_int_equal(somo_seq_globals_from_json(g, "[{\"id\":\"G\",\"v\":[1,2,0,0,0,0]}]"),
	                 SOMO_ECORRUPT); /* measure out of range */
	assert_int_equal(somo_seq_globals_count(g), 1);
	assert_int_equal(somo_seq_globals_from_json(g, "[]"), 0);
	assert_int_equal(somo_seq_globals_count(g), 0);
	assert_int_equal(somo_seq_globals_from_json(g, json), 0);
	assert_int_equal(somo_seq_globals_at(g, 0, &v), 0);
	assert_string_equal(v.id, "G");
	assert_int_equal(v.success, SOMO_SEQ_PASSED);
	assert_int_equal(somo_seq_globals_at(g, 1, &v), SOMO_ENOTFOUND);
	somo_free(json);

	memset(&v, 0, sizeof(v));
	v.id = "H";
	v.has_scaled = true;
	v.scaled = -2;
	assert_int_equal(somo_seq_globals_set(g, &v), SOMO_EINVAL);
	v.scaled = -0.5;
	assert_int_equal(somo_seq_globals_set(g, &v), 0);
	assert_int_equal(somo_seq_globals_get(g, "H", &v), 0);
	assert_true(v.has_scaled);
	assert_int_equal(v.success, SOMO_SEQ_UNKNOWN);

	somo_seq_free(a);
	somo_seq_free(b);
	somo_seq_globals_free(g);
	somo_manifest_free(man);
}

static void test_state_refusals(void **state)
{
	somo_manifest *man = load();
	somo_seq *seq = NULL;
	somo_seq_result res;
	char *before, *after, *bad;
	const char *p;
	(void)state;

	assert_int_equal(somo_seq_new(&seq, man, NULL, NULL), 0);
	assert_int_equal(somo_seq_navigate(seq, SOMO_NAV_START, NULL, &res), 0);
	assert_non_null(res.deliver);
	before = somo_seq_state_to_json(seq);
	assert_non_null(before);
	assert_int_equal(somo_seq_state_from_json(seq, "not json"), SOMO_ECORRUPT);
	assert_int_equal(somo_seq_state_from_json(seq, "{}"), SOMO_ECORRUPT);
	assert_int_equal(somo_seq_state_from_json(seq, NULL), SOMO_EINVAL);
	/* another organization's state */
	bad = strdup(before);
	p = strstr(bad, "\"org\":\"org\"");
	assert_non_null(p);
	memcpy(bad + (p - bad) + 7, "xyz", 3);
	assert_int_equal(somo_seq_state_from_json(seq, bad), SOMO_ECORRUPT);
	free(bad);
	/* an attempt count that is not a number */
	bad = strdup(before);
	p = strstr(bad, "\"n\":");
	assert_non_null(p);
	bad[p - bad + 4] = '"';
	assert_int_equal(somo_seq_state_from_json(seq, bad), SOMO_ECORRUPT);
	free(bad);
	after = somo_seq_state_to_json(seq);
	assert_string_equal(before, after);
	somo_free(after);
	/* a fresh handle takes the state */
	somo_seq_free(seq);
	assert_int_equal(somo_seq_new(&seq, man, NULL, NULL), 0);
	assert_int_equal(somo_seq_state_from_json(seq, before), 0);
	after = somo_seq_state_to_json(seq);
	assert_string_equal(before, after);
	assert_non_null(somo_seq_current_id(seq));
	somo_free(after);
	somo_free(before);
	somo_seq_free(seq);
	somo_manifest_free(man);
}

static void test_seeded_selection(void **state)
{
	somo_manifest *man = load();
	char seen[64][32];
	int nseen = 0;
	(void)state;

	for (uint64_t seed = 1; seed <= 40; seed++) {
		somo_seq *s1 = NULL, *s2 = NULL;
		somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
		char *j1, *j2, order[32] = "";
		size_t n, i;
		int avail = 0;
		somo_seq_toc_entry e;

		o.seed = seed;
		assert_int_equal(somo_seq_new(&s1, man, NULL, &o), 0);
		assert_int_equal(somo_seq_new(&s2, man, NULL, &o), 0);
		j1 = somo_seq_state_to_json(s1);
		j2 = somo_seq_state_to_json(s2);
		assert_string_equal(j1, j2); /* the same seed, the same tree */
		n = somo_seq_activity_count(s1);
		for (i = 0; i < n; i++) {
			assert_int_equal(somo_seq_toc_at(s1, i, &e), 0);
			if (e.available && e.parent && strcmp(e.parent, "pool") == 0) {
				avail++;
				strncat(order, e.id + 1, sizeof(order) - strlen(order) - 1);
			}
		}
		assert_int_equal(avail, 3);
		for (i = 0; i < (size_t)nseen; i++)
			if (strcmp(seen[i], order) == 0)
				break;
		if (i == (size_t)nseen && nseen < 64)
			strcpy(seen[nseen++], order);
		somo_free(j1);
		somo_free(j2);
		somo_seq_free(s1);
		somo_seq_free(s2);
	}
	/* 60 possible ordered selections: 40 seeds must find many of them */
	assert_true(nseen >= 15);
	somo_manifest_free(man);
}

/* An allocator that fails after a budget, to walk every failure path. */
static long g_budget = -1;
static void *lim_malloc(size_t n)
{
	if (g_budget == 0)
		return NULL;
	if (g_budget > 0)
		g_budget--;
	return malloc(n);
}
static void *lim_realloc(void *p, size_t n)
{
	if (g_budget == 0)
		return NULL;
	if (g_budget > 0)
		g_budget--;
	return realloc(p, n);
}

static void test_out_of_memory(void **state)
{
	somo_manifest *man = load();
	int completed = 0;
	(void)state;

	for (long budget = 0; budget < 200 && !completed; budget++) {
		somo_seq *seq = NULL;
		somo_seq_result res;
		somo_seq_report_data rep = SOMO_SEQ_REPORT_INIT;
		char *js;
		int rc;

		somo_set_alloc_funcs(lim_malloc, lim_realloc, free);
		g_budget = budget;
		rc = somo_seq_new(&seq, man, NULL, NULL);
		if (rc == 0) {
			assert_int_equal(somo_seq_navigate(seq, SOMO_NAV_CHOICE, "x", &res), 0);
			rep.success = SOMO_SEQ_PASSED;
			(void)somo_seq_report(seq, &rep);
			js = somo_seq_state_to_json(seq);
			if (js) {
				rc = somo_seq_state_from_json(seq, js);
				assert_true(rc == 0 || rc == SOMO_ENOMEM);
				if (rc == 0 && g_budget != 0)
					completed = 1;
				somo_free(js);
			}
		} else {
			assert_int_equal(rc, SOMO_ENOMEM);
			assert_null(seq);
		}
		somo_seq_free(seq);
		g_budget = -1;
		somo_set_alloc_funcs(NULL, NULL, NULL);
	}
	assert_true(completed);
	somo_manifest_free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nav_names),        cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_shared_globals),   cmocka_unit_test(test_state_refusals),
	    cmocka_unit_test(test_seeded_selection), cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
