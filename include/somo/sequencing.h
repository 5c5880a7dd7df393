/*
 * Somo: SCORM 2004 sequencing and navigation (the SN book, 4th edition,
 * Appendix C): the activity tree of one organization, its tracking model,
 * global shared objectives and the processes that turn navigation requests
 * into deliveries.
 *
 * A somo_seq handle is one learner's attempt on one organization. It
 * borrows the manifest (which must outlive it) and knows nothing of the
 * run-time data model: the host reports what a delivered activity's content
 * did (somo_seq_report()) in neutral terms and reads back what the content
 * should start with (somo_seq_current(), somo_seq_objective_at()).
 *
 * The usual flow:
 *
 *     somo_seq *seq = NULL;
 *     somo_seq_result res;
 *     somo_seq_new(&seq, man, NULL, NULL);
 *     somo_seq_navigate(seq, SOMO_NAV_START, NULL, &res);   // res.deliver
 *     ... the content runs; at its end:
 *     somo_seq_report(seq, &what_the_content_reported);
 *     somo_seq_navigate(seq, SOMO_NAV_CONTINUE, NULL, &res);
 *     ...
 *     somo_seq_free(seq);
 *
 * Activity ids are the item identifiers (trimmed) and, for the root of the
 * tree, the organization's identifier. Strings returned by the handle are
 * borrowed: valid until somo_seq_free() unless said otherwise.
 *
 * A handle is used by one thread at a time. Queries (validity, table of
 * contents, status) never change the state.
 *
 * Where the SN book leaves room, Somo does what ADL's reference
 * implementation does and its conformance suite expects: an objective that
 * reads a global objective's satisfaction or measure sees the global's value
 * even when it is unknown; abandon forgets what the content reported on the
 * abandoned attempt; an "all" or "none" rollup rule holds when no child
 * contributes and a rollup rule that does not fire leaves the status alone;
 * backward flow does not leave a forward-only cluster; constrained choice is
 * looked for from the current activity's parent; a one-activity package
 * starts without flow; objective ids compare as xs:anyURI (%20 escapes,
 * collapsed whitespace). Each is commented where it is done.
 */
#ifndef SOMO_SEQUENCING_H
#define SOMO_SEQUENCING_H

#include <stdbool.h>

#include "somo/common.h"
#include "somo/manifest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Navigation requests                                                       */

/** Navigation requests (SN book 4.4.2). Append only. */
typedef enum {
	SOMO_NAV_START = 0,
	SOMO_NAV_RESUME_ALL,
	SOMO_NAV_CONTINUE,
	SOMO_NAV_PREVIOUS,
	SOMO_NAV_CHOICE, /**< needs a target */
	SOMO_NAV_JUMP,   /**< needs a target */
	SOMO_NAV_EXIT,
	SOMO_NAV_EXIT_ALL,
	SOMO_NAV_ABANDON,
	SOMO_NAV_ABANDON_ALL,
	SOMO_NAV_SUSPEND_ALL,
	SOMO_NAV_NONE /**< "_none_": nothing to do (see somo_seq_navigate()) */
} somo_nav_request;

/** "start", "resumeAll", "continue", ..., "_none_". Static; "" for an unknown value. */
SOMO_API const char *somo_nav_name(somo_nav_request req);

/**
 * Read a navigation request as the content writes adl.nav.request:
 * "continue", "_none_", "{target=ID}choice", "{target=ID}jump". On success
 * *req is the request and, for choice and jump, *target / *target_len point
 * into s at the target id (NULL / 0 otherwise; target and target_len may be
 * NULL when not wanted). Returns 0, or SOMO_EINVAL when s is not a request.
 */
SOMO_API int somo_nav_parse(const char *s, somo_nav_request *req, const char **target,
                            size_t *target_len);

/* ------------------------------------------------------------------------ */
/* Handles and options                                                       */

typedef struct somo_seq somo_seq;

/**
 * A table of global shared objectives, keyed by target objective id. A
 * handle creates its own unless the host gives it one in the options: a
 * host that honours adlseq:objectivesGlobalToSystem="true" gives every
 * handle of one learner the same table, so objectives are shared between
 * that learner's courses. Opaque; used by one thread at a time.
 */
typedef struct somo_seq_globals somo_seq_globals;

