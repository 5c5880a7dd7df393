/*
 * Many sessions on several threads, each with its own store handle on one
 * SQLite file and its own session handles, sharing one parsed manifest,
 * while a second process plays its own learners on the same file.
 * Every learner plays the sample course's first SCO (a committed location,
 * completion, continue) and suspends in the second; afterwards every
 * learner's state is read back from a fresh handle: nothing lost, nothing
 * mixed up.
 *
 * Usage: test-session-threads [THREADS [SESSIONS_PER_THREAD]]   (default 8 x 100)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

typedef struct {
	const somo_manifest *man;
	const char *db;
	int thread;
	int sessions;
	int failures;
	char message[256];
} worker;

static void fail(worker *w, const char *what, const char *detail)
{
	if (!w->failures)
		snprintf(w->message, sizeof(w->message), "thread %d: %s: %s", w->thread, what,
		         detail ? detail : "");
	w->failures++;
}

static bool ok(const char *ret)
{
	return strcmp(ret, "true") == 0;
}

static void *run(void *arg)
{
	worker *w = arg;
	somo_store *st = NULL;
	int i;

	if (somo_store_open_sqlite(&st, w->db, NULL) < 0) {
		fail(w, "open store", somo_error_last()->message);
		return NULL;
	}
	for (i = 0; i < w->sessions; i++) {
		somo_session *s = NULL;
		somo_session_nav nav;
		char learner[64], loc[64];

		snprintf(learner, sizeof(learner), "t%d-l%d", w->thread, i);
		snprintf(loc, sizeof(loc), "loc-%d-%d", w->thread, i);
		if (somo_session_open(&s, st, w->man, learner, NULL) < 0) {
			fail(w, "open session", somo_error_last()->message);
			continue;
		}
		if (somo_session_navigate(s, SOMO_NAV_START, NULL, &nav) < 0 || !nav.deliver)
			fail(w, "start", nav.reason);
		if (!ok(somo_session_initialize(s, "")) ||
		    !ok(somo_session_set_value(s, "cmi.location", loc)) ||
		    !ok(somo_session_commit(s, "")) ||
		    !ok(somo_session_set_value(s, "cmi.completion_status", "completed")) ||
		    !ok(somo_session_set_value(s, "adl.nav.request", "continue")))
			fail(w, "API", learner);
		if (!ok(somo_session_terminate(s, "", &nav)) || !nav.deliver ||
		    strcmp(nav.deliver, "valuation") != 0)
			fail(w, "continue to valuation", learner);
		if (!ok(somo_session_initialize(s, "")) ||
		    !ok(somo_session_set_value(s, "cmi.suspend_data", learner)) ||
		    !ok(somo_session_set_value(s, "cmi.exit", "suspend")) ||
		    !ok(somo_session_set_value(s, "adl.nav.request", "suspendAll")) ||
		    !ok(somo_session_terminate(s, "", &nav)) || !nav.ended)
			fail(w, "suspend", learner);
		somo_session_free(s);
	}
	somo_store_close(st);
	return NULL;
}

/* Every learner resumes in the valuation SCO with their own data. */
static int verify(const somo_manifest *man, const char *db, int threads, int sessions)
{
	somo_store *st = NULL;
	int t, i, bad = 0;

	if (somo_store_open_sqlite(&st, db, NULL) < 0) {
		fprintf(stderr, "reopen: %s\n", somo_error_last()->message);
		return 1;
	}
	for (t = 0; t < threads; t++) {
		for (i = 0; i < sessions; i++) {
			somo_session *s = NULL;
			somo_session_nav nav;
			char learner[64];

			snprintf(learner, sizeof(learner), "t%d-l%d", t, i);
			if (somo_session_open(&s, st, man, learner, NULL) < 0 ||
			    somo_session_navigate(s, SOMO_NAV_RESUME_ALL, NULL, &nav) < 0 ||
			    !nav.deliver || strcmp(nav.deliver, "valuation") != 0 ||
			    !ok(somo_session_initialize(s, "")) ||
			    strcmp(somo_session_get_value(s, "cmi.suspend_data"), learner) != 0 ||
			    strcmp(somo_session_get_value(s, "cmi.entry"), "resume") != 0) {
				if (bad++ < 5)
					fprintf(stderr, "%s: not resumed as left\n", learner);
			}
			somo_session_free(s);
		}
	}
	somo_store_close(st);
	return bad;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 8, sessions = argc > 2 ? atoi(argv[2]) : 100;
	char dir[] = "/tmp/somo-threads-XXXXXX", db[128], pkgpath[4096], rm[160];
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	pthread_t *tid;
	worker *w;
	int t, failures = 0;
	pid_t child;

	if (threads < 1 || threads > 64 || sessions < 1 || sessions > 10000)
		return 2;
	snprintf(pkgpath, sizeof(pkgpath), "%s/examples/courses/customs-clearance-basics",
	         SOMO_SOURCE_DIR);
	if (!mkdtemp(dir) || somo_package_open(&pkg, pkgpath, NULL) < 0 ||
	    somo_manifest_load(&man, pkg, NULL, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", somo_error_last()->message);
		return 1;
	}
	snprintf(db, sizeof(db), "%s/somo.db", dir);
	{
		/* create the file once, so the threads do not race to make the schema */
		somo_store *st = NULL;
		if (somo_store_open_sqlite(&st, db, NULL) < 0) {
			fprintf(stderr, "create: %s\n", somo_error_last()->message);
			return 1;
		}
		somo_store_close(st);
	}
	{
		/* the second process: one more worker, on its own */
		pid_t pid;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			worker pw;
			memset(&pw, 0, sizeof(pw));
			pw.man = man;
			pw.db = db;
			pw.thread = threads; /* its learners are t<threads>-l<i> */
			pw.sessions = sessions;
			run(&pw);
			if (pw.failures)
				fprintf(stderr, "process: %s (%d failures)\n", pw.message,
				        pw.failures);
			_exit(pw.failures ? 1 : 0);
		}
		child = pid;
	}
	tid = calloc((size_t)threads, sizeof(*tid));
	w = calloc((size_t)threads, sizeof(*w));
	for (t = 0; t < threads; t++) {
		w[t].man = man;
		w[t].db = db;
		w[t].thread = t;
		w[t].sessions = sessions;
		pthread_create(&tid[t], NULL, run, &w[t]);
	}
	for (t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		if (w[t].failures) {
			fprintf(stderr, "%s (%d failures)\n", w[t].message, w[t].failures);
			failures += w[t].failures;
		}
	}
	{
		int status;
		if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "the second process failed\n");
			failures++;
		}
	}
	failures += verify(man, db, threads + 1, sessions);
	printf("threads: %d x %d sessions and a second process with %d, %d failures\n", threads,
	       sessions, sessions, failures);
	free(tid);
	free(w);
	somo_manifest_free(man);
	somo_package_free(pkg);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return failures ? 1 : 0;
}
