/*
 * The LRS client without an LRS: the parsers of what an LRS answers, the
 * verdicts and backoff, SHA-256, and the queue against a small fake server
 * (libmicrohttpd) for what a real LRS will not do on request: answer 503,
 * drop the connection.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <microhttpd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lrs/lrs_internal.h"

static void test_about(void **state)
{
	(void)state;
	char v[32];
	const char *a = "{\"version\":[\"1.0.0\",\"1.0.3\"]}";
	assert_int_equal(somo__lrs_parse_about(a, strlen(a), v, sizeof v), 0);
	assert_string_equal(v, "1.0.3");
	a = "{\"version\":[\"1.0.3\",\"2.0.0\"],\"extensions\":{}}";
	assert_int_equal(somo__lrs_parse_about(a, strlen(a), v, sizeof v), 0);
	assert_string_equal(v, "2.0.0");
	a = "{\"version\":[\"0.95\"]}";
	assert_int_equal(somo__lrs_parse_about(a, strlen(a), v, sizeof v), SOMO_EUNSUPPORTED);
	a = "{\"version\":\"1.0.3\"}";
	assert_int_equal(somo__lrs_parse_about(a, strlen(a), v, sizeof v), SOMO_EPARSE);
	assert_int_equal(somo__lrs_parse_about("<html>", 6, v, sizeof v), SOMO_EPARSE);
	assert_int_equal(somo__lrs_parse_about(NULL, 0, v, sizeof v), SOMO_EPARSE);
}

static void test_ids(void **state)
{
	(void)state;
	const char *ids[] = {"6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
	                     "a690e6c9-3ef0-4ed3-8b37-7f3964730bee"};
	const char *ok =
	    "[\"6690E6C9-3ef0-4ed3-8b37-7f3964730bee\",\"a690e6c9-3ef0-4ed3-8b37-7f3964730bee\"]";
	assert_int_equal(somo__lrs_parse_ids(ok, strlen(ok), ids, 2), 0);
	assert_int_equal(somo__lrs_parse_ids(ok, strlen(ok), ids, 1), SOMO_EPARSE);
	const char *swapped =
	    "[\"a690e6c9-3ef0-4ed3-8b37-7f3964730bee\",\"6690e6c9-3ef0-4ed3-8b37-7f3964730bee\"]";
	assert_int_equal(somo__lrs_parse_ids(swapped, strlen(swapped), ids, 2), SOMO_EPARSE);
	assert_int_equal(somo__lrs_parse_ids("[1,2]", 5, ids, 2), SOMO_EPARSE);
	assert_int_equal(somo__lrs_parse_ids("", 0, ids, 2), SOMO_EPARSE);
}

static void test_result(void **state)
{
	(void)state;
	json_t *a = NULL;
	char *more = NULL;
	const char *r =
	    "{\"statements\":[{\"id\":\"x\"},{}],\"more\":\"/xAPI/statements?more=abc\"}";
	assert_int_equal(somo__lrs_parse_result(r, strlen(r), &a, &more), 0);
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(more, "/xAPI/statements?more=abc");
	json_decref(a);
	somo__free(more);
	r = "{\"statements\":[],\"more\":\"\"}";
	assert_int_equal(somo__lrs_parse_result(r, strlen(r), &a, &more), 0);
	assert_null(more);
	json_decref(a);
	r = "{\"statements\":[1]}";
	assert_int_equal(somo__lrs_parse_result(r, strlen(r), &a, &more), SOMO_EPARSE);
	r = "{\"statements\":{},\"more\":\"\"}";
	assert_int_equal(somo__lrs_parse_result(r, strlen(r), &a, &more), SOMO_EPARSE);
	r = "{\"statements\":[],\"more\":7}";
	assert_int_equal(somo__lrs_parse_result(r, strlen(r), &a, &more), SOMO_EPARSE);
	r = "{\"statements\":[],\"statements\":[]}"; /* duplicate keys */
	assert_int_equal(somo__lrs_parse_result(r, strlen(r), &a, &more), SOMO_EPARSE);
	assert_null(a);
	assert_null(more);
}

