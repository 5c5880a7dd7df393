/*
 * imsss:sequencing with the ADL extensions (CAM book 5, SN book) into
 * somo_ss_sequencing, defaults as the SN book gives them.
 */
#include <string.h>

#include "mf_internal.h"
#include "util/time.h"

typedef struct {
	const char *name;
	int value;
} vocab;

static const vocab conditions[] = {
    {"satisfied", SOMO_SS_COND_SATISFIED},
    {"objectiveStatusKnown", SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN},
    {"objectiveMeasureKnown", SOMO_SS_COND_OBJECTIVE_MEASURE_KNOWN},
    {"objectiveMeasureGreaterThan", SOMO_SS_COND_OBJECTIVE_MEASURE_GREATER_THAN},
    {"objectiveMeasureLessThan", SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN},
    {"completed", SOMO_SS_COND_COMPLETED},
    {"activityProgressKnown", SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN},
    {"attempted", SOMO_SS_COND_ATTEMPTED},
    {"attemptLimitExceeded", SOMO_SS_COND_ATTEMPT_LIMIT_EXCEEDED},
    {"timeLimitExceeded", SOMO_SS_COND_TIME_LIMIT_EXCEEDED},
    {"outsideAvailableTimeRange", SOMO_SS_COND_OUTSIDE_AVAILABLE_TIME_RANGE},
    {"always", SOMO_SS_COND_ALWAYS},
    {NULL, 0},
};

static const vocab actions[] = {
    {"skip", SOMO_SS_ACTION_SKIP},
    {"disabled", SOMO_SS_ACTION_DISABLED},
    {"hiddenFromChoice", SOMO_SS_ACTION_HIDDEN_FROM_CHOICE},
    {"stopForwardTraversal", SOMO_SS_ACTION_STOP_FORWARD_TRAVERSAL},
    {"exit", SOMO_SS_ACTION_EXIT},
    {"exitParent", SOMO_SS_ACTION_EXIT_PARENT},
    {"exitAll", SOMO_SS_ACTION_EXIT_ALL},
    {"retry", SOMO_SS_ACTION_RETRY},
    {"retryAll", SOMO_SS_ACTION_RETRY_ALL},
    {"continue", SOMO_SS_ACTION_CONTINUE},
    {"previous", SOMO_SS_ACTION_PREVIOUS},
    {NULL, 0},
};

static const vocab rollup_actions[] = {
    {"satisfied", SOMO_SS_ROLLUP_SATISFIED},
    {"notSatisfied", SOMO_SS_ROLLUP_NOT_SATISFIED},
    {"completed", SOMO_SS_ROLLUP_COMPLETED},
    {"incomplete", SOMO_SS_ROLLUP_INCOMPLETE},
    {NULL, 0},
};

static const vocab child_sets[] = {
    {"all", SOMO_SS_CHILDREN_ALL},
    {"any", SOMO_SS_CHILDREN_ANY},
    {"none", SOMO_SS_CHILDREN_NONE},
    {"atLeastCount", SOMO_SS_CHILDREN_AT_LEAST_COUNT},
    {"atLeastPercent", SOMO_SS_CHILDREN_AT_LEAST_PERCENT},
    {NULL, 0},
};

static const vocab timings[] = {
    {"never", SOMO_SS_TIMING_NEVER},
    {"once", SOMO_SS_TIMING_ONCE},
    {"onEachNewAttempt", SOMO_SS_TIMING_ON_EACH_NEW_ATTEMPT},
    {NULL, 0},
};

static const vocab requireds[] = {
    {"always", SOMO_SS_REQUIRED_ALWAYS},
    {"ifAttempted", SOMO_SS_REQUIRED_IF_ATTEMPTED},
    {"ifNotSkipped", SOMO_SS_REQUIRED_IF_NOT_SKIPPED},
    {"ifNotSuspended", SOMO_SS_REQUIRED_IF_NOT_SUSPENDED},
    {NULL, 0},
};

static const vocab combinations[] = {
    {"all", SOMO_SS_COMBINE_ALL},
    {"any", SOMO_SS_COMBINE_ANY},
    {NULL, 0},
};

static const vocab operators[] = {
    {"noOp", SOMO_SS_OP_NOOP},
    {"not", SOMO_SS_OP_NOT},
    {NULL, 0},
};

static const char *vocab_name(const vocab *t, int v)
{
	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	return "";
}

