/*
 * Reading data-driven test cases: one case a line, "KIND INPUT EXPECT [VALUE...]",
 * blank-separated, '#' starting a comment line. In INPUT, "" is the empty
 * string, \s a space, \t a tab, \xHH any byte, \\ a backslash.
 */
#ifndef SOMO_TESTS_UTIL_CASES_H
#define SOMO_TESTS_UTIL_CASES_H

#include <stddef.h>

#define CASE_FIELDS 6
#define CASE_TEXT   1024

typedef struct {
	int line;
	int nfields;
	char field[CASE_FIELDS][CASE_TEXT];
	size_t input_len; /* field[1] after unescaping, NULs included */
} test_case;

/* Calls fn for each case in the file at path (relative to the source
 * folder of this test when not absolute). Returns the number of cases
 * read, or -1 (with a message on stderr) when the file cannot be read or a
 * line is malformed. */
int cases_each(const char *path, void (*fn)(const test_case *c, void *payload), void *payload);

#endif
