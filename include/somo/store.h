/*
 * The store: where learners, registrations, attempts, tracking state, shared
 * data, global objectives, the xAPI outbox and xAPI documents live.
 *
 * A store is opened on a backend: SQLite (one file, the embedded default,
 * durable: every write has reached the disk when the call that made it
 * returns) or memory (for tests: the same semantics, nothing persists). A
 * host may plug its own database in through include/somo/sys/store.h.
 *
 * Threads and processes: a handle is used by one thread at a time. Open one
 * handle per thread; many handles, on many threads and in many processes,
 * may share one SQLite file (a writer waits for another's transaction up to
 * busy_timeout_ms, then gets SOMO_EBUSY; readers never wait). A handle is
 * not carried across fork(): a child opens its own. An open SQLite handle
 * costs about 120 KB and two file descriptors (bench/README.md): a host with
 * thousands of idle sessions shares handles rather than keeping one each.
 *
 * Records passed in are copied; records handed to callbacks are borrowed for
 * the duration of the callback; records returned by the _get functions are
 * one allocation, freed with somo_free(). Times are milliseconds since
 * 1970-01-01T00:00:00Z. Identifiers are non-empty UTF-8 strings of at most
 * SOMO_STORE_MAX_ID bytes; JSON and text values well-formed UTF-8 of at most
 * max_value_size bytes (document bodies are any bytes).
 *
 * Every write outside a transaction is its own transaction; inside one
 * (somo_store_begin()), writes become visible to other handles and durable
 * together at somo_store_commit().
 */
#ifndef SOMO_STORE_H
#define SOMO_STORE_H

#include <stdbool.h>

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open store. Opaque; one thread at a time. */
typedef struct somo_store somo_store;

/** The longest identifier (learner, package, activity, objective, key) in bytes. */
#define SOMO_STORE_MAX_ID 4096

/**
 * How a store is opened. Zero fields take the default. Start from
 * SOMO_STORE_OPTS_INIT; fields are only ever appended.
 */
typedef struct {
	unsigned version;         /**< SOMO_STORE_OPTS_VERSION */
	uint32_t busy_timeout_ms; /**< how long a write waits for another handle's
	                               transaction (SQLite), default 10000 */
	uint64_t outbox_max;      /**< most outbox statements not yet delivered
	                               (pending or parked), default 100000 */
	uint64_t max_value_size;  /**< largest JSON, text or document body in bytes,
	                               default 16 MiB */
	uint32_t cache_kib;       /**< SQLite page cache of one handle, default 256 */
	int read_only;            /**< open for reading only: every write fails
	                               with SOMO_EIO */
	int skip_check;           /**< SQLite: skip the integrity check (quick_check)
	                               made at open; header, schema and size checks stay */
} somo_store_opts;

#define SOMO_STORE_OPTS_VERSION 1
#define SOMO_STORE_OPTS_INIT                                                                       \
	{                                                                                          \
		SOMO_STORE_OPTS_VERSION, 0, 0, 0, 0, 0, 0                                          \
	}

/* ------------------------------------------------------------------------ */
/* Records                                                                   */

/** A learner. */
typedef struct {
	const char *id;   /**< the learner's id (cmi.learner_id) */
	const char *name; /**< display name (cmi.learner_name), may be "" */
} somo_store_learner;

/** A content package known to the store. */
typedef struct {
	const char *id;       /**< the host's id for the package */
	const char *path;     /**< where it was loaded from, may be "" */
	const char *digest;   /**< a digest of its bytes (e.g. "sha256:..."), may be "" */
	const char *title;    /**< may be "" */
	const char *standard; /**< "scorm12", "scorm2004-4", "cmi5", ...; may be "" */
} somo_store_package;

/** A learner's registration on a package (one enrolment, many attempts). */
typedef struct {
	const char *id;         /**< a UUID (xAPI's registration), stored lowercase */
	const char *learner_id; /**< an existing learner */
	const char *package_id; /**< an existing package */
	int64_t created;        /**< 0 when writing: the store sets the current time */
} somo_store_registration;

/** Where an attempt stands. Append only. */
typedef enum {
	SOMO_STORE_ATTEMPT_ACTIVE = 1,
	SOMO_STORE_ATTEMPT_SUSPENDED = 2,
	SOMO_STORE_ATTEMPT_COMPLETED = 3,
	SOMO_STORE_ATTEMPT_ABANDONED = 4
} somo_store_attempt_state;

