/*
 * The launcher's protocol: JSON (jansson) POSTed to /_somo/<route>, each
 * carrying the per-launch token.
 *
 *   api     {"token","call":"SetValue","args":["cmi.location","p2"]}
 *           -> {"ret":"true","err":"0"}; after Terminate also "state"
 *   beacon  {"token","calls":[{"call":..,"args":[..]}, ...]} (sendBeacon at
 *           unload: the calls are run in order) -> 204
 *   nav     {"token","request":"continue"|"choice"|...,"target":ID}
 *           -> the state, with "nav":{accepted,deliver,ended,reason}
 *   state   {"token"} -> the state
 *
 * The state is what the launcher draws: title, the delivered activity and
 * its launch URL, the table of contents, which navigation requests are
 * valid, which controls the item hides (hideLMSUI), the course's status.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, sigaction types, ssize_t */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "player/player_int.h"

/* The API functions, SCORM 2004 and 1.2 names alike. */
typedef enum {
	CALL_INITIALIZE,
	CALL_TERMINATE,
	CALL_GET_VALUE,
	CALL_SET_VALUE,
	CALL_COMMIT,
	CALL_GET_LAST_ERROR,
	CALL_GET_ERROR_STRING,
	CALL_GET_DIAGNOSTIC
} call_kind;

static const struct {
	const char *name;
	call_kind kind;
	int nargs;
} calls[] = {
    {"Initialize", CALL_INITIALIZE, 1},
    {"LMSInitialize", CALL_INITIALIZE, 1},
    {"Terminate", CALL_TERMINATE, 1},
    {"LMSFinish", CALL_TERMINATE, 1},
    {"GetValue", CALL_GET_VALUE, 1},
    {"LMSGetValue", CALL_GET_VALUE, 1},
    {"SetValue", CALL_SET_VALUE, 2},
    {"LMSSetValue", CALL_SET_VALUE, 2},
    {"Commit", CALL_COMMIT, 1},
    {"LMSCommit", CALL_COMMIT, 1},
    {"GetLastError", CALL_GET_LAST_ERROR, 0},
    {"LMSGetLastError", CALL_GET_LAST_ERROR, 0},
    {"GetErrorString", CALL_GET_ERROR_STRING, 1},
    {"LMSGetErrorString", CALL_GET_ERROR_STRING, 1},
    {"GetDiagnostic", CALL_GET_DIAGNOSTIC, 1},
    {"LMSGetDiagnostic", CALL_GET_DIAGNOSTIC, 1},
};

static void set_error(somo__reply *r, unsigned status, const char *msg)
{
	json_t *o = json_pack("{s:s}", "error", msg);

	r->status = status;
	r->content_type = "application/json";
	r->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	r->body_len = r->body ? strlen(r->body) : 0;
	json_decref(o);
}

static void set_json(somo__reply *r, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (!s) {
		set_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		return;
	}
	r->status = MHD_HTTP_OK;
	r->content_type = "application/json";
	/* json_dumps allocates with jansson's allocator: copy into ours */
	r->body = somo__strdup(s);
	r->body_len = r->body ? strlen(r->body) : 0;
	free(s);
}

/* Run one API call; *ret is borrowed from the session. */
static int run_call(somo_player *p, const char *name, json_t *args, const char **ret, int *err,
                    somo_session_nav *nav, bool *terminated)
{
	size_t i;
	const char *a0 = "", *a1 = "";

	for (i = 0; i < SOMO__ARRAY_SIZE(calls); i++)
		if (!strcmp(calls[i].name, name))
			break;
	if (i == SOMO__ARRAY_SIZE(calls) || !json_is_array(args) || json_array_size(args) > 2)
		return -1;
	if (json_array_size(args) > 0) {
		if (!json_is_string(json_array_get(args, 0)))
			return -1;
		a0 = json_string_value(json_array_get(args, 0));
	}
	if (json_array_size(args) > 1) {
		if (!json_is_string(json_array_get(args, 1)))
			return -1;
		a1 = json_string_value(json_array_get(args, 1));
	}
	nav->accepted = false;
	switch (calls[i].kind) {
	case CALL_INITIALIZE:
		*ret = somo_session_initialize(p->ses, a0);
		break;
	case CALL_TERMINATE:
		*ret = somo_session_terminate(p->ses, a0, nav);
		*terminated = !strcmp(*ret, "true");
		break;
	case CALL_GET_VALUE:
		*ret = somo_session_get_value(p->ses, a0);
		break;
	case CALL_SET_VALUE:
		*ret = somo_session_set_value(p->ses, a0, a1);
		break;
	case CALL_COMMIT:
		*ret = somo_session_commit(p->ses, a0);
		break;
	case CALL_GET_LAST_ERROR:
		*err = somo_session_last_error(p->ses);
		*ret = NULL; /* the answer is the code itself */
		return 1;
	case CALL_GET_ERROR_STRING:
		*ret = somo_session_error_string(p->ses, atoi(a0));
		break;
	case CALL_GET_DIAGNOSTIC:
		*ret = somo_session_diagnostic(p->ses, atoi(a0));
		break;
	}
	*err = somo_session_last_error(p->ses);
	return 0;
}

