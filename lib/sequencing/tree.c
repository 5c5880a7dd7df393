/*
 * The activity tree: built from an organization of the manifest, looked up
 * by id, ordered after selection and randomization (SR.1, SR.2).
 */
#include <string.h>

#include "sequencing/seq_internal.h"

static const char *const nav_names[] = {"start",   "resumeAll",  "continue",   "previous",
                                        "choice",  "jump",       "exit",       "exitAll",
                                        "abandon", "abandonAll", "suspendAll", "_none_"};

SOMO_API const char *somo_nav_name(somo_nav_request req)
{
	if ((unsigned)req >= SOMO__ARRAY_SIZE(nav_names))
		return "";
	return nav_names[req];
}

SOMO_API const char *somo_seq_status_name(somo_seq_status st)
{
	switch (st) {
	case SOMO_SEQ_COMPLETED:
		return "completed";
	case SOMO_SEQ_INCOMPLETE:
		return "incomplete";
	case SOMO_SEQ_PASSED:
		return "passed";
	case SOMO_SEQ_FAILED:
		return "failed";
	default:
		return "unknown";
	}
}

SOMO_API int somo_nav_parse(const char *s, somo_nav_request *req, const char **target,
                            size_t *target_len)
{
	const char *t = NULL;
	size_t tl = 0;

	if (!s || !req)
		return somo__error(SOMO_EINVAL, "no navigation request");
	if (strncmp(s, "{target=", 8) == 0) {
		const char *end = strchr(s + 8, '}');
		if (!end || end == s + 8)
			return somo__error(SOMO_EINVAL, "bad navigation request '%s'", s);
		t = s + 8;
		tl = (size_t)(end - t);
		s = end + 1;
		if (strcmp(s, "choice") == 0)
			*req = SOMO_NAV_CHOICE;
		else if (strcmp(s, "jump") == 0)
			*req = SOMO_NAV_JUMP;
		else
			return somo__error(SOMO_EINVAL, "bad navigation request '%s'", s);
	} else {
		size_t i;
		for (i = 0; i < SOMO__ARRAY_SIZE(nav_names); i++)
			if (i != SOMO_NAV_CHOICE && i != SOMO_NAV_JUMP &&
			    strcmp(s, nav_names[i]) == 0)
				break;
		if (i == SOMO__ARRAY_SIZE(nav_names))
			return somo__error(SOMO_EINVAL, "bad navigation request '%s'", s);
		*req = (somo_nav_request)i;
	}
	if (target)
		*target = t;
	if (target_len)
		*target_len = tl;
	return 0;
}

/* ------------------------------------------------------------------------ */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

somo__seq_act *somo__seq_lookup(const somo_seq *seq, const char *id)
{
	uint32_t mask, i;

	if (!id || !seq->hcap)
		return NULL;
	mask = seq->hcap - 1;
	for (i = hash_str(id) & mask; seq->hash[i]; i = (i + 1) & mask) {
		somo__seq_act *a = &seq->acts[seq->hash[i] - 1];
		if (strcmp(a->id, id) == 0)
			return a;
	}
	return NULL;
}

bool somo__seq_is_leaf(const somo__seq_act *a)
{
	return a->nchildren == 0;
}

bool somo__seq_is_ancestor(const somo__seq_act *anc, const somo__seq_act *a)
{
	for (; a; a = a->parent)
		if (a == anc)
			return true;
	return false;
}

somo__seq_act *somo__seq_common_ancestor(somo__seq_act *a, somo__seq_act *b)
{
	somo__seq_act *x;

	if (!a)
		return b;
	if (!b)
		return a;
	while (a->depth > b->depth)
		a = a->parent;
	while (b->depth > a->depth)
		b = b->parent;
	while (a != b) {
		a = a->parent;
		b = b->parent;
	}
	x = a;
	return x;
}

