/*
 * A runtime's whole state as JSON (jansson) and back:
 *
 *   {"format":"somo-rt/1","version":"2004","state":"terminated",
 *    "values":{"cmi.location":"p3", ...},
 *    "collections":{"cmi.objectives":[{"id":"o1","score.scaled":"0.5"}],
 *                   "cmi.interactions":[{"id":"q1","type":"choice",
 *                       "objectives":["o1"],"correct_responses":["a[,]b"]}],
 *                   "adl.data":[{"id":"s1","store":"...","read":true,"write":false}], ...}}
 *
 * Only values that are set are written, so "not initialized" survives.
 */
#include <jansson.h>
#include <string.h>

#include "runtime/rt.h"
#include "util/text.h"

#define FORMAT          "somo-rt/1"
#define STATE_VALUE_MAX (1u << 22)

static const char *const coll_prefix[SOMO__C_MAX] = {
    [SOMO__C_OBJ] = "cmi.objectives",
    [SOMO__C_INT] = "cmi.interactions",
    [SOMO__C_CFL] = "cmi.comments_from_learner",
    [SOMO__C_CFLMS] = "cmi.comments_from_lms",
    [SOMO__C_DATA] = "adl.data",
};

static const char *const state_names[] = {"not-initialized", "running", "terminated"};

/* The record field name of a table entry ("score.scaled"), or NULL. */
static const char *field_name(const somo__dm_element *el, int coll)
{
	size_t pl = strlen(coll_prefix[coll]);

	if (el->kind != SOMO__K_VALUE || el->coll != coll)
		return NULL;
	return el->name + pl + 3; /* ".n." */
}

static int put_str(json_t *obj, const char *key, const somo_rt *rt, somo__slot s)
{
	size_t len;
	const char *p = somo__rt_str(rt, s, &len);

	if (!p)
		return 0;
	return json_object_set_new(obj, key, json_stringn(p, len));
}

static json_t *sub_array(const somo_rt *rt, const somo__coll *c)
{
	json_t *a = json_array();
	size_t i, len;

	for (i = 0; a && i < c->count; i++) {
		const char *p = somo__rt_str(rt, c->v[i], &len);
		json_array_append_new(a, p ? json_stringn(p, len) : json_null());
	}
	return a;
}

int somo_rt_to_json(const somo_rt *rt, char **out)
{
	size_t n, i, r;
	const somo__dm_element *t = somo__dm_table((somo_scorm_version)rt->version, &n);
	json_t *root = json_object(), *values = json_object(), *colls = json_object();
	int k;

	*out = NULL;
	if (!root || !values || !colls)
		goto oom;
	json_object_set_new(root, "format", json_string(FORMAT));
	json_object_set_new(root, "version",
	                    json_string(rt->version == SOMO_SCORM_12 ? "1.2" : "2004"));
	json_object_set_new(root, "state", json_string(state_names[rt->state]));
	for (i = 0; i < n; i++)
		if (t[i].kind == SOMO__K_VALUE && t[i].coll == SOMO__C_NONE)
			put_str(values, t[i].name, rt, rt->top[t[i].field]);
	for (k = SOMO__C_OBJ; k < SOMO__C_MAX; k++) {
		const somo__coll *c = &rt->c[k];
		size_t w = somo__dm_record_slots(rt->version, (somo__dm_coll)k);
		json_t *arr;
		if (!coll_prefix[k] || c->count == 0)
			continue;
		if ((arr = json_array()) == NULL)
			goto oom;
		for (r = 0; r < c->count; r++) {
			json_t *rec = json_object();
			for (i = 0; rec && i < n; i++) {
				const char *f = field_name(&t[i], k);
				if (f)
					put_str(rec, f, rt, c->v[r * w + t[i].field]);
			}
			if (rec && k == SOMO__C_INT) {
				const somo__coll *so =
				    somo__rt_sub((somo_rt *)rt, (uint32_t)r, false, false);
				const somo__coll *sc =
				    somo__rt_sub((somo_rt *)rt, (uint32_t)r, true, false);
				if (so->count)
					json_object_set_new(rec, "objectives", sub_array(rt, so));
				if (sc->count)
					json_object_set_new(rec, "correct_responses",
					                    sub_array(rt, sc));
			}
			if (rec && k == SOMO__C_DATA && rt->data_access) {
				json_object_set_new(rec, "read",
				                    json_boolean(rt->data_access[r] & 1));
				json_object_set_new(rec, "write",
				                    json_boolean(rt->data_access[r] & 2));
			}
			if (!rec || json_array_append_new(arr, rec) < 0) {
				json_decref(arr);
				goto oom;
			}
		}
		json_object_set_new(colls, coll_prefix[k], arr);
	}
	json_object_set_new(root, "values", values);
	json_object_set_new(root, "collections", colls);
	values = colls = NULL;
	{
		char *s = json_dumps(root, JSON_COMPACT);
		json_decref(root);
		if (!s)
			return somo__error_oom();
		*out = somo__strdup(s);
		free(s);
		return *out ? 0 : somo__error_oom();
	}
oom:
	json_decref(values);
	json_decref(colls);
	json_decref(root);
	return somo__error_oom();
}

