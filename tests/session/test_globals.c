/*
 * The scope of global objectives and of adl.data shared data stores: they
 * belong to one learner and one package, unless the organization says
 * adlseq:objectivesGlobalToSystem="true" (adlcp:sharedDataGlobalToSystem
 * ="true" for shared data), when they are shared among that learner's
 * packages that say so too. Two packages map their primary objective to the
 * same global objective id and the same shared data store: a learner passes
 * in the first and writes the store; the second sees both only when both
 * packages are global to the system, and another learner never does. The
 * scope survives closing the store (SQLite file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static int failures;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
	} while (0)

static somo_manifest *manifest(const char *id, bool objectives_global, bool data_global)
{
	char xml[4096];
	somo_manifest *man = NULL;
	int n;

	n = snprintf(xml, sizeof(xml),
	             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	             "<manifest identifier=\"%s\" version=\"1\""
	             " xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
	             " xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\""
	             " xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\""
	             " xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\">"
	             "<metadata><schema>ADL SCORM</schema>"
	             "<schemaversion>2004 4th Edition</schemaversion></metadata>"
	             "<organizations default=\"org\">"
	             "<organization identifier=\"org\" adlseq:objectivesGlobalToSystem=\"%s\""
	             " adlcp:sharedDataGlobalToSystem=\"%s\"><title>%s</title>"
	             "<item identifier=\"sco\" identifierref=\"res\"><title>Lesson</title>"
	             "<adlcp:data><adlcp:map targetID=\"notes\" readSharedData=\"true\""
	             " writeSharedData=\"true\"/></adlcp:data>"
	             "<imsss:sequencing><imsss:objectives>"
	             "<imsss:primaryObjective objectiveID=\"lesson-passed\">"
	             "<imsss:mapInfo targetObjectiveID=\"g-shared\" readSatisfiedStatus=\"true\""
	             " writeSatisfiedStatus=\"true\"/>"
	             "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>"
	             "</item>"
	             "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
	             "</imsss:sequencing></organization></organizations>"
	             "<resources><resource identifier=\"res\" type=\"webcontent\""
	             " adlcp:scormType=\"sco\" href=\"sco.html\"><file href=\"sco.html\"/>"
	             "</resource></resources></manifest>\n",
	             id, objectives_global ? "true" : "false", data_global ? "true" : "false", id);
	if (n < 0 || (size_t)n >= sizeof(xml) ||
	    somo_manifest_parse_memory(&man, xml, (size_t)n, "imsmanifest.xml", NULL, NULL) < 0) {
		FAIL("manifest %s: %s", id, somo_error_last()->message);
		return NULL;
	}
	return man;
}

static bool ok(const char *s)
{
	return strcmp(s, "true") == 0;
}

/* Start the package, run its SCO: write (pass, note) or read what it finds. */
static void play(somo_store *st, const somo_manifest *man, const char *learner, bool write,
                 char *status, size_t status_size, char *note, size_t note_size)
{
	somo_session *s = NULL;
	somo_session_nav nav;

	if (status)
		snprintf(status, status_size, "(none)");
	if (note)
		snprintf(note, note_size, "(none)");
	if (!man || somo_session_open(&s, st, man, learner, NULL) < 0) {
		FAIL("open for %s: %s", learner, somo_error_last()->message);
		return;
	}
	/* a reopened registration whose SCO has ended: the learner chooses it again */
	if (somo_session_current(s) && somo_session_launchable(s))
		FAIL("%s: the ended SCO is offered for launch after a reopening", learner);
	if (somo_session_navigate(s, somo_session_current(s) ? SOMO_NAV_CHOICE : SOMO_NAV_START,
	                          "sco", &nav) < 0 ||
	    !nav.accepted || !somo_session_launchable(s) || !ok(somo_session_initialize(s, ""))) {
		FAIL("start for %s: %s", learner, somo_error_last()->message);
		somo_session_free(s);
		return;
	}
	if (write) {
		if (!ok(somo_session_set_value(s, "cmi.success_status", "passed")) ||
		    !ok(somo_session_set_value(s, "adl.data.0.store", "from the first course")))
			FAIL("SetValue refused: %d", somo_session_last_error(s));
	} else {
		const char *v;
		size_t i, n = (size_t)atoi(somo_session_get_value(s, "cmi.objectives._count"));
		char name[64];

		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "cmi.objectives.%zu.id", i);
			if (strcmp(somo_session_get_value(s, name), "lesson-passed") != 0)
				continue;
			snprintf(name, sizeof(name), "cmi.objectives.%zu.success_status", i);
			snprintf(status, status_size, "%s", somo_session_get_value(s, name));
		}
		v = somo_session_get_value(s, "adl.data.0.store");
		snprintf(note, note_size, "%s", somo_session_last_error(s) == 0 ? v : "(not set)");
	}
	if (!ok(somo_session_terminate(s, "", NULL)))
		FAIL("Terminate for %s: %d", learner, somo_session_last_error(s));
	if (somo_session_launchable(s))
		FAIL("%s: a terminated SCO is offered for launch", learner);
	somo_session_free(s);
}

