/*
 * xAPI statements of a session: the sample course played with an activity
 * base puts, in order, the ADL SCORM profile verbs into the outbox; every
 * statement is valid xAPI (1.0.3 and 2.0), names the learner's account, the
 * registration and the course, and has in context.contextActivities
 * .grouping the course and the attempt activity of ADL's xAPI SCORM profile
 * (the activity's IRI with "?attemptId=<registration>&attempt=<number>",
 * the same when the attempt is resumed); without a base nothing is enqueued; a base
 * that is not an IRI enqueues nothing and the content does not notice.
 * Also the launch URLs a session gives (xml:base, item parameters).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"
#include "somo/xapi.h"

static int failures;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
	} while (0)

typedef struct {
	char verbs[1024];
	const char *registration;
	int count;
} seen;

/* grouping holds the course and "<object id>?attemptId=<reg>&attempt=1". */
static void check_grouping(const char *statement, const char *registration)
{
	json_t *root = json_loads(statement, 0, NULL);
	json_t *grouping = json_object_get(
	    json_object_get(json_object_get(root, "context"), "contextActivities"), "grouping");
	const char *object = json_string_value(json_object_get(json_object_get(root, "object"), "id"));
	char want[1024];
	bool attempt = false, course = false;
	size_t i;
	json_t *a;

	snprintf(want, sizeof(want), "%s?attemptId=%s&attempt=1", object ? object : "?",
	         registration);
	json_array_foreach(grouping, i, a)
	{
		const char *id = json_string_value(json_object_get(a, "id"));
		const char *type = json_string_value(
		    json_object_get(json_object_get(a, "definition"), "type"));
		if (id && !strcmp(id, want) && type &&
		    !strcmp(type, "http://adlnet.gov/expapi/activities/attempt"))
			attempt = true;
		if (id && !strcmp(id, "https://lms.example/c/"))
			course = true;
	}
	if (!object || !attempt || !course)
		FAIL("grouping without the course or the attempt activity %s: %s", want, statement);
	json_decref(root);
}

static int collect(const somo_store_outbox_entry *e, void *payload)
{
	seen *sn = payload;
	somo_xapi_validate_opts vo = SOMO_XAPI_VALIDATE_OPTS_INIT;
	const char *v = strstr(e->statement, "http://adlnet.gov/expapi/verbs/");
	int k;

	for (k = 0; k < 2; k++) {
		vo.xapi = k ? SOMO_XAPI_2_0 : SOMO_XAPI_1_0_3;
		if (somo_xapi_validate_json(e->statement, strlen(e->statement), &vo, NULL, NULL) !=
		    0)
			FAIL("not valid xAPI %s: %s", k ? "2.0" : "1.0.3", e->statement);
	}
	if (!strstr(e->statement, "\"homePage\":\"https://lms.example/\"") ||
	    !strstr(e->statement, "\"name\":\"x-1\"") || !strstr(e->statement, sn->registration) ||
	    !strstr(e->statement,
	            "\"parent\":[{\"objectType\":\"Activity\",\"id\":\"https://lms.example/c/\""))
		FAIL("actor, registration or course missing: %s", e->statement);
	check_grouping(e->statement, sn->registration);
	if (v) {
		const char *end = strchr(v + 31, '"');
		size_t len = strlen(sn->verbs);
		snprintf(sn->verbs + len, sizeof(sn->verbs) - len, "%s%.*s", len ? " " : "",
		         (int)(end - v - 31), v + 31);
	}
	sn->count++;
	return 0;
}

static bool ok(const char *s)
{
	return strcmp(s, "true") == 0;
}

