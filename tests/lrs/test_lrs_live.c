/*
 * The LRS client against a real LRS (Learning Locker's xapi-statements and
 * xapi-activities, started by tools/lrs/start-lrs.js): statements read back
 * and compared, the ETag preconditions, a 401 stopping the queue, 409 and
 * 400 in a batch, attachments, the LRS killed mid-batch and restarted, and
 * a writer killed with SIGKILL at random points.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lrs_proc.h"
#include "somo/lrs.h"
#include "somo/store.h"

static lrs_proc lrs_p;

static int group_setup(void **state)
{
	(void)state;
	return lrs_start(&lrs_p, 0);
}

static int group_teardown(void **state)
{
	char cmd[300];
	(void)state;
	lrs_stop(&lrs_p, 0);
	/* The LRS's storage, its log and the crash test's outbox. */
	if (strncmp(lrs_p.dir, "/tmp/somo-lrs-test-", 19) == 0 && !getenv("SOMO_KEEP_LRS_DIR")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", lrs_p.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", lrs_p.dir);
	}
	return 0;
}

/* A statement of test run `tag`, number i: id, object and score follow
 * from (tag, i) alone, so writing it again gives the same text. */
static char *stmt(unsigned tag, unsigned i, const char *registration)
{
	char *s = NULL;
	int n = asprintf(
	    &s,
	    "{\"id\":\"%08x-0000-4000-8000-%012x\",\"actor\":{\"mbox\":\"mailto:l%u@example.org\","
	    "\"name\":\"Learner %u\"},\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/"
	    "answered\",\"display\":{\"en-US\":\"answered\"}},\"object\":{\"id\":"
	    "\"https://example.org/t%u/q%u\",\"definition\":{\"type\":"
	    "\"http://adlnet.gov/expapi/activities/cmi.interaction\"}},\"result\":{"
	    "\"score\":{\"raw\":%u,\"scaled\":0.8314},\"success\":true},\"context\":{"
	    "\"registration\":\"%s\"},\"timestamp\":\"2026-01-02T03:04:05.678Z\"}",
	    tag, i, i % 7, i % 7, tag, i, i, registration);
	assert_true(n > 0);
	return s;
}

static void reg_uuid(char out[37], unsigned tag)
{
	snprintf(out, 37, "%08x-1111-4111-8111-%012x", tag, (unsigned)getpid());
}

static somo_lrs *client(somo_store *st, const char *auth, uint32_t batch)
{
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	somo_lrs *l = NULL;
	o.endpoint = lrs_p.url;
	if (auth)
		o.authorization = auth;
	else {
		o.username = "somo";
		o.password = "secret";
	}
	o.outbox = st;
	o.batch_size = batch;
	o.linger_ms = 20;
	o.backoff_min_ms = 50;
	o.backoff_max_ms = 400;
	o.timeout_ms = 3000;
	o.connect_timeout_ms = 1000;
	assert_int_equal(somo_lrs_new(&l, &o), 0);
	return l;
}

/* What the LRS holds for a registration: id -> statement, duplicates counted. */
typedef struct {
	json_t *by_id;
	size_t seen, dups;
} held;

static int hold(const somo_xapi_statement *s, void *payload)
{
	held *h = payload;
	char *json = NULL;
	json_error_t e;
	assert_int_equal(somo_xapi_statement_to_json(s, 0, &json), 0);
	json_t *v = json_loads(json, 0, &e);
	somo_free(json);
	assert_non_null(v);
	const char *id = json_string_value(json_object_get(v, "id"));
	assert_non_null(id);
	if (json_object_get(h->by_id, id))
		h->dups++;
	json_object_set_new(h->by_id, id, v);
	h->seen++;
	return 0;
}

