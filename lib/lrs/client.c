/*
 * The LRS client: one curl multi handle (connections kept alive, HTTP/2
 * multiplexed where the LRS offers it) and the pump that drives it.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, stpcpy */
#include <strings.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "lrs/lrs_internal.h"
#include "util/text.h"

#define DEF(v, d) ((v) ? (v) : (d))

static size_t on_header(char *line, size_t size, size_t n, void *p)
{
	somo__lrs_resp_header(p, line, size * n);
	return size * n;
}

static size_t on_body(char *data, size_t size, size_t n, void *p)
{
	return somo__lrs_resp_body(p, data, size * n) ? size * n : 0;
}

somo__lrs_req *somo__lrs_req_new(somo__req_kind kind, size_t max_body)
{
	somo__lrs_req *r = somo__calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->kind = kind;
	r->resp.max_body = max_body;
	return r;
}

void somo__lrs_batch_free(somo__lrs_batch *b)
{
	for (size_t i = 0; i < b->count; i++) {
		somo__free(b->ids[i]);
		somo__free(b->texts[i]);
	}
	somo__free(b->ids);
	somo__free(b->texts);
	memset(b, 0, sizeof *b);
}

static void unlink_req(somo_lrs *lrs, somo__lrs_req *req)
{
	for (somo__lrs_req **p = &lrs->reqs; *p; p = &(*p)->next) {
		if (*p == req) {
			*p = req->next;
			req->next = NULL;
			return;
		}
	}
}

void somo__lrs_req_free(somo_lrs *lrs, somo__lrs_req *req)
{
	if (!req)
		return;
	if (lrs)
		unlink_req(lrs, req);
	if (req->easy) {
		if (lrs)
			curl_multi_remove_handle(lrs->multi, req->easy);
		curl_easy_cleanup(req->easy);
	}
	curl_slist_free_all(req->headers);
	curl_mime_free(req->mime);
	somo__buf_free(&req->send);
	somo__buf_free(&req->resp.body);
	somo__lrs_batch_free(&req->batch);
	somo__free(req);
}

void somo__lrs_note(somo_lrs *lrs, const char *fmt, ...)
{
	somo__buf b = SOMO__BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int rc = somo__buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		somo__buf_free(&b);
		return;
	}
	somo__free(lrs->message);
	lrs->message = somo__buf_detach(&b);
}

static int add_header(somo__lrs_req *req, const char *h)
{
	struct curl_slist *n = curl_slist_append(req->headers, h);
	if (!n)
		return somo__error_oom();
	req->headers = n;
	return 0;
}

int somo__lrs_start(somo_lrs *lrs, somo__lrs_req *req, const char *method, const char *url,
                    const char *const *headers, size_t header_count, const void *body, size_t size)
{
	CURL *e = curl_easy_init();
	char vh[64];
	int rc;

	if (!e)
		return somo__error_oom();
	req->easy = e;
	snprintf(vh, sizeof vh, "X-Experience-API-Version: %s",
	         lrs->version[0] ? lrs->version : "1.0.3");
	if ((rc = add_header(req, vh)) < 0)
		return rc;
	if (lrs->auth && (rc = add_header(req, lrs->auth)) < 0)
		return rc;
	/* curl would send "Expect: 100-continue" for large bodies: one round trip lost. */
	if ((rc = add_header(req, "Expect:")) < 0)
		return rc;
	for (size_t i = 0; i < header_count; i++)
		if ((rc = add_header(req, headers[i])) < 0)
			return rc;

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &req->resp);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &req->resp);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)lrs->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)lrs->timeout_ms);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (lrs->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (lrs->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, lrs->ca_file);
	if (!lrs->auth && lrs->username) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, lrs->username);
		curl_easy_setopt(e, CURLOPT_PASSWORD, lrs->password ? lrs->password : "");
	}

	if (req->mime) {
		curl_easy_setopt(e, CURLOPT_MIMEPOST, req->mime);
	} else if (body || strcmp(method, "GET") != 0) {
		if (body && req->send.ptr != body) {
			somo__buf_clear(&req->send);
			if (somo__buf_put(&req->send, body, size) < 0)
				return somo__error_oom();
		}
		if (strcmp(method, "GET") != 0 && strcmp(method, "DELETE") != 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->send.ptr ? req->send.ptr : "");
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->send.len);
		}
	}
	if (strcmp(method, "POST") != 0 && strcmp(method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "DELETE") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 0L);

	if (curl_multi_add_handle(lrs->multi, e) != CURLM_OK)
		return somo__error(SOMO_ERROR, "the request could not be started");
	req->next = lrs->reqs;
	lrs->reqs = req;
	return 0;
}