static void test_error_message(void **state)
{
	(void)state;
	char *m;
	const char *b = "{\"errorId\":\"1\",\"message\":\"Invalid verb\\nid\"}";
	m = somo__lrs_error_message(400, "application/json", b, strlen(b));
	assert_string_equal(m, "HTTP 400: Invalid verb id");
	somo__free(m);
	b = "{\"warnings\":[\"Missing required value\"]}";
	m = somo__lrs_error_message(400, "application/json", b, strlen(b));
	assert_string_equal(m, "HTTP 400: Missing required value");
	somo__free(m);
	m = somo__lrs_error_message(502, "text/html", "  Bad gateway\r\n", 15);
	assert_string_equal(m, "HTTP 502: Bad gateway");
	somo__free(m);
	m = somo__lrs_error_message(500, "", NULL, 0);
	assert_string_equal(m, "HTTP 500");
	somo__free(m);
	/* Long and broken bodies are cut and cleaned. */
	char big[4000];
	memset(big, 'x', sizeof big);
	big[10] = '\xff';
	big[11] = '\x01';
	m = somo__lrs_error_message(400, "", big, sizeof big);
	assert_true(strlen(m) <= SOMO__LRS_MESSAGE_MAX + 2);
	assert_non_null(strstr(m, "xx? xx"));
	somo__free(m);
}

static void test_more_and_headers(void **state)
{
	(void)state;
	char *u = NULL;
	const char *ep = "http://127.0.0.1:8080/xAPI/";
	assert_int_equal(somo__lrs_resolve_more(ep, "/xAPI/statements?more=1", &u), 0);
	assert_string_equal(u, "http://127.0.0.1:8080/xAPI/statements?more=1");
	somo__free(u);
	assert_int_equal(somo__lrs_resolve_more(ep, "http://127.0.0.1:8080/x?y", &u), 0);
	somo__free(u);
	assert_int_equal(somo__lrs_resolve_more(ep, "http://evil.example/x", &u), SOMO_EUNSAFE);
	assert_int_equal(somo__lrs_resolve_more(ep, "http://127.0.0.1:8081/x", &u), SOMO_EUNSAFE);
	assert_int_equal(somo__lrs_resolve_more(ep, "//evil.example/x", &u), SOMO_EPARSE);
	assert_int_equal(somo__lrs_resolve_more(ep, "/a b", &u), SOMO_EPARSE);
	assert_int_equal(somo__lrs_resolve_more(ep, "", &u), SOMO_EPARSE);

	somo__lrs_resp r = {0};
	r.max_body = 8;
	const char *h[] = {"HTTP/1.1 100 Continue\r\n",
	                   "HTTP/2 200\r\n",
	                   "etag: \"abc\"\r\n",
	                   "X-Experience-API-Consistent-Through: 2026-01-01T00:00:00Z\r\n",
	                   "Content-Type: application/json\r\n",
	                   "X-Bad: \x01\r\n",
	                   "Retry-After: 120\r\n",
	                   "\r\n"};
	for (size_t i = 0; i < sizeof h / sizeof *h; i++)
		somo__lrs_resp_header(&r, h[i], strlen(h[i]));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.etag, "\"abc\"");
	assert_string_equal(r.consistent, "2026-01-01T00:00:00Z");
	assert_string_equal(r.content_type, "application/json");
	assert_int_equal(r.retry_after, 120);
	assert_true(somo__lrs_resp_body(&r, "12345", 5));
	assert_false(somo__lrs_resp_body(&r, "6789", 4));
	assert_true(r.overflow);
	somo__buf_free(&r.body);
}

