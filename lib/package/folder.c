/*
 * The folder backend: a package that is already unpacked. Symbolic links
 * are refused (they could lead out of the folder), every folder is opened
 * one component at a time without following links, and the same limits as
 * for archives apply.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "package/package_int.h"

int somo__pkg_open_dir_beneath(int dir_fd, const char *path, size_t len, int *out)
{
	int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
	size_t i = 0;

	*out = -1;
	if (fd < 0)
		return somo__error(SOMO_EIO, "%s", strerror(errno));
	while (i < len) {
		char comp[256];
		size_t j = i;
		int next;
		while (j < len && path[j] != '/')
			j++;
		if (j - i >= sizeof(comp)) {
			close(fd);
			return somo__error(SOMO_ELIMIT, "a folder name longer than 255 bytes");
		}
		memcpy(comp, path + i, j - i);
		comp[j - i] = '\0';
		next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int err = errno;
			close(fd);
			/* O_NOFOLLOW|O_DIRECTORY on a link: ELOOP or ENOTDIR. */
			if (err == ELOOP || err == ENOTDIR)
				return somo__error(
				    SOMO_EUNSAFE,
				    "'%.*s': a symbolic link or not a folder, refused", (int)j,
				    path);
			return somo__error(err == ENOENT ? SOMO_ENOTFOUND : SOMO_EIO, "'%.*s': %s",
			                   (int)j, path, strerror(err));
		}
		close(fd);
		fd = next;
		i = j + 1;
	}
	*out = fd;
	return 0;
}

typedef struct {
	somo_package *pkg;
	uint64_t total;
	size_t members;
	somo__buf path;
} walk_state;

static int walk(walk_state *w, int dir_fd, uint32_t depth)
{
	const somo_package_opts *o = &w->pkg->opts;
	size_t base_len = w->path.len;
	DIR *d;
	struct dirent *de;
	int fd, rc = 0;

	if ((fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return somo__error(SOMO_EIO, "%s/%s: %s", w->pkg->path,
		                   w->path.ptr ? w->path.ptr : "", strerror(errno));
	}
	while (rc == 0) {
		struct stat st;
		somo__pkg_entry e;
		bool is_dir;

		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno)
				rc = somo__error(SOMO_EIO, "%s: %s", w->pkg->path, strerror(errno));
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		w->path.len = base_len;
		if ((base_len && (rc = somo__buf_putc(&w->path, '/')) < 0) ||
		    (rc = somo__buf_puts(&w->path, de->d_name)) < 0)
			break;
		if (++w->members > o->max_entries) {
			rc = somo__error(SOMO_ELIMIT, "%s: more than %llu members (limit)",
			                 w->pkg->path, (unsigned long long)o->max_entries);
			break;
		}
		if ((rc = somo__pkg_check_name(w->path.ptr, w->path.len, o, &e.name, NULL)) < 0)
			break;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = somo__error(SOMO_EIO, "member '%s': %s", e.name, strerror(errno));
		} else if (S_ISLNK(st.st_mode)) {
			rc = somo__error(SOMO_EUNSAFE, "member '%s': a symbolic link, refused",
			                 e.name);
		} else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			rc = somo__error(
			    SOMO_EUNSAFE,
			    "member '%s': a special file (device, pipe or socket), refused",
			    e.name);
		} else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > o->max_entry_size) {
			rc = somo__error(
			    SOMO_ELIMIT, "member '%s': %llu bytes (limit %llu per member)", e.name,
			    (unsigned long long)st.st_size, (unsigned long long)o->max_entry_size);
		} else if (S_ISREG(st.st_mode) &&
		           (w->total += (uint64_t)st.st_size) > o->max_total_size) {
			rc = somo__error(
			    SOMO_ELIMIT,
			    "member '%s': the package holds more than %llu bytes (limit)", e.name,
			    (unsigned long long)o->max_total_size);
		}
		if (rc < 0) {
			somo__free(e.name);
			break;
		}
		is_dir = S_ISDIR(st.st_mode);
		e.raw = somo__strdup(e.name);
		e.size = is_dir ? 0 : (uint64_t)st.st_size;
		e.comp_size = e.size;
		e.mtime = (int64_t)st.st_mtime;
		e.index = 0;
		e.is_dir = is_dir;
		e.implied = false;
		if (!e.raw) {
			somo__free(e.name);
			rc = SOMO_ENOMEM;
			break;
		}
		if ((rc = somo__pkg_add(w->pkg, &e)) < 0)
			break;
		if (is_dir) {
			int sub = openat(dirfd(d), de->d_name,
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				rc = somo__error(errno == ELOOP ? SOMO_EUNSAFE : SOMO_EIO,
				                 "member '%s': %s", w->path.ptr, strerror(errno));
				break;
			}
			/* check_name bounds the depth, and so this recursion. */
			rc = walk(w, sub, depth + 1);
			close(sub);
		}
	}
	closedir(d);
	w->path.len = base_len;
	if (w->path.ptr)
		w->path.ptr[base_len] = '\0';
	return rc;
}

int somo__pkg_folder_open(somo_package *pkg, const char *path)
{
	walk_state w;
	int rc;

	pkg->kind = SOMO_PACKAGE_FOLDER;
	if ((pkg->root_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return somo__error(SOMO_EIO, "%s: %s", path, strerror(errno));
	memset(&w, 0, sizeof(w));
	w.pkg = pkg;
	rc = walk(&w, pkg->root_fd, 0);
	somo__buf_free(&w.path);
	return rc;
}
