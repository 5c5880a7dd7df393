/*
 * The SCORM manifests of the shared corpus, as data (corpus_cases.txt):
 * each loads with the standard and edition it declares, and lenient and
 * strict validation (library and `somo validate`) judge it as the case
 * says, for the reason it says. Also every manifest of the ADL SCORM 2004
 * 4th Edition CTS (all 189) loads as 4th edition without a lenient error.
 *
 *   test-manifest-corpus cases          every case
 *   test-manifest-corpus case NAME      one case
 *   test-manifest-corpus cts            the ADL CTS manifests
 * Exit 77 when the corpus is absent.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <sys/wait.h>

#include "corpus_common.h"
#include <jansson.h>

#include "somo.h"
#include "util/util.h"

static char corpus[1024];
static int failures;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("FAIL: " __VA_ARGS__);                                                      \
		printf("\n");                                                                      \
		failures++;                                                                        \
	} while (0)

static int report_has(const somo_manifest_report *rep, const char *text)
{
	size_t i;
	char line[1200];

	for (i = 0; i < somo_manifest_report_count(rep); i++) {
		const somo_manifest_message *m = somo_manifest_report_at(rep, i);

		snprintf(line, sizeof(line), "%s:%d: %s", m->file, m->line, m->text);
		if (strstr(line, text))
			return 1;
	}
	return 0;
}

static void dump(const somo_manifest_report *rep)
{
	size_t i;

	for (i = 0; i < somo_manifest_report_count(rep); i++) {
		const somo_manifest_message *m = somo_manifest_report_at(rep, i);

		printf("    %s:%d: [%d] %s\n", m->file, m->line, (int)m->severity, m->text);
	}
}

static int run_cli(const char *path, int strict)
{
	char cmd[3000];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s/somo' validate %s'%s' >/dev/null 2>&1", SOMO_BINARY_DIR,
	         strict ? "--strict " : "", path);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void judge(const char *name, const char *mode, const somo_manifest *man, somo_package *pkg,
                  somo_validate_mode vm, const char *want, const char *text)
{
	somo_manifest_report *rep = NULL;
	size_t errors;

	if (somo_manifest_validate(&rep, man, pkg, vm) < 0) {
		FAIL("%s: %s validation failed to run", name, mode);
		return;
	}
	errors = somo_manifest_report_errors(rep);
	if (!strcmp(want, "valid") && errors) {
		FAIL("%s: %s validation found %zu errors, expected valid", name, mode, errors);
		dump(rep);
	} else if (!strcmp(want, "invalid") && !errors) {
		FAIL("%s: %s validation found no error, expected invalid", name, mode);
		dump(rep);
	} else if (strcmp(want, "valid") && strcmp(want, "invalid")) {
		FAIL("%s: %s: the manifest loaded, expected %s", name, mode, want);
	}
	if (strcmp(text, "-") && !report_has(rep, text)) {
		FAIL("%s: %s validation does not say \"%s\"", name, mode, text);
		dump(rep);
	}
	somo_manifest_report_free(rep);
}

static void run_case(char **f)
{
	const char *name = f[0], *std = f[2], *ed = f[3];
	char path[2048], msg[1200];
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_diag d;
	int rc, want_lenient, want_strict;

	snprintf(path, sizeof(path), "%s/%s", corpus, f[1]);
	if (somo_package_open(&pkg, path, NULL) < 0) {
		FAIL("%s: cannot open %s: %s", name, path, somo_error_last()->message);
		return;
	}
	rc = somo_manifest_load(&man, pkg, NULL, &d);
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s:%d: %s", d.file, d.line, d.text);
		if (strcmp(f[4], "unloadable") || strcmp(f[5], "unloadable"))
			FAIL("%s: does not load: %s", name, msg);
		if (strcmp(f[6], "-") && !strstr(msg, f[6]))
			FAIL("%s: load error \"%s\" does not say \"%s\"", name, msg, f[6]);
		if (strcmp(f[7], "-") && !strstr(msg, f[7]))
			FAIL("%s: load error \"%s\" does not say \"%s\"", name, msg, f[7]);
	} else {
		somo_edition e = somo_manifest_edition(man);

		if (strcmp(somo_standard_name(somo_manifest_standard(man)), std))
			FAIL("%s: standard %s, expected %s", name,
			     somo_standard_name(somo_manifest_standard(man)), std);
		if (strcmp(e ? somo_edition_name(e) : "-", ed))
			FAIL("%s: edition \"%s\", expected \"%s\"", name,
			     e ? somo_edition_name(e) : "-", ed);
		judge(name, "lenient", man, pkg, SOMO_VALIDATE_LENIENT, f[4], f[6]);
		judge(name, "strict", man, pkg, SOMO_VALIDATE_STRICT, f[5], f[7]);
	}
	somo_manifest_free(man);
	somo_package_free(pkg);
	/* the command line agrees: 0 valid, 1 invalid or no usable manifest */
	want_lenient = strcmp(f[4], "valid") ? 1 : 0;
	want_strict = strcmp(f[5], "valid") ? 1 : 0;
	if ((rc = run_cli(path, 0)) != want_lenient)
		FAIL("%s: somo validate exited %d, expected %d", name, rc, want_lenient);
	if ((rc = run_cli(path, 1)) != want_strict)
		FAIL("%s: somo validate --strict exited %d, expected %d", name, rc, want_strict);
}

