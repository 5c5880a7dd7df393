/*
 * The SCORM run-time API: the state machine of SCORM 2004 (RTE book 3.1)
 * and SCORM 1.2 (RTE 3.3), GetValue / SetValue over the data model tables,
 * and what the LMS does on Terminate (total time, status evaluation).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt.h"
#include "util/text.h"
#include "util/time.h"

/* Bounds on what content can make a runtime hold. */
#define VALUE_MAX_STRICT  (1u << 20)  /* characters of one value (ADL's suite stores 126497) */
#define VALUE_MAX_LENIENT (4u << 20)  /* characters of one value, lenient mode */
#define ARENA_MAX         (64u << 20) /* bytes of values per runtime */
#define COLL_MAX          4096u       /* records of a collection */
#define SUB_MAX           256u        /* interaction objectives / correct responses */

/* Why the last call failed, for GetDiagnostic. */
enum {
	R_NONE = 0,
	R_ARG,
	R_STATE_BEFORE,
	R_STATE_AFTER,
	R_ALREADY,
	R_EMPTY_NAME,
	R_UNDEFINED,
	R_NOCHILDREN,
	R_NOCOUNT,
	R_VERSION,
	R_KEYWORD,
	R_READONLY,
	R_WRITEONLY,
	R_INDEX_GET,
	R_INDEX_SET,
	R_NOT_INIT,
	R_TYPE,
	R_RANGE,
	R_SPM,
	R_DEP_ID,
	R_DEP_TYPE,
	R_NOT_UNIQUE,
	R_ID_CHANGE,
	R_MAX,
	R_COMMIT,
	R_LIMIT,
	R_NOMEM,
	R_DEP_INTERACTION,
	R_TERMINATE
};

static const char *const reason_text[] = {
    [R_NONE] = "",
    [R_ARG] = "the parameter must be the empty string",
    [R_STATE_BEFORE] = "the API has not been initialized",
    [R_STATE_AFTER] = "the API has already been terminated",
    [R_ALREADY] = "the API is already initialized",
    [R_EMPTY_NAME] = "no data model element was named",
    [R_UNDEFINED] = "is not an element of this data model",
    [R_NOCHILDREN] = "does not have children (_children)",
    [R_NOCOUNT] = "is not a collection (_count)",
    [R_VERSION] = "_version exists only as cmi._version",
    [R_KEYWORD] = "is a keyword and cannot be set",
    [R_READONLY] = "is read only",
    [R_WRITEONLY] = "is write only",
    [R_INDEX_GET] = "the index is beyond the collection's _count",
    [R_INDEX_SET] = "a new record's index must equal the collection's _count",
    [R_NOT_INIT] = "has no value yet",
    [R_TYPE] = "the value does not have the element's type",
    [R_RANGE] = "the value is outside the element's range",
    [R_SPM] = "the value is longer than the element's storage limit",
    [R_DEP_ID] = "the record's id must be set first",
    [R_DEP_TYPE] = "the interaction's type must be set first",
    [R_NOT_UNIQUE] = "the value must be unique in its collection",
    [R_ID_CHANGE] = "an objective's id cannot change once set",
    [R_MAX] = "the collection holds no more records for this interaction type",
    [R_COMMIT] = "the LMS could not store the data",
    [R_LIMIT] = "the runtime's storage limit was reached",
    [R_NOMEM] = "out of memory",
    [R_DEP_INTERACTION] = "the interaction's id must be set first",
    [R_TERMINATE] = "the LMS could not store the data at termination",
};

static bool v12(const somo_rt *rt)
{
	return rt->version == SOMO_SCORM_12;
}

static const char *fail(somo_rt *rt, int code, int reason, const somo__dm_element *el)
{
	rt->last_error = (uint16_t)code;
	rt->diag_reason = (uint8_t)reason;
	rt->diag_el = el;
	return "false";
}

static const char *fail_get(somo_rt *rt, int code, int reason, const somo__dm_element *el)
{
	fail(rt, code, reason, el);
	return "";
}

static void ok(somo_rt *rt)
{
	rt->last_error = 0;
	rt->diag_reason = R_NONE;
	rt->diag_el = NULL;
}

/* ---- arena ------------------------------------------------------------ */