/** One attempt on a registration. */
typedef struct {
	const char *registration; /**< an existing registration */
	uint32_t number;          /**< 1, 2, ... */
	somo_store_attempt_state state;
	int64_t started; /**< 0 when writing: the current time */
	int64_t ended;   /**< 0 while not ended */
} somo_store_attempt;

/** One SCO's run-time state within an attempt (somo_rt_to_json()). */
typedef struct {
	const char *registration;
	uint32_t attempt;
	const char *activity_id; /**< the item identifier */
	const char *state;       /**< JSON text, kept as written */
	uint32_t sessions;       /**< the host's count of sessions (Initialize) */
	uint64_t commits;        /**< writes of this state so far; set by the store
	                              (ignored when writing) */
	int64_t updated;         /**< set by the store */
} somo_store_runtime;

/** The sequencing state of an attempt (somo_seq_state_to_json()). */
typedef struct {
	const char *registration;
	uint32_t attempt;
	const char *state; /**< JSON text, kept as written */
	int64_t updated;   /**< set by the store */
} somo_store_sequencing;

/** One adl.data shared data store. */
typedef struct {
	const char *learner_id; /**< an existing learner */
	const char *package_id; /**< the package, or "" when sharedDataGlobalToSystem */
	const char *target_id;  /**< the store's target id */
	const char *data;       /**< its value (text) */
	int64_t updated;        /**< set by the store */
} somo_store_shared_data;

/** An objective's satisfaction. Append only. */
typedef enum {
	SOMO_STORE_SUCCESS_UNKNOWN = 0,
	SOMO_STORE_SUCCESS_SATISFIED = 1,
	SOMO_STORE_SUCCESS_NOT_SATISFIED = 2
} somo_store_success;

/** An objective's completion. Append only. */
typedef enum {
	SOMO_STORE_COMPLETION_UNKNOWN = 0,
	SOMO_STORE_COMPLETION_COMPLETED = 1,
	SOMO_STORE_COMPLETION_INCOMPLETE = 2
} somo_store_completion;

/** A global (shared) objective. has_* false means unknown (the value then
 * reads back as 0); -0 reads back as 0. */
typedef struct {
	const char *learner_id;   /**< an existing learner */
	const char *scope;        /**< the package id, or "" when objectivesGlobalToSystem */
	const char *objective_id; /**< the global objective's target id */
	somo_store_success success;
	bool has_measure;
	double measure; /**< normalized measure -1..1 */
	bool has_raw, has_min, has_max;
	double raw, min, max;
	somo_store_completion completion;
	bool has_progress;
	double progress; /**< progress measure 0..1 */
	int64_t updated; /**< set by the store */
} somo_store_objective;

/** Where an outbox statement stands. Append only. */
typedef enum {
	SOMO_STORE_OUTBOX_PENDING = 1,   /**< waiting to be sent */
	SOMO_STORE_OUTBOX_DELIVERED = 2, /**< the LRS has it */
	SOMO_STORE_OUTBOX_PARKED = 3     /**< refused by the LRS; kept with its message */
} somo_store_outbox_state;

/** One xAPI statement in the outbox. */
typedef struct {
	const char *id;        /**< the statement id, a UUID, stored lowercase */
	const char *statement; /**< the statement's JSON text, kept as written */
	int64_t enqueued;      /**< set by the store */
	somo_store_outbox_state state;
	const char *message;  /**< the last failure's message, "" when none */
	uint32_t attempts;    /**< delivery attempts that failed */
	int64_t next_attempt; /**< not before this time */
	int64_t delivered;    /**< when delivered, 0 before */
} somo_store_outbox_entry;

/** Numbers of outbox statements in each state. */
typedef struct {
	uint64_t pending, delivered, parked;
} somo_store_outbox_counts;

/** The kinds of xAPI documents. Append only. */
typedef enum {
	SOMO_STORE_DOC_STATE = 1,
	SOMO_STORE_DOC_ACTIVITY_PROFILE = 2,
	SOMO_STORE_DOC_AGENT_PROFILE = 3
} somo_store_doc_kind;

