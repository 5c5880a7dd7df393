/*
 * Somo xAPI: statements for xAPI 1.0.3 and 2.0 (IEEE 9274.1.1): a model
 * built field by field or parsed from JSON, validation against the xAPI
 * rules with every problem named by its JSON path, and serialisation that
 * writes numbers as they were written (0.8314 stays 0.8314).
 *
 *     somo_xapi_statement *st = NULL;
 *     somo_xapi_actor me = {.name = "Kai", .mbox = "mailto:kai@example.org"};
 *     somo_xapi_activity course = {.id = "https://example.org/course/1"};
 *     char *json = NULL;
 *
 *     if (somo_xapi_statement_new(&st) < 0 ||
 *         somo_xapi_statement_set_actor(st, &me) < 0 ||
 *         somo_xapi_statement_set_verb(st, SOMO_XAPI_VERB_COMPLETED, "en-US", "completed") < 0 ||
 *         somo_xapi_statement_set_object_activity(st, &course) < 0 ||
 *         somo_xapi_statement_to_json(st, 0, &json) < 0)
 *         ...;
 *     somo_free(json);
 *     somo_xapi_statement_free(st);
 *
 * A statement handle is used by one thread at a time.
 */
#ifndef SOMO_XAPI_H
#define SOMO_XAPI_H

#include <stddef.h>
#include <stdint.h>

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The xAPI versions whose rules Somo validates against. Append only. */
typedef enum {
	SOMO_XAPI_1_0_3 = 1, /**< xAPI 1.0.3 */
	SOMO_XAPI_2_0 = 2    /**< xAPI 2.0 (IEEE 9274.1.1-2023) */
} somo_xapi_version;

/** The ADL verb that voids a statement; its object must be a StatementRef. */
#define SOMO_XAPI_VERB_VOIDED    "http://adlnet.gov/expapi/verbs/voided"
#define SOMO_XAPI_VERB_COMPLETED "http://adlnet.gov/expapi/verbs/completed"

/** A statement: opaque. */
typedef struct somo_xapi_statement somo_xapi_statement;

/** Every problem validation found: opaque, read with the accessors below. */
typedef struct somo_xapi_problems somo_xapi_problems;

/* ------------------------------------------------------------------ */
/* Parsing and serialising                                             */
/* ------------------------------------------------------------------ */

/** Options of parsing. NULL means the defaults. Fields are only appended. */
typedef struct {
	unsigned version; /**< SOMO_XAPI_PARSE_OPTS_VERSION */
	size_t max_bytes; /**< largest accepted JSON text; 0 = 4 MiB */
} somo_xapi_parse_opts;

#define SOMO_XAPI_PARSE_OPTS_VERSION 1
#define SOMO_XAPI_PARSE_OPTS_INIT                                                                  \
	{                                                                                          \
		SOMO_XAPI_PARSE_OPTS_VERSION, 0                                                    \
	}

/**
 * Parse one statement from JSON text (len bytes, need not be NUL-terminated).
 * The text must be a JSON object with no duplicate keys; it is NOT checked
 * against the xAPI rules here (see somo_xapi_statement_validate()), so a
 * statement that breaks them can still be held, inspected and reported.
 *
 * @param out   receives the statement, the caller's to free with
 *              somo_xapi_statement_free(); NULL on failure.
 * @param opts  NULL for defaults.
 * @param diag  may be NULL; on SOMO_EPARSE it holds line, column and text.
 * @return 0; SOMO_EPARSE when the text is not JSON or not an object;
 *         SOMO_ELIMIT when it is larger than opts->max_bytes; SOMO_EINVAL,
 *         SOMO_ENOMEM.
 */
SOMO_API int somo_xapi_statement_parse(somo_xapi_statement **out, const char *json, size_t len,
                                       const somo_xapi_parse_opts *opts, somo_diag *diag);

