/*
 * Rollup (SN book RB.1.x): measure and completion measure rollup, objective
 * and activity progress rollup by measure, by rules and by the default
 * rules, the Rollup Rule Check with its subprocesses, and Overall Rollup.
 */
#include <string.h>

#include "sequencing/seq_internal.h"

/* A child's values as its parent's rollup sees them: unknown when they are
 * from an attempt made before the parent's current attempt and the parent
 * uses current attempt information only (values read from global objectives
 * are always current). */
static int child_status(const somo_seq *seq, const somo__seq_act *p, const somo__seq_act *c)
{
	if (!c->nobjs)
		return -1;
	if (p->ss->control_mode.use_current_attempt_objective_info && (c->flags & ACT_DIRTY_OBJ) &&
	    !somo__seq_obj_from_global(seq, &c->objs[0], OBJ_STATUS))
		return -1;
	return somo__seq_obj_status(seq, c, &c->objs[0]);
}

static bool child_measure(const somo_seq *seq, const somo__seq_act *p, const somo__seq_act *c,
                          double *m)
{
	if (!c->nobjs)
		return false;
	if (p->ss->control_mode.use_current_attempt_objective_info && (c->flags & ACT_DIRTY_OBJ) &&
	    !somo__seq_obj_from_global(seq, &c->objs[0], OBJ_MEASURE))
		return false;
	return somo__seq_obj_measure(seq, c, &c->objs[0], m);
}

static int child_completion(const somo_seq *seq, const somo__seq_act *p, const somo__seq_act *c)
{
	if (p->ss->control_mode.use_current_attempt_progress_info && (c->flags & ACT_DIRTY_PRO) &&
	    !(c->nobjs && somo__seq_obj_from_global(seq, &c->objs[0], OBJ_COMPL_KNOWN)))
		return -1;
	return somo__seq_completion(seq, c);
}

static bool child_amount(const somo_seq *seq, const somo__seq_act *p, const somo__seq_act *c,
                         double *amt)
{
	if (p->ss->control_mode.use_current_attempt_progress_info && (c->flags & ACT_DIRTY_PRO) &&
	    !(c->nobjs && somo__seq_obj_from_global(seq, &c->objs[0], OBJ_PROGRESS)))
		return false;
	return somo__seq_amount(seq, c, amt);
}

static void set_status(somo_seq *seq, somo__seq_act *a, int st)
{
	somo__seq_vals v;

	if (!a->nobjs)
		return;
	memset(&v, 0, sizeof(v));
	if (st >= 0)
		v.flags = (uint16_t)(OBJ_STATUS | (st ? OBJ_SATISFIED : 0));
	somo__seq_obj_write(seq, a, &a->objs[0], OBJ_STATUS, &v);
}

/* RB.1.1 Measure Rollup Process. */
static void measure_rollup(somo_seq *seq, somo__seq_act *a)
{
	double total = 0, counted = 0, m;
	bool valid = false;
	uint32_t i;
	somo__seq_vals v;

	if (!a->nobjs)
		return;
	for (i = 0; i < a->navail; i++) {
		const somo__seq_act *c = a->avail[i];
		double w = c->ss->rollup.objective_measure_weight;
		if (!c->ss->delivery.tracked)
			continue;
		counted += w;
		if (child_measure(seq, a, c, &m)) {
			total += m * w;
			valid = true;
		}
	}
	memset(&v, 0, sizeof(v));
	if (valid && counted > 0) {
		v.flags = OBJ_MEASURE;
		v.measure = total / counted;
	}
	somo__seq_obj_write(seq, a, &a->objs[0], OBJ_MEASURE, &v);
}

/* RB.1.1b Completion Measure Rollup Process. */
static void completion_measure_rollup(somo_seq *seq, somo__seq_act *a)
{
	double total = 0, counted = 0, amt;
	bool valid = false;
	uint32_t i;

	for (i = 0; i < a->navail; i++) {
		const somo__seq_act *c = a->avail[i];
		double w = c->item ? c->item->completion_threshold.progress_weight : 1.0;
		if (!c->ss->delivery.tracked)
			continue;
		counted += w;
		if (child_amount(seq, a, c, &amt)) {
			total += amt * w;
			valid = true;
		}
	}
	somo__seq_set_amount(seq, a, valid && counted > 0,
	                     valid && counted > 0 ? total / counted : 0);
}

