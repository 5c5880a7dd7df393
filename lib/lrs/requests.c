/*
 * The calls that wait for their answer: statement queries, documents and
 * statements with attachments. They pump the whole client while they wait,
 * so the statement queue keeps moving.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, stpcpy */
#include <strings.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "lrs/lrs_internal.h"
#include "util/text.h"
#include "xapi/xapi_internal.h"

/* Most pages followed through "more" (SOMO_ELIMIT beyond). */
#define MAX_PAGES 10000

static int run(somo_lrs *lrs, somo__lrs_req *req, const char *method, const char *url,
               const char *const *headers, size_t n, const void *body, size_t size)
{
	int rc = somo__lrs_start(lrs, req, method, url, headers, n, body, size);
	if (rc < 0)
		return rc;
	return somo__lrs_wait(lrs, req);
}

/* Percent-encode s for a query string. */
static int put_encoded(somo__buf *b, const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	int rc;
	if (!e)
		return somo__error_oom();
	rc = somo__buf_puts(b, e);
	curl_free(e);
	return rc;
}

int somo_lrs_statements_get(somo_lrs *lrs, const char *query, size_t max_statements,
                            somo_lrs_statement_cb cb, void *payload, char **consistent_through)
{
	char *url;
	size_t seen = 0;
	int rc = 0;

	if (consistent_through)
		*consistent_through = NULL;
	if (!lrs || !cb)
		return somo__error(SOMO_EINVAL,
		                   "somo_lrs_statements_get needs a client and a callback");
	if (query && strpbrk(query, " \r\n#"))
		return somo__error(SOMO_EINVAL, "the statement query holds spaces or '#'");
	url = somo__sprintf("%sstatements%s%s", lrs->endpoint, query && *query ? "?" : "",
	                    query ? query : "");
	for (int page = 0; url && rc == 0 && page < MAX_PAGES; page++) {
		somo__lrs_req *req = somo__lrs_req_new(SOMO__REQ_CALL, lrs->max_response);
		json_t *arr = NULL;
		char *more = NULL;
		size_t i;
		json_t *v;

		if (!req) {
			rc = somo__error_oom();
			break;
		}
		rc = run(lrs, req, "GET", url, NULL, 0, NULL, 0);
		somo__free(url);
		url = NULL;
		if (rc == 0 && (req->curl_code || req->resp.status != 200))
			rc = somo__lrs_call_error(req, "statements");
		if (rc == 0 && page == 0 && consistent_through &&
		    !(*consistent_through = somo__strdup(req->resp.consistent)))
			rc = somo__error_oom();
		if (rc == 0)
			rc = somo__lrs_parse_result(req->resp.body.ptr, req->resp.body.len, &arr,
			                            &more);
		json_array_foreach (arr, i, v) {
			somo_xapi_statement *st = NULL;
			if (rc != 0)
				break;
			if (max_statements && seen >= max_statements)
				break;
			if ((rc = somo__xapi_wrap(&st, json_incref(v))) < 0)
				break;
			rc = cb(st, payload);
			somo_xapi_statement_free(st);
			seen++;
		}
		/* A page that brings nothing yet points further would never end. */
		if (rc == 0 && more && json_array_size(arr) == 0)
			rc = somo__error(SOMO_EPARSE, "the LRS sent an empty page with \"more\"");
		json_decref(arr);
		if (rc == 0 && more && !(max_statements && seen >= max_statements))
			rc = somo__lrs_resolve_more(lrs->endpoint, more, &url);
		somo__free(more);
		somo__lrs_req_free(lrs, req);
	}
	if (rc == 0 && url)
		rc = somo__error(SOMO_ELIMIT, "more than %d pages of statements", MAX_PAGES);
	somo__free(url);
	if (rc != 0 && consistent_through) {
		somo__free(*consistent_through);
		*consistent_through = NULL;
	}
	return rc;
}

