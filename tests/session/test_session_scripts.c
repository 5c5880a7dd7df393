/*
 * Session scripts as data: tests/session/data/NAME.jsonl holds input lines
 * (JSON arrays, as `somo session` reads them) each followed by the reply
 * expected (a JSON object; its keys must be in the reply with equal values,
 * objects compared the same way recursively, arrays element by element and
 * of the same length; "!key": true says the key must be absent). Lines
 * starting with # are comments. Directives are objects without "call":
 *
 *   {"package":"corpus:scorm/packages-scorm2004/X"}   or "source:examples/..."
 *   {"learner":"k-001","name":"Kim","seed":"7"}         (with the package line)
 *   {"restart":true}    end the process (or session) and start again on the same store
 *   {"restart":true,"package":"corpus:..."}   ... with another package, same learner
 *
 * Usage: test_session_scripts lib|cli SCRIPT.jsonl
 *   lib  plays the script through the library (this program is the host,
 *        closing and reopening the SQLite store at each restart);
 *   cli  runs `somo session PACKAGE --db FILE --learner ID` for each part.
 * Exit 77 when the script needs the corpus and it is absent.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static int failures;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
	} while (0)

/* ---- matching --------------------------------------------------------- */

static bool match(json_t *want, json_t *got, char *path, size_t cap);

static bool match_object(json_t *want, json_t *got, char *path, size_t cap)
{
	const char *key;
	json_t *v;
	size_t len = strlen(path);
	bool ok = true;

	if (!json_is_object(got))
		return false;
	json_object_foreach (want, key, v) {
		snprintf(path + len, cap - len, ".%s", key);
		if (key[0] == '!') {
			if (json_object_get(got, key + 1)) {
				ok = false;
				break;
			}
			continue;
		}
		if (!json_object_get(got, key) || !match(v, json_object_get(got, key), path, cap)) {
			ok = false;
			break;
		}
	}
	if (ok)
		path[len] = '\0';
	return ok;
}

static bool match(json_t *want, json_t *got, char *path, size_t cap)
{
	size_t i, len = strlen(path);

	if (json_is_object(want))
		return match_object(want, got, path, cap);
	if (json_is_array(want)) {
		if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
			return false;
		for (i = 0; i < json_array_size(want); i++) {
			snprintf(path + len, cap - len, "[%zu]", i);
			if (!match(json_array_get(want, i), json_array_get(got, i), path, cap))
				return false;
		}
		path[len] = '\0';
		return true;
	}
	return json_equal(want, got);
}

/* ---- the script --------------------------------------------------------- */

typedef struct {
	json_t *in;    /* array, or NULL for a restart marker */
	json_t *want;  /* expected reply or NULL */
	char *package; /* a restart on another package: its path, else NULL */
	int line;
} step;

typedef struct {
	char package[4096];
	char learner[256];
	char name[256];
	char seed[32];
	step *steps;
	size_t count;
} script;

static const char *corpus_dir(void)
{
	static char buf[4096];
	const char *e = getenv("SOMO_CORPUS_DIR");
	struct stat sb;

	if (e && *e)
		snprintf(buf, sizeof(buf), "%s", e);
	else
		snprintf(buf, sizeof(buf), "%s/../shared/corpus", SOMO_SOURCE_DIR);
	return stat(buf, &sb) == 0 ? buf : NULL;
}

/* "corpus:X" or "source:X" as a path (malloc'd); 77 when the corpus is absent. */
static int resolve(const char *pkg, char **out)
{
	char buf[8192];
	const char *cdir = corpus_dir();

	if (!strncmp(pkg, "corpus:", 7)) {
		if (!cdir)
			return 77;
		snprintf(buf, sizeof(buf), "%s/%s", cdir, pkg + 7);
	} else if (!strncmp(pkg, "source:", 7)) {
		snprintf(buf, sizeof(buf), "%s/%s", SOMO_SOURCE_DIR, pkg + 7);
	} else {
		snprintf(buf, sizeof(buf), "%s", pkg);
	}
	*out = strdup(buf);
	return 0;
}

