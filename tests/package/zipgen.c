#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "zipgen.h"

void *zg_make(const zg_file *files, size_t n, size_t *size)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t len;
	void *out;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (i = 0; i < n; i++) {
		zip_int64_t idx;
		if (!files[i].data) {
			idx = zip_dir_add(za, files[i].name, ZIP_FL_ENC_RAW);
		} else {
			zip_source_t *fs = zip_source_buffer(za, files[i].data, files[i].len, 0);
			assert_non_null(fs);
			idx = zip_file_add(za, files[i].name, fs, ZIP_FL_ENC_RAW);
			if (idx < 0)
				zip_source_free(fs);
		}
		if (idx < 0)
			fail_msg("libzip refused '%s': %s", files[i].name, zip_strerror(za));
		if (files[i].data)
			assert_int_equal(zip_set_file_compression(
			                     za, (zip_uint64_t)idx,
			                     files[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0),
			                 0);
		if (files[i].unix_mode)
			assert_int_equal(zip_file_set_external_attributes(
			                     za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
			                     (zip_uint32_t)files[i].unix_mode << 16),
			                 0);
		if (files[i].encrypt)
			assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx,
			                                         ZIP_EM_TRAD_PKWARE, "secret"),
			                 0);
	}
	if (zip_close(za) != 0)
		fail_msg("zip_close: %s", zip_strerror(za));
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	len = zip_source_tell(src);
	assert_true(len > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	out = malloc((size_t)len);
	assert_non_null(out);
	assert_int_equal(zip_source_read(src, out, (zip_uint64_t)len), len);
	zip_source_close(src);
	zip_source_free(src);
	*size = (size_t)len;
	return out;
}

int zg_patch(void *buf, size_t size, const void *from, const void *to, size_t len)
{
	unsigned char *p = buf;
	size_t i;
	int count = 0;

	for (i = 0; i + len <= size; i++)
		if (memcmp(p + i, from, len) == 0) {
			memcpy(p + i, to, len);
			count++;
		}
	return count;
}

static long find_header(const void *buf, size_t size, const char *sig, size_t len_at,
                        size_t name_at, const char *name)
{
	const unsigned char *p = buf;
	size_t nl = strlen(name), i;

	for (i = 0; i + name_at + nl <= size; i++)
		if (memcmp(p + i, sig, 4) == 0 &&
		    (size_t)(p[i + len_at] | p[i + len_at + 1] << 8) == nl &&
		    memcmp(p + i + name_at, name, nl) == 0)
			return (long)i;
	return -1;
}

long zg_local_header(const void *buf, size_t size, const char *name)
{
	/* Name length at 26, name at 30. */
	return find_header(buf, size, "PK\3\4", 26, 30, name);
}

long zg_central_header(const void *buf, size_t size, const char *name)
{
	/* Name length at 28, name at 46. */
	return find_header(buf, size, "PK\1\2", 28, 46, name);
}

void zg_put16(void *buf, size_t off, uint16_t v)
{
	unsigned char *p = (unsigned char *)buf + off;
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

void zg_put32(void *buf, size_t off, uint32_t v)
{
	zg_put16(buf, off, (uint16_t)v);
	zg_put16(buf, off + 2, (uint16_t)(v >> 16));
}

void zg_write_file(const char *path, const void *buf, size_t size)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
}
