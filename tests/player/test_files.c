/*
 * The package's files as the player serves them from a zip: the bytes of a
 * member whole and by Range (first bytes, a middle slice, the last bytes, an
 * open end, a range past the end) for a deflated and a stored member of
 * 3 MB, the MIME types, ETag and 304, HEAD, no listing of folders, the
 * same member asked again (answered from the kept response).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>
#include <zip.h>

#include "player/player_int.h"

#define BIG (3u << 20)

static unsigned char *big;
static char zpath[256];
static somo_player *player;
static pthread_t thread;
static char base[64];

static const char manifest[] =
	"<?xml version=\"1.0\"?>\n"
	"<manifest identifier=\"m\" version=\"1\" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">\n"
	"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>\n"
	"<organizations default=\"o\"><organization identifier=\"o\"><title>Files</title>\n"
	"<item identifier=\"i\" identifierref=\"r\"><title>Page</title></item>\n"
	"</organization></organizations>\n"
	"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormtype=\"sco\""
	" href=\"media/index.html\"><file href=\"media/index.html\"/></resource></resources>\n"
	"</manifest>\n";

typedef struct {
	long status;
	somo__buf body;
	char etag[128];
	char type[128];
	char range[128];
	double length;
} response;

static size_t on_body(char *ptr, size_t size, size_t n, void *ud)
{
	response *r = ud;

	somo__buf_put(&r->body, ptr, size * n);
	return size * n;
}

static size_t on_header(char *ptr, size_t size, size_t n, void *ud)
{
	response *r = ud;
	size_t len = size * n;
	char line[512];
	char *v;

	if (len >= sizeof(line))
		return len;
	memcpy(line, ptr, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	v = strchr(line, ':');
	if (!v)
		return len;
	*v++ = '\0';
	while (*v == ' ')
		v++;
	if (somo__str_ieq(line, "ETag"))
		snprintf(r->etag, sizeof(r->etag), "%s", v);
	else if (somo__str_ieq(line, "Content-Type"))
		snprintf(r->type, sizeof(r->type), "%s", v);
	else if (somo__str_ieq(line, "Content-Range"))
		snprintf(r->range, sizeof(r->range), "%s", v);
	return len;
}

static long get(const char *path, const char *header, bool head, response *r)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hl = NULL;
	char url[512];

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (head)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (header) {
		hl = curl_slist_append(hl, header);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	}
	if (curl_easy_perform(c) == CURLE_OK) {
		curl_off_t cl = -1;

		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
		r->length = (double)cl;
	}
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return r->status;
}

static void *serve(void *arg)
{
	somo_player_serve(arg);
	return NULL;
}

static void add(zip_t *z, const char *name, const void *data, size_t len, bool store)
{
	zip_source_t *src = zip_source_buffer(z, data, len, 0);
	zip_int64_t i;

	assert_non_null(src);
	i = zip_file_add(z, name, src, ZIP_FL_OVERWRITE);
	assert_true(i >= 0);
	if (store)
		assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
}

static int setup(void **state)
{
	somo_player_opts o = SOMO_PLAYER_OPTS_INIT;
	zip_t *z;
	int err, fd;
	size_t i;
	uint32_t x = 12345;
	(void)state;

	big = malloc(BIG);
	assert_non_null(big);
	for (i = 0; i < BIG; i++) { /* half random, half repeated: inflating does work */
		x = x * 1103515245u + 12345u;
		big[i] = i % 2 ? (unsigned char)(x >> 24) : (unsigned char)(i & 0x0f);
	}
	snprintf(zpath, sizeof(zpath), "/tmp/somo-player-files-XXXXXX");
	fd = mkstemp(zpath);
	assert_true(fd >= 0);
	close(fd);
	z = zip_open(zpath, ZIP_TRUNCATE, &err);
	assert_non_null(z);
	add(z, "imsmanifest.xml", manifest, strlen(manifest), false);
	add(z, "media/index.html", "<!DOCTYPE html><title>x</title>", 31, false);
	add(z, "media/clip.mp4", big, BIG, false);
	add(z, "media/clip-stored.webm", big, BIG, true);
	add(z, "media/sub/a.svg", "<svg/>", 6, false);
	add(z, "media/sub/b.woff2", "wOF2", 4, false);
	add(z, "media/sub/c.vtt", "WEBVTT\n", 7, false);
	add(z, "media/sub/d.mjs", "export{}", 8, false);
	assert_int_equal(zip_close(z), 0);

	if (somo_player_new(&player, zpath, &o) < 0)
		fail_msg("somo_player_new: %s", somo_error_last()->message);
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", somo_player_port(player));
	assert_int_equal(pthread_create(&thread, NULL, serve, player), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	somo_player_stop(player);
	pthread_join(thread, NULL);
	assert_int_equal(somo_player_close(player), 0);
	somo_player_free(player);
	unlink(zpath);
	free(big);
	return 0;
}

