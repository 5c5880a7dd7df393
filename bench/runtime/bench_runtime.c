/*
 * The runtime benchmark: a mixed API workload through Somo's runtime, and the
 * memory one live runtime holds with 50 interactions. bench/runtime/run.sh runs
 * it next to the same workload through scorm-again (scorm_again_bench.mjs) and
 * prints the ratios. Output: one JSON object per line.
 *
 *   bench-runtime [--iterations N] [--runs R] [--instances M]
 *
 * Workload per iteration i (K = i mod 250), SCORM 2004:
 *   SetValue cmi.location "page<i>"; GetValue cmi.location;
 *   SetValue cmi.score.scaled "0.5"; SetValue cmi.interactions.K.id "qK";
 *   SetValue cmi.interactions.K.type "choice";
 *   SetValue cmi.interactions.K.learner_response "a[,]b";
 *   GetValue cmi.interactions._count; SetValue cmi.session_time "PT1M30S";
 *   SetValue cmi.score.scaled "2" (must fail with 407).
 * SCORM 1.2: the same with cmi.core.lesson_location, cmi.core.score.raw "50",
 * cmi.interactions.K.student_response "a,b", cmi.core.session_time "00:01:30"
 * and cmi.core.score.raw "200" (must fail with 405).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "somo/runtime.h"

#define CALLS_PER_ITERATION 9

/*
 * Allocation accounting through somo_set_alloc_funcs: the usable size of every live block
 * (malloc_usable_size, so no header distorts the heap figures of mallinfo2).
 */
static size_t live_bytes;

static void *count_malloc(size_t n)
{
	void *p = malloc(n);
	if (p)
		live_bytes += malloc_usable_size(p);
	return p;
}

static void count_free(void *p)
{
	if (!p)
		return;
	live_bytes -= malloc_usable_size(p);
	free(p);
}

static void *count_realloc(void *p, size_t n)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	void *q = realloc(p, n);
	if (!q)
		return NULL;
	live_bytes = live_bytes - old + malloc_usable_size(q);
	return q;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int failures;

static void expect(const char *got, const char *want, somo_rt *rt, int want_err, const char *what)
{
	if (strcmp(got, want) != 0 || somo_rt_last_error(rt) != want_err) {
		if (failures++ < 5)
			fprintf(
			    stderr,
			    "bench-runtime: %s gave \"%s\" error %d, expected \"%s\" error %d\n",
			    what, got, somo_rt_last_error(rt), want, want_err);
	}
}

static const char *const names_2004[] = {
    "Initialize",
    "cmi.location",
    "cmi.score.scaled",
    "0.5",
    "cmi.interactions.%u.id",
    "cmi.interactions.%u.type",
    "cmi.interactions.%u.learner_response",
    "a[,]b",
    "cmi.interactions._count",
    "cmi.session_time",
    "PT1M30S",
    "2",
};
static const char *const names_12[] = {
    "LMSInitialize",
    "cmi.core.lesson_location",
    "cmi.core.score.raw",
    "50",
    "cmi.interactions.%u.id",
    "cmi.interactions.%u.type",
    "cmi.interactions.%u.student_response",
    "a,b",
    "cmi.interactions._count",
    "cmi.core.session_time",
    "00:01:30",
    "200",
};

/* The interaction element names and ids, made once outside the timed loop (both sides). */
static char el_names[250][3][48], q_ids[250][8];

static void make_names(const char *const *n)
{
	for (unsigned k = 0; k < 250; k++) {
		snprintf(q_ids[k], sizeof q_ids[k], "q%u", k);
		for (int f = 0; f < 3; f++)
			snprintf(el_names[k][f], sizeof el_names[k][f], n[4 + f], k);
	}
}

/* One run of the workload on a fresh runtime: the seconds taken. */
static double run_workload(somo_scorm_version v, unsigned iterations)
{
	const char *const *n = v == SOMO_SCORM_2004 ? names_2004 : names_12;
	int range_err = v == SOMO_SCORM_2004 ? 407 : 405;
	somo_rt *rt = NULL;
	char page[32];

	make_names(n);
	if (somo_rt_new(&rt, v, NULL) < 0) {
		fprintf(stderr, "bench-runtime: cannot create a runtime\n");
		exit(1);
	}
	double t0 = now();
	expect(somo_rt_initialize(rt, ""), "true", rt, 0, n[0]);
	for (unsigned i = 0; i < iterations; i++) {
		unsigned k = i % 250;
		snprintf(page, sizeof page, "page%u", i);
		expect(somo_rt_set_value(rt, n[1], page), "true", rt, 0, n[1]);
		expect(somo_rt_get_value(rt, n[1]), page, rt, 0, n[1]);
		expect(somo_rt_set_value(rt, n[2], n[3]), "true", rt, 0, n[2]);
		expect(somo_rt_set_value(rt, el_names[k][0], q_ids[k]), "true", rt, 0,
		       el_names[k][0]);
		expect(somo_rt_set_value(rt, el_names[k][1], "choice"), "true", rt, 0,
		       el_names[k][1]);
		expect(somo_rt_set_value(rt, el_names[k][2], n[7]), "true", rt, 0, el_names[k][2]);
		const char *count = somo_rt_get_value(rt, n[8]);
		if (somo_rt_last_error(rt) != 0 || (unsigned)atoi(count) != (i < 250 ? i + 1 : 250))
			expect(count, "(the count)", rt, 0, n[8]);
		expect(somo_rt_set_value(rt, n[9], n[10]), "true", rt, 0, n[9]);
		expect(somo_rt_set_value(rt, n[2], n[11]), "false", rt, range_err, n[2]);
	}
	double t = now() - t0;
	somo_rt_free(rt);
	return t;
}