static int load_script(const char *path, script *sc)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->learner, sizeof(sc->learner), "learner");
	if (!f) {
		perror(path);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		json_error_t jerr;
		json_t *v;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		v = json_loads(line, JSON_DECODE_ANY, &jerr);
		if (!v) {
			fprintf(stderr, "%s:%d: %s\n", path, lineno, jerr.text);
			free(line);
			fclose(f);
			return -1;
		}
		if (json_is_array(v) || json_is_true(json_object_get(v, "restart"))) {
			const char *pkg = json_string_value(json_object_get(v, "package"));
			char *ppath = NULL;
			if (pkg && resolve(pkg, &ppath) != 0) {
				json_decref(v);
				free(line);
				fclose(f);
				return 77;
			}
			sc->steps = realloc(sc->steps, (sc->count + 1) * sizeof(*sc->steps));
			sc->steps[sc->count].in = json_is_array(v) ? v : NULL;
			sc->steps[sc->count].want = NULL;
			sc->steps[sc->count].package = ppath;
			sc->steps[sc->count].line = lineno;
			sc->count++;
			if (!json_is_array(v))
				json_decref(v);
		} else if (json_object_get(v, "call") || json_object_get(v, "error")) {
			if (!sc->count || sc->steps[sc->count - 1].want ||
			    !sc->steps[sc->count - 1].in) {
				fprintf(stderr,
				        "%s:%d: an expected reply must follow an input line\n",
				        path, lineno);
				json_decref(v);
				free(line);
				fclose(f);
				return -1;
			}
			sc->steps[sc->count - 1].want = v;
		} else {
			const char *pkg = json_string_value(json_object_get(v, "package"));
			const char *s;
			if (pkg) {
				char *p = NULL;
				if (resolve(pkg, &p) != 0) {
					json_decref(v);
					free(line);
					fclose(f);
					return 77;
				}
				snprintf(sc->package, sizeof(sc->package), "%s", p);
				free(p);
			}
			if ((s = json_string_value(json_object_get(v, "learner"))))
				snprintf(sc->learner, sizeof(sc->learner), "%s", s);
			if ((s = json_string_value(json_object_get(v, "name"))))
				snprintf(sc->name, sizeof(sc->name), "%s", s);
			if ((s = json_string_value(json_object_get(v, "seed"))))
				snprintf(sc->seed, sizeof(sc->seed), "%s", s);
			json_decref(v);
		}
	}
	free(line);
	fclose(f);
	if (!sc->package[0]) {
		fprintf(stderr, "%s: no {\"package\":...} line\n", path);
		return -1;
	}
	return 0;
}

static void check(const char *file, const step *st, json_t *got)
{
	char path[512] = "";

	if (!st->want)
		return;
	if (!got) {
		FAIL("%s:%d: no reply", file, st->line);
		return;
	}
	if (!match(st->want, got, path, sizeof(path))) {
		char *w = json_dumps(st->want, JSON_COMPACT), *g = json_dumps(got, JSON_COMPACT);
		FAIL("%s:%d: at %s\n  want %s\n  got  %s", file, st->line, path[0] ? path : "(top)",
		     w, g);
		free(w);
		free(g);
	}
}

/* ---- the library as host (the protocol of DESIGN.md) -------------------- */

static const char *status_text(somo_seq_status st)
{
	switch (st) {
	case SOMO_SEQ_COMPLETED:
		return "completed";
	case SOMO_SEQ_INCOMPLETE:
		return "incomplete";
	case SOMO_SEQ_PASSED:
		return "passed";
	case SOMO_SEQ_FAILED:
		return "failed";
	default:
		return "unknown";
	}
}

static void put_deliver(json_t *o, const somo_session_nav *nav)
{
	if (nav->deliver)
		json_object_set_new(o, "deliver", json_string(nav->deliver));
	else if (nav->ended)
		json_object_set_new(o, "deliver", json_null());
}

