/*
 * The player's own xAPI endpoint for Tin Can packages, under /xapi/: the
 * content is launched with it as its endpoint (tincan.xml's launch URL with
 * endpoint, auth, actor, registration and activity_id), and what it sends
 * there is checked and kept:
 *
 *   GET  about                      the versions spoken
 *   POST statements                 one statement or an array: validated,
 *   PUT  statements?statementId=ID  each given an id, put in the outbox
 *   GET  statements?statementId=ID  a statement from the outbox
 *   GET|PUT|POST|DELETE activities/state   state documents, in the store
 *
 * Every request but "about" must carry the Authorization the launch gave.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, sigaction types, ssize_t */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "player/player_int.h"
#include "somo/xapi.h"
#include "util/text.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *somo__player_base64(const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t i, j = 0;
	char *out = somo__malloc((len + 2) / 3 * 4 + 1);

	if (!out)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		out[j++] = b64[s[i] >> 2];
		out[j++] = b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		out[j++] = b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		out[j++] = b64[s[i + 2] & 63];
	}
	if (i < len) {
		out[j++] = b64[s[i] >> 2];
		if (i + 1 < len) {
			out[j++] = b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
			out[j++] = b64[(s[i + 1] & 15) << 2];
		} else {
			out[j++] = b64[(s[i] & 3) << 4];
			out[j++] = '=';
		}
		out[j++] = '=';
	}
	out[j] = '\0';
	return out;
}

/* encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) */
static int put_component(somo__buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-_.!~*'()", c)) {
			if (somo__buf_putc(b, (char)c) < 0)
				return -1;
		} else if (somo__buf_printf(b, "%%%02X", c) < 0) {
			return -1;
		}
	}
	return 0;
}

/* The actor the content is launched with. */
static char *actor_json(somo_player *p)
{
	json_t *a =
	    json_pack("{s:s,s:s,s:{s:s,s:s}}", "objectType", "Agent", "name", p->learner_name,
	              "account", "homePage", "http://localhost/", "name", p->learner_id);
	char *s = a ? json_dumps(a, JSON_COMPACT) : NULL, *out;

	json_decref(a);
	out = s ? somo__strdup(s) : NULL;
	free(s);
	return out;
}

char *somo__player_tincan_launch(somo_player *p)
{
	const somo_tincan_activity *a = somo_tincan_launch_activity(p->tc);
	somo__buf b = SOMO__BUF_INIT;
	char *actor = actor_json(p), *endpoint = somo__sprintf("%s/xapi/", p->origin_ip);
	bool ok;

	if (!a || !a->launch || !actor || !endpoint) {
		somo__free(actor);
		somo__free(endpoint);
		return NULL;
	}
	ok = somo__buf_printf(&b, "%s%s%cendpoint=", strstr(a->launch, "://") ? "" : "/content/",
	                      a->launch, strchr(a->launch, '?') ? '&' : '?') == 0 &&
	     put_component(&b, endpoint) == 0 && somo__buf_puts(&b, "&auth=") == 0 &&
	     put_component(&b, p->xapi_auth) == 0 && somo__buf_puts(&b, "&actor=") == 0 &&
	     put_component(&b, actor) == 0 && somo__buf_puts(&b, "&registration=") == 0 &&
	     put_component(&b, p->registration) == 0 && somo__buf_puts(&b, "&activity_id=") == 0 &&
	     put_component(&b, a->id) == 0;
	somo__free(actor);
	somo__free(endpoint);
	if (!ok) {
		somo__buf_free(&b);
		return NULL;
	}
	return somo__buf_detach(&b);
}

static void reply_json(somo__reply *r, unsigned status, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	r->status = status;
	r->content_type = "application/json";
	r->body = s ? somo__strdup(s) : NULL;
	r->body_len = r->body ? strlen(r->body) : 0;
	free(s);
}

static void reply_err(somo__reply *r, unsigned status, const char *msg)
{
	json_t *o = json_pack("{s:s}", "error", msg);

	reply_json(r, status, o);
	json_decref(o);
}

/* A query argument, decoded (%XX and '+'); caller frees. NULL when absent or malformed. */
static char *arg(struct MHD_Connection *c, const char *name)
{
	const char *raw = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
	somo__buf b = SOMO__BUF_INIT;
	size_t i;

	if (!raw)
		return NULL;
	for (i = 0; raw[i]; i++) {
		char ch = raw[i];

		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			unsigned v;

			if (!raw[i + 1] || !raw[i + 2] || sscanf(raw + i + 1, "%2x", &v) != 1 ||
			    !strchr("0123456789abcdefABCDEF", raw[i + 2]))
				goto bad;
			ch = (char)v;
			i += 2;
		}
		if (ch == '\0' || somo__buf_putc(&b, ch) < 0)
			goto bad;
	}
	if (!b.ptr && somo__buf_puts(&b, "") < 0)
		goto bad;
	if (!somo__utf8_valid(b.ptr, b.len))
		goto bad;
	return somo__buf_detach(&b);
