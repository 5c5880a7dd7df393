/*
 * The SQLite backend: one file, WAL, synchronous=FULL (a commit has reached
 * the disk when it returns: one fsync of the WAL), foreign keys on, one
 * connection per handle with its prepared statements cached.
 *
 * A file is recognised by PRAGMA application_id ("SOMO") and its schema
 * version by PRAGMA user_version; older schemas are migrated forward in one
 * transaction. Anything else (not SQLite, damaged, truncated, another
 * application's, newer) is refused with a message naming the file and is
 * never written to.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/util.h"

/* ------------------------------------------------------------------------ */
/* The schema, one script per version                                        */

static const char *const migrations[] = {
    /* version 1: learners to the outbox */
    "CREATE TABLE learner(id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE package(id TEXT PRIMARY KEY NOT NULL, path TEXT NOT NULL,"
    " digest TEXT NOT NULL, title TEXT NOT NULL, standard TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE registration(id TEXT PRIMARY KEY NOT NULL,"
    " learner_id TEXT NOT NULL REFERENCES learner(id),"
    " package_id TEXT NOT NULL REFERENCES package(id), created INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX registration_by_learner ON registration(learner_id, created);"
    "CREATE INDEX registration_by_package ON registration(package_id, created);"
    "CREATE TABLE attempt(registration TEXT NOT NULL REFERENCES registration(id),"
    " number INTEGER NOT NULL, state INTEGER NOT NULL, started INTEGER NOT NULL,"
    " ended INTEGER NOT NULL, PRIMARY KEY(registration, number)) WITHOUT ROWID;"
    "CREATE TABLE runtime_state(registration TEXT NOT NULL, attempt INTEGER NOT NULL,"
    " activity_id TEXT NOT NULL, state TEXT NOT NULL, sessions INTEGER NOT NULL,"
    " commits INTEGER NOT NULL, updated INTEGER NOT NULL,"
    " PRIMARY KEY(registration, attempt, activity_id),"
    " FOREIGN KEY(registration, attempt) REFERENCES attempt(registration, number));"
    "CREATE TABLE sequencing_state(registration TEXT NOT NULL, attempt INTEGER NOT NULL,"
    " state TEXT NOT NULL, updated INTEGER NOT NULL, PRIMARY KEY(registration, attempt),"
    " FOREIGN KEY(registration, attempt) REFERENCES attempt(registration, number));"
    "CREATE TABLE shared_data(learner_id TEXT NOT NULL REFERENCES learner(id),"
    " package_id TEXT NOT NULL, target_id TEXT NOT NULL, data TEXT NOT NULL,"
    " updated INTEGER NOT NULL, PRIMARY KEY(learner_id, package_id, target_id));"
    "CREATE TABLE global_objective(learner_id TEXT NOT NULL REFERENCES learner(id),"
    " scope TEXT NOT NULL, objective_id TEXT NOT NULL, success INTEGER NOT NULL,"
    " measure REAL, raw REAL, min REAL, max REAL, completion INTEGER NOT NULL,"
    " progress REAL, updated INTEGER NOT NULL,"
    " PRIMARY KEY(learner_id, scope, objective_id));"
    "CREATE TABLE outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
    " statement TEXT NOT NULL, enqueued INTEGER NOT NULL, state INTEGER NOT NULL,"
    " message TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt INTEGER NOT NULL,"
    " delivered INTEGER NOT NULL);"
    "CREATE INDEX outbox_by_state ON outbox(state, next_attempt);",
    /* version 2: xAPI documents */
    "CREATE TABLE document(kind INTEGER NOT NULL, key TEXT NOT NULL,"
    " content_type TEXT NOT NULL, body BLOB NOT NULL, etag TEXT NOT NULL,"
    " updated INTEGER NOT NULL, PRIMARY KEY(kind, key));",
    /* version 3: the number of undelivered outbox statements kept up to date,
     * so that an enqueue checks the outbox's bound without counting it */
    "CREATE TABLE outbox_stats(id INTEGER PRIMARY KEY CHECK (id = 1),"
    " undelivered INTEGER NOT NULL);"
    "INSERT INTO outbox_stats(id, undelivered)"
    " SELECT 1, count(*) FROM outbox WHERE state IN (1, 3);"
    "CREATE TRIGGER outbox_stats_insert AFTER INSERT ON outbox WHEN new.state IN (1, 3)"
    " BEGIN UPDATE outbox_stats SET undelivered = undelivered + 1 WHERE id = 1; END;"
    "CREATE TRIGGER outbox_stats_delete AFTER DELETE ON outbox WHEN old.state IN (1, 3)"
    " BEGIN UPDATE outbox_stats SET undelivered = undelivered - 1 WHERE id = 1; END;"
    "CREATE TRIGGER outbox_stats_update AFTER UPDATE OF state ON outbox"
    " WHEN (old.state IN (1, 3)) <> (new.state IN (1, 3))"
    " BEGIN UPDATE outbox_stats SET undelivered = undelivered"
    " + (new.state IN (1, 3)) - (old.state IN (1, 3)) WHERE id = 1; END;",
};

_Static_assert(SOMO__ARRAY_SIZE(migrations) == SOMO__STORE_SCHEMA_VERSION,
               "one migration per schema version");

/* ------------------------------------------------------------------------ */
/* Statements, prepared once per connection                                  */

enum {
	Q_BEGIN,
	Q_COMMIT,
	Q_ROLLBACK,
	Q_LEARNER_PUT,
	Q_LEARNER_GET,
	Q_LEARNER_LIST,
	Q_PACKAGE_PUT,
	Q_PACKAGE_GET,
	Q_PACKAGE_LIST,
	Q_REG_INSERT,
	Q_REG_GET,
	Q_REG_LIST,
	Q_ATTEMPT_PUT,
	Q_ATTEMPT_GET,
	Q_ATTEMPT_LIST,
	Q_RT_PUT,
	Q_RT_GET,
	Q_RT_LIST,
	Q_SEQ_PUT,
	Q_SEQ_GET,
	Q_SD_PUT,
	Q_SD_GET,
	Q_SD_LIST,
	Q_OBJ_PUT,
	Q_OBJ_GET,
	Q_OBJ_LIST,
	Q_OB_GET,
	Q_OB_INSERT,
	Q_OB_UNDELIVERED,
	Q_OB_LIST,
	Q_OB_UPDATE,
	Q_OB_COUNT,
	Q_OB_PURGE,
	Q_DOC_PUT,
	Q_DOC_GET,
	Q_DOC_DELETE,
	Q_DOC_LIST,
	Q__COUNT
};

#define LEARNER_COLS "id, name"
#define PACKAGE_COLS "id, path, digest, title, standard"
#define REG_COLS     "id, learner_id, package_id, created"
#define ATTEMPT_COLS "registration, number, state, started, ended"
#define RT_COLS      "registration, attempt, activity_id, state, sessions, commits, updated"
#define SEQ_COLS     "registration, attempt, state, updated"
#define SD_COLS      "learner_id, package_id, target_id, data, updated"
#define OBJ_COLS                                                                                   \
	"learner_id, scope, objective_id, success, measure, raw, min, max, completion, progress, " \
	"updated"
