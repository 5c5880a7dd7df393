/*
 * A learner's session on a package: the store's registration and attempts,
 * navigation (SCORM 2004 sequencing or the SCORM 1.2 behaviour), the
 * delivered SCO's run-time and what flows between them.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "session/session_int.h"
#include "somo/session.h"
#include "util/text.h"
#include "util/time.h"
#include "util/util.h"

struct somo_session {
	somo_store *st;
	const somo_manifest *man;
	const somo_manifest_org *org;
	somo_scorm_version version;
	char *learner_id, *learner_name, *package_id, *reg_id;
	char *obj_scope;  /* global objectives: "" or the package id */
	char *data_scope; /* shared data: "" or the package id */
	uint32_t attempt;
	bool attempt_ended;
	uint32_t max_attempts;
	int lenient;

	somo_seq *seq; /* SCORM 2004 */
	somo_seq_globals *globals;
	/* the global objectives as last read from or written to the store */
	somo_seq_globals *globals_saved;
	somo__s12 *s12; /* SCORM 1.2 */

	/* the delivered activity */
	char *cur_id;
	const somo_manifest_item *cur_item;
	somo_rt *rt;
	somo_rt_data_map *maps;
	/* each store's value as last read from or written to the store (NULL: none) */
	char **shared_seen;
	size_t map_count;
	somo_rt_callbacks cb;
	bool rt_init, rt_term;
	bool rt_restored; /* the state came from the store */
	uint32_t rt_sessions;

	int no_rt_error;
	int err_override; /* a Terminate whose store transaction failed: 111 / 101 */
	char *diag;
	char *xapi_base, *xapi_home; /* NULL: no statements */
};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

