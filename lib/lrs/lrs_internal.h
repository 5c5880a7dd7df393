/*
 * Internal to the LRS client: requests on the curl multi handle, the
 * statement queue, and the parsers of what an LRS answers (kept apart from
 * the network so that they can be tested and fuzzed alone).
 */
#ifndef SOMO_LRS_INTERNAL_H
#define SOMO_LRS_INTERNAL_H

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>

#include "somo/lrs.h"
#include "util/util.h"

/* Longest LRS message kept (bytes of UTF-8). */
#define SOMO__LRS_MESSAGE_MAX 512

/* What came back: status, the headers Somo reads, the body (bounded). */
typedef struct {
	long status;
	char etag[256];
	char content_type[256];
	char consistent[64];
	char version[32];
	uint32_t retry_after; /* Retry-After in seconds (delta form), 0 when none */
	somo__buf body;
	size_t max_body;
	bool overflow; /* the body passed max_body: the transfer was cut */
} somo__lrs_resp;

/* Record one response header line (as curl's header callback gives it,
 * "Name: value\r\n", or a status line, which resets the record). */
void somo__lrs_resp_header(somo__lrs_resp *r, const char *line, size_t len);

/* Append body bytes; false once max_body is passed (sets overflow). */
bool somo__lrs_resp_body(somo__lrs_resp *r, const void *data, size_t len);

void somo__lrs_resp_reset(somo__lrs_resp *r);

/* The X-Experience-API-Version to use from an /about body: "2.0.0" when a
 * 2.0.x is offered, "1.0.3" when a 1.0.x is. SOMO_EUNSUPPORTED when neither,
 * SOMO_EPARSE when the body is not an About object. */
int somo__lrs_parse_about(const char *body, size_t len, char *out, size_t size);

/* A POST's reply: a JSON array of count statement ids. Returns 0 when it is
 * exactly the ids sent (in order), SOMO_EPARSE otherwise. */
int somo__lrs_parse_ids(const char *body, size_t len, const char *const *ids, size_t count);

/* A StatementResult: *statements (the caller's reference) is its array,
 * *more (somo__free) its "more" IRL or NULL when empty or absent. */
int somo__lrs_parse_result(const char *body, size_t len, json_t **statements, char **more);

/* The LRS's explanation of a failed request, in at most SOMO__LRS_MESSAGE_MAX
 * bytes of printable UTF-8: its JSON "message" (or "warnings"), else the
 * text of the body, else the status. Never NULL unless out of memory. */
char *somo__lrs_error_message(long status, const char *content_type, const char *body, size_t len);

/* Where a "more" IRL leads: a path ("/xAPI/statements?...") is taken on the
 * endpoint's origin; an absolute IRL must have the endpoint's origin
 * (credentials never go elsewhere: SOMO_EUNSAFE); anything else is
 * SOMO_EPARSE. *url is the caller's (somo__free). */
int somo__lrs_resolve_more(const char *endpoint, const char *more, char **url);

/* How the queue treats a finished batch. */
typedef enum {
	SOMO__LRS_DELIVERED, /* 200, 204 */
	SOMO__LRS_TAKEN,     /* 409: the id is taken */
	SOMO__LRS_REFUSED,   /* 400, 413, 422...: split, then park */
	SOMO__LRS_AUTH,      /* 401, 403: stop */
	SOMO__LRS_RETRY,     /* no answer, 408, 429, 5xx: back off */
	SOMO__LRS_FATAL      /* 404, 405...: the endpoint is wrong: stop */
} somo__lrs_verdict;

somo__lrs_verdict somo__lrs_classify(int curl_code, long status);

/* Backoff before retry number attempt (1, 2, ...): min * 2^(attempt-1)
 * capped at max, then "equal jitter" (half fixed, half random from rnd). */
uint64_t somo__lrs_backoff(uint32_t min_ms, uint32_t max_ms, uint32_t attempt, uint64_t rnd);

/* Current time, ms since 1970. */
int64_t somo__lrs_now_ms(void);

/* ---------------------------------------------------------------------- */
/* The client                                                              */