static json_t *host_line(somo_session *s, json_t *in)
{
	static const char *const verbs[] = {"start",   "resumeAll",  "continue",  "previous",
	                                    "choice",  "jump",       "exit",      "exitAll",
	                                    "abandon", "abandonAll", "suspendAll"};
	const char *call = json_string_value(json_array_get(in, 0));
	const char *a1 = json_string_value(json_array_get(in, 1));
	const char *a2 = json_string_value(json_array_get(in, 2));
	const char *ret;
	char err[16];
	somo_session_nav nav;
	json_t *o;
	size_t i;

	if (!a1)
		a1 = "";
	if (!strcmp(call, "navigate")) {
		for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			if (!strcmp(a1, verbs[i]))
				break;
		if (i == sizeof(verbs) / sizeof(verbs[0]))
			return json_pack("{s:s}", "error", "unknown navigation request");
		if (somo_session_navigate(s, (somo_nav_request)i, a2, &nav) < 0)
			return json_pack("{s:s,s:b,s:n,s:s}", "call", "navigate", "ok", 0,
			                 "deliver", "reason", somo_error_last()->message);
		o = json_pack("{s:s,s:b}", "call", "navigate", "ok", nav.accepted);
		if (!nav.accepted) {
			json_object_set_new(o, "deliver", json_null());
			json_object_set_new(o, "reason", json_string(nav.reason ? nav.reason : ""));
		} else {
			put_deliver(o, &nav);
		}
		return o;
	}
	if (!strcmp(call, "state")) {
		somo_seq_nav_state v;
		somo_seq_course_status c;
		somo_session_toc_entry e;
		json_t *toc = json_array();
		char m[40];
		const char *cur = somo_session_current(s);

		somo_session_nav_valid(s, &v);
		somo_session_course(s, &c);
		for (i = 0; i < somo_session_toc_count(s); i++)
			if (somo_session_toc_at(s, i, &e) == 0)
				json_array_append_new(toc, json_pack("{s:s,s:s,s:b,s:b}", "id",
				                                     e.id, "title", e.title,
				                                     "visible", e.visible,
				                                     "choosable", e.choosable));
		snprintf(m, sizeof(m), "%.7g", c.measure);
		return json_pack("{s:s,s:o,s:{s:b,s:b,s:b,s:b,s:b},s:o,s:{s:s,s:s,s:o}}", "call",
		                 "state", "current", cur ? json_string(cur) : json_null(), "valid",
		                 "continue", v.continue_, "previous", v.previous, "exit", v.exit,
		                 "exitAll", v.exit_all, "suspendAll", v.suspend_all, "toc", toc,
		                 "course", "completion", status_text(c.completion), "success",
		                 status_text(c.success), "measure",
		                 c.has_measure ? json_string(m) : json_null());
	}
	memset(&nav, 0, sizeof(nav));
	if (!strcmp(call, "Initialize") || !strcmp(call, "LMSInitialize"))
		ret = somo_session_initialize(s, a1);
	else if (!strcmp(call, "Terminate") || !strcmp(call, "LMSFinish"))
		ret = somo_session_terminate(s, a1, &nav);
	else if (!strcmp(call, "GetValue") || !strcmp(call, "LMSGetValue"))
		ret = somo_session_get_value(s, a1);
	else if (!strcmp(call, "SetValue") || !strcmp(call, "LMSSetValue"))
		ret = somo_session_set_value(s, a1, a2 ? a2 : "");
	else if (!strcmp(call, "Commit") || !strcmp(call, "LMSCommit"))
		ret = somo_session_commit(s, a1);
	else if (!strcmp(call, "GetLastError") || !strcmp(call, "LMSGetLastError")) {
		snprintf(err, sizeof(err), "%d", somo_session_last_error(s));
		ret = err;
	} else if (!strcmp(call, "GetErrorString") || !strcmp(call, "LMSGetErrorString")) {
		int code = somo_rt_parse_code(a1);
		ret = code < 0 ? "" : somo_session_error_string(s, code);
	} else if (!strcmp(call, "GetDiagnostic") || !strcmp(call, "LMSGetDiagnostic")) {
		int code = *a1 ? somo_rt_parse_code(a1) : somo_session_last_error(s);
		ret = code < 0 ? "" : somo_session_diagnostic(s, code);
	} else {
		return json_pack("{s:s}", "error", "unknown call");
	}
	o = json_pack("{s:s,s:s}", "call", call, "ret", ret);
	snprintf(err, sizeof(err), "%d", somo_session_last_error(s));
	json_object_set_new(o, "err", json_string(err));
	if (nav.accepted || nav.deliver || nav.ended)
		put_deliver(o, &nav);
	return o;
}

static int load_package(const char *path, somo_package **pkg, somo_manifest **man)
{
	somo_manifest_free(*man);
	somo_package_free(*pkg);
	*man = NULL;
	*pkg = NULL;
	if (somo_package_open(pkg, path, NULL) < 0 || somo_manifest_load(man, *pkg, NULL, NULL) < 0)
		return -1;
	return 0;
}

static int run_lib(const char *file, const script *sc, const char *db)
{
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;
	size_t i;
	bool open = false;

	if (load_package(sc->package, &pkg, &man) < 0) {
		FAIL("%s: %s: %s", file, sc->package, somo_error_last()->message);
		goto out;
	}
	o.package_path = sc->package;
	o.learner_name = sc->name[0] ? sc->name : NULL;
	o.seed = sc->seed[0] ? strtoull(sc->seed, NULL, 10) : 0;
	for (i = 0; i <= sc->count; i++) {
		if (!open) {
			if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
			    somo_session_open(&s, st, man, sc->learner, &o) < 0) {
				FAIL("%s: open: %s", file, somo_error_last()->message);
				goto out;
			}
			open = true;
		}
		if (i == sc->count)
			break;
		if (!sc->steps[i].in) { /* restart */
			somo_session_free(s);
			somo_store_close(st);
			s = NULL;
			st = NULL;
			open = false;
			if (sc->steps[i].package) {
				if (load_package(sc->steps[i].package, &pkg, &man) < 0) {
					FAIL("%s: %s: %s", file, sc->steps[i].package,
					     somo_error_last()->message);
					goto out;
				}
				o.package_path = sc->steps[i].package;
			}
			continue;
		}
		{
			json_t *got = host_line(s, sc->steps[i].in);
			check(file, &sc->steps[i], got);
			json_decref(got);
		}
	}
