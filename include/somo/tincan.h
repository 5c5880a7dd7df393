/*
 * Tin Can packages (tincan.xml): the activities a package declares and the
 * one it launches.
 *
 * A tincan.xml lists activities (<tincan><activities><activity>), each with
 * an id (an IRI), a type, a name and description per language and, for the
 * launchable ones, a <launch> href relative to the package root or absolute.
 * The first activity with a <launch> is the one an LMS launches.
 *
 * A parsed package is immutable and may be shared between threads; its
 * activities are public read-only structs owned by it (new fields are only
 * appended). Strings are UTF-8 and trimmed.
 */
#ifndef SOMO_TINCAN_H
#define SOMO_TINCAN_H

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct somo_package;

/** A parsed tincan.xml. Opaque, immutable once built. */
typedef struct somo_tincan somo_tincan;

/** One language variant of a name or description. */
typedef struct {
	const char *lang; /**< language tag as written, "" when absent */
	const char *text;
} somo_tincan_langstring;

/** A name or description: its language variants in document order. */
typedef struct {
	size_t count;
	const somo_tincan_langstring *items;
} somo_tincan_text;

/** One <activity>. Read only; owned by the package. */
typedef struct {
	const char *id;   /**< "" when missing, which validation reports */
	const char *type; /**< NULL when absent */
	somo_tincan_text name;
	somo_tincan_text description;
	const char *launch;      /**< the launch href, NULL when the activity has no <launch> */
	const char *launch_lang; /**< lang of <launch>, NULL when absent */
	int line;                /**< line in tincan.xml */
} somo_tincan_activity;

/** Severity of a validation message. */
typedef enum {
	SOMO_TINCAN_ERROR = 1,  /**< the package cannot be launched as Tin Can defines it */
	SOMO_TINCAN_WARNING = 2 /**< suspicious, the package can still be played */
} somo_tincan_severity;

/** One validation message. */
typedef struct {
	somo_tincan_severity severity;
	int line;         /**< line in tincan.xml, 0 for the package as a whole */
	const char *text; /**< owned by the report */
} somo_tincan_message;

/** The messages of one validation. Opaque. */
typedef struct somo_tincan_report somo_tincan_report;

/** Largest tincan.xml accepted, in bytes. */
#define SOMO_TINCAN_MAX_SIZE (16u * 1024u * 1024u)

/**
 * Parse a tincan.xml held in memory (size at most SOMO_TINCAN_MAX_SIZE; data
 * need not be NUL-terminated). file (may be NULL, then "tincan.xml") names
 * the document in messages. Only well-formedness, a DOCTYPE (refused) and the
 * root element make parsing fail; other problems are kept and reported by
 * somo_tincan_validate().
 *
 * Returns 0 and sets *out (the caller's, free with somo_tincan_free()), or
 * SOMO_EPARSE (diag, which may be NULL, says where), SOMO_ELIMIT,
 * SOMO_EUNSAFE, SOMO_EINVAL or SOMO_ENOMEM with *out NULL.
 */
SOMO_API int somo_tincan_parse_memory(somo_tincan **out, const void *data, size_t size,
                                      const char *file, somo_diag *diag);

/**
 * Read and parse tincan.xml at the root of pkg. As somo_tincan_parse_memory(),
 * or SOMO_ENOTFOUND when it is not at the root (the message names where it
 * was found, if deeper). The result does not keep pkg.
 */
SOMO_API int somo_tincan_load(somo_tincan **out, struct somo_package *pkg, somo_diag *diag);

/** Free a parsed package. NULL is a no-op. */
SOMO_API void somo_tincan_free(somo_tincan *tc);

/** The name given at parse time ("tincan.xml" by default); borrowed. */
SOMO_API const char *somo_tincan_file(const somo_tincan *tc);

/** Number of activities. */
SOMO_API size_t somo_tincan_activity_count(const somo_tincan *tc);

/** The i-th activity in document order, NULL when out of range. */
SOMO_API const somo_tincan_activity *somo_tincan_activity_at(const somo_tincan *tc, size_t i);

/** The launched activity: the first with a <launch>. NULL when there is none. */
SOMO_API const somo_tincan_activity *somo_tincan_launch_activity(const somo_tincan *tc);

/**
 * The text in the language lang: exact (case-insensitive) match, else the
 * same primary language, else the first variant; lang may be NULL. "" when
 * empty.
 */
SOMO_API const char *somo_tincan_text_get(const somo_tincan_text *t, const char *lang);

/**
 * Check a parsed package: at least one activity, activity ids absolute IRIs
 * and unique, types absolute IRIs, a launchable activity, launch hrefs well
 * formed and, when relative, naming a file of pkg. pkg may be NULL (a
 * tincan.xml given alone: relative launch hrefs are then refused).
 *
 * *out receives the messages in line order (the caller's, free with
 * somo_tincan_report_free()). Returns 0 when there is no error, SOMO_EINVALID
 * when there is at least one, SOMO_ENOMEM or SOMO_EINVAL with *out NULL.
 */
SOMO_API int somo_tincan_validate(somo_tincan_report **out, const somo_tincan *tc,
                                  struct somo_package *pkg);

/** Number of messages; NULL gives 0. */
SOMO_API size_t somo_tincan_report_count(const somo_tincan_report *report);

/** Number of messages of severity SOMO_TINCAN_ERROR; NULL gives 0. */
SOMO_API size_t somo_tincan_report_errors(const somo_tincan_report *report);

/** The i-th message, NULL when out of range; borrowed. */
SOMO_API const somo_tincan_message *somo_tincan_report_at(const somo_tincan_report *report,
                                                          size_t i);

/** Free a report. NULL is a no-op. */
SOMO_API void somo_tincan_report_free(somo_tincan_report *report);

#ifdef __cplusplus
}
#endif
#endif
