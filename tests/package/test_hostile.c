/*
 * Hostile archives, each made at test time with libzip (or by patching the
 * bytes of one where libzip will not write the hostile thing), each refused
 * with its own precise error.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <zip.h>

#include "somo.h"
#include "zipgen.h"

static const char text[] = "<html><body>hello</body></html>\n";
/* Members: text (deflated), data, a Unix mode, encrypted. */
#define ZT(n)                                                                                      \
	{                                                                                          \
		.name = (n), .data = text, .len = sizeof(text) - 1                                 \
	}
#define ZD(n, d, l, s)                                                                             \
	{                                                                                          \
		.name = (n), .data = (d), .len = (l), .store = (s)                                 \
	}
#define ZM(n, d, l, m)                                                                             \
	{                                                                                          \
		.name = (n), .data = (d), .len = (l), .store = 1, .unix_mode = (m)                 \
	}
#define ZE(n)                                                                                      \
	{                                                                                          \
		.name = (n), .data = text, .len = sizeof(text) - 1, .encrypt = 1                   \
	}

/* Opens a zip made of files and expects code with a message holding want. */
static void expect_refused(const zg_file *files, size_t n, const somo_package_opts *opts, int code,
                           const char *want)
{
	somo_package *pkg = (somo_package *)1;
	size_t size;
	void *zip = zg_make(files, n, &size);
	int rc = somo_package_open_memory(&pkg, zip, size, opts);

	free(zip);
	if (rc != code || !strstr(somo_error_last()->message, want))
		fail_msg("expected %d containing \"%s\", got %d: %s", code, want, rc,
		         somo_error_last()->message);
	assert_null(pkg);
}

static void expect_refused_bytes(void *zip, size_t size, int code, const char *want)
{
	somo_package *pkg = (somo_package *)1;
	int rc = somo_package_open_memory(&pkg, zip, size, NULL);

	if (rc != code || !strstr(somo_error_last()->message, want))
		fail_msg("expected %d containing \"%s\", got %d: %s", code, want, rc,
		         somo_error_last()->message);
	assert_null(pkg);
}

static void refuses_dotdot(void **state)
{
	zg_file f[] = {ZT("ok.html"), ZT("../evil.html")};
	zg_file g[] = {ZT("a/b/../../../evil.html")};
	(void)state;
	expect_refused(f, 2, NULL, SOMO_EUNSAFE, "member '../evil.html': '..' in the path");
	expect_refused(g, 1, NULL, SOMO_EUNSAFE, "'..' in the path climbs out");
}

static void refuses_absolute(void **state)
{
	zg_file f[] = {ZT("/etc/cron.d/evil")};
	(void)state;
	expect_refused(f, 1, NULL, SOMO_EUNSAFE, "member '/etc/cron.d/evil': absolute path");
}

static void refuses_drive_letter(void **state)
{
	zg_file f[] = {ZT("C:/Windows/evil.dll")};
	(void)state;
	expect_refused(f, 1, NULL, SOMO_EUNSAFE, "member 'C:/Windows/evil.dll': drive letter");
}

static void refuses_backslash(void **state)
{
	zg_file f[] = {ZT("..\\..\\evil.html")};
	(void)state;
	expect_refused(f, 1, NULL, SOMO_EUNSAFE, "backslash in the name");
}

static void refuses_nul_in_name(void **state)
{
	zg_file f[] = {ZT("index.html"), ZT("evil.sh#.txt")};
	size_t size;
	void *zip = zg_make(f, 2, &size);
	(void)state;
	/* libzip will not write a NUL in a name: put it in the bytes, in both
	 * the local and the central header. */
	assert_int_equal(zg_patch(zip, size, "evil.sh#.txt", "evil.sh\0.txt", 12), 2);
	expect_refused_bytes(zip, size, SOMO_EUNSAFE, "member 'evil.sh\\x00.txt': NUL byte");
	free(zip);
}