/** Options of somo_seq_new(). Zero fields take the default. */
typedef struct {
	unsigned version; /**< SOMO_SEQ_OPTS_VERSION */
	/** Seed for selection and randomization: the same seed and the same
	 * requests give the same order. 0 takes the default seed (1). */
	uint64_t seed;
	/** The global objectives to use, borrowed (must outlive the handle);
	 * NULL: the handle keeps its own, saved with its state. For an
	 * organization whose objectives are not global to the system
	 * (adlseq:objectivesGlobalToSystem="false") give a table of this
	 * course alone (or NULL): it starts over with each new attempt on the
	 * whole activity tree (retry of the root, or start after an ended
	 * session). */
	somo_seq_globals *globals;
	/** Largest activity tree accepted, default 1,000,000 activities. */
	uint32_t max_activities;
} somo_seq_opts;

#define SOMO_SEQ_OPTS_VERSION 1
#define SOMO_SEQ_OPTS_INIT                                                                         \
	{                                                                                          \
		SOMO_SEQ_OPTS_VERSION, 0, NULL, 0                                                  \
	}

/**
 * Build the activity tree of organization org_id (NULL: the default
 * organization) of a SCORM 2004 manifest, with a fresh tracking model.
 * Selection and randomization with timing "once" are applied here.
 *
 * man is borrowed and must outlive the handle. opts may be NULL. On success
 * *out is the caller's, freed with somo_seq_free(). Returns 0, SOMO_EINVAL
 * (NULL argument, bad options version), SOMO_ENOTFOUND (no such or no
 * organization), SOMO_ELIMIT (tree too large) or SOMO_ENOMEM.
 */
SOMO_API int somo_seq_new(somo_seq **out, const somo_manifest *man, const char *org_id,
                          const somo_seq_opts *opts);

/** Free a handle. NULL is a no-op. A borrowed globals table is not freed. */
SOMO_API void somo_seq_free(somo_seq *seq);

/* ------------------------------------------------------------------------ */
/* Running a navigation request: the Overall Sequencing Process (OP.1)      */

/** What a navigation request did. */
typedef struct {
	/** The navigation request was accepted (NB.2.1 said valid). */
	bool accepted;
	/** Id of the activity delivered by this request (borrowed), NULL when
	 * nothing was delivered. */
	const char *deliver;
	/** The sequencing session ended (exitAll, suspendAll, abandonAll, exit
	 * of the root, continue past the last activity): there is no current
	 * activity and the next session begins with start or resumeAll. */
	bool ended;
	/** The SN book exception that stopped the request ("NB.2.1-2",
	 * "SB.2.12-1", "DB.1.1-3" ...), static, NULL when none. A request
	 * can be accepted and still deliver nothing with an exception raised
	 * by sequencing or delivery. */
	const char *exception;
	/** The exception in words, static, NULL when none. */
	const char *exception_text;
} somo_seq_result;

/**
 * Run the Overall Sequencing Process (OP.1) for a navigation request.
 * target is the activity id for choice and jump (ignored otherwise).
 * When a delivered activity is still running (not reported ended), the
 * request ends it first as the book says (an exit, abandon ... termination).
 *
 * SOMO_NAV_NONE stands for "the content ended without a request": nothing
 * is processed (the result is accepted, nothing delivered); the running
 * activity's attempt ends with the next navigation request, as ADL's
 * reference implementation waits for the learner's choice. A host that
 * wants the attempt ended at once sends SOMO_NAV_EXIT.
 *
 * Fills *out (never NULL). Returns 0 whether or not the request was honoured
 * (see out->accepted, out->deliver, out->exception); negative only when the
 * call itself failed: SOMO_EINVAL (bad argument) or SOMO_ENOMEM.
 */
SOMO_API int somo_seq_navigate(somo_seq *seq, somo_nav_request req, const char *target,
                               somo_seq_result *out);

/* ------------------------------------------------------------------------ */
/* The delivered activity                                                    */

/** cmi.entry of a delivery. */
typedef enum {
	SOMO_SEQ_ENTRY_AB_INITIO = 0, /**< a new attempt */
	SOMO_SEQ_ENTRY_RESUME = 1,    /**< a suspended attempt goes on */
	SOMO_SEQ_ENTRY_NONE = 2       /**< neither (not normally seen) */
} somo_seq_entry;