/* Store one restored value, checked against the element's type. */
static int restore_value(somo_rt *rt, const somo__dm_element *el, somo__slot *s, json_t *jv,
                         const char *where, somo__itype it)
{
	const char *v, *why = NULL;
	size_t len;
	somo__dm_valid vr;
	int rc;

	if (!json_is_string(jv))
		return somo__error(SOMO_EINVALID, "state: %s is not a string", where);
	v = json_string_value(jv);
	len = json_string_length(jv);
	if (len > STATE_VALUE_MAX || strlen(v) != len)
		return somo__error(SOMO_EINVALID, "state: %s is too long or holds NUL", where);
	/* a response was checked against the interaction's type when set; the
	 * type may have changed since, so only its length is checked here */
	if (el->type == SOMO__T_PATTERN || el->type == SOMO__T_RESPONSE ||
	    el->type == SOMO__T_12_FEEDBACK)
		vr = somo__utf8_valid(v, len) ? SOMO__V_OK : SOMO__V_TYPE;
	else
		/* host: the state holds values the LMS supplied too (an objective id
		 * from the manifest), which content could not have written */
		vr = somo__dm_validate((somo_scorm_version)rt->version, el, it, v, len, true, true,
		                       &why);
	if (vr == SOMO__V_TYPE || vr == SOMO__V_RANGE)
		return somo__error(SOMO_EINVALID, "state: %s: '%.60s' is not a valid value", where,
		                   v);
	if ((rc = somo__rt_store_el(rt, s, el, v, len)) < 0)
		return rc == SOMO_ENOMEM ? somo__error_oom()
		                         : somo__error(rc, "state: %s: too large", where);
	return 0;
}

static somo__itype rec_itype(const somo_rt *rt, size_t r)
{
	size_t w = somo__dm_record_slots(rt->version, SOMO__C_INT), len;
	const char *p = somo__rt_str(
	    rt, rt->c[SOMO__C_INT].v[r * w + (rt->version == SOMO_SCORM_12 ? 2 : 1)], &len);

	return p ? somo__itype_parse(p, len) : SOMO__IT_NONE;
}

static int restore_sub(somo_rt *rt, somo__coll *c, json_t *arr, const char *elname,
                       const char *where, somo__itype it)
{
	const somo__dm_element *el = somo__dm_find((somo_scorm_version)rt->version, elname);
	size_t i;
	json_t *jv;
	int rc;

	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > 256)
		return somo__error(SOMO_EINVALID, "state: %s is not an array of at most 256 values",
		                   where);
	json_array_foreach (arr, i, jv) {
		if ((rc = somo__rt_push(rt, c, 1, false)) < 0)
			return somo__error_oom();
		if ((rc = restore_value(rt, el, &c->v[i], jv, where, it)) < 0)
			return rc;
	}
	return 0;
}

