/*
 * The package as a read-only file system: the member table shared by the
 * zip and folder backends, lookups and reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "package/package_int.h"

static int package_new(somo_package **out, const char *path, const somo_package_opts *opts)
{
	somo_package *pkg;

	*out = NULL;
	if ((pkg = somo__calloc(1, sizeof(*pkg))) == NULL)
		return SOMO_ENOMEM;
	pkg->root_fd = -1;
	somo__pkg_opts_resolve(&pkg->opts, opts);
	if ((pkg->path = somo__strdup(path)) == NULL) {
		somo__free(pkg);
		return SOMO_ENOMEM;
	}
	*out = pkg;
	return 0;
}

SOMO_API int somo_package_open(somo_package **out, const char *path, const somo_package_opts *opts)
{
	somo_package *pkg = NULL;
	struct stat st;
	int rc;

	if (!out)
		return somo__error(SOMO_EINVAL, "somo_package_open: out is NULL");
	*out = NULL;
	if (!path || !*path)
		return somo__error(SOMO_EINVAL, "somo_package_open: no path given");
	if (stat(path, &st) != 0)
		return somo__error(errno == ENOENT ? SOMO_ENOTFOUND : SOMO_EIO, "%s: %s", path,
		                   strerror(errno));
	if ((rc = package_new(&pkg, path, opts)) < 0)
		return rc;
	if (S_ISDIR(st.st_mode))
		rc = somo__pkg_folder_open(pkg, path);
	else if (S_ISREG(st.st_mode))
		rc = somo__pkg_zip_open_file(pkg, path);
	else
		rc = somo__error(SOMO_EUNSUPPORTED, "%s: neither a .zip file nor a folder", path);
	if (rc == 0)
		rc = somo__pkg_finish_entries(pkg);
	if (rc < 0) {
		somo_package_free(pkg);
		return rc;
	}
	*out = pkg;
	return 0;
}

SOMO_API int somo_package_open_memory(somo_package **out, const void *data, size_t size,
                                      const somo_package_opts *opts)
{
	somo_package *pkg = NULL;
	int rc;

	if (!out)
		return somo__error(SOMO_EINVAL, "somo_package_open_memory: out is NULL");
	*out = NULL;
	if (!data && size)
		return somo__error(SOMO_EINVAL, "somo_package_open_memory: data is NULL");
	if ((rc = package_new(&pkg, "(memory)", opts)) < 0)
		return rc;
	if ((rc = somo__pkg_zip_open_memory(pkg, data, size)) == 0)
		rc = somo__pkg_finish_entries(pkg);
	if (rc < 0) {
		somo_package_free(pkg);
		return rc;
	}
	*out = pkg;
	return 0;
}

SOMO_API void somo_package_free(somo_package *pkg)
{
	size_t i;

	if (!pkg)
		return;
	if (pkg->cache_open)
		somo__pkg_reader_close(&pkg->cache);
	somo__pkg_zip_close(pkg);
	if (pkg->root_fd >= 0)
		close(pkg->root_fd);
	for (i = 0; i < pkg->count; i++) {
		somo__free(pkg->entries[i].name);
		somo__free(pkg->entries[i].raw);
	}
	somo__free(pkg->entries);
	somo__free(pkg->path);
	somo__free(pkg);
}

SOMO_API somo_package_kind somo_package_kind_of(const somo_package *pkg)
{
	return pkg ? pkg->kind : (somo_package_kind)0;
}

SOMO_API const char *somo_package_path(const somo_package *pkg)
{
	return pkg ? pkg->path : NULL;
}

SOMO_API size_t somo_package_count(const somo_package *pkg)
{
	return pkg ? pkg->count : 0;
}

int somo__pkg_add(somo_package *pkg, const somo__pkg_entry *e)
{
	if (pkg->count == pkg->cap) {
		size_t cap = pkg->cap ? pkg->cap * 2 : 64;
		somo__pkg_entry *n;
		if (cap > SIZE_MAX / sizeof(*n) ||
		    (n = somo__realloc(pkg->entries, cap * sizeof(*n))) == NULL) {
			somo__free(e->name);
			somo__free(e->raw);
			return somo__error_oom();
		}
		pkg->entries = n;
		pkg->cap = cap;
	}
	pkg->entries[pkg->count++] = *e;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const somo__pkg_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	/* Among equal names, listed members come before implied folders. */
	return (int)x->implied - (int)y->implied;
}