/* Bytes held by one live runtime with 50 interactions, over many instances. */
static void measure_memory(somo_scorm_version v, unsigned instances)
{
	const char *const *n = v == SOMO_SCORM_2004 ? names_2004 : names_12;
	somo_rt **rts = calloc(instances, sizeof *rts);
	char el[64], qid[16];
	size_t rt_memory = 0;

	if (!rts)
		exit(1);
	malloc_trim(0);
	struct mallinfo2 m0 = mallinfo2();
	size_t l0 = live_bytes;
	for (unsigned j = 0; j < instances; j++) {
		if (somo_rt_new(&rts[j], v, NULL) < 0)
			exit(1);
		somo_rt *rt = rts[j];
		expect(somo_rt_initialize(rt, ""), "true", rt, 0, n[0]);
		expect(somo_rt_set_value(rt, n[1], "page1"), "true", rt, 0, n[1]);
		expect(somo_rt_set_value(rt, n[2], n[3]), "true", rt, 0, n[2]);
		for (unsigned k = 0; k < 50; k++) {
			snprintf(qid, sizeof qid, "q%u", k);
			snprintf(el, sizeof el, n[4], k);
			expect(somo_rt_set_value(rt, el, qid), "true", rt, 0, el);
			snprintf(el, sizeof el, n[5], k);
			expect(somo_rt_set_value(rt, el, "choice"), "true", rt, 0, el);
			snprintf(el, sizeof el, n[6], k);
			expect(somo_rt_set_value(rt, el, n[7]), "true", rt, 0, el);
		}
		rt_memory += somo_rt_memory(rt);
	}
	struct mallinfo2 m1 = mallinfo2();
	size_t accounted = live_bytes - l0;
	size_t heap = m1.uordblks > m0.uordblks ? m1.uordblks - m0.uordblks : 0;
	for (unsigned j = 0; j < instances; j++)
		somo_rt_free(rts[j]);
	free(rts);
	printf("{\"side\":\"somo\",\"scorm\":\"%s\",\"measure\":\"memory\",\"instances\":%u,"
	       "\"interactions\":50,\"bytes_allocated_per_runtime\":%.0f,"
	       "\"heap_bytes_per_runtime\":%.0f,\"somo_rt_memory\":%.0f}\n",
	       v == SOMO_SCORM_2004 ? "2004" : "1.2", instances, (double)accounted / instances,
	       (double)heap / instances, (double)rt_memory / instances);
}

int main(int argc, char **argv)
{
	unsigned iterations = 200000, runs = 5, instances = 2000;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--iterations") == 0)
			iterations = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--instances") == 0)
			instances = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else {
			fprintf(stderr, "usage: %s [--iterations N] [--runs R] [--instances M]\n",
			        argv[0]);
			return 2;
		}
	}
	if (!iterations || !runs || !instances) {
		fprintf(stderr, "bench-runtime: counts must be positive\n");
		return 2;
	}
	somo_set_alloc_funcs(count_malloc, count_realloc, count_free);
	static const somo_scorm_version versions[] = {SOMO_SCORM_2004, SOMO_SCORM_12};
	for (size_t vi = 0; vi < 2; vi++) {
		somo_scorm_version v = versions[vi];
		double best = 0;
		run_workload(v, iterations / 10 + 1); /* warm up */
		for (unsigned r = 0; r < runs; r++) {
			double t = run_workload(v, iterations);
			if (r == 0 || t < best)
				best = t;
		}
		double calls = 1.0 + (double)iterations * CALLS_PER_ITERATION;
		printf(
		    "{\"side\":\"somo\",\"scorm\":\"%s\",\"measure\":\"calls\",\"iterations\":%u,"
		    "\"calls\":%.0f,\"seconds\":%.6f,\"calls_per_second\":%.0f}\n",
		    v == SOMO_SCORM_2004 ? "2004" : "1.2", iterations, calls, best, calls / best);
		measure_memory(v, instances);
	}
	if (failures) {
		fprintf(stderr, "bench-runtime: %d API answers were not the expected ones\n",
		        failures);
		return 1;
	}
	return 0;
}
