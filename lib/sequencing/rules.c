/*
 * Sequencing rules and limits: the Sequencing Rules Check Process (UP.2)
 * with its Sequencing Rule Check Subprocess (UP.2.1), the Limit Conditions
 * Check Process (UP.1) and the Check Activity Process (UP.5).
 */
#include "sequencing/seq_internal.h"

/*
 * The conditions on an activity's own progress and limits, shared by the
 * sequencing rules (UP.2.1) and the rollup rules (RB.1.4.1): 1 true, 0 false.
 * Limit conditions follow UP.1: only the attempt limit and the attempt
 * absolute duration are used by SCORM; begin/end time ranges never apply.
 */
int somo__seq_progress_cond(const somo__seq_act *a, somo_ss_condition_type cond)
{
	const bool progress = (a->flags & ACT_PROGRESS) != 0;

	switch (cond) {
	case SOMO_SS_COND_ATTEMPTED:
		return progress && a->attempt_count > 0;
	case SOMO_SS_COND_ATTEMPT_LIMIT_EXCEEDED:
		return progress && a->ss->limits.has_attempt_limit &&
		       a->ss->limits.attempt_limit > 0 &&
		       a->attempt_count >= a->ss->limits.attempt_limit;
	case SOMO_SS_COND_TIME_LIMIT_EXCEEDED:
		return progress && a->ss->limits.attempt_absolute_duration_limit_centis > 0 &&
		       a->att_abs >= a->ss->limits.attempt_absolute_duration_limit_centis;
	default: /* SOMO_SS_COND_OUTSIDE_AVAILABLE_TIME_RANGE */
		return 0;
	}
}

/* Three-valued logic: 1 true, 0 false, -1 unknown. */
static int tri_not(int v)
{
	return v < 0 ? -1 : !v;
}

/* UP.1 Limit Conditions Check Process: true when a limit is violated. */
bool somo__seq_limit_exceeded(const somo_seq *seq, const somo__seq_act *a)
{
	const somo_ss_limit_conditions *l = &a->ss->limits;

	(void)seq;
	if (!a->ss->delivery.tracked)
		return false;
	/* an activity being attempted or resumed is never limited */
	if (a->flags & (ACT_ACTIVE | ACT_SUSPENDED))
		return false;
	if (l->has_attempt_limit && l->attempt_limit > 0 && (a->flags & ACT_PROGRESS) &&
	    a->attempt_count >= l->attempt_limit)
		return true;
	if (l->attempt_absolute_duration_limit_centis > 0 && (a->flags & ACT_PROGRESS) &&
	    a->att_abs >= l->attempt_absolute_duration_limit_centis)
		return true;
	return false;
}

