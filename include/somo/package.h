/*
 * Packages: a content package (.zip or folder) as a read-only file system.
 * Members are read in place (libzip), never extracted unless asked.
 */
#ifndef SOMO_PACKAGE_H
#define SOMO_PACKAGE_H

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open package. Opaque; one thread at a time. */
typedef struct somo_package somo_package;

/**
 * Limits applied to untrusted packages (archives and folders alike). Zero
 * fields take the default. Start from SOMO_PACKAGE_OPTS_INIT; fields are only
 * ever appended.
 */
typedef struct {
	unsigned int version;          /**< SOMO_PACKAGE_OPTS_VERSION */
	uint64_t max_entries;          /**< default 65536 */
	uint64_t max_total_size;       /**< uncompressed bytes, default 4 GiB */
	uint64_t max_entry_size;       /**< uncompressed bytes of one member, default 2 GiB */
	uint32_t max_ratio;            /**< uncompressed/compressed per member, default 200 */
	uint32_t max_depth;            /**< path components, default 32 */
	uint32_t max_name_length;      /**< bytes of one path, default 1024 */
	uint64_t ratio_min_size;       /**< members smaller than this (uncompressed) skip the
					    max_ratio check, default 65536: small files of
					    repeated text compress well and are no bomb */
} somo_package_opts;

#define SOMO_PACKAGE_OPTS_VERSION 1
#define SOMO_PACKAGE_OPTS_INIT {SOMO_PACKAGE_OPTS_VERSION, 0, 0, 0, 0, 0, 0, 0}

typedef enum { SOMO_PACKAGE_ZIP = 1, SOMO_PACKAGE_FOLDER = 2 } somo_package_kind;

/** What is known of one member. */
typedef struct {
	const char *name;   /**< normalised path with '/' separators, borrowed */
	uint64_t size;      /**< uncompressed bytes */
	uint64_t comp_size; /**< bytes stored (equal to size for folders) */
	int64_t mtime;      /**< seconds since the epoch, 0 when unknown */
	int is_dir;
} somo_package_entry;

/**
 * Open a .zip file or a folder. Every member name is checked (no "..", no
 * absolute paths, drive letters, backslashes, NUL or control characters,
 * invalid UTF-8, symlinks or other special files, encrypted members, names
 * that collide once normalised or ASCII case-folded, a file that is also a
 * folder; the limits of opts), and a hostile package is refused whole with
 * SOMO_EUNSAFE or SOMO_ELIMIT and a message naming the member and the reason.
 * A folder's symbolic links are refused, never followed. Other failures:
 * SOMO_ENOTFOUND (no such path), SOMO_ECORRUPT (not a zip, damaged),
 * SOMO_EUNSUPPORTED (a compression method libzip lacks), SOMO_EIO.
 * opts may be NULL for the defaults. On success *out is the caller's to free
 * with somo_package_free(); on failure *out is NULL.
 */
SOMO_API int somo_package_open(somo_package **out, const char *path, const somo_package_opts *opts);

/**
 * Open a zip held in memory, as somo_package_open() does a file. The bytes
 * are copied: data may be freed when this returns. Its path is "(memory)".
 */
SOMO_API int somo_package_open_memory(somo_package **out, const void *data, size_t size,
				      const somo_package_opts *opts);

/** Close a package. NULL is a no-op. */
SOMO_API void somo_package_free(somo_package *pkg);

/** Whether pkg is a zip or a folder; 0 for NULL. */
SOMO_API somo_package_kind somo_package_kind_of(const somo_package *pkg);

/** The path the package was opened from (borrowed, valid while pkg lives); NULL for NULL. */
SOMO_API const char *somo_package_path(const somo_package *pkg);

/**
 * Number of members: files and folders, including the folders a member's
 * path implies when the archive does not list them. 0 for NULL.
 */
SOMO_API size_t somo_package_count(const somo_package *pkg);

/**
 * The i-th member, 0 <= i < count, sorted by name (byte order, so a folder
 * comes before what it holds). out->name is borrowed from pkg. SOMO_ENOTFOUND
 * when i is out of range.
 */
SOMO_API int somo_package_entry_at(const somo_package *pkg, size_t i, somo_package_entry *out);

/**
 * Look a member up by path. "a/./b" and "a//b" are normalised; a leading
 * "/" or ".." is refused (SOMO_EUNSAFE). Names are case-sensitive. Returns
 * SOMO_ENOTFOUND when absent. out may be NULL to test for presence.
 */
SOMO_API int somo_package_stat(const somo_package *pkg, const char *name, somo_package_entry *out);

/**
 * Read a member whole. *data (NUL-terminated for convenience, not counted in
 * *size) is the caller's to free with somo_free(); size may be NULL. The read
 * stops at the size the archive declares and fails with SOMO_ECORRUPT when
 * the data is longer, shorter or fails its CRC; *data is then NULL. A folder
 * member gives SOMO_EINVAL.
 */
SOMO_API int somo_package_read(somo_package *pkg, const char *name, void **data, size_t *size);

/**
 * Read up to len bytes of a member starting at offset into buf; *got is the
 * number read (0 at or past the end). For Range requests on media. Stored
 * members seek; compressed ones are inflated up to offset. The member last
 * read this way stays open in pkg, so that successive ranges of one member
 * continue where the previous one stopped. The CRC is checked when a range
 * reaches the end of a member read from its start.
 */
SOMO_API int somo_package_read_range(somo_package *pkg, const char *name, uint64_t offset,
				     void *buf, size_t len, size_t *got);

/**
 * Extract the whole package into the folder target, which must not exist
 * (SOMO_EEXISTS): written to a temporary folder beside it (".NAME.somo-XXXXXX"),
 * every file created with O_EXCL|O_NOFOLLOW, then renamed into place without
 * replacing anything. On failure the temporary folder is removed and target
 * is not created. Nothing is ever written outside target.
 */
SOMO_API int somo_package_extract(somo_package *pkg, const char *target);

/**
 * Find the file name (e.g. "imsmanifest.xml") at the package root; 0 when it
 * is there. When it is absent from the root but present deeper, fails with
 * SOMO_ENOTFOUND and a message naming where it was found, the shallowest
 * first (e.g. "imsmanifest.xml is not at the package root; found at
 * course/imsmanifest.xml"); a root file differing only in case is named the
 * same way. SOMO_EINVALID when name is a folder at the root, SOMO_EINVAL when
 * name is not a plain file name.
 */
SOMO_API int somo_package_find_root_file(const somo_package *pkg, const char *name);

/**
 * Check one member name as it appears in an archive (len bytes, which may
 * hold a NUL). Returns 0 when safe, SOMO_EUNSAFE with a message otherwise,
 * SOMO_ELIMIT when longer than max_name_length or deeper than max_depth.
 * normalised (may be NULL) receives the normalised name ('/' separated, no
 * "." or empty components, no trailing '/'), caller frees with somo_free();
 * it is NULL on failure. Exposed for fuzzing and for hosts that accept uploads
 * member by member.
 */
SOMO_API int somo_package_check_name(const char *name, size_t len, const somo_package_opts *opts,
				     char **normalised);

#ifdef __cplusplus
}
#endif
#endif
