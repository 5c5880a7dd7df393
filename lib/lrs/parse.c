/*
 * What an LRS answers: headers, /about, statement ids, StatementResults and
 * error bodies. Everything here is untrusted and bounded.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, stpcpy */
#include <strings.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lrs/lrs_internal.h"
#include "util/text.h"
#include "xapi/xapi_internal.h"

/* Largest JSON nesting accepted in a reply; statements need far less. */
#define LRS_JSON_FLAGS (JSON_REJECT_DUPLICATES)

static void copy_value(char *dst, size_t size, const char *v, size_t len)
{
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' ' ||
	               v[len - 1] == '\t'))
		len--;
	if (len >= size)
		len = 0; /* too long to be a value Somo uses: ignore it */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f) {
			len = 0;
			break;
		}
	}
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static bool header_is(const char *line, size_t len, const char *name, size_t *value_at)
{
	size_t n = strlen(name);
	if (len <= n || line[n] != ':')
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)line[i]) != tolower((unsigned char)name[i]))
			return false;
	*value_at = n + 1;
	return true;
}

void somo__lrs_resp_header(somo__lrs_resp *r, const char *line, size_t len)
{
	size_t at = 0;

	if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue or a redirect) starts over. */
		long status = 0;
		size_t i = 5;
		while (i < len && line[i] != ' ')
			i++;
		while (i < len && line[i] == ' ')
			i++;
		for (int d = 0; d < 3 && i < len && isdigit((unsigned char)line[i]); d++, i++)
			status = status * 10 + (line[i] - '0');
		r->status = status;
		r->etag[0] = r->content_type[0] = r->consistent[0] = r->version[0] = '\0';
		r->retry_after = 0;
		return;
	}
	if (header_is(line, len, "ETag", &at))
		copy_value(r->etag, sizeof r->etag, line + at, len - at);
	else if (header_is(line, len, "Content-Type", &at))
		copy_value(r->content_type, sizeof r->content_type, line + at, len - at);
	else if (header_is(line, len, "X-Experience-API-Consistent-Through", &at))
		copy_value(r->consistent, sizeof r->consistent, line + at, len - at);
	else if (header_is(line, len, "X-Experience-API-Version", &at))
		copy_value(r->version, sizeof r->version, line + at, len - at);
	else if (header_is(line, len, "Retry-After", &at)) {
		/* The delta-seconds form; an HTTP date is left to the backoff. */
		uint32_t secs = 0;
		size_t i = at;
		while (i < len && line[i] == ' ')
			i++;
		for (; i < len && isdigit((unsigned char)line[i]); i++)
			if ((secs = secs * 10 + (uint32_t)(line[i] - '0')) > 86400)
				secs = 86400;
		r->retry_after = secs;
	}
}

bool somo__lrs_resp_body(somo__lrs_resp *r, const void *data, size_t len)
{
	if (r->overflow || len > r->max_body - r->body.len) {
		r->overflow = true;
		return false;
	}
	return somo__buf_put(&r->body, data, len) == 0;
}

void somo__lrs_resp_reset(somo__lrs_resp *r)
{
	r->status = 0;
	r->etag[0] = r->content_type[0] = r->consistent[0] = r->version[0] = '\0';
	r->retry_after = 0;
	somo__buf_clear(&r->body);
	r->overflow = false;
}

static json_t *load(const char *body, size_t len)
{
	json_error_t e;
	if (!body)
		return NULL;
	return json_loadb(body, len, LRS_JSON_FLAGS, &e);
}

int somo__lrs_parse_about(const char *body, size_t len, char *out, size_t size)
{
	json_t *root = load(body, len);
	json_t *versions = root ? json_object_get(root, "version") : NULL;
	bool has1 = false, has2 = false;
	size_t i;
	json_t *v;

	if (!json_is_array(versions)) {
		json_decref(root);
		return somo__error(SOMO_EPARSE, "the LRS's /about is not an About object");
	}
	json_array_foreach (versions, i, v) {
		const char *s = json_string_value(v);
		if (!s)
			continue;
		if (strncmp(s, "2.0.", 4) == 0 || strcmp(s, "2.0") == 0)
			has2 = true;
		else if (strncmp(s, "1.0.", 4) == 0 || strcmp(s, "1.0") == 0)
			has1 = true;
	}
	json_decref(root);
	if (!has1 && !has2)
		return somo__error(SOMO_EUNSUPPORTED,
		                   "the LRS offers no xAPI version Somo speaks (1.0.x or 2.0.x)");
	snprintf(out, size, "%s", has2 ? "2.0.0" : "1.0.3");
	return 0;
}

int somo__lrs_parse_ids(const char *body, size_t len, const char *const *ids, size_t count)
{
	json_t *root = load(body, len);
	int rc = 0;

	if (!json_is_array(root) || json_array_size(root) != count) {
		rc = somo__error(SOMO_EPARSE, "the LRS's reply is not the array of %zu ids sent",
		                 count);
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		const char *s = json_string_value(json_array_get(root, i));
		if (!s || !ids[i] || strcasecmp(s, ids[i]) != 0) {
			rc =
			    somo__error(SOMO_EPARSE, "the LRS's reply names id %zu differently", i);
			goto out;
		}
	}
out:
	json_decref(root);
	return rc;
}

