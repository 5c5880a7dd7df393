/*
 * The player: serves one content package to a browser on the loopback
 * interface, gives the content its SCORM API objects (window.API for SCORM
 * 1.2, window.API_1484_11 for SCORM 2004) and relays every call to a
 * session in C, shows the course's navigation as sequencing allows it, and
 * acts as a local xAPI endpoint for Tin Can packages.
 *
 *     somo_player *p = NULL;
 *     somo_player_opts o = SOMO_PLAYER_OPTS_INIT;
 *     o.db_path = "somo.db";
 *     o.learner_id = "k-001";
 *     if (somo_player_new(&p, "course.zip", &o) < 0)
 *         fprintf(stderr, "%s\n", somo_error_last()->message);
 *     printf("%s\n", somo_player_url(p));
 *     somo_player_serve(p);          // until somo_player_stop(), e.g. from a signal handler
 *     rc = somo_player_close(p);     // everything committed
 *     somo_player_free(p);
 *
 * The player starts no threads: the HTTP server (libmicrohttpd) is driven
 * by somo_player_run() or somo_player_serve() on the caller's thread, and
 * every API call, navigation request and statement is handled there. A
 * handle is used by one thread at a time, except somo_player_stop(), which
 * may be called from a signal handler or another thread.
 */
#ifndef SOMO_PLAYER_H
#define SOMO_PLAYER_H

#include <stdbool.h>

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A running player. Opaque. */
typedef struct somo_player somo_player;

/**
 * How a player is started. Zero fields take the default. Start from
 * SOMO_PLAYER_OPTS_INIT; fields are only ever appended. Strings are
 * borrowed for the duration of somo_player_new() only.
 */
typedef struct {
	unsigned version;         /**< SOMO_PLAYER_OPTS_VERSION */
	uint16_t port;            /**< TCP port on 127.0.0.1; 0 picks a free one */
	const char *db_path;      /**< the SQLite store; NULL: a store in memory,
	                               lost when the player is freed */
	const char *learner_id;   /**< NULL: "learner" */
	const char *learner_name; /**< NULL: the learner id */
	const char *lrs_url;      /**< an LRS endpoint the outbox is synced to; NULL: none */
	const char *lrs_user;     /**< Basic authentication for the LRS, may be NULL */
	const char *lrs_password; /**< may be NULL */
	size_t max_body;          /**< largest request body in bytes, default 1 MiB
	                               (xAPI statement requests: four times that) */
	size_t max_header;        /**< largest request head (line and headers) in
	                               bytes, default 16 KiB */
	unsigned max_connections; /**< open connections at once, default 64 */
	/** SCORM packages: the xAPI activity base (an IRI ending in "/" or
	 * ":") under which the session names the course and its activities in
	 * the statements it puts into the outbox (ADL's xAPI SCORM profile).
	 * NULL: derived from the manifest's identifier: the identifier and
	 * "/" when it is itself an absolute http(s) IRI, else
	 * "urn:somo:package:" followed by the identifier (percent-encoded) and
	 * ":". The learner's account homePage is xapi_account_home, NULL:
	 * "http://127.0.0.1/" (the player's host). somo_player_new() refuses
	 * (SOMO_EINVAL) a base that is not an absolute IRI ending in "/" or
	 * ":", and a home page that is not an IRI. */
	const char *xapi_activity_base;
	const char *xapi_account_home; /**< see xapi_activity_base; may be NULL */
} somo_player_opts;

#define SOMO_PLAYER_OPTS_VERSION 1
#define SOMO_PLAYER_OPTS_INIT                                                                      \
	{                                                                                          \
		SOMO_PLAYER_OPTS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL,    \
		    NULL                                                                           \
	}

/**
 * Open the package at path (a .zip or a folder: SCORM 1.2, SCORM 2004 or a
 * Tin Can package), open the store and the learner's session on it (a
 * learner who has been here before resumes), and start listening on
 * 127.0.0.1. opts may be NULL for the defaults.
 *
 * Returns 0 and sets *out (the caller's: somo_player_close() then
 * somo_player_free()), or a negative SOMO_E* with the reason in
 * somo_error_last(): SOMO_ENOTFOUND, SOMO_EUNSAFE, SOMO_ECORRUPT (the
 * package or the store), SOMO_EUNSUPPORTED (a package that is neither
 * SCORM nor Tin Can), SOMO_EIO (the port cannot be bound), SOMO_EINVAL,
 * SOMO_ENOMEM. *out is NULL on failure.
 */
SOMO_API int somo_player_new(somo_player **out, const char *path, const somo_player_opts *opts);

/**
 * The address to open in a browser, "http://127.0.0.1:PORT/" (borrowed,
 * valid while p lives). NULL for NULL.
 */
SOMO_API const char *somo_player_url(const somo_player *p);

/** The TCP port listened on; 0 for NULL. */
SOMO_API uint16_t somo_player_port(const somo_player *p);

/**
 * Serve for at most timeout_ms milliseconds (0: handle what is ready and
 * return; negative: wait for the next event), handling every request that
 * arrives, then give the outbox a chance to reach the LRS. For hosts with
 * their own loop. Returns 0, 1 when somo_player_stop() was called, or a
 * negative SOMO_E* when the server failed.
 */
SOMO_API int somo_player_run(somo_player *p, int timeout_ms);

/**
 * Serve until somo_player_stop() is called. Returns 0 when stopped, or a
 * negative SOMO_E* when the server failed.
 */
SOMO_API int somo_player_serve(somo_player *p);

/**
 * Ask somo_player_serve() (or the next somo_player_run()) to return. Safe
 * in a signal handler and from another thread; does nothing else.
 */
SOMO_API void somo_player_stop(somo_player *p);

/**
 * Stop serving and commit: the running SCO (if any) is ended as a browser
 * unloading it would end it, the session's state is written to the store,
 * and the outbox is given a last chance to reach the LRS. Calling it again
 * does nothing. Returns 0 when everything is committed, a negative SOMO_E*
 * otherwise (the message says what was not). NULL is a no-op returning 0.
 */
SOMO_API int somo_player_close(somo_player *p);

/** Free a player, closing it first if somo_player_close() was not called. NULL is a no-op. */
SOMO_API void somo_player_free(somo_player *p);

#ifdef __cplusplus
}
#endif
#endif
