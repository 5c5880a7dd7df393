/*
 * Many handles on one SQLite file: 8 threads with 100 sessions each, and a
 * second process doing the same at the same time. Every session registers,
 * commits its SCO's run-time state three times, saves its sequencing state
 * and enqueues a statement; a shared counter is incremented in
 * read-modify-write transactions from every thread and the other process.
 * Afterwards every committed value is there and no increment was lost.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "somo/store.h"

#define THREADS    8
#define SESSIONS   100
#define COMMITS    3
#define INCREMENTS 25
#define PROCESS_ID 99 /* the other process's "thread" number */

static char dir[64], path[128];

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		int rc_ = (x);                                                                     \
		if (rc_ != 0) {                                                                    \
			fprintf(stderr, "%s:%d: %s = %d: %s\n", __FILE__, __LINE__, #x, rc_,       \
			        somo_error_last()->message);                                       \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

static void reg_id(char out[37], int t, int s)
{
	snprintf(out, 37, "%08x-0000-4000-8000-%012x", (unsigned)t, (unsigned)s);
}

static void st_id(char out[37], int t, int s)
{
	snprintf(out, 37, "%08x-0000-4000-9000-%012x", (unsigned)t, (unsigned)s);
}

static int increment(somo_store *st)
{
	somo_store_shared_data *d = NULL;
	char value[32];
	int rc;

	CHECK(somo_store_begin(st));
	rc = somo_store_shared_data_get(st, "counter", "", "n", &d);
	long n = rc == 0 ? strtol(d->data, NULL, 10) : 0;
	somo_free(d);
	if (rc != 0 && rc != SOMO_ENOTFOUND) {
		somo_store_rollback(st);
		CHECK(rc);
	}
	snprintf(value, sizeof(value), "%ld", n + 1);
	somo_store_shared_data w = {"counter", "", "n", value, 0};
	CHECK(somo_store_shared_data_put(st, &w));
	CHECK(somo_store_commit(st));
	return 0;
}

/* One worker: its own handle, SESSIONS sessions. */
static int work(int t)
{
	somo_store *st = NULL;
	char learner[16], reg[37], sid[37], value[128];

	CHECK(somo_store_open_sqlite(&st, path, NULL));
	snprintf(learner, sizeof(learner), "learner-%d", t);
	for (int s = 0; s < SESSIONS; s++) {
		reg_id(reg, t, s);
		somo_store_registration r = {reg, learner, "golf", 0};
		somo_store_attempt a = {reg, 1, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};
		CHECK(somo_store_begin(st));
		CHECK(somo_store_registration_put(st, &r));
		CHECK(somo_store_attempt_put(st, &a));
		CHECK(somo_store_commit(st));
		for (int c = 0; c < COMMITS; c++) {
			snprintf(value, sizeof(value), "{\"cmi.location\":\"%d-%d-%d\"}", t, s, c);
			somo_store_runtime rt = {reg, 1, "sco-1", value, 1, 0, 0};
			CHECK(somo_store_runtime_put(st, &rt));
		}
		somo_store_sequencing q = {reg, 1, value, 0};
		CHECK(somo_store_sequencing_put(st, &q));
		st_id(sid, t, s);
		CHECK(somo_store_outbox_enqueue(st, sid, value));
		if (s % (SESSIONS / INCREMENTS) == 0)
			CHECK(increment(st));
	}
	somo_store_close(st);
	return 0;
}

static void *thread_main(void *arg)
{
	return (void *)(intptr_t)work((int)(intptr_t)arg);
}

static int verify(int t, somo_store *st)
{
	char reg[37], sid[37], want[128];

	for (int s = 0; s < SESSIONS; s++) {
		somo_store_runtime *rt = NULL;
		somo_store_sequencing *q = NULL;
		somo_store_outbox_entry *e = NULL;

		reg_id(reg, t, s);
		snprintf(want, sizeof(want), "{\"cmi.location\":\"%d-%d-%d\"}", t, s, COMMITS - 1);
		CHECK(somo_store_runtime_get(st, reg, 1, "sco-1", &rt));
		if (strcmp(rt->state, want) != 0 || rt->commits != COMMITS) {
			fprintf(stderr, "lost update: %s has %s after %llu commits\n", reg,
			        rt->state, (unsigned long long)rt->commits);
			return 1;
		}
		somo_free(rt);
		CHECK(somo_store_sequencing_get(st, reg, 1, &q));
		if (strcmp(q->state, want) != 0)
			return 1;
		somo_free(q);
		st_id(sid, t, s);
		CHECK(somo_store_outbox_get(st, sid, &e));
		if (strcmp(e->statement, want) != 0)
			return 1;
		somo_free(e);
	}
	return 0;
}

/* Several processes creating the same new store at once: one makes the
 * schema, the others wait for it and find it made (10 rounds of 8). */
#define RACERS 8
static int race_to_create(void)
{
	char fresh[160], learner[16];
	pid_t pids[RACERS];
	int failed = 0;

	for (int round = 0; round < 10 && !failed; round++) {
		int gate[2];
		snprintf(fresh, sizeof(fresh), "%s/fresh-%d.db", dir, round);
		if (pipe(gate) != 0)
			return 1;
		for (int i = 0; i < RACERS; i++) {
			pids[i] = fork();
			if (pids[i] < 0)
				return 1;
			if (pids[i] == 0) {
				somo_store *st = NULL;
				char c;
				/* All start together: when the gate closes. */
				close(gate[1]);
				if (read(gate[0], &c, 1) != 0)
					_exit(1);
				snprintf(learner, sizeof(learner), "racer-%d", i);
				somo_store_learner l = {learner, ""};
				CHECK(somo_store_open_sqlite(&st, fresh, NULL));
				CHECK(somo_store_learner_put(st, &l));
				somo_store_close(st);
				_exit(0);
			}
		}
		close(gate[0]);
		close(gate[1]);
		for (int i = 0; i < RACERS; i++) {
			int status = 0;
			if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
			    WEXITSTATUS(status) != 0)
				failed = 1;
		}
		somo_store *st = NULL;
		int count = 0;
		CHECK(somo_store_open_sqlite(&st, fresh, NULL));
		for (int i = 0; i < RACERS; i++) {
			somo_store_learner *l = NULL;
			snprintf(learner, sizeof(learner), "racer-%d", i);
			if (somo_store_learner_get(st, learner, &l) == 0)
				count++;
			somo_free(l);
		}
		somo_store_close(st);
		if (failed || count != RACERS) {
			fprintf(stderr, "processes creating one store at once: %d of %d learners\n",
			        count, RACERS);
			return 1;
		}
	}
	return 0;
}

