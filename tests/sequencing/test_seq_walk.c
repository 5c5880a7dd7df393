/*
 * Random walks over the activity trees of ADL's conformance packages
 * (LMSTestPackage_* in the shared corpus): every package is played with a
 * few thousand seeded random navigation requests and content reports, and
 * after each step the invariants of the tracking model are checked:
 *   - the active activities form a path from the root (at most one leaf);
 *   - the current activity, when active, is at the bottom of that path;
 *   - attempt counts never decrease;
 *   - the saved state restores to a state that saves identically;
 *   - validity answers agree with what the request then does (a request
 *     said valid delivers or ends; a choice said invalid delivers nothing).
 * Exits 77 when the corpus is absent.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "somo.h"

static char g_courses[1200];

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void check_invariants(somo_seq *seq, uint32_t *attempts, const char *pkg, int step)
{
	size_t n = somo_seq_activity_count(seq), i, nactive = 0, nleaf_active = 0;
	somo_seq_toc_entry e;
	const char *cur = somo_seq_current_id(seq);
	int deepest = -1;
	const char *deepest_id = NULL;

	for (i = 0; i < n; i++) {
		assert_int_equal(somo_seq_toc_at(seq, i, &e), 0);
		if (e.attempt_count < attempts[i])
			fail_msg("%s step %d: attempts of %s went down", pkg, step, e.id);
		attempts[i] = e.attempt_count;
		if (e.active) {
			nactive++;
			if (e.is_leaf)
				nleaf_active++;
			if (e.depth > deepest) {
				deepest = e.depth;
				deepest_id = e.id;
			}
			/* the parent of an active activity is active */
			if (e.parent) {
				size_t pi;
				somo_seq_toc_entry pe;
				assert_int_equal(somo_seq_find(seq, e.parent, &pi), 0);
				assert_int_equal(somo_seq_toc_at(seq, pi, &pe), 0);
				if (!pe.active)
					fail_msg("%s step %d: %s active under inactive %s", pkg,
					         step, e.id, e.parent);
			}
		}
	}
	if (nleaf_active > 1)
		fail_msg("%s step %d: %zu active leaves", pkg, step, nleaf_active);
	if (nactive && deepest >= 0 && (size_t)deepest + 1 != nactive)
		fail_msg("%s step %d: the active activities are not one path", pkg, step);
	if (cur && nleaf_active) {
		size_t ci;
		assert_int_equal(somo_seq_find(seq, cur, &ci), 0);
		assert_int_equal(somo_seq_toc_at(seq, ci, &e), 0);
		if (e.active && strcmp(cur, deepest_id) != 0)
			fail_msg("%s step %d: current %s is not the deepest active %s", pkg, step,
			         cur, deepest_id);
	}
}

static void roundtrip(somo_seq *seq, const somo_manifest *man, const char *pkg)
{
	char *a = somo_seq_state_to_json(seq), *b;
	somo_seq *other = NULL;
	assert_non_null(a);
	assert_int_equal(somo_seq_new(&other, man, NULL, NULL), 0);
	if (somo_seq_state_from_json(other, a) != 0)
		fail_msg("%s: restore failed: %s", pkg, somo_error_last()->message);
	b = somo_seq_state_to_json(other);
	assert_non_null(b);
	if (strcmp(a, b) != 0)
		fail_msg("%s: restored state differs", pkg);
	somo_free(a);
	somo_free(b);
	somo_seq_free(other);
}

