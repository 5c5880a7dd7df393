/*
 * Somo: the SCORM run-time API (SCORM 2004 Initialize ... Terminate and
 * SCORM 1.2 LMSInitialize ... LMSFinish) over a data model instance.
 *
 * A runtime is one SCO's communication session. Its API functions return
 * exactly the strings the standard's API object returns ("true", "false",
 * a value); the SCORM error code of the last call is kept on the handle, as
 * SQLite keeps errors on a connection:
 *
 *     if (strcmp(somo_rt_set_value(rt, "cmi.score.scaled", "1.7"), "false") == 0)
 *         log("%s", somo_rt_error_string(rt, somo_rt_last_error(rt)));   // 407
 *
 * A handle is used by one thread at a time.
 */
#ifndef SOMO_RUNTIME_H
#define SOMO_RUNTIME_H

#include "somo/common.h"
#include "somo/datamodel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct somo_rt somo_rt;

/**
 * What the host does for the runtime. Every member may be NULL.
 * payload is passed back as the last argument.
 */
typedef struct {
	/** Store the runtime's state (Commit, and Terminate's implicit commit).
	 *  Return 0 when stored; anything else makes Commit fail with 391. */
	int (*commit)(somo_rt *rt, void *payload);
	/** A value accepted only because the runtime is lenient: element is the
	 *  name the content used, value what it sent, what says in words which
	 *  deviation from the standard was tolerated. */
	void (*lenient)(somo_rt *rt, const char *element, const char *value, const char *what,
	                void *payload);
	/** adl.nav.request_valid.*: request is "continue", "previous", "choice" or
	 *  "jump", target the activity (NULL for continue/previous). Return
	 *  "true", "false" or "unknown" (a constant string). Without this
	 *  callback the answer is "unknown". */
	const char *(*nav_request_valid)(somo_rt *rt, const char *request, const char *target,
	                                 void *payload);
	/** Terminate (LMSFinish) succeeded; the state is final for this session. */
	void (*terminate)(somo_rt *rt, void *payload);
	void *payload;
} somo_rt_callbacks;

/** One adl.data store the SCO may reach (the manifest's adlcp:data map). */
typedef struct {
	const char *id;        /**< the store's target id */
	int read_shared_data;  /**< readSharedData: GetValue of .store allowed */
	int write_shared_data; /**< writeSharedData: SetValue of .store allowed */
} somo_rt_data_map;

typedef struct {
	unsigned version; /**< SOMO_RT_OPTS_VERSION */
	int lenient;      /**< accept the common deviations (reported through callbacks.lenient) */
	const somo_rt_callbacks *callbacks; /**< may be NULL; copied */
	const somo_rt_data_map *data_map;   /**< SCORM 2004 adl.data stores; copied */
	size_t data_map_len;
} somo_rt_opts;

#define SOMO_RT_OPTS_VERSION 1
#define SOMO_RT_OPTS_INIT                                                                          \
	{                                                                                          \
		SOMO_RT_OPTS_VERSION, 0, NULL, NULL, 0                                             \
	}

/**
 * Create a runtime for one session, not yet initialized.
 *
 * opts may be NULL (strict, no callbacks, no shared data). On success *out
 * is the caller's, freed with somo_rt_free(). Returns 0, SOMO_EINVAL (bad
 * version or options) or SOMO_ENOMEM.
 */
SOMO_API int somo_rt_new(somo_rt **out, somo_scorm_version version, const somo_rt_opts *opts);

/** Free a runtime. NULL is a no-op. */
SOMO_API void somo_rt_free(somo_rt *rt);

/** The data model version of the runtime. */
SOMO_API somo_scorm_version somo_rt_version(const somo_rt *rt);

/**
 * Set a value the LMS supplies (cmi.learner_id, cmi.launch_data,
 * cmi.scaled_passing_score, cmi.credit, cmi.mode, cmi.comments_from_lms.n.*,
 * cmi.core.student_id, cmi.objectives.n.id from the manifest, ...), bypassing
 * the content's access rules but validating the type. An identifier is taken
 * as the LMS gives it (any non-empty text): the LMS initialises
 * cmi.objectives.n.id from the manifest's objective ids, which may read as
 * text no SetValue of the content would accept (an anyURI with %20 escapes
 * decoded: "ob j 1"). Creating record n requires records 0..n-1 to exist.
 * Use before Initialize.
 *
 * Returns 0, SOMO_ENOTFOUND (no such element), SOMO_EINVALID (bad value,
 * see somo_error_last()) or SOMO_ENOMEM.
 */
SOMO_API int somo_rt_set_lms_value(somo_rt *rt, const char *element, const char *value);

