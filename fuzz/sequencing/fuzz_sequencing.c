/*
 * Sequencing fuzz harness: plays navigation requests and content reports
 * decoded from the input against small activity trees in the manner of
 * ADL's conformance packages (trees.h) and checks, after every step, the
 * invariants of the tracking model; a violation aborts:
 *   - no crash (and every call returns what its documentation allows);
 *   - at most one current activity, and it is the one somo_seq_current_id()
 *     names; the active activities form one path from the root;
 *   - attempt counts never decrease;
 *   - the saved state restores, into a new handle, to a state that saves
 *     identically and reads identically through the table of contents;
 *   - validity answers agree with what a request then does (when no
 *     activity is running: a request said invalid delivers nothing, a
 *     start, resumeAll or choice said valid delivers or ends the session).
 * Now and then play goes on with the restored handle, so that a restore
 * that loses something shows in what follows.
 *
 * Input: byte 0 picks one of the trees of trees.h or (its last values) a
 * tree generated from the bytes that follow (gen_tree.h), byte 1 the seed
 * of selection and randomization; then steps of 4 bytes: an operation and its arguments. A
 * step whose operation byte is 0xff ends the steps: the rest of the input
 * is offered to somo_seq_state_from_json() as a saved state from outside,
 * which must be refused with the handle unchanged, or taken whole.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"

#include "gen_tree.h"
#include "trees.h"

#define MAX_STEPS 256
#define MAX_ACTS  64

static somo_manifest *g_trees[FUZZ_TREE_COUNT];

/* Attempt counts seen so far, by activity id (the table of contents'
 * order changes with randomization). */
typedef struct {
	size_t n;
	char id[MAX_ACTS][64];
	uint32_t count[MAX_ACTS];
} attempts_seen;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "sequencing invariant broken: %s\n", what);
		abort();
	}
}

static void load_trees(void)
{
	somo_diag diag;

	if (g_trees[0])
		return;
	for (size_t i = 0; i < FUZZ_TREE_COUNT; i++) {
		if (somo_manifest_parse_memory(&g_trees[i], fuzz_trees[i], strlen(fuzz_trees[i]),
		                               NULL, NULL, &diag) != 0) {
			fprintf(stderr, "tree %zu: %s\n", i, diag.text);
			abort();
		}
	}
}

static const somo_seq_status completions[] = {SOMO_SEQ_KEEP, SOMO_SEQ_UNKNOWN, SOMO_SEQ_COMPLETED,
                                              SOMO_SEQ_INCOMPLETE};
static const somo_seq_status successes[] = {SOMO_SEQ_KEEP, SOMO_SEQ_UNKNOWN, SOMO_SEQ_PASSED,
                                            SOMO_SEQ_FAILED};

/* A value from a byte: mostly inside -1..1, sometimes out of range. */
static double value_of(uint8_t b)
{
	switch (b % 16) {
	case 0:
		return -1.5;
	case 1:
		return 2.0;
	case 2:
		return NAN;
	default:
		return (double)(b / 16) / 7.5 - 1.0;
	}
}

