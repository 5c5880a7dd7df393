/* Internals of the package module, shared by its files. */
#ifndef SOMO_PACKAGE_INT_H
#define SOMO_PACKAGE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "somo/package.h"
#include "util/util.h"

struct zip;
struct zip_file;

/* Defaults of somo_package_opts (a zero field takes these). */
#define SOMO__PKG_MAX_ENTRIES    65536u
#define SOMO__PKG_MAX_TOTAL      (UINT64_C(4) << 30)
#define SOMO__PKG_MAX_ENTRY      (UINT64_C(2) << 30)
#define SOMO__PKG_MAX_RATIO      200u
#define SOMO__PKG_MAX_DEPTH      32u
#define SOMO__PKG_MAX_NAME       1024u
#define SOMO__PKG_RATIO_MIN_SIZE 65536u

/* One member: a file or a folder (listed in the archive or implied by a path). */
typedef struct {
	char *name; /* normalised, '/' separated, no trailing '/' */
	char *raw;  /* the name as stored, for messages; NULL for implied folders */
	uint64_t size;
	uint64_t comp_size;
	int64_t mtime;
	uint64_t index; /* zip index */
	bool is_dir;
	bool implied;
} somo__pkg_entry;

/* Reads one member from its start up to its declared size, never beyond. */
typedef struct {
	const somo__pkg_entry *e;
	struct zip *za;
	struct zip_file *zf;
	int fd;
	uint64_t pos;
} somo__pkg_reader;

struct somo_package {
	somo_package_kind kind;
	char *path;
	somo_package_opts opts;   /* every field resolved */
	somo__pkg_entry *entries; /* sorted by name (strcmp) */
	size_t count;
	size_t cap;
	struct zip *za;
	void *mem;
	int root_fd;
	somo__pkg_reader cache; /* last member read by range, kept open */
	bool cache_open;
};

/* opts with every zero field replaced by its default. */
void somo__pkg_opts_resolve(somo_package_opts *out, const somo_package_opts *in);

/*
 * Check and normalise one member name (see somo_package_check_name);
 * *is_dir tells whether it ended with '/'. name is used for messages.
 */
int somo__pkg_check_name(const char *name, size_t len, const somo_package_opts *opts,
                         char **normalised, bool *is_dir);

/* A printable, bounded rendering of a name for messages: \xNN for odd bytes. */
void somo__pkg_quote(const char *s, size_t len, char *out, size_t outsz);

/* Adds an entry (takes ownership of name and raw). */
int somo__pkg_add(somo_package *pkg, const somo__pkg_entry *e);

/* Sorts the entries, adds implied folders, refuses collisions. */
int somo__pkg_finish_entries(somo_package *pkg);

/* The entry by normalised name, or NULL. */
const somo__pkg_entry *somo__pkg_find(const somo_package *pkg, const char *name);

/* Backends. */
int somo__pkg_zip_open_file(somo_package *pkg, const char *path);
int somo__pkg_zip_open_memory(somo_package *pkg, const void *data, size_t size);
void somo__pkg_zip_close(somo_package *pkg);
int somo__pkg_folder_open(somo_package *pkg, const char *path);

/* Member readers: open at the start, read (bounded by the declared size),
 * seek forward, check the member ends where declared, close. */
int somo__pkg_reader_open(somo__pkg_reader *r, somo_package *pkg, const somo__pkg_entry *e);
int somo__pkg_reader_read(somo__pkg_reader *r, void *buf, size_t len, size_t *got);
int somo__pkg_reader_seek(somo__pkg_reader *r, uint64_t offset);
int somo__pkg_reader_finish(somo__pkg_reader *r);
void somo__pkg_reader_close(somo__pkg_reader *r);

/* Opens the folder path below dir_fd one component at a time, never
 * following a symbolic link; "" gives a duplicate of dir_fd. */
int somo__pkg_open_dir_beneath(int dir_fd, const char *path, size_t len, int *out);

#endif
