/*
 * somo rte: the scripted runtime harness (DESIGN.md). API calls come in on
 * standard input, one JSON array of strings per line; each answer goes out
 * as one JSON object per line:
 *
 *   ["SetValue","cmi.score.scaled","1.5"] -> {"call":"SetValue","ret":"false","err":"407"}
 *
 * --state FILE (an extension) keeps the runtime's state between runs: it is
 * restored as the learner's next session (cmi.exit / cmi.entry rules) when
 * the file exists, and written back on every Commit and Terminate.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "somo.h"
#include "somo/runtime.h"

#define LINE_MAX_BYTES (16u << 20)

static const char *usage_text =
    "usage: somo rte [--scorm 1.2|2004] [--init FILE.json] [--state FILE] [--shared FILE] "
    "[--lenient]\n"
    "\n"
    "Reads SCORM API calls from standard input, one JSON array per line\n"
    "([\"Initialize\",\"\"], [\"SetValue\",\"cmi.location\",\"p1\"], [\"GetLastError\"], ...),\n"
    "and writes one JSON object per line: {\"call\":...,\"ret\":...,\"err\":...}.\n"
    "\n"
    "  --scorm V      data model: 2004 (4th edition, the default) or 1.2\n"
    "  --init FILE    JSON object of LMS-supplied values by element name\n"
    "                 ({\"cmi.learner_id\":\"k-001\",\"cmi.scaled_passing_score\":\"0.8\"});\n"
    "                 \"adl.data\": "
    "[{\"id\":\"X\",\"readSharedData\":true,\"writeSharedData\":true}]\n"
    "                 declares the shared data stores (SCORM 2004)\n"
    "  --state FILE   restore the runtime from FILE, if it exists, as the learner's\n"
    "                 next session (resume after cmi.exit suspend, else a new attempt),\n"
    "                 and write the state back to FILE on Commit and Terminate\n"
    "  --shared FILE  the learner's adl.data shared data stores, a JSON object of\n"
    "                 values by store id, shared by every SCO run with the same FILE:\n"
    "                 read at start, written back on Commit and Terminate\n"
    "  --lenient      accept common authoring-tool deviations (reported on stderr)\n";

typedef struct {
	const char *state_path;
	const char *shared_path;
} rte_ctx;

static char *read_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Write text to path through a temporary file and a rename. */
static int write_atomic(const char *path, const char *text)
{
	char *tmp = malloc(strlen(path) + 8);
	FILE *f;
	int ok;

	if (!tmp)
		return -1;
	sprintf(tmp, "%s.tmp", path);
	f = fopen(tmp, "wb");
	ok = f && fputs(text, f) >= 0;
	if (f && fclose(f) != 0)
		ok = 0;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		fprintf(stderr, "somo rte: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

/* Merge the runtime's adl.data stores into the shared file. */
static int write_shared(somo_rt *rt, const char *path)
{
	json_t *all = json_load_file(path, 0, NULL), *state, *data, *rec;
	char *json = NULL, *text;
	size_t i;
	int rc = -1;

	if (!all || !json_is_object(all)) {
		json_decref(all);
		all = json_object();
	}
	if (somo_rt_to_json(rt, &json) < 0 || (state = json_loads(json, 0, NULL)) == NULL) {
		somo_free(json);
		json_decref(all);
		return -1;
	}
	data = json_object_get(json_object_get(state, "collections"), "adl.data");
	json_array_foreach (data, i, rec) {
		json_t *id = json_object_get(rec, "id"), *v = json_object_get(rec, "store");
		if (!json_is_string(id))
			continue;
		if (json_is_string(v))
			json_object_set(all, json_string_value(id), v);
		else
			json_object_del(all, json_string_value(id)); /* emptied: not initialized */
	}
	if ((text = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS)) != NULL) {
		rc = write_atomic(path, text);
		free(text);
	}
	json_decref(state);
	json_decref(all);
	somo_free(json);
	return rc;
}

static int write_state(somo_rt *rt, void *payload)
{
	rte_ctx *ctx = payload;
	char *json = NULL;
	int rc = 0;

	if (ctx->shared_path && write_shared(rt, ctx->shared_path) < 0)
		rc = -1;
	if (!ctx->state_path)
		return rc;
	if (somo_rt_to_json(rt, &json) < 0)
		return -1;
	if (write_atomic(ctx->state_path, json) < 0)
		rc = -1;
	somo_free(json);
	return rc;
}

/* Load the shared stores the runtime's map names from the shared file. */
static int load_shared(somo_rt *rt, const somo_rt_data_map *map, size_t n, const char *path)
{
	json_error_t jerr;
	json_t *all = json_load_file(path, 0, &jerr);
	size_t i;
	char name[64];

	if (!all) {
		if (errno == ENOENT || jerr.line == -1)
			return 0;
		fprintf(stderr, "somo rte: %s:%d: %s\n", path, jerr.line, jerr.text);
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_t *v = json_object_get(all, map[i].id);
		if (!json_is_string(v))
			continue;
		snprintf(name, sizeof(name), "adl.data.%zu.store", i);
		if (somo_rt_set_lms_value(rt, name, json_string_value(v)) < 0) {
			fprintf(stderr, "somo rte: %s: %s\n", path, somo_error_last()->message);
			json_decref(all);
			return -1;
		}
	}
	json_decref(all);
	return 0;
}

static void report_lenient(somo_rt *rt, const char *element, const char *value, const char *what,
                           void *payload)
{
	(void)rt;
	(void)payload;
	fprintf(stderr, "somo rte: lenient: %s = '%.80s': %s\n", element, value, what);
}

/* --init: LMS-supplied values and the adl.data map. */
static int load_init(const char *path, json_t **out, somo_rt_data_map **map, size_t *map_len)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr), *data, *e;
	size_t i;

	*out = NULL;
	*map = NULL;
	*map_len = 0;
	if (!root) {
		fprintf(stderr, "somo rte: %s:%d: %s\n", path, jerr.line, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		fprintf(stderr, "somo rte: %s: not a JSON object of element values\n", path);
		json_decref(root);
		return -1;
	}
	data = json_object_get(root, "adl.data");
	if (data) {
		if (!json_is_array(data) || json_array_size(data) > 4096) {
			fprintf(stderr, "somo rte: %s: adl.data must be an array of stores\n",
			        path);
			json_decref(root);
			return -1;
		}
		*map = calloc(json_array_size(data) + 1, sizeof(**map));
		if (!*map) {
			json_decref(root);
			return -1;
		}
		json_array_foreach (data, i, e) {
			const char *id = json_string_value(json_object_get(e, "id"));
			json_t *r = json_object_get(e, "readSharedData"),
			       *w = json_object_get(e, "writeSharedData");
			if (!id) {
				fprintf(stderr, "somo rte: %s: adl.data[%zu] has no id\n", path, i);
				free(*map);
				*map = NULL;
				json_decref(root);
				return -1;
			}
			(*map)[i].id = id;
			(*map)[i].read_shared_data = r ? json_is_true(r) : 1;
			(*map)[i].write_shared_data = w ? json_is_true(w) : 1;
		}
		*map_len = json_array_size(data);
	}
	*out = root;
	return 0;
}

