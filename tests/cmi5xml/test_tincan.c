/*
 * Tin Can packages: every tincan.xml of the shared corpus (tincan_cases.txt)
 * loads from its folder and as a zip, with the right launch and activities;
 * small documents check each rule. Corpus cases are skipped (77) when the
 * corpus is absent, after the rule checks have run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "somo/package.h"
#include "somo/tincan.h"

static int failures;

#define NS "http://projecttincan.com/tincan.xsd"

/* Parse and validate standalone; whether a message contains needle. */
static int has_message(const char *xml, const char *needle, size_t *errors)
{
	somo_tincan *tc = NULL;
	somo_tincan_report *r = NULL;
	somo_diag d;
	size_t i;
	int found = 0;

	if (somo_tincan_parse_memory(&tc, xml, strlen(xml), NULL, &d) < 0) {
		fprintf(stderr, "parse failed: %s\n", d.text);
		failures++;
		return 0;
	}
	somo_tincan_validate(&r, tc, NULL);
	for (i = 0; i < somo_tincan_report_count(r); i++)
		if (needle && strstr(somo_tincan_report_at(r, i)->text, needle))
			found = 1;
	if (needle && !found)
		for (i = 0; i < somo_tincan_report_count(r); i++)
			fprintf(stderr, "  %d: %s\n", somo_tincan_report_at(r, i)->line,
			        somo_tincan_report_at(r, i)->text);
	*errors = somo_tincan_report_errors(r);
	somo_tincan_report_free(r);
	somo_tincan_free(tc);
	return found;
}

static void rules(void)
{
	const char *ok =
	    "<tincan xmlns=\"" NS "\"><activities>\n"
	    "<activity id=\"http://x.example/a\" "
	    "type=\"http://adlnet.gov/expapi/activities/course\">"
	    "<name>A</name><name lang=\"fr\">Un</name><description lang=\"en-US\">d</description>"
	    "<launch lang=\"en-us\">https://x.example/start.html</launch></activity>\n"
	    "<activity id=\"http://x.example/a/q1\" "
	    "type=\"http://adlnet.gov/expapi/activities/cmi.interaction\">"
	    "<name>Q1</name><interactionType>choice</interactionType></activity>\n"
	    "</activities></tincan>";
	somo_tincan *tc = NULL;
	somo_diag d;
	size_t errors = 0;
	const somo_tincan_activity *a;

	CHECK(somo_tincan_parse_memory(&tc, ok, strlen(ok), NULL, &d) == 0, "parse: %s", d.text);
	CHECK(somo_tincan_activity_count(tc) == 2, "two activities");
	a = somo_tincan_launch_activity(tc);
	CHECK(a && !strcmp(a->launch, "https://x.example/start.html"), "launch href");
	CHECK(a && !strcmp(a->launch_lang, "en-us"), "launch lang");
	CHECK(a && a->line == 2, "line %d", a ? a->line : -1);
	CHECK(a && !strcmp(somo_tincan_text_get(&a->name, "fr-CA"), "Un"), "name by language");
	CHECK(a && !strcmp(somo_tincan_text_get(&a->name, NULL), "A"), "first name");
	CHECK(somo_tincan_activity_at(tc, 1)->launch == NULL, "second has no launch");
	somo_tincan_free(tc);
	has_message(ok, NULL, &errors);
	CHECK(errors == 0, "valid document has %zu errors", errors);

	CHECK(has_message("<tincan xmlns=\"" NS
	                  "\"><activities><activity id=\"http://x.example/a\">"
	                  "<name>A</name></activity></activities></tincan>",
	                  "has a <launch>", &errors) &&
	          errors,
	      "no launch");
	CHECK(has_message("<tincan xmlns=\"" NS "\"><activities/></tincan>", "declares no activity",
	                  &errors) &&
	          errors,
	      "no activity");
	CHECK(has_message("<tincan xmlns=\"" NS "\"><activities><activity id=\"course-1\">"
	                  "<launch>https://x.example/</launch></activity></activities></tincan>",
	                  "not an absolute IRI", &errors) &&
	          errors,
	      "id not an IRI");
	CHECK(has_message("<tincan xmlns=\"" NS
	                  "\"><activities><activity id=\"http://x.example/a\">"
	                  "<launch>index.html</launch></activity></activities></tincan>",
	                  "relative, but no package", &errors) &&
	          errors,
	      "relative launch without a package");
	CHECK(has_message("<tincan xmlns=\"" NS
	                  "\"><activities><activity id=\"http://x.example/a\">"
	                  "<launch>https://x.example/</launch></activity><activity "
	                  "id=\"http://x.example/a\"/>"
	                  "</activities></tincan>",
	                  "duplicate activity id", &errors) &&
	          errors,
	      "duplicate ids");
	CHECK(has_message("<tincan xmlns=\"" NS
	                  "\"><activities><activity id=\"http://x.example/a\">"
	                  "<launch>a b.html</launch></activity></activities></tincan>",
	                  "contains a space", &errors) &&
	          errors,
	      "bad launch URL");
	CHECK(has_message(
	          "<tincan xmlns=\"" NS "\"><activities><activity id=\"http://x.example/a\">"
	          "<launch>https://x.example/?auth=x</launch></activity></activities></tincan>",
	          "query parameter 'auth'", &errors) &&
	          errors == 0,
	      "launch parameter in the href is a warning");
	{
		const char *dtd = "<!DOCTYPE tincan [<!ENTITY x SYSTEM "
		                  "\"file:///etc/passwd\">]><tincan>&x;</tincan>";
		CHECK(somo_tincan_parse_memory(&tc, dtd, strlen(dtd), NULL, &d) == SOMO_EUNSAFE,
		      "DOCTYPE");
		CHECK(somo_tincan_parse_memory(&tc, "<courseStructure/>", 18, NULL, &d) ==
		          SOMO_EPARSE,
		      "wrong root");
		CHECK(somo_tincan_parse_memory(&tc, "<tincan>", 8, NULL, &d) == SOMO_EPARSE,
		      "malformed");
		CHECK(tc == NULL, "nothing returned on failure");
	}
}