/* Count the activities under an item list (sub-manifests included). */
static int count_items(const somo_manifest_item *const *items, size_t n, uint32_t *count,
                       uint32_t max, int depth)
{
	size_t i;

	if (depth > 128)
		return somo__error(SOMO_ELIMIT, "activity tree deeper than 128");
	for (i = 0; i < n; i++) {
		const somo_manifest_item *it = items[i];
		if (++*count > max)
			return somo__error(SOMO_ELIMIT, "more than %u activities", max);
		if (it->child_count) {
			if (count_items(it->children, it->child_count, count, max, depth + 1) < 0)
				return -1;
		} else if (it->submanifest && it->submanifest->default_org) {
			const somo_manifest_org *o = it->submanifest->default_org;
			if (count_items(o->items, o->item_count, count, max, depth + 1) < 0)
				return -1;
		}
	}
	return 0;
}

typedef struct {
	somo_seq *seq;
	uint32_t next_act;
	size_t next_ptr;
	size_t next_obj;
} build_ctx;

static void init_act(build_ctx *c, somo__seq_act *a, const somo_ss_sequencing *ss)
{
	uint32_t k;

	a->ss = ss;
	a->flags = ACT_AVAILABLE;
	a->nobjs = (uint32_t)ss->objective_count;
	if (a->nobjs == 0)
		a->nobjs = 0;
	a->objs = c->seq->objstore + c->next_obj;
	c->next_obj += a->nobjs;
	for (k = 0; k < a->nobjs; k++)
		a->objs[k].def = ss->objectives[k];
}

static uint32_t add_items(build_ctx *c, somo__seq_act *parent,
                          const somo_manifest_item *const *items, size_t n)
{
	size_t i;
	somo__seq_act **kids = c->seq->ptrs + c->next_ptr;
	somo__seq_act **avail = c->seq->ptrs + c->next_ptr + n;

	c->next_ptr += 2 * n;
	parent->children = kids;
	parent->avail = avail;
	parent->nchildren = parent->navail = (uint32_t)n;
	for (i = 0; i < n; i++) {
		const somo_manifest_item *it = items[i];
		somo__seq_act *a = &c->seq->acts[c->next_act];
		a->index = c->next_act++;
		a->id = it->identifier;
		a->title = it->title ? it->title : "";
		a->item = it;
		a->parent = parent;
		a->depth = (uint16_t)(parent->depth + 1);
		init_act(c, a, it->sequencing);
		kids[i] = avail[i] = a;
		if (it->child_count)
			add_items(c, a, it->children, it->child_count);
		else if (it->submanifest && it->submanifest->default_org)
			add_items(c, a, it->submanifest->default_org->items,
			          it->submanifest->default_org->item_count);
	}
	return (uint32_t)n;
}

/* Numbers of pointers and objectives needed. */
static void count_storage(const somo_manifest_item *const *items, size_t n, size_t *ptrs,
                          size_t *objs)
{
	size_t i;
	*ptrs += 2 * n;
	for (i = 0; i < n; i++) {
		*objs += items[i]->sequencing->objective_count;
		if (items[i]->child_count)
			count_storage(items[i]->children, items[i]->child_count, ptrs, objs);
		else if (items[i]->submanifest && items[i]->submanifest->default_org)
			count_storage(items[i]->submanifest->default_org->items,
			              items[i]->submanifest->default_org->item_count, ptrs, objs);
	}
}

static void order_walk(somo_seq *seq, somo__seq_act *a)
{
	uint32_t i;
	a->order = seq->norder;
	seq->byorder[seq->norder++] = a;
	for (i = 0; i < a->navail; i++) {
		a->avail[i]->pos = i;
		order_walk(seq, a->avail[i]);
	}
	a->last = seq->norder - 1;
}

/* Recompute the available preorder after selection or randomization. */
void somo__seq_reorder(somo_seq *seq)
{
	uint32_t i;
	for (i = 0; i < seq->nacts; i++)
		seq->acts[i].order = UINT32_MAX;
	seq->norder = 0;
	order_walk(seq, &seq->acts[0]);
}