#define OB_COLS  "id, statement, enqueued, state, message, attempts, next_attempt, delivered"
#define DOC_COLS "kind, key, content_type, body, etag, updated"

static const char *const queries[Q__COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_LEARNER_PUT] = "INSERT INTO learner(" LEARNER_COLS ") VALUES(?1, ?2)"
                      " ON CONFLICT(id) DO UPDATE SET name = excluded.name",
    [Q_LEARNER_GET] = "SELECT " LEARNER_COLS " FROM learner WHERE id = ?1",
    [Q_LEARNER_LIST] = "SELECT " LEARNER_COLS " FROM learner ORDER BY id",
    [Q_PACKAGE_PUT] = "INSERT INTO package(" PACKAGE_COLS ") VALUES(?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT(id) DO UPDATE SET path = excluded.path,"
                      " digest = excluded.digest, title = excluded.title,"
                      " standard = excluded.standard",
    [Q_PACKAGE_GET] = "SELECT " PACKAGE_COLS " FROM package WHERE id = ?1",
    [Q_PACKAGE_LIST] = "SELECT " PACKAGE_COLS " FROM package ORDER BY id",
    [Q_REG_INSERT] = "INSERT INTO registration(" REG_COLS ") VALUES(?1, ?2, ?3, ?4)"
                     " ON CONFLICT(id) DO NOTHING",
    [Q_REG_GET] = "SELECT " REG_COLS " FROM registration WHERE id = ?1",
    [Q_REG_LIST] = "SELECT " REG_COLS " FROM registration WHERE (?1 IS NULL OR learner_id = ?1)"
                   " AND (?2 IS NULL OR package_id = ?2) ORDER BY created, id",
    [Q_ATTEMPT_PUT] = "INSERT INTO attempt(" ATTEMPT_COLS ") VALUES(?1, ?2, ?3, ?4, ?5)"
                      " ON CONFLICT(registration, number) DO UPDATE SET state = excluded.state,"
                      " started = excluded.started, ended = excluded.ended",
    [Q_ATTEMPT_GET] = "SELECT " ATTEMPT_COLS " FROM attempt WHERE registration = ?1"
                      " AND number = ?2",
    [Q_ATTEMPT_LIST] = "SELECT " ATTEMPT_COLS " FROM attempt WHERE registration = ?1"
                       " ORDER BY number",
    [Q_RT_PUT] = "INSERT INTO runtime_state(" RT_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, 1, ?6)"
                 " ON CONFLICT(registration, attempt, activity_id) DO UPDATE SET"
                 " state = excluded.state, sessions = excluded.sessions,"
                 " commits = commits + 1, updated = excluded.updated",
    [Q_RT_GET] = "SELECT " RT_COLS " FROM runtime_state WHERE registration = ?1"
                 " AND attempt = ?2 AND activity_id = ?3",
    [Q_RT_LIST] = "SELECT " RT_COLS " FROM runtime_state WHERE registration = ?1"
                  " AND attempt = ?2 ORDER BY activity_id",
    [Q_SEQ_PUT] = "INSERT INTO sequencing_state(" SEQ_COLS ") VALUES(?1, ?2, ?3, ?4)"
                  " ON CONFLICT(registration, attempt) DO UPDATE SET state = excluded.state,"
                  " updated = excluded.updated",
    [Q_SEQ_GET] = "SELECT " SEQ_COLS " FROM sequencing_state WHERE registration = ?1"
                  " AND attempt = ?2",
    [Q_SD_PUT] = "INSERT INTO shared_data(" SD_COLS ") VALUES(?1, ?2, ?3, ?4, ?5)"
                 " ON CONFLICT(learner_id, package_id, target_id) DO UPDATE SET"
                 " data = excluded.data, updated = excluded.updated",
    [Q_SD_GET] = "SELECT " SD_COLS " FROM shared_data WHERE learner_id = ?1"
                 " AND package_id = ?2 AND target_id = ?3",
    [Q_SD_LIST] = "SELECT " SD_COLS " FROM shared_data WHERE learner_id = ?1"
                  " AND (?2 IS NULL OR package_id = ?2) ORDER BY package_id, target_id",
    [Q_OBJ_PUT] = "INSERT INTO global_objective(" OBJ_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                  " ?7, ?8, ?9, ?10, ?11) ON CONFLICT(learner_id, scope, objective_id)"
                  " DO UPDATE SET success = excluded.success, measure = excluded.measure,"
                  " raw = excluded.raw, min = excluded.min, max = excluded.max,"
                  " completion = excluded.completion, progress = excluded.progress,"
                  " updated = excluded.updated",
    [Q_OBJ_GET] = "SELECT " OBJ_COLS " FROM global_objective WHERE learner_id = ?1"
                  " AND scope = ?2 AND objective_id = ?3",
    [Q_OBJ_LIST] = "SELECT " OBJ_COLS " FROM global_objective WHERE learner_id = ?1"
                   " AND (?2 IS NULL OR scope = ?2) ORDER BY scope, objective_id",
    [Q_OB_GET] = "SELECT " OB_COLS " FROM outbox WHERE id = ?1",
    [Q_OB_INSERT] = "INSERT INTO outbox(" OB_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_OB_UNDELIVERED] = "SELECT undelivered FROM outbox_stats WHERE id = 1",
    [Q_OB_LIST] = "SELECT " OB_COLS " FROM outbox WHERE (?1 = 0 OR state = ?1)"
                  " AND (?2 IS NULL OR next_attempt <= ?2) ORDER BY seq LIMIT ?3",
    [Q_OB_UPDATE] = "UPDATE outbox SET state = ?2, message = ?3, attempts = ?4,"
                    " next_attempt = ?5, delivered = ?6 WHERE id = ?1",
    [Q_OB_COUNT] = "SELECT state, count(*) FROM outbox GROUP BY state",
    [Q_OB_PURGE] = "DELETE FROM outbox WHERE state = 2 AND delivered < ?1",
    [Q_DOC_PUT] = "INSERT INTO document(" DOC_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                  " ON CONFLICT(kind, key) DO UPDATE SET content_type = excluded.content_type,"
                  " body = excluded.body, etag = excluded.etag, updated = excluded.updated",
    [Q_DOC_GET] = "SELECT " DOC_COLS " FROM document WHERE kind = ?1 AND key = ?2",
    [Q_DOC_DELETE] = "DELETE FROM document WHERE kind = ?1 AND key = ?2",
    [Q_DOC_LIST] = "SELECT " DOC_COLS " FROM document WHERE kind = ?1"
                   " AND substr(key, 1, length(?2)) = ?2 ORDER BY key",
};

typedef struct {
	sqlite3 *db;
	char *path; /* for messages */
	sqlite3_stmt *q[Q__COUNT];
	bool in_txn;
	uint32_t busy_ms;
} sq;

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

