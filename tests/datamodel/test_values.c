/*
 * The data model's value checks, driven by data/values.txt: one value per
 * line, "CHECK<TAB>VALUE<TAB>ok|bad", where CHECK is
 *   uri                long_identifier_type (RTE book 4.1.1.4)
 *   language           language_type (4.1.1.6)
 *   real               real(10,7) syntax
 *   pattern:TYPE       correct_responses.n.pattern of an interaction TYPE
 *   response:TYPE      learner_response of an interaction TYPE
 * and the value may use \t, \n and \\ escapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datamodel/dm.h"

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* 1 valid, 0 invalid, -1 unknown check. */
static int check(const char *what, const char *v)
{
	size_t len = strlen(v);
	const char *why = NULL;

	if (!strcmp(what, "uri"))
		return somo__dm_uri(v, len);
	if (!strcmp(what, "language"))
		return somo__dm_language(v, len);
	if (!strcmp(what, "real"))
		return somo__dm_real(v, len, NULL);
	if (!strncmp(what, "pattern:", 8) || !strncmp(what, "response:", 9)) {
		const char *t = strchr(what, ':') + 1;
		somo__itype it = somo__itype_parse(t, strlen(t));
		if (it == SOMO__IT_NONE)
			return -1;
		return somo__dm_response_valid(SOMO_SCORM_2004, it, what[0] == 'p', v, len, false,
		                               &why) == SOMO__V_OK;
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : SOMO_SOURCE_DIR "/tests/datamodel/data/values.txt";
	FILE *f = fopen(path, "r");
	char line[8192];
	int ln = 0, checks = 0, failures = 0;

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *what = line, *v, *exp;
		size_t n = strlen(line);
		int got;
		ln++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!*line || *line == '#')
			continue;
		if ((v = strchr(what, '\t')) == NULL || (exp = strrchr(v + 1, '\t')) == NULL) {
			fprintf(stderr, "%s:%d: want CHECK<TAB>VALUE<TAB>ok|bad\n", path, ln);
			failures++;
			continue;
		}
		*v++ = '\0';
		*exp++ = '\0';
		unescape(v);
		got = check(what, v);
		checks++;
		if (got < 0 || (strcmp(exp, "ok") && strcmp(exp, "bad"))) {
			fprintf(stderr, "%s:%d: unknown check '%s' or expectation '%s'\n", path, ln,
			        what, exp);
			failures++;
		} else if (got != !strcmp(exp, "ok")) {
			fprintf(stderr, "%s:%d: %s '%s' is %s, expected %s\n", path, ln, what, v,
			        got ? "ok" : "bad", exp);
			failures++;
		}
	}
	fclose(f);
	printf("data model values: %d checks, %d failed\n", checks, failures);
	return failures || !checks;
}