static void check_package(const char *rel, somo_package *pkg, const char *count, const char *href,
                          const char *id, const char *type)
{
	somo_tincan *tc = NULL;
	somo_tincan_report *r = NULL;
	somo_diag d;
	const somo_tincan_activity *a;
	char n[32];
	size_t i;

	if (somo_tincan_load(&tc, pkg, &d) < 0) {
		CHECK(0, "%s: load: %s", rel, d.text);
		return;
	}
	CHECK(somo_tincan_validate(&r, tc, pkg) == 0, "%s: not valid", rel);
	for (i = 0; i < somo_tincan_report_count(r); i++)
		CHECK(somo_tincan_report_at(r, i)->severity != SOMO_TINCAN_ERROR, "%s: %s", rel,
		      somo_tincan_report_at(r, i)->text);
	snprintf(n, sizeof(n), "%zu", somo_tincan_activity_count(tc));
	CHECK(!strcmp(n, count), "%s: %s activities, expected %s", rel, n, count);
	a = somo_tincan_launch_activity(tc);
	CHECK(a != NULL, "%s: no launch activity", rel);
	if (a) {
		CHECK(!strcmp(a->launch, href), "%s: launch %s, expected %s", rel, a->launch, href);
		CHECK(!strcmp(a->id, id), "%s: id %s, expected %s", rel, a->id, id);
		CHECK(a->type && !strcmp(a->type, type), "%s: type %s", rel,
		      a->type ? a->type : "(none)");
		CHECK(*somo_tincan_text_get(&a->name, "en-US"), "%s: no name", rel);
	}
	somo_tincan_report_free(r);
	somo_tincan_free(tc);
}