/** Flags of somo_xapi_statement_to_json(). */
#define SOMO_XAPI_JSON_COMPACT   0u /**< one line, no spaces (the default) */
#define SOMO_XAPI_JSON_PRETTY    1u /**< indented by two spaces */
#define SOMO_XAPI_JSON_SORT_KEYS 2u /**< object keys sorted (stable output) */

/**
 * Serialise a statement as JSON. Numbers are written in the shortest form
 * that reads back as the same double (0.8314, not 0.83140000000000003).
 *
 * @param out receives a NUL-terminated string, the caller's to free with
 *            somo_free().
 * @return 0, SOMO_EINVAL (NULL arguments), SOMO_ENOMEM.
 */
SOMO_API int somo_xapi_statement_to_json(const somo_xapi_statement *st, unsigned flags, char **out);

/** A deep copy, the caller's to free. Returns 0, SOMO_EINVAL or SOMO_ENOMEM. */
SOMO_API int somo_xapi_statement_dup(somo_xapi_statement **out, const somo_xapi_statement *st);

/** Release a statement. NULL is a no-op. */
SOMO_API void somo_xapi_statement_free(somo_xapi_statement *st);

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

/** Options of validation. NULL means the defaults. Fields are only appended. */
typedef struct {
	unsigned version;       /**< SOMO_XAPI_VALIDATE_OPTS_VERSION */
	somo_xapi_version xapi; /**< rules to apply; 0 = SOMO_XAPI_2_0 */
	size_t max_problems;    /**< stop collecting after this many; 0 = 256 */
	size_t max_bytes;       /**< somo_xapi_validate_json(): largest text; 0 = 16 MiB */
} somo_xapi_validate_opts;

#define SOMO_XAPI_VALIDATE_OPTS_VERSION 1
#define SOMO_XAPI_VALIDATE_OPTS_INIT                                                               \
	{                                                                                          \
		SOMO_XAPI_VALIDATE_OPTS_VERSION, SOMO_XAPI_2_0, 0, 0                               \
	}

/**
 * Check a statement against the rules of an xAPI version: required
 * properties, property types, unknown properties, exactly one inverse
 * functional identifier per agent, mailto: IRIs, IRIs, UUIDs, language maps,
 * scores, durations, timestamps, voiding, what a SubStatement may not hold,
 * and the differences between 1.0.3 and 2.0. Rules that need what an LRS
 * has stored (the voided statement exists, an id is not taken) are not
 * checked.
 *
 * @param problems NULL when only the verdict is wanted (validation then
 *                 stops at the first problem); otherwise receives every
 *                 problem found, in the order of the statement's own
 *                 properties (an empty list when valid; at most
 *                 opts->max_problems), the caller's to free with
 *                 somo_xapi_problems_free().
 * @return 0 valid; SOMO_EINVALID invalid; SOMO_EINVAL, SOMO_ENOMEM.
 */
SOMO_API int somo_xapi_statement_validate(const somo_xapi_statement *st,
                                          const somo_xapi_validate_opts *opts,
                                          somo_xapi_problems **problems);

/**
 * Parse and validate JSON text holding one statement or an array of them,
 * as an LRS receives it. Paths start at "$" for a statement and "$[i]" for
 * an array's items.
 *
 * @return 0 valid; SOMO_EINVALID (problems filled); SOMO_EPARSE when the
 *         text is not JSON (diag filled), SOMO_ELIMIT, SOMO_EINVAL, SOMO_ENOMEM.
 */
SOMO_API int somo_xapi_validate_json(const char *json, size_t len,
                                     const somo_xapi_validate_opts *opts,
                                     somo_xapi_problems **problems, somo_diag *diag);

/** Number of problems in the list (0 for NULL). */
SOMO_API size_t somo_xapi_problems_count(const somo_xapi_problems *p);

/**
 * The JSON path of problem i, such as "$.actor.mbox" or
 * "$.context.contextActivities.parent[0].id"; borrowed, valid until the list
 * is freed. NULL when i is out of range.
 */
