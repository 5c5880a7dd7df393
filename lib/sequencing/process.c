/*
 * The sequencing processes of the SN book's Appendix C: the Overall
 * Sequencing Process (OP.1), navigation (NB.2.1), termination (TB.2.x),
 * attempts (UP.3, UP.4), traversal and sequencing requests (SB.2.x) and
 * delivery (DB.1.1, DB.2, DB.2.1).
 *
 * The sequencing and delivery request processes take a dry flag: dry runs
 * (validity questions) skip the few side effects those processes have, so
 * the same code answers "would this be honoured" without changing anything.
 */
#include <string.h>

#include "sequencing/seq_internal.h"

enum { DIR_NA = 0, DIR_FWD = 1, DIR_BWD = 2 };

static const struct {
	const char *code, *text;
} exceptions[] = {
    {"NB.2.1-1", "the sequencing session has already begun"},
    {"NB.2.1-2", "the sequencing session has not begun"},
    {"NB.2.1-3", "there is no suspended activity to resume"},
    {"NB.2.1-4", "flow is not allowed in the current activity's cluster"},
    {"NB.2.1-5", "backward flow is not allowed (flow disabled or forward only)"},
    {"NB.2.1-6", "there is nothing before the root of the activity tree"},
    {"NB.2.1-7", "the navigation request is not supported"},
    {"NB.2.1-8", "an active activity does not allow choice to exit it (choiceExit)"},
    {"NB.2.1-10", "choice is not allowed among the target's siblings"},
    {"NB.2.1-11", "the target activity does not exist in the activity tree"},
    {"NB.2.1-12", "the current activity has already ended"},
    {"NB.2.1-13", "undefined navigation request"},
    {"TB.2.3-1", "no current activity to end"},
    {"TB.2.3-2", "the current activity has already ended"},
    {"TB.2.3-3", "nothing to suspend"},
    {"TB.2.3-4", "cannot exit the parent of the root"},
    {"TB.2.3-7", "undefined termination request"},
    {"SB.2.1-2", "the cluster has no available children"},
    {"SB.2.1-3", "cannot move backward from the beginning of the activity tree"},
    {"SB.2.2-1", "flow is not allowed in the cluster"},
    {"SB.2.2-2", "the activity is disabled or past its limits"},
    {"SB.2.4-1", "a stopForwardTraversal rule stops moving forward"},
    {"SB.2.4-2", "the cluster is forward only"},
    {"SB.2.4-3", "no parent to check"},
    {"SB.2.5-1", "the sequencing session has already begun"},
    {"SB.2.6-1", "the sequencing session has already begun"},
    {"SB.2.6-2", "there is no suspended activity to resume"},
    {"SB.2.7-1", "the sequencing session has not begun"},
    {"SB.2.7-2", "flow is not allowed in the current activity's cluster"},
    {"SB.2.8-1", "the sequencing session has not begun"},
    {"SB.2.8-2", "flow is not allowed in the current activity's cluster"},
    {"SB.2.9-1", "the target activity does not exist"},
    {"SB.2.9-2", "the target activity or an ancestor is not available"},
    {"SB.2.9-3", "the target activity or an ancestor is hidden from choice"},
    {"SB.2.9-4", "choice is not allowed in the target's cluster"},
    {"SB.2.9-5", "no activity lies between the current and the target activity"},
    {"SB.2.9-6", "an activity on the way prevents activation"},
    {"SB.2.9-7", "an active activity does not allow choice to exit it (choiceExit)"},
    {"SB.2.9-8", "the target is outside the constrained choice boundary"},
    {"SB.2.9-9", "the chosen cluster has nothing to deliver"},
    {"SB.2.10-1", "the sequencing session has not begun"},
    {"SB.2.10-2", "the current activity is still active or suspended"},
    {"SB.2.10-3", "nothing to deliver in the retried cluster"},
    {"SB.2.11-1", "the sequencing session has not begun"},
    {"SB.2.11-2", "the current activity has not ended"},
    {"SB.2.12-1", "undefined sequencing request"},
    {"SB.2.13-1", "the sequencing session has not begun"},
    {"DB.1.1-1", "only a leaf activity can be delivered"},
    {"DB.1.1-2", "nothing to deliver"},
    {"DB.1.1-3", "the activity or an ancestor is disabled or past its limits"},
    {"DB.2-1", "the current activity has not ended"},
};

const char *somo__seq_exception_text(const char *code)
{
	size_t i;
	if (!code)
		return NULL;
	for (i = 0; i < SOMO__ARRAY_SIZE(exceptions); i++)
		if (strcmp(exceptions[i].code, code) == 0)
			return exceptions[i].text;
	return "sequencing exception";
}

static somo__seq_act *root_of(const somo_seq *seq)
{
	return &seq->acts[0];
}

static bool is_available(const somo__seq_act *a)
{
	return a->order != UINT32_MAX;
}

/* ------------------------------------------------------------------------ */
/* Attempts                                                                  */

