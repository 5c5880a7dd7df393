/* somo: the command line of libsomo. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "somo.h"

/* Add a subcommand: declare it in commands.h, list it here. */
const somo_cli_command somo_cli_commands[] = {
	{"version", somo_cmd_version, "somo version"},
	{"inspect", somo_cmd_inspect, "somo inspect PACKAGE [--json]"},
	{"validate", somo_cmd_validate, "somo validate PACKAGE [--strict]"},
	{"xapi", somo_cmd_xapi, "somo xapi validate [--xapi 1.0.3|2.0] FILE|-"},
	{"rte", somo_cmd_rte, "somo rte [--scorm 1.2|2004] [--init FILE.json] [--state FILE] [--shared FILE] [--lenient]"},
	{"play", somo_cmd_play, "somo play PACKAGE [--learner ID --name NAME] [--port N] [--db FILE] [--lrs URL --lrs-user U --lrs-password-file F] [--open]"},
	{"session", somo_cmd_session, "somo session PACKAGE [--learner ID] [--name NAME] [--db FILE] [--seed N] [--lenient]"},
	{"learners", somo_cmd_learners, "somo learners [--db FILE] [--json]"},
	{"attempts", somo_cmd_attempts, "somo attempts PACKAGE [--db FILE] [--json]"},
	{"export", somo_cmd_export, "somo export LEARNER --json [--db FILE]"},
	{"lrs", somo_cmd_lrs, "somo lrs send FILE.json|- | sync | status [--lrs URL --lrs-user U --lrs-password-file F] [--db FILE] [--json]"},
	{NULL, NULL, NULL},
};

int somo_cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("somo %s\n", somo_version());
	return 0;
}

static void usage(FILE *f)
{
	const somo_cli_command *c;

	fprintf(f, "usage: somo <command> [options]\n\ncommands:\n");
	for (c = somo_cli_commands; c->name; c++)
		fprintf(f, "  %s\n", c->usage);
}

int main(int argc, char **argv)
{
	const somo_cli_command *c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return somo_cmd_version(argc - 1, argv + 1);
	for (c = somo_cli_commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "somo: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