int main(void)
{
	somo_store *st = NULL;
	pthread_t th[THREADS];
	char learner[16];
	int failed = 0, status = 0;
	pid_t child;

	snprintf(dir, sizeof(dir), "/tmp/somo-conc-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/store.db", dir);

	if (race_to_create() != 0)
		return 1;
	CHECK(somo_store_open_sqlite(&st, path, NULL));
	somo_store_package p = {"golf", "", "", "Golf", "scorm2004-4"};
	somo_store_learner counter = {"counter", ""};
	CHECK(somo_store_package_put(st, &p));
	CHECK(somo_store_learner_put(st, &counter));
	for (int t = 0; t <= THREADS; t++) {
		snprintf(learner, sizeof(learner), "learner-%d", t == THREADS ? PROCESS_ID : t);
		somo_store_learner l = {learner, learner};
		CHECK(somo_store_learner_put(st, &l));
	}
	somo_store_close(st);

	/* The other process starts before any thread exists. */
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0)
		_exit(work(PROCESS_ID));
	for (int t = 0; t < THREADS; t++)
		if (pthread_create(&th[t], NULL, thread_main, (void *)(intptr_t)t) != 0)
			return 1;
	for (int t = 0; t < THREADS; t++) {
		void *ret;
		pthread_join(th[t], &ret);
		if (ret) {
			fprintf(stderr, "thread %d failed\n", t);
			failed = 1;
		}
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "the other process failed (status %d)\n", status);
		failed = 1;
	}

	CHECK(somo_store_open_sqlite(&st, path, NULL));
	for (int t = 0; t < THREADS && !failed; t++)
		failed |= verify(t, st);
	if (!failed)
		failed |= verify(PROCESS_ID, st);
	somo_store_outbox_counts n;
	CHECK(somo_store_outbox_count(st, &n));
	if (n.pending != (THREADS + 1) * SESSIONS) {
		fprintf(stderr, "outbox holds %llu statements, not %d\n",
		        (unsigned long long)n.pending, (THREADS + 1) * SESSIONS);
		failed = 1;
	}
	somo_store_shared_data *d = NULL;
	CHECK(somo_store_shared_data_get(st, "counter", "", "n", &d));
	if (atol(d->data) != (THREADS + 1) * INCREMENTS) {
		fprintf(stderr, "counter is %s, not %d: increments were lost\n", d->data,
		        (THREADS + 1) * INCREMENTS);
		failed = 1;
	}
	somo_free(d);
	somo_store_close(st);

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed = 1;
	printf("store concurrency: %d threads x %d sessions + 1 process: %s\n", THREADS, SESSIONS,
	       failed ? "FAILED" : "every commit present, no lost update");
	return failed;
}