static int map_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return SOMO_EBUSY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return SOMO_ECORRUPT;
	case SQLITE_NOMEM:
		return SOMO_ENOMEM;
	case SQLITE_TOOBIG:
		return SOMO_ELIMIT;
	case SQLITE_CONSTRAINT:
		return rc == SQLITE_CONSTRAINT_FOREIGNKEY ? SOMO_ENOTFOUND : SOMO_EEXISTS;
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_PROTOCOL:
	case SQLITE_AUTH:
		return SOMO_EIO;
	default:
		return SOMO_ERROR;
	}
}

static int sq_error(const sq *s, int rc, const char *what)
{
	const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	int code = map_code(rc);

	switch (rc & 0xff) {
	case SQLITE_READONLY:
		return somo__error(code, "store '%s' is read-only: cannot %s (%s)", s->path, what,
		                   msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return somo__error(
		    code, "store '%s' is locked by another handle (waited up to %u ms): %s",
		    s->path, s->busy_ms, what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return somo__error(code, "store '%s' is damaged or not a Somo store: %s: %s",
		                   s->path, what, msg);
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return somo__error(code, "store '%s': %s: %s", s->path, what,
			                   "what it refers to does not exist");
		return somo__error(code, "store '%s': %s: %s", s->path, what, msg);
	default:
		return somo__error(code, "store '%s': %s: %s", s->path, what, msg);
	}
}

static sqlite3_stmt *stmt(sq *s, int q, int *rc)
{
	int r;

	if (s->q[q]) {
		*rc = 0;
		return s->q[q];
	}
	r = sqlite3_prepare_v3(s->db, queries[q], -1, SQLITE_PREPARE_PERSISTENT, &s->q[q], NULL);
	if (r != SQLITE_OK) {
		s->q[q] = NULL;
		if ((r & 0xff) == SQLITE_ERROR) /* e.g. a missing table */
			*rc = somo__error(SOMO_ECORRUPT, "store '%s': its schema is damaged: %s",
			                  s->path, sqlite3_errmsg(s->db));
		else
			*rc = sq_error(s, r, "prepare a statement");
		return NULL;
	}
	*rc = 0;
	return s->q[q];
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_value **row, int i)
{
	const char *t = (const char *)sqlite3_value_text(row[i]);
	return t ? t : "";
}

/* Step a statement once. A write outside a transaction that finds the file
 * busy past the busy timeout is retried a few times. */
static int step(sq *s, sqlite3_stmt *st)
{
	int rc;

	for (int tries = 0;; tries++) {
		rc = sqlite3_step(st);
		if ((rc & 0xff) != SQLITE_BUSY || s->in_txn || tries >= 3 ||
		    !sqlite3_get_autocommit(s->db))
			return rc;
		sqlite3_reset(st);
	}
}

/* Run a write statement that returns no rows; binds are already made. */
static int run(sq *s, sqlite3_stmt *st, const char *what)
{
	int rc = step(s, st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		int e = sq_error(s, rc, what);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return e;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}

/*
 * Run a query and call row(values, cb, payload) for each row until it
 * returns non-zero. The rows are read whole first, so that a callback may
 * write to the store (even to the rows listed) without disturbing the
 * listing, as on every backend. get: no row is SOMO_ENOTFOUND.
 */
typedef int (*row_fn)(sqlite3_value **row, void *cb, void *payload);

static int query(sq *s, sqlite3_stmt *st, row_fn row, void *cb, void *payload, bool get,
                 const char *what)
{
	int rc, ret = 0, cols = sqlite3_column_count(st);
	sqlite3_value **vals = NULL;
	size_t n = 0, cap = 0;

	while ((rc = step(s, st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			sqlite3_value **nv = somo__realloc(vals, ncap * (size_t)cols * sizeof(*nv));
			if (!nv) {
				ret = somo__error_oom();
				break;
			}
			vals = nv;
			cap = ncap;
		}
		for (int i = 0; i < cols; i++) {
			vals[n * (size_t)cols + (size_t)i] =
			    sqlite3_value_dup(sqlite3_column_value(st, i));
			if (!vals[n * (size_t)cols + (size_t)i] && !ret)
				ret = somo__error_oom();
		}
		n++;
		if (ret)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = sq_error(s, rc, what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (ret == 0 && get && n == 0)
		ret = somo__error(SOMO_ENOTFOUND, "store '%s': %s: not found", s->path, what);
	for (size_t r = 0; r < n && ret == 0; r++)
		ret = row(vals + r * (size_t)cols, cb, payload);
	for (size_t i = 0; i < n * (size_t)cols; i++)
		sqlite3_value_free(vals[i]);
	somo__free(vals);
	return ret;
}

/* Several statements as one write: in the caller's transaction or our own. */
static int exec_simple(sq *s, int q, const char *what)
{
	int rc;
	sqlite3_stmt *st = stmt(s, q, &rc);

	return st ? run(s, st, what) : rc;
}

static int own_begin(sq *s, bool *own)
{
	int rc;

	*own = false;
	if (s->in_txn)
		return 0;
	if ((rc = exec_simple(s, Q_BEGIN, "begin a transaction")) < 0)
		return rc;
	*own = true;
	return 0;
}

static int own_end(sq *s, bool own, int rc)
{
	if (!own)
		return rc;
	if (rc < 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", somo_error_last()->message);
		if (!sqlite3_get_autocommit(s->db))
			exec_simple(s, Q_ROLLBACK, "roll back");
		return somo__error(rc, "%s", msg);
	}
	rc = exec_simple(s, Q_COMMIT, "commit");
	if (rc < 0 && !sqlite3_get_autocommit(s->db))
		exec_simple(s, Q_ROLLBACK, "roll back");
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Transactions                                                              */

static int sq_begin(void *impl)
{
	sq *s = impl;
	int rc = exec_simple(s, Q_BEGIN, "begin a transaction");

	if (rc == 0)
		s->in_txn = true;
	return rc;
}

static int sq_commit(void *impl)
{
	sq *s = impl;
	int rc;

	s->in_txn = false;
	rc = exec_simple(s, Q_COMMIT, "commit");
	if (rc < 0 && !sqlite3_get_autocommit(s->db)) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s", somo_error_last()->message);
		exec_simple(s, Q_ROLLBACK, "roll back");
		rc = somo__error(rc, "%s (the transaction was rolled back)", msg);
	}
	return rc;
}

static int sq_rollback(void *impl)
{
	sq *s = impl;

	s->in_txn = false;
	if (sqlite3_get_autocommit(s->db))
		return 0; /* SQLite already rolled it back after an error */
	return exec_simple(s, Q_ROLLBACK, "roll back");
}

/* ------------------------------------------------------------------------ */
/* Rows to records                                                           */

#define PREP(s, q)                                                                                 \
	int rc_;                                                                                   \
	sqlite3_stmt *st = stmt((s), (q), &rc_);                                                   \
	if (!st)                                                                                   \
	return rc_

static int row_learner(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_learner r = {col_text(st, 0), col_text(st, 1)};
	return ((somo_store_learner_cb)cb)(&r, payload);
}

static int row_package(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_package r = {col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
	                        col_text(st, 4)};
	return ((somo_store_package_cb)cb)(&r, payload);
}

static int row_registration(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_registration r = {col_text(st, 0), col_text(st, 1), col_text(st, 2),
	                             sqlite3_value_int64(st[3])};
	return ((somo_store_registration_cb)cb)(&r, payload);
}

static int row_attempt(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_attempt r = {col_text(st, 0), (uint32_t)sqlite3_value_int64(st[1]),
	                        (somo_store_attempt_state)sqlite3_value_int(st[2]),
	                        sqlite3_value_int64(st[3]), sqlite3_value_int64(st[4])};
	return ((somo_store_attempt_cb)cb)(&r, payload);
}

static int row_runtime(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_runtime r = {col_text(st, 0),
	                        (uint32_t)sqlite3_value_int64(st[1]),
	                        col_text(st, 2),
	                        col_text(st, 3),
	                        (uint32_t)sqlite3_value_int64(st[4]),
	                        (uint64_t)sqlite3_value_int64(st[5]),
	                        sqlite3_value_int64(st[6])};
	return ((somo_store_runtime_cb)cb)(&r, payload);
}

static int row_sequencing(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_sequencing r = {col_text(st, 0), (uint32_t)sqlite3_value_int64(st[1]),
	                           col_text(st, 2), sqlite3_value_int64(st[3])};
	return ((somo_store_sequencing_cb)cb)(&r, payload);
}

static int row_shared_data(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_shared_data r = {col_text(st, 0), col_text(st, 1), col_text(st, 2),
	                            col_text(st, 3), sqlite3_value_int64(st[4])};
	return ((somo_store_shared_data_cb)cb)(&r, payload);
}

static bool col_real(sqlite3_value **st, int i, double *v)
{
	if (sqlite3_value_type(st[i]) == SQLITE_NULL) {
		*v = 0;
		return false;
	}
	*v = sqlite3_value_double(st[i]);
	return true;
}

static int row_objective(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_objective r;

	memset(&r, 0, sizeof(r));
	r.learner_id = col_text(st, 0);
	r.scope = col_text(st, 1);
	r.objective_id = col_text(st, 2);
	r.success = (somo_store_success)sqlite3_value_int(st[3]);
	r.has_measure = col_real(st, 4, &r.measure);
	r.has_raw = col_real(st, 5, &r.raw);
	r.has_min = col_real(st, 6, &r.min);
	r.has_max = col_real(st, 7, &r.max);
	r.completion = (somo_store_completion)sqlite3_value_int(st[8]);
	r.has_progress = col_real(st, 9, &r.progress);
	r.updated = sqlite3_value_int64(st[10]);
	return ((somo_store_objective_cb)cb)(&r, payload);
}

static int row_outbox(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_outbox_entry r = {col_text(st, 0),
	                             col_text(st, 1),
	                             sqlite3_value_int64(st[2]),
	                             (somo_store_outbox_state)sqlite3_value_int(st[3]),
	                             col_text(st, 4),
	                             (uint32_t)sqlite3_value_int64(st[5]),
	                             sqlite3_value_int64(st[6]),
	                             sqlite3_value_int64(st[7])};
	return ((somo_store_outbox_cb)cb)(&r, payload);
}

static int row_document(sqlite3_value **st, void *cb, void *payload)
{
	somo_store_document r;

	memset(&r, 0, sizeof(r));
	r.kind = (somo_store_doc_kind)sqlite3_value_int(st[0]);
	r.key = col_text(st, 1);
	r.content_type = col_text(st, 2);
	r.body = sqlite3_value_blob(st[3]);
	r.body_size = (size_t)sqlite3_value_bytes(st[3]);
	if (!r.body)
		r.body = "";
	r.etag = col_text(st, 4);
	r.updated = sqlite3_value_int64(st[5]);
	return ((somo_store_document_cb)cb)(&r, payload);
}

/* ------------------------------------------------------------------------ */
/* Operations                                                                */

static int sq_learner_put(void *impl, const somo_store_learner *rec)
{
	sq *s = impl;
	PREP(s, Q_LEARNER_PUT);
	bind_text(st, 1, rec->id);
	bind_text(st, 2, rec->name);
	return run(s, st, "write a learner");
}

static int sq_learner_get(void *impl, const char *id, somo_store_learner_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_LEARNER_GET);
	bind_text(st, 1, id);
	return query(s, st, row_learner, (void *)cb, payload, true, "read a learner");
}

static int sq_learner_list(void *impl, somo_store_learner_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_LEARNER_LIST);
	return query(s, st, row_learner, (void *)cb, payload, false, "list learners");
}

static int sq_package_put(void *impl, const somo_store_package *rec)
{
	sq *s = impl;
	PREP(s, Q_PACKAGE_PUT);
	bind_text(st, 1, rec->id);
	bind_text(st, 2, rec->path);
	bind_text(st, 3, rec->digest);
	bind_text(st, 4, rec->title);
	bind_text(st, 5, rec->standard);
	return run(s, st, "write a package");
}

static int sq_package_get(void *impl, const char *id, somo_store_package_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_PACKAGE_GET);
	bind_text(st, 1, id);
	return query(s, st, row_package, (void *)cb, payload, true, "read a package");
}

static int sq_package_list(void *impl, somo_store_package_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_PACKAGE_LIST);
	return query(s, st, row_package, (void *)cb, payload, false, "list packages");
}

typedef struct {
	const somo_store_registration *want;
	bool same;
} reg_cmp;

static int reg_compare(const somo_store_registration *have, void *payload)
{
	reg_cmp *c = payload;
	c->same = strcmp(have->learner_id, c->want->learner_id) == 0 &&
	          strcmp(have->package_id, c->want->package_id) == 0;
	return 0;
}

static int sq_registration_get(void *impl, const char *id, somo_store_registration_cb cb,
                               void *payload);

static int sq_registration_put(void *impl, const somo_store_registration *rec)
{
	sq *s = impl;
	reg_cmp c = {rec, false};
	bool own;
	int rc;
	PREP(s, Q_REG_INSERT);

	if ((rc = own_begin(s, &own)) < 0)
		return rc;
	bind_text(st, 1, rec->id);
	bind_text(st, 2, rec->learner_id);
	bind_text(st, 3, rec->package_id);
	sqlite3_bind_int64(st, 4, rec->created);
	rc = run(s, st, "write a registration");
	if (rc == SOMO_ENOTFOUND)
		rc = somo__error(SOMO_ENOTFOUND,
		                 "store '%s': learner '%.200s' or package '%.200s' does not exist",
		                 s->path, rec->learner_id, rec->package_id);
	if (rc == 0 && sqlite3_changes(s->db) == 0) {
		rc = sq_registration_get(impl, rec->id, reg_compare, &c);
		if (rc == 0 && !c.same)
			rc = somo__error(SOMO_EEXISTS,
			                 "store '%s': registration %s belongs to another learner "
			                 "or package",
			                 s->path, rec->id);
	}
	return own_end(s, own, rc);
}

static int sq_registration_get(void *impl, const char *id, somo_store_registration_cb cb,
                               void *payload)
{
	sq *s = impl;
	PREP(s, Q_REG_GET);
	bind_text(st, 1, id);
	return query(s, st, row_registration, (void *)cb, payload, true, "read a registration");
}

static int sq_registration_list(void *impl, const char *learner_id, const char *package_id,
                                somo_store_registration_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_REG_LIST);
	bind_text(st, 1, learner_id);
	bind_text(st, 2, package_id);
	return query(s, st, row_registration, (void *)cb, payload, false, "list registrations");
}

static int sq_attempt_put(void *impl, const somo_store_attempt *rec)
{
	sq *s = impl;
	int rc;
	PREP(s, Q_ATTEMPT_PUT);
	bind_text(st, 1, rec->registration);
	sqlite3_bind_int64(st, 2, rec->number);
	sqlite3_bind_int(st, 3, (int)rec->state);
	sqlite3_bind_int64(st, 4, rec->started);
	sqlite3_bind_int64(st, 5, rec->ended);
	rc = run(s, st, "write an attempt");
	if (rc == SOMO_ENOTFOUND)
		rc = somo__error(SOMO_ENOTFOUND, "store '%s': registration %s does not exist",
		                 s->path, rec->registration);
	return rc;
}

static int sq_attempt_get(void *impl, const char *registration, uint32_t number,
                          somo_store_attempt_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_ATTEMPT_GET);
	bind_text(st, 1, registration);
	sqlite3_bind_int64(st, 2, number);
	return query(s, st, row_attempt, (void *)cb, payload, true, "read an attempt");
}