typedef struct {
	const char *name;
	bool obj_a, data_a, obj_b, data_b;
	bool same_learner;
	const char *want_status, *want_note;
} scenario;

static void run(const char *path, const scenario *sc)
{
	somo_store *st = NULL;
	somo_manifest *a = manifest("org.somo.tests.course-a", sc->obj_a, sc->data_a);
	somo_manifest *b = manifest("org.somo.tests.course-b", sc->obj_b, sc->data_b);
	char status[64], note[128];

	unlink(path);
	if (somo_store_open_sqlite(&st, path, NULL) < 0) {
		FAIL("%s: open store: %s", sc->name, somo_error_last()->message);
		goto out;
	}
	play(st, a, "learner-1", true, NULL, 0, NULL, 0);
	/* what the first course stored is read back from the file */
	somo_store_close(st);
	st = NULL;
	if (somo_store_open_sqlite(&st, path, NULL) < 0) {
		FAIL("%s: reopen store: %s", sc->name, somo_error_last()->message);
		goto out;
	}
	play(st, b, sc->same_learner ? "learner-1" : "learner-2", false, status, sizeof(status),
	     note, sizeof(note));
	if (strcmp(status, sc->want_status) != 0)
		FAIL("%s: the second course's objective reads '%s', want '%s'", sc->name, status,
		     sc->want_status);
	if (strcmp(note, sc->want_note) != 0)
		FAIL("%s: the second course's shared data reads '%s', want '%s'", sc->name, note,
		     sc->want_note);
	/* the first course still sees its own */
	if (sc->same_learner) {
		play(st, a, "learner-1", false, status, sizeof(status), note, sizeof(note));
		if (strcmp(status, "passed") != 0 || strcmp(note, "from the first course") != 0)
			FAIL("%s: the first course lost its own: '%s' '%s'", sc->name, status,
			     note);
	}
out:
	somo_store_close(st);
	somo_manifest_free(a);
	somo_manifest_free(b);
	unlink(path);
}

/*
 * Two courses of one learner open at once, both global to the system: what
 * one writes into a global objective or a shared data store is not
 * overwritten by the other's older copy when the other stores its own state.
 */
