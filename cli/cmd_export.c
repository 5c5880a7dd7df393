/*
 * somo export LEARNER --json [--db FILE]: everything a store holds about a
 * learner, as one JSON document:
 *
 *   {"learner":{"id":...,"name":...},
 *    "registrations":[{"id":...,"package":{...},"created":ms,
 *        "attempts":[{"number":1,"state":"suspended","started":ms,"ended":ms,
 *            "activities":{"ITEM":{"values":{"cmi.location":"p3",...},
 *                                  "objectives":{"obj1":{"success_status":...}},
 *                                  "interactions":{"q1":{"type":...}},
 *                                  "comments_from_learner":[...],
 *                                  "shared_data":{"store1":{...}},
 *                                  "sessions":2,"commits":5,"updated":ms}},
 *            "sequencing":{...}}]}],
 *    "objectives":[{"scope":...,"id":...,...}],
 *    "shared_data":[{"package":...,"target":...,"data":...}],
 *    "statements":[...]}
 *
 * Statements are the outbox's statements whose actor is the learner (an
 * account named by the learner's id, or mailto:ID) or whose context names
 * one of the learner's registrations. The store is opened read-only; --db defaults to
 * somo.db in the current folder.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "somo.h"
#include "somo/store.h"

int somo_cli_open_store_ro(somo_store **out, const char *db, const char *cmd);

typedef struct {
	somo_store *st;
	json_t *regs;    /* array */
	json_t *reg_ids; /* object: id -> true */
	json_t *cur;     /* the record being filled */
	int rc;
} ex_ctx;

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

/* A collection of records keyed by their "id" (the rest of each record as is). */
static json_t *by_id(json_t *arr)
{
	json_t *out = json_object(), *rec;
	size_t i;

	json_array_foreach (arr, i, rec) {
		const char *id = json_string_value(json_object_get(rec, "id"));
		json_t *copy;
		if (!id)
			continue;
		copy = json_deep_copy(rec);
		json_object_del(copy, "id");
		json_object_set_new(out, id, copy);
	}
	return out;
}

static int add_runtime(const somo_store_runtime *r, void *payload)
{
	ex_ctx *c = payload;
	json_t *acts = json_object_get(c->cur, "activities"), *state, *colls, *act;
	const char *key;
	json_t *v;

	state = json_loads(r->state, 0, NULL);
	act = json_object();
	if (!state) {
		json_object_set_new(act, "state", json_string(r->state));
	} else {
		json_object_set(act, "values",
		                json_object_get(state, "values") ? json_object_get(state, "values")
		                                                 : json_object());
		colls = json_object_get(state, "collections");
		json_object_foreach (colls, key, v) {
			if (!strcmp(key, "cmi.objectives"))
				json_object_set_new(act, "objectives", by_id(v));
			else if (!strcmp(key, "cmi.interactions"))
				json_object_set_new(act, "interactions", by_id(v));
			else if (!strcmp(key, "adl.data"))
				json_object_set_new(act, "shared_data", by_id(v));
			else
				json_object_set(act, strncmp(key, "cmi.", 4) == 0 ? key + 4 : key,
				                v);
		}
		json_decref(state);
	}
	json_object_set_new(act, "sessions", json_integer(r->sessions));
	json_object_set_new(act, "commits", json_integer((json_int_t)r->commits));
	json_object_set_new(act, "updated", json_integer(r->updated));
	json_object_set_new(acts, r->activity_id, act);
	return 0;
}

static int add_attempt(const somo_store_attempt *a, void *payload)
{
	ex_ctx *c = payload;
	json_t *reg = c->cur, *att;
	somo_store_sequencing *sq = NULL;
	int rc;

	att = json_pack("{s:i,s:s,s:I,s:I,s:o}", "number", (int)a->number, "state",
	                attempt_state_name(a->state), "started", (json_int_t)a->started, "ended",
	                (json_int_t)a->ended, "activities", json_object());
	c->cur = att;
	if ((rc = somo_store_runtime_list(c->st, a->registration, a->number, add_runtime, c)) < 0)
		c->rc = rc;
	if (somo_store_sequencing_get(c->st, a->registration, a->number, &sq) == 0) {
		json_t *s = json_loads(sq->state, 0, NULL);
		json_object_set_new(att, "sequencing", s ? s : json_string(sq->state));
		somo_free(sq);
	}
	c->cur = reg;
	json_array_append_new(json_object_get(reg, "attempts"), att);
	return 0;
}

static int add_registration(const somo_store_registration *r, void *payload)
{
	ex_ctx *c = payload;
	somo_store_package *p = NULL;
	json_t *reg;
	int rc;

	reg = json_pack("{s:s,s:I,s:o}", "id", r->id, "created", (json_int_t)r->created, "attempts",
	                json_array());
	if (somo_store_package_get(c->st, r->package_id, &p) == 0) {
		json_object_set_new(reg, "package",
		                    json_pack("{s:s,s:s,s:s,s:s}", "id", p->id, "title", p->title,
		                              "standard", p->standard, "path", p->path));
		somo_free(p);
	} else {
		json_object_set_new(reg, "package", json_pack("{s:s}", "id", r->package_id));
	}
	c->cur = reg;
	if ((rc = somo_store_attempt_list(c->st, r->id, add_attempt, c)) < 0)
		c->rc = rc;
	json_object_set_new(c->reg_ids, r->id, json_true());
	json_array_append_new(c->regs, reg);
	return 0;
}

