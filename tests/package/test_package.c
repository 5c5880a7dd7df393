/*
 * Packages as a read-only file system: names, listing, whole and range
 * reads on zips and folders, safe extraction, the manifest at the root.
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
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "somo.h"
#include "zipgen.h"

/* Data-driven name cases: name (with its length), expected code, normalised. */
static const struct {
	const char *name;
	size_t len;
	int code;
	const char *norm;
} name_cases[] = {
    {"index.html", 10, 0, "index.html"},
    {"a/b/c.js", 8, 0, "a/b/c.js"},
    {"a//b", 4, 0, "a/b"},
    {"a/./b", 5, 0, "a/b"},
    {"./a/b/", 6, 0, "a/b"},
    {"shared/", 7, 0, "shared"},
    {"caf\xc3\xa9.html", 10, 0, "caf\xc3\xa9.html"},
    {"a..b/..c", 8, 0, "a..b/..c"},
    {"", 0, SOMO_EUNSAFE, NULL},
    {".", 1, SOMO_EUNSAFE, NULL},
    {"./", 2, SOMO_EUNSAFE, NULL},
    {"..", 2, SOMO_EUNSAFE, NULL},
    {"a/../b", 6, SOMO_EUNSAFE, NULL},
    {"a/..", 4, SOMO_EUNSAFE, NULL},
    {"/etc/passwd", 11, SOMO_EUNSAFE, NULL},
    {"//server/share", 14, SOMO_EUNSAFE, NULL},
    {"c:/x", 4, SOMO_EUNSAFE, NULL},
    {"Z:x", 3, SOMO_EUNSAFE, NULL},
    {"./C:/x", 6, SOMO_EUNSAFE, NULL},
    {"a\\b", 3, SOMO_EUNSAFE, NULL},
    {"a\0b", 3, SOMO_EUNSAFE, NULL},
    {"a\nb", 3, SOMO_EUNSAFE, NULL},
    {"a\x7f", 2, SOMO_EUNSAFE, NULL},
    {"caf\xe9.html", 9, SOMO_EUNSAFE, NULL},
};

static void check_name_cases(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		char *norm = (char *)1;
		int rc =
		    somo_package_check_name(name_cases[i].name, name_cases[i].len, NULL, &norm);
		if (rc != name_cases[i].code)
			fail_msg("case %zu: expected %d, got %d (%s)", i, name_cases[i].code, rc,
			         somo_error_last()->message);
		if (rc == 0) {
			assert_string_equal(norm, name_cases[i].norm);
			somo_free(norm);
		} else {
			assert_null(norm);
			assert_non_null(strstr(somo_error_last()->message, "member '"));
		}
	}
}

static void check_name_limits(void **state)
{
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	(void)state;
	o.max_depth = 2;
	assert_int_equal(somo_package_check_name("a/b", 3, &o, NULL), 0);
	assert_int_equal(somo_package_check_name("a/b/c", 5, &o, NULL), SOMO_ELIMIT);
	/* "." and empty components do not count. */
	assert_int_equal(somo_package_check_name("a/./b//", 7, &o, NULL), 0);
	o.max_name_length = 4;
	assert_int_equal(somo_package_check_name("abcd", 4, &o, NULL), 0);
	assert_int_equal(somo_package_check_name("abcde", 5, &o, NULL), SOMO_ELIMIT);
}

/* A pattern whose every byte depends on its offset, to check ranges. */
static unsigned char *pattern(size_t n)
{
	unsigned char *p = malloc(n);
	size_t i;
	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 7 + (i >> 10)) & 0xff);
	return p;
}

#define BIG (300u * 1024u + 17u)