/* One condition of a sequencing rule, three-valued. */
static int condition(const somo_seq *seq, const somo__seq_act *a, const somo_ss_condition *c)
{
	const somo__seq_obj *o = NULL;
	int v = -1;
	double m;

	switch (c->condition) {
	case SOMO_SS_COND_SATISFIED:
	case SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN:
	case SOMO_SS_COND_OBJECTIVE_MEASURE_KNOWN:
	case SOMO_SS_COND_OBJECTIVE_MEASURE_GREATER_THAN:
	case SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN:
		o = somo__seq_obj_by_id((somo__seq_act *)a, c->referenced_objective);
		if (!o)
			return -1;
		break;
	default:
		break;
	}
	/* an untracked activity has no tracking status to test */
	if (!a->ss->delivery.tracked) {
		switch (c->condition) {
		case SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN:
		case SOMO_SS_COND_OBJECTIVE_MEASURE_KNOWN:
		case SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN:
			v = 0;
			break;
		case SOMO_SS_COND_SATISFIED:
		case SOMO_SS_COND_OBJECTIVE_MEASURE_GREATER_THAN:
		case SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN:
		case SOMO_SS_COND_COMPLETED:
			v = -1;
			break;
		default:
			goto tracked;
		}
		return c->op == SOMO_SS_OP_NOT ? tri_not(v) : v;
	}
tracked:
	switch (c->condition) {
	case SOMO_SS_COND_SATISFIED:
		v = somo__seq_obj_status(seq, a, o);
		break;
	case SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN:
		v = somo__seq_obj_status(seq, a, o) >= 0;
		break;
	case SOMO_SS_COND_OBJECTIVE_MEASURE_KNOWN:
		v = somo__seq_obj_measure(seq, a, o, &m);
		break;
	case SOMO_SS_COND_OBJECTIVE_MEASURE_GREATER_THAN:
		v = somo__seq_obj_measure(seq, a, o, &m) ? m > c->measure_threshold : -1;
		break;
	case SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN:
		v = somo__seq_obj_measure(seq, a, o, &m) ? m < c->measure_threshold : -1;
		break;
	case SOMO_SS_COND_COMPLETED:
	case SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN:
		/* 4th edition: a referenced objective other than the primary one
		 * has its own completion status (adlseq:mapInfo reads it) */
		o = c->referenced_objective
		        ? somo__seq_obj_by_id((somo__seq_act *)a, c->referenced_objective)
		        : NULL;
		if (o && o != &a->objs[0]) {
			somo__seq_vals ev;
			somo__seq_obj_effective(seq, a, o, &ev);
			v = !(ev.flags & OBJ_COMPL_KNOWN) ? -1 : (ev.flags & OBJ_COMPLETED) != 0;
		} else {
			v = somo__seq_completion(seq, a);
		}
		if (c->condition == SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN)
			v = v >= 0;
		break;
	case SOMO_SS_COND_ATTEMPTED:
	case SOMO_SS_COND_ATTEMPT_LIMIT_EXCEEDED:
	case SOMO_SS_COND_TIME_LIMIT_EXCEEDED:
	case SOMO_SS_COND_OUTSIDE_AVAILABLE_TIME_RANGE:
		v = somo__seq_progress_cond(a, c->condition);
		break;
	case SOMO_SS_COND_ALWAYS:
		v = 1;
		break;
	}
	return c->op == SOMO_SS_OP_NOT ? tri_not(v) : v;
}

/* UP.2.1 Sequencing Rule Check Subprocess: the rule's conditions combined,
 * three-valued (1 true, 0 false, -1 unknown). */
int somo__seq_rule_conditions(const somo_seq *seq, const somo__seq_act *a, const somo_ss_rule *r)
{
	size_t i;
	int acc;

	if (!r->condition_count)
		return -1;
	acc = r->combination == SOMO_SS_COMBINE_ALL ? 1 : 0;
	for (i = 0; i < r->condition_count; i++) {
		int v = condition(seq, a, r->conditions[i]);
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

/* UP.2 Sequencing Rules Check Process: the first rule of the kind whose
 * action is one of actions and whose conditions hold, or NULL. */
const somo_ss_rule *somo__seq_rules_check(const somo_seq *seq, const somo__seq_act *a,
                                          somo_ss_rule_kind kind, const somo_ss_action *actions,
                                          size_t nactions)
{
	const somo_ss_rule *const *rules;
	size_t n, i, k;

	switch (kind) {
	case SOMO_SS_RULE_PRE:
		rules = a->ss->pre_rules;
		n = a->ss->pre_rule_count;
		break;
	case SOMO_SS_RULE_EXIT:
		rules = a->ss->exit_rules;
		n = a->ss->exit_rule_count;
		break;
	default:
		rules = a->ss->post_rules;
		n = a->ss->post_rule_count;
		break;
	}
	for (i = 0; i < n; i++) {
		bool wanted = false;
		for (k = 0; k < nactions; k++)
			if (rules[i]->action == actions[k])
				wanted = true;
		if (wanted && somo__seq_rule_conditions(seq, a, rules[i]) == 1)
			return rules[i];
	}
	return NULL;
}

/* UP.2 for one precondition action (skip, disabled, hiddenFromChoice,
 * stopForwardTraversal). */
bool somo__seq_rule_applies(const somo_seq *seq, const somo__seq_act *a, somo_ss_action act)
{
	return somo__seq_rules_check(seq, a, SOMO_SS_RULE_PRE, &act, 1) != NULL;
}

/* UP.5 Check Activity Process: true when the activity cannot be delivered
 * (disabled by a rule or past its limits). */
bool somo__seq_check_activity(const somo_seq *seq, const somo__seq_act *a)
{
	if (somo__seq_rule_applies(seq, a, SOMO_SS_ACTION_DISABLED))
		return true;
	return somo__seq_limit_exceeded(seq, a);
}
