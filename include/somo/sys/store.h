/*
 * The store's backend table: how a host plugs its own database in under
 * somo_store (include/somo/store.h). Somo's own backends (SQLite, memory)
 * are written against this table too.
 *
 * The front end (the somo_store_* functions) checks every argument before
 * calling a backend: identifiers non-empty UTF-8 within SOMO_STORE_MAX_ID,
 * texts UTF-8 within max_value_size, enumerations in range, registration and
 * statement UUIDs lowercased, times filled in (created, started, updated,
 * enqueued). It tracks the transaction state (begin is never called inside
 * a transaction, commit and rollback only inside one) and runs operations
 * made of several backend calls (the outbox's state changes, conditional
 * document writes) inside a transaction of its own when the caller has none.
 *
 * What a backend does: each call is atomic; outside begin/commit each write
 * is durable when it returns; records handed to callbacks are borrowed for
 * the call; a callback's non-zero return stops a listing and is returned;
 * a get calls its callback once or returns SOMO_ENOTFOUND; orders are those
 * somo/store.h documents (strings compared as bytes); errors are negative
 * SOMO_E* codes with the message set through the thread's last error (a
 * backend outside libsomo may leave it: the front end then names the code).
 */
#ifndef SOMO_SYS_STORE_H
#define SOMO_SYS_STORE_H

#include "somo/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SOMO_STORE_BACKEND_VERSION 1

/**
 * A backend. Fields are only ever appended; a NULL function makes its
 * operation fail with SOMO_EUNSUPPORTED. impl is the backend's own handle,
 * given to somo_store_open_backend().
 */
typedef struct somo_store_backend {
	unsigned version; /**< SOMO_STORE_BACKEND_VERSION */
	const char *name; /**< short name, e.g. "sqlite" */

	/** Release impl (roll back an open transaction first). */
	void (*close)(void *impl);
	int (*begin)(void *impl);
	int (*commit)(void *impl); /**< on failure the transaction is rolled back */
	int (*rollback)(void *impl);

	int (*learner_put)(void *impl, const somo_store_learner *rec);
	int (*learner_get)(void *impl, const char *id, somo_store_learner_cb cb, void *payload);
	int (*learner_list)(void *impl, somo_store_learner_cb cb, void *payload);

	int (*package_put)(void *impl, const somo_store_package *rec);
	int (*package_get)(void *impl, const char *id, somo_store_package_cb cb, void *payload);
	int (*package_list)(void *impl, somo_store_package_cb cb, void *payload);

	/** Insert; SOMO_ENOTFOUND (learner or package missing), SOMO_EEXISTS
	 * (id held by another learner or package), 0 for the same one. */
	int (*registration_put)(void *impl, const somo_store_registration *rec);
	int (*registration_get)(void *impl, const char *id, somo_store_registration_cb cb,
	                        void *payload);
	/** learner_id and package_id may be NULL (any). */
	int (*registration_list)(void *impl, const char *learner_id, const char *package_id,
	                         somo_store_registration_cb cb, void *payload);

	int (*attempt_put)(void *impl, const somo_store_attempt *rec);
	int (*attempt_get)(void *impl, const char *registration, uint32_t number,
	                   somo_store_attempt_cb cb, void *payload);
	int (*attempt_list)(void *impl, const char *registration, somo_store_attempt_cb cb,
	                    void *payload);

	/** Stores commits as the previous count + 1 (1 when new). */
	int (*runtime_put)(void *impl, const somo_store_runtime *rec);
	int (*runtime_get)(void *impl, const char *registration, uint32_t attempt,
	                   const char *activity_id, somo_store_runtime_cb cb, void *payload);
	int (*runtime_list)(void *impl, const char *registration, uint32_t attempt,
	                    somo_store_runtime_cb cb, void *payload);

	int (*sequencing_put)(void *impl, const somo_store_sequencing *rec);
	int (*sequencing_get)(void *impl, const char *registration, uint32_t attempt,
	                      somo_store_sequencing_cb cb, void *payload);

	int (*shared_data_put)(void *impl, const somo_store_shared_data *rec);
	int (*shared_data_get)(void *impl, const char *learner_id, const char *package_id,
	                       const char *target_id, somo_store_shared_data_cb cb, void *payload);
	/** package_id may be NULL (all). */
	int (*shared_data_list)(void *impl, const char *learner_id, const char *package_id,
	                        somo_store_shared_data_cb cb, void *payload);

	int (*objective_put)(void *impl, const somo_store_objective *rec);
	int (*objective_get)(void *impl, const char *learner_id, const char *scope,
	                     const char *objective_id, somo_store_objective_cb cb, void *payload);
	/** scope may be NULL (all). */
	int (*objective_list)(void *impl, const char *learner_id, const char *scope,
	                      somo_store_objective_cb cb, void *payload);

	/** Insert a pending statement: 0 when the id is held with the same
	 * statement text (nothing changes), SOMO_EEXISTS with another,
	 * SOMO_EFULL when max_undelivered statements are pending or parked. */
	int (*outbox_enqueue)(void *impl, const somo_store_outbox_entry *rec,
	                      uint64_t max_undelivered);
	int (*outbox_get)(void *impl, const char *id, somo_store_outbox_cb cb, void *payload);
	/** state 0: any. due_before: only pending entries with next_attempt <=
	 * due_before (INT64_MAX: no such filter, any state allowed). limit 0:
	 * all. Oldest enqueued first. */
	int (*outbox_list)(void *impl, somo_store_outbox_state state, int64_t due_before,
	                   size_t limit, somo_store_outbox_cb cb, void *payload);
	/** Replace state, message, attempts, next_attempt and delivered of rec->id. */
	int (*outbox_update)(void *impl, const somo_store_outbox_entry *rec);
	int (*outbox_count)(void *impl, somo_store_outbox_counts *out);
	int (*outbox_purge)(void *impl, int64_t delivered_before, uint64_t *removed);

	int (*document_put)(void *impl, const somo_store_document *rec);
	int (*document_get)(void *impl, somo_store_doc_kind kind, const char *key,
	                    somo_store_document_cb cb, void *payload);
	int (*document_delete)(void *impl, somo_store_doc_kind kind, const char *key);
	int (*document_list)(void *impl, somo_store_doc_kind kind, const char *prefix,
	                     somo_store_document_cb cb, void *payload);
} somo_store_backend;

/**
 * Open a store on a host's backend. be must outlive the store (usually a
 * static table); impl is handed to every call and released by be->close at
 * somo_store_close() (also when this fails). SOMO_EUNSUPPORTED when
 * be->version is newer than this library knows or 0. opts may be NULL.
 */
SOMO_API int somo_store_open_backend(somo_store **out, const somo_store_backend *be, void *impl,
                                     const somo_store_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
