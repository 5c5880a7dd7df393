/*
 * SCORM runtime events as the statements and documents of ADL's xAPI SCORM
 * Profile (xapi-scorm-profile.md, sections 3.2, 5.0 and 6.0 and the
 * Appendix).
 */
#include <stdio.h>
#include <string.h>

#include "somo/xapi_scorm.h"
#include "util/text.h"
#include "xapi/xapi_internal.h"

#define ADL_VERB "http://adlnet.gov/expapi/verbs/"
#define ADL_ACT  "http://adlnet.gov/expapi/activities/"

static const struct {
	const char *verb;
} verbs[] = {
    [SOMO_XAPI_SCORM_INITIALIZED] = {"initialized"}, [SOMO_XAPI_SCORM_TERMINATED] = {"terminated"},
    [SOMO_XAPI_SCORM_SUSPENDED] = {"suspended"},     [SOMO_XAPI_SCORM_RESUMED] = {"resumed"},
    [SOMO_XAPI_SCORM_COMPLETED] = {"completed"},     [SOMO_XAPI_SCORM_PASSED] = {"passed"},
    [SOMO_XAPI_SCORM_FAILED] = {"failed"},           [SOMO_XAPI_SCORM_SCORED] = {"scored"},
    [SOMO_XAPI_SCORM_RESPONDED] = {"responded"},     [SOMO_XAPI_SCORM_COMMENTED] = {"commented"},
    [SOMO_XAPI_SCORM_PROGRESSED] = {"progressed"},
};

/* base + "/" + kind + "/" + id with the id percent-encoded (an interaction
 * or objective id may hold anything an IRI path may not). */
static char *child_iri(const char *base, const char *kind, const char *id)
{
	somo__buf b = SOMO__BUF_INIT;
	size_t n = strlen(base);
	int rc = somo__buf_printf(&b, "%s%s%s/", base, n && base[n - 1] == '/' ? "" : "/", kind);
	for (const unsigned char *p = (const unsigned char *)id; rc == 0 && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			rc = somo__buf_putc(&b, (char)*p);
		else
			rc = somo__buf_printf(&b, "%%%02X", *p);
	}
	if (rc < 0) {
		somo__buf_free(&b);
		return NULL;
	}
	return somo__buf_detach(&b);
}

static void set_score(somo_xapi_result *r, const somo_xapi_scorm_context *c,
                      const somo_xapi_scorm_event_data *e)
{
	r->has |= e->has & (SOMO_XAPI_RESULT_SCALED | SOMO_XAPI_RESULT_RAW | SOMO_XAPI_RESULT_MIN |
	                    SOMO_XAPI_RESULT_MAX);
	r->scaled = e->scaled;
	r->raw = e->raw;
	r->min = e->min;
	r->max = e->max;
	/* Profile 6.0 Score: 1.2's raw / 100 is reported as scaled. */
	if (c->scorm12 && (e->has & SOMO_XAPI_RESULT_RAW) && !(e->has & SOMO_XAPI_RESULT_SCALED) &&
	    e->raw >= -100 && e->raw <= 100) {
		r->has |= SOMO_XAPI_RESULT_SCALED;
		r->scaled = e->raw / 100.0;
	}
}