/** What the run-time needs about the current activity. */
typedef struct {
	const char *id; /**< activity id */
	const char *title;
	/** Its item (resource, parameters, launch URL); NULL only for an
	 * organization without items, whose root is then delivered. */
	const somo_manifest_item *item;
	bool active; /**< the attempt is running (not yet ended) */
	somo_seq_entry entry;
	uint32_t attempt_count; /**< attempts on this activity, this one included */
	bool tracked;           /**< deliveryControls@tracked */
	bool completion_set_by_content;
	bool objective_set_by_content;
	/** adlcp:completionThreshold with completedByMeasure: the progress
	 * measure the content must reach; absent otherwise. */
	bool has_completion_threshold;
	double completion_threshold;
	/** The primary objective's minNormalizedMeasure when it is
	 * satisfiedByMeasure; absent otherwise. */
	bool has_scaled_passing_score;
	double scaled_passing_score;
	/** adlcp:timeLimitAction and attemptAbsoluteDurationLimit (cmi.max_time_allowed). */
	somo_time_limit_action time_limit_action;
	const char *attempt_duration_limit; /**< xs:duration as written, NULL when none */
	unsigned hide_lms_ui;               /**< somo_hide_lms_ui bits of the item */
	const char *data_from_lms;          /**< adlcp:dataFromLMS, NULL when none */
} somo_seq_delivery;

/**
 * The current activity (the one delivered last, possibly ended and not yet
 * followed by another). Fills *out. Returns 0, or SOMO_ENOTFOUND when
 * there is no current activity.
 */
SOMO_API int somo_seq_current(const somo_seq *seq, somo_seq_delivery *out);

/** Id of the current activity, NULL when none. Borrowed. */
SOMO_API const char *somo_seq_current_id(const somo_seq *seq);

/** Completion / success statuses in the neutral terms of the tracking model. */
typedef enum {
	SOMO_SEQ_KEEP = 0,    /**< in a report: leave the value as it is */
	SOMO_SEQ_UNKNOWN = 1, /**< not known (written: the value is cleared) */
	SOMO_SEQ_COMPLETED = 2,
	SOMO_SEQ_INCOMPLETE = 3,
	SOMO_SEQ_PASSED = 4, /**< satisfied */
	SOMO_SEQ_FAILED = 5  /**< not satisfied */
} somo_seq_status;

/**
 * The SCORM 2004 vocabulary word of a status: "completed", "incomplete",
 * "passed", "failed", or "unknown" (for UNKNOWN, KEEP and any other value).
 * Static; never NULL.
 */
SOMO_API const char *somo_seq_status_name(somo_seq_status st);

/**
 * One objective's values: what the content should be initialised with
 * (somo_seq_objective_at()), or what it reported (somo_seq_report()).
 * has_* false means unknown (or, in a report, not written).
 */
typedef struct {
	const char *id;             /**< objective id */
	somo_seq_status success;    /**< UNKNOWN, PASSED or FAILED (KEEP in a report) */
	somo_seq_status completion; /**< UNKNOWN, COMPLETED or INCOMPLETE (KEEP in a report) */
	bool has_scaled;
	double scaled; /**< normalized measure -1..1 */
	bool has_raw, has_min, has_max;
	double raw, min, max;
	bool has_progress;
	double progress; /**< progress measure 0..1 */
} somo_seq_objective_values;

/**
 * The current activity's objectives, primary first (its id may be NULL
 * when the manifest gives it none), as the content is initialised with them
 * at delivery: the activity's objective progress, read through the
 * objectives' maps from global objectives. Returns the count (0 when there
 * is no current activity).
 */
SOMO_API size_t somo_seq_objective_count(const somo_seq *seq);

/**
 * Fill *out with the i-th objective of the current activity. Returns 0, or
 * SOMO_ENOTFOUND when i is out of range. Strings are borrowed.
 */
SOMO_API int somo_seq_objective_at(const somo_seq *seq, size_t i, somo_seq_objective_values *out);

/* ------------------------------------------------------------------------ */
/* What the content reported                                                 */

/**
 * What a delivered activity's content reported (in SCORM terms, the SCO's
 * run-time values at Commit or Terminate). A zero field (KEEP, has_* false)
 * leaves the tracking value alone; UNKNOWN clears it. A completion or
 * success status the content wrote counts as set by the content even when
 * it is UNKNOWN (in SCORM: a cmi.completion_status that evaluates to
 * "unknown" against the completion threshold), so the end of the attempt
 * does not put a default in its place.
 */
