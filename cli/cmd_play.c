/*
 * somo play PACKAGE [--learner ID --name NAME] [--port N] [--db FILE]
 *                   [--lrs URL --lrs-user U --lrs-password-file F] [--open]
 *                   [--xapi-base IRI] [--xapi-home IRL]
 *
 * Serves the package on 127.0.0.1 and prints the address to open on
 * standard output (one line). The learner's records go to the store (by
 * default $XDG_DATA_HOME/somo/somo.db, or ~/.local/share/somo/somo.db);
 * statements to its outbox, synced to the LRS when one is given.
 * SIGINT or SIGTERM stops it with everything committed.
 */
#define _POSIX_C_SOURCE 200809L /* sigaction, posix_spawnp */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "commands.h"
#include "somo.h"
#include "somo/player.h"

extern char **environ;

static somo_player *playing;

static void on_signal(int sig)
{
	(void)sig;
	somo_player_stop(playing); /* only sets a flag: safe here */
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: somo play PACKAGE [--learner ID --name NAME] [--port N] [--db FILE]\n"
	        "                 [--lrs URL --lrs-user U --lrs-password-file F] [--open]\n"
	        "                 [--xapi-base IRI] [--xapi-home IRL]\n");
	return 2;
}

/* mkdir -p of the folders above path, private to the user. */
static int make_parents(char *path)
{
	char *s;

	for (s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

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
	if (path && make_parents(path) < 0) {
		fprintf(stderr, "somo play: cannot create the folder of %s: %s\n", path,
		        strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

/* The first line of a file (the LRS password), without its newline. */
static char *read_secret(const char *file)
{
	FILE *f = fopen(file, "r");
	char buf[1024];
	size_t n;

	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return strdup(buf);
}

static void open_browser(const char *url)
{
	char *argv[] = {"xdg-open", (char *)url, NULL};
	pid_t pid;

	signal(SIGCHLD, SIG_IGN); /* the opener is not waited for: let it be reaped */
	if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
		fprintf(stderr, "somo play: could not open a browser; open %s yourself\n", url);
}

int somo_cmd_play(int argc, char **argv)
{
	somo_player_opts o = SOMO_PLAYER_OPTS_INIT;
	const char *package = NULL, *db = NULL, *pwfile = NULL;
	char *db_default = NULL, *password = NULL;
	int open = 0, i, rc, status = 0;
	struct sigaction sa;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--open")) {
			open = 1;
			continue;
		}
		if (a[0] == '-' && a[1] == '-' && !v) {
			fprintf(stderr, "somo play: %s needs a value\n", a);
			return usage();
		}
		if (!strcmp(a, "--learner")) {
			o.learner_id = v;
		} else if (!strcmp(a, "--name")) {
			o.learner_name = v;
		} else if (!strcmp(a, "--port")) {
			char *end;
			long port = strtol(v, &end, 10);

			if (*end || port < 0 || port > 65535) {
				fprintf(stderr, "somo play: --port %s is not a port number\n", v);
				return 2;
			}
			o.port = (uint16_t)port;
		} else if (!strcmp(a, "--db")) {
			db = v;
		} else if (!strcmp(a, "--lrs")) {
			o.lrs_url = v;
		} else if (!strcmp(a, "--lrs-user")) {
			o.lrs_user = v;
		} else if (!strcmp(a, "--lrs-password-file")) {
			pwfile = v;
		} else if (!strcmp(a, "--xapi-base")) {
			o.xapi_activity_base = v;
		} else if (!strcmp(a, "--xapi-home")) {
			o.xapi_account_home = v;
		} else if (a[0] == '-') {
			fprintf(stderr, "somo play: unknown option %s\n", a);
			return usage();
		} else if (!package) {
			package = a;
			continue;
		} else {
			return usage();
		}
		i++;
	}
	if (!package)
		return usage();
	if (pwfile) {
		if (!(password = read_secret(pwfile))) {
			fprintf(stderr, "somo play: cannot read the LRS password from %s\n",
			        pwfile);
			return 2;
		}
		o.lrs_password = password;
	}
	if (!db && !(db = db_default = default_db())) {
		fprintf(stderr, "somo play: no --db given and no $HOME or $XDG_DATA_HOME\n");
		free(password);
		return 2;
	}
	o.db_path = db;
	rc = somo_player_new(&playing, package, &o);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	if (rc < 0) {
		fprintf(stderr, "somo play: %s\n", somo_error_last()->message);
		free(db_default);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	printf("%s\n", somo_player_url(playing));
	fflush(stdout);
	fprintf(stderr, "somo play: serving %s for learner '%s' (records in %s); Ctrl-C stops\n",
	        package, o.learner_id ? o.learner_id : "learner", db);
	if (open)
		open_browser(somo_player_url(playing));

	if (somo_player_serve(playing) < 0) {
		fprintf(stderr, "somo play: %s\n", somo_error_last()->message);
		status = 1;
	}
	if (somo_player_close(playing) < 0) {
		fprintf(stderr, "somo play: %s\n", somo_error_last()->message);
		status = 1;
	} else {
		fprintf(stderr, "somo play: stopped, everything committed\n");
	}
	somo_player_free(playing);
	playing = NULL;
	free(db_default);
	return status;
}
