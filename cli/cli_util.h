/*
 * What several somo subcommands share: finding what a package holds, reading
 * a manifest given alone, and the JSON-lines protocol of the commands that
 * read calls on standard input (somo rte).
 */
#ifndef SOMO_CLI_UTIL_H
#define SOMO_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "somo.h"

/* What a package holds at its root, in the order Somo looks for it. */
typedef enum {
	SOMO_CLI_PKG_NONE = 0, /* none of imsmanifest.xml, cmi5.xml, tincan.xml */
	SOMO_CLI_PKG_SCORM,    /* imsmanifest.xml */
	SOMO_CLI_PKG_CMI5,     /* cmi5.xml */
	SOMO_CLI_PKG_TINCAN    /* tincan.xml */
} somo_cli_pkg_kind;

/* Which manifest the package's root holds: imsmanifest.xml first, then cmi5.xml, then tincan.xml.
 */
somo_cli_pkg_kind somo_cli_pkg_kind_of(somo_package *pkg);

/*
 * Nothing Somo reads at the package root: writes "PATH:0: PREFIX..." to out,
 * saying where a manifest sits instead when one is deeper (a package zipped
 * with its folder).
 */
void somo_cli_no_manifest(somo_package *pkg, const char *path, FILE *out, const char *prefix);

/*
 * PATH is a regular file named *.xml (a manifest given alone, not a package).
 * *ims is set when it is named imsmanifest.xml.
 */
bool somo_cli_lone_xml(const char *path, bool *ims);

/*
 * Parse an imsmanifest.xml given alone (at most 64 MiB of it is read).
 * Returns 0 with *man, SOMO_EIO after printing "somo: PATH: cannot open" on
 * stderr, or the parser's error with d filled for the caller to print.
 */
int somo_cli_manifest_file(somo_manifest **man, const char *path, somo_diag *d);

/*
 * One line of standard input, without its line end; returns its length, or -1
 * at the end of input. *line and *cap as getline(3) keeps them.
 */
ssize_t somo_cli_getline(char **line, size_t *cap);

/*
 * Write obj as one compact JSON line on standard output and flush; takes the
 * reference. Every input line gets its answer line: when obj is NULL or cannot
 * be written, an {"error": ...} line says so.
 */
void somo_cli_emit(json_t *obj);
/* An {"error": fmt with detail} line (fmt has one %s); at most 255 bytes of text. */
void somo_cli_emit_error(const char *fmt, const char *detail);
/* The i-th string of the call array a; "" when there is none. */
const char *somo_cli_arg(json_t *a, size_t i);
/* call is the SCORM 2004 name or the SCORM 1.2 name of one API function. */
bool somo_cli_call_is(const char *call, const char *name2004, const char *name12);

/*
 * One input line of `somo rte` / `somo session`: a JSON array of strings
 * without NUL characters, ["Call", args...]. Anything else is answered with an
 * {"error":...} line and NULL is returned. The caller json_decref()s the array.
 */
json_t *somo_cli_parse_call(const char *line);

#endif
