/*
 * The time, duration, IRI, UUID and language tag checks against what the
 * conformance suites expect:
 *
 * - ADL's LRS conformance suite (xAPI 1.0.3 and 2.0): in every statement a
 *   conformant LRS accepts, each timestamp, duration, UUID, IRI and language
 *   tag must be accepted; in every statement it rejects for one of those
 *   values, some value must be refused.
 * - ADL's SCORM 2004 4th edition CTS (every TestCases file): every
 *   SetValue of a time or timeinterval element expected to succeed (0) or to
 *   fail with a type mismatch (406), and every learner_preference.language
 *   expected to succeed.
 *
 * The corpus is found at $SOMO_CORPUS_DIR or <source>/../shared/corpus; the
 * test is skipped (77) without it.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "somo/common.h"
#include "util/text.h"
#include "util/time.h"
#include "util/util.h"

static char corpus[4096];

static bool corpus_find(void)
{
	const char *env = getenv("SOMO_CORPUS_DIR");
	struct stat st;

	if (env && *env)
		snprintf(corpus, sizeof(corpus), "%s", env);
	else
		snprintf(corpus, sizeof(corpus), "%s/../shared/corpus", SOMO_SOURCE_DIR);
	return stat(corpus, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- xAPI ---------------------------------------------------------------- */

typedef struct {
	int checked;     /* values checked */
	int refused;     /* values refused in this statement */
	char first[512]; /* the first refusal, for the report */
} walk_state;

static void verdict(walk_state *w, const char *what, const char *path, const char *v, bool ok)
{
	w->checked++;
	if (ok)
		return;
	if (w->refused++ == 0)
		snprintf(w->first, sizeof(w->first), "%s %s '%s'", what, path, v);
}

static bool is_language_map_key(const char *key)
{
	return strcmp(key, "display") == 0 || strcmp(key, "name") == 0 ||
	       strcmp(key, "description") == 0;
}

/*
 * Walks a statement, checking each value whose type the xAPI spec fixes by
 * its property name. parent_key is the name this object is the value of.
 */
static void walk(json_t *v, const char *parent_key, const char *path, walk_state *w)
{
	const char *key;
	json_t *child;
	size_t i;
	char sub[1024];

	if (json_is_array(v)) {
		json_array_foreach(v, i, child)
		{
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (json_is_string(child) && strcmp(parent_key, "relevantTypes") == 0)
				verdict(w, "IRI", sub, json_string_value(child),
				        somo__iri_valid(json_string_value(child)));
			walk(child, parent_key, sub, w);
		}
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, child)
	{
		const char *s = json_string_value(child);
		const char *type = json_string_value(json_object_get(v, "objectType"));

		snprintf(sub, sizeof(sub), "%s.%s", path, key);
		/* language maps: the keys are language tags */
		if (json_is_object(child) && is_language_map_key(key)) {
			const char *tag;
			json_t *text;
			json_object_foreach(child, tag, text)
			{
				(void)text;
				verdict(w, "language tag", sub, tag, somo__langtag_valid(tag));
			}
			continue;
		}
		if (strcmp(key, "extensions") == 0 && json_is_object(child)) {
			const char *ext;
			json_t *ev;
			json_object_foreach(child, ext, ev)
			{
				(void)ev;
				verdict(w, "IRI", sub, ext, somo__iri_valid(ext));
			}
			continue; /* extension values are free JSON */
		}
		if (!s) {
			walk(child, key, sub, w);
			continue;
		}
		if (strcmp(key, "timestamp") == 0 || strcmp(key, "stored") == 0)
			verdict(w, "timestamp", sub, s,
			        somo__time_parse(s, SOMO__TIME_XAPI, NULL) == 0);
		else if (strcmp(key, "duration") == 0)
			verdict(w, "duration", sub, s,
			        somo__duration_parse(s, SOMO__DUR_XAPI, NULL) == 0);
		else if (strcmp(key, "language") == 0)
			verdict(w, "language tag", sub, s, somo__langtag_valid(s));
		else if (strcmp(key, "registration") == 0)
			verdict(w, "UUID", sub, s, somo__uuid_valid(s));
		else if (strcmp(key, "id") == 0) {
			/* a statement's or StatementRef's id is a UUID, a verb's or
			 * activity's an IRI */
			bool uuid = strcmp(parent_key, "statement") == 0 ||
			            strcmp(parent_key, "") == 0 ||
			            (type && strcmp(type, "StatementRef") == 0);
			if (type && (strcmp(type, "Agent") == 0 || strcmp(type, "Group") == 0))
				continue;
			/* interaction components' ids are plain strings */
			if (strcmp(parent_key, "choices") == 0 ||
			    strcmp(parent_key, "scale") == 0 || strcmp(parent_key, "source") == 0 ||
			    strcmp(parent_key, "target") == 0 || strcmp(parent_key, "steps") == 0)
				continue;
			if (uuid)
				verdict(w, "UUID", sub, s, somo__uuid_valid(s));
			else
				verdict(w, "IRI", sub, s, somo__iri_valid(s));
		} else if ((strcmp(key, "type") == 0 || strcmp(key, "moreInfo") == 0) &&
		           strcmp(parent_key, "definition") == 0)
			verdict(w, "IRI", sub, s, somo__iri_valid(s));
		else if (strcmp(key, "usageType") == 0 || strcmp(key, "homePage") == 0 ||
		         strcmp(key, "openid") == 0)
			verdict(w, "IRI", sub, s, somo__iri_valid(s));
		else if (strcmp(key, "mbox") == 0)
			verdict(w, "mailto IRI", sub, s,
			        strncmp(s, "mailto:", 7) == 0 && somo__iri_valid(s));
	}
}

