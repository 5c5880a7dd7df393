/* Finding the shared corpus and zipping folders for the cmi5 and Tin Can tests. */
#ifndef SOMO_TESTS_CMI5XML_CORPUS_H
#define SOMO_TESTS_CMI5XML_CORPUS_H

#include <stddef.h>
#include <stdio.h>

/* The corpus folder ($SOMO_CORPUS_DIR, else <source>/../shared/corpus), or NULL when absent. */
const char *corpus_dir(void);

/* A fresh temporary folder for this test run (removed by corpus_cleanup), or NULL. */
const char *corpus_tmpdir(void);
void corpus_cleanup(void);

/* Write a zip at zip_path with the members (name, source file) given in pairs. 0 or -1. */
int corpus_zip(const char *zip_path, const char *const *names, const char *const *files, size_t n);

/* Whether path exists (file or folder). */
int corpus_exists(const char *path);

/* Count a failure in the test file's own `failures` and say where, then go on. */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

#endif