static char *join_auth(const char *authorization)
{
	return somo__sprintf("Authorization: %s", authorization);
}

int somo_lrs_set_auth(somo_lrs *lrs, const char *username, const char *password,
                      const char *authorization)
{
	char *auth = NULL, *user = NULL, *pass = NULL;

	if (!lrs)
		return somo__error(SOMO_EINVAL, "no LRS client");
	if (authorization) {
		if (strpbrk(authorization, "\r\n"))
			return somo__error(SOMO_EINVAL,
			                   "the Authorization value holds a line break");
		if (!(auth = join_auth(authorization)))
			return somo__error_oom();
	}
	if ((username && !(user = somo__strdup(username))) ||
	    (password && !(pass = somo__strdup(password)))) {
		somo__free(auth);
		somo__free(user);
		somo__free(pass);
		return somo__error_oom();
	}
	if (lrs->auth)
		memset(lrs->auth, 0, strlen(lrs->auth));
	if (lrs->password)
		memset(lrs->password, 0, strlen(lrs->password));
	somo__free(lrs->auth);
	somo__free(lrs->username);
	somo__free(lrs->password);
	lrs->auth = auth;
	lrs->username = user;
	lrs->password = pass;
	return 0;
}

int somo_lrs_new(somo_lrs **out, const somo_lrs_opts *o)
{
	somo_lrs *lrs;
	size_t n;

	if (out)
		*out = NULL;
	if (!out || !o || !o->endpoint)
		return somo__error(SOMO_EINVAL, "an LRS client needs an endpoint");
	if ((strncmp(o->endpoint, "http://", 7) != 0 && strncmp(o->endpoint, "https://", 8) != 0) ||
	    strlen(o->endpoint) > 2048 || !somo__iri_valid(o->endpoint))
		return somo__error(SOMO_EINVAL, "the LRS endpoint is not an http(s) IRI");
	if (o->xapi_version && strncmp(o->xapi_version, "1.0.", 4) != 0 &&
	    strncmp(o->xapi_version, "2.0.", 4) != 0)
		return somo__error(SOMO_EINVAL,
		                   "X-Experience-API-Version '%s' is not 1.0.x or 2.0.x",
		                   o->xapi_version);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return somo__error(SOMO_ERROR, "libcurl could not be initialised");
	if (!(lrs = somo__calloc(1, sizeof *lrs)))
		return somo__error_oom();
	n = strlen(o->endpoint);
	lrs->endpoint = somo__sprintf("%s%s", o->endpoint, o->endpoint[n - 1] == '/' ? "" : "/");
	lrs->multi = curl_multi_init();
	if (!lrs->endpoint || !lrs->multi ||
	    (o->ca_file && !(lrs->ca_file = somo__strdup(o->ca_file))) ||
	    somo_lrs_set_auth(lrs, o->username, o->password, o->authorization) < 0) {
		somo_lrs_free(lrs);
		return somo__error_oom();
	}
	curl_multi_setopt(lrs->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	lrs->outbox = o->outbox;
	if (o->xapi_version) {
		snprintf(lrs->version, sizeof lrs->version, "%s", o->xapi_version);
		lrs->version_fixed = true;
	}
	lrs->batch_size = DEF(o->batch_size, 50);
	if (lrs->batch_size > 1000)
		lrs->batch_size = 1000;
	lrs->linger_ms = DEF(o->linger_ms, 100);
	lrs->connect_timeout_ms = DEF(o->connect_timeout_ms, 10000);
	lrs->timeout_ms = DEF(o->timeout_ms, 30000);
	lrs->backoff_min_ms = DEF(o->backoff_min_ms, 500);
	lrs->backoff_max_ms = DEF(o->backoff_max_ms, 300000);
	if (lrs->backoff_max_ms < lrs->backoff_min_ms)
		lrs->backoff_max_ms = lrs->backoff_min_ms;
	lrs->max_response = DEF(o->max_response, (size_t)16 << 20);
	lrs->max_in_flight = DEF(o->max_in_flight, 1);
	if (lrs->max_in_flight > 8)
		lrs->max_in_flight = 8;
	lrs->insecure = o->insecure;
	{
		char u[37];
		uint64_t seed = (uint64_t)somo__lrs_now_ms();
		if (somo__uuid_v4(u) == 0)
			for (const char *p = u; *p; p++)
				seed = seed * 1099511628211ull ^ (unsigned char)*p;
		lrs->rnd = seed | 1;
	}
	*out = lrs;
	return 0;
}

void somo_lrs_free(somo_lrs *lrs)
{
	if (!lrs)
		return;
	while (lrs->reqs)
		somo__lrs_req_free(lrs, lrs->reqs);
	for (size_t i = 0; i < lrs->split_count; i++)
		somo__lrs_batch_free(&lrs->split[i]);
	somo__free(lrs->split);
	somo__lrs_forget_ahead(lrs);
	somo_lrs_set_auth(lrs, NULL, NULL, NULL);
	if (lrs->multi)
		curl_multi_cleanup(lrs->multi);
	somo__free(lrs->endpoint);
	somo__free(lrs->ca_file);
	somo__free(lrs->message);
	somo__free(lrs);
}

/* Handle every finished transfer. */
static void reap(somo_lrs *lrs)
{
	somo__lrs_req *done[64];
	size_t n = 0;
	CURLMsg *m;
	int left, still;

	/* Gather first: answering may start requests, and curl's messages
	 * are only read between calls that change the multi handle. */
	while (n < SOMO__ARRAY_SIZE(done) && (m = curl_multi_info_read(lrs->multi, &left))) {
		somo__lrs_req *req = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&req);
		if (!req)
			continue;
		req->done = true;
		req->curl_code = m->data.result;
		if (req->curl_code == CURLE_WRITE_ERROR && req->resp.overflow)
			req->curl_code = CURLE_FILESIZE_EXCEEDED;
		curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &req->resp.status);
		if (req->kind != SOMO__REQ_CALL)
			done[n++] = req;
	}
	for (size_t i = 0; i < n; i++) {
		somo__lrs_req *req = done[i];
		if (req->kind == SOMO__REQ_BATCH &&
		    somo__lrs_classify(req->curl_code, req->resp.status) == SOMO__LRS_DELIVERED) {
			/* Accepted: the next batch goes out before this one's
			 * transaction is written, so that the LRS works while the
			 * disk does. Its ids stay excluded: req is still listed. */
			somo__lrs_batch_left(lrs, req);
			if (somo__lrs_queue_step(lrs) > 0)
				curl_multi_perform(lrs->multi, &still);
		}
		somo__lrs_queue_done(lrs, req);
		somo__lrs_req_free(lrs, req);
	}
}

