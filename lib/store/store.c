/*
 * The store's front end: checks arguments, fills times, keeps the
 * transaction state and calls through the backend table.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "util/text.h"
#include "util/time.h"
#include "util/util.h"

struct somo_store {
	const somo_store_backend *be;
	void *impl;
	somo_store_opts o;
	bool in_txn;
};

#define DEFAULT_BUSY_MS    10000u
#define DEFAULT_OUTBOX_MAX 100000u
#define DEFAULT_MAX_VALUE  (16u * 1024u * 1024u)
#define DEFAULT_CACHE_KIB  256u

static int resolve_opts(somo_store_opts *o, const somo_store_opts *in)
{
	somo_store_opts def = SOMO_STORE_OPTS_INIT;

	if (in && (in->version == 0 || in->version > SOMO_STORE_OPTS_VERSION))
		return somo__error(SOMO_EINVAL, "store options: unknown version %u", in->version);
	*o = in ? *in : def;
	if (!o->busy_timeout_ms)
		o->busy_timeout_ms = DEFAULT_BUSY_MS;
	if (!o->outbox_max)
		o->outbox_max = DEFAULT_OUTBOX_MAX;
	if (!o->max_value_size)
		o->max_value_size = DEFAULT_MAX_VALUE;
	if (!o->cache_kib)
		o->cache_kib = DEFAULT_CACHE_KIB;
	return 0;
}

static int64_t now_ms(void)
{
	int64_t s;
	int32_t ns;

	somo__time_now(&s, &ns);
	return s * 1000 + ns / 1000000;
}

/* A backend failed with rc: make sure the thread's error says something. */
static int backend_error(const somo_store *st, int rc)
{
	if (rc < 0 && somo_error_last()->code != rc)
		return somo__error(rc, "store (%s): %s", st->be->name ? st->be->name : "backend",
		                   somo_strerror(rc));
	return rc;
}

static int unsupported(const somo_store *st, const char *fn)
{
	return somo__error(SOMO_EUNSUPPORTED, "store (%s): %s is not supported",
	                   st->be->name ? st->be->name : "backend", fn);
}