static somo_package *open_sample(void **zip_out, size_t *size_out)
{
	static const char manifest[] = "<manifest identifier=\"m\"/>\n";
	unsigned char *big = pattern(BIG);
	zg_file f[] = {
	    {.name = "imsmanifest.xml", .data = manifest, .len = sizeof(manifest) - 1},
	    {.name = "media/"},
	    {.name = "media/clip.bin", .data = big, .len = BIG, .store = 1},
	    {.name = "media/clip.txt", .data = big, .len = BIG},
	    {.name = "sco/page/index.html", .data = "<p>hi</p>", .len = 9},
	    {.name = "empty.txt", .data = "", .len = 0},
	};
	somo_package *pkg;
	size_t size;
	void *zip = zg_make(f, sizeof(f) / sizeof(f[0]), &size);
	free(big);
	assert_int_equal(somo_package_open_memory(&pkg, zip, size, NULL), 0);
	if (zip_out) {
		*zip_out = zip;
		*size_out = size;
	} else
		free(zip);
	return pkg;
}

/* The members of pkg must be those of the sample, in order. */
static void check_listing(somo_package *pkg)
{
	static const char *want[] = {"empty.txt",      "imsmanifest.xml",    "media",
	                             "media/clip.bin", "media/clip.txt",     "sco",
	                             "sco/page",       "sco/page/index.html"};
	somo_package_entry e;
	size_t i;

	assert_int_equal(somo_package_count(pkg), 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(somo_package_entry_at(pkg, i, &e), 0);
		assert_string_equal(e.name, want[i]);
	}
	assert_int_equal(somo_package_entry_at(pkg, 8, &e), SOMO_ENOTFOUND);
	assert_int_equal(somo_package_stat(pkg, "sco/page", &e), 0);
	assert_true(e.is_dir);
	assert_int_equal(somo_package_stat(pkg, "./media//clip.bin", &e), 0);
	assert_false(e.is_dir);
	assert_int_equal(e.size, BIG);
	assert_int_equal(somo_package_stat(pkg, "media/nothing", &e), SOMO_ENOTFOUND);
	assert_int_equal(somo_package_stat(pkg, "/imsmanifest.xml", &e), SOMO_EUNSAFE);
	assert_int_equal(somo_package_stat(pkg, "../imsmanifest.xml", &e), SOMO_EUNSAFE);
}

static void check_reads(somo_package *pkg)
{
	unsigned char *want = pattern(BIG);
	const char *members[] = {"media/clip.bin", "media/clip.txt"};
	unsigned char buf[70000];
	void *data;
	size_t size, got, m;

	assert_int_equal(somo_package_read(pkg, "imsmanifest.xml", &data, &size), 0);
	assert_int_equal(size, 27);
	assert_string_equal(data, "<manifest identifier=\"m\"/>\n");
	somo_free(data);
	assert_int_equal(somo_package_read(pkg, "empty.txt", &data, &size), 0);
	assert_int_equal(size, 0);
	assert_string_equal(data, "");
	somo_free(data);
	assert_int_equal(somo_package_read(pkg, "media", &data, &size), SOMO_EINVAL);
	assert_null(data);

	for (m = 0; m < 2; m++) {
		const char *name = members[m];
		static const uint64_t offs[] = {0, 1, 65536, 200000, 100, BIG - 10, 5};
		size_t i;

		assert_int_equal(somo_package_read(pkg, name, &data, &size), 0);
		assert_int_equal(size, BIG);
		assert_memory_equal(data, want, BIG);
		somo_free(data);
		/* Ranges in order, then backwards, then near and past the end. */
		for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
			size_t len = 1 + (size_t)(offs[i] % 60000);
			size_t expect = offs[i] + len > BIG ? (size_t)(BIG - offs[i]) : len;
			assert_int_equal(
			    somo_package_read_range(pkg, name, offs[i], buf, len, &got), 0);
			assert_int_equal(got, expect);
			assert_memory_equal(buf, want + offs[i], got);
		}
		/* Successive ranges covering the whole member. */
		for (size = 0; size < BIG; size += got) {
			assert_int_equal(somo_package_read_range(pkg, name, size, buf, 4096, &got),
			                 0);
			assert_true(got > 0);
			assert_memory_equal(buf, want + size, got);
		}
		assert_int_equal(somo_package_read_range(pkg, name, BIG, buf, 10, &got), 0);
		assert_int_equal(got, 0);
		assert_int_equal(somo_package_read_range(pkg, name, BIG + 100, buf, 10, &got), 0);
		assert_int_equal(got, 0);
	}
	free(want);
}

