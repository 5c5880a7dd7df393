/*
 * Real packages from the shared corpus open and read whole: every member
 * of every zip in scorm/zips and scorm/moodle-zips, and Moodle's
 * badscorm.zip is told where its manifest really is. Skipped (77) when
 * the corpus is absent.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "somo.h"

static char corpus[4096];

static int find_corpus(void)
{
	const char *env = getenv("SOMO_CORPUS_DIR");
	struct stat st;

	if (env && *env)
		snprintf(corpus, sizeof(corpus), "%s", env);
	else
		snprintf(corpus, sizeof(corpus), "%s/../shared/corpus", SOMO_SOURCE_DIR);
	return stat(corpus, &st) == 0 && S_ISDIR(st.st_mode) &&
	       strlen(corpus) < sizeof(corpus) - 100;
}

static int open_and_read_all(const char *path)
{
	somo_package *pkg;
	size_t i, n, files = 0;

	if (somo_package_open(&pkg, path, NULL) != 0)
		fail_msg("%s: %s", path, somo_error_last()->message);
	n = somo_package_count(pkg);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		somo_package_entry e;
		void *data;
		size_t size;
		assert_int_equal(somo_package_entry_at(pkg, i, &e), 0);
		if (e.is_dir)
			continue;
		if (somo_package_read(pkg, e.name, &data, &size) != 0)
			fail_msg("%s: %s: %s", path, e.name, somo_error_last()->message);
		assert_int_equal(size, e.size);
		somo_free(data);
		files++;
	}
	somo_package_free(pkg);
	return (int)files;
}

static void corpus_zips_open(void **state)
{
	static const char *dirs[] = {"scorm/zips", "scorm/moodle-zips",
	                             "cmi5/catapult/course_examples/packages"};
	size_t d;
	int zips = 0;
	(void)state;

	for (d = 0; d < 3; d++) {
		char dir[4200];
		struct dirent **list;
		int n, i;
		snprintf(dir, sizeof(dir), "%s/%s", corpus, dirs[d]);
		n = scandir(dir, &list, NULL, alphasort);
		assert_true(n > 0);
		for (i = 0; i < n; i++) {
			size_t len = strlen(list[i]->d_name);
			if (len > 4 && strcmp(list[i]->d_name + len - 4, ".zip") == 0) {
				char path[4600];
				snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
				print_message("%s: %d files\n", list[i]->d_name,
				              open_and_read_all(path));
				zips++;
			}
			free(list[i]);
		}
		free(list);
	}
	assert_true(zips >= 14);
}

static void badscorm_manifest_in_subfolder(void **state)
{
	char path[4200];
	somo_package *pkg;
	(void)state;
	snprintf(path, sizeof(path), "%s/scorm/moodle-zips/badscorm.zip", corpus);
	assert_int_equal(somo_package_open(&pkg, path, NULL), 0);
	assert_int_equal(somo_package_find_root_file(pkg, "imsmanifest.xml"), SOMO_ENOTFOUND);
	print_message("%s\n", somo_error_last()->message);
	assert_non_null(strstr(somo_error_last()->message,
	                       "imsmanifest.xml is not at the package root; found at "));
	somo_package_free(pkg);

	snprintf(path, sizeof(path), "%s/scorm/moodle-zips/invalid.zip", corpus);
	assert_int_equal(somo_package_open(&pkg, path, NULL), 0);
	assert_int_equal(somo_package_find_root_file(pkg, "imsmanifest.xml"), SOMO_ENOTFOUND);
	assert_non_null(strstr(somo_error_last()->message, "the package has no imsmanifest.xml"));
	somo_package_free(pkg);

	snprintf(path, sizeof(path), "%s/scorm/moodle-zips/singlescobasic.zip", corpus);
	assert_int_equal(somo_package_open(&pkg, path, NULL), 0);
	assert_int_equal(somo_package_find_root_file(pkg, "imsmanifest.xml"), 0);
	somo_package_free(pkg);
}

static void corpus_folders_open(void **state)
{
	static const char *dirs[] = {"scorm/packages-scorm12", "scorm/packages-scorm2004"};
	size_t d;
	int folders = 0;
	(void)state;

	for (d = 0; d < 2; d++) {
		char dir[4200];
		struct dirent **list;
		int n, i;
		snprintf(dir, sizeof(dir), "%s/%s", corpus, dirs[d]);
		if ((n = scandir(dir, &list, NULL, alphasort)) < 0)
			continue;
		for (i = 0; i < n; i++) {
			char path[4600];
			struct stat st;
			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			if (list[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
			    S_ISDIR(st.st_mode)) {
				open_and_read_all(path);
				folders++;
			}
			free(list[i]);
		}
		free(list);
	}
	assert_true(folders > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(corpus_zips_open),
	    cmocka_unit_test(badscorm_manifest_in_subfolder),
	    cmocka_unit_test(corpus_folders_open),
	};
	if (!find_corpus()) {
		fprintf(stderr, "corpus not found (%s): skipped\n", corpus);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