static void fetch(held *h, const char *registration, char **consistent)
{
	char q[160];
	h->by_id = json_object();
	h->seen = h->dups = 0;
	snprintf(q, sizeof q, "registration=%s&limit=40", registration);
	somo_lrs *l = client(NULL, NULL, 0);
	int rc = somo_lrs_statements_get(l, q, 0, hold, h, consistent);
	if (rc)
		fprintf(stderr, "%s\n", somo_error_last()->message);
	assert_int_equal(rc, 0);
	somo_lrs_free(l);
}

/* The LRS's copy holds what was sent (it adds objectType, stored, authority, version). */
static void assert_same(json_t *sent, json_t *got)
{
	const char *keys[] = {"id", "verb", "result", "context", "timestamp"};
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		if (!json_equal(json_object_get(sent, keys[k]), json_object_get(got, keys[k]))) {
			char *a = json_dumps(sent, 0), *b = json_dumps(got, 0);
			fail_msg("'%s' differs:\nsent %s\ngot  %s", keys[k], a, b);
		}
	}
	assert_true(json_equal(json_object_get(json_object_get(sent, "object"), "id"),
	                       json_object_get(json_object_get(got, "object"), "id")));
	assert_true(json_equal(json_object_get(json_object_get(sent, "actor"), "mbox"),
	                       json_object_get(json_object_get(got, "actor"), "mbox")));
}

static void test_round_trip(void **state)
{
	(void)state;
	somo_store *st = NULL;
	char reg[37], id[37], *consistent = NULL;
	json_t *sent = json_object();
	held h;
	somo_lrs_status s;

	reg_uuid(reg, 1);
	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	somo_lrs *l = client(st, NULL, 50);
	for (unsigned i = 0; i < 120; i++) {
		char *t = stmt(1, i, reg);
		json_error_t e;
		assert_int_equal(somo_lrs_enqueue_json(l, t, strlen(t), id), 0);
		json_t *v = json_loads(t, 0, &e);
		assert_string_equal(id, json_string_value(json_object_get(v, "id")));
		json_object_set_new(sent, id, v);
		free(t);
	}
	assert_int_equal(somo_lrs_drain(l, 30000), 0);
	assert_int_equal(somo_lrs_get_status(l, &s), 0);
	assert_int_equal(s.delivered, 120);
	assert_int_equal(s.pending, 0);
	assert_int_equal(s.parked, 0);
	assert_string_equal(s.version, "1.0.3");

	fetch(&h, reg, &consistent); /* limit=40: three pages through "more" */
	assert_int_equal(h.seen, 120);
	assert_int_equal(h.dups, 0);
	assert_non_null(consistent);
	assert_true(strlen(consistent) >= 20); /* an ISO 8601 time */
	const char *k;
	json_t *v;
	json_object_foreach (sent, k, v) {
		json_t *got = json_object_get(h.by_id, k);
		assert_non_null(got);
		assert_same(v, got);
	}
	/* 0.8314 went out as written. */
	json_t *any = json_object_iter_value(json_object_iter(h.by_id));
	assert_true(json_real_value(json_object_get(
	                json_object_get(json_object_get(any, "result"), "score"), "scaled")) ==
	            0.8314);
	somo_free(consistent);
	json_decref(h.by_id);
	json_decref(sent);
	somo_lrs_free(l);
	somo_store_close(st);
}

