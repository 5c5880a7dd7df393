/*
 * xAPI statements a session puts into the store's outbox, with the verbs of
 * ADL's xAPI SCORM profile (adlnet.gov/expapi/verbs): initialized or
 * resumed at Initialize; at Terminate completed, passed or failed (with the
 * score) when the SCO reported them, then suspended or terminated (with the
 * session time as duration). The actor is the learner as an account of the
 * host's home page; the object is the activity's IRI, the activity base
 * followed by the item identifier (percent-encoded); the context carries
 * the registration, the course (the activity base itself) as parent, and
 * in grouping the course and the attempt activity of the profile: the
 * activity's IRI with "attemptId=<registration>&attempt=<number>" as its
 * query (somo_xapi_scorm_attempt_iri()), the same for every statement of
 * one attempt of the registration, a resumed one included.
 * Each statement is validated (xAPI 1.0.3 rules, which 2.0 LRSs accept)
 * before it is enqueued; the state it reports is already stored by then.
 */
#include <string.h>

#include "session/session_int.h"
#include "somo/xapi.h"
#include "somo/xapi_scorm.h"
#include "util/util.h"

#define VERB_BASE "http://adlnet.gov/expapi/verbs/"

/* base + the id, with what an IRI path segment cannot hold percent-encoded. */
static char *activity_iri(const char *base, const char *id)
{
	somo__buf b = SOMO__BUF_INIT;
	const unsigned char *p;

	if (somo__buf_puts(&b, base) < 0)
		return NULL;
	for (p = (const unsigned char *)id; p && *p; p++) {
		int rc;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			rc = somo__buf_putc(&b, (char)*p);
		else
			rc = somo__buf_printf(&b, "%%%02X", *p);
		if (rc < 0) {
			somo__buf_free(&b);
			return NULL;
		}
	}
	return somo__buf_detach(&b);
}

int somo__session_statement(somo_store *st, const somo__xapi_ctx *c, const char *item_id,
                            const char *item_title, const char *verb, const somo_xapi_result *r)
{
	somo_xapi_statement *s = NULL;
	somo_xapi_actor actor;
	somo_xapi_activity act, course, attempt;
	somo_xapi_lang name = {"und", item_title}, cname = {"und", c->course_title};
	somo_xapi_validate_opts vo = SOMO_XAPI_VALIDATE_OPTS_INIT;
	char *iri = NULL, *verb_iri = NULL, *json = NULL, *att_base = NULL, *att_iri = NULL;
	int rc;

	if (!c->base)
		return 0;
	memset(&actor, 0, sizeof(actor));
	actor.name = c->learner_name && *c->learner_name ? c->learner_name : NULL;
	actor.account_home_page = c->home;
	actor.account_name = c->learner_id;
	memset(&act, 0, sizeof(act));
	memset(&course, 0, sizeof(course));
	memset(&attempt, 0, sizeof(attempt));
	iri = activity_iri(c->base, item_id);
	verb_iri = somo__sprintf(VERB_BASE "%s", verb);
	if (!iri || !verb_iri) {
		rc = somo__error_oom();
		goto out;
	}
	if ((rc = somo_xapi_scorm_attempt_iri(iri, c->registration, &att_base)) < 0)
		goto out;
	if (!(att_iri = somo__sprintf("%s&attempt=%lu", att_base, c->attempt))) {
		rc = somo__error_oom();
		goto out;
	}
	attempt.id = att_iri;
	attempt.type = "http://adlnet.gov/expapi/activities/attempt";
	act.id = iri;
	act.type = "http://adlnet.gov/expapi/activities/lesson";
	if (item_title && *item_title) {
		act.name = &name;
		act.name_count = 1;
	}
	course.id = c->base;
	course.type = "http://adlnet.gov/expapi/activities/course";
	if (c->course_title && *c->course_title) {
		course.name = &cname;
		course.name_count = 1;
	}
	vo.xapi = SOMO_XAPI_1_0_3;
	if ((rc = somo_xapi_statement_new(&s)) < 0 || (rc = somo_xapi_statement_ensure_id(s)) < 0 ||
	    (rc = somo_xapi_statement_set_actor(s, &actor)) < 0 ||
	    (rc = somo_xapi_statement_set_verb(s, verb_iri, "en-US", verb)) < 0 ||
	    (rc = somo_xapi_statement_set_object_activity(s, &act)) < 0 ||
	    (r && (rc = somo_xapi_statement_set_result(s, r)) < 0) ||
	    (rc = somo_xapi_statement_set_registration(s, c->registration)) < 0 ||
	    (rc = somo_xapi_statement_add_context_activity(s, SOMO_XAPI_CONTEXT_PARENT, &course)) <
	        0 ||
	    (rc = somo_xapi_statement_add_context_activity(s, SOMO_XAPI_CONTEXT_GROUPING, &course)) <
	        0 ||
	    (rc = somo_xapi_statement_add_context_activity(s, SOMO_XAPI_CONTEXT_GROUPING,
	                                                   &attempt)) < 0 ||
	    (rc = somo_xapi_statement_set_timestamp_now(s)) < 0)
		goto out;
	if ((rc = somo_xapi_statement_validate(s, &vo, NULL)) < 0) {
		rc = somo__error(rc,
		                 "the %s statement of '%s' is not valid xAPI (is the activity base "
		                 "'%s' an IRI?)",
		                 verb, item_id, c->base);
		goto out;
	}
	if ((rc = somo_xapi_statement_to_json(s, SOMO_XAPI_JSON_COMPACT, &json)) < 0)
		goto out;
	rc = somo_store_outbox_enqueue(st, somo_xapi_statement_id(s), json);
out:
	somo_free(json);
	somo__free(iri);
	somo__free(verb_iri);
	somo_free(att_base);
	somo__free(att_iri);
	somo_xapi_statement_free(s);
	return rc;
}