/* UP.4 End Attempt Process. */
void somo__seq_end_attempt(somo_seq *seq, somo__seq_act *a)
{
	if (somo__seq_is_leaf(a)) {
		if (a->ss->delivery.tracked) {
			if (a->flags & ACT_REPORT_SUSPEND)
				a->flags |= ACT_SUSPENDED;
			if (!(a->flags & ACT_SUSPENDED)) {
				/* what the content reported, even a value that
				 * evaluated to unknown, is not replaced */
				if (!a->ss->delivery.completion_set_by_content &&
				    !(a->flags & (ACT_ATT_PROGRESS | ACT_COMPL_BY_CONTENT)))
					somo__seq_set_completion(seq, a, 1);
				if (!a->ss->delivery.objective_set_by_content && a->nobjs &&
				    !(a->flags & ACT_SUCC_BY_CONTENT) &&
				    !(a->objs[0].v.flags & OBJ_STATUS)) {
					somo__seq_vals v;
					memset(&v, 0, sizeof(v));
					v.flags = OBJ_STATUS | OBJ_SATISFIED;
					somo__seq_obj_write(seq, a, &a->objs[0], OBJ_STATUS, &v);
				}
			}
		}
		a->flags &= (uint16_t)~ACT_REPORT_SUSPEND;
	} else {
		uint32_t i;
		a->flags &= (uint16_t)~ACT_SUSPENDED;
		for (i = 0; i < a->navail; i++)
			if (a->avail[i]->flags & ACT_SUSPENDED)
				a->flags |= ACT_SUSPENDED;
	}
	a->flags &= (uint16_t)~ACT_ACTIVE;
	somo__seq_rollup(seq, a);
	/* the next attempt gets its own selection and order (SR.1, SR.2 with
	 * timing onEachNewAttempt) */
	if (!somo__seq_is_leaf(a))
		somo__seq_select_randomize(seq, a, true);
}

/* UP.3 Terminate Descendent Attempts Process: end the attempts between the
 * current activity and its common ancestor with a (both excluded). */
static void terminate_descendents(somo_seq *seq, somo__seq_act *a)
{
	somo__seq_act *cur = seq->current, *anc, *x;

	if (!cur)
		return;
	anc = somo__seq_common_ancestor(cur, a);
	for (x = cur->parent; x && x != anc && cur != anc; x = x->parent)
		somo__seq_end_attempt(seq, x);
}

/* ------------------------------------------------------------------------ */
/* Navigation Request Process                                                */

/*
 * NB.2.1 Navigation Request Process. Pure. Returns 1 when valid with the
 * termination (TERM_*) and sequencing (SEQ_*) requests it implies, 0 with
 * *exc set when not.
 */
int somo__seq_nav_check(const somo_seq *seq, somo_nav_request req, somo__seq_act *target, int *term,
                        int *seqreq, const char **exc)
{
	somo__seq_act *cur = seq->current;
	bool active = cur && (cur->flags & ACT_ACTIVE);

	*term = TERM_NONE;
	*seqreq = SEQ_NONE;
	*exc = NULL;
	switch (req) {
	case SOMO_NAV_START:
		if (cur)
			return *exc = "NB.2.1-1", 0;
		*seqreq = SEQ_START;
		return 1;
	case SOMO_NAV_RESUME_ALL:
		if (cur)
			return *exc = "NB.2.1-1", 0;
		if (!seq->suspended)
			return *exc = "NB.2.1-3", 0;
		*seqreq = SEQ_RESUME_ALL;
		return 1;
	case SOMO_NAV_CONTINUE:
		if (!cur)
			return *exc = "NB.2.1-2", 0;
		if (!cur->parent || !cur->parent->ss->control_mode.flow)
			return *exc = "NB.2.1-4", 0;
		*term = active ? TERM_EXIT : TERM_NONE;
		*seqreq = SEQ_CONTINUE;
		return 1;
	case SOMO_NAV_PREVIOUS:
		if (!cur)
			return *exc = "NB.2.1-2", 0;
		if (!cur->parent)
			return *exc = "NB.2.1-6", 0;
		if (!cur->parent->ss->control_mode.flow ||
		    cur->parent->ss->control_mode.forward_only)
			return *exc = "NB.2.1-5", 0;
		*term = active ? TERM_EXIT : TERM_NONE;
		*seqreq = SEQ_PREVIOUS;
		return 1;
	case SOMO_NAV_CHOICE:
		if (!target || !is_available(target))
			return *exc = "NB.2.1-11", 0;
		if (target->parent && !target->parent->ss->control_mode.choice)
			return *exc = "NB.2.1-10", 0;
		if (cur) {
			somo__seq_act *anc = somo__seq_common_ancestor(cur, target), *x;
			for (x = cur; x && x != anc; x = x->parent)
				if ((x->flags & ACT_ACTIVE) && !x->ss->control_mode.choice_exit)
					return *exc = "NB.2.1-8", 0;
		}
		*term = active ? TERM_EXIT : TERM_NONE;
		*seqreq = SEQ_CHOICE;
		return 1;
	case SOMO_NAV_JUMP:
		if (!target || !is_available(target))
			return *exc = "NB.2.1-11", 0;
		if (!cur)
			return *exc = "NB.2.1-2", 0;
		*term = active ? TERM_EXIT : TERM_NONE;
		*seqreq = SEQ_JUMP;
		return 1;
	case SOMO_NAV_EXIT:
	case SOMO_NAV_ABANDON:
		if (!cur)
			return *exc = "NB.2.1-2", 0;
		if (!active)
			return *exc = "NB.2.1-12", 0;
		*term = req == SOMO_NAV_EXIT ? TERM_EXIT : TERM_ABANDON;
		*seqreq = SEQ_EXIT;
		return 1;
	case SOMO_NAV_EXIT_ALL:
	case SOMO_NAV_ABANDON_ALL:
	case SOMO_NAV_SUSPEND_ALL:
		if (!cur)
			return *exc = "NB.2.1-2", 0;
		*term = req == SOMO_NAV_EXIT_ALL      ? TERM_EXIT_ALL
		        : req == SOMO_NAV_ABANDON_ALL ? TERM_ABANDON_ALL
		                                      : TERM_SUSPEND_ALL;
		*seqreq = SEQ_EXIT;
		return 1;
	case SOMO_NAV_NONE:
		return 1;
	}
	return *exc = "NB.2.1-13", 0;
}

