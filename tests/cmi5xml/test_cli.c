/*
 * The cmi5 and Tin Can branches of somo inspect and somo validate
 * (cli/inspect_cmi5.c, cli/inspect_tincan.c): exit statuses, file:line
 * messages and the JSON that --json prints. Exits 77 without the corpus.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "corpus.h"
#include "somo/package.h"

static int failures;
static char out[1 << 20];

/* Run fn with stdout captured into out; returns fn's exit status. */
static int capture(int (*fn)(void *), void *arg)
{
	char path[4200];
	FILE *f;
	int saved, rc;
	size_t n;

	snprintf(path, sizeof(path), "%s/stdout.txt", corpus_tmpdir());
	fflush(stdout);
	saved = dup(1);
	if (!freopen(path, "w", stdout))
		abort();
	rc = fn(arg);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	clearerr(stdout);
	f = fopen(path, "r");
	n = f ? fread(out, 1, sizeof(out) - 1, f) : 0;
	out[n] = '\0';
	if (f)
		fclose(f);
	unlink(path);
	return rc;
}

typedef struct {
	somo_package *pkg;
	const char *path;
	int flag;
} call;

static int inspect_cmi5(void *a)
{
	return somo_cli_inspect_cmi5(((call *)a)->pkg, ((call *)a)->flag);
}
static int validate_cmi5(void *a)
{
	return somo_cli_validate_cmi5(((call *)a)->pkg, ((call *)a)->flag);
}
static int validate_cmi5_file(void *a)
{
	return somo_cli_validate_cmi5_file(((call *)a)->path, ((call *)a)->flag);
}
static int inspect_cmi5_file(void *a)
{
	return somo_cli_inspect_cmi5_file(((call *)a)->path, ((call *)a)->flag);
}
static int inspect_tincan(void *a)
{
	return somo_cli_inspect_tincan(((call *)a)->pkg, ((call *)a)->flag);
}
static int validate_tincan(void *a)
{
	return somo_cli_validate_tincan(((call *)a)->pkg, ((call *)a)->flag);
}

static somo_package *open_pkg(const char *root, const char *rel)
{
	char p[4096];
	somo_package *pkg = NULL;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (somo_package_open(&pkg, p, NULL) < 0)
		CHECK(0, "open %s: %s", rel, somo_error_last()->message);
	return pkg;
}

static void cmi5_zip(const char *root)
{
	call c = {open_pkg(root, "cmi5/catapult/course_examples/packages/masteryscore_framed.zip"),
	          NULL, 1};
	json_t *j, *au;
	json_error_t err;

	if (!c.pkg)
		return;
	CHECK(capture(inspect_cmi5, &c) == 0, "inspect --json exit");
	j = json_loads(out, 0, &err);
	CHECK(j != NULL, "inspect --json prints JSON: %s", err.text);
	CHECK(!strcmp(json_string_value(json_object_get(j, "standard")), "cmi5"), "standard");
	CHECK(!strcmp(json_string_value(json_object_get(j, "title")),
	              "Introduction to Geology - Framed Style - Mastery Score"),
	      "title");
	au = json_array_get(json_object_get(j, "structure"), 0);
	CHECK(au && !strcmp(json_string_value(json_object_get(au, "type")), "au"), "structure au");
	CHECK(au && !strcmp(json_string_value(json_object_get(au, "url")), "index.html"), "url");
	CHECK(au && !strcmp(json_string_value(json_object_get(au, "moveOn")), "CompletedOrPassed"),
	      "moveOn");
	CHECK(au && !strcmp(json_string_value(json_object_get(au, "launchMethod")), "OwnWindow"),
	      "launchMethod");
	CHECK(au && json_real_value(json_object_get(au, "masteryScore")) == 0.3, "masteryScore");
	CHECK(json_array_size(json_object_get(j, "aus")) == 1, "aus");
	CHECK(json_is_true(json_object_get(j, "valid")), "valid");
	json_decref(j);

	c.flag = 0;
	CHECK(capture(inspect_cmi5, &c) == 0, "inspect exit");
	CHECK(strstr(out, "standard: cmi5") && strstr(out, "url: index.html") &&
	          strstr(out, "masteryScore: 0.3"),
	      "inspect tree:\n%s", out);
	CHECK(capture(validate_cmi5, &c) == 0, "validate exit");
	CHECK(capture(validate_cmi5, &(call){c.pkg, NULL, 1}) == 0, "validate --strict exit");
	somo_package_free(c.pkg);
}

