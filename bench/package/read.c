/*
 * The package benchmark's program.
 *   bench-package-read generate FILE   writes the benchmark zip: 5,000 members,
 *                                      about 200 MB (HTML/JS text deflated,
 *                                      media stored), the same bytes every time
 *   bench-package-read read FILE       reads every member through Somo
 *                                      (somo_package_read: inflate + CRC check)
 * bench/package/run.sh times "read" against `unzip -tq` on the same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "somo.h"

#define TEXT_FILES  4000
#define MEDIA_FILES 1000

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
	/* xorshift64*: the same archive on every run and machine. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1du;
}

static const char *const words[] = {
    "customs",
    "valuation",
    "tariff",
    "declaration",
    "import",
    "export",
    "duty",
    "goods",
    "origin",
    "invoice",
    "clearance",
    "broker",
    "<div class=\"slide\">",
    "</div>",
    "<p>",
    "</p>",
    "function",
    "var",
    "return",
    "score",
    "learner",
    "cmi.core.lesson_status",
    "SetValue(",
    "GetValue(",
    "=",
    ";",
    "{",
    "}",
    "\n",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "on",
    "with",
    "as",
};

static char *make_text(size_t len)
{
	char *s = malloc(len);
	size_t n = 0;
	while (n < len) {
		const char *w = words[next() % (sizeof(words) / sizeof(words[0]))];
		size_t wl = strlen(w);
		if (wl > len - n)
			wl = len - n;
		memcpy(s + n, w, wl);
		n += wl;
		if (n < len)
			s[n++] = ' ';
	}
	return s;
}

static char *make_media(size_t len)
{
	char *s = malloc(len + 8);
	size_t i;
	for (i = 0; i < len; i += 8) {
		uint64_t v = next();
		memcpy(s + i, &v, 8);
	}
	return s;
}

static int generate(const char *path)
{
	int err = 0, i;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	if (!za) {
		fprintf(stderr, "cannot create %s (libzip error %d)\n", path, err);
		return 1;
	}
	for (i = 0; i < TEXT_FILES + MEDIA_FILES; i++) {
		int media = i >= TEXT_FILES;
		/* Text 2-42 KB, media 50-305 KB. */
		size_t len = media ? 50000 + next() % 255000 : 2000 + next() % 40000;
		char name[64], *data = media ? make_media(len) : make_text(len);
		zip_source_t *src = zip_source_buffer(za, data, len, 1);
		zip_int64_t idx;
		snprintf(name, sizeof(name),
		         media ? "media/sco%02d/clip%04d.mp4" : "sco%02d/page%04d.html", i % 50, i);
		if (!src || (idx = zip_file_add(za, name, src, 0)) < 0 ||
		    zip_set_file_compression(za, (zip_uint64_t)idx,
		                             media ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 6) != 0) {
			fprintf(stderr, "%s: %s\n", name, zip_strerror(za));
			return 1;
		}
	}
	if (zip_close(za) != 0) {
		fprintf(stderr, "%s: %s\n", path, zip_strerror(za));
		return 1;
	}
	return 0;
}

static int read_all(const char *path)
{
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	somo_package *pkg;
	uint64_t bytes = 0, sum = 0;
	size_t i, n, files = 0;

	if (somo_package_open(&pkg, path, &o) != 0) {
		fprintf(stderr, "%s\n", somo_error_last()->message);
		return 1;
	}
	n = somo_package_count(pkg);
	for (i = 0; i < n; i++) {
		somo_package_entry e;
		void *data;
		size_t size;
		if (somo_package_entry_at(pkg, i, &e) != 0 || e.is_dir)
			continue;
		if (somo_package_read(pkg, e.name, &data, &size) != 0) {
			fprintf(stderr, "%s\n", somo_error_last()->message);
			somo_package_free(pkg);
			return 1;
		}
		bytes += size;
		sum += size ? ((unsigned char *)data)[size - 1] : 0;
		somo_free(data);
		files++;
	}
	somo_package_free(pkg);
	printf("%zu files, %llu bytes (check %llu)\n", files, (unsigned long long)bytes,
	       (unsigned long long)sum);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "generate") == 0)
		return generate(argv[2]);
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return read_all(argv[2]);
	fprintf(stderr, "usage: %s generate|read FILE.zip\n", argv[0]);
	return 2;
}