static int sq_attempt_list(void *impl, const char *registration, somo_store_attempt_cb cb,
                           void *payload)
{
	sq *s = impl;
	PREP(s, Q_ATTEMPT_LIST);
	bind_text(st, 1, registration);
	return query(s, st, row_attempt, (void *)cb, payload, false, "list attempts");
}

static int no_attempt(sq *s, int rc, const char *registration, uint32_t attempt)
{
	if (rc == SOMO_ENOTFOUND)
		rc = somo__error(SOMO_ENOTFOUND,
		                 "store '%s': attempt %u of registration %s does "
		                 "not exist",
		                 s->path, attempt, registration);
	return rc;
}

static int sq_runtime_put(void *impl, const somo_store_runtime *rec)
{
	sq *s = impl;
	PREP(s, Q_RT_PUT);
	bind_text(st, 1, rec->registration);
	sqlite3_bind_int64(st, 2, rec->attempt);
	bind_text(st, 3, rec->activity_id);
	bind_text(st, 4, rec->state);
	sqlite3_bind_int64(st, 5, rec->sessions);
	sqlite3_bind_int64(st, 6, rec->updated);
	return no_attempt(s, run(s, st, "write a run-time state"), rec->registration, rec->attempt);
}

static int sq_runtime_get(void *impl, const char *registration, uint32_t attempt,
                          const char *activity_id, somo_store_runtime_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_RT_GET);
	bind_text(st, 1, registration);
	sqlite3_bind_int64(st, 2, attempt);
	bind_text(st, 3, activity_id);
	return query(s, st, row_runtime, (void *)cb, payload, true, "read a run-time state");
}

