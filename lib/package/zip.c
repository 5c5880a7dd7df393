/*
 * The zip backend: libzip reads the archive in place; every member is
 * checked when the archive is opened, and reads stop at the declared size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "package/package_int.h"

/* A libzip error as a Somo error, about what (a member or the archive). */
static int zip_error_raise(const char *what, zip_error_t *ze)
{
	int code;

	switch (zip_error_code_zip(ze)) {
	case ZIP_ER_MEMORY:
		return somo__error_oom();
	case ZIP_ER_CRC:
		return somo__error(SOMO_ECORRUPT, "%s: CRC mismatch, the data is damaged", what);
	case ZIP_ER_INCONS:
		return somo__error(SOMO_ECORRUPT,
		                   "%s: the archive is inconsistent (declared sizes or headers do "
		                   "not match the data)",
		                   what);
	case ZIP_ER_NOZIP:
		return somo__error(SOMO_ECORRUPT, "%s: not a zip archive", what);
	case ZIP_ER_COMPNOTSUPP:
		return somo__error(SOMO_EUNSUPPORTED, "%s: compression method not supported", what);
	case ZIP_ER_ENCRNOTSUPP:
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
		return somo__error(SOMO_EUNSAFE, "%s: encrypted, refused", what);
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
	case ZIP_ER_OPEN:
	case ZIP_ER_TELL:
		code = SOMO_EIO;
		break;
	default:
		code = SOMO_ECORRUPT;
		break;
	}
	return somo__error(code, "%s: %s", what, zip_error_strerror(ze));
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

/* The archive's bytes, from memory or through a file descriptor. */
#define RAW_WINDOW (256u * 1024u)
typedef struct {
	const unsigned char *mem;
	int fd;
	uint64_t size;
	unsigned char *buf;
	uint64_t buf_off;
	size_t buf_len;
} raw_src;

/* len bytes at off, valid until the next call; NULL when out of range. */
static const unsigned char *raw_get(raw_src *s, uint64_t off, size_t len)
{
	size_t want, got = 0;

	if (off > s->size || len > s->size - off || len > RAW_WINDOW)
		return NULL;
	if (s->mem)
		return s->mem + off;
	if (s->buf && off >= s->buf_off && off + len <= s->buf_off + s->buf_len)
		return s->buf + (off - s->buf_off);
	if (!s->buf && (s->buf = somo__malloc(RAW_WINDOW)) == NULL)
		return NULL;
	want = s->size - off < RAW_WINDOW ? (size_t)(s->size - off) : RAW_WINDOW;
	while (got < want) {
		ssize_t n = pread(s->fd, s->buf + got, want - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	s->buf_off = off;
	s->buf_len = got;
	return s->buf;
}

/*
 * libzip replaces NUL bytes inside member names with spaces when it reads
 * them, so a name that other unzip tools cut short at the NUL would look
 * harmless here. The central directory's names are therefore looked at as
 * stored, for this check alone; everything else is libzip's reading.
 */
static int scan_names_for_nul(raw_src *s, uint64_t expected)
{
	unsigned char tail[22 + 65535];
	const unsigned char *p;
	uint64_t tail_len = s->size < sizeof(tail) ? s->size : sizeof(tail);
	uint64_t base = s->size - tail_len, i;

	if (tail_len < 22 || (p = raw_get(s, base, (size_t)tail_len)) == NULL)
		return somo__error(SOMO_ECORRUPT,
		                   "not a zip archive (no end of central directory)");
	memcpy(tail, p, (size_t)tail_len);
	for (i = tail_len - 22 + 1; i-- > 0;) {
		uint64_t eocd = base + i, n, cd_size, cd_off, off, count = 0;
		if (memcmp(tail + i, "PK\5\6", 4) != 0)
			continue;
		n = le16(tail + i + 10);
		cd_size = le32(tail + i + 12);
		cd_off = le32(tail + i + 16);
		if (n == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu) {
			uint64_t z64;
			if (eocd < 20 || (p = raw_get(s, eocd - 20, 20)) == NULL ||
			    memcmp(p, "PK\6\7", 4) != 0)
				continue;
			z64 = le64(p + 8);
			if ((p = raw_get(s, z64, 56)) == NULL || memcmp(p, "PK\6\6", 4) != 0)
				continue;
			n = le64(p + 32);
			cd_size = le64(p + 40);
			cd_off = le64(p + 48);
			eocd = z64;
		}
		if (cd_off > eocd || cd_size > eocd - cd_off)
			continue;
		for (off = cd_off; off < cd_off + cd_size; count++) {
			uint16_t nl, el, cl;
			const unsigned char *h = raw_get(s, off, 46);
			if (!h || memcmp(h, "PK\1\2", 4) != 0)
				break;
			nl = le16(h + 28);
			el = le16(h + 30);
			cl = le16(h + 32);
			if ((p = raw_get(s, off + 46, nl)) == NULL)
				break;
			if (memchr(p, 0, nl)) {
				char q[200];
				somo__pkg_quote((const char *)p, nl, q, sizeof(q));
				return somo__error(SOMO_EUNSAFE,
				                   "member '%s': NUL byte in the name", q);
			}
			off += 46u + nl + el + cl;
		}
		if (off == cd_off + cd_size && count == n && count == expected)
			return 0;
	}
	return somo__error(SOMO_ECORRUPT,
	                   "the central directory could not be read as it is stored (%llu members "
	                   "expected)",
	                   (unsigned long long)expected);
}

static int check_member(somo_package *pkg, zip_uint64_t i, uint64_t archive_size, uint64_t *total)
{
	const somo_package_opts *o = &pkg->opts;
	zip_stat_t st;
	somo__pkg_entry e;
	zip_uint8_t opsys;
	zip_uint32_t attr;
	char q[200];
	bool is_dir;
	int rc;

	zip_stat_init(&st);
	if (zip_stat_index(pkg->za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
		return zip_error_raise(pkg->path, zip_get_error(pkg->za));
	if ((rc = somo__pkg_check_name(st.name, strlen(st.name), o, &e.name, &is_dir)) < 0)
		return rc;
	somo__pkg_quote(st.name, strlen(st.name), q, sizeof(q));
	rc = 0;
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		rc = somo__error(SOMO_EUNSAFE, "member '%s': encrypted, refused", q);
	else if (zip_file_get_external_attributes(pkg->za, i, 0, &opsys, &attr) != 0)
		rc = zip_error_raise(pkg->path, zip_get_error(pkg->za));
	else if (opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) == S_IFLNK)
		rc = somo__error(SOMO_EUNSAFE, "member '%s': a symbolic link, refused", q);
	else if (opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) != 0 &&
	         ((attr >> 16) & S_IFMT) != S_IFREG && ((attr >> 16) & S_IFMT) != S_IFDIR)
		rc =
		    somo__error(SOMO_EUNSAFE,
		                "member '%s': a special file (device, pipe or socket), refused", q);
	else if (!is_dir && (st.valid & ZIP_STAT_COMP_METHOD) &&
	         !zip_compression_method_supported((zip_int32_t)st.comp_method, 0))
		rc = somo__error(SOMO_EUNSUPPORTED,
		                 "member '%s': compression method %u not supported", q,
		                 (unsigned)st.comp_method);
	else if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
		rc = somo__error(SOMO_ECORRUPT, "member '%s': sizes unknown", q);
	else if (!is_dir && st.comp_size > archive_size)
		rc = somo__error(SOMO_ECORRUPT,
		                 "member '%s': declares %llu compressed bytes, more than the whole "
		                 "archive holds",
		                 q, (unsigned long long)st.comp_size);
	else if (st.size > o->max_entry_size)
		rc = somo__error(
		    SOMO_ELIMIT, "member '%s': %llu bytes uncompressed (limit %llu per member)", q,
		    (unsigned long long)st.size, (unsigned long long)o->max_entry_size);
	else if ((*total += st.size) > o->max_total_size)
		rc = somo__error(SOMO_ELIMIT,
		                 "member '%s': the package expands to more than %llu bytes (limit)",
		                 q, (unsigned long long)o->max_total_size);
	else if (st.size >= o->ratio_min_size &&
	         (st.comp_size == 0 || st.size / st.comp_size > o->max_ratio))
		rc = somo__error(SOMO_ELIMIT,
		                 "member '%s': compression ratio %llu:1 (limit %u:1) says zip bomb",
		                 q,
		                 st.comp_size ? (unsigned long long)(st.size / st.comp_size)
		                              : (unsigned long long)st.size,
		                 (unsigned)o->max_ratio);
	if (rc < 0) {
		somo__free(e.name);
		return rc;
	}
	if ((e.raw = somo__strdup(st.name)) == NULL) {
		somo__free(e.name);
		return SOMO_ENOMEM;
	}
	e.size = is_dir ? 0 : st.size;
	e.comp_size = is_dir ? 0 : st.comp_size;
	e.mtime = (st.valid & ZIP_STAT_MTIME) ? (int64_t)st.mtime : 0;
	e.index = i;
	e.is_dir = is_dir;
	e.implied = false;
	return somo__pkg_add(pkg, &e);
}

static int scan_members(somo_package *pkg, raw_src *raw)
{
	zip_int64_t n = zip_get_num_entries(pkg->za, 0);
	uint64_t total = 0;
	zip_uint64_t i;
	int rc;

	if (n < 0)
		return zip_error_raise(pkg->path, zip_get_error(pkg->za));
	if ((uint64_t)n > pkg->opts.max_entries)
		return somo__error(SOMO_ELIMIT, "%s: %lld members (limit %llu)", pkg->path,
		                   (long long)n, (unsigned long long)pkg->opts.max_entries);
	if ((rc = scan_names_for_nul(raw, (uint64_t)n)) < 0)
		return rc;
	for (i = 0; i < (zip_uint64_t)n; i++)
		if ((rc = check_member(pkg, i, raw->size, &total)) < 0)
			return rc;
	return 0;
}

int somo__pkg_zip_open_file(somo_package *pkg, const char *path)
{
	raw_src raw = {NULL, -1, 0, NULL, 0, 0};
	struct stat st;
	zip_error_t ze;
	int err = 0, rc;

	pkg->kind = SOMO_PACKAGE_ZIP;
	if ((raw.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(raw.fd, &st) != 0) {
		rc = somo__error(SOMO_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	raw.size = (uint64_t)st.st_size;
	if ((pkg->za = zip_open(path, ZIP_RDONLY, &err)) == NULL) {
		zip_error_init_with_code(&ze, err);
		rc = zip_error_raise(path, &ze);
		zip_error_fini(&ze);
		goto out;
	}
	rc = scan_members(pkg, &raw);
out:
	if (raw.fd >= 0)
		close(raw.fd);
	somo__free(raw.buf);
	return rc;
}

int somo__pkg_zip_open_memory(somo_package *pkg, const void *data, size_t size)
{
	raw_src raw = {NULL, -1, 0, NULL, 0, 0};
	zip_source_t *src;
	zip_error_t ze;

	pkg->kind = SOMO_PACKAGE_ZIP;
	if ((pkg->mem = somo__malloc(size)) == NULL)
		return SOMO_ENOMEM;
	if (size)
		memcpy(pkg->mem, data, size);
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(pkg->mem, size, 0, &ze)) == NULL ||
	    (pkg->za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		int rc = zip_error_raise(pkg->path, &ze);
		zip_source_free(src);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	raw.mem = pkg->mem;
	raw.size = size;
	return scan_members(pkg, &raw);
}

void somo__pkg_zip_close(somo_package *pkg)
{
	if (pkg->za)
		zip_discard(pkg->za);
	pkg->za = NULL;
	somo__free(pkg->mem);
	pkg->mem = NULL;
}

/* Readers ---------------------------------------------------------------- */

static int member_error(const somo__pkg_entry *e, zip_error_t *ze)
{
	char what[240];
	char q[200];

	somo__pkg_quote(e->name, strlen(e->name), q, sizeof(q));
	snprintf(what, sizeof(what), "member '%s'", q);
	return zip_error_raise(what, ze);
}

int somo__pkg_reader_open(somo__pkg_reader *r, somo_package *pkg, const somo__pkg_entry *e)
{
	memset(r, 0, sizeof(*r));
	r->e = e;
	r->fd = -1;
	if (pkg->kind == SOMO_PACKAGE_FOLDER) {
		const char *slash = strrchr(e->name, '/');
		size_t dlen = slash ? (size_t)(slash - e->name) : 0;
		const char *leaf = slash ? slash + 1 : e->name;
		struct stat st;
		int dfd, rc;

		if ((rc = somo__pkg_open_dir_beneath(pkg->root_fd, e->name, dlen, &dfd)) < 0)
			return rc;
		r->fd = openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		close(dfd);
		if (r->fd < 0)
			return somo__error(
			    errno == ELOOP ? SOMO_EUNSAFE : SOMO_EIO, "member '%s': %s", e->name,
			    errno == ELOOP ? "a symbolic link, refused" : strerror(errno));
		if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(r->fd);
			r->fd = -1;
			return somo__error(SOMO_EUNSAFE, "member '%s': no longer a regular file",
			                   e->name);
		}
		return 0;
	}
	r->za = pkg->za;
	if ((r->zf = zip_fopen_index(pkg->za, e->index, 0)) == NULL)
		return member_error(e, zip_get_error(pkg->za));
	return 0;
}

int somo__pkg_reader_read(somo__pkg_reader *r, void *buf, size_t len, size_t *got)
{
	uint64_t left = r->e->size - r->pos;
	size_t want = left < len ? (size_t)left : len, done = 0;

	*got = 0;
	while (done < want) {
		if (r->zf) {
			zip_int64_t n = zip_fread(r->zf, (char *)buf + done, want - done);
			if (n < 0)
				return member_error(r->e, zip_file_get_error(r->zf));
			if (n == 0)
				break;
			done += (size_t)n;
		} else {
			ssize_t n =
			    pread(r->fd, (char *)buf + done, want - done, (off_t)(r->pos + done));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return somo__error(SOMO_EIO, "member '%s': %s", r->e->name,
				                   strerror(errno));
			if (n == 0)
				break;
			done += (size_t)n;
		}
	}
	r->pos += done;
	*got = done;
	return 0;
}

static int reader_restart(somo__pkg_reader *r)
{
	zip_fclose(r->zf);
	r->pos = 0;
	if ((r->zf = zip_fopen_index(r->za, r->e->index, 0)) == NULL)
		return member_error(r->e, zip_get_error(r->za));
	return 0;
}

int somo__pkg_reader_seek(somo__pkg_reader *r, uint64_t offset)
{
	char skip[16384];
	int rc;

	if (offset > r->e->size)
		offset = r->e->size;
	if (offset == r->pos)
		return 0;
	if (!r->zf) {
		r->pos = offset;
		return 0;
	}
	if (r->e->comp_size == r->e->size) {
		/* Stored data seeks; when libzip cannot, the member starts over
		 * (a failed zip_fseek leaves the file unreadable). */
		if (zip_fseek(r->zf, (zip_int64_t)offset, SEEK_SET) == 0) {
			r->pos = offset;
			return 0;
		}
		if ((rc = reader_restart(r)) < 0)
			return rc;
	} else if (offset < r->pos && (rc = reader_restart(r)) < 0) {
		return rc;
	}
	/* Compressed data is read and dropped up to offset. */
	while (r->pos < offset) {
		size_t got, want = offset - r->pos < sizeof(skip) ? (size_t)(offset - r->pos)
		                                                  : sizeof(skip);
		if ((rc = somo__pkg_reader_read(r, skip, want, &got)) < 0)
			return rc;
		if (got == 0)
			return somo__error(SOMO_ECORRUPT,
			                   "member '%s' is shorter than its declared %llu bytes",
			                   r->e->name, (unsigned long long)r->e->size);
	}
	return 0;
}

int somo__pkg_reader_finish(somo__pkg_reader *r)
{
	char c;

	if (r->pos != r->e->size)
		return somo__error(SOMO_ECORRUPT,
		                   "member '%s' is shorter than its declared %llu bytes",
		                   r->e->name, (unsigned long long)r->e->size);
	if (r->zf) {
		/* Reading past the end is what makes libzip check the CRC. */
		zip_int64_t n = zip_fread(r->zf, &c, 1);
		if (n < 0)
			return member_error(r->e, zip_file_get_error(r->zf));
		if (n > 0)
			return somo__error(
			    SOMO_ECORRUPT,
			    "member '%s' holds more data than its declared %llu bytes", r->e->name,
			    (unsigned long long)r->e->size);
		return 0;
	}
	for (;;) {
		ssize_t n = pread(r->fd, &c, 1, (off_t)r->pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return somo__error(SOMO_EIO, "member '%s': %s", r->e->name,
			                   strerror(errno));
		if (n > 0)
			return somo__error(SOMO_ECORRUPT,
			                   "member '%s' grew since the package was opened",
			                   r->e->name);
		return 0;
	}
}

void somo__pkg_reader_close(somo__pkg_reader *r)
{
	if (r->zf)
		zip_fclose(r->zf);
	if (r->fd >= 0)
		close(r->fd);
	r->zf = NULL;
	r->fd = -1;
}
