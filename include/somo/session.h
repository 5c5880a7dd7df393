/*
 * Somo: a learner's session on a content package, the object a host uses.
 *
 * A session joins one learner's registration on one package (SCORM 1.2 or
 * SCORM 2004) to the store: it chooses between a new attempt and resuming
 * the last one, runs navigation (SCORM 2004 sequencing, or the SCORM 1.2
 * behaviour: flow through the tree in order and adlcp:prerequisites), says
 * which activity to deliver and with which launch URL, gives the delivered
 * SCO a run-time initialised for it, routes the content's API calls to that
 * run-time, persists every Commit before it returns "true", and at
 * Terminate carries the SCO's results into tracking and acts on its
 * adl.nav.request.
 *
 *     somo_session *s = NULL;
 *     somo_session_nav nav;
 *     somo_session_open(&s, store, manifest, "k-001", NULL);
 *     somo_session_navigate(s, SOMO_NAV_START, NULL, &nav);   // nav.deliver
 *     char *url = somo_session_launch_url(s);                   // serve it
 *     somo_session_initialize(s, "");                            // the SCO's calls ...
 *     somo_session_set_value(s, "cmi.completion_status", "completed");
 *     somo_session_set_value(s, "adl.nav.request", "continue");
 *     somo_session_terminate(s, "", &nav);                       // nav.deliver: the next one
 *     somo_session_free(s);
 *
 * What is stored: the learner, the package, one registration per learner and
 * package, its attempts (a new one begins after the previous one ended; a
 * suspended or interrupted one is resumed), each SCO's run-time state, the
 * sequencing state (SCORM 2004 tracking, or the SCORM 1.2 statuses and
 * position), global objectives (scoped to the learner, and to the package
 * unless adlseq:objectivesGlobalToSystem) and adl.data shared data stores
 * (likewise with adlcp:sharedDataGlobalToSystem).
 *
 * Threads: a session is used by one thread at a time, with a store handle
 * that no other thread uses at the same time; a manifest may be shared by
 * sessions on many threads. Strings returned are borrowed from the session
 * and valid until its next call unless said otherwise.
 *
 * With opts.xapi_activity_base the session also puts xAPI statements into
 * the store's outbox (for somo_lrs or the player to deliver).
 */
#ifndef SOMO_SESSION_H
#define SOMO_SESSION_H

#include <stdbool.h>

#include "somo/common.h"
#include "somo/datamodel.h"
#include "somo/manifest.h"
#include "somo/runtime.h"
#include "somo/sequencing.h"
#include "somo/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct somo_session somo_session;

/** Options of somo_session_open(). Zero fields take the default. */
typedef struct {
	unsigned version; /**< SOMO_SESSION_OPTS_VERSION */
	/** Seed of selection and randomization (SCORM 2004); 0: the default. */
	uint64_t seed;
	/** The package's id in the store; NULL: the manifest's identifier
	 * (or, when it has none, package_path). */
	const char *package_id;
	/** Where the package was loaded from, recorded in the store; may be NULL. */
	const char *package_path;
	/** The learner's name (cmi.learner_name); NULL keeps the stored one. */
	const char *learner_name;
	/** The organization to play; NULL: the default one. */
	const char *org_id;
	/** Most attempts allowed on the registration; 0: no limit. */
	uint32_t max_attempts;
	/** Run-times accept the common deviations of authoring tools. */
	int lenient;
	/** Begin a new attempt even when the last one could be resumed. */
	int new_attempt;
	/** xAPI: an IRI ending in "/" or ":" ("https://lms.example/courses/c1/")
	 * under which the course and its activities are named (the course is
	 * the IRI itself, an activity the IRI followed by its item identifier).
	 * When set, the session puts statements into the store's outbox with
	 * the verbs of ADL's xAPI SCORM profile: initialized / resumed at
	 * Initialize; completed, passed, failed (with the score), then
	 * suspended or terminated (with the session time) at Terminate. NULL:
	 * no statements. */
	const char *xapi_activity_base;
	/** The homePage of the learner's xAPI account (the account name is the
	 * learner id); NULL: xapi_activity_base. */
	const char *xapi_account_home;
} somo_session_opts;