out:
	somo_session_free(s);
	somo_store_close(st);
	somo_manifest_free(man);
	somo_package_free(pkg);
	return 0;
}

/* ---- somo session as a process ------------------------------------------ */

static const char *somo_binary(void)
{
	static char buf[4096];
	const char *e = getenv("SOMO_BIN");

	if (e && *e)
		return e;
	snprintf(buf, sizeof(buf), "%s/somo", SOMO_BINARY_DIR);
	return buf;
}

static int run_part(const char *file, const script *sc, const char *package, const char *db,
                    size_t from, size_t to)
{
	char inpath[] = "/tmp/somo-session-in-XXXXXX";
	char cmd[16384];
	int fd = mkstemp(inpath), status;
	FILE *in, *out;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t n;

	if (fd < 0 || !(in = fdopen(fd, "w"))) {
		FAIL("%s: cannot write a temporary file", file);
		return -1;
	}
	for (i = from; i < to; i++) {
		char *s = json_dumps(sc->steps[i].in, JSON_COMPACT);
		fprintf(in, "%s\n", s);
		free(s);
	}
	fclose(in);
	snprintf(cmd, sizeof(cmd), "'%s' session '%s' --db '%s' --learner '%s'%s%s%s%s%s%s < '%s'",
	         somo_binary(), package, db, sc->learner, sc->name[0] ? " --name '" : "", sc->name,
	         sc->name[0] ? "'" : "", sc->seed[0] ? " --seed " : "", sc->seed, "", inpath);
	if (!(out = popen(cmd, "r"))) {
		FAIL("%s: cannot run %s", file, somo_binary());
		unlink(inpath);
		return -1;
	}
	for (i = from; i < to; i++) {
		json_t *got = NULL;
		if ((n = getline(&line, &cap, out)) >= 0)
			got = json_loads(line, 0, NULL);
		check(file, &sc->steps[i], got);
		json_decref(got);
	}
	if (getline(&line, &cap, out) >= 0)
		FAIL("%s: more replies than inputs: %s", file, line);
	free(line);
	status = pclose(out);
	unlink(inpath);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("%s: somo session exited with status %d (lines %d..)", file,
		     WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		     from < sc->count ? sc->steps[from].line : 0);
	return 0;
}

static int run_cli(const char *file, const script *sc, const char *db)
{
	size_t i, from = 0;
	struct stat sb;

	if (stat(somo_binary(), &sb) != 0) {
		FAIL("%s: no somo binary at %s", file, somo_binary());
		return -1;
	}
	const char *package = sc->package;

	for (i = 0; i <= sc->count; i++) {
		if (i == sc->count || !sc->steps[i].in) {
			run_part(file, sc, package, db, from, i);
			from = i + 1;
			if (i < sc->count && sc->steps[i].package)
				package = sc->steps[i].package;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	script sc;
	char db[] = "/tmp/somo-session-db-XXXXXX";
	char dbfile[64];
	int rc, fd;
	size_t i;

	if (argc != 3 || (strcmp(argv[1], "lib") && strcmp(argv[1], "cli"))) {
		fprintf(stderr, "usage: test_session_scripts lib|cli SCRIPT.jsonl\n");
		return 2;
	}
	if ((rc = load_script(argv[2], &sc)) != 0)
		return rc == 77 ? 77 : 1;
	if (!mkdtemp(db)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbfile, sizeof(dbfile), "%s/somo.db", db);
	(void)fd;
	if (!strcmp(argv[1], "lib"))
		run_lib(argv[2], &sc, dbfile);
	else
		run_cli(argv[2], &sc, dbfile);
	{
		char rm[128];
		snprintf(rm, sizeof(rm), "rm -rf '%s'", db);
		if (system(rm) != 0)
			fprintf(stderr, "could not remove %s\n", db);
	}
	for (i = 0; i < sc.count; i++) {
		json_decref(sc.steps[i].in);
		json_decref(sc.steps[i].want);
		free(sc.steps[i].package);
	}
	free(sc.steps);
	printf("%s (%s): %zu steps, %d failures\n", argv[2], argv[1], sc.count, failures);
	return failures ? 1 : 0;
}