const char *somo_ss_condition_name(somo_ss_condition_type c)
{
	return vocab_name(conditions, (int)c);
}
const char *somo_ss_action_name(somo_ss_action a)
{
	return vocab_name(actions, (int)a);
}
const char *somo_ss_rollup_action_name(somo_ss_rollup_action a)
{
	return vocab_name(rollup_actions, (int)a);
}
const char *somo_ss_child_set_name(somo_ss_child_set s)
{
	return vocab_name(child_sets, (int)s);
}
const char *somo_ss_timing_name(somo_ss_timing t)
{
	return vocab_name(timings, (int)t);
}
const char *somo_ss_required_name(somo_ss_required r)
{
	return vocab_name(requireds, (int)r);
}

/* Look v up in t; a bad value is reported and false returned (the default stays). */
static bool lookup(somo__mf_ctx *c, const xmlNode *n, const vocab *t, const char *attr,
                   const char *v, int *out)
{
	const vocab *e;

	if (!v)
		return false;
	for (e = t; e->name; e++)
		if (!strcmp(e->name, v)) {
			*out = e->value;
			return true;
		}
	for (e = t; e->name; e++)
		if (somo__str_ieq(e->name, v)) {
			SOMO__MF_BAD(c, somo__mf_line(n), "%s=\"%s\" should be written \"%s\"",
			             attr, v, e->name);
			*out = e->value;
			return true;
		}
	SOMO__MF_BAD(c, somo__mf_line(n), "%s=\"%s\" is not a valid value", attr, v);
	return false;
}

static const char *attr(somo__mf_ctx *c, const xmlNode *n, const char *name)
{
	return somo__mf_attr(c, n, SOMO__NSK_NONE, name, true);
}

/*
 * An objective identifier (objectiveID, targetObjectiveID,
 * referencedObjective: xs:anyURI in the imsss and adlseq schemas) in one
 * canonical form, so that every spelling of the same id compares equal with
 * strcmp: whitespace collapsed as the anyURI type's whiteSpace facet
 * ("collapse", XML Schema Part 2 3.2.17) requires, and "%20" read as the
 * space it escapes (the anyURI lexical mapping escapes a space as %20, so
 * "ob j" and "ob%20j" are the same URI). ADL's LMS treats them alike: its
 * conformance packages OB-02a, OB-02b and OB-12a spell one objective
 * " ob%20j%201 ", "ob%20%20j%201" and "ob j 1", and the content reads it as
 * cmi.objectives.n.id "ob j 1". Other escapes are kept as written.
 */
static const char *id_attr(somo__mf_ctx *c, const xmlNode *n, const char *name)
{
	const char *v = attr(c, n, name);
	char *out;
	size_t i = 0, o = 0;
	bool space = false;

	if (!v)
		return NULL;
	out = (char *)v; /* the arena's own copy; the result is never longer */
	while (v[i]) {
		char ch = v[i];
		if (ch == '%' && v[i + 1] == '2' && v[i + 2] == '0') {
			ch = ' ';
			i += 3;
		} else {
			i++;
		}
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = ch;
	}
	out[o] = 0;
	return out;
}

static void set_bool(somo__mf_ctx *c, const xmlNode *n, const char *name, bool *field)
{
	somo__mf_parse_bool(c, n, name, attr(c, n, name), field);
}

static void set_decimal(somo__mf_ctx *c, const xmlNode *n, const char *name, const char *v,
                        double lo, double hi, double *field)
{
	double d;

	if (!v)
		return;
	if (!somo__mf_parse_decimal(v, &d)) {
		SOMO__MF_BAD(c, somo__mf_line(n), "%s=\"%s\" is not a decimal number", name, v);
		return;
	}
	if (d < lo || d > hi) {
		/* outside the schema's range (measureType, weightType): the nearest
		 * bound is used, and the warning says so */
		d = d < lo ? lo : hi;
		SOMO__MF_BAD(c, somo__mf_line(n), "%s=\"%s\" is outside %g..%g; %g is used", name,
		             v, lo, hi, d);
	}
	*field = d;
}

static void set_vocab(somo__mf_ctx *c, const xmlNode *n, const vocab *t, const char *name,
                      int *field)
{
	int v;

	if (lookup(c, n, t, name, attr(c, n, name), &v))
		*field = v;
}

#define SET_ENUM(c, n, t, name, field)                                                             \
	do {                                                                                       \
		int v_ = (int)(field);                                                             \
		set_vocab((c), (n), (t), (name), &v_);                                             \
		(field) = v_;                                                                      \
	} while (0)

static bool is_ss(somo__mf_ctx *c, const xmlNode *n, const char *local)
{
	return somo__mf_is(n, SOMO__NSK_IMSSS, local, &c->man->ns_seen);
}