typedef enum {
	SOMO__REQ_ABOUT = 1,
	SOMO__REQ_BATCH,
	SOMO__REQ_CALL /* one of the pumping calls (documents, queries, attachments) */
} somo__req_kind;

/* A batch of outbox statements: ids and their stored texts. */
typedef struct {
	size_t count;
	char **ids;
	char **texts;
} somo__lrs_batch;

typedef struct somo__lrs_req {
	struct somo__lrs_req *next; /* in lrs->reqs */
	somo__req_kind kind;
	CURL *easy;
	struct curl_slist *headers;
	curl_mime *mime;
	somo__buf send; /* request body, kept until done */
	somo__lrs_resp resp;
	somo__lrs_batch batch;
	bool done;
	bool left;      /* a batch no longer counted in flight */
	int curl_code;
	char errbuf[CURL_ERROR_SIZE];
} somo__lrs_req;

struct somo_lrs {
	CURLM *multi;
	char *endpoint;            /* ends with "/" */
	char *auth;                /* the Authorization header line, or NULL */
	char *username, *password; /* Basic auth through curl, when no auth */
	somo_store *outbox;
	char version[32];   /* what is sent; "" until /about */
	bool version_fixed; /* from opts */
	uint32_t batch_size, linger_ms, connect_timeout_ms, timeout_ms;
	uint32_t backoff_min_ms, backoff_max_ms, max_in_flight;
	size_t max_response;
	int insecure;
	char *ca_file;

	somo__lrs_req *reqs; /* in flight */
	uint32_t batches_in_flight;
	uint32_t statements_in_flight;
	bool about_in_flight;

	/* Due statements read ahead from the outbox, oldest first, with their
	 * enqueue times: one query serves several batches. */
	somo__lrs_batch pre;
	int64_t *pre_enqueued;

	/* Batches split after a 400 or 409, sent before anything else. */
	somo__lrs_batch *split;
	size_t split_count, split_cap;

	int stopped;        /* 0 or the error that stopped the queue */
	bool stop_reported; /* perform returned it once */
	uint32_t failures;  /* consecutive failed requests */
	int64_t backoff_until;
	int64_t check_at; /* when to look at the outbox next */
	bool has_due;     /* the last look found statements waiting */
	bool flush;
	bool due_all; /* resumed: backed-off statements are due now */
	uint64_t rnd;
	char *message; /* the last delivery problem */
	int io_error;  /* an outbox write failed: returned by perform */
};

/* Start a request: method, url (absolute), extra headers, body (copied
 * into req->send unless mime is set). Adds it to the multi handle. */
int somo__lrs_start(somo_lrs *lrs, somo__lrs_req *req, const char *method, const char *url,
                    const char *const *headers, size_t header_count, const void *body, size_t size);

/* Pump until req is done (or timeout_ms), then unlink it from lrs->reqs.
 * The caller frees it with somo__lrs_req_free(). */
int somo__lrs_wait(somo_lrs *lrs, somo__lrs_req *req);

somo__lrs_req *somo__lrs_req_new(somo__req_kind kind, size_t max_body);
void somo__lrs_req_free(somo_lrs *lrs, somo__lrs_req *req);

/* The queue: react to a finished request of the queue's, and start the
 * next ones. */
void somo__lrs_queue_done(somo_lrs *lrs, somo__lrs_req *req);
int somo__lrs_queue_step(somo_lrs *lrs);
void somo__lrs_batch_free(somo__lrs_batch *b);
/* A finished batch stops counting as in flight (once). */
void somo__lrs_batch_left(somo_lrs *lrs, somo__lrs_req *req);
/* Forget the statements read ahead (they stay pending in the outbox). */
void somo__lrs_forget_ahead(somo_lrs *lrs);

/* Set lrs->message (copied). */
void somo__lrs_note(somo_lrs *lrs, const char *fmt, ...) SOMO__PRINTF(2, 3);

/* An error from a finished call request: status mapped to a code, the
 * LRS's words in the message. */
int somo__lrs_call_error(const somo__lrs_req *req, const char *what);

#endif