static void zip_listing_and_reads(void **state)
{
	somo_package *pkg = open_sample(NULL, NULL);
	(void)state;
	assert_int_equal(somo_package_kind_of(pkg), SOMO_PACKAGE_ZIP);
	check_listing(pkg);
	check_reads(pkg);
	somo_package_free(pkg);
	somo_package_free(NULL);
}

/* A fresh scratch folder under the build folder (or /tmp). */
static char *scratch(const char *what)
{
	const char *b = getenv("SOMO_BUILD_DIR");
	char *path = malloc(4096);
	assert_non_null(path);
	snprintf(path, 4096, "%s/test-package-%s-XXXXXX", b ? b : "/tmp", what);
	assert_non_null(mkdtemp(path));
	return path;
}

static void rm_rf(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

/* Names in a folder, sorted, joined by spaces. */
static void list_dir(const char *path, char *out, size_t outsz)
{
	struct dirent **list;
	int n = scandir(path, &list, NULL, alphasort), i;
	out[0] = '\0';
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
			strncat(out, list[i]->d_name, outsz - strlen(out) - 2);
			strcat(out, " ");
		}
		free(list[i]);
	}
	free(list);
}

static void extract_then_folder_mode(void **state)
{
	char *dir = scratch("extract"), target[4200], names[1000];
	somo_package *pkg = open_sample(NULL, NULL), *folder;
	struct stat st;
	(void)state;

	snprintf(target, sizeof(target), "%s/course", dir);
	assert_int_equal(somo_package_extract(pkg, target), 0);
	/* Only the target appears beside it: no temporary folder left. */
	list_dir(dir, names, sizeof(names));
	assert_string_equal(names, "course ");
	list_dir(target, names, sizeof(names));
	assert_string_equal(names, "empty.txt imsmanifest.xml media sco ");
	/* An existing target is never touched. */
	assert_int_equal(somo_package_extract(pkg, target), SOMO_EEXISTS);
	somo_package_free(pkg);

	/* The extracted folder reads as the zip did. */
	assert_int_equal(somo_package_open(&folder, target, NULL), 0);
	assert_int_equal(somo_package_kind_of(folder), SOMO_PACKAGE_FOLDER);
	assert_string_equal(somo_package_path(folder), target);
	check_listing(folder);
	check_reads(folder);
	assert_int_equal(somo_package_find_root_file(folder, "imsmanifest.xml"), 0);
	/* And extracts again. */
	snprintf(target, sizeof(target), "%s/copy", dir);
	assert_int_equal(somo_package_extract(folder, target), 0);
	assert_int_equal(stat(target, &st), 0);
	snprintf(target, sizeof(target), "%s/copy/media/clip.bin", dir);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, BIG);
	somo_package_free(folder);
	rm_rf(dir);
	free(dir);
}

/* A member that fails half way through extraction leaves nothing behind. */
static void failed_extraction_leaves_nothing(void **state)
{
	static char data[3000];
	zg_file f[] = {{.name = "a.txt", .data = "a", .len = 1},
	               {.name = "z/damaged.bin", .data = data, .len = sizeof(data), .store = 1}};
	char *dir = scratch("failed"), target[4200], names[1000];
	somo_package *pkg;
	size_t size;
	void *zip = zg_make(f, 2, &size);
	long lh = zg_local_header(zip, size, "z/damaged.bin");
	(void)state;

	assert_true(lh >= 0);
	((unsigned char *)zip)[lh + 30 + 13 + 2000] ^= 1;
	assert_int_equal(somo_package_open_memory(&pkg, zip, size, NULL), 0);
	snprintf(target, sizeof(target), "%s/course", dir);
	assert_int_equal(somo_package_extract(pkg, target), SOMO_ECORRUPT);
	assert_non_null(strstr(somo_error_last()->message, "z/damaged.bin"));
	list_dir(dir, names, sizeof(names));
	assert_string_equal(names, "");
	somo_package_free(pkg);
	free(zip);
	rm_rf(dir);
	free(dir);
}