/* RB.1.2a Objective Rollup Using Measure Process. */
static void objective_rollup_measure(somo_seq *seq, somo__seq_act *a)
{
	const somo__seq_obj *o = &a->objs[0];
	double m;

	if (!somo__seq_obj_measure(seq, a, o, &m)) {
		set_status(seq, a, -1);
		return;
	}
	if (!(a->flags & ACT_ACTIVE) || a->ss->rollup_considerations.measure_satisfaction_if_active)
		set_status(seq, a, m >= o->def->min_normalized_measure);
	else
		set_status(seq, a, -1);
}

/* RB.1.4.2 Check Child for Rollup Subprocess. */
static bool child_counts(const somo_seq *seq, const somo__seq_act *c, somo_ss_rollup_action act)
{
	const somo_ss_rollup_considerations *rc = &c->ss->rollup_considerations;
	somo_ss_required req;

	if (act == SOMO_SS_ROLLUP_SATISFIED || act == SOMO_SS_ROLLUP_NOT_SATISFIED) {
		if (!c->ss->rollup.rollup_objective_satisfied)
			return false;
		req = act == SOMO_SS_ROLLUP_SATISFIED ? rc->required_for_satisfied
		                                      : rc->required_for_not_satisfied;
	} else {
		if (!c->ss->rollup.rollup_progress_completion)
			return false;
		req = act == SOMO_SS_ROLLUP_COMPLETED ? rc->required_for_completed
		                                      : rc->required_for_incomplete;
	}
	switch (req) {
	case SOMO_SS_REQUIRED_IF_NOT_SUSPENDED:
		if (!(c->flags & ACT_PROGRESS) ||
		    (c->attempt_count > 0 && (c->flags & ACT_SUSPENDED)))
			return false;
		break;
	case SOMO_SS_REQUIRED_IF_ATTEMPTED:
		if (!(c->flags & ACT_PROGRESS) || c->attempt_count == 0)
			return false;
		break;
	case SOMO_SS_REQUIRED_IF_NOT_SKIPPED:
		if (somo__seq_rule_applies(seq, c, SOMO_SS_ACTION_SKIP))
			return false;
		break;
	default:
		break;
	}
	return true;
}

/* RB.1.4.1 Evaluate Rollup Conditions Subprocess (three-valued). */
static int rollup_conditions(const somo_seq *seq, const somo__seq_act *p, const somo__seq_act *c,
                             const somo_ss_rollup_rule *r)
{
	size_t i;
	int acc = r->combination == SOMO_SS_COMBINE_ALL ? 1 : 0;
	double m;

	if (!r->condition_count)
		return -1;
	for (i = 0; i < r->condition_count; i++) {
		const somo_ss_condition *cd = r->conditions[i];
		int v = -1;
		switch (cd->condition) {
		case SOMO_SS_COND_SATISFIED:
			v = child_status(seq, p, c);
			break;
		case SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN:
			v = child_status(seq, p, c) >= 0;
			break;
		case SOMO_SS_COND_OBJECTIVE_MEASURE_KNOWN:
			v = child_measure(seq, p, c, &m);
			break;
		case SOMO_SS_COND_COMPLETED:
			v = child_completion(seq, p, c);
			break;
		case SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN:
			v = child_completion(seq, p, c) >= 0;
			break;
		case SOMO_SS_COND_ATTEMPTED:
		case SOMO_SS_COND_ATTEMPT_LIMIT_EXCEEDED:
		case SOMO_SS_COND_TIME_LIMIT_EXCEEDED:
		case SOMO_SS_COND_OUTSIDE_AVAILABLE_TIME_RANGE:
			v = somo__seq_progress_cond(c, cd->condition);
			break;
		case SOMO_SS_COND_ALWAYS:
			v = 1;
			break;
		default:
			v = -1;
			break;
		}
		if (cd->op == SOMO_SS_OP_NOT && v >= 0)
			v = !v;
		if (r->combination == SOMO_SS_COMBINE_ALL) {
			if (v == 0)
				return 0;
			if (v < 0)
				acc = -1;
		} else {
			if (v == 1)
				return 1;
			if (v < 0)
				acc = -1;
		}
	}
	return acc;
}

