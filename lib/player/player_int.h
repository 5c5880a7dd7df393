/* Internal parts of the player shared between its files. */
#ifndef SOMO_PLAYER_INT_H
#define SOMO_PLAYER_INT_H

#include <signal.h>
#include <stdbool.h>

#include "somo/lrs.h"
#include "somo/manifest.h"
#include "somo/package.h"
#include "somo/player.h"
#include "somo/session.h"
#include "somo/store.h"
#include "somo/tincan.h"
#include "util/util.h"

struct MHD_Daemon;
struct MHD_Connection;

typedef enum { SOMO__PLAY_SCORM = 1, SOMO__PLAY_TINCAN = 2 } somo__play_kind;

struct somo_player {
	struct MHD_Daemon *mhd;
	uint16_t port;
	char url[64];
	char host_ip[32];   /* "127.0.0.1:PORT" */
	char host_name[32]; /* "localhost:PORT" */
	char origin_ip[48]; /* "http://127.0.0.1:PORT" */
	char origin_name[48];
	char token[65];      /* per-launch secret, hex */
	char xapi_auth[128]; /* "Basic " base64("somo:" token) */

	somo__play_kind kind;
	somo_package *pkg;
	somo_manifest *man; /* SCORM */
	somo_tincan *tc;    /* Tin Can */
	somo_store *store;
	somo_session *ses; /* SCORM */
	somo_lrs *lrs;     /* NULL without --lrs */

	char *title;
	char *learner_id;
	char *learner_name;
	char *package_id;
	char *registration; /* Tin Can: the registration given to the content */

	size_t max_body;
	size_t max_header;
	unsigned max_connections;

	struct somo__player_cache *cache; /* files.c */

	volatile sig_atomic_t stop;
	bool closed;
	bool started; /* the launcher asked for the first delivery */
};

/* A request's response, built by the route handlers. */
typedef struct {
	unsigned status;
	const char *content_type; /* static */
	char *body;               /* somo__malloc'd or NULL */
	size_t body_len;
	const char *allow; /* for 405, static */
	char *etag;        /* xAPI documents */
	bool xapi;         /* an answer of the xAPI endpoint */
} somo__reply;

/* HTTP (http.c) */
int somo__player_http_start(somo_player *p, uint16_t port);
void somo__player_http_stop(somo_player *p);
int somo__player_http_run(somo_player *p, int timeout_ms);

/* Header lookup on the connection (case-insensitive); NULL when absent. */
const char *somo__player_header(struct MHD_Connection *c, const char *name);

/* Decode a URL path once (%XX), refusing what could escape or confuse
 * (encoded "%", NUL and control characters, backslashes, invalid UTF-8).
 * *out is the caller's (somo__free). SOMO_EUNSAFE when refused. */
int somo__player_decode_path(const char *raw, char **out);

/* Constant-time comparison of a presented secret with the expected one. */
bool somo__player_secret_eq(const char *given, const char *expected);

/* The content's files and the launcher's (files.c). Queues the response. */
int somo__player_serve_content(somo_player *p, struct MHD_Connection *c, const char *path,
                               bool head);
int somo__player_serve_asset(somo_player *p, struct MHD_Connection *c, const char *name, bool head);
const char *somo__player_mime(const char *path);
/* Release the responses kept for the package's files. */
void somo__player_cache_free(somo_player *p);

/* The launcher's protocol (api.c): body is the request's JSON. */
void somo__player_api(somo_player *p, const char *route, const char *body, size_t len,
                      somo__reply *r);
/* The state JSON the launcher draws from; caller frees. */
char *somo__player_state_json(somo_player *p, const char *message);
/* End a running SCO as an unload would and store everything. */
int somo__player_commit_all(somo_player *p);

/* The local xAPI endpoint (xapi_endpoint.c). route starts after "/xapi/". */
void somo__player_xapi(somo_player *p, struct MHD_Connection *c, const char *method,
                       const char *route, const char *body, size_t len, somo__reply *r);
/* The Tin Can launch URL (under /content/), caller frees. */
char *somo__player_tincan_launch(somo_player *p);

/* Base64 (RFC 4648) of len bytes; caller frees. */
char *somo__player_base64(const void *data, size_t len);

#endif