static json_t *call_json(somo_player *p, json_t *req, bool *terminated, somo_session_nav *nav)
{
	const char *name = json_string_value(json_object_get(req, "call"));
	json_t *args = json_object_get(req, "args");
	const char *ret = NULL;
	int err = 0, rc;
	char buf[16];
	json_t *o;

	if (!args)
		args = json_array();
	else
		json_incref(args);
	rc = name ? run_call(p, name, args, &ret, &err, nav, terminated) : -1;
	json_decref(args);
	if (rc < 0)
		return NULL;
	if (rc == 1) { /* GetLastError: the answer is the code itself */
		snprintf(buf, sizeof(buf), "%d", err);
		ret = buf;
	}
	{
		char e[16];

		snprintf(e, sizeof(e), "%d", err);
		o = json_pack("{s:s,s:s}", "ret", ret ? ret : "", "err", e);
	}
	return o;
}

static json_t *valid_json(somo_player *p)
{
	somo_seq_nav_state v;

	memset(&v, 0, sizeof(v));
	if (p->ses)
		somo_session_nav_valid(p->ses, &v);
	return json_pack("{s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "start", v.start, "resumeAll",
	                 v.resume_all, "continue", v.continue_, "previous", v.previous, "exit",
	                 v.exit, "exitAll", v.exit_all, "abandon", v.abandon, "abandonAll",
	                 v.abandon_all, "suspendAll", v.suspend_all);
}

static json_t *hide_json(unsigned bits)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {SOMO_HIDE_PREVIOUS, "previous"},
	    {SOMO_HIDE_CONTINUE, "continue"},
	    {SOMO_HIDE_EXIT, "exit"},
	    {SOMO_HIDE_EXIT_ALL, "exitAll"},
	    {SOMO_HIDE_ABANDON, "abandon"},
	    {SOMO_HIDE_ABANDON_ALL, "abandonAll"},
	    {SOMO_HIDE_SUSPEND_ALL, "suspendAll"},
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < SOMO__ARRAY_SIZE(names); i++)
		if (bits & names[i].bit)
			json_array_append_new(a, json_string(names[i].name));
	return a;
}

static json_t *launch_json(const char *url)
{
	char *s;
	json_t *o;

	if (!url)
		return json_null();
	/* an absolute URL is launched as it is; a package path from the player */
	if (strstr(url, "://") || somo__str_starts(url, "//"))
		return json_string(url);
	s = somo__sprintf("/content/%s", url);
	o = s ? json_string(s) : NULL;
	somo__free(s);
	return o;
}

static json_t *scorm_state(somo_player *p)
{
	json_t *st = json_object(), *toc = json_array(), *course;
	const somo_manifest_item *item = somo_session_current_item(p->ses);
	const char *cur = somo_session_current(p->ses);
	somo_seq_course_status cs;
	size_t i, n = somo_session_toc_count(p->ses);
	char *url;

	for (i = 0; i < n; i++) {
		somo_session_toc_entry e;

		if (somo_session_toc_at(p->ses, i, &e) < 0)
			continue;
		json_array_append_new(
		    toc,
		    json_pack("{s:s,s:s,s:i,s:b,s:b,s:b,s:s,s:s}", "id", e.id ? e.id : "", "title",
		              e.title ? e.title : "", "depth", e.depth, "visible", e.visible,
		              "choosable", e.choosable, "current", e.current, "completion",
		              somo_seq_status_name(e.completion), "success", somo_seq_status_name(e.success)));
	}
	somo_session_course(p->ses, &cs);
	course = json_pack("{s:s,s:s,s:b,s:b}", "completion", somo_seq_status_name(cs.completion), "success",
	                   somo_seq_status_name(cs.success), "suspended", cs.suspended, "ended", cs.ended);
	if (course && cs.has_measure)
		json_object_set_new(course, "measure", json_real(cs.measure));
	/* no launch for an activity whose SCO has ended (Exit, Terminate, or an
	 * earlier run of the player): its content would only find error 101 */
	url = somo_session_launchable(p->ses) ? somo_session_launch_url(p->ses) : NULL;
	json_object_set_new(st, "standard",
	                    json_string(somo_session_scorm_version(p->ses) == SOMO_SCORM_12
	                                    ? "scorm12"
	                                    : "scorm2004"));
	json_object_set_new(st, "current", cur ? json_string(cur) : json_null());
	json_object_set_new(st, "currentTitle",
	                    item && item->title ? json_string(item->title) : json_null());
	json_object_set_new(st, "launch", launch_json(url));
	json_object_set_new(st, "hide", hide_json(item ? item->hide_lms_ui : 0));
	json_object_set_new(st, "valid", valid_json(p));
	json_object_set_new(st, "toc", toc);
	json_object_set_new(st, "course", course);
	json_object_set_new(st, "attempt", json_integer(somo_session_attempt(p->ses)));
	somo_free(url);
	return st;
}

