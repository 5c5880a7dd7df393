/*
 * A JSON-lines driver of the sequencing API, for scripts that test
 * sequencing from outside C (tests/sequencing/cts_deliveries.py). One
 * request per line on stdin, one JSON object per line on stdout:
 *
 *   ["open", PACKAGE_DIR]            -> {"ok":true}
 *   ["nav", REQUEST, TARGET|null]    -> {"accepted":..,"deliver":..,"ended":..,"exception":..}
 *   ["report", {completion, success, scaled, raw, min, max, progress,
 *               suspend, objectives:[{id, success, completion, scaled, ...}]}]
 *   ["state"]                        -> {"current":..,"hide":N,"threshold":..,"passing":..,
 *                                        "valid":{..},"toc":[{"id","title","visible","choosable"}]}
 *   ["relaunch"]                     -> save the state, make a new handle, restore it
 *   ["globals"]                      -> {"globals":[...],"global_to_system":bool}
 *   ["setglobals", [...]]            -> replace the global objectives
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "somo.h"

static somo_manifest *g_man;
static somo_seq *g_seq;

static void reply(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	puts(s ? s : "{\"error\":\"out of memory\"}");
	fflush(stdout);
	free(s);
	json_decref(j);
}

static somo_seq_status status_of(const char *s)
{
	if (!s)
		return SOMO_SEQ_KEEP;
	if (!strcmp(s, "completed"))
		return SOMO_SEQ_COMPLETED;
	if (!strcmp(s, "incomplete"))
		return SOMO_SEQ_INCOMPLETE;
	if (!strcmp(s, "passed"))
		return SOMO_SEQ_PASSED;
	if (!strcmp(s, "failed"))
		return SOMO_SEQ_FAILED;
	if (!strcmp(s, "unknown"))
		return SOMO_SEQ_UNKNOWN;
	return SOMO_SEQ_KEEP;
}

static bool num(json_t *o, const char *k, double *v)
{
	json_t *x = json_object_get(o, k);
	if (!json_is_number(x))
		return false;
	*v = json_number_value(x);
	return true;
}

static void do_report(json_t *r)
{
	somo_seq_report_data d = SOMO_SEQ_REPORT_INIT;
	somo_seq_objective_values objs[64];
	json_t *arr = json_object_get(r, "objectives"), *o;
	size_t i, n = 0;

	d.completion = status_of(json_string_value(json_object_get(r, "completion")));
	d.success = status_of(json_string_value(json_object_get(r, "success")));
	d.has_scaled = num(r, "scaled", &d.scaled);
	d.has_raw = num(r, "raw", &d.raw);
	d.has_min = num(r, "min", &d.min);
	d.has_max = num(r, "max", &d.max);
	d.has_progress = num(r, "progress", &d.progress);
	d.suspend = json_is_true(json_object_get(r, "suspend"));
	d.terminated = true;
	memset(objs, 0, sizeof(objs));
	json_array_foreach (arr, i, o) {
		if (n == 64)
			break;
		objs[n].id = json_string_value(json_object_get(o, "id"));
		objs[n].success = status_of(json_string_value(json_object_get(o, "success")));
		objs[n].completion = status_of(json_string_value(json_object_get(o, "completion")));
		objs[n].has_scaled = num(o, "scaled", &objs[n].scaled);
		objs[n].has_raw = num(o, "raw", &objs[n].raw);
		objs[n].has_min = num(o, "min", &objs[n].min);
		objs[n].has_max = num(o, "max", &objs[n].max);
		objs[n].has_progress = num(o, "progress", &objs[n].progress);
		if (objs[n].id)
			n++;
	}
	d.objectives = objs;
	d.objective_count = n;
	int rc = somo_seq_report(g_seq, &d);
	reply(json_pack("{s:b,s:s}", "ok", rc == 0, "error", rc ? somo_error_last()->message : ""));
}

static void do_state(void)
{
	somo_seq_nav_state v;
	somo_seq_delivery d;
	json_t *toc = json_array(), *j;
	size_t i, n = somo_seq_activity_count(g_seq);
	bool cur = somo_seq_current(g_seq, &d) == 0;

	somo_seq_nav_valid(g_seq, &v);
	for (i = 0; i < n; i++) {
		somo_seq_toc_entry e;
		if (somo_seq_toc_at(g_seq, i, &e) == 0)
			json_array_append_new(toc, json_pack("{s:s,s:s,s:b,s:b,s:i}", "id", e.id,
			                                     "title", e.title, "visible", e.visible,
			                                     "choosable", e.choosable, "depth",
			                                     e.depth));
	}
	j = json_pack("{s:o,s:i,s:b,s:{s:b,s:b,s:b,s:b,s:b},s:o}", "current",
	              cur ? json_string(d.id) : json_null(), "hide", cur ? (int)d.hide_lms_ui : 0,
	              "active", cur && d.active, "valid", "continue", v.continue_, "previous",
	              v.previous, "exit", v.exit, "exitAll", v.exit_all, "suspendAll",
	              v.suspend_all, "toc", toc);
	if (cur && d.has_completion_threshold)
		json_object_set_new(j, "threshold", json_real(d.completion_threshold));
	if (cur && d.has_scaled_passing_score)
		json_object_set_new(j, "passing", json_real(d.scaled_passing_score));
	reply(j);
}

static int nav_of(const char *name, somo_nav_request *r)
{
	for (int i = 0; i <= SOMO_NAV_NONE; i++)
		if (strcmp(somo_nav_name((somo_nav_request)i), name) == 0) {
			*r = (somo_nav_request)i;
			return 0;
		}
	return -1;
}

int main(void)
{
	char line[1 << 16];

	while (fgets(line, sizeof(line), stdin)) {
		json_error_t err;
		json_t *req = json_loads(line, 0, &err);
		const char *cmd = json_string_value(json_array_get(req, 0));
		if (!cmd) {
			reply(json_pack("{s:s}", "error", "not a request"));
		} else if (!strcmp(cmd, "open")) {
			somo_package *pkg = NULL;
			somo_diag d;
			somo_seq_free(g_seq);
			somo_manifest_free(g_man);
			g_seq = NULL;
			g_man = NULL;
			int rc = somo_package_open(&pkg, json_string_value(json_array_get(req, 1)),
			                           NULL);
			if (rc == 0)
				rc = somo_manifest_load(&g_man, pkg, NULL, &d);
			somo_package_free(pkg);
			if (rc == 0)
				rc = somo_seq_new(&g_seq, g_man, NULL, NULL);
			reply(json_pack("{s:b,s:s}", "ok", rc == 0, "error",
			                rc ? somo_error_last()->message : ""));
		} else if (!g_seq) {
			reply(json_pack("{s:s}", "error", "no package"));
		} else if (!strcmp(cmd, "nav")) {
			somo_nav_request r;
			somo_seq_result res;
			const char *name = json_string_value(json_array_get(req, 1));
			if (!name || nav_of(name, &r) != 0) {
				reply(json_pack("{s:s}", "error", "bad request"));
			} else {
				somo_seq_navigate(g_seq, r,
				                  json_string_value(json_array_get(req, 2)), &res);
				reply(json_pack(
				    "{s:b,s:o,s:b,s:o}", "accepted", res.accepted, "deliver",
				    res.deliver ? json_string(res.deliver) : json_null(), "ended",
				    res.ended, "exception",
				    res.exception ? json_string(res.exception) : json_null()));
			}
		} else if (!strcmp(cmd, "report")) {
			do_report(json_array_get(req, 1));
		} else if (!strcmp(cmd, "state")) {
			do_state();
		} else if (!strcmp(cmd, "valid")) {
			somo_nav_request r;
			const char *name = json_string_value(json_array_get(req, 1));
			bool v = name && nav_of(name, &r) == 0 &&
			         somo_seq_request_valid(g_seq, r,
			                                json_string_value(json_array_get(req, 2)));
			reply(json_pack("{s:b}", "valid", v));
		} else if (!strcmp(cmd, "globals")) {
			char *g = somo_seq_globals_to_json(somo_seq_globals_of(g_seq));
			json_t *gj = g ? json_loads(g, 0, NULL) : NULL;
			somo_free(g);
			reply(json_pack(
			    "{s:o,s:b}", "globals", gj ? gj : json_array(), "global_to_system",
			    somo_manifest_default_org(g_man)->objectives_global_to_system));
		} else if (!strcmp(cmd, "setglobals")) {
			char *g = json_dumps(json_array_get(req, 1), JSON_COMPACT);
			int rc = g ? somo_seq_globals_from_json(somo_seq_globals_of(g_seq), g) : -1;
			free(g);
			reply(json_pack("{s:b}", "ok", rc == 0));
		} else if (!strcmp(cmd, "relaunch")) {
			char *s = somo_seq_state_to_json(g_seq);
			somo_seq_free(g_seq);
			g_seq = NULL;
			int rc = somo_seq_new(&g_seq, g_man, NULL, NULL);
			if (rc == 0 && s)
				rc = somo_seq_state_from_json(g_seq, s);
			somo_free(s);
			reply(json_pack("{s:b}", "ok", rc == 0));
		} else {
			reply(json_pack("{s:s}", "error", "unknown request"));
		}
		json_decref(req);
	}
	somo_seq_free(g_seq);
	somo_manifest_free(g_man);
	return 0;
}
