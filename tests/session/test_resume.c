/*
 * Suspend in one process, resume in another: a child process opens a
 * session on an SQLite store, writes many elements, reads every one back,
 * suspends (cmi.exit suspend, suspendAll) and exits; then this process opens
 * the same store, resumes, and every element reads back the same through
 * GetValue (cmi.entry is "resume").
 *
 * Usage: test-session-resume 2004   (the sample course)
 *        test-session-resume 12     (the corpus's SCORM 1.2 golf package; 77 without it)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static const char *const set2004[][2] = {
    {"cmi.location", "page-7"},
    {"cmi.suspend_data", "state={\"a\":[1,2,3]}; unicode \xc3\xa9\xe2\x82\xac"},
    {"cmi.score.scaled", "0.625"},
    {"cmi.score.raw", "62.5"},
    {"cmi.score.min", "0"},
    {"cmi.score.max", "100"},
    {"cmi.progress_measure", "0.5"},
    {"cmi.completion_status", "incomplete"},
    {"cmi.success_status", "unknown"},
    {"cmi.learner_preference.audio_level", "0.75"},
    {"cmi.learner_preference.language", "fr-CA"},
    {"cmi.learner_preference.delivery_speed", "1.5"},
    {"cmi.learner_preference.audio_captioning", "1"},
    {"cmi.objectives.0.id", "obj-valuation"},
    {"cmi.objectives.0.score.scaled", "0.8"},
    {"cmi.objectives.0.score.raw", "8"},
    {"cmi.objectives.0.success_status", "passed"},
    {"cmi.objectives.0.completion_status", "completed"},
    {"cmi.objectives.0.progress_measure", "1"},
    {"cmi.objectives.0.description", "{lang=en}Knows the transaction value method"},
    {"cmi.objectives.1.id", "obj-tariff"},
    {"cmi.objectives.1.success_status", "failed"},
    {"cmi.interactions.0.id", "q1"},
    {"cmi.interactions.0.type", "choice"},
    {"cmi.interactions.0.objectives.0.id", "obj-valuation"},
    {"cmi.interactions.0.timestamp", "2026-12-04T10:00:00.5Z"},
    {"cmi.interactions.0.correct_responses.0.pattern", "a[,]c"},
    {"cmi.interactions.0.weighting", "2"},
    {"cmi.interactions.0.learner_response", "a[,]b"},
    {"cmi.interactions.0.result", "incorrect"},
    {"cmi.interactions.0.latency", "PT12.5S"},
    {"cmi.interactions.0.description", "{lang=en}Which costs are part of the value?"},
    {"cmi.interactions.1.id", "q2"},
    {"cmi.interactions.1.type", "numeric"},
    {"cmi.interactions.1.learner_response", "12.5"},
    {"cmi.interactions.1.correct_responses.0.pattern", "10[:]15"},
    {"cmi.interactions.1.result", "correct"},
    {"cmi.comments_from_learner.0.comment", "{lang=en}Hard to follow on page 4"},
    {"cmi.comments_from_learner.0.location", "page-4"},
    {"cmi.comments_from_learner.0.timestamp", "2026-12-04T10:01:00"},
    {"cmi.session_time", "PT3M20S"},
};

static const char *const read2004[] = {
    "cmi.learner_id",
    "cmi.learner_name",
    "cmi.credit",
    "cmi.mode",
    "cmi.objectives._count",
    "cmi.interactions._count",
    "cmi.comments_from_learner._count",
    "cmi.interactions.0.objectives._count",
    "cmi.interactions.0.correct_responses._count",
    "cmi.comments_from_lms._count",
};

static const char *const set12[][2] = {
    {"cmi.core.lesson_location", "chapter-2"},
    {"cmi.suspend_data", "x=1;y=[2,3]"},
    {"cmi.core.score.raw", "55"},
    {"cmi.core.score.min", "0"},
    {"cmi.core.score.max", "80"},
    {"cmi.core.lesson_status", "incomplete"},
    {"cmi.comments", "a learner's note"},
    {"cmi.objectives.0.id", "obj1"},
    {"cmi.objectives.0.score.raw", "7"},
    {"cmi.objectives.0.status", "passed"},
    {"cmi.student_preference.audio", "3"},
    {"cmi.student_preference.language", "de"},
    {"cmi.student_preference.speed", "-20"},
    {"cmi.student_preference.text", "1"},
    {"cmi.interactions.0.id", "i1"},
    {"cmi.interactions.0.type", "true-false"},
    {"cmi.interactions.0.student_response", "t"},
    {"cmi.interactions.0.result", "correct"},
    {"cmi.core.session_time", "00:02:30"},
};

static const char *const read12[] = {
    "cmi.core.student_id",  "cmi.core.student_name",          "cmi.core.credit",
    "cmi.core.lesson_mode", "cmi.objectives._count",          "cmi.interactions._count",
    "cmi.launch_data",      "cmi.student_data.mastery_score",
};

static int failures;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
	} while (0)

/* Open the store and the session on it. */
static int open_all(const char *pkgpath, const char *db, somo_package **pkg, somo_manifest **man,
                    somo_store **st, somo_session **s)
{
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;

	o.learner_name = "Resumer, Rita";
	if (somo_package_open(pkg, pkgpath, NULL) < 0 ||
	    somo_manifest_load(man, *pkg, NULL, NULL) < 0 ||
	    somo_store_open_sqlite(st, db, NULL) < 0 ||
	    somo_session_open(s, *st, *man, "rita", &o) < 0) {
		FAIL("open: %s", somo_error_last()->message);
		return -1;
	}
	return 0;
}