static void test_documents(void **state)
{
	(void)state;
	char act[128], *etag = NULL, *etag2 = NULL;
	somo_lrs_response *r = NULL;
	snprintf(act, sizeof act, "https://example.org/doc/%d", (int)getpid());
	somo_lrs_doc d = {SOMO_LRS_ACTIVITY_PROFILE, act, NULL, NULL, "somo-profile"};
	somo_lrs *l = client(NULL, NULL, 0);

	assert_int_equal(somo_lrs_document_get(l, &d, &r), SOMO_ENOTFOUND);
	/* Create only when absent. */
	assert_int_equal(
	    somo_lrs_document_put(l, &d, false, NULL, "{\"a\":1}", 7, NULL, true, NULL), 0);
	assert_int_equal(somo_lrs_document_get(l, &d, &r), 0);
	assert_int_equal(r->status, 200);
	assert_string_equal((const char *)r->body, "{\"a\":1}");
	assert_true(strlen(r->etag) > 0);
	etag = strdup(r->etag);
	somo_free(r);
	/* Exists: a create-only write fails (412); a blind write too (409). */
	assert_int_equal(
	    somo_lrs_document_put(l, &d, false, NULL, "{\"a\":2}", 7, NULL, true, NULL),
	    SOMO_ECONFLICT);
	assert_non_null(strstr(somo_error_last()->message, "412"));
	assert_int_equal(
	    somo_lrs_document_put(l, &d, false, NULL, "{\"a\":2}", 7, NULL, false, NULL),
	    SOMO_ECONFLICT);
	assert_non_null(strstr(somo_error_last()->message, "409"));
	/* A stale ETag fails; the current one succeeds. */
	assert_int_equal(
	    somo_lrs_document_put(l, &d, false, NULL, "{\"a\":2}", 7, "\"stale\"", false, NULL),
	    SOMO_ECONFLICT);
	assert_int_equal(
	    somo_lrs_document_put(l, &d, false, NULL, "{\"a\":3}", 7, etag, false, &etag2), 0);
	assert_int_equal(somo_lrs_document_get(l, &d, &r), 0);
	assert_string_equal((const char *)r->body, "{\"a\":3}");
	assert_string_not_equal(r->etag, etag);
	/* The old ETag is stale now. */
	assert_int_equal(
	    somo_lrs_document_put(l, &d, false, NULL, "{\"a\":4}", 7, etag, false, NULL),
	    SOMO_ECONFLICT);
	assert_int_equal(somo_lrs_document_delete(l, &d, r->etag), 0);
	somo_free(r);
	assert_int_equal(somo_lrs_document_get(l, &d, &r), SOMO_ENOTFOUND);
	free(etag);
	somo_free(etag2);
	somo_lrs_free(l);
}

