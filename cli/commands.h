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
int somo_cmd_xapi(int argc, char **argv);
int somo_cmd_rte(int argc, char **argv);
int somo_cmd_inspect(int argc, char **argv);
int somo_cmd_validate(int argc, char **argv);
int somo_cmd_play(int argc, char **argv);
int somo_cmd_session(int argc, char **argv);
int somo_cmd_learners(int argc, char **argv);
int somo_cmd_attempts(int argc, char **argv);
int somo_cmd_export(int argc, char **argv);
int somo_cmd_lrs(int argc, char **argv);

#endif

/*
 * somo inspect and somo validate dispatch on what the package holds
 * (cmd_inspect.c, cmd_validate.c); cmi5 courses and Tin Can packages are
 * handled by these (inspect_cmi5.c, inspect_tincan.c). They return the
 * command's exit status.
 */
struct somo_package;
int somo_cli_inspect_cmi5(struct somo_package *pkg, int json);
int somo_cli_validate_cmi5(struct somo_package *pkg, int strict);
/* A course structure given alone as PATH (cmi5.xml without a zip, cmi5 14.2). */
int somo_cli_inspect_cmi5_file(const char *path, int json);
int somo_cli_validate_cmi5_file(const char *path, int strict);
int somo_cli_inspect_tincan(struct somo_package *pkg, int json);
int somo_cli_validate_tincan(struct somo_package *pkg, int strict);