static int running_count(const somo_lrs *lrs)
{
	int n = 0;
	for (const somo__lrs_req *r = lrs->reqs; r; r = r->next)
		n += !r->done;
	if (!lrs->stopped && (lrs->has_due || lrs->split_count))
		n++;
	return n;
}

int somo_lrs_perform(somo_lrs *lrs, int *running)
{
	int n, rc = 0;

	if (running)
		*running = 0;
	if (!lrs)
		return somo__error(SOMO_EINVAL, "no LRS client");
	curl_multi_perform(lrs->multi, &n);
	reap(lrs);
	if (somo__lrs_queue_step(lrs) > 0) {
		curl_multi_perform(lrs->multi, &n);
		reap(lrs);
	}
	if (lrs->stopped && !lrs->stop_reported) {
		lrs->stop_reported = true;
		rc = somo__error(lrs->stopped, "%s",
		                 lrs->message ? lrs->message : "the queue stopped");
	} else if (lrs->io_error) {
		rc = somo__error(lrs->io_error, "the outbox could not be written: %s",
		                 lrs->message ? lrs->message : "");
		lrs->io_error = 0;
	}
	if (running)
		*running = running_count(lrs);
	return rc;
}

int somo_lrs_fdset(somo_lrs *lrs, fd_set *r, fd_set *w, fd_set *x, int *max_fd)
{
	if (!lrs || !r || !w || !x || !max_fd)
		return somo__error(SOMO_EINVAL, "somo_lrs_fdset needs every argument");
	if (curl_multi_fdset(lrs->multi, r, w, x, max_fd) != CURLM_OK)
		return somo__error(SOMO_ERROR, "curl_multi_fdset failed");
	return 0;
}

int somo_lrs_timeout(somo_lrs *lrs, long *ms)
{
	long t = -1;
	if (!lrs || !ms)
		return somo__error(SOMO_EINVAL, "somo_lrs_timeout needs every argument");
	curl_multi_timeout(lrs->multi, &t);
	/* The queue's own timer: only when it could start a request then. */
	bool waiting = lrs->has_due || lrs->split_count;
	bool room = lrs->version[0] ? lrs->batches_in_flight < lrs->max_in_flight &&
	                                  !(lrs->split_count && lrs->batches_in_flight)
	                            : !lrs->about_in_flight;
	if (!lrs->stopped && lrs->outbox && waiting && room) {
		int64_t now = somo__lrs_now_ms();
		int64_t at = lrs->split_count ? 0 : lrs->check_at;
		if (lrs->backoff_until > at)
			at = lrs->backoff_until;
		long d = at <= now ? 0 : (long)(at - now);
		if (t < 0 || d < t)
			t = d;
	}
	*ms = t;
	return 0;
}