/* The URL of a document. */
static int doc_url(somo_lrs *lrs, const somo_lrs_doc *d, bool with_id, char **out)
{
	somo__buf b = SOMO__BUF_INIT;
	const char *res;
	int rc = 0;

	*out = NULL;
	if (!d || !d->id ||
	    ((d->kind == SOMO_LRS_STATE || d->kind == SOMO_LRS_ACTIVITY_PROFILE) &&
	     !d->activity_id) ||
	    ((d->kind == SOMO_LRS_STATE || d->kind == SOMO_LRS_AGENT_PROFILE) && !d->agent_json))
		return somo__error(SOMO_EINVAL, "the document is not fully named");
	switch (d->kind) {
	case SOMO_LRS_STATE:
		res = "activities/state";
		break;
	case SOMO_LRS_ACTIVITY_PROFILE:
		res = "activities/profile";
		break;
	case SOMO_LRS_AGENT_PROFILE:
		res = "agents/profile";
		break;
	default:
		return somo__error(SOMO_EINVAL, "unknown document kind %d", (int)d->kind);
	}
	if (d->registration && !somo__uuid_valid(d->registration))
		return somo__error(SOMO_EINVAL, "the registration is not a UUID");
	rc = somo__buf_printf(&b, "%s%s?", lrs->endpoint, res);
	if (rc == 0 && d->activity_id && d->kind != SOMO_LRS_AGENT_PROFILE)
		rc = somo__buf_puts(&b, "activityId=") || put_encoded(&b, d->activity_id) ||
		     somo__buf_putc(&b, '&');
	if (rc == 0 && d->agent_json && d->kind != SOMO_LRS_ACTIVITY_PROFILE)
		rc = somo__buf_puts(&b, "agent=") || put_encoded(&b, d->agent_json) ||
		     somo__buf_putc(&b, '&');
	if (rc == 0 && d->registration && d->kind == SOMO_LRS_STATE)
		rc = somo__buf_puts(&b, "registration=") || put_encoded(&b, d->registration) ||
		     somo__buf_putc(&b, '&');
	if (rc == 0 && with_id)
		rc = somo__buf_puts(&b, d->kind == SOMO_LRS_STATE ? "stateId=" : "profileId=") ||
		     put_encoded(&b, d->id);
	if (rc != 0) {
		somo__buf_free(&b);
		return somo__error_oom();
	}
	*out = somo__buf_detach(&b);
	return 0;
}

static int response_out(const somo__lrs_req *req, somo_lrs_response **out)
{
	const somo__lrs_resp *r = &req->resp;
	size_t n = sizeof(somo_lrs_response) + strlen(r->etag) + strlen(r->content_type) +
	           strlen(r->consistent) + r->body.len + 4;
	somo_lrs_response *res = somo__malloc(n);
	char *p;

	if (!res)
		return somo__error_oom();
	p = (char *)(res + 1);
	res->status = r->status;
	res->etag = p;
	p = stpcpy(p, r->etag) + 1;
	res->content_type = p;
	p = stpcpy(p, r->content_type) + 1;
	res->consistent_through = p;
	p = stpcpy(p, r->consistent) + 1;
	res->body = p;
	res->body_size = r->body.len;
	if (r->body.len)
		memcpy(p, r->body.ptr, r->body.len);
	p[r->body.len] = '\0';
	*out = res;
	return 0;
}

int somo_lrs_document_get(somo_lrs *lrs, const somo_lrs_doc *doc, somo_lrs_response **out)
{
	somo__lrs_req *req = NULL;
	char *url = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!lrs || !out)
		return somo__error(SOMO_EINVAL, "somo_lrs_document_get needs a client and out");
	if ((rc = doc_url(lrs, doc, true, &url)) < 0)
		return rc;
	if (!(req = somo__lrs_req_new(SOMO__REQ_CALL, lrs->max_response))) {
		somo__free(url);
		return somo__error_oom();
	}
	rc = run(lrs, req, "GET", url, NULL, 0, NULL, 0);
	if (rc == 0 && (req->curl_code || req->resp.status != 200))
		rc = somo__lrs_call_error(req, "document");
	if (rc == 0)
		rc = response_out(req, out);
	somo__lrs_req_free(lrs, req);
	somo__free(url);
	return rc;
}