/* ASCII case folding: what makes two names one file on Windows and macOS. */
static int fold_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y || !x)
			return (int)x - (int)y;
	}
}

static int entry_ptr_fold_cmp(const void *a, const void *b)
{
	const somo__pkg_entry *x = *(somo__pkg_entry *const *)a;
	const somo__pkg_entry *y = *(somo__pkg_entry *const *)b;
	int c = fold_cmp(x->name, y->name);
	return c ? c : strcmp(x->name, y->name);
}

static const char *shown(const somo__pkg_entry *e, char *q, size_t qsz)
{
	if (e->raw)
		somo__pkg_quote(e->raw, strlen(e->raw), q, qsz);
	else
		snprintf(q, qsz, "%s/ (a folder holding other members)", e->name);
	return q;
}

static int collision(const somo__pkg_entry *a, const somo__pkg_entry *b)
{
	char qa[200], qb[200];

	shown(a, qa, sizeof(qa));
	shown(b, qb, sizeof(qb));
	if (a->is_dir != b->is_dir)
		return somo__error(SOMO_EUNSAFE,
		                   "members '%s' and '%s' collide: '%s' would be both a file and "
		                   "a folder",
		                   qa, qb, a->name);
	return somo__error(SOMO_EUNSAFE,
	                   "members '%s' and '%s' collide once normalised ('%s' and '%s' are "
	                   "one file on case-insensitive systems)",
	                   qa, qb, a->name, b->name);
}

int somo__pkg_finish_entries(somo_package *pkg)
{
	size_t n = pkg->count, i, w;
	somo__pkg_entry **fold;
	int rc = 0;

	/* Every folder a member's path passes through is a member too. */
	for (i = 0; i < n; i++) {
		char *slash;
		size_t len = strlen(pkg->entries[i].name);
		while (len > 0) {
			somo__pkg_entry d;
			const char *nm = pkg->entries[i].name;
			for (slash = NULL; len > 0; len--)
				if (nm[len - 1] == '/') {
					slash = (char *)nm + len - 1;
					break;
				}
			if (!slash)
				break;
			len--;
			memset(&d, 0, sizeof(d));
			if ((d.name = somo__strndup(nm, len)) == NULL)
				return SOMO_ENOMEM;
			d.is_dir = true;
			d.implied = true;
			if ((rc = somo__pkg_add(pkg, &d)) < 0)
				return rc;
		}
	}
	qsort(pkg->entries, pkg->count, sizeof(*pkg->entries), entry_cmp);

	/* Exact duplicates: implied folders merge; anything else collides. */
	for (i = 1, w = 0; i < pkg->count; i++) {
		somo__pkg_entry *prev = &pkg->entries[w], *cur = &pkg->entries[i];
		if (strcmp(prev->name, cur->name) != 0) {
			pkg->entries[++w] = *cur;
			continue;
		}
		if (cur->implied && prev->is_dir) {
			somo__free(cur->name);
			continue;
		}
		rc = collision(prev, cur);
		/* Keep the table consistent for somo_package_free(). */
		pkg->entries[++w] = *cur;
		for (i++; i < pkg->count; i++)
			pkg->entries[++w] = pkg->entries[i];
		pkg->count = w + 1;
		return rc;
	}
	if (pkg->count)
		pkg->count = w + 1;

	/* Case-folded duplicates. */
	if (pkg->count < 2)
		return 0;
	if ((fold = somo__calloc(pkg->count, sizeof(*fold))) == NULL)
		return SOMO_ENOMEM;
	for (i = 0; i < pkg->count; i++)
		fold[i] = &pkg->entries[i];
	qsort(fold, pkg->count, sizeof(*fold), entry_ptr_fold_cmp);
	for (i = 1; i < pkg->count; i++)
		if (fold_cmp(fold[i - 1]->name, fold[i]->name) == 0) {
			rc = collision(fold[i - 1], fold[i]);
			break;
		}
	somo__free(fold);
	return rc;
}

