/*
 * bench-store: durable commits per second and memory per open handle.
 *
 *   bench-store commits DIR N     N SCORM Commits (a ~2 KB run-time state,
 *                                 each its own transaction) through Somo's
 *                                 store, the same writes through plain SQLite
 *                                 with the same settings, and the disk's own
 *                                 ceiling (overwrite 2 KB + fdatasync), the
 *                                 three alternating in 10 rounds
 *   bench-store somo DIR N        only Somo's commits (for counting fsyncs)
 *   bench-store sqlite DIR N      only plain SQLite's
 *   bench-store handles DIR M     bytes and file descriptors per open handle
 *   bench-store outbox DIR M      enqueues per second of ~800-byte statements
 *                                 in transactions of 1000, with M already
 *                                 pending, and one durable enqueue at a time
 *
 * One JSON object per line on standard output (run.sh reads them).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "somo/store.h"

static const char *const REG = "0f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a21";
static char state[2048];

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fill_state(int i)
{
	int n = snprintf(state, sizeof(state),
	                 "{\"cmi.location\":\"page-%d\",\"cmi.suspend_data\":\"", i);
	memset(state + n, 'a' + i % 26, sizeof(state) - (size_t)n - 3);
	strcpy(state + sizeof(state) - 3, "\"}");
}

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if ((x) != 0) {                                                                    \
			fprintf(stderr, "bench-store: %s: %s\n", #x, somo_error_last()->message);  \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static somo_store *setup(const char *path)
{
	somo_store *st = NULL;
	somo_store_learner l = {"k-001", "Ada"};
	somo_store_package p = {"golf", "", "", "Golf", "scorm2004-4"};
	somo_store_registration r = {REG, "k-001", "golf", 0};
	somo_store_attempt a = {REG, 1, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};

	CHECK(somo_store_open_sqlite(&st, path, NULL));
	CHECK(somo_store_learner_put(st, &l));
	CHECK(somo_store_package_put(st, &p));
	CHECK(somo_store_registration_put(st, &r));
	CHECK(somo_store_attempt_put(st, &a));
	return st;
}

static double bench_somo(const char *dir, int n, int fresh)
{
	char path[512], act[32];
	somo_store *st;
	double t0, t1;

	snprintf(path, sizeof(path), "%s/somo.db", dir);
	if (fresh)
		unlink(path);
	st = setup(path);
	t0 = now();
	for (int i = 0; i < n; i++) {
		fill_state(i);
		snprintf(act, sizeof(act), "sco-%d", i % 10);
		somo_store_runtime rt = {REG, 1, act, state, 1, 0, 0};
		CHECK(somo_store_runtime_put(st, &rt));
	}
	t1 = now();
	somo_store_close(st);
	return t1 - t0;
}

static double bench_sqlite(const char *dir, int n, int fresh)
{
	char path[512], act[32];
	sqlite3 *db;
	sqlite3_stmt *q;
	double t0, t1;

	snprintf(path, sizeof(path), "%s/plain.db", dir);
	if (fresh)
		unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(
	        db,
	        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	        "CREATE TABLE IF NOT EXISTS s(reg TEXT, attempt INTEGER, act TEXT, state TEXT,"
	        " PRIMARY KEY(reg, attempt, act))",
	        NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO s VALUES(?1, 1, ?2, ?3)", -1, &q,
	                       NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-store: sqlite: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	t0 = now();
	for (int i = 0; i < n; i++) {
		fill_state(i);
		snprintf(act, sizeof(act), "sco-%d", i % 10);
		sqlite3_bind_text(q, 1, REG, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, act, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, state, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			fprintf(stderr, "bench-store: sqlite: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		sqlite3_reset(q);
	}
	t1 = now();
	sqlite3_finalize(q);
	sqlite3_close(db);
	return t1 - t0;
}

static double bench_disk(const char *dir, int n, int fresh)
{
	char path[512];
	double t0, t1;
	int fd;

	snprintf(path, sizeof(path), "%s/disk.bin", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		exit(1);
	fill_state(0);
	/* Overwrite a file written once, as a WAL is reused: no size change to sync. */
	for (int i = 0; i < 64; i++)
		if (write(fd, state, sizeof(state)) != (ssize_t)sizeof(state))
			exit(1);
	if (fsync(fd) != 0)
		exit(1);
	t0 = now();
	for (int i = 0; i < n; i++) {
		if (pwrite(fd, state, sizeof(state), (off_t)(i % 64) * (off_t)sizeof(state)) !=
		        (ssize_t)sizeof(state) ||
		    fdatasync(fd) != 0)
			exit(1);
	}
	t1 = now();
	close(fd);
	unlink(path);
	(void)fresh;
	return t1 - t0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void bench_handles(const char *dir, int m)
{
	char path[512];
	somo_store **h = calloc((size_t)m, sizeof(*h));
	somo_store_runtime *rt = NULL;

	snprintf(path, sizeof(path), "%s/handles.db", dir);
	unlink(path);
	somo_store *st = setup(path);
	fill_state(0);
	somo_store_runtime w = {REG, 1, "sco-1", state, 1, 0, 0};
	CHECK(somo_store_runtime_put(st, &w));
	somo_store_close(st);

	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	o.skip_check = 1; /* the check reads the file once; its cache stays either way */
	malloc_trim(0);
	struct mallinfo2 m0 = mallinfo2();
	int fd0 = count_fds();
	for (int i = 0; i < m; i++) {
		CHECK(somo_store_open_sqlite(&h[i], path, &o));
		/* A session's first read and write: schema loaded, statements prepared. */
		CHECK(somo_store_runtime_get(h[i], REG, 1, "sco-1", &rt));
		somo_free(rt);
	}
	struct mallinfo2 m1 = mallinfo2();
	int fd1 = count_fds();
	long long used = (long long)sqlite3_memory_used();
	for (int i = 0; i < m; i++)
		somo_store_close(h[i]);
	free(h);
	printf("{\"side\":\"somo\",\"handles\":%d,\"heap_bytes_per_handle\":%.0f,"
	       "\"sqlite_bytes_per_handle\":%.0f,\"fds_per_handle\":%.2f}\n",
	       m, (double)(m1.uordblks - m0.uordblks) / m, (double)used / m,
	       (double)(fd1 - fd0) / m);
}