bad:
	somo__buf_free(&b);
	return NULL;
}

/* One statement: validated, an id given when it has none, into the outbox. */
static int enqueue_one(somo_player *p, json_t *stmt, somo_xapi_version ver, char id[37],
                       char **problem)
{
	char *text = json_dumps(stmt, JSON_COMPACT);
	somo_xapi_statement *st = NULL;
	somo_xapi_problems *probs = NULL;
	somo_xapi_validate_opts vo = SOMO_XAPI_VALIDATE_OPTS_INIT;
	char *json = NULL;
	int rc;

	*problem = NULL;
	vo.xapi = ver;
	if (!text)
		return somo__error_oom();
	rc = somo_xapi_statement_parse(&st, text, strlen(text), NULL, NULL);
	free(text);
	if (rc < 0)
		goto out;
	if ((rc = somo_xapi_statement_ensure_id(st)) < 0)
		goto out;
	rc = somo_xapi_statement_validate(st, &vo, &probs);
	if (rc < 0 || somo_xapi_problems_count(probs) > 0) {
		*problem = somo__sprintf(
		    "%s: %s",
		    somo_xapi_problems_count(probs) ? somo_xapi_problems_path(probs, 0) : "$",
		    somo_xapi_problems_count(probs) ? somo_xapi_problems_message(probs, 0)
		                                    : somo_error_last()->message);
		rc = SOMO_EINVALID;
		goto out;
	}
	snprintf(id, 37, "%s", somo_xapi_statement_id(st));
	if (p->lrs) {
		rc = somo_lrs_enqueue(p->lrs, st, id);
	} else {
		if ((rc = somo_xapi_statement_to_json(st, 0, &json)) < 0)
			goto out;
		rc = somo_store_outbox_enqueue(p->store, id, json);
	}
out:
	somo_free(json);
	somo_xapi_problems_free(probs);
	somo_xapi_statement_free(st);
	return rc;
}

static void statements(somo_player *p, struct MHD_Connection *c, const char *method,
                       const char *body, size_t len, somo__reply *r)
{
	const char *vh = somo__player_header(c, "X-Experience-API-Version");
	somo_xapi_version ver = vh && vh[0] == '2' ? SOMO_XAPI_2_0 : SOMO_XAPI_1_0_3;
	char *sid = arg(c, "statementId");
	json_error_t jerr;
	json_t *doc = NULL, *ids = NULL, *one;
	size_t i;
	int rc = 0;

	if (!strcmp(method, "GET")) {
		somo_store_outbox_entry *e = NULL;

		if (!sid) {
			reply_err(r, MHD_HTTP_BAD_REQUEST,
			          "the local endpoint answers statementId queries only");
		} else if (somo_store_outbox_get(p->store, sid, &e) < 0) {
			reply_err(r, MHD_HTTP_NOT_FOUND, "no such statement");
		} else {
			r->status = MHD_HTTP_OK;
			r->content_type = "application/json";
			r->body = somo__strdup(e->statement);
			r->body_len = r->body ? strlen(r->body) : 0;
		}
		somo_free(e);
		somo__free(sid);
		return;
	}
	if (strcmp(method, "POST") && strcmp(method, "PUT")) {
		r->status = MHD_HTTP_METHOD_NOT_ALLOWED;
		r->allow = "GET, POST, PUT";
		somo__free(sid);
		return;
	}
	doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc || (!json_is_object(doc) && !json_is_array(doc)) ||
	    (!strcmp(method, "PUT") && (!sid || !json_is_object(doc)))) {
		reply_err(r, MHD_HTTP_BAD_REQUEST,
		          !doc ? "the body is not JSON"
		               : "PUT takes one statement and a statementId parameter");
		goto out;
	}
	if (json_is_object(doc)) {
		json_t *arr = json_array();

		json_array_append(arr, doc);
		json_decref(doc);
		doc = arr;
	}
	if (sid) {
		json_t *given = json_object_get(json_array_get(doc, 0), "id");

		if (given &&
		    (!json_is_string(given) || !somo__str_ieq(json_string_value(given), sid))) {
			reply_err(r, MHD_HTTP_BAD_REQUEST,
			          "statementId differs from the statement's id");
			goto out;
		}
		json_object_set_new(json_array_get(doc, 0), "id", json_string(sid));
	}
	/* all or nothing: every statement is checked before any is kept */
	json_array_foreach (doc, i, one) {
		somo_xapi_problems *probs = NULL;
		char *text = json_is_object(one) ? json_dumps(one, JSON_COMPACT) : NULL;
		somo_xapi_validate_opts vo = SOMO_XAPI_VALIDATE_OPTS_INIT;
		size_t n;

		vo.xapi = ver;
		if (!text) {
			reply_err(r, MHD_HTTP_BAD_REQUEST, "a statement is not a JSON object");
			goto out;
		}
		rc = somo_xapi_validate_json(text, strlen(text), &vo, &probs, NULL);
		free(text);
		n = somo_xapi_problems_count(probs);
		if (rc < 0 || n > 0) {
			char *m = somo__sprintf(
			    "statement %zu: %s: %s", i, n ? somo_xapi_problems_path(probs, 0) : "$",
			    n ? somo_xapi_problems_message(probs, 0) : somo_error_last()->message);

			reply_err(r, MHD_HTTP_BAD_REQUEST, m ? m : "invalid statement");
			somo__free(m);
			somo_xapi_problems_free(probs);
			goto out;
		}
		somo_xapi_problems_free(probs);
	}
	ids = json_array();
	if (somo_store_begin(p->store) < 0) {
		reply_err(r, MHD_HTTP_SERVICE_UNAVAILABLE, somo_error_last()->message);
		goto out;
	}
	json_array_foreach (doc, i, one) {
		char id[37], *problem = NULL;

		rc = enqueue_one(p, one, ver, id, &problem);
		if (rc < 0) {
			somo_store_rollback(p->store);
			reply_err(r,
			          rc == SOMO_EEXISTS    ? MHD_HTTP_CONFLICT
			          : rc == SOMO_EINVALID ? MHD_HTTP_BAD_REQUEST
			                                : MHD_HTTP_INTERNAL_SERVER_ERROR,
			          problem ? problem : somo_error_last()->message);
			somo__free(problem);
			goto out;
		}
		json_array_append_new(ids, json_string(id));
	}
	if (somo_store_commit(p->store) < 0) {
		reply_err(r, MHD_HTTP_INTERNAL_SERVER_ERROR, somo_error_last()->message);
		goto out;
	}
	if (!strcmp(method, "PUT"))
		r->status = MHD_HTTP_NO_CONTENT;
	else
		reply_json(r, MHD_HTTP_OK, ids);