static json_t *opt_real(bool has, double v)
{
	return has ? json_real(v) : json_null();
}

static int add_objective(const somo_store_objective *o, void *payload)
{
	static const char *const success[] = {"unknown", "satisfied", "not satisfied"};
	static const char *const completion[] = {"unknown", "completed", "incomplete"};
	json_t *arr = payload;

	json_array_append_new(
	    arr, json_pack(
	             "{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:I}", "scope", o->scope, "id",
	             o->objective_id, "success", success[o->success % 3], "completion",
	             completion[o->completion % 3], "measure", opt_real(o->has_measure, o->measure),
	             "raw", opt_real(o->has_raw, o->raw), "min", opt_real(o->has_min, o->min),
	             "max", opt_real(o->has_max, o->max), "progress",
	             opt_real(o->has_progress, o->progress), "updated", (json_int_t)o->updated));
	return 0;
}

static int add_shared(const somo_store_shared_data *d, void *payload)
{
	json_array_append_new(payload, json_pack("{s:s,s:s,s:s,s:I}", "package", d->package_id,
	                                         "target", d->target_id, "data", d->data, "updated",
	                                         (json_int_t)d->updated));
	return 0;
}

typedef struct {
	const char *learner;
	json_t *reg_ids;
	json_t *out;
} st_ctx;

/* Is the statement's actor the learner: an agent whose account name is the
 * learner's id (as sessions write it, whatever the homePage), or whose mbox
 * is mailto:ID? */
static bool actor_is(json_t *actor, const char *learner)
{
	const char *name =
	    json_string_value(json_object_get(json_object_get(actor, "account"), "name"));
	const char *mbox = json_string_value(json_object_get(actor, "mbox"));

	if (name && !strcmp(name, learner))
		return true;
	return mbox && !strncmp(mbox, "mailto:", 7) && !strcmp(mbox + 7, learner);
}

static int add_statement(const somo_store_outbox_entry *e, void *payload)
{
	st_ctx *c = payload;
	json_t *s = json_loads(e->statement, 0, NULL);
	const char *reg =
	    json_string_value(json_object_get(json_object_get(s, "context"), "registration"));

	if ((reg && json_object_get(c->reg_ids, reg)) ||
	    actor_is(json_object_get(s, "actor"), c->learner))
		json_array_append(c->out, s);
	json_decref(s);
	return 0;
}

int somo_cmd_export(int argc, char **argv)
{
	const char *db = NULL, *learner = NULL;
	somo_store_learner *ln = NULL;
	ex_ctx c;
	st_ctx sc;
	json_t *doc = NULL, *objs, *shared, *stmts;
	int i, json = 0, rc, status = 1;
	char *text;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] != '-' && !learner)
			learner = argv[i];
		else {
			learner = NULL;
			break;
		}
	}
	if (!learner || !json) {
		fprintf(stderr, "usage: somo export LEARNER --json [--db FILE]\n");
		return 2;
	}
	memset(&c, 0, sizeof(c));
	if (somo_cli_open_store_ro(&c.st, db, "export") < 0)
		return 1;
	if ((rc = somo_store_learner_get(c.st, learner, &ln)) < 0) {
		fprintf(stderr, "somo export: learner '%s': %s\n", learner,
		        rc == SOMO_ENOTFOUND ? "not in the store" : somo_error_last()->message);
		goto out;
	}
	c.regs = json_array();
	c.reg_ids = json_object();
	objs = json_array();
	shared = json_array();
	stmts = json_array();
	doc = json_pack("{s:{s:s,s:s},s:o,s:o,s:o,s:o}", "learner", "id", ln->id, "name", ln->name,
	                "registrations", c.regs, "objectives", objs, "shared_data", shared,
	                "statements", stmts);
	if ((rc = somo_store_registration_list(c.st, learner, NULL, add_registration, &c)) < 0 ||
	    (rc = c.rc) < 0 ||
	    (rc = somo_store_objective_list(c.st, learner, NULL, add_objective, objs)) < 0 ||
	    (rc = somo_store_shared_data_list(c.st, learner, NULL, add_shared, shared)) < 0) {
		fprintf(stderr, "somo export: %s\n", somo_error_last()->message);
		goto out;
	}
	sc.learner = learner;
	sc.reg_ids = c.reg_ids;
	sc.out = stmts;
	if ((rc = somo_store_outbox_list(c.st, 0, 0, add_statement, &sc)) < 0) {
		fprintf(stderr, "somo export: %s\n", somo_error_last()->message);
		goto out;
	}
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text) {
		puts(text);
		free(text);
		status = 0;
	}
out:
	json_decref(doc);
	json_decref(c.reg_ids);
	somo_free(ln);
	somo_store_close(c.st);
	return status;
}