int somo_lrs_document_put(somo_lrs *lrs, const somo_lrs_doc *doc, bool merge,
                          const char *content_type, const void *body, size_t size,
                          const char *if_match, bool if_none_match, char **etag_out)
{
	somo__lrs_req *req = NULL;
	char *url = NULL, *h[3] = {NULL, NULL, NULL};
	size_t n = 0;
	int rc;

	if (etag_out)
		*etag_out = NULL;
	if (!lrs || (!body && size))
		return somo__error(SOMO_EINVAL, "somo_lrs_document_put needs a client and a body");
	if ((content_type && strpbrk(content_type, "\r\n")) ||
	    (if_match && strpbrk(if_match, "\r\n")))
		return somo__error(SOMO_EINVAL, "a header value holds a line break");
	if ((rc = doc_url(lrs, doc, true, &url)) < 0)
		return rc;
	h[n++] =
	    somo__sprintf("Content-Type: %s", content_type ? content_type : "application/json");
	if (if_match)
		h[n++] = somo__sprintf("If-Match: %s", if_match);
	if (if_none_match)
		h[n++] = somo__strdup("If-None-Match: *");
	req = somo__lrs_req_new(SOMO__REQ_CALL, lrs->max_response);
	rc = 0;
	for (size_t i = 0; i < n; i++)
		if (!h[i])
			rc = somo__error_oom();
	if (!req && rc == 0)
		rc = somo__error_oom();
	if (rc == 0)
		rc = run(lrs, req, merge ? "POST" : "PUT", url, (const char *const *)h, n,
		         body ? body : "", size);
	if (rc == 0 && (req->curl_code || req->resp.status < 200 || req->resp.status > 299))
		rc = somo__lrs_call_error(req, "document");
	if (rc == 0 && etag_out && !(*etag_out = somo__strdup(req->resp.etag)))
		rc = somo__error_oom();
	somo__lrs_req_free(lrs, req);
	for (size_t i = 0; i < n; i++)
		somo__free(h[i]);
	somo__free(url);
	return rc;
}

int somo_lrs_document_delete(somo_lrs *lrs, const somo_lrs_doc *doc, const char *if_match)
{
	somo__lrs_req *req = NULL;
	char *url = NULL, *h = NULL;
	int rc;

	if (!lrs)
		return somo__error(SOMO_EINVAL, "no LRS client");
	if (if_match && strpbrk(if_match, "\r\n"))
		return somo__error(SOMO_EINVAL, "a header value holds a line break");
	if ((rc = doc_url(lrs, doc, true, &url)) < 0)
		return rc;
	if ((if_match && !(h = somo__sprintf("If-Match: %s", if_match))) ||
	    !(req = somo__lrs_req_new(SOMO__REQ_CALL, lrs->max_response))) {
		rc = somo__error_oom();
		goto out;
	}
	rc = run(lrs, req, "DELETE", url, (const char *const *)&h, h ? 1 : 0, NULL, 0);
	if (rc == 0 && (req->curl_code || req->resp.status < 200 || req->resp.status > 299))
		rc = somo__lrs_call_error(req, "document");
out:
	somo__lrs_req_free(lrs, req);
	somo__free(h);
	somo__free(url);
	return rc;
}

