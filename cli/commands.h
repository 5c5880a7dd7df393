/* The somo command's subcommands: each is one file cmd_<name>.c. */
#ifndef SOMO_CLI_COMMANDS_H
#define SOMO_CLI_COMMANDS_H

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
	const char *usage;
} somo_cli_command;

/* The table, in cli/main.c. */
extern const somo_cli_command somo_cli_commands[];

int somo_cmd_version(int argc, char **argv);

#endif