static void refuses_symlink(void **state)
{
	zg_file f[] = {ZT("index.html"), ZM("link", "/etc/passwd", 11, S_IFLNK | 0777)};
	(void)state;
	expect_refused(f, 2, NULL, SOMO_EUNSAFE, "member 'link': a symbolic link");
}

static void refuses_special_file(void **state)
{
	zg_file f[] = {ZM("fifo", "", 0, S_IFIFO | 0644)};
	(void)state;
	expect_refused(f, 1, NULL, SOMO_EUNSAFE, "member 'fifo': a special file");
}

static void refuses_case_collision(void **state)
{
	zg_file f[] = {ZT("Index.html"), ZT("index.html")};
	(void)state;
	expect_refused(f, 2, NULL, SOMO_EUNSAFE,
	               "members 'Index.html' and 'index.html' collide once normalised");
}

static void refuses_slash_collision(void **state)
{
	zg_file f[] = {ZT("a/b.html"), ZT("a//b.html")};
	zg_file g[] = {ZT("a/b.html"), ZT("a/./b.html")};
	(void)state;
	expect_refused(f, 2, NULL, SOMO_EUNSAFE, "collide once normalised ('a/b.html' and");
	expect_refused(g, 2, NULL, SOMO_EUNSAFE, "'a/./b.html'");
}

static void refuses_file_folder_collision(void **state)
{
	zg_file f[] = {ZT("a"), ZT("a/b.html")};
	(void)state;
	expect_refused(f, 2, NULL, SOMO_EUNSAFE, "'a' would be both a file and a folder");
}

static void refuses_encrypted(void **state)
{
	zg_file plain[] = {ZT("index.html"), ZT("secret.html")};
	size_t size;
	void *zip;
	long lh, ch;
	(void)state;
	if (zip_encryption_method_supported(ZIP_EM_TRAD_PKWARE, 1)) {
		print_message("libzip writes traditional PKWARE encryption\n");
		zg_file f[] = {ZT("index.html"), ZE("secret.html")};
		expect_refused(f, 2, NULL, SOMO_EUNSAFE, "member 'secret.html': encrypted");
	}
	/* The encryption flag set by hand, as any zip tool would write it. */
	zip = zg_make(plain, 2, &size);
	lh = zg_local_header(zip, size, "secret.html");
	ch = zg_central_header(zip, size, "secret.html");
	assert_true(lh >= 0 && ch >= 0);
	((unsigned char *)zip)[lh + 6] |= 1;
	((unsigned char *)zip)[ch + 8] |= 1;
	expect_refused_bytes(zip, size, SOMO_EUNSAFE, "member 'secret.html': encrypted");
	free(zip);
}

static void refuses_too_many_entries(void **state)
{
	zg_file f[12];
	char names[12][16];
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	int i;
	(void)state;
	for (i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]), "f%02d.txt", i);
		f[i] = (zg_file)ZT(names[i]);
	}
	o.max_entries = 11;
	expect_refused(f, 12, &o, SOMO_ELIMIT, "12 members (limit 11)");
	o.max_entries = 12;
	{
		somo_package *pkg;
		size_t size;
		void *zip = zg_make(f, 12, &size);
		assert_int_equal(somo_package_open_memory(&pkg, zip, size, &o), 0);
		assert_int_equal(somo_package_count(pkg), 12);
		somo_package_free(pkg);
		free(zip);
	}
}

static void refuses_too_many_bytes(void **state)
{
	static char data[600];
	zg_file f[] = {ZD("a.bin", data, sizeof(data), 1), ZD("b.bin", data, sizeof(data), 1)};
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	(void)state;
	o.max_total_size = 1000;
	expect_refused(f, 2, &o, SOMO_ELIMIT,
	               "member 'b.bin': the package expands to more than 1000 bytes");
	o.max_total_size = 0;
	o.max_entry_size = 599;
	expect_refused(f, 2, &o, SOMO_ELIMIT, "member 'a.bin': 600 bytes uncompressed (limit 599");
}

