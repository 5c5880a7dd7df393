/*
 * Navigation of a SCORM 1.2 package, which has no sequencing: the items that
 * launch something are taken in tree order; continue and previous move to
 * the next / previous one whose adlcp:prerequisites hold (skipping the
 * others), choice goes to any visible one whose prerequisites hold.
 * Continue past the last item ends the session. Prerequisites are judged
 * on the effective lesson status each item's SCO reported.
 */
#include <jansson.h>
#include <string.h>

#include "session/session_int.h"
#include "util/util.h"

typedef struct {
	const somo_manifest_item *item; /* NULL for the root */
	const char *id;
	const char *title;
	int depth;
	bool launchable;
	char status; /* 'p' 'c' 'f' 'i' 'b' 'n' */
} s12_node;

struct somo__s12 {
	const somo_manifest_org *org;
	s12_node *n;
	size_t count, cap;
	long current;   /* index, -1 when none */
	bool active;    /* the current item's attempt is not over */
	bool resumed;   /* the current item was delivered by resumeAll */
	long suspended; /* index, -1 when none */
};

static int add_items(somo__s12 *e, const somo_manifest_item *const *items, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const somo_manifest_item *it = items[i];
		s12_node *nd;

		if (e->count == e->cap) {
			size_t cap = e->cap ? e->cap * 2 : 16;
			s12_node *n = somo__realloc(e->n, cap * sizeof(*n));
			if (!n)
				return somo__error_oom();
			e->n = n;
			e->cap = cap;
		}
		nd = &e->n[e->count++];
		nd->item = it;
		nd->id = it->identifier;
		nd->title = it->title;
		nd->depth = it->depth;
		nd->launchable = it->child_count == 0 && it->resource && it->resource->launch;
		nd->status = 'n';
		if (add_items(e, it->children, it->child_count) < 0)
			return SOMO_ENOMEM;
	}
	return 0;
}

int somo__s12_new(somo__s12 **out, const somo_manifest_org *org)
{
	somo__s12 *e = somo__calloc(1, sizeof(*e));

	*out = NULL;
	if (!e)
		return somo__error_oom();
	e->org = org;
	e->current = e->suspended = -1;
	e->cap = 16;
	e->n = somo__calloc(e->cap, sizeof(*e->n));
	if (!e->n) {
		somo__free(e);
		return somo__error_oom();
	}
	e->n[0].id = org->identifier;
	e->n[0].title = org->title;
	e->n[0].status = 'n';
	e->count = 1;
	if (add_items(e, org->items, org->item_count) < 0) {
		somo__s12_free(e);
		return SOMO_ENOMEM;
	}
	*out = e;
	return 0;
}

void somo__s12_free(somo__s12 *e)
{
	if (!e)
		return;
	somo__free(e->n);
	somo__free(e);
}

static long find(const somo__s12 *e, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < e->count; i++)
		if (strlen(e->n[i].id) == len && memcmp(e->n[i].id, id, len) == 0)
			return (long)i;
	return -1;
}

/* A cluster's status: completed when every launchable item under it is
 * done, failed when one failed, incomplete when one was started. */
static char node_status(const somo__s12 *e, size_t i)
{
	size_t k;
	bool all_done = true, any_started = false, any_failed = false, any = false;

	if (e->n[i].item && e->n[i].launchable)
		return e->n[i].status;
	for (k = i + 1; k < e->count && (i == 0 || e->n[k].depth > e->n[i].depth); k++) {
		char st;
		if (!e->n[k].launchable)
			continue;
		any = true;
		st = e->n[k].status;
		if (st != 'p' && st != 'c')
			all_done = false;
		if (st != 'n')
			any_started = true;
		if (st == 'f')
			any_failed = true;
	}
	if (!any)
		return 'n';
	if (any_failed)
		return 'f';
	if (all_done)
		return 'c';
	return any_started ? 'i' : 'n';
}

static char status_of(const char *id, size_t len, void *payload)
{
	const somo__s12 *e = payload;
	long i = find(e, id, len);

	return i < 0 ? 0 : node_status(e, (size_t)i);
}

