/*
 * The player refuses what could escape the package or come from elsewhere,
 * and stores nothing of it: path traversal (plain, percent-encoded,
 * double-encoded, backslashes, NUL, absolute), folders (no listings), a
 * missing or wrong launch token, a foreign Host or Origin (DNS rebinding,
 * another site's page), bodies and headers too large; for Tin Can, a
 * missing or wrong Authorization and invalid statements. Each refused
 * request is checked against the store afterwards.
 *
 * The player serves on its own thread here; the test talks to it with
 * libcurl as a browser (or an attacker) would.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>

#include "player/player_int.h"

typedef struct {
	somo_player *p;
	pthread_t thread;
	char dir[256];
	char db[300];
	char base[64]; /* http://127.0.0.1:PORT */
	int port;
} fixture;

static void *serve(void *arg)
{
	somo_player_serve(arg);
	return NULL;
}

typedef struct {
	long status;
	somo__buf body;
} response;

static size_t collect(char *ptr, size_t size, size_t n, void *ud)
{
	response *r = ud;

	somo__buf_put(&r->body, ptr, size * n);
	return size * n;
}

/*
 * One request. path is sent as it is (no normalisation: CURLOPT_PATH_AS_IS);
 * headers is a NULL-terminated list ("Host: ...", "Origin: ..."); body may
 * be NULL. Returns the status (0 when the connection failed).
 */
static long request(fixture *f, const char *method, const char *path, const char **headers,
                    const char *body, size_t len, response *out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hl = NULL;
	char url[4096];
	response local = {0, SOMO__BUF_INIT};
	response *r = out ? out : &local;

	snprintf(url, sizeof(url), "%s%s", f->base, path);
	r->status = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	bool expect = false;

	for (; headers && *headers; headers++) {
		hl = curl_slist_append(hl, *headers);
		expect = expect || somo__str_starts(*headers, "Expect");
	}
	if (!expect)
		hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	/* a refusal may arrive while the body is still being sent: its code counts */
	curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	if (!out)
		somo__buf_free(&local.body);
	return r->status;
}

static void start(fixture *f, const char *package)
{
	somo_player_opts o = SOMO_PLAYER_OPTS_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/somo-player-sec-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/somo.db", f->dir);
	o.db_path = f->db;
	o.learner_id = "k-001";
	if (somo_player_new(&f->p, package, &o) < 0)
		fail_msg("somo_player_new: %s", somo_error_last()->message);
	f->port = somo_player_port(f->p);
	snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%d", f->port);
	assert_int_equal(pthread_create(&f->thread, NULL, serve, f->p), 0);
}

static void stop(fixture *f)
{
	somo_player_stop(f->p);
	pthread_join(f->thread, NULL);
	assert_int_equal(somo_player_close(f->p), 0);
}