static void refuses_zip_bomb_ratio(void **state)
{
	size_t n = 4u << 20;
	char *zeros = calloc(1, n);
	zg_file f[] = {ZD("bomb.bin", zeros, n, 0)};
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	(void)state;
	assert_non_null(zeros);
	expect_refused(f, 1, NULL, SOMO_ELIMIT, "member 'bomb.bin': compression ratio");
	expect_refused(f, 1, NULL, SOMO_ELIMIT, "says zip bomb");
	/* A ratio limit raised by the caller lets it through. */
	o.max_ratio = 100000;
	{
		somo_package *pkg;
		size_t size;
		void *zip = zg_make(f, 1, &size);
		assert_int_equal(somo_package_open_memory(&pkg, zip, size, &o), 0);
		somo_package_free(pkg);
		free(zip);
	}
	free(zeros);
}

static void refuses_excessive_depth(void **state)
{
	char name[200] = "";
	zg_file f[1];
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	int i;
	(void)state;
	for (i = 0; i < 32; i++)
		strcat(name, "d/");
	strcat(name, "f.txt"); /* 33 components */
	f[0] = (zg_file)ZT(name);
	expect_refused(f, 1, NULL, SOMO_ELIMIT, "more than 32 folders deep");
	o.max_depth = 33;
	{
		somo_package *pkg;
		size_t size;
		void *zip = zg_make(f, 1, &size);
		assert_int_equal(somo_package_open_memory(&pkg, zip, size, &o), 0);
		somo_package_free(pkg);
		free(zip);
	}
}

static void refuses_long_name(void **state)
{
	char name[1100];
	zg_file f[1];
	(void)state;
	memset(name, 'n', 1025);
	name[1025] = '\0';
	f[0] = (zg_file)ZT(name);
	expect_refused(f, 1, NULL, SOMO_ELIMIT, "the name is 1025 bytes long (limit 1024)");
}

static void refuses_garbage(void **state)
{
	static const char junk[] = "this is not a zip archive at all, just words";
	somo_package *pkg = (somo_package *)1;
	(void)state;
	assert_int_equal(somo_package_open_memory(&pkg, junk, sizeof(junk), NULL), SOMO_ECORRUPT);
	assert_null(pkg);
	assert_non_null(strstr(somo_error_last()->message, "not a zip archive"));
}

/* Declared sizes that lie: reading stops at the declared size and fails. */
static void lying_sizes_fail_reads(void **state)
{
	static char data[5000];
	zg_file f[] = {ZD("stored.bin", data, sizeof(data), 1),
	               ZD("deflated.txt", data, sizeof(data), 0)};
	const char *names[] = {"stored.bin", "deflated.txt"};
	const uint32_t lies[] = {4000, 6000};
	int i, j;
	(void)state;
	memset(data, 'x', sizeof(data));
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			size_t size, got;
			void *zip = zg_make(f, 2, &size), *out = NULL;
			long lh = zg_local_header(zip, size, names[i]);
			long ch = zg_central_header(zip, size, names[i]);
			somo_package *pkg;
			char range[100];
			int rc;
			assert_true(lh >= 0 && ch >= 0);
			zg_put32(zip, (size_t)lh + 22, lies[j]);
			zg_put32(zip, (size_t)ch + 24, lies[j]);
			if (somo_package_open_memory(&pkg, zip, size, NULL) != 0) {
				/* Refused at open: as good, provided it says why. */
				print_message("%s declared %u: refused at open: %s\n", names[i],
				              lies[j], somo_error_last()->message);
				assert_int_equal(somo_error_last()->code, SOMO_ECORRUPT);
				free(zip);
				continue;
			}
			rc = somo_package_read(pkg, names[i], &out, &got);
			if (rc != SOMO_ECORRUPT)
				fail_msg("%s declared %u: read gave %d: %s", names[i], lies[j], rc,
				         somo_error_last()->message);
			print_message("%s declared %u: %s\n", names[i], lies[j],
			              somo_error_last()->message);
			assert_null(out);
			assert_non_null(strstr(somo_error_last()->message, names[i]));
			/* A range read at the end meets the lie too. */
			rc = somo_package_read_range(pkg, names[i], lies[j] - 100, range,
			                             sizeof(range), &got);
			if (rc == 0)
				assert_true(got <= 100);
			else
				assert_int_equal(rc, SOMO_ECORRUPT);
			/* The other member still reads. */
			assert_int_equal(somo_package_read(pkg, names[1 - i], &out, &got), 0);
			assert_int_equal(got, sizeof(data));
			somo_free(out);
			somo_package_free(pkg);
			free(zip);
		}
}

