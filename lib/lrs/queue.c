/*
 * The statement queue: statements wait in the store's outbox, leave it in
 * batches, and what the LRS answered is written back in one transaction.
 *
 * Why exactly once holds: a statement's text is fixed when it is enqueued
 * and sent byte for byte each time, so a statement sent again after a crash
 * or a lost reply is the same statement; the LRS stores it once (an LRS
 * answers a repeated id with 200 for the same content, or 409).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, stpcpy */
#include <strings.h>
#include <stdio.h>
#include <string.h>

#include "lrs/lrs_internal.h"
#include "xapi/xapi_internal.h"

static uint64_t next_rnd(somo_lrs *lrs)
{
	uint64_t x = lrs->rnd; /* xorshift64 */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return lrs->rnd = x;
}

/* ---------------------------------------------------------------------- */
/* Enqueueing                                                              */

int somo_lrs_enqueue(somo_lrs *lrs, const somo_xapi_statement *st, char id_out[37])
{
	somo_xapi_statement *copy = NULL;
	somo_xapi_problems *p = NULL;
	somo_xapi_validate_opts vo = SOMO_XAPI_VALIDATE_OPTS_INIT;
	char *json = NULL;
	int rc;

	if (!lrs || !st)
		return somo__error(SOMO_EINVAL, "somo_lrs_enqueue needs a client and a statement");
	if (!lrs->outbox)
		return somo__error(SOMO_ESTATE, "this LRS client has no outbox");
	if ((rc = somo_xapi_statement_dup(&copy, st)) < 0 ||
	    (rc = somo_xapi_statement_ensure_id(copy)) < 0)
		goto out;
	vo.xapi = strncmp(lrs->version, "1.0.", 4) == 0 ? SOMO_XAPI_1_0_3 : SOMO_XAPI_2_0;
	rc = somo_xapi_statement_validate(copy, &vo, &p);
	if (rc == SOMO_EINVALID) {
		rc = somo__error(SOMO_EINVALID, "statement not queued: %s: %s",
		                 somo_xapi_problems_path(p, 0), somo_xapi_problems_message(p, 0));
		goto out;
	}
	if (rc < 0 || (rc = somo_xapi_statement_to_json(copy, SOMO_XAPI_JSON_COMPACT, &json)) < 0)
		goto out;
	if ((rc = somo_store_outbox_enqueue(lrs->outbox, somo_xapi_statement_id(copy), json)) < 0)
		goto out;
	if (id_out)
		snprintf(id_out, 37, "%s", somo_xapi_statement_id(copy));
	lrs->check_at = 0;
	lrs->has_due = true;
out:
	somo_free(json);
	somo_xapi_problems_free(p);
	somo_xapi_statement_free(copy);
	return rc;
}