static void play(somo_store *st, const somo_manifest *man, const char *base)
{
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;
	somo_session *s = NULL;
	somo_session_nav nav;

	o.xapi_activity_base = base;
	o.xapi_account_home = "https://lms.example/";
	if (somo_session_open(&s, st, man, "x-1", &o) < 0) {
		FAIL("open: %s", somo_error_last()->message);
		return;
	}
	somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	if (somo_session_running(s))
		FAIL("running before Initialize");
	if (!ok(somo_session_initialize(s, "")) || !somo_session_running(s) ||
	    !ok(somo_session_set_value(s, "cmi.completion_status", "completed")) ||
	    !ok(somo_session_set_value(s, "cmi.session_time", "PT30S")) ||
	    !ok(somo_session_set_value(s, "adl.nav.request", "continue")) ||
	    !ok(somo_session_terminate(s, "", &nav)) || somo_session_running(s))
		FAIL("intro");
	if (!ok(somo_session_initialize(s, "")) ||
	    !ok(somo_session_set_value(s, "cmi.exit", "suspend")) ||
	    !ok(somo_session_set_value(s, "adl.nav.request", "suspendAll")) ||
	    !ok(somo_session_terminate(s, "", &nav)))
		FAIL("valuation");
	somo_session_free(s);
	s = NULL;
	if (somo_session_open(&s, st, man, "x-1", &o) < 0) {
		FAIL("reopen: %s", somo_error_last()->message);
		return;
	}
	somo_session_navigate(s, SOMO_NAV_RESUME_ALL, NULL, &nav);
	if (!ok(somo_session_initialize(s, "")) ||
	    !ok(somo_session_set_value(s, "cmi.completion_status", "completed")) ||
	    !ok(somo_session_set_value(s, "adl.nav.request", "continue")) ||
	    !ok(somo_session_terminate(s, "", &nav)))
		FAIL("valuation resumed");
	if (!ok(somo_session_initialize(s, "")) ||
	    !ok(somo_session_set_value(s, "cmi.score.scaled", "0.5")) ||
	    !ok(somo_session_set_value(s, "cmi.completion_status", "completed")) ||
	    !ok(somo_session_terminate(s, "", &nav)))
		FAIL("quiz");
	somo_session_free(s);
}

static void launch_urls(void)
{
	char path[4096];
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	char *url;

	snprintf(path, sizeof(path), "%s/tests/session/data/packages/shared-data", SOMO_SOURCE_DIR);
	if (somo_package_open(&pkg, path, NULL) < 0 ||
	    somo_manifest_load(&man, pkg, NULL, NULL) < 0 ||
	    somo_store_open_memory(&st, NULL) < 0 ||
	    somo_session_open(&s, st, man, "u", NULL) < 0) {
		FAIL("launch: %s", somo_error_last()->message);
		goto out;
	}
	if ((url = somo_session_launch_url(s)) != NULL)
		FAIL("a launch URL before any delivery: %s", url);
	somo_free(url);
	somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	url = somo_session_launch_url(s);
	if (!url || strcmp(url, "content/sco.html?who=writer") != 0)
		FAIL("writer's launch URL: %s", url ? url : "(none)");
	somo_free(url);
	somo_session_navigate(s, SOMO_NAV_CHOICE, "reader", &nav);
	url = somo_session_launch_url(s);
	if (!url || strcmp(url, "content/sco.html?who=reader") != 0)
		FAIL("reader's launch URL: %s", url ? url : "(none)");
	somo_free(url);
	if (!somo_session_current_item(s) || strcmp(somo_session_current_item(s)->title, "Reader"))
		FAIL("current item");
out:
	somo_session_free(s);
	somo_store_close(st);
	somo_manifest_free(man);
	somo_package_free(pkg);
}

static int scaled_of(const somo_store_outbox_entry *e, void *payload)
{
	const char *p = strstr(e->statement, "\"scaled\":");

	if (strstr(e->statement, "/verbs/passed"))
		snprintf(payload, 64, "%.*s", p ? (int)strcspn(p + 9, ",}") : 6,
		         p ? p + 9 : "(none)");
	return 0;
}

