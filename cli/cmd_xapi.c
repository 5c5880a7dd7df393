/*
 * somo xapi validate [--xapi 1.0.3|2.0] FILE|-
 *
 * Checks a statement, or an array of statements, against the xAPI rules.
 * Exit 0 when valid; 1 when invalid, with one line per problem on standard
 * output, "PATH: problem" (PATH a JSON path such as $.actor.mbox or
 * $[2].verb.id); 2 when the input cannot be read or is not JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "somo.h"
#include "util/util.h"

#define XAPI_CLI_MAX_BYTES ((size_t)64 * 1024 * 1024)

static int usage(void)
{
	fprintf(stderr, "usage: somo xapi validate [--xapi 1.0.3|2.0] FILE|-\n");
	return 2;
}

/* Read all of f, at most max bytes. */
static int read_all(FILE *f, size_t max, somo__buf *b)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > max)
			return SOMO_ELIMIT;
		if (somo__buf_put(b, chunk, n) < 0)
			return SOMO_ENOMEM;
	}
	return ferror(f) ? SOMO_EIO : 0;
}

/* --xapi 1.0.3|2.0 (also 2.0.0): -1 after saying so when v is neither. */
static int xapi_version(const char *v, somo_xapi_validate_opts *opts)
{
	if (strcmp(v, "1.0.3") == 0)
		opts->xapi = SOMO_XAPI_1_0_3;
	else if (strcmp(v, "2.0") == 0 || strcmp(v, "2.0.0") == 0)
		opts->xapi = SOMO_XAPI_2_0;
	else {
		fprintf(stderr, "somo xapi validate: unknown xAPI version '%s' (1.0.3 or 2.0)\n",
		        v);
		return -1;
	}
	return 0;
}

static int xapi_validate(int argc, char **argv)
{
	somo_xapi_validate_opts opts = SOMO_XAPI_VALIDATE_OPTS_INIT;
	somo_xapi_problems *probs = NULL;
	somo__buf text = SOMO__BUF_INIT;
	const char *file = NULL;
	somo_diag diag;
	FILE *f;
	size_t i;
	int rc, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--xapi") == 0 && a + 1 < argc) {
			if (xapi_version(argv[++a], &opts) < 0)
				return 2;
		} else if (strncmp(argv[a], "--xapi=", 7) == 0) {
			if (xapi_version(argv[a] + 7, &opts) < 0)
				return 2;
		} else if (argv[a][0] == '-' && argv[a][1] != '\0') {
			return usage();
		} else if (file == NULL) {
			file = argv[a];
		} else {
			return usage();
		}
	}
	if (file == NULL)
		return usage();
	f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (f == NULL) {
		fprintf(stderr, "somo xapi validate: %s: cannot open\n", file);
		return 2;
	}
	rc = read_all(f, XAPI_CLI_MAX_BYTES, &text);
	if (f != stdin)
		fclose(f);
	if (rc < 0) {
		fprintf(stderr, "somo xapi validate: %s: %s\n", file,
		        rc == SOMO_ELIMIT ? "larger than 64 MiB" : somo_strerror(rc));
		somo__buf_free(&text);
		return 2;
	}
	opts.max_problems = 100000;
	opts.max_bytes = XAPI_CLI_MAX_BYTES;
	memset(&diag, 0, sizeof(diag));
	rc = somo_xapi_validate_json(text.ptr ? text.ptr : "", text.len, &opts, &probs, &diag);
	somo__buf_free(&text);
	if (rc == SOMO_EPARSE || rc == SOMO_ELIMIT) {
		fprintf(stderr, "%s:%d:%d: not JSON: %s\n", file, diag.line, diag.column,
		        diag.text);
		return 2;
	}
	if (rc < 0 && rc != SOMO_EINVALID) {
		fprintf(stderr, "somo xapi validate: %s: %s\n", file, somo_error_last()->message);
		somo_xapi_problems_free(probs);
		return 2;
	}
	for (i = 0; i < somo_xapi_problems_count(probs); i++)
		printf("%s: %s\n", somo_xapi_problems_path(probs, i),
		       somo_xapi_problems_message(probs, i));
	somo_xapi_problems_free(probs);
	return rc == 0 ? 0 : 1;
}

int somo_cmd_xapi(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "validate") == 0)
		return xapi_validate(argc - 1, argv + 1);
	return usage();
}