/* A hostile zip on disk: refused whole, nothing written anywhere near. */
static void hostile_zip_writes_nothing_outside(void **state)
{
	zg_file f[] = {{.name = "index.html", .data = "x", .len = 1},
	               {.name = "../../escaped.txt", .data = "x", .len = 1}};
	char *dir = scratch("outside"), path[4200], names[1000];
	somo_package *pkg = (somo_package *)1;
	size_t size;
	void *zip = zg_make(f, 2, &size);
	(void)state;

	snprintf(path, sizeof(path), "%s/evil.zip", dir);
	zg_write_file(path, zip, size);
	free(zip);
	assert_int_equal(somo_package_open(&pkg, path, NULL), SOMO_EUNSAFE);
	assert_null(pkg);
	assert_non_null(strstr(somo_error_last()->message, "member '../../escaped.txt'"));
	list_dir(dir, names, sizeof(names));
	assert_string_equal(names, "evil.zip ");
	rm_rf(dir);
	free(dir);
}

static void zip_file_on_disk(void **state)
{
	char *dir = scratch("disk"), path[4200];
	somo_package *pkg;
	void *zip;
	size_t size;
	(void)state;
	pkg = open_sample(&zip, &size);
	somo_package_free(pkg);
	snprintf(path, sizeof(path), "%s/sample.zip", dir);
	zg_write_file(path, zip, size);
	free(zip);
	assert_int_equal(somo_package_open(&pkg, path, NULL), 0);
	assert_int_equal(somo_package_kind_of(pkg), SOMO_PACKAGE_ZIP);
	assert_string_equal(somo_package_path(pkg), path);
	check_listing(pkg);
	check_reads(pkg);
	somo_package_free(pkg);
	rm_rf(dir);
	free(dir);
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	zg_write_file(path, text, strlen(text));
}