#define SOMO_SESSION_OPTS_VERSION 1
#define SOMO_SESSION_OPTS_INIT                                                                     \
	{                                                                                          \
		SOMO_SESSION_OPTS_VERSION, 0, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL          \
	}

/**
 * Open learner_id's registration on the package of man (SCORM 1.2 or SCORM
 * 2004; another standard is SOMO_EUNSUPPORTED). The learner, package and
 * registration are created in the store when absent. The last attempt is
 * resumed when it was suspended or interrupted (its sequencing state and, if
 * an activity was still delivered, that activity with its committed
 * run-time state); otherwise a new attempt begins, keeping the tracking of
 * the previous ones (attempt counts, objectives), unless max_attempts would
 * be exceeded (SOMO_ELIMIT).
 *
 * store and man are borrowed and must outlive the session. opts may be
 * NULL. On success *out is the caller's, freed with somo_session_free().
 * Returns 0, SOMO_EINVAL, SOMO_EUNSUPPORTED, SOMO_ENOTFOUND (no such
 * organization), SOMO_ELIMIT, SOMO_ECORRUPT (a stored state that cannot be
 * read), a store error, or SOMO_ENOMEM; somo_error_last() says why.
 */
SOMO_API int somo_session_open(somo_session **out, somo_store *store, const somo_manifest *man,
                               const char *learner_id, const somo_session_opts *opts);

/**
 * Free a session. What was committed is in the store; a SCO still running
 * is left as it stands (the next open of the registration finds it
 * delivered, with its committed state). NULL is a no-op.
 */
SOMO_API void somo_session_free(somo_session *s);

/** SOMO_SCORM_12 or SOMO_SCORM_2004: the data model of the package's SCOs. */
SOMO_API somo_scorm_version somo_session_scorm_version(const somo_session *s);

/** The registration id (a UUID), borrowed. */
SOMO_API const char *somo_session_registration(const somo_session *s);

/** The attempt number (1, 2, ...) of the registration being played. */
SOMO_API uint32_t somo_session_attempt(const somo_session *s);

/* ------------------------------------------------------------------------ */
/* Navigation                                                                */

/** What a navigation did. */
typedef struct {
	/** The request was honoured: valid, and it delivered an activity,
	 * ended the session, or (exit, abandon) ended the activity without an
	 * exception. A request that was valid but whose sequencing or delivery
	 * raised an exception (a disabled or exhausted target ...) is not. */
	bool accepted;
	/** The activity delivered (borrowed), NULL when none was delivered. */
	const char *deliver;
	/** The session ended: no activity is delivered any more (exitAll,
	 * suspendAll, abandonAll, continue past the last activity ...). */
	bool ended;
	/** Why nothing was delivered, in words (static), NULL when delivered. */
	const char *reason;
} somo_session_nav;

/**
 * Run a navigation request (target: the activity id for choice and jump).
 * A SCO still running is first ended as a browser unload would end it:
 * its state is committed and its results go into tracking, its own pending
 * adl.nav.request is overridden by req. Then the request runs (SCORM 2004:
 * the Overall Sequencing Process; SCORM 1.2: flow, choice among visible
 * items whose prerequisites hold) and the state is stored. out may be NULL.
 *
 * Returns 0 whether or not the request was honoured (see out), negative
 * when the call failed (SOMO_EINVAL, SOMO_ENOMEM, a store error).
 */
SOMO_API int somo_session_navigate(somo_session *s, somo_nav_request req, const char *target,
                                   somo_session_nav *out);

/** Would req (with target for choice and jump) be honoured now? No side effects. */
SOMO_API bool somo_session_request_valid(const somo_session *s, somo_nav_request req,
                                         const char *target);

/** The buttons of a player: each non-choice request's validity now. */
SOMO_API void somo_session_nav_valid(const somo_session *s, somo_seq_nav_state *out);

/* ------------------------------------------------------------------------ */
/* The delivered activity                                                    */

/** The delivered activity's id, NULL when none is delivered. Borrowed. */
SOMO_API const char *somo_session_current(const somo_session *s);

/** The delivered activity's manifest item, NULL when none. Borrowed from the manifest. */
SOMO_API const somo_manifest_item *somo_session_current_item(const somo_session *s);

