/*
 * What hosts read and write between requests: the delivered activity and
 * its objectives, the content's report, request validity, the table of
 * contents and the course status. Queries never change the state.
 */
#include <math.h>
#include <string.h>

#include "sequencing/seq_internal.h"

SOMO_API const char *somo_seq_current_id(const somo_seq *seq)
{
	return seq && seq->current ? seq->current->id : NULL;
}

SOMO_API int somo_seq_current(const somo_seq *seq, somo_seq_delivery *out)
{
	const somo__seq_act *a;

	if (!seq || !out)
		return somo__error(SOMO_EINVAL, "no handle");
	memset(out, 0, sizeof(*out));
	if (!(a = seq->current))
		return somo__error(SOMO_ENOTFOUND, "no current activity");
	out->id = a->id;
	out->title = a->title;
	out->item = a->item;
	out->active = (a->flags & ACT_ACTIVE) != 0;
	out->entry = (a->flags & ACT_RESUMED) ? SOMO_SEQ_ENTRY_RESUME : SOMO_SEQ_ENTRY_AB_INITIO;
	out->attempt_count = a->attempt_count;
	out->tracked = a->ss->delivery.tracked;
	out->completion_set_by_content = a->ss->delivery.completion_set_by_content;
	out->objective_set_by_content = a->ss->delivery.objective_set_by_content;
	if (a->item && a->item->completion_threshold.written &&
	    a->item->completion_threshold.completed_by_measure) {
		out->has_completion_threshold = true;
		out->completion_threshold = a->item->completion_threshold.min_progress_measure;
	}
	if (a->nobjs && a->objs[0].def->satisfied_by_measure) {
		out->has_scaled_passing_score = true;
		out->scaled_passing_score = a->objs[0].def->min_normalized_measure;
	}
	if (a->item) {
		out->time_limit_action = a->item->time_limit_action;
		out->hide_lms_ui = a->item->hide_lms_ui;
		out->data_from_lms = a->item->data_from_lms;
	}
	out->attempt_duration_limit = a->ss->limits.attempt_absolute_duration_limit;
	return 0;
}

SOMO_API size_t somo_seq_objective_count(const somo_seq *seq)
{
	return seq && seq->current ? seq->current->nobjs : 0;
}

SOMO_API int somo_seq_objective_at(const somo_seq *seq, size_t i, somo_seq_objective_values *out)
{
	const somo__seq_act *a;
	somo__seq_vals v;

	if (!seq || !out || !(a = seq->current) || i >= a->nobjs)
		return somo__error(SOMO_ENOTFOUND, "no objective %zu", i);
	somo__seq_obj_effective(seq, a, &a->objs[i], &v);
	somo__seq_vals_out(a->objs[i].id, &v, out);
	return 0;
}