/* SCORM 1.2: the passed statement carries a scaled score from raw, min, max. */
static void scorm12_scaled(const char *min, const char *max, const char *raw, const char *want)
{
	static const char xml[] =
	    "<manifest identifier=\"org.somo.tests.s12\" version=\"1\""
	    " xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
	    " xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">"
	    "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
	    "<organizations default=\"o\"><organization identifier=\"o\"><title>Q</title>"
	    "<item identifier=\"quiz\" identifierref=\"r\"><title>Quiz</title></item>"
	    "</organization></organizations><resources><resource identifier=\"r\""
	    " type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"q.html\"/></resources>"
	    "</manifest>";
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	char got[64] = "(no passed statement)";

	o.xapi_activity_base = "https://lms.example/q/";
	if (somo_manifest_parse_memory(&man, xml, sizeof(xml) - 1, "imsmanifest.xml", NULL, NULL) <
	        0 ||
	    somo_store_open_memory(&st, NULL) < 0 ||
	    somo_session_open(&s, st, man, "x-12", &o) < 0) {
		FAIL("1.2 setup: %s", somo_error_last()->message);
		goto out;
	}
	somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	if (!ok(somo_session_initialize(s, "")) ||
	    (min && !ok(somo_session_set_value(s, "cmi.core.score.min", min))) ||
	    (max && !ok(somo_session_set_value(s, "cmi.core.score.max", max))) ||
	    !ok(somo_session_set_value(s, "cmi.core.score.raw", raw)) ||
	    !ok(somo_session_set_value(s, "cmi.core.lesson_status", "passed")) ||
	    !ok(somo_session_terminate(s, "", NULL)))
		FAIL("1.2 run: %d", somo_session_last_error(s));
	somo_store_outbox_list(st, 0, 0, scaled_of, got);
	if (strcmp(got, want) != 0)
		FAIL("1.2 scaled score of raw %s in %s..%s: %s, want %s", raw, min ? min : "-",
		     max ? max : "-", got, want);
out:
	somo_session_free(s);
	somo_store_close(st);
	somo_manifest_free(man);
}

int main(void)
{
	char path[4096];
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_store_outbox_counts n;
	seen sn;

	launch_urls();
	scorm12_scaled(NULL, NULL, "80", "0.8");
	scorm12_scaled("20", "60", "50", "0.75");
	scorm12_scaled("50", "50", "50", "(none)");
	snprintf(path, sizeof(path), "%s/examples/courses/customs-clearance-basics",
	         SOMO_SOURCE_DIR);
	if (somo_package_open(&pkg, path, NULL) < 0 ||
	    somo_manifest_load(&man, pkg, NULL, NULL) < 0 ||
	    somo_store_open_memory(&st, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", somo_error_last()->message);
		return 1;
	}
	/* without a base: nothing */
	play(st, man, NULL);
	somo_store_outbox_count(st, &n);
	if (n.pending)
		FAIL("%llu statements without an activity base", (unsigned long long)n.pending);
	somo_store_close(st);
	st = NULL;
	/* a base that is no IRI: nothing enqueued, the content unaffected */
	somo_store_open_memory(&st, NULL);
	play(st, man, "not an iri");
	somo_store_outbox_count(st, &n);
	if (n.pending)
		FAIL("%llu statements with a base that is no IRI", (unsigned long long)n.pending);
	somo_store_close(st);
	st = NULL;
	somo_store_open_memory(&st, NULL);
	play(st, man, "https://lms.example/c/");
	memset(&sn, 0, sizeof(sn));
	{
		somo_session *s = NULL;
		somo_session_open(&s, st, man, "x-1", NULL);
		sn.registration = s ? somo_session_registration(s) : "";
		somo_store_outbox_list(st, 0, 0, collect, &sn);
		somo_session_free(s);
	}
	if (strcmp(sn.verbs,
	           "initialized completed terminated initialized suspended resumed completed "
	           "terminated initialized failed terminated") != 0)
		FAIL("verbs: %s", sn.verbs);
	printf("statements: %d enqueued (%s), %d failures\n", sn.count, sn.verbs, failures);
	somo_store_close(st);
	somo_manifest_free(man);
	somo_package_free(pkg);
	return failures ? 1 : 0;
}
