/*
 * somo session: the scripted session harness (DESIGN.md). A whole package is
 * played headlessly: API calls (to the SCO delivered at that moment),
 * navigation and inspection come in on standard input, one JSON array per
 * line; one JSON object per line goes out:
 *
 *   ["navigate","start"]      -> {"call":"navigate","ok":true,"deliver":"ITEM_ID"}
 *   ["Initialize",""]         -> {"call":"Initialize","ret":"true","err":"0"}
 *   ["Terminate",""]          -> {"call":"Terminate","ret":"true","err":"0","deliver":"NEXT"}
 *   ["state"]                 ->
 * {"call":"state","current":...,"valid":{...},"toc":[...],"course":{...}}
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static const char *usage_text =
    "usage: somo session PACKAGE [--learner ID] [--name NAME] [--db FILE] [--seed N] [--lenient]\n"
    "                    [--xapi-base IRI [--xapi-home IRI]]\n"
    "\n"
    "Plays a SCORM 1.2 or SCORM 2004 package headlessly. Reads one JSON array per\n"
    "line from standard input and writes one JSON object per line:\n"
    "  [\"navigate\",\"start\"]              start, resumeAll, continue, previous,\n"
    "  [\"navigate\",\"choice\",\"ITEM\"]      choice, jump, exit, exitAll, abandon,\n"
    "                                    abandonAll, suspendAll\n"
    "  [\"Initialize\",\"\"] [\"GetValue\",\"cmi.location\"] [\"SetValue\",E,V] [\"Commit\",\"\"]\n"
    "  [\"Terminate\",\"\"] [\"GetLastError\"] [\"GetErrorString\",\"N\"] "
    "[\"GetDiagnostic\",\"N\"]\n"
    "                                    the API of the delivered SCO (SCORM 1.2's\n"
    "                                    LMSxxx names too)\n"
    "  [\"state\"]                         current activity, valid requests, table of\n"
    "                                    contents and the course's status\n"
    "\n"
    "  --learner ID   the learner (default \"learner\")\n"
    "  --name NAME    the learner's name (cmi.learner_name)\n"
    "  --db FILE      the SQLite store: the state persists and running again with the\n"
    "                 same learner resumes; without it the store is in memory and\n"
    "                 nothing is kept\n"
    "  --seed N       seed of selection and randomization (repeatable runs)\n"
    "  --lenient      accept common authoring-tool deviations in API values\n"
    "  --xapi-base IRI  put xAPI statements (ADL's SCORM profile verbs) into the\n"
    "                 store's outbox, naming the course IRI and each activity\n"
    "                 IRI + item id; --xapi-home IRI is the learner account's\n"
    "                 homePage (default: the base)\n";

#define LINE_MAX_BYTES (16u << 20)

static const struct {
	const char *name;
	somo_nav_request req;
} verbs[] = {
    {"start", SOMO_NAV_START},
    {"resumeAll", SOMO_NAV_RESUME_ALL},
    {"continue", SOMO_NAV_CONTINUE},
    {"previous", SOMO_NAV_PREVIOUS},
    {"choice", SOMO_NAV_CHOICE},
    {"jump", SOMO_NAV_JUMP},
    {"exit", SOMO_NAV_EXIT},
    {"exitAll", SOMO_NAV_EXIT_ALL},
    {"abandon", SOMO_NAV_ABANDON},
    {"abandonAll", SOMO_NAV_ABANDON_ALL},
    {"suspendAll", SOMO_NAV_SUSPEND_ALL},
};

/* "deliver": the id when delivered, null when the session ended, absent otherwise. */
static void add_deliver(json_t *obj, const somo_session_nav *nav)
{
	if (nav->deliver)
		json_object_set_new(obj, "deliver", json_string(nav->deliver));
	else if (nav->ended)
		json_object_set_new(obj, "deliver", json_null());
}