static bool is_adlseq(somo__mf_ctx *c, const xmlNode *n, const char *local)
{
	return somo__mf_is(n, SOMO__NSK_ADLSEQ, local, &c->man->ns_seen);
}

static bool count_element(somo__mf_ctx *c)
{
	if (++c->elements > c->max_elements) {
		c->oom = c->oom; /* reported by the caller through the element count */
		return false;
	}
	return true;
}

static void *arena_new(somo__mf_ctx *c, size_t n)
{
	void *p = somo__arena_alloc(&c->man->arena, n);

	if (!p)
		c->oom = true;
	return p;
}

static void push(somo__mf_ctx *c, somo__mf_vec *v, void *p)
{
	if (p && somo__mf_vec_push(v, p) < 0)
		c->oom = true;
}

static somo_ss_condition *parse_condition(somo__mf_ctx *c, const xmlNode *n, bool rollup)
{
	somo_ss_condition *cond = arena_new(c, sizeof(*cond));
	const char *v;
	int ct;

	if (!cond)
		return NULL;
	cond->line = somo__mf_line(n);
	v = attr(c, n, "condition");
	if (!v) {
		SOMO__MF_BAD(c, cond->line, "%s has no condition attribute; ignored",
		             (const char *)n->name);
		return NULL;
	}
	if (!lookup(c, n, conditions, "condition", v, &ct))
		return NULL;
	if (rollup &&
	    (ct == SOMO_SS_COND_OBJECTIVE_MEASURE_GREATER_THAN ||
	     ct == SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN || ct == SOMO_SS_COND_ALWAYS)) {
		SOMO__MF_BAD(c, cond->line,
		             "condition \"%s\" is not allowed in a rollup rule; ignored", v);
		return NULL;
	}
	cond->condition = (somo_ss_condition_type)ct;
	SET_ENUM(c, n, operators, "operator", cond->op);
	if (!rollup) {
		v = id_attr(c, n, "referencedObjective");
		cond->referenced_objective = v && *v ? v : NULL;
		set_decimal(c, n, "measureThreshold", attr(c, n, "measureThreshold"), -1.0, 1.0,
		            &cond->measure_threshold);
	}
	return cond;
}

static bool action_fits(somo_ss_rule_kind k, somo_ss_action a)
{
	switch (k) {
	case SOMO_SS_RULE_PRE:
		return a <= SOMO_SS_ACTION_STOP_FORWARD_TRAVERSAL;
	case SOMO_SS_RULE_EXIT:
		return a == SOMO_SS_ACTION_EXIT;
	default:
		return a >= SOMO_SS_ACTION_EXIT_PARENT;
	}
}

static somo_ss_rule *parse_rule(somo__mf_ctx *c, const xmlNode *n, somo_ss_rule_kind kind)
{
	somo_ss_rule *r = arena_new(c, sizeof(*r));
	somo__mf_vec conds = {0};
	const xmlNode *ch, *cc;
	bool has_action = false;

	if (!r)
		return NULL;
	r->kind = kind;
	r->line = somo__mf_line(n);
	r->combination = SOMO_SS_COMBINE_ALL;
	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (is_ss(c, ch, "ruleConditions")) {
			SET_ENUM(c, ch, combinations, "conditionCombination", r->combination);
			for (cc = ch->children; cc; cc = cc->next) {
				if (cc->type != XML_ELEMENT_NODE || !count_element(c))
					continue;
				if (is_ss(c, cc, "ruleCondition"))
					push(c, &conds, parse_condition(c, cc, false));
				else
					SOMO__MF_BAD(c, somo__mf_line(cc),
					             "unexpected <%s> in ruleConditions",
					             (const char *)cc->name);
			}
		} else if (is_ss(c, ch, "ruleAction")) {
			int a;

			if (lookup(c, ch, actions, "action", attr(c, ch, "action"), &a)) {
				if (!action_fits(kind, (somo_ss_action)a))
					SOMO__MF_BAD(c, somo__mf_line(ch),
					             "action \"%s\" does not belong in a %s rule",
					             vocab_name(actions, a),
					             kind == SOMO_SS_RULE_PRE    ? "precondition"
					             : kind == SOMO_SS_RULE_EXIT ? "exit condition"
					                                         : "postcondition");
				r->action = (somo_ss_action)a;
				has_action = true;
			}
		} else {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in a sequencing rule",
			             (const char *)ch->name);
		}
	}
	r->conditions = somo__mf_vec_finish(&conds, &c->man->arena, &r->condition_count, &c->oom);
	if (!has_action) {
		SOMO__MF_BAD(c, r->line, "sequencing rule without a valid ruleAction; ignored");
		return NULL;
	}
	if (!r->condition_count) {
		SOMO__MF_BAD(c, r->line, "sequencing rule without conditions; ignored");
		return NULL;
	}
	return r;
}