/**
 * The delivered activity's launch URL: its resource's href resolved against
 * xml:base, with the item's parameters. The caller frees it with
 * somo_free(); NULL when none is delivered or the item has no launch.
 */
SOMO_API char *somo_session_launch_url(const somo_session *s);

/**
 * The SCORM API of the delivered SCO, with the semantics of somo_rt_*
 * (somo/runtime.h): the strings the standard's API returns, borrowed until
 * the next call. SCORM 1.2's LMSxxx calls are the same functions. Before
 * any activity was delivered every call fails ("false" or "") with error
 * 101; once the delivered SCO has ended, calls reach its finished run-time
 * (SCORM's errors after termination) until another activity is delivered.
 *
 * Commit (and Terminate's implicit commit) store the run-time state before
 * returning "true"; when the store fails they return "false" with 391.
 */
SOMO_API const char *somo_session_initialize(somo_session *s, const char *param);
SOMO_API const char *somo_session_get_value(somo_session *s, const char *element);
SOMO_API const char *somo_session_set_value(somo_session *s, const char *element,
                                            const char *value);
SOMO_API const char *somo_session_commit(somo_session *s, const char *param);

/**
 * Terminate (LMSFinish). When it succeeds the SCO's results go into tracking
 * (completion, success, scores, progress, objectives by id, session time,
 * cmi.exit suspend), everything is stored, and the SCO's adl.nav.request
 * is acted on (SCORM 2004; _none_ ends the activity's attempt). nav (may be
 * NULL) says what that navigation did; nav->accepted is false when no
 * navigation ran.
 */
SOMO_API const char *somo_session_terminate(somo_session *s, const char *param,
                                            somo_session_nav *nav);

/**
 * Whether the delivered SCO is running: Initialize succeeded and Terminate
 * has not. A host shutting down may Commit it (what was set since its last
 * Commit is then kept) or leave it to the next opening of the registration.
 */
SOMO_API bool somo_session_running(const somo_session *s);

/**
 * Whether the delivered activity's content is to be launched now: an
 * activity is delivered and its SCO has not terminated (it may not have
 * initialised yet, or be running). False when nothing is delivered, and when
 * somo_session_current() still names an activity that has ended: after its
 * Terminate, after an exit navigation, or when a reopened registration finds
 * its SCO had terminated (Initialize would then fail with 101 or 104 until
 * the next navigation delivers an activity). NULL gives false.
 */
SOMO_API bool somo_session_launchable(const somo_session *s);

/** GetLastError of the delivered SCO's run-time (101 with none delivered). */
SOMO_API int somo_session_last_error(const somo_session *s);

/** GetErrorString: the text of code in the package's SCORM version. Constant. */
SOMO_API const char *somo_session_error_string(const somo_session *s, int code);

/** GetDiagnostic for code. Borrowed until the next call. */
SOMO_API const char *somo_session_diagnostic(somo_session *s, int code);

/* ------------------------------------------------------------------------ */
/* The player's view                                                         */

/** One entry of the table of contents. Strings borrowed. */
typedef struct {
	const char *id;
	const char *title;
	int depth;                  /**< 0 for the root (the organization) */
	bool visible;               /**< shown in a table of contents */
	bool choosable;             /**< a choice navigation to it would be honoured now */
	bool current;               /**< the delivered activity */
	somo_seq_status completion; /**< COMPLETED, INCOMPLETE or UNKNOWN */
	somo_seq_status success;    /**< PASSED, FAILED or UNKNOWN */
} somo_session_toc_entry;

/** Number of table of contents entries (the root included). */
SOMO_API size_t somo_session_toc_count(const somo_session *s);

/** Fill *out with entry i in tree order. Returns 0 or SOMO_ENOTFOUND. */
SOMO_API int somo_session_toc_at(const somo_session *s, size_t i, somo_session_toc_entry *out);

/**
 * The course's rolled-up status (SCORM 2004: the root activity's; SCORM
 * 1.2: completed when every SCO is completed or passed, failed when one
 * failed, passed when all are done and one passed).
 */
SOMO_API void somo_session_course(const somo_session *s, somo_seq_course_status *out);

#ifdef __cplusplus
}
#endif
#endif
