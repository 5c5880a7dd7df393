/*
 * Power-cut style crashes: a child process sets a store up and then commits
 * in a loop (a SCO's run-time state in its own transaction, a statement
 * enqueued, and a transaction writing two states together), reporting each
 * step through a pipe only after the calls returned. It is killed with
 * SIGKILL at a random instant, 30 times (while opening, creating the
 * schema, recovering the WAL or committing). After every kill the store
 * opens cleanly, passes its integrity check, and holds every step the child
 * reported; the two states written together are equal.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "somo/store.h"

#define KILLS 30

static const char *const REG = "0f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a21";
static char dir[64], path[128];

static void stmt_id(char out[37], unsigned i)
{
	snprintf(out, 37, "c0000000-0000-4000-8000-%012x", i);
}

static void die(const char *what)
{
	fprintf(stderr, "child: %s: %s\n", what, somo_error_last()->message);
	_exit(2);
}

static void child(int fd, unsigned start)
{
	somo_store *st = NULL;
	somo_store_learner l = {"k-001", "Ada"};
	somo_store_package p = {"golf", "", "", "Golf", "scorm2004-4"};
	somo_store_registration r = {REG, "k-001", "golf", 0};
	somo_store_attempt a = {REG, 1, SOMO_STORE_ATTEMPT_ACTIVE, 1, 0};
	char act[32], value[2100], sid[37];

	if (somo_store_open_sqlite(&st, path, NULL) != 0)
		die("open");
	if (somo_store_learner_put(st, &l) || somo_store_package_put(st, &p) ||
	    somo_store_registration_put(st, &r) || somo_store_attempt_put(st, &a))
		die("set up");
	for (unsigned i = start;; i++) {
		snprintf(act, sizeof(act), "sco-%u", i);
		/* ~2 KB, as a SCO's state with suspend data is. */
		int n = snprintf(value, sizeof(value), "{\"cmi.location\":\"%u\",\"pad\":\"", i);
		memset(value + n, 'a' + (char)(i % 26), 2000);
		strcpy(value + n + 2000, "\"}");
		somo_store_runtime rt = {REG, 1, act, value, 1, 0, 0};
		if (somo_store_runtime_put(st, &rt) != 0)
			die("commit");
		stmt_id(sid, i);
		if (somo_store_outbox_enqueue(st, sid, act) != 0)
			die("enqueue");
		somo_store_runtime x = {REG, 1, "pair-x", act, 1, 0, 0};
		somo_store_runtime y = {REG, 1, "pair-y", act, 1, 0, 0};
		if (somo_store_begin(st) || somo_store_runtime_put(st, &x) ||
		    somo_store_runtime_put(st, &y) || somo_store_commit(st))
			die("transaction");
		/* Reported only now that every call above returned. */
		if (write(fd, &i, sizeof(i)) != (ssize_t)sizeof(i))
			_exit(3);
	}
}

static int verify(unsigned *reported, size_t n)
{
	somo_store *st = NULL;
	int rc = somo_store_open_sqlite(&st, path, NULL);

	if (rc != 0) {
		fprintf(stderr, "after a kill the store does not open: %s\n",
		        somo_error_last()->message);
		return 1;
	}
	for (size_t k = 0; k < n; k++) {
		char act[32], sid[37];
		somo_store_runtime *rt = NULL;
		somo_store_outbox_entry *e = NULL;

		snprintf(act, sizeof(act), "sco-%u", reported[k]);
		stmt_id(sid, reported[k]);
		if (somo_store_runtime_get(st, REG, 1, act, &rt) != 0 ||
		    somo_store_outbox_get(st, sid, &e) != 0 || strcmp(e->statement, act) != 0) {
			fprintf(stderr, "step %u was reported committed but is missing: %s\n",
			        reported[k], somo_error_last()->message);
			somo_free(rt);
			somo_free(e);
			somo_store_close(st);
			return 1;
		}
		somo_free(rt);
		somo_free(e);
	}
	somo_store_runtime *x = NULL, *y = NULL;
	int rx = somo_store_runtime_get(st, REG, 1, "pair-x", &x);
	int ry = somo_store_runtime_get(st, REG, 1, "pair-y", &y);
	int bad = rx != ry || (rx == 0 && strcmp(x->state, y->state) != 0);
	if (bad)
		fprintf(stderr, "a transaction was half kept: %s / %s\n", rx ? "-" : x->state,
		        ry ? "-" : y->state);
	somo_free(x);
	somo_free(y);
	somo_store_close(st);
	return bad;
}

int main(void)
{
	unsigned *reported = NULL, next = 0;
	size_t n = 0, cap = 0;
	int failed = 0;
	struct timespec t0, t1;

	snprintf(dir, sizeof(dir), "/tmp/somo-crash-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/store.db", dir);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (int kill_no = 0; kill_no < KILLS && !failed; kill_no++) {
		int fds[2];
		pid_t pid;

		if (pipe(fds) != 0)
			return 1;
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(fds[0]);
			child(fds[1], next);
		}
		close(fds[1]);
		/* 0 to 120 ms: some kills land while the child opens or sets up. */
		struct timespec d = {0, (long)(rand() % 120) * 1000000L};
		nanosleep(&d, NULL);
		kill(pid, SIGKILL);
		int status = 0;
		waitpid(pid, &status, 0);
		if (!WIFSIGNALED(status)) {
			fprintf(stderr, "the child ended by itself (status %d)\n", status);
			failed = 1;
		}
		unsigned v;
		ssize_t got;
		while ((got = read(fds[0], &v, sizeof(v))) == (ssize_t)sizeof(v)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				reported = realloc(reported, cap * sizeof(*reported));
				if (!reported)
					return 1;
			}
			reported[n++] = v;
			if (v + 1 > next)
				next = v + 1;
		}
		close(fds[0]);
		if (access(path, F_OK) == 0)
			failed |= verify(reported, n);
		else if (n)
			failed = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(reported);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed = 1;
	printf("store crash: %d kills, %zu reported steps checked, %.1f s: %s\n", KILLS, n,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       failed ? "FAILED" : "ok");
	return failed;
}