SOMO_API const char *somo_xapi_problems_path(const somo_xapi_problems *p, size_t i);

/** What is wrong at problem i, in words; borrowed like the path. NULL when out of range. */
SOMO_API const char *somo_xapi_problems_message(const somo_xapi_problems *p, size_t i);

/** Release a problem list. NULL is a no-op. */
SOMO_API void somo_xapi_problems_free(somo_xapi_problems *p);

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

/** One entry of a language map: {"en-US": "completed"}. */
typedef struct {
	const char *lang; /**< an RFC 5646 tag */
	const char *text;
} somo_xapi_lang;

/**
 * An agent, or a group when is_group is set. Give exactly one inverse
 * functional identifier (mbox, mbox_sha1sum, openid or the account pair),
 * or none for an anonymous group, which then lists members.
 */
typedef struct somo_xapi_actor {
	int is_group;
	const char *name;         /**< may be NULL */
	const char *mbox;         /**< "mailto:someone@example.org" */
	const char *mbox_sha1sum; /**< hex SHA-1 of the mailto IRI */
	const char *openid;
	const char *account_home_page; /**< with account_name */
	const char *account_name;
	const struct somo_xapi_actor *members; /**< groups only: agents */
	size_t member_count;
} somo_xapi_actor;

/** The interaction types of an activity definition (cmi.interactions). */
typedef enum {
	SOMO_XAPI_INTERACTION_NONE = 0,
	SOMO_XAPI_INTERACTION_TRUE_FALSE,
	SOMO_XAPI_INTERACTION_CHOICE,
	SOMO_XAPI_INTERACTION_FILL_IN,
	SOMO_XAPI_INTERACTION_LONG_FILL_IN,
	SOMO_XAPI_INTERACTION_MATCHING,
	SOMO_XAPI_INTERACTION_PERFORMANCE,
	SOMO_XAPI_INTERACTION_SEQUENCING,
	SOMO_XAPI_INTERACTION_LIKERT,
	SOMO_XAPI_INTERACTION_NUMERIC,
	SOMO_XAPI_INTERACTION_OTHER
} somo_xapi_interaction;

/** The interaction component lists of an activity definition. */
typedef enum {
	SOMO_XAPI_COMPONENTS_CHOICES = 0, /**< choice, sequencing */
	SOMO_XAPI_COMPONENTS_SCALE,       /**< likert */
	SOMO_XAPI_COMPONENTS_SOURCE,      /**< matching */
	SOMO_XAPI_COMPONENTS_TARGET,      /**< matching */
	SOMO_XAPI_COMPONENTS_STEPS,       /**< performance */
	SOMO_XAPI_COMPONENTS_COUNT_
} somo_xapi_component_list;

/** One interaction component: {"id": "golf", "description": {...}}. */
typedef struct {
	const char *id;
	const somo_xapi_lang *description;
	size_t description_count;
} somo_xapi_component;

/** An activity with its definition; every field but id may be NULL / 0. */
typedef struct {
	const char *id; /**< IRI, required */
	const char *type;
	const somo_xapi_lang *name;
	size_t name_count;
	const somo_xapi_lang *description;
	size_t description_count;
	const char *more_info;
	somo_xapi_interaction interaction_type;
	const char *const *correct_responses; /**< correctResponsesPattern */
	size_t correct_response_count;
	const somo_xapi_component *components[SOMO_XAPI_COMPONENTS_COUNT_];
	size_t component_count[SOMO_XAPI_COMPONENTS_COUNT_];
	const char *extensions_json; /**< a JSON object keyed by IRIs, or NULL */
} somo_xapi_activity;

