/*
 * Every cmi5 course structure of the shared corpus, driven by
 * corpus_cases.txt: the CATAPULT example courses and LMS test suite, the
 * specification's examples. Each valid one loads and validates with its AU
 * count; each invalid one is refused for its own reason.
 * Exits 77 (skipped) when the corpus is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "somo/cmi5.h"
#include "somo/package.h"

static int failures;

static void fail(const char *path, const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "FAIL %s: ", path);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	failures++;
}

/* Zip a CATAPULT LMS test source folder as its webpack build does. */
static int make_lts_zip(const char *folder, char *zip_path, size_t size)
{
	const char *name = strrchr(folder, '/') + 1;
	char xml[4096], html[4096], js[4096], jsname[512], empty[4096];
	const char *names[3], *files[3];
	size_t n = 0;
	const char *tmp = corpus_tmpdir();

	if (!tmp)
		return -1;
	snprintf(zip_path, size, "%s/%s.zip", tmp, name);
	snprintf(xml, sizeof(xml), "%s/cmi5.xml", folder);
	snprintf(html, sizeof(html), "%s/../index.html", folder);
	snprintf(js, sizeof(js), "%s/%s.js", folder, name);
	snprintf(empty, sizeof(empty), "%s/../empty.js", folder);
	snprintf(jsname, sizeof(jsname), "%s.js", name);
	if (corpus_exists(xml)) {
		names[n] = "cmi5.xml";
		files[n++] = xml;
	}
	names[n] = "index.html";
	files[n++] = html;
	names[n] = jsname;
	files[n++] = corpus_exists(js) ? js : empty;
	return corpus_zip(zip_path, names, files, n);
}

static void run_case(const char *root, const char *rel, const char *form, const char *expect)
{
	char path[4096], zip_path[4096];
	somo_package *pkg = NULL;
	somo_cmi5_course *course = NULL;
	somo_cmi5_report *report = NULL;
	somo_diag diag;
	int rc;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!strcmp(form, "open")) {
		rc = somo_package_open(&pkg, path, NULL);
		if (!strcmp(expect, "refused") && rc < 0)
			goto out;
		fail(rel, "expected the package to be refused (%s%s)", expect, "");
		goto out;
	}
	if (!strcmp(form, "xml")) {
		rc = somo_cmi5_parse_file(&course, path, &diag);
	} else {
		const char *open_path = path;
		if (!strcmp(form, "lts")) {
			if (make_lts_zip(path, zip_path, sizeof(zip_path)) < 0) {
				fail(rel, "cannot build the zip%s%s", "", "");
				goto out;
			}
			open_path = zip_path;
		}
		if ((rc = somo_package_open(&pkg, open_path, NULL)) < 0) {
			fail(rel, "cannot open: %s%s", somo_error_last()->message, "");
			goto out;
		}
		rc = somo_cmi5_load(&course, pkg, &diag);
	}
	if (!strncmp(expect, "load ", 5)) {
		if (rc >= 0)
			fail(rel, "loaded, expected a load failure naming '%s'%s", expect + 5, "");
		else if (!strstr(diag.text, expect + 5))
			fail(rel, "load failed with '%s', expected '%s'", diag.text, expect + 5);
		goto out;
	}
	if (rc < 0) {
		fail(rel, "load failed: %s%s", diag.text, "");
		goto out;
	}
	rc = somo_cmi5_validate(&report, course, pkg);
	if (!strncmp(expect, "valid ", 6)) {
		char n[32];
		for (i = 0; i < somo_cmi5_report_count(report); i++) {
			const somo_cmi5_message *m = somo_cmi5_report_at(report, i);
			if (m->severity == SOMO_CMI5_ERROR)
				fail(rel, "unexpected error: %s%s", m->text, "");
		}
		snprintf(n, sizeof(n), "%zu", somo_cmi5_au_count(course));
		if (rc != 0)
			fail(rel, "validate returned an error%s%s", "", "");
		if (strcmp(n, expect + 6) != 0)
			fail(rel, "%s AUs, expected %s", n, expect + 6);
		for (i = 0; i < somo_cmi5_au_count(course); i++)
			if (!*somo_cmi5_au_at(course, i)->url || !*somo_cmi5_au_at(course, i)->id)
				fail(rel, "an AU without url or id%s%s", "", "");
	} else if (!strncmp(expect, "error ", 6)) {
		int found = 0;
		for (i = 0; i < somo_cmi5_report_count(report); i++) {
			const somo_cmi5_message *m = somo_cmi5_report_at(report, i);
			if (m->severity == SOMO_CMI5_ERROR && strstr(m->text, expect + 6) &&
			    m->line > 0)
				found = 1;
		}
		if (rc != SOMO_EINVALID || !found) {
			fail(rel, "expected the error '%s'%s; got:", expect + 6, "");
			for (i = 0; i < somo_cmi5_report_count(report); i++)
				fprintf(stderr, "    %d: %s\n",
				        somo_cmi5_report_at(report, i)->line,
				        somo_cmi5_report_at(report, i)->text);
		}
	} else {
		fail(rel, "bad expectation '%s'%s", expect, "");
	}
out:
	somo_cmi5_report_free(report);
	somo_cmi5_free(course);
	somo_package_free(pkg);
}

int main(int argc, char **argv)
{
	const char *root = corpus_dir();
	char table[4096], line[2048];
	FILE *f;
	int cases = 0;

	(void)argc;
	(void)argv;
	if (!root) {
		fprintf(stderr, "corpus absent: skipped\n");
		return 77;
	}
	snprintf(table, sizeof(table), "%s/tests/cmi5xml/corpus_cases.txt", SOMO_SOURCE_DIR);
	if ((f = fopen(table, "r")) == NULL) {
		fprintf(stderr, "cannot read %s\n", table);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char rel[1024], form[32];
		int used = 0;
		char *expect;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "%1023s %31s %n", rel, form, &used) != 2 || !used) {
			fprintf(stderr, "bad line: %s\n", line);
			failures++;
			continue;
		}
		expect = line + used;
		run_case(root, rel, form, expect);
		cases++;
	}
	fclose(f);
	corpus_cleanup();
	printf("%d cases, %d failures\n", cases, failures);
	return failures ? 1 : 0;
}
