/* Zips made at test time with libzip, and byte patches for what libzip will not write. */
#ifndef SOMO_TEST_ZIPGEN_H
#define SOMO_TEST_ZIPGEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	const char *name;
	const void *data; /* NULL: a folder entry (name ends with '/') */
	size_t len;
	int store;          /* 1: stored, 0: deflated */
	uint32_t unix_mode; /* 0: default attributes; else (S_IFxxx | perms) */
	int encrypt;        /* 1: traditional PKWARE encryption when libzip can write it */
} zg_file;

/* A zip in memory (free()), made from files; aborts the test on failure. */
void *zg_make(const zg_file *files, size_t n, size_t *size);

/* Replaces every occurrence of from by to (same length) in buf; returns the count. */
int zg_patch(void *buf, size_t size, const void *from, const void *to, size_t len);

/* Offsets of the local header and of the central directory header of the
 * member called name (the first of each), or -1. */
long zg_local_header(const void *buf, size_t size, const char *name);
long zg_central_header(const void *buf, size_t size, const char *name);

void zg_put16(void *buf, size_t off, uint16_t v);
void zg_put32(void *buf, size_t off, uint32_t v);

/* Writes buf to path; aborts the test on failure. */
void zg_write_file(const char *path, const void *buf, size_t size);

#endif
