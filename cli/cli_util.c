/* What several somo subcommands share (cli_util.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/util.h"

static bool root_has(somo_package *pkg, const char *name)
{
	somo_package_entry e;
	bool r = somo_package_stat(pkg, name, &e) == 0 && !e.is_dir;

	somo_error_clear();
	return r;
}

somo_cli_pkg_kind somo_cli_pkg_kind_of(somo_package *pkg)
{
	if (root_has(pkg, "imsmanifest.xml"))
		return SOMO_CLI_PKG_SCORM;
	if (root_has(pkg, "cmi5.xml"))
		return SOMO_CLI_PKG_CMI5;
	if (root_has(pkg, "tincan.xml"))
		return SOMO_CLI_PKG_TINCAN;
	return SOMO_CLI_PKG_NONE;
}

void somo_cli_no_manifest(somo_package *pkg, const char *path, FILE *out, const char *prefix)
{
	static const char *const names[] = {"imsmanifest.xml", "cmi5.xml", "tincan.xml"};
	size_t i;

	for (i = 0; i < 3; i++)
		if (somo_package_find_root_file(pkg, names[i]) < 0 &&
		    strstr(somo_error_last()->message, "found at")) {
			const char *m = somo_error_last()->message;
			size_t n = strlen(path);

			if (!strncmp(m, path, n) && m[n] == ':' && m[n + 1] == ' ')
				m += n + 2;
			fprintf(out, "%s:0: %s%s\n", path, prefix, m);
			return;
		}
	fprintf(out, "%s:0: %sno imsmanifest.xml, cmi5.xml or tincan.xml at the package root\n",
	        path, prefix);
}

bool somo_cli_lone_xml(const char *path, bool *ims)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !dot || strcmp(dot, ".xml") != 0)
		return false;
	*ims = strcmp(slash ? slash + 1 : path, "imsmanifest.xml") == 0;
	return true;
}

int somo_cli_manifest_file(somo_manifest **man, const char *path, somo_diag *d)
{
	FILE *f = fopen(path, "rb");
	somo__buf b = SOMO__BUF_INIT;
	char chunk[65536];
	size_t n;
	int rc;

	if (!f) {
		fprintf(stderr, "somo: %s: cannot open\n", path);
		return SOMO_EIO;
	}
	/* Past 64 MiB the parser's own size limit speaks. */
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (somo__buf_put(&b, chunk, n) < 0 || b.len > 64u * 1024 * 1024)
			break;
	fclose(f);
	rc = somo_manifest_parse_memory(man, b.ptr ? b.ptr : "", b.len, path, NULL, d);
	somo__buf_free(&b);
	return rc;
}

ssize_t somo_cli_getline(char **line, size_t *cap)
{
	ssize_t n = getline(line, cap, stdin);

	while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
		(*line)[--n] = '\0';
	return n;
}

void somo_cli_emit(json_t *obj)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	if (!s)
		s = strdup("{\"error\":\"the answer could not be written as JSON\"}");
	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	fflush(stdout);
	json_decref(obj);
}

void somo_cli_emit_error(const char *fmt, const char *detail)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, detail);
	somo_cli_emit(json_pack("{s:s}", "error", msg));
}

const char *somo_cli_arg(json_t *a, size_t i)
{
	json_t *v = json_array_get(a, i);

	return v ? json_string_value(v) : "";
}

bool somo_cli_call_is(const char *call, const char *name2004, const char *name12)
{
	return strcmp(call, name2004) == 0 || strcmp(call, name12) == 0;
}

json_t *somo_cli_parse_call(const char *line)
{
	json_error_t jerr;
	json_t *a = json_loads(line, JSON_DECODE_ANY, &jerr), *v;
	size_t i;

	if (!a) {
		somo_cli_emit_error("not JSON: %s", jerr.text);
		return NULL;
	}
	if (!json_is_array(a) || json_array_size(a) == 0) {
		json_decref(a);
		somo_cli_emit_error("%s",
		                    "a line must be a JSON array of strings: [\"Call\", args...]");
		return NULL;
	}
	json_array_foreach (a, i, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
			json_decref(a);
			somo_cli_emit_error(
			    "%s", "a line must be a JSON array of strings (no NUL characters)");
			return NULL;
		}
	}
	return a;
}
