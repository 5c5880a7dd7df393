/*
 * What the store guarantees a learner, through the session:
 *  - Commit returns "true" only once the state is stored: when the store
 *    cannot write (another handle holds the write lock past the busy
 *    timeout) Commit answers "false" with 391 and the stored state is the
 *    previous one;
 *  - attempt limits: a registration with max_attempts 1 cannot begin a
 *    second attempt once the first ended;
 *  - a crash test: a child process commits numbered locations and reports
 *    each Commit that returned "true"; it is killed with SIGKILL at random
 *    moments, many times; after each kill the next process finds the SCO
 *    still delivered and every reported Commit present.
 *
 * Usage: test-session-durability [ROUNDS]   (default 25)
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static int failures;

#define FAIL(...)                             \
	do {                                  \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr);          \
		failures++;                   \
	} while (0)

static somo_manifest *man;

static bool ok(const char *s)
{
	return strcmp(s, "true") == 0;
}

static void commit_failure(const char *db)
{
	somo_store_opts so = SOMO_STORE_OPTS_INIT;
	somo_store *st = NULL, *other = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;

	so.busy_timeout_ms = 50;
	if (somo_store_open_sqlite(&st, db, &so) < 0 || somo_store_open_sqlite(&other, db, &so) < 0 ||
	    somo_session_open(&s, st, man, "busy", NULL) < 0) {
		FAIL("open: %s", somo_error_last()->message);
		goto out;
	}
	somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	if (!ok(somo_session_initialize(s, "")) || !ok(somo_session_set_value(s, "cmi.location", "one")) ||
	    !ok(somo_session_commit(s, "")))
		FAIL("first commit failed");
	if (somo_store_begin(other) < 0) {
		FAIL("begin: %s", somo_error_last()->message);
		goto out;
	}
	somo_session_set_value(s, "cmi.location", "two");
	if (ok(somo_session_commit(s, "")) || somo_session_last_error(s) != 391)
		FAIL("Commit while the store cannot write: error %d, want 391", somo_session_last_error(s));
	somo_store_rollback(other);
	{
		somo_store_runtime *rec = NULL;
		if (somo_store_runtime_get(st, somo_session_registration(s), somo_session_attempt(s),
					   "intro", &rec) < 0 ||
		    !strstr(rec->state, "\"one\"") || strstr(rec->state, "\"two\""))
			FAIL("the stored state is not the last committed one");
		somo_free(rec);
	}
	if (!ok(somo_session_commit(s, "")))
		FAIL("Commit once the store is free again: %d", somo_session_last_error(s));
out:
	somo_session_free(s);
	somo_store_close(other);
	somo_store_close(st);
}

static void attempt_limit(const char *db)
{
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	int rc;

	o.max_attempts = 1;
	if (somo_store_open_sqlite(&st, db, NULL) < 0 || somo_session_open(&s, st, man, "once", &o) < 0) {
		FAIL("open: %s", somo_error_last()->message);
		goto out;
	}
	somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	somo_session_navigate(s, SOMO_NAV_EXIT_ALL, NULL, &nav);
	if (!nav.ended)
		FAIL("exitAll did not end the session");
	somo_session_free(s);
	s = NULL;
	rc = somo_session_open(&s, st, man, "once", &o);
	if (rc != SOMO_ELIMIT)
		FAIL("a second attempt beyond max_attempts 1: %d, want SOMO_ELIMIT", rc);
	o.max_attempts = 2;
	somo_session_free(s);
	s = NULL;
	if (somo_session_open(&s, st, man, "once", &o) < 0 || somo_session_attempt(s) != 2)
		FAIL("max_attempts 2 allows attempt 2");
out:
	somo_session_free(s);
	somo_store_close(st);
}

/* The child: reopen (resuming whatever is delivered), then commit 1, 2, ... */
static void crash_child(const char *db, int fd, long start)
{
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	char v[32];
	long k;

	if (somo_store_open_sqlite(&st, db, NULL) < 0 || somo_session_open(&s, st, man, "crash", NULL) < 0)
		_exit(3);
	if (!somo_session_current(s)) {
		somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	}
	if (!ok(somo_session_initialize(s, "")))
		_exit(4);
	for (k = start;; k++) {
		snprintf(v, sizeof(v), "%ld", k);
		if (!ok(somo_session_set_value(s, "cmi.location", v)) || !ok(somo_session_commit(s, "")))
			_exit(5);
		if (write(fd, &k, sizeof(k)) != sizeof(k))
			_exit(6);
	}
}

static void crash_test(const char *db, int rounds)
{
	long last = 0;
	int r;

	srand((unsigned)time(NULL));
	for (r = 0; r < rounds; r++) {
		int fds[2], status;
		pid_t pid;
		long k;
		struct timespec ts = {0, (long)(1 + rand() % 40) * 1000000L};

		if (pipe(fds) != 0)
			return;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			crash_child(db, fds[1], last + 1);
		}
		close(fds[1]);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		while (read(fds[0], &k, sizeof(k)) == sizeof(k))
			last = k;
		close(fds[0]);
		waitpid(pid, &status, 0);
		if (WIFEXITED(status)) {
			FAIL("round %d: the child ended by itself with %d", r, WEXITSTATUS(status));
			return;
		}
		/* a fresh process image is not needed to check: a new handle reads the file */
		{
			somo_store *st = NULL;
			somo_session *s = NULL;
			const char *loc;
			if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
			    somo_session_open(&s, st, man, "crash", NULL) < 0) {
				FAIL("round %d: reopen: %s", r, somo_error_last()->message);
				somo_store_close(st);
				return;
			}
			if (last > 0 && (!somo_session_current(s) || strcmp(somo_session_current(s), "intro"))) {
				FAIL("round %d: the SCO is no longer delivered", r);
			} else if (last > 0) {
				somo_session_initialize(s, "");
				loc = somo_session_get_value(s, "cmi.location");
				if (atol(loc) < last)
					FAIL("round %d: Commit %ld returned true but the store has '%s'", r, last, loc);
				else
					last = atol(loc);
				if (strcmp(somo_session_get_value(s, "cmi.entry"), "resume") != 0)
					FAIL("round %d: entry is not resume", r);
			}
			/* free without Terminate: the next process finds it delivered */
			somo_session_free(s);
			somo_store_close(st);
		}
	}
	printf("crash: %d rounds, %ld commits checked\n", rounds, last);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/somo-durable-XXXXXX", db[128], pkgpath[4096], rm[160];
	somo_package *pkg = NULL;
	int rounds = argc > 1 ? atoi(argv[1]) : 25;

	snprintf(pkgpath, sizeof(pkgpath), "%s/examples/courses/customs-clearance-basics", SOMO_SOURCE_DIR);
	if (!mkdtemp(dir) || somo_package_open(&pkg, pkgpath, NULL) < 0 ||
	    somo_manifest_load(&man, pkg, NULL, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", somo_error_last()->message);
		return 1;
	}
	snprintf(db, sizeof(db), "%s/somo.db", dir);
	commit_failure(db);
	attempt_limit(db);
	crash_test(db, rounds);
	somo_manifest_free(man);
	somo_package_free(pkg);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("durability: %d failures\n", failures);
	return failures ? 1 : 0;
}
