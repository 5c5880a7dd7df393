/* Reading data-driven test cases (see cases.h). */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape src into dst (CASE_TEXT bytes); returns the length or -1. */
static long unescape(const char *src, char *dst)
{
	size_t o = 0;

	if (strcmp(src, "\"\"") == 0) {
		dst[0] = '\0';
		return 0;
	}
	while (*src) {
		char c = *src++;
		if (o + 1 >= CASE_TEXT)
			return -1;
		if (c != '\\') {
			dst[o++] = c;
			continue;
		}
		switch (*src++) {
		case 's':
			dst[o++] = ' ';
			break;
		case 't':
			dst[o++] = '\t';
			break;
		case '\\':
			dst[o++] = '\\';
			break;
		case 'x': {
			int hi = hexval(src[0]), lo = hi < 0 ? -1 : hexval(src[1]);
			if (hi < 0 || lo < 0)
				return -1;
			dst[o++] = (char)(hi * 16 + lo);
			src += 2;
			break;
		}
		default:
			return -1;
		}
	}
	dst[o] = '\0';
	return (long)o;
}

int cases_each(const char *path, void (*fn)(const test_case *c, void *payload), void *payload)
{
	char full[4096], line[4 * CASE_TEXT];
	test_case *tc;
	FILE *f;
	int lineno = 0, count = 0;

	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/tests/util/%s", SOMO_SOURCE_DIR, path);
	if ((f = fopen(full, "r")) == NULL) {
		fprintf(stderr, "cannot read %s\n", full);
		return -1;
	}
	if ((tc = malloc(sizeof(*tc))) == NULL) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok;
		int n = 0;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		tok = strtok_r(line, " \t", &save);
		if (!tok || tok[0] == '#')
			continue;
		memset(tc, 0, sizeof(*tc));
		tc->line = lineno;
		for (; tok && n < CASE_FIELDS; tok = strtok_r(NULL, " \t", &save), n++) {
			if (n == 1) {
				long len = unescape(tok, tc->field[1]);
				if (len < 0) {
					fprintf(stderr, "%s:%d: bad escape in '%s'\n", full, lineno,
					        tok);
					goto bad;
				}
				tc->input_len = (size_t)len;
			} else {
				snprintf(tc->field[n], CASE_TEXT, "%s", tok);
			}
		}
		if (n < 3 || tok) {
			fprintf(stderr, "%s:%d: expected KIND INPUT EXPECT [VALUE...]\n", full,
			        lineno);
			goto bad;
		}
		tc->nfields = n;
		fn(tc, payload);
		count++;
	}
	free(tc);
	fclose(f);
	return count;
bad:
	free(tc);
	fclose(f);
	return -1;
}
