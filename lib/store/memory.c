/*
 * The memory backend: the same semantics as SQLite's, nothing persists.
 * Each table is a jansson object from a key (the record's primary key, its
 * parts joined by \x01, which identifiers never hold, numbers zero-padded, so
 * that keys sort as the parts do) to the record as a JSON object. A
 * transaction keeps a deep copy of everything to roll back to.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/util.h"

typedef struct {
	json_t *root;
	json_t *snapshot; /* while a transaction is open */
} mem;

static const char *const tables[] = {"learner", "package",    "registration", "attempt",
                                     "runtime", "sequencing", "shared",       "objective",
                                     "outbox",  "document"};

static json_t *tbl(mem *m, const char *name)
{
	return json_object_get(m->root, name);
}

static int oom(void)
{
	return somo__error_oom();
}

static json_t *js(const char *s)
{
	return json_stringn_nocheck(s ? s : "", s ? strlen(s) : 0);
}

static const char *S(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static int64_t I(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

static bool R(json_t *o, const char *k, double *v)
{
	json_t *x = json_object_get(o, k);

	*v = x ? json_real_value(x) : 0;
	return x != NULL;
}

/* A record object from alternating names and values: "s" strings, "i" ints. */
static json_t *obj(const char *fmt, ...)
{
	json_t *o = json_object();
	va_list ap;

	if (!o)
		return NULL;
	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++) {
		const char *name = va_arg(ap, const char *);
		json_t *v = *f == 's' ? js(va_arg(ap, const char *))
		                      : json_integer((json_int_t)va_arg(ap, int64_t));
		if (!v || json_object_set_new_nocheck(o, name, v) < 0) {
			json_decref(o);
			o = NULL;
			break;
		}
	}
	va_end(ap);
	return o;
}

/* Insert or replace table[key] = rec (rec's reference is taken). */
static int set(mem *m, const char *table, char *key, json_t *rec)
{
	int rc = 0;

	if (!key || !rec) {
		json_decref(rec);
		rc = oom();
	} else if (json_object_set_new_nocheck(tbl(m, table), key, rec) < 0) {
		rc = oom(); /* the reference was taken all the same */
	}
	somo__free(key);
	return rc;
}

static json_t *get(mem *m, const char *table, char *key, int *rc)
{
	json_t *v = NULL;

	if (!key) {
		*rc = oom();
		return NULL;
	}
	v = json_object_get(tbl(m, table), key);
	somo__free(key);
	*rc = 0;
	return v;
}

#define K1(a)       somo__strdup(a)
#define K2(a, b)    somo__sprintf("%s\x01%s", a, b)
#define K3(a, b, c) somo__sprintf("%s\x01%s\x01%s", a, b, c)
#define KA(r, n)    somo__sprintf("%s\x01%010" PRIu32, r, (uint32_t)(n))
#define KR(r, n, a) somo__sprintf("%s\x01%010" PRIu32 "\x01%s", r, (uint32_t)(n), a)
#define KD(k, key)  somo__sprintf("%d\x01%s", (int)(k), key)

static int not_found(const char *what)
{
	return somo__error(SOMO_ENOTFOUND, "store (memory): %s: not found", what);
}

/* ------------------------------------------------------------------------ */
/* Listing: filter, sort, hand out                                           */

typedef struct {
	const char *field[3];
	const char *value[3]; /* NULL: any */
	const char *int_field;
	int64_t int_value;
	bool int_le; /* int_field <= int_value, else == (when int_field set) */
	int kind;    /* documents: kind, with prefix in value[0] of "key" */
} match;

typedef struct {
	const char *key;
	json_t *v;
} item;

typedef int (*conv_fn)(json_t *v, void *cb, void *payload);

static bool matches(json_t *v, const match *w)
{
	for (int i = 0; i < 3; i++)
		if (w->field[i] && w->value[i] && strcmp(S(v, w->field[i]), w->value[i]) != 0)
			return false;
	if (w->int_field) {
		int64_t x = I(v, w->int_field);
		if (w->int_le ? x > w->int_value : x != w->int_value)
			return false;
	}
	return true;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const item *)a)->key, ((const item *)b)->key);
}