static void test_auth_stops(void **state)
{
	(void)state;
	somo_store *st = NULL;
	char reg[37];
	somo_lrs_status s;
	int running = 0, rc = 0;

	reg_uuid(reg, 2);
	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	/* This LRS refuses the token "missing_token" with 401. */
	somo_lrs *l = client(st, "Basic missing_token", 10);
	for (unsigned i = 0; i < 5; i++) {
		char *t = stmt(2, i, reg);
		assert_int_equal(somo_lrs_enqueue_json(l, t, strlen(t), NULL), 0);
		free(t);
	}
	for (int i = 0; i < 200 && rc == 0; i++)
		rc = somo_lrs_poll(l, 50, &running);
	if (rc != SOMO_EAUTH) {
		somo_lrs_get_status(l, &s);
		fprintf(stderr,
		        "rc %d: %s; status: pending %d delivered %d in flight %d version '%s' "
		        "message '%s' running %d\n",
		        rc, somo_error_last()->message, (int)s.pending, (int)s.delivered,
		        (int)s.in_flight, s.version, s.message, running);
	}
	assert_int_equal(rc, SOMO_EAUTH);
	assert_null(strstr(somo_error_last()->message, "missing_token"));
	assert_int_equal(somo_lrs_get_status(l, &s), 0);
	assert_int_equal(s.stopped, SOMO_EAUTH);
	assert_int_equal(s.pending, 5);
	/* Stopped: nothing goes out and nothing is lost. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(somo_lrs_poll(l, 20, &running), 0);
	assert_int_equal(running, 0);
	assert_int_equal(somo_lrs_set_auth(l, "somo", "secret", NULL), 0);
	somo_lrs_resume(l);
	assert_int_equal(somo_lrs_drain(l, 20000), 0);
	assert_int_equal(somo_lrs_get_status(l, &s), 0);
	assert_int_equal(s.delivered, 5);
	somo_lrs_free(l);
	somo_store_close(st);
}

static void test_conflict_and_parking(void **state)
{
	(void)state;
	somo_store *st = NULL, *other = NULL;
	char reg[37];
	somo_lrs_status s;
	held h;

	reg_uuid(reg, 3);
	/* Another client already stored statement 4 with other content. */
	assert_int_equal(somo_store_open_memory(&other, NULL), 0);
	somo_lrs *o = client(other, NULL, 10);
	char *t4 = stmt(3, 4, reg);
	char *alt = strdup(t4);
	memcpy(strstr(alt, "\"raw\":4"), "\"raw\":9", 7);
	assert_int_equal(somo_lrs_enqueue_json(o, alt, strlen(alt), NULL), 0);
	assert_int_equal(somo_lrs_drain(o, 20000), 0);
	somo_lrs_free(o);
	somo_store_close(other);

	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	somo_lrs *l = client(st, NULL, 10);
	for (unsigned i = 0; i < 10; i++) {
		char *t = stmt(3, i, reg);
		if (i == 7) {
			/* One the LRS refuses (put in the outbox directly: Somo's own
			 * check would have refused it): its verb id is no IRI. */
			char *bad = strdup(t);
			memcpy(strstr(bad, "http://adlnet.gov/expapi/verbs/"),
			       "not an iri at all :  //", 23);
			char id[37];
			memcpy(id, strstr(bad, "\"id\":\"") + 6, 36);
			id[36] = '\0';
			assert_int_equal(somo_store_outbox_enqueue(st, id, bad), 0);
			free(bad);
		} else {
			assert_int_equal(somo_lrs_enqueue_json(l, t, strlen(t), NULL), 0);
		}
		free(t);
	}
	int rc = somo_lrs_drain(l, 30000);
	if (rc)
		fprintf(stderr, "%s\n", somo_error_last()->message);
	assert_int_equal(rc, 0);
	assert_int_equal(somo_lrs_get_status(l, &s), 0);
	assert_int_equal(s.parked, 1);
	assert_int_equal(s.delivered, 9);
	assert_int_equal(s.pending, 0);
	somo_store_outbox_entry *e = NULL;
	assert_int_equal(somo_store_outbox_get(st, "00000003-0000-4000-8000-000000000007", &e), 0);
	assert_int_equal(e->state, SOMO_STORE_OUTBOX_PARKED);
	assert_true(strlen(e->message) > 8);
	assert_non_null(strstr(e->message, "400"));
	somo_free(e);

	fetch(&h, reg, NULL);
	assert_int_equal(h.seen, 9); /* 0..9 without 7; 4 is the other client's */
	assert_int_equal(h.dups, 0);
	json_t *four = json_object_get(h.by_id, "00000003-0000-4000-8000-000000000004");
	assert_non_null(four);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(json_object_get(four, "result"), "score"), "raw")),
	                 9);
	assert_null(json_object_get(h.by_id, "00000003-0000-4000-8000-000000000007"));
	json_decref(h.by_id);
	free(t4);
	free(alt);
	somo_lrs_free(l);
	somo_store_close(st);
}

