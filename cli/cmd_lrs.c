/*
 * somo lrs send FILE.json|- --lrs URL [--lrs-user U --lrs-password-file F] [--db FILE]
 * somo lrs sync --lrs URL [--lrs-user U --lrs-password-file F] [--db FILE] [--timeout S]
 * somo lrs status [--db FILE] [--json]
 *
 * send: puts the statement (or array of statements) of FILE into the outbox
 * and delivers the outbox; prints each statement's id. sync: delivers what
 * the outbox holds (what `somo play` queued), with a progress bar when
 * standard error is a terminal. status: what the outbox holds, with the
 * LRS's message for each parked statement.
 *
 * The outbox is the store --db names; by default the one `somo play` uses
 * ($XDG_DATA_HOME/somo/somo.db or ~/.local/share/somo/somo.db). The
 * password is read from a file, never taken on the command line.
 *
 * Exit 0: everything delivered (status: nothing pending or parked); 1:
 * statements remain (the LRS is unreachable, refused the credentials or
 * parked some); 2: a usage error, an unreadable file or store.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "somo.h"

typedef struct {
	const char *url, *user, *pwfile, *db, *file;
	int json, timeout_s;
} lrs_args;

static int usage(void)
{
	fprintf(stderr, "usage: somo lrs send FILE.json|- --lrs URL [--lrs-user U "
	                "--lrs-password-file F] [--db FILE]\n"
	                "       somo lrs sync --lrs URL [--lrs-user U --lrs-password-file F] [--db "
	                "FILE] [--timeout S]\n"
	                "       somo lrs status [--db FILE] [--json]\n");
	return 2;
}

/* `somo play`'s store; its folder is made when missing. */
static char *default_db(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *path = NULL;
	size_t n;

	if (xdg && xdg[0] == '/') {
		n = strlen(xdg) + 32;
		if ((path = malloc(n)))
			snprintf(path, n, "%s/somo/somo.db", xdg);
	} else if (home && home[0]) {
		n = strlen(home) + 48;
		if ((path = malloc(n)))
			snprintf(path, n, "%s/.local/share/somo/somo.db", home);
	}
	for (char *s = path ? path + 1 : NULL; s && (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			free(path);
			return NULL;
		}
		*s = '/';
	}
	return path;
}

static char *read_secret(const char *file)
{
	char line[4096];
	FILE *f = fopen(file, "r");
	if (!f)
		return NULL;
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	char *s = strdup(line);
	memset(line, 0, sizeof line);
	return s;
}

static int open_store(const char *cmd, const lrs_args *a, somo_store **st)
{
	char *def = a->db ? NULL : default_db();
	const char *db = a->db ? a->db : def;
	int rc;

	if (!db) {
		fprintf(stderr, "somo lrs %s: no --db and no home folder for the default store\n",
		        cmd);
		return 2;
	}
	if ((rc = somo_store_open_sqlite(st, db, NULL)) < 0)
		fprintf(stderr, "somo lrs %s: %s\n", cmd, somo_error_last()->message);
	free(def);
	return rc < 0 ? 2 : 0;
}

static int make_client(const char *cmd, const lrs_args *a, somo_store *st, somo_lrs **l)
{
	somo_lrs_opts o = SOMO_LRS_OPTS_INIT;
	char *password = NULL;
	int rc;

	if (!a->url) {
		fprintf(stderr, "somo lrs %s: --lrs URL is required\n", cmd);
		return 2;
	}
	if (a->pwfile && !(password = read_secret(a->pwfile))) {
		fprintf(stderr, "somo lrs %s: cannot read the LRS password from %s\n", cmd,
		        a->pwfile);
		return 2;
	}
	o.endpoint = a->url;
	o.username = a->user;
	o.password = password;
	o.outbox = st;
	rc = somo_lrs_new(l, &o);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	if (rc < 0) {
		fprintf(stderr, "somo lrs %s: %s\n", cmd, somo_error_last()->message);
		return 2;
	}
	return 0;
}

static void progress(uint64_t done, uint64_t total)
{
	int width = 40, fill = total ? (int)(done * (uint64_t)width / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %llu/%llu delivered", fill,
	        "########################################", width - fill, "",
	        (unsigned long long)done, (unsigned long long)total);
}

/* Pump until nothing is due, the queue stops or timeout_s passes. */
static int deliver(const char *cmd, somo_lrs *l, int timeout_s)
{
	somo_lrs_status s;
	uint64_t start_delivered, total;
	int bar = isatty(2), running = 1, rc = 0;
	time_t end = time(NULL) + timeout_s;

	if (somo_lrs_get_status(l, &s) < 0)
		return 2;
	start_delivered = s.delivered;
	total = s.pending;
	/* Asked for now: statements an earlier failure put off go too. */
	somo_lrs_resume(l);
	somo_lrs_flush(l);
	while ((running || s.pending) && !s.stopped && time(NULL) < end) {
		if ((rc = somo_lrs_poll(l, 200, &running)) < 0)
			break;
		somo_lrs_flush(l);
		if (somo_lrs_get_status(l, &s) == 0 && bar)
			progress(s.delivered - start_delivered, total);
	}
	if (bar)
		fputc('\n', stderr);
	somo_lrs_get_status(l, &s);
	if (rc < 0 || s.stopped)
		fprintf(stderr, "somo lrs %s: %s\n", cmd,
		        s.message[0] ? s.message : somo_error_last()->message);
	else if (s.pending)
		fprintf(stderr, "somo lrs %s: %llu statements still pending: %s\n", cmd,
		        (unsigned long long)s.pending,
		        s.message[0] ? s.message : "the LRS did not answer in time");
	if (s.parked)
		fprintf(stderr, "somo lrs %s: %llu statements parked (see somo lrs status)\n", cmd,
		        (unsigned long long)s.parked);
	return (rc < 0 || s.stopped || s.pending || s.parked) ? 1 : 0;
}