/* ------------------------------------------------------------------------ */
/* Termination                                                               */

/* TB.2.1 Sequencing Exit Action Rules Subprocess. */
static void exit_action_rules(somo_seq *seq)
{
	static const somo_ss_action exit_act = SOMO_SS_ACTION_EXIT;
	somo__seq_act *path[130], *x, *target = NULL;
	int n = 0, i;

	/* from the root down to the current activity's parent */
	for (x = seq->current->parent; x && n < 130; x = x->parent)
		path[n++] = x;
	for (i = n - 1; i >= 0; i--)
		if (somo__seq_rules_check(seq, path[i], SOMO_SS_RULE_EXIT, &exit_act, 1)) {
			target = path[i];
			break;
		}
	if (target) {
		terminate_descendents(seq, target);
		somo__seq_end_attempt(seq, target);
		seq->current = target;
	}
}

/* TB.2.2 Sequencing Post Condition Rules Subprocess. */
static void post_condition_rules(somo_seq *seq, int *term, int *seqreq)
{
	static const somo_ss_action post[] = {SOMO_SS_ACTION_EXIT_PARENT, SOMO_SS_ACTION_EXIT_ALL,
	                                      SOMO_SS_ACTION_RETRY,       SOMO_SS_ACTION_RETRY_ALL,
	                                      SOMO_SS_ACTION_CONTINUE,    SOMO_SS_ACTION_PREVIOUS};
	const somo_ss_rule *r;

	*term = TERM_NONE;
	*seqreq = SEQ_NONE;
	if (seq->current->flags & ACT_SUSPENDED)
		return;
	r = somo__seq_rules_check(seq, seq->current, SOMO_SS_RULE_POST, post,
	                          SOMO__ARRAY_SIZE(post));
	if (!r)
		return;
	switch (r->action) {
	case SOMO_SS_ACTION_RETRY:
		*seqreq = SEQ_RETRY;
		break;
	case SOMO_SS_ACTION_CONTINUE:
		*seqreq = SEQ_CONTINUE;
		break;
	case SOMO_SS_ACTION_PREVIOUS:
		*seqreq = SEQ_PREVIOUS;
		break;
	case SOMO_SS_ACTION_EXIT_PARENT:
		*term = TERM_EXIT;
		break; /* exit parent */
	case SOMO_SS_ACTION_EXIT_ALL:
		*term = TERM_EXIT_ALL;
		break;
	case SOMO_SS_ACTION_RETRY_ALL:
		*term = TERM_EXIT_ALL;
		*seqreq = SEQ_RETRY;
		break;
	default:
		break;
	}
}

/* Abandon: what the content reported on the abandoned attempt is ignored
 * (its completion, satisfaction and measure become unknown, through the
 * write maps too), as ADL's reference implementation does. */
static void forget_content_status(somo_seq *seq, somo__seq_act *a)
{
	somo__seq_vals v;

	if (!somo__seq_is_leaf(a) || !(a->flags & ACT_ACTIVE))
		return;
	memset(&v, 0, sizeof(v));
	somo__seq_set_completion(seq, a, -1);
	if (a->nobjs)
		somo__seq_obj_write(seq, a, &a->objs[0], OBJ_STATUS | OBJ_MEASURE, &v);
}

/* The exitAll case of TB.2.3. */
static void terminate_all(somo_seq *seq)
{
	somo__seq_act *root = root_of(seq);
	if (seq->current->flags & ACT_ACTIVE)
		somo__seq_end_attempt(seq, seq->current);
	terminate_descendents(seq, root);
	somo__seq_end_attempt(seq, root);
	seq->current = root;
}