static void play_report(somo_seq *seq, const uint8_t *a)
{
	somo_seq_report_data r = SOMO_SEQ_REPORT_INIT;
	somo_seq_objective_values objs[4];
	size_t nobj = somo_seq_objective_count(seq), i, k = 0;
	bool running;
	somo_seq_delivery d;
	int rc;

	running = somo_seq_current(seq, &d) == 0 && d.active;
	r.completion = completions[a[0] & 3];
	r.success = successes[(a[0] >> 2) & 3];
	r.has_scaled = a[0] & 16;
	r.scaled = value_of(a[1]);
	r.has_progress = a[0] & 32;
	r.progress = (value_of(a[2]) + 1) / 2;
	r.has_raw = a[2] & 1;
	r.raw = a[1];
	r.has_min = r.has_max = a[2] & 2;
	r.min = 0;
	r.max = 100;
	r.suspend = a[0] & 64;
	r.terminated = a[0] & 128;
	r.session_seconds = a[2] & 4 ? -1 : a[1];
	/* objectives by id: the current activity's, and one it lacks */
	for (i = 0; i < nobj && k < 3; i++) {
		somo_seq_objective_values v;
		check(somo_seq_objective_at(seq, i, &v) == 0, "objective_at within the count");
		if (!v.id || !((a[2] >> (i % 5 + 3)) & 1))
			continue;
		memset(&objs[k], 0, sizeof(objs[k]));
		objs[k].id = v.id;
		objs[k].success = successes[(a[1] + i) & 3];
		objs[k].completion = completions[(a[1] >> 2) & 3];
		objs[k].has_scaled = (a[1] >> i) & 1;
		objs[k].scaled = value_of((uint8_t)(a[1] + 16 * i));
		k++;
	}
	check(somo_seq_objective_at(seq, nobj, &objs[3]) == SOMO_ENOTFOUND,
	      "objective_at past the count");
	if (a[1] & 128) {
		memset(&objs[k], 0, sizeof(objs[k]));
		objs[k].id = "no-such-objective";
		objs[k].success = SOMO_SEQ_PASSED;
		k++;
	}
	r.objectives = objs;
	r.objective_count = k;
	rc = somo_seq_report(seq, &r);
	check(rc == 0 || rc == SOMO_ESTATE || rc == SOMO_EINVAL, "report returns 0/ESTATE/EINVAL");
	check(running || rc != 0, "report accepted with no running activity");
}

static const char *target_of(somo_seq *seq, uint8_t b)
{
	size_t n = somo_seq_activity_count(seq);
	somo_seq_toc_entry e;

	if (b == 255)
		return "no-such-activity";
	check(somo_seq_toc_at(seq, b % n, &e) == 0, "toc_at within the count");
	return e.id;
}

static uint32_t *attempts_of(attempts_seen *at, const char *id)
{
	size_t i;

	for (i = 0; i < at->n; i++)
		if (strcmp(at->id[i], id) == 0)
			return &at->count[i];
	check(at->n < MAX_ACTS && strlen(id) < sizeof(at->id[0]), "activity ids");
	strcpy(at->id[at->n], id);
	at->count[at->n] = 0;
	return &at->count[at->n++];
}

/* The invariants after a step; at holds the last attempt counts. */
static void check_state(somo_seq *seq, attempts_seen *at)
{
	size_t n = somo_seq_activity_count(seq), i, ncur = 0, nactive = 0, idx;
	const char *cur = somo_seq_current_id(seq);
	int deepest = -1;
	somo_seq_toc_entry e;
	somo_seq_nav_state ns;
	somo_seq_course_status cs;
	somo_seq_delivery d;

	check(n > 0 && n <= MAX_ACTS, "activity count");
	for (i = 0; i < n; i++) {
		check(somo_seq_toc_at(seq, i, &e) == 0, "toc_at");
		check(somo_seq_find(seq, e.id, &idx) == 0 && idx == i, "find agrees with toc_at");
		uint32_t *seen = attempts_of(at, e.id);
		if (e.attempt_count < *seen) {
			fprintf(stderr, "%s: %u after %u\n", e.id, (unsigned)e.attempt_count,
			        (unsigned)*seen);
			check(0, "attempt count decreased");
		}
		*seen = e.attempt_count;
		if (e.current) {
			ncur++;
			check(cur && strcmp(cur, e.id) == 0,
			      "the current activity is the one named");
		}
		if (e.active) {
			nactive++;
			if (e.depth > deepest)
				deepest = e.depth;
			if (e.parent) {
				somo_seq_toc_entry pe;
				check(somo_seq_find(seq, e.parent, &idx) == 0, "parent found");
				check(somo_seq_toc_at(seq, idx, &pe) == 0 && pe.active,
				      "an active activity's parent is active");
			}
		}
	}
	check(somo_seq_toc_at(seq, n, &e) == SOMO_ENOTFOUND, "toc_at past the count");
	check(ncur <= 1, "more than one current activity");
	check(!cur || ncur == 1, "the named current activity is not marked current");
	check(nactive == 0 || (size_t)deepest + 1 == nactive, "the active activities are a path");
	check((somo_seq_current(seq, &d) == 0) == (cur != NULL),
	      "current() agrees with current_id");
	somo_seq_nav_valid(seq, &ns);
	somo_seq_course(seq, &cs);
	check(cs.ended == (cur == NULL) || cs.ended, "course ended with a current activity");
}