static void parse_rules(somo__mf_ctx *c, somo_ss_sequencing *s, const xmlNode *n)
{
	somo__mf_vec v[3] = {{0}, {0}, {0}};
	const xmlNode *ch;
	int k;

	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (is_ss(c, ch, "preConditionRule"))
			k = SOMO_SS_RULE_PRE;
		else if (is_ss(c, ch, "exitConditionRule"))
			k = SOMO_SS_RULE_EXIT;
		else if (is_ss(c, ch, "postConditionRule"))
			k = SOMO_SS_RULE_POST;
		else {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in sequencingRules",
			             (const char *)ch->name);
			continue;
		}
		push(c, &v[k], parse_rule(c, ch, (somo_ss_rule_kind)k));
	}
	/* the element replaces every rule list of a sequencing collection */
	s->pre_rules = somo__mf_vec_finish(&v[0], &c->man->arena, &s->pre_rule_count, &c->oom);
	s->exit_rules = somo__mf_vec_finish(&v[1], &c->man->arena, &s->exit_rule_count, &c->oom);
	s->post_rules = somo__mf_vec_finish(&v[2], &c->man->arena, &s->post_rule_count, &c->oom);
}

static void duration_attr(somo__mf_ctx *c, const xmlNode *n, const char *name, const char **field,
                          int64_t *centis)
{
	const char *v = attr(c, n, name);

	if (!v)
		return;
	*field = v;
	if (centis) {
		int64_t cs = -1;

		if (somo__duration_parse(v, SOMO__DUR_XAPI, &cs) < 0) {
			SOMO__MF_BAD(c, somo__mf_line(n), "%s=\"%s\" is not an xs:duration", name,
			             v);
			cs = -1;
		}
		*centis = cs;
	}
}

static void parse_limits(somo__mf_ctx *c, somo_ss_limit_conditions *l, const xmlNode *n)
{
	const char *v = attr(c, n, "attemptLimit");

	l->line = somo__mf_line(n);
	if (v) {
		if (somo__mf_parse_uint(v, &l->attempt_limit))
			l->has_attempt_limit = true;
		else
			SOMO__MF_BAD(c, l->line,
			             "attemptLimit=\"%s\" is not a non-negative integer", v);
	}
	duration_attr(c, n, "attemptAbsoluteDurationLimit", &l->attempt_absolute_duration_limit,
	              &l->attempt_absolute_duration_limit_centis);
	duration_attr(c, n, "attemptExperiencedDurationLimit",
	              &l->attempt_experienced_duration_limit, NULL);
	duration_attr(c, n, "activityAbsoluteDurationLimit", &l->activity_absolute_duration_limit,
	              NULL);
	duration_attr(c, n, "activityExperiencedDurationLimit",
	              &l->activity_experienced_duration_limit, NULL);
	duration_attr(c, n, "beginTimeLimit", &l->begin_time_limit, NULL);
	duration_attr(c, n, "endTimeLimit", &l->end_time_limit, NULL);
}

static void parse_aux(somo__mf_ctx *c, somo_ss_sequencing *s, const xmlNode *n)
{
	somo__mf_vec v = {0};
	const xmlNode *ch;

	for (ch = n->children; ch; ch = ch->next) {
		somo_ss_aux_resource *a;

		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (!is_ss(c, ch, "auxiliaryResource")) {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in auxiliaryResources",
			             (const char *)ch->name);
			continue;
		}
		if (!(a = arena_new(c, sizeof(*a))))
			break;
		a->id = attr(c, ch, "auxiliaryResourceID");
		a->purpose = attr(c, ch, "purpose");
		a->line = somo__mf_line(ch);
		if (!a->id)
			SOMO__MF_BAD(c, a->line, "auxiliaryResource without auxiliaryResourceID");
		push(c, &v, a);
	}
	s->aux_resources = somo__mf_vec_finish(&v, &c->man->arena, &s->aux_resource_count, &c->oom);
}