/*
 * TB.2.3 Termination Request Process. Returns the exception or NULL; *seqreq
 * is replaced by a sequencing request the termination raises (post
 * condition rules, exitAll).
 */
static const char *termination(somo_seq *seq, int term, int *seqreq)
{
	somo__seq_act *cur = seq->current, *x;

	if (!cur)
		return "TB.2.3-1";
	if ((term == TERM_EXIT || term == TERM_ABANDON) && !(cur->flags & ACT_ACTIVE))
		return "TB.2.3-2";
	switch (term) {
	case TERM_EXIT: {
		bool processed;
		int pterm, pseq;
		somo__seq_end_attempt(seq, cur);
		exit_action_rules(seq);
		do {
			processed = false;
			post_condition_rules(seq, &pterm, &pseq);
			if (pterm == TERM_EXIT_ALL) {
				terminate_all(seq);
				*seqreq = pseq == SEQ_RETRY ? SEQ_RETRY : SEQ_EXIT;
				return NULL;
			}
			if (pterm == TERM_EXIT) { /* exit parent */
				if (!seq->current->parent)
					return "TB.2.3-4";
				seq->current = seq->current->parent;
				somo__seq_end_attempt(seq, seq->current);
				processed = true;
			} else if (!seq->current->parent && pseq != SEQ_RETRY) {
				/* the root ended: the session ends */
				*seqreq = SEQ_EXIT;
				return NULL;
			}
		} while (processed);
		if (pseq != SEQ_NONE)
			*seqreq = pseq;
		return NULL;
	}
	case TERM_EXIT_ALL:
		terminate_all(seq);
		*seqreq = SEQ_EXIT;
		return NULL;
	case TERM_SUSPEND_ALL: {
		somo__seq_act *susp;
		if ((cur->flags & (ACT_ACTIVE | ACT_SUSPENDED)) ||
		    cur->flags & ACT_REPORT_SUSPEND) {
			somo__seq_rollup(seq, cur);
			susp = cur;
		} else if (cur->parent) {
			susp = cur->parent;
		} else {
			return "TB.2.3-3";
		}
		cur->flags &= (uint16_t)~ACT_REPORT_SUSPEND;
		seq->suspended = susp;
		for (x = susp; x; x = x->parent) {
			x->flags &= (uint16_t)~ACT_ACTIVE;
			x->flags |= ACT_SUSPENDED;
		}
		seq->current = root_of(seq);
		*seqreq = SEQ_EXIT;
		return NULL;
	}
	case TERM_ABANDON:
		forget_content_status(seq, cur);
		cur->flags &= (uint16_t) ~(ACT_ACTIVE | ACT_REPORT_SUSPEND);
		return NULL;
	case TERM_ABANDON_ALL:
		forget_content_status(seq, cur);
		for (x = cur; x; x = x->parent)
			x->flags &= (uint16_t)~ACT_ACTIVE;
		cur->flags &= (uint16_t)~ACT_REPORT_SUSPEND;
		seq->current = root_of(seq);
		*seqreq = SEQ_EXIT;
		return NULL;
	}
	return "TB.2.3-7";
}

/* ------------------------------------------------------------------------ */
/* Traversal                                                                 */

typedef struct {
	somo__seq_act *act;
	int dir;
	bool end;
	const char *exc;
} trav;

static bool is_last_child(const somo__seq_act *a)
{
	return a->parent && a->pos + 1 == a->parent->navail;
}

/* SB.2.1 Flow Tree Traversal Subprocess. */
static trav flow_tree(somo_seq *seq, somo__seq_act *a, int dir, bool consider, int prev, bool dry)
{
	trav t = {NULL, DIR_NA, false, NULL};
	bool reversed = false;
	somo__seq_act *root = root_of(seq);

	for (;;) {
		if (prev == DIR_BWD && is_last_child(a)) {
			dir = DIR_BWD;
			a = a->parent->avail[0];
			reversed = true;
		}
		if (dir == DIR_FWD) {
			if (a == seq->byorder[seq->norder - 1] || (!consider && a == root)) {
				/* off the end of the tree: the session ends */
				if (!dry)
					terminate_descendents(seq, root);
				t.end = true;
				return t;
			}
			if (somo__seq_is_leaf(a) || !consider) {
				if (is_last_child(a)) {
					a = a->parent;
					consider = false;
					prev = DIR_NA;
					reversed = false;
					continue;
				}
				t.act = a->parent->avail[a->pos + 1];
				t.dir = DIR_FWD;
				return t;
			}
			if (a->navail) {
				t.act = a->avail[0];
				t.dir = DIR_FWD;
				return t;
			}
			t.exc = "SB.2.1-2";
			return t;
		}
		/* backward */
		if (a == root) {
			t.exc = "SB.2.1-3";
			return t;
		}
		if (somo__seq_is_leaf(a) || !consider) {
			/* a forward only cluster cannot be left backward (as in
			 * ADL's reference; CTS CM-07e) */
			if (!reversed && a->parent->ss->control_mode.forward_only) {
				t.exc = "SB.2.4-2";
				return t;
			}
			if (reversed || a->pos == 0) {
				a = a->parent;
				consider = false;
				prev = DIR_NA;
				reversed = false;
				continue;
			}
			t.act = a->parent->avail[a->pos - 1];
			t.dir = DIR_BWD;
			return t;
		}
		if (a->navail) {
			if (a->ss->control_mode.forward_only) {
				t.act = a->avail[0];
				t.dir = DIR_FWD;
			} else {
				t.act = a->avail[a->navail - 1];
				t.dir = DIR_BWD;
			}
			return t;
		}
		t.exc = "SB.2.1-2";
		return t;
	}
}