static json_t *tincan_state(somo_player *p)
{
	json_t *st = json_object();
	const somo_tincan_activity *a = somo_tincan_launch_activity(p->tc);
	char *url = somo__player_tincan_launch(p);
	const char *title = a ? somo_tincan_text_get(&a->name, NULL) : "";

	json_object_set_new(st, "standard", json_string("tincan"));
	json_object_set_new(st, "current", a ? json_string(a->id) : json_null());
	json_object_set_new(st, "currentTitle", json_string(title));
	json_object_set_new(st, "launch", url ? json_string(url) : json_null());
	json_object_set_new(st, "hide", json_array());
	json_object_set_new(st, "valid", valid_json(p));
	json_object_set_new(st, "toc",
	                    json_pack("[{s:s,s:s,s:i,s:b,s:b,s:b,s:s,s:s}]", "id", a ? a->id : "",
	                              "title", title, "depth", 0, "visible", 1, "choosable", 0,
	                              "current", 1, "completion", "unknown", "success", "unknown"));
	json_object_set_new(st, "course",
	                    json_pack("{s:s,s:s,s:b,s:b}", "completion", "unknown", "success",
	                              "unknown", "suspended", 0, "ended", 0));
	json_object_set_new(st, "registration", json_string(p->registration));
	somo__free(url);
	return st;
}