static void test_attachments(void **state)
{
	(void)state;
	char reg[37], id[37], sha[65];
	somo_xapi_statement *x = NULL;
	held h;

	reg_uuid(reg, 4);
	char *t = stmt(4, 1, reg);
	assert_int_equal(somo_xapi_statement_parse(&x, t, strlen(t), NULL, NULL), 0);
	static const char pdf[] = "%PDF-1.4 a certificate\n\x01\x02\xff";
	somo_lrs_attachment a = {"http://id.tincanapi.com/attachment/certificate-of-completion",
	                         "Certificate", "application/pdf", pdf, sizeof pdf - 1};
	somo_lrs *l = client(NULL, NULL, 0);
	int rc = somo_lrs_send_with_attachments(l, x, &a, 1, id);
	if (rc)
		fprintf(stderr, "%s\n", somo_error_last()->message);
	assert_int_equal(rc, 0);
	assert_string_equal(id, "00000004-0000-4000-8000-000000000001");
	assert_int_equal(somo_lrs_sha256_hex(pdf, sizeof pdf - 1, sha), 0);
	fetch(&h, reg, NULL);
	assert_int_equal(h.seen, 1);
	json_t *att =
	    json_array_get(json_object_get(json_object_get(h.by_id, id), "attachments"), 0);
	assert_non_null(att);
	assert_string_equal(json_string_value(json_object_get(att, "sha2")), sha);
	assert_int_equal(json_integer_value(json_object_get(att, "length")), sizeof pdf - 1);
	json_decref(h.by_id);
	free(t);
	somo_xapi_statement_free(x);
	somo_lrs_free(l);
}

static size_t delivered_count(somo_store *st)
{
	somo_store_outbox_counts c;
	assert_int_equal(somo_store_outbox_count(st, &c), 0);
	return (size_t)c.delivered;
}

typedef struct {
	json_t *ids;
} idset;

static int add_id(const somo_store_outbox_entry *e, void *p)
{
	json_object_set_new(((idset *)p)->ids, e->id, json_true());
	return 0;
}

/* The LRS killed with SIGKILL while batches are in flight, then started
 * again (empty: it keeps statements in memory): every statement not yet
 * recorded as delivered reaches the new LRS, once. */
static void test_lrs_killed_mid_batch(void **state)
{
	(void)state;
	somo_store *st = NULL;
	char reg[37];
	idset before = {json_object()};
	held h;
	int running;

	reg_uuid(reg, 5);
	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	somo_lrs *l = client(st, NULL, 20);
	for (unsigned i = 0; i < 400; i++) {
		char *t = stmt(5, i, reg);
		assert_int_equal(somo_lrs_enqueue_json(l, t, strlen(t), NULL), 0);
		free(t);
	}
	somo_lrs_flush(l);
	/* Pump until some are delivered and a batch is in flight. */
	somo_lrs_status s = {0};
	for (int i = 0; i < 20000; i++) {
		somo_lrs_poll(l, 5, &running);
		somo_lrs_get_status(l, &s);
		if (s.delivered >= 60 && s.in_flight > 0)
			break;
	}
	assert_true(s.delivered >= 60 && s.in_flight > 0 && s.pending > 0);
	lrs_stop(&lrs_p, 1);
	size_t d0 = delivered_count(st);
	assert_int_equal(
	    somo_store_outbox_list(st, SOMO_STORE_OUTBOX_DELIVERED, 0, add_id, &before), 0);
	/* Down: the queue backs off, nothing is lost. */
	for (int i = 0; i < 20; i++)
		somo_lrs_poll(l, 20, &running);
	assert_int_equal(delivered_count(st), d0);
	assert_int_equal(lrs_start(&lrs_p, lrs_p.port), 0);
	int rc = somo_lrs_drain(l, 60000);
	if (rc)
		fprintf(stderr, "%s\n", somo_error_last()->message);
	assert_int_equal(rc, 0);
	assert_int_equal(delivered_count(st), 400);
	fetch(&h, reg, NULL);
	assert_int_equal(h.dups, 0);
	assert_int_equal(h.seen, 400 - d0);
	const char *k;
	json_t *v;
	json_object_foreach (h.by_id, k, v)
		assert_null(json_object_get(before.ids, k));
	json_decref(h.by_id);
	json_decref(before.ids);
	somo_lrs_free(l);
	somo_store_close(st);
}

/* The LRS frozen (SIGSTOP) mid-batch: the client times out and retries;
 * thawed, it stores the stale batch and the retries: still each once. */