static void do_navigate(somo_session *s, json_t *a)
{
	const char *verb = somo_cli_arg(a, 1), *target = NULL;
	somo_session_nav nav;
	json_t *obj;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (verb && !strcmp(verb, verbs[i].name))
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		somo_cli_emit_error("unknown navigation request '%.100s'", verb ? verb : "");
		return;
	}
	if (verbs[i].req == SOMO_NAV_CHOICE || verbs[i].req == SOMO_NAV_JUMP) {
		target = json_array_size(a) > 2 ? somo_cli_arg(a, 2) : NULL;
		if (!target || !*target) {
			somo_cli_emit_error(
			    "%s needs a target: [\"navigate\",\"choice\",\"ITEM_ID\"]", verb);
			return;
		}
	}
	rc = somo_session_navigate(s, verbs[i].req, target, &nav);
	obj = json_pack("{s:s,s:b}", "call", "navigate", "ok", rc == 0 && nav.accepted);
	if (rc < 0) {
		json_object_set_new(obj, "ok", json_false());
		json_object_set_new(obj, "deliver", json_null());
		json_object_set_new(obj, "reason", json_string(somo_error_last()->message));
	} else if (!nav.accepted) {
		json_object_set_new(obj, "deliver", json_null());
		json_object_set_new(obj, "reason",
		                    json_string(nav.reason ? nav.reason : "refused"));
	} else {
		add_deliver(obj, &nav);
	}
	somo_cli_emit(obj);
}

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

static void do_state(somo_session *s)
{
	somo_seq_nav_state v;
	somo_seq_course_status c;
	somo_session_toc_entry e;
	const char *cur = somo_session_current(s);
	json_t *obj, *toc = json_array();
	size_t i, n = somo_session_toc_count(s);
	char measure[40];

	somo_session_nav_valid(s, &v);
	somo_session_course(s, &c);
	for (i = 0; i < n; i++) {
		if (somo_session_toc_at(s, i, &e) < 0)
			continue;
		json_array_append_new(toc, json_pack("{s:s,s:s,s:b,s:b}", "id", e.id, "title",
		                                     e.title ? e.title : "", "visible", e.visible,
		                                     "choosable", e.choosable));
	}
	obj = json_pack("{s:s,s:o,s:{s:b,s:b,s:b,s:b,s:b},s:o}", "call", "state", "current",
	                cur ? json_string(cur) : json_null(), "valid", "continue", v.continue_,
	                "previous", v.previous, "exit", v.exit, "exitAll", v.exit_all, "suspendAll",
	                v.suspend_all, "toc", toc);
	snprintf(measure, sizeof(measure), "%.7g", c.measure);
	json_object_set_new(obj, "course",
	                    json_pack("{s:s,s:s,s:o}", "completion", status_text(c.completion),
	                              "success", status_text(c.success), "measure",
	                              c.has_measure ? json_string(measure) : json_null()));
	somo_cli_emit(obj);
}

