/*
 * Saving and restoring the sequencing state and the global objectives as
 * JSON (jansson). The activities something happened to are written with
 * their index in manifest order and their id (the others are as the tree is
 * built), so a state only restores onto the tree it was made from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "sequencing/seq_internal.h"

#define STATE_FORMAT "somo-sequencing-1"
#define ACT_SAVED_FLAGS                                                                            \
	(ACT_ACTIVE | ACT_SUSPENDED | ACT_PROGRESS | ACT_ATT_PROGRESS | ACT_ATT_COMPLETED |        \
	 ACT_ATT_AMOUNT | ACT_DIRTY_OBJ | ACT_DIRTY_PRO | ACT_REPORT_SUSPEND | ACT_RESUMED |       \
	 ACT_COMPL_BY_CONTENT | ACT_SUCC_BY_CONTENT)
#define OBJ_ALL_FLAGS 0x1ff

static json_t *vals_json(const somo__seq_vals *v)
{
	return json_pack("[i,f,f,f,f,f]", (int)v->flags, v->measure, v->raw, v->min, v->max,
	                 v->progress);
}

static int vals_read(json_t *j, somo__seq_vals *v)
{
	int flags;
	json_t *x[5];
	double *dst[5] = {&v->measure, &v->raw, &v->min, &v->max, &v->progress};
	size_t k;

	if (!json_is_array(j) || json_array_size(j) != 6 || !json_is_integer(json_array_get(j, 0)))
		return -1;
	flags = (int)json_integer_value(json_array_get(j, 0));
	if (flags < 0 || flags > OBJ_ALL_FLAGS)
		return -1;
	v->flags = (uint16_t)flags;
	for (k = 0; k < 5; k++) {
		x[k] = json_array_get(j, k + 1);
		if (!json_is_number(x[k]))
			return -1;
		*dst[k] = json_number_value(x[k]);
	}
	if (v->measure < -1 || v->measure > 1 || v->progress < 0 || v->progress > 1)
		return -1;
	return 0;
}

static json_t *globals_json(const somo_seq_globals *g)
{
	json_t *arr = json_array();
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < g->count; i++) {
		json_t *o =
		    json_pack("{s:s,s:o}", "id", g->items[i].id, "v", vals_json(&g->items[i].v));
		if (!o || json_array_append_new(arr, o) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* Parse into a fresh table; NULL with the last error set on failure. */
static somo_seq_globals *globals_read(json_t *arr)
{
	somo_seq_globals *g;
	size_t i;
	json_t *o;

	if (!json_is_array(arr)) {
		somo__error(SOMO_ECORRUPT, "global objectives are not a JSON array");
		return NULL;
	}
	if (somo_seq_globals_new(&g) < 0)
		return NULL;
	json_array_foreach (arr, i, o) {
		const char *id = json_string_value(json_object_get(o, "id"));
		somo__seq_vals v;
		somo__seq_gobj *go;
		memset(&v, 0, sizeof(v));
		if (!id || !*id || vals_read(json_object_get(o, "v"), &v) < 0 ||
		    somo__seq_global_find(g, id)) {
			somo_seq_globals_free(g);
			somo__error(SOMO_ECORRUPT, "bad global objective %zu", i);
			return NULL;
		}
		if (!(go = somo__seq_global_get(g, id))) {
			somo_seq_globals_free(g);
			somo__error_oom();
			return NULL;
		}
		go->v = v;
	}
	return g;
}

/* Move src's content into dst (dst's old content is freed). */
static void globals_take(somo_seq_globals *dst, somo_seq_globals *src)
{
	somo__seq_globals_clear(dst);
	somo__free(dst->items);
	somo__free(dst->hash);
	*dst = *src;
	memset(src, 0, sizeof(*src));
	somo_seq_globals_free(src);
}

static char *dump(json_t *j)
{
	char *s, *out;
	if (!j) {
		somo__error_oom();
		return NULL;
	}
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!s) {
		somo__error_oom();
		return NULL;
	}
	/* hand the caller memory it frees with somo_free() */
	out = somo__strdup(s);
	free(s);
	if (!out)
		somo__error_oom();
	return out;
}