static void folder_refuses_symlinks(void **state)
{
	char *dir = scratch("symlink"), path[4200];
	somo_package *pkg = (somo_package *)1;
	(void)state;
	write_text(dir, "index.html", "<p>x</p>");
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sub/passwd", dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(somo_package_open(&pkg, dir, NULL), SOMO_EUNSAFE);
	assert_null(pkg);
	assert_non_null(strstr(somo_error_last()->message, "member 'sub/passwd': a symbolic link"));
	/* A link to a folder inside the package is refused too. */
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/loop", dir);
	assert_int_equal(symlink("sub", path), 0);
	assert_int_equal(somo_package_open(&pkg, dir, NULL), SOMO_EUNSAFE);
	assert_non_null(strstr(somo_error_last()->message, "member 'loop': a symbolic link"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(somo_package_open(&pkg, dir, NULL), 0);
	assert_int_equal(somo_package_count(pkg), 2);
	/* A link swapped in after opening is not followed either. */
	snprintf(path, sizeof(path), "%s/index.html", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	{
		void *data = NULL;
		size_t size;
		assert_int_equal(somo_package_read(pkg, "index.html", &data, &size), SOMO_EUNSAFE);
		assert_null(data);
	}
	somo_package_free(pkg);
	rm_rf(dir);
	free(dir);
}

static void folder_limits_and_collisions(void **state)
{
	char *dir = scratch("limits");
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	somo_package *pkg = (somo_package *)1;
	(void)state;
	write_text(dir, "Index.html", "1234567890");
	write_text(dir, "index.html", "1234567890");
	assert_int_equal(somo_package_open(&pkg, dir, NULL), SOMO_EUNSAFE);
	assert_null(pkg);
	assert_non_null(strstr(somo_error_last()->message, "collide once normalised"));
	write_text(dir, "c.html", "x");
	o.max_entries = 2;
	assert_int_equal(somo_package_open(&pkg, dir, &o), SOMO_ELIMIT);
	o.max_entries = 0;
	o.max_total_size = 15;
	rm_rf(dir);
	free(dir);
	dir = scratch("limits");
	write_text(dir, "a.html", "1234567890");
	write_text(dir, "b.html", "1234567890");
	assert_int_equal(somo_package_open(&pkg, dir, &o), SOMO_ELIMIT);
	assert_non_null(strstr(somo_error_last()->message, "more than 15 bytes"));
	write_text(dir, "back\\slash.html", "x");
	assert_int_equal(somo_package_open(&pkg, dir, NULL), SOMO_EUNSAFE);
	assert_non_null(strstr(somo_error_last()->message, "backslash"));
	rm_rf(dir);
	free(dir);
}

static void manifest_must_be_at_root(void **state)
{
	zg_file deep[] = {{.name = "course/imsmanifest.xml", .data = "<m/>", .len = 4},
	                  {.name = "other/deeper/imsmanifest.xml", .data = "<m/>", .len = 4}};
	zg_file upper[] = {{.name = "IMSManifest.xml", .data = "<m/>", .len = 4}};
	zg_file none[] = {{.name = "index.html", .data = "<p/>", .len = 4}};
	somo_package *pkg;
	size_t size;
	void *zip;
	(void)state;

	zip = zg_make(deep, 2, &size);
	assert_int_equal(somo_package_open_memory(&pkg, zip, size, NULL), 0);
	assert_int_equal(somo_package_find_root_file(pkg, "imsmanifest.xml"), SOMO_ENOTFOUND);
	assert_non_null(strstr(somo_error_last()->message,
	                       "imsmanifest.xml is not at the package root; found at "
	                       "course/imsmanifest.xml"));
	assert_int_equal(somo_package_find_root_file(pkg, "course"), SOMO_EINVALID);
	assert_int_equal(somo_package_find_root_file(pkg, "a/b"), SOMO_EINVAL);
	somo_package_free(pkg);
	free(zip);

	zip = zg_make(upper, 1, &size);
	assert_int_equal(somo_package_open_memory(&pkg, zip, size, NULL), 0);
	assert_int_equal(somo_package_find_root_file(pkg, "imsmanifest.xml"), SOMO_ENOTFOUND);
	assert_non_null(strstr(somo_error_last()->message, "found IMSManifest.xml"));
	somo_package_free(pkg);
	free(zip);

	zip = zg_make(none, 1, &size);
	assert_int_equal(somo_package_open_memory(&pkg, zip, size, NULL), 0);
	assert_int_equal(somo_package_find_root_file(pkg, "imsmanifest.xml"), SOMO_ENOTFOUND);
	assert_non_null(strstr(somo_error_last()->message, "the package has no imsmanifest.xml"));
	somo_package_free(pkg);
	free(zip);
}

static void bad_arguments(void **state)
{
	somo_package *pkg = (somo_package *)1;
	(void)state;
	assert_int_equal(somo_package_open(NULL, "x.zip", NULL), SOMO_EINVAL);
	assert_int_equal(somo_package_open(&pkg, "/nonexistent/course.zip", NULL), SOMO_ENOTFOUND);
	assert_null(pkg);
	assert_int_equal(somo_package_open(&pkg, "/dev/null", NULL), SOMO_EUNSUPPORTED);
	assert_int_equal(somo_package_open_memory(&pkg, "", 0, NULL), SOMO_ECORRUPT);
	assert_int_equal(somo_package_count(NULL), 0);
	assert_null(somo_package_path(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(check_name_cases),
	    cmocka_unit_test(check_name_limits),
	    cmocka_unit_test(zip_listing_and_reads),
	    cmocka_unit_test(zip_file_on_disk),
	    cmocka_unit_test(extract_then_folder_mode),
	    cmocka_unit_test(failed_extraction_leaves_nothing),
	    cmocka_unit_test(hostile_zip_writes_nothing_outside),
	    cmocka_unit_test(folder_refuses_symlinks),
	    cmocka_unit_test(folder_limits_and_collisions),
	    cmocka_unit_test(manifest_must_be_at_root),
	    cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