static int apply_init(somo_rt *rt, json_t *init, const char *path)
{
	const char *key;
	json_t *v;

	json_object_foreach (init, key, v) {
		if (strcmp(key, "adl.data") == 0)
			continue;
		if (!json_is_string(v)) {
			fprintf(stderr, "somo rte: %s: %s: the value must be a string\n", path,
			        key);
			return -1;
		}
		if (somo_rt_set_lms_value(rt, key, json_string_value(v)) < 0) {
			fprintf(stderr, "somo rte: %s: %s\n", path, somo_error_last()->message);
			return -1;
		}
	}
	return 0;
}

static void run_line(somo_rt *rt, const char *line)
{
	json_t *a = somo_cli_parse_call(line);
	const char *call, *ret;
	char errbuf[8];

	if (!a)
		return;
	call = json_string_value(json_array_get(a, 0));
	if (somo_cli_call_is(call, "Initialize", "LMSInitialize"))
		ret = somo_rt_initialize(rt, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "Terminate", "LMSFinish"))
		ret = somo_rt_terminate(rt, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "GetValue", "LMSGetValue"))
		ret = somo_rt_get_value(rt, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "SetValue", "LMSSetValue"))
		ret = somo_rt_set_value(rt, somo_cli_arg(a, 1), somo_cli_arg(a, 2));
	else if (somo_cli_call_is(call, "Commit", "LMSCommit"))
		ret = somo_rt_commit(rt, somo_cli_arg(a, 1));
	else if (somo_cli_call_is(call, "GetLastError", "LMSGetLastError")) {
		snprintf(errbuf, sizeof(errbuf), "%d", somo_rt_last_error(rt));
		ret = errbuf;
	} else if (somo_cli_call_is(call, "GetErrorString", "LMSGetErrorString")) {
		int code = somo_rt_parse_code(somo_cli_arg(a, 1));
		ret = code < 0 ? "" : somo_rt_error_string(rt, code);
	} else if (somo_cli_call_is(call, "GetDiagnostic", "LMSGetDiagnostic")) {
		const char *p = somo_cli_arg(a, 1);
		int code = *p ? somo_rt_parse_code(p) : somo_rt_last_error(rt);
		ret = code < 0 ? "" : somo_rt_diagnostic(rt, code);
	} else {
		somo_cli_emit_error("unknown call '%.100s'", call);
		json_decref(a);
		return;
	}
	snprintf(errbuf, sizeof(errbuf), "%d", somo_rt_last_error(rt));
	somo_cli_emit(json_pack("{s:s,s:s,s:s}", "call", call, "ret", ret, "err", errbuf));
	json_decref(a);
}