/** An xAPI document (state, activity profile, agent profile). */
typedef struct {
	somo_store_doc_kind kind;
	const char *key;          /**< the caller's key (e.g. activity, agent,
	                               registration and stateId joined) */
	const char *content_type; /**< may be "" */
	const void *body;         /**< any bytes */
	size_t body_size;
	const char *etag; /**< the caller's ETag, may be "" */
	int64_t updated;  /**< 0 when writing: the current time */
} somo_store_document;

/*
 * Callbacks of the list functions: the record is borrowed for the call. A
 * non-zero return stops the listing, which then returns that value.
 */
typedef int (*somo_store_learner_cb)(const somo_store_learner *rec, void *payload);
typedef int (*somo_store_package_cb)(const somo_store_package *rec, void *payload);
typedef int (*somo_store_registration_cb)(const somo_store_registration *rec, void *payload);
typedef int (*somo_store_attempt_cb)(const somo_store_attempt *rec, void *payload);
typedef int (*somo_store_runtime_cb)(const somo_store_runtime *rec, void *payload);
typedef int (*somo_store_sequencing_cb)(const somo_store_sequencing *rec, void *payload);
typedef int (*somo_store_shared_data_cb)(const somo_store_shared_data *rec, void *payload);
typedef int (*somo_store_objective_cb)(const somo_store_objective *rec, void *payload);
typedef int (*somo_store_outbox_cb)(const somo_store_outbox_entry *rec, void *payload);
typedef int (*somo_store_document_cb)(const somo_store_document *rec, void *payload);

/* ------------------------------------------------------------------------ */
/* Opening and closing                                                       */

/**
 * Open (creating it when absent) the SQLite store in the file path. path
 * may be a "file:" URI (e.g. "file:somo.db?mode=ro" to read only). The file
 * is in WAL mode with synchronous=FULL: a write (or a transaction's commit)
 * has reached the disk when the call returns.
 *
 * The file is recognised by PRAGMA application_id 0x534F4D4F ("SOMO"); its
 * PRAGMA user_version is the schema version (3 in this release). A file
 * made by an older Somo is migrated forward in one transaction. A
 * file that is not a SQLite database, is damaged or truncated, or belongs
 * to another application gives SOMO_ECORRUPT; a file made by a newer Somo
 * SOMO_EUNSUPPORTED; a file that cannot be opened or written SOMO_EIO; a
 * missing file opened read-only SOMO_ENOTFOUND. The message names the file.
 * Nothing in such a file is ever changed. An empty (0-byte) file is a new
 * store. opts may be NULL for the defaults. On success *out is the caller's
 * to close with somo_store_close(); on failure it is NULL.
 */
SOMO_API int somo_store_open_sqlite(somo_store **out, const char *path,
                                    const somo_store_opts *opts);

/**
 * Open an empty store held in memory, private to this handle and lost at
 * close. Same semantics as SQLite's (limits, errors, orders, transactions).
 * opts may be NULL. *out is the caller's to close with somo_store_close().
 */
SOMO_API int somo_store_open_memory(somo_store **out, const somo_store_opts *opts);

/**
 * Close a store. An open transaction is rolled back. NULL is a no-op.
 */
SOMO_API void somo_store_close(somo_store *st);

/** The backend's name ("sqlite", "memory", ...), borrowed; NULL for NULL. */
SOMO_API const char *somo_store_backend_name(const somo_store *st);

/* ------------------------------------------------------------------------ */
/* Transactions                                                              */

/**
 * Start a transaction: the writes until somo_store_commit() are one unit.
 * SQLite takes the write lock now (waiting up to busy_timeout_ms, then
 * SOMO_EBUSY). SOMO_ESTATE when a transaction is already open.
 */
SOMO_API int somo_store_begin(somo_store *st);

/**
 * Commit the open transaction: when this returns 0 its writes are durable.
 * On failure the transaction is rolled back (nothing of it is stored).
 * SOMO_ESTATE when no transaction is open.
 */
SOMO_API int somo_store_commit(somo_store *st);

/** Roll the open transaction back. SOMO_ESTATE when none is open. */
SOMO_API int somo_store_rollback(somo_store *st);

/** Whether a transaction is open on st. */
SOMO_API bool somo_store_in_transaction(const somo_store *st);

/* ------------------------------------------------------------------------ */
/* Learners and packages                                                     */