static void cmi5_standalone(const char *root)
{
	char p[4096];
	call c = {NULL, p, 0};
	json_t *j;

	snprintf(p, sizeof(p),
	         "%s/cmi5/catapult/lts-test-packages-src/207-1-invalid-courseStructure.xml", root);
	CHECK(capture(validate_cmi5_file, &c) == 1, "invalid course exits 1");
	CHECK(strstr(
	          out,
	          "207-1-invalid-courseStructure.xml:29: error: <title> is out of order in <au>") !=
	          NULL,
	      "file:line message:\n%s", out);
	snprintf(p, sizeof(p), "%s/cmi5/catapult/lts-test-packages-src/101-one-thousand-aus.xml",
	         root);
	CHECK(capture(validate_cmi5_file, &c) == 0, "valid standalone course exits 0");
	c.flag = 1;
	CHECK(capture(inspect_cmi5_file, &c) == 0, "inspect standalone");
	j = json_loads(out, 0, NULL);
	CHECK(j && json_array_size(json_object_get(j, "aus")) == 1001, "1001 AUs in JSON");
	json_decref(j);
	snprintf(p, sizeof(p), "%s/cmi5/catapult/lts-test-packages-src/no-such-file.xml", root);
	CHECK(capture(validate_cmi5_file, &c) == 2, "unreadable exits 2");
	snprintf(p, sizeof(p), "%s/cmi5/catapult/lts-test-packages-src/208-1-invalid-package.md",
	         root);
	CHECK(capture(validate_cmi5_file, &c) == 1, "malformed XML exits 1");
	CHECK(strstr(out, "208-1-invalid-package.md:1: error: malformed XML") != NULL,
	      "malformed:\n%s", out);
}

static void cmi5_no_xml(const char *root)
{
	/* A package without cmi5.xml is unreadable as a cmi5 course. */
	call c = {open_pkg(root, "cmi5/catapult/lts-test-packages-src/210-1-no-cmi5-xml"), NULL, 0};

	if (!c.pkg)
		return;
	CHECK(capture(validate_cmi5, &c) == 2, "no cmi5.xml exits 2");
	somo_package_free(c.pkg);
}

static void tincan(const char *root)
{
	call c = {open_pkg(root, "xapi/tincan-packages/TinCan_Prototypes/GolfExample_TCAPI"), NULL,
	          1};
	json_t *j, *launch;

	if (!c.pkg)
		return;
	CHECK(capture(inspect_tincan, &c) == 0, "inspect --json exit");
	j = json_loads(out, 0, NULL);
	CHECK(j != NULL, "JSON");
	CHECK(j && !strcmp(json_string_value(json_object_get(j, "standard")), "tincan"),
	      "standard");
	CHECK(j && !strcmp(json_string_value(json_object_get(j, "title")), "Tin Can Golf Example"),
	      "title");
	launch = json_object_get(j, "launch");
	CHECK(launch && !strcmp(json_string_value(json_object_get(launch, "url")), "index.html"),
	      "launch url");
	CHECK(json_array_size(json_object_get(j, "activities")) == 1, "activities");
	json_decref(j);
	CHECK(capture(validate_tincan, &c) == 0, "validate --strict");
	c.flag = 0;
	CHECK(capture(inspect_tincan, &c) == 0 && strstr(out, "launch: index.html"), "inspect:\n%s",
	      out);
	somo_package_free(c.pkg);
}

int main(void)
{
	const char *root = corpus_dir();

	if (!root) {
		fprintf(stderr, "corpus absent: skipped\n");
		return 77;
	}
	if (!corpus_tmpdir())
		return 1;
	cmi5_zip(root);
	cmi5_standalone(root);
	cmi5_no_xml(root);
	tincan(root);
	corpus_cleanup();
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