/* SB.2.2 Flow Activity Traversal Subprocess: from a, the first activity
 * that can be delivered, moving in dir. */
static trav flow_activity(somo_seq *seq, somo__seq_act *a, int dir, int prev, bool dry)
{
	trav t;

	for (;;) {
		if (a->parent && !a->parent->ss->control_mode.flow) {
			t.act = NULL;
			t.end = false;
			t.exc = "SB.2.2-1";
			return t;
		}
		if (somo__seq_rule_applies(seq, a, SOMO_SS_ACTION_SKIP)) {
			t = flow_tree(seq, a, dir, false, prev, dry);
			if (!t.act)
				return t;
			if (prev == DIR_BWD && t.dir == DIR_BWD) {
				dir = t.dir;
				prev = DIR_NA;
			}
			a = t.act;
			continue;
		}
		if (somo__seq_check_activity(seq, a)) {
			t.act = NULL;
			t.end = false;
			t.exc = "SB.2.2-2";
			return t;
		}
		if (!somo__seq_is_leaf(a)) {
			t = flow_tree(seq, a, dir, true, DIR_NA, dry);
			if (!t.act)
				return t;
			if (dir == DIR_BWD && t.dir == DIR_FWD) {
				dir = DIR_FWD;
				prev = DIR_BWD;
			} else {
				prev = DIR_NA;
			}
			a = t.act;
			continue;
		}
		t.act = a;
		t.dir = dir;
		t.end = false;
		t.exc = NULL;
		return t;
	}
}

/* SB.2.3 Flow Subprocess. */
static void flow(somo_seq *seq, somo__seq_act *a, int dir, bool consider, bool dry,
                 somo__seq_out *out)
{
	trav t = flow_tree(seq, a, dir, consider, DIR_NA, dry);
	if (!t.act) {
		out->exception = t.exc;
		out->end_session = t.end;
		return;
	}
	t = flow_activity(seq, t.act, dir, DIR_NA, dry);
	if (!t.act) {
		out->exception = t.exc;
		out->end_session = t.end;
		return;
	}
	out->deliver = t.act;
}

/* SB.2.4 Choice Activity Traversal Subprocess. */
static const char *choice_activity_traversal(const somo_seq *seq, const somo__seq_act *a, int dir)
{
	if (dir == DIR_FWD) {
		if (somo__seq_rule_applies(seq, a, SOMO_SS_ACTION_STOP_FORWARD_TRAVERSAL))
			return "SB.2.4-1";
		return NULL;
	}
	if (!a->parent)
		return "SB.2.4-3";
	if (a->parent->ss->control_mode.forward_only)
		return "SB.2.4-2";
	return NULL;
}

/* SB.2.9.2 Choice Flow Tree Traversal Subprocess. */
static somo__seq_act *choice_flow_tree(const somo_seq *seq, somo__seq_act *a, int dir)
{
	for (;;) {
		if (dir == DIR_FWD) {
			if (a == seq->byorder[seq->norder - 1] || !a->parent)
				return NULL;
			if (is_last_child(a)) {
				a = a->parent;
				continue;
			}
			return a->parent->avail[a->pos + 1];
		}
		if (!a->parent)
			return NULL;
		if (a->pos == 0) {
			a = a->parent;
			continue;
		}
		return a->parent->avail[a->pos - 1];
	}
}

/* SB.2.9.1 Choice Flow Subprocess. */
static somo__seq_act *choice_flow(const somo_seq *seq, somo__seq_act *a, int dir)
{
	somo__seq_act *n = choice_flow_tree(seq, a, dir);
	return n ? n : a;
}

/* Is b forward of a in the available preorder? */
static bool forward_of(const somo__seq_act *b, const somo__seq_act *a)
{
	return b->order > a->order;
}

