/*
 * The player handle: opens the package, the store, the learner's session
 * (SCORM) or registration (Tin Can) and the LRS client, then serves.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, sigaction types, ssize_t */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "player/player_int.h"
#include "util/text.h"

#define DEFAULT_MAX_BODY        (1u << 20)
#define DEFAULT_MAX_HEADER      (16u * 1024u)
#define DEFAULT_MAX_CONNECTIONS 64u

static int make_token(somo_player *p)
{
	char a[37], b[37];
	size_t i, j = 0;
	char *auth;
	char *userpass;

	if (somo__uuid_v4(a) < 0 || somo__uuid_v4(b) < 0)
		return somo__error(SOMO_EIO, "no randomness for the launch token");
	for (i = 0; a[i]; i++)
		if (a[i] != '-')
			p->token[j++] = a[i];
	for (i = 0; b[i]; i++)
		if (b[i] != '-')
			p->token[j++] = b[i];
	p->token[j] = '\0';
	userpass = somo__sprintf("somo:%s", p->token);
	auth = userpass ? somo__player_base64(userpass, strlen(userpass)) : NULL;
	somo__free(userpass);
	if (!auth)
		return somo__error_oom();
	snprintf(p->xapi_auth, sizeof(p->xapi_auth), "Basic %s", auth);
	somo__free(auth);
	return 0;
}

typedef struct {
	char *latest;
} reg_find;

static int last_registration(const somo_store_registration *rec, void *payload)
{
	reg_find *f = payload;

	somo__free(f->latest);
	f->latest = somo__strdup(rec->id);
	return f->latest ? 0 : SOMO_ENOMEM;
}

/* Tin Can: the learner's registration on the package, made the first time. */
static int open_tincan(somo_player *p, const char *path)
{
	const somo_tincan_activity *a = somo_tincan_launch_activity(p->tc);
	somo_store_learner l = {p->learner_id, p->learner_name};
	somo_store_package pk = {NULL, path, "", NULL, "tincan"};
	reg_find f = {NULL};
	char id[37];
	int rc;

	if (!a || !a->launch)
		return somo__error(SOMO_EINVALID, "tincan.xml has no activity with a launch");
	p->title = somo__strdup(somo_tincan_text_get(&a->name, NULL));
	p->package_id = somo__strdup(a->id);
	if (!p->title || !p->package_id)
		return somo__error_oom();
	pk.id = p->package_id;
	pk.title = p->title;
	if ((rc = somo_store_learner_put(p->store, &l)) < 0 ||
	    (rc = somo_store_package_put(p->store, &pk)) < 0 ||
	    (rc = somo_store_registration_list(p->store, p->learner_id, p->package_id,
	                                       last_registration, &f)) < 0) {
		somo__free(f.latest);
		return rc;
	}
	if (!f.latest) {
		somo_store_registration r = {id, p->learner_id, p->package_id, 0};

		if ((rc = somo__uuid_v4(id)) < 0 ||
		    (rc = somo_store_registration_put(p->store, &r)) < 0)
			return rc;
		f.latest = somo__strdup(id);
		if (!f.latest)
			return somo__error_oom();
	}
	p->registration = f.latest;
	return 0;
}

/* The default xAPI activity base of a package with this manifest identifier:
 * an http(s) IRI as it is (with "/" added), anything else in a URN. */
static char *default_activity_base(const char *ident)
{
	somo__buf b = SOMO__BUF_INIT;
	const unsigned char *c;
	size_t n = ident ? strlen(ident) : 0;

	if (n && (!strncmp(ident, "http://", 7) || !strncmp(ident, "https://", 8)) &&
	    !strpbrk(ident, " <>\"{}|\\^`#?") && somo__iri_valid(ident))
		return somo__sprintf("%s%s", ident, ident[n - 1] == '/' ? "" : "/");
	if (somo__buf_puts(&b, "urn:somo:package:") < 0)
		return NULL;
	for (c = (const unsigned char *)(n ? ident : "package"); *c; c++) {
		int rc;

		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~", *c))
			rc = somo__buf_putc(&b, (char)*c);
		else
			rc = somo__buf_printf(&b, "%%%02X", *c);
		if (rc < 0) {
			somo__buf_free(&b);
			return NULL;
		}
	}
	if (somo__buf_putc(&b, ':') < 0) {
		somo__buf_free(&b);
		return NULL;
	}
	return somo__buf_detach(&b);
}