static somo_ss_rollup_rule *parse_rollup_rule(somo__mf_ctx *c, const xmlNode *n)
{
	somo_ss_rollup_rule *r = arena_new(c, sizeof(*r));
	somo__mf_vec conds = {0};
	const xmlNode *ch, *cc;
	bool has_action = false;
	const char *v;

	if (!r)
		return NULL;
	r->line = somo__mf_line(n);
	r->combination = SOMO_SS_COMBINE_ANY;
	SET_ENUM(c, n, child_sets, "childActivitySet", r->child_activity_set);
	if ((v = attr(c, n, "minimumCount")) && !somo__mf_parse_uint(v, &r->minimum_count))
		SOMO__MF_BAD(c, r->line, "minimumCount=\"%s\" is not a non-negative integer", v);
	set_decimal(c, n, "minimumPercent", attr(c, n, "minimumPercent"), 0.0, 1.0,
	            &r->minimum_percent);
	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (is_ss(c, ch, "rollupConditions")) {
			SET_ENUM(c, ch, combinations, "conditionCombination", r->combination);
			for (cc = ch->children; cc; cc = cc->next) {
				if (cc->type != XML_ELEMENT_NODE || !count_element(c))
					continue;
				if (is_ss(c, cc, "rollupCondition"))
					push(c, &conds, parse_condition(c, cc, true));
				else
					SOMO__MF_BAD(c, somo__mf_line(cc),
					             "unexpected <%s> in rollupConditions",
					             (const char *)cc->name);
			}
		} else if (is_ss(c, ch, "rollupAction")) {
			int a;

			if (lookup(c, ch, rollup_actions, "action", attr(c, ch, "action"), &a)) {
				r->action = (somo_ss_rollup_action)a;
				has_action = true;
			}
		} else {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in a rollup rule",
			             (const char *)ch->name);
		}
	}
	r->conditions = somo__mf_vec_finish(&conds, &c->man->arena, &r->condition_count, &c->oom);
	if (!has_action) {
		SOMO__MF_BAD(c, r->line, "rollup rule without a valid rollupAction; ignored");
		return NULL;
	}
	if (!r->condition_count) {
		SOMO__MF_BAD(c, r->line, "rollup rule without conditions; ignored");
		return NULL;
	}
	return r;
}

static void parse_rollup(somo__mf_ctx *c, somo_ss_rollup *ru, const xmlNode *n)
{
	somo__mf_vec v = {0};
	const xmlNode *ch;

	ru->line = somo__mf_line(n);
	set_bool(c, n, "rollupObjectiveSatisfied", &ru->rollup_objective_satisfied);
	set_bool(c, n, "rollupProgressCompletion", &ru->rollup_progress_completion);
	set_decimal(c, n, "objectiveMeasureWeight", attr(c, n, "objectiveMeasureWeight"), 0.0, 1.0,
	            &ru->objective_measure_weight);
	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (!is_ss(c, ch, "rollupRule")) {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in rollupRules",
			             (const char *)ch->name);
			continue;
		}
		push(c, &v, parse_rollup_rule(c, ch));
	}
	ru->rules = somo__mf_vec_finish(&v, &c->man->arena, &ru->rule_count, &c->oom);
}

static somo_ss_map_info *new_map(somo__mf_ctx *c)
{
	somo_ss_map_info *m = arena_new(c, sizeof(*m));

	if (m) {
		m->read_satisfied_status = m->read_normalized_measure = true;
		m->read_raw_score = m->read_min_score = m->read_max_score = true;
		m->read_completion_status = m->read_progress_measure = true;
	}
	return m;
}

static somo_ss_objective *parse_objective(somo__mf_ctx *c, const xmlNode *n, bool primary)
{
	somo_ss_objective *o = arena_new(c, sizeof(*o));
	somo__mf_vec maps = {0};
	const xmlNode *ch;

	if (!o)
		return NULL;
	o->primary = primary;
	o->line = somo__mf_line(n);
	o->min_normalized_measure = 1.0;
	o->id = id_attr(c, n, "objectiveID");
	if (o->id && !*o->id)
		o->id = NULL;
	set_bool(c, n, "satisfiedByMeasure", &o->satisfied_by_measure);
	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (is_ss(c, ch, "minNormalizedMeasure")) {
			set_decimal(c, ch, "minNormalizedMeasure", somo__mf_text(c, ch), -1.0, 1.0,
			            &o->min_normalized_measure);
		} else if (is_ss(c, ch, "mapInfo")) {
			somo_ss_map_info *m = new_map(c);

			if (!m)
				break;
			m->has_imsss = true;
			m->line = somo__mf_line(ch);
			m->target_objective_id = id_attr(c, ch, "targetObjectiveID");
			if (!m->target_objective_id || !*m->target_objective_id) {
				SOMO__MF_BAD(c, m->line,
				             "mapInfo without targetObjectiveID; ignored");
				continue;
			}
			set_bool(c, ch, "readSatisfiedStatus", &m->read_satisfied_status);
			set_bool(c, ch, "readNormalizedMeasure", &m->read_normalized_measure);
			set_bool(c, ch, "writeSatisfiedStatus", &m->write_satisfied_status);
			set_bool(c, ch, "writeNormalizedMeasure", &m->write_normalized_measure);
			push(c, &maps, m);
		} else {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in an objective",
			             (const char *)ch->name);
		}
	}
	o->maps = somo__mf_vec_finish(&maps, &c->man->arena, &o->map_count, &c->oom);
	if (!primary && !o->id) {
		SOMO__MF_BAD(c, o->line, "objective without objectiveID; ignored");
		return NULL;
	}
	if (primary && !o->id && o->map_count)
		SOMO__MF_BAD(c, o->line, "primaryObjective with mapInfo needs an objectiveID");
	return o;
}