#define CALL(st, fn, ...)                                                                          \
	((st)->be->fn ? backend_error((st), (st)->be->fn((st)->impl, __VA_ARGS__))                 \
	              : unsupported((st), #fn))
#define CALL0(st, fn)                                                                              \
	((st)->be->fn ? backend_error((st), (st)->be->fn((st)->impl)) : unsupported((st), #fn))

/* ------------------------------------------------------------------------ */
/* Argument checks                                                           */

static int check_id(const char *what, const char *s)
{
	size_t n;

	if (!s)
		return somo__error(SOMO_EINVAL, "store: %s is NULL", what);
	n = strlen(s);
	if (n == 0)
		return somo__error(SOMO_EINVAL, "store: %s is empty", what);
	if (n > SOMO_STORE_MAX_ID)
		return somo__error(SOMO_ELIMIT, "store: %s is longer than %d bytes", what,
		                   SOMO_STORE_MAX_ID);
	if (!somo__utf8_valid(s, n))
		return somo__error(SOMO_EINVAL, "store: %s is not UTF-8", what);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return somo__error(SOMO_EINVAL, "store: %s holds a control character",
			                   what);
	return 0;
}

/* An id that may also be "" (the global scope of shared data and objectives). */
static int check_scope(const char *what, const char *s)
{
	if (s && !*s)
		return 0;
	return check_id(what, s);
}

static int check_text(const somo_store *st, const char *what, const char *s)
{
	size_t n;

	if (!s)
		return somo__error(SOMO_EINVAL, "store: %s is NULL", what);
	n = strlen(s);
	if (n > st->o.max_value_size)
		return somo__error(SOMO_ELIMIT,
		                   "store: %s is %zu bytes, more than the limit of %llu", what, n,
		                   (unsigned long long)st->o.max_value_size);
	if (!somo__utf8_valid(s, n))
		return somo__error(SOMO_EINVAL, "store: %s is not UTF-8", what);
	return 0;
}

/* A UUID, lowercased into out. */
static int check_uuid(const char *what, const char *s, char out[37])
{
	if (!s)
		return somo__error(SOMO_EINVAL, "store: %s is NULL", what);
	if (!somo__uuid_valid(s))
		return somo__error(SOMO_EINVAL, "store: %s '%.64s' is not a UUID", what, s);
	for (int i = 0; i < 36; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[36] = '\0';
	return 0;
}

static int check_number(const char *what, double v)
{
	if (!isfinite(v))
		return somo__error(SOMO_EINVAL, "store: %s is not a finite number", what);
	return 0;
}

#define TRY(x)                                                                                     \
	do {                                                                                       \
		int try_rc_ = (x);                                                                 \
		if (try_rc_ < 0)                                                                   \
			return try_rc_;                                                            \
	} while (0)

#define CHECK_STORE(st, rec)                                                                       \
	do {                                                                                       \
		if (!(st) || !(rec))                                                               \
			return somo__error(SOMO_EINVAL, "store: NULL argument");                   \
	} while (0)

/* ------------------------------------------------------------------------ */
/* Copies of records: the record and its strings in one allocation          */

static void *dup_rec(const void *rec, size_t size, const size_t *offs, size_t n, size_t body_off,
                     size_t body_size_off)
{
	size_t total = size, body_size = 0;
	const void *body = NULL;
	char *copy, *p;

	for (size_t i = 0; i < n; i++) {
		const char *s = *(const char *const *)((const char *)rec + offs[i]);
		total += (s ? strlen(s) : 0) + 1;
	}
	if (body_off) {
		body = *(const void *const *)((const char *)rec + body_off);
		body_size = *(const size_t *)((const char *)rec + body_size_off);
		total += body_size + 1;
	}
	copy = somo__malloc(total);
	if (!copy) {
		somo__error_oom();
		return NULL;
	}
	memcpy(copy, rec, size);
	p = copy + size;
	for (size_t i = 0; i < n; i++) {
		const char *s = *(const char *const *)((const char *)rec + offs[i]);
		size_t len = s ? strlen(s) : 0;
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
		*(const char **)(copy + offs[i]) = p;
		p += len + 1;
	}
	if (body_off) {
		if (body_size)
			memcpy(p, body, body_size);
		p[body_size] = '\0';
		*(const void **)(copy + body_off) = p;
	}
	return copy;
}

#define COPY_CB(T, name, ...)                                                                      \
	static int name(const T *rec, void *payload)                                               \
	{                                                                                          \
		static const size_t offs[] = {__VA_ARGS__};                                        \
		void **out = payload;                                                              \
		somo__free(*out);                                                                  \
		*out = dup_rec(rec, sizeof(*rec), offs, SOMO__ARRAY_SIZE(offs), 0, 0);             \
		return *out ? 0 : SOMO_ENOMEM;                                                     \
	}

COPY_CB(somo_store_learner, copy_learner, offsetof(somo_store_learner, id),
        offsetof(somo_store_learner, name))
COPY_CB(somo_store_package, copy_package, offsetof(somo_store_package, id),
        offsetof(somo_store_package, path), offsetof(somo_store_package, digest),
        offsetof(somo_store_package, title), offsetof(somo_store_package, standard))
COPY_CB(somo_store_registration, copy_registration, offsetof(somo_store_registration, id),
        offsetof(somo_store_registration, learner_id),
        offsetof(somo_store_registration, package_id))
COPY_CB(somo_store_attempt, copy_attempt, offsetof(somo_store_attempt, registration))
COPY_CB(somo_store_runtime, copy_runtime, offsetof(somo_store_runtime, registration),
        offsetof(somo_store_runtime, activity_id), offsetof(somo_store_runtime, state))
COPY_CB(somo_store_sequencing, copy_sequencing, offsetof(somo_store_sequencing, registration),
        offsetof(somo_store_sequencing, state))
COPY_CB(somo_store_shared_data, copy_shared_data, offsetof(somo_store_shared_data, learner_id),
        offsetof(somo_store_shared_data, package_id), offsetof(somo_store_shared_data, target_id),
        offsetof(somo_store_shared_data, data))
COPY_CB(somo_store_objective, copy_objective, offsetof(somo_store_objective, learner_id),
        offsetof(somo_store_objective, scope), offsetof(somo_store_objective, objective_id))
COPY_CB(somo_store_outbox_entry, copy_outbox, offsetof(somo_store_outbox_entry, id),
        offsetof(somo_store_outbox_entry, statement), offsetof(somo_store_outbox_entry, message))

static int copy_document(const somo_store_document *rec, void *payload)
{
	static const size_t offs[] = {offsetof(somo_store_document, key),
	                              offsetof(somo_store_document, content_type),
	                              offsetof(somo_store_document, etag)};
	void **out = payload;

	somo__free(*out);
	*out =
	    dup_rec(rec, sizeof(*rec), offs, SOMO__ARRAY_SIZE(offs),
	            offsetof(somo_store_document, body), offsetof(somo_store_document, body_size));
	return *out ? 0 : SOMO_ENOMEM;
}

/* The end of a get: on failure nothing is handed out. */
static int got(int rc, void **out)
{
	if (rc < 0 || !*out) {
		somo__free(*out);
		*out = NULL;
		if (rc >= 0)
			rc = somo__error(SOMO_ENOTFOUND, "store: not found");
	}
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------------ */
/* Opening, closing, transactions                                            */

SOMO_API int somo_store_open_backend(somo_store **out, const somo_store_backend *be, void *impl,
                                     const somo_store_opts *opts)
{
	somo_store *st;
	int rc;

	if (!out || !be) {
		if (be && be->close)
			be->close(impl);
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	}
	*out = NULL;
	if (be->version == 0 || be->version > SOMO_STORE_BACKEND_VERSION) {
		if (be->close)
			be->close(impl);
		return somo__error(SOMO_EUNSUPPORTED, "store: backend table version %u is unknown",
		                   be->version);
	}
	st = somo__calloc(1, sizeof(*st));
	if (!st) {
		if (be->close)
			be->close(impl);
		return somo__error_oom();
	}
	if ((rc = resolve_opts(&st->o, opts)) < 0) {
		if (be->close)
			be->close(impl);
		somo__free(st);
		return rc;
	}
	st->be = be;
	st->impl = impl;
	*out = st;
	return 0;
}

SOMO_API int somo_store_open_sqlite(somo_store **out, const char *path, const somo_store_opts *opts)
{
	somo_store_opts o;
	void *impl = NULL;
	int rc;

	if (!out || !path || !*path)
		return somo__error(SOMO_EINVAL, "store: NULL or empty argument");
	*out = NULL;
	if ((rc = resolve_opts(&o, opts)) < 0)
		return rc;
	if ((rc = somo__store_sqlite_open(&impl, path, &o)) < 0)
		return rc;
	return somo_store_open_backend(out, &somo__store_sqlite_backend, impl, &o);
}

SOMO_API int somo_store_open_memory(somo_store **out, const somo_store_opts *opts)
{
	somo_store_opts o;
	void *impl = NULL;
	int rc;

	if (!out)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	*out = NULL;
	if ((rc = resolve_opts(&o, opts)) < 0)
		return rc;
	if ((rc = somo__store_memory_open(&impl)) < 0)
		return rc;
	return somo_store_open_backend(out, &somo__store_memory_backend, impl, &o);
}

SOMO_API void somo_store_close(somo_store *st)
{
	if (!st)
		return;
	if (st->in_txn && st->be->rollback)
		st->be->rollback(st->impl);
	if (st->be->close)
		st->be->close(st->impl);
	somo__free(st);
}

SOMO_API const char *somo_store_backend_name(const somo_store *st)
{
	return st ? st->be->name : NULL;
}

SOMO_API int somo_store_begin(somo_store *st)
{
	int rc;

	if (!st)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	if (st->in_txn)
		return somo__error(SOMO_ESTATE, "store: a transaction is already open");
	if ((rc = CALL0(st, begin)) < 0)
		return rc;
	st->in_txn = true;
	return 0;
}

SOMO_API int somo_store_commit(somo_store *st)
{
	if (!st)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	if (!st->in_txn)
		return somo__error(SOMO_ESTATE, "store: no transaction is open");
	st->in_txn = false;
	return CALL0(st, commit);
}

SOMO_API int somo_store_rollback(somo_store *st)
{
	if (!st)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	if (!st->in_txn)
		return somo__error(SOMO_ESTATE, "store: no transaction is open");
	st->in_txn = false;
	return CALL0(st, rollback);
}

SOMO_API bool somo_store_in_transaction(const somo_store *st)
{
	return st && st->in_txn;
}

/* Operations made of several backend calls run in a transaction: the
 * caller's, or one of their own. */
static int own_begin(somo_store *st, bool *own)
{
	int rc;

	*own = false;
	if (st->in_txn)
		return 0;
	if ((rc = CALL0(st, begin)) < 0)
		return rc;
	*own = true;
	return 0;
}

static int own_end(somo_store *st, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc < 0) {
		/* Keep the failure's message over whatever the rollback says. */
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", somo_error_last()->message);
		if (st->be->rollback)
			st->be->rollback(st->impl);
		return somo__error(rc, "%s", msg);
	}
	return CALL0(st, commit);
}

/* ------------------------------------------------------------------------ */
/* Learners and packages                                                     */

SOMO_API int somo_store_learner_put(somo_store *st, const somo_store_learner *rec)
{
	somo_store_learner r;

	CHECK_STORE(st, rec);
	TRY(check_id("learner id", rec->id));
	r = *rec;
	if (!r.name)
		r.name = "";
	TRY(check_text(st, "learner name", r.name));
	return CALL(st, learner_put, &r);
}

SOMO_API int somo_store_learner_get(somo_store *st, const char *id, somo_store_learner **out)
{
	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_id("learner id", id));
	return got(CALL(st, learner_get, id, copy_learner, out), (void **)out);
}

SOMO_API int somo_store_learner_list(somo_store *st, somo_store_learner_cb cb, void *payload)
{
	CHECK_STORE(st, cb);
	return CALL(st, learner_list, cb, payload);
}

SOMO_API int somo_store_package_put(somo_store *st, const somo_store_package *rec)
{
	somo_store_package r;

	CHECK_STORE(st, rec);
	TRY(check_id("package id", rec->id));
	r = *rec;
	if (!r.path)
		r.path = "";
	if (!r.digest)
		r.digest = "";
	if (!r.title)
		r.title = "";
	if (!r.standard)
		r.standard = "";
	TRY(check_text(st, "package path", r.path));
	TRY(check_text(st, "package digest", r.digest));
	TRY(check_text(st, "package title", r.title));
	TRY(check_text(st, "package standard", r.standard));
	return CALL(st, package_put, &r);
}

SOMO_API int somo_store_package_get(somo_store *st, const char *id, somo_store_package **out)
{
	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_id("package id", id));
	return got(CALL(st, package_get, id, copy_package, out), (void **)out);
}

SOMO_API int somo_store_package_list(somo_store *st, somo_store_package_cb cb, void *payload)
{
	CHECK_STORE(st, cb);
	return CALL(st, package_list, cb, payload);
}

/* ------------------------------------------------------------------------ */
/* Registrations and attempts                                                */

SOMO_API int somo_store_registration_put(somo_store *st, const somo_store_registration *rec)
{
	somo_store_registration r;
	char id[37];

	CHECK_STORE(st, rec);
	TRY(check_uuid("registration id", rec->id, id));
	TRY(check_id("learner id", rec->learner_id));
	TRY(check_id("package id", rec->package_id));
	r = *rec;
	r.id = id;
	if (r.created <= 0)
		r.created = now_ms();
	return CALL(st, registration_put, &r);
}

SOMO_API int somo_store_registration_get(somo_store *st, const char *id,
                                         somo_store_registration **out)
{
	char uid[37];

	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_uuid("registration id", id, uid));
	return got(CALL(st, registration_get, uid, copy_registration, out), (void **)out);
}

SOMO_API int somo_store_registration_list(somo_store *st, const char *learner_id,
                                          const char *package_id, somo_store_registration_cb cb,
                                          void *payload)
{
	CHECK_STORE(st, cb);
	if (learner_id)
		TRY(check_id("learner id", learner_id));
	if (package_id)
		TRY(check_id("package id", package_id));
	return CALL(st, registration_list, learner_id, package_id, cb, payload);
}

static int check_attempt_state(somo_store_attempt_state s)
{
	if (s < SOMO_STORE_ATTEMPT_ACTIVE || s > SOMO_STORE_ATTEMPT_ABANDONED)
		return somo__error(SOMO_EINVAL, "store: attempt state %d is unknown", (int)s);
	return 0;
}

SOMO_API int somo_store_attempt_put(somo_store *st, const somo_store_attempt *rec)
{
	somo_store_attempt r;
	char reg[37];

	CHECK_STORE(st, rec);
	TRY(check_uuid("registration id", rec->registration, reg));
	if (rec->number == 0)
		return somo__error(SOMO_EINVAL, "store: attempt numbers start at 1");
	TRY(check_attempt_state(rec->state));
	r = *rec;
	r.registration = reg;
	if (r.started <= 0)
		r.started = now_ms();
	if (r.ended < 0)
		r.ended = 0;
	return CALL(st, attempt_put, &r);
}

static int latest_attempt(const somo_store_attempt *rec, void *payload)
{
	return copy_attempt(rec, payload);
}

SOMO_API int somo_store_attempt_get(somo_store *st, const char *registration, uint32_t number,
                                    somo_store_attempt **out)
{
	char reg[37];

	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_uuid("registration id", registration, reg));
	if (number == 0) /* the list is by number: the last one seen is the latest */
		return got(CALL(st, attempt_list, reg, latest_attempt, out), (void **)out);
	return got(CALL(st, attempt_get, reg, number, copy_attempt, out), (void **)out);
}

SOMO_API int somo_store_attempt_list(somo_store *st, const char *registration,
                                     somo_store_attempt_cb cb, void *payload)
{
	char reg[37];

	CHECK_STORE(st, cb);
	TRY(check_uuid("registration id", registration, reg));
	return CALL(st, attempt_list, reg, cb, payload);
}

/* ------------------------------------------------------------------------ */
/* Tracking state                                                            */

SOMO_API int somo_store_runtime_put(somo_store *st, const somo_store_runtime *rec)
{
	somo_store_runtime r;
	char reg[37];

	CHECK_STORE(st, rec);
	TRY(check_uuid("registration id", rec->registration, reg));
	if (rec->attempt == 0)
		return somo__error(SOMO_EINVAL, "store: attempt numbers start at 1");
	TRY(check_id("activity id", rec->activity_id));
	TRY(check_text(st, "run-time state", rec->state));
	r = *rec;
	r.registration = reg;
	r.commits = 0;
	r.updated = now_ms();
	return CALL(st, runtime_put, &r);
}

SOMO_API int somo_store_runtime_get(somo_store *st, const char *registration, uint32_t attempt,
                                    const char *activity_id, somo_store_runtime **out)
{
	char reg[37];

	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_uuid("registration id", registration, reg));
	TRY(check_id("activity id", activity_id));
	return got(CALL(st, runtime_get, reg, attempt, activity_id, copy_runtime, out),
	           (void **)out);
}