static void test_lrs_frozen_mid_batch(void **state)
{
	(void)state;
	somo_store *st = NULL;
	char reg[37];
	held h;
	int running;
	somo_lrs_status s = {0};

	reg_uuid(reg, 6);
	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	somo_lrs *l = client(st, NULL, 25);
	for (unsigned i = 0; i < 200; i++) {
		char *t = stmt(6, i, reg);
		assert_int_equal(somo_lrs_enqueue_json(l, t, strlen(t), NULL), 0);
		free(t);
	}
	somo_lrs_flush(l);
	for (int i = 0; i < 20000; i++) {
		somo_lrs_poll(l, 5, &running);
		somo_lrs_get_status(l, &s);
		if (s.delivered >= 50 && s.in_flight > 0)
			break;
	}
	kill(lrs_p.pid, SIGSTOP);
	/* Longer than the 3 s request timeout. */
	for (int i = 0; i < 80; i++)
		somo_lrs_poll(l, 50, &running);
	somo_lrs_get_status(l, &s);
	assert_true(s.pending > 0);
	if (!strstr(s.message, "unreachable"))
		fprintf(stderr, "message: %s\n", s.message);
	assert_non_null(strstr(s.message, "unreachable"));
	kill(lrs_p.pid, SIGCONT);
	assert_int_equal(somo_lrs_drain(l, 60000), 0);
	assert_int_equal(delivered_count(st), 200);
	fetch(&h, reg, NULL);
	assert_int_equal(h.seen, 200);
	assert_int_equal(h.dups, 0);
	json_decref(h.by_id);
	somo_lrs_free(l);
	somo_store_close(st);
}

/* ---------------------------------------------------------------------- */
/* A writer killed at random points                                        */

#define CRASH_N 1500

/* The writer: enqueue statements 0..CRASH_N-1 (those already in the outbox
 * are the same text: a no-op) while pumping, then drain. Writes "i\n" to
 * fd ack once statement i is enqueued. */
static int crash_child(const char *db, const char *url, int ack)
{
	somo_store *st = NULL;
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	somo_lrs *l = NULL;
	char reg[37];
	int running;

	snprintf(reg, sizeof reg, "%08x-1111-4111-8111-%012x", 7u, 7u);
	if (somo_store_open_sqlite(&st, db, NULL) < 0) {
		fprintf(stderr, "child: %s\n", somo_error_last()->message);
		return 1;
	}
	o.endpoint = url;
	o.username = "somo";
	o.password = "x";
	o.outbox = st;
	o.batch_size = 16;
	o.linger_ms = 5;
	o.backoff_min_ms = 20;
	o.backoff_max_ms = 200;
	if (somo_lrs_new(&l, &o) < 0)
		return 1;
	for (unsigned i = 0; i < CRASH_N; i++) {
		char *t = stmt(7, i, reg), line[16];
		int rc = somo_lrs_enqueue_json(l, t, strlen(t), NULL);
		free(t);
		if (rc < 0) {
			fprintf(stderr, "child: %s\n", somo_error_last()->message);
			return 1;
		}
		int n = snprintf(line, sizeof line, "%u\n", i);
		if (write(ack, line, (size_t)n) != n)
			return 1;
		somo_lrs_perform(l, &running);
	}
	int rc = somo_lrs_drain(l, 60000);
	somo_lrs_free(l);
	somo_store_close(st);
	return rc ? 1 : 0;
}

static char *self_path;