int somo_lrs_poll(somo_lrs *lrs, int timeout_ms, int *running)
{
	long t;
	int n;

	if (!lrs)
		return somo__error(SOMO_EINVAL, "no LRS client");
	somo_lrs_timeout(lrs, &t);
	if (t < 0 || t > timeout_ms)
		t = timeout_ms;
	if (t > 0)
		curl_multi_poll(lrs->multi, NULL, 0, (int)t, &n);
	return somo_lrs_perform(lrs, running);
}

void somo_lrs_flush(somo_lrs *lrs)
{
	if (!lrs)
		return;
	lrs->flush = true;
	lrs->check_at = 0;
}

void somo_lrs_resume(somo_lrs *lrs)
{
	if (!lrs)
		return;
	lrs->stopped = 0;
	lrs->stop_reported = false;
	lrs->failures = 0;
	lrs->backoff_until = 0;
	lrs->check_at = 0;
	lrs->has_due = true;
	lrs->due_all = true;
	somo__lrs_forget_ahead(lrs);
}

int somo_lrs_drain(somo_lrs *lrs, int timeout_ms)
{
	int64_t end = somo__lrs_now_ms() + timeout_ms;
	int running = 0, rc;

	if (!lrs)
		return somo__error(SOMO_EINVAL, "no LRS client");
	somo_lrs_flush(lrs);
	lrs->has_due = true;
	for (;;) {
		int64_t now = somo__lrs_now_ms();
		if (now >= end)
			return somo__error(SOMO_EBUSY,
			                   "statements are still waiting to be delivered");
		lrs->flush = true;
		if ((rc = somo_lrs_poll(lrs, (int)(end - now > 1000 ? 1000 : end - now),
		                        &running)) < 0)
			return rc;
		if (lrs->stopped)
			return somo__error(lrs->stopped, "%s",
			                   lrs->message ? lrs->message : "stopped");
		if (!running && !lrs->reqs)
			return 0;
	}
}

int somo_lrs_get_status(somo_lrs *lrs, somo_lrs_status *out)
{
	somo_store_outbox_counts c = {0, 0, 0};
	int rc;

	if (!lrs || !out)
		return somo__error(SOMO_EINVAL, "somo_lrs_get_status needs every argument");
	memset(out, 0, sizeof *out);
	if (lrs->outbox && (rc = somo_store_outbox_count(lrs->outbox, &c)) < 0)
		return rc;
	out->pending = c.pending;
	out->delivered = c.delivered;
	out->parked = c.parked;
	out->in_flight = lrs->statements_in_flight;
	out->stopped = lrs->stopped;
	out->next_try = lrs->backoff_until > somo__lrs_now_ms() ? lrs->backoff_until : 0;
	out->version = lrs->version;
	out->message = lrs->message ? lrs->message : "";
	return 0;
}

int somo__lrs_wait(somo_lrs *lrs, somo__lrs_req *req)
{
	int n;
	while (!req->done) {
		curl_multi_poll(lrs->multi, NULL, 0, 100, &n);
		somo_lrs_perform(lrs, NULL);
	}
	unlink_req(lrs, req);
	curl_multi_remove_handle(lrs->multi, req->easy);
	return 0;
}

int somo__lrs_call_error(const somo__lrs_req *req, const char *what)
{
	long st = req->resp.status;
	char *msg;
	int code, rc;

	if (req->curl_code != CURLE_OK) {
		if (req->curl_code == CURLE_FILESIZE_EXCEEDED)
			return somo__error(SOMO_ELIMIT, "%s: the LRS's reply is too large", what);
		return somo__error(SOMO_ENET, "%s: %s", what,
		                   req->errbuf[0] ? req->errbuf
		                                  : curl_easy_strerror(req->curl_code));
	}
	if (st == 401 || st == 403)
		code = SOMO_EAUTH;
	else if (st == 404)
		code = SOMO_ENOTFOUND;
	else if (st == 409 || st == 412)
		code = SOMO_ECONFLICT;
	else if (st == 400)
		code = SOMO_EINVALID;
	else
		code = SOMO_ERROR;
	msg = somo__lrs_error_message(st, req->resp.content_type, req->resp.body.ptr,
	                              req->resp.body.len);
	rc = somo__error(code, "%s: %s", what, msg ? msg : "the LRS refused");
	somo__free(msg);
	return rc;
}