static int name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const somo__pkg_entry *)elem)->name);
}

const somo__pkg_entry *somo__pkg_find(const somo_package *pkg, const char *name)
{
	return bsearch(name, pkg->entries, pkg->count, sizeof(*pkg->entries), name_cmp);
}

static void fill_entry(const somo__pkg_entry *e, somo_package_entry *out)
{
	out->name = e->name;
	out->size = e->size;
	out->comp_size = e->comp_size;
	out->mtime = e->mtime;
	out->is_dir = e->is_dir;
}

SOMO_API int somo_package_entry_at(const somo_package *pkg, size_t i, somo_package_entry *out)
{
	if (!pkg || !out)
		return somo__error(SOMO_EINVAL, "somo_package_entry_at: NULL argument");
	if (i >= pkg->count)
		return somo__error(SOMO_ENOTFOUND, "no member %zu: the package has %zu", i,
		                   pkg->count);
	fill_entry(&pkg->entries[i], out);
	return 0;
}

/* Normalises a name asked for by the caller and finds its member. */
static int lookup(const somo_package *pkg, const char *name, const somo__pkg_entry **out)
{
	char *norm = NULL;
	char q[200];
	int rc;

	*out = NULL;
	if (!pkg || !name)
		return somo__error(SOMO_EINVAL, "package or member name is NULL");
	if ((rc = somo__pkg_check_name(name, strlen(name), &pkg->opts, &norm, NULL)) < 0)
		return rc;
	*out = somo__pkg_find(pkg, norm);
	somo__free(norm);
	if (!*out) {
		somo__pkg_quote(name, strlen(name), q, sizeof(q));
		return somo__error(SOMO_ENOTFOUND, "%s: no member '%s'", pkg->path, q);
	}
	return 0;
}

SOMO_API int somo_package_stat(const somo_package *pkg, const char *name, somo_package_entry *out)
{
	const somo__pkg_entry *e;
	int rc;

	if ((rc = lookup(pkg, name, &e)) < 0)
		return rc;
	if (out)
		fill_entry(e, out);
	return 0;
}

static int file_entry(const somo_package *pkg, const char *name, const somo__pkg_entry **e)
{
	int rc;

	if ((rc = lookup(pkg, name, e)) < 0)
		return rc;
	if ((*e)->is_dir)
		return somo__error(SOMO_EINVAL, "%s: member '%s' is a folder", pkg->path,
		                   (*e)->name);
	return 0;
}

SOMO_API int somo_package_read(somo_package *pkg, const char *name, void **data, size_t *size)
{
	const somo__pkg_entry *e;
	somo__pkg_reader r;
	char *buf;
	size_t got = 0;
	int rc;

	if (data)
		*data = NULL;
	if (size)
		*size = 0;
	if (!data)
		return somo__error(SOMO_EINVAL, "somo_package_read: data is NULL");
	if ((rc = file_entry(pkg, name, &e)) < 0)
		return rc;
	if (e->size >= SIZE_MAX)
		return somo__error(SOMO_ELIMIT, "member '%s' is too large for memory", e->name);
	if ((buf = somo__malloc((size_t)e->size + 1)) == NULL)
		return SOMO_ENOMEM;
	if ((rc = somo__pkg_reader_open(&r, pkg, e)) < 0) {
		somo__free(buf);
		return rc;
	}
	if ((rc = somo__pkg_reader_read(&r, buf, (size_t)e->size, &got)) == 0 && got != e->size)
		rc = somo__error(SOMO_ECORRUPT,
		                 "member '%s' is shorter than its declared %llu bytes", e->name,
		                 (unsigned long long)e->size);
	if (rc == 0)
		rc = somo__pkg_reader_finish(&r);
	somo__pkg_reader_close(&r);
	if (rc < 0) {
		somo__free(buf);
		return rc;
	}
	buf[got] = '\0';
	*data = buf;
	if (size)
		*size = got;
	return 0;
}