out:
	json_decref(ids);
	json_decref(doc);
	somo__free(sid);
}

/*
 * The store key of a state document: the JSON array [activityId, agent
 * (canonical JSON), registration, stateId]. Without the stateId (need_id
 * false and none given) it is the prefix of all of an agent's documents.
 */
static char *state_key(struct MHD_Connection *c, bool need_id, char **err)
{
	char *activity = arg(c, "activityId"), *agent = arg(c, "agent");
	char *reg = arg(c, "registration"), *sid = arg(c, "stateId"), *key = NULL, *text = NULL;
	json_t *a = NULL, *k = NULL;

	*err = NULL;
	if (!activity || !somo__iri_valid(activity) || !agent) {
		*err = "activityId (an IRI) and agent are required";
		goto out;
	}
	a = json_loads(agent, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(a)) {
		*err = "agent is not a JSON object";
		goto out;
	}
	if (reg && !somo__uuid_valid(reg)) {
		*err = "registration is not a UUID";
		goto out;
	}
	if (need_id && !sid) {
		*err = "stateId is required";
		goto out;
	}
	k = json_pack("[s,o,s]", activity, json_incref(a), reg ? reg : "");
	if (k && sid)
		json_array_append_new(k, json_string(sid));
	text = k ? json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (text && !sid)
		text[strlen(text) - 1] = ','; /* "[...]" -> "[...," : a prefix */
	key = text ? somo__strdup(text) : NULL;
out:
	json_decref(a);
	json_decref(k);
	free(text);
	somo__free(activity);
	somo__free(agent);
	somo__free(reg);
	somo__free(sid);
	return key;
}

typedef struct {
	json_t *ids;
	somo_store *st;
	int deleting;
} doc_walk;

static int collect_doc(const somo_store_document *d, void *payload)
{
	doc_walk *w = payload;
	json_t *k;
	int rc;

	if (w->deleting)
		return json_array_append_new(w->ids, json_string(d->key)) ? -1 : 0;
	k = json_loads(d->key, 0, NULL);
	rc = json_array_append(w->ids, json_array_get(k, 3));
	json_decref(k);
	return rc ? -1 : 0;
}