static void close_all(somo_package *pkg, somo_manifest *man, somo_store *st, somo_session *s)
{
	somo_session_free(s);
	somo_store_close(st);
	somo_manifest_free(man);
	somo_package_free(pkg);
}

/* The child: write, read back into out (element TAB value lines), suspend. */
static int phase1(const char *pkgpath, const char *db, bool v12, FILE *out)
{
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	size_t i, n = v12 ? sizeof(set12) / sizeof(set12[0]) : sizeof(set2004) / sizeof(set2004[0]);
	size_t nr =
	    v12 ? sizeof(read12) / sizeof(read12[0]) : sizeof(read2004) / sizeof(read2004[0]);

	if (open_all(pkgpath, db, &pkg, &man, &st, &s) < 0)
		return 1;
	if (somo_session_navigate(s, SOMO_NAV_START, NULL, &nav) < 0 || !nav.deliver) {
		FAIL("start delivered nothing: %s", nav.reason ? nav.reason : "");
		return 1;
	}
	if (strcmp(somo_session_initialize(s, ""), "true") != 0)
		FAIL("Initialize failed: %d", somo_session_last_error(s));
	for (i = 0; i < n; i++) {
		const char *el = v12 ? set12[i][0] : set2004[i][0];
		const char *v = v12 ? set12[i][1] : set2004[i][1];
		if (strcmp(somo_session_set_value(s, el, v), "true") != 0)
			FAIL("SetValue(%s, %s): %d", el, v, somo_session_last_error(s));
	}
	if (strcmp(somo_session_commit(s, ""), "true") != 0)
		FAIL("Commit: %d", somo_session_last_error(s));
	for (i = 0; i < n + nr; i++) {
		const char *el = i < n ? (v12 ? set12[i][0] : set2004[i][0])
		                       : (v12 ? read12[i - n] : read2004[i - n]);
		const char *v;
		if (strstr(el, "session_time") || (v12 && strstr(el, "cmi.interactions.0.")))
			continue; /* write-only */
		v = somo_session_get_value(s, el);
		if (somo_session_last_error(s) != 0)
			FAIL("GetValue(%s): %d", el, somo_session_last_error(s));
		fprintf(out, "%s\t%s\n", el, v);
	}
	somo_session_set_value(s, v12 ? "cmi.core.exit" : "cmi.exit", "suspend");
	if (!v12)
		somo_session_set_value(s, "adl.nav.request", "suspendAll");
	if (strcmp(somo_session_terminate(s, "", &nav), "true") != 0)
		FAIL("Terminate: %d", somo_session_last_error(s));
	if (v12 && somo_session_navigate(s, SOMO_NAV_SUSPEND_ALL, NULL, &nav) < 0)
		FAIL("suspendAll: %s", somo_error_last()->message);
	if (!nav.ended)
		FAIL("the session did not end at suspendAll");
	close_all(pkg, man, st, s);
	return failures ? 1 : 0;
}