static int restore(somo_rt *rt, json_t *root, const somo_rt *orig)
{
	size_t n, i, r;
	const somo__dm_element *t = somo__dm_table((somo_scorm_version)rt->version, &n);
	json_t *values, *colls, *jv;
	const char *key, *st;
	int rc, k;

	if (!json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), FORMAT) != 0)
		return somo__error(SOMO_EINVALID, "state: not a Somo runtime state (format %s)",
		                   FORMAT);
	st = json_string_value(json_object_get(root, "version"));
	if (!st || strcmp(st, rt->version == SOMO_SCORM_12 ? "1.2" : "2004") != 0)
		return somo__error(SOMO_EINVALID, "state: version '%s' is not the runtime's",
		                   st ? st : "");
	st = json_string_value(json_object_get(root, "state"));
	for (rt->state = 0; st && rt->state < 3 && strcmp(st, state_names[rt->state]) != 0;
	     rt->state++)
		;
	if (!st || rt->state >= 3)
		return somo__error(SOMO_EINVALID, "state: unknown state '%s'", st ? st : "");
	values = json_object_get(root, "values");
	if (values && !json_is_object(values))
		return somo__error(SOMO_EINVALID, "state: values is not an object");
	json_object_foreach (values, key, jv) {
		const somo__dm_element *el = somo__dm_find((somo_scorm_version)rt->version, key);
		if (!el || el->kind != SOMO__K_VALUE || el->coll != SOMO__C_NONE)
			return somo__error(SOMO_EINVALID, "state: '%s' is not a top-level element",
			                   key);
		if ((rc = restore_value(rt, el, &rt->top[el->field], jv, key, SOMO__IT_NONE)) < 0)
			return rc;
	}
	colls = json_object_get(root, "collections");
	if (colls && !json_is_object(colls))
		return somo__error(SOMO_EINVALID, "state: collections is not an object");
	for (k = SOMO__C_OBJ; k < SOMO__C_MAX; k++) {
		json_t *arr, *rec;
		size_t w = somo__dm_record_slots(rt->version, (somo__dm_coll)k);
		if (!coll_prefix[k] || (arr = json_object_get(colls, coll_prefix[k])) == NULL)
			continue;
		if (!json_is_array(arr) || json_array_size(arr) > 4096)
			return somo__error(SOMO_EINVALID, "state: %s is not an array of records",
			                   coll_prefix[k]);
		json_array_foreach (arr, r, rec) {
			somo__coll *c = &rt->c[k];
			size_t at = r;
			if (!json_is_object(rec))
				return somo__error(SOMO_EINVALID, "state: %s.%zu is not an object",
				                   coll_prefix[k], r);
			if (k == SOMO__C_DATA && orig->c[SOMO__C_DATA].count) {
				/* the host's map decides which stores exist: match by id */
				const char *id = json_string_value(json_object_get(rec, "id"));
				for (at = 0; id && at < c->count; at++)
					if (strcmp(somo__rt_str(rt, c->v[at * w], NULL), id) == 0)
						break;
				if (!id || at == c->count)
					continue;
				if ((jv = json_object_get(rec, "store")) != NULL &&
				    (rc = restore_value(
				         rt,
				         somo__dm_find((somo_scorm_version)rt->version,
				                       "adl.data.n.store"),
				         &c->v[at * w + 1], jv, "adl.data store", SOMO__IT_NONE)) <
				        0)
					return rc;
				continue;
			}
			if ((rc = somo__rt_push(rt, c, w, k == SOMO__C_INT)) < 0)
				return somo__error_oom();
			/* two passes: an interaction's type before the response that depends on it
			 */
			for (i = 0; i < 2 * n; i++) {
				const somo__dm_element *el = &t[i % n];
				const char *f = field_name(el, k);
				bool late = el->type == SOMO__T_RESPONSE ||
				            el->type == SOMO__T_PATTERN ||
				            el->type == SOMO__T_12_FEEDBACK;
				if (late != (i >= n) || !f ||
				    (jv = json_object_get(rec, f)) == NULL)
					continue;
				if ((rc = restore_value(
				         rt, el, &c->v[at * w + el->field], jv, el->name,
				         k == SOMO__C_INT ? rec_itype(rt, at) : SOMO__IT_NONE)) < 0)
					return rc;
			}
			if (k == SOMO__C_INT) {
				somo__itype it = rec_itype(rt, at);
				somo__coll *so = somo__rt_sub(rt, (uint32_t)at, false, true);
				somo__coll *sc = somo__rt_sub(rt, (uint32_t)at, true, true);
				if (!so || !sc)
					return somo__error_oom();
				if ((rc = restore_sub(rt, so, json_object_get(rec, "objectives"),
				                      "cmi.interactions.n.objectives.n.id",
				                      "interaction objectives", it)) < 0 ||
				    (rc = restore_sub(
				         rt, sc, json_object_get(rec, "correct_responses"),
				         "cmi.interactions.n.correct_responses.n.pattern",
				         "correct responses", it)) < 0)
					return rc;
			}
			if (k == SOMO__C_DATA) {
				uint8_t *p = somo__realloc(rt->data_access, c->count);
				if (!p)
					return somo__error_oom();
				rt->data_access = p;
				p[at] =
				    (uint8_t)((json_is_true(json_object_get(rec, "read")) ? 1 : 0) |
				              (json_is_true(json_object_get(rec, "write")) ? 2
				                                                           : 0));
			}
		}
	}
	return 0;
}