/*
 * The tests that reject a statement for one of the values checked here. Left
 * out: values of the wrong JSON type (a number, an object, a verb given as a
 * string) and vocabularies (interactionType), which the statement validator
 * judges, not these checks.
 */
static bool targets_checked_value(const char *test)
{
	static const char *const words[] = {"not IRI",
	                                    "invalid iri",
	                                    "is IRL",
	                                    "invalid UUID",
	                                    "not \"uuid\"",
	                                    "not UUID",
	                                    "language map invalid",
	                                    "\"duration\" property is invalid",
	                                    "in timestamp",
	                                    "\"template\" invalid"};
	static const char *const not_ours[] = {"interactionType",
	                                       "is numeric",
	                                       "is object",
	                                       "is string",
	                                       "invalid numeric",
	                                       "invalid object",
	                                       "invalid number",
	                                       "not using",
	                                       "substatement verb \"id\" not IRI",
	                                       "is is invalid language"};
	size_t i;

	for (i = 0; i < SOMO__ARRAY_SIZE(not_ours); i++)
		if (strstr(test, not_ours[i]))
			return false;
	for (i = 0; i < SOMO__ARRAY_SIZE(words); i++)
		if (strstr(test, words[i]))
			return true;
	return false;
}

static void xapi_suite(void **state)
{
	static const char *const versions[] = {"v1_0_3", "v2_0"};
	size_t k;
	int accepted = 0, rejected = 0, failures = 0;
	(void)state;

	for (k = 0; k < SOMO__ARRAY_SIZE(versions); k++) {
		char path[4300], line[65536];
		FILE *f;
		int lineno = 0;

		snprintf(path, sizeof(path),
		         "%s/xapi/lrs-conformance-test-suite/%s/expanded-statement-tests.jsonl",
		         corpus, versions[k]);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			json_error_t err;
			json_t *tc = json_loads(line, 0, &err), *st;
			const char *test;
			walk_state w;
			int expect;

			lineno++;
			assert_non_null(tc);
			st = json_object_get(tc, "statement");
			test = json_string_value(json_object_get(tc, "test"));
			expect = (int)json_integer_value(
			    json_array_get(json_object_get(tc, "expect"), 0));
			memset(&w, 0, sizeof(w));
			if (st && test) {
				walk(st, "", "statement", &w);
				if (expect == 200) {
					accepted++;
					if (w.refused) {
						fprintf(stderr,
						        "%s:%d: '%s' is valid but %s was refused\n",
						        versions[k], lineno, test, w.first);
						failures++;
					}
				} else if (expect == 400 && targets_checked_value(test)) {
					if (w.refused == 0) {
						fprintf(stderr,
						        "%s:%d: '%s' must be rejected but every "
						        "value passed\n",
						        versions[k], lineno, test);
						failures++;
					} else {
						rejected++;
					}
				}
			}
			json_decref(tc);
		}
		fclose(f);
	}
	fprintf(stderr, "xAPI suite: %d valid statements agree, %d rejections agree, %d disagree\n",
	        accepted, rejected, failures);
	assert_true(accepted > 500);
	assert_true(rejected > 50);
	assert_int_equal(failures, 0);
}