static int run_cases(const char *only)
{
	char file[2048], line[4096];
	FILE *fp;
	int ran = 0;

	snprintf(file, sizeof(file), "%s/tests/manifest/corpus_cases.txt", SOMO_SOURCE_DIR);
	if (!(fp = fopen(file, "r"))) {
		printf("cannot read %s\n", file);
		return 1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *f[8];

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (split_fields(line, f, 8) != 8) {
			FAIL("malformed case line: %s", line);
			continue;
		}
		if (only && strcmp(only, f[0]))
			continue;
		run_case(f);
		ran++;
	}
	fclose(fp);
	if (!ran)
		FAIL("no case %s", only ? only : "");
	printf("%d case(s), %d failure(s)\n", ran, failures);
	return failures ? 1 : 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_cts(void)
{
	char dir[2048];
	DIR *dp;
	struct dirent *de;
	char *names[400];
	size_t n = 0, i;

	snprintf(dir, sizeof(dir), "%s/adl-cts-2004-4th/LMSRTE/Courses", corpus);
	if (!(dp = opendir(dir))) {
		printf("no CTS at %s\n", dir);
		return 77;
	}
	while ((de = readdir(dp)) && n < 400)
		if (!strncmp(de->d_name, "LMSTestPackage_", 15))
			names[n++] = somo__strdup(de->d_name);
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp);
	if (n != 189)
		FAIL("expected the 189 CTS packages, found %zu", n);
	for (i = 0; i < n; i++) {
		char path[2600];
		somo_package *pkg = NULL;
		somo_manifest *man = NULL;
		somo_manifest_report *rep = NULL;
		somo_diag d;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (somo_package_open(&pkg, path, NULL) < 0 ||
		    somo_manifest_load(&man, pkg, NULL, &d) < 0) {
			FAIL("%s: does not load: %s", names[i], somo_error_last()->message);
		} else {
			if (somo_manifest_standard(man) != SOMO_STANDARD_SCORM2004 ||
			    somo_manifest_edition(man) != SOMO_EDITION_2004_4TH ||
			    somo_manifest_edition_inferred(man))
				FAIL("%s: not read as SCORM 2004 4th Edition", names[i]);
			if (!somo_manifest_default_org(man) || !somo_manifest_org_count(man))
				FAIL("%s: no default organization", names[i]);
			/* the CTS ships manifests without their SCO files: no package for files */
			if (somo_manifest_validate(&rep, man, NULL, SOMO_VALIDATE_LENIENT) < 0 ||
			    somo_manifest_report_errors(rep)) {
				FAIL("%s: lenient validation has errors", names[i]);
				dump(rep);
			}
			somo_manifest_report_free(rep);
			rep = NULL;
			/* ADL's own packages meet the CAM book's manifest rules */
			if (somo_manifest_validate(&rep, man, NULL, SOMO_VALIDATE_STRICT) < 0 ||
			    somo_manifest_report_errors(rep)) {
				FAIL("%s: strict validation has errors", names[i]);
				dump(rep);
			}
			somo_manifest_report_free(rep);
		}
		somo_manifest_free(man);
		somo_package_free(pkg);
		somo__free(names[i]);
	}
	printf("%zu CTS manifests, %d failure(s)\n", n, failures);
	return failures ? 1 : 0;
}