SOMO_API int somo_store_runtime_list(somo_store *st, const char *registration, uint32_t attempt,
                                     somo_store_runtime_cb cb, void *payload)
{
	char reg[37];

	CHECK_STORE(st, cb);
	TRY(check_uuid("registration id", registration, reg));
	return CALL(st, runtime_list, reg, attempt, cb, payload);
}

SOMO_API int somo_store_sequencing_put(somo_store *st, const somo_store_sequencing *rec)
{
	somo_store_sequencing r;
	char reg[37];

	CHECK_STORE(st, rec);
	TRY(check_uuid("registration id", rec->registration, reg));
	if (rec->attempt == 0)
		return somo__error(SOMO_EINVAL, "store: attempt numbers start at 1");
	TRY(check_text(st, "sequencing state", rec->state));
	r = *rec;
	r.registration = reg;
	r.updated = now_ms();
	return CALL(st, sequencing_put, &r);
}

SOMO_API int somo_store_sequencing_get(somo_store *st, const char *registration, uint32_t attempt,
                                       somo_store_sequencing **out)
{
	char reg[37];

	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_uuid("registration id", registration, reg));
	return got(CALL(st, sequencing_get, reg, attempt, copy_sequencing, out), (void **)out);
}

SOMO_API int somo_store_shared_data_put(somo_store *st, const somo_store_shared_data *rec)
{
	somo_store_shared_data r;

	CHECK_STORE(st, rec);
	TRY(check_id("learner id", rec->learner_id));
	TRY(check_scope("package id", rec->package_id));
	TRY(check_id("target id", rec->target_id));
	TRY(check_text(st, "shared data", rec->data));
	r = *rec;
	r.updated = now_ms();
	return CALL(st, shared_data_put, &r);
}