static int open_scorm(somo_player *p, const char *path, const somo_player_opts *o)
{
	somo_session_opts so = SOMO_SESSION_OPTS_INIT;
	char *base = NULL;
	const somo_manifest_org *org = somo_manifest_default_org(p->man);
	const somo_metadata *md = somo_manifest_metadata(p->man);
	somo_standard std = somo_manifest_standard(p->man);
	int rc;

	if (std != SOMO_STANDARD_SCORM12 && std != SOMO_STANDARD_SCORM2004)
		return somo__error(SOMO_EUNSUPPORTED, "%s: a %s package, not SCORM 1.2 or 2004",
		                   path, somo_standard_name(std));
	so.package_path = path;
	so.learner_name = p->learner_name;
	if (o->xapi_activity_base && *o->xapi_activity_base) {
		size_t n = strlen(o->xapi_activity_base);

		if (!somo__iri_valid(o->xapi_activity_base) ||
		    !strchr("/:", o->xapi_activity_base[n - 1]))
			return somo__error(SOMO_EINVAL,
			                   "the xAPI activity base '%s' is not an absolute IRI "
			                   "ending in '/' or ':'",
			                   o->xapi_activity_base);
		so.xapi_activity_base = o->xapi_activity_base;
	} else if (!(so.xapi_activity_base = base =
	                 default_activity_base(somo_manifest_identifier(p->man))))
		return somo__error_oom();
	if (o->xapi_account_home && *o->xapi_account_home &&
	    !somo__iri_valid(o->xapi_account_home)) {
		somo__free(base);
		return somo__error(SOMO_EINVAL, "the xAPI account home page '%s' is not an IRI",
		                   o->xapi_account_home);
	}
	so.xapi_account_home = o->xapi_account_home && *o->xapi_account_home ? o->xapi_account_home
	                                                                     : "http://127.0.0.1/";
	rc = somo_session_open(&p->ses, p->store, p->man, p->learner_id, &so);
	somo__free(base);
	if (rc < 0)
		return rc;
	if (org && org->title && org->title[0])
		p->title = somo__strdup(org->title);
	else if (md && md->title)
		p->title = somo__strdup(md->title);
	else
		p->title = somo__strdup(somo_manifest_identifier(p->man));
	return p->title ? 0 : somo__error_oom();
}

