/*
 * Files: the package's members, read in place from the zip or folder
 * (Range requests for media, validators for caching, never a listing), and
 * the launcher's own files compiled into the library.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, sigaction types, ssize_t */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "player/assets.h"
#include "player/player_int.h"

/* Members up to this size are read whole and sent from memory. */
#define WHOLE_MAX (1u << 20)
/* Their responses are kept for the next request, up to this many bytes. */
#define CACHE_BYTES (64u << 20)
#define CACHE_SLOTS 512u

/*
 * A member's whole response (200, its headers and bytes), kept so that the
 * next request for it costs no read nor inflate: libmicrohttpd lets one
 * response be queued on many connections and frees it after the last.
 */
typedef struct {
	char *name;
	struct MHD_Response *resp;
	size_t size;
} cached;

struct somo__player_cache {
	cached slot[CACHE_SLOTS];
	size_t bytes;
	unsigned next; /* the slot given up next when full (round robin) */
};

/*
 * What content may do: its own scripts, inline ones and eval (authoring
 * tools rely on all three), media and fonts from anywhere, but talk (XHR,
 * fetch, beacons) only to this player, and be framed only by the launcher.
 */
#define CONTENT_CSP                                                                                \
	"default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob: https:; "                    \
	"connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"

/* The launcher itself runs only its own script and style. */
#define LAUNCHER_CSP                                                                               \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "              \
	"frame-ancestors 'none'"

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
    {"html", "text/html"},
    {"htm", "text/html"},
    {"xhtml", "application/xhtml+xml"},
    {"js", "text/javascript"},
    {"mjs", "text/javascript"},
    {"css", "text/css"},
    {"json", "application/json"},
    {"xml", "application/xml"},
    {"xsd", "application/xml"},
    {"dtd", "application/xml-dtd"},
    {"txt", "text/plain"},
    {"csv", "text/csv"},
    {"vtt", "text/vtt"},
    {"srt", "text/plain"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"bmp", "image/bmp"},
    {"mp4", "video/mp4"},
    {"m4v", "video/mp4"},
    {"webm", "video/webm"},
    {"ogv", "video/ogg"},
    {"mov", "video/quicktime"},
    {"mp3", "audio/mpeg"},
    {"m4a", "audio/mp4"},
    {"aac", "audio/aac"},
    {"oga", "audio/ogg"},
    {"ogg", "audio/ogg"},
    {"wav", "audio/wav"},
    {"flac", "audio/flac"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"eot", "application/vnd.ms-fontobject"},
    {"pdf", "application/pdf"},
    {"swf", "application/x-shockwave-flash"},
    {"wasm", "application/wasm"},
    {"zip", "application/zip"},
};