SOMO_API char *somo_seq_globals_to_json(const somo_seq_globals *g)
{
	if (!g) {
		somo__error(SOMO_EINVAL, "no table");
		return NULL;
	}
	return dump(globals_json(g));
}

SOMO_API int somo_seq_globals_from_json(somo_seq_globals *g, const char *json)
{
	json_error_t err;
	json_t *j;
	somo_seq_globals *n;

	if (!g || !json)
		return somo__error(SOMO_EINVAL, "no table or text");
	if (!(j = json_loads(json, JSON_REJECT_DUPLICATES, &err)))
		return somo__error(SOMO_ECORRUPT, "global objectives: %s", err.text);
	n = globals_read(j);
	json_decref(j);
	if (!n)
		return somo_error_last()->code;
	globals_take(g, n);
	return 0;
}

/* An activity nothing has happened to (not saved: restored as it is built). */
static bool pristine(const somo__seq_act *a)
{
	uint32_t k;

	if ((a->flags & ACT_SAVED_FLAGS) || a->attempt_count || a->amount != 0 || a->att_abs ||
	    a->att_exp || a->act_abs || a->act_exp || a->navail != a->nchildren)
		return false;
	for (k = 0; k < a->nobjs; k++)
		if (a->objs[k].v.flags)
			return false;
	for (k = 0; k < a->navail; k++)
		if (a->avail[k] != a->children[k])
			return false;
	return true;
}

SOMO_API char *somo_seq_state_to_json(const somo_seq *seq)
{
	json_t *root, *acts;
	char rng[20];
	uint32_t i, k;

	if (!seq) {
		somo__error(SOMO_EINVAL, "no handle");
		return NULL;
	}
	snprintf(rng, sizeof(rng), "%016" PRIx64, seq->rng);
	acts = json_array();
	root = json_pack("{s:s,s:s,s:I,s:s,s:b,s:o*,s:o*}", "format", STATE_FORMAT, "org",
	                 seq->acts[0].id, "count", (json_int_t)seq->nacts, "rng", rng, "ended",
	                 seq->ended, "current",
	                 seq->current ? json_string(seq->current->id) : json_null(), "suspended",
	                 seq->suspended ? json_string(seq->suspended->id) : json_null());
	if (!root || !acts) {
		json_decref(root);
		json_decref(acts);
		somo__error_oom();
		return NULL;
	}
	json_object_set_new(root, "activities", acts);
	/* only the activities something happened to, by index in manifest order */
	for (i = 0; i < seq->nacts; i++) {
		const somo__seq_act *a = &seq->acts[i];
		json_t *o, *objs;
		if (pristine(a))
			continue;
		o = json_pack("{s:I,s:s,s:i,s:I,s:f,s:[I,I,I,I]}", "i", (json_int_t)i, "id", a->id,
		              "f", (int)(a->flags & ACT_SAVED_FLAGS), "n",
		              (json_int_t)a->attempt_count, "amt", a->amount, "d",
		              (json_int_t)a->att_abs, (json_int_t)a->att_exp,
		              (json_int_t)a->act_abs, (json_int_t)a->act_exp);
		objs = json_array();
		if (!o || !objs || json_array_append_new(acts, o) < 0) {
			json_decref(objs);
			json_decref(root);
			somo__error_oom();
			return NULL;
		}
		json_object_set_new(o, "obj", objs);
		for (k = 0; k < a->nobjs; k++)
			json_array_append_new(objs, vals_json(&a->objs[k].v));
		if (a->nchildren) {
			json_t *av = json_array();
			json_object_set_new(o, "avail", av);
			for (k = 0; k < a->navail; k++)
				json_array_append_new(av, json_integer(a->avail[k]->index));
		}
	}
	if (seq->own_globals)
		json_object_set_new(root, "globals", globals_json(seq->globals));
	return dump(root);
}

static int corrupt(json_t *j, const char *what)
{
	json_decref(j);
	return somo__error(SOMO_ECORRUPT, "sequencing state: %s", what);
}

