/*
 * cmi5 course structures (cmi5.xml): parsing, the course model and the
 * checks of the cmi5 specification (sections 13 and 14) and of
 * CourseStructure.xsd.
 *
 * A course is parsed once into an immutable model that may be shared between
 * threads. Its nodes are public read-only structs: the course itself, its
 * blocks (nested to any depth) and its assignable units (AUs), in document
 * order. Every string is UTF-8, trimmed of leading and trailing whitespace as
 * section 13.1 requires, and owned by the course. The structs are only ever
 * read by the caller, and new fields are only appended.
 */
#ifndef SOMO_CMI5_H
#define SOMO_CMI5_H

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct somo_package;

/** A parsed course structure. Opaque, immutable once built. */
typedef struct somo_cmi5_course somo_cmi5_course;

/** One language variant of a text (a <langstring>). */
typedef struct {
	const char *lang; /**< language tag as written, "" when the lang attribute is absent */
	const char *text; /**< the text, trimmed */
} somo_cmi5_langstring;

/** A title or description: its language variants in document order. */
typedef struct {
	size_t count;
	const somo_cmi5_langstring *items;
} somo_cmi5_text;

/** launchMethod (section 13.1.4). Append only. */
typedef enum {
	SOMO_CMI5_LAUNCH_ANY_WINDOW = 0, /**< "AnyWindow", the default */
	SOMO_CMI5_LAUNCH_OWN_WINDOW = 1  /**< "OwnWindow" */
} somo_cmi5_launch_method;

/** moveOn (section 13.1.4). Append only. */
typedef enum {
	SOMO_CMI5_MOVEON_NOT_APPLICABLE = 0,       /**< "NotApplicable", the default */
	SOMO_CMI5_MOVEON_PASSED = 1,               /**< "Passed" */
	SOMO_CMI5_MOVEON_COMPLETED = 2,            /**< "Completed" */
	SOMO_CMI5_MOVEON_COMPLETED_AND_PASSED = 3, /**< "CompletedAndPassed" */
	SOMO_CMI5_MOVEON_COMPLETED_OR_PASSED = 4   /**< "CompletedOrPassed" */
} somo_cmi5_move_on;

/** What a node is. */
typedef enum {
	SOMO_CMI5_NODE_COURSE =
	    1, /**< the root: the <course> element with the top-level children */
	SOMO_CMI5_NODE_BLOCK = 2,
	SOMO_CMI5_NODE_AU = 3
} somo_cmi5_node_kind;

/** A course-level objective (section 13.1.3). */
typedef struct {
	const char *id;
	somo_cmi5_text title;
	somo_cmi5_text description;
	int line; /**< line in cmi5.xml */
} somo_cmi5_objective;

/**
 * The course, a block or an AU. Fields that do not apply to a kind are zero
 * (NULL strings, no children). Read only; owned by the course.
 */
typedef struct somo_cmi5_node {
	somo_cmi5_node_kind kind;
	const char *id; /**< the id attribute ("" when missing, which validation reports) */
	somo_cmi5_text title;
	somo_cmi5_text description;
	/** Objective ids referenced by a block or AU (<objectives><objective idref>). */
	size_t objective_count;
	const char *const *objectives;
	/** The course's and blocks' children (blocks and AUs) in document order. */
	size_t child_count;
	const struct somo_cmi5_node *const *children;
	const struct somo_cmi5_node *parent; /**< NULL for the course */

	/* AUs only. */
	const char *url;                       /**< the launch URL as written (trimmed) */
	somo_cmi5_launch_method launch_method; /**< AnyWindow when absent */
	somo_cmi5_move_on move_on;             /**< NotApplicable when absent */
	int has_mastery_score;                 /**< 1 when masteryScore is given */
	double mastery_score;                  /**< in [0, 1] when valid */
	const char *activity_type;             /**< NULL when absent */
	const char *launch_parameters;         /**< NULL when absent */
	const char *entitlement_key;           /**< NULL when absent */

	int line; /**< line of the element in cmi5.xml */
} somo_cmi5_node;

/** Severity of a validation message. */
typedef enum {
	SOMO_CMI5_ERROR = 1,  /**< breaks the cmi5 specification: the course must be refused */
	SOMO_CMI5_WARNING = 2 /**< suspicious or discouraged, the course can still be played */
} somo_cmi5_severity;

/** One validation message. */
typedef struct {
	somo_cmi5_severity severity;
	int line;         /**< line in cmi5.xml, 0 when it concerns the package as a whole */
	const char *text; /**< the problem, in words; owned by the report */
} somo_cmi5_message;

/** The messages of one validation. Opaque. */
typedef struct somo_cmi5_report somo_cmi5_report;

/** Largest cmi5.xml accepted, in bytes. */
#define SOMO_CMI5_MAX_SIZE (32u * 1024u * 1024u)