int somo_lrs_sha256_hex(const void *data, size_t size, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;

	if ((!data && size) || !out)
		return somo__error(SOMO_EINVAL, "somo_lrs_sha256_hex needs data and out");
	if (!EVP_Digest(data ? data : "", size, md, &n, EVP_sha256(), NULL) || n != 32)
		return somo__error(SOMO_ERROR, "SHA-256 failed");
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int somo_lrs_send_with_attachments(somo_lrs *lrs, const somo_xapi_statement *st,
                                   const somo_lrs_attachment *atts, size_t count, char id_out[37])
{
	static const char *const hdr[] = {"Content-Type: multipart/mixed"};
	somo_xapi_statement *copy = NULL;
	somo__lrs_req *req = NULL;
	somo__buf json = SOMO__BUF_INIT;
	char(*sha)[65] = NULL;
	char *url = NULL;
	curl_mimepart *part;
	int rc;

	if (!lrs || !st || (count && !atts))
		return somo__error(SOMO_EINVAL, "somo_lrs_send_with_attachments needs a statement");
	if (count > 100)
		return somo__error(SOMO_ELIMIT, "at most 100 attachments per statement");
	if (!(sha = somo__calloc(count ? count : 1, sizeof *sha)))
		return somo__error_oom();
	if ((rc = somo_xapi_statement_dup(&copy, st)) < 0 ||
	    (rc = somo_xapi_statement_ensure_id(copy)) < 0)
		goto out;
	for (size_t i = 0; i < count; i++) {
		somo_xapi_lang display = {"en-US", atts[i].display};
		somo_xapi_attachment a = {0};
		if (!atts[i].usage_type || !atts[i].display || !atts[i].content_type ||
		    (!atts[i].data && atts[i].size) || strpbrk(atts[i].content_type, "\r\n")) {
			rc = somo__error(SOMO_EINVAL, "attachment %zu is incomplete", i);
			goto out;
		}
		if ((rc = somo_lrs_sha256_hex(atts[i].data, atts[i].size, sha[i])) < 0)
			goto out;
		a.usage_type = atts[i].usage_type;
		a.display = &display;
		a.display_count = 1;
		a.content_type = atts[i].content_type;
		a.length = (int64_t)atts[i].size;
		a.sha2 = sha[i];
		if ((rc = somo_xapi_statement_add_attachment(copy, &a)) < 0)
			goto out;
	}
	if ((rc = somo__xapi_dump(somo__xapi_json(copy), SOMO_XAPI_JSON_COMPACT, &json)) < 0)
		goto out;
	if (!(req = somo__lrs_req_new(SOMO__REQ_CALL, lrs->max_response)) ||
	    !(url = somo__sprintf("%sstatements", lrs->endpoint))) {
		rc = somo__error_oom();
		goto out;
	}
	/* curl writes the multipart/mixed body: parts with no name carry no
	 * Content-Disposition, as xAPI 1.0.3 2.2.8 wants. */
	if (!(req->mime = curl_mime_init(NULL)) || !(part = curl_mime_addpart(req->mime)) ||
	    curl_mime_data(part, json.ptr, json.len) != CURLE_OK ||
	    curl_mime_type(part, "application/json") != CURLE_OK) {
		rc = somo__error_oom();
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		struct curl_slist *ph = NULL, *t;
		char *h1 = somo__sprintf("X-Experience-API-Hash: %s", sha[i]);
		if (!h1 || !(part = curl_mime_addpart(req->mime)) ||
		    curl_mime_data(part, atts[i].size ? atts[i].data : "", atts[i].size) !=
		        CURLE_OK ||
		    curl_mime_type(part, atts[i].content_type) != CURLE_OK ||
		    !(t = curl_slist_append(ph, "Content-Transfer-Encoding: binary")) ||
		    !(ph = t, t = curl_slist_append(ph, h1)) ||
		    curl_mime_headers(part, (ph = t), 1) != CURLE_OK) {
			somo__free(h1);
			curl_slist_free_all(ph);
			rc = somo__error_oom();
			goto out;
		}
		somo__free(h1);
	}
	rc = run(lrs, req, "POST", url, hdr, 1, NULL, 0);
	if (rc == 0 && !req->curl_code && req->resp.status == 409)
		rc = 0; /* the id is taken: sent before */
	else if (rc == 0 && (req->curl_code || req->resp.status < 200 || req->resp.status > 299))
		rc = somo__lrs_call_error(req, "statement with attachments");
	if (rc == 0 && id_out)
		snprintf(id_out, 37, "%s", somo_xapi_statement_id(copy));
out:
	somo__lrs_req_free(lrs, req);
	somo__free(url);
	somo__buf_free(&json);
	somo__free(sha);
	somo_xapi_statement_free(copy);
	return rc;
}