static void parse_objectives(somo__mf_ctx *c, somo_ss_sequencing *s, const xmlNode *n)
{
	somo__mf_vec v = {0};
	const xmlNode *ch;
	somo_ss_objective *primary = NULL;

	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (is_ss(c, ch, "primaryObjective")) {
			if (primary)
				SOMO__MF_BAD(c, somo__mf_line(ch),
				             "a second primaryObjective; ignored");
			else
				primary = parse_objective(c, ch, true);
		} else if (is_ss(c, ch, "objective")) {
			push(c, &v, parse_objective(c, ch, false));
		} else {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in objectives",
			             (const char *)ch->name);
		}
	}
	if (!primary) {
		SOMO__MF_BAD(c, somo__mf_line(n), "objectives without a primaryObjective");
		primary = arena_new(c, sizeof(*primary));
		if (primary) {
			primary->primary = true;
			primary->min_normalized_measure = 1.0;
		}
	}
	/* the primary objective first */
	if (primary && somo__mf_vec_push(&v, NULL) == 0) {
		memmove(v.v + 1, v.v, (v.n - 1) * sizeof(*v.v));
		v.v[0] = primary;
	}
	s->objectives = somo__mf_vec_finish(&v, &c->man->arena, &s->objective_count, &c->oom);
}

static void parse_adl_objectives(somo__mf_ctx *c, somo__mf_seq *seq, const xmlNode *n)
{
	const xmlNode *ch, *mc;
	size_t i;

	for (i = 0; i < seq->adl.n; i++)
		somo__mf_vec_free(&((somo__mf_adlobj *)seq->adl.v[i])->maps);
	seq->adl.n = 0;
	c->man->features |= SOMO__FEAT_4TH;
	for (ch = n->children; ch; ch = ch->next) {
		somo__mf_adlobj *ao;

		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (!is_adlseq(c, ch, "objective")) {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in adlseq:objectives",
			             (const char *)ch->name);
			continue;
		}
		if (!(ao = arena_new(c, sizeof(*ao))))
			break;
		ao->line = somo__mf_line(ch);
		ao->objective_id = id_attr(c, ch, "objectiveID");
		if (!ao->objective_id || !*ao->objective_id) {
			SOMO__MF_BAD(c, ao->line, "adlseq:objective without objectiveID; ignored");
			continue;
		}
		for (mc = ch->children; mc; mc = mc->next) {
			somo_ss_map_info *m;

			if (mc->type != XML_ELEMENT_NODE || !count_element(c))
				continue;
			if (!is_adlseq(c, mc, "mapInfo")) {
				SOMO__MF_BAD(c, somo__mf_line(mc),
				             "unexpected <%s> in adlseq:objective",
				             (const char *)mc->name);
				continue;
			}
			if (!(m = new_map(c)))
				break;
			m->has_adlseq = true;
			m->line = somo__mf_line(mc);
			m->target_objective_id = id_attr(c, mc, "targetObjectiveID");
			if (!m->target_objective_id || !*m->target_objective_id) {
				SOMO__MF_BAD(c, m->line,
				             "adlseq:mapInfo without targetObjectiveID; ignored");
				continue;
			}
			set_bool(c, mc, "readRawScore", &m->read_raw_score);
			set_bool(c, mc, "readMinScore", &m->read_min_score);
			set_bool(c, mc, "readMaxScore", &m->read_max_score);
			set_bool(c, mc, "readCompletionStatus", &m->read_completion_status);
			set_bool(c, mc, "readProgressMeasure", &m->read_progress_measure);
			set_bool(c, mc, "writeRawScore", &m->write_raw_score);
			set_bool(c, mc, "writeMinScore", &m->write_min_score);
			set_bool(c, mc, "writeMaxScore", &m->write_max_score);
			set_bool(c, mc, "writeCompletionStatus", &m->write_completion_status);
			set_bool(c, mc, "writeProgressMeasure", &m->write_progress_measure);
			push(c, &ao->maps, m);
		}
		push(c, &seq->adl, ao);
	}
}