/* SB.2.9 Choice Sequencing Request Process. */
static void choice_request(somo_seq *seq, somo__seq_act *target, bool dry, somo__seq_out *out)
{
	somo__seq_act *cur = seq->current, *anc, *x;
	somo__seq_act *path[130];
	int n, i;
	const char *e;

	if (!target) {
		out->exception = "SB.2.9-1";
		return;
	}
	for (x = target; x; x = x->parent) {
		if (x->parent && !is_available(x)) {
			out->exception = "SB.2.9-2";
			return;
		}
		if (somo__seq_rule_applies(seq, x, SOMO_SS_ACTION_HIDDEN_FROM_CHOICE)) {
			out->exception = "SB.2.9-3";
			return;
		}
	}
	if (target->parent && !target->parent->ss->control_mode.choice) {
		out->exception = "SB.2.9-4";
		return;
	}
	anc = cur ? somo__seq_common_ancestor(cur, target) : root_of(seq);

	if (cur == target) {
		/* case 1: the current activity is chosen again */
	} else if (cur && cur->parent == target->parent) {
		/* case 2: a sibling */
		int dir = forward_of(target, cur) ? DIR_FWD : DIR_BWD;
		uint32_t p = cur->pos;
		/* from the current activity up to the target, the target excluded:
		 * a stopForwardTraversal activity may be reached, not passed */
		for (;;) {
			somo__seq_act *s = cur->parent->avail[p];
			if (s == target)
				break;
			if ((e = choice_activity_traversal(seq, s, dir))) {
				out->exception = e;
				return;
			}
			p = dir == DIR_FWD ? p + 1 : p - 1;
		}
	} else if (!cur || cur == anc) {
		/* case 3: a descendant of the current activity (or no current) */
		n = 0;
		for (x = target->parent; x && n < 130; x = x->parent) {
			path[n++] = x;
			if (x == anc)
				break;
		}
		if (n == 0) {
			out->exception = "SB.2.9-5";
			return;
		}
		for (i = n - 1; i >= 0; i--) {
			if ((e = choice_activity_traversal(seq, path[i], DIR_FWD))) {
				out->exception = e;
				return;
			}
			if (!(path[i]->flags & ACT_ACTIVE) && path[i] != anc &&
			    path[i]->ss->constrained_choice.prevent_activation) {
				out->exception = "SB.2.9-6";
				return;
			}
		}
	} else if (target == anc) {
		/* case 4: an ancestor of the current activity */
		for (x = cur; x && x != target; x = x->parent)
			if ((x->flags & ACT_ACTIVE) && !x->ss->control_mode.choice_exit) {
				out->exception = "SB.2.9-7";
				return;
			}
	} else {
		/* case 5: another branch */
		somo__seq_act *constrained = NULL;
		/* from the current activity's parent: a constrainChoice on the
		 * leaf itself constrains nothing (ADL's reference; CTS CM-07d) */
		for (x = cur->parent; x && x != anc; x = x->parent) {
			if ((x->flags & ACT_ACTIVE) && !x->ss->control_mode.choice_exit) {
				out->exception = "SB.2.9-7";
				return;
			}
			if (!constrained && x->ss->constrained_choice.constrain_choice)
				constrained = x;
		}
		if (constrained) {
			int dir = forward_of(target, constrained) ? DIR_FWD : DIR_BWD;
			somo__seq_act *consider = choice_flow(seq, constrained, dir);
			if (!somo__seq_is_ancestor(consider, target) && target != constrained) {
				out->exception = "SB.2.9-8";
				return;
			}
		}
		n = 0;
		for (x = target->parent; x && n < 130; x = x->parent) {
			path[n++] = x;
			if (x == anc)
				break;
		}
		if (n == 0) {
			out->exception = "SB.2.9-5";
			return;
		}
		if (forward_of(target, cur)) {
			for (i = n - 1; i >= 0; i--) {
				if ((e = choice_activity_traversal(seq, path[i], DIR_FWD))) {
					out->exception = e;
					return;
				}
				if (!(path[i]->flags & ACT_ACTIVE) && path[i] != anc &&
				    path[i]->ss->constrained_choice.prevent_activation) {
					out->exception = "SB.2.9-6";
					return;
				}
			}
		} else {
			for (i = n - 1; i >= 0; i--)
				if (!(path[i]->flags & ACT_ACTIVE) && path[i] != anc &&
				    path[i]->ss->constrained_choice.prevent_activation) {
					out->exception = "SB.2.9-6";
					return;
				}
		}
	}
	if (somo__seq_is_leaf(target)) {
		out->deliver = target;
		return;
	}
	/* a cluster: flow into it */
	flow(seq, target, DIR_FWD, true, dry, out);
	if (!out->deliver) {
		out->end_session = false;
		if (!dry) {
			terminate_descendents(seq, anc);
			somo__seq_end_attempt(seq, anc);
			seq->current = target;
		}
		out->exception = "SB.2.9-9";
	}
}

/*
 * SB.2.12 Sequencing Request Process, dispatching to Start (SB.2.5), Resume
 * All (SB.2.6), Continue (SB.2.7), Previous (SB.2.8), Choice (SB.2.9),
 * Retry (SB.2.10), Exit (SB.2.11) and Jump (SB.2.13).
 */