static void bench_outbox(const char *dir, int pending)
{
	char path[512], id[37], stmt[800];
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	somo_store *st = NULL;
	int total = 0;

	snprintf(path, sizeof(path), "%s/outbox.db", dir);
	unlink(path);
	o.outbox_max = (uint64_t)pending + 100000;
	CHECK(somo_store_open_sqlite(&st, path, &o));
	snprintf(stmt, sizeof(stmt),
	         "{\"actor\":{\"mbox\":\"mailto:ada@example.org\"},\"verb\":{\"id\":"
	         "\"http://adlnet.gov/expapi/verbs/answered\"},\"object\":{\"id\":"
	         "\"https://example.org/golf/q1\"},\"pad\":\"%0600d\"}",
	         0);
	/* Fill to the pending count given, then time batched and single enqueues. */
	for (int phase = 0; phase < 3; phase++) {
		double t0, t1;
		int n = phase == 0 ? pending : phase == 1 ? 20000 : 200;
		int batch = phase == 2 ? 1 : 1000;
		t0 = now();
		for (int i = 0; i < n; i += batch) {
			if (batch > 1)
				CHECK(somo_store_begin(st));
			for (int k = 0; k < batch && i + k < n; k++) {
				snprintf(id, sizeof(id), "%08x-0000-4000-8000-000000000000",
				         total++);
				CHECK(somo_store_outbox_enqueue(st, id, stmt));
			}
			if (batch > 1)
				CHECK(somo_store_commit(st));
		}
		t1 = now();
		if (phase > 0)
			printf("{\"side\":\"somo\",\"measure\":\"outbox\",\"pending\":%d,"
			       "\"batch\":%d,\"enqueues\":%d,\"per_second\":%.1f}\n",
			       pending, batch, n, n / (t1 - t0));
	}
	somo_store_close(st);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench-store commits|somo|sqlite|handles|outbox DIR N\n");
		return 2;
	}
	int n = atoi(argv[3]);
	if (strcmp(argv[1], "commits") == 0) {
		/* The sides alternate in rounds, so that the disk's other load of
		 * the moment falls on all three alike. */
		const int rounds = 10;
		double t[3] = {0, 0, 0};
		static const char *const names[3] = {"somo", "sqlite", "disk"};
		for (int r = 0; r < rounds; r++) {
			t[0] += bench_somo(argv[2], n / rounds, r == 0);
			t[1] += bench_sqlite(argv[2], n / rounds, r == 0);
			t[2] += bench_disk(argv[2], n / rounds, r == 0);
		}
		for (int i = 0; i < 3; i++)
			printf("{\"side\":\"%s\",\"commits\":%d,\"seconds\":%.4f,"
			       "\"per_second\":%.1f}\n",
			       names[i], n / rounds * rounds, t[i], n / rounds * rounds / t[i]);
	} else if (strcmp(argv[1], "somo") == 0) {
		bench_somo(argv[2], n, 1);
	} else if (strcmp(argv[1], "sqlite") == 0) {
		bench_sqlite(argv[2], n, 1);
	} else if (strcmp(argv[1], "outbox") == 0) {
		bench_outbox(argv[2], n);
	} else if (strcmp(argv[1], "handles") == 0) {
		bench_handles(argv[2], n);
	} else {
		return 2;
	}
	return 0;
}
