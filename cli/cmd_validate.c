/*
 * somo validate PACKAGE [--strict]
 *
 * Checks a package's manifest (imsmanifest.xml, else cmi5.xml, else
 * tincan.xml at the root). Lenient by default: what real authoring tools
 * emit is reported as warnings and only a package that cannot be played is
 * invalid. --strict applies every requirement of the SCORM CAM book.
 * One line per finding on standard output, "file:line: severity: text".
 * Exit 0 valid, 1 invalid (including a missing or malformed manifest),
 * 2 unreadable (the package cannot be opened) or a wrong command line.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "somo.h"
#include "util/util.h"

static int usage(void)
{
	fprintf(stderr, "usage: somo validate PACKAGE [--strict]\n");
	return 2;
}

static bool root_has(somo_package *pkg, const char *name)
{
	somo_package_entry e;
	bool r = somo_package_stat(pkg, name, &e) == 0 && !e.is_dir;

	somo_error_clear();
	return r;
}

/*
 * Nothing Somo reads at the package root: say where a manifest sits instead,
 * when one is deeper (a package zipped with its folder).
 */
static void no_manifest(somo_package *pkg, const char *path, FILE *out, const char *prefix)
{
	static const char *const names[] = {"imsmanifest.xml", "cmi5.xml", "tincan.xml"};
	size_t i;

	for (i = 0; i < 3; i++)
		if (somo_package_find_root_file(pkg, names[i]) < 0 &&
		    strstr(somo_error_last()->message, "found at")) {
			const char *m = somo_error_last()->message;
			size_t n = strlen(path);

			if (!strncmp(m, path, n) && m[n] == ':' && m[n + 1] == ' ')
				m += n + 2;
			fprintf(out, "%s:0: %s%s\n", path, prefix, m);
			return;
		}
	fprintf(out, "%s:0: %sno imsmanifest.xml, cmi5.xml or tincan.xml at the package root\n",
	        path, prefix);
}
static const char *severity_name(somo_severity s)
{
	return s == SOMO_SEVERITY_ERROR ? "error" : s == SOMO_SEVERITY_WARNING ? "warning" : "info";
}

static int report(const char *path, const somo_manifest *man, somo_package *pkg, bool strict)
{
	somo_manifest_report *rep = NULL;
	size_t i, errors, count;
	somo_edition ed = somo_manifest_edition(man);

	if (somo_manifest_validate(&rep, man, pkg,
	                           strict ? SOMO_VALIDATE_STRICT : SOMO_VALIDATE_LENIENT) < 0) {
		fprintf(stderr, "somo: %s: %s\n", path, somo_error_last()->message);
		return 2;
	}
	count = somo_manifest_report_count(rep);
	for (i = 0; i < count; i++) {
		const somo_manifest_message *m = somo_manifest_report_at(rep, i);

		printf("%s:%d: %s: %s\n", m->file, m->line, severity_name(m->severity), m->text);
	}
	errors = somo_manifest_report_errors(rep);
	fprintf(stderr, "%s: %s (%s%s%s, %s): %zu error%s, %zu warning%s\n", path,
	        errors ? "invalid" : "valid", somo_standard_name(somo_manifest_standard(man)),
	        ed ? " " : "", somo_edition_name(ed), strict ? "strict" : "lenient", errors,
	        errors == 1 ? "" : "s", count - errors, count - errors == 1 ? "" : "s");
	somo_manifest_report_free(rep);
	return errors ? 1 : 0;
}

static int validate_file(const char *path, bool strict)
{
	FILE *f = fopen(path, "rb");
	somo__buf b = SOMO__BUF_INIT;
	char chunk[65536];
	size_t n;
	somo_manifest *man = NULL;
	somo_diag d;
	int rc;

	if (!f) {
		fprintf(stderr, "somo: %s: cannot open\n", path);
		return 2;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (somo__buf_put(&b, chunk, n) < 0 || b.len > 64u * 1024 * 1024)
			break;
	fclose(f);
	rc = somo_manifest_parse_memory(&man, b.ptr ? b.ptr : "", b.len, path, NULL, &d);
	somo__buf_free(&b);
	if (rc < 0) {
		printf("%s:%d: error: %s\n", path, d.line,
		       d.text[0] ? d.text : somo_error_last()->message);
		return 1;
	}
	rc = report(path, man, NULL, strict);
	somo_manifest_free(man);
	return rc;
}

int somo_cmd_validate(int argc, char **argv)
{
	const char *path = NULL, *slash, *dot;
	bool strict = false;
	int i, rc;
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_diag d;
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--strict"))
			strict = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else if (!path)
			path = argv[i];
		else
			return usage();
	}
	if (!path)
		return usage();
	slash = strrchr(path, '/');
	dot = strrchr(slash ? slash : path, '.');
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && dot && !strcmp(dot, ".xml")) {
		if (!strcmp(slash ? slash + 1 : path, "imsmanifest.xml"))
			return validate_file(path, strict);
		return somo_cli_validate_cmi5_file(path, strict);
	}
	if (somo_package_open(&pkg, path, NULL) < 0) {
		fprintf(stderr, "somo: %s: %s\n", path, somo_error_last()->message);
		return 2;
	}
	if (!root_has(pkg, "imsmanifest.xml")) {
		if (root_has(pkg, "cmi5.xml")) {
			rc = somo_cli_validate_cmi5(pkg, strict);
			somo_package_free(pkg);
			return rc;
		}
		if (root_has(pkg, "tincan.xml")) {
			rc = somo_cli_validate_tincan(pkg, strict);
			somo_package_free(pkg);
			return rc;
		}
		no_manifest(pkg, path, stdout, "error: ");
		somo_package_free(pkg);
		fprintf(stderr, "%s: invalid\n", path);
		return 1;
	}
	if (somo_manifest_load(&man, pkg, NULL, &d) < 0) {
		const char *text = d.text[0] ? d.text : somo_error_last()->message;

		if (d.line > 0)
			printf("%s:%d: error: %s\n", d.file[0] ? d.file : "imsmanifest.xml", d.line,
			       text);
		else
			printf("%s:0: error: %s\n", path, text);
		fprintf(stderr, "%s: invalid\n", path);
		somo_package_free(pkg);
		return 1;
	}
	rc = report(path, man, pkg, strict);
	somo_manifest_free(man);
	somo_package_free(pkg);
	return rc;
}