/* The prerequisites of node i hold (a malformed text counts as none). */
static bool prereq_ok(const somo__s12 *e, size_t i)
{
	const somo_manifest_item *it = e->n[i].item;

	if (!it || !it->prerequisites)
		return true;
	return somo__prereq_eval(it->prerequisites, status_of, (void *)e) != 0;
}

static bool can_deliver(const somo__s12 *e, size_t i)
{
	return e->n[i].launchable && prereq_ok(e, i);
}

static long next_from(const somo__s12 *e, long from, int dir)
{
	long i;

	for (i = from + dir; i >= 0 && i < (long)e->count; i += dir)
		if (can_deliver(e, (size_t)i))
			return i;
	return -1;
}

static bool choice_ok(const somo__s12 *e, long i)
{
	return i >= 0 && e->n[i].item && e->n[i].item->isvisible && can_deliver(e, (size_t)i);
}

static void deliver(somo__s12 *e, long i, bool resumed, somo_seq_result *out)
{
	if (resumed)
		e->suspended = -1;
	e->current = i;
	e->active = true;
	e->resumed = resumed;
	out->accepted = true;
	out->deliver = e->n[i].id;
}

static void refuse(somo_seq_result *out, const char *code, const char *text)
{
	out->accepted = false;
	out->exception = code;
	out->exception_text = text;
}

static void end_session(somo__s12 *e, somo_seq_result *out)
{
	e->current = -1;
	e->active = false;
	out->accepted = true;
	out->ended = true;
}

void somo__s12_navigate(somo__s12 *e, somo_nav_request req, const char *target,
                        somo_seq_result *out)
{
	long i;

	memset(out, 0, sizeof(*out));
	switch (req) {
	case SOMO_NAV_START:
		if (e->current >= 0 && e->active)
			return refuse(out, "NB.2.1-1", "the course is already started");
		if ((i = next_from(e, -1, 1)) < 0)
			return refuse(out, "SB.2.5-3", "no item can be launched");
		e->suspended = -1;
		return deliver(e, i, false, out);
	case SOMO_NAV_RESUME_ALL:
		if (e->suspended < 0)
			return refuse(out, "NB.2.1-3", "nothing is suspended");
		return deliver(e, e->suspended, true, out);
	case SOMO_NAV_CONTINUE:
		if (e->current < 0)
			return refuse(out, "NB.2.1-2", "no item is delivered");
		if ((i = next_from(e, e->current, 1)) < 0)
			return end_session(e, out);
		return deliver(e, i, false, out);
	case SOMO_NAV_PREVIOUS:
		if (e->current < 0)
			return refuse(out, "NB.2.1-2", "no item is delivered");
		if ((i = next_from(e, e->current, -1)) < 0)
			return refuse(out, "SB.2.9-3", "there is no previous item to deliver");
		return deliver(e, i, false, out);
	case SOMO_NAV_CHOICE:
	case SOMO_NAV_JUMP:
		i = target ? find(e, target, strlen(target)) : -1;
		if (i < 0)
			return refuse(out, "NB.2.1-11", "no such item");
		if (!choice_ok(e, i))
			return refuse(out, "SB.2.9-2",
			              "the item cannot be chosen: it launches nothing, is hidden "
			              "or its prerequisites do not hold");
		e->suspended = -1;
		return deliver(e, i, false, out);
	case SOMO_NAV_EXIT:
	case SOMO_NAV_ABANDON:
		if (e->current < 0 || !e->active)
			return refuse(out, "NB.2.1-12", "no item is running");
		e->active = false;
		out->accepted = true;
		return;
	case SOMO_NAV_EXIT_ALL:
	case SOMO_NAV_ABANDON_ALL:
		if (e->current < 0)
			return refuse(out, "NB.2.1-2", "no item is delivered");
		e->suspended = -1;
		return end_session(e, out);
	case SOMO_NAV_SUSPEND_ALL:
		if (e->current < 0)
			return refuse(out, "NB.2.1-2", "no item is delivered");
		e->suspended = e->current;
		return end_session(e, out);
	case SOMO_NAV_NONE:
		if (e->current >= 0)
			e->active = false;
		out->accepted = true;
		return;
	}
	refuse(out, "NB.2.1-1", "unknown navigation request");
}