int somo_xapi_scorm_statement(const somo_xapi_scorm_context *c, const somo_xapi_scorm_event_data *e,
                              somo_xapi_statement **out)
{
	somo_xapi_statement *st = NULL;
	const char *lang;
	char *verb = NULL, *object_iri = NULL, *attempt_name = NULL;
	somo_xapi_result r;
	bool has_result = false;
	int rc;

	if (out)
		*out = NULL;
	if (!c || !e || !out || !c->learner || !c->course_iri || !c->sco_iri || !c->attempt_iri)
		return somo__error(SOMO_EINVAL,
		                   "xAPI SCORM: learner, course, SCO and attempt are required");
	if ((int)e->event < SOMO_XAPI_SCORM_INITIALIZED || e->event > SOMO_XAPI_SCORM_PROGRESSED)
		return somo__error(SOMO_EINVAL, "xAPI SCORM: unknown event %d", (int)e->event);
	if (e->event == SOMO_XAPI_SCORM_RESPONDED && !e->interaction_id)
		return somo__error(SOMO_EINVAL, "xAPI SCORM: responded needs the interaction id");
	if (e->event == SOMO_XAPI_SCORM_COMMENTED && !e->comment)
		return somo__error(SOMO_EINVAL, "xAPI SCORM: commented needs the comment");
	lang = c->lang ? c->lang : "en-US";
	memset(&r, 0, sizeof r);

	somo_xapi_lang course_name = {lang, c->course_name};
	somo_xapi_lang sco_name = {lang, c->sco_name};
	somo_xapi_lang desc = {lang, e->description};
	somo_xapi_activity course = {.id = c->course_iri, .type = ADL_ACT "course"};
	somo_xapi_activity sco = {.id = c->sco_iri, .type = ADL_ACT "lesson"};
	somo_xapi_activity attempt = {.id = c->attempt_iri, .type = ADL_ACT "attempt"};
	somo_xapi_activity profile = {.id = SOMO_XAPI_SCORM_PROFILE, .type = ADL_ACT "profile"};
	somo_xapi_activity object = sco;
	somo_xapi_lang att_name = {lang, NULL};
	if (c->course_name) {
		course.name = &course_name;
		course.name_count = 1;
	}
	if (c->sco_name) {
		sco.name = &sco_name;
		sco.name_count = 1;
		object = sco;
		if (!(attempt_name = somo__sprintf("Attempt of %s", c->sco_name)))
			return somo__error_oom();
		att_name.text = attempt_name;
		attempt.name = &att_name;
		attempt.name_count = 1;
	}

	bool child = false;
	if (e->event == SOMO_XAPI_SCORM_RESPONDED) {
		/* Profile 6.0 Interactions: an interaction activity under the SCO. */
		object_iri = child_iri(c->sco_iri, "interactions", e->interaction_id);
		memset(&object, 0, sizeof object);
		object.id = object_iri;
		object.type = ADL_ACT "cmi.interaction";
		object.interaction_type = e->interaction_type;
		object.correct_responses = e->correct_responses;
		object.correct_response_count = e->correct_responses ? e->correct_count : 0;
		if (e->description) {
			object.description = &desc;
			object.description_count = 1;
		}
		child = true;
	} else if (e->objective_id &&
	           (e->event == SOMO_XAPI_SCORM_COMPLETED || e->event == SOMO_XAPI_SCORM_PASSED ||
	            e->event == SOMO_XAPI_SCORM_FAILED || e->event == SOMO_XAPI_SCORM_SCORED)) {
		/* A global objective's id is an IRI already; a local one lives
		 * under the SCO (profile 3.2, Activity IRI). */
		object_iri = strchr(e->objective_id, ':') && somo__iri_valid(e->objective_id)
		                 ? somo__strdup(e->objective_id)
		                 : child_iri(c->sco_iri, "objectives", e->objective_id);
		memset(&object, 0, sizeof object);
		object.id = object_iri;
		object.type = ADL_ACT "objective";
		child = true;
	}
	if (child && !object_iri) {
		somo__free(attempt_name);
		return somo__error_oom();
	}

	switch (e->event) {
	case SOMO_XAPI_SCORM_TERMINATED:
	case SOMO_XAPI_SCORM_SUSPENDED:
		/* The SCO's overall result (5.0), session time as duration (6.0). */
		set_score(&r, c, e);
		r.has |= e->has & (SOMO_XAPI_RESULT_SUCCESS | SOMO_XAPI_RESULT_COMPLETION);
		r.success = e->success;
		r.completion = e->completion;
		r.duration = e->session_time;
		has_result = r.has || r.duration;
		break;
	case SOMO_XAPI_SCORM_SCORED:
		set_score(&r, c, e);
		has_result = r.has != 0;
		break;
	case SOMO_XAPI_SCORM_PROGRESSED:
		r.has = SOMO_XAPI_RESULT_SCALED;
		r.scaled = e->progress;
		has_result = true;
		break;
	case SOMO_XAPI_SCORM_COMMENTED:
		r.response = e->comment;
		has_result = true;
		break;
	case SOMO_XAPI_SCORM_RESPONDED:
		r.response = e->learner_response ? e->learner_response : "";
		if (e->interaction_result && (strcmp(e->interaction_result, "correct") == 0 ||
		                              strcmp(e->interaction_result, "incorrect") == 0)) {
			r.has |= SOMO_XAPI_RESULT_SUCCESS;
			r.success = strcmp(e->interaction_result, "correct") == 0;
		}
		has_result = true;
		break;
	default:
		break;
	}

	if (!(verb = somo__sprintf(ADL_VERB "%s", verbs[e->event].verb))) {
		rc = somo__error_oom();
		goto out;
	}
	if ((rc = somo_xapi_statement_new(&st)) < 0 ||
	    (rc = somo_xapi_statement_set_actor(st, c->learner)) < 0 ||
	    (rc = somo_xapi_statement_set_verb(st, verb, "en-US", verbs[e->event].verb)) < 0 ||
	    (rc = somo_xapi_statement_set_object_activity(st, &object)) < 0 ||
	    (has_result && (rc = somo_xapi_statement_set_result(st, &r)) < 0) ||
	    (child && (rc = somo_xapi_statement_add_context_activity(st, SOMO_XAPI_CONTEXT_PARENT,
	                                                             &sco)) < 0) ||
	    (rc = somo_xapi_statement_add_context_activity(st, SOMO_XAPI_CONTEXT_GROUPING,
	                                                   &course)) < 0 ||
	    (rc = somo_xapi_statement_add_context_activity(st, SOMO_XAPI_CONTEXT_GROUPING,
	                                                   &attempt)) < 0 ||
	    (rc = somo_xapi_statement_add_context_activity(st, SOMO_XAPI_CONTEXT_CATEGORY,
	                                                   &profile)) < 0 ||
	    (c->registration &&
	     (rc = somo_xapi_statement_set_registration(st, c->registration)) < 0) ||
	    (rc = e->timestamp ? somo_xapi_statement_set_timestamp(st, e->timestamp)
	                       : somo_xapi_statement_set_timestamp_now(st)) < 0)
		goto out;
	*out = st;
	st = NULL;
out:
	somo_xapi_statement_free(st);
	somo__free(verb);
	somo__free(object_iri);
	somo__free(attempt_name);
	return rc;
}