static size_t varint_width(size_t n)
{
	return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

static void varint_put(char *p, size_t n, size_t width)
{
	size_t i;

	for (i = 0; i < width; i++) {
		unsigned char b = (unsigned char)(n & 0x7f);
		n >>= 7;
		if (i + 1 < width)
			b |= 0x80;
		p[i] = (char)b;
	}
}

static size_t varint_get(const char *p, size_t *width)
{
	size_t n = 0, i = 0;
	unsigned char b;

	do {
		b = (unsigned char)p[i];
		n |= (size_t)(b & 0x7f) << (7 * i);
		i++;
	} while (b & 0x80);
	*width = i;
	return n;
}

const char *somo__rt_str(const somo_rt *rt, somo__slot s, size_t *len)
{
	size_t w, n;

	if (!s) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (s & SOMO__SLOT_VOCAB) {
		const char *t = somo__dm_vocab_text(s & ~SOMO__SLOT_VOCAB);
		if (len)
			*len = strlen(t);
		return t;
	}
	n = varint_get(rt->arena + s, &w);
	if (len)
		*len = n;
	return rt->arena + s + w;
}

typedef void (*slot_fn)(somo_rt *rt, somo__slot *s, void *ctx);

static void each_coll_slot(somo_rt *rt, somo__coll *c, size_t width, slot_fn fn, void *ctx)
{
	size_t i;

	for (i = 0; i < c->count * width; i++)
		fn(rt, &c->v[i], ctx);
}

static void each_slot(somo_rt *rt, slot_fn fn, void *ctx)
{
	size_t i;
	int k;

	for (i = 0; i < rt->ntop; i++)
		fn(rt, &rt->top[i], ctx);
	for (k = SOMO__C_OBJ; k < SOMO__C_MAX; k++) {
		if (k == SOMO__C_INT_OBJ || k == SOMO__C_INT_CR)
			continue;
		each_coll_slot(rt, &rt->c[k], somo__dm_record_slots(rt->version, (somo__dm_coll)k),
		               fn, ctx);
	}
	for (i = 0; i < rt->nisub; i++) {
		each_coll_slot(rt, &rt->isub[i].obj, 1, fn, ctx);
		each_coll_slot(rt, &rt->isub[i].cr, 1, fn, ctx);
	}
}

typedef struct {
	char *buf;
	uint32_t len;
} compact_ctx;

static void compact_one(somo_rt *rt, somo__slot *s, void *vctx)
{
	compact_ctx *c = vctx;
	size_t w, n;

	if (!*s || (*s & SOMO__SLOT_VOCAB))
		return;
	n = varint_get(rt->arena + *s, &w);
	memcpy(c->buf + c->len, rt->arena + *s, w + n + 1);
	*s = c->len;
	c->len += (uint32_t)(w + n + 1);
}

static int compact(somo_rt *rt)
{
	compact_ctx c;
	uint32_t need = rt->alen - rt->garbage;
	uint32_t cap = need + need / 2 + 64;

	c.buf = somo__malloc(cap);
	if (!c.buf)
		return SOMO_ENOMEM;
	c.buf[0] = '\0';
	c.len = 1;
	each_slot(rt, compact_one, &c);
	somo__free(rt->arena);
	rt->arena = c.buf;
	rt->alen = c.len;
	rt->acap = cap;
	rt->garbage = 0;
	return 0;
}

int somo__rt_store(somo_rt *rt, somo__slot *s, const char *v, size_t len)
{
	size_t w = varint_width(len), need;
	char *copy = NULL;
	int rc = 0;

	if (len > (size_t)VALUE_MAX_LENIENT * 4)
		return SOMO_ELIMIT;
	if (*s & SOMO__SLOT_VOCAB)
		*s = 0;
	if (*s) {
		size_t ow, on = varint_get(rt->arena + *s, &ow);
		if (ow == w && len <= on) {
			/* in place: the old bytes beyond the new value become garbage */
			memmove(rt->arena + *s + w, v, len);
			varint_put(rt->arena + *s, len, w);
			rt->arena[*s + w + len] = '\0';
			rt->garbage += (uint32_t)(on - len);
			return 0;
		}
		rt->garbage += (uint32_t)(ow + on + 1);
		*s = 0;
	}
	/* v may point into the arena (an internal copy): keep it across growth */
	if (rt->arena && v >= rt->arena && v < rt->arena + rt->acap) {
		if ((copy = somo__strndup(v, len)) == NULL)
			return SOMO_ENOMEM;
		v = copy;
	}
	if (rt->garbage > 512 && rt->garbage > rt->alen / 2 && (rc = compact(rt)) < 0)
		goto out;
	need = w + len + 1;
	if ((size_t)rt->alen + need > ARENA_MAX) {
		rc = SOMO_ELIMIT;
		goto out;
	}
	if (rt->alen + need > rt->acap) {
		size_t cap = rt->acap ? rt->acap : 64;
		char *p;
		while (cap < rt->alen + need)
			cap += cap / 2;
		if ((p = somo__realloc(rt->arena, cap)) == NULL) {
			rc = SOMO_ENOMEM;
			goto out;
		}
		rt->arena = p;
		rt->acap = (uint32_t)cap;
	}
	varint_put(rt->arena + rt->alen, len, w);
	memcpy(rt->arena + rt->alen + w, v, len);
	rt->arena[rt->alen + w + len] = '\0';
	*s = rt->alen;
	rt->alen += (uint32_t)need;
out:
	somo__free(copy);
	return rc;
}

int somo__rt_store_el(somo_rt *rt, somo__slot *s, const somo__dm_element *el, const char *v,
                      size_t len)
{
	uint32_t code = el->vocab ? somo__dm_vocab_code(el->vocab, v, len) : 0;

	if (code) {
		if (*s && !(*s & SOMO__SLOT_VOCAB)) {
			size_t w, n = varint_get(rt->arena + *s, &w);
			rt->garbage += (uint32_t)(w + n + 1);
		}
		*s = SOMO__SLOT_VOCAB | code;
		return 0;
	}
	return somo__rt_store(rt, s, v, len);
}

static void drop_slot(somo_rt *rt, somo__slot *s)
{
	size_t w, n;

	if (*s & SOMO__SLOT_VOCAB)
		*s = 0;
	if (!*s)
		return;
	n = varint_get(rt->arena + *s, &w);
	rt->garbage += (uint32_t)(w + n + 1);
	*s = 0;
}

/* ---- collections ------------------------------------------------------ */

/* Collections grow by a quarter: a runtime holds many small ones. */
static uint32_t grown(uint32_t cap)
{
	return cap < 16 ? cap + 4 : cap + cap / 4;
}

int somo__rt_push(somo_rt *rt, somo__coll *c, size_t width, bool interactions)
{
	if (c->count == c->cap) {
		uint32_t cap = grown(c->cap);
		somo__slot *v = somo__realloc(c->v, (size_t)cap * width * sizeof(*v));
		if (!v)
			return SOMO_ENOMEM;
		c->v = v;
		if (interactions) {
			uint32_t *o = somo__realloc(rt->isub_of, (size_t)cap * sizeof(*o));
			if (!o)
				return SOMO_ENOMEM;
			memset(o + c->cap, 0, (size_t)(cap - c->cap) * sizeof(*o));
			rt->isub_of = o;
		}
		c->cap = cap;
	}
	memset(c->v + (size_t)c->count * width, 0, width * sizeof(*c->v));
	if (interactions)
		rt->isub_of[c->count] = 0;
	c->count++;
	return 0;
}

somo__coll *somo__rt_sub(somo_rt *rt, uint32_t i, bool cr, bool create)
{
	static somo__coll none; /* never written: count 0 refuses every slot */
	somo__isub *s;

	if (i >= rt->c[SOMO__C_INT].count)
		return NULL;
	if (!rt->isub_of[i]) {
		if (!create)
			return &none;
		if (rt->nisub == rt->isub_cap) {
			uint32_t cap = grown(rt->isub_cap);
			somo__isub *p = somo__realloc(rt->isub, (size_t)cap * sizeof(*p));
			if (!p)
				return NULL;
			rt->isub = p;
			rt->isub_cap = cap;
		}
		memset(&rt->isub[rt->nisub], 0, sizeof(rt->isub[0]));
		rt->isub_of[i] = ++rt->nisub;
	}
	s = &rt->isub[rt->isub_of[i] - 1];
	return cr ? &s->cr : &s->obj;
}

static somo__coll *coll_of(somo_rt *rt, somo__dm_coll k, const uint32_t *index, bool create)
{
	switch (k) {
	case SOMO__C_INT_OBJ:
		return somo__rt_sub(rt, index[0], false, create);
	case SOMO__C_INT_CR:
		return somo__rt_sub(rt, index[0], true, create);
	case SOMO__C_NONE:
	case SOMO__C_MAX:
		return NULL;
	default:
		return &rt->c[k];
	}
}

somo__slot *somo__rt_slot(somo_rt *rt, const somo__dm_element *el, const uint32_t *index)
{
	somo__coll *c;
	uint32_t i;

	if (el->coll == SOMO__C_NONE)
		return &rt->top[el->field];
	if ((c = coll_of(rt, (somo__dm_coll)el->coll, index, false)) == NULL)
		return NULL;
	i = (el->coll == SOMO__C_INT_OBJ || el->coll == SOMO__C_INT_CR) ? index[1] : index[0];
	if (i >= c->count)
		return NULL;
	return &c->v[(size_t)i * somo__dm_record_slots(rt->version, (somo__dm_coll)el->coll) +
	             el->field];
}

/* ---- life cycle ------------------------------------------------------- */

int somo_rt_new(somo_rt **out, somo_scorm_version version, const somo_rt_opts *opts)
{
	somo_rt *rt;
	size_t i;

	if (!out)
		return somo__error(SOMO_EINVAL, "somo_rt_new: out is NULL");
	*out = NULL;
	if (version != SOMO_SCORM_12 && version != SOMO_SCORM_2004)
		return somo__error(SOMO_EINVAL, "unknown SCORM version %d", (int)version);
	if (opts && opts->version != SOMO_RT_OPTS_VERSION)
		return somo__error(SOMO_EINVAL, "somo_rt_opts version %u is not %u", opts->version,
		                   SOMO_RT_OPTS_VERSION);
	if (opts && opts->data_map_len && (version != SOMO_SCORM_2004 || !opts->data_map))
		return somo__error(SOMO_EINVAL,
		                   "adl.data stores need a SCORM 2004 runtime and a map");
	if ((rt = somo__calloc(1, sizeof(*rt))) == NULL)
		return somo__error_oom();
	rt->version = (uint8_t)version;
	rt->ntop = (uint16_t)somo__dm_top_slots(version);
	if ((rt->top = somo__calloc(rt->ntop, sizeof(*rt->top))) == NULL)
		goto oom;
	rt->arena = somo__malloc(64);
	if (!rt->arena)
		goto oom;
	rt->arena[0] = '\0';
	rt->alen = 1;
	rt->acap = 64;
	if (opts) {
		rt->lenient = opts->lenient ? 1 : 0;
		if (opts->callbacks)
			rt->cb = *opts->callbacks;
		if (opts->data_map_len > COLL_MAX) {
			somo_rt_free(rt);
			return somo__error(SOMO_ELIMIT, "too many adl.data stores (%zu)",
			                   opts->data_map_len);
		}
		if (opts->data_map_len &&
		    (rt->data_access = somo__calloc(opts->data_map_len, 1)) == NULL)
			goto oom;
		for (i = 0; i < opts->data_map_len; i++) {
			const char *id = opts->data_map[i].id ? opts->data_map[i].id : "";
			somo__coll *c = &rt->c[SOMO__C_DATA];
			if (!somo__dm_uri(id, strlen(id))) {
				somo_rt_free(rt);
				return somo__error(SOMO_EINVAL,
				                   "adl.data id '%s' is not an identifier", id);
			}
			if (somo__rt_push(rt, c, 2, false) < 0 ||
			    somo__rt_store(rt, &c->v[i * 2], id, strlen(id)) < 0)
				goto oom;
			rt->data_access[i] =
			    (uint8_t)((opts->data_map[i].read_shared_data ? 1 : 0) |
			              (opts->data_map[i].write_shared_data ? 2 : 0));
		}
	}
	*out = rt;
	return 0;
oom:
	somo_rt_free(rt);
	return somo__error_oom();
}

void somo__rt_free_data(somo_rt *rt)
{
	size_t i;
	int k;

	for (i = 0; i < rt->nisub; i++) {
		somo__free(rt->isub[i].obj.v);
		somo__free(rt->isub[i].cr.v);
	}
	somo__free(rt->isub);
	somo__free(rt->isub_of);
	for (k = 0; k < SOMO__C_MAX; k++)
		somo__free(rt->c[k].v);
	somo__free(rt->top);
	somo__free(rt->arena);
	somo__free(rt->data_access);
}

void somo_rt_free(somo_rt *rt)
{
	if (!rt)
		return;
	somo__rt_free_data(rt);
	somo__free(rt->diag);
	somo__free(rt);
}

somo_scorm_version somo_rt_version(const somo_rt *rt)
{
	return (somo_scorm_version)rt->version;
}

size_t somo_rt_memory(const somo_rt *rt)
{
	size_t n = sizeof(*rt) + rt->acap + rt->ntop * sizeof(somo__slot);
	size_t i;
	int k;

	for (k = SOMO__C_OBJ; k < SOMO__C_MAX; k++)
		n += (size_t)rt->c[k].cap * somo__dm_record_slots(rt->version, (somo__dm_coll)k) *
		     sizeof(somo__slot);
	n += (size_t)rt->isub_cap * sizeof(somo__isub) +
	     (size_t)rt->c[SOMO__C_INT].cap * sizeof(uint32_t);
	for (i = 0; i < rt->nisub; i++)
		n += ((size_t)rt->isub[i].obj.cap + rt->isub[i].cr.cap) * sizeof(somo__slot);
	if (rt->data_access)
		n += rt->c[SOMO__C_DATA].count;
	return n;
}

/* ---- evaluation (RTE book 4.2.4.1, 4.2.22.1) ------------------------- */

static bool slot_real(const somo_rt *rt, somo__slot s, double *d)
{
	size_t len;
	const char *p = somo__rt_str(rt, s, &len);

	return p && somo__dm_real(p, len, d);
}

static int find_top(const somo_rt *rt, const char *name)
{
	const somo__dm_element *el = somo__dm_find((somo_scorm_version)rt->version, name);

	return el ? el->field : -1;
}

/* The completion_status / success_status the LMS reports (2004). */
static const char *evaluated_status(somo_rt *rt, const somo__dm_element *el)
{
	double a, b;

	if (strcmp(el->name, "cmi.completion_status") == 0) {
		if (slot_real(rt, rt->top[find_top(rt, "cmi.completion_threshold")], &b)) {
			if (!slot_real(rt, rt->top[find_top(rt, "cmi.progress_measure")], &a))
				return "unknown";
			return a >= b ? "completed" : "incomplete";
		}
	} else if (strcmp(el->name, "cmi.success_status") == 0) {
		if (slot_real(rt, rt->top[find_top(rt, "cmi.scaled_passing_score")], &b)) {
			if (!slot_real(rt, rt->top[find_top(rt, "cmi.score.scaled")], &a))
				return "unknown";
			return a >= b ? "passed" : "failed";
		}
	}
	return NULL;
}

/* ---- the API ---------------------------------------------------------- */

static const char *empty(const char *s)
{
	return s ? s : "";
}

const char *somo_rt_initialize(somo_rt *rt, const char *param)
{
	param = empty(param);
	if (rt->state == SOMO__RT_RUNNING)
		return fail(rt, v12(rt) ? 101 : 103, R_ALREADY, NULL);
	if (rt->state == SOMO__RT_TERMINATED)
		return fail(rt, v12(rt) ? 101 : 104, R_STATE_AFTER, NULL);
	if (*param)
		return fail(rt, 201, R_ARG, NULL);
	rt->state = SOMO__RT_RUNNING;
	ok(rt);
	return "true";
}

const char *somo_rt_commit(somo_rt *rt, const char *param)
{
	param = empty(param);
	if (rt->state == SOMO__RT_NOT_INIT)
		return fail(rt, v12(rt) ? 301 : 142, R_STATE_BEFORE, NULL);
	if (rt->state == SOMO__RT_TERMINATED)
		return fail(rt, v12(rt) ? 301 : 143, R_STATE_AFTER, NULL);
	if (*param)
		return fail(rt, 201, R_ARG, NULL);
	if (rt->cb.commit && rt->cb.commit(rt, rt->cb.payload) != 0)
		return fail(rt, v12(rt) ? 101 : 391, R_COMMIT, NULL);
	ok(rt);
	return "true";
}

/* session_time into total_time (both versions). */
static void accumulate_time(somo_rt *rt)
{
	bool is12 = v12(rt);
	somo__dur_dialect d = is12 ? SOMO__DUR_SCORM12 : SOMO__DUR_SCORM2004;
	int st = find_top(rt, is12 ? "cmi.core.session_time" : "cmi.session_time");
	int tt = find_top(rt, is12 ? "cmi.core.total_time" : "cmi.total_time");
	int64_t a = 0, b = 0;
	const char *p;
	char buf[64];

	if (!rt->top[st])
		return;
	if ((p = somo__rt_str(rt, rt->top[tt], NULL)) != NULL)
		somo__duration_parse(p, d, &a);
	if (somo__duration_parse(somo__rt_str(rt, rt->top[st], NULL), d, &b) != 0 &&
	    somo__duration_parse(somo__rt_str(rt, rt->top[st], NULL), SOMO__DUR_XAPI, &b) != 0)
		return; /* (a lenient runtime may hold an ISO 8601 duration beyond SCORM's) */
	if (a > INT64_MAX - b)
		a = INT64_MAX;
	else
		a += b;
	if (somo__duration_format(a, d, buf, sizeof(buf)) == 0)
		somo__rt_store(rt, &rt->top[tt], buf, strlen(buf));
}

/* SCORM 1.2 RTE 3.4.4: what LMSFinish does to lesson_status. */
static void finish_12(somo_rt *rt)
{
	int st = find_top(rt, "cmi.core.lesson_status");
	int mode = find_top(rt, "cmi.core.lesson_mode");
	int credit = find_top(rt, "cmi.core.credit");
	const char *status = somo__rt_str(rt, rt->top[st], NULL);
	const char *m = somo__rt_str(rt, rt->top[mode], NULL);
	const char *cr = somo__rt_str(rt, rt->top[credit], NULL);
	double mastery, raw;
	const char *set = NULL;

	if (m && strcmp(m, "browse") == 0) {
		if (!status || strcmp(status, "not attempted") == 0)
			set = "browsed";
	} else if ((!cr || strcmp(cr, "credit") == 0) &&
	           slot_real(rt, rt->top[find_top(rt, "cmi.student_data.mastery_score")],
	                     &mastery) &&
	           slot_real(rt, rt->top[find_top(rt, "cmi.core.score.raw")], &raw)) {
		set = raw >= mastery ? "passed" : "failed";
	} else if (!status || strcmp(status, "not attempted") == 0) {
		set = "completed";
	}
	if (set)
		somo__rt_store(rt, &rt->top[st], set, strlen(set));
}

const char *somo_rt_terminate(somo_rt *rt, const char *param)
{
	param = empty(param);
	if (rt->state == SOMO__RT_NOT_INIT)
		return fail(rt, v12(rt) ? 301 : 112, R_STATE_BEFORE, NULL);
	if (rt->state == SOMO__RT_TERMINATED)
		return fail(rt, v12(rt) ? 101 : 113, R_STATE_AFTER, NULL);
	if (*param)
		return fail(rt, 201, R_ARG, NULL);
	accumulate_time(rt);
	if (v12(rt))
		finish_12(rt);
	rt->state = SOMO__RT_TERMINATED;
	if (rt->cb.commit && rt->cb.commit(rt, rt->cb.payload) != 0) {
		/* the session is over either way; the host learns that storing failed */
		fail(rt, v12(rt) ? 101 : 111, R_TERMINATE, NULL);
		if (rt->cb.terminate)
			rt->cb.terminate(rt, rt->cb.payload);
		return "false";
	}
	ok(rt);
	if (rt->cb.terminate)
		rt->cb.terminate(rt, rt->cb.payload);
	return "true";
}

somo_rt_session_state somo_rt_state(const somo_rt *rt)
{
	return (somo_rt_session_state)rt->state;
}

int somo_rt_last_error(const somo_rt *rt)
{
	return rt->last_error;
}

const char *somo_rt_error_string(const somo_rt *rt, int code)
{
	return somo_dm_error_string((somo_scorm_version)rt->version, code);
}

int somo_rt_parse_code(const char *s)
{
	int v = 0;
	size_t i;

	if (!s || !*s || strlen(s) > 3 || (s[0] == '0' && s[1]))
		return -1;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The element last named, with its indices: cmi.interactions.3.id. */
static void element_name(const somo_rt *rt, char *buf, size_t size)
{
	const char *p = rt->diag_el->name;
	size_t n = 0;
	int k = 0;

	while (*p && n + 12 < size) {
		if (p[0] == 'n' && p[-1] == '.' && (p[1] == '.' || !p[1]) &&
		    k < SOMO__DM_MAX_DEPTH) {
			n += (size_t)snprintf(buf + n, size - n, "%u",
			                      (unsigned)rt->diag_index[k++]);
			p++;
		} else {
			buf[n++] = *p++;
		}
	}
	buf[n] = '\0';
}

const char *somo_rt_diagnostic(somo_rt *rt, int code)
{
	const char *text = somo_rt_error_string(rt, code);
	char name[200], type[400];

	if (!*text && code != 0)
		return "";
	if (code != rt->last_error || rt->diag_reason == R_NONE)
		return text;
	somo__free(rt->diag);
	if (!rt->diag_el) {
		rt->diag = somo__sprintf("%s: %s", text, reason_text[rt->diag_reason]);
		return rt->diag ? rt->diag : text;
	}
	element_name(rt, name, sizeof(name));
	if (rt->diag_reason == R_TYPE || rt->diag_reason == R_RANGE || rt->diag_reason == R_SPM) {
		somo__dm_describe((somo_scorm_version)rt->version, rt->diag_el, type, sizeof(type));
		rt->diag = somo__sprintf("%s: %s: %s; it takes %s", text, name,
		                         reason_text[rt->diag_reason], type);
	} else {
		rt->diag = somo__sprintf("%s: %s: %s", text, name, reason_text[rt->diag_reason]);
	}
	/* GetDiagnostic's text has an SPM of 255 characters (RTE book 3.1.7.6);
	 * the texts are ASCII, so cutting by bytes is safe */
	if (rt->diag && strlen(rt->diag) > 254)
		memcpy(rt->diag + 251, "...", 4);
	return rt->diag ? rt->diag : text;
}

static somo__itype itype_of(somo_rt *rt, uint32_t i)
{
	size_t w = somo__dm_record_slots(rt->version, SOMO__C_INT);
	size_t len;
	const char *t;

	if (i >= rt->c[SOMO__C_INT].count)
		return SOMO__IT_NONE;
	t = somo__rt_str(rt, rt->c[SOMO__C_INT].v[i * w + (v12(rt) ? 2 : 1)], &len);
	return t ? somo__itype_parse(t, len) : SOMO__IT_NONE;
}

static const char *nav_valid(somo_rt *rt, const somo__dm_ref *ref)
{
	const char *ans;
	char target[512];

	if (!rt->cb.nav_request_valid)
		return "unknown";
	if (ref->target) {
		if (ref->target_len >= sizeof(target))
			return "false";
		memcpy(target, ref->target, ref->target_len);
		target[ref->target_len] = '\0';
	}
	ans = rt->cb.nav_request_valid(rt, ref->el->text, ref->target ? target : NULL,
	                               rt->cb.payload);
	if (ans && (!strcmp(ans, "true") || !strcmp(ans, "false")))
		return ans;
	return "unknown";
}

const char *somo_rt_get_value(somo_rt *rt, const char *name)
{
	somo__dm_ref ref;
	somo__dm_parse_status st;
	const somo__dm_element *el;
	somo__slot *s;
	bool is12 = v12(rt);
	const char *p;

	name = empty(name);
	if (rt->state != SOMO__RT_RUNNING)
		return fail_get(rt,
		                is12                             ? 301
		                : rt->state == SOMO__RT_NOT_INIT ? 122
		                                                 : 123,
		                rt->state == SOMO__RT_NOT_INIT ? R_STATE_BEFORE : R_STATE_AFTER,
		                NULL);
	if (!*name)
		return fail_get(rt, is12 ? 201 : 301, R_EMPTY_NAME, NULL);
	st = somo__dm_parse((somo_scorm_version)rt->version, name, &ref);
	memcpy(rt->diag_index, ref.index, sizeof(rt->diag_index));
	switch (st) {
	case SOMO__P_OK:
		break;
	case SOMO__P_NOCHILDREN:
		return fail_get(rt, is12 ? 202 : 301, R_NOCHILDREN, NULL);
	case SOMO__P_NOCOUNT:
		return fail_get(rt, is12 ? 203 : 301, R_NOCOUNT, NULL);
	case SOMO__P_KEYWORD_BAD:
		return fail_get(rt, is12 ? 401 : 301, R_VERSION, NULL);
	default:
		return fail_get(rt, 401, R_UNDEFINED, NULL);
	}
	el = ref.el;
	switch ((somo__dm_kind)el->kind) {
	case SOMO__K_CHILDREN:
	case SOMO__K_VERSION:
		if (ref.depth) {
			const somo__coll *pc = strncmp(el->name, "cmi.objectives", 14) == 0
			                           ? &rt->c[SOMO__C_OBJ]
			                           : &rt->c[SOMO__C_INT];
			if (ref.index[0] >= pc->count)
				return fail_get(rt, is12 ? 201 : 301, R_INDEX_GET, el);
		}
		ok(rt);
		return el->text;
	case SOMO__K_COUNT: {
		somo__coll *c = coll_of(rt, (somo__dm_coll)el->coll, ref.index, false);
		if (!c) {
			if (is12 && (el->coll == SOMO__C_INT_OBJ || el->coll == SOMO__C_INT_CR) &&
			    ref.index[0] == rt->c[SOMO__C_INT].count) {
				ok(rt);
				return "0";
			}
			return fail_get(rt, is12 ? 201 : 301, R_INDEX_GET, el);
		}
		{
			/* the count in decimal, written from the end of the scratch buffer */
			char *q = rt->scratch + sizeof(rt->scratch) - 1;
			uint32_t n = c->count;
			*q = '\0';
			do {
				*--q = (char)('0' + n % 10);
				n /= 10;
			} while (n);
			ok(rt);
			return q;
		}
	}
	case SOMO__K_NAV_VALID:
		if ((el->field >= 2) != (ref.target != NULL))
			return fail_get(rt, 301, R_UNDEFINED, el);
		ok(rt);
		return nav_valid(rt, &ref);
	default:
		break;
	}
	if (is12 && !(el->access & SOMO__DM_R))
		return fail_get(rt, 404, R_WRITEONLY, el);
	if ((s = somo__rt_slot(rt, el, ref.index)) == NULL)
		return fail_get(rt, is12 ? 201 : 301, R_INDEX_GET, el);
	if (!(el->access & SOMO__DM_R))
		return fail_get(rt, 405, R_WRITEONLY, el);
	if (el->coll == SOMO__C_DATA && el->field == 1 && !(rt->data_access[ref.index[0]] & 1))
		return fail_get(rt, 405, R_WRITEONLY, el);
	/* only cmi.completion_status and cmi.success_status default to "unknown" at the top */
	if (!is12 && el->coll == SOMO__C_NONE && el->text && el->text[0] == 'u' &&
	    (p = evaluated_status(rt, el)) != NULL) {
		ok(rt);
		return p;
	}
	if (!*s) {
		if (el->text) {
			ok(rt);
			return el->text;
		}
		if (is12) {
			ok(rt);
			return "";
		}
		return fail_get(rt, 403, R_NOT_INIT, el);
	}
	ok(rt);
	return somo__rt_str(rt, *s, NULL);
}

const char *somo_rt_lms_value(somo_rt *rt, const char *name)
{
	uint16_t err = rt->last_error;
	uint8_t reason = rt->diag_reason;
	const somo__dm_element *del = rt->diag_el;
	uint8_t state = rt->state;
	const char *r;
	somo__dm_ref ref;
	somo__slot *s;

	if (!name || somo__dm_parse((somo_scorm_version)rt->version, name, &ref) != SOMO__P_OK)
		return NULL;
	if (ref.el->kind == SOMO__K_VALUE &&
	    (!(ref.el->access & SOMO__DM_R) || ref.el->coll == SOMO__C_DATA)) {
		/* write-only values and shared stores: straight from the slot */
		s = somo__rt_slot(rt, ref.el, ref.index);
		return s && *s ? somo__rt_str(rt, *s, NULL) : NULL;
	}
	/* everything else reads as GetValue would in a running session */
	rt->state = SOMO__RT_RUNNING;
	r = somo_rt_get_value(rt, name);
	if (rt->last_error != 0)
		r = NULL;
	rt->state = state;
	rt->last_error = err;
	rt->diag_reason = reason;
	rt->diag_el = del;
	return r;
}

static bool slot_eq(const somo_rt *rt, somo__slot s, const char *v, size_t len)
{
	size_t l;
	const char *p = somo__rt_str(rt, s, &l);

	return p && l == len && memcmp(p, v, len) == 0;
}

/* Uniqueness rules (RTE book 4.2.17.1, 4.2.9): 0 or the reason. */
static int unique_check(somo_rt *rt, const somo__dm_element *el, const uint32_t *index,
                        const char *v, size_t len, somo__slot *s)
{
	somo__coll *c;
	uint32_t i, self;
	size_t w;

	if (v12(rt))
		return 0;
	if (el->coll == SOMO__C_OBJ && el->field == 0) {
		c = &rt->c[SOMO__C_OBJ];
		w = somo__dm_record_slots(rt->version, SOMO__C_OBJ);
		self = index[0];
		if (s && *s && !slot_eq(rt, *s, v, len))
			return R_ID_CHANGE;
	} else if (el->coll == SOMO__C_INT_OBJ) {
		c = somo__rt_sub(rt, index[0], false, false);
		w = 1;
		self = index[1];
	} else if (el->coll == SOMO__C_INT_CR) {
		somo__itype t = itype_of(rt, index[0]);
		c = somo__rt_sub(rt, index[0], true, false);
		self = index[1];
		if (t == SOMO__IT_CHOICE || t == SOMO__IT_SEQUENCING) {
			for (i = 0; i < c->count; i++) {
				size_t l;
				const char *p;
				if (i == self)
					continue;
				p = somo__rt_str(rt, c->v[i], &l);
				if (p && somo__dm_pattern_equal(t, p, l, v, len))
					return R_NOT_UNIQUE;
			}
		}
		return 0;
	} else {
		return 0;
	}
	for (i = 0; i < c->count; i++)
		if (i != self && slot_eq(rt, c->v[(size_t)i * w], v, len))
			return R_NOT_UNIQUE;
	return 0;
}

static void report_lenient(somo_rt *rt, const char *name, const char *value, const char *what)
{
	if (rt->cb.lenient)
		rt->cb.lenient(rt, name, value, what, rt->cb.payload);
}

/*
 * The shared part of SetValue and the LMS's own sets: admin skips the
 * access rules. Returns 0 or the failing (code, reason) through *code.
 */
static int set_ref(somo_rt *rt, const char *name, const somo__dm_ref *ref, const char *value,
                   bool admin, int *reason)
{
	const somo__dm_element *el = ref->el;
	bool is12 = v12(rt);
	size_t len = strlen(value), width = 0;
	somo__coll *c = NULL;
	somo__slot *s;
	bool create = false;
	uint32_t idx = 0;
	const char *why = NULL;
	somo__dm_valid vr;
	int r;

	if (el->kind != SOMO__K_VALUE) {
		*reason = R_KEYWORD;
		return is12 ? 402 : 404;
	}
	if (!admin && (!(el->access & SOMO__DM_W) || el->lms_only)) {
		*reason = R_READONLY;
		return is12 ? 403 : 404;
	}
	/* Records: index rules and the dependencies of a new record. */
	if (el->coll != SOMO__C_NONE) {
		bool sub = el->coll == SOMO__C_INT_OBJ || el->coll == SOMO__C_INT_CR;
		uint32_t nint = rt->c[SOMO__C_INT].count;
		if (sub) {
			if (ref->index[0] > nint) {
				*reason = R_INDEX_SET;
				return is12 ? 201 : 351;
			}
			if (ref->index[0] == nint) {
				if (!is12) {
					*reason = R_DEP_INTERACTION;
					return 408;
				}
				/* SCORM 1.2 creates the interaction for its first field */
			}
		}
		if (ref->index[0] < nint || !sub)
			c = coll_of(rt, (somo__dm_coll)el->coll, ref->index, true);
		if (!c && sub && ref->index[0] < nint) {
			*reason = R_NOMEM;
			return is12 ? 101 : 351;
		}
		idx = sub ? ref->index[1] : ref->index[0];
		width = somo__dm_record_slots(rt->version, (somo__dm_coll)el->coll);
		if (c && idx > c->count) {
			*reason = R_INDEX_SET;
			return is12 ? 201 : 351;
		}
		if (!c && idx > 0) {
			*reason = R_INDEX_SET;
			return 201;
		}
		if (!c || idx == c->count) {
			if (el->coll == SOMO__C_DATA) { /* the host's map decides which stores exist */
				*reason = R_INDEX_SET;
				return is12 ? 201 : 351;
			}
			if (!is12 && el->dep == SOMO__D_ID && !admin) {
				*reason = R_DEP_ID;
				return 408;
			}
			if ((c ? c->count : 0) >= (sub ? SUB_MAX : COLL_MAX)) {
				*reason = R_LIMIT;
				return is12 ? 101 : 351;
			}
			create = true;
		}
	}
	s = create ? NULL : somo__rt_slot(rt, el, ref->index);
	/* Dependencies on the record's other fields. */
	if (!is12 && el->dep == SOMO__D_TYPE && itype_of(rt, ref->index[0]) == SOMO__IT_NONE) {
		*reason = R_DEP_TYPE;
		return 408;
	}
	if (!admin && el->coll == SOMO__C_DATA && !(rt->data_access[ref->index[0]] & 2)) {
		*reason = R_READONLY;
		return 404;
	}
	/* true-false, likert, numeric and other hold one correct response (351 before the type) */
	if (!is12 && el->coll == SOMO__C_INT_CR && ref->index[1] >= 1) {
		somo__itype t = itype_of(rt, ref->index[0]);
		if (t == SOMO__IT_TRUE_FALSE || t == SOMO__IT_LIKERT || t == SOMO__IT_NUMERIC ||
		    t == SOMO__IT_OTHER) {
			*reason = R_MAX;
			return 351;
		}
	}
	vr = somo__dm_validate((somo_scorm_version)rt->version, el,
	                       el->coll == SOMO__C_INT_CR || el->coll == SOMO__C_INT
	                           ? itype_of(rt, ref->index[0])
	                           : SOMO__IT_NONE,
	                       value, len, rt->lenient, admin, &why);
	switch (vr) {
	case SOMO__V_OK:
		break;
	case SOMO__V_TYPE:
		*reason = R_TYPE;
		return is12 ? 405 : 406;
	case SOMO__V_RANGE:
		*reason = R_RANGE;
		return is12 ? 405 : 407;
	case SOMO__V_SPM:
		/* The SPM is the least an LMS must store (RTE book 4.1.1): longer values
		 * are kept up to the runtime's ceiling, a larger one when lenient.
		 * SCORM 1.2's CMIString255 / CMIString4096 are types: longer is 405
		 * unless lenient. */
		if (is12 && !rt->lenient) {
			*reason = R_SPM;
			return 405;
		}
		if (is12)
			report_lenient(rt, name, value,
			               "a value longer than its SCORM 1.2 CMIString type stored");
		break;
	case SOMO__V_LENIENT:
		report_lenient(rt, name, value, why);
		break;
	}
	/* every value, whatever its type, within the runtime's ceiling (characters) */
	if (len > (rt->lenient ? VALUE_MAX_LENIENT : VALUE_MAX_STRICT) &&
	    somo__utf8_length(value, len) > (rt->lenient ? VALUE_MAX_LENIENT : VALUE_MAX_STRICT)) {
		*reason = R_LIMIT;
		return is12 ? 405 : 407;
	}
	if ((r = unique_check(rt, el, ref->index, value, len, s)) != 0) {
		*reason = r;
		return is12 ? 101 : 351;
	}
	if (create) {
		if (!c) {
			/* SCORM 1.2: the first field of a new interaction through its
			 * sub-collection */
			if (somo__rt_push(rt, &rt->c[SOMO__C_INT],
			                  somo__dm_record_slots(rt->version, SOMO__C_INT),
			                  true) < 0)
				goto oom;
			if ((c = coll_of(rt, (somo__dm_coll)el->coll, ref->index, true)) == NULL)
				goto oom;
		}
		if (somo__rt_push(rt, c, width, el->coll == SOMO__C_INT) < 0)
			goto oom;
		s = &c->v[(size_t)idx * width + el->field];
	}
	if (el->coll == SOMO__C_DATA && len == 0) {
		/* an emptied shared data store reads as not initialized, as in ADL's LMS */
		drop_slot(rt, s);
		return 0;
	}
	if ((r = somo__rt_store_el(rt, s, el, value, len)) < 0) {
		if (create)
			c->count--;
		*reason = r == SOMO_ELIMIT ? R_LIMIT : R_NOMEM;
		return is12 ? 101 : 351;
	}
	return 0;
oom:
	*reason = R_NOMEM;
	return is12 ? 101 : 351;
}

const char *somo_rt_set_value(somo_rt *rt, const char *name, const char *value)
{
	somo__dm_ref ref;
	somo__dm_parse_status st;
	bool is12 = v12(rt);
	int code, reason = R_NONE;

	name = empty(name);
	value = empty(value);
	if (rt->state != SOMO__RT_RUNNING)
		return fail(rt,
		            is12                             ? 301
		            : rt->state == SOMO__RT_NOT_INIT ? 132
		                                             : 133,
		            rt->state == SOMO__RT_NOT_INIT ? R_STATE_BEFORE : R_STATE_AFTER, NULL);
	if (!*name)
		return fail(rt, is12 ? 201 : 351, R_EMPTY_NAME, NULL);
	st = somo__dm_parse((somo_scorm_version)rt->version, name, &ref);
	memcpy(rt->diag_index, ref.index, sizeof(rt->diag_index));
	if (st == SOMO__P_UNDEFINED)
		return fail(rt, 401, R_UNDEFINED, NULL);
	if (st != SOMO__P_OK)
		return fail(rt,
		            is12 ? (st == SOMO__P_NOCHILDREN ? 202
		                    : st == SOMO__P_NOCOUNT  ? 203
		                                             : 402)
		                 : 404,
		            R_KEYWORD, NULL);
	if ((code = set_ref(rt, name, &ref, value, false, &reason)) != 0)
		return fail(rt, code, reason, ref.el);
	ok(rt);
	return "true";
}

int somo_rt_set_lms_value(somo_rt *rt, const char *name, const char *value)
{
	somo__dm_ref ref;
	int code, reason = R_NONE;

	if (!name || !value)
		return somo__error(SOMO_EINVAL, "element and value are required");
	if (somo__dm_parse((somo_scorm_version)rt->version, name, &ref) != SOMO__P_OK ||
	    ref.el->kind != SOMO__K_VALUE)
		return somo__error(SOMO_ENOTFOUND, "'%s' is not an element of the data model",
		                   name);
	if ((code = set_ref(rt, name, &ref, value, true, &reason)) != 0) {
		if (reason == R_NOMEM)
			return somo__error_oom();
		return somo__error(SOMO_EINVALID, "%s: '%s' %s", name, value, reason_text[reason]);
	}
	return 0;
}

/* ---- sessions --------------------------------------------------------- */

static void clear_coll(somo_rt *rt, somo__coll *c, size_t width)
{
	size_t i;

	for (i = 0; i < c->count * width; i++)
		drop_slot(rt, &c->v[i]);
	c->count = 0;
}

void somo__rt_clear_learner_data(somo_rt *rt)
{
	size_t n, i;
	const somo__dm_element *t = somo__dm_table((somo_scorm_version)rt->version, &n);

	/* top-level values the content writes; the learner's preferences are the
	 * learner's, not the attempt's, and stay */
	for (i = 0; i < n; i++)
		if (t[i].kind == SOMO__K_VALUE && t[i].coll == SOMO__C_NONE &&
		    (t[i].access & SOMO__DM_W) &&
		    strncmp(t[i].name, "cmi.learner_preference.", 23) != 0)
			drop_slot(rt, &rt->top[t[i].field]);
	for (i = 0; i < rt->nisub; i++) {
		clear_coll(rt, &rt->isub[i].obj, 1);
		clear_coll(rt, &rt->isub[i].cr, 1);
		somo__free(rt->isub[i].obj.v);
		somo__free(rt->isub[i].cr.v);
	}
	rt->nisub = 0;
	clear_coll(rt, &rt->c[SOMO__C_INT], somo__dm_record_slots(rt->version, SOMO__C_INT));
	clear_coll(rt, &rt->c[SOMO__C_OBJ], somo__dm_record_slots(rt->version, SOMO__C_OBJ));
	clear_coll(rt, &rt->c[SOMO__C_CFL], 3);
}

int somo_rt_next_session(somo_rt *rt)
{
	bool is12 = v12(rt);
	int ex = find_top(rt, is12 ? "cmi.core.exit" : "cmi.exit");
	int entry = find_top(rt, is12 ? "cmi.core.entry" : "cmi.entry");
	int st = find_top(rt, is12 ? "cmi.core.session_time" : "cmi.session_time");
	const char *e = somo__rt_str(rt, rt->top[ex], NULL);
	bool suspended = e && strcmp(e, "suspend") == 0;
	const char *new_entry;
	int rc;

	if (!is12) {
		int nav = find_top(rt, "adl.nav.request");
		const char *n = somo__rt_str(rt, rt->top[nav], NULL);
		if (n && strcmp(n, "suspendAll") == 0)
			suspended = true;
		drop_slot(rt, &rt->top[nav]);
	}
	if (is12) {
		new_entry = suspended ? "resume" : "";
	} else if (suspended) {
		new_entry = "resume";
	} else {
		int tt = find_top(rt, "cmi.total_time");
		somo__rt_clear_learner_data(rt);
		drop_slot(rt, &rt->top[tt]);
		new_entry = "ab-initio";
	}
	drop_slot(rt, &rt->top[ex]);
	drop_slot(rt, &rt->top[st]);
	if ((rc = somo__rt_store(rt, &rt->top[entry], new_entry, strlen(new_entry))) < 0)
		return rc == SOMO_ENOMEM ? somo__error_oom()
		                         : somo__error(rc, "runtime storage limit");
	rt->state = SOMO__RT_NOT_INIT;
	ok(rt);
	return 0;
}