static int corpus_cases(const char *root)
{
	char table[4096], line[2048];
	FILE *f;
	int cases = 0;

	snprintf(table, sizeof(table), "%s/tests/cmi5xml/tincan_cases.txt", SOMO_SOURCE_DIR);
	if ((f = fopen(table, "r")) == NULL) {
		fprintf(stderr, "cannot read %s\n", table);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char rel[1024], count[32], href[512], id[1024], type[1024], path[4096], xml[4200],
		    zip[4200];
		somo_package *pkg = NULL;
		const char *tmp;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%1023s %31s %511s %1023s %1023s", rel, count, href, id, type) !=
		    5) {
			CHECK(0, "bad line: %s", line);
			continue;
		}
		cases++;
		snprintf(path, sizeof(path), "%s/%s", root, rel);
		/* As a folder. */
		if (somo_package_open(&pkg, path, NULL) < 0) {
			CHECK(0, "%s: open: %s", rel, somo_error_last()->message);
			continue;
		}
		check_package(rel, pkg, count, href, id, type);
		somo_package_free(pkg);
		pkg = NULL;
		/* As a zip holding tincan.xml and the launch page. */
		if ((tmp = corpus_tmpdir()) != NULL) {
			const char *names[2] = {"tincan.xml", href};
			char launch[4200];
			const char *files[2] = {xml, launch};
			snprintf(xml, sizeof(xml), "%s/tincan.xml", path);
			snprintf(launch, sizeof(launch), "%s/%s", path, href);
			snprintf(zip, sizeof(zip), "%s/tincan-%d.zip", tmp, cases);
			CHECK(corpus_zip(zip, names, files, 2) == 0, "%s: zip", rel);
			if (somo_package_open(&pkg, zip, NULL) == 0) {
				check_package(rel, pkg, count, href, id, type);
				somo_package_free(pkg);
			} else {
				CHECK(0, "%s: open zip: %s", rel, somo_error_last()->message);
			}
			/* tincan.xml must sit at the package root. */
			{
				const char *deep[1] = {"course/tincan.xml"};
				somo_tincan *tc = NULL;
				somo_diag d;
				snprintf(zip, sizeof(zip), "%s/tincan-%d-deep.zip", tmp, cases);
				CHECK(corpus_zip(zip, deep, files, 1) == 0, "%s: zip", rel);
				pkg = NULL;
				if (somo_package_open(&pkg, zip, NULL) == 0) {
					CHECK(somo_tincan_load(&tc, pkg, &d) == SOMO_ENOTFOUND &&
					          strstr(d.text, "course/tincan.xml"),
					      "%s: tincan.xml below the root: %s", rel, d.text);
					somo_package_free(pkg);
				}
			}
			/* Without its launch page the package cannot be launched. */
			snprintf(zip, sizeof(zip), "%s/tincan-%d-nolaunch.zip", tmp, cases);
			CHECK(corpus_zip(zip, names, files, 1) == 0, "%s: zip", rel);
			pkg = NULL;
			if (somo_package_open(&pkg, zip, NULL) == 0) {
				somo_tincan *tc = NULL;
				somo_tincan_report *r = NULL;
				somo_diag d;
				CHECK(somo_tincan_load(&tc, pkg, &d) == 0, "%s: load", rel);
				CHECK(somo_tincan_validate(&r, tc, pkg) == SOMO_EINVALID &&
				          somo_tincan_report_count(r) > 0 &&
				          strstr(somo_tincan_report_at(r, 0)->text,
				                 "which is not in the package"),
				      "%s: a missing launch page is an error", rel);
				somo_tincan_report_free(r);
				somo_tincan_free(tc);
				somo_package_free(pkg);
			}
		}
	}
	fclose(f);
	corpus_cleanup();
	return cases;
}

int main(void)
{
	const char *root = corpus_dir();
	int cases;

	rules();
	if (!root) {
		fprintf(stderr, "corpus absent: corpus cases skipped\n");
		return failures ? 1 : 77;
	}
	cases = corpus_cases(root);
	printf("%d Tin Can packages, %d failures\n", cases, failures);
	return failures || cases <= 0 ? 1 : 0;
}