/* RB.1.4 Rollup Rule Check Subprocess for one rule. */
static bool rule_fires(const somo_seq *seq, const somo__seq_act *a, const somo_ss_rollup_rule *r)
{
	uint32_t i, n = 0, ntrue = 0, nfalse = 0;

	for (i = 0; i < a->navail; i++) {
		const somo__seq_act *c = a->avail[i];
		int v;
		if (!c->ss->delivery.tracked || !child_counts(seq, c, r->action))
			continue;
		v = rollup_conditions(seq, a, c, r);
		n++;
		if (v == 1)
			ntrue++;
		else if (v == 0)
			nfalse++;
	}
	/* with no contributing child, "all" and "none" hold (as in ADL's
	 * reference: CTS RU-15b/c expect an "all satisfied" rule to fire when
	 * every child is excluded by its rollup considerations) */
	switch (r->child_activity_set) {
	case SOMO_SS_CHILDREN_ALL:
		return ntrue == n;
	case SOMO_SS_CHILDREN_ANY:
		return ntrue > 0;
	case SOMO_SS_CHILDREN_NONE:
		return nfalse == n;
	case SOMO_SS_CHILDREN_AT_LEAST_COUNT:
		return ntrue >= r->minimum_count;
	case SOMO_SS_CHILDREN_AT_LEAST_PERCENT:
		return n > 0 && (double)ntrue / (double)n >= r->minimum_percent - 1e-9;
	}
	return false;
}

/* The default rules of the SN book (used when an activity has no rollup
 * rule for the pair of actions): all satisfied -> satisfied, all status
 * known -> not satisfied, all completed -> completed, all progress known ->
 * incomplete. */
static const somo_ss_condition cond_satisfied = {SOMO_SS_COND_SATISFIED, SOMO_SS_OP_NOOP, NULL, 0,
                                                 0};
static const somo_ss_condition cond_known = {SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN, SOMO_SS_OP_NOOP,
                                             NULL, 0, 0};
static const somo_ss_condition cond_completed = {SOMO_SS_COND_COMPLETED, SOMO_SS_OP_NOOP, NULL, 0,
                                                 0};
static const somo_ss_condition cond_pknown = {SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN, SOMO_SS_OP_NOOP,
                                              NULL, 0, 0};
static const somo_ss_condition *const c_sat[] = {&cond_satisfied};
static const somo_ss_condition *const c_known[] = {&cond_known};
static const somo_ss_condition *const c_comp[] = {&cond_completed};
static const somo_ss_condition *const c_pknown[] = {&cond_pknown};
static const somo_ss_rollup_rule default_rules[4] = {
    {SOMO_SS_CHILDREN_ALL, 0, 0, SOMO_SS_COMBINE_ANY, c_sat, 1, SOMO_SS_ROLLUP_SATISFIED, 0},
    {SOMO_SS_CHILDREN_ALL, 0, 0, SOMO_SS_COMBINE_ANY, c_known, 1, SOMO_SS_ROLLUP_NOT_SATISFIED, 0},
    {SOMO_SS_CHILDREN_ALL, 0, 0, SOMO_SS_COMBINE_ANY, c_comp, 1, SOMO_SS_ROLLUP_COMPLETED, 0},
    {SOMO_SS_CHILDREN_ALL, 0, 0, SOMO_SS_COMBINE_ANY, c_pknown, 1, SOMO_SS_ROLLUP_INCOMPLETE, 0}};

/* Does the activity have rules for action a or b? */
static bool has_rules(const somo__seq_act *a, somo_ss_rollup_action x, somo_ss_rollup_action y)
{
	size_t i;
	for (i = 0; i < a->ss->rollup.rule_count; i++)
		if (a->ss->rollup.rules[i]->action == x || a->ss->rollup.rules[i]->action == y)
			return true;
	return false;
}

/* RB.1.4 Rollup Rule Check Subprocess: does any rule with this action fire. */
static bool rollup_rule_check(const somo_seq *seq, const somo__seq_act *a,
                              somo_ss_rollup_action act, bool use_defaults)
{
	size_t i;
	if (use_defaults)
		return rule_fires(seq, a, &default_rules[act]);
	for (i = 0; i < a->ss->rollup.rule_count; i++)
		if (a->ss->rollup.rules[i]->action == act &&
		    rule_fires(seq, a, a->ss->rollup.rules[i]))
			return true;
	return false;
}