SOMO_API int somo_store_shared_data_get(somo_store *st, const char *learner_id,
                                        const char *package_id, const char *target_id,
                                        somo_store_shared_data **out)
{
	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_id("learner id", learner_id));
	TRY(check_scope("package id", package_id));
	TRY(check_id("target id", target_id));
	return got(
	    CALL(st, shared_data_get, learner_id, package_id, target_id, copy_shared_data, out),
	    (void **)out);
}

SOMO_API int somo_store_shared_data_list(somo_store *st, const char *learner_id,
                                         const char *package_id, somo_store_shared_data_cb cb,
                                         void *payload)
{
	CHECK_STORE(st, cb);
	TRY(check_id("learner id", learner_id));
	if (package_id)
		TRY(check_scope("package id", package_id));
	return CALL(st, shared_data_list, learner_id, package_id, cb, payload);
}

SOMO_API int somo_store_objective_put(somo_store *st, const somo_store_objective *rec)
{
	somo_store_objective r;

	CHECK_STORE(st, rec);
	TRY(check_id("learner id", rec->learner_id));
	TRY(check_scope("objective scope", rec->scope));
	TRY(check_id("objective id", rec->objective_id));
	if (rec->success > SOMO_STORE_SUCCESS_NOT_SATISFIED)
		return somo__error(SOMO_EINVAL, "store: success status %d is unknown",
		                   (int)rec->success);
	if (rec->completion > SOMO_STORE_COMPLETION_INCOMPLETE)
		return somo__error(SOMO_EINVAL, "store: completion status %d is unknown",
		                   (int)rec->completion);
	r = *rec;
	if (r.has_measure)
		TRY(check_number("measure", r.measure));
	if (r.has_raw)
		TRY(check_number("raw score", r.raw));
	if (r.has_min)
		TRY(check_number("min score", r.min));
	if (r.has_max)
		TRY(check_number("max score", r.max));
	if (r.has_progress)
		TRY(check_number("progress measure", r.progress));
	/* One representation on every backend: unknown values are stored as
	 * nothing, and -0 as 0 (SQLite keeps whole reals as integers). */
	r.measure += 0.0;
	r.raw += 0.0;
	r.min += 0.0;
	r.max += 0.0;
	r.progress += 0.0;

	if (!r.has_measure)
		r.measure = 0;
	if (!r.has_raw)
		r.raw = 0;
	if (!r.has_min)
		r.min = 0;
	if (!r.has_max)
		r.max = 0;
	if (!r.has_progress)
		r.progress = 0;
	r.updated = now_ms();
	return CALL(st, objective_put, &r);
}