/* The writer in a child process, acknowledging on ack (its fd 3). */
static pid_t spawn_child(const char *db, int ack)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (ack != 3) {
			dup2(ack, 3);
			close(ack);
		}
		execl(self_path, self_path, "--crash-child", db, lrs_p.url, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void test_writer_killed(void **state)
{
	(void)state;
	char db[300], reg[37];
	unsigned long acked_max = 0;
	int kills = 0;
	held h;
	struct timespec t0, t1;

	snprintf(db, sizeof db, "%s/crash.db", lrs_p.dir);
	unlink(db);
	snprintf(reg, sizeof reg, "%08x-1111-4111-8111-%012x", 7u, 7u);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int round = 0; round < 30; round++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		pid_t pid = spawn_child(db, fds[1]);
		close(fds[1]);
		/* Kill at a random instant: 5 to 100 ms in, short enough that a
		 * fast machine still sees many kills before the writer is done. */
		struct timespec d = {0, (long)(5 + rand() % 95) * 1000000L};
		nanosleep(&d, NULL);
		int done = waitpid(pid, NULL, WNOHANG) == pid;
		if (!done) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			kills++;
		}
		char buf[8192];
		ssize_t n;
		while ((n = read(fds[0], buf, sizeof buf - 1)) > 0) {
			buf[n] = '\0';
			for (char *p = buf; (p = strchr(p, '\n')); p++) {
				char *q = p;
				while (q > buf && q[-1] != '\n')
					q--;
				unsigned long i = strtoul(q, NULL, 10);
				if (i + 1 > acked_max)
					acked_max = i + 1;
			}
		}
		close(fds[0]);
		/* Every statement acknowledged is in the outbox, with its text. */
		somo_store *st = NULL;
		assert_int_equal(somo_store_open_sqlite(&st, db, NULL), 0);
		for (unsigned long i = 0; i < acked_max; i++) {
			char id[37];
			somo_store_outbox_entry *e = NULL;
			snprintf(id, sizeof id, "%08x-0000-4000-8000-%012lx", 7u, i);
			assert_int_equal(somo_store_outbox_get(st, id, &e), 0);
			char *t = stmt(7, (unsigned)i, reg);
			json_error_t je;
			json_t *a = json_loads(t, 0, &je), *b = json_loads(e->statement, 0, &je);
			assert_true(json_equal(a, b));
			json_decref(a);
			json_decref(b);
			free(t);
			somo_free(e);
		}
		somo_store_close(st);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (done || t1.tv_sec - t0.tv_sec > 40)
			break;
	}
	/* Last run to completion. */
	int devnull = open("/dev/null", O_WRONLY);
	pid_t pid = spawn_child(db, devnull);
	close(devnull);
	int status = 0;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fprintf(stderr, "writer killed %d times\n", kills);
	/* The writer must really have been killed mid-work, several times. */
	assert_true(kills >= 5);

	somo_store *st = NULL;
	assert_int_equal(somo_store_open_sqlite(&st, db, NULL), 0);
	assert_int_equal(delivered_count(st), CRASH_N);
	somo_store_close(st);
	fetch(&h, reg, NULL);
	assert_int_equal(h.dups, 0);
	assert_int_equal(h.seen, CRASH_N);
	for (unsigned i = 0; i < CRASH_N; i++) {
		char id[37];
		json_error_t je;
		snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", 7u, i);
		char *t = stmt(7, i, reg);
		json_t *sent = json_loads(t, 0, &je);
		json_t *got = json_object_get(h.by_id, id);
		assert_non_null(got);
		assert_same(sent, got);
		json_decref(sent);
		free(t);
	}
	json_decref(h.by_id);
}

int main(int argc, char **argv)
{
	self_path = argv[0];
	if (argc == 4 && strcmp(argv[1], "--crash-child") == 0) {
		return crash_child(argv[2], argv[3], 3);
	}
	int skip = lrs_available();
	if (skip)
		return skip;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_documents),
	    cmocka_unit_test(test_auth_stops),
	    cmocka_unit_test(test_conflict_and_parking),
	    cmocka_unit_test(test_attachments),
	    cmocka_unit_test(test_lrs_killed_mid_batch),
	    cmocka_unit_test(test_lrs_frozen_mid_batch),
	    cmocka_unit_test(test_writer_killed),
	};
	if (getenv("SOMO_TEST_FILTER"))
		cmocka_set_test_filter(getenv("SOMO_TEST_FILTER"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
