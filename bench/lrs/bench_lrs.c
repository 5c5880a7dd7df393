/*
 * The LRS benchmark's Somo side.
 *
 *   bench-lrs gen N TAG FILE        write N statements (one JSON per line)
 *   bench-lrs send URL FILE BATCH DB [IN_FLIGHT]
 *                                   enqueue them into a new outbox at DB,
 *                                   then time their delivery with IN_FLIGHT
 *                                   batches at once (default 1)
 *
 * "send" prints "somo: N statements in S s: R/s". Only the delivery is
 * timed: from the first request to the last statement recorded delivered
 * (the outbox is SQLite, synchronous=FULL: each batch's answer is one
 * durable transaction).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "somo/lrs.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int gen(long n, unsigned tag, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	for (long i = 0; i < n; i++)
		fprintf(f,
		        "{\"id\":\"%08x-0000-4000-8000-%012lx\",\"actor\":{\"mbox\":\"mailto:"
		        "learner%ld@example.org\","
		        "\"name\":\"Learner "
		        "%ld\"},\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/answered\","
		        "\"display\":{\"en-US\":\"answered\"}},\"object\":{\"id\":\"https://"
		        "example.org/course/1/q%ld\","
		        "\"definition\":{\"type\":\"http://adlnet.gov/expapi/activities/"
		        "cmi.interaction\","
		        "\"interactionType\":\"choice\",\"correctResponsesPattern\":[\"golf\"],"
		        "\"choices\":["
		        "{\"id\":\"golf\",\"description\":{\"en-US\":\"Golf\"}},{\"id\":\"tennis\","
		        "\"description\":"
		        "{\"en-US\":\"Tennis\"}}]}},\"result\":{\"score\":{\"scaled\":0.8314,"
		        "\"raw\":83.14,\"min\":0,"
		        "\"max\":100},\"success\":true,\"response\":\"golf\",\"duration\":\"PT1M30."
		        "5S\"},\"context\":{"
		        "\"registration\":\"6690e6c9-3ef0-4ed3-8b37-7f3964730bee\","
		        "\"contextActivities\":{\"category\":"
		        "[{\"id\":\"https://w3id.org/xapi/"
		        "scorm\"}]}},\"timestamp\":\"2026-12-04T21:00:00.000Z\"}\n",
		        tag, i, i % 50, i % 50, i % 20);
	return fclose(f) != 0;
}

static int send(const char *url, const char *path, unsigned batch, const char *db,
                unsigned in_flight)
{
	somo_store *st = NULL;
	somo_lrs *l = NULL;
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	somo_store_opts so = SOMO_STORE_OPTS_INIT;
	char line[8192];
	long n = 0;
	int running = 1, rc;
	FILE *f = fopen(path, "r");

	unlink(db);
	so.outbox_max = 10000000;
	if (!f || somo_store_open_sqlite(&st, db, &so) < 0) {
		fprintf(stderr, "bench-lrs: %s\n", somo_error_last()->message);
		return 1;
	}
	o.endpoint = url;
	o.username = "bench";
	o.password = "bench";
	o.outbox = st;
	o.batch_size = batch;
	o.xapi_version = "1.0.3";
	o.max_in_flight = in_flight;
	if (somo_lrs_new(&l, &o) < 0)
		return 1;
	/* Enqueued in one transaction: not what is measured. */
	somo_store_begin(st);
	while (fgets(line, sizeof line, f)) {
		if ((rc = somo_lrs_enqueue_json(l, line, strlen(line), NULL)) < 0) {
			fprintf(stderr, "bench-lrs: %s\n", somo_error_last()->message);
			return 1;
		}
		n++;
	}
	somo_store_commit(st);
	fclose(f);
	somo_lrs_flush(l);
	double t0 = now();
	while (running) {
		if ((rc = somo_lrs_poll(l, 1000, &running)) < 0) {
			fprintf(stderr, "bench-lrs: %s\n", somo_error_last()->message);
			return 1;
		}
		somo_lrs_flush(l);
	}
	double t = now() - t0;
	somo_lrs_status s;
	somo_lrs_get_status(l, &s);
	if ((long)s.delivered != n) {
		fprintf(stderr, "bench-lrs: %llu of %ld delivered (%s)\n",
		        (unsigned long long)s.delivered, n, s.message);
		return 1;
	}
	printf("somo: %ld statements in %.3f s: %.0f/s\n", n, t, n / t);
	somo_lrs_free(l);
	somo_store_close(st);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return gen(atol(argv[2]), (unsigned)strtoul(argv[3], NULL, 16), argv[4]);
	if ((argc == 6 || argc == 7) && strcmp(argv[1], "send") == 0)
		return send(argv[2], argv[3], (unsigned)atoi(argv[4]), argv[5],
		            argc == 7 ? (unsigned)atoi(argv[6]) : 1);
	fprintf(stderr, "usage: bench-lrs gen N TAG FILE | send URL FILE BATCH DB [IN_FLIGHT]\n");
	return 2;
}