static int list(mem *m, const char *table, const match *w, bool (*extra)(json_t *, const void *),
                const void *extra_arg, int (*cmp)(const void *, const void *), size_t limit,
                conv_fn conv, void *cb, void *payload)
{
	json_t *t = tbl(m, table), *v;
	const char *key;
	size_t n = 0, cap = json_object_size(t);
	item *items;
	int ret = 0;

	if (cap == 0)
		return 0;
	items = somo__calloc(cap, sizeof(*items));
	if (!items)
		return oom();
	json_object_foreach (t, key, v) {
		if ((w && !matches(v, w)) || (extra && !extra(v, extra_arg)))
			continue;
		items[n].key = key;
		items[n].v = json_incref(v);
		n++;
	}
	qsort(items, n, sizeof(*items), cmp ? cmp : by_key);
	if (limit && limit < n) {
		for (size_t i = limit; i < n; i++)
			json_decref(items[i].v);
		n = limit;
	}
	/* The callback may write: each record is held until the end. */
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = conv(items[i].v, cb, payload);
	for (size_t i = 0; i < n; i++)
		json_decref(items[i].v);
	somo__free(items);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

static int conv_learner(json_t *v, void *cb, void *payload)
{
	somo_store_learner r = {S(v, "id"), S(v, "name")};
	return ((somo_store_learner_cb)cb)(&r, payload);
}

static int conv_package(json_t *v, void *cb, void *payload)
{
	somo_store_package r = {S(v, "id"), S(v, "path"), S(v, "digest"), S(v, "title"),
	                        S(v, "standard")};
	return ((somo_store_package_cb)cb)(&r, payload);
}

static int conv_registration(json_t *v, void *cb, void *payload)
{
	somo_store_registration r = {S(v, "id"), S(v, "learner_id"), S(v, "package_id"),
	                             I(v, "created")};
	return ((somo_store_registration_cb)cb)(&r, payload);
}

static int conv_attempt(json_t *v, void *cb, void *payload)
{
	somo_store_attempt r = {S(v, "registration"), (uint32_t)I(v, "number"),
	                        (somo_store_attempt_state)I(v, "state"), I(v, "started"),
	                        I(v, "ended")};
	return ((somo_store_attempt_cb)cb)(&r, payload);
}

static int conv_runtime(json_t *v, void *cb, void *payload)
{
	somo_store_runtime r = {
	    S(v, "registration"), (uint32_t)I(v, "attempt"),  S(v, "activity_id"),
	    S(v, "state"),        (uint32_t)I(v, "sessions"), (uint64_t)I(v, "commits"),
	    I(v, "updated")};
	return ((somo_store_runtime_cb)cb)(&r, payload);
}

static int conv_sequencing(json_t *v, void *cb, void *payload)
{
	somo_store_sequencing r = {S(v, "registration"), (uint32_t)I(v, "attempt"), S(v, "state"),
	                           I(v, "updated")};
	return ((somo_store_sequencing_cb)cb)(&r, payload);
}

static int conv_shared(json_t *v, void *cb, void *payload)
{
	somo_store_shared_data r = {S(v, "learner_id"), S(v, "package_id"), S(v, "target_id"),
	                            S(v, "data"), I(v, "updated")};
	return ((somo_store_shared_data_cb)cb)(&r, payload);
}

static int conv_objective(json_t *v, void *cb, void *payload)
{
	somo_store_objective r;

	memset(&r, 0, sizeof(r));
	r.learner_id = S(v, "learner_id");
	r.scope = S(v, "scope");
	r.objective_id = S(v, "objective_id");
	r.success = (somo_store_success)I(v, "success");
	r.has_measure = R(v, "measure", &r.measure);
	r.has_raw = R(v, "raw", &r.raw);
	r.has_min = R(v, "min", &r.min);
	r.has_max = R(v, "max", &r.max);
	r.completion = (somo_store_completion)I(v, "completion");
	r.has_progress = R(v, "progress", &r.progress);
	r.updated = I(v, "updated");
	return ((somo_store_objective_cb)cb)(&r, payload);
}

static int conv_outbox(json_t *v, void *cb, void *payload)
{
	somo_store_outbox_entry r = {S(v, "id"),           S(v, "statement"),
	                             I(v, "enqueued"),     (somo_store_outbox_state)I(v, "state"),
	                             S(v, "message"),      (uint32_t)I(v, "attempts"),
	                             I(v, "next_attempt"), I(v, "delivered")};
	return ((somo_store_outbox_cb)cb)(&r, payload);
}

static int conv_document(json_t *v, void *cb, void *payload)
{
	somo_store_document r;
	json_t *body = json_object_get(v, "body");

	memset(&r, 0, sizeof(r));
	r.kind = (somo_store_doc_kind)I(v, "kind");
	r.key = S(v, "key");
	r.content_type = S(v, "content_type");
	r.body = json_string_value(body);
	r.body_size = json_string_length(body);
	if (!r.body)
		r.body = "";
	r.etag = S(v, "etag");
	r.updated = I(v, "updated");
	return ((somo_store_document_cb)cb)(&r, payload);
}

/* One record by key: its callback, or SOMO_ENOTFOUND. */
static int get_one(mem *m, const char *table, char *key, conv_fn conv, void *cb, void *payload,
                   const char *what)
{
	int rc;
	json_t *v = get(m, table, key, &rc);

	if (rc < 0)
		return rc;
	if (!v)
		return not_found(what);
	json_incref(v);
	rc = conv(v, cb, payload);
	json_decref(v);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Transactions                                                              */

static int m_begin(void *impl)
{
	mem *m = impl;

	if (m->snapshot)
		return somo__error(SOMO_ESTATE, "store (memory): a transaction is already open");
	m->snapshot = json_deep_copy(m->root);
	return m->snapshot ? 0 : oom();
}

static int m_commit(void *impl)
{
	mem *m = impl;

	json_decref(m->snapshot);
	m->snapshot = NULL;
	return 0;
}

static int m_rollback(void *impl)
{
	mem *m = impl;

	if (m->snapshot) {
		json_decref(m->root);
		m->root = m->snapshot;
		m->snapshot = NULL;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Operations                                                                */

static bool exists(mem *m, const char *table, char *key)
{
	int rc;
	return get(m, table, key, &rc) != NULL;
}

static int m_learner_put(void *impl, const somo_store_learner *r)
{
	return set(impl, "learner", K1(r->id), obj("ss", "id", r->id, "name", r->name));
}

static int m_learner_get(void *impl, const char *id, somo_store_learner_cb cb, void *payload)
{
	return get_one(impl, "learner", K1(id), conv_learner, (void *)cb, payload,
	               "read a learner");
}

static int m_learner_list(void *impl, somo_store_learner_cb cb, void *payload)
{
	return list(impl, "learner", NULL, NULL, NULL, NULL, 0, conv_learner, (void *)cb, payload);
}

static int m_package_put(void *impl, const somo_store_package *r)
{
	return set(impl, "package", K1(r->id),
	           obj("sssss", "id", r->id, "path", r->path, "digest", r->digest, "title",
	               r->title, "standard", r->standard));
}

static int m_package_get(void *impl, const char *id, somo_store_package_cb cb, void *payload)
{
	return get_one(impl, "package", K1(id), conv_package, (void *)cb, payload,
	               "read a package");
}

static int m_package_list(void *impl, somo_store_package_cb cb, void *payload)
{
	return list(impl, "package", NULL, NULL, NULL, NULL, 0, conv_package, (void *)cb, payload);
}

static int m_registration_put(void *impl, const somo_store_registration *r)
{
	mem *m = impl;
	int rc;
	json_t *old = get(m, "registration", K1(r->id), &rc);

	if (rc < 0)
		return rc;
	if (old) {
		if (strcmp(S(old, "learner_id"), r->learner_id) != 0 ||
		    strcmp(S(old, "package_id"), r->package_id) != 0)
			return somo__error(SOMO_EEXISTS,
			                   "store (memory): registration %s belongs to another "
			                   "learner or package",
			                   r->id);
		return 0;
	}
	if (!exists(m, "learner", K1(r->learner_id)) || !exists(m, "package", K1(r->package_id)))
		return somo__error(SOMO_ENOTFOUND,
		                   "store (memory): learner '%.200s' or package '%.200s' does not "
		                   "exist",
		                   r->learner_id, r->package_id);
	return set(m, "registration", K1(r->id),
	           obj("sssi", "id", r->id, "learner_id", r->learner_id, "package_id",
	               r->package_id, "created", r->created));
}

static int m_registration_get(void *impl, const char *id, somo_store_registration_cb cb,
                              void *payload)
{
	return get_one(impl, "registration", K1(id), conv_registration, (void *)cb, payload,
	               "read a registration");
}

static int by_created(const void *a, const void *b)
{
	json_t *x = ((const item *)a)->v, *y = ((const item *)b)->v;
	int64_t cx = I(x, "created"), cy = I(y, "created");

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return strcmp(S(x, "id"), S(y, "id"));
}

static int m_registration_list(void *impl, const char *learner_id, const char *package_id,
                               somo_store_registration_cb cb, void *payload)
{
	match w = {{"learner_id", "package_id"}, {learner_id, package_id}, NULL, 0, false, 0};
	return list(impl, "registration", &w, NULL, NULL, by_created, 0, conv_registration,
	            (void *)cb, payload);
}

static int m_attempt_put(void *impl, const somo_store_attempt *r)
{
	mem *m = impl;

	if (!exists(m, "registration", K1(r->registration)))
		return somo__error(SOMO_ENOTFOUND, "store (memory): registration %s does not exist",
		                   r->registration);
	return set(m, "attempt", KA(r->registration, r->number),
	           obj("siiii", "registration", r->registration, "number", (int64_t)r->number,
	               "state", (int64_t)r->state, "started", r->started, "ended", r->ended));
}

static int m_attempt_get(void *impl, const char *registration, uint32_t number,
                         somo_store_attempt_cb cb, void *payload)
{
	return get_one(impl, "attempt", KA(registration, number), conv_attempt, (void *)cb, payload,
	               "read an attempt");
}

static int m_attempt_list(void *impl, const char *registration, somo_store_attempt_cb cb,
                          void *payload)
{
	match w = {{"registration"}, {registration}, NULL, 0, false, 0};
	return list(impl, "attempt", &w, NULL, NULL, NULL, 0, conv_attempt, (void *)cb, payload);
}

static int need_attempt(mem *m, const char *registration, uint32_t attempt)
{
	if (!exists(m, "attempt", KA(registration, attempt)))
		return somo__error(SOMO_ENOTFOUND,
		                   "store (memory): attempt %u of registration %s does not exist",
		                   attempt, registration);
	return 0;
}

static int m_runtime_put(void *impl, const somo_store_runtime *r)
{
	mem *m = impl;
	json_t *old;
	int rc;

	if ((rc = need_attempt(m, r->registration, r->attempt)) < 0)
		return rc;
	old = get(m, "runtime", KR(r->registration, r->attempt, r->activity_id), &rc);
	if (rc < 0)
		return rc;
	int64_t commits = (old ? I(old, "commits") : 0) + 1;
	return set(m, "runtime", KR(r->registration, r->attempt, r->activity_id),
	           obj("sissiii", "registration", r->registration, "attempt", (int64_t)r->attempt,
	               "activity_id", r->activity_id, "state", r->state, "sessions",
	               (int64_t)r->sessions, "commits", commits, "updated", r->updated));
}

static int m_runtime_get(void *impl, const char *registration, uint32_t attempt,
                         const char *activity_id, somo_store_runtime_cb cb, void *payload)
{
	return get_one(impl, "runtime", KR(registration, attempt, activity_id), conv_runtime,
	               (void *)cb, payload, "read a run-time state");
}

static int m_runtime_list(void *impl, const char *registration, uint32_t attempt,
                          somo_store_runtime_cb cb, void *payload)
{
	match w = {{"registration"}, {registration}, "attempt", attempt, false, 0};
	return list(impl, "runtime", &w, NULL, NULL, NULL, 0, conv_runtime, (void *)cb, payload);
}

static int m_sequencing_put(void *impl, const somo_store_sequencing *r)
{
	mem *m = impl;
	int rc;

	if ((rc = need_attempt(m, r->registration, r->attempt)) < 0)
		return rc;
	return set(m, "sequencing", KA(r->registration, r->attempt),
	           obj("sisi", "registration", r->registration, "attempt", (int64_t)r->attempt,
	               "state", r->state, "updated", r->updated));
}

static int m_sequencing_get(void *impl, const char *registration, uint32_t attempt,
                            somo_store_sequencing_cb cb, void *payload)
{
	return get_one(impl, "sequencing", KA(registration, attempt), conv_sequencing, (void *)cb,
	               payload, "read a sequencing state");
}

static int need_learner(mem *m, const char *learner)
{
	if (!exists(m, "learner", K1(learner)))
		return somo__error(SOMO_ENOTFOUND,
		                   "store (memory): learner '%.200s' does not exist", learner);
	return 0;
}

static int m_shared_data_put(void *impl, const somo_store_shared_data *r)
{
	mem *m = impl;
	int rc;

	if ((rc = need_learner(m, r->learner_id)) < 0)
		return rc;
	return set(m, "shared", K3(r->learner_id, r->package_id, r->target_id),
	           obj("ssssi", "learner_id", r->learner_id, "package_id", r->package_id,
	               "target_id", r->target_id, "data", r->data, "updated", r->updated));
}

static int m_shared_data_get(void *impl, const char *learner_id, const char *package_id,
                             const char *target_id, somo_store_shared_data_cb cb, void *payload)
{
	return get_one(impl, "shared", K3(learner_id, package_id, target_id), conv_shared,
	               (void *)cb, payload, "read shared data");
}

static int m_shared_data_list(void *impl, const char *learner_id, const char *package_id,
                              somo_store_shared_data_cb cb, void *payload)
{
	match w = {{"learner_id", "package_id"}, {learner_id, package_id}, NULL, 0, false, 0};
	return list(impl, "shared", &w, NULL, NULL, NULL, 0, conv_shared, (void *)cb, payload);
}

static int put_real(json_t *o, const char *k, bool has, double v)
{
	json_t *x;

	if (!has)
		return 0;
	x = json_real(v);
	return x && json_object_set_new_nocheck(o, k, x) == 0 ? 0 : -1;
}

static int m_objective_put(void *impl, const somo_store_objective *r)
{
	mem *m = impl;
	json_t *o;
	int rc;

	if ((rc = need_learner(m, r->learner_id)) < 0)
		return rc;
	o = obj("sssiii", "learner_id", r->learner_id, "scope", r->scope, "objective_id",
	        r->objective_id, "success", (int64_t)r->success, "completion",
	        (int64_t)r->completion, "updated", r->updated);
	if (o && (put_real(o, "measure", r->has_measure, r->measure) < 0 ||
	          put_real(o, "raw", r->has_raw, r->raw) < 0 ||
	          put_real(o, "min", r->has_min, r->min) < 0 ||
	          put_real(o, "max", r->has_max, r->max) < 0 ||
	          put_real(o, "progress", r->has_progress, r->progress) < 0)) {
		json_decref(o);
		o = NULL;
	}
	return set(m, "objective", K3(r->learner_id, r->scope, r->objective_id), o);
}

static int m_objective_get(void *impl, const char *learner_id, const char *scope,
                           const char *objective_id, somo_store_objective_cb cb, void *payload)
{
	return get_one(impl, "objective", K3(learner_id, scope, objective_id), conv_objective,
	               (void *)cb, payload, "read a global objective");
}

static int m_objective_list(void *impl, const char *learner_id, const char *scope,
                            somo_store_objective_cb cb, void *payload)
{
	match w = {{"learner_id", "scope"}, {learner_id, scope}, NULL, 0, false, 0};
	return list(impl, "objective", &w, NULL, NULL, NULL, 0, conv_objective, (void *)cb,
	            payload);
}

/* ------------------------------------------------------------------------ */
/* The outbox                                                                */

static int m_outbox_enqueue(void *impl, const somo_store_outbox_entry *r, uint64_t max_undelivered)
{
	mem *m = impl;
	json_t *old, *v;
	const char *key;
	uint64_t undelivered = 0;
	int rc;

	old = get(m, "outbox", K1(r->id), &rc);
	if (rc < 0)
		return rc;
	if (old) {
		if (strcmp(S(old, "statement"), r->statement) != 0)
			return somo__error(SOMO_EEXISTS,
			                   "store (memory): statement %s is already in the outbox "
			                   "with other content",
			                   r->id);
		return 0;
	}
	json_object_foreach (tbl(m, "outbox"), key, v) {
		if (I(v, "state") != SOMO_STORE_OUTBOX_DELIVERED)
			undelivered++;
	}
	if (undelivered >= max_undelivered)
		return somo__error(SOMO_EFULL,
		                   "store (memory): the outbox is full (%" PRIu64
		                   " statements not delivered)",
		                   undelivered);
	int64_t seq = I(m->root, "seq") + 1;
	if (json_object_set_new_nocheck(m->root, "seq", json_integer(seq)) < 0)
		return oom();
	return set(m, "outbox", K1(r->id),
	           obj("ssisiiiii", "id", r->id, "statement", r->statement, "enqueued", r->enqueued,
	               "message", r->message, "state", (int64_t)r->state, "attempts",
	               (int64_t)r->attempts, "next_attempt", r->next_attempt, "delivered",
	               r->delivered, "seq", seq));
}

static int m_outbox_get(void *impl, const char *id, somo_store_outbox_cb cb, void *payload)
{
	return get_one(impl, "outbox", K1(id), conv_outbox, (void *)cb, payload,
	               "read an outbox statement");
}

static int by_seq(const void *a, const void *b)
{
	int64_t x = I(((const item *)a)->v, "seq"), y = I(((const item *)b)->v, "seq");
	return x < y ? -1 : x > y;
}

static bool due(json_t *v, const void *arg)
{
	return I(v, "next_attempt") <= *(const int64_t *)arg;
}

static int m_outbox_list(void *impl, somo_store_outbox_state state, int64_t due_before,
                         size_t limit, somo_store_outbox_cb cb, void *payload)
{
	match w = {{NULL}, {NULL}, state ? "state" : NULL, (int64_t)state, false, 0};
	return list(impl, "outbox", &w, due_before != INT64_MAX ? due : NULL, &due_before, by_seq,
	            limit, conv_outbox, (void *)cb, payload);
}

static int m_outbox_update(void *impl, const somo_store_outbox_entry *r)
{
	mem *m = impl;
	json_t *old;
	int rc;

	old = get(m, "outbox", K1(r->id), &rc);
	if (rc < 0)
		return rc;
	if (!old)
		return somo__error(SOMO_ENOTFOUND,
		                   "store (memory): statement %s is not in the outbox", r->id);
	if (json_object_set_new_nocheck(old, "state", json_integer((json_int_t)r->state)) < 0 ||
	    json_object_set_new_nocheck(old, "message", js(r->message)) < 0 ||
	    json_object_set_new_nocheck(old, "attempts", json_integer(r->attempts)) < 0 ||
	    json_object_set_new_nocheck(old, "next_attempt", json_integer(r->next_attempt)) < 0 ||
	    json_object_set_new_nocheck(old, "delivered", json_integer(r->delivered)) < 0)
		return oom();
	return 0;
}

static int m_outbox_count(void *impl, somo_store_outbox_counts *out)
{
	mem *m = impl;
	const char *key;
	json_t *v;

	memset(out, 0, sizeof(*out));
	json_object_foreach (tbl(m, "outbox"), key, v) {
		switch (I(v, "state")) {
		case SOMO_STORE_OUTBOX_PENDING:
			out->pending++;
			break;
		case SOMO_STORE_OUTBOX_DELIVERED:
			out->delivered++;
			break;
		case SOMO_STORE_OUTBOX_PARKED:
			out->parked++;
			break;
		}
	}
	return 0;
}

static int m_outbox_purge(void *impl, int64_t delivered_before, uint64_t *removed)
{
	mem *m = impl;
	const char *key;
	json_t *v, *t = tbl(m, "outbox");
	void *tmp;

	*removed = 0;
	json_object_foreach_safe (t, tmp, key, v) {
		if (I(v, "state") == SOMO_STORE_OUTBOX_DELIVERED &&
		    I(v, "delivered") < delivered_before) {
			json_object_del(t, key);
			(*removed)++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                 */

static int m_document_put(void *impl, const somo_store_document *r)
{
	json_t *o = obj("isssi", "kind", (int64_t)r->kind, "key", r->key, "content_type",
	                r->content_type, "etag", r->etag, "updated", r->updated);
	json_t *body = json_stringn_nocheck(r->body, r->body_size);

	if (!o || !body || json_object_set_new_nocheck(o, "body", body) < 0) {
		json_decref(o);
		return oom();
	}
	return set(impl, "document", KD(r->kind, r->key), o);
}

static int m_document_get(void *impl, somo_store_doc_kind kind, const char *key,
                          somo_store_document_cb cb, void *payload)
{
	return get_one(impl, "document", KD(kind, key), conv_document, (void *)cb, payload,
	               "read a document");
}

static int m_document_delete(void *impl, somo_store_doc_kind kind, const char *key)
{
	mem *m = impl;
	char *k = KD(kind, key);
	int rc;

	if (!k)
		return oom();
	rc = json_object_del(tbl(m, "document"), k) == 0
	         ? 0
	         : somo__error(SOMO_ENOTFOUND, "store (memory): document '%.200s' does not exist",
	                       key);
	somo__free(k);
	return rc;
}

static bool has_prefix(json_t *v, const void *arg)
{
	const char *prefix = arg;
	return strncmp(S(v, "key"), prefix, strlen(prefix)) == 0;
}

static int m_document_list(void *impl, somo_store_doc_kind kind, const char *prefix,
                           somo_store_document_cb cb, void *payload)
{
	match w = {{NULL}, {NULL}, "kind", (int64_t)kind, false, 0};
	return list(impl, "document", &w, has_prefix, prefix, NULL, 0, conv_document, (void *)cb,
	            payload);
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                   */

static void m_close(void *impl)
{
	mem *m = impl;

	if (!m)
		return;
	json_decref(m->root);
	json_decref(m->snapshot);
	somo__free(m);
}

int somo__store_memory_open(void **impl)
{
	mem *m = somo__calloc(1, sizeof(*m));

	*impl = NULL;
	if (!m)
		return oom();
	m->root = json_object();
	if (!m->root)
		goto fail;
	for (size_t i = 0; i < SOMO__ARRAY_SIZE(tables); i++)
		if (json_object_set_new_nocheck(m->root, tables[i], json_object()) < 0)
			goto fail;
	if (json_object_set_new_nocheck(m->root, "seq", json_integer(0)) < 0)
		goto fail;
	*impl = m;
	return 0;
fail:
	m_close(m);
	return oom();
}

const somo_store_backend somo__store_memory_backend = {
    .version = SOMO_STORE_BACKEND_VERSION,
    .name = "memory",
    .close = m_close,
    .begin = m_begin,
    .commit = m_commit,
    .rollback = m_rollback,
    .learner_put = m_learner_put,
    .learner_get = m_learner_get,
    .learner_list = m_learner_list,
    .package_put = m_package_put,
    .package_get = m_package_get,
    .package_list = m_package_list,
    .registration_put = m_registration_put,
    .registration_get = m_registration_get,
    .registration_list = m_registration_list,
    .attempt_put = m_attempt_put,
    .attempt_get = m_attempt_get,
    .attempt_list = m_attempt_list,
    .runtime_put = m_runtime_put,
    .runtime_get = m_runtime_get,
    .runtime_list = m_runtime_list,
    .sequencing_put = m_sequencing_put,
    .sequencing_get = m_sequencing_get,
    .shared_data_put = m_shared_data_put,
    .shared_data_get = m_shared_data_get,
    .shared_data_list = m_shared_data_list,
    .objective_put = m_objective_put,
    .objective_get = m_objective_get,
    .objective_list = m_objective_list,
    .outbox_enqueue = m_outbox_enqueue,
    .outbox_get = m_outbox_get,
    .outbox_list = m_outbox_list,
    .outbox_update = m_outbox_update,
    .outbox_count = m_outbox_count,
    .outbox_purge = m_outbox_purge,
    .document_put = m_document_put,
    .document_get = m_document_get,
    .document_delete = m_document_delete,
    .document_list = m_document_list,
};
