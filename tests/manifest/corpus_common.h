/* Finding the shared corpus for the manifest tests (exit 77 when absent). */
#ifndef SOMO_TESTS_MANIFEST_CORPUS_COMMON_H
#define SOMO_TESTS_MANIFEST_CORPUS_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline int corpus_dir(char *buf, size_t size)
{
	const char *env = getenv("SOMO_CORPUS_DIR");
	struct stat st;

	if (env && *env)
		snprintf(buf, size, "%s", env);
	else
		snprintf(buf, size, "%s/../shared/corpus", SOMO_SOURCE_DIR);
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Split "a | b | c" in place into at most max trimmed fields. */
static inline int split_fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line, *bar;

	while (n < max) {
		char *end;

		bar = strchr(p, '|');
		if (bar)
			*bar = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p &&
		       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
			*--end = '\0';
		f[n++] = p;
		if (!bar)
			break;
		p = bar + 1;
	}
	return n;
}

#endif