/**
 * The API functions. Each returns the exact string of the standard's API:
 * "true" / "false" for Initialize, Terminate, Commit and SetValue; the
 * value or "" for GetValue. The returned string is borrowed from the
 * runtime and valid until the next call on it. NULL arguments count as "".
 * SCORM 1.2's LMSInitialize, LMSFinish, LMSGetValue, LMSSetValue and
 * LMSCommit are the same functions on a SOMO_SCORM_12 runtime.
 */
SOMO_API const char *somo_rt_initialize(somo_rt *rt, const char *param);
SOMO_API const char *somo_rt_terminate(somo_rt *rt, const char *param);
SOMO_API const char *somo_rt_get_value(somo_rt *rt, const char *element);
SOMO_API const char *somo_rt_set_value(somo_rt *rt, const char *element, const char *value);
SOMO_API const char *somo_rt_commit(somo_rt *rt, const char *param);

/**
 * What the LMS sees of an element, whatever the session's state and the
 * element's access: write-only values (cmi.exit, cmi.session_time), the
 * navigation request after Terminate, completion and success as evaluated,
 * a collection's _count. Does not change the last error.
 *
 * Returns the value (borrowed, valid until the next call on rt), the
 * element's default when it has one, or NULL when the element does not
 * exist or holds no value.
 */
SOMO_API const char *somo_rt_lms_value(somo_rt *rt, const char *element);

/** Where a runtime is in its session. Append only. */
typedef enum {
	SOMO_RT_NOT_INITIALIZED = 0, /**< before Initialize (or after somo_rt_next_session) */
	SOMO_RT_RUNNING = 1,         /**< between Initialize and Terminate */
	SOMO_RT_TERMINATED = 2       /**< after Terminate */
} somo_rt_session_state;

/** The runtime's session state. */
SOMO_API somo_rt_session_state somo_rt_state(const somo_rt *rt);

/** GetLastError as a number: 0 when the last API call succeeded. */
SOMO_API int somo_rt_last_error(const somo_rt *rt);

/**
 * GetErrorString: the standard's text for code, or "" when code is not
 * one of the version's codes. Constant; never NULL. Does not change the
 * last error.
 */
SOMO_API const char *somo_rt_error_string(const somo_rt *rt, int code);

/**
 * GetDiagnostic: for the last error's code, says in words which element
 * and what was wrong; for another known code, its text; "" for an unknown
 * code. Borrowed, valid until the next call on rt. Does not change the
 * last error.
 */
SOMO_API const char *somo_rt_diagnostic(somo_rt *rt, int code);

/**
 * Parse the parameter of GetErrorString / GetDiagnostic as SCORM writes
 * codes (decimal, no sign, no leading zero): the code, or -1 when it is not
 * a code (then the text is "").
 */
SOMO_API int somo_rt_parse_code(const char *s);

/**
 * The runtime's whole state as a JSON object (UTF-8, NUL-terminated),
 * the caller's to free with somo_free(). Returns 0 or SOMO_ENOMEM.
 */
SOMO_API int somo_rt_to_json(const somo_rt *rt, char **out);

/**
 * Restore a state written by somo_rt_to_json() into a runtime of the same
 * version that has not been initialized, exactly as it was.
 * Returns 0, SOMO_EPARSE (not JSON), SOMO_EINVALID (not a state of this
 * version; somo_error_last() says why) or SOMO_ENOMEM. On failure the
 * runtime is unchanged.
 */
SOMO_API int somo_rt_from_json(somo_rt *rt, const char *json);

/**
 * Prepare a restored runtime as the next session of the learner: when the
 * previous session ended in suspend (cmi.exit "suspend", or
 * adl.nav.request "suspendAll"), the attempt goes on: cmi.entry is
 * "resume" and the data stays. Otherwise a new attempt begins: the
 * content's data is cleared, cmi.entry is "ab-initio", and what the LMS
 * supplied (learner, launch data, thresholds, comments from the LMS,
 * shared data stores) and the learner's preferences stay. In SCORM 1.2 the data always stays and
 * cmi.core.entry is "resume" after "suspend", "" otherwise.
 * The session's own values (exit, session time, navigation request) are
 * cleared and the runtime is ready for Initialize again (a session that
 * never terminated is ended as it stands). Returns 0 or SOMO_ENOMEM.
 */
SOMO_API int somo_rt_next_session(somo_rt *rt);

/** Approximate bytes held by the runtime (handle, values, collections). */
SOMO_API size_t somo_rt_memory(const somo_rt *rt);

#ifdef __cplusplus
}
#endif
#endif
