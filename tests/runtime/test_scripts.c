/*
 * Runs the runtime scripts in the .txt files of tests/runtime/data through the library.
 *
 * A script is lines of API calls in the JSON-lines form of `somo rte`, each
 * followed by the expected return value and GetLastError:
 *
 *   ["SetValue","cmi.score.scaled","2"] => "false" 407
 *
 * and directives:
 *   @new 2004|1.2 [lenient]   a new runtime (every script starts with one)
 *   @lms ELEMENT "VALUE"      an LMS-supplied value (before Initialize)
 *   @lms-fails ELEMENT "VALUE" the LMS value must be refused
 *   @data ID r|w|rw|-         declare an adl.data store (remakes the runtime: first)
 *   @next                     persist to JSON and restore as the next session
 *   @roundtrip                JSON out, in, out again: both must be identical
 *   @commit-fails             the host's commit callback fails from now on
 *   @lenient-reports N        the lenient callback has been called N times
 *   @nav-valid ANSWER         the host answers adl.nav.request_valid.* with ANSWER
 * Lines starting with # are comments.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"
#include "somo/runtime.h"

typedef struct {
	int commit_fails;
	int lenient_reports;
	char nav_answer[16];
	somo_rt_data_map map[16];
	char ids[16][64];
	size_t nmap;
} host;

static int cb_commit(somo_rt *rt, void *p)
{
	(void)rt;
	return ((host *)p)->commit_fails ? -1 : 0;
}

static void cb_lenient(somo_rt *rt, const char *el, const char *v, const char *what, void *p)
{
	(void)rt;
	(void)el;
	(void)v;
	(void)what;
	((host *)p)->lenient_reports++;
}

static const char *cb_nav(somo_rt *rt, const char *req, const char *target, void *p)
{
	(void)rt;
	(void)req;
	(void)target;
	return ((host *)p)->nav_answer;
}

static int failures, checks;

static void fail(const char *file, int line, const char *fmt, const char *a, const char *b)
{
	failures++;
	fprintf(stderr, "%s:%d: ", file, line);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

static somo_rt *make_rt(host *h, somo_scorm_version v, int lenient)
{
	static somo_rt_callbacks cb;
	somo_rt_opts o = SOMO_RT_OPTS_INIT;
	somo_rt *rt = NULL;

	cb.commit = cb_commit;
	cb.lenient = cb_lenient;
	cb.nav_request_valid = cb_nav;
	cb.payload = h;
	o.callbacks = &cb;
	o.lenient = lenient;
	o.data_map = h->map;
	o.data_map_len = h->nmap;
	if (somo_rt_new(&rt, v, &o) < 0)
		return NULL;
	return rt;
}

static const char *call(somo_rt *rt, json_t *a, char *buf)
{
	const char *c = json_string_value(json_array_get(a, 0));
	const char *x = json_array_size(a) > 1 ? json_string_value(json_array_get(a, 1)) : "";
	const char *y = json_array_size(a) > 2 ? json_string_value(json_array_get(a, 2)) : "";

	if (!strcmp(c, "Initialize") || !strcmp(c, "LMSInitialize"))
		return somo_rt_initialize(rt, x);
	if (!strcmp(c, "Terminate") || !strcmp(c, "LMSFinish"))
		return somo_rt_terminate(rt, x);
	if (!strcmp(c, "GetValue") || !strcmp(c, "LMSGetValue"))
		return somo_rt_get_value(rt, x);
	if (!strcmp(c, "SetValue") || !strcmp(c, "LMSSetValue"))
		return somo_rt_set_value(rt, x, y);
	if (!strcmp(c, "Commit") || !strcmp(c, "LMSCommit"))
		return somo_rt_commit(rt, x);
	if (!strcmp(c, "GetLastError") || !strcmp(c, "LMSGetLastError")) {
		sprintf(buf, "%d", somo_rt_last_error(rt));
		return buf;
	}
	if (!strcmp(c, "GetErrorString") || !strcmp(c, "LMSGetErrorString")) {
		int code = somo_rt_parse_code(x);
		return code < 0 ? "" : somo_rt_error_string(rt, code);
	}
	if (!strcmp(c, "GetDiagnostic") || !strcmp(c, "LMSGetDiagnostic")) {
		int code = *x ? somo_rt_parse_code(x) : somo_rt_last_error(rt);
		return code < 0 ? "" : somo_rt_diagnostic(rt, code);
	}
	return NULL;
}

/* The state written, read back into a fresh runtime. */
static somo_rt *reload(host *h, somo_rt *rt, int next, int lenient, const char *file, int line)
{
	char *a = NULL, *b = NULL;
	somo_rt *nrt = make_rt(h, somo_rt_version(rt), lenient);

	if (!nrt || somo_rt_to_json(rt, &a) < 0 || somo_rt_from_json(nrt, a) < 0) {
		fail(file, line, "state did not restore: %s%s", somo_error_last()->message, "");
		somo_free(a);
		somo_rt_free(nrt);
		return rt;
	}
	checks++;
	if (!next) {
		if (somo_rt_to_json(nrt, &b) < 0 || strcmp(a, b) != 0)
			fail(file, line, "round trip differs:\n  %s\n  %s", a, b ? b : "(null)");
	} else if (somo_rt_next_session(nrt) < 0) {
		fail(file, line, "next session failed: %s%s", somo_error_last()->message, "");
	}
	somo_free(a);
	somo_free(b);
	somo_rt_free(rt);
	return nrt;
}