typedef struct {
	unsigned version;           /**< SOMO_SEQ_REPORT_VERSION */
	somo_seq_status completion; /**< attempt completion status */
	somo_seq_status success;    /**< primary objective satisfied status */
	bool has_scaled;            /**< primary objective normalized measure */
	double scaled;
	bool has_raw, has_min, has_max; /**< primary objective raw/min/max score */
	double raw, min, max;
	bool has_progress; /**< attempt completion amount (progress measure) */
	double progress;
	/** Objectives by id; an id naming no objective of the activity is
	 * ignored; the primary objective's id is allowed (the fields above
	 * are applied after these). */
	const somo_seq_objective_values *objectives;
	size_t objective_count;
	/** Time the content was in use in this report's session, added to the
	 * attempt's and activity's experienced durations; negative: none. */
	double session_seconds;
	/** The content asked to be resumed later (cmi.exit = suspend): the
	 * attempt is suspended when it ends. */
	bool suspend;
	/** The content's attempt is over (Terminate): the session's next
	 * navigation request ends it. false for a Commit. */
	bool terminated;
} somo_seq_report_data;

#define SOMO_SEQ_REPORT_VERSION 1
#define SOMO_SEQ_REPORT_INIT                                                                       \
	{                                                                                          \
		SOMO_SEQ_REPORT_VERSION, SOMO_SEQ_KEEP, SOMO_SEQ_KEEP, false, 0, false, false,     \
		    false, 0, 0, 0, false, 0, NULL, 0, -1.0, false, false                          \
	}

/**
 * Write what the current activity's content reported into the tracking
 * model, through the objectives' write maps into global objectives, and
 * roll the change up (Overall Rollup Process) so that validity and the
 * table of contents reflect it at once. The attempt itself ends with the
 * next navigation request. Call it at each Commit and at Terminate. Nothing
 * is changed when it fails. Returns 0, SOMO_ESTATE when no activity is
 * running, or SOMO_EINVAL (bad version, values out of range).
 */
SOMO_API int somo_seq_report(somo_seq *seq, const somo_seq_report_data *r);

/* ------------------------------------------------------------------------ */
/* Validity of requests and the player's navigation                         */

/** A three-valued answer for adl.nav.request_valid.*. */
typedef enum { SOMO_SEQ_FALSE = 0, SOMO_SEQ_TRUE = 1, SOMO_SEQ_UNKNOWN_VALUE = 2 } somo_seq_tri;

/**
 * Would req (with target for choice and jump) be honoured now, judged from
 * the current state without changing it: the Navigation Request Process
 * (NB.2.1), then (for start, resumeAll, previous, choice and jump) the
 * sequencing and delivery request processes as far as they run without
 * side effects. The termination a request implies for a running activity
 * is not simulated, and continue is judged by NB.2.1 alone (it is offered
 * whenever the current activity's cluster flows), as ADL's reference
 * implementation does. Never allocates.
 */
SOMO_API bool somo_seq_request_valid(const somo_seq *seq, somo_nav_request req, const char *target);

/** Every non-choice request at once, for drawing a player's buttons. */
typedef struct {
	bool start, resume_all, continue_, previous, exit, exit_all;
	bool abandon, abandon_all, suspend_all;
} somo_seq_nav_state;

/** Fill *out for the current state. Never changes the state. */
SOMO_API void somo_seq_nav_valid(const somo_seq *seq, somo_seq_nav_state *out);

/** One entry of the table of contents. */
typedef struct {
	const char *id;
	const char *title;
	int depth;          /**< 0 for the root */
	const char *parent; /**< parent id, NULL for the root */
	bool is_leaf;
	/** isvisible, selected, and neither it nor an ancestor hidden from
	 * choice by a precondition rule. */
	bool visible;
	bool isvisible;          /**< the item's isvisible attribute */
	bool hidden_from_choice; /**< a hiddenFromChoice precondition rule applies now */
	bool disabled;           /**< a disabled precondition rule applies now */
	bool limit_exceeded;     /**< the Limit Conditions Check (UP.1) fails now */
	bool available;          /**< selected into the tree (selection) */
	/** A choice navigation request targeting it would be honoured now
	 * (somo_seq_request_valid() for choice). */
	bool choosable;
	bool active, suspended, current;
	uint32_t attempt_count;
	somo_seq_status completion; /**< COMPLETED, INCOMPLETE or UNKNOWN */
	somo_seq_status success;    /**< PASSED, FAILED or UNKNOWN */
	bool has_measure;
	double measure;
} somo_seq_toc_entry;