SOMO_API int somo_store_objective_get(somo_store *st, const char *learner_id, const char *scope,
                                      const char *objective_id, somo_store_objective **out)
{
	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_id("learner id", learner_id));
	TRY(check_scope("objective scope", scope));
	TRY(check_id("objective id", objective_id));
	return got(CALL(st, objective_get, learner_id, scope, objective_id, copy_objective, out),
	           (void **)out);
}

SOMO_API int somo_store_objective_list(somo_store *st, const char *learner_id, const char *scope,
                                       somo_store_objective_cb cb, void *payload)
{
	CHECK_STORE(st, cb);
	TRY(check_id("learner id", learner_id));
	if (scope)
		TRY(check_scope("objective scope", scope));
	return CALL(st, objective_list, learner_id, scope, cb, payload);
}

/* ------------------------------------------------------------------------ */
/* The xAPI outbox                                                           */

SOMO_API int somo_store_outbox_enqueue(somo_store *st, const char *id, const char *statement)
{
	somo_store_outbox_entry r;
	char uid[37];

	CHECK_STORE(st, statement);
	TRY(check_uuid("statement id", id, uid));
	TRY(check_text(st, "statement", statement));
	memset(&r, 0, sizeof(r));
	r.id = uid;
	r.statement = statement;
	r.enqueued = now_ms();
	r.state = SOMO_STORE_OUTBOX_PENDING;
	r.message = "";
	r.next_attempt = r.enqueued;
	return CALL(st, outbox_enqueue, &r, st->o.outbox_max);
}