/**
 * Parse a course structure held in memory.
 *
 * data need not be NUL-terminated; size is at most SOMO_CMI5_MAX_SIZE. file
 * (may be NULL, then "cmi5.xml") names the document in messages. Only
 * well-formedness, a DOCTYPE (refused: no DTD or entity is ever loaded) and
 * the root element make parsing fail; every other problem is kept with the
 * course and reported by somo_cmi5_validate().
 *
 * Returns 0 and sets *out (the caller's, free with somo_cmi5_free()), or
 * SOMO_EPARSE (diag, which may be NULL, says where), SOMO_ELIMIT, SOMO_EUNSAFE,
 * SOMO_EINVAL or SOMO_ENOMEM with *out set to NULL.
 */
SOMO_API int somo_cmi5_parse_memory(somo_cmi5_course **out, const void *data, size_t size,
                                    const char *file, somo_diag *diag);

/**
 * Parse a standalone cmi5.xml file (a course structure given without a zip,
 * section 14.2). Returns as somo_cmi5_parse_memory(), or SOMO_EIO when the
 * file cannot be read.
 */
SOMO_API int somo_cmi5_parse_file(somo_cmi5_course **out, const char *path, somo_diag *diag);

/**
 * Read and parse cmi5.xml at the root of pkg (section 14.1). Returns as
 * somo_cmi5_parse_memory(), or SOMO_ENOTFOUND when the package has no
 * cmi5.xml at its root (the message names where one was found, if deeper).
 * The course does not keep pkg.
 */
SOMO_API int somo_cmi5_load(somo_cmi5_course **out, struct somo_package *pkg, somo_diag *diag);

/** Free a course. NULL is a no-op. */
SOMO_API void somo_cmi5_free(somo_cmi5_course *course);

/** The name given at parse time ("cmi5.xml" by default); borrowed. */
SOMO_API const char *somo_cmi5_file(const somo_cmi5_course *course);

/** The course node: its id, title, description and top-level blocks and AUs. Never NULL. */
SOMO_API const somo_cmi5_node *somo_cmi5_root(const somo_cmi5_course *course);

/** Number of course-level objectives. */
SOMO_API size_t somo_cmi5_objective_count(const somo_cmi5_course *course);

/** The i-th course-level objective, NULL when i is out of range. */
SOMO_API const somo_cmi5_objective *somo_cmi5_objective_at(const somo_cmi5_course *course,
                                                           size_t i);

/** Number of AUs in the whole course. */
SOMO_API size_t somo_cmi5_au_count(const somo_cmi5_course *course);

/** The i-th AU of the course in document order, NULL when i is out of range. */
SOMO_API const somo_cmi5_node *somo_cmi5_au_at(const somo_cmi5_course *course, size_t i);

/** The block or AU (or the course) with this id, NULL when there is none. */
SOMO_API const somo_cmi5_node *somo_cmi5_find(const somo_cmi5_course *course, const char *id);

/**
 * The text of t in the language lang: an exact (case-insensitive) match,
 * else the first variant whose primary language matches, else the first
 * variant. lang may be NULL (first variant). Returns "" when t is empty.
 */
SOMO_API const char *somo_cmi5_text_get(const somo_cmi5_text *t, const char *lang);

/** "AnyWindow" or "OwnWindow". */
SOMO_API const char *somo_cmi5_launch_method_name(somo_cmi5_launch_method m);

/** "NotApplicable", "Passed", "Completed", "CompletedAndPassed" or "CompletedOrPassed". */
SOMO_API const char *somo_cmi5_move_on_name(somo_cmi5_move_on m);

/**
 * Check a course against the cmi5 specification: the structure of
 * CourseStructure.xsd (elements, their order, required attributes,
 * vocabularies), absolute IRIs for ids, ids unique across the course, blocks,
 * AUs and objectives, objective references that resolve, masteryScore in
 * [0, 1], well-formed launch URLs without the launch parameters of section
 * 8.1 (endpoint, fetch, actor, registration, activityId) in their query.
 *
 * pkg is the package the course came from, or NULL for a course structure
 * given alone: then every AU URL must be absolute (section 14.2); with a
 * package, a relative URL must name a file in it (section 14.1).
 *
 * *out receives the messages in line order (the caller's, free with
 * somo_cmi5_report_free()). Returns 0 when there is no error (warnings
 * allowed), SOMO_EINVALID when there is at least one, or SOMO_ENOMEM /
 * SOMO_EINVAL with *out NULL.
 */
SOMO_API int somo_cmi5_validate(somo_cmi5_report **out, const somo_cmi5_course *course,
                                struct somo_package *pkg);

/** Number of messages. NULL gives 0. */
SOMO_API size_t somo_cmi5_report_count(const somo_cmi5_report *report);

/** Number of messages of severity SOMO_CMI5_ERROR. NULL gives 0. */
SOMO_API size_t somo_cmi5_report_errors(const somo_cmi5_report *report);

/** The i-th message, NULL when out of range. Borrowed from the report. */
SOMO_API const somo_cmi5_message *somo_cmi5_report_at(const somo_cmi5_report *report, size_t i);

/** Free a report. NULL is a no-op. */
SOMO_API void somo_cmi5_report_free(somo_cmi5_report *report);

#ifdef __cplusplus
}
#endif
#endif
