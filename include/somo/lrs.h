/*
 * Somo LRS client: talks to a Learning Record Store over HTTP (xAPI's
 * Statements, About, State, Activity Profile and Agent Profile resources)
 * with a durable outbox of statements waiting to be delivered.
 *
 * The client starts no threads. Requests run on a non-blocking pump in the
 * manner of curl's multi interface: call somo_lrs_perform() whenever one of
 * the client's sockets is ready or its timeout has passed (somo_lrs_fdset(),
 * somo_lrs_timeout()), or let somo_lrs_poll() wait and pump in one call.
 *
 *     somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
 *     o.endpoint = "https://lrs.example.org/xAPI/";
 *     o.username = "key"; o.password = "secret";
 *     o.outbox = store;                        (an open somo_store)
 *     somo_lrs *lrs = NULL;
 *     char id[37];
 *
 *     if (somo_lrs_new(&lrs, &o) < 0 ||
 *         somo_lrs_enqueue_json(lrs, json, strlen(json), id) < 0)   (durable here)
 *         ...;
 *     while (somo_lrs_poll(lrs, 1000, &running) == 0 && running)
 *         ;                                    (delivered in batches)
 *     somo_lrs_free(lrs);
 *
 * Delivery: statements leave the outbox in batches of batch_size, or fewer
 * once the oldest has waited linger_ms. The LRS's answer is recorded in the
 * store in one transaction: 200 delivered; 409 (the id is taken) delivered
 * too, since an id has only ever one content in the outbox; 400 parks the
 * statement with the LRS's message (a refused batch is split to find the
 * statements at fault); network errors, timeouts, 429 and 5xx retry with
 * exponential backoff and jitter (a longer Retry-After is honoured); 401
 * and 403 stop the queue with SOMO_EAUTH until somo_lrs_resume(); other
 * statuses (404, 405: a wrong endpoint) stop it with SOMO_ERROR. Credentials
 * are never logged nor put in an error message.
 *
 * A handle is used by one thread at a time.
 */
#ifndef SOMO_LRS_H
#define SOMO_LRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>

#include "somo/common.h"
#include "somo/store.h"
#include "somo/xapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A client of one LRS. Opaque; one thread at a time. */
typedef struct somo_lrs somo_lrs;

/**
 * How a client is made. Zero fields take the default. Start from
 * SOMO_LRS_OPTS_INIT; fields are only ever appended.
 */
typedef struct {
	unsigned version;          /**< SOMO_LRS_OPTS_VERSION */
	const char *endpoint;      /**< the LRS's xAPI base IRI, "http(s)://host/xAPI/"; required */
	const char *username;      /**< Basic auth user, or NULL */
	const char *password;      /**< Basic auth password, or NULL */
	const char *authorization; /**< a whole Authorization value ("Basic ..."), as cmi5
	                                launches give it; used instead of username/password */
	somo_store *outbox;        /**< where statements wait (borrowed, must outlive the
	                                client); NULL: no outbox, enqueueing fails */
	const char *xapi_version;  /**< the X-Experience-API-Version to send; NULL: the
	                                highest of 2.0.0 and 1.0.3 that /about offers */
	uint32_t batch_size;       /**< statements per POST, default 50, at most 1000 */
	uint32_t linger_ms;        /**< how long a partial batch waits, default 100 */
	uint32_t connect_timeout_ms; /**< default 10000 */
	uint32_t timeout_ms;         /**< a whole request, default 30000 */
	uint32_t backoff_min_ms;     /**< first retry delay, default 500 */
	uint32_t backoff_max_ms;     /**< longest retry delay, default 300000 */
	size_t max_response;         /**< largest response body accepted, default 16 MiB */
	int insecure;                /**< skip TLS certificate checks (tests only) */
	const char *ca_file;         /**< a CA bundle instead of the system's, or NULL */
	uint32_t max_in_flight;      /**< batches sent at once, default 1, at most 8 */
} somo_lrs_opts;

#define SOMO_LRS_OPTS_VERSION 1
#define SOMO_LRS_OPTS_INIT                                                                         \
	{                                                                                          \
		SOMO_LRS_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, \
		    NULL, 0                                                                        \
	}

/**
 * Make a client. Nothing is sent yet. opts->endpoint must be an http or
 * https IRI (a missing final "/" is added). On success *out is the caller's
 * to free with somo_lrs_free().
 *
 * @return 0; SOMO_EINVAL (no or bad endpoint, NULL opts); SOMO_ENOMEM.
 */
SOMO_API int somo_lrs_new(somo_lrs **out, const somo_lrs_opts *opts);

/**
 * Free a client. Requests in flight are abandoned: statements in them stay
 * pending in the outbox and are sent again later. NULL is a no-op.
 */
SOMO_API void somo_lrs_free(somo_lrs *lrs);

/* ------------------------------------------------------------------------ */
/* The outbox                                                                */