static void check_range(const char *path, const char *range, size_t first, size_t last)
{
	response r;
	char want[128];

	assert_int_equal(get(path, range, false, &r), 206);
	assert_int_equal(r.body.len, last - first + 1);
	assert_memory_equal(r.body.ptr, big + first, last - first + 1);
	snprintf(want, sizeof(want), "bytes %zu-%zu/%u", first, last, BIG);
	assert_string_equal(r.range, want);
	somo__buf_free(&r.body);
}

static void test_whole_and_ranges(void **state)
{
	static const char *const members[] = {"/content/media/clip.mp4",
					      "/content/media/clip-stored.webm"};
	response r;
	size_t m;
	(void)state;

	for (m = 0; m < 2; m++) {
		const char *path = members[m];

		assert_int_equal(get(path, NULL, false, &r), 200);
		assert_int_equal(r.body.len, BIG);
		assert_memory_equal(r.body.ptr, big, BIG);
		assert_string_equal(r.type, m ? "video/webm" : "video/mp4");
		somo__buf_free(&r.body);

		check_range(path, "Range: bytes=0-99", 0, 99);
		check_range(path, "Range: bytes=1000000-1999999", 1000000, 1999999);
		check_range(path, "Range: bytes=2500000-", 2500000, BIG - 1);
		check_range(path, "Range: bytes=-4096", BIG - 4096, BIG - 1);
		check_range(path, "Range: bytes=10-", 10, BIG - 1);
		/* going backwards after the end was read */
		check_range(path, "Range: bytes=5-9", 5, 9);
		check_range(path, "Range: bytes=3145000-99999999", 3145000, BIG - 1);

		assert_int_equal(get(path, "Range: bytes=99999999-", false, &r), 416);
		assert_string_equal(r.range, "bytes */3145728");
		somo__buf_free(&r.body);
		/* several ranges: the whole member, as RFC 9110 allows */
		assert_int_equal(get(path, "Range: bytes=0-1,5-6", false, &r), 200);
		assert_int_equal(r.body.len, BIG);
		somo__buf_free(&r.body);
		/* not a bytes range: ignored */
		assert_int_equal(get(path, "Range: lines=1-2", false, &r), 200);
		somo__buf_free(&r.body);
	}
}

static void test_headers(void **state)
{
	static const struct {
		const char *path, *type;
	} types[] = {
		{"/content/media/index.html", "text/html"},
		{"/content/imsmanifest.xml", "application/xml"},
		{"/content/media/sub/a.svg", "image/svg+xml"},
		{"/content/media/sub/b.woff2", "font/woff2"},
		{"/content/media/sub/c.vtt", "text/vtt"},
		{"/content/media/sub/d.mjs", "text/javascript"},
	};
	response r, again;
	char inm[160];
	size_t i;
	(void)state;

	for (i = 0; i < SOMO__ARRAY_SIZE(types); i++) {
		assert_int_equal(get(types[i].path, NULL, false, &r), 200);
		assert_string_equal(r.type, types[i].type);
		somo__buf_free(&r.body);
	}
	/* asked again: the same bytes and validators from the kept response */
	assert_int_equal(get("/content/media/index.html", NULL, false, &r), 200);
	assert_int_equal(get("/content/media/index.html", NULL, false, &again), 200);
	assert_string_equal(r.etag, again.etag);
	assert_int_equal(again.body.len, 31);
	assert_memory_equal(again.body.ptr, "<!DOCTYPE html><title>x</title>", 31);
	somo__buf_free(&again.body);
	/* If-None-Match with the ETag: 304, no body */
	assert_true(r.etag[0] == '"');
	snprintf(inm, sizeof(inm), "If-None-Match: %s", r.etag);
	assert_int_equal(get("/content/media/index.html", inm, false, &again), 304);
	assert_int_equal(again.body.len, 0);
	somo__buf_free(&again.body);
	assert_int_equal(get("/content/media/index.html", "If-None-Match: \"other\"", false, &again),
			 200);
	somo__buf_free(&again.body);
	somo__buf_free(&r.body);
	/* HEAD: the length, no body */
	assert_int_equal(get("/content/media/clip.mp4", NULL, true, &r), 200);
	assert_true(r.length == (double)BIG);
	assert_int_equal(r.body.len, 0);
	somo__buf_free(&r.body);
	/* folders are not listed */
	assert_int_equal(get("/content/media", NULL, false, &r), 404);
	somo__buf_free(&r.body);
	assert_int_equal(get("/content/media/", NULL, false, &r), 404);
	somo__buf_free(&r.body);
	assert_int_equal(get("/content/", NULL, false, &r), 400);
	somo__buf_free(&r.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_and_ranges),
		cmocka_unit_test(test_headers),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