static void finish(fixture *f)
{
	char cmd[600];

	somo_player_free(f->p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		print_message("could not remove %s\n", f->dir);
}

static char *api_body(const char *token, const char *call, const char *a, const char *b)
{
	return somo__sprintf("{\"token\":\"%s\",\"call\":\"%s\",\"args\":[\"%s\"%s%s%s]}", token,
	                     call, a, b ? ",\"" : "", b ? b : "", b ? "\"" : "");
}

static long api(fixture *f, const char **headers, const char *token, const char *call,
                const char *a, const char *b, response *out)
{
	char *body = api_body(token, call, a, b);
	long st = request(f, "POST", "/_somo/api", headers, body, strlen(body), out);

	somo__free(body);
	return st;
}

typedef struct {
	int runtimes;
	int evil;
} scan;

static int scan_runtime(const somo_store_runtime *rec, void *payload)
{
	scan *s = payload;

	s->runtimes++;
	if (strstr(rec->state, "EVIL"))
		s->evil++;
	return 0;
}

static void test_scorm(void **unused)
{
	fixture f;
	char path[1024], big_header[70000];
	const char *source =
	    getenv("SOMO_SOURCE_DIR") ? getenv("SOMO_SOURCE_DIR") : SOMO_SOURCE_DIR;
	const char *token;
	char *nav, *huge, *reg = NULL;
	response r = {0, SOMO__BUF_INIT};
	somo_store *st = NULL;
	scan sc = {0, 0};
	size_t i;
	(void)unused;

	snprintf(path, sizeof(path), "%s/examples/courses/customs-clearance-basics", source);
	start(&f, path);
	token = f.p->token;

	/* what is allowed works */
	assert_int_equal(request(&f, "GET", "/", NULL, NULL, 0, NULL), 200);
	assert_int_equal(request(&f, "GET", "/content/intro/index.html", NULL, NULL, 0, NULL), 200);
	nav = somo__sprintf("{\"token\":\"%s\",\"request\":\"start\"}", token);
	assert_int_equal(request(&f, "POST", "/_somo/nav", NULL, nav, strlen(nav), NULL), 200);
	somo__free(nav);
	assert_int_equal(api(&f, NULL, token, "Initialize", "", NULL, NULL), 200);

	/* no path escapes the package */
	{
		static const char *const bad[] = {
		    "/content/../CMakeLists.txt",
		    "/content/intro/../../CMakeLists.txt",
		    "/content/%2e%2e/CMakeLists.txt",
		    "/content/%2E%2E%2FCMakeLists.txt",
		    "/content/intro/%2e%2e%2f%2e%2e%2fCMakeLists.txt",
		    "/content/%252e%252e/CMakeLists.txt",
		    "/content/%252e%252e%252fCMakeLists.txt",
		    "/content/%25252e%25252e/CMakeLists.txt",
		    "/content/..%5cCMakeLists.txt",
		    "/content/intro%5c..%5c..%5cCMakeLists.txt",
		    "/content/..\\CMakeLists.txt",
		    "/content/%255c..%255cCMakeLists.txt",
		    "/content//etc/passwd",
		    "/content/%2fetc%2fpasswd",
		    "/content/intro/index.html%00.png",
		    "/content/%c0%ae%c0%ae/CMakeLists.txt", /* overlong UTF-8 dots */
		    "/content/%zz",
		};
		for (i = 0; i < SOMO__ARRAY_SIZE(bad); i++) {
			long s = request(&f, "GET", bad[i], NULL, NULL, 0, &r);

			if (s != 400)
				fail_msg("%s answered %ld, not 400", bad[i], s);
			assert_null(strstr(r.body.ptr ? r.body.ptr : "", "cmake_minimum_required"));
			somo__buf_clear(&r.body);
		}
	}
	/* a folder is never listed; what is not there is not found */
	assert_int_equal(request(&f, "GET", "/content/intro", NULL, NULL, 0, NULL), 404);
	assert_int_equal(request(&f, "GET", "/content/intro/", NULL, NULL, 0, NULL), 404);
	assert_int_equal(request(&f, "GET", "/content/nothing.html", NULL, NULL, 0, NULL), 404);
	assert_int_equal(request(&f, "GET", "/etc/passwd", NULL, NULL, 0, NULL), 404);
	assert_int_equal(request(&f, "GET", "/_somo/../../CMakeLists.txt", NULL, NULL, 0, NULL),
	                 404);

	/* API calls without the token, with a wrong one, from elsewhere, too big */
	{
		const char *no_token =
		    "{\"call\":\"SetValue\",\"args\":[\"cmi.location\",\"EVIL1\"]}";

		assert_int_equal(
		    request(&f, "POST", "/_somo/api", NULL, no_token, strlen(no_token), NULL), 403);
	}
	assert_int_equal(api(&f, NULL, "", "SetValue", "cmi.location", "EVIL2", NULL), 403);
	assert_int_equal(api(&f, NULL,
	                     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	                     "SetValue", "cmi.location", "EVIL3", NULL),
	                 403);
	{
		char wrong[65];

		snprintf(wrong, sizeof(wrong), "%s", token);
		wrong[63] = wrong[63] == 'a' ? 'b' : 'a'; /* one character off */
		assert_int_equal(api(&f, NULL, wrong, "SetValue", "cmi.location", "EVIL4", NULL),
		                 403);
		assert_int_equal(api(&f, NULL, wrong, "Commit", "", NULL, NULL), 403);
		wrong[63] = '\0'; /* a prefix */
		assert_int_equal(api(&f, NULL, wrong, "Commit", "", NULL, NULL), 403);
	}
	{
		char host[64], origin[64];
		const char *foreign_host[] = {"Host: attacker.example", NULL};
		const char *foreign_host_port[] = {host, NULL};
		const char *foreign_origin[] = {"Origin: http://attacker.example", NULL};
		const char *null_origin[] = {"Origin: null", NULL};
		const char *port_origin[] = {origin, NULL};

		snprintf(host, sizeof(host), "Host: rebound.example:%d", f.port);
		snprintf(origin, sizeof(origin), "Origin: http://127.0.0.1:%d", f.port + 1);
		assert_int_equal(
		    api(&f, foreign_host, token, "SetValue", "cmi.location", "EVIL5", NULL), 403);
		assert_int_equal(
		    api(&f, foreign_host_port, token, "SetValue", "cmi.location", "EVIL6", NULL),
		    403);
		assert_int_equal(
		    api(&f, foreign_origin, token, "SetValue", "cmi.location", "EVIL7", NULL), 403);
		assert_int_equal(
		    api(&f, null_origin, token, "SetValue", "cmi.location", "EVIL8", NULL), 403);
		assert_int_equal(
		    api(&f, port_origin, token, "SetValue", "cmi.location", "EVIL9", NULL), 403);
		/* a rebound name cannot read the launcher (and its token) either */
		assert_int_equal(request(&f, "GET", "/", foreign_host_port, NULL, 0, NULL), 403);
		assert_int_equal(request(&f, "GET", "/content/intro/index.html", foreign_host_port,
		                         NULL, 0, NULL),
		                 403);
		/* a beacon from elsewhere */
		char *beacon = somo__sprintf("{\"token\":\"%s\",\"calls\":[{\"call\":\"SetValue\","
		                             "\"args\":[\"cmi.location\",\"EVIL11\"]},"
		                             "{\"call\":\"Commit\",\"args\":[\"\"]}]}",
		                             token);

		assert_int_equal(request(&f, "POST", "/_somo/beacon", foreign_origin, beacon,
		                         strlen(beacon), NULL),
		                 403);
		somo__free(beacon);
	}
	/* a body over the limit (1 MiB) is refused: a little over, read and dropped;
	 * far over (more than 4 MiB), before it is read */
	huge = somo__malloc(6u << 20);
	assert_non_null(huge);
	{
		char *head = api_body(token, "SetValue", "cmi.suspend_data", "EVIL10");
		size_t hl = strlen(head) - 2; /* up to the closing "]}" */

		memcpy(huge, head, hl);
		memset(huge + hl, 'x', (6u << 20) - hl);
		somo__free(head);
	}
	{
		const char *expect[] = {"Expect: 100-continue", NULL};

		assert_int_equal(request(&f, "POST", "/_somo/api", NULL, huge, 3u << 20, NULL),
		                 413);
		assert_int_equal(request(&f, "POST", "/_somo/api", expect, huge, 3u << 20, NULL),
		                 413);
		assert_int_equal(request(&f, "POST", "/_somo/api", expect, huge, 6u << 20, NULL),
		                 413);
	}
	somo__free(huge);
	/* a head over the limit (16 KiB) */
	memset(big_header, 'a', sizeof(big_header));
	memcpy(big_header, "X-Big: ", 7);
	big_header[sizeof(big_header) - 1] = '\0';
	{
		const char *hh[] = {big_header, NULL};
		long s = request(&f, "GET", "/", hh, NULL, 0, NULL);

		if (s == 200)
			fail_msg("a 70 KB header was accepted");
	}
	/* the API still answers the launcher, and nothing refused got in */
	assert_int_equal(api(&f, NULL, token, "GetValue", "cmi.location", NULL, &r), 200);
	assert_null(strstr(r.body.ptr, "EVIL"));
	assert_int_equal(api(&f, NULL, token, "Commit", "", NULL, NULL), 200);
	reg = somo__strdup(somo_session_registration(f.p->ses));
	stop(&f);

	assert_int_equal(somo_store_open_sqlite(&st, f.db, NULL), 0);
	assert_int_equal(somo_store_runtime_list(st, reg, 1, scan_runtime, &sc), 0);
	assert_true(sc.runtimes >= 1); /* the launcher's own Commit */
	assert_int_equal(sc.evil, 0);
	somo_store_close(st);
	somo__free(reg);
	somo__buf_free(&r.body);
	finish(&f);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_tincan(void **unused)
{
	fixture f;
	char pkg[300], file[400], host[64];
	const char *auth_hdr[3], *no_auth[] = {"Content-Type: application/json", NULL};
	const char *wrong_auth[] = {"Authorization: Basic c29tbzp3cm9uZw==", NULL};
	const char *foreign_origin[3];
	const char *foreign_host[3];
	char auth_line[200];
	const char *stmt = "{\"actor\":{\"mbox\":\"mailto:k@example.org\"},"
	                   "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/experienced\"},"
	                   "\"object\":{\"id\":\"http://example.org/EVIL\"}}";
	const char *invalid = "{\"actor\":{\"mbox\":\"k@example.org\"},"
	                      "\"verb\":{\"id\":\"experienced\"},\"object\":{\"id\":\"EVIL\"}}";
	char *big;
	somo_store *st = NULL;
	somo_store_outbox_counts n;
	response r = {0, SOMO__BUF_INIT};
	(void)unused;

	snprintf(pkg, sizeof(pkg), "/tmp/somo-player-tc-XXXXXX");
	assert_non_null(mkdtemp(pkg));
	snprintf(file, sizeof(file), "%s/tincan.xml", pkg);
	write_file(file,
	           "<?xml version=\"1.0\"?><tincan xmlns=\"http://projecttincan.com/tincan.xsd\">"
	           "<activities><activity id=\"http://example.org/course\" "
	           "type=\"http://adlnet.gov/expapi/activities/course\"><name>T</name>"
	           "<launch lang=\"en\">index.html</launch></activity></activities></tincan>");
	snprintf(file, sizeof(file), "%s/index.html", pkg);
	write_file(file, "<!DOCTYPE html><title>T</title>");
	start(&f, pkg);
	snprintf(auth_line, sizeof(auth_line), "Authorization: %s", f.p->xapi_auth);
	auth_hdr[0] = auth_line;
	auth_hdr[1] = "X-Experience-API-Version: 1.0.3";
	auth_hdr[2] = NULL;
	foreign_origin[0] = auth_line;
	foreign_origin[1] = "Origin: http://attacker.example";
	foreign_origin[2] = NULL;
	snprintf(host, sizeof(host), "Host: rebound.example:%d", f.port);
	foreign_host[0] = auth_line;
	foreign_host[1] = host;
	foreign_host[2] = NULL;

	assert_int_equal(request(&f, "POST", "/xapi/statements", no_auth, stmt, strlen(stmt), NULL),
	                 401);
	assert_int_equal(
	    request(&f, "POST", "/xapi/statements", wrong_auth, stmt, strlen(stmt), NULL), 401);
	assert_int_equal(
	    request(&f, "POST", "/xapi/statements", foreign_origin, stmt, strlen(stmt), NULL), 403);
	assert_int_equal(
	    request(&f, "POST", "/xapi/statements", foreign_host, stmt, strlen(stmt), NULL), 403);
	assert_int_equal(
	    request(&f, "POST", "/xapi/statements", auth_hdr, invalid, strlen(invalid), NULL), 400);
	assert_int_equal(request(&f, "POST", "/xapi/statements", auth_hdr, "[1,2", 4, NULL), 400);
	big = somo__malloc(5u << 20);
	assert_non_null(big);
	memset(big, ' ', 5u << 20);
	memcpy(big, stmt, strlen(stmt));
	assert_int_equal(request(&f, "POST", "/xapi/statements", auth_hdr, big, 5u << 20, NULL),
	                 413);
	somo__free(big);
	/* an array with one bad statement stores none of them */
	{
		char *arr = somo__sprintf("[%s,%s]", stmt, invalid);

		assert_int_equal(
		    request(&f, "POST", "/xapi/statements", auth_hdr, arr, strlen(arr), NULL), 400);
		somo__free(arr);
	}
	/* the launch's own credentials work, once */
	assert_int_equal(request(&f, "POST", "/xapi/statements", auth_hdr, stmt, strlen(stmt), &r),
	                 200);
	assert_non_null(strstr(r.body.ptr, "-"));
	stop(&f);

	assert_int_equal(somo_store_open_sqlite(&st, f.db, NULL), 0);
	assert_int_equal(somo_store_outbox_count(st, &n), 0);
	assert_int_equal(n.pending + n.delivered + n.parked, 1);
	somo_store_close(st);
	somo__buf_free(&r.body);
	finish(&f);
	snprintf(file, sizeof(file), "rm -rf '%s'", pkg);
	assert_int_equal(system(file), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scorm),
	    cmocka_unit_test(test_tincan),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