/** Create or replace a learner. Returns 0 or an error. */
SOMO_API int somo_store_learner_put(somo_store *st, const somo_store_learner *rec);

/** The learner id (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_learner_get(somo_store *st, const char *id, somo_store_learner **out);

/** Every learner, by id (byte order). */
SOMO_API int somo_store_learner_list(somo_store *st, somo_store_learner_cb cb, void *payload);

/** Create or replace a package. */
SOMO_API int somo_store_package_put(somo_store *st, const somo_store_package *rec);

/** The package id (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_package_get(somo_store *st, const char *id, somo_store_package **out);

/** Every package, by id. */
SOMO_API int somo_store_package_list(somo_store *st, somo_store_package_cb cb, void *payload);

/* ------------------------------------------------------------------------ */
/* Registrations and attempts                                                */

/**
 * Create a registration. Its learner and package must exist
 * (SOMO_ENOTFOUND). Writing an existing id with the same learner and package
 * is a no-op (its created time stays); with others, SOMO_EEXISTS. The id
 * must be a UUID (SOMO_EINVAL).
 */
SOMO_API int somo_store_registration_put(somo_store *st, const somo_store_registration *rec);

/** The registration id (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_registration_get(somo_store *st, const char *id,
                                         somo_store_registration **out);

/**
 * The registrations of a learner (NULL: any) on a package (NULL: any), by
 * created time, then id.
 */
SOMO_API int somo_store_registration_list(somo_store *st, const char *learner_id,
                                          const char *package_id, somo_store_registration_cb cb,
                                          void *payload);

/**
 * Create or replace attempt rec->number (>= 1) of an existing registration
 * (SOMO_ENOTFOUND otherwise).
 */
SOMO_API int somo_store_attempt_put(somo_store *st, const somo_store_attempt *rec);

/**
 * Attempt number of a registration (*out freed with somo_free()); number 0
 * means the latest (highest numbered). SOMO_ENOTFOUND when there is none.
 */
SOMO_API int somo_store_attempt_get(somo_store *st, const char *registration, uint32_t number,
                                    somo_store_attempt **out);

/** The attempts of a registration, by number. */
SOMO_API int somo_store_attempt_list(somo_store *st, const char *registration,
                                     somo_store_attempt_cb cb, void *payload);

/* ------------------------------------------------------------------------ */
/* Tracking state                                                            */

/**
 * Write one SCO's run-time state (a SCORM Commit): the attempt must exist
 * (SOMO_ENOTFOUND). The state's commit count goes up by one. Outside a
 * transaction the state is on disk when this returns 0.
 */
SOMO_API int somo_store_runtime_put(somo_store *st, const somo_store_runtime *rec);

/** One SCO's run-time state (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_runtime_get(somo_store *st, const char *registration, uint32_t attempt,
                                    const char *activity_id, somo_store_runtime **out);

/** The run-time states of an attempt, by activity id. */
SOMO_API int somo_store_runtime_list(somo_store *st, const char *registration, uint32_t attempt,
                                     somo_store_runtime_cb cb, void *payload);

/** Write an attempt's sequencing state; the attempt must exist (SOMO_ENOTFOUND). */
SOMO_API int somo_store_sequencing_put(somo_store *st, const somo_store_sequencing *rec);

/** An attempt's sequencing state (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_sequencing_get(somo_store *st, const char *registration, uint32_t attempt,
                                       somo_store_sequencing **out);

/** Write a shared data store; the learner must exist (SOMO_ENOTFOUND). */
SOMO_API int somo_store_shared_data_put(somo_store *st, const somo_store_shared_data *rec);

/** One shared data store (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_shared_data_get(somo_store *st, const char *learner_id,
                                        const char *package_id, const char *target_id,
                                        somo_store_shared_data **out);

/**
 * A learner's shared data stores of one package ("" for the global ones;
 * NULL: all), by package id then target id.
 */
SOMO_API int somo_store_shared_data_list(somo_store *st, const char *learner_id,
                                         const char *package_id, somo_store_shared_data_cb cb,
                                         void *payload);

/** Write a global objective (replacing every value); the learner must exist. */
SOMO_API int somo_store_objective_put(somo_store *st, const somo_store_objective *rec);