/*
 * RB.1.2b Objective Rollup Using Rules Process, and RB.1.2c Objective Rollup
 * Using Default Process when the activity defines no satisfaction rules.
 * When no rule fires the status is left as it is.
 */
static void objective_rollup_rules(somo_seq *seq, somo__seq_act *a)
{
	bool defaults = !has_rules(a, SOMO_SS_ROLLUP_SATISFIED, SOMO_SS_ROLLUP_NOT_SATISFIED);
	int st = -1;

	if (rollup_rule_check(seq, a, SOMO_SS_ROLLUP_NOT_SATISFIED, defaults))
		st = 0;
	if (rollup_rule_check(seq, a, SOMO_SS_ROLLUP_SATISFIED, defaults))
		st = 1;
	if (st >= 0)
		set_status(seq, a, st);
}

/* RB.1.3a Activity Progress Rollup Using Measure Process. */
static void progress_rollup_measure(somo_seq *seq, somo__seq_act *a)
{
	double amt;
	if (!somo__seq_amount(seq, a, &amt))
		somo__seq_set_completion(seq, a, -1);
	else
		somo__seq_set_completion(seq, a,
		                         amt >= a->item->completion_threshold.min_progress_measure);
}

/* RB.1.3b Activity Progress Rollup Using Rules Process (with the default
 * rules when the activity defines no completion rules); when no rule fires
 * the status is left as it is. */
static void progress_rollup_rules(somo_seq *seq, somo__seq_act *a)
{
	bool defaults = !has_rules(a, SOMO_SS_ROLLUP_COMPLETED, SOMO_SS_ROLLUP_INCOMPLETE);
	int st = -1;

	if (rollup_rule_check(seq, a, SOMO_SS_ROLLUP_INCOMPLETE, defaults))
		st = 0;
	if (rollup_rule_check(seq, a, SOMO_SS_ROLLUP_COMPLETED, defaults))
		st = 1;
	if (st >= 0)
		somo__seq_set_completion(seq, a, st);
}

static bool completed_by_measure(const somo__seq_act *a)
{
	return a->item && a->item->completion_threshold.written &&
	       a->item->completion_threshold.completed_by_measure;
}

/*
 * RB.1.5 Overall Rollup Process: from the activity's cluster up to the
 * root, roll up measure, completion measure, objective (RB.1.2) and
 * activity progress (RB.1.3). Untracked clusters record nothing.
 */
void somo__seq_overall_rollup(somo_seq *seq, somo__seq_act *a)
{
	/* a leaf's own values come from its content (satisfied and completed
	 * by measure are evaluated as the measures are written); rollup
	 * starts at the parent */
	if (a && somo__seq_is_leaf(a))
		a = a->parent;
	for (; a; a = a->parent) {
		if (!a->ss->delivery.tracked)
			continue;
		if (a->nobjs) {
			measure_rollup(seq, a);
			completion_measure_rollup(seq, a);
		}
		/* RB.1.2 Objective Rollup Process */
		if (a->nobjs && a->objs[0].def->satisfied_by_measure)
			objective_rollup_measure(seq, a);
		else
			objective_rollup_rules(seq, a);
		/* RB.1.3 Activity Progress Rollup Process */
		if (completed_by_measure(a))
			progress_rollup_measure(seq, a);
		else
			progress_rollup_rules(seq, a);
	}
}

/*
 * Rollup after a change on activity a: the Overall Rollup Process from a,
 * then, when global objectives were written, from the parents of the
 * activities that read those global objectives, so clusters whose children
 * read what a wrote see it (as ADL's reference implementation does).
 */
void somo__seq_rollup(somo_seq *seq, somo__seq_act *a)
{
	uint32_t i;

	/* writes made before this call (the content's report, the end of
	 * the attempt) belong to this epoch too */
	somo__seq_overall_rollup(seq, a);
	if (!seq->globals_dirty)
		return;
	/* only readers of what was written in this epoch */
	for (i = 0; i < seq->nreaders; i++)
		if (seq->readers[i]->parent && seq->readers[i]->order != UINT32_MAX &&
		    somo__seq_reads_touched(seq, seq->readers[i]))
			somo__seq_overall_rollup(seq, seq->readers[i]->parent);
	seq->globals_dirty = false;
	seq->epoch++;
}