/** Which optional members of somo_xapi_result are given. */
#define SOMO_XAPI_RESULT_SCALED     0x01u
#define SOMO_XAPI_RESULT_RAW        0x02u
#define SOMO_XAPI_RESULT_MIN        0x04u
#define SOMO_XAPI_RESULT_MAX        0x08u
#define SOMO_XAPI_RESULT_SUCCESS    0x10u
#define SOMO_XAPI_RESULT_COMPLETION 0x20u

/** A statement's result. */
typedef struct {
	unsigned has; /**< SOMO_XAPI_RESULT_* bits */
	double scaled, raw, min, max;
	int success, completion;
	const char *response;        /**< may be NULL */
	const char *duration;        /**< ISO 8601 duration ("PT1M30.5S"), may be NULL */
	const char *extensions_json; /**< a JSON object keyed by IRIs, or NULL */
} somo_xapi_result;

/** An attachment's metadata (the content travels beside the statement). */
typedef struct {
	const char *usage_type; /**< IRI */
	const somo_xapi_lang *display;
	size_t display_count;
	const somo_xapi_lang *description;
	size_t description_count;
	const char *content_type; /**< Internet media type */
	int64_t length;           /**< octets */
	const char *sha2;         /**< hex SHA-2 of the content */
	const char *file_url;     /**< may be NULL */
} somo_xapi_attachment;

/** The four lists of context.contextActivities. */
typedef enum {
	SOMO_XAPI_CONTEXT_PARENT = 0,
	SOMO_XAPI_CONTEXT_GROUPING,
	SOMO_XAPI_CONTEXT_CATEGORY,
	SOMO_XAPI_CONTEXT_OTHER
} somo_xapi_context_list;

/** Where an extension goes. */
typedef enum { SOMO_XAPI_EXT_RESULT = 0, SOMO_XAPI_EXT_CONTEXT } somo_xapi_ext_place;

/**
 * A new empty statement, the caller's to free with somo_xapi_statement_free().
 * The builder functions below replace (set_) or append to (add_) one part
 * each; they check their arguments' shape, not the xAPI rules: validate the
 * finished statement. All strings are copied. Each returns 0, SOMO_EINVAL
 * (NULL or malformed argument, such as extension text that is not a JSON
 * object), or SOMO_ENOMEM; on failure the statement is unchanged.
 */
SOMO_API int somo_xapi_statement_new(somo_xapi_statement **out);

/** Set the statement id (a UUID); NULL removes it. */
SOMO_API int somo_xapi_statement_set_id(somo_xapi_statement *st, const char *uuid);

/**
 * Give the statement a new random UUID unless it has an id already, as a
 * client does before storing it for delivery. Returns 0, SOMO_EIO (no
 * randomness), SOMO_ENOMEM.
 */
SOMO_API int somo_xapi_statement_ensure_id(somo_xapi_statement *st);

/** The statement id, or NULL; borrowed until the id changes or the statement is freed. */
SOMO_API const char *somo_xapi_statement_id(const somo_xapi_statement *st);

/** Set the actor (an agent or group). */
SOMO_API int somo_xapi_statement_set_actor(somo_xapi_statement *st, const somo_xapi_actor *actor);

/** Set the verb: its IRI and optionally one display entry (lang and text both or neither). */
SOMO_API int somo_xapi_statement_set_verb(somo_xapi_statement *st, const char *iri,
                                          const char *lang, const char *display);

/** The verb IRI, or NULL; borrowed. */
SOMO_API const char *somo_xapi_statement_verb_id(const somo_xapi_statement *st);

/** Set the object to an activity. */
SOMO_API int somo_xapi_statement_set_object_activity(somo_xapi_statement *st,
                                                     const somo_xapi_activity *activity);

/** Set the object to an agent or group (objectType written explicitly). */
SOMO_API int somo_xapi_statement_set_object_actor(somo_xapi_statement *st,
                                                  const somo_xapi_actor *actor);

/** Set the object to a reference to another statement (a UUID), as voiding needs. */
SOMO_API int somo_xapi_statement_set_object_statement_ref(somo_xapi_statement *st,
                                                          const char *uuid);