int somo_player_new(somo_player **out, const char *path, const somo_player_opts *opts)
{
	somo_player_opts o = SOMO_PLAYER_OPTS_INIT;
	somo_player *p;
	somo_diag diag;
	int rc;

	if (!out || !path)
		return somo__error(SOMO_EINVAL, "somo_player_new: NULL argument");
	*out = NULL;
	if (opts) {
		if (opts->version != SOMO_PLAYER_OPTS_VERSION)
			return somo__error(SOMO_EINVAL, "somo_player_opts: unknown version %u",
			                   opts->version);
		o = *opts;
	}
	if (!(p = somo__calloc(1, sizeof(*p))))
		return somo__error_oom();
	p->max_body = o.max_body ? o.max_body : DEFAULT_MAX_BODY;
	p->max_header = o.max_header ? o.max_header : DEFAULT_MAX_HEADER;
	p->max_connections = o.max_connections ? o.max_connections : DEFAULT_MAX_CONNECTIONS;
	p->learner_id = somo__strdup(o.learner_id && *o.learner_id ? o.learner_id : "learner");
	p->learner_name =
	    somo__strdup(o.learner_name && *o.learner_name ? o.learner_name : p->learner_id);
	if (!p->learner_id || !p->learner_name) {
		rc = somo__error_oom();
		goto fail;
	}
	if ((rc = make_token(p)) < 0 || (rc = somo_package_open(&p->pkg, path, NULL)) < 0)
		goto fail;
	rc = o.db_path ? somo_store_open_sqlite(&p->store, o.db_path, NULL)
	               : somo_store_open_memory(&p->store, NULL);
	if (rc < 0)
		goto fail;
	if (somo_package_stat(p->pkg, "imsmanifest.xml", NULL) == 0) {
		p->kind = SOMO__PLAY_SCORM;
		memset(&diag, 0, sizeof(diag));
		if ((rc = somo_manifest_load(&p->man, p->pkg, NULL, &diag)) < 0) {
			if (rc == SOMO_EPARSE)
				somo__error(rc, "%s:%d: %s", diag.file, diag.line, diag.text);
			goto fail;
		}
		rc = open_scorm(p, path, &o);
	} else if (somo_package_stat(p->pkg, "tincan.xml", NULL) == 0) {
		p->kind = SOMO__PLAY_TINCAN;
		memset(&diag, 0, sizeof(diag));
		if ((rc = somo_tincan_load(&p->tc, p->pkg, &diag)) < 0) {
			if (rc == SOMO_EPARSE)
				somo__error(rc, "%s:%d: %s", diag.file, diag.line, diag.text);
			goto fail;
		}
		rc = open_tincan(p, path);
	} else if (somo_package_stat(p->pkg, "cmi5.xml", NULL) == 0) {
		rc = somo__error(SOMO_EUNSUPPORTED,
		                 "%s: a cmi5 course; the player does not launch cmi5 courses yet",
		                 path);
	} else {
		rc = somo__error(SOMO_EUNSUPPORTED,
		                 "%s: no imsmanifest.xml or tincan.xml at the package root", path);
	}
	if (rc < 0)
		goto fail;
	if (o.lrs_url) {
		somo_lrs_opts lo = SOMO_LRS_OPTS_INIT;

		lo.endpoint = o.lrs_url;
		lo.username = o.lrs_user;
		lo.password = o.lrs_password;
		lo.outbox = p->store;
		if ((rc = somo_lrs_new(&p->lrs, &lo)) < 0)
			goto fail;
	}
	if ((rc = somo__player_http_start(p, o.port)) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	p->closed = true; /* nothing ran yet: nothing to commit */
	somo_player_free(p);
	return rc;
}

const char *somo_player_url(const somo_player *p)
{
	return p ? p->url : NULL;
}

uint16_t somo_player_port(const somo_player *p)
{
	return p ? p->port : 0;
}

int somo_player_run(somo_player *p, int timeout_ms)
{
	int rc;

	if (!p)
		return somo__error(SOMO_EINVAL, "somo_player_run: NULL player");
	if (p->stop)
		return 1;
	if ((rc = somo__player_http_run(p, timeout_ms)) < 0)
		return rc;
	if (p->lrs)
		(void)somo_lrs_perform(p->lrs, NULL); /* failures stay in the outbox, retried */
	return p->stop ? 1 : 0;
}

int somo_player_serve(somo_player *p)
{
	int rc;

	/* short turns so that a stop request (a signal) is seen promptly */
	while ((rc = somo_player_run(p, p && p->lrs ? 50 : 200)) == 0)
		;
	return rc < 0 ? rc : 0;
}

void somo_player_stop(somo_player *p)
{
	if (p)
		p->stop = 1;
}

int somo_player_close(somo_player *p)
{
	int rc = 0;

	if (!p || p->closed)
		return 0;
	p->closed = true;
	somo__player_http_stop(p);
	rc = somo__player_commit_all(p);
	if (p->lrs && somo_lrs_drain(p->lrs, 3000) < 0 && rc == 0) {
		/* statements that did not reach the LRS stay in the outbox: not lost */
		somo_error_clear();
	}
	return rc;
}

void somo_player_free(somo_player *p)
{
	if (!p)
		return;
	somo_player_close(p);
	somo__player_http_stop(p);
	somo__player_cache_free(p);
	somo_lrs_free(p->lrs);
	somo_session_free(p->ses);
	somo_store_close(p->store);
	somo_manifest_free(p->man);
	somo_tincan_free(p->tc);
	somo_package_free(p->pkg);
	somo__free(p->title);
	somo__free(p->learner_id);
	somo__free(p->learner_name);
	somo__free(p->package_id);
	somo__free(p->registration);
	somo__free(p);
}