int somo_lrs_enqueue_json(somo_lrs *lrs, const char *json, size_t len, char id_out[37])
{
	somo_xapi_statement *st = NULL;
	somo_diag d;
	int rc;

	if (!json)
		return somo__error(SOMO_EINVAL, "no statement text");
	rc = somo_xapi_statement_parse(&st, json, len, NULL, &d);
	if (rc == SOMO_EPARSE)
		return somo__error(rc, "statement not queued: %d:%d: %s", d.line, d.column, d.text);
	if (rc < 0)
		return rc;
	rc = somo_lrs_enqueue(lrs, st, id_out);
	somo_xapi_statement_free(st);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Sending                                                                 */

static bool in_flight(const somo_lrs *lrs, const char *id)
{
	for (const somo__lrs_req *r = lrs->reqs; r; r = r->next)
		for (size_t i = 0; i < r->batch.count; i++)
			if (strcmp(r->batch.ids[i], id) == 0)
				return true;
	return false;
}

/* Statements read ahead: at most this many batches' worth per query. */
#define READ_AHEAD_BATCHES 8

void somo__lrs_forget_ahead(somo_lrs *lrs)
{
	somo__lrs_batch_free(&lrs->pre);
	somo__free(lrs->pre_enqueued);
	lrs->pre_enqueued = NULL;
}

typedef struct {
	somo_lrs *lrs;
	size_t cap;
} collect_ctx;

static int collect(const somo_store_outbox_entry *e, void *payload)
{
	collect_ctx *c = payload;
	somo__lrs_batch *b = &c->lrs->pre;
	if (b->count == c->cap)
		return 1;
	if (in_flight(c->lrs, e->id))
		return 0;
	b->ids[b->count] = somo__strdup(e->id);
	b->texts[b->count] = somo__strdup(e->statement);
	if (!b->ids[b->count] || !b->texts[b->count]) {
		somo__free(b->ids[b->count]);
		somo__free(b->texts[b->count]);
		return somo__error_oom();
	}
	c->lrs->pre_enqueued[b->count] = e->enqueued;
	b->count++;
	return 0;
}

/* Read the oldest due statements ahead (those in requests skipped). */
static int read_ahead(somo_lrs *lrs, int64_t now)
{
	collect_ctx c = {lrs, (size_t)lrs->batch_size * READ_AHEAD_BATCHES};
	size_t listed = 0;
	int rc;

	somo__lrs_forget_ahead(lrs);
	lrs->pre.ids = somo__calloc(c.cap, sizeof(char *));
	lrs->pre.texts = somo__calloc(c.cap, sizeof(char *));
	lrs->pre_enqueued = somo__calloc(c.cap, sizeof(int64_t));
	if (!lrs->pre.ids || !lrs->pre.texts || !lrs->pre_enqueued) {
		somo__lrs_forget_ahead(lrs);
		return somo__error_oom();
	}
	for (const somo__lrs_req *r = lrs->reqs; r; r = r->next)
		listed += r->batch.count;
	rc = somo_store_outbox_due(lrs->outbox, lrs->due_all ? INT64_MAX - 1 : now, c.cap + listed,
	                           collect, &c);
	if (rc < 0) {
		somo__lrs_forget_ahead(lrs);
		return rc;
	}
	return 0;
}

/* The first n statements read ahead, as a batch of their own. */
static int take_ahead(somo_lrs *lrs, size_t n, somo__lrs_batch *b)
{
	somo__lrs_batch *p = &lrs->pre;
	b->ids = somo__calloc(n, sizeof(char *));
	b->texts = somo__calloc(n, sizeof(char *));
	if (!b->ids || !b->texts) {
		somo__lrs_batch_free(b);
		return somo__error_oom();
	}
	memcpy(b->ids, p->ids, n * sizeof(char *));
	memcpy(b->texts, p->texts, n * sizeof(char *));
	b->count = n;
	p->count -= n;
	memmove(p->ids, p->ids + n, p->count * sizeof(char *));
	memmove(p->texts, p->texts + n, p->count * sizeof(char *));
	memmove(lrs->pre_enqueued, lrs->pre_enqueued + n, p->count * sizeof(int64_t));
	return 0;
}

static int send_batch(somo_lrs *lrs, somo__lrs_batch *b)
{
	static const char *const hdr[] = {"Content-Type: application/json"};
	somo__lrs_req *req = somo__lrs_req_new(SOMO__REQ_BATCH, 1 << 20);
	char *url;
	int rc;

	if (!req) {
		somo__lrs_batch_free(b);
		return somo__error_oom();
	}
	req->batch = *b;
	memset(b, 0, sizeof *b);
	rc = somo__buf_putc(&req->send, '[');
	for (size_t i = 0; rc == 0 && i < req->batch.count; i++) {
		if (i)
			rc = somo__buf_putc(&req->send, ',');
		if (rc == 0)
			rc = somo__buf_puts(&req->send, req->batch.texts[i]);
	}
	if (rc == 0)
		rc = somo__buf_putc(&req->send, ']');
	if (rc < 0 || !(url = somo__sprintf("%sstatements", lrs->endpoint))) {
		somo__lrs_req_free(NULL, req);
		return somo__error_oom();
	}
	rc = somo__lrs_start(lrs, req, "POST", url, hdr, 1, req->send.ptr, req->send.len);
	somo__free(url);
	if (rc < 0) {
		somo__lrs_req_free(lrs, req);
		return rc;
	}
	lrs->batches_in_flight++;
	lrs->statements_in_flight += (uint32_t)req->batch.count;
	return 1;
}

static int start_about(somo_lrs *lrs)
{
	somo__lrs_req *req = somo__lrs_req_new(SOMO__REQ_ABOUT, 1 << 20);
	char *url = somo__sprintf("%sabout", lrs->endpoint);
	int rc;

	if (!req || !url) {
		somo__free(url);
		somo__lrs_req_free(NULL, req);
		return somo__error_oom();
	}
	rc = somo__lrs_start(lrs, req, "GET", url, NULL, 0, NULL, 0);
	somo__free(url);
	if (rc < 0) {
		somo__lrs_req_free(lrs, req);
		return rc;
	}
	lrs->about_in_flight = true;
	return 1;
}

int somo__lrs_queue_step(somo_lrs *lrs)
{
	int64_t now = somo__lrs_now_ms();
	int started = 0, rc;

	if (lrs->stopped || !lrs->outbox || now < lrs->backoff_until)
		return 0;
	if (!lrs->version[0]) {
		if (lrs->about_in_flight || !(lrs->has_due || lrs->split_count))
			return 0;
		return start_about(lrs);
	}
	while (lrs->batches_in_flight < lrs->max_in_flight) {
		somo__lrs_batch b = {0, NULL, NULL};
		if (lrs->split_count) {
			/* Halves of a refused batch go one at a time: they decide
			 * what happens to each other's statements. */
			if (lrs->batches_in_flight)
				break;
			b = lrs->split[--lrs->split_count];
		} else {
			if (now < lrs->check_at)
				break;
			if (lrs->pre.count < lrs->batch_size && (rc = read_ahead(lrs, now)) < 0) {
				lrs->check_at = now + 1000;
				return rc;
			}
			if (lrs->pre.count == 0) {
				lrs->due_all = false;
				lrs->has_due = false;
				lrs->flush = false;
				lrs->check_at = now + 1000;
				break;
			}
			lrs->has_due = true;
			if (lrs->pre.count < lrs->batch_size && !lrs->flush &&
			    lrs->pre_enqueued[0] + lrs->linger_ms > now) {
				lrs->check_at = lrs->pre_enqueued[0] + lrs->linger_ms;
				break;
			}
			if ((rc = take_ahead(lrs,
			                     lrs->pre.count < lrs->batch_size ? lrs->pre.count
			                                                      : lrs->batch_size,
			                     &b)) < 0)
				return rc;
		}
		if ((rc = send_batch(lrs, &b)) < 0)
			return rc;
		started = 1;
	}
	return started;
}

/* ---------------------------------------------------------------------- */
/* Answers                                                                 */

static void backoff(somo_lrs *lrs, somo__lrs_req *req, const char *why)
{
	int64_t now = somo__lrs_now_ms();
	uint64_t d;

	lrs->failures++;
	lrs->due_all = false;
	somo__lrs_forget_ahead(lrs);
	d = somo__lrs_backoff(lrs->backoff_min_ms, lrs->backoff_max_ms, lrs->failures,
	                      next_rnd(lrs));
	/* A 429's or 503's Retry-After is honoured when it asks for longer
	 * (up to backoff_max_ms). */
	if (req && (uint64_t)req->resp.retry_after * 1000 > d)
		d = (uint64_t)req->resp.retry_after * 1000 < lrs->backoff_max_ms
		        ? (uint64_t)req->resp.retry_after * 1000
		        : lrs->backoff_max_ms;
	lrs->backoff_until = now + (int64_t)d;
	lrs->check_at = lrs->backoff_until;
	somo__lrs_note(lrs, "%s; next try in %llu ms", why, (unsigned long long)d);
	/* The split batches are hints kept in memory only: the outbox decides. */
	for (size_t i = 0; i < lrs->split_count; i++)
		somo__lrs_batch_free(&lrs->split[i]);
	lrs->split_count = 0;
	if (!req || !req->batch.count)
		return;
	if (somo_store_begin(lrs->outbox) < 0) {
		lrs->io_error = somo_error_last()->code;
		return;
	}
	for (size_t i = 0; i < req->batch.count; i++) {
		int rc = somo_store_outbox_retry(lrs->outbox, req->batch.ids[i], lrs->backoff_until,
		                                 lrs->message);
		if (rc < 0 && rc != SOMO_ESTATE && rc != SOMO_ENOTFOUND) {
			somo_store_rollback(lrs->outbox);
			lrs->io_error = rc;
			return;
		}
	}
	if (somo_store_commit(lrs->outbox) < 0)
		lrs->io_error = somo_error_last()->code;
}

/* Record the whole batch delivered (or parked, with message) in one
 * transaction. */
static void settle(somo_lrs *lrs, somo__lrs_batch *b, bool park, const char *message)
{
	int rc = somo_store_begin(lrs->outbox);
	for (size_t i = 0; rc == 0 && i < b->count; i++) {
		rc = park ? somo_store_outbox_park(lrs->outbox, b->ids[i], message)
		          : somo_store_outbox_delivered(lrs->outbox, b->ids[i]);
		if (rc == SOMO_ESTATE || rc == SOMO_ENOTFOUND)
			rc = 0; /* delivered by another handle, or purged */
	}
	if (rc == 0)
		rc = somo_store_commit(lrs->outbox);
	else if (somo_store_in_transaction(lrs->outbox))
		somo_store_rollback(lrs->outbox);
	if (rc < 0) {
		/* The LRS has them; they stay pending here and are sent again,
		 * which the LRS answers as a repeat. */
		lrs->io_error = rc;
		somo__lrs_note(lrs, "%s", somo_error_last()->message);
	}
}

/* Split a refused batch in halves, sent one after the other. */
static void split(somo_lrs *lrs, somo__lrs_batch *b)
{
	size_t half = b->count / 2;
	somo__lrs_batch lo = {half, NULL, NULL}, hi = {b->count - half, NULL, NULL};

	if (lrs->split_count + 2 > lrs->split_cap) {
		size_t cap = lrs->split_cap ? lrs->split_cap * 2 : 8;
		somo__lrs_batch *n = somo__realloc(lrs->split, cap * sizeof *n);
		if (!n)
			return; /* the statements stay pending: tried again as a batch */
		lrs->split = n;
		lrs->split_cap = cap;
	}
	lo.ids = somo__calloc(lo.count, sizeof(char *));
	lo.texts = somo__calloc(lo.count, sizeof(char *));
	hi.ids = somo__calloc(hi.count, sizeof(char *));
	hi.texts = somo__calloc(hi.count, sizeof(char *));
	if (!lo.ids || !lo.texts || !hi.ids || !hi.texts) {
		somo__free(lo.ids);
		somo__free(lo.texts);
		somo__free(hi.ids);
		somo__free(hi.texts);
		return;
	}
	memcpy(lo.ids, b->ids, half * sizeof(char *));
	memcpy(lo.texts, b->texts, half * sizeof(char *));
	memcpy(hi.ids, b->ids + half, hi.count * sizeof(char *));
	memcpy(hi.texts, b->texts + half, hi.count * sizeof(char *));
	somo__free(b->ids);
	somo__free(b->texts);
	memset(b, 0, sizeof *b);
	/* A stack: the first half goes first. */
	lrs->split[lrs->split_count++] = hi;
	lrs->split[lrs->split_count++] = lo;
}

static void about_done(somo_lrs *lrs, somo__lrs_req *req)
{
	somo__lrs_verdict v = somo__lrs_classify(req->curl_code, req->resp.status);
	char *msg;

	lrs->about_in_flight = false;
	if (v == SOMO__LRS_DELIVERED) {
		if (somo__lrs_parse_about(req->resp.body.ptr, req->resp.body.len, lrs->version,
		                          sizeof lrs->version) == 0) {
			lrs->failures = 0;
			lrs->check_at = 0;
			return;
		}
		/* An LRS whose /about cannot be read: speak 1.0.3, which every
		 * 1.0.x LRS accepts. */
		snprintf(lrs->version, sizeof lrs->version, "1.0.3");
		somo__lrs_note(lrs, "the LRS's /about was not understood (%s); sending 1.0.3",
		               somo_error_last()->message);
		return;
	}
	if (v == SOMO__LRS_RETRY) {
		char why[CURL_ERROR_SIZE + 64];
		if (req->curl_code)
			snprintf(why, sizeof why, "the LRS is unreachable: %s",
			         req->errbuf[0] ? req->errbuf : curl_easy_strerror(req->curl_code));
		else
			snprintf(why, sizeof why, "the LRS answered %ld to /about",
			         req->resp.status);
		backoff(lrs, NULL, why);
		return;
	}
	msg = somo__lrs_error_message(req->resp.status, req->resp.content_type, req->resp.body.ptr,
	                              req->resp.body.len);
	if (v == SOMO__LRS_AUTH) {
		lrs->stopped = SOMO_EAUTH;
		somo__lrs_note(lrs, "the LRS refused the credentials (%s): the queue is stopped",
		               msg ? msg : "");
	} else {
		/* No /about (404...): an older LRS. 1.0.3 is what it speaks. */
		snprintf(lrs->version, sizeof lrs->version, "1.0.3");
		lrs->check_at = 0;
	}
	somo__free(msg);
}

void somo__lrs_batch_left(somo_lrs *lrs, somo__lrs_req *req)
{
	if (req->left)
		return;
	req->left = true;
	lrs->batches_in_flight--;
	lrs->statements_in_flight -= (uint32_t)req->batch.count;
	lrs->check_at = 0;
}

static void batch_done(somo_lrs *lrs, somo__lrs_req *req)
{
	somo__lrs_batch *b = &req->batch;
	somo__lrs_verdict v = somo__lrs_classify(req->curl_code, req->resp.status);
	char *msg = NULL;

	somo__lrs_batch_left(lrs, req);
	if (v != SOMO__LRS_DELIVERED && v != SOMO__LRS_RETRY)
		msg = somo__lrs_error_message(req->resp.status, req->resp.content_type,
		                              req->resp.body.ptr, req->resp.body.len);
	switch (v) {
	case SOMO__LRS_DELIVERED:
		lrs->failures = 0;
		if (somo__lrs_parse_ids(req->resp.body.ptr, req->resp.body.len,
		                        (const char *const *)b->ids, b->count) < 0)
			somo__lrs_note(lrs, "%s (the statements were accepted)",
			               somo_error_last()->message);
		settle(lrs, b, false, NULL);
		break;
	case SOMO__LRS_TAKEN:
		/* One id at least is taken. Alone, it is this statement (sent
		 * before, its reply lost); in a batch, find which. */
		lrs->failures = 0;
		if (b->count == 1)
			settle(lrs, b, false, NULL);
		else
			split(lrs, b);
		break;
	case SOMO__LRS_REFUSED:
		lrs->failures = 0;
		if (b->count == 1) {
			somo__lrs_note(lrs, "statement %s parked: %s", b->ids[0], msg ? msg : "");
			settle(lrs, b, true, msg ? msg : "refused by the LRS");
		} else {
			split(lrs, b);
		}
		break;
	case SOMO__LRS_AUTH:
		lrs->stopped = SOMO_EAUTH;
		somo__lrs_note(lrs, "the LRS refused the credentials (%s): the queue is stopped",
		               msg ? msg : "");
		break;
	case SOMO__LRS_FATAL:
		lrs->stopped = SOMO_ERROR;
		somo__lrs_note(lrs,
		               "the LRS answered %s to a POST of statements: check the endpoint; "
		               "the queue is stopped",
		               msg ? msg : "");
		break;
	case SOMO__LRS_RETRY: {
		char why[CURL_ERROR_SIZE + 64];
		if (req->curl_code)
			snprintf(why, sizeof why, "the LRS is unreachable: %s",
			         req->errbuf[0] ? req->errbuf : curl_easy_strerror(req->curl_code));
		else {
			char *m = somo__lrs_error_message(req->resp.status, req->resp.content_type,
			                                  req->resp.body.ptr, req->resp.body.len);
			snprintf(why, sizeof why, "the LRS failed: %.120s", m ? m : "");
			somo__free(m);
		}
		backoff(lrs, req, why);
		break;
	}
	}
	somo__free(msg);
}

void somo__lrs_queue_done(somo_lrs *lrs, somo__lrs_req *req)
{
	if (req->kind == SOMO__REQ_ABOUT)
		about_done(lrs, req);
	else if (req->kind == SOMO__REQ_BATCH)
		batch_done(lrs, req);
}
