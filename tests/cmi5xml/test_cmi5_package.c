/*
 * Relative AU URLs against a real package (a folder made for the test):
 * query and fragment ignored, percent-decoding, "./" and "//" normalised,
 * "..", a leading "/", folders and missing files refused (cmi5 14.1).
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus.h"
#include "somo/cmi5.h"
#include "somo/package.h"

#define NS "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
#define TD                                                                                         \
	"<title><langstring>T</langstring></title><description><langstring>D</langstring></"       \
	"description>"

static int failures;

static void put(const char *dir, const char *name, const char *text)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL) {
		perror(p);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* Validate cmi5.xml with one AU url against the folder; expect NULL (valid) or an error text. */
static void check(const char *dir, const char *url, const char *expect)
{
	char xml[2048];
	somo_package *pkg = NULL;
	somo_cmi5_course *c = NULL;
	somo_cmi5_report *r = NULL;
	somo_diag d;
	int rc, found = 0;
	size_t i;

	snprintf(xml, sizeof(xml),
	         "<courseStructure xmlns=\"" NS "\"><course id=\"https://e.example/c\">" TD
	         "</course><au id=\"https://e.example/a\">" TD
	         "<url>%s</url></au></courseStructure>",
	         url);
	put(dir, "cmi5.xml", xml);
	if (somo_package_open(&pkg, dir, NULL) < 0 || somo_cmi5_load(&c, pkg, &d) < 0) {
		fprintf(stderr, "FAIL %s: cannot load: %s\n", url, somo_error_last()->message);
		failures++;
		goto out;
	}
	rc = somo_cmi5_validate(&r, c, pkg);
	for (i = 0; i < somo_cmi5_report_count(r); i++)
		if (expect && strstr(somo_cmi5_report_at(r, i)->text, expect))
			found = 1;
	if (expect ? rc != SOMO_EINVALID || !found : rc != 0) {
		fprintf(stderr, "FAIL %s: expected %s, got:\n", url, expect ? expect : "valid");
		for (i = 0; i < somo_cmi5_report_count(r); i++)
			fprintf(stderr, "    %s\n", somo_cmi5_report_at(r, i)->text);
		failures++;
	}
out:
	somo_cmi5_report_free(r);
	somo_cmi5_free(c);
	somo_package_free(pkg);
}

int main(void)
{
	const char *dir = corpus_tmpdir();
	char sub[4096];

	if (!dir)
		return 1;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	mkdir(sub, 0755);
	put(dir, "index.html", "x");
	put(dir, "sub/page one.html", "x");
	put(dir, "sub/a.html", "x");

	check(dir, "index.html", NULL);
	check(dir, "index.html?x=1&amp;y=2#top", NULL);
	check(dir, "./index.html", NULL);
	check(dir, "sub/page%20one.html", NULL);
	check(dir, "sub//./a.html", NULL);
	check(dir, "https://elsewhere.example/au.html", NULL);
	check(dir, "missing.html", "the package has no file 'missing.html'");
	check(dir, "sub/page one.html", "contains a space");
	check(dir, "sub", "the package has no file 'sub'");
	check(dir, "sub/../index.html", "'..' segment");
	check(dir, "sub/%2e%2e/index.html", "'..' segment");
	check(dir, "sub%2fa.html", "encoded path separator");
	check(dir, "/index.html", "starts with '/'");
	check(dir, "?x=1", "names no file");
	check(dir, "index.html?registration=1", "query parameter 'registration'");

	/* cmi5.xml must sit at the package root (cmi5 14.1). */
	{
		char root_xml[4200];
		somo_package *pkg = NULL;
		somo_cmi5_course *c = NULL;
		somo_diag d;

		snprintf(root_xml, sizeof(root_xml), "%s/cmi5.xml", dir);
		rename(root_xml, strcat(strcpy(sub, dir), "/sub/cmi5.xml"));
		if (somo_package_open(&pkg, dir, NULL) < 0 ||
		    somo_cmi5_load(&c, pkg, &d) != SOMO_ENOTFOUND ||
		    !strstr(d.text, "sub/cmi5.xml")) {
			fprintf(stderr, "FAIL cmi5.xml below the root: %s\n", d.text);
			failures++;
		}
		somo_cmi5_free(c);
		somo_package_free(pkg);
		remove(sub);
	}

	/* The folder must be emptied before the cleanup removes it. */
	snprintf(sub, sizeof(sub), "%s/sub/page one.html", dir);
	remove(sub);
	snprintf(sub, sizeof(sub), "%s/sub/a.html", dir);
	remove(sub);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	remove(sub);
	corpus_cleanup();
	printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