static const char *jstr(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool jreal(json_t *obj, const char *key, double *out)
{
	const char *s = jstr(obj, key);
	char *end;

	if (!s || !*s)
		return false;
	*out = strtod(s, &end);
	return *end == '\0';
}

static int set_lms(somo_rt *rt, const char *el, const char *v)
{
	int rc = somo_rt_set_lms_value(rt, el, v);

	return rc == SOMO_ENOMEM ? rc : 0; /* a value the data model refuses is left out */
}

static int set_lms_real(somo_rt *rt, const char *el, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.7g", v);
	return set_lms(rt, el, buf);
}

static somo_seq_status completion_of(const char *s)
{
	if (!s)
		return SOMO_SEQ_UNKNOWN;
	if (!strcmp(s, "completed"))
		return SOMO_SEQ_COMPLETED;
	if (!strcmp(s, "incomplete") || !strcmp(s, "not attempted"))
		return SOMO_SEQ_INCOMPLETE;
	return SOMO_SEQ_UNKNOWN;
}

static somo_seq_status success_of(const char *s)
{
	if (!s)
		return SOMO_SEQ_UNKNOWN;
	if (!strcmp(s, "passed"))
		return SOMO_SEQ_PASSED;
	if (!strcmp(s, "failed"))
		return SOMO_SEQ_FAILED;
	return SOMO_SEQ_UNKNOWN;
}

static bool is12(const somo_session *s)
{
	return s->version == SOMO_SCORM_12;
}

/* One xAPI statement about the delivered activity; a failure is not the
 * content's problem (the state is stored), so it is only left in the
 * thread's last error. */
static void emit(somo_session *s, const char *verb, const somo_xapi_result *r)
{
	somo__xapi_ctx c;

	if (!s->xapi_base || !s->cur_id)
		return;
	c.base = s->xapi_base;
	c.home = s->xapi_home ? s->xapi_home : s->xapi_base;
	c.learner_id = s->learner_id;
	c.learner_name = s->learner_name;
	c.registration = s->reg_id;
	c.attempt = s->attempt;
	c.course_title = s->org->title;
	somo__session_statement(s->st, &c, s->cur_id, s->cur_item ? s->cur_item->title : NULL, verb,
	                        r);
}

/* The runtime's state as parsed JSON, or NULL (out of memory). */
static json_t *rt_state(somo_rt *rt)
{
	char *text = NULL;
	json_t *root;

	if (somo_rt_to_json(rt, &text) < 0)
		return NULL;
	root = json_loads(text, 0, NULL);
	somo_free(text);
	return root;
}

/* ------------------------------------------------------------------------ */
/* Storing                                                                   */

static void store_objective(const somo_session *s, const somo_seq_objective_values *v,
                            somo_store_objective *o)
{
	memset(o, 0, sizeof(*o));
	o->learner_id = s->learner_id;
	o->scope = s->obj_scope;
	o->objective_id = v->id;
	o->success = v->success == SOMO_SEQ_PASSED   ? SOMO_STORE_SUCCESS_SATISFIED
	             : v->success == SOMO_SEQ_FAILED ? SOMO_STORE_SUCCESS_NOT_SATISFIED
	                                             : SOMO_STORE_SUCCESS_UNKNOWN;
	o->completion = v->completion == SOMO_SEQ_COMPLETED    ? SOMO_STORE_COMPLETION_COMPLETED
	                : v->completion == SOMO_SEQ_INCOMPLETE ? SOMO_STORE_COMPLETION_INCOMPLETE
	                                                       : SOMO_STORE_COMPLETION_UNKNOWN;
	o->has_measure = v->has_scaled;
	o->measure = v->scaled;
	o->has_raw = v->has_raw;
	o->raw = v->raw;
	o->has_min = v->has_min;
	o->min = v->min;
	o->has_max = v->has_max;
	o->max = v->max;
	o->has_progress = v->has_progress;
	o->progress = v->progress;
}

static int load_objective(const somo_store_objective *o, void *payload)
{
	somo_seq_globals *g = payload;
	somo_seq_objective_values v;

	memset(&v, 0, sizeof(v));
	v.id = o->objective_id;
	v.success = o->success == SOMO_STORE_SUCCESS_SATISFIED       ? SOMO_SEQ_PASSED
	            : o->success == SOMO_STORE_SUCCESS_NOT_SATISFIED ? SOMO_SEQ_FAILED
	                                                             : SOMO_SEQ_UNKNOWN;
	v.completion = o->completion == SOMO_STORE_COMPLETION_COMPLETED    ? SOMO_SEQ_COMPLETED
	               : o->completion == SOMO_STORE_COMPLETION_INCOMPLETE ? SOMO_SEQ_INCOMPLETE
	                                                                   : SOMO_SEQ_UNKNOWN;
	v.has_scaled = o->has_measure;
	v.scaled = o->measure;
	v.has_raw = o->has_raw;
	v.raw = o->raw;
	v.has_min = o->has_min;
	v.min = o->min;
	v.has_max = o->has_max;
	v.max = o->max;
	v.has_progress = o->has_progress;
	v.progress = o->progress;
	return somo_seq_globals_set(g, &v);
}

/* Write the SCO's run-time state and its shared data stores. */
static int put_runtime(somo_session *s)
{
	somo_store_runtime rec;
	char *json = NULL;
	int rc;

	if ((rc = somo_rt_to_json(s->rt, &json)) < 0)
		return rc;
	memset(&rec, 0, sizeof(rec));
	rec.registration = s->reg_id;
	rec.attempt = s->attempt;
	rec.activity_id = s->cur_id;
	rec.state = json;
	rec.sessions = s->rt_sessions;
	rc = somo_store_runtime_put(s->st, &rec);
	if (rc == 0 && s->map_count) {
		json_t *root = json_loads(json, 0, NULL), *data, *e;
		size_t i;

		data = json_object_get(json_object_get(root, "collections"), "adl.data");
		json_array_foreach (data, i, e) {
			somo_store_shared_data sd;
			const char *id = jstr(e, "id"), *v = jstr(e, "store");
			size_t k;
			bool writable = false;

			for (k = 0; id && k < s->map_count; k++)
				if (!strcmp(s->maps[k].id, id) && s->maps[k].write_shared_data) {
					writable = true;
					break;
				}
			/* a store the SCO did not change is not written: another
			 * session of the learner sharing it keeps what it wrote */
			if (!writable || !v || (s->shared_seen[k] && !strcmp(s->shared_seen[k], v)))
				continue;
			memset(&sd, 0, sizeof(sd));
			sd.learner_id = s->learner_id;
			sd.package_id = s->data_scope;
			sd.target_id = id;
			sd.data = v;
			if ((rc = somo_store_shared_data_put(s->st, &sd)) < 0)
				break;
			/* inside a transaction that may roll back it is written again */
			if (!somo_store_in_transaction(s->st)) {
				char *copy = somo__strdup(v);
				if (!copy) {
					rc = somo__error_oom();
					break;
				}
				somo__free(s->shared_seen[k]);
				s->shared_seen[k] = copy;
			}
		}
		json_decref(root);
	}
	somo_free(json);
	return rc;
}

static bool same_values(const somo_seq_objective_values *a, const somo_seq_objective_values *b)
{
	return a->success == b->success && a->completion == b->completion &&
	       a->has_scaled == b->has_scaled && (!a->has_scaled || a->scaled == b->scaled) &&
	       a->has_raw == b->has_raw && (!a->has_raw || a->raw == b->raw) &&
	       a->has_min == b->has_min && (!a->has_min || a->min == b->min) &&
	       a->has_max == b->has_max && (!a->has_max || a->max == b->max) &&
	       a->has_progress == b->has_progress &&
	       (!a->has_progress || a->progress == b->progress);
}

/* Has this session changed global objective v since it was read or written? */
static bool global_changed(const somo_session *s, const somo_seq_objective_values *v)
{
	somo_seq_objective_values w;

	return somo_seq_globals_get(s->globals_saved, v->id, &w) < 0 || !same_values(v, &w);
}

/* The global objectives are stored: they are the new reference. */
static int globals_stored(somo_session *s)
{
	size_t i, n = s->globals ? somo_seq_globals_count(s->globals) : 0;
	int rc;

	for (i = 0; i < n; i++) {
		somo_seq_objective_values v;
		if (somo_seq_globals_at(s->globals, i, &v) == 0 && v.id && *v.id &&
		    (rc = somo_seq_globals_set(s->globals_saved, &v)) < 0)
			return rc;
	}
	return 0;
}

/* The navigation state, global objectives and attempt, in one transaction.
 * Only the global objectives this session changed are written, so another
 * session of the learner (another package sharing them) keeps what it wrote. */
static int put_state(somo_session *s, somo_store_attempt_state state)
{
	somo_store_sequencing sq;
	somo_store_attempt at;
	char *json;
	size_t i, n = 0;
	int rc;
	bool own = !somo_store_in_transaction(s->st);

	json = is12(s) ? somo__s12_to_json(s->s12) : somo_seq_state_to_json(s->seq);
	if (!json)
		return SOMO_ENOMEM;
	if (own && (rc = somo_store_begin(s->st)) < 0)
		goto out;
	memset(&at, 0, sizeof(at));
	at.registration = s->reg_id;
	at.number = s->attempt;
	at.state = state;
	if (state == SOMO_STORE_ATTEMPT_COMPLETED || state == SOMO_STORE_ATTEMPT_ABANDONED) {
		int64_t sec;
		int32_t ns;
		somo__time_now(&sec, &ns);
		at.ended = sec * 1000 + ns / 1000000;
	}
	{
		somo_store_attempt *old = NULL;
		if (somo_store_attempt_get(s->st, s->reg_id, s->attempt, &old) == 0) {
			at.started = old->started;
			somo_free(old);
		}
	}
	if ((rc = somo_store_attempt_put(s->st, &at)) < 0)
		goto fail;
	memset(&sq, 0, sizeof(sq));
	sq.registration = s->reg_id;
	sq.attempt = s->attempt;
	sq.state = json;
	if ((rc = somo_store_sequencing_put(s->st, &sq)) < 0)
		goto fail;
	if (s->globals) {
		n = somo_seq_globals_count(s->globals);
		for (i = 0; i < n; i++) {
			somo_seq_objective_values v;
			somo_store_objective o;
			if (somo_seq_globals_at(s->globals, i, &v) < 0 || !v.id || !*v.id ||
			    !global_changed(s, &v))
				continue;
			store_objective(s, &v, &o);
			if ((rc = somo_store_objective_put(s->st, &o)) < 0)
				goto fail;
		}
	}
	if (own)
		rc = somo_store_commit(s->st);
	/* inside a caller's transaction, which may still roll back, the
	 * reference is taken when that transaction commits */
	if (own && rc == 0)
		rc = globals_stored(s);
	goto out;
fail:
	if (own)
		somo_store_rollback(s->st);
out:
	somo__free(json);
	return rc;
}

/* Where the attempt stands after a navigation that did r. */
static somo_store_attempt_state attempt_state(const somo_session *s, somo_nav_request req,
                                              const somo_seq_result *r)
{
	somo_seq_course_status c;

	if (!r->ended)
		return SOMO_STORE_ATTEMPT_ACTIVE;
	somo_session_course(s, &c);
	if (c.suspended)
		return SOMO_STORE_ATTEMPT_SUSPENDED;
	return req == SOMO_NAV_ABANDON_ALL ? SOMO_STORE_ATTEMPT_ABANDONED
	                                   : SOMO_STORE_ATTEMPT_COMPLETED;
}

/* ------------------------------------------------------------------------ */
/* The run-time of the delivered SCO                                         */

static int on_commit(somo_rt *rt, void *payload)
{
	somo_session *s = payload;

	(void)rt;
	if (put_runtime(s) < 0)
		return -1;
	if (is12(s)) {
		/* keep the 1.2 statuses current for prerequisites */
		json_t *root = rt_state(s->rt);
		const char *ls = jstr(json_object_get(root, "values"), "cmi.core.lesson_status");
		if (ls)
			somo__s12_set_status(s->s12, s->cur_id, ls);
		json_decref(root);
	}
	return 0;
}

static const char *on_request_valid(somo_rt *rt, const char *request, const char *target,
                                    void *payload)
{
	somo_session *s = payload;
	somo_nav_request req;

	(void)rt;
	if (!strcmp(request, "continue"))
		req = SOMO_NAV_CONTINUE;
	else if (!strcmp(request, "previous"))
		req = SOMO_NAV_PREVIOUS;
	else if (!strcmp(request, "choice"))
		req = SOMO_NAV_CHOICE;
	else if (!strcmp(request, "jump"))
		req = SOMO_NAV_JUMP;
	else
		return "unknown";
	return somo_session_request_valid(s, req, target) ? "true" : "false";
}

static void drop_runtime(somo_session *s)
{
	somo_rt_free(s->rt);
	s->rt = NULL;
	for (size_t i = 0; s->shared_seen && i < s->map_count; i++)
		somo__free(s->shared_seen[i]);
	somo__free(s->shared_seen);
	s->shared_seen = NULL;
	somo__free(s->maps);
	s->maps = NULL;
	s->map_count = 0;
	s->rt_init = s->rt_term = s->rt_restored = false;
	s->rt_sessions = 0;
}

/* Values the LMS gives a SCO at the start of a new attempt. */
static int init_values(somo_session *s, somo_rt *rt, const somo_manifest_item *it)
{
	int rc = 0;

	if (is12(s)) {
		rc |= set_lms(rt, "cmi.core.student_id", s->learner_id);
		rc |= set_lms(rt, "cmi.core.student_name", s->learner_name);
		rc |= set_lms(rt, "cmi.core.credit", "credit");
		rc |= set_lms(rt, "cmi.core.lesson_mode", "normal");
		rc |= set_lms(rt, "cmi.core.entry", "ab-initio");
		if (it->data_from_lms)
			rc |= set_lms(rt, "cmi.launch_data", it->data_from_lms);
		if (it->has_mastery_score)
			rc |= set_lms_real(rt, "cmi.student_data.mastery_score", it->mastery_score);
		if (it->max_time_allowed)
			rc |=
			    set_lms(rt, "cmi.student_data.max_time_allowed", it->max_time_allowed);
		if (it->time_limit_action)
			rc |= set_lms(rt, "cmi.student_data.time_limit_action",
			              somo_time_limit_action_name(it->time_limit_action));
		return rc ? SOMO_ENOMEM : 0;
	}
	{
		somo_seq_delivery d;

		if (somo_seq_current(s->seq, &d) < 0)
			return 0;
		rc |= set_lms(rt, "cmi.learner_id", s->learner_id);
		rc |= set_lms(rt, "cmi.learner_name", s->learner_name);
		rc |= set_lms(rt, "cmi.credit", "credit");
		rc |= set_lms(rt, "cmi.mode", "normal");
		if (d.data_from_lms)
			rc |= set_lms(rt, "cmi.launch_data", d.data_from_lms);
		if (d.has_completion_threshold)
			rc |= set_lms_real(rt, "cmi.completion_threshold", d.completion_threshold);
		if (d.has_scaled_passing_score)
			rc |= set_lms_real(rt, "cmi.scaled_passing_score", d.scaled_passing_score);
		if (d.attempt_duration_limit)
			rc |= set_lms(rt, "cmi.max_time_allowed", d.attempt_duration_limit);
		if (d.time_limit_action)
			rc |= set_lms(rt, "cmi.time_limit_action",
			              somo_time_limit_action_name(d.time_limit_action));
	}
	return rc ? SOMO_ENOMEM : 0;
}

/*
 * An objective satisfied by measure is satisfied when its measure reaches
 * its minNormalizedMeasure, whatever status was read (SN book 4.2.1.2;
 * ADL conformance OB-17a), when the measure is known.
 */
static void by_measure(const somo_session *s, somo_seq_objective_values *v)
{
	const somo_ss_sequencing *sq = s->cur_item ? s->cur_item->sequencing : NULL;
	size_t i;

	if (!sq || !v->has_scaled)
		return;
	for (i = 0; i < sq->objective_count; i++) {
		const somo_ss_objective *o = sq->objectives[i];
		if (o->id && !strcmp(o->id, v->id) && o->satisfied_by_measure) {
			v->success = v->scaled >= o->min_normalized_measure ? SOMO_SEQ_PASSED
			                                                    : SOMO_SEQ_FAILED;
			return;
		}
	}
}

/*
 * cmi.objectives from the tracking model (objectives with an id), read
 * through the objectives' maps: at every delivery, a resumed SCO too (its
 * objectives get what tracking knows now; what tracking does not know stays
 * as the SCO left it), as ADL's reference LMS does (conformance case OB-14b).
 */
static int init_objectives(somo_session *s, somo_rt *rt)
{
	json_t *root, *objs;
	size_t i, n, count;
	char name[96];
	int rc = 0;

	if (is12(s) || !(n = somo_seq_objective_count(s->seq)))
		return 0;
	if (!(root = rt_state(rt)))
		return somo__error_oom();
	objs = json_object_get(json_object_get(root, "collections"), "cmi.objectives");
	count = json_array_size(objs);
	for (i = 0; i < n; i++) {
		somo_seq_objective_values v;
		size_t k;

		if (somo_seq_objective_at(s->seq, i, &v) < 0 || !v.id || !*v.id)
			continue;
		by_measure(s, &v);
		for (k = 0; k < count; k++) {
			const char *id = jstr(json_array_get(objs, k), "id");
			if (id && !strcmp(id, v.id))
				break;
		}
		if (k == count) {
			snprintf(name, sizeof(name), "cmi.objectives.%zu.id", k);
			if (somo_rt_set_lms_value(rt, name, v.id) < 0)
				continue; /* an id the data model refuses */
			count++;
		}
#define OBJ(field, value)                                                                          \
	do {                                                                                       \
		snprintf(name, sizeof(name), "cmi.objectives.%zu." field, k);                      \
		rc |= set_lms(rt, name, value);                                                    \
	} while (0)
#define OBJR(field, value)                                                                         \
	do {                                                                                       \
		snprintf(name, sizeof(name), "cmi.objectives.%zu." field, k);                      \
		rc |= set_lms_real(rt, name, value);                                               \
	} while (0)
		if (v.success == SOMO_SEQ_PASSED || v.success == SOMO_SEQ_FAILED)
			OBJ("success_status", somo_seq_status_name(v.success));
		if (v.completion == SOMO_SEQ_COMPLETED || v.completion == SOMO_SEQ_INCOMPLETE)
			OBJ("completion_status", somo_seq_status_name(v.completion));
		if (v.has_scaled)
			OBJR("score.scaled", v.scaled);
		if (v.has_raw)
			OBJR("score.raw", v.raw);
		if (v.has_min)
			OBJR("score.min", v.min);
		if (v.has_max)
			OBJR("score.max", v.max);
		if (v.has_progress)
			OBJR("progress_measure", v.progress);
#undef OBJ
#undef OBJR
	}
	json_decref(root);
	return rc ? SOMO_ENOMEM : 0;
}

/* Give the SCO its adl.data stores' current values. */
static int load_shared(somo_session *s, somo_rt *rt)
{
	size_t i;
	char name[64];

	for (i = 0; i < s->map_count; i++) {
		somo_store_shared_data *sd = NULL;
		int rc = somo_store_shared_data_get(s->st, s->learner_id, s->data_scope,
		                                    s->maps[i].id, &sd);
		if (rc == SOMO_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		snprintf(name, sizeof(name), "adl.data.%zu.store", i);
		rc = set_lms(rt, name, sd->data);
		if (rc >= 0) {
			somo__free(s->shared_seen[i]);
			if (!(s->shared_seen[i] = somo__strdup(sd->data)))
				rc = somo__error_oom();
		}
		somo_free(sd);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * A run-time for the activity delivered now: restored from the store when
 * the attempt goes on (resume, SCORM 1.2, or a session interrupted while
 * the activity was delivered), else a new one with the LMS's values.
 */
static int attach_runtime(somo_session *s, const somo_manifest_item *it, bool interrupted)
{
	somo_rt_opts opts = SOMO_RT_OPTS_INIT;
	somo_store_runtime *saved = NULL;
	somo_rt *rt = NULL;
	bool restore = false, restored, seq_resume = false;
	size_t i;
	int rc;

	drop_runtime(s);
	s->cur_item = it;
	if (!it)
		return 0;
	if (!is12(s) && it->data_map_count) {
		s->maps = somo__calloc(it->data_map_count, sizeof(*s->maps));
		s->shared_seen = somo__calloc(it->data_map_count, sizeof(*s->shared_seen));
		if (!s->maps || !s->shared_seen)
			return somo__error_oom();
		for (i = 0; i < it->data_map_count; i++) {
			s->maps[i].id = it->data_maps[i]->target_id;
			s->maps[i].read_shared_data = it->data_maps[i]->read_shared_data;
			s->maps[i].write_shared_data = it->data_maps[i]->write_shared_data;
		}
		s->map_count = it->data_map_count;
	}
	s->cb.commit = on_commit;
	s->cb.nav_request_valid = on_request_valid;
	s->cb.payload = s;
	opts.lenient = s->lenient;
	opts.callbacks = &s->cb;
	opts.data_map = s->maps;
	opts.data_map_len = s->map_count;
	if ((rc = somo_rt_new(&rt, s->version, &opts)) < 0)
		return rc;

	if (is12(s)) {
		restore = true;
	} else {
		somo_seq_delivery d;
		/* an untracked activity has no attempts in tracking: its SCO resumes
		 * when it left with cmi.exit suspend, as ADL's reference LMS does
		 * (conformance case OB-14b) */
		restore = interrupted || (somo_seq_current(s->seq, &d) == 0 &&
		                          (d.entry == SOMO_SEQ_ENTRY_RESUME || !d.tracked));
		seq_resume = restore && !interrupted && d.entry == SOMO_SEQ_ENTRY_RESUME;
	}
	if (restore) {
		rc = somo_store_runtime_get(s->st, s->reg_id, s->attempt, s->cur_id, &saved);
		if (rc == SOMO_ENOTFOUND)
			restore = false;
		else if (rc < 0)
			goto fail;
	}
	restored = restore && somo_rt_from_json(rt, saved->state) == 0;
	if (restored && interrupted && somo_rt_state(rt) == SOMO_RT_TERMINATED) {
		/* the SCO had terminated and its results are in tracking: nothing
		 * runs until the next navigation */
		somo_free(saved);
		somo_rt_free(rt);
		return 0;
	}
	if (restored) {
		bool resume =
		    interrupted || (is12(s) && somo__s12_current_resumed(s->s12)) || seq_resume;
		s->rt_sessions = saved->sessions;
		s->rt_restored = true;
		/* an attempt that goes on resumes: as if the SCO had suspended */
		if (resume)
			set_lms(rt, is12(s) ? "cmi.core.exit" : "cmi.exit", "suspend");
		if ((rc = somo_rt_next_session(rt)) < 0)
			goto fail;
	} else {
		if (restore) {
			/* a stored state this runtime refuses: begin afresh, keep it stored */
			somo_rt_free(rt);
			rt = NULL;
			if ((rc = somo_rt_new(&rt, s->version, &opts)) < 0)
				goto fail;
		}
		if ((rc = init_values(s, rt, it)) < 0)
			goto fail;
	}
	if ((rc = init_objectives(s, rt)) < 0 || (rc = load_shared(s, rt)) < 0)
		goto fail;
	somo_free(saved);
	s->rt = rt;
	return 0;
fail:
	somo_free(saved);
	somo_rt_free(rt);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Results of a SCO into tracking                                            */

/* completed / passed / failed, then suspended or terminated, as the SCO left them. */
static void emit_results(somo_session *s, json_t *vals)
{
	somo_xapi_result r;
	const char *v12s = jstr(vals, "cmi.core.lesson_status"), *ex, *st;
	char dur[40];
	int64_t centis;
	bool done, passed = false, failed = false;

	memset(&r, 0, sizeof(r));
	if (is12(s)) {
		done = v12s && (!strcmp(v12s, "completed") || !strcmp(v12s, "passed") ||
		                !strcmp(v12s, "failed"));
		passed = v12s && !strcmp(v12s, "passed");
		failed = v12s && !strcmp(v12s, "failed");
		if (jreal(vals, "cmi.core.score.raw", &r.raw))
			r.has |= SOMO_XAPI_RESULT_RAW;
		if (jreal(vals, "cmi.core.score.min", &r.min))
			r.has |= SOMO_XAPI_RESULT_MIN;
		if (jreal(vals, "cmi.core.score.max", &r.max))
			r.has |= SOMO_XAPI_RESULT_MAX;
		if (r.has & SOMO_XAPI_RESULT_RAW) {
			/* a scaled score as SCORM 2004 would give it: raw within min..max
			 * (0..100 when not set, SCORM 1.2's range of a raw score) */
			double lo = r.has & SOMO_XAPI_RESULT_MIN ? r.min : 0,
			       hi = r.has & SOMO_XAPI_RESULT_MAX ? r.max : 100;
			if (hi > lo && r.raw >= lo && r.raw <= hi) {
				r.scaled = (r.raw - lo) / (hi - lo);
				r.has |= SOMO_XAPI_RESULT_SCALED;
			}
		}
		ex = jstr(vals, "cmi.core.exit");
		st = jstr(vals, "cmi.core.session_time");
		if (!st || somo__duration_parse(st, SOMO__DUR_SCORM12, &centis) < 0)
			centis = -1;
	} else {
		const char *cs = jstr(vals, "cmi.completion_status"),
		           *ss = jstr(vals, "cmi.success_status");
		double a, b;
		/* the statuses the LMS reports (RTE 4.2.4.1, 4.2.22.1) */
		if (jreal(vals, "cmi.completion_threshold", &b))
			done = jreal(vals, "cmi.progress_measure", &a) && a >= b;
		else
			done = cs && !strcmp(cs, "completed");
		if (jreal(vals, "cmi.scaled_passing_score", &b)) {
			passed = jreal(vals, "cmi.score.scaled", &a) && a >= b;
			failed = jreal(vals, "cmi.score.scaled", &a) && a < b;
		} else {
			passed = ss && !strcmp(ss, "passed");
			failed = ss && !strcmp(ss, "failed");
		}
		if (jreal(vals, "cmi.score.scaled", &r.scaled))
			r.has |= SOMO_XAPI_RESULT_SCALED;
		if (jreal(vals, "cmi.score.raw", &r.raw))
			r.has |= SOMO_XAPI_RESULT_RAW;
		if (jreal(vals, "cmi.score.min", &r.min))
			r.has |= SOMO_XAPI_RESULT_MIN;
		if (jreal(vals, "cmi.score.max", &r.max))
			r.has |= SOMO_XAPI_RESULT_MAX;
		ex = jstr(vals, "cmi.exit");
		st = jstr(vals, "cmi.session_time");
		if (!st || somo__duration_parse(st, SOMO__DUR_SCORM2004, &centis) < 0)
			centis = -1;
	}
	if (done && !passed && !failed) {
		somo_xapi_result c;
		memset(&c, 0, sizeof(c));
		c.has = SOMO_XAPI_RESULT_COMPLETION;
		c.completion = 1;
		emit(s, "completed", &c);
	}
	if (passed || failed) {
		somo_xapi_result p = r;
		p.has |= SOMO_XAPI_RESULT_SUCCESS;
		p.success = passed;
		if (done) {
			p.has |= SOMO_XAPI_RESULT_COMPLETION;
			p.completion = 1;
		}
		emit(s, passed ? "passed" : "failed", &p);
	}
	memset(&r, 0, sizeof(r));
	if (centis >= 0 && somo__duration_format(centis, SOMO__DUR_XAPI, dur, sizeof(dur)) == 0)
		r.duration = dur;
	emit(s, ex && !strcmp(ex, "suspend") ? "suspended" : "terminated", r.duration ? &r : NULL);
}

/* The SCO's attempt is over: its results into tracking. *req gets the
 * navigation it asked for (adl.nav.request, cmi.exit logout / time-out). */
static int transfer(somo_session *s, somo_nav_request *req, char **target)
{
	json_t *root, *vals, *objs;
	const char *nav, *ex;
	bool asset = s->cur_item && s->cur_item->resource && !s->cur_item->resource->is_sco;
	int rc = 0;

	*req = SOMO_NAV_NONE;
	*target = NULL;
	if (!s->rt)
		return 0;
	if (!s->rt_init && !s->rt_restored) {
		/* content that never called Initialize: an asset is done by being seen */
		if (asset) {
			if (is12(s)) {
				somo__s12_set_status(s->s12, s->cur_id, "completed");
			} else {
				somo_seq_report_data r = SOMO_SEQ_REPORT_INIT;
				r.completion = SOMO_SEQ_COMPLETED;
				r.terminated = true;
				somo_seq_report(s->seq, &r);
			}
		}
		return 0;
	}
	if (!(root = rt_state(s->rt)))
		return somo__error_oom();
	vals = json_object_get(root, "values");
	if (is12(s)) {
		const char *ls = jstr(vals, "cmi.core.lesson_status"), *was = ls;
		double raw, mastery;
		const char *credit = jstr(vals, "cmi.core.credit");
		/* SCORM 1.2 RTE 3.4.4 (additional behaviour): a SCO that never set its
		 * status is completed when it finishes; then, with a mastery score
		 * and a raw score, the LMS judges passed / failed */
		if (!ls || !strcmp(ls, "not attempted"))
			ls = "completed";
		if (jreal(vals, "cmi.core.score.raw", &raw) &&
		    jreal(vals, "cmi.student_data.mastery_score", &mastery) &&
		    (!credit || !strcmp(credit, "credit")))
			ls = raw >= mastery ? "passed" : "failed";
		somo__s12_set_status(s->s12, s->cur_id, ls);
		if ((!was || strcmp(was, ls) != 0) &&
		    somo_rt_set_lms_value(s->rt, "cmi.core.lesson_status", ls) == 0)
			put_runtime(
			    s); /* the status the LMS set is the one the SCO reads next time */
		if (jstr(vals, "cmi.core.exit") && !strcmp(jstr(vals, "cmi.core.exit"), "logout"))
			*req = SOMO_NAV_EXIT_ALL; /* the learner leaves the course */
	} else {
		somo_seq_report_data r = SOMO_SEQ_REPORT_INIT;
		somo_seq_objective_values *ov = NULL;
		double a, b, threshold = 0;
		bool has_threshold = false;
		int64_t centis;
		size_t i, n;
		json_t *o;

		/* SCORM 2004 RTE 4.2.4.1 and 4.2.22.1: what the LMS reports */
		if (jreal(vals, "cmi.completion_threshold", &b)) {
			if (jreal(vals, "cmi.progress_measure", &a))
				r.completion = a >= b ? SOMO_SEQ_COMPLETED : SOMO_SEQ_INCOMPLETE;
			else if (jstr(vals, "cmi.completion_status"))
				r.completion = SOMO_SEQ_UNKNOWN;
			/* else the primary objective's progress, below, decides */
			threshold = b;
			has_threshold = true;
		} else if (jstr(vals, "cmi.completion_status"))
			r.completion = completion_of(jstr(vals, "cmi.completion_status"));
		/* never written: KEEP, so the primary objective's entry in
		 * cmi.objectives (written by id) is not overridden */
		if (jreal(vals, "cmi.scaled_passing_score", &b))
			r.success = jreal(vals, "cmi.score.scaled", &a)
			                ? (a >= b ? SOMO_SEQ_PASSED : SOMO_SEQ_FAILED)
			                : SOMO_SEQ_UNKNOWN;
		else if (jstr(vals, "cmi.success_status"))
			r.success = success_of(jstr(vals, "cmi.success_status"));
		r.has_scaled = jreal(vals, "cmi.score.scaled", &r.scaled);
		r.has_raw = jreal(vals, "cmi.score.raw", &r.raw);
		r.has_min = jreal(vals, "cmi.score.min", &r.min);
		r.has_max = jreal(vals, "cmi.score.max", &r.max);
		r.has_progress = jreal(vals, "cmi.progress_measure", &r.progress);
		if (jstr(vals, "cmi.session_time") &&
		    somo__duration_parse(jstr(vals, "cmi.session_time"), SOMO__DUR_SCORM2004,
		                         &centis) == 0)
			r.session_seconds = (double)centis / 100.0;
		ex = jstr(vals, "cmi.exit");
		r.suspend = ex && !strcmp(ex, "suspend");
		r.terminated = true;
		objs = json_object_get(json_object_get(root, "collections"), "cmi.objectives");
		n = json_array_size(objs);
		if (n && !(ov = somo__calloc(n, sizeof(*ov)))) {
			json_decref(root);
			return somo__error_oom();
		}
		json_array_foreach (objs, i, o) {
			ov[i].id = jstr(o, "id");
			ov[i].success = jstr(o, "success_status")
			                    ? success_of(jstr(o, "success_status"))
			                    : SOMO_SEQ_KEEP;
			ov[i].completion = jstr(o, "completion_status")
			                       ? completion_of(jstr(o, "completion_status"))
			                       : SOMO_SEQ_KEEP;
			ov[i].has_scaled = jreal(o, "score.scaled", &ov[i].scaled);
			ov[i].has_raw = jreal(o, "score.raw", &ov[i].raw);
			ov[i].has_min = jreal(o, "score.min", &ov[i].min);
			ov[i].has_max = jreal(o, "score.max", &ov[i].max);
			ov[i].has_progress = jreal(o, "progress_measure", &ov[i].progress);
			if (!ov[i].id)
				ov[i].id = "";
		}
		/* the primary objective written by id stands for what cmi.success_status
		 * and cmi.completion_status did not say (ADL conformance OB-17b) */
		{
			const somo_ss_sequencing *sq = s->cur_item ? s->cur_item->sequencing : NULL;
			const char *pid = sq && sq->objective_count ? sq->objectives[0]->id : NULL;
			for (i = 0; pid && i < n; i++) {
				if (strcmp(ov[i].id, pid) != 0)
					continue;
				if (r.success == SOMO_SEQ_KEEP)
					r.success = ov[i].success;
				if (r.completion == SOMO_SEQ_KEEP && has_threshold &&
				    ov[i].has_progress)
					/* completed by measure: the objective's progress against
					 * the threshold (ADL conformance CO-10) */
					r.completion = ov[i].progress >= threshold
					                   ? SOMO_SEQ_COMPLETED
					                   : SOMO_SEQ_INCOMPLETE;
				else if (r.completion == SOMO_SEQ_KEEP)
					r.completion = ov[i].completion;
			}
		}
		r.objectives = ov;
		r.objective_count = n;
		rc = somo_seq_report(s->seq, &r);
		if (rc != SOMO_ENOMEM)
			rc = 0; /* values (or a state) sequencing refuses stay out of tracking;
			           the navigation the SCO asked for still runs */
		somo__free(ov);
		if (ex && (!strcmp(ex, "logout") || !strcmp(ex, "time-out")))
			*req = SOMO_NAV_EXIT_ALL;
	}
	if (s->xapi_base)
		emit_results(s, vals);
	nav = jstr(vals, "adl.nav.request");
	if (nav && !is12(s)) {
		somo_nav_request r;
		const char *t;
		size_t tl;
		if (somo_nav_parse(nav, &r, &t, &tl) == 0 && r != SOMO_NAV_NONE) {
			*req = r;
			if (t && !(*target = somo__strndup(t, tl)))
				rc = somo__error_oom();
		}
	}
	json_decref(root);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Navigation                                                                */

static void fill_nav(somo_session *s, const somo_seq_result *r, somo_session_nav *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	/* a request that ran into a sequencing or delivery exception without
	 * delivering anything did not do what was asked */
	out->accepted = r->accepted && (r->deliver || r->ended || !r->exception);
	out->deliver = r->deliver ? s->cur_id : NULL;
	out->ended = r->ended;
	if (!r->deliver)
		out->reason = r->exception_text ? r->exception_text
		              : r->ended        ? "the session ended"
		                                : "nothing to deliver";
}

/* Begin a new attempt of the registration (the last one ended). */
static int new_attempt(somo_session *s)
{
	somo_store_attempt at;
	int rc;

	if (s->max_attempts && s->attempt >= s->max_attempts)
		return somo__error(SOMO_ELIMIT, "learner '%s' has used the %u attempts allowed",
		                   s->learner_id, s->max_attempts);
	memset(&at, 0, sizeof(at));
	at.registration = s->reg_id;
	at.number = s->attempt + 1;
	at.state = SOMO_STORE_ATTEMPT_ACTIVE;
	if ((rc = somo_store_attempt_put(s->st, &at)) < 0)
		return rc;
	s->attempt++;
	s->attempt_ended = false;
	return 0;
}

/* After a navigation: the run-time of what was delivered, and the store. */
static int after_nav(somo_session *s, somo_nav_request req, const somo_seq_result *r,
                     somo_session_nav *out)
{
	somo_store_attempt_state state;
	const somo_manifest_item *it = NULL;
	int rc;

	if (r->deliver) {
		char *id = somo__strdup(r->deliver);
		if (!id)
			return somo__error_oom();
		somo__free(s->cur_id);
		s->cur_id = id;
		if (is12(s)) {
			it = somo__s12_current(s->s12);
		} else {
			somo_seq_delivery d;
			if (somo_seq_current(s->seq, &d) == 0)
				it = d.item;
		}
		if (!it)
			it = somo_manifest_find_item(s->man, id);
		if ((rc = attach_runtime(s, it, false)) < 0)
			return rc;
	}
	state = attempt_state(s, req, r);
	if ((rc = put_state(s, state)) < 0)
		return rc;
	s->attempt_ended =
	    state == SOMO_STORE_ATTEMPT_COMPLETED || state == SOMO_STORE_ATTEMPT_ABANDONED;
	fill_nav(s, r, out);
	return 0;
}

static void run_request(somo_session *s, somo_nav_request req, const char *target,
                        somo_seq_result *r)
{
	memset(r, 0, sizeof(*r));
	if (is12(s))
		somo__s12_navigate(s->s12, req, target, r);
	else
		somo_seq_navigate(s->seq, req, target, r);
}

/* End the delivered SCO as a browser unload would (LMS navigation). */
static int unload_sco(somo_session *s)
{
	somo_nav_request ignored;
	char *target = NULL;
	int rc;

	if (!s->rt || s->rt_term)
		return 0;
	if (s->rt_init)
		somo_rt_terminate(s->rt, ""); /* its implicit commit stores the state */
	rc = transfer(s, &ignored, &target);
	somo__free(target);
	if (is12(s))
		somo__s12_end_current(s->s12);
	s->rt_term = true;
	return rc;
}

int somo_session_navigate(somo_session *s, somo_nav_request req, const char *target,
                          somo_session_nav *out)
{
	somo_seq_result r;
	bool own;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!s || req > SOMO_NAV_NONE ||
	    ((req == SOMO_NAV_CHOICE || req == SOMO_NAV_JUMP) && !target))
		return somo__error(
		    SOMO_EINVAL,
		    "a navigation request (and a target for choice and jump) is required");
	/* the unloaded SCO's state, tracking and the new delivery are stored together */
	own = !somo_store_in_transaction(s->st) && somo_store_begin(s->st) == 0;
	if ((rc = unload_sco(s)) < 0)
		goto out;
	if (s->attempt_ended && (req == SOMO_NAV_START || req == SOMO_NAV_RESUME_ALL ||
	                         req == SOMO_NAV_CHOICE || req == SOMO_NAV_JUMP)) {
		if ((rc = new_attempt(s)) < 0) {
			if (out)
				out->reason = "the attempt limit is reached";
			if (rc == SOMO_ELIMIT)
				rc = 0;
			goto out;
		}
	}
	run_request(s, req, target, &r);
	rc = after_nav(s, req, &r, out);
out:
	if (own) {
		if (rc < 0)
			somo_store_rollback(s->st);
		else if ((rc = somo_store_commit(s->st)) == 0)
			rc = globals_stored(s);
	}
	return rc;
}

bool somo_session_request_valid(const somo_session *s, somo_nav_request req, const char *target)
{
	if (!s)
		return false;
	if (is12(s))
		return somo__s12_request_valid(s->s12, req, target);
	return somo_seq_request_valid(s->seq, req, target);
}

void somo_session_nav_valid(const somo_session *s, somo_seq_nav_state *out)
{
	memset(out, 0, sizeof(*out));
	if (!s)
		return;
	if (is12(s))
		somo__s12_nav_valid(s->s12, out);
	else
		somo_seq_nav_valid(s->seq, out);
}

/* ------------------------------------------------------------------------ */
/* The API of the delivered SCO                                              */

static const char *no_sco(somo_session *s, const char *ret)
{
	s->no_rt_error = 101;
	return ret;
}

const char *somo_session_initialize(somo_session *s, const char *param)
{
	const char *ret;

	s->err_override = 0;
	if (!s->rt)
		return no_sco(s, "false");
	ret = somo_rt_initialize(s->rt, param);
	if (!strcmp(ret, "true")) {
		s->rt_init = true;
		s->rt_sessions++;
		if (s->xapi_base) {
			json_t *root = rt_state(s->rt);
			const char *e = jstr(json_object_get(root, "values"),
			                     is12(s) ? "cmi.core.entry" : "cmi.entry");
			emit(s, e && !strcmp(e, "resume") ? "resumed" : "initialized", NULL);
			json_decref(root);
		}
	}
	return ret;
}

const char *somo_session_get_value(somo_session *s, const char *element)
{
	s->err_override = 0;
	return s->rt ? somo_rt_get_value(s->rt, element) : no_sco(s, "");
}

const char *somo_session_set_value(somo_session *s, const char *element, const char *value)
{
	s->err_override = 0;
	return s->rt ? somo_rt_set_value(s->rt, element, value) : no_sco(s, "false");
}

const char *somo_session_commit(somo_session *s, const char *param)
{
	s->err_override = 0;
	return s->rt ? somo_rt_commit(s->rt, param) : no_sco(s, "false");
}

const char *somo_session_terminate(somo_session *s, const char *param, somo_session_nav *nav)
{
	somo_nav_request req;
	somo_seq_result r;
	char *target = NULL;
	bool own, stored = true;

	if (nav)
		memset(nav, 0, sizeof(*nav));
	s->err_override = 0;
	if (!s->rt)
		return no_sco(s, "false");
	/* the SCO's last state, its results in tracking and the navigation it
	 * asked for are stored together: a crash leaves all or none of them */
	own = !somo_store_in_transaction(s->st) && somo_store_begin(s->st) == 0;
	if (strcmp(somo_rt_terminate(s->rt, param), "true") != 0) {
		if (own)
			somo_store_rollback(s->st);
		return "false";
	}
	s->rt_term = true;
	if (transfer(s, &req, &target) < 0)
		goto done; /* the state is stored; tracking keeps what it had */
	if (is12(s))
		somo__s12_end_current(s->s12);
	if (s->attempt_ended && req != SOMO_NAV_NONE && new_attempt(s) < 0)
		goto done;
	run_request(s, req, target, &r);
	stored = after_nav(s, req, &r, nav) == 0;
	if (req == SOMO_NAV_NONE && nav)
		nav->accepted = false; /* no navigation was asked for */
done:
	somo__free(target);
	if (own && !stored) {
		somo_store_rollback(s->st);
		s->err_override = is12(s) ? 101 : 111;
		return "false";
	}
	if (own && somo_store_commit(s->st) < 0) {
		/* nothing of it is stored: the content must not be told it was */
		s->err_override = is12(s) ? 101 : 111;
		return "false";
	}
	if (own)
		globals_stored(s); /* without memory they are only written again */
	/* "true" is not borrowed from the run-time, which may be gone now */
	return "true";
}

bool somo_session_running(const somo_session *s)
{
	return s && s->rt && s->rt_init && !s->rt_term;
}

bool somo_session_launchable(const somo_session *s)
{
	return s && s->rt && !s->rt_term && somo_session_current(s);
}

int somo_session_last_error(const somo_session *s)
{
	if (s->err_override)
		return s->err_override;
	return s->rt ? somo_rt_last_error(s->rt) : s->no_rt_error;
}

const char *somo_session_error_string(const somo_session *s, int code)
{
	return somo_dm_error_string(s->version, code);
}

const char *somo_session_diagnostic(somo_session *s, int code)
{
	if (s->err_override && code == s->err_override)
		return "the store could not keep the SCO's state at Terminate";
	if (s->rt)
		return somo_rt_diagnostic(s->rt, code);
	if (code == 101 && s->no_rt_error == 101)
		return "no activity is delivered: navigate first";
	return somo_dm_error_string(s->version, code);
}

/* ------------------------------------------------------------------------ */
/* The player's view                                                         */

const char *somo_session_current(const somo_session *s)
{
	if (!s)
		return NULL;
	if (is12(s)) {
		const somo_manifest_item *it = somo__s12_current(s->s12);
		return it ? it->identifier : NULL;
	}
	return somo_seq_current_id(s->seq);
}

const somo_manifest_item *somo_session_current_item(const somo_session *s)
{
	return s && somo_session_current(s) ? s->cur_item : NULL;
}

char *somo_session_launch_url(const somo_session *s)
{
	const somo_manifest_item *it = somo_session_current_item(s);

	return it ? somo_manifest_item_launch_url(it) : NULL;
}

size_t somo_session_toc_count(const somo_session *s)
{
	if (!s)
		return 0;
	return is12(s) ? somo__s12_count(s->s12) : somo_seq_activity_count(s->seq);
}

int somo_session_toc_at(const somo_session *s, size_t i, somo_session_toc_entry *out)
{
	somo_seq_toc_entry e;
	int rc;

	if (!s || !out)
		return SOMO_EINVAL;
	if (is12(s))
		return somo__s12_toc_at(s->s12, i, out);
	if ((rc = somo_seq_toc_at(s->seq, i, &e)) < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->id = e.id;
	out->title = e.title;
	out->depth = e.depth;
	out->visible = e.visible;
	out->choosable = e.choosable;
	out->current = e.current;
	out->completion = e.completion;
	out->success = e.success;
	return 0;
}

void somo_session_course(const somo_session *s, somo_seq_course_status *out)
{
	memset(out, 0, sizeof(*out));
	if (!s)
		return;
	if (is12(s))
		somo__s12_course(s->s12, out);
	else
		somo_seq_course(s->seq, out);
}

somo_scorm_version somo_session_scorm_version(const somo_session *s)
{
	return s->version;
}

const char *somo_session_registration(const somo_session *s)
{
	return s->reg_id;
}

uint32_t somo_session_attempt(const somo_session *s)
{
	return s->attempt;
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                   */

static int first_registration(const somo_store_registration *rec, void *payload)
{
	char **out = payload;

	*out = somo__strdup(rec->id);
	return 1;
}

static int open_store_records(somo_session *s, const somo_session_opts *o)
{
	somo_store_learner *ln = NULL, lrec;
	somo_store_package prec;
	somo_store_registration reg;
	char uuid[37];
	int rc;

	rc = somo_store_learner_get(s->st, s->learner_id, &ln);
	if (rc < 0 && rc != SOMO_ENOTFOUND)
		return rc;
	s->learner_name = somo__strdup(o->learner_name ? o->learner_name : ln ? ln->name : "");
	if (!ln || o->learner_name) {
		lrec.id = s->learner_id;
		lrec.name = s->learner_name;
		if ((rc = somo_store_learner_put(s->st, &lrec)) < 0) {
			somo_free(ln);
			return rc;
		}
	}
	somo_free(ln);
	if (!s->learner_name)
		return somo__error_oom();
	memset(&prec, 0, sizeof(prec));
	prec.id = s->package_id;
	prec.path = o->package_path ? o->package_path : "";
	prec.digest = "";
	prec.title = s->org->title ? s->org->title : "";
	prec.standard = is12(s)                                                  ? "scorm12"
	                : somo_manifest_edition(s->man) == SOMO_EDITION_2004_2ND ? "scorm2004-2"
	                : somo_manifest_edition(s->man) == SOMO_EDITION_2004_3RD ? "scorm2004-3"
	                                                                         : "scorm2004-4";
	if ((rc = somo_store_package_put(s->st, &prec)) < 0)
		return rc;
	rc = somo_store_registration_list(s->st, s->learner_id, s->package_id, first_registration,
	                                  &s->reg_id);
	if (rc < 0)
		return rc;
	if (!s->reg_id) {
		if ((rc = somo__uuid_v4(uuid)) < 0)
			return rc;
		memset(&reg, 0, sizeof(reg));
		reg.id = uuid;
		reg.learner_id = s->learner_id;
		reg.package_id = s->package_id;
		if ((rc = somo_store_registration_put(s->st, &reg)) < 0)
			return rc;
		if (!(s->reg_id = somo__strdup(uuid)))
			return somo__error_oom();
	}
	return 0;
}

/* Restore the navigation state stored for attempt number. */
static int load_state(somo_session *s, uint32_t number)
{
	somo_store_sequencing *sq = NULL;
	int rc = somo_store_sequencing_get(s->st, s->reg_id, number, &sq);

	if (rc == SOMO_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	rc = is12(s) ? somo__s12_from_json(s->s12, sq->state)
	             : somo_seq_state_from_json(s->seq, sq->state);
	if (rc < 0) {
		char why[256];
		snprintf(why, sizeof(why), "%s", somo_error_last()->message);
		rc = somo__error(rc,
		                 "registration %s attempt %u: the stored navigation state cannot "
		                 "be restored: %s",
		                 s->reg_id, number, why);
	}
	somo_free(sq);
	return rc;
}

static int open_attempt(somo_session *s, const somo_session_opts *o)
{
	somo_store_attempt *last = NULL;
	somo_store_attempt at;
	uint32_t prev = 0;
	bool resume = false;
	int rc = somo_store_attempt_get(s->st, s->reg_id, 0, &last);

	if (rc < 0 && rc != SOMO_ENOTFOUND)
		return rc;
	if (last) {
		prev = last->number;
		resume = !o->new_attempt && (last->state == SOMO_STORE_ATTEMPT_ACTIVE ||
		                             last->state == SOMO_STORE_ATTEMPT_SUSPENDED);
		/* SCORM 2004 tracking goes on over attempts (attempt counts, objectives) */
		if (resume || (!is12(s) && !o->new_attempt))
			rc = load_state(s, prev);
		somo_free(last);
		if (rc < 0)
			return rc;
	}
	if (resume) {
		s->attempt = prev;
		return 0;
	}
	if (s->max_attempts && prev >= s->max_attempts)
		return somo__error(SOMO_ELIMIT, "learner '%s' has used the %u attempts allowed",
		                   s->learner_id, s->max_attempts);
	memset(&at, 0, sizeof(at));
	at.registration = s->reg_id;
	at.number = prev + 1;
	at.state = SOMO_STORE_ATTEMPT_ACTIVE;
	if ((rc = somo_store_attempt_put(s->st, &at)) < 0)
		return rc;
	s->attempt = prev + 1;
	/* the tracking carried over belongs to the new attempt from now on */
	return put_state(s, SOMO_STORE_ATTEMPT_ACTIVE);
}

int somo_session_open(somo_session **out, somo_store *store, const somo_manifest *man,
                      const char *learner_id, const somo_session_opts *opts)
{
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;
	somo_session *s;
	somo_standard std;
	const char *pkg;
	size_t i;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !store || !man || !learner_id || !*learner_id)
		return somo__error(SOMO_EINVAL,
		                   "a store, a manifest and a learner id are required");
	if (opts) {
		if (opts->version != SOMO_SESSION_OPTS_VERSION)
			return somo__error(SOMO_EINVAL, "unknown session options version %u",
			                   opts->version);
		o = *opts;
	}
	std = somo_manifest_standard(man);
	if (std != SOMO_STANDARD_SCORM12 && std != SOMO_STANDARD_SCORM2004)
		return somo__error(SOMO_EUNSUPPORTED,
		                   "a session plays SCORM 1.2 and SCORM 2004 packages, not %s",
		                   somo_standard_name(std));
	if (!(s = somo__calloc(1, sizeof(*s))))
		return somo__error_oom();
	s->st = store;
	s->man = man;
	s->version = std == SOMO_STANDARD_SCORM12 ? SOMO_SCORM_12 : SOMO_SCORM_2004;
	s->max_attempts = o.max_attempts;
	s->lenient = o.lenient;
	if (o.org_id) {
		for (i = 0; i < somo_manifest_org_count(man); i++)
			if (!strcmp(somo_manifest_org_at(man, i)->identifier, o.org_id))
				s->org = somo_manifest_org_at(man, i);
	} else {
		s->org = somo_manifest_default_org(man);
	}
	if (!s->org) {
		rc = somo__error(SOMO_ENOTFOUND, "the package has no organization %s",
		                 o.org_id ? o.org_id : "to play");
		goto fail;
	}
	pkg = o.package_id                     ? o.package_id
	      : *somo_manifest_identifier(man) ? somo_manifest_identifier(man)
	      : o.package_path                 ? o.package_path
	                                       : s->org->identifier;
	if (o.xapi_activity_base &&
	    (!(s->xapi_base = somo__strdup(o.xapi_activity_base)) ||
	     (o.xapi_account_home && !(s->xapi_home = somo__strdup(o.xapi_account_home))))) {
		rc = somo__error_oom();
		goto fail;
	}
	s->learner_id = somo__strdup(learner_id);
	s->package_id = somo__strdup(pkg);
	s->obj_scope = somo__strdup(s->org->objectives_global_to_system ? "" : pkg);
	s->data_scope = somo__strdup(s->org->shared_data_global_to_system ? "" : pkg);
	if (!s->learner_id || !s->package_id || !s->obj_scope || !s->data_scope) {
		rc = somo__error_oom();
		goto fail;
	}
	if (is12(s)) {
		rc = somo__s12_new(&s->s12, s->org);
	} else {
		somo_seq_opts so = SOMO_SEQ_OPTS_INIT;
		if ((rc = somo_seq_globals_new(&s->globals)) < 0 ||
		    (rc = somo_seq_globals_new(&s->globals_saved)) < 0)
			goto fail;
		so.seed = o.seed;
		so.globals = s->globals;
		rc = somo_seq_new(&s->seq, man, s->org->identifier, &so);
	}
	if (rc < 0)
		goto fail;
	if ((rc = open_store_records(s, &o)) < 0)
		goto fail;
	if (s->globals && ((rc = somo_store_objective_list(store, s->learner_id, s->obj_scope,
	                                                   load_objective, s->globals)) < 0 ||
	                   (rc = somo_store_objective_list(store, s->learner_id, s->obj_scope,
	                                                   load_objective, s->globals_saved)) < 0))
		goto fail;
	if ((rc = open_attempt(s, &o)) < 0)
		goto fail;
	/* an activity still delivered when the last session stopped: attach it again */
	if (somo_session_current(s)) {
		const somo_manifest_item *it;
		const char *cur = somo_session_current(s);
		if (!(s->cur_id = somo__strdup(cur))) {
			rc = somo__error_oom();
			goto fail;
		}
		bool running;
		it = is12(s) ? somo__s12_current(s->s12) : somo_manifest_find_item(man, cur);
		if (is12(s)) {
			running = somo__s12_request_valid(s->s12, SOMO_NAV_EXIT, NULL);
		} else {
			somo_seq_delivery d;
			running = somo_seq_current(s->seq, &d) == 0 && d.active;
			if (running && d.item)
				it = d.item;
		}
		s->cur_item = it;
		if (running && (rc = attach_runtime(s, it, true)) < 0)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	somo_session_free(s);
	return rc;
}

void somo_session_free(somo_session *s)
{
	if (!s)
		return;
	drop_runtime(s);
	somo_seq_free(s->seq);
	somo_seq_globals_free(s->globals);
	somo_seq_globals_free(s->globals_saved);
	somo__s12_free(s->s12);
	somo__free(s->learner_id);
	somo__free(s->learner_name);
	somo__free(s->package_id);
	somo__free(s->reg_id);
	somo__free(s->obj_scope);
	somo__free(s->data_scope);
	somo__free(s->cur_id);
	somo__free(s->diag);
	somo__free(s->xapi_base);
	somo__free(s->xapi_home);
	somo__free(s);
}