/**
 * Put a statement in the outbox: it gets an id (a new UUID unless it has
 * one), is checked against the xAPI rules (1.0.3's when opts->xapi_version
 * or the version /about gave is 1.0.x, 2.0's otherwise), serialised, and
 * is on disk in the outbox when this returns 0. The text stored is the text
 * sent, every time: one id never goes out with two contents. Later calls of
 * the pump deliver it.
 *
 * @param id_out may be NULL; receives the statement's id (NUL-terminated).
 * @return 0; SOMO_EINVALID (the statement breaks the xAPI rules: the
 *         message names the first problem); SOMO_EEXISTS (the id is in the
 *         outbox with another content); SOMO_EFULL (the outbox is full);
 *         SOMO_ESTATE (no outbox); SOMO_EIO, SOMO_ENOMEM.
 */
SOMO_API int somo_lrs_enqueue(somo_lrs *lrs, const somo_xapi_statement *st, char id_out[37]);

/** somo_lrs_enqueue() from JSON text of one statement (len bytes). SOMO_EPARSE when not JSON. */
SOMO_API int somo_lrs_enqueue_json(somo_lrs *lrs, const char *json, size_t len, char id_out[37]);

/** Send a partial batch now rather than after linger_ms. */
SOMO_API void somo_lrs_flush(somo_lrs *lrs);

/**
 * Let a stopped or backed-off queue go again (after new credentials through
 * somo_lrs_set_auth(), or when the host knows the network is back): every
 * pending statement, including those an earlier failure scheduled for
 * later, is sent at once.
 */
SOMO_API void somo_lrs_resume(somo_lrs *lrs);

/**
 * Replace the credentials (copied; NULL clears). username/password give
 * Basic auth; authorization a whole Authorization value instead.
 */
SOMO_API int somo_lrs_set_auth(somo_lrs *lrs, const char *username, const char *password,
                               const char *authorization);

/** What a client's queue is doing. */
typedef struct {
	uint64_t pending;    /**< in the outbox, not yet delivered */
	uint64_t delivered;  /**< delivered, still in the outbox */
	uint64_t parked;     /**< refused by the LRS, kept with its message */
	uint32_t in_flight;  /**< statements in a request now */
	int stopped;         /**< 0, or the error that stopped the queue (SOMO_EAUTH ...) */
	int64_t next_try;    /**< ms since 1970 when a backed-off queue tries again, 0 */
	const char *version; /**< the X-Experience-API-Version in use, "" before /about */
	const char *message; /**< the last delivery problem, "" when none; borrowed */
} somo_lrs_status;

/**
 * Fill *out with the queue's state (counts read from the outbox). The
 * strings are borrowed until the next call on lrs.
 */
SOMO_API int somo_lrs_get_status(somo_lrs *lrs, somo_lrs_status *out);

/* ------------------------------------------------------------------------ */
/* The pump                                                                  */

/**
 * Do what can be done without blocking: read and write ready sockets,
 * handle finished requests (recording deliveries in the outbox), start the
 * next batch when one is due. *running (may be NULL) receives the number
 * of requests in flight plus one while statements wait to be sent (also
 * through a backoff): zero means nothing is due, or the queue is stopped.
 *
 * @return 0; the stopping error (SOMO_EAUTH on 401/403, SOMO_ERROR) from
 *         the call in which the queue stopped (then 0 until resumed); the
 *         outbox's error (SOMO_EIO, SOMO_EBUSY) when an answer could not be
 *         recorded (nothing is lost: the statements stay pending and are
 *         sent again).
 */
SOMO_API int somo_lrs_perform(somo_lrs *lrs, int *running);

/**
 * The sockets the client waits on, for select(): as curl_multi_fdset().
 * *max_fd is -1 when there are none yet (then wait at most
 * somo_lrs_timeout()).
 */
SOMO_API int somo_lrs_fdset(somo_lrs *lrs, fd_set *read_fds, fd_set *write_fds, fd_set *exc_fds,
                            int *max_fd);

/**
 * How long the caller may wait before calling somo_lrs_perform() again in
 * milliseconds: 0 now, -1 no timer (nothing to do until the sockets or an
 * enqueue say so).
 */
SOMO_API int somo_lrs_timeout(somo_lrs *lrs, long *ms);

/**
 * Wait up to timeout_ms for the client's sockets or timers, then pump
 * (somo_lrs_perform()). *running as there.
 */
SOMO_API int somo_lrs_poll(somo_lrs *lrs, int timeout_ms, int *running);

/**
 * Flush, then pump until no statement is due (every one delivered or
 * parked), the queue stops (its error) or timeout_ms passes (SOMO_EBUSY:
 * statements still pending, e.g. backing off, stay in the outbox).
 * Statements an earlier process put off for later are not waited for
 * unless somo_lrs_resume() made them due. Returns what somo_lrs_perform()
 * returned when not 0.
 */
SOMO_API int somo_lrs_drain(somo_lrs *lrs, int timeout_ms);

/* ------------------------------------------------------------------------ */
/* Reading statements, documents, attachments (these pump until done)        */