void somo__seq_sequencing(somo_seq *seq, int seqreq, somo__seq_act *target, bool dry,
                          somo__seq_out *out)
{
	somo__seq_act *cur = seq->current, *root = root_of(seq);

	memset(out, 0, sizeof(*out));
	switch (seqreq) {
	case SEQ_START: /* SB.2.5 Start Sequencing Request Process */
		if (cur) {
			out->exception = "SB.2.5-1";
			return;
		}
		if (somo__seq_is_leaf(root)) {
			out->deliver = root;
		} else {
			flow(seq, root, DIR_FWD, true, dry, out);
			/* a package of one activity starts with it even where flow
			 * is not enabled (the common single-SCO package, which
			 * ADL's reference LMS launches too) */
			if (!out->deliver && seq->nleaves == 1 && root->navail == 1 &&
			    somo__seq_is_leaf(root->avail[0])) {
				memset(out, 0, sizeof(*out));
				out->deliver = root->avail[0];
			}
		}
		return;
	case SEQ_RESUME_ALL: /* SB.2.6 Resume All Sequencing Request Process */
		if (cur)
			out->exception = "SB.2.6-1";
		else if (!seq->suspended)
			out->exception = "SB.2.6-2";
		else
			out->deliver = seq->suspended;
		return;
	case SEQ_CONTINUE: /* SB.2.7 Continue Sequencing Request Process */
		if (!cur) {
			out->exception = "SB.2.7-1";
			return;
		}
		if (cur->parent && !cur->parent->ss->control_mode.flow) {
			out->exception = "SB.2.7-2";
			return;
		}
		flow(seq, cur, DIR_FWD, false, dry, out);
		return;
	case SEQ_PREVIOUS: /* SB.2.8 Previous Sequencing Request Process */
		if (!cur) {
			out->exception = "SB.2.8-1";
			return;
		}
		if (cur->parent && !cur->parent->ss->control_mode.flow) {
			out->exception = "SB.2.8-2";
			return;
		}
		flow(seq, cur, DIR_BWD, false, dry, out);
		out->end_session = false;
		return;
	case SEQ_CHOICE:
		choice_request(seq, target, dry, out);
		return;
	case SEQ_RETRY: /* SB.2.10 Retry Sequencing Request Process */
		if (!cur) {
			out->exception = "SB.2.10-1";
			return;
		}
		if (cur->flags & (ACT_ACTIVE | ACT_SUSPENDED)) {
			out->exception = "SB.2.10-2";
			return;
		}
		if (somo__seq_is_leaf(cur)) {
			out->deliver = cur;
			return;
		}
		flow(seq, cur, DIR_FWD, true, dry, out);
		if (!out->deliver) {
			out->exception = "SB.2.10-3";
			out->end_session = false;
		}
		return;
	case SEQ_EXIT: /* SB.2.11 Exit Sequencing Request Process */
		if (!cur)
			out->exception = "SB.2.11-1";
		else if (cur->flags & ACT_ACTIVE)
			out->exception = "SB.2.11-2";
		else if (cur == root)
			out->end_session = true;
		return;
	case SEQ_JUMP: /* SB.2.13 Jump Sequencing Request Process */
		if (!cur)
			out->exception = "SB.2.13-1";
		else
			out->deliver = target;
		return;
	}
	out->exception = "SB.2.12-1";
}

/* DB.1.1 Delivery Request Process. Pure. */
const char *somo__seq_delivery_check(const somo_seq *seq, somo__seq_act *a)
{
	somo__seq_act *x;
	if (!somo__seq_is_leaf(a))
		return "DB.1.1-1";
	for (x = a; x; x = x->parent)
		if (somo__seq_check_activity(seq, x))
			return "DB.1.1-3";
	return NULL;
}

/* DB.2.1 Clear Suspended Activity Subprocess. */
static void clear_suspended(somo_seq *seq, somo__seq_act *a)
{
	somo__seq_act *anc, *x;

	if (!seq->suspended)
		return;
	anc = somo__seq_common_ancestor(seq->suspended, a);
	for (x = seq->suspended; x; x = x->parent) {
		if (somo__seq_is_leaf(x)) {
			x->flags &= (uint16_t)~ACT_SUSPENDED;
		} else {
			uint32_t i;
			bool any = false;
			for (i = 0; i < x->navail; i++)
				if (x->avail[i]->flags & ACT_SUSPENDED)
					any = true;
			if (!any)
				x->flags &= (uint16_t)~ACT_SUSPENDED;
		}
		if (x == anc)
			break;
	}
	seq->suspended = NULL;
}

static void mark_dirty(somo__seq_act *a)
{
	uint32_t i;
	for (i = 0; i < a->nchildren; i++) {
		a->children[i]->flags |= ACT_DIRTY_OBJ | ACT_DIRTY_PRO;
		mark_dirty(a->children[i]);
	}
}

/* A new attempt on a: its attempt progress and local objective progress
 * start over; descendants' information is from an earlier attempt. */
static void begin_attempt(somo__seq_act *a)
{
	uint32_t i;

	a->attempt_count++;
	a->flags |= ACT_PROGRESS;
	a->flags &=
	    (uint16_t) ~(ACT_ATT_PROGRESS | ACT_ATT_COMPLETED | ACT_ATT_AMOUNT | ACT_DIRTY_OBJ |
	                 ACT_DIRTY_PRO | ACT_RESUMED | ACT_COMPL_BY_CONTENT | ACT_SUCC_BY_CONTENT);
	a->amount = 0;
	a->att_abs = a->att_exp = 0;
	for (i = 0; i < a->nobjs; i++)
		memset(&a->objs[i].v, 0, sizeof(a->objs[i].v));
	if (a->attempt_count > 1)
		mark_dirty(a);
}