int somo__lrs_parse_result(const char *body, size_t len, json_t **statements, char **more)
{
	json_t *root = load(body, len);
	json_t *arr = root ? json_object_get(root, "statements") : NULL;
	json_t *m = root ? json_object_get(root, "more") : NULL;
	size_t i;
	json_t *v;

	*statements = NULL;
	*more = NULL;
	if (!json_is_object(root) || !json_is_array(arr) ||
	    (m && !json_is_string(m) && !json_is_null(m))) {
		json_decref(root);
		return somo__error(SOMO_EPARSE, "the LRS's reply is not a StatementResult");
	}
	json_array_foreach (arr, i, v) {
		if (!json_is_object(v)) {
			json_decref(root);
			return somo__error(SOMO_EPARSE,
			                   "statement %zu of the LRS's reply is not an object", i);
		}
	}
	if (json_string_length(m) > 0) {
		*more = somo__strndup(json_string_value(m), json_string_length(m));
		if (!*more) {
			json_decref(root);
			return somo__error_oom();
		}
	}
	*statements = json_incref(arr);
	json_decref(root);
	return 0;
}

/* Append s[0..len) as printable text: control characters become spaces,
 * bytes that are not UTF-8 "?", at most max bytes in all. */
static int put_printable(somo__buf *b, const char *s, size_t len, size_t max)
{
	size_t i = 0;
	while (i < len && b->len < max) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (somo__buf_putc(b, (c < 0x20 || c == 0x7f) ? ' ' : (char)c) < 0)
				return SOMO_ENOMEM;
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = somo__utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			if (somo__buf_putc(b, '?') < 0)
				return SOMO_ENOMEM;
			i++;
			continue;
		}
		if (b->len + n > max)
			break;
		if (somo__buf_put(b, s + i, n) < 0)
			return SOMO_ENOMEM;
		i += n;
	}
	return 0;
}

char *somo__lrs_error_message(long status, const char *content_type, const char *body, size_t len)
{
	somo__buf b = SOMO__BUF_INIT;
	json_t *root = NULL;
	const char *text = NULL;
	size_t text_len = 0;

	(void)content_type; /* LRSs send JSON errors under any type: try it first */
	if (body && len)
		root = load(body, len);
	if (json_is_object(root)) {
		json_t *msg = json_object_get(root, "message");
		json_t *warn = json_object_get(root, "warnings");
		if (json_is_string(msg)) {
			text = json_string_value(msg);
			text_len = json_string_length(msg);
		} else if (json_is_array(warn) && json_is_string(json_array_get(warn, 0))) {
			text = json_string_value(json_array_get(warn, 0));
			text_len = json_string_length(json_array_get(warn, 0));
		}
	}
	if (!text && !root && body && len) {
		text = body;
		text_len = len;
	}
	if (somo__buf_printf(&b, "HTTP %ld", status) < 0)
		goto oom;
	if (text && text_len) {
		while (text_len && isspace((unsigned char)*text)) {
			text++;
			text_len--;
		}
		if (text_len && (somo__buf_puts(&b, ": ") < 0 ||
		                 put_printable(&b, text, text_len, SOMO__LRS_MESSAGE_MAX) < 0))
			goto oom;
		while (b.len && b.ptr[b.len - 1] == ' ')
			b.ptr[--b.len] = '\0';
	}
	json_decref(root);
	return somo__buf_detach(&b);
oom:
	json_decref(root);
	somo__buf_free(&b);
	return NULL;
}

/* The length of "scheme://authority" at the start of url, 0 when none. */
static size_t origin_len(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return 0;
	p += 3;
	while (*p && *p != '/' && *p != '?' && *p != '#')
		p++;
	return (size_t)(p - url);
}

int somo__lrs_resolve_more(const char *endpoint, const char *more, char **url)
{
	size_t o = origin_len(endpoint);

	*url = NULL;
	if (!o || !more || !*more || strlen(more) > 8192)
		return somo__error(SOMO_EPARSE, "the LRS's \"more\" is not a usable IRL");
	for (const char *p = more; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return somo__error(SOMO_EPARSE,
			                   "the LRS's \"more\" holds spaces or controls");
	if (more[0] == '/' && more[1] != '/') {
		*url = somo__sprintf("%.*s%s", (int)o, endpoint, more);
	} else if (origin_len(more)) {
		size_t mo = origin_len(more);
		if (mo != o || strncasecmp(more, endpoint, o) != 0)
			return somo__error(
			    SOMO_EUNSAFE,
			    "the LRS's \"more\" leads to another server: not followed");
		*url = somo__strdup(more);
	} else {
		return somo__error(SOMO_EPARSE, "the LRS's \"more\" is not a path on the LRS");
	}
	return *url ? 0 : somo__error_oom();
}

somo__lrs_verdict somo__lrs_classify(int curl_code, long status)
{
	if (curl_code != CURLE_OK || status == 0)
		return SOMO__LRS_RETRY;
	if (status >= 200 && status < 300)
		return SOMO__LRS_DELIVERED;
	if (status == 409)
		return SOMO__LRS_TAKEN;
	if (status == 401 || status == 403)
		return SOMO__LRS_AUTH;
	if (status == 408 || status == 429 || status >= 500)
		return SOMO__LRS_RETRY;
	if (status == 400 || status == 413 || status == 422)
		return SOMO__LRS_REFUSED;
	return SOMO__LRS_FATAL;
}

uint64_t somo__lrs_backoff(uint32_t min_ms, uint32_t max_ms, uint32_t attempt, uint64_t rnd)
{
	uint64_t d = min_ms ? min_ms : 1;
	for (uint32_t i = 1; i < attempt && d < max_ms; i++)
		d *= 2;
	if (d > max_ms)
		d = max_ms;
	uint64_t half = d / 2;
	return d - half + (half ? rnd % (half + 1) : 0);
}

int64_t somo__lrs_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