static void concurrent(const char *path)
{
	somo_store *st = NULL;
	somo_manifest *a = manifest("org.somo.tests.course-a", true, true);
	somo_manifest *b = manifest("org.somo.tests.course-b", true, true);
	somo_session *sa = NULL, *sb = NULL;
	somo_store_objective *o = NULL;
	somo_store_shared_data *sd = NULL;
	somo_session_nav nav;

	unlink(path);
	if (!a || !b || somo_store_open_sqlite(&st, path, NULL) < 0 ||
	    somo_session_open(&sb, st, b, "learner-1", NULL) < 0) {
		FAIL("concurrent: setup: %s", somo_error_last()->message);
		goto out;
	}
	/* first the learner fails the second course */
	if (somo_session_navigate(sb, SOMO_NAV_START, NULL, &nav) < 0 ||
	    !ok(somo_session_initialize(sb, "")) ||
	    !ok(somo_session_set_value(sb, "cmi.success_status", "failed")) ||
	    !ok(somo_session_set_value(sb, "adl.data.0.store", "first try")) ||
	    !ok(somo_session_terminate(sb, "", NULL)) ||
	    somo_session_navigate(sb, SOMO_NAV_EXIT_ALL, NULL, &nav) < 0)
		FAIL("concurrent: the first try: %s", somo_error_last()->message);
	somo_session_free(sb);
	sb = NULL;
	if (somo_session_open(&sa, st, a, "learner-1", NULL) < 0 ||
	    somo_session_open(&sb, st, b, "learner-1", NULL) < 0) {
		FAIL("concurrent: setup: %s", somo_error_last()->message);
		goto out;
	}
	/* the first course's SCO starts (reading both) before the second writes */
	if (somo_session_navigate(sa, SOMO_NAV_START, NULL, &nav) < 0 || !nav.accepted ||
	    !ok(somo_session_initialize(sa, "")))
		FAIL("concurrent: the first course: %s", somo_error_last()->message);
	if (somo_session_navigate(sb, SOMO_NAV_START, NULL, &nav) < 0 ||
	    !ok(somo_session_initialize(sb, "")) ||
	    !ok(somo_session_set_value(sb, "cmi.success_status", "passed")) ||
	    !ok(somo_session_set_value(sb, "adl.data.0.store", "second try")) ||
	    !ok(somo_session_terminate(sb, "", NULL)))
		FAIL("concurrent: the second course: %s", somo_error_last()->message);
	if (somo_session_launchable(sb))
		FAIL("concurrent: a terminated SCO is offered for launch");
	/* the first course stores its state after: a Commit, then Terminate */
	if (!ok(somo_session_set_value(sa, "cmi.location", "p2")) ||
	    !ok(somo_session_commit(sa, "")) || !ok(somo_session_terminate(sa, "", NULL)))
		FAIL("concurrent: the first course's end: %s", somo_error_last()->message);
	if (somo_store_objective_get(st, "learner-1", "", "g-shared", &o) < 0 ||
	    o->success != SOMO_STORE_SUCCESS_SATISFIED)
		FAIL("concurrent: the global objective lost the second course's pass (%d)",
		     o ? (int)o->success : -1);
	if (somo_store_shared_data_get(st, "learner-1", "", "notes", &sd) < 0 ||
	    strcmp(sd->data, "second try") != 0)
		FAIL("concurrent: the shared store lost the second course's write ('%s')",
		     sd ? sd->data : "(none)");
out:
	somo_free(o);
	somo_free(sd);
	somo_session_free(sa);
	somo_session_free(sb);
	somo_store_close(st);
	somo_manifest_free(a);
	somo_manifest_free(b);
	unlink(path);
}

int main(void)
{
	static const scenario cases[] = {
	    {"both global to the system", true, true, true, true, true, "passed",
	     "from the first course"},
	    {"only the first global", true, true, false, false, true, "unknown", "(not set)"},
	    {"only the second global", false, false, true, true, true, "unknown", "(not set)"},
	    {"neither global", false, false, false, false, true, "unknown", "(not set)"},
	    {"objectives global, data not", true, false, true, false, true, "passed", "(not set)"},
	    {"data global, objectives not", false, true, false, true, true, "unknown",
	     "from the first course"},
	    {"another learner", true, true, true, true, false, "unknown", "(not set)"},
	};
	char path[4096];
	size_t i;

	snprintf(path, sizeof(path), "%s/somo-test-globals-%ld.db",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(path, &cases[i]);
	concurrent(path);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures ? 1 : 0;
}