SOMO_API int somo_seq_state_from_json(somo_seq *seq, const char *json)
{
	json_error_t err;
	json_t *j, *acts, *o;
	somo__seq_act *tmp = NULL, **avail = NULL;
	somo__seq_vals *objv = NULL;
	uint8_t *seen = NULL;
	somo_seq_globals *ng = NULL;
	somo__seq_act *cur = NULL, *susp = NULL;
	const char *s;
	uint64_t rng;
	size_t i, ai, nobj = 0, navail = 0;
	uint32_t k;
	int rc = 0;

	if (!seq || !json)
		return somo__error(SOMO_EINVAL, "no handle or text");
	if (!(j = json_loads(json, JSON_REJECT_DUPLICATES, &err)))
		return somo__error(SOMO_ECORRUPT, "sequencing state: %s", err.text);
	if (!json_is_object(j) || !(s = json_string_value(json_object_get(j, "format"))) ||
	    strcmp(s, STATE_FORMAT) != 0)
		return corrupt(j, "not a Somo sequencing state");
	if (!(s = json_string_value(json_object_get(j, "org"))) || strcmp(s, seq->acts[0].id) != 0)
		return corrupt(j, "made for another organization");
	if (!(s = json_string_value(json_object_get(j, "rng"))) || sscanf(s, "%" SCNx64, &rng) != 1)
		return corrupt(j, "bad random state");
	acts = json_object_get(j, "activities");
	if (!json_is_array(acts) || json_array_size(acts) > seq->nacts ||
	    json_integer_value(json_object_get(j, "count")) != (json_int_t)seq->nacts)
		return corrupt(j, "the activities differ from the tree");
	if ((o = json_object_get(j, "current")) && json_is_string(o) &&
	    !(cur = somo__seq_lookup(seq, json_string_value(o))))
		return corrupt(j, "unknown current activity");
	if ((o = json_object_get(j, "suspended")) && json_is_string(o) &&
	    !(susp = somo__seq_lookup(seq, json_string_value(o))))
		return corrupt(j, "unknown suspended activity");

	for (i = 0; i < seq->nacts; i++) {
		nobj += seq->acts[i].nobjs;
		navail += seq->acts[i].nchildren;
	}
	tmp = somo__calloc(seq->nacts, sizeof(*tmp));
	objv = somo__calloc(nobj ? nobj : 1, sizeof(*objv));
	avail = somo__calloc(navail ? navail : 1, sizeof(*avail));
	seen = somo__calloc(seq->nacts, sizeof(*seen));
	if (!tmp || !objv || !avail || !seen) {
		rc = somo__error_oom();
		goto out;
	}
	/* activities the state does not list are as built: all children, in order */
	nobj = navail = 0;
	for (i = 0; i < seq->nacts; i++) {
		somo__seq_act *a = &seq->acts[i], *t = &tmp[i];
		t->objs = (somo__seq_obj *)(void *)(objv + nobj);
		nobj += a->nobjs;
		t->avail = avail + navail;
		t->navail = a->nchildren;
		for (k = 0; k < a->nchildren; k++)
			t->avail[k] = a->children[k];
		navail += a->nchildren;
	}
	json_array_foreach (acts, ai, o) {
		json_t *d = json_object_get(o, "d"), *ob = json_object_get(o, "obj"),
		       *av = json_object_get(o, "avail"), *x;
		json_int_t f, n, idx = json_integer_value(json_object_get(o, "i"));
		somo__seq_act *a, *t;
		somo__seq_vals *ov;
		size_t m;
		if (!json_is_integer(json_object_get(o, "i")) || idx < 0 ||
		    idx >= (json_int_t)seq->nacts || (seen[idx] & 1)) {
			rc = somo__error(SOMO_ECORRUPT, "sequencing state: bad activity entry %zu",
			                 ai);
			goto out;
		}
		i = (size_t)idx;
		seen[i] |= 1;
		a = &seq->acts[i];
		t = &tmp[i];
		ov = (somo__seq_vals *)(void *)t->objs;
		if (!(s = json_string_value(json_object_get(o, "id"))) || strcmp(s, a->id) != 0 ||
		    !json_is_integer(json_object_get(o, "f")) ||
		    !json_is_integer(json_object_get(o, "n")) ||
		    !json_is_number(json_object_get(o, "amt")) || !json_is_array(d) ||
		    json_array_size(d) != 4 || !json_is_array(ob) ||
		    json_array_size(ob) != a->nobjs) {
			rc =
			    somo__error(SOMO_ECORRUPT, "sequencing state: activity %zu differs", i);
			goto out;
		}
		f = json_integer_value(json_object_get(o, "f"));
		n = json_integer_value(json_object_get(o, "n"));
		if (f < 0 || (f & ~(json_int_t)ACT_SAVED_FLAGS) || n < 0 || n > UINT32_MAX) {
			rc = somo__error(SOMO_ECORRUPT, "sequencing state: bad activity %zu", i);
			goto out;
		}
		t->flags = (uint16_t)f;
		t->attempt_count = (uint32_t)n;
		t->amount = json_number_value(json_object_get(o, "amt"));
		t->att_abs = json_integer_value(json_array_get(d, 0));
		t->att_exp = json_integer_value(json_array_get(d, 1));
		t->act_abs = json_integer_value(json_array_get(d, 2));
		t->act_exp = json_integer_value(json_array_get(d, 3));
		json_array_foreach (ob, m, x) {
			if (vals_read(x, &ov[m]) < 0) {
				rc = somo__error(SOMO_ECORRUPT, "sequencing state: bad objective");
				goto out;
			}
		}
		if (a->nchildren) {
			if (!json_is_array(av) || json_array_size(av) > a->nchildren) {
				rc = somo__error(SOMO_ECORRUPT, "sequencing state: bad children");
				goto out;
			}
			t->navail = (uint32_t)json_array_size(av);
			json_array_foreach (av, m, x) {
				json_int_t cidx = json_integer_value(x);
				somo__seq_act *c;
				if (!json_is_integer(x) || cidx <= 0 ||
				    cidx >= (json_int_t)seq->nacts ||
				    (c = &seq->acts[cidx])->parent != a || seen[cidx] & 2) {
					rc = somo__error(SOMO_ECORRUPT,
					                 "sequencing state: bad child");
					goto out;
				}
				seen[cidx] |= 2; /* each child at most once */
				t->avail[m] = c;
			}
		}
	}
	if (seq->own_globals && (o = json_object_get(j, "globals")) && !(ng = globals_read(o))) {
		rc = somo_error_last()->code;
		goto out;
	}

	/* everything checked: apply */
	nobj = 0;
	for (i = 0; i < seq->nacts; i++) {
		somo__seq_act *a = &seq->acts[i], *t = &tmp[i];
		a->flags = (uint16_t)((a->flags & ~ACT_SAVED_FLAGS) | t->flags);
		a->attempt_count = t->attempt_count;
		a->amount = t->amount;
		a->att_abs = t->att_abs;
		a->att_exp = t->att_exp;
		a->act_abs = t->act_abs;
		a->act_exp = t->act_exp;
		for (k = 0; k < a->nobjs; k++)
			a->objs[k].v = ((somo__seq_vals *)(void *)t->objs)[k];
		if (a->nchildren) {
			a->navail = t->navail;
			memcpy(a->avail, t->avail, t->navail * sizeof(*a->avail));
			for (k = 0; k < a->nchildren; k++)
				a->children[k]->flags &= (uint16_t)~ACT_AVAILABLE;
		}
	}
	for (i = 0; i < seq->nacts; i++)
		for (k = 0; k < seq->acts[i].navail; k++)
			seq->acts[i].avail[k]->flags |= ACT_AVAILABLE;
	somo__seq_reorder(seq);
	seq->current = cur;
	seq->suspended = susp;
	seq->rng = rng;
	seq->ended = json_is_true(json_object_get(j, "ended"));
	if (ng)
		globals_take(seq->globals, ng);
	ng = NULL;
out:
	somo_seq_globals_free(ng);
	somo__free(tmp);
	somo__free(objv);
	somo__free(avail);
	somo__free(seen);
	json_decref(j);
	return rc;
}