const char *somo__player_mime(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	size_t i;

	if (dot)
		for (i = 0; i < SOMO__ARRAY_SIZE(mime_types); i++)
			if (somo__str_ieq(dot + 1, mime_types[i].ext))
				return mime_types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A streamed range of one member. */
typedef struct {
	somo_package *pkg;
	char *name;
	uint64_t start;
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream *s = cls;
	size_t got = 0;

	if (somo_package_read_range(s->pkg, s->name, s->start + pos, buf, max, &got) < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (got == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return (ssize_t)got;
}

static void stream_free(void *cls)
{
	stream *s = cls;

	somo__free(s->name);
	somo__free(s);
}

/*
 * Parse a Range header against a member of size bytes: one range only (a
 * client asking for several gets the whole member, as RFC 9110 allows).
 * Returns 1 with [*first, *last] set, 0 when the whole member is to be
 * sent, -1 when the range cannot be satisfied.
 */
static int parse_range(const char *h, uint64_t size, uint64_t *first, uint64_t *last)
{
	const char *s;
	char *end;
	unsigned long long a, b;

	if (!h || !somo__str_starts(h, "bytes="))
		return 0;
	s = h + 6;
	if (strchr(s, ','))
		return 0;
	while (*s == ' ')
		s++;
	errno = 0;
	if (*s == '-') { /* the last n bytes */
		b = strtoull(s + 1, &end, 10);
		if (errno || end == s + 1 || *end)
			return 0;
		if (b == 0 || size == 0)
			return -1;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 1;
	}
	if (*s < '0' || *s > '9')
		return 0;
	a = strtoull(s, &end, 10);
	if (errno || *end != '-')
		return 0;
	s = end + 1;
	if (*s == '\0') {
		b = size ? size - 1 : 0;
	} else {
		if (*s < '0' || *s > '9')
			return 0;
		b = strtoull(s, &end, 10);
		if (errno || *end)
			return 0;
		if (b < a)
			return 0; /* not a valid range: ignore the header */
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return -1;
	*first = a;
	*last = b;
	return 1;
}

static void http_date(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static unsigned slot_of(const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h % CACHE_SLOTS;
}

static struct MHD_Response *cache_get(somo_player *p, const char *name)
{
	cached *e;

	if (!p->cache)
		return NULL;
	e = &p->cache->slot[slot_of(name)];
	return e->name && !strcmp(e->name, name) ? e->resp : NULL;
}

static void cache_drop(struct somo__player_cache *cache, cached *e)
{
	if (e->resp)
		MHD_destroy_response(e->resp);
	cache->bytes -= e->size;
	somo__free(e->name);
	memset(e, 0, sizeof(*e));
}

/* Keep resp (one more reference is taken by not destroying it here). */
static bool cache_put(somo_player *p, const char *name, struct MHD_Response *resp, size_t size)
{
	cached *e;
	unsigned i;

	if (!p->cache && !(p->cache = somo__calloc(1, sizeof(*p->cache))))
		return false;
	e = &p->cache->slot[slot_of(name)];
	if (e->name)
		cache_drop(p->cache, e);
	for (i = 0; p->cache->bytes + size > CACHE_BYTES && i < CACHE_SLOTS; i++) {
		cached *v = &p->cache->slot[p->cache->next++ % CACHE_SLOTS];

		if (v->name)
			cache_drop(p->cache, v);
	}
	if (p->cache->bytes + size > CACHE_BYTES || !(e->name = somo__strdup(name)))
		return false;
	e->resp = resp;
	e->size = size;
	p->cache->bytes += size;
	return true;
}

void somo__player_cache_free(somo_player *p)
{
	unsigned i;

	if (!p->cache)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		if (p->cache->slot[i].name)
			cache_drop(p->cache, &p->cache->slot[i]);
	somo__free(p->cache);
	p->cache = NULL;
}

int somo__player_serve_content(somo_player *p, struct MHD_Connection *c, const char *raw, bool head)
{
	char *path = NULL, *name = NULL;
	somo_package_entry e;
	char etag[64], lm[64], cr[96];
	const char *inm, *range_h;
	struct MHD_Response *resp = NULL;
	unsigned status = MHD_HTTP_OK;
	uint64_t first = 0, last = 0;
	int rng, rc;
	enum MHD_Result ret = MHD_NO;
	(void)head;

	if (somo__player_decode_path(raw, &path) < 0 || !*path ||
	    somo_package_check_name(path, strlen(path), NULL, &name) < 0) {
		somo__free(path);
		return plain(c, MHD_HTTP_BAD_REQUEST, "refused: unsafe path\n") == MHD_YES ? 0 : -1;
	}
	somo__free(path);
	rc = somo_package_stat(p->pkg, name, &e);
	if (rc < 0 || e.is_dir) {
		somo__free(name);
		return plain(c, MHD_HTTP_NOT_FOUND, "not found\n") == MHD_YES ? 0 : -1;
	}
	snprintf(etag, sizeof(etag), "\"%" PRIx64 "-%" PRIx64 "\"", e.size, (uint64_t)e.mtime);
	inm = somo__player_header(c, "If-None-Match");
	if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
		goto headers;
	}
	range_h = somo__player_header(c, "Range");
	rng = parse_range(range_h, e.size, &first, &last);
	if (rng < 0) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_RANGE_NOT_SATISFIABLE;
		snprintf(cr, sizeof(cr), "bytes */%" PRIu64, e.size);
		if (resp)
			MHD_add_response_header(resp, "Content-Range", cr);
		goto headers;
	}
	if (rng == 0 && (resp = cache_get(p, name)) != NULL) {
		ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
		somo__free(name);
		return ret == MHD_YES ? 0 : -1;
	}
	if (rng == 0 && e.size <= WHOLE_MAX) {
		void *data = NULL;
		size_t size = 0;

		if (somo_package_read(p->pkg, name, &data, &size) < 0) {
			somo__free(name);
			return plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
			             "the package cannot be read\n") == MHD_YES
			           ? 0
			           : -1;
		}
		resp = MHD_create_response_from_buffer_with_free_callback(size, data, somo_free);
		if (!resp)
			somo_free(data);
	} else {
		stream *s = somo__calloc(1, sizeof(*s));

		if (rng == 0) {
			first = 0;
			last = e.size ? e.size - 1 : 0;
		} else {
			status = MHD_HTTP_PARTIAL_CONTENT;
		}
		if (!s) {
			somo__free(name);
			return -1;
		}
		s->pkg = p->pkg;
		s->start = first;
		s->name = somo__strdup(name);
		resp = MHD_create_response_from_callback(e.size ? last - first + 1 : 0, 64 * 1024,
		                                         stream_read, s, stream_free);
		if (!resp)
			stream_free(s);
		else if (status == MHD_HTTP_PARTIAL_CONTENT) {
			snprintf(cr, sizeof(cr), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, first,
			         last, e.size);
			MHD_add_response_header(resp, "Content-Range", cr);
		}
	}
headers:
	if (resp) {
		MHD_add_response_header(resp, "Content-Type", somo__player_mime(name));
		MHD_add_response_header(resp, "Accept-Ranges", "bytes");
		MHD_add_response_header(resp, "ETag", etag);
		if (e.mtime > 0) {
			http_date(e.mtime, lm, sizeof(lm));
			MHD_add_response_header(resp, "Last-Modified", lm);
		}
		/* kept, but asked again each time: a package may be replaced between runs */
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
		MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(resp, "Content-Security-Policy", CONTENT_CSP);
		ret = MHD_queue_response(c, status, resp);
		if (!(status == MHD_HTTP_OK && e.size <= WHOLE_MAX &&
		      cache_put(p, name, resp, (size_t)e.size)))
			MHD_destroy_response(resp);
	}
	somo__free(name);
	return ret == MHD_YES ? 0 : -1;
}

int somo__player_serve_asset(somo_player *p, struct MHD_Connection *c, const char *name, bool head)
{
	const somo__player_asset *a;
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;
	(void)head;

	for (a = somo__player_assets; a->name; a++)
		if (!strcmp(a->name, name))
			break;
	if (!a->name)
		return plain(c, MHD_HTTP_NOT_FOUND, "not found\n") == MHD_YES ? 0 : -1;
	if (!strcmp(name, "launcher.html")) {
		/* the per-launch token goes into the page, nowhere else */
		const char *mark = strstr((const char *)a->bytes, "@SOMO_TOKEN@");
		somo__buf b = SOMO__BUF_INIT;

		if (!mark)
			return -1;
		if (somo__buf_put(&b, a->bytes, (size_t)(mark - (const char *)a->bytes)) < 0 ||
		    somo__buf_puts(&b, p->token) < 0 ||
		    somo__buf_puts(&b, mark + strlen("@SOMO_TOKEN@")) < 0) {
			somo__buf_free(&b);
			return -1;
		}
		resp = MHD_create_response_from_buffer(b.len, b.ptr, MHD_RESPMEM_MUST_COPY);
		somo__buf_free(&b);
		if (!resp)
			return -1;
		MHD_add_response_header(resp, "Cache-Control", "no-store");
		MHD_add_response_header(resp, "Content-Security-Policy", LAUNCHER_CSP);
		MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	} else {
		resp = MHD_create_response_from_buffer(a->size, (void *)a->bytes,
		                                       MHD_RESPMEM_PERSISTENT);
		if (!resp)
			return -1;
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
		MHD_add_response_header(resp, "Content-Type", somo__player_mime(name));
	}
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret == MHD_YES ? 0 : -1;
}
