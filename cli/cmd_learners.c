/*
 * somo learners [--db FILE] [--json]: the learners a store holds.
 * somo attempts PACKAGE [--db FILE] [--json]: every learner's attempts on a
 * package (PACKAGE is a package path, or the package's id in the store).
 *
 * The store is opened read-only; --db defaults to somo.db in the current
 * folder.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "somo.h"
#include "somo/store.h"

#define DEFAULT_DB "somo.db"

int somo_cli_open_store_ro(somo_store **out, const char *db, const char *cmd)
{
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	int rc;

	o.read_only = 1;
	if ((rc = somo_store_open_sqlite(out, db ? db : DEFAULT_DB, &o)) < 0)
		fprintf(stderr, "somo %s: %s: %s\n", cmd, db ? db : DEFAULT_DB,
		        somo_error_last()->message);
	return rc;
}

static int print_learner(const somo_store_learner *rec, void *payload)
{
	json_t *arr = payload;

	if (arr)
		json_array_append_new(arr,
		                      json_pack("{s:s,s:s}", "id", rec->id, "name", rec->name));
	else
		printf("%s\t%s\n", rec->id, rec->name);
	return 0;
}

int somo_cmd_learners(int argc, char **argv)
{
	const char *db = NULL;
	somo_store *st = NULL;
	json_t *arr = NULL;
	int i, json = 0, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else {
			fprintf(stderr, "usage: somo learners [--db FILE] [--json]\n");
			return 2;
		}
	}
	if (somo_cli_open_store_ro(&st, db, "learners") < 0)
		return 1;
	if (json)
		arr = json_array();
	rc = somo_store_learner_list(st, print_learner, arr);
	if (rc < 0)
		fprintf(stderr, "somo learners: %s\n", somo_error_last()->message);
	if (arr && rc == 0) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
	}
	json_decref(arr);
	somo_store_close(st);
	return rc < 0 ? 1 : 0;
}

static const char *attempt_state_name(somo_store_attempt_state s)
{
	switch (s) {
	case SOMO_STORE_ATTEMPT_ACTIVE:
		return "active";
	case SOMO_STORE_ATTEMPT_SUSPENDED:
		return "suspended";
	case SOMO_STORE_ATTEMPT_COMPLETED:
		return "ended";
	case SOMO_STORE_ATTEMPT_ABANDONED:
		return "abandoned";
	}
	return "unknown";
}

typedef struct {
	somo_store *st;
	json_t *arr;
	const char *learner;
	int rc;
} att_ctx;

static int print_attempt(const somo_store_attempt *a, void *payload)
{
	att_ctx *c = payload;

	if (c->arr)
		json_array_append_new(
		    c->arr, json_pack("{s:s,s:s,s:i,s:s,s:I,s:I}", "learner", c->learner,
		                      "registration", a->registration, "attempt", (int)a->number,
		                      "state", attempt_state_name(a->state), "started",
		                      (json_int_t)a->started, "ended", (json_int_t)a->ended));
	else
		printf("%s\t%s\t%" PRIu32 "\t%s\t%" PRId64 "\t%" PRId64 "\n", c->learner,
		       a->registration, a->number, attempt_state_name(a->state), a->started,
		       a->ended);
	return 0;
}

static int print_registration(const somo_store_registration *r, void *payload)
{
	att_ctx *c = payload;
	int rc;

	c->learner = r->learner_id;
	if ((rc = somo_store_attempt_list(c->st, r->id, print_attempt, c)) < 0)
		c->rc = rc;
	return 0;
}

/* The package id of PACKAGE: its manifest's identifier (or the path when it
 * has none), as somo session records it; PACKAGE itself when it is no path. */
char *somo_cli_package_id(const char *path)
{
	struct stat sb;
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	char *id = NULL;

	if (stat(path, &sb) != 0)
		return strdup(path);
	if (somo_package_open(&pkg, path, NULL) == 0 &&
	    somo_manifest_load(&man, pkg, NULL, NULL) == 0) {
		const char *mid = somo_manifest_identifier(man);
		id = strdup(*mid ? mid : path);
	}
	somo_manifest_free(man);
	somo_package_free(pkg);
	return id;
}

int somo_cmd_attempts(int argc, char **argv)
{
	const char *db = NULL, *path = NULL;
	att_ctx c = {NULL, NULL, NULL, 0};
	char *pkg_id;
	int i, json = 0, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			path = NULL;
			break;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: somo attempts PACKAGE [--db FILE] [--json]\n");
		return 2;
	}
	if (!(pkg_id = somo_cli_package_id(path))) {
		fprintf(stderr, "somo attempts: %s: %s\n", path, somo_error_last()->message);
		return 2;
	}
	if (somo_cli_open_store_ro(&c.st, db, "attempts") < 0) {
		free(pkg_id);
		return 1;
	}
	if (json)
		c.arr = json_array();
	rc = somo_store_registration_list(c.st, NULL, pkg_id, print_registration, &c);
	if (rc == 0)
		rc = c.rc;
	if (rc < 0)
		fprintf(stderr, "somo attempts: %s\n", somo_error_last()->message);
	else if (c.arr) {
		char *s = json_dumps(c.arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
	}
	json_decref(c.arr);
	somo_store_close(c.st);
	free(pkg_id);
	return rc < 0 ? 1 : 0;
}