/* ---- SCORM 2004 CTS ------------------------------------------------------- */

typedef struct {
	char key[64];
	char value[128];
} abbreviation;

static size_t load_abbreviations(abbreviation *tab, size_t max)
{
	char path[4300], line[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/adl-cts-2004-4th/decoder-resources/Commands.properties",
	         corpus);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *eq;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		snprintf(tab[n].key, sizeof(tab[n].key), "%s", line);
		snprintf(tab[n].value, sizeof(tab[n].value), "%s", eq + 1);
		n++;
	}
	fclose(f);
	return n;
}

static const char *decode(const abbreviation *tab, size_t n, const char *token)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].key, token) == 0)
			return tab[i].value;
	return token;
}

static void scorm_cts(void **state)
{
	abbreviation *tab = calloc(512, sizeof(*tab));
	char dir[4200];
	DIR *d;
	struct dirent *e;
	size_t ntab;
	int checked = 0, langs = 0, failures = 0;
	(void)state;

	assert_non_null(tab);
	ntab = load_abbreviations(tab, 512);
	assert_true(ntab > 50);
	snprintf(dir, sizeof(dir), "%s/adl-cts-2004-4th/LMSRTE/Courses/TestCases", corpus);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[4600], line[4096];
		const char *file = e->d_name;
		size_t flen = strlen(file);
		FILE *f;
		int lineno = 0;

		if (flen < 11 || strcmp(file + flen - 11, ".properties") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			/* ActNVm.commands.i=SET->ELEM!VALUE->RET->ERR */
			char *cmd = strstr(line, "=SET->"), *elem, *bang, *value, *ret, *err, *last;
			const char *decoded;
			bool is_time, want, got;

			lineno++;
			if (!cmd)
				continue;
			line[strcspn(line, "\r\n")] = '\0';
			elem = cmd + 6;
			if ((bang = strchr(elem, '!')) == NULL)
				continue;
			*bang = '\0';
			value = bang + 1;
			if ((ret = strstr(value, "->")) == NULL)
				continue;
			*ret = '\0';
			ret += 2;
			if ((err = strstr(ret, "->")) == NULL)
				continue;
			*err = '\0';
			err += 2;
			last = strrchr(elem, '~');
			if (!last || strncmp(elem, "c~", 2) != 0)
				continue;
			last++;
			if (strcmp(elem, "c~LP~LANG") == 0) {
				/* cmi.learner_preference.language: a language tag or "" */
				if (strcmp(err, "0") != 0 || strcmp(ret, "t") != 0)
					continue;
				decoded = decode(tab, ntab, value);
				langs++;
				if (*decoded && !somo__langtag_valid(decoded)) {
					fprintf(stderr, "%s:%d: language '%s' must be accepted\n",
					        file, lineno, decoded);
					failures++;
				}
				continue;
			}
			if (strcmp(last, "TS") == 0)
				is_time = true;
			else if (strcmp(last, "ST") == 0 || strcmp(last, "LAT") == 0)
				is_time = false;
			else
				continue;
			if (strcmp(err, "0") == 0 && strcmp(ret, "t") == 0)
				want = true;
			else if (strcmp(err, "406") == 0)
				want = false;
			else
				continue; /* refused for a reason other than the value */
			decoded = decode(tab, ntab, value);
			got = is_time
			          ? somo__time_parse(decoded, SOMO__TIME_SCORM2004, NULL) == 0
			          : somo__duration_parse(decoded, SOMO__DUR_SCORM2004, NULL) == 0;
			checked++;
			if (got != want) {
				fprintf(stderr, "%s:%d: %s '%s' must be %s\n", file, lineno,
				        is_time ? "time" : "timeinterval", decoded,
				        want ? "accepted" : "refused");
				failures++;
			}
		}
		fclose(f);
	}
	closedir(d);
	free(tab);
	fprintf(stderr,
	        "SCORM 2004 CTS: %d time and timeinterval values, %d language tags checked, "
	        "%d disagree\n",
	        checked, langs, failures);
	assert_true(checked > 300);
	assert_true(langs > 500);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(xapi_suite),
	    cmocka_unit_test(scorm_cts),
	};

	if (!corpus_find()) {
		fprintf(stderr, "corpus not found (set SOMO_CORPUS_DIR): skipped\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
