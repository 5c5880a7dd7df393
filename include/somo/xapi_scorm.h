/*
 * Somo xAPI SCORM profile: what a SCORM runtime does, as the xAPI
 * statements and state documents of ADL's xAPI SCORM Profile
 * (https://w3id.org/xapi/scorm).
 *
 * A pure mapping: no network, no clock unless no timestamp is given. Every
 * statement has the SCO (or an objective or interaction of it) as object,
 * the course and the attempt activities in context.contextActivities
 * .grouping, and the profile's activity in .category.
 */
#ifndef SOMO_XAPI_SCORM_H
#define SOMO_XAPI_SCORM_H

#include "somo/xapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The profile's category activity, on every statement. */
#define SOMO_XAPI_SCORM_PROFILE "https://w3id.org/xapi/scorm"
/** The state documents of the profile (Appendix, xAPI SCORM Data Objects). */
#define SOMO_XAPI_SCORM_ACTIVITY_STATE   "https://w3id.org/xapi/scorm/activity-state"
#define SOMO_XAPI_SCORM_ATTEMPT_STATE    "https://w3id.org/xapi/scorm/attempt-state"
#define SOMO_XAPI_SCORM_ACTIVITY_PROFILE "https://w3id.org/xapi/scorm/activity-profile"
#define SOMO_XAPI_SCORM_AGENT_PROFILE    "https://w3id.org/xapi/scorm/agent-profile"

/** Runtime events with a statement in the profile. Append only. */
typedef enum {
	SOMO_XAPI_SCORM_INITIALIZED = 1, /**< Initialize / LMSInitialize, a new attempt */
	SOMO_XAPI_SCORM_TERMINATED,      /**< Terminate / LMSFinish */
	SOMO_XAPI_SCORM_SUSPENDED,       /**< exit = suspend */
	SOMO_XAPI_SCORM_RESUMED,         /**< entry = resume */
	SOMO_XAPI_SCORM_COMPLETED,       /**< completion_status / lesson_status completed */
	SOMO_XAPI_SCORM_PASSED,          /**< success_status / lesson_status passed */
	SOMO_XAPI_SCORM_FAILED,          /**< success_status / lesson_status failed */
	SOMO_XAPI_SCORM_SCORED,          /**< a score */
	SOMO_XAPI_SCORM_RESPONDED,       /**< an interaction's learner_response */
	SOMO_XAPI_SCORM_COMMENTED,       /**< comments_from_learner / cmi.comments */
	SOMO_XAPI_SCORM_PROGRESSED       /**< progress_measure */
} somo_xapi_scorm_event;

/** Who and where: the same for every statement of one attempt. */
typedef struct {
	unsigned version;               /**< SOMO_XAPI_SCORM_CONTEXT_VERSION */
	const somo_xapi_actor *learner; /**< required */
	const char *course_iri;         /**< required */
	const char *course_name;        /**< may be NULL */
	const char *sco_iri;            /**< required: "<course IRI>/<sco path>" */
	const char *sco_name;           /**< may be NULL */
	const char *attempt_iri;        /**< required, unique per attempt (see
	                                     somo_xapi_scorm_attempt_iri()) */
	const char *registration;       /**< a UUID, or NULL */
	const char *lang;               /**< of names and displays; NULL: "en-US" */
	int scorm12;                    /**< SCORM 1.2: a raw score with no scaled one is
	                                     reported as score.scaled = raw / 100 */
} somo_xapi_scorm_context;

#define SOMO_XAPI_SCORM_CONTEXT_VERSION 1
#define SOMO_XAPI_SCORM_CONTEXT_INIT                                                               \
	{                                                                                          \
		SOMO_XAPI_SCORM_CONTEXT_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 \
	}

/** One event. Fields an event does not use are ignored. */
typedef struct {
	somo_xapi_scorm_event event;
	const char *timestamp;        /**< ISO 8601, as written; NULL: now */
	unsigned has;                 /**< SOMO_XAPI_RESULT_* bits of the values below */
	double scaled, raw, min, max; /**< cmi.score.* */
	int success, completion;      /**< terminated, suspended: the SCO's result */
	const char *session_time;     /**< ISO 8601 duration (terminated, suspended), or NULL */
	const char *comment;          /**< commented */
	double progress;              /**< progressed: 0..1 */
	const char *objective_id;     /**< completed, passed, failed, scored of an objective
	                                   (its IRI "<sco IRI>/objectives/<id>") rather than the SCO */
	/* responded: */
	const char *interaction_id; /**< cmi.interactions.n.id */
	somo_xapi_interaction interaction_type;
	const char *learner_response;         /**< in xAPI's response format */
	const char *const *correct_responses; /**< patterns, may be NULL */
	size_t correct_count;
	const char *description;        /**< may be NULL */
	const char *interaction_result; /**< "correct", "incorrect", or NULL */
} somo_xapi_scorm_event_data;

/**
 * The statement for one event (no id: the outbox gives it one).
 *
 * @param out receives the statement, the caller's to free with
 *            somo_xapi_statement_free().
 * @return 0; SOMO_EINVAL (a required field missing, an unknown event, a
 *         responded without interaction_id); SOMO_ENOMEM.
 */
SOMO_API int somo_xapi_scorm_statement(const somo_xapi_scorm_context *ctx,
                                       const somo_xapi_scorm_event_data *ev,
                                       somo_xapi_statement **out);

/**
 * An attempt IRI: the SCO IRI with "attemptId=<uuid>" as a query
 * parameter, as the profile's examples write it. *out freed with
 * somo_free(). SOMO_EINVAL when attempt_uuid is not a UUID.
 */
SOMO_API int somo_xapi_scorm_attempt_iri(const char *sco_iri, const char *attempt_uuid, char **out);

/**
 * The Activity State document ({"attempts":[...]}, stateId
 * SOMO_XAPI_SCORM_ACTIVITY_STATE, activityId the SCO IRI), attempts first
 * to latest. *json freed with somo_free().
 */
SOMO_API int somo_xapi_scorm_activity_state(const char *const *attempt_iris, size_t count,
                                            char **json);

/** What the Attempt State document holds; NULL fields are left out. */
typedef struct {
	const char *credit; /**< "credit", "no-credit" */
	const char *mode;   /**< "browse", "normal", "review" */
	const char *location;
	const char *total_time;       /**< ISO 8601 duration */
	const char *preferences_json; /**< the Preferences Object as JSON text, or NULL */
} somo_xapi_scorm_attempt_state;

/**
 * The Attempt State document (stateId SOMO_XAPI_SCORM_ATTEMPT_STATE,
 * activityId the attempt IRI). *json freed with somo_free(). SOMO_EINVAL
 * when credit or mode is not one of the profile's values or
 * preferences_json is not a JSON object.
 */
SOMO_API int somo_xapi_scorm_attempt_state_json(const somo_xapi_scorm_attempt_state *s,
                                                char **json);

#ifdef __cplusplus
}
#endif
#endif