SOMO_API int somo_store_outbox_get(somo_store *st, const char *id, somo_store_outbox_entry **out)
{
	char uid[37];

	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_uuid("statement id", id, uid));
	return got(CALL(st, outbox_get, uid, copy_outbox, out), (void **)out);
}

SOMO_API int somo_store_outbox_due(somo_store *st, int64_t now, size_t limit,
                                   somo_store_outbox_cb cb, void *payload)
{
	CHECK_STORE(st, cb);
	if (now == INT64_MAX)
		now = INT64_MAX - 1;
	return CALL(st, outbox_list, SOMO_STORE_OUTBOX_PENDING, now, limit, cb, payload);
}

SOMO_API int somo_store_outbox_list(somo_store *st, somo_store_outbox_state state, size_t limit,
                                    somo_store_outbox_cb cb, void *payload)
{
	CHECK_STORE(st, cb);
	if ((int)state < 0 || state > SOMO_STORE_OUTBOX_PARKED)
		return somo__error(SOMO_EINVAL, "store: outbox state %d is unknown", (int)state);
	return CALL(st, outbox_list, state, INT64_MAX, limit, cb, payload);
}

/* Change one outbox entry: read it, let change() decide, write it back. */
static int outbox_change(somo_store *st, const char *id,
                         int (*change)(somo_store_outbox_entry *e, const void *arg),
                         const void *arg)
{
	somo_store_outbox_entry *e = NULL;
	char uid[37];
	bool own;
	int rc;

	if (!st)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	TRY(check_uuid("statement id", id, uid));
	TRY(own_begin(st, &own));
	rc = got(CALL(st, outbox_get, uid, copy_outbox, &e), (void **)&e);
	if (rc == SOMO_ENOTFOUND)
		rc = somo__error(SOMO_ENOTFOUND, "store: statement %s is not in the outbox", uid);
	if (rc == 0)
		rc = change(e, arg);
	if (rc == 1)
		rc = 0; /* nothing to change */
	else if (rc == 0)
		rc = CALL(st, outbox_update, e);
	somo__free(e);
	return own_end(st, own, rc);
}