static void run_line(somo_session *s, const char *line)
{
	json_t *a = somo_cli_parse_call(line), *obj;
	const char *call, *ret;
	char errbuf[16];
	somo_session_nav nav;
	bool terminate = false;

	if (!a)
		return;
	call = json_string_value(json_array_get(a, 0));
	memset(&nav, 0, sizeof(nav));
	if (!strcmp(call, "navigate")) {
		do_navigate(s, a);
		json_decref(a);
		return;
	}
	if (!strcmp(call, "state")) {
		do_state(s);
		json_decref(a);
		return;
	}
	if (somo_cli_call_is(call, "Initialize", "LMSInitialize"))
		ret = somo_session_initialize(s, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "Terminate", "LMSFinish")) {
		ret = somo_session_terminate(s, somo_cli_arg(a, 1), &nav);
		terminate = strcmp(ret, "true") == 0;
	} else if (somo_cli_call_is(call, "GetValue", "LMSGetValue"))
		ret = somo_session_get_value(s, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "SetValue", "LMSSetValue"))
		ret = somo_session_set_value(s, somo_cli_arg(a, 1), somo_cli_arg(a, 2));
	else if (somo_cli_call_is(call, "Commit", "LMSCommit"))
		ret = somo_session_commit(s, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "GetLastError", "LMSGetLastError")) {
		snprintf(errbuf, sizeof(errbuf), "%d", somo_session_last_error(s));
		ret = errbuf;
	} else if (somo_cli_call_is(call, "GetErrorString", "LMSGetErrorString")) {
		int code = somo_rt_parse_code(somo_cli_arg(a, 1));
		ret = code < 0 ? "" : somo_session_error_string(s, code);
	} else if (somo_cli_call_is(call, "GetDiagnostic", "LMSGetDiagnostic")) {
		const char *p = somo_cli_arg(a, 1);
		int code = *p ? somo_rt_parse_code(p) : somo_session_last_error(s);
		ret = code < 0 ? "" : somo_session_diagnostic(s, code);
	} else {
		somo_cli_emit_error("unknown call '%.100s'", call);
		json_decref(a);
		return;
	}
	obj = json_pack("{s:s,s:s}", "call", call, "ret", ret);
	snprintf(errbuf, sizeof(errbuf), "%d", somo_session_last_error(s));
	json_object_set_new(obj, "err", json_string(errbuf));
	if (terminate)
		add_deliver(obj, &nav);
	somo_cli_emit(obj);
	json_decref(a);
}

int somo_cmd_session(int argc, char **argv)
{
	somo_session_opts opts = SOMO_SESSION_OPTS_INIT;
	const char *path = NULL, *learner = "learner", *db = NULL;
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_diag diag;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int i, status = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--learner") && i + 1 < argc) {
			learner = argv[++i];
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			opts.learner_name = argv[++i];
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			db = argv[++i];
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			char *end;
			opts.seed = strtoull(argv[++i], &end, 10);
			if (*end || !*argv[i]) {
				fprintf(stderr, "somo session: --seed takes a number, not '%s'\n",
				        argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--xapi-base") && i + 1 < argc) {
			opts.xapi_activity_base = argv[++i];
		} else if (!strcmp(argv[i], "--xapi-home") && i + 1 < argc) {
			opts.xapi_account_home = argv[++i];
		} else if (!strcmp(argv[i], "--lenient")) {
			opts.lenient = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			fprintf(stderr, "somo session: unknown option '%s'\n%s", argv[i],
			        usage_text);
			return 2;
		}
	}
	if (!path || !*learner) {
		fputs(usage_text, stderr);
		return 2;
	}
	memset(&diag, 0, sizeof(diag));
	if (somo_package_open(&pkg, path, NULL) < 0) {
		fprintf(stderr, "somo session: %s: %s\n", path, somo_error_last()->message);
		return 2;
	}
	if (somo_manifest_load(&man, pkg, NULL, &diag) < 0) {
		fprintf(stderr, "somo session: %s: %s:%d: %s\n", path,
		        diag.file[0] ? diag.file : "imsmanifest.xml", diag.line,
		        diag.text[0] ? diag.text : somo_error_last()->message);
		status = 2;
		goto out;
	}
	if ((db ? somo_store_open_sqlite(&st, db, NULL) : somo_store_open_memory(&st, NULL)) < 0) {
		fprintf(stderr, "somo session: %s\n", somo_error_last()->message);
		goto out;
	}
	opts.package_path = path;
	if (somo_session_open(&s, st, man, learner, &opts) < 0) {
		fprintf(stderr, "somo session: %s: %s\n", path, somo_error_last()->message);
		goto out;
	}
	while ((n = somo_cli_getline(&line, &cap)) >= 0) {
		if (n == 0)
			continue;
		if ((size_t)n > LINE_MAX_BYTES) {
			somo_cli_emit_error("%s", "line too long");
			continue;
		}
		run_line(s, line);
	}
	status = 0;
out:
	free(line);
	somo_session_free(s);
	somo_store_close(st);
	somo_manifest_free(man);
	somo_package_free(pkg);
	return status;
}
