/* Internal parts of the session module shared between its files. */
#ifndef SOMO_SESSION_INT_H
#define SOMO_SESSION_INT_H

#include <stdbool.h>

#include "somo/session.h"
#include "somo/xapi.h"

/*
 * AICC script prerequisites (adlcp:prerequisites of SCORM 1.2): status_of
 * gives the lesson status letter of an item ('p' passed, 'c' completed,
 * 'f' failed, 'i' incomplete, 'b' browsed, 'n' not attempted) or 0 when
 * no item has that identifier. Returns 1 (met), 0 (not met), or -1 when the
 * expression is malformed or names no item.
 */
typedef char (*somo__prereq_status_fn)(const char *id, size_t len, void *payload);
int somo__prereq_eval(const char *expr, somo__prereq_status_fn status_of, void *payload);

/* The SCORM 1.2 navigation: the tree in order, prerequisites. */
typedef struct somo__s12 somo__s12;

int somo__s12_new(somo__s12 **out, const somo_manifest_org *org);
void somo__s12_free(somo__s12 *e);
/* State as JSON (caller frees with somo__free) and back (SOMO_ECORRUPT). */
char *somo__s12_to_json(const somo__s12 *e);
int somo__s12_from_json(somo__s12 *e, const char *json);
/* Run a request; out->deliver borrowed from the manifest. */
void somo__s12_navigate(somo__s12 *e, somo_nav_request req, const char *target,
                        somo_seq_result *out);
bool somo__s12_request_valid(const somo__s12 *e, somo_nav_request req, const char *target);
void somo__s12_nav_valid(const somo__s12 *e, somo_seq_nav_state *out);
/* The current item (NULL when none) and whether it was suspended. */
const somo_manifest_item *somo__s12_current(const somo__s12 *e);
/* The delivered SCO's attempt is over (Terminate or unload). */
void somo__s12_end_current(somo__s12 *e);
/* Record the effective lesson status of an item ("passed", ...). */
void somo__s12_set_status(somo__s12 *e, const char *item_id, const char *lesson_status);
/* Whether the current item was delivered from a suspended state (resume). */
bool somo__s12_current_resumed(const somo__s12 *e);
size_t somo__s12_count(const somo__s12 *e);
int somo__s12_toc_at(const somo__s12 *e, size_t i, somo_session_toc_entry *out);
void somo__s12_course(const somo__s12 *e, somo_seq_course_status *out);

/* xAPI statements into the outbox (statements.c). base NULL: none. */
typedef struct {
	const char *base; /* activity IRI prefix; the course's IRI */
	const char *home; /* the actor account's homePage */
	const char *learner_id, *learner_name;
	const char *registration;
	unsigned long attempt; /* the registration's attempt number */
	const char *course_title;
} somo__xapi_ctx;

/* Enqueue one statement: verb is the last part of an ADL verb IRI
 * ("initialized", "passed"), r may be NULL. 0 when base is NULL. */
int somo__session_statement(somo_store *st, const somo__xapi_ctx *c, const char *item_id,
                            const char *item_title, const char *verb, const somo_xapi_result *r);

#endif
