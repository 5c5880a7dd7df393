/*
 * The command line around sessions: somo session's protocol edges (lines
 * that are not calls, unknown verbs, exit status), somo learners, somo
 * attempts and somo export on the store a session left, and clear errors
 * for a missing package, a damaged store and a missing store.
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "somo.h"
#include "somo/store.h"

static int failures;
static char somo[4096], dir[64], db[128], pkg[4096];

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
	} while (0)

/* Run a shell command with input text; output (stdout) into *out (malloc'd). */
static int run(const char *cmd, const char *input, char **out)
{
	char inpath[128], full[16384];
	FILE *f, *p;
	size_t cap = 1 << 16, len = 0, n;
	int status;

	snprintf(inpath, sizeof(inpath), "%s/in.txt", dir);
	f = fopen(inpath, "w");
	fputs(input ? input : "", f);
	fclose(f);
	snprintf(full, sizeof(full), "%s < '%s' 2>'%s/err.txt'", cmd, inpath, dir);
	p = popen(full, "r");
	*out = malloc(cap);
	while ((n = fread(*out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 >= cap)
			*out = realloc(*out, cap *= 2);
	}
	(*out)[len] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *err_text(void)
{
	static char buf[4096];
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/err.txt", dir);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static void protocol(void)
{
	char cmd[8192], *out;
	int rc;

	snprintf(cmd, sizeof(cmd),
	         "'%s' session '%s' --db '%s' --learner k-7 --name 'Kay Seven' --xapi-base "
	         "https://lms.example/c/",
	         somo, pkg, db);
	rc = run(cmd,
	         "not json\n"
	         "{\"an\":\"object\"}\n"
	         "[\"navigate\",\"sideways\"]\n"
	         "[\"navigate\",\"choice\"]\n"
	         "[\"Frobnicate\"]\n"
	         "[\"GetDiagnostic\",\"\"]\n"
	         "[\"navigate\",\"start\"]\n"
	         "[\"Initialize\",\"\"]\n"
	         "[\"SetValue\",\"cmi.location\",\"p9\"]\n"
	         "[\"SetValue\",\"cmi.interactions.0.id\",\"q1\"]\n"
	         "[\"SetValue\",\"cmi.interactions.0.type\",\"true-false\"]\n"
	         "[\"SetValue\",\"cmi.interactions.0.learner_response\",\"true\"]\n"
	         "[\"SetValue\",\"cmi.objectives.0.id\",\"obj-x\"]\n"
	         "[\"SetValue\",\"cmi.objectives.0.success_status\",\"passed\"]\n"
	         "[\"SetValue\",\"cmi.exit\",\"suspend\"]\n"
	         "[\"SetValue\",\"cmi.score.scaled\",\"7\"]\n"
	         "[\"GetLastError\"]\n"
	         "[\"GetErrorString\",\"407\"]\n"
	         "[\"GetDiagnostic\",\"\"]\n"
	         "[\"navigate\",\"suspendAll\"]\n",
	         &out);
	if (rc != 0)
		FAIL("somo session exited %d: %s", rc, err_text());
	{
		const char *want[] = {
		    "{\"error\":",
		    "{\"error\":",
		    "{\"error\":",
		    "{\"error\":",
		    "{\"error\":",
		    "{\"call\":\"GetDiagnostic\",",
		    "{\"call\":\"navigate\",\"ok\":true,\"deliver\":\"intro\"}",
		    "{\"call\":\"Initialize\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"true\",\"err\":\"0\"}",
		    "{\"call\":\"SetValue\",\"ret\":\"false\",\"err\":\"407\"}",
		    "{\"call\":\"GetLastError\",\"ret\":\"407\",\"err\":\"407\"}",
		    ("{\"call\":\"GetErrorString\",\"ret\":\"Data Model Element Value Out Of "
		     "Range\",\"err\":\"407\"}"),
		    "{\"call\":\"GetDiagnostic\",\"ret\":\"",
		    "{\"call\":\"navigate\",\"ok\":true,\"deliver\":null}",
		};
		char *line = out, *nl;
		size_t i;
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			if (!line || !*line) {
				FAIL("reply %zu missing", i);
				break;
			}
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			if (strncmp(line, want[i], strlen(want[i])) != 0)
				FAIL("reply %zu: want %s..., got %s", i, want[i], line);
			line = nl ? nl + 1 : NULL;
		}
		if (line && *line)
			FAIL("extra replies: %s", line);
	}
	free(out);
}

static const char *str(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

static void inspection(void)
{
	char cmd[8192], *out;
	json_t *doc, *act, *v;
	int rc;

	snprintf(cmd, sizeof(cmd), "'%s' learners --db '%s'", somo, db);
	if ((rc = run(cmd, NULL, &out)) != 0 || strcmp(out, "k-7\tKay Seven\n") != 0)
		FAIL("somo learners: %d '%s' %s", rc, out, err_text());
	free(out);
	snprintf(cmd, sizeof(cmd), "'%s' attempts '%s' --db '%s' --json", somo, pkg, db);
	rc = run(cmd, NULL, &out);
	doc = json_loads(out, 0, NULL);
	if (rc != 0 || json_array_size(doc) != 1 ||
	    strcmp(str(json_object_get(json_array_get(doc, 0), "state")), "suspended") ||
	    strcmp(str(json_object_get(json_array_get(doc, 0), "learner")), "k-7"))
		FAIL("somo attempts: %d %s %s", rc, out, err_text());
	json_decref(doc);
	free(out);
	/* two statements from elsewhere: the learner's own (no registration),
	 * another learner's */
	{
		somo_store *st = NULL;
		if (somo_store_open_sqlite(&st, db, NULL) < 0 ||
		    somo_store_outbox_enqueue(
		        st, "3f1c2a4e-1b2c-4d5e-8f90-0a1b2c3d4e5f",
		        "{\"id\":\"3f1c2a4e-1b2c-4d5e-8f90-0a1b2c3d4e5f\",\"actor\":{\"account\":"
		        "{\"homePage\":\"https://other.example/\",\"name\":\"k-7\"}},\"verb\":"
		        "{\"id\":\"http://adlnet.gov/expapi/verbs/experienced\"},\"object\":"
		        "{\"id\":\"https://other.example/page\"}}") < 0 ||
		    somo_store_outbox_enqueue(
		        st, "4a2d3b5f-2c3d-4e6f-9a01-1b2c3d4e5f60",
		        "{\"id\":\"4a2d3b5f-2c3d-4e6f-9a01-1b2c3d4e5f60\",\"actor\":{\"account\":"
		        "{\"homePage\":\"https://other.example/\",\"name\":\"k-8\"}},\"verb\":"
		        "{\"id\":\"http://adlnet.gov/expapi/verbs/experienced\"},\"object\":"
		        "{\"id\":\"https://other.example/page\"}}") < 0)
			FAIL("enqueue: %s", somo_error_last()->message);
		somo_store_close(st);
	}
	snprintf(cmd, sizeof(cmd), "'%s' export k-7 --json --db '%s'", somo, db);
	rc = run(cmd, NULL, &out);
	doc = json_loads(out, 0, NULL);
	act = json_object_get(
	    json_object_get(
	        json_array_get(
	            json_object_get(json_array_get(json_object_get(doc, "registrations"), 0),
	                            "attempts"),
	            0),
	        "activities"),
	    "intro");
	v = json_object_get(act, "values");
	if (rc != 0 || !act || strcmp(str(json_object_get(v, "cmi.location")), "p9") ||
	    strcmp(str(json_object_get(v, "cmi.learner_name")), "Kay Seven") ||
	    !json_object_get(json_object_get(act, "interactions"), "q1") ||
	    strcmp(str(json_object_get(json_object_get(json_object_get(act, "objectives"), "obj-x"),
	                               "success_status")),
	           "passed") ||
	    !json_is_object(json_object_get(
	        json_array_get(
	            json_object_get(json_array_get(json_object_get(doc, "registrations"), 0),
	                            "attempts"),
	            0),
	        "sequencing")))
		FAIL("somo export: %d %s %s", rc, out, err_text());
	/* the session's statements: initialized, then suspended (the unload at
	 * suspendAll), then the one whose actor is the learner */
	if (json_array_size(json_object_get(doc, "statements")) != 3 ||
	    strcmp(
	        str(json_object_get(json_array_get(json_object_get(doc, "statements"), 2), "id")),
	        "3f1c2a4e-1b2c-4d5e-8f90-0a1b2c3d4e5f") ||
	    strcmp(
	        str(json_object_get(
	            json_object_get(json_array_get(json_object_get(doc, "statements"), 1), "verb"),
	            "id")),
	        "http://adlnet.gov/expapi/verbs/suspended"))
		FAIL("somo export: statements: %s", out);
	json_decref(doc);
	free(out);
	snprintf(cmd, sizeof(cmd), "'%s' export nobody --json --db '%s'", somo, db);
	if ((rc = run(cmd, NULL, &out)) != 1 || !strstr(err_text(), "nobody"))
		FAIL("export of an unknown learner: %d %s", rc, err_text());
	free(out);
}

static void errors(void)
{
	char cmd[8192], bad[160], *out;
	FILE *f;
	int rc;

	snprintf(cmd, sizeof(cmd), "'%s' session '%s/no-such-package' --learner x", somo, dir);
	if ((rc = run(cmd, "", &out)) != 2 || !strstr(err_text(), "no-such-package"))
		FAIL("missing package: %d %s", rc, err_text());
	free(out);
	snprintf(bad, sizeof(bad), "%s/bad.db", dir);
	f = fopen(bad, "w");
	fputs("this is not a database, it is a text file that only pretends to be one\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' session '%s' --db '%s'", somo, pkg, bad);
	if ((rc = run(cmd, "[\"state\"]\n", &out)) == 0 || !strstr(err_text(), "bad.db"))
		FAIL("damaged store: %d %s", rc, err_text());
	free(out);
	snprintf(cmd, sizeof(cmd), "'%s' learners --db '%s/none.db'", somo, dir);
	if ((rc = run(cmd, "", &out)) != 1 || !strstr(err_text(), "none.db"))
		FAIL("missing store: %d %s", rc, err_text());
	free(out);
	{
		struct stat sb;
		char none[160];
		snprintf(none, sizeof(none), "%s/none.db", dir);
		if (stat(none, &sb) == 0)
			FAIL("somo learners created %s", none);
	}
}

int main(void)
{
	const char *e = getenv("SOMO_BIN");
	char rm[128];

	snprintf(somo, sizeof(somo), "%s", e && *e ? e : SOMO_BINARY_DIR "/somo");
	snprintf(pkg, sizeof(pkg), "%s/examples/courses/customs-clearance-basics", SOMO_SOURCE_DIR);
	snprintf(dir, sizeof(dir), "/tmp/somo-cli-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof(db), "%s/somo.db", dir);
	protocol();
	inspection();
	errors();
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("session command line: %d failures\n", failures);
	return failures ? 1 : 0;
}