static void walk(const somo_manifest *man, const char *pkg, uint64_t seed)
{
	somo_seq *seq = NULL;
	somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
	uint32_t *attempts;
	size_t n;
	uint64_t s = seed * 2654435761u + 1;

	o.seed = seed;
	if (somo_seq_new(&seq, man, NULL, &o) != 0)
		fail_msg("%s: %s", pkg, somo_error_last()->message);
	n = somo_seq_activity_count(seq);
	attempts = calloc(n, sizeof(*attempts));
	for (int step = 0; step < 400; step++) {
		uint64_t r = rnd(&s);
		somo_seq_result res;
		somo_nav_request req = (somo_nav_request)(r % 12);
		const char *target = NULL;
		somo_seq_toc_entry e;
		bool valid;

		if (req == SOMO_NAV_CHOICE || req == SOMO_NAV_JUMP) {
			assert_int_equal(somo_seq_toc_at(seq, (size_t)((r >> 8) % n), &e), 0);
			target = e.id;
		}
		if ((r >> 20) % 3 == 0 && somo_seq_current_id(seq)) {
			somo_seq_report_data rep = SOMO_SEQ_REPORT_INIT;
			static const somo_seq_status c[] = {SOMO_SEQ_KEEP, SOMO_SEQ_UNKNOWN,
			                                    SOMO_SEQ_COMPLETED,
			                                    SOMO_SEQ_INCOMPLETE};
			static const somo_seq_status p[] = {SOMO_SEQ_KEEP, SOMO_SEQ_UNKNOWN,
			                                    SOMO_SEQ_PASSED, SOMO_SEQ_FAILED};
			rep.completion = c[(r >> 24) % 4];
			rep.success = p[(r >> 26) % 4];
			rep.has_scaled = (r >> 28) & 1;
			rep.scaled = (double)((r >> 30) % 201) / 100.0 - 1.0;
			rep.suspend = ((r >> 40) % 5) == 0;
			rep.session_seconds = 10;
			(void)somo_seq_report(seq, &rep);
		}
		valid = somo_seq_request_valid(seq, req, target);
		/* validity does not simulate ending a running activity */
		somo_seq_delivery cd;
		bool running = somo_seq_current(seq, &cd) == 0 && cd.active;
		assert_int_equal(somo_seq_navigate(seq, req, target, &res), 0);
		if (req == SOMO_NAV_CHOICE && !valid && !running && res.deliver)
			fail_msg("%s step %d: choice of %s said invalid but delivered", pkg, step,
			         target);
		if ((req == SOMO_NAV_CHOICE || req == SOMO_NAV_START ||
		     req == SOMO_NAV_RESUME_ALL) &&
		    valid && !running && !res.deliver && !res.ended)
			fail_msg("%s step %d: %s %s said valid but gave %s", pkg, step,
			         somo_nav_name(req), target ? target : "",
			         res.exception ? res.exception : "nothing");
		check_invariants(seq, attempts, pkg, step);
		if (step % 50 == 0)
			roundtrip(seq, man, pkg);
	}
	free(attempts);
	somo_seq_free(seq);
}

static void test_walks(void **state)
{
	DIR *d = opendir(g_courses);
	struct dirent *e;
	int packages = 0;
	(void)state;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[1600];
		somo_package *pkg = NULL;
		somo_manifest *man = NULL;
		somo_diag diag;
		if (strncmp(e->d_name, "LMSTestPackage_", 15) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", g_courses, e->d_name);
		if (somo_package_open(&pkg, path, NULL) != 0)
			fail_msg("%s: %s", path, somo_error_last()->message);
		if (somo_manifest_load(&man, pkg, NULL, &diag) != 0)
			fail_msg("%s: %s", path, diag.text);
		for (uint64_t seed = 1; seed <= 4; seed++)
			walk(man, e->d_name, seed);
		somo_manifest_free(man);
		somo_package_free(pkg);
		packages++;
	}
	closedir(d);
	assert_true(packages > 100);
}

int main(void)
{
	const char *env = getenv("SOMO_CORPUS_DIR");
	struct stat st;
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_walks)};

	snprintf(g_courses, sizeof(g_courses), "%s/adl-cts-2004-4th/LMSRTE/Courses",
	         env && *env ? env : SOMO_SOURCE_DIR "/../shared/corpus");
	if (stat(g_courses, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("corpus not found at %s: skipped\n", g_courses);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
