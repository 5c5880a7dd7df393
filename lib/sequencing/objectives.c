/*
 * Objectives: local objective progress read and written through the
 * objectives' maps to global shared objectives (imsss:mapInfo and the 4th
 * edition's adlseq:mapInfo), and the global objective table.
 */
#include <math.h>
#include <string.h>

#include "sequencing/seq_internal.h"

/*
 * An objective id as xs:anyURI compares: %20 escapes are spaces and runs
 * of whitespace collapse to one, leading and trailing ones dropped (ADL's
 * conformance packages OB-02a/b reference "  %20obj%20%201%20  " for the
 * objective "obj%201"). Writes at most size bytes; false when it does not fit.
 */
static bool id_normal(const char *s, char *out, size_t size)
{
	size_t n = 0;
	bool space = false;

	while (*s) {
		char c = *s;
		if (c == '%' && s[1] == '2' && s[2] == '0') {
			c = ' ';
			s += 3;
		} else {
			s++;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = n > 0;
			continue;
		}
		if (space) {
			if (n + 1 >= size)
				return false;
			out[n++] = ' ';
			space = false;
		}
		if (n + 1 >= size)
			return false;
		out[n++] = c;
	}
	out[n] = 0;
	return true;
}

static uint32_t hash_id(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

somo__seq_gobj *somo__seq_global_find(const somo_seq_globals *g, const char *id)
{
	size_t mask, i;
	char norm[256];

	if (!g || !g->hcap || !id)
		return NULL;
	if (id_normal(id, norm, sizeof(norm)))
		id = norm;
	mask = g->hcap - 1;
	for (i = hash_id(id) & mask; g->hash[i]; i = (i + 1) & mask)
		if (strcmp(g->items[g->hash[i] - 1].id, id) == 0)
			return &g->items[g->hash[i] - 1];
	return NULL;
}

static int rehash(somo_seq_globals *g, size_t hcap)
{
	uint32_t *h = somo__calloc(hcap, sizeof(*h));
	size_t i;

	if (!h)
		return somo__error_oom();
	for (i = 0; i < g->count; i++) {
		size_t j = hash_id(g->items[i].id) & (hcap - 1);
		while (h[j])
			j = (j + 1) & (hcap - 1);
		h[j] = (uint32_t)(i + 1);
	}
	somo__free(g->hash);
	g->hash = h;
	g->hcap = hcap;
	return 0;
}

/* Find or create; NULL when out of memory. */
somo__seq_gobj *somo__seq_global_get(somo_seq_globals *g, const char *id)
{
	somo__seq_gobj *o = somo__seq_global_find(g, id);
	char norm[256];
	size_t j;

	if (o)
		return o;
	/* global objectives are keyed by their normalised id */
	if (id_normal(id, norm, sizeof(norm)))
		id = norm;
	if (g->count == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 8;
		somo__seq_gobj *n = somo__realloc(g->items, ncap * sizeof(*n));
		if (!n)
			return NULL;
		g->items = n;
		g->cap = ncap;
	}
	if ((g->count + 1) * 2 > g->hcap && rehash(g, g->hcap ? g->hcap * 2 : 16) < 0)
		return NULL;
	o = &g->items[g->count];
	memset(o, 0, sizeof(*o));
	o->id = somo__strdup(id);
	if (!o->id)
		return NULL;
	j = hash_id(id) & (g->hcap - 1);
	while (g->hash[j])
		j = (j + 1) & (g->hcap - 1);
	g->hash[j] = (uint32_t)(++g->count);
	return o;
}

void somo__seq_globals_clear(somo_seq_globals *g)
{
	size_t i;
	for (i = 0; i < g->count; i++)
		somo__free(g->items[i].id);
	g->count = 0;
	if (g->hash)
		memset(g->hash, 0, g->hcap * sizeof(*g->hash));
}

SOMO_API int somo_seq_globals_new(somo_seq_globals **out)
{
	if (!out)
		return somo__error(SOMO_EINVAL, "no handle");
	*out = somo__calloc(1, sizeof(**out));
	return *out ? 0 : somo__error_oom();
}

SOMO_API void somo_seq_globals_free(somo_seq_globals *g)
{
	if (!g)
		return;
	somo__seq_globals_clear(g);
	somo__free(g->items);
	somo__free(g->hash);
	somo__free(g);
}

SOMO_API somo_seq_globals *somo_seq_globals_of(somo_seq *seq)
{
	return seq ? seq->globals : NULL;
}

SOMO_API size_t somo_seq_globals_count(const somo_seq_globals *g)
{
	return g ? g->count : 0;
}

void somo__seq_vals_out(const char *id, const somo__seq_vals *v, somo_seq_objective_values *out)
{
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->success = !(v->flags & OBJ_STATUS)     ? SOMO_SEQ_UNKNOWN
	               : (v->flags & OBJ_SATISFIED) ? SOMO_SEQ_PASSED
	                                            : SOMO_SEQ_FAILED;
	out->completion = !(v->flags & OBJ_COMPL_KNOWN) ? SOMO_SEQ_UNKNOWN
	                  : (v->flags & OBJ_COMPLETED)  ? SOMO_SEQ_COMPLETED
	                                                : SOMO_SEQ_INCOMPLETE;
	out->has_scaled = (v->flags & OBJ_MEASURE) != 0;
	out->scaled = v->measure;
	out->has_raw = (v->flags & OBJ_RAW) != 0;
	out->raw = v->raw;
	out->has_min = (v->flags & OBJ_MIN) != 0;
	out->min = v->min;
	out->has_max = (v->flags & OBJ_MAX) != 0;
	out->max = v->max;
	out->has_progress = (v->flags & OBJ_PROGRESS) != 0;
	out->progress = v->progress;
}

/* somo_seq_objective_values (a report or a host write) into flags + mask. */
int somo__seq_vals_in(const somo_seq_objective_values *in, somo__seq_vals *v, uint16_t *mask)
{
	*mask = 0;
	memset(v, 0, sizeof(*v));
	switch (in->success) {
	case SOMO_SEQ_KEEP:
		break;
	case SOMO_SEQ_UNKNOWN:
		*mask |= OBJ_STATUS | OBJ_SATISFIED;
		break;
	case SOMO_SEQ_PASSED:
		*mask |= OBJ_STATUS | OBJ_SATISFIED;
		v->flags |= OBJ_STATUS | OBJ_SATISFIED;
		break;
	case SOMO_SEQ_FAILED:
		*mask |= OBJ_STATUS | OBJ_SATISFIED;
		v->flags |= OBJ_STATUS;
		break;
	default:
		return somo__error(SOMO_EINVAL, "bad success status");
	}
	switch (in->completion) {
	case SOMO_SEQ_KEEP:
		break;
	case SOMO_SEQ_UNKNOWN:
		*mask |= OBJ_COMPL_KNOWN | OBJ_COMPLETED;
		break;
	case SOMO_SEQ_COMPLETED:
		*mask |= OBJ_COMPL_KNOWN | OBJ_COMPLETED;
		v->flags |= OBJ_COMPL_KNOWN | OBJ_COMPLETED;
		break;
	case SOMO_SEQ_INCOMPLETE:
		*mask |= OBJ_COMPL_KNOWN | OBJ_COMPLETED;
		v->flags |= OBJ_COMPL_KNOWN;
		break;
	default:
		return somo__error(SOMO_EINVAL, "bad completion status");
	}
	if (in->has_scaled) {
		if (!(in->scaled >= -1.0 && in->scaled <= 1.0))
			return somo__error(SOMO_EINVAL, "normalized measure out of -1..1");
		*mask |= OBJ_MEASURE;
		v->flags |= OBJ_MEASURE;
		v->measure = in->scaled;
	}
	if (in->has_progress) {
		if (!(in->progress >= 0.0 && in->progress <= 1.0))
			return somo__error(SOMO_EINVAL, "progress measure out of 0..1");
		*mask |= OBJ_PROGRESS;
		v->flags |= OBJ_PROGRESS;
		v->progress = in->progress;
	}
#define SCORE(HAS, F, FIELD)                                                                       \
	if (in->HAS) {                                                                             \
		if (!isfinite(in->FIELD))                                                          \
			return somo__error(SOMO_EINVAL, "score is not a number");                  \
		*mask |= F;                                                                        \
		v->flags |= F;                                                                     \
		v->FIELD = in->FIELD;                                                              \
	}
	SCORE(has_raw, OBJ_RAW, raw)
	SCORE(has_min, OBJ_MIN, min)
	SCORE(has_max, OBJ_MAX, max)
#undef SCORE
	return 0;
}

static void vals_merge(somo__seq_vals *dst, uint16_t mask, const somo__seq_vals *src)
{
	dst->flags = (uint16_t)((dst->flags & ~mask) | (src->flags & mask));
	if (mask & OBJ_MEASURE)
		dst->measure = src->measure;
	if (mask & OBJ_RAW)
		dst->raw = src->raw;
	if (mask & OBJ_MIN)
		dst->min = src->min;
	if (mask & OBJ_MAX)
		dst->max = src->max;
	if (mask & OBJ_PROGRESS)
		dst->progress = src->progress;
}

SOMO_API int somo_seq_globals_at(const somo_seq_globals *g, size_t i,
                                 somo_seq_objective_values *out)
{
	if (!g || !out || i >= g->count)
		return somo__error(SOMO_ENOTFOUND, "no global objective %zu", i);
	somo__seq_vals_out(g->items[i].id, &g->items[i].v, out);
	return 0;
}

SOMO_API int somo_seq_globals_get(const somo_seq_globals *g, const char *id,
                                  somo_seq_objective_values *out)
{
	const somo__seq_gobj *o = somo__seq_global_find(g, id);
	if (!o || !out)
		return somo__error(SOMO_ENOTFOUND, "no global objective '%s'", id ? id : "");
	somo__seq_vals_out(o->id, &o->v, out);
	return 0;
}

SOMO_API int somo_seq_globals_set(somo_seq_globals *g, const somo_seq_objective_values *v)
{
	somo__seq_vals in;
	uint16_t mask;
	somo__seq_gobj *o;

	if (!g || !v || !v->id || !*v->id)
		return somo__error(SOMO_EINVAL, "no global objective id");
	if (somo__seq_vals_in(v, &in, &mask) < 0)
		return SOMO_EINVAL;
	if (!(o = somo__seq_global_get(g, v->id)))
		return somo__error_oom();
	vals_merge(&o->v, mask, &in);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading objectives through the maps                                       */

/* Which map reads (or writes) a field. */
static bool map_reads(const somo_ss_map_info *m, uint16_t f)
{
	switch (f) {
	case OBJ_STATUS:
		return m->has_imsss && m->read_satisfied_status;
	case OBJ_MEASURE:
		return m->has_imsss && m->read_normalized_measure;
	case OBJ_RAW:
		return m->has_adlseq && m->read_raw_score;
	case OBJ_MIN:
		return m->has_adlseq && m->read_min_score;
	case OBJ_MAX:
		return m->has_adlseq && m->read_max_score;
	case OBJ_COMPL_KNOWN:
		return m->has_adlseq && m->read_completion_status;
	case OBJ_PROGRESS:
		return m->has_adlseq && m->read_progress_measure;
	}
	return false;
}

static bool map_writes(const somo_ss_map_info *m, uint16_t f)
{
	switch (f) {
	case OBJ_STATUS:
		return m->has_imsss && m->write_satisfied_status;
	case OBJ_MEASURE:
		return m->has_imsss && m->write_normalized_measure;
	case OBJ_RAW:
		return m->has_adlseq && m->write_raw_score;
	case OBJ_MIN:
		return m->has_adlseq && m->write_min_score;
	case OBJ_MAX:
		return m->has_adlseq && m->write_max_score;
	case OBJ_COMPL_KNOWN:
		return m->has_adlseq && m->write_completion_status;
	case OBJ_PROGRESS:
		return m->has_adlseq && m->write_progress_measure;
	}
	return false;
}

/* The global read for field f of objective def with its value known, or NULL. */
/*
 * The global objective field f of objective def is read from, or NULL when
 * no map reads it. An objective that reads the satisfaction or measure of
 * a global objective sees the global's value, unknown included (its own
 * local value is not consulted), as ADL's reference implementation does,
 * where every mapped global objective exists from the start. With several
 * read maps, the first one whose global is known wins.
 */
static const somo__seq_gobj unknown_global = {NULL, {0, 0, 0, 0, 0, 0}, 0};

static const somo__seq_gobj *read_global(const somo_seq *seq, const somo_ss_objective *def,
                                         uint16_t f)
{
	size_t i;
	bool reads = false;

	if (!def)
		return NULL;
	for (i = 0; i < def->map_count; i++) {
		const somo__seq_gobj *g;
		if (!map_reads(def->maps[i], f))
			continue;
		reads = true;
		g = somo__seq_global_find(seq->globals, def->maps[i]->target_objective_id);
		if (g && (g->v.flags & f))
			return g;
	}
	/* 4th edition completion and progress reads fall back on the local
	 * value (CTS CO-09), satisfaction and measure reads do not (CM-13) */
	return reads && (f == OBJ_STATUS || f == OBJ_MEASURE) ? &unknown_global : NULL;
}

/* The objective's values as sequencing sees them: globals read through the
 * maps where they are known, local values otherwise. */
void somo__seq_obj_effective(const somo_seq *seq, const somo__seq_act *a, const somo__seq_obj *o,
                             somo__seq_vals *out)
{
	static const uint16_t fields[] = {OBJ_STATUS, OBJ_MEASURE,     OBJ_RAW,     OBJ_MIN,
	                                  OBJ_MAX,    OBJ_COMPL_KNOWN, OBJ_PROGRESS};
	size_t k;

	*out = o->v;
	if (o == &a->objs[0]) {
		/* the primary objective's completion is the attempt's */
		out->flags &= (uint16_t) ~(OBJ_COMPL_KNOWN | OBJ_COMPLETED | OBJ_PROGRESS);
		if (a->flags & ACT_ATT_PROGRESS)
			out->flags |= OBJ_COMPL_KNOWN;
		if (a->flags & ACT_ATT_COMPLETED)
			out->flags |= OBJ_COMPLETED;
		if (a->flags & ACT_ATT_AMOUNT) {
			out->flags |= OBJ_PROGRESS;
			out->progress = a->amount;
		}
	}
	for (k = 0; k < SOMO__ARRAY_SIZE(fields); k++) {
		const somo__seq_gobj *g = read_global(seq, o->def, fields[k]);
		uint16_t f = fields[k];
		uint16_t pair = f == OBJ_STATUS        ? (OBJ_STATUS | OBJ_SATISFIED)
		                : f == OBJ_COMPL_KNOWN ? (OBJ_COMPL_KNOWN | OBJ_COMPLETED)
		                                       : f;
		if (g)
			vals_merge(out, pair, &g->v);
	}
	/* satisfaction and measure as the rules see them (by measure where
	 * so defined, an unknown global read as unknown) */
	{
		int st = somo__seq_obj_status(seq, a, o);
		double m;
		out->flags &= (uint16_t) ~(OBJ_STATUS | OBJ_SATISFIED | OBJ_MEASURE);
		if (st >= 0)
			out->flags |= (uint16_t)(OBJ_STATUS | (st ? OBJ_SATISFIED : 0));
		if (somo__seq_obj_measure(seq, a, o, &m)) {
			out->flags |= OBJ_MEASURE;
			out->measure = m;
		}
	}
}

/* Satisfaction: 1 satisfied, 0 not satisfied, -1 unknown. */
int somo__seq_obj_status(const somo_seq *seq, const somo__seq_act *a, const somo__seq_obj *o)
{
	const somo__seq_gobj *g;
	uint16_t f;
	double m;

	/* satisfied by measure: the measure (read through the maps) decides */
	if (o->def->satisfied_by_measure) {
		if (!somo__seq_obj_measure(seq, a, o, &m))
			return -1;
		if ((a->flags & ACT_ACTIVE) &&
		    !a->ss->rollup_considerations.measure_satisfaction_if_active)
			return -1;
		return m >= o->def->min_normalized_measure ? 1 : 0;
	}
	g = read_global(seq, o->def, OBJ_STATUS);
	f = g ? g->v.flags : o->v.flags;
	if (!(f & OBJ_STATUS))
		return -1;
	return (f & OBJ_SATISFIED) ? 1 : 0;
}

bool somo__seq_obj_measure(const somo_seq *seq, const somo__seq_act *a, const somo__seq_obj *o,
                           double *m)
{
	const somo__seq_gobj *g = read_global(seq, o->def, OBJ_MEASURE);
	const somo__seq_vals *v = g ? &g->v : &o->v;
	if (!(v->flags & OBJ_MEASURE))
		return false;
	*m = v->measure;
	return true;
}

/* Attempt completion: 1 completed, 0 incomplete, -1 unknown (read through
 * the primary objective's completion map). */
int somo__seq_completion(const somo_seq *seq, const somo__seq_act *a)
{
	const somo__seq_gobj *g;
	double amt;

	/* completed by measure: the progress measure (read through the maps) decides */
	if (a->item && a->item->completion_threshold.written &&
	    a->item->completion_threshold.completed_by_measure) {
		if (!somo__seq_amount(seq, a, &amt))
			return -1;
		return amt >= a->item->completion_threshold.min_progress_measure ? 1 : 0;
	}
	g = a->nobjs ? read_global(seq, a->objs[0].def, OBJ_COMPL_KNOWN) : NULL;
	if (g)
		return !(g->v.flags & OBJ_COMPL_KNOWN) ? -1 : (g->v.flags & OBJ_COMPLETED) ? 1 : 0;
	if (!(a->flags & ACT_ATT_PROGRESS))
		return -1;
	return (a->flags & ACT_ATT_COMPLETED) ? 1 : 0;
}

bool somo__seq_amount(const somo_seq *seq, const somo__seq_act *a, double *amt)
{
	const somo__seq_gobj *g = a->nobjs ? read_global(seq, a->objs[0].def, OBJ_PROGRESS) : NULL;
	if (g) {
		*amt = g->v.progress;
		return (g->v.flags & OBJ_PROGRESS) != 0;
	}
	if (!(a->flags & ACT_ATT_AMOUNT))
		return false;
	*amt = a->amount;
	return true;
}

static void write_globals(somo_seq *seq, const somo_ss_objective *def, uint16_t mask,
                          const somo__seq_vals *v)
{
	static const uint16_t fields[] = {OBJ_STATUS, OBJ_MEASURE,     OBJ_RAW,     OBJ_MIN,
	                                  OBJ_MAX,    OBJ_COMPL_KNOWN, OBJ_PROGRESS};
	size_t i, k;

	if (!def)
		return;
	for (i = 0; i < def->map_count; i++) {
		const somo_ss_map_info *m = def->maps[i];
		uint16_t wmask = 0;
		somo__seq_gobj *g;
		for (k = 0; k < SOMO__ARRAY_SIZE(fields); k++)
			if ((mask & fields[k]) && map_writes(m, fields[k]))
				wmask |= fields[k] == OBJ_STATUS ? (OBJ_STATUS | OBJ_SATISFIED)
				         : fields[k] == OBJ_COMPL_KNOWN
				             ? (OBJ_COMPL_KNOWN | OBJ_COMPLETED)
				             : fields[k];
		if (!wmask || !m->target_objective_id)
			continue;
		g = somo__seq_global_get(seq->globals, m->target_objective_id);
		if (g) { /* out of memory loses only this global write */
			vals_merge(&g->v, wmask, v);
			g->touched = seq->epoch;
			seq->globals_dirty = true;
		}
	}
}

/* Write fields (mask) of a local objective, and through its write maps. */
void somo__seq_obj_write(somo_seq *seq, somo__seq_act *a, somo__seq_obj *o, uint16_t mask,
                         const somo__seq_vals *v)
{
	if (o == &a->objs[0] && (mask & (OBJ_COMPL_KNOWN | OBJ_PROGRESS))) {
		if (mask & OBJ_COMPL_KNOWN)
			somo__seq_set_completion(seq, a,
			                         !(v->flags & OBJ_COMPL_KNOWN) ? -1
			                         : (v->flags & OBJ_COMPLETED)  ? 1
			                                                       : 0);
		if (mask & OBJ_PROGRESS)
			somo__seq_set_amount(seq, a, (v->flags & OBJ_PROGRESS) != 0, v->progress);
		mask &= (uint16_t) ~(OBJ_COMPL_KNOWN | OBJ_COMPLETED | OBJ_PROGRESS);
	}
	if (mask & OBJ_STATUS)
		mask |= OBJ_SATISFIED;
	if (mask & OBJ_COMPL_KNOWN)
		mask |= OBJ_COMPLETED;
	vals_merge(&o->v, mask, v);
	write_globals(seq, o->def, mask, v);
	/* satisfied by measure: a new measure decides the satisfied status,
	 * which is recorded (and written through the maps) too */
	if (o->def->satisfied_by_measure && (mask & OBJ_MEASURE)) {
		somo__seq_vals sv = o->v;
		sv.flags &= (uint16_t) ~(OBJ_STATUS | OBJ_SATISFIED);
		if (o->v.flags & OBJ_MEASURE) {
			sv.flags |= OBJ_STATUS;
			if (o->v.measure >= o->def->min_normalized_measure)
				sv.flags |= OBJ_SATISFIED;
		}
		vals_merge(&o->v, OBJ_STATUS | OBJ_SATISFIED, &sv);
		write_globals(seq, o->def, OBJ_STATUS | OBJ_SATISFIED, &sv);
	}
}

void somo__seq_set_completion(somo_seq *seq, somo__seq_act *a, int completed)
{
	somo__seq_vals v;

	a->flags &= (uint16_t) ~(ACT_ATT_PROGRESS | ACT_ATT_COMPLETED);
	memset(&v, 0, sizeof(v));
	if (completed >= 0) {
		a->flags |= ACT_ATT_PROGRESS;
		v.flags |= OBJ_COMPL_KNOWN;
		if (completed) {
			a->flags |= ACT_ATT_COMPLETED;
			v.flags |= OBJ_COMPLETED;
		}
	}
	if (a->nobjs)
		write_globals(seq, a->objs[0].def, OBJ_COMPL_KNOWN | OBJ_COMPLETED, &v);
}

void somo__seq_set_amount(somo_seq *seq, somo__seq_act *a, bool known, double amt)
{
	somo__seq_vals v;

	memset(&v, 0, sizeof(v));
	a->flags &= (uint16_t)~ACT_ATT_AMOUNT;
	if (known) {
		a->flags |= ACT_ATT_AMOUNT;
		a->amount = amt;
		v.flags = OBJ_PROGRESS;
		v.progress = amt;
	}
	if (a->nobjs)
		write_globals(seq, a->objs[0].def, OBJ_PROGRESS, &v);
	/* completed by measure: a new progress measure decides the completion
	 * status, which is recorded (and written through the maps) too */
	if (known && a->item && a->item->completion_threshold.written &&
	    a->item->completion_threshold.completed_by_measure)
		somo__seq_set_completion(seq, a,
		                         amt >= a->item->completion_threshold.min_progress_measure);
}

/* Is field f (OBJ_STATUS, OBJ_MEASURE ...) of the objective read from a
 * known global objective? */
bool somo__seq_obj_from_global(const somo_seq *seq, const somo__seq_obj *o, uint16_t f)
{
	return read_global(seq, o->def, f) != NULL;
}

/* Does one of the activity's objectives read a global objective written
 * in the current rollup epoch? */
bool somo__seq_reads_touched(const somo_seq *seq, const somo__seq_act *a)
{
	uint32_t k;
	size_t m;

	for (k = 0; k < a->nobjs; k++)
		for (m = 0; m < a->objs[k].def->map_count; m++) {
			const somo_ss_map_info *mi = a->objs[k].def->maps[m];
			const somo__seq_gobj *g;
			if (!(mi->has_imsss &&
			      (mi->read_satisfied_status || mi->read_normalized_measure)) &&
			    !(mi->has_adlseq &&
			      (mi->read_completion_status || mi->read_progress_measure)))
				continue;
			g = somo__seq_global_find(seq->globals, mi->target_objective_id);
			if (g && g->touched == seq->epoch)
				return true;
		}
	return false;
}

somo__seq_obj *somo__seq_obj_by_id(somo__seq_act *a, const char *id)
{
	char want[256], have[256];
	uint32_t i;

	if (!id)
		return a->nobjs ? &a->objs[0] : NULL;
	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].id && strcmp(a->objs[i].id, id) == 0)
			return &a->objs[i];
	if (!id_normal(id, want, sizeof(want)))
		return NULL;
	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].id && id_normal(a->objs[i].id, have, sizeof(have)) &&
		    strcmp(have, want) == 0)
			return &a->objs[i];
	return NULL;
}

/*
 * Give every objective the id content sees (cmi.objectives.n.id): the
 * manifest's, with %20 escapes and whitespace read as xs:anyURI reads them
 * (ADL's CTS OB-12a finds the objective "ob%20j%201" as "ob j 1").
 */
int somo__seq_normalise_ids(somo_seq *seq)
{
	uint32_t i, k;
	char buf[256];

	for (i = 0; i < seq->nacts; i++) {
		somo__seq_act *a = &seq->acts[i];
		for (k = 0; k < a->nobjs; k++) {
			const char *id = a->objs[k].def->id;
			char *copy, **pool;
			a->objs[k].id = id;
			if (!id || !id_normal(id, buf, sizeof(buf)) || strcmp(buf, id) == 0 ||
			    !*buf)
				continue;
			pool = somo__realloc(seq->idpool, (seq->nidpool + 1) * sizeof(*pool));
			if (!pool)
				return somo__error_oom();
			seq->idpool = pool;
			if (!(copy = somo__strdup(buf)))
				return somo__error_oom();
			seq->idpool[seq->nidpool++] = copy;
			a->objs[k].id = copy;
		}
	}
	return 0;
}
