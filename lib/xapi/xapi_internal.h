/*
 * Internal to libsomo: the xAPI statement model is a jansson tree kept in
 * the shape xAPI's JSON has, so what a client built, what an LRS sent and
 * what is stored for delivery are the same thing. Other modules (lrs,
 * store, session) reach the tree through these.
 */
#ifndef SOMO_XAPI_INTERNAL_H
#define SOMO_XAPI_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "somo/xapi.h"
#include "util/util.h"

struct somo_xapi_statement {
	json_t *root; /* always a JSON object */
};

/* The statement's JSON tree, borrowed. */
json_t *somo__xapi_json(const somo_xapi_statement *st);

/* Wrap a JSON object as a statement; takes the reference to root. */
int somo__xapi_wrap(somo_xapi_statement **out, json_t *root);

/* Parse JSON text with Somo's limits into a tree (the caller owns it). */
int somo__xapi_parse_json(json_t **out, const char *text, size_t len,
                          const somo_xapi_parse_opts *opts, somo_diag *diag);

/* Serialise any JSON value as Somo does (shortest round-trip reals),
 * appending to buf. flags are SOMO_XAPI_JSON_*. */
int somo__xapi_dump(const json_t *v, unsigned flags, somo__buf *buf);

/* The JSON_REAL_PRECISION a value needs so every real in it reads back
 * exactly and no longer than needed: 15, 16 or 17 (15 with no reals). */
int somo__xapi_real_precision(const json_t *v);

/* Validate a statement tree (or a SubStatement when sub) with paths under
 * prefix ("$" or "$[3]"), adding to p (NULL: stop at the first problem).
 * Returns the number of problems found (>= 1 when invalid), or SOMO_ENOMEM. */
int somo__xapi_validate_tree(const json_t *v, somo_xapi_version ver, const char *prefix,
                             somo_xapi_problems *p, size_t max_problems);

/* Problem lists. */
somo_xapi_problems *somo__xapi_problems_new(void);
int somo__xapi_problems_add(somo_xapi_problems *p, const char *path, const char *message);

#endif