/* Everything the table of contents says, as one string, to compare two handles. */
static char *toc_text(somo_seq *seq)
{
	size_t n = somo_seq_activity_count(seq), i, len = 0;
	char *s = malloc(n * 160 + 1);
	somo_seq_toc_entry e;

	check(s != NULL, "out of memory");
	for (i = 0; i < n; i++) {
		check(somo_seq_toc_at(seq, i, &e) == 0, "toc_at");
		len += (size_t)snprintf(
		    s + len, 160, "%.24s|%d%d%d%d%d%d%d%d%d%d|%u|%d%d|%d:%.6g\n", e.id, e.visible,
		    e.hidden_from_choice, e.disabled, e.limit_exceeded, e.available, e.choosable,
		    e.active, e.suspended, e.current, e.is_leaf, (unsigned)e.attempt_count,
		    (int)e.completion, (int)e.success, e.has_measure,
		    e.has_measure ? e.measure : 0);
	}
	s[len] = 0;
	return s;
}

/* Save, restore into a new handle, compare; returns the new handle. */
static somo_seq *roundtrip(somo_seq *seq, const somo_manifest *man, const somo_seq_opts *o)
{
	char *a = somo_seq_state_to_json(seq), *b, *ta, *tb;
	somo_seq *other = NULL;

	check(a != NULL, "state_to_json");
	check(somo_seq_new(&other, man, NULL, o) == 0, "new handle for the restore");
	if (somo_seq_state_from_json(other, a) != 0) {
		fprintf(stderr, "%s\n", somo_error_last()->message);
		check(0, "the saved state does not restore");
	}
	b = somo_seq_state_to_json(other);
	check(b != NULL, "state_to_json of the restored handle");
	check(strcmp(a, b) == 0, "the restored state saves differently");
	ta = toc_text(seq);
	tb = toc_text(other);
	check(strcmp(ta, tb) == 0, "the restored state reads differently");
	check((somo_seq_current_id(seq) == NULL) == (somo_seq_current_id(other) == NULL),
	      "the restored current activity differs");
	free(ta);
	free(tb);
	somo_free(a);
	somo_free(b);
	return other;
}

/* A saved state from outside: refused with the handle unchanged, or taken
 * whole (and then consistent). */