static void test_verdicts_backoff_sha(void **state)
{
	(void)state;
	assert_int_equal(somo__lrs_classify(0, 200), SOMO__LRS_DELIVERED);
	assert_int_equal(somo__lrs_classify(0, 204), SOMO__LRS_DELIVERED);
	assert_int_equal(somo__lrs_classify(0, 409), SOMO__LRS_TAKEN);
	assert_int_equal(somo__lrs_classify(0, 400), SOMO__LRS_REFUSED);
	assert_int_equal(somo__lrs_classify(0, 413), SOMO__LRS_REFUSED);
	assert_int_equal(somo__lrs_classify(0, 401), SOMO__LRS_AUTH);
	assert_int_equal(somo__lrs_classify(0, 403), SOMO__LRS_AUTH);
	assert_int_equal(somo__lrs_classify(0, 503), SOMO__LRS_RETRY);
	assert_int_equal(somo__lrs_classify(0, 429), SOMO__LRS_RETRY);
	assert_int_equal(somo__lrs_classify(7, 0), SOMO__LRS_RETRY);
	assert_int_equal(somo__lrs_classify(0, 404), SOMO__LRS_FATAL);

	/* Doubling from min to max, half of it random. */
	for (uint64_t rnd = 0; rnd < 2000; rnd += 37) {
		uint64_t d1 = somo__lrs_backoff(500, 60000, 1, rnd);
		uint64_t d4 = somo__lrs_backoff(500, 60000, 4, rnd);
		uint64_t d30 = somo__lrs_backoff(500, 60000, 30, rnd);
		assert_true(d1 >= 250 && d1 <= 500);
		assert_true(d4 >= 2000 && d4 <= 4000);
		assert_true(d30 >= 30000 && d30 <= 60000);
	}
	assert_true(somo__lrs_backoff(500, 60000, 2, 1) != somo__lrs_backoff(500, 60000, 2, 2));

	char hex[65];
	assert_int_equal(somo_lrs_sha256_hex("abc", 3, hex), 0);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(somo_lrs_sha256_hex(NULL, 0, hex), 0);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* ---------------------------------------------------------------------- */
/* A fake LRS                                                              */

typedef struct {
	int fail_first;    /* answer this many POSTs with fail_status (or drop them) */
	int fail_status;   /* 0: drop the connection */
	const char *about; /* the /about body */
	char version[16];  /* X-Experience-API-Version of the last POST */
	int posts, stored;
	char body[1 << 16];
	size_t body_len;
} fake;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **con_cls)
{
	fake *f = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	(void)version;

	if (!*con_cls) {
		*con_cls = f;
		f->body_len = 0;
		return MHD_YES;
	}
	if (*size) {
		if (f->body_len + *size < sizeof f->body) {
			memcpy(f->body + f->body_len, data, *size);
			f->body_len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/xAPI/about") == 0) {
		const char *a = f->about;
		r = MHD_create_response_from_buffer(strlen(a), (void *)a, MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(method, "POST") != 0)
		return MHD_NO;
	const char *hv =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Experience-API-Version");
	snprintf(f->version, sizeof f->version, "%s", hv ? hv : "");
	f->posts++;
	if (f->posts <= f->fail_first) {
		if (!f->fail_status)
			return MHD_NO; /* the connection is closed without an answer */
		const char *m = "{\"message\":\"overloaded\"}";
		r = MHD_create_response_from_buffer(strlen(m), (void *)m, MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(c, (unsigned)f->fail_status, r);
		MHD_destroy_response(r);
		return ret;
	}
	/* Echo the ids, as an LRS does. */
	json_error_t e;
	json_t *arr = json_loadb(f->body, f->body_len, 0, &e), *ids = json_array(), *v;
	size_t i;
	json_array_foreach (arr, i, v)
		json_array_append(ids, json_object_get(v, "id"));
	f->stored += (int)json_array_size(arr);
	char *out = json_dumps(ids, 0);
	json_decref(arr);
	json_decref(ids);
	r = MHD_create_response_from_buffer(strlen(out), out, MHD_RESPMEM_MUST_FREE);
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void run_fake(int fail_first, int fail_status, const char *about, const char *version)
{
	fake f = {fail_first, fail_status, about, {0}, 0, 0, {0}, 0};
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
	                                        0, NULL, NULL, answer, &f, MHD_OPTION_END);
	assert_non_null(d);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%u/xAPI", (unsigned)info->port);

	somo_store *st = NULL;
	somo_lrs *l = NULL;
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	o.endpoint = url;
	o.outbox = st;
	o.batch_size = 4;
	o.backoff_min_ms = 20;
	o.backoff_max_ms = 100;
	o.max_in_flight = 1;
	assert_int_equal(somo_lrs_new(&l, &o), 0);
	for (int i = 0; i < 10; i++) {
		char t[400];
		snprintf(t, sizeof t,
		         "{\"actor\":{\"mbox\":\"mailto:a@example.org\"},\"verb\":{\"id\":"
		         "\"http://adlnet.gov/expapi/verbs/experienced\"},\"object\":{\"id\":"
		         "\"https://example.org/a/%d\"}}",
		         i);
		assert_int_equal(somo_lrs_enqueue_json(l, t, strlen(t), NULL), 0);
	}
	assert_int_equal(somo_lrs_drain(l, 20000), 0);
	somo_lrs_status s;
	assert_int_equal(somo_lrs_get_status(l, &s), 0);
	assert_int_equal(s.delivered, 10);
	assert_int_equal(f.stored, 10);
	assert_int_equal(f.posts, fail_first + 3);
	/* The version negotiated through /about is the one sent. */
	assert_string_equal(s.version, version);
	assert_string_equal(f.version, version);
	/* The failures were counted against the statements of the first batch. */
	somo_store_outbox_counts c;
	assert_int_equal(somo_store_outbox_count(st, &c), 0);
	assert_int_equal(c.delivered, 10);
	somo_lrs_free(l);
	somo_store_close(st);
	MHD_stop_daemon(d);
}

static void test_fake_503(void **state)
{
	(void)state;
	run_fake(3, 503, "{\"version\":[\"1.0.3\"]}", "1.0.3");
}

static void test_fake_dropped(void **state)
{
	(void)state;
	run_fake(2, 0, "{\"version\":[\"1.0.3\",\"2.0.0\"]}", "2.0.0");
}

static void test_no_outbox_and_bad_input(void **state)
{
	(void)state;
	somo_lrs *l = NULL;
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	assert_int_equal(somo_lrs_new(&l, &o), SOMO_EINVAL);
	o.endpoint = "ftp://example.org/";
	assert_int_equal(somo_lrs_new(&l, &o), SOMO_EINVAL);
	o.endpoint = "http://127.0.0.1:9/xAPI";
	assert_int_equal(somo_lrs_new(&l, &o), 0);
	assert_int_equal(somo_lrs_enqueue_json(l, "{}", 2, NULL), SOMO_ESTATE);
	assert_int_equal(somo_lrs_set_auth(l, NULL, NULL, "Basic x\r\nHost: y"), SOMO_EINVAL);
	somo_lrs_free(l);

	somo_store *st = NULL;
	assert_int_equal(somo_store_open_memory(&st, NULL), 0);
	o.outbox = st;
	assert_int_equal(somo_lrs_new(&l, &o), 0);
	assert_int_equal(somo_lrs_enqueue_json(l, "{", 1, NULL), SOMO_EPARSE);
	/* Broken statements never enter the outbox. */
	const char *bad = "{\"actor\":{\"mbox\":\"a@example.org\"},\"verb\":{\"id\":\"x\"},"
	                  "\"object\":{\"id\":\"y\"}}";
	assert_int_equal(somo_lrs_enqueue_json(l, bad, strlen(bad), NULL), SOMO_EINVALID);
	assert_non_null(strstr(somo_error_last()->message, "$."));
	somo_store_outbox_counts c;
	assert_int_equal(somo_store_outbox_count(st, &c), 0);
	assert_int_equal(c.pending, 0);
	somo_lrs_free(l);
	somo_store_close(st);

	/* A full outbox refuses with a clear error and keeps what it holds. */
	somo_store_opts so = SOMO_STORE_OPTS_INIT;
	so.outbox_max = 3;
	assert_int_equal(somo_store_open_memory(&st, &so), 0);
	o.outbox = st;
	assert_int_equal(somo_lrs_new(&l, &o), 0);
	const char *ok = "{\"actor\":{\"mbox\":\"mailto:a@example.org\"},\"verb\":{\"id\":"
	                 "\"http://adlnet.gov/expapi/verbs/"
	                 "experienced\"},\"object\":{\"id\":\"https://example.org/a\"}}";
	char ids[4][37];
	for (int i = 0; i < 3; i++)
		assert_int_equal(somo_lrs_enqueue_json(l, ok, strlen(ok), ids[i]), 0);
	assert_string_not_equal(ids[0], ids[1]);
	assert_int_equal(somo_lrs_enqueue_json(l, ok, strlen(ok), ids[3]), SOMO_EFULL);
	assert_true(strlen(somo_error_last()->message) > 0);
	assert_int_equal(somo_store_outbox_count(st, &c), 0);
	assert_int_equal(c.pending, 3);
	/* Its own id given twice with one content is one statement. */
	somo_store_outbox_entry *e = NULL;
	assert_int_equal(somo_store_outbox_get(st, ids[0], &e), 0);
	assert_int_equal(somo_lrs_enqueue_json(l, e->statement, strlen(e->statement), ids[3]), 0);
	assert_string_equal(ids[3], ids[0]);
	/* Never one id with two contents. */
	char *other = strdup(e->statement);
	memcpy(strstr(other, "example.org/a"), "example.org/b", 13);
	assert_int_equal(somo_lrs_enqueue_json(l, other, strlen(other), NULL), SOMO_EEXISTS);
	free(other);
	somo_free(e);
	somo_lrs_free(l);
	somo_store_close(st);
}

/* A State resource: one document, its ETag the number of writes. */
typedef struct {
	char doc[256];
	int writes;
	char activity[256], agent[256], registration[64], state_id[64], version[16];
	char body[256];
	size_t body_len;
} state_fake;

static enum MHD_Result state_answer(void *cls, struct MHD_Connection *c, const char *url,
                                    const char *method, const char *version, const char *data,
                                    size_t *size, void **con_cls)
{
	state_fake *f = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned status = 200;
	char etag[32];
	const char *v;
	(void)version;

	if (!*con_cls) {
		*con_cls = f;
		f->body_len = 0;
		return MHD_YES;
	}
	if (*size) {
		if (f->body_len + *size < sizeof f->body) {
			memcpy(f->body + f->body_len, data, *size);
			f->body_len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/xAPI/activities/state") != 0)
		return MHD_NO;
#define ARG(field, name)                                                                           \
	snprintf(f->field, sizeof f->field, "%s",                                                  \
	         (v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name)) ? v : "")
	ARG(activity, "activityId");
	ARG(agent, "agent");
	ARG(registration, "registration");
	ARG(state_id, "stateId");
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Experience-API-Version");
	snprintf(f->version, sizeof f->version, "%s", v ? v : "");
	snprintf(etag, sizeof etag, "\"%d\"", f->writes);
	const char *if_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Match");
	const char *if_none = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	const char *out = "";
	if (strcmp(method, "GET") == 0) {
		if (f->doc[0])
			out = f->doc;
		else
			status = 404;
	} else if (strcmp(method, "PUT") == 0) {
		if ((if_match && (!f->doc[0] || strcmp(if_match, etag) != 0)) ||
		    (if_none && f->doc[0]))
			status = 412;
		else if (!if_match && !if_none && f->doc[0])
			status = 409;
		else {
			snprintf(f->doc, sizeof f->doc, "%.*s", (int)f->body_len, f->body);
			f->writes++;
			snprintf(etag, sizeof etag, "\"%d\"", f->writes);
			status = 204;
		}
	} else {
		return MHD_NO;
	}
	r = MHD_create_response_from_buffer(strlen(out), (void *)out, MHD_RESPMEM_MUST_COPY);
	if (status < 300)
		MHD_add_response_header(r, "ETag", etag);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void test_state_documents(void **state)
{
	(void)state;
	state_fake f;
	memset(&f, 0, sizeof f);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
	                                        0, NULL, NULL, state_answer, &f, MHD_OPTION_END);
	assert_non_null(d);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%u/xAPI/",
	         (unsigned)MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	somo_lrs *l = NULL;
	o.endpoint = url;
	o.xapi_version = "2.0.0";
	assert_int_equal(somo_lrs_new(&l, &o), 0);
	somo_lrs_doc doc = {SOMO_LRS_STATE, "https://example.org/c/1/sco?attemptId=1&x=y",
	                    "{\"mbox\":\"mailto:kai@example.org\"}",
	                    "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
	                    "https://w3id.org/xapi/scorm/attempt-state"};
	somo_lrs_response *r = NULL;
	char *etag = NULL;

	assert_int_equal(somo_lrs_document_get(l, &doc, &r), SOMO_ENOTFOUND);
	/* The query carries each part, encoded, and the version asked for. */
	assert_string_equal(f.activity, doc.activity_id);
	assert_string_equal(f.agent, doc.agent_json);
	assert_string_equal(f.registration, doc.registration);
	assert_string_equal(f.state_id, doc.id);
	assert_string_equal(f.version, "2.0.0");
	assert_int_equal(somo_lrs_document_put(l, &doc, false, NULL, "{\"location\":\"p1\"}", 17,
	                                       NULL, true, &etag),
	                 0);
	assert_string_equal(etag, "\"1\"");
	assert_int_equal(somo_lrs_document_put(l, &doc, false, NULL, "{}", 2, NULL, true, NULL),
	                 SOMO_ECONFLICT);
	assert_int_equal(somo_lrs_document_put(l, &doc, false, NULL, "{}", 2, NULL, false, NULL),
	                 SOMO_ECONFLICT);
	assert_int_equal(somo_lrs_document_put(l, &doc, false, NULL, "{}", 2, "\"7\"", false, NULL),
	                 SOMO_ECONFLICT);
	assert_int_equal(somo_lrs_document_put(l, &doc, false, NULL, "{\"location\":\"p2\"}", 17,
	                                       etag, false, NULL),
	                 0);
	assert_int_equal(somo_lrs_document_get(l, &doc, &r), 0);
	assert_string_equal(r->etag, "\"2\"");
	assert_string_equal((const char *)r->body, "{\"location\":\"p2\"}");
	assert_int_equal(r->body_size, 17);
	somo_free(r);
	somo_free(etag);
	/* Half-named documents and header injection are refused before sending. */
	doc.agent_json = NULL;
	assert_int_equal(somo_lrs_document_get(l, &doc, &r), SOMO_EINVAL);
	doc.agent_json = "{}";
	assert_int_equal(
	    somo_lrs_document_put(l, &doc, false, NULL, "{}", 2, "\"1\"\r\nX: y", false, NULL),
	    SOMO_EINVAL);
	somo_lrs_free(l);
	MHD_stop_daemon(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_about),
	    cmocka_unit_test(test_ids),
	    cmocka_unit_test(test_result),
	    cmocka_unit_test(test_error_message),
	    cmocka_unit_test(test_more_and_headers),
	    cmocka_unit_test(test_verdicts_backoff_sha),
	    cmocka_unit_test(test_no_outbox_and_bad_input),
	    cmocka_unit_test(test_fake_503),
	    cmocka_unit_test(test_fake_dropped),
	    cmocka_unit_test(test_state_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
