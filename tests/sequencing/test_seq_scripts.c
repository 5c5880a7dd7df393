/*
 * Runs the sequencing scripts in the .txt files of tests/sequencing/data.
 *
 * A script names its manifest first:
 *   package corpus PATH        a package folder under the shared corpus
 *   package inline             the manifest follows, up to a line "end"
 *   seed N                     selection/randomization seed (before the first step)
 *   org ID                     the organization (default: the default one)
 * then steps, one a line ('#' starts a comment line):
 *   nav REQ [TARGET] => deliver ID | ended | refused CODE | none [CODE]
 *   report k=v ...             what the content reported: completion=, success=,
 *                              scaled=, raw=, min=, max=, progress=, session=SECONDS,
 *                              suspend, obj.ID.success= / .completion= / .scaled= /
 *                              .raw= / .min= / .max= / .progress=
 *   valid REQ [TARGET] true|false       somo_seq_request_valid()
 *   toc ID k=v ...             visible, choosable, disabled, hidden, limit, active,
 *                              suspended, attempts, completion, success, measure
 *   course k=v ...             completion, success, measure, suspended, ended
 *   global ID k=v ...          success, completion, scaled, raw, min, max, progress
 *   setglobal ID k=v ...       the host writes a global objective
 *   current ID|none
 *   delivery k=v ...           entry, attempts, threshold, passing, hide
 *   objective ID k=v ...       the current activity's objective as given to content
 *   children ID A B C ...      the available children of ID, in order
 *   available ID N             ID has N available children
 *   roundtrip                  save, restore into a fresh handle, save again: same text
 *   relaunch                   save, free, new handle, restore (a later session)
 * The program's arguments are the data folder and "inline" or "corpus": it
 * runs the scripts of that kind; corpus scripts exit 77 without the corpus.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "somo.h"

static const char *g_dir;
static const char *g_kind;
static char g_corpus[1024];
static char **g_files;
static size_t g_nfiles;

typedef struct {
	const char *file;
	int line;
	somo_manifest *man;
	somo_seq *seq;
	uint64_t seed;
	char org[256];
	bool has_org;
	char fail[1024];
} script;

#define CHECK(s, cond, ...)                                                                        \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			char _m[768];                                                              \
			snprintf(_m, sizeof(_m), __VA_ARGS__);                                     \
			snprintf((s)->fail, sizeof((s)->fail), "%s:%d: %s", (s)->file, (s)->line,  \
			         _m);                                                              \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

static int nav_of(const char *s, somo_nav_request *r)
{
	static const char *names[] = {"start",   "resumeAll",  "continue",   "previous",
	                              "choice",  "jump",       "exit",       "exitAll",
	                              "abandon", "abandonAll", "suspendAll", "_none_"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*r = (somo_nav_request)i;
			return 0;
		}
	return -1;
}

static const char *status_name(somo_seq_status s)
{
	switch (s) {
	case SOMO_SEQ_KEEP:
		return "keep";
	case SOMO_SEQ_UNKNOWN:
		return "unknown";
	case SOMO_SEQ_COMPLETED:
		return "completed";
	case SOMO_SEQ_INCOMPLETE:
		return "incomplete";
	case SOMO_SEQ_PASSED:
		return "passed";
	case SOMO_SEQ_FAILED:
		return "failed";
	}
	return "?";
}

static int status_of(const char *s, somo_seq_status *out)
{
	for (int i = SOMO_SEQ_KEEP; i <= SOMO_SEQ_FAILED; i++)
		if (strcmp(s, status_name((somo_seq_status)i)) == 0) {
			*out = (somo_seq_status)i;
			return 0;
		}
	return -1;
}

static bool num_eq(double a, const char *b)
{
	return fabs(a - strtod(b, NULL)) < 1e-6;
}

static int new_handle(script *s)
{
	somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
	o.seed = s->seed;
	somo_seq_free(s->seq);
	s->seq = NULL;
	CHECK(s, somo_seq_new(&s->seq, s->man, s->has_org ? s->org : NULL, &o) == 0,
	      "somo_seq_new: %s", somo_error_last()->message);
	return 0;
}

/* Split a line into words (in place). */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *p = strtok(line, " \t\r\n");
	while (p && n < max) {
		w[n++] = p;
		p = strtok(NULL, " \t\r\n");
	}
	return n;
}