/* splitmix64: small, fast and good enough for selection and shuffling. */
static uint64_t rng_next(somo_seq *seq)
{
	uint64_t z = (seq->rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t rng_below(somo_seq *seq, uint32_t n)
{
	return (uint32_t)(rng_next(seq) % n);
}

static void mark_available(somo__seq_act *a)
{
	uint32_t i;
	for (i = 0; i < a->nchildren; i++)
		a->children[i]->flags &= (uint16_t)~ACT_AVAILABLE;
	for (i = 0; i < a->navail; i++)
		a->avail[i]->flags |= ACT_AVAILABLE;
}

/*
 * SR.1 Select Children Process and SR.2 Randomize Children Process for one
 * cluster. new_attempt is false when the tree is built (timing "once" and
 * the first attempt's "onEachNewAttempt"), true when the cluster's attempt
 * ended and the next one is to get a fresh selection and order.
 */
void somo__seq_select_randomize(somo_seq *seq, somo__seq_act *a, bool new_attempt)
{
	const somo_ss_randomization *r = &a->ss->randomization;
	bool changed = false;
	uint32_t i;

	if (!a->nchildren || (a->flags & (ACT_ACTIVE | ACT_SUSPENDED)))
		return;
	/* SR.1 */
	if (r->has_select_count && r->select_count > 0 && r->select_count < a->nchildren &&
	    ((r->selection_timing == SOMO_SS_TIMING_ONCE && !new_attempt &&
	      !(a->flags & ACT_PROGRESS)) ||
	     r->selection_timing == SOMO_SS_TIMING_ON_EACH_NEW_ATTEMPT)) {
		/* choose select_count children, keeping the manifest order */
		uint32_t need = r->select_count, left = a->nchildren, k = 0;
		for (i = 0; i < a->nchildren && need; i++, left--) {
			if (rng_below(seq, left) < need) {
				a->avail[k++] = a->children[i];
				need--;
			}
		}
		a->navail = k;
		changed = true;
	}
	/* SR.2 */
	if (r->reorder_children && a->navail > 1 &&
	    ((r->randomization_timing == SOMO_SS_TIMING_ONCE && !new_attempt &&
	      !(a->flags & ACT_PROGRESS)) ||
	     r->randomization_timing == SOMO_SS_TIMING_ON_EACH_NEW_ATTEMPT)) {
		for (i = a->navail - 1; i > 0; i--) {
			uint32_t j = rng_below(seq, i + 1);
			somo__seq_act *t = a->avail[i];
			a->avail[i] = a->avail[j];
			a->avail[j] = t;
		}
		changed = true;
	}
	if (changed) {
		mark_available(a);
		if (new_attempt)
			somo__seq_reorder(seq);
	}
}

/* Does one of the activity's objectives read a global objective? */
static bool reads_globals(const somo__seq_act *a)
{
	uint32_t k;
	size_t m;

	for (k = 0; k < a->nobjs; k++)
		for (m = 0; m < a->objs[k].def->map_count; m++) {
			const somo_ss_map_info *mi = a->objs[k].def->maps[m];
			if ((mi->has_imsss &&
			     (mi->read_satisfied_status || mi->read_normalized_measure)) ||
			    (mi->has_adlseq && (mi->read_completion_status ||
			                        mi->read_progress_measure || mi->read_raw_score)))
				return true;
		}
	return false;
}

SOMO_API int somo_seq_new(somo_seq **out, const somo_manifest *man, const char *org_id,
                          const somo_seq_opts *opts)
{
	somo_seq *seq;
	const somo_manifest_org *org = NULL;
	uint32_t n = 1, i;
	size_t nptr = 0, nobj, hcap;
	build_ctx c;

	if (!out || !man)
		return somo__error(SOMO_EINVAL, "no handle or manifest");
	*out = NULL;
	if (opts && opts->version != SOMO_SEQ_OPTS_VERSION)
		return somo__error(SOMO_EINVAL, "unknown sequencing options version %u",
		                   opts->version);
	if (org_id) {
		for (i = 0; i < somo_manifest_org_count(man); i++)
			if (strcmp(somo_manifest_org_at(man, i)->identifier, org_id) == 0)
				org = somo_manifest_org_at(man, i);
	} else {
		org = somo_manifest_default_org(man);
	}
	if (!org)
		return somo__error(SOMO_ENOTFOUND, org_id ? "no organization '%s'" : "%s",
		                   org_id ? org_id : "the manifest has no organization");
	if (count_items(org->items, org->item_count, &n,
	                opts && opts->max_activities ? opts->max_activities : 1000000u, 0) < 0)
		return somo_error_last()->code;

	seq = somo__calloc(1, sizeof(*seq));
	if (!seq)
		return somo__error_oom();
	seq->man = man;
	seq->org = org;
	seq->nacts = n;
	nobj = org->sequencing->objective_count;
	count_storage(org->items, org->item_count, &nptr, &nobj);
	for (hcap = 16; hcap < (size_t)n * 2; hcap <<= 1)
		;
	seq->hcap = (uint32_t)hcap;
	seq->acts = somo__calloc(n, sizeof(*seq->acts));
	seq->ptrs = somo__calloc(nptr ? nptr : 1, sizeof(*seq->ptrs));
	seq->byorder = somo__calloc(n, sizeof(*seq->byorder));
	seq->objstore = somo__calloc(nobj ? nobj : 1, sizeof(*seq->objstore));
	seq->hash = somo__calloc(hcap, sizeof(*seq->hash));
	if (opts && opts->globals) {
		seq->globals = opts->globals;
	} else {
		seq->globals = somo__calloc(1, sizeof(*seq->globals));
		seq->own_globals = true;
	}
	if (!seq->acts || !seq->ptrs || !seq->byorder || !seq->objstore || !seq->hash ||
	    !seq->globals) {
		somo_seq_free(seq);
		return somo__error_oom();
	}
	seq->rng = opts && opts->seed ? opts->seed : 1;
	seq->epoch = 1; /* global objectives start untouched (0) */

	memset(&c, 0, sizeof(c));
	c.seq = seq;
	seq->acts[0].id = org->identifier;
	seq->acts[0].title = org->title ? org->title : "";
	seq->acts[0].index = 0;
	c.next_act = 1;
	init_act(&c, &seq->acts[0], org->sequencing);
	add_items(&c, &seq->acts[0], org->items, org->item_count);

	for (i = 0; i < n; i++) {
		uint32_t mask = seq->hcap - 1, h = hash_str(seq->acts[i].id) & mask;
		bool dup = false;
		for (; seq->hash[h]; h = (h + 1) & mask)
			if (strcmp(seq->acts[seq->hash[h] - 1].id, seq->acts[i].id) == 0)
				dup = true;
		if (!dup) /* the first of duplicate identifiers wins */
			seq->hash[h] = i + 1;
	}
	if (somo__seq_normalise_ids(seq) < 0) {
		somo_seq_free(seq);
		return SOMO_ENOMEM;
	}
	/* activities with read maps, and the leaves */
	for (i = 0; i < n; i++) {
		if (!seq->acts[i].nchildren)
			seq->nleaves++;
		if (reads_globals(&seq->acts[i]))
			seq->nreaders++;
	}
	seq->readers = somo__calloc(seq->nreaders ? seq->nreaders : 1, sizeof(*seq->readers));
	if (!seq->readers) {
		somo_seq_free(seq);
		return somo__error_oom();
	}
	seq->nreaders = 0;
	for (i = 0; i < n; i++) {
		if (reads_globals(&seq->acts[i]))
			seq->readers[seq->nreaders++] = &seq->acts[i];
	}
	for (i = 0; i < n; i++)
		somo__seq_select_randomize(seq, &seq->acts[i], false);
	somo__seq_reorder(seq);
	*out = seq;
	return 0;
}

SOMO_API void somo_seq_free(somo_seq *seq)
{
	if (!seq)
		return;
	if (seq->own_globals)
		somo_seq_globals_free(seq->globals);
	somo__free(seq->acts);
	somo__free(seq->ptrs);
	somo__free(seq->byorder);
	somo__free(seq->objstore);
	somo__free(seq->hash);
	somo__free(seq->readers);
	while (seq->nidpool)
		somo__free(seq->idpool[--seq->nidpool]);
	somo__free(seq->idpool);
	somo__free(seq);
}