static void run_file(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char line[70000], buf[32];
	int ln = 0, lenient = 0;
	somo_rt *rt = NULL;
	host h;

	memset(&h, 0, sizeof(h));
	strcpy(h.nav_answer, "unknown");
	if (!f) {
		fail(name, 0, "cannot open %s%s", path, "");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *arrow;
		size_t n = strlen(line);
		ln++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		if (!strncmp(p, "@new ", 5)) {
			somo_rt_free(rt);
			memset(&h, 0, sizeof(h));
			strcpy(h.nav_answer, "unknown");
			lenient = strstr(p, "lenient") != NULL;
			rt = make_rt(
			    &h, strncmp(p + 5, "1.2", 3) == 0 ? SOMO_SCORM_12 : SOMO_SCORM_2004,
			    lenient);
			continue;
		}
		if (!rt) {
			fail(name, ln, "no @new before %s%s", p, "");
			break;
		}
		if (!strncmp(p, "@data ", 6)) {
			char id[64], acc[8];
			if (sscanf(p + 6, "%63s %7s", id, acc) != 2 || h.nmap >= 16) {
				fail(name, ln, "bad @data %s%s", p, "");
				continue;
			}
			strcpy(h.ids[h.nmap], id);
			h.map[h.nmap].id = h.ids[h.nmap];
			h.map[h.nmap].read_shared_data = strchr(acc, 'r') != NULL;
			h.map[h.nmap].write_shared_data = strchr(acc, 'w') != NULL;
			h.nmap++;
			/* the map is given at creation: make the runtime again with it */
			somo_rt_free(rt);
			rt = make_rt(&h, SOMO_SCORM_2004, lenient);
			continue;
		}
		if (!strncmp(p, "@lms ", 5) || !strncmp(p, "@lms-fails ", 11)) {
			int must_fail = p[4] == '-';
			char *el = p + (must_fail ? 11 : 5), *sp = strchr(el, ' ');
			json_t *v;
			if (!sp || (v = json_loads(sp + 1, JSON_DECODE_ANY, NULL)) == NULL ||
			    !json_is_string(v)) {
				fail(name, ln, "bad @lms %s%s", p, "");
				continue;
			}
			*sp = '\0';
			checks++;
			if ((somo_rt_set_lms_value(rt, el, json_string_value(v)) < 0) != must_fail)
				fail(name, ln, "LMS value of %s %s", el,
				     must_fail ? "accepted" : "refused");
			json_decref(v);
			continue;
		}
		if (!strcmp(p, "@next") || !strcmp(p, "@roundtrip")) {
			rt = reload(&h, rt, p[1] == 'n', lenient, name, ln);
			continue;
		}
		if (!strcmp(p, "@commit-fails")) {
			h.commit_fails = 1;
			continue;
		}
		if (!strncmp(p, "@lenient-reports ", 17)) {
			checks++;
			if (h.lenient_reports != atoi(p + 17)) {
				sprintf(buf, "%d", h.lenient_reports);
				fail(name, ln, "lenient reports: %s, expected %s", buf, p + 17);
			}
			continue;
		}
		if (!strncmp(p, "@nav-valid ", 11)) {
			snprintf(h.nav_answer, sizeof(h.nav_answer), "%s", p + 11);
			continue;
		}
		if ((arrow = strstr(p, " => ")) == NULL) {
			fail(name, ln, "no ' => ' in %s%s", p, "");
			continue;
		}
		*arrow = '\0';
		{
			json_error_t e;
			json_t *a = json_loads(p, 0, &e);
			json_t *exp;
			const char *ret, *rest = arrow + 4, *sp;
			char got_err[16];
			/* the expected ret is a JSON string, then the error code */
			sp = strrchr(rest, ' ');
			if (!a || !json_is_array(a) || !sp) {
				fail(name, ln, "bad line: %s%s", p, "");
				json_decref(a);
				continue;
			}
			{
				char *rs = strndup(rest, (size_t)(sp - rest));
				exp = json_loads(rs, JSON_DECODE_ANY, NULL);
				free(rs);
			}
			if (!exp || !json_is_string(exp)) {
				fail(name, ln, "bad expected value: %s%s", rest, "");
				json_decref(a);
				json_decref(exp);
				continue;
			}
			ret = call(rt, a, buf);
			checks++;
			if (!ret) {
				fail(name, ln, "unknown call %s%s", p, "");
			} else {
				sprintf(got_err, "%d", somo_rt_last_error(rt));
				if (strcmp(ret, json_string_value(exp)) != 0)
					fail(name, ln, "ret \"%s\", expected \"%s\"", ret,
					     json_string_value(exp));
				else if (strcmp(got_err, sp + 1) != 0)
					fail(name, ln, "err %s, expected %s", got_err, sp + 1);
			}
			json_decref(exp);
			json_decref(a);
		}
	}
	fclose(f);
	somo_rt_free(rt);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : SOMO_SOURCE_DIR "/tests/runtime/data";
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;

	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		run_file(path, e->d_name);
		files++;
	}
	closedir(d);
	printf("runtime scripts: %d files, %d checks, %d failed\n", files, checks, failures);
	return failures || files == 0 || checks == 0 ? 1 : 0;
}
