/* Shared by the cmi5 and Tin Can corpus tests: where the corpus is, and zips made with libzip. */
#define _XOPEN_SOURCE 700
#include "corpus.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

static char corpus[4096];
static char tmp[4096];

int corpus_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

const char *corpus_dir(void)
{
	const char *env = getenv("SOMO_CORPUS_DIR");

	if (env && *env)
		snprintf(corpus, sizeof(corpus), "%s", env);
	else
		snprintf(corpus, sizeof(corpus), "%s/../shared/corpus", SOMO_SOURCE_DIR);
	return corpus_exists(corpus) ? corpus : NULL;
}

const char *corpus_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmp[0])
		return tmp;
	snprintf(tmp, sizeof(tmp), "%s/somo-cmi5xml-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmp)) {
		tmp[0] = '\0';
		return NULL;
	}
	return tmp;
}

void corpus_cleanup(void)
{
	DIR *d;
	struct dirent *e;

	if (!tmp[0] || (d = opendir(tmp)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char p[8192];
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmp, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(tmp);
	tmp[0] = '\0';
}

int corpus_zip(const char *zip_path, const char *const *names, const char *const *files, size_t n)
{
	int err = 0;
	zip_t *z = zip_open(zip_path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	size_t i;

	if (!z)
		return -1;
	for (i = 0; i < n; i++) {
		zip_source_t *src = zip_source_file(z, files[i], 0, -1);
		if (!src || zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(src);
			zip_discard(z);
			return -1;
		}
	}
	return zip_close(z) == 0 ? 0 : -1;
}