/** One global objective (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_objective_get(somo_store *st, const char *learner_id, const char *scope,
                                      const char *objective_id, somo_store_objective **out);

/** A learner's global objectives in scope (NULL: every scope), by scope then id. */
SOMO_API int somo_store_objective_list(somo_store *st, const char *learner_id, const char *scope,
                                       somo_store_objective_cb cb, void *payload);

/* ------------------------------------------------------------------------ */
/* The xAPI outbox                                                           */

/**
 * Put a statement in the outbox, pending, due now. id is its UUID, statement
 * its JSON text (not parsed here). Outside a transaction the statement is on
 * disk when this returns 0. One id never has two contents: enqueueing an id
 * the outbox holds with the same text is a no-op (0), with another text
 * SOMO_EEXISTS. SOMO_EFULL when outbox_max statements are undelivered.
 */
SOMO_API int somo_store_outbox_enqueue(somo_store *st, const char *id, const char *statement);

/** The statement id (*out freed with somo_free()), or SOMO_ENOTFOUND. */
SOMO_API int somo_store_outbox_get(somo_store *st, const char *id, somo_store_outbox_entry **out);

/**
 * Pending statements whose next attempt is due at now (milliseconds; pass
 * the current time), oldest enqueued first, at most limit of them (0: no
 * limit).
 */
SOMO_API int somo_store_outbox_due(somo_store *st, int64_t now, size_t limit,
                                   somo_store_outbox_cb cb, void *payload);

/**
 * Every statement in state (0: any state), oldest enqueued first, at most
 * limit (0: no limit).
 */
SOMO_API int somo_store_outbox_list(somo_store *st, somo_store_outbox_state state, size_t limit,
                                    somo_store_outbox_cb cb, void *payload);

/**
 * Record that the LRS holds statement id (delivered now). Delivering a
 * delivered statement again is a no-op. SOMO_ENOTFOUND when absent.
 */
SOMO_API int somo_store_outbox_delivered(somo_store *st, const char *id);

/**
 * Record a failed delivery attempt: the statement stays pending, its
 * attempts count goes up and it is due again at next_attempt. message may
 * be NULL. SOMO_ESTATE when it is not pending.
 */
SOMO_API int somo_store_outbox_retry(somo_store *st, const char *id, int64_t next_attempt,
                                     const char *message);

/**
 * Park a statement the LRS refused (e.g. its 400) with the LRS's message:
 * it is kept, no longer due, and still counts against outbox_max.
 * SOMO_ESTATE when it is delivered.
 */
SOMO_API int somo_store_outbox_park(somo_store *st, const char *id, const char *message);

/** Make a parked statement pending and due now. SOMO_ESTATE when it is not parked. */
SOMO_API int somo_store_outbox_requeue(somo_store *st, const char *id);

/** Count the outbox's statements in each state. */
SOMO_API int somo_store_outbox_count(somo_store *st, somo_store_outbox_counts *out);

/**
 * Remove delivered statements delivered before the time given; *removed
 * (may be NULL) gets their number. A purged id may be enqueued again.
 */
SOMO_API int somo_store_outbox_purge(somo_store *st, int64_t delivered_before, uint64_t *removed);

/* ------------------------------------------------------------------------ */
/* xAPI documents                                                            */

/**
 * Create or replace a document, with the HTTP preconditions of the xAPI
 * document resources: if_match (NULL: none) must equal the stored etag, and
 * if_none_match (true: "If-None-Match: *") requires that none is stored;
 * SOMO_ECONFLICT when a precondition fails. rec->updated 0 means now.
 */
SOMO_API int somo_store_document_put(somo_store *st, const somo_store_document *rec,
                                     const char *if_match, bool if_none_match);

/**
 * A document (*out freed with somo_free(); its body follows the record and
 * is NUL-terminated for convenience), or SOMO_ENOTFOUND.
 */
SOMO_API int somo_store_document_get(somo_store *st, somo_store_doc_kind kind, const char *key,
                                     somo_store_document **out);

/** Delete a document; SOMO_ENOTFOUND when absent. */
SOMO_API int somo_store_document_delete(somo_store *st, somo_store_doc_kind kind, const char *key);

/** The documents of a kind whose key starts with prefix ("" for all), by key. */
SOMO_API int somo_store_document_list(somo_store *st, somo_store_doc_kind kind, const char *prefix,
                                      somo_store_document_cb cb, void *payload);

#ifdef __cplusplus
}
#endif
#endif