/**
 * Set the object to a SubStatement made of sub's actor, verb, object,
 * result, context, timestamp and attachments (sub is copied, not taken).
 */
SOMO_API int somo_xapi_statement_set_object_substatement(somo_xapi_statement *st,
                                                         const somo_xapi_statement *sub);

/** Set the result; NULL removes it. */
SOMO_API int somo_xapi_statement_set_result(somo_xapi_statement *st, const somo_xapi_result *r);

/** Set context.registration (a UUID); NULL removes it. */
SOMO_API int somo_xapi_statement_set_registration(somo_xapi_statement *st, const char *uuid);

/** Set context.instructor (agent or group); NULL removes it. */
SOMO_API int somo_xapi_statement_set_instructor(somo_xapi_statement *st, const somo_xapi_actor *a);

/** Set context.team (a group); NULL removes it. */
SOMO_API int somo_xapi_statement_set_team(somo_xapi_statement *st, const somo_xapi_actor *group);

/** Append an activity to one of context.contextActivities' lists. */
SOMO_API int somo_xapi_statement_add_context_activity(somo_xapi_statement *st,
                                                      somo_xapi_context_list list,
                                                      const somo_xapi_activity *activity);

/** Set context.revision, .platform and .language (an RFC 5646 tag); NULL removes. */
SOMO_API int somo_xapi_statement_set_revision(somo_xapi_statement *st, const char *revision);
SOMO_API int somo_xapi_statement_set_platform(somo_xapi_statement *st, const char *platform);
SOMO_API int somo_xapi_statement_set_language(somo_xapi_statement *st, const char *tag);

/** Set context.statement, a StatementRef to the given UUID; NULL removes it. */
SOMO_API int somo_xapi_statement_set_context_statement(somo_xapi_statement *st, const char *uuid);

/**
 * xAPI 2.0: append to context.contextAgents (an agent, is_group 0) or
 * context.contextGroups (a group, is_group 1), with relevant_count activity
 * type IRIs (0 leaves relevantTypes out).
 */
SOMO_API int somo_xapi_statement_add_context_actor(somo_xapi_statement *st,
                                                   const somo_xapi_actor *actor,
                                                   const char *const *relevant_types,
                                                   size_t relevant_count);

/**
 * Set one extension of the result or the context: key is an IRI,
 * value_json any JSON text ("42", "\"x\"", "{\"a\":1}").
 */
SOMO_API int somo_xapi_statement_set_extension(somo_xapi_statement *st, somo_xapi_ext_place where,
                                               const char *key, const char *value_json);

/** Set the timestamp (ISO 8601 text, copied as given); NULL removes it. */
SOMO_API int somo_xapi_statement_set_timestamp(somo_xapi_statement *st, const char *timestamp);

/** Set the timestamp to now, in UTC with milliseconds. */
SOMO_API int somo_xapi_statement_set_timestamp_now(somo_xapi_statement *st);

/** The timestamp as written, or NULL; borrowed. */
SOMO_API const char *somo_xapi_statement_timestamp(const somo_xapi_statement *st);

/** Set stored (an LRS sets it); NULL removes it. */
SOMO_API int somo_xapi_statement_set_stored(somo_xapi_statement *st, const char *timestamp);

/** Set the authority (an agent, or a group of two agents); NULL removes it. */
SOMO_API int somo_xapi_statement_set_authority(somo_xapi_statement *st, const somo_xapi_actor *a);

/** Set the statement's version ("1.0.3", "2.0.0"); NULL removes it. */
SOMO_API int somo_xapi_statement_set_version(somo_xapi_statement *st, const char *version);

/** Append an attachment's metadata. */
SOMO_API int somo_xapi_statement_add_attachment(somo_xapi_statement *st,
                                                const somo_xapi_attachment *att);

#ifdef __cplusplus
}
#endif
#endif