/* DB.2 Content Delivery Environment Process. */
static const char *content_delivery(somo_seq *seq, somo__seq_act *a)
{
	somo__seq_act *path[130], *x;
	int n = 0, i;

	if (seq->current && (seq->current->flags & ACT_ACTIVE) && seq->current != a)
		return "DB.2-1";
	if (seq->suspended && seq->suspended != a)
		clear_suspended(seq, a);
	terminate_descendents(seq, a);
	for (x = a; x && n < 130; x = x->parent)
		path[n++] = x;
	for (i = n - 1; i >= 0; i--) {
		x = path[i];
		if (x->flags & ACT_ACTIVE)
			continue;
		if (x->flags & ACT_SUSPENDED) {
			x->flags &= (uint16_t)~ACT_SUSPENDED;
			x->flags |= ACT_RESUMED;
		} else {
			begin_attempt(x);
			/* global objectives not global to the system live for one
			 * attempt on the activity tree: a new one starts them over */
			if (!x->parent && x->attempt_count > 1 &&
			    !seq->org->objectives_global_to_system)
				somo__seq_globals_clear(seq->globals);
		}
		x->flags |= ACT_ACTIVE;
	}
	seq->current = a;
	seq->suspended = NULL;
	seq->ended = false;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* OP.1 Overall Sequencing Process                                           */

static void result(somo_seq_result *out, bool accepted, const somo__seq_act *deliver, bool ended,
                   const char *exc)
{
	out->accepted = accepted;
	out->deliver = deliver ? deliver->id : NULL;
	out->ended = ended;
	out->exception = exc;
	out->exception_text = somo__seq_exception_text(exc);
}

static void end_session(somo_seq *seq)
{
	somo__seq_act *root = root_of(seq);
	/* the root's attempt ends with the session (continue past the last
	 * activity leaves it running otherwise) */
	if (seq->current && (root->flags & ACT_ACTIVE)) {
		terminate_descendents(seq, root);
		somo__seq_end_attempt(seq, root);
	}
	seq->current = NULL;
	seq->ended = true;
}

SOMO_API int somo_seq_navigate(somo_seq *seq, somo_nav_request req, const char *target,
                               somo_seq_result *out)
{
	somo__seq_act *tgt = NULL;
	int term, seqreq;
	const char *exc;
	somo__seq_out so;

	if (!seq || !out)
		return somo__error(SOMO_EINVAL, "no handle or result");
	memset(out, 0, sizeof(*out));
	if ((unsigned)req > SOMO_NAV_NONE)
		return somo__error(SOMO_EINVAL, "unknown navigation request %d", (int)req);
	if (req == SOMO_NAV_CHOICE || req == SOMO_NAV_JUMP)
		tgt = somo__seq_lookup(seq, target);
	if (req == SOMO_NAV_NONE) {
		/* the content ended without asking for anything: nothing is
		 * processed; the attempt ends with the next navigation request
		 * (as ADL's reference implementation waits for the learner) */
		result(out, true, NULL, seq->current == NULL && seq->ended, NULL);
		return 0;
	}
	/* NB.2.1 */
	if (!somo__seq_nav_check(seq, req, tgt, &term, &seqreq, &exc)) {
		result(out, false, NULL, false, exc);
		return 0;
	}
	/* TB.2.3 */
	if (term != TERM_NONE) {
		int tseq = seqreq;
		if ((exc = termination(seq, term, &tseq))) {
			result(out, true, NULL, false, exc);
			return 0;
		}
		seqreq = tseq;
		/* retrying the whole tree begins a new attempt on it: global
		 * objectives not global to the system start over before the
		 * retry flows (as ADL's reference does; CTS RU-13d) */
		if (seqreq == SEQ_RETRY && seq->current && !seq->current->parent &&
		    !seq->org->objectives_global_to_system)
			somo__seq_globals_clear(seq->globals);
	}
	if (seqreq == SEQ_NONE) {
		result(out, true, NULL, false, NULL);
		return 0;
	}
	/* SB.2.12 */
	somo__seq_sequencing(seq, seqreq, tgt, false, &so);
	if (so.end_session) {
		end_session(seq);
		result(out, true, NULL, true, NULL);
		return 0;
	}
	if (so.exception || !so.deliver) {
		result(out, true, NULL, false, so.exception);
		return 0;
	}
	/* DB.1.1 */
	if ((exc = somo__seq_delivery_check(seq, so.deliver))) {
		result(out, true, NULL, false, exc);
		return 0;
	}
	/* DB.2 */
	if ((exc = content_delivery(seq, so.deliver))) {
		result(out, true, NULL, false, exc);
		return 0;
	}
	result(out, true, so.deliver, false, NULL);
	return 0;
}