static int change_delivered(somo_store_outbox_entry *e, const void *arg)
{
	if (e->state == SOMO_STORE_OUTBOX_DELIVERED)
		return 1;
	e->state = SOMO_STORE_OUTBOX_DELIVERED;
	e->delivered = now_ms();
	e->message = "";
	return 0;
}

SOMO_API int somo_store_outbox_delivered(somo_store *st, const char *id)
{
	return outbox_change(st, id, change_delivered, NULL);
}

typedef struct {
	int64_t next;
	const char *message;
} retry_arg;

static int change_retry(somo_store_outbox_entry *e, const void *arg)
{
	const retry_arg *a = arg;

	if (e->state != SOMO_STORE_OUTBOX_PENDING)
		return somo__error(SOMO_ESTATE, "store: statement %s is not pending", e->id);
	e->attempts++;
	e->next_attempt = a->next;
	e->message = a->message ? a->message : "";
	return 0;
}

SOMO_API int somo_store_outbox_retry(somo_store *st, const char *id, int64_t next_attempt,
                                     const char *message)
{
	retry_arg a = {next_attempt, message};

	if (st && message)
		TRY(check_text(st, "message", message));
	return outbox_change(st, id, change_retry, &a);
}

static int change_park(somo_store_outbox_entry *e, const void *arg)
{
	if (e->state == SOMO_STORE_OUTBOX_DELIVERED)
		return somo__error(SOMO_ESTATE, "store: statement %s was delivered", e->id);
	e->state = SOMO_STORE_OUTBOX_PARKED;
	e->attempts++;
	e->message = arg ? (const char *)arg : "";
	return 0;
}

SOMO_API int somo_store_outbox_park(somo_store *st, const char *id, const char *message)
{
	if (st && message)
		TRY(check_text(st, "message", message));
	return outbox_change(st, id, change_park, message);
}

static int change_requeue(somo_store_outbox_entry *e, const void *arg)
{
	if (e->state != SOMO_STORE_OUTBOX_PARKED)
		return somo__error(SOMO_ESTATE, "store: statement %s is not parked", e->id);
	e->state = SOMO_STORE_OUTBOX_PENDING;
	e->next_attempt = now_ms();
	return 0;
}