SOMO_API int somo_seq_report(somo_seq *seq, const somo_seq_report_data *r)
{
	somo__seq_act *a;
	somo__seq_vals v;
	uint16_t mask;
	size_t i;
	somo_seq_objective_values prim;

	if (!seq || !r || r->version != SOMO_SEQ_REPORT_VERSION)
		return somo__error(SOMO_EINVAL, "no handle or report, or unknown report version");
	if (!(a = seq->current) || !(a->flags & ACT_ACTIVE))
		return somo__error(SOMO_ESTATE, "no activity is running");
	/* check everything before changing anything */
	for (i = 0; i < r->objective_count; i++)
		if (!r->objectives || somo__seq_vals_in(&r->objectives[i], &v, &mask) < 0)
			return somo__error(SOMO_EINVAL, "bad values for objective %zu", i);
	memset(&prim, 0, sizeof(prim));
	prim.success = r->success;
	prim.completion = r->completion;
	prim.has_scaled = r->has_scaled;
	prim.scaled = r->scaled;
	prim.has_raw = r->has_raw;
	prim.raw = r->raw;
	prim.has_min = r->has_min;
	prim.min = r->min;
	prim.has_max = r->has_max;
	prim.max = r->max;
	prim.has_progress = r->has_progress;
	prim.progress = r->progress;
	if (somo__seq_vals_in(&prim, &v, &mask) < 0)
		return SOMO_EINVAL;
	if (isnan(r->session_seconds) || r->session_seconds == INFINITY)
		return somo__error(SOMO_EINVAL, "bad session time");

	if (r->session_seconds >= 0) {
		double c = r->session_seconds * 100.0;
		int64_t centis = c > 9.0e15 ? (int64_t)9.0e15 : (int64_t)c;
		a->att_exp += centis;
		a->act_exp += centis;
		a->att_abs += centis;
		a->act_abs += centis;
	}
	if (r->completion != SOMO_SEQ_KEEP)
		a->flags |= ACT_COMPL_BY_CONTENT;
	if (r->success != SOMO_SEQ_KEEP)
		a->flags |= ACT_SUCC_BY_CONTENT;
	if (r->suspend)
		a->flags |= ACT_REPORT_SUSPEND;
	else
		a->flags &= (uint16_t)~ACT_REPORT_SUSPEND;
	if (!a->ss->delivery.tracked)
		return 0;
	for (i = 0; i < r->objective_count; i++) {
		somo__seq_obj *o;
		somo__seq_vals ov;
		uint16_t om;
		if (!r->objectives[i].id || !(o = somo__seq_obj_by_id(a, r->objectives[i].id)))
			continue;
		somo__seq_vals_in(&r->objectives[i], &ov, &om);
		if (o == &a->objs[0]) { /* the primary objective, written by id */
			if (r->objectives[i].success != SOMO_SEQ_KEEP)
				a->flags |= ACT_SUCC_BY_CONTENT;
			if (r->objectives[i].completion != SOMO_SEQ_KEEP)
				a->flags |= ACT_COMPL_BY_CONTENT;
		}
		somo__seq_obj_write(seq, a, o, om, &ov);
	}
	if (a->nobjs) {
		/* by measure, the measures decide: a status reported next to a
		 * known measure (in SCORM, one the run-time evaluated against the
		 * threshold it was given) does not undo what the measure gives */
		bool amount = (mask & OBJ_PROGRESS) ? (v.flags & OBJ_PROGRESS) != 0
		                                    : (a->flags & ACT_ATT_AMOUNT) != 0;
		bool measure = (mask & OBJ_MEASURE) ? (v.flags & OBJ_MEASURE) != 0
		                                    : (a->objs[0].v.flags & OBJ_MEASURE) != 0;
		if (amount && a->item && a->item->completion_threshold.written &&
		    a->item->completion_threshold.completed_by_measure)
			mask &= (uint16_t) ~(OBJ_COMPL_KNOWN | OBJ_COMPLETED);
		if (measure && a->objs[0].def->satisfied_by_measure)
			mask &= (uint16_t) ~(OBJ_STATUS | OBJ_SATISFIED);
		somo__seq_obj_write(seq, a, &a->objs[0], mask, &v);
	}
	somo__seq_rollup(seq, a);
	return 0;
}

/* ------------------------------------------------------------------------ */

SOMO_API bool somo_seq_request_valid(const somo_seq *cseq, somo_nav_request req, const char *target)
{
	/* the dry run below never writes: the cast only lets it share code */
	somo_seq *seq = (somo_seq *)cseq;
	somo__seq_act *tgt = NULL;
	int term, seqreq;
	const char *exc;
	somo__seq_out so;

	if (!seq)
		return false;
	if (req == SOMO_NAV_CHOICE || req == SOMO_NAV_JUMP) {
		tgt = somo__seq_lookup(seq, target);
		if (!tgt)
			return false;
	}
	if (!somo__seq_nav_check(seq, req, tgt, &term, &seqreq, &exc))
		return false;
	switch (req) {
	case SOMO_NAV_CONTINUE:
		/* continue is offered whenever the current activity's cluster
		 * flows (what it then finds is not looked ahead, as in ADL's
		 * reference): the Navigation Request Process decides */
		return true;
	case SOMO_NAV_START:
	case SOMO_NAV_RESUME_ALL:
	case SOMO_NAV_PREVIOUS:
	case SOMO_NAV_CHOICE:
	case SOMO_NAV_JUMP:
		somo__seq_sequencing(seq, seqreq, tgt, true, &so);
		if (so.end_session)
			return false;
		if (so.exception || !so.deliver)
			return false;
		return somo__seq_delivery_check(seq, so.deliver) == NULL;
	case SOMO_NAV_SUSPEND_ALL:
		/* TB.2.3: something must be suspendable */
		return (seq->current->flags & (ACT_ACTIVE | ACT_SUSPENDED)) ||
		       seq->current->parent != NULL;
	default:
		return true;
	}
}

SOMO_API void somo_seq_nav_valid(const somo_seq *seq, somo_seq_nav_state *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!seq)
		return;
	out->start = somo_seq_request_valid(seq, SOMO_NAV_START, NULL);
	out->resume_all = somo_seq_request_valid(seq, SOMO_NAV_RESUME_ALL, NULL);
	out->continue_ = somo_seq_request_valid(seq, SOMO_NAV_CONTINUE, NULL);
	out->previous = somo_seq_request_valid(seq, SOMO_NAV_PREVIOUS, NULL);
	out->exit = somo_seq_request_valid(seq, SOMO_NAV_EXIT, NULL);
	out->exit_all = somo_seq_request_valid(seq, SOMO_NAV_EXIT_ALL, NULL);
	out->abandon = somo_seq_request_valid(seq, SOMO_NAV_ABANDON, NULL);
	out->abandon_all = somo_seq_request_valid(seq, SOMO_NAV_ABANDON_ALL, NULL);
	out->suspend_all = somo_seq_request_valid(seq, SOMO_NAV_SUSPEND_ALL, NULL);
}

