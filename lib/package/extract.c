/*
 * Extraction: into a fresh temporary folder beside the target, every file
 * created with O_EXCL|O_NOFOLLOW below folders opened without following
 * links, then one rename. A failure leaves nothing behind.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "package/package_int.h"

/* Removes everything below dir_fd (never following links), depth-bounded. */
static void remove_tree(int dir_fd, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	int fd;

	if (depth > 64 || (fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		int sub;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			remove_tree(sub, depth + 1);
			close(sub);
			unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
		}
	}
	closedir(d);
}

static int write_all(int fd, const char *p, size_t n, const char *name)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return somo__error(SOMO_EIO, "extracting '%s': %s", name, strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int extract_entry(somo_package *pkg, int root_fd, const somo__pkg_entry *e, char *buf,
                         size_t bufsz)
{
	const char *slash = strrchr(e->name, '/');
	const char *leaf = slash ? slash + 1 : e->name;
	somo__pkg_reader r;
	int dfd, fd, rc;

	if ((rc = somo__pkg_open_dir_beneath(root_fd, e->name,
	                                     slash ? (size_t)(slash - e->name) : 0, &dfd)) < 0)
		return rc;
	if (e->is_dir) {
		if (mkdirat(dfd, leaf, 0755) != 0)
			rc = somo__error(errno == EEXIST ? SOMO_EUNSAFE : SOMO_EIO,
			                 "extracting '%s': %s", e->name, strerror(errno));
		close(dfd);
		return rc;
	}
	fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	close(dfd);
	if (fd < 0)
		return somo__error(errno == EEXIST || errno == ELOOP ? SOMO_EUNSAFE : SOMO_EIO,
		                   "extracting '%s': %s", e->name, strerror(errno));
	if ((rc = somo__pkg_reader_open(&r, pkg, e)) == 0) {
		for (;;) {
			size_t got;
			if ((rc = somo__pkg_reader_read(&r, buf, bufsz, &got)) < 0 || got == 0)
				break;
			if ((rc = write_all(fd, buf, got, e->name)) < 0)
				break;
		}
		if (rc == 0)
			rc = somo__pkg_reader_finish(&r);
		somo__pkg_reader_close(&r);
	}
	if (close(fd) != 0 && rc == 0)
		rc = somo__error(SOMO_EIO, "extracting '%s': %s", e->name, strerror(errno));
	return rc;
}

SOMO_API int somo_package_extract(somo_package *pkg, const char *target)
{
	struct stat st;
	char *tmp = NULL, *parent = NULL, *slash;
	const char *base;
	char *buf = NULL;
	int root_fd = -1, rc = 0;
	size_t i;

	if (!pkg || !target || !*target)
		return somo__error(SOMO_EINVAL, "somo_package_extract: NULL argument");
	if (lstat(target, &st) == 0)
		return somo__error(SOMO_EEXISTS, "%s: already exists", target);
	if (errno != ENOENT)
		return somo__error(SOMO_EIO, "%s: %s", target, strerror(errno));
	if ((parent = somo__strdup(target)) == NULL)
		return SOMO_ENOMEM;
	/* The temporary folder sits beside the target, on the same file system. */
	while ((slash = strrchr(parent, '/')) != NULL && slash[1] == '\0' && slash != parent)
		*slash = '\0';
	slash = strrchr(parent, '/');
	base = slash ? slash + 1 : parent;
	if (slash == parent)
		tmp = somo__sprintf("/.%s.somo-XXXXXX", base);
	else if (slash) {
		*slash = '\0';
		tmp = somo__sprintf("%s/.%s.somo-XXXXXX", parent, base);
	} else
		tmp = somo__sprintf(".%s.somo-XXXXXX", base);
	if (!tmp) {
		rc = SOMO_ENOMEM;
		goto out;
	}
	if (mkdtemp(tmp) == NULL) {
		rc = somo__error(SOMO_EIO, "%s: cannot make a temporary folder: %s", target,
		                 strerror(errno));
		somo__free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((root_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = somo__error(SOMO_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if ((buf = somo__malloc(256 * 1024)) == NULL) {
		rc = SOMO_ENOMEM;
		goto out;
	}
	/* Sorted order puts every folder before what it holds. */
	for (i = 0; i < pkg->count && rc == 0; i++)
		rc = extract_entry(pkg, root_fd, &pkg->entries[i], buf, 256 * 1024);
	if (rc == 0 && fchmod(root_fd, 0755) != 0)
		rc = somo__error(SOMO_EIO, "%s: %s", tmp, strerror(errno));
	if (rc == 0 && renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) != 0) {
		int err = errno;
		if (err == EINVAL || err == ENOSYS) {
			/* No RENAME_NOREPLACE here: rename() never replaces a non-empty
			 * folder, and the target was absent a moment ago. */
			if (lstat(target, &st) == 0)
				err = EEXIST;
			else if (rename(tmp, target) == 0)
				err = 0;
			else
				err = errno;
		}
		if (err)
			rc = somo__error(err == EEXIST ? SOMO_EEXISTS : SOMO_EIO, "%s: %s", target,
			                 strerror(err));
	}
out:
	if (rc < 0 && tmp) {
		if (root_fd >= 0)
			remove_tree(root_fd, 0);
		rmdir(tmp);
	}
	if (root_fd >= 0)
		close(root_fd);
	somo__free(buf);
	somo__free(tmp);
	somo__free(parent);
	return rc;
}