int somo_cmd_rte(int argc, char **argv)
{
	somo_scorm_version version = SOMO_SCORM_2004;
	const char *init_path = NULL;
	rte_ctx ctx = {NULL, NULL};
	somo_rt_callbacks cb = {0};
	somo_rt_opts opts = SOMO_RT_OPTS_INIT;
	somo_rt_data_map *map = NULL;
	json_t *init = NULL;
	somo_rt *rt = NULL;
	char *line = NULL, *state;
	size_t cap = 0;
	ssize_t n;
	int i, status = 2;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scorm") && i + 1 < argc) {
			const char *v = argv[++i];
			if (!strcmp(v, "1.2"))
				version = SOMO_SCORM_12;
			else if (!strcmp(v, "2004"))
				version = SOMO_SCORM_2004;
			else {
				fprintf(stderr, "somo rte: --scorm takes 1.2 or 2004, not '%s'\n",
				        v);
				return 2;
			}
		} else if (!strcmp(argv[i], "--init") && i + 1 < argc) {
			init_path = argv[++i];
		} else if (!strcmp(argv[i], "--state") && i + 1 < argc) {
			ctx.state_path = argv[++i];
		} else if (!strcmp(argv[i], "--shared") && i + 1 < argc) {
			ctx.shared_path = argv[++i];
		} else if (!strcmp(argv[i], "--lenient")) {
			opts.lenient = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else {
			fprintf(stderr, "somo rte: unknown option '%s'\n%s", argv[i], usage_text);
			return 2;
		}
	}
	if (init_path && load_init(init_path, &init, &map, &opts.data_map_len) < 0)
		return 2;
	if (map && version != SOMO_SCORM_2004) {
		fprintf(stderr, "somo rte: adl.data exists only in SCORM 2004\n");
		goto out;
	}
	opts.data_map = map;
	cb.commit = write_state;
	cb.lenient = report_lenient;
	cb.payload = &ctx;
	opts.callbacks = &cb;
	if (somo_rt_new(&rt, version, &opts) < 0) {
		fprintf(stderr, "somo rte: %s\n", somo_error_last()->message);
		goto out;
	}
	if (ctx.state_path && (state = read_file(ctx.state_path, 64u << 20)) != NULL) {
		int rc = somo_rt_from_json(rt, state);
		free(state);
		if (rc < 0 || somo_rt_next_session(rt) < 0) {
			fprintf(stderr, "somo rte: %s: %s\n", ctx.state_path,
			        somo_error_last()->message);
			goto out;
		}
	} else if (ctx.state_path && errno != ENOENT) {
		fprintf(stderr, "somo rte: %s: %s\n", ctx.state_path, strerror(errno));
		goto out;
	}
	if (init && apply_init(rt, init, init_path) < 0)
		goto out;
	if (ctx.shared_path && load_shared(rt, map, opts.data_map_len, ctx.shared_path) < 0)
		goto out;
	while ((n = somo_cli_getline(&line, &cap)) >= 0) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		if ((size_t)n > LINE_MAX_BYTES) {
			somo_cli_emit_error("%s", "line too long");
			continue;
		}
		run_line(rt, p);
	}
	status = 0;
out:
	free(line);
	somo_rt_free(rt);
	free(map);
	json_decref(init);
	return status;
}