SOMO_API int somo_store_outbox_requeue(somo_store *st, const char *id)
{
	return outbox_change(st, id, change_requeue, NULL);
}

SOMO_API int somo_store_outbox_count(somo_store *st, somo_store_outbox_counts *out)
{
	CHECK_STORE(st, out);
	memset(out, 0, sizeof(*out));
	return CALL(st, outbox_count, out);
}

SOMO_API int somo_store_outbox_purge(somo_store *st, int64_t delivered_before, uint64_t *removed)
{
	uint64_t n = 0;
	int rc;

	if (!st)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	rc = CALL(st, outbox_purge, delivered_before, &n);
	if (removed)
		*removed = rc < 0 ? 0 : n;
	return rc;
}

/* ------------------------------------------------------------------------ */
/* xAPI documents                                                            */

static int check_doc_kind(somo_store_doc_kind kind)
{
	if (kind < SOMO_STORE_DOC_STATE || kind > SOMO_STORE_DOC_AGENT_PROFILE)
		return somo__error(SOMO_EINVAL, "store: document kind %d is unknown", (int)kind);
	return 0;
}

SOMO_API int somo_store_document_put(somo_store *st, const somo_store_document *rec,
                                     const char *if_match, bool if_none_match)
{
	somo_store_document r, *old = NULL;
	bool own;
	int rc;

	CHECK_STORE(st, rec);
	TRY(check_doc_kind(rec->kind));
	TRY(check_id("document key", rec->key));
	r = *rec;
	if (!r.content_type)
		r.content_type = "";
	if (!r.etag)
		r.etag = "";
	TRY(check_text(st, "content type", r.content_type));
	TRY(check_text(st, "etag", r.etag));
	if (!r.body && r.body_size)
		return somo__error(SOMO_EINVAL, "store: document body is NULL");
	if (!r.body)
		r.body = "";
	if (r.body_size > st->o.max_value_size)
		return somo__error(SOMO_ELIMIT, "store: document body is %zu bytes, more than %llu",
		                   r.body_size, (unsigned long long)st->o.max_value_size);
	if (r.updated <= 0)
		r.updated = now_ms();
	if (!if_match && !if_none_match)
		return CALL(st, document_put, &r);

	TRY(own_begin(st, &own));
	rc = got(CALL(st, document_get, r.kind, r.key, copy_document, &old), (void **)&old);
	if (rc == SOMO_ENOTFOUND) {
		rc = if_match
		         ? somo__error(SOMO_ECONFLICT,
		                       "store: document '%.200s' does not exist (If-Match)", r.key)
		         : 0;
	} else if (rc == 0) {
		if (if_none_match)
			rc = somo__error(SOMO_ECONFLICT,
			                 "store: document '%.200s' exists (If-None-Match)", r.key);
		else if (strcmp(old->etag, if_match) != 0)
			rc = somo__error(SOMO_ECONFLICT,
			                 "store: document '%.200s' has another ETag (If-Match)",
			                 r.key);
	}
	if (rc == 0)
		rc = CALL(st, document_put, &r);
	somo__free(old);
	return own_end(st, own, rc);
}

SOMO_API int somo_store_document_get(somo_store *st, somo_store_doc_kind kind, const char *key,
                                     somo_store_document **out)
{
	CHECK_STORE(st, out);
	*out = NULL;
	TRY(check_doc_kind(kind));
	TRY(check_id("document key", key));
	return got(CALL(st, document_get, kind, key, copy_document, out), (void **)out);
}

SOMO_API int somo_store_document_delete(somo_store *st, somo_store_doc_kind kind, const char *key)
{
	if (!st)
		return somo__error(SOMO_EINVAL, "store: NULL argument");
	TRY(check_doc_kind(kind));
	TRY(check_id("document key", key));
	return CALL(st, document_delete, kind, key);
}

SOMO_API int somo_store_document_list(somo_store *st, somo_store_doc_kind kind, const char *prefix,
                                      somo_store_document_cb cb, void *payload)
{
	CHECK_STORE(st, cb);
	TRY(check_doc_kind(kind));
	if (!prefix)
		prefix = "";
	if (*prefix)
		TRY(check_id("document key prefix", prefix));
	return CALL(st, document_list, kind, prefix, cb, payload);
}
