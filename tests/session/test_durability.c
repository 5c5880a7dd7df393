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
 *    still delivered and every reported Commit present;
 *  - with "golf": the same through the corpus's golf forced sequential
 *    package, the child passing each SCO and moving on with continue (and
 *    starting a new attempt at the end): after each kill sequencing resumes
 *    at the SCO the child was in (or the one its last Terminate delivered)
 *    and that SCO's last reported Commit is there. 77 without the corpus.
 *
 * Usage: test-session-durability [ROUNDS]        (default 25)
 *        test-session-durability golf [ROUNDS]
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <sys/stat.h>
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

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
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
	if (somo_store_open_sqlite(&st, db, &so) < 0 ||
	    somo_store_open_sqlite(&other, db, &so) < 0 ||
	    somo_session_open(&s, st, man, "busy", NULL) < 0) {
		FAIL("open: %s", somo_error_last()->message);
		goto out;
	}
	somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	if (!ok(somo_session_initialize(s, "")) ||
	    !ok(somo_session_set_value(s, "cmi.location", "one")) ||
	    !ok(somo_session_commit(s, "")))
		FAIL("first commit failed");
	if (somo_store_begin(other) < 0) {
		FAIL("begin: %s", somo_error_last()->message);
		goto out;
	}
	somo_session_set_value(s, "cmi.location", "two");
	if (ok(somo_session_commit(s, "")) || somo_session_last_error(s) != 391)
		FAIL("Commit while the store cannot write: error %d, want 391",
		     somo_session_last_error(s));
	somo_store_rollback(other);
	{
		somo_store_runtime *rec = NULL;
		if (somo_store_runtime_get(st, somo_session_registration(s),
		                           somo_session_attempt(s), "intro", &rec) < 0 ||
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
	if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
	    somo_session_open(&s, st, man, "once", &o) < 0) {
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

	if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
	    somo_session_open(&s, st, man, "crash", NULL) < 0)
		_exit(3);
	if (!somo_session_current(s)) {
		somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);
	}
	if (!ok(somo_session_initialize(s, "")))
		_exit(4);
	for (k = start;; k++) {
		snprintf(v, sizeof(v), "%ld", k);
		if (!ok(somo_session_set_value(s, "cmi.location", v)) ||
		    !ok(somo_session_commit(s, "")))
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
			if (last > 0 && (!somo_session_current(s) ||
			                 strcmp(somo_session_current(s), "intro"))) {
				FAIL("round %d: the SCO is no longer delivered", r);
			} else if (last > 0) {
				somo_session_initialize(s, "");
				loc = somo_session_get_value(s, "cmi.location");
				if (atol(loc) < last)
					FAIL("round %d: Commit %ld returned true but the store has "
					     "'%s'",
					     r, last, loc);
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

/* What the golf child reports: a Commit (act, k) or a delivery (act, -1). */
typedef struct {
	char act[40];
	long k;
} report;

static void golf_child(const char *db, int fd, long k)
{
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_nav nav;
	report r;
	char v[32];
	int j;

	if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
	    somo_session_open(&s, st, man, "golfer", NULL) < 0)
		_exit(3);
	for (;;) {
		if (!somo_session_current(s) || !somo_session_running(s)) {
			if (!somo_session_current(s) &&
			    (somo_session_navigate(s, SOMO_NAV_START, NULL, &nav) < 0 ||
			     !nav.deliver))
				_exit(4);
			if (!ok(somo_session_initialize(s, "")))
				_exit(5);
		}
		memset(&r, 0, sizeof(r));
		snprintf(r.act, sizeof(r.act), "%s", somo_session_current(s));
		for (j = 0; j < 3; j++, k++) {
			snprintf(v, sizeof(v), "%ld", k);
			if (!ok(somo_session_set_value(s, "cmi.location", v)) ||
			    !ok(somo_session_commit(s, "")))
				_exit(6);
			r.k = k;
			if (write(fd, &r, sizeof(r)) != sizeof(r))
				_exit(7);
		}
		if (!ok(somo_session_set_value(s, "cmi.completion_status", "completed")) ||
		    !ok(somo_session_set_value(s, "cmi.success_status", "passed")) ||
		    !ok(somo_session_set_value(s, "adl.nav.request", "continue")) ||
		    !ok(somo_session_terminate(s, "", &nav)))
			_exit(8);
		memset(&r, 0, sizeof(r));
		snprintf(r.act, sizeof(r.act), "%s", nav.deliver ? nav.deliver : "");
		r.k = -1;
		if (write(fd, &r, sizeof(r)) != sizeof(r))
			_exit(9);
	}
}

static void golf_crash_test(const char *db, int rounds)
{
	report last;
	long k = 1, checked = 0;
	int r;

	memset(&last, 0, sizeof(last));
	srand((unsigned)time(NULL));
	for (r = 0; r < rounds; r++) {
		int fds[2], status;
		pid_t pid;
		report msg;
		struct timespec ts = {0, (long)(5 + rand() % 60) * 1000000L};

		if (pipe(fds) != 0)
			return;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			golf_child(db, fds[1], k);
		}
		close(fds[1]);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		while (read(fds[0], &msg, sizeof(msg)) == sizeof(msg)) {
			last = msg;
			if (msg.k >= k)
				k = msg.k + 1;
		}
		close(fds[0]);
		waitpid(pid, &status, 0);
		if (WIFEXITED(status)) {
			FAIL("golf round %d: the child ended by itself with %d", r,
			     WEXITSTATUS(status));
			return;
		}
		{
			somo_store *st = NULL;
			somo_session *s = NULL;
			const char *cur;
			if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
			    somo_session_open(&s, st, man, "golfer", NULL) < 0) {
				FAIL("golf round %d: reopen: %s", r, somo_error_last()->message);
				somo_store_close(st);
				return;
			}
			cur = somo_session_current(s);
			if (last.k >= 0 && last.act[0] && cur && !strcmp(cur, last.act)) {
				/* still in the SCO of the last reported Commit: it is there */
				if (somo_session_running(s) || !ok(somo_session_initialize(s, "")))
					FAIL("golf round %d: %s cannot be initialized again", r,
					     cur);
				else if (atol(somo_session_get_value(s, "cmi.location")) < last.k)
					FAIL("golf round %d: %s: Commit %ld returned true, the "
					     "store has '%s'",
					     r, cur, last.k,
					     somo_session_get_value(s, "cmi.location"));
				checked++;
			} else if (last.k < 0 && last.act[0] && (!cur || strcmp(cur, last.act))) {
				FAIL("golf round %d: Terminate delivered %s, the reopened session "
				     "is at %s",
				     r, last.act, cur ? cur : "nothing");
			} else if (last.k >= 0 && last.act[0] && cur && strcmp(cur, last.act)) {
				/* killed after its Terminate was stored: the next SCO (forced
				 * order) */
				static const char *const order[] = {
				    "playing_item", "etuqiette_item", "handicapping_item",
				    "havingfun_item", "assessment_item"};
				size_t q, n = sizeof(order) / sizeof(order[0]);
				for (q = 0; q < n; q++)
					if (!strcmp(order[q], last.act))
						break;
				/* after the quiz the course ended and the child may have
				 * started it again before reporting anything */
				if (q == n || strcmp(cur, order[(q + 1) % n]))
					FAIL("golf round %d: in %s before the kill, at %s after", r,
					     last.act, cur);
			}
			somo_session_free(s);
			somo_store_close(st);
		}
	}
	printf("golf crash: %d rounds, %ld commits checked, last location %ld\n", rounds, checked,
	       k - 1);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/somo-durable-XXXXXX", db[128], pkgpath[4096], rm[160];
	somo_package *pkg = NULL;
	bool golf = argc > 1 && !strcmp(argv[1], "golf");
	int rounds = argc > 1 + golf ? atoi(argv[1 + golf]) : 25;

	if (golf) {
		const char *c = getenv("SOMO_CORPUS_DIR");
		struct stat sb;
		snprintf(
		    pkgpath, sizeof(pkgpath),
		    "%s/scorm/packages-scorm2004/SequencingForcedSequential_SCORM20043rdEdition",
		    c && *c ? c : SOMO_SOURCE_DIR "/../shared/corpus");
		if (stat(pkgpath, &sb) != 0) {
			printf("no corpus: skipped\n");
			return 77;
		}
	} else {
		snprintf(pkgpath, sizeof(pkgpath), "%s/examples/courses/customs-clearance-basics",
		         SOMO_SOURCE_DIR);
	}
	if (!mkdtemp(dir) || somo_package_open(&pkg, pkgpath, NULL) < 0 ||
	    somo_manifest_load(&man, pkg, NULL, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", somo_error_last()->message);
		return 1;
	}
	snprintf(db, sizeof(db), "%s/somo.db", dir);
	if (golf) {
		golf_crash_test(db, rounds);
	} else {
		commit_failure(db);
		attempt_limit(db);
		crash_test(db, rounds);
	}
	somo_manifest_free(man);
	somo_package_free(pkg);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("durability: %d failures\n", failures);
	return failures ? 1 : 0;
}