bool somo__s12_request_valid(const somo__s12 *e, somo_nav_request req, const char *target)
{
	switch (req) {
	case SOMO_NAV_START:
		return !(e->current >= 0 && e->active) && next_from(e, -1, 1) >= 0;
	case SOMO_NAV_RESUME_ALL:
		return e->suspended >= 0;
	case SOMO_NAV_CONTINUE:
		return e->current >= 0;
	case SOMO_NAV_PREVIOUS:
		return e->current >= 0 && next_from(e, e->current, -1) >= 0;
	case SOMO_NAV_CHOICE:
	case SOMO_NAV_JUMP:
		return target && choice_ok(e, find(e, target, strlen(target)));
	case SOMO_NAV_EXIT:
	case SOMO_NAV_ABANDON:
		return e->current >= 0 && e->active;
	case SOMO_NAV_EXIT_ALL:
	case SOMO_NAV_ABANDON_ALL:
	case SOMO_NAV_SUSPEND_ALL:
		return e->current >= 0;
	case SOMO_NAV_NONE:
		return true;
	}
	return false;
}

void somo__s12_nav_valid(const somo__s12 *e, somo_seq_nav_state *out)
{
	out->start = somo__s12_request_valid(e, SOMO_NAV_START, NULL);
	out->resume_all = somo__s12_request_valid(e, SOMO_NAV_RESUME_ALL, NULL);
	out->continue_ = somo__s12_request_valid(e, SOMO_NAV_CONTINUE, NULL);
	out->previous = somo__s12_request_valid(e, SOMO_NAV_PREVIOUS, NULL);
	out->exit = somo__s12_request_valid(e, SOMO_NAV_EXIT, NULL);
	out->exit_all = somo__s12_request_valid(e, SOMO_NAV_EXIT_ALL, NULL);
	out->abandon = somo__s12_request_valid(e, SOMO_NAV_ABANDON, NULL);
	out->abandon_all = somo__s12_request_valid(e, SOMO_NAV_ABANDON_ALL, NULL);
	out->suspend_all = somo__s12_request_valid(e, SOMO_NAV_SUSPEND_ALL, NULL);
}

const somo_manifest_item *somo__s12_current(const somo__s12 *e)
{
	return e->current >= 0 ? e->n[e->current].item : NULL;
}

bool somo__s12_current_resumed(const somo__s12 *e)
{
	return e->resumed;
}

void somo__s12_end_current(somo__s12 *e)
{
	e->active = false;
}

static char lesson_code(const char *s)
{
	static const char *const names[] = {"passed",     "completed", "failed",
	                                    "incomplete", "browsed",   "not attempted"};
	static const char codes[] = "pcfibn";
	size_t i;

	for (i = 0; s && i < SOMO__ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i]) == 0)
			return codes[i];
	return 0;
}

void somo__s12_set_status(somo__s12 *e, const char *item_id, const char *lesson_status)
{
	long i = find(e, item_id, strlen(item_id));
	char c = lesson_code(lesson_status);

	if (i > 0 && c)
		e->n[i].status = c;
}

size_t somo__s12_count(const somo__s12 *e)
{
	return e->count;
}

static void status_split(char st, somo_seq_status *completion, somo_seq_status *success)
{
	*completion = st == 'p' || st == 'c' || st == 'f' ? SOMO_SEQ_COMPLETED
	              : st == 'i' || st == 'b'            ? SOMO_SEQ_INCOMPLETE
	                                                  : SOMO_SEQ_UNKNOWN;
	*success = st == 'p' ? SOMO_SEQ_PASSED : st == 'f' ? SOMO_SEQ_FAILED : SOMO_SEQ_UNKNOWN;
}