static int cmd_send(const lrs_args *a)
{
	somo_store *st = NULL;
	somo_lrs *l = NULL;
	json_t *root = NULL;
	json_error_t je;
	int rc;

	if (!a->file)
		return usage();
	root = strcmp(a->file, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
	                                 : json_load_file(a->file, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		fprintf(stderr, "somo lrs send: %s:%d:%d: %s\n", a->file, je.line, je.column,
		        je.text);
		return 2;
	}
	if ((rc = open_store("send", a, &st)) || (rc = make_client("send", a, st, &l)))
		goto out;
	size_t n = json_is_array(root) ? json_array_size(root) : 1;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_is_array(root) ? json_array_get(root, i) : root;
		char *text = json_dumps(v, JSON_COMPACT), id[37];
		if (!text || somo_lrs_enqueue_json(l, text, strlen(text), id) < 0) {
			fprintf(stderr, "somo lrs send: statement %zu: %s\n", i,
			        somo_error_last()->message);
			free(text);
			rc = 1;
			continue;
		}
		free(text);
		printf("%s\n", id);
	}
	if (deliver("send", l, a->timeout_s))
		rc = 1;
out:
	somo_lrs_free(l);
	somo_store_close(st);
	json_decref(root);
	return rc;
}

static int cmd_sync(const lrs_args *a)
{
	somo_store *st = NULL;
	somo_lrs *l = NULL;
	int rc;

	if ((rc = open_store("sync", a, &st)) || (rc = make_client("sync", a, st, &l)))
		goto out;
	rc = deliver("sync", l, a->timeout_s);
out:
	somo_lrs_free(l);
	somo_store_close(st);
	return rc;
}

typedef struct {
	json_t *parked;
	int json;
} parked_ctx;

static int list_parked(const somo_store_outbox_entry *e, void *p)
{
	parked_ctx *c = p;
	if (c->json)
		json_array_append_new(c->parked,
		                      json_pack("{s:s,s:s,s:I}", "id", e->id, "message", e->message,
		                                "attempts", (json_int_t)e->attempts));
	else
		printf("parked %s: %s\n", e->id, e->message);
	return 0;
}

static int cmd_status(const lrs_args *a)
{
	somo_store *st = NULL;
	somo_store_outbox_counts c;
	parked_ctx pc = {NULL, a->json};
	int rc;

	if ((rc = open_store("status", a, &st)))
		return rc;
	if (somo_store_outbox_count(st, &c) < 0) {
		fprintf(stderr, "somo lrs status: %s\n", somo_error_last()->message);
		somo_store_close(st);
		return 2;
	}
	if (a->json) {
		pc.parked = json_array();
		somo_store_outbox_list(st, SOMO_STORE_OUTBOX_PARKED, 1000, list_parked, &pc);
		json_t *out = json_pack("{s:I,s:I,s:I,s:o}", "pending", (json_int_t)c.pending,
		                        "delivered", (json_int_t)c.delivered, "parked",
		                        (json_int_t)c.parked, "parked_statements", pc.parked);
		char *s = json_dumps(out, JSON_COMPACT);
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(out);
	} else {
		printf("pending %llu\ndelivered %llu\nparked %llu\n", (unsigned long long)c.pending,
		       (unsigned long long)c.delivered, (unsigned long long)c.parked);
		somo_store_outbox_list(st, SOMO_STORE_OUTBOX_PARKED, 1000, list_parked, &pc);
	}
	somo_store_close(st);
	return (c.pending || c.parked) ? 1 : 0;
}

int somo_cmd_lrs(int argc, char **argv)
{
	lrs_args a = {NULL, NULL, NULL, NULL, NULL, 0, 60};
	const char *sub;

	if (argc < 2)
		return usage();
	sub = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "--lrs") && i + 1 < argc)
			a.url = argv[++i];
		else if (!strcmp(o, "--lrs-user") && i + 1 < argc)
			a.user = argv[++i];
		else if (!strcmp(o, "--lrs-password-file") && i + 1 < argc)
			a.pwfile = argv[++i];
		else if (!strcmp(o, "--db") && i + 1 < argc)
			a.db = argv[++i];
		else if (!strcmp(o, "--timeout") && i + 1 < argc)
			a.timeout_s = atoi(argv[++i]);
		else if (!strcmp(o, "--json"))
			a.json = 1;
		else if ((o[0] != '-' || !strcmp(o, "-")) && !a.file)
			a.file = o;
		else
			return usage();
	}
	if (a.timeout_s <= 0)
		a.timeout_s = 60;
	if (!strcmp(sub, "send"))
		return cmd_send(&a);
	if (!strcmp(sub, "sync") && !a.file)
		return cmd_sync(&a);
	if (!strcmp(sub, "status") && !a.file)
		return cmd_status(&a);
	return usage();
}