static void activity_state(somo_player *p, struct MHD_Connection *c, const char *method,
                           const char *body, size_t len, somo__reply *r)
{
	bool has_id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "stateId") != NULL;
	bool get = !strcmp(method, "GET"), del = !strcmp(method, "DELETE");
	bool put = !strcmp(method, "PUT"), post = !strcmp(method, "POST");
	char *err = NULL, *key;

	if (!get && !del && !put && !post) {
		r->status = MHD_HTTP_METHOD_NOT_ALLOWED;
		r->allow = "GET, PUT, POST, DELETE";
		return;
	}
	key = state_key(c, put || post, &err);
	if (!key) {
		reply_err(r, MHD_HTTP_BAD_REQUEST, err ? err : "bad parameters");
		return;
	}
	if ((get || del) && !has_id) {
		doc_walk w = {json_array(), p->store, del};
		size_t i;
		json_t *k;

		somo_store_document_list(p->store, SOMO_STORE_DOC_STATE, key, collect_doc, &w);
		if (get) {
			reply_json(r, MHD_HTTP_OK, w.ids);
		} else {
			json_array_foreach (w.ids, i, k)
				somo_store_document_delete(p->store, SOMO_STORE_DOC_STATE,
				                           json_string_value(k));
			r->status = MHD_HTTP_NO_CONTENT;
		}
		json_decref(w.ids);
	} else if (get) {
		somo_store_document *d = NULL;

		if (somo_store_document_get(p->store, SOMO_STORE_DOC_STATE, key, &d) < 0) {
			reply_err(r, MHD_HTTP_NOT_FOUND, "no such document");
		} else {
			r->status = MHD_HTTP_OK;
			r->content_type = d->content_type[0] && strstr(d->content_type, "json")
			                      ? "application/json"
			                      : "application/octet-stream";
			r->body = somo__malloc(d->body_size + 1);
			if (r->body) {
				memcpy(r->body, d->body, d->body_size);
				r->body_len = d->body_size;
			}
			if (d->etag && d->etag[0])
				r->etag = somo__sprintf("\"%s\"", d->etag);
		}
		somo_free(d);
	} else if (del) {
		somo_store_document_delete(p->store, SOMO_STORE_DOC_STATE, key);
		r->status = MHD_HTTP_NO_CONTENT;
	} else {
		const char *ct = somo__player_header(c, "Content-Type");
		somo_store_document d = {SOMO_STORE_DOC_STATE, key, ct ? ct : "", body, len, "", 0};
		somo_store_document *old = NULL;
		json_t *merged = NULL;
		char *mtext = NULL;

		if (post &&
		    somo_store_document_get(p->store, SOMO_STORE_DOC_STATE, key, &old) == 0) {
			/* xAPI: POST merges JSON objects' top-level properties */
			json_t *a = json_loadb(old->body, old->body_size, 0, NULL);
			json_t *b = json_loadb(body, len, 0, NULL);

			if (!json_is_object(a) || !json_is_object(b)) {
				json_decref(a);
				json_decref(b);
				somo_free(old);
				somo__free(key);
				reply_err(r, MHD_HTTP_BAD_REQUEST, "POST merges JSON objects only");
				return;
			}
			json_object_update(a, b);
			json_decref(b);
			merged = a;
			mtext = json_dumps(merged, JSON_COMPACT);
			d.body = mtext;
			d.body_size = mtext ? strlen(mtext) : 0;
			d.content_type = "application/json";
		}
		if (somo_store_document_put(p->store, &d, NULL, false) < 0)
			reply_err(r, MHD_HTTP_BAD_REQUEST, somo_error_last()->message);
		else
			r->status = MHD_HTTP_NO_CONTENT;
		free(mtext);
		json_decref(merged);
		somo_free(old);
	}
	somo__free(key);
}

void somo__player_xapi(somo_player *p, struct MHD_Connection *c, const char *method,
                       const char *route, const char *body, size_t len, somo__reply *r)
{
	if (!strcmp(route, "about")) {
		json_t *o = json_pack("{s:[s,s]}", "version", "1.0.3", "2.0.0");

		reply_json(r, MHD_HTTP_OK, o);
		json_decref(o);
		return;
	}
	if (p->kind != SOMO__PLAY_TINCAN) {
		reply_err(r, MHD_HTTP_NOT_FOUND, "this package is not a Tin Can package");
		return;
	}
	if (!somo__player_secret_eq(somo__player_header(c, "Authorization"), p->xapi_auth)) {
		/* no WWW-Authenticate: a browser would ask the learner for a password */
		reply_err(r, MHD_HTTP_UNAUTHORIZED, "missing or wrong authorization");
		return;
	}
	if (!strcmp(route, "statements"))
		statements(p, c, method, body, len, r);
	else if (!strcmp(route, "activities/state"))
		activity_state(p, c, method, body, len, r);
	else
		reply_err(r, MHD_HTTP_NOT_FOUND, "the local endpoint has no such resource");
}