int somo_xapi_scorm_attempt_iri(const char *sco_iri, const char *attempt_uuid, char **out)
{
	if (out)
		*out = NULL;
	if (!sco_iri || !out || !attempt_uuid || !somo__uuid_valid(attempt_uuid))
		return somo__error(SOMO_EINVAL, "xAPI SCORM: the attempt id must be a UUID");
	*out = somo__sprintf("%s%cattemptId=%s", sco_iri, strchr(sco_iri, '?') ? '&' : '?',
	                     attempt_uuid);
	return *out ? 0 : somo__error_oom();
}

static int dump_out(json_t *v, char **json)
{
	somo__buf b = SOMO__BUF_INIT;
	int rc;
	if (!v)
		return somo__error_oom();
	rc = somo__xapi_dump(v, SOMO_XAPI_JSON_COMPACT, &b);
	json_decref(v);
	if (rc < 0) {
		somo__buf_free(&b);
		return rc;
	}
	*json = somo__buf_detach(&b);
	return 0;
}

int somo_xapi_scorm_activity_state(const char *const *attempt_iris, size_t count, char **json)
{
	json_t *arr, *root;

	if (json)
		*json = NULL;
	if (!json || (count && !attempt_iris))
		return somo__error(SOMO_EINVAL, "xAPI SCORM: NULL argument");
	if (!(arr = json_array()))
		return somo__error_oom();
	for (size_t i = 0; i < count; i++) {
		if (!attempt_iris[i] || !somo__iri_valid(attempt_iris[i])) {
			json_decref(arr);
			return somo__error(SOMO_EINVAL, "xAPI SCORM: attempt %zu is not an IRI", i);
		}
		if (json_array_append_new(arr, json_string(attempt_iris[i])) < 0) {
			json_decref(arr);
			return somo__error_oom();
		}
	}
	root = json_object();
	if (!root || json_object_set_new(root, "attempts", arr) < 0) {
		json_decref(root);
		return somo__error_oom();
	}
	return dump_out(root, json);
}

int somo_xapi_scorm_attempt_state_json(const somo_xapi_scorm_attempt_state *s, char **json)
{
	json_t *root, *prefs = NULL;
	json_error_t je;

	if (json)
		*json = NULL;
	if (!s || !json)
		return somo__error(SOMO_EINVAL, "xAPI SCORM: NULL argument");
	if (s->credit && strcmp(s->credit, "credit") != 0 && strcmp(s->credit, "no-credit") != 0)
		return somo__error(SOMO_EINVAL,
		                   "xAPI SCORM: credit '%s' is not credit or no-credit", s->credit);
	if (s->mode && strcmp(s->mode, "browse") != 0 && strcmp(s->mode, "normal") != 0 &&
	    strcmp(s->mode, "review") != 0)
		return somo__error(
		    SOMO_EINVAL, "xAPI SCORM: mode '%s' is not browse, normal or review", s->mode);
	if (s->preferences_json)
		prefs = json_loads(s->preferences_json, JSON_REJECT_DUPLICATES, &je);
	if (s->preferences_json && !json_is_object(prefs)) {
		json_decref(prefs);
		return somo__error(SOMO_EINVAL, "xAPI SCORM: preferences are not a JSON object");
	}
	if (!(root = json_object())) {
		json_decref(prefs);
		return somo__error_oom();
	}
	if ((s->credit && json_object_set_new(root, "credit", json_string(s->credit)) < 0) ||
	    (s->mode && json_object_set_new(root, "mode", json_string(s->mode)) < 0) ||
	    (s->location && json_object_set_new(root, "location", json_string(s->location)) < 0) ||
	    (s->total_time &&
	     json_object_set_new(root, "total_time", json_string(s->total_time)) < 0) ||
	    (prefs && json_object_set_new(root, "preferences", prefs) < 0)) {
		json_decref(root);
		return somo__error(SOMO_EINVAL, "xAPI SCORM: a value is not UTF-8");
	}
	return dump_out(root, json);
}
