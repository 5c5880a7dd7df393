/*
 * libFuzzer harness for the SCORM runtimes: arbitrary (element, value) pairs
 * through SetValue and GetValue in both versions, strict and lenient, with
 * the state machine, JSON persistence and next sessions mixed in.
 *
 * Input: the first byte picks the version (bit 0: SCORM 1.2) and leniency
 * (bit 1); then lines "OP ELEMENT<TAB>VALUE" with OP one of
 *   S set, G get, I initialize, T terminate, C commit, D diagnostic,
 *   J JSON round trip (must reproduce the same JSON), N next session.
 * After the script the state must survive JSON exactly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"
#include "somo/runtime.h"

static const char *nav_valid(somo_rt *rt, const char *req, const char *target, void *p)
{
	(void)rt;
	(void)p;
	return target && strlen(target) % 2 ? "true" : req[0] == 'c' ? "false" : "maybe";
}

static void lenient_report(somo_rt *rt, const char *el, const char *v, const char *what, void *p)
{
	(void)rt;
	(void)p;
	if (!el || !v || !what || !*what)
		abort();
}

static somo_rt *make(somo_scorm_version v, int lenient)
{
	static const somo_rt_data_map map[] = {{"s1", 1, 1}, {"s2", 1, 0}, {"s3", 0, 1}};
	static somo_rt_callbacks cb;
	somo_rt_opts o = SOMO_RT_OPTS_INIT;
	somo_rt *rt = NULL;

	cb.nav_request_valid = nav_valid;
	cb.lenient = lenient_report;
	o.callbacks = &cb;
	o.lenient = lenient;
	if (v == SOMO_SCORM_2004) {
		o.data_map = map;
		o.data_map_len = 3;
	}
	if (somo_rt_new(&rt, v, &o) < 0)
		abort();
	return rt;
}

/* JSON out, into a fresh runtime, out again: identical, or the state is lost. */
static somo_rt *round_trip(somo_rt *rt, somo_scorm_version v, int lenient)
{
	char *a = NULL, *b = NULL;
	somo_rt *n = make(v, lenient);

	if (somo_rt_to_json(rt, &a) < 0)
		abort();
	if (somo_rt_from_json(n, a) < 0 || somo_rt_to_json(n, &b) < 0 || strcmp(a, b) != 0)
		abort();
	somo_free(a);
	somo_free(b);
	somo_rt_free(rt);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_scorm_version v;
	int lenient, ops = 0;
	char *buf, *line, *next;
	somo_rt *rt;

	if (size < 1 || size > 1 << 16)
		return 0;
	v = data[0] & 1 ? SOMO_SCORM_12 : SOMO_SCORM_2004;
	lenient = (data[0] >> 1) & 1;
	if ((buf = malloc(size)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	rt = make(v, lenient);
	somo_rt_initialize(rt, "");
	for (line = buf; line && ops < 2000; line = next, ops++) {
		char *tab, *el, op;
		const char *r;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		op = line[0];
		el = line[1] == ' ' ? line + 2 : line + 1;
		tab = strchr(el, '\t');
		if (tab)
			*tab++ = '\0';
		switch (op) {
		case 'S':
			r = somo_rt_set_value(rt, el, tab ? tab : "");
			if (strcmp(r, "true") != 0 && strcmp(r, "false") != 0)
				abort();
			if ((strcmp(r, "true") == 0) != (somo_rt_last_error(rt) == 0))
				abort();
			break;
		case 'G':
			r = somo_rt_get_value(rt, el);
			if (!r || (somo_rt_last_error(rt) != 0 && *r))
				abort();
			break;
		case 'I':
			somo_rt_initialize(rt, el);
			break;
		case 'T':
			somo_rt_terminate(rt, el);
			break;
		case 'C':
			somo_rt_commit(rt, el);
			break;
		case 'D':
			r = somo_rt_diagnostic(rt, somo_rt_parse_code(el) < 0
			                               ? somo_rt_last_error(rt)
			                               : somo_rt_parse_code(el));
			if (!r || strlen(r) >= 255) /* GetDiagnostic's SPM */
				abort();
			break;
		case 'J':
			rt = round_trip(rt, v, lenient);
			break;
		case 'N':
			if (somo_rt_next_session(rt) < 0)
				abort();
			somo_rt_initialize(rt, "");
			break;
		default:
			break;
		}
		r = somo_rt_error_string(rt, somo_rt_last_error(rt));
		if (!r || (!*r && somo_rt_last_error(rt) != 0))
			abort();
	}
	rt = round_trip(rt, v, lenient);
	somo_rt_free(rt);
	free(buf);
	return 0;
}