int somo__s12_toc_at(const somo__s12 *e, size_t i, somo_session_toc_entry *out)
{
	if (i >= e->count)
		return SOMO_ENOTFOUND;
	memset(out, 0, sizeof(*out));
	out->id = e->n[i].id;
	out->title = e->n[i].title;
	out->depth = e->n[i].depth;
	out->visible = !e->n[i].item || e->n[i].item->isvisible;
	out->choosable = choice_ok(e, (long)i);
	out->current = e->current == (long)i;
	status_split(i == 0 ? node_status(e, 0) : node_status(e, i), &out->completion,
	             &out->success);
	if (i == 0 || !e->n[i].launchable) {
		/* a cluster passed when all is done and none failed */
		char st = node_status(e, i);
		if (st == 'c') {
			size_t k;
			for (k = i + 1; k < e->count && (i == 0 || e->n[k].depth > e->n[i].depth);
			     k++)
				if (e->n[k].launchable && e->n[k].status == 'p')
					out->success = SOMO_SEQ_PASSED;
		}
	}
	return 0;
}

void somo__s12_course(const somo__s12 *e, somo_seq_course_status *out)
{
	somo_session_toc_entry root;

	memset(out, 0, sizeof(*out));
	memset(&root, 0, sizeof(root));
	if (somo__s12_toc_at(e, 0, &root) == 0) {
		out->completion = root.completion;
		out->success = root.success;
	}
	out->suspended = e->suspended >= 0;
	out->ended = e->current < 0;
}

char *somo__s12_to_json(const somo__s12 *e)
{
	json_t *root = json_object(), *st = json_object();
	char *text = NULL, *out = NULL;
	size_t i;

	if (!root || !st)
		goto done;
	json_object_set_new(root, "format", json_string("somo-s12/1"));
	json_object_set_new(root, "current",
	                    e->current >= 0 ? json_string(e->n[e->current].id) : json_null());
	json_object_set_new(root, "active", json_boolean(e->active));
	json_object_set_new(root, "resumed", json_boolean(e->resumed));
	json_object_set_new(root, "suspended",
	                    e->suspended >= 0 ? json_string(e->n[e->suspended].id) : json_null());
	for (i = 1; i < e->count; i++)
		if (e->n[i].launchable && e->n[i].status != 'n')
			json_object_set_new(st, e->n[i].id, json_stringn(&e->n[i].status, 1));
	json_object_set(root, "status", st);
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	if (text)
		out = somo__strdup(text);
done:
	free(text);
	json_decref(st);
	json_decref(root);
	if (!out)
		somo__error_oom();
	return out;
}

int somo__s12_from_json(somo__s12 *e, const char *json)
{
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr), *st, *v;
	const char *key, *cur, *sus;
	long ci = -1, si = -1;
	size_t i;

	if (!root || !json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), "somo-s12/1") != 0) {
		json_decref(root);
		return somo__error(SOMO_ECORRUPT,
		                   "the stored SCORM 1.2 navigation state is not one Somo wrote");
	}
	cur = json_string_value(json_object_get(root, "current"));
	sus = json_string_value(json_object_get(root, "suspended"));
	if ((cur && (ci = find(e, cur, strlen(cur))) < 0) ||
	    (sus && (si = find(e, sus, strlen(sus))) < 0)) {
		json_decref(root);
		return somo__error(
		    SOMO_ECORRUPT,
		    "the stored SCORM 1.2 navigation state names an item the package lacks");
	}
	for (i = 1; i < e->count; i++)
		e->n[i].status = 'n';
	st = json_object_get(root, "status");
	json_object_foreach (st, key, v) {
		long k = find(e, key, strlen(key));
		const char *c = json_string_value(v);
		if (k > 0 && c && strlen(c) == 1 && strchr("pcfibn", c[0]))
			e->n[k].status = c[0];
	}
	e->current = ci;
	e->suspended = si;
	e->active = ci >= 0 && json_is_true(json_object_get(root, "active"));
	e->resumed = json_is_true(json_object_get(root, "resumed"));
	json_decref(root);
	return 0;
}
