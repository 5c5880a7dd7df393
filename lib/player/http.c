/*
 * The player's HTTP server (libmicrohttpd, driven from the caller's thread):
 * who may talk to it (loopback, Host and Origin of this server only, the
 * per-launch token on everything that changes state), how much they may send,
 * and which handler answers which path.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, sigaction types, ssize_t */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "player/player_int.h"
#include "util/text.h"

/* One request in progress. */
typedef struct {
	somo__buf body;
	size_t limit;
	bool answered; /* a response was queued before the body was read */
	bool too_big;
} req_ctx;

const char *somo__player_header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

bool somo__player_secret_eq(const char *given, const char *expected)
{
	size_t n = strlen(expected), i;
	unsigned char diff = 0;

	if (!given || strlen(given) != n)
		return false;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)given[i] ^ (unsigned char)expected[i];
	return diff == 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int somo__player_decode_path(const char *raw, char **out)
{
	size_t n = strlen(raw), i, j = 0;
	char *s;

	*out = NULL;
	if (!(s = somo__malloc(n + 1)))
		return somo__error_oom();
	for (i = 0; i < n; i++) {
		char c = raw[i];

		if (c == '%') {
			int hi = i + 2 < n ? hexval(raw[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(raw[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				goto unsafe;
			c = (char)(hi * 16 + lo);
			i += 2;
			/* an encoded '%' is how double encoding hides "../" */
			if (c == '%')
				goto unsafe;
		}
		if ((unsigned char)c < 0x20 || c == 0x7f || c == '\\')
			goto unsafe;
		s[j++] = c;
	}
	s[j] = '\0';
	if (!somo__utf8_valid(s, j))
		goto unsafe;
	*out = s;
	return 0;
unsafe:
	somo__free(s);
	return somo__error(SOMO_EUNSAFE, "refused request path");
}

/* libmicrohttpd must not decode anything: the player decodes once itself. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void add_common(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result queue_reply(struct MHD_Connection *c, somo__reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->body_len, r->body ? r->body : (char *)"",
	                                       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	add_common(resp);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->etag)
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->xapi)
		MHD_add_response_header(resp, "X-Experience-API-Version", "1.0.3");
	ret = MHD_queue_response(c, r->status ? r->status : 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	somo__reply r = {
	    status, "text/plain; charset=utf-8", (char *)text, strlen(text), NULL, NULL, false};
	return queue_reply(c, &r);
}

static void reply_free(somo__reply *r)
{
	somo__free(r->body);
	somo__free(r->etag);
}

/* Host must name this server (DNS rebinding), Origin too when sent. */
static bool from_us(somo_player *p, struct MHD_Connection *c)
{
	const char *host = somo__player_header(c, "Host");
	const char *origin = somo__player_header(c, "Origin");

	if (!host || (!somo__str_ieq(host, p->host_ip) && !somo__str_ieq(host, p->host_name)))
		return false;
	if (origin && !somo__str_ieq(origin, p->origin_ip) &&
	    !somo__str_ieq(origin, p->origin_name))
		return false;
	return true;
}

static enum MHD_Result serve_launcher(somo_player *p, struct MHD_Connection *c)
{
	return somo__player_serve_asset(p, c, "launcher.html", false) == 0 ? MHD_YES : MHD_NO;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	somo_player *p = cls;
	req_ctx *rq = *con_cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET),
	     head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
	bool xapi = somo__str_starts(url, "/xapi/");
	(void)version;

	if (!rq) {
		const char *cl;

		if (!(rq = somo__calloc(1, sizeof(*rq))))
			return MHD_NO;
		*con_cls = rq;
		rq->limit = xapi ? p->max_body * 4 : p->max_body;
		if (!from_us(p, c)) {
			rq->answered = true;
			return reply_text(c, MHD_HTTP_FORBIDDEN,
			                  "refused: foreign Host or Origin\n");
		}
		cl = somo__player_header(c, "Content-Length");
		if (cl) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno || end == cl || *end || n > 4 * (unsigned long long)rq->limit) {
				/* refused before the body is read; the connection closes */
				rq->answered = true;
				return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE,
				                  "refused: request body too large\n");
			}
			/* a little too large: read and dropped, so that the client,
			 * still sending, surely gets the answer */
			rq->too_big = n > rq->limit;
		}
		/* everything else is answered once the request is complete, so
		 * that the connection can be kept alive */
		return MHD_YES;
	}
	if (*upload_size) {
		if (!rq->answered && !rq->too_big) {
			if (rq->body.len + *upload_size > rq->limit)
				rq->too_big = true;
			else if (somo__buf_put(&rq->body, upload, *upload_size) < 0)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	rq->answered = true;
	if (rq->too_big)
		return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE,
		                  "refused: request body too large\n");
	if ((get || head) && !xapi) {
		if (!strcmp(url, "/"))
			return serve_launcher(p, c);
		if (somo__str_starts(url, "/content/"))
			return somo__player_serve_content(p, c, url + 9, head) == 0 ? MHD_YES
			                                                            : MHD_NO;
		if (somo__str_starts(url, "/_somo/") && !strchr(url + 7, '/'))
			return somo__player_serve_asset(p, c, url + 7, head) == 0 ? MHD_YES
			                                                          : MHD_NO;
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	if (!xapi && !somo__str_starts(url, "/_somo/"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	{
		somo__reply r = {0};
		enum MHD_Result ret;
		const char *body = rq->body.ptr ? rq->body.ptr : "";

		if (xapi) {
			r.xapi = true;
			somo__player_xapi(p, c, method, url + 6, body, rq->body.len, &r);
		} else if (!strcmp(method, MHD_HTTP_METHOD_POST)) {
			somo__player_api(p, url + 7, body, rq->body.len, &r);
		} else {
			r.status = MHD_HTTP_METHOD_NOT_ALLOWED;
			r.allow = "POST";
		}
		ret = queue_reply(c, &r);
		reply_free(&r);
		return ret;
	}
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	req_ctx *rq = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;

	if (rq) {
		somo__buf_free(&rq->body);
		somo__free(rq);
		*con_cls = NULL;
	}
}

int somo__player_http_start(somo_player *p, uint16_t port)
{
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;
	size_t mem = p->max_header + 4096; /* the head, and room to read the body in */

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->mhd = MHD_start_daemon(MHD_USE_AUTO, port, NULL, NULL, handle, p, MHD_OPTION_SOCK_ADDR,
	                          (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem,
	                          MHD_OPTION_CONNECTION_LIMIT, p->max_connections,
	                          MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_UNESCAPE_CALLBACK,
	                          no_unescape, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	                          MHD_OPTION_END);
	if (!p->mhd)
		return somo__error(SOMO_EIO, "cannot listen on 127.0.0.1:%u (in use?)", port);
	info = MHD_get_daemon_info(p->mhd, MHD_DAEMON_INFO_BIND_PORT);
	p->port = info ? info->port : port;
	snprintf(p->url, sizeof(p->url), "http://127.0.0.1:%u/", p->port);
	snprintf(p->host_ip, sizeof(p->host_ip), "127.0.0.1:%u", p->port);
	snprintf(p->host_name, sizeof(p->host_name), "localhost:%u", p->port);
	snprintf(p->origin_ip, sizeof(p->origin_ip), "http://127.0.0.1:%u", p->port);
	snprintf(p->origin_name, sizeof(p->origin_name), "http://localhost:%u", p->port);
	return 0;
}

void somo__player_http_stop(somo_player *p)
{
	if (p->mhd) {
		MHD_stop_daemon(p->mhd);
		p->mhd = NULL;
	}
}

int somo__player_http_run(somo_player *p, int timeout_ms)
{
	if (!p->mhd)
		return somo__error(SOMO_ESTATE, "the player is closed");
	if (timeout_ms < 0)
		timeout_ms = -1;
	if (MHD_run_wait(p->mhd, timeout_ms) != MHD_YES && errno != EINTR)
		return somo__error(SOMO_EIO, "the HTTP server failed");
	return 0;
}
