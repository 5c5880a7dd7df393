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

#include "cli_util.h"
#include "commands.h"
#include "somo.h"
#include "util/util.h"

static int usage(void)
{
	fprintf(stderr, "usage: somo validate PACKAGE [--strict]\n");
	return 2;
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
	somo_manifest *man = NULL;
	somo_diag d;
	int rc = somo_cli_manifest_file(&man, path, &d);

	if (rc == SOMO_EIO)
		return 2;
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
	const char *path = NULL;
	bool strict = false, ims;
	int i, rc;
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_diag d;

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
	if (somo_cli_lone_xml(path, &ims))
		return ims ? validate_file(path, strict)
		           : somo_cli_validate_cmi5_file(path, strict);
	if (somo_package_open(&pkg, path, NULL) < 0) {
		fprintf(stderr, "somo: %s: %s\n", path, somo_error_last()->message);
		return 2;
	}
	switch (somo_cli_pkg_kind_of(pkg)) {
	case SOMO_CLI_PKG_SCORM:
		break;
	case SOMO_CLI_PKG_CMI5:
		rc = somo_cli_validate_cmi5(pkg, strict);
		somo_package_free(pkg);
		return rc;
	case SOMO_CLI_PKG_TINCAN:
		rc = somo_cli_validate_tincan(pkg, strict);
		somo_package_free(pkg);
		return rc;
	case SOMO_CLI_PKG_NONE:
		somo_cli_no_manifest(pkg, path, stdout, "error: ");
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