static int phase2(const char *pkgpath, const char *db, bool v12, FILE *in)
{
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	char *line = NULL;
	size_t cap = 0, count = 0;
	ssize_t n;

	if (open_all(pkgpath, db, &pkg, &man, &st, &s) < 0)
		return 1;
	if (!somo_session_request_valid(s, SOMO_NAV_RESUME_ALL, NULL))
		FAIL("resumeAll is not valid after the restart");
	if (somo_session_navigate(s, SOMO_NAV_RESUME_ALL, NULL, &nav) < 0 || !nav.deliver)
		FAIL("resumeAll delivered nothing: %s", nav.reason ? nav.reason : "");
	if (strcmp(somo_session_initialize(s, ""), "true") != 0)
		FAIL("Initialize failed: %d", somo_session_last_error(s));
	if (strcmp(somo_session_get_value(s, v12 ? "cmi.core.entry" : "cmi.entry"), "resume") != 0)
		FAIL("entry is '%s', not resume",
		     somo_session_get_value(s, v12 ? "cmi.core.entry" : "cmi.entry"));
	if (!v12 && strcmp(somo_session_get_value(s, "cmi.total_time"), "PT3M20S") != 0)
		FAIL("total_time is '%s', not PT3M20S",
		     somo_session_get_value(s, "cmi.total_time"));
	if (v12 && strcmp(somo_session_get_value(s, "cmi.core.total_time"), "0000:02:30.00") != 0 &&
	    strcmp(somo_session_get_value(s, "cmi.core.total_time"), "00:02:30") != 0)
		FAIL("total_time is '%s', not 2:30",
		     somo_session_get_value(s, "cmi.core.total_time"));
	while ((n = getline(&line, &cap, in)) > 0) {
		char *tab = strchr(line, '\t');
		const char *got;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (!tab)
			continue;
		*tab = '\0';
		got = somo_session_get_value(s, line);
		if (strcmp(got, tab + 1) != 0 || somo_session_last_error(s) != 0)
			FAIL("%s: '%s' before suspend, '%s' (error %d) after resume", line, tab + 1,
			     got, somo_session_last_error(s));
		count++;
	}
	free(line);
	if (count < 10)
		FAIL("only %zu elements were compared", count);
	close_all(pkg, man, st, s);
	printf("resume (%s): %zu elements read back, %d failures\n", v12 ? "1.2" : "2004", count,
	       failures);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/somo-resume-XXXXXX", db[128], pkg[4096], rm[160];
	const char *cdir = getenv("SOMO_CORPUS_DIR");
	struct stat sb;
	bool v12 = argc > 1 && !strcmp(argv[1], "12");
	int fds[2], status, rc;
	pid_t pid;
	FILE *in;

	if (v12) {
		if (cdir && *cdir)
			snprintf(pkg, sizeof(pkg),
			         "%s/scorm/packages-scorm12/RuntimeBasicCalls_SCORM12", cdir);
		else
			snprintf(
			    pkg, sizeof(pkg),
			    "%s/../shared/corpus/scorm/packages-scorm12/RuntimeBasicCalls_SCORM12",
			    SOMO_SOURCE_DIR);
		if (stat(pkg, &sb) != 0) {
			printf("no corpus: skipped\n");
			return 77;
		}
	} else {
		snprintf(pkg, sizeof(pkg), "%s/examples/courses/customs-clearance-basics",
		         SOMO_SOURCE_DIR);
	}
	if (!mkdtemp(dir) || pipe(fds) != 0)
		return 1;
	snprintf(db, sizeof(db), "%s/somo.db", dir);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		FILE *out = fdopen(fds[1], "w");
		close(fds[0]);
		rc = phase1(pkg, db, v12, out);
		fclose(out);
		_exit(rc);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	{
		/* read everything first: the child's writes must not block on the pipe */
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		int ch;
		while ((ch = fgetc(in)) != EOF)
			fputc(ch, mem);
		fclose(mem);
		fclose(in);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "the suspending process failed\n");
			free(buf);
			return 1;
		}
		in = fmemopen(buf, len ? len : 1, "r");
		rc = phase2(pkg, db, v12, in);
		fclose(in);
		free(buf);
	}
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return rc;
}