static void init_defaults(somo_ss_sequencing *s)
{
	s->control_mode.choice = true;
	s->control_mode.choice_exit = true;
	s->control_mode.use_current_attempt_objective_info = true;
	s->control_mode.use_current_attempt_progress_info = true;
	s->limits.attempt_absolute_duration_limit_centis = -1;
	s->rollup.rollup_objective_satisfied = true;
	s->rollup.rollup_progress_completion = true;
	s->rollup.objective_measure_weight = 1.0;
	s->delivery.tracked = true;
	s->rollup_considerations.measure_satisfaction_if_active = true;
}

somo__mf_seq *somo__mf_seq_new(somo__mf_ctx *c)
{
	somo__mf_seq *seq = arena_new(c, sizeof(*seq));

	if (seq)
		init_defaults(&seq->pub);
	return seq;
}

void somo__mf_seq_apply(somo__mf_ctx *c, somo__mf_seq *seq, const xmlNode *node)
{
	somo_ss_sequencing *s = &seq->pub;
	const xmlNode *ch;

	s->written = true;
	c->man->features |= SOMO__FEAT_SEQ;
	for (ch = node->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !count_element(c))
			continue;
		if (is_ss(c, ch, "controlMode")) {
			somo_ss_control_mode *m = &s->control_mode;

			memset(m, 0, sizeof(*m));
			m->choice = m->choice_exit = true;
			m->use_current_attempt_objective_info =
			    m->use_current_attempt_progress_info = true;
			m->line = somo__mf_line(ch);
			set_bool(c, ch, "choice", &m->choice);
			set_bool(c, ch, "choiceExit", &m->choice_exit);
			set_bool(c, ch, "flow", &m->flow);
			set_bool(c, ch, "forwardOnly", &m->forward_only);
			set_bool(c, ch, "useCurrentAttemptObjectiveInfo",
			         &m->use_current_attempt_objective_info);
			set_bool(c, ch, "useCurrentAttemptProgressInfo",
			         &m->use_current_attempt_progress_info);
		} else if (is_ss(c, ch, "sequencingRules")) {
			parse_rules(c, s, ch);
		} else if (is_ss(c, ch, "limitConditions")) {
			memset(&s->limits, 0, sizeof(s->limits));
			s->limits.attempt_absolute_duration_limit_centis = -1;
			parse_limits(c, &s->limits, ch);
		} else if (is_ss(c, ch, "auxiliaryResources")) {
			parse_aux(c, s, ch);
		} else if (is_ss(c, ch, "rollupRules")) {
			memset(&s->rollup, 0, sizeof(s->rollup));
			s->rollup.rollup_objective_satisfied =
			    s->rollup.rollup_progress_completion = true;
			s->rollup.objective_measure_weight = 1.0;
			parse_rollup(c, &s->rollup, ch);
		} else if (is_ss(c, ch, "objectives")) {
			parse_objectives(c, s, ch);
		} else if (is_ss(c, ch, "randomizationControls")) {
			somo_ss_randomization *r = &s->randomization;
			const char *v;

			memset(r, 0, sizeof(*r));
			r->line = somo__mf_line(ch);
			SET_ENUM(c, ch, timings, "randomizationTiming", r->randomization_timing);
			SET_ENUM(c, ch, timings, "selectionTiming", r->selection_timing);
			set_bool(c, ch, "reorderChildren", &r->reorder_children);
			if ((v = attr(c, ch, "selectCount"))) {
				if (somo__mf_parse_uint(v, &r->select_count))
					r->has_select_count = true;
				else
					SOMO__MF_BAD(
					    c, r->line,
					    "selectCount=\"%s\" is not a non-negative integer", v);
			}
		} else if (is_ss(c, ch, "deliveryControls")) {
			somo_ss_delivery *d = &s->delivery;

			memset(d, 0, sizeof(*d));
			d->tracked = true;
			d->line = somo__mf_line(ch);
			set_bool(c, ch, "tracked", &d->tracked);
			set_bool(c, ch, "completionSetByContent", &d->completion_set_by_content);
			set_bool(c, ch, "objectiveSetByContent", &d->objective_set_by_content);
		} else if (is_adlseq(c, ch, "constrainedChoiceConsiderations")) {
			somo_ss_constrained_choice *cc = &s->constrained_choice;

			memset(cc, 0, sizeof(*cc));
			cc->line = somo__mf_line(ch);
			set_bool(c, ch, "preventActivation", &cc->prevent_activation);
			set_bool(c, ch, "constrainChoice", &cc->constrain_choice);
		} else if (is_adlseq(c, ch, "rollupConsiderations")) {
			somo_ss_rollup_considerations *rc = &s->rollup_considerations;

			memset(rc, 0, sizeof(*rc));
			rc->measure_satisfaction_if_active = true;
			rc->line = somo__mf_line(ch);
			SET_ENUM(c, ch, requireds, "requiredForSatisfied",
			         rc->required_for_satisfied);
			SET_ENUM(c, ch, requireds, "requiredForNotSatisfied",
			         rc->required_for_not_satisfied);
			SET_ENUM(c, ch, requireds, "requiredForCompleted",
			         rc->required_for_completed);
			SET_ENUM(c, ch, requireds, "requiredForIncomplete",
			         rc->required_for_incomplete);
			set_bool(c, ch, "measureSatisfactionIfActive",
			         &rc->measure_satisfaction_if_active);
		} else if (is_adlseq(c, ch, "objectives")) {
			parse_adl_objectives(c, seq, ch);
		} else {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in imsss:sequencing",
			             (const char *)ch->name);
		}
	}
}