SOMO_API size_t somo_seq_activity_count(const somo_seq *seq)
{
	return seq ? seq->nacts : 0;
}

SOMO_API int somo_seq_find(const somo_seq *seq, const char *id, size_t *index)
{
	somo__seq_act *a;
	uint32_t i, k;

	if (!seq || !id || !(a = somo__seq_lookup(seq, id)))
		return somo__error(SOMO_ENOTFOUND, "no activity '%s'", id ? id : "");
	if (index) {
		if (a->order != UINT32_MAX) {
			*index = a->order;
		} else { /* unselected activities follow the tree, in manifest order */
			k = seq->norder;
			for (i = 0; i < seq->nacts; i++) {
				if (seq->acts[i].order != UINT32_MAX)
					continue;
				if (&seq->acts[i] == a)
					break;
				k++;
			}
			*index = k;
		}
	}
	return 0;
}

static const somo__seq_act *act_at(const somo_seq *seq, size_t i)
{
	size_t k;
	if (i < seq->norder)
		return seq->byorder[i];
	k = seq->norder;
	for (size_t j = 0; j < seq->nacts; j++) {
		if (seq->acts[j].order != UINT32_MAX)
			continue;
		if (k++ == i)
			return &seq->acts[j];
	}
	return NULL;
}

static somo_seq_status completion_of(const somo_seq *seq, const somo__seq_act *a)
{
	int c = somo__seq_completion(seq, a);
	return c < 0 ? SOMO_SEQ_UNKNOWN : c ? SOMO_SEQ_COMPLETED : SOMO_SEQ_INCOMPLETE;
}

static somo_seq_status success_of(const somo_seq *seq, const somo__seq_act *a)
{
	int s = a->nobjs ? somo__seq_obj_status(seq, a, &a->objs[0]) : -1;
	return s < 0 ? SOMO_SEQ_UNKNOWN : s ? SOMO_SEQ_PASSED : SOMO_SEQ_FAILED;
}

SOMO_API int somo_seq_toc_at(const somo_seq *seq, size_t i, somo_seq_toc_entry *out)
{
	const somo__seq_act *a;

	if (!seq || !out || i >= seq->nacts || !(a = act_at(seq, i)))
		return somo__error(SOMO_ENOTFOUND, "no activity %zu", i);
	memset(out, 0, sizeof(*out));
	out->id = a->id;
	out->title = a->title;
	out->depth = a->depth;
	out->parent = a->parent ? a->parent->id : NULL;
	out->is_leaf = somo__seq_is_leaf(a);
	out->isvisible = a->item ? a->item->isvisible : true;
	out->hidden_from_choice = somo__seq_rule_applies(seq, a, SOMO_SS_ACTION_HIDDEN_FROM_CHOICE);
	out->visible = out->isvisible && !out->hidden_from_choice && a->order != UINT32_MAX;
	/* what a hidden cluster holds is hidden with it */
	for (const somo__seq_act *x = a->parent; x && out->visible; x = x->parent)
		if (somo__seq_rule_applies(seq, x, SOMO_SS_ACTION_HIDDEN_FROM_CHOICE))
			out->visible = false;
	out->disabled = somo__seq_rule_applies(seq, a, SOMO_SS_ACTION_DISABLED);
	out->limit_exceeded = somo__seq_limit_exceeded(seq, a);
	out->available = a->order != UINT32_MAX;
	out->choosable = out->available && somo_seq_request_valid(seq, SOMO_NAV_CHOICE, a->id);
	out->active = (a->flags & ACT_ACTIVE) != 0;
	out->suspended = (a->flags & ACT_SUSPENDED) != 0;
	out->current = a == seq->current;
	out->attempt_count = a->attempt_count;
	out->completion = completion_of(seq, a);
	out->success = success_of(seq, a);
	out->has_measure = a->nobjs && somo__seq_obj_measure(seq, a, &a->objs[0], &out->measure);
	return 0;
}

SOMO_API void somo_seq_course(const somo_seq *seq, somo_seq_course_status *out)
{
	const somo__seq_act *root;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!seq)
		return;
	root = &seq->acts[0];
	out->completion = completion_of(seq, root);
	out->success = success_of(seq, root);
	out->has_measure =
	    root->nobjs && somo__seq_obj_measure(seq, root, &root->objs[0], &out->measure);
	out->has_progress = somo__seq_amount(seq, root, &out->progress);
	out->attempt_count = root->attempt_count;
	out->suspended = seq->suspended != NULL;
	out->ended = seq->current == NULL;
}
