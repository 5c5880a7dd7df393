/*
 * Session benchmark, both sides in one run:
 *  - memory: N sessions open at once (each delivered its first SCO and
 *    initialized), resident memory per session, against N bare run-times
 *    (what the SCO's data alone costs): the session's overhead as a ratio;
 *  - durable Commits per second through a session (Commit -> run-time JSON ->
 *    store) against the same state written straight with
 *    somo_store_runtime_put(): the session's cost per Commit as a ratio.
 *
 *   bench-session SOURCE_DIR DB_DIR [SESSIONS [COMMITS [commits-only]]]
 *
 * With "commits-only" it opens one session and makes COMMITS Commits (0
 * allowed), nothing else: run.sh counts that process's fsync calls with
 * strace, with COMMITS and with 0, to give the syncs one Commit costs.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = atol(line + 6);
	if (f)
		fclose(f);
	return kib;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char path[4096], db[4096], learner[64];
	int n = argc > 3 ? atoi(argv[3]) : 10000, commits = argc > 4 ? atoi(argv[4]) : 500, i;
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session **ss;
	somo_rt **rts;
	somo_session_nav nav;
	long base, after;
	double per_session, per_rt, t0, t_session, t_store;

	bool only = argc > 5 && !strcmp(argv[5], "commits-only");

	if (argc < 3 || n < 1 || commits < (only ? 0 : 1))
		return 2;
	snprintf(path, sizeof(path), "%s/examples/courses/customs-clearance-basics", argv[1]);
	snprintf(db, sizeof(db), "%s/bench-session.db", argv[2]);
	remove(db);
	/* the SQLite store: its page cache is bounded, so what grows is the sessions */
	if (somo_package_open(&pkg, path, NULL) < 0 ||
	    somo_manifest_load(&man, pkg, NULL, NULL) < 0 ||
	    somo_store_open_sqlite(&st, db, NULL) < 0) {
		fprintf(stderr, "%s\n", somo_error_last()->message);
		return 1;
	}
	ss = calloc((size_t)n, sizeof(*ss));
	rts = calloc((size_t)n, sizeof(*rts));
	if (!ss || !rts)
		return 1;
	if (only)
		goto commits;
	/* bare run-times with the same values a delivered SCO starts with */
	base = rss_kib();
	for (i = 0; i < n; i++) {
		snprintf(learner, sizeof(learner), "learner-%d", i);
		somo_rt_new(&rts[i], SOMO_SCORM_2004, NULL);
		somo_rt_set_lms_value(rts[i], "cmi.learner_id", learner);
		somo_rt_set_lms_value(rts[i], "cmi.learner_name", learner);
		somo_rt_initialize(rts[i], "");
	}
	after = rss_kib();
	per_rt = (double)(after - base) * 1024.0 / n;
	for (i = 0; i < n; i++)
		somo_rt_free(rts[i]);
	/* sessions: store records, sequencing state, the delivered SCO's run-time */
	base = rss_kib();
	for (i = 0; i < n; i++) {
		snprintf(learner, sizeof(learner), "learner-%d", i);
		if (somo_session_open(&ss[i], st, man, learner, NULL) < 0 ||
		    somo_session_navigate(ss[i], SOMO_NAV_START, NULL, &nav) < 0 ||
		    strcmp(somo_session_initialize(ss[i], ""), "true") != 0) {
			fprintf(stderr, "session %d: %s\n", i, somo_error_last()->message);
			return 1;
		}
	}
	after = rss_kib();
	per_session = (double)(after - base) * 1024.0 / n;
	printf("memory: %d open sessions: %.0f bytes each (%.1f MB for all, on one SQLite store "
	       "handle); a bare run-time %.0f bytes; ratio %.1f\n",
	       n, per_session, (double)(after - base) / 1024.0, per_rt,
	       per_rt > 0 ? per_session / per_rt : 0);
	for (i = 0; i < n; i++)
		somo_session_free(ss[i]);
	somo_store_close(st);
	st = NULL;

commits:
	/* durable Commits through a session against straight store writes */
	somo_store_close(st);
	st = NULL;
	remove(db);
	if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
	    somo_session_open(&ss[0], st, man, "committer", NULL) < 0 ||
	    somo_session_navigate(ss[0], SOMO_NAV_START, NULL, &nav) < 0 ||
	    strcmp(somo_session_initialize(ss[0], ""), "true") != 0) {
		fprintf(stderr, "%s\n", somo_error_last()->message);
		return 1;
	}
	t0 = now();
	for (i = 0; i < commits; i++) {
		char v[32];
		snprintf(v, sizeof(v), "page-%d", i);
		somo_session_set_value(ss[0], "cmi.location", v);
		if (strcmp(somo_session_commit(ss[0], ""), "true") != 0) {
			fprintf(stderr, "Commit failed\n");
			return 1;
		}
	}
	t_session = now() - t0;
	if (only) {
		printf("commits-only: %d Commits\n", commits);
		goto out;
	}
	{
		somo_store_runtime rec;
		somo_store_runtime *saved = NULL;
		somo_store_runtime_get(st, somo_session_registration(ss[0]),
		                       somo_session_attempt(ss[0]), "intro", &saved);
		memset(&rec, 0, sizeof(rec));
		rec.registration = somo_session_registration(ss[0]);
		rec.attempt = somo_session_attempt(ss[0]);
		rec.activity_id = "intro";
		rec.state = saved->state;
		t0 = now();
		for (i = 0; i < commits; i++)
			if (somo_store_runtime_put(st, &rec) < 0) {
				fprintf(stderr, "put failed\n");
				return 1;
			}
		t_store = now() - t0;
		somo_free(saved);
	}
	printf("commits: %.0f durable Commits/s through a session, %.0f/s straight to the store; "
	       "ratio %.2f (session time / store time)\n",
	       commits / t_session, commits / t_store, t_session / t_store);
out:
	somo_session_free(ss[0]);
	somo_store_close(st);
	remove(db);
	free(ss);
	free(rts);
	somo_manifest_free(man);
	somo_package_free(pkg);
	return 0;
}