/* A member claiming far more bytes than the archive holds is refused at
 * open, before anything is allocated for it. */
static void refuses_sizes_beyond_archive(void **state)
{
	static char data[1000];
	zg_file f[] = {ZD("video.mp4", data, sizeof(data), 1)};
	size_t size;
	void *zip = zg_make(f, 1, &size);
	long lh = zg_local_header(zip, size, "video.mp4");
	long ch = zg_central_header(zip, size, "video.mp4");
	(void)state;
	assert_true(lh >= 0 && ch >= 0);
	zg_put32(zip, (size_t)lh + 18, 0x70000000u);
	zg_put32(zip, (size_t)lh + 22, 0x70000000u);
	zg_put32(zip, (size_t)ch + 20, 0x70000000u);
	zg_put32(zip, (size_t)ch + 24, 0x70000000u);
	expect_refused_bytes(zip, size, SOMO_ECORRUPT, "more than the whole archive holds");
	free(zip);
}

static void crc_mismatch_fails_read(void **state)
{
	static char data[3000];
	zg_file f[] = {ZD("media.bin", data, sizeof(data), 1)};
	size_t size, got;
	void *zip, *out = (void *)1;
	somo_package *pkg;
	long lh;
	(void)state;
	memset(data, 'y', sizeof(data));
	zip = zg_make(f, 1, &size);
	lh = zg_local_header(zip, size, "media.bin");
	assert_true(lh >= 0);
	((unsigned char *)zip)[lh + 30 + 9 + 1000] ^= 0x55; /* a byte of the data */
	assert_int_equal(somo_package_open_memory(&pkg, zip, size, NULL), 0);
	assert_int_equal(somo_package_read(pkg, "media.bin", &out, &got), SOMO_ECORRUPT);
	assert_non_null(strstr(somo_error_last()->message, "member 'media.bin': CRC mismatch"));
	assert_null(out);
	somo_package_free(pkg);
	free(zip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(refuses_dotdot),
	    cmocka_unit_test(refuses_absolute),
	    cmocka_unit_test(refuses_drive_letter),
	    cmocka_unit_test(refuses_backslash),
	    cmocka_unit_test(refuses_nul_in_name),
	    cmocka_unit_test(refuses_symlink),
	    cmocka_unit_test(refuses_special_file),
	    cmocka_unit_test(refuses_case_collision),
	    cmocka_unit_test(refuses_slash_collision),
	    cmocka_unit_test(refuses_file_folder_collision),
	    cmocka_unit_test(refuses_encrypted),
	    cmocka_unit_test(refuses_too_many_entries),
	    cmocka_unit_test(refuses_too_many_bytes),
	    cmocka_unit_test(refuses_zip_bomb_ratio),
	    cmocka_unit_test(refuses_excessive_depth),
	    cmocka_unit_test(refuses_long_name),
	    cmocka_unit_test(refuses_garbage),
	    cmocka_unit_test(lying_sizes_fail_reads),
	    cmocka_unit_test(refuses_sizes_beyond_archive),
	    cmocka_unit_test(crc_mismatch_fails_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