static const char *js(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* `somo inspect --json` and the exit codes of `somo validate`, as outside suites use them. */
static int run_cli_checks(void)
{
	char path[2048], cmd[4096];
	FILE *pp;
	json_t *root, *org, *item;
	json_error_t jerr;
	int st;

	snprintf(path, sizeof(path),
	         "%s/scorm/packages-scorm2004/SequencingPostTestRollup4thEd_SCORM20044thEdition",
	         corpus);
	snprintf(cmd, sizeof(cmd), "'%s/somo' inspect --json '%s'", SOMO_BINARY_DIR, path);
	if (!(pp = popen(cmd, "r"))) {
		FAIL("cannot run %s", cmd);
		return 1;
	}
	root = json_loadf(pp, 0, &jerr);
	st = pclose(pp);
	if (!root || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		FAIL("somo inspect --json: exit %d, %s", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		     root ? "" : jerr.text);
		json_decref(root);
		return 1;
	}
	if (strcmp(js(root, "standard"), "SCORM 2004") ||
	    strcmp(js(root, "edition"), "4th Edition"))
		FAIL("inspect --json: wrong standard or edition");
	if (strcmp(js(root, "defaultOrganization"), "golf_sample_default_org"))
		FAIL("inspect --json: wrong default organization");
	org = json_array_get(json_object_get(root, "organizations"), 0);
	if (json_is_true(json_object_get(org, "objectivesGlobalToSystem")) ||
	    json_is_true(json_object_get(org, "sharedDataGlobalToSystem")))
		FAIL("inspect --json: objectivesGlobalToSystem/sharedDataGlobalToSystem are false "
		     "in the manifest");
	item = json_array_get(json_object_get(org, "items"), 0);
	if (strcmp(js(item, "identifier"), "playing_item") ||
	    strcmp(js(item, "launchUrl"), "shared/launchpage.html?content=playing") ||
	    strcmp(js(item, "scormType"), "sco"))
		FAIL("inspect --json: first item is not playing_item launching "
		     "shared/launchpage.html?content=playing");
	if (!json_is_true(json_object_get(json_array_get(json_object_get(item, "data"), 0),
	                                  "writeSharedData")))
		FAIL("inspect --json: playing_item's shared data map is writable in the manifest");
	if (json_array_size(json_object_get(org, "items")) != 5)
		FAIL("inspect --json: 5 top-level items expected");
	json_decref(root);
	/* the course title from metadata in a file of the package (adlcp:location) */
	{
		somo_package *pkg = NULL;
		somo_manifest *man = NULL;
		somo_diag d;

		snprintf(path, sizeof(path),
		         "%s/scorm/packages-scorm2004/ContentPackagingMetadata_SCORM20043rdEdition",
		         corpus);
		if (somo_package_open(&pkg, path, NULL) < 0 ||
		    somo_manifest_load(&man, pkg, NULL, &d) < 0)
			FAIL("ContentPackagingMetadata does not load");
		else if (!somo_manifest_metadata(man)->title ||
		         strcmp(somo_manifest_metadata(man)->title, "Golf Explained") ||
		         strcmp(somo_manifest_metadata(man)->location, "metadata_course.xml"))
			FAIL("ContentPackagingMetadata: title from metadata_course.xml is not "
			     "\"Golf Explained\"");
		somo_manifest_free(man);
		somo_package_free(pkg);
	}
	/* unreadable: 2 */
	snprintf(cmd, sizeof(cmd), "'%s/somo' validate '%s/no/such/package.zip' >/dev/null 2>&1",
	         SOMO_BINARY_DIR, corpus);
	st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 2)
		FAIL("somo validate of a missing package: expected exit 2");
	/* one finding per line, "file:line: severity: text" */
	snprintf(
	    cmd, sizeof(cmd),
	    "'%s/somo' validate --strict '%s/scorm/packages-scorm12/MissingLaunchUrl_SCORM12' "
	    "2>/dev/null | "
	    "grep -Eq '^imsmanifest.xml:[0-9]+: error: SCO resource \"resource_1\" has no href$'",
	    SOMO_BINARY_DIR, corpus);
	st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		FAIL("somo validate --strict does not print \"imsmanifest.xml:N: error: ...\" "
		     "lines");
	printf("command line checks, %d failure(s)\n", failures);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (corpus_dir(corpus, sizeof(corpus)) < 0) {
		printf("corpus not found: skipped\n");
		return 77;
	}
	if (argc >= 2 && !strcmp(argv[1], "cli"))
		return run_cli_checks();
	if (argc >= 2 && !strcmp(argv[1], "cts"))
		return run_cts();
	if (argc >= 3 && !strcmp(argv[1], "case"))
		return run_cases(argv[2]);
	return run_cases(NULL);
}
