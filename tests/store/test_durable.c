/*
 * Every Commit reaches the disk before it returns, and costs one sync: this
 * program runs itself under strace -f -c, once writing no state and once
 * writing N run-time states (each its own transaction) and N outbox
 * statements, and checks that the fsync/fdatasync calls between the two
 * runs number at least 2N (none skipped) and at most 2N plus a few for
 * the automatic checkpoints. Not a timing: counts only. SKIPPED (77) where
 * strace is missing or may not trace.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "somo/store.h"

#define N 200

static const char *const REG = "0f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a21";

static int run(const char *path, int n)
{
	somo_store *st = NULL;
	somo_store_learner l = {"k-001", "Ada"};
	somo_store_package p = {"golf", "", "", "Golf", ""};
	somo_store_registration r = {REG, "k-001", "golf", 0};
	somo_store_attempt a = {REG, 1, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};
	char value[2100], sid[37];

	if (somo_store_open_sqlite(&st, path, NULL) || somo_store_begin(st) ||
	    somo_store_learner_put(st, &l) || somo_store_package_put(st, &p) ||
	    somo_store_registration_put(st, &r) || somo_store_attempt_put(st, &a) ||
	    somo_store_commit(st)) {
		fprintf(stderr, "set up: %s\n", somo_error_last()->message);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		snprintf(value, sizeof(value), "{\"cmi.location\":\"%d\",\"x\":\"%0*d\"}", i, 2000,
		         i);
		somo_store_runtime rt = {REG, 1, "sco-1", value, 1, 0, 0};
		snprintf(sid, sizeof(sid), "b0000000-0000-4000-8000-%012d", i);
		if (somo_store_runtime_put(st, &rt) || somo_store_outbox_enqueue(st, sid, value)) {
			fprintf(stderr, "commit: %s\n", somo_error_last()->message);
			return 1;
		}
	}
	somo_store_close(st);
	return 0;
}

/* fsync + fdatasync calls of "self run path n" under strace; -1 when strace
 * cannot run here. */
static long traced(const char *self, const char *path, int n, const char *out)
{
	char cmd[1024], line[512];
	long total = 0;
	FILE *f;

	unlink(path);
	snprintf(cmd, sizeof(cmd),
	         /* LeakSanitizer cannot run under ptrace */
	         "ASAN_OPTIONS=detect_leaks=0 strace -f -c -e trace=fsync,fdatasync -o '%s' '%s' "
	         "run '%s' %d >/dev/null 2>&1",
	         out, self, path, n);
	if (system(cmd) != 0)
		return -1;
	f = fopen(out, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		double pct, secs;
		long usecs, calls;
		if (sscanf(line, "%lf %lf %ld %ld %*s %63s", &pct, &secs, &usecs, &calls, name) ==
		        5 ||
		    sscanf(line, "%lf %lf %ld %ld %63s", &pct, &secs, &usecs, &calls, name) == 5)
			if (strcmp(name, "fsync") == 0 || strcmp(name, "fdatasync") == 0)
				total += calls;
	}
	fclose(f);
	return total;
}

int main(int argc, char **argv)
{
	char dir[64], path[128], out[128], cmd[160];

	if (argc == 4 && strcmp(argv[1], "run") == 0)
		return run(argv[2], atoi(argv[3]));
	if (system("strace -V >/dev/null 2>&1") != 0) {
		printf("strace is missing: SKIPPED\n");
		return 77;
	}
	snprintf(dir, sizeof(dir), "/tmp/somo-durable-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/store.db", dir);
	snprintf(out, sizeof(out), "%s/strace.txt", dir);
	long base = traced(argv[0], path, 0, out);
	long with = base < 0 ? -1 : traced(argv[0], path, N, out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	if (base < 0 || with < 0) {
		printf("strace cannot trace here: SKIPPED\n");
		return 77;
	}
	long syncs = with - base;
	printf("store durability: %d Commits and %d enqueued statements made %ld fsync/fdatasync "
	       "calls (%.3f per write)\n",
	       N, N, syncs, (double)syncs / (2 * N));
	if (syncs < 2 * N) {
		printf("FAILED: a write returned before reaching the disk\n");
		return 1;
	}
	if (syncs > 2 * N + 2 * N / 50) {
		printf("FAILED: more than one sync per write\n");
		return 1;
	}
	return 0;
}