void somo__mf_seq_finish(somo__mf_ctx *c, somo__mf_seq *seq, const char *owner)
{
	somo_ss_sequencing *s = &seq->pub;
	size_t i, j, k;

	if (!s->objectives) {
		/* every activity has a primary objective (SN book 3.10) */
		somo_ss_objective *p = arena_new(c, sizeof(*p));
		somo_ss_objective **arr = arena_new(c, sizeof(*arr));

		if (!p || !arr)
			return;
		p->primary = true;
		p->min_normalized_measure = 1.0;
		arr[0] = p;
		s->objectives = (const somo_ss_objective *const *)arr;
		s->objective_count = 1;
	}
	for (i = 0; i < seq->adl.n; i++) {
		somo__mf_adlobj *ao = seq->adl.v[i];
		somo_ss_objective *obj = NULL;

		for (j = 0; j < s->objective_count; j++)
			if (s->objectives[j]->id && !strcmp(s->objectives[j]->id, ao->objective_id))
				obj = (somo_ss_objective *)s->objectives[j];
		if (!obj) {
			/* a collection entry is a template: its own join is only checked
			 * on the items that use it (owner NULL) */
			if (owner)
				SOMO__MF_BAD(c, ao->line,
				             "adlseq:objective \"%s\" of %s names no imsss "
				             "objective; ignored",
				             ao->objective_id, owner);
			somo__mf_vec_free(&ao->maps);
			continue;
		}
		{
			somo__mf_vec maps = {0};

			for (k = 0; k < obj->map_count; k++)
				push(c, &maps, (void *)obj->maps[k]);
			for (k = 0; k < ao->maps.n; k++) {
				somo_ss_map_info *am = ao->maps.v[k], *same = NULL;
				size_t m;

				for (m = 0; m < maps.n; m++) {
					somo_ss_map_info *x = maps.v[m];

					if (!x->has_adlseq && !strcmp(x->target_objective_id,
					                              am->target_objective_id))
						same = x;
				}
				if (same) {
					/* a copy: the imsss map may be shared through a collection
					 */
					somo_ss_map_info *cp = arena_new(c, sizeof(*cp));

					if (!cp)
						break;
					*cp = *am;
					cp->has_imsss = true;
					cp->line = same->line;
					cp->read_satisfied_status = same->read_satisfied_status;
					cp->read_normalized_measure = same->read_normalized_measure;
					cp->write_satisfied_status = same->write_satisfied_status;
					cp->write_normalized_measure =
					    same->write_normalized_measure;
					for (m = 0; m < maps.n; m++)
						if (maps.v[m] == same)
							maps.v[m] = cp;
				} else {
					push(c, &maps, am);
				}
			}
			somo__mf_vec_free(&ao->maps);
			obj->maps =
			    somo__mf_vec_finish(&maps, &c->man->arena, &obj->map_count, &c->oom);
		}
	}
	somo__mf_vec_free(&seq->adl);
}

const somo_ss_sequencing *somo__mf_seq_default(somo__mf_ctx *c)
{
	somo__mf_seq *seq;

	if (c->man->default_seq)
		return c->man->default_seq;
	if (!(seq = somo__mf_seq_new(c)))
		return NULL;
	somo__mf_seq_finish(c, seq, "");
	c->man->default_seq = &seq->pub;
	return c->man->default_seq;
}