static void from_outside(somo_seq *seq, const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *before = somo_seq_state_to_json(seq), *after;
	attempts_seen *fresh = calloc(1, sizeof(*fresh));

	check(text && before && fresh, "out of memory");
	memcpy(text, data, size);
	text[size] = 0;
	if (somo_seq_state_from_json(seq, text) != 0) {
		after = somo_seq_state_to_json(seq);
		check(after && strcmp(before, after) == 0, "a refused state changed the handle");
		somo_free(after);
	} else {
		check_state(seq, fresh);
	}
	free(fresh);
	free(text);
	somo_free(before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
	const somo_manifest *man;
	somo_manifest *own = NULL;
	somo_seq *seq = NULL;
	static attempts_seen at;
	size_t step, pick;

	if (size < 2)
		return 0;
	load_trees();
	o.seed = data[1];
	pick = data[0] % (FUZZ_TREE_COUNT + 3);
	data += 2;
	size -= 2;
	if (pick < FUZZ_TREE_COUNT) {
		man = g_trees[pick];
	} else {
		static char xml[64 * 1024];
		somo_diag diag;
		size_t used = gen_tree(data, size, xml, sizeof(xml));
		check(used > 0 || size < 3, "a generated tree does not fit");
		if (somo_manifest_parse_memory(&own, xml, strlen(xml), NULL, NULL, &diag) != 0) {
			fprintf(stderr, "%s\n%s\n", diag.text, xml);
			check(0, "a generated tree does not parse");
		}
		man = own;
		data += used;
		size -= used;
	}
	if (somo_seq_new(&seq, man, NULL, &o) != 0) {
		/* a generated tree may be refused (no organization...), never crash */
		check(man == own, "somo_seq_new of a built-in tree");
		somo_manifest_free(own);
		return 0;
	}
	at.n = 0;
	for (step = 0; step < MAX_STEPS && size >= 4 && data[0] != 0xff;
	     step++, data += 4, size -= 4) {
		uint8_t op = data[0] % 20;
		somo_seq_result res;

		if (op < 12) { /* a navigation request */
			somo_nav_request req = (somo_nav_request)op;
			const char *target = target_of(seq, data[1]);
			bool valid = somo_seq_request_valid(seq, req, target);
			somo_seq_delivery d;
			/* validity does not simulate ending a running activity */
			bool running = somo_seq_current(seq, &d) == 0 && d.active;
			int rc = somo_seq_navigate(seq, req, target, &res);
			check(rc == 0, "navigate fails on a well-formed request");
			check(running || req != SOMO_NAV_CHOICE || valid || !res.deliver,
			      "a choice said invalid delivered");
			check(running || valid || !res.deliver || req == SOMO_NAV_CONTINUE,
			      "a request said invalid delivered");
			check(running || !valid || res.deliver || res.ended ||
			          (req != SOMO_NAV_CHOICE && req != SOMO_NAV_START &&
			           req != SOMO_NAV_RESUME_ALL),
			      "a request said valid delivered nothing");
			check(!res.deliver || res.accepted, "delivered without being accepted");
			check(!res.deliver || (somo_seq_current_id(seq) &&
			                       strcmp(res.deliver, somo_seq_current_id(seq)) == 0),
			      "the delivered activity is not the current one");
			check(!res.deliver || !res.ended, "delivered and ended at once");
		} else if (op < 16) { /* what the content reported */
			play_report(seq, data + 1);
		} else if (op < 18) { /* adl.nav.request as the content writes it */
			static const char *const forms[] = {"continue",
			                                    "previous",
			                                    "exit",
			                                    "exitAll",
			                                    "abandon",
			                                    "abandonAll",
			                                    "suspendAll",
			                                    "_none_",
			                                    "{target=%s}choice",
			                                    "{target=%s}jump",
			                                    "{target=}choice",
			                                    "choice",
			                                    "{target=%s}continue"};
			char buf[128];
			somo_nav_request req;
			const char *t;
			size_t tlen;
			snprintf(buf, sizeof(buf), forms[data[1] % 13], target_of(seq, data[2]));
			if (somo_nav_parse(buf, &req, &t, &tlen) == 0) {
				char id[96] = "";
				if (t) {
					check(tlen < sizeof(id), "target length");
					memcpy(id, t, tlen);
					id[tlen] = 0;
				}
				check(somo_seq_navigate(seq, req, t ? id : NULL, &res) == 0,
				      "navigate of a parsed request");
			}
		} else { /* save and restore; now and then go on with the copy */
			somo_seq *other = roundtrip(seq, man, &o);
			if (op == 19) {
				somo_seq_free(seq);
				seq = other;
			} else {
				somo_seq_free(other);
			}
		}
		check_state(seq, &at);
	}
	somo_seq_free(roundtrip(seq, man, &o));
	if (size > 1 && data[0] == 0xff)
		from_outside(seq, data + 1, size - 1);
	somo_seq_free(seq);
	somo_manifest_free(own);
	return 0;
}