static int sq_runtime_list(void *impl, const char *registration, uint32_t attempt,
                           somo_store_runtime_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_RT_LIST);
	bind_text(st, 1, registration);
	sqlite3_bind_int64(st, 2, attempt);
	return query(s, st, row_runtime, (void *)cb, payload, false, "list run-time states");
}

static int sq_sequencing_put(void *impl, const somo_store_sequencing *rec)
{
	sq *s = impl;
	PREP(s, Q_SEQ_PUT);
	bind_text(st, 1, rec->registration);
	sqlite3_bind_int64(st, 2, rec->attempt);
	bind_text(st, 3, rec->state);
	sqlite3_bind_int64(st, 4, rec->updated);
	return no_attempt(s, run(s, st, "write a sequencing state"), rec->registration,
	                  rec->attempt);
}

static int sq_sequencing_get(void *impl, const char *registration, uint32_t attempt,
                             somo_store_sequencing_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_SEQ_GET);
	bind_text(st, 1, registration);
	sqlite3_bind_int64(st, 2, attempt);
	return query(s, st, row_sequencing, (void *)cb, payload, true, "read a sequencing state");
}

static int no_learner(sq *s, int rc, const char *learner)
{
	if (rc == SOMO_ENOTFOUND)
		rc = somo__error(SOMO_ENOTFOUND, "store '%s': learner '%.200s' does not exist",
		                 s->path, learner);
	return rc;
}

static int sq_shared_data_put(void *impl, const somo_store_shared_data *rec)
{
	sq *s = impl;
	PREP(s, Q_SD_PUT);
	bind_text(st, 1, rec->learner_id);
	bind_text(st, 2, rec->package_id);
	bind_text(st, 3, rec->target_id);
	bind_text(st, 4, rec->data);
	sqlite3_bind_int64(st, 5, rec->updated);
	return no_learner(s, run(s, st, "write shared data"), rec->learner_id);
}

static int sq_shared_data_get(void *impl, const char *learner_id, const char *package_id,
                              const char *target_id, somo_store_shared_data_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_SD_GET);
	bind_text(st, 1, learner_id);
	bind_text(st, 2, package_id);
	bind_text(st, 3, target_id);
	return query(s, st, row_shared_data, (void *)cb, payload, true, "read shared data");
}

static int sq_shared_data_list(void *impl, const char *learner_id, const char *package_id,
                               somo_store_shared_data_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_SD_LIST);
	bind_text(st, 1, learner_id);
	bind_text(st, 2, package_id);
	return query(s, st, row_shared_data, (void *)cb, payload, false, "list shared data");
}

static void bind_real(sqlite3_stmt *st, int i, bool has, double v)
{
	if (has)
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int sq_objective_put(void *impl, const somo_store_objective *rec)
{
	sq *s = impl;
	PREP(s, Q_OBJ_PUT);
	bind_text(st, 1, rec->learner_id);
	bind_text(st, 2, rec->scope);
	bind_text(st, 3, rec->objective_id);
	sqlite3_bind_int(st, 4, (int)rec->success);
	bind_real(st, 5, rec->has_measure, rec->measure);
	bind_real(st, 6, rec->has_raw, rec->raw);
	bind_real(st, 7, rec->has_min, rec->min);
	bind_real(st, 8, rec->has_max, rec->max);
	sqlite3_bind_int(st, 9, (int)rec->completion);
	bind_real(st, 10, rec->has_progress, rec->progress);
	sqlite3_bind_int64(st, 11, rec->updated);
	return no_learner(s, run(s, st, "write a global objective"), rec->learner_id);
}

static int sq_objective_get(void *impl, const char *learner_id, const char *scope,
                            const char *objective_id, somo_store_objective_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_OBJ_GET);
	bind_text(st, 1, learner_id);
	bind_text(st, 2, scope);
	bind_text(st, 3, objective_id);
	return query(s, st, row_objective, (void *)cb, payload, true, "read a global objective");
}