static json_t *state_json(somo_player *p)
{
	json_t *st = p->kind == SOMO__PLAY_TINCAN ? tincan_state(p) : scorm_state(p);

	if (!st)
		return NULL;
	json_object_set_new(st, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(st, "learner",
	                    json_pack("{s:s,s:s}", "id", p->learner_id, "name", p->learner_name));
	return st;
}

char *somo__player_state_json(somo_player *p, const char *message)
{
	json_t *st = state_json(p);
	char *s, *out;

	if (!st)
		return NULL;
	if (message)
		json_object_set_new(st, "message", json_string(message));
	s = json_dumps(st, JSON_COMPACT);
	json_decref(st);
	out = s ? somo__strdup(s) : NULL;
	free(s);
	return out;
}

static json_t *nav_json(const somo_session_nav *nav)
{
	return json_pack("{s:b,s:o,s:b,s:o}", "accepted", nav->accepted, "deliver",
	                 nav->deliver ? json_string(nav->deliver) : json_null(), "ended",
	                 nav->ended, "reason",
	                 nav->reason ? json_string(nav->reason) : json_null());
}

static void route_api(somo_player *p, json_t *req, somo__reply *r)
{
	bool terminated = false;
	somo_session_nav nav;
	json_t *o;

	if (p->kind != SOMO__PLAY_SCORM) {
		set_error(r, MHD_HTTP_CONFLICT, "this package has no SCORM API");
		return;
	}
	memset(&nav, 0, sizeof(nav));
	o = call_json(p, req, &terminated, &nav);
	if (!o) {
		set_error(r, MHD_HTTP_BAD_REQUEST, "not an API call");
		return;
	}
	if (terminated) {
		json_t *st = state_json(p);

		if (st)
			json_object_set_new(st, "nav", nav_json(&nav));
		json_object_set_new(o, "state", st);
	} else if (strstr(json_string_value(json_object_get(req, "call")), "Commit") &&
	           !strcmp(json_string_value(json_object_get(o, "ret")), "true")) {
		/* what was committed may change the statuses and the valid requests */
		json_object_set_new(o, "state", state_json(p));
	}
	set_json(r, o);
	json_decref(o);
}

static void route_beacon(somo_player *p, json_t *req, somo__reply *r)
{
	json_t *list = json_object_get(req, "calls"), *c;
	size_t i;

	if (p->kind != SOMO__PLAY_SCORM || !json_is_array(list)) {
		set_error(r, MHD_HTTP_BAD_REQUEST, "not a list of API calls");
		return;
	}
	json_array_foreach (list, i, c) {
		bool terminated = false;
		somo_session_nav nav;
		json_t *o = json_is_object(c) ? call_json(p, c, &terminated, &nav) : NULL;

		json_decref(o);
	}
	r->status = MHD_HTTP_NO_CONTENT;
}

static void route_nav(somo_player *p, json_t *req, somo__reply *r)
{
	const char *name = json_string_value(json_object_get(req, "request"));
	const char *target = json_string_value(json_object_get(req, "target"));
	somo_nav_request nr;
	somo_session_nav nav;
	json_t *st;
	size_t i;
	static const somo_nav_request all[] = {
	    SOMO_NAV_START,   SOMO_NAV_RESUME_ALL,  SOMO_NAV_CONTINUE,    SOMO_NAV_PREVIOUS,
	    SOMO_NAV_CHOICE,  SOMO_NAV_JUMP,        SOMO_NAV_EXIT,        SOMO_NAV_EXIT_ALL,
	    SOMO_NAV_ABANDON, SOMO_NAV_ABANDON_ALL, SOMO_NAV_SUSPEND_ALL,
	};

	if (p->kind != SOMO__PLAY_SCORM) {
		set_error(r, MHD_HTTP_CONFLICT, "this package has no navigation");
		return;
	}
	for (i = 0; name && i < SOMO__ARRAY_SIZE(all); i++)
		if (!strcmp(somo_nav_name(all[i]), name))
			break;
	if (!name || i == SOMO__ARRAY_SIZE(all)) {
		set_error(r, MHD_HTTP_BAD_REQUEST, "not a navigation request");
		return;
	}
	nr = all[i];
	if ((nr == SOMO_NAV_CHOICE || nr == SOMO_NAV_JUMP) && !target) {
		set_error(r, MHD_HTTP_BAD_REQUEST, "choice and jump need a target");
		return;
	}
	memset(&nav, 0, sizeof(nav));
	if (somo_session_navigate(p->ses, nr, target, &nav) < 0) {
		set_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, somo_error_last()->message);
		return;
	}
	st = state_json(p);
	if (st)
		json_object_set_new(st, "nav", nav_json(&nav));
	set_json(r, st);
	json_decref(st);
}

void somo__player_api(somo_player *p, const char *route, const char *body, size_t len,
                      somo__reply *r)
{
	json_error_t jerr;
	json_t *req;
	const char *token;

	if (strcmp(route, "api") && strcmp(route, "beacon") && strcmp(route, "nav") &&
	    strcmp(route, "state")) {
		set_error(r, MHD_HTTP_NOT_FOUND, "no such route");
		return;
	}
	req = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(req)) {
		json_decref(req);
		set_error(r, MHD_HTTP_BAD_REQUEST, "the request is not a JSON object");
		return;
	}
	token = json_string_value(json_object_get(req, "token"));
	if (!somo__player_secret_eq(token, p->token)) {
		json_decref(req);
		set_error(r, MHD_HTTP_FORBIDDEN, "missing or wrong token");
		return;
	}
	if (!strcmp(route, "api")) {
		route_api(p, req, r);
	} else if (!strcmp(route, "beacon")) {
		route_beacon(p, req, r);
	} else if (!strcmp(route, "nav")) {
		route_nav(p, req, r);
	} else {
		json_t *st = state_json(p);

		set_json(r, st);
		json_decref(st);
	}
	json_decref(req);
}

int somo__player_commit_all(somo_player *p)
{
	if (p->kind != SOMO__PLAY_SCORM || !p->ses || !somo_session_current(p->ses))
		return 0;
	/* values set since the content's last Commit are kept too; a SCO that
	 * is not initialised answers 142/301 and there is nothing to keep */
	(void)somo_session_commit(p->ses, "");
	if (somo_session_last_error(p->ses) == 391)
		return somo__error(SOMO_EIO, "the running SCO's state could not be stored");
	return 0;
}