SOMO_API int somo_package_read_range(somo_package *pkg, const char *name, uint64_t offset,
                                     void *buf, size_t len, size_t *got)
{
	const somo__pkg_entry *e;
	somo__pkg_reader *r;
	int rc;

	if (got)
		*got = 0;
	if (!got || (!buf && len))
		return somo__error(SOMO_EINVAL, "somo_package_read_range: NULL argument");
	if ((rc = file_entry(pkg, name, &e)) < 0)
		return rc;
	if (offset >= e->size || len == 0)
		return 0;
	/* The member last read stays open, so that a media file served in
	 * successive ranges is not decompressed again from its start. */
	r = &pkg->cache;
	if (pkg->cache_open && (r->e != e || offset < r->pos)) {
		somo__pkg_reader_close(r);
		pkg->cache_open = false;
	}
	if (!pkg->cache_open) {
		if ((rc = somo__pkg_reader_open(r, pkg, e)) < 0)
			return rc;
		pkg->cache_open = true;
	}
	if ((rc = somo__pkg_reader_seek(r, offset)) == 0)
		rc = somo__pkg_reader_read(r, buf, len, got);
	if (rc == 0 && *got < len && offset + *got < e->size)
		rc = somo__error(SOMO_ECORRUPT,
		                 "member '%s' is shorter than its declared %llu bytes", e->name,
		                 (unsigned long long)e->size);
	if (rc == 0 && r->pos == e->size)
		rc = somo__pkg_reader_finish(r);
	if (rc < 0 || r->pos == e->size) {
		somo__pkg_reader_close(r);
		pkg->cache_open = false;
	}
	if (rc < 0)
		*got = 0;
	return rc;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

SOMO_API int somo_package_find_root_file(const somo_package *pkg, const char *name)
{
	const somo__pkg_entry *e, *deeper = NULL, *other_case = NULL;
	size_t i;

	if (!pkg || !name || !*name || strchr(name, '/'))
		return somo__error(SOMO_EINVAL, "somo_package_find_root_file: a plain file name is "
		                                "needed");
	if ((e = somo__pkg_find(pkg, name)) != NULL) {
		if (e->is_dir)
			return somo__error(SOMO_EINVALID, "%s: %s at the package root is a folder",
			                   pkg->path, name);
		return 0;
	}
	for (i = 0; i < pkg->count; i++) {
		const somo__pkg_entry *c = &pkg->entries[i];
		const char *b = base_name(c->name);
		if (c->is_dir)
			continue;
		if (strcmp(b, name) == 0) {
			size_t d = 0, dd = 0;
			const char *p;
			for (p = c->name; *p; p++)
				d += *p == '/';
			if (deeper)
				for (p = deeper->name; *p; p++)
					dd += *p == '/';
			if (!deeper || d < dd)
				deeper = c;
		} else if (b == c->name && somo__str_ieq(b, name)) {
			other_case = c;
		}
	}
	if (other_case)
		return somo__error(SOMO_ENOTFOUND,
		                   "%s: %s is not at the package root; found %s (names are "
		                   "case-sensitive)",
		                   pkg->path, name, other_case->name);
	if (deeper)
		return somo__error(SOMO_ENOTFOUND, "%s: %s is not at the package root; found at %s",
		                   pkg->path, name, deeper->name);
	return somo__error(SOMO_ENOTFOUND, "%s: the package has no %s", pkg->path, name);
}