static int sq_objective_list(void *impl, const char *learner_id, const char *scope,
                             somo_store_objective_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_OBJ_LIST);
	bind_text(st, 1, learner_id);
	bind_text(st, 2, scope);
	return query(s, st, row_objective, (void *)cb, payload, false, "list global objectives");
}

/* ------------------------------------------------------------------------ */
/* The outbox                                                                */

typedef struct {
	const char *statement;
	bool same;
} ob_cmp;

static int ob_compare(const somo_store_outbox_entry *have, void *payload)
{
	ob_cmp *c = payload;
	c->same = strcmp(have->statement, c->statement) == 0;
	return 0;
}

static int sq_outbox_get(void *impl, const char *id, somo_store_outbox_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_OB_GET);
	bind_text(st, 1, id);
	return query(s, st, row_outbox, (void *)cb, payload, true, "read an outbox statement");
}

static int sq_outbox_enqueue(void *impl, const somo_store_outbox_entry *rec,
                             uint64_t max_undelivered)
{
	sq *s = impl;
	ob_cmp c = {rec->statement, false};
	sqlite3_stmt *cnt, *ins;
	bool own;
	int rc;

	if ((rc = own_begin(s, &own)) < 0)
		return rc;
	rc = sq_outbox_get(impl, rec->id, ob_compare, &c);
	if (rc == 0) {
		if (!c.same)
			rc = somo__error(SOMO_EEXISTS,
			                 "store '%s': statement %s is already in the outbox with "
			                 "other content",
			                 s->path, rec->id);
		return own_end(s, own, rc);
	}
	if (rc != SOMO_ENOTFOUND)
		return own_end(s, own, rc);
	if (!(cnt = stmt(s, Q_OB_UNDELIVERED, &rc)))
		return own_end(s, own, rc);
	rc = step(s, cnt);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(cnt);
		return own_end(s, own,
		               somo__error(SOMO_ECORRUPT,
		                           "store '%s': its schema is damaged: no outbox count",
		                           s->path));
	}
	if (rc != SQLITE_ROW) {
		rc = sq_error(s, rc, "count the outbox");
		sqlite3_reset(cnt);
		return own_end(s, own, rc);
	}
	uint64_t n = (uint64_t)sqlite3_column_int64(cnt, 0);
	sqlite3_reset(cnt);
	if (n >= max_undelivered)
		return own_end(s, own,
		               somo__error(SOMO_EFULL,
		                           "store '%s': the outbox is full (%" PRIu64
		                           " statements not delivered)",
		                           s->path, n));
	if (!(ins = stmt(s, Q_OB_INSERT, &rc)))
		return own_end(s, own, rc);
	bind_text(ins, 1, rec->id);
	bind_text(ins, 2, rec->statement);
	sqlite3_bind_int64(ins, 3, rec->enqueued);
	sqlite3_bind_int(ins, 4, (int)rec->state);
	bind_text(ins, 5, rec->message);
	sqlite3_bind_int64(ins, 6, rec->attempts);
	sqlite3_bind_int64(ins, 7, rec->next_attempt);
	sqlite3_bind_int64(ins, 8, rec->delivered);
	rc = run(s, ins, "enqueue a statement");
	return own_end(s, own, rc);
}

static int sq_outbox_list(void *impl, somo_store_outbox_state state, int64_t due_before,
                          size_t limit, somo_store_outbox_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_OB_LIST);
	sqlite3_bind_int(st, 1, (int)state);
	if (due_before != INT64_MAX)
		sqlite3_bind_int64(st, 2, due_before);
	sqlite3_bind_int64(st, 3, limit && limit < (size_t)INT64_MAX ? (int64_t)limit : -1);
	return query(s, st, row_outbox, (void *)cb, payload, false, "list the outbox");
}

