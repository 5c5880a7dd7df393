/*
 * Statements per second: jansson's own round trip (json_loadb + json_dumps)
 * against Somo's parse + validate (with the problem list) + serialise, on
 * the same statements of about 800 bytes, in one run. The two sides
 * alternate for many short rounds and each keeps its best round, timed in
 * the thread's CPU time, so a busy moment on the machine does not decide
 * the ratio.
 *
 * usage: bench-xapi [statements-per-round] [rounds]
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "somo.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define VARIANTS 64

static char *make_statement(int i)
{
	char *s = malloc(2048);

	snprintf(
	    s, 2048,
	    "{\"id\":\"%08x-bb56-4c2e-ab83-44982ef22df0\","
	    "\"actor\":{\"name\":\"Learner %d\",\"mbox\":\"mailto:learner%d@example.org\"},"
	    "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/"
	    "answered\",\"display\":{\"en-US\":\"answered\"}},"
	    "\"object\":{\"objectType\":\"Activity\",\"id\":\"https://example.org/courses/golf/"
	    "q%d\","
	    "\"definition\":{"
	    "\"name\":{\"en-US\":\"Question %d\"},\"interactionType\":\"choice\","
	    "\"correctResponsesPattern\":[\"driver\"],"
	    "\"choices\":[{\"id\":\"driver\"},{\"id\":\"putter\"}]}},"
	    "\"result\":{\"score\":{\"scaled\":0.%04d,\"raw\":%d.%02d,\"min\":0,\"max\":100},"
	    "\"success\":%s,\"completion\":true,\"response\":\"driver\",\"duration\":\"PT%dM%d.%"
	    "02dS\"},"
	    "\"context\":{\"registration\":\"ec531277-b57b-4c15-8d91-%012x\","
	    "\"contextActivities\":{\"parent\":[{\"id\":\"https://example.org/courses/golf\"}],"
	    "\"category\":[{\"id\":\"https://w3id.org/xapi/scorm\"}]},"
	    "\"language\":\"en-US\"},"
	    "\"timestamp\":\"2026-12-04T20:%02d:%02d.%03dZ\"}",
	    (unsigned)i * 2654435761u, i, i, i % 40, i % 40, (i * 37) % 10000, i % 100, i % 97,
	    i % 3 ? "true" : "false", i % 60, i % 59, i % 100, (unsigned)i * 7919u, i % 60,
	    (i * 7) % 60, i % 1000);
	return s;
}

int main(int argc, char **argv)
{
	int per_round = argc > 1 ? atoi(argv[1]) : 4000;
	int rounds = argc > 2 ? atoi(argv[2]) : 40;
	char *st[VARIANTS];
	size_t len[VARIANTS], total = 0;
	double best_j = 1e30, best_s = 1e30;
	somo_xapi_validate_opts vo = SOMO_XAPI_VALIDATE_OPTS_INIT;
	int r, i, invalid = 0;
	size_t sink = 0;

	for (i = 0; i < VARIANTS; i++) {
		st[i] = make_statement(i);
		len[i] = strlen(st[i]);
		total += len[i];
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now(), t;
		for (i = 0; i < per_round; i++) {
			int k = i % VARIANTS;
			json_t *v = json_loadb(st[k], len[k], 0, NULL);
			char *out = json_dumps(v, JSON_COMPACT);
			sink += strlen(out);
			free(out);
			json_decref(v);
		}
		t = now() - t0;
		if (t < best_j)
			best_j = t;

		t0 = now();
		for (i = 0; i < per_round; i++) {
			int k = i % VARIANTS;
			somo_xapi_statement *s = NULL;
			somo_xapi_problems *p = NULL;
			char *out = NULL;
			if (somo_xapi_statement_parse(&s, st[k], len[k], NULL, NULL) != 0)
				return 2;
			if (somo_xapi_statement_validate(s, &vo, &p) != 0)
				invalid++;
			somo_xapi_problems_free(p);
			if (somo_xapi_statement_to_json(s, 0, &out) != 0)
				return 2;
			sink += strlen(out);
			somo_free(out);
			somo_xapi_statement_free(s);
		}
		t = now() - t0;
		if (t < best_s)
			best_s = t;
	}
	if (invalid) {
		fprintf(stderr,
		        "bench-xapi: %d statements found invalid: the benchmark data is wrong\n",
		        invalid);
		return 2;
	}
	printf("statements: %d variants, %zu bytes on average; %d per round, best of %d rounds\n",
	       VARIANTS, total / VARIANTS, per_round, rounds);
	printf("jansson parse + dump:              %9.0f statements/s\n", per_round / best_j);
	printf("somo parse + validate + serialise: %9.0f statements/s\n", per_round / best_s);
	printf("ratio somo/jansson: %.3f  (validation and exact numbers cost %.1f%% on top of "
	       "jansson's round trip)\n",
	       best_j / best_s, (best_s / best_j - 1.0) * 100.0);
	return sink == 0;
}