/** Number of activities in the tree (the root included). */
SOMO_API size_t somo_seq_activity_count(const somo_seq *seq);

/**
 * Fill *out with activity i in tree order (0 is the root; the order is the
 * one after selection and randomization, unselected activities last).
 * Returns 0, or SOMO_ENOTFOUND when i is out of range.
 */
SOMO_API int somo_seq_toc_at(const somo_seq *seq, size_t i, somo_seq_toc_entry *out);

/** The index of an activity by id (for somo_seq_toc_at()), or SOMO_ENOTFOUND. */
SOMO_API int somo_seq_find(const somo_seq *seq, const char *id, size_t *index);

/** The rolled-up status of the whole course (the root activity). */
typedef struct {
	somo_seq_status completion; /**< COMPLETED, INCOMPLETE or UNKNOWN */
	somo_seq_status success;    /**< PASSED, FAILED or UNKNOWN */
	bool has_measure;
	double measure;
	bool has_progress;
	double progress;
	uint32_t attempt_count;
	bool suspended; /**< a suspended session can be resumed (resumeAll) */
	bool ended;     /**< no current activity */
} somo_seq_course_status;

/** Fill *out with the root activity's status. */
SOMO_API void somo_seq_course(const somo_seq *seq, somo_seq_course_status *out);

/* ------------------------------------------------------------------------ */
/* Global shared objectives                                                  */

/** Create an empty table (the caller's, freed with somo_seq_globals_free()).
 * Returns 0 or SOMO_ENOMEM. */
SOMO_API int somo_seq_globals_new(somo_seq_globals **out);

/** Free a table. NULL is a no-op. Handles using it must be freed first. */
SOMO_API void somo_seq_globals_free(somo_seq_globals *g);

/** The table a handle uses (its own or the one given in the options). */
SOMO_API somo_seq_globals *somo_seq_globals_of(somo_seq *seq);

/** Number of global objectives in the table. */
SOMO_API size_t somo_seq_globals_count(const somo_seq_globals *g);

/** The i-th global objective (out->id is its target id, borrowed until the
 * table changes). Returns 0 or SOMO_ENOTFOUND. */
SOMO_API int somo_seq_globals_at(const somo_seq_globals *g, size_t i,
                                 somo_seq_objective_values *out);

/** The global objective with target id id. Returns 0 or SOMO_ENOTFOUND. */
SOMO_API int somo_seq_globals_get(const somo_seq_globals *g, const char *id,
                                  somo_seq_objective_values *out);

/**
 * Write a global objective (created when absent): v->id is the target id;
 * KEEP / has_* false fields are left alone, UNKNOWN clears. Returns 0,
 * SOMO_EINVAL or SOMO_ENOMEM.
 */
SOMO_API int somo_seq_globals_set(somo_seq_globals *g, const somo_seq_objective_values *v);

/** The table as a JSON text (the caller frees with somo_free()); NULL on
 * SOMO_ENOMEM. */
SOMO_API char *somo_seq_globals_to_json(const somo_seq_globals *g);

/** Replace the table's content with a JSON text made by
 * somo_seq_globals_to_json(). Returns 0, SOMO_ECORRUPT or SOMO_ENOMEM; on
 * failure the table is unchanged. */
SOMO_API int somo_seq_globals_from_json(somo_seq_globals *g, const char *json);

/* ------------------------------------------------------------------------ */
/* Saving and restoring the state                                            */

/**
 * The whole sequencing state as JSON text: every activity's tracking
 * (objectives, attempt and activity progress, durations), the order of
 * children after selection and randomization, the current and suspended
 * activities, the random generator and (when the handle owns its table)
 * the global objectives. The caller frees it with somo_free(); NULL on
 * SOMO_ENOMEM (see somo_error_last()).
 */
SOMO_API char *somo_seq_state_to_json(const somo_seq *seq);

/**
 * Restore a state made by somo_seq_state_to_json() for the same
 * organization. Activities the state names that the tree lacks, or the
 * reverse, make it SOMO_ECORRUPT; on any failure the handle is unchanged.
 * Returns 0, SOMO_EINVAL, SOMO_ECORRUPT or SOMO_ENOMEM.
 */
SOMO_API int somo_seq_state_from_json(somo_seq *seq, const char *json);

#ifdef __cplusplus
}
#endif
#endif