static int sq_outbox_update(void *impl, const somo_store_outbox_entry *rec)
{
	sq *s = impl;
	int rc;
	PREP(s, Q_OB_UPDATE);
	bind_text(st, 1, rec->id);
	sqlite3_bind_int(st, 2, (int)rec->state);
	bind_text(st, 3, rec->message);
	sqlite3_bind_int64(st, 4, rec->attempts);
	sqlite3_bind_int64(st, 5, rec->next_attempt);
	sqlite3_bind_int64(st, 6, rec->delivered);
	if ((rc = run(s, st, "update an outbox statement")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return somo__error(SOMO_ENOTFOUND, "store '%s': statement %s is not in the outbox",
		                   s->path, rec->id);
	return 0;
}

static int sq_outbox_count(void *impl, somo_store_outbox_counts *out)
{
	sq *s = impl;
	int rc;
	PREP(s, Q_OB_COUNT);
	memset(out, 0, sizeof(*out));
	while ((rc = step(s, st)) == SQLITE_ROW) {
		uint64_t n = (uint64_t)sqlite3_column_int64(st, 1);
		switch (sqlite3_column_int(st, 0)) {
		case SOMO_STORE_OUTBOX_PENDING:
			out->pending = n;
			break;
		case SOMO_STORE_OUTBOX_DELIVERED:
			out->delivered = n;
			break;
		case SOMO_STORE_OUTBOX_PARKED:
			out->parked = n;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : sq_error(s, rc, "count the outbox");
	sqlite3_reset(st);
	return rc;
}

static int sq_outbox_purge(void *impl, int64_t delivered_before, uint64_t *removed)
{
	sq *s = impl;
	int rc;
	PREP(s, Q_OB_PURGE);
	sqlite3_bind_int64(st, 1, delivered_before);
	if ((rc = run(s, st, "purge the outbox")) < 0)
		return rc;
	*removed = (uint64_t)sqlite3_changes(s->db);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                 */

static int sq_document_put(void *impl, const somo_store_document *rec)
{
	sq *s = impl;
	PREP(s, Q_DOC_PUT);
	sqlite3_bind_int(st, 1, (int)rec->kind);
	bind_text(st, 2, rec->key);
	bind_text(st, 3, rec->content_type);
	sqlite3_bind_blob64(st, 4, rec->body, rec->body_size, SQLITE_STATIC);
	bind_text(st, 5, rec->etag);
	sqlite3_bind_int64(st, 6, rec->updated);
	return run(s, st, "write a document");
}

static int sq_document_get(void *impl, somo_store_doc_kind kind, const char *key,
                           somo_store_document_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_DOC_GET);
	sqlite3_bind_int(st, 1, (int)kind);
	bind_text(st, 2, key);
	return query(s, st, row_document, (void *)cb, payload, true, "read a document");
}

static int sq_document_delete(void *impl, somo_store_doc_kind kind, const char *key)
{
	sq *s = impl;
	int rc;
	PREP(s, Q_DOC_DELETE);
	sqlite3_bind_int(st, 1, (int)kind);
	bind_text(st, 2, key);
	if ((rc = run(s, st, "delete a document")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return somo__error(SOMO_ENOTFOUND, "store '%s': document '%.200s' does not exist",
		                   s->path, key);
	return 0;
}

static int sq_document_list(void *impl, somo_store_doc_kind kind, const char *prefix,
                            somo_store_document_cb cb, void *payload)
{
	sq *s = impl;
	PREP(s, Q_DOC_LIST);
	sqlite3_bind_int(st, 1, (int)kind);
	bind_text(st, 2, prefix);
	return query(s, st, row_document, (void *)cb, payload, false, "list documents");
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                   */

static void sq_close(void *impl)
{
	sq *s = impl;

	if (!s)
		return;
	for (int i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(s->q[i]);
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	somo__free(s->path);
	somo__free(s);
}

/* One integer from a PRAGMA or query. */
static int query_int(sq *s, const char *sql, int64_t *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		*v = 0;
		rc = 0;
	} else {
		rc = sq_error(s, rc, "read the file's header");
	}
	sqlite3_finalize(st);
	return rc;
}

static int exec_sql(sq *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sq_error(s, rc, what);
}

/* The application id, schema version and number of schema objects, read in
 * one transaction: another process may be creating the schema meanwhile. */
static int read_header(sq *s, int64_t *app, int64_t *ver, int64_t *objects)
{
	int rc;

	if ((rc = exec_sql(s, "BEGIN", "read the file's header")) < 0)
		return rc;
	if ((rc = query_int(s, "PRAGMA application_id", app)) < 0 ||
	    (rc = query_int(s, "PRAGMA user_version", ver)) < 0 ||
	    (rc = query_int(s, "SELECT count(*) FROM sqlite_schema", objects)) < 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return exec_sql(s, "COMMIT", "read the file's header");
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Before SQLite touches an existing file: is it SQLite at all, and is it
 * shorter than its header says (truncated)? The size check is skipped while
 * a WAL with frames exists, since a checkpoint interrupted by a crash may
 * leave the file short until the WAL is replayed.
 */
static int precheck(const char *path, bool *exists)
{
	unsigned char h[100];
	struct stat sb, wb;
	char *wal;
	ssize_t got;
	int fd;

	*exists = false;
	if (stat(path, &sb) != 0)
		return errno == ENOENT
		           ? 0
		           : somo__error(SOMO_EIO, "store '%s': %s", path, strerror(errno));
	*exists = true;
	if (S_ISDIR(sb.st_mode))
		return somo__error(SOMO_EIO, "store '%s' is a folder, not a file", path);
	if (sb.st_size == 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return somo__error(SOMO_EIO, "store '%s': %s", path, strerror(errno));
	got = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (got < 0)
		return somo__error(SOMO_EIO, "store '%s': %s", path, strerror(errno));
	if (got < 16 || memcmp(h, "SQLite format 3", 16) != 0)
		return somo__error(SOMO_ECORRUPT, "store '%s' is not a SQLite database", path);
	if (got < (ssize_t)sizeof(h))
		return somo__error(SOMO_ECORRUPT,
		                   "store '%s' is truncated: %zd bytes, shorter than the SQLite "
		                   "header",
		                   path, got);
	uint32_t page = (uint32_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	uint32_t pages = be32(h + 28);
	if (page < 512 || (page & (page - 1)))
		return somo__error(SOMO_ECORRUPT, "store '%s' is damaged: page size %u", path,
		                   page);
	wal = somo__sprintf("%s-wal", path);
	if (!wal)
		return somo__error_oom();
	bool wal_frames = stat(wal, &wb) == 0 && wb.st_size > 32;
	somo__free(wal);
	/* The page count is valid when the change counter matches (file format 1.3.5.6). */
	if (!wal_frames && pages && be32(h + 24) == be32(h + 92) &&
	    (uint64_t)sb.st_size < (uint64_t)pages * page)
		return somo__error(SOMO_ECORRUPT,
		                   "store '%s' is truncated: its header counts %u pages of %u "
		                   "bytes, the file has %lld bytes",
		                   path, pages, page, (long long)sb.st_size);
	return 0;
}

static bool is_uri(const char *path)
{
	return strncmp(path, "file:", 5) == 0;
}

/* Apply the migrations after version from (within a transaction). */
static int migrate(sq *s, int64_t from, int to)
{
	char pragma[96];
	int rc;

	for (int v = (int)from + 1; v <= to; v++) {
		char what[64];
		snprintf(what, sizeof(what), "migrate to schema version %d", v);
		if ((rc = exec_sql(s, migrations[v - 1], what)) < 0)
			return rc;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA application_id = %d; PRAGMA user_version = %d",
	         (int)SOMO__STORE_APPLICATION_ID, to);
	return exec_sql(s, pragma, "write the schema version");
}

/* What the file is: 0 ours and current (or just made so), or an error. */
static int recognise(sq *s, bool read_only, int target)
{
	int64_t app, ver, objects;
	int rc;

	for (int pass = 0; pass < 2; pass++) {
		if ((rc = read_header(s, &app, &ver, &objects)) < 0)
			return rc;
		if ((uint32_t)app == SOMO__STORE_APPLICATION_ID) {
			if (ver > SOMO__STORE_SCHEMA_VERSION)
				return somo__error(SOMO_EUNSUPPORTED,
				                   "store '%s' was made by a newer Somo (schema "
				                   "version %lld; this one knows up to %d)",
				                   s->path, (long long)ver,
				                   SOMO__STORE_SCHEMA_VERSION);
			if (ver < 1)
				return somo__error(SOMO_ECORRUPT,
				                   "store '%s' is damaged: no schema version",
				                   s->path);
			if (ver >= target)
				return 0;
		} else if (app != 0 || ver != 0 || objects != 0) {
			return somo__error(SOMO_ECORRUPT,
			                   "store '%s' is a SQLite database of another application "
			                   "(application_id 0x%08x, user_version %lld, %lld schema "
			                   "objects), not a Somo store",
			                   s->path, (unsigned)(uint32_t)app, (long long)ver,
			                   (long long)objects);
		} else {
			ver = 0; /* a new, empty database */
		}
		if (read_only)
			return ver == 0
			           ? somo__error(SOMO_ECORRUPT,
			                         "store '%s' is empty: not a Somo store", s->path)
			           : somo__error(SOMO_EUNSUPPORTED,
			                         "store '%s' has schema version %lld and must be "
			                         "opened once for writing to be migrated",
			                         s->path, (long long)ver);
		if (pass == 1)
			break;
		/* Migrate under the write lock, then look again: another process may
		 * have done it first. */
		if ((rc = exec_sql(s, "BEGIN IMMEDIATE", "lock the file to set it up")) < 0)
			return rc;
		if ((rc = query_int(s, "PRAGMA user_version", &ver)) < 0 ||
		    (rc = query_int(s, "PRAGMA application_id", &app)) < 0) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		if (((uint32_t)app == SOMO__STORE_APPLICATION_ID && ver >= 1 && ver < target) ||
		    (app == 0 && ver == 0))
			rc = migrate(s, ver, target);
		if (rc == 0)
			rc = exec_sql(s, "COMMIT", "commit the schema");
		if (rc < 0) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
	}
	return 0;
}

/* Sleep ms milliseconds. */
static void nap(unsigned ms)
{
	struct timespec d = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	nanosleep(&d, NULL);
}

/*
 * PRAGMA journal_mode = WAL. Switching needs the file to itself, and SQLite
 * answers SQLITE_BUSY at once (without its busy handler) when other
 * processes are opening the same new file: retry for up to busy_ms.
 */
static int switch_to_wal(sq *s, uint32_t busy_ms)
{
	unsigned waited = 0, pause = 1;

	for (;;) {
		sqlite3_stmt *st = NULL;
		int r = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		bool wal = false;

		if (r == SQLITE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
			const char *mode = (const char *)sqlite3_column_text(st, 0);
			wal = mode && sqlite3_stricmp(mode, "wal") == 0;
			r = SQLITE_OK;
		}
		sqlite3_finalize(st);
		if (wal)
			return 0;
		if (r == SQLITE_OK)
			return somo__error(SOMO_EIO, "store '%s' cannot use WAL mode here",
			                   s->path);
		if (((r & 0xff) != SQLITE_BUSY && (r & 0xff) != SQLITE_LOCKED) || waited >= busy_ms)
			return sq_error(s, r, "switch to WAL mode");
		nap(pause);
		waited += pause;
		if (pause < 64)
			pause *= 2;
	}
}

static int open_db(sq **out, const char *path, const somo_store_opts *o, int target)
{
	bool exists = false;
	char pragmas[256];
	sq *s;
	int rc, flags;

	*out = NULL;
	if (!is_uri(path) && (rc = precheck(path, &exists)) < 0)
		return rc;
	if (!is_uri(path) && o->read_only && !exists)
		return somo__error(SOMO_ENOTFOUND, "store '%s' does not exist", path);
	s = somo__calloc(1, sizeof(*s));
	if (!s)
		return somo__error_oom();
	s->path = somo__strdup(path);
	s->busy_ms = o->busy_timeout_ms;
	if (!s->path) {
		somo__free(s);
		return somo__error_oom();
	}
	flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
	flags |= o->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = somo__error(map_code(rc) == SOMO_ENOMEM ? SOMO_ENOMEM : SOMO_EIO,
		                 "store '%s' cannot be opened: %s", path,
		                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sq_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* Where SQLite is built with lookaside (Debian's is not), its default
	 * slots (about 48 KB a connection) are given up: hosts keep many
	 * handles open, and a handle's statements are few and prepared once. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 0, 0);
	sqlite3_busy_timeout(s->db,
	                     (int)(o->busy_timeout_ms > INT_MAX ? INT_MAX : o->busy_timeout_ms));
	bool ro = o->read_only || sqlite3_db_readonly(s->db, "main") == 1;
	snprintf(pragmas, sizeof(pragmas),
	         "PRAGMA foreign_keys = ON; PRAGMA cache_size = -%u; PRAGMA synchronous = FULL;"
	         " PRAGMA trusted_schema = OFF",
	         o->cache_kib);
	if ((rc = exec_sql(s, pragmas, "configure the connection")) < 0)
		goto fail;
	/* Recognise the file before anything is written to it. */
	{
		int64_t app = 0, ver = 0, objects = 0;
		if ((rc = read_header(s, &app, &ver, &objects)) < 0)
			goto fail;
		bool ours = (uint32_t)app == SOMO__STORE_APPLICATION_ID;
		bool empty = app == 0 && ver == 0 && objects == 0;
		if (!ours && !empty) {
			rc = recognise(s, true, target); /* only reports */
			if (rc == 0)
				rc = somo__error(SOMO_ECORRUPT, "store '%s' is not a Somo store",
				                 path);
			goto fail;
		}
		if (!ro && (rc = switch_to_wal(s, o->busy_timeout_ms)) < 0)
			goto fail;
		if (!ro) {
			if ((rc = exec_sql(s, "PRAGMA journal_size_limit = 67108864",
			                   "configure the connection")) < 0)
				goto fail;
		}
	}
	if ((rc = recognise(s, ro, target)) < 0)
		goto fail;
	if (!o->skip_check) {
		sqlite3_stmt *st = NULL;
		int r = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
		if (r == SQLITE_OK)
			r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			const char *res = (const char *)sqlite3_column_text(st, 0);
			if (!res || strcmp(res, "ok") != 0)
				rc = somo__error(SOMO_ECORRUPT,
				                 "store '%s' is damaged: integrity check: %.300s",
				                 path, res ? res : "failed");
		} else {
			rc = sq_error(s, r, "check the file's integrity");
		}
		sqlite3_finalize(st);
		if (rc < 0)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	sq_close(s);
	return rc;
}

int somo__store_sqlite_open(void **impl, const char *path, const somo_store_opts *o)
{
	sq *s = NULL;
	int rc = open_db(&s, path, o, SOMO__STORE_SCHEMA_VERSION);

	*impl = s;
	return rc;
}

int somo__store_sqlite_create_at(const char *path, int version)
{
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	sq *s = NULL;
	int rc;

	if (version < 1 || version > SOMO__STORE_SCHEMA_VERSION)
		return somo__error(SOMO_EINVAL, "no schema version %d", version);
	o.busy_timeout_ms = 10000;
	o.cache_kib = 256;
	o.skip_check = 1;
	rc = open_db(&s, path, &o, version);
	sq_close(s);
	return rc;
}

const somo_store_backend somo__store_sqlite_backend = {
    .version = SOMO_STORE_BACKEND_VERSION,
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .learner_put = sq_learner_put,
    .learner_get = sq_learner_get,
    .learner_list = sq_learner_list,
    .package_put = sq_package_put,
    .package_get = sq_package_get,
    .package_list = sq_package_list,
    .registration_put = sq_registration_put,
    .registration_get = sq_registration_get,
    .registration_list = sq_registration_list,
    .attempt_put = sq_attempt_put,
    .attempt_get = sq_attempt_get,
    .attempt_list = sq_attempt_list,
    .runtime_put = sq_runtime_put,
    .runtime_get = sq_runtime_get,
    .runtime_list = sq_runtime_list,
    .sequencing_put = sq_sequencing_put,
    .sequencing_get = sq_sequencing_get,
    .shared_data_put = sq_shared_data_put,
    .shared_data_get = sq_shared_data_get,
    .shared_data_list = sq_shared_data_list,
    .objective_put = sq_objective_put,
    .objective_get = sq_objective_get,
    .objective_list = sq_objective_list,
    .outbox_enqueue = sq_outbox_enqueue,
    .outbox_get = sq_outbox_get,
    .outbox_list = sq_outbox_list,
    .outbox_update = sq_outbox_update,
    .outbox_count = sq_outbox_count,
    .outbox_purge = sq_outbox_purge,
    .document_put = sq_document_put,
    .document_get = sq_document_get,
    .document_delete = sq_document_delete,
    .document_list = sq_document_list,
};