int somo_rt_from_json(somo_rt *rt, const char *json)
{
	json_error_t jerr;
	json_t *root;
	somo_rt *tmp;
	somo_rt_opts o = SOMO_RT_OPTS_INIT;
	int rc;
	size_t i;

	if (!json)
		return somo__error(SOMO_EINVAL, "state is NULL");
	if (rt->state != SOMO__RT_NOT_INIT)
		return somo__error(SOMO_ESTATE, "a state can only be restored before Initialize");
	root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return somo__error(SOMO_EPARSE, "state: line %d: %s", jerr.line, jerr.text);
	if ((rc = somo_rt_new(&tmp, (somo_scorm_version)rt->version, &o)) < 0) {
		json_decref(root);
		return rc;
	}
	/* the host's adl.data map carries over */
	for (i = 0; i < rt->c[SOMO__C_DATA].count; i++) {
		const char *id = somo__rt_str(rt, rt->c[SOMO__C_DATA].v[i * 2], NULL);
		uint8_t *p;
		if (somo__rt_push(tmp, &tmp->c[SOMO__C_DATA], 2, false) < 0 ||
		    somo__rt_store(tmp, &tmp->c[SOMO__C_DATA].v[i * 2], id, strlen(id)) < 0 ||
		    (p = somo__realloc(tmp->data_access, i + 1)) == NULL) {
			rc = somo__error_oom();
			goto out;
		}
		tmp->data_access = p;
		p[i] = rt->data_access[i];
	}
	if ((rc = restore(tmp, root, rt)) < 0)
		goto out;
	/* move the restored data into rt, keeping its handle, callbacks and options */
	somo__rt_free_data(rt);
	rt->state = tmp->state;
	rt->arena = tmp->arena;
	rt->alen = tmp->alen;
	rt->acap = tmp->acap;
	rt->garbage = tmp->garbage;
	rt->top = tmp->top;
	memcpy(rt->c, tmp->c, sizeof(rt->c));
	rt->isub = tmp->isub;
	rt->nisub = tmp->nisub;
	rt->isub_cap = tmp->isub_cap;
	rt->isub_of = tmp->isub_of;
	rt->data_access = tmp->data_access;
	rt->last_error = 0;
	rt->diag_reason = 0;
	rt->diag_el = NULL;
	memset(tmp, 0, sizeof(*tmp));
	tmp->ntop = 0;
out:
	somo_rt_free(tmp);
	json_decref(root);
	return rc;
}