/** What an LRS answered to one request. */
typedef struct {
	long status;                    /**< HTTP status, 0 when no answer came */
	const char *etag;               /**< ETag header, "" when none */
	const char *content_type;       /**< "" when none */
	const char *consistent_through; /**< X-Experience-API-Consistent-Through, "" */
	const void *body;               /**< NUL-terminated for convenience */
	size_t body_size;
} somo_lrs_response;

/** Called with each statement of a query; non-zero stops it (returned). */
typedef int (*somo_lrs_statement_cb)(const somo_xapi_statement *st, void *payload);

/**
 * GET statements matching query (the query string without "?", e.g.
 * "verb=...&since=...&limit=100"; NULL: all), following "more" links until
 * the LRS has no more or max_statements (0: no limit) were seen. Each
 * statement is passed to cb, borrowed for the call.
 *
 * @param consistent_through may be NULL; receives the first page's
 *        X-Experience-API-Consistent-Through (freed with somo_free()).
 * @return 0; SOMO_EAUTH (401/403); SOMO_ENET (no answer); SOMO_EPARSE (a
 *         reply that is not a StatementResult, an empty page that points
 *         further); SOMO_EUNSAFE ("more" leads to another server: not
 *         followed); SOMO_ELIMIT (a page over max_response, more than
 *         10,000 pages); SOMO_ERROR
 *         (another status: the message has the LRS's words); cb's value.
 */
SOMO_API int somo_lrs_statements_get(somo_lrs *lrs, const char *query, size_t max_statements,
                                     somo_lrs_statement_cb cb, void *payload,
                                     char **consistent_through);

/** The kinds of documents. Append only. */
typedef enum {
	SOMO_LRS_STATE = 1, /**< activities/state: activity, agent, registration, stateId */
	SOMO_LRS_ACTIVITY_PROFILE = 2, /**< activities/profile: activity, profileId */
	SOMO_LRS_AGENT_PROFILE = 3     /**< agents/profile: agent, profileId */
} somo_lrs_doc_kind;

/** Which document. */
typedef struct {
	somo_lrs_doc_kind kind;
	const char *activity_id;  /**< state and activity profile */
	const char *agent_json;   /**< state and agent profile: the agent as JSON text */
	const char *registration; /**< state only, may be NULL */
	const char *id;           /**< stateId or profileId */
} somo_lrs_doc;

/**
 * GET a document. *out (freed with somo_free()) holds the body and ETag.
 * @return 0; SOMO_ENOTFOUND (404); SOMO_EAUTH; SOMO_ENET; SOMO_ERROR.
 */
SOMO_API int somo_lrs_document_get(somo_lrs *lrs, const somo_lrs_doc *doc, somo_lrs_response **out);

/**
 * PUT (replace) or, with merge, POST (merge JSON objects) a document.
 * if_match (NULL: none) sends If-Match with that ETag; if_none_match sends
 * "If-None-Match: *" (create only). content_type NULL is
 * "application/json".
 *
 * @param etag_out may be NULL; receives the new ETag when the LRS gives
 *        one ("" otherwise), freed with somo_free().
 * @return 0; SOMO_ECONFLICT (409: the document exists and no precondition
 *         was given, or 412: a precondition failed); SOMO_EAUTH; SOMO_ENET;
 *         SOMO_ERROR (another status, with the LRS's message).
 */
SOMO_API int somo_lrs_document_put(somo_lrs *lrs, const somo_lrs_doc *doc, bool merge,
                                   const char *content_type, const void *body, size_t size,
                                   const char *if_match, bool if_none_match, char **etag_out);

/** DELETE a document, with If-Match when given. Errors as somo_lrs_document_put(). */
SOMO_API int somo_lrs_document_delete(somo_lrs *lrs, const somo_lrs_doc *doc, const char *if_match);

/** One attachment's content sent beside a statement. */
typedef struct {
	const char *usage_type;   /**< IRI */
	const char *display;      /**< en-US display, required */
	const char *content_type; /**< e.g. "application/pdf" */
	const void *data;
	size_t size;
} somo_lrs_attachment;

/**
 * POST one statement with attachments as multipart/mixed: each attachment's
 * metadata (usageType, display, contentType, length, sha2) is added to the
 * statement and its content sent as a part with X-Experience-API-Hash.
 * Sent at once, not through the outbox (contents are not stored).
 *
 * @param id_out may be NULL; receives the statement id.
 * @return 0 stored (or the id was taken: 409); SOMO_EINVALID (the LRS's
 *         400, its message in the error); SOMO_EAUTH; SOMO_ENET; SOMO_ERROR.
 */
SOMO_API int somo_lrs_send_with_attachments(somo_lrs *lrs, const somo_xapi_statement *st,
                                            const somo_lrs_attachment *atts, size_t count,
                                            char id_out[37]);

/** The lowercase hex SHA-256 of data, as xAPI's sha2 (65 bytes with the NUL). */
SOMO_API int somo_lrs_sha256_hex(const void *data, size_t size, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