static int fill_vals(script *s, const char *k, const char *v, somo_seq_objective_values *o)
{
	if (strcmp(k, "success") == 0 || strcmp(k, "completion") == 0) {
		somo_seq_status st;
		CHECK(s, status_of(v, &st) == 0, "bad status '%s'", v);
		if (k[0] == 's')
			o->success = st;
		else
			o->completion = st;
	} else if (strcmp(k, "scaled") == 0) {
		o->has_scaled = true;
		o->scaled = strtod(v, NULL);
	} else if (strcmp(k, "raw") == 0) {
		o->has_raw = true;
		o->raw = strtod(v, NULL);
	} else if (strcmp(k, "min") == 0) {
		o->has_min = true;
		o->min = strtod(v, NULL);
	} else if (strcmp(k, "max") == 0) {
		o->has_max = true;
		o->max = strtod(v, NULL);
	} else if (strcmp(k, "progress") == 0) {
		o->has_progress = true;
		o->progress = strtod(v, NULL);
	} else {
		CHECK(s, 0, "unknown objective field '%s'", k);
	}
	return 0;
}

static int check_vals(script *s, const char *what, const somo_seq_objective_values *o, char **w,
                      int n)
{
	for (int i = 0; i < n; i++) {
		char *eq = strchr(w[i], '=');
		CHECK(s, eq, "expected k=v, got '%s'", w[i]);
		*eq = 0;
		const char *k = w[i], *v = eq + 1;
		if (strcmp(k, "success") == 0)
			CHECK(s, strcmp(status_name(o->success), v) == 0,
			      "%s success %s, expected %s", what, status_name(o->success), v);
		else if (strcmp(k, "completion") == 0)
			CHECK(s, strcmp(status_name(o->completion), v) == 0,
			      "%s completion %s, expected %s", what, status_name(o->completion), v);
#define NUM(F, HAS)                                                                                \
	else if (strcmp(k, #F) == 0)                                                               \
	{                                                                                          \
		if (strcmp(v, "unknown") == 0)                                                     \
			CHECK(s, !o->HAS, "%s " #F " known (%g), expected unknown", what, o->F);   \
		else                                                                               \
			CHECK(s, o->HAS &&num_eq(o->F, v), "%s " #F " %s%g, expected %s", what,    \
			      o->HAS ? "" : "unknown ", o->F, v);                                  \
	}
		NUM(scaled, has_scaled)
		NUM(raw, has_raw)
		NUM(min, has_min)
		NUM(max, has_max)
		NUM(progress, has_progress)
#undef NUM
		else CHECK(s, 0, "unknown field '%s'", k);
	}
	return 0;
}

static int step_nav(script *s, char **w, int n)
{
	somo_nav_request r;
	somo_seq_result res;
	int arrow = -1;
	const char *target = NULL;

	for (int i = 0; i < n; i++)
		if (strcmp(w[i], "=>") == 0)
			arrow = i;
	CHECK(s, arrow >= 2 && arrow + 1 < n, "nav REQ [TARGET] => RESULT");
	CHECK(s, nav_of(w[1], &r) == 0, "unknown request '%s'", w[1]);
	if (arrow == 3)
		target = w[2];
	CHECK(s, somo_seq_navigate(s->seq, r, target, &res) == 0, "navigate failed: %s",
	      somo_error_last()->message);
	const char *exp = w[arrow + 1], *arg = arrow + 2 < n ? w[arrow + 2] : NULL;
	char got[512];
	snprintf(got, sizeof(got), "accepted=%d deliver=%s ended=%d exception=%s", res.accepted,
	         res.deliver ? res.deliver : "-", res.ended, res.exception ? res.exception : "-");
	if (strcmp(exp, "deliver") == 0) {
		CHECK(s, arg && res.deliver && strcmp(res.deliver, arg) == 0,
		      "nav %s: expected delivery of %s, got %s", w[1], arg ? arg : "?", got);
		CHECK(s, strcmp(somo_seq_current_id(s->seq), arg) == 0, "current is not %s", arg);
	} else if (strcmp(exp, "ended") == 0) {
		CHECK(s, res.accepted && res.ended && !res.deliver, "nav %s: expected end, got %s",
		      w[1], got);
		CHECK(s, somo_seq_current_id(s->seq) == NULL, "a current activity after the end");
	} else if (strcmp(exp, "refused") == 0) {
		CHECK(s,
		      !res.accepted && !res.deliver &&
		          (!arg || (res.exception && strcmp(res.exception, arg) == 0)),
		      "nav %s: expected refusal %s, got %s", w[1], arg ? arg : "", got);
	} else if (strcmp(exp, "none") == 0) {
		CHECK(s,
		      res.accepted && !res.deliver && !res.ended &&
		          (!arg ? !res.exception
		                : (res.exception && strcmp(res.exception, arg) == 0)),
		      "nav %s: expected nothing delivered (%s), got %s", w[1], arg ? arg : "-",
		      got);
	} else {
		CHECK(s, 0, "unknown nav result '%s'", exp);
	}
	return 0;
}

static int step_report(script *s, char **w, int n)
{
	somo_seq_report_data r = SOMO_SEQ_REPORT_INIT;
	somo_seq_objective_values objs[16];
	char ids[16][128];
	size_t nobj = 0;
	somo_seq_objective_values prim;

	memset(&prim, 0, sizeof(prim));
	memset(objs, 0, sizeof(objs));
	for (int i = 1; i < n; i++) {
		if (strcmp(w[i], "suspend") == 0) {
			r.suspend = true;
			continue;
		}
		char *eq = strchr(w[i], '=');
		CHECK(s, eq, "expected k=v, got '%s'", w[i]);
		*eq = 0;
		const char *k = w[i], *v = eq + 1;
		if (strcmp(k, "session") == 0) {
			r.session_seconds = strtod(v, NULL);
		} else if (strncmp(k, "obj.", 4) == 0) {
			const char *dot = strrchr(k, '.');
			size_t idl = (size_t)(dot - (k + 4)), j;
			CHECK(s, dot > k + 4 && idl < 128, "bad objective key '%s'", k);
			for (j = 0; j < nobj; j++)
				if (strlen(ids[j]) == idl && strncmp(ids[j], k + 4, idl) == 0)
					break;
			if (j == nobj) {
				CHECK(s, nobj < 16, "too many objectives");
				memcpy(ids[j], k + 4, idl);
				ids[j][idl] = 0;
				objs[j].id = ids[j];
				nobj++;
			}
			if (fill_vals(s, dot + 1, v, &objs[j]) < 0)
				return -1;
		} else if (fill_vals(s, k, v, &prim) < 0) {
			return -1;
		}
	}
	r.completion = prim.completion;
	r.success = prim.success;
	r.has_scaled = prim.has_scaled;
	r.scaled = prim.scaled;
	r.has_raw = prim.has_raw;
	r.raw = prim.raw;
	r.has_min = prim.has_min;
	r.min = prim.min;
	r.has_max = prim.has_max;
	r.max = prim.max;
	r.has_progress = prim.has_progress;
	r.progress = prim.progress;
	r.objectives = objs;
	r.objective_count = nobj;
	r.terminated = true;
	CHECK(s, somo_seq_report(s->seq, &r) == 0, "report failed: %s", somo_error_last()->message);
	return 0;
}

static int expect_bool(script *s, const char *what, bool got, const char *v)
{
	CHECK(s, strcmp(v, "true") == 0 || strcmp(v, "false") == 0, "bad boolean '%s'", v);
	CHECK(s, got == (strcmp(v, "true") == 0), "%s is %s, expected %s", what,
	      got ? "true" : "false", v);
	return 0;
}

static int step_toc(script *s, char **w, int n)
{
	size_t idx;
	somo_seq_toc_entry e;

	CHECK(s, n >= 2, "toc ID k=v ...");
	CHECK(s, somo_seq_find(s->seq, w[1], &idx) == 0, "no activity %s", w[1]);
	CHECK(s, somo_seq_toc_at(s->seq, idx, &e) == 0 && strcmp(e.id, w[1]) == 0,
	      "toc entry of %s", w[1]);
	for (int i = 2; i < n; i++) {
		char *eq = strchr(w[i], '=');
		CHECK(s, eq, "expected k=v, got '%s'", w[i]);
		*eq = 0;
		const char *k = w[i], *v = eq + 1;
		char what[300];
		snprintf(what, sizeof(what), "toc %s %s", w[1], k);
		int rc = 0;
		if (strcmp(k, "visible") == 0)
			rc = expect_bool(s, what, e.visible, v);
		else if (strcmp(k, "choosable") == 0)
			rc = expect_bool(s, what, e.choosable, v);
		else if (strcmp(k, "disabled") == 0)
			rc = expect_bool(s, what, e.disabled, v);
		else if (strcmp(k, "hidden") == 0)
			rc = expect_bool(s, what, e.hidden_from_choice, v);
		else if (strcmp(k, "limit") == 0)
			rc = expect_bool(s, what, e.limit_exceeded, v);
		else if (strcmp(k, "active") == 0)
			rc = expect_bool(s, what, e.active, v);
		else if (strcmp(k, "suspended") == 0)
			rc = expect_bool(s, what, e.suspended, v);
		else if (strcmp(k, "available") == 0)
			rc = expect_bool(s, what, e.available, v);
		else if (strcmp(k, "attempts") == 0)
			CHECK(s, e.attempt_count == strtoul(v, NULL, 10), "%s %u, expected %s",
			      what, e.attempt_count, v);
		else if (strcmp(k, "completion") == 0)
			CHECK(s, strcmp(status_name(e.completion), v) == 0, "%s %s, expected %s",
			      what, status_name(e.completion), v);
		else if (strcmp(k, "success") == 0)
			CHECK(s, strcmp(status_name(e.success), v) == 0, "%s %s, expected %s", what,
			      status_name(e.success), v);
		else if (strcmp(k, "measure") == 0)
			CHECK(s,
			      strcmp(v, "unknown") == 0 ? !e.has_measure
			                                : (e.has_measure && num_eq(e.measure, v)),
			      "%s %s%g, expected %s", what, e.has_measure ? "" : "unknown ",
			      e.measure, v);
		else
			CHECK(s, 0, "unknown toc field '%s'", k);
		if (rc)
			return rc;
	}
	return 0;
}

static int step_course(script *s, char **w, int n)
{
	somo_seq_course_status c;
	somo_seq_course(s->seq, &c);
	for (int i = 1; i < n; i++) {
		char *eq = strchr(w[i], '=');
		CHECK(s, eq, "expected k=v, got '%s'", w[i]);
		*eq = 0;
		const char *k = w[i], *v = eq + 1;
		if (strcmp(k, "completion") == 0)
			CHECK(s, strcmp(status_name(c.completion), v) == 0,
			      "course completion %s, expected %s", status_name(c.completion), v);
		else if (strcmp(k, "success") == 0)
			CHECK(s, strcmp(status_name(c.success), v) == 0,
			      "course success %s, expected %s", status_name(c.success), v);
		else if (strcmp(k, "measure") == 0)
			CHECK(s,
			      strcmp(v, "unknown") == 0 ? !c.has_measure
			                                : (c.has_measure && num_eq(c.measure, v)),
			      "course measure %s%g, expected %s", c.has_measure ? "" : "unknown ",
			      c.measure, v);
		else if (strcmp(k, "suspended") == 0) {
			if (expect_bool(s, "course suspended", c.suspended, v))
				return -1;
		} else if (strcmp(k, "ended") == 0) {
			if (expect_bool(s, "course ended", c.ended, v))
				return -1;
		} else if (strcmp(k, "attempts") == 0)
			CHECK(s, c.attempt_count == strtoul(v, NULL, 10),
			      "course attempts %u, expected %s", c.attempt_count, v);
		else
			CHECK(s, 0, "unknown course field '%s'", k);
	}
	return 0;
}

static int step_delivery(script *s, char **w, int n)
{
	somo_seq_delivery d;
	CHECK(s, somo_seq_current(s->seq, &d) == 0, "no current activity");
	for (int i = 1; i < n; i++) {
		char *eq = strchr(w[i], '=');
		CHECK(s, eq, "expected k=v, got '%s'", w[i]);
		*eq = 0;
		const char *k = w[i], *v = eq + 1;
		if (strcmp(k, "entry") == 0) {
			const char *e = d.entry == SOMO_SEQ_ENTRY_RESUME ? "resume" : "ab-initio";
			CHECK(s, strcmp(e, v) == 0, "entry %s, expected %s", e, v);
		} else if (strcmp(k, "attempts") == 0) {
			CHECK(s, d.attempt_count == strtoul(v, NULL, 10),
			      "attempts %u, expected %s", d.attempt_count, v);
		} else if (strcmp(k, "threshold") == 0) {
			CHECK(s,
			      strcmp(v, "none") == 0 ? !d.has_completion_threshold
			                             : (d.has_completion_threshold &&
			                                num_eq(d.completion_threshold, v)),
			      "completion threshold differs from %s", v);
		} else if (strcmp(k, "passing") == 0) {
			CHECK(s,
			      strcmp(v, "none") == 0 ? !d.has_scaled_passing_score
			                             : (d.has_scaled_passing_score &&
			                                num_eq(d.scaled_passing_score, v)),
			      "scaled passing score differs from %s", v);
		} else if (strcmp(k, "hide") == 0) {
			CHECK(s, d.hide_lms_ui == strtoul(v, NULL, 0), "hideLMSUI %u, expected %s",
			      d.hide_lms_ui, v);
		} else {
			CHECK(s, 0, "unknown delivery field '%s'", k);
		}
	}
	return 0;
}

static int step_objective(script *s, char **w, int n)
{
	size_t cnt = somo_seq_objective_count(s->seq), i;
	somo_seq_objective_values o;
	CHECK(s, n >= 2, "objective ID k=v ...");
	for (i = 0; i < cnt; i++) {
		CHECK(s, somo_seq_objective_at(s->seq, i, &o) == 0, "objective %zu", i);
		if (o.id && strcmp(o.id, w[1]) == 0)
			break;
	}
	CHECK(s, i < cnt, "the current activity has no objective %s", w[1]);
	return check_vals(s, w[1], &o, w + 2, n - 2);
}

static int step_global(script *s, char **w, int n)
{
	somo_seq_objective_values o;
	CHECK(s, n >= 2, "global ID k=v ...");
	if (n == 3 && strcmp(w[2], "absent") == 0) {
		CHECK(s, somo_seq_globals_get(somo_seq_globals_of(s->seq), w[1], &o) != 0,
		      "global %s exists", w[1]);
		return 0;
	}
	CHECK(s, somo_seq_globals_get(somo_seq_globals_of(s->seq), w[1], &o) == 0,
	      "no global objective %s", w[1]);
	return check_vals(s, w[1], &o, w + 2, n - 2);
}

static int step_setglobal(script *s, char **w, int n)
{
	somo_seq_objective_values o;
	memset(&o, 0, sizeof(o));
	CHECK(s, n >= 3, "setglobal ID k=v ...");
	o.id = w[1];
	for (int i = 2; i < n; i++) {
		char *eq = strchr(w[i], '=');
		CHECK(s, eq, "expected k=v");
		*eq = 0;
		if (fill_vals(s, w[i], eq + 1, &o) < 0)
			return -1;
	}
	CHECK(s, somo_seq_globals_set(somo_seq_globals_of(s->seq), &o) == 0, "setglobal failed");
	return 0;
}

static int step_children(script *s, char **w, int n)
{
	size_t idx, cnt = somo_seq_activity_count(s->seq), i;
	somo_seq_toc_entry e;
	int k = 2;
	CHECK(s, n >= 2 && somo_seq_find(s->seq, w[1], &idx) == 0, "children ID ...");
	for (i = 0; i < cnt; i++) {
		CHECK(s, somo_seq_toc_at(s->seq, i, &e) == 0, "toc %zu", i);
		if (!e.available || !e.parent || strcmp(e.parent, w[1]) != 0)
			continue;
		CHECK(s, k < n, "%s has more children than expected (%s)", w[1], e.id);
		CHECK(s, strcmp(e.id, w[k]) == 0, "child %d of %s is %s, expected %s", k - 1, w[1],
		      e.id, w[k]);
		k++;
	}
	CHECK(s, k == n, "%s has fewer children than expected", w[1]);
	return 0;
}

static int step_save_restore(script *s, bool relaunch)
{
	char *a = somo_seq_state_to_json(s->seq), *b = NULL;
	somo_seq *old = s->seq;
	CHECK(s, a, "save failed");
	s->seq = NULL;
	if (new_handle(s) < 0) {
		somo_free(a);
		somo_seq_free(old);
		return -1;
	}
	if (somo_seq_state_from_json(s->seq, a) != 0) {
		somo_free(a);
		somo_seq_free(old);
		CHECK(s, 0, "restore failed: %s", somo_error_last()->message);
	}
	b = somo_seq_state_to_json(s->seq);
	bool same = b && strcmp(a, b) == 0;
	somo_free(a);
	somo_free(b);
	if (relaunch) {
		somo_seq_free(old);
	} else {
		somo_seq_free(s->seq);
		s->seq = old;
	}
	CHECK(s, same, "the restored state saves differently");
	return 0;
}

static int run_step(script *s, char *line)
{
	char *w[64];
	int n = split(line, w, 64);
	if (n == 0)
		return 0;
	if (!s->seq && new_handle(s) < 0)
		return -1;
	if (strcmp(w[0], "nav") == 0)
		return step_nav(s, w, n);
	if (strcmp(w[0], "report") == 0)
		return step_report(s, w, n);
	if (strcmp(w[0], "valid") == 0) {
		somo_nav_request r;
		CHECK(s, n == 3 || n == 4, "valid REQ [TARGET] true|false");
		CHECK(s, nav_of(w[1], &r) == 0, "unknown request '%s'", w[1]);
		bool got = somo_seq_request_valid(s->seq, r, n == 4 ? w[2] : NULL);
		char what[300];
		snprintf(what, sizeof(what), "valid %s %s", w[1], n == 4 ? w[2] : "");
		return expect_bool(s, what, got, w[n - 1]);
	}
	if (strcmp(w[0], "toc") == 0)
		return step_toc(s, w, n);
	if (strcmp(w[0], "course") == 0)
		return step_course(s, w, n);
	if (strcmp(w[0], "global") == 0)
		return step_global(s, w, n);
	if (strcmp(w[0], "setglobal") == 0)
		return step_setglobal(s, w, n);
	if (strcmp(w[0], "current") == 0) {
		const char *c = somo_seq_current_id(s->seq);
		CHECK(s, n == 2, "current ID|none");
		CHECK(s, strcmp(w[1], "none") == 0 ? c == NULL : (c && strcmp(c, w[1]) == 0),
		      "current is %s, expected %s", c ? c : "none", w[1]);
		return 0;
	}
	if (strcmp(w[0], "delivery") == 0)
		return step_delivery(s, w, n);
	if (strcmp(w[0], "objective") == 0)
		return step_objective(s, w, n);
	if (strcmp(w[0], "children") == 0)
		return step_children(s, w, n);
	if (strcmp(w[0], "available") == 0) {
		size_t cnt = somo_seq_activity_count(s->seq), k = 0;
		somo_seq_toc_entry e;
		CHECK(s, n == 3, "available PARENT COUNT");
		for (size_t i = 0; i < cnt; i++)
			if (somo_seq_toc_at(s->seq, i, &e) == 0 && e.available && e.parent &&
			    strcmp(e.parent, w[1]) == 0)
				k++;
		CHECK(s, k == strtoul(w[2], NULL, 10), "%s has %zu available children, expected %s",
		      w[1], k, w[2]);
		return 0;
	}
	if (strcmp(w[0], "roundtrip") == 0)
		return step_save_restore(s, false);
	if (strcmp(w[0], "relaunch") == 0)
		return step_save_restore(s, true);
	CHECK(s, 0, "unknown step '%s'", w[0]);
	return 0;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static int run_script(script *s, char *text)
{
	char *line, *next;
	bool in_manifest = false;
	char *mstart = NULL;

	s->line = 0;
	for (line = text; line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		s->line++;
		if (in_manifest) {
			if (strncmp(line, "end", 3) == 0 &&
			    (line[3] == '\n' || line[3] == '\r' || !line[3])) {
				somo_diag d;
				in_manifest = false;
				size_t len = (size_t)(line - mstart);
				CHECK(s,
				      somo_manifest_parse_memory(&s->man, mstart, len, NULL, NULL,
				                                 &d) == 0,
				      "inline manifest: line %d: %s", d.line, d.text);
			}
			continue;
		}
		if (nl)
			*nl = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		if (strncmp(line, "package inline", 14) == 0) {
			in_manifest = true;
			mstart = next;
			CHECK(s, mstart, "inline manifest missing");
			continue;
		}
		if (strncmp(line, "package corpus ", 15) == 0) {
			char path[2048];
			somo_package *pkg = NULL;
			somo_diag d;
			snprintf(path, sizeof(path), "%s/%s", g_corpus, line + 15);
			CHECK(s, somo_package_open(&pkg, path, NULL) == 0, "open %s: %s", path,
			      somo_error_last()->message);
			int rc = somo_manifest_load(&s->man, pkg, NULL, &d);
			somo_package_free(pkg);
			CHECK(s, rc == 0, "manifest %s: %s", path, d.text);
			continue;
		}
		if (strncmp(line, "seed ", 5) == 0) {
			s->seed = strtoull(line + 5, NULL, 10);
			continue;
		}
		if (strncmp(line, "org ", 4) == 0) {
			snprintf(s->org, sizeof(s->org), "%s", line + 4);
			s->has_org = true;
			continue;
		}
		CHECK(s, s->man, "no package line before the steps");
		if (run_step(s, line) < 0)
			return -1;
	}
	CHECK(s, !in_manifest, "inline manifest without 'end'");
	return 0;
}

static void test_one(void **state)
{
	const char *name = *state;
	char path[2048];
	script s;
	char *text;
	int rc;

	memset(&s, 0, sizeof(s));
	s.file = name;
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	text = read_file(path);
	assert_non_null(text);
	rc = run_script(&s, text);
	free(text);
	somo_seq_free(s.seq);
	somo_manifest_free(s.man);
	if (rc < 0)
		fail_msg("%s", s.fail);
}

static bool is_kind(const char *name, const char *kind)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	char *t = read_file(path);
	bool corpus = t && strstr(t, "\npackage corpus ") != NULL;
	if (t && strncmp(t, "package corpus ", 15) == 0)
		corpus = true;
	free(t);
	return strcmp(kind, "corpus") == 0 ? corpus : !corpus;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	struct CMUnitTest *tests;
	const char *env;
	struct stat st;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DATA-DIR inline|corpus\n", argv[0]);
		return 2;
	}
	g_dir = argv[1];
	g_kind = argv[2];
	env = getenv("SOMO_CORPUS_DIR");
	if (env && *env)
		snprintf(g_corpus, sizeof(g_corpus), "%s", env);
	else
		snprintf(g_corpus, sizeof(g_corpus), "%s/../shared/corpus", SOMO_SOURCE_DIR);
	if (strcmp(g_kind, "corpus") == 0 && (stat(g_corpus, &st) != 0 || !S_ISDIR(st.st_mode))) {
		printf("corpus not found at %s: skipped\n", g_corpus);
		return 77;
	}
	if (!(d = opendir(g_dir))) {
		perror(g_dir);
		return 1;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0 || !is_kind(e->d_name, g_kind))
			continue;
		g_files = realloc(g_files, (g_nfiles + 1) * sizeof(*g_files));
		g_files[g_nfiles++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(g_files, g_nfiles, sizeof(*g_files), cmp);
	tests = calloc(g_nfiles + 1, sizeof(*tests));
	for (size_t i = 0; i < g_nfiles; i++) {
		tests[i].name = g_files[i];
		tests[i].test_func = test_one;
		tests[i].initial_state = g_files[i];
	}
	int rc = _cmocka_run_group_tests(g_kind, tests, g_nfiles, NULL, NULL);
	for (size_t i = 0; i < g_nfiles; i++)
		free(g_files[i]);
	free(g_files);
	free(tests);
	return rc;
}
