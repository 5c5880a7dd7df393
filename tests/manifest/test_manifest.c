/* Manifest reader unit tests: synthetic manifests held in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "somo.h"

#define NS2004                                                                                     \
	"<manifest identifier='M' xmlns='http://www.imsglobal.org/xsd/imscp_v1p1'"                 \
	" xmlns:adlcp='http://www.adlnet.org/xsd/adlcp_v1p3'"                                      \
	" xmlns:adlseq='http://www.adlnet.org/xsd/adlseq_v1p3'"                                    \
	" xmlns:adlnav='http://www.adlnet.org/xsd/adlnav_v1p3'"                                    \
	" xmlns:imsss='http://www.imsglobal.org/xsd/imsss'"

#define META(v)                                                                                    \
	"<metadata><schema>ADL SCORM</schema><schemaversion>" v "</schemaversion></metadata>"

#define RES                                                                                        \
	"<resources><resource identifier='R' type='webcontent' adlcp:scormType='sco' "             \
	"href='a.html'/></resources>"

static somo_manifest *parse(const char *xml)
{
	somo_manifest *m = NULL;
	somo_diag d;
	int rc = somo_manifest_parse_memory(&m, xml, strlen(xml), NULL, NULL, &d);

	if (rc < 0)
		print_error("parse failed: %d %s:%d: %s\n", rc, d.file, d.line, d.text);
	assert_int_equal(rc, 0);
	return m;
}

static int parse_fail(const char *xml, somo_diag *d)
{
	somo_manifest *m = NULL;
	int rc = somo_manifest_parse_memory(&m, xml, strlen(xml), NULL, NULL, d);

	assert_null(m);
	return rc;
}

static bool has_warning(const somo_manifest *m, const char *text)
{
	size_t i;

	for (i = 0; i < somo_manifest_warning_count(m); i++)
		if (strstr(somo_manifest_warning_at(m, i)->text, text))
			return true;
	return false;
}

static size_t errors(const somo_manifest *m, somo_validate_mode mode)
{
	somo_manifest_report *r = NULL;
	size_t n;

	assert_int_equal(somo_manifest_validate(&r, m, NULL, mode), 0);
	n = somo_manifest_report_errors(r);
	somo_manifest_report_free(r);
	return n;
}

static void test_defaults(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' identifierref='R'><title>I</title></item>"
	                        "</organization></organizations>" RES "</manifest>");
	const somo_manifest_item *it = somo_manifest_find_item(m, "I");
	const somo_ss_sequencing *s = it->sequencing;

	(void)state;
	assert_int_equal(somo_manifest_standard(m), SOMO_STANDARD_SCORM2004);
	assert_int_equal(somo_manifest_edition(m), SOMO_EDITION_2004_4TH);
	assert_false(somo_manifest_edition_inferred(m));
	assert_false(s->written);
	assert_true(s->control_mode.choice);
	assert_true(s->control_mode.choice_exit);
	assert_false(s->control_mode.flow);
	assert_false(s->control_mode.forward_only);
	assert_true(s->control_mode.use_current_attempt_objective_info);
	assert_true(s->control_mode.use_current_attempt_progress_info);
	assert_int_equal(s->pre_rule_count + s->exit_rule_count + s->post_rule_count, 0);
	assert_false(s->limits.has_attempt_limit);
	assert_int_equal(s->limits.attempt_absolute_duration_limit_centis, -1);
	assert_true(s->rollup.rollup_objective_satisfied);
	assert_true(s->rollup.rollup_progress_completion);
	assert_true(s->rollup.objective_measure_weight == 1.0);
	assert_int_equal(s->objective_count, 1);
	assert_true(s->objectives[0]->primary);
	assert_null(s->objectives[0]->id);
	assert_false(s->objectives[0]->satisfied_by_measure);
	assert_true(s->objectives[0]->min_normalized_measure == 1.0);
	assert_int_equal(s->randomization.randomization_timing, SOMO_SS_TIMING_NEVER);
	assert_int_equal(s->randomization.selection_timing, SOMO_SS_TIMING_NEVER);
	assert_false(s->randomization.has_select_count);
	assert_false(s->randomization.reorder_children);
	assert_true(s->delivery.tracked);
	assert_false(s->delivery.completion_set_by_content);
	assert_false(s->delivery.objective_set_by_content);
	assert_false(s->constrained_choice.prevent_activation);
	assert_false(s->constrained_choice.constrain_choice);
	assert_int_equal(s->rollup_considerations.required_for_satisfied, SOMO_SS_REQUIRED_ALWAYS);
	assert_int_equal(s->rollup_considerations.required_for_incomplete, SOMO_SS_REQUIRED_ALWAYS);
	assert_true(s->rollup_considerations.measure_satisfaction_if_active);
	assert_true(it->isvisible);
	assert_false(it->completion_threshold.written);
	assert_true(somo_manifest_default_org(m)->objectives_global_to_system);
	assert_true(somo_manifest_default_org(m)->shared_data_global_to_system);
	assert_int_equal(it->line, 1);
	assert_int_equal(errors(m, SOMO_VALIDATE_STRICT), 0);
	somo_manifest_free(m);
}

static const char full_seq[] = NS2004 ">\n" META(
    "2004 4th Edition") "\n"
                        "<organizations default='O'><organization identifier='O'><title>T</title>\n"
                        "<item identifier='P'><title>P</title>\n"
                        "<item identifier='I' identifierref='R' isvisible='false' "
                        "parameters='?x=1'><title> I </title>\n"
                        "<adlcp:completionThreshold completedByMeasure='true' "
                        "minProgressMeasure='0.75' progressWeight='0.5'/>\n"
                        "<adlcp:timeLimitAction>exit,no message</adlcp:timeLimitAction>\n"
                        "<adlcp:data><adlcp:map targetID=' shared ' "
                        "writeSharedData='true'/></adlcp:data>\n"
                        "<imsss:sequencing>\n"
                        "<imsss:controlMode choice='false' flow='true' forwardOnly='true' "
                        "useCurrentAttemptProgressInfo='false'/>\n"
                        "<imsss:sequencingRules>\n"
                        "<imsss:preConditionRule><imsss:ruleConditions conditionCombination='any'>"
                        "<imsss:ruleCondition condition='objectiveMeasureLessThan' "
                        "measureThreshold='-0.25' referencedObjective=' o2 '/>"
                        "<imsss:ruleCondition operator='not' "
                        "condition='attempted'/></imsss:ruleConditions>"
                        "<imsss:ruleAction action='hiddenFromChoice'/></imsss:preConditionRule>\n"
                        "<imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition "
                        "condition='always'/></imsss:ruleConditions>"
                        "<imsss:ruleAction action='exitAll'/></imsss:postConditionRule>\n"
                        "</imsss:sequencingRules>\n"
                        "<imsss:limitConditions attemptLimit='3' "
                        "attemptAbsoluteDurationLimit='PT1H30M'/>\n"
                        "<imsss:auxiliaryResources><imsss:auxiliaryResource "
                        "auxiliaryResourceID='aux1' purpose='help'/></imsss:auxiliaryResources>\n"
                        "<imsss:rollupRules rollupObjectiveSatisfied='false' "
                        "objectiveMeasureWeight='0.5'>"
                        "<imsss:rollupRule childActivitySet='atLeastPercent' "
                        "minimumPercent='0.6'><imsss:rollupConditions>"
                        "<imsss:rollupCondition condition='satisfied'/><imsss:rollupCondition "
                        "operator='not' condition='timeLimitExceeded'/>"
                        "</imsss:rollupConditions><imsss:rollupAction "
                        "action='notSatisfied'/></imsss:rollupRule></imsss:rollupRules>\n"
                        "<imsss:objectives><imsss:primaryObjective objectiveID='o1' "
                        "satisfiedByMeasure='true'>"
                        "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>"
                        "<imsss:mapInfo targetObjectiveID='g1' "
                        "writeSatisfiedStatus='true'/></imsss:primaryObjective>"
                        "<imsss:objective objectiveID='o2'><imsss:mapInfo targetObjectiveID='g2' "
                        "readNormalizedMeasure='false'/></imsss:objective>"
                        "</imsss:objectives>\n"
                        "<imsss:randomizationControls randomizationTiming='onEachNewAttempt' "
                        "selectCount='2' reorderChildren='true' selectionTiming='once'/>\n"
                        "<imsss:deliveryControls tracked='false' completionSetByContent='true' "
                        "objectiveSetByContent='true'/>\n"
                        "<adlseq:constrainedChoiceConsiderations preventActivation='true'/>\n"
                        "<adlseq:rollupConsiderations requiredForSatisfied='ifNotSuspended' "
                        "requiredForIncomplete='ifAttempted' "
                        "measureSatisfactionIfActive='false'/>\n"
                        "<adlseq:objectives><adlseq:objective objectiveID='o1'><adlseq:mapInfo "
                        "targetObjectiveID='g1' writeRawScore='true' readMaxScore='false'/>"
                        "<adlseq:mapInfo targetObjectiveID='g3' "
                        "writeCompletionStatus='true'/></adlseq:objective></adlseq:objectives>\n"
                        "</imsss:sequencing>\n"
                        "<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>"
                        "exitAll</adlnav:hideLMSUI>"
                        "<adlnav:hideLMSUI>abandon</adlnav:hideLMSUI></"
                        "adlnav:navigationInterface></adlnav:presentation>\n"
                        "</item></item>\n"
                        "</organization></organizations>" RES "</manifest>";

static void test_full_sequencing(void **state)
{
	somo_manifest *m = parse(full_seq);
	const somo_manifest_item *it = somo_manifest_find_item(m, "I");
	const somo_ss_sequencing *s = it->sequencing;
	const somo_ss_objective *o;

	(void)state;
	assert_non_null(it);
	assert_string_equal(it->title, "I");
	assert_false(it->isvisible);
	assert_string_equal(it->parent->identifier, "P");
	assert_int_equal(it->depth, 2);
	assert_true(it->completion_threshold.completed_by_measure);
	assert_true(it->completion_threshold.min_progress_measure == 0.75);
	assert_true(it->completion_threshold.progress_weight == 0.5);
	assert_int_equal(it->time_limit_action, SOMO_TIME_LIMIT_EXIT_NO_MESSAGE);
	assert_int_equal(it->data_map_count, 1);
	assert_string_equal(it->data_maps[0]->target_id, "shared");
	assert_true(it->data_maps[0]->read_shared_data);
	assert_true(it->data_maps[0]->write_shared_data);
	assert_int_equal(it->hide_lms_ui, SOMO_HIDE_EXIT_ALL | SOMO_HIDE_ABANDON);
	assert_true(s->written);
	assert_int_equal(s->line, 9);
	assert_false(s->control_mode.choice);
	assert_true(s->control_mode.choice_exit);
	assert_true(s->control_mode.flow);
	assert_true(s->control_mode.forward_only);
	assert_false(s->control_mode.use_current_attempt_progress_info);
	assert_int_equal(s->control_mode.line, 10);
	assert_int_equal(s->pre_rule_count, 1);
	assert_int_equal(s->pre_rules[0]->combination, SOMO_SS_COMBINE_ANY);
	assert_int_equal(s->pre_rules[0]->action, SOMO_SS_ACTION_HIDDEN_FROM_CHOICE);
	assert_int_equal(s->pre_rules[0]->condition_count, 2);
	assert_int_equal(s->pre_rules[0]->conditions[0]->condition,
	                 SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN);
	assert_true(s->pre_rules[0]->conditions[0]->measure_threshold == -0.25);
	assert_string_equal(s->pre_rules[0]->conditions[0]->referenced_objective, "o2");
	assert_int_equal(s->pre_rules[0]->conditions[1]->op, SOMO_SS_OP_NOT);
	assert_int_equal(s->pre_rules[0]->conditions[1]->condition, SOMO_SS_COND_ATTEMPTED);
	assert_int_equal(s->post_rule_count, 1);
	assert_int_equal(s->post_rules[0]->action, SOMO_SS_ACTION_EXIT_ALL);
	assert_int_equal(s->post_rules[0]->combination, SOMO_SS_COMBINE_ALL);
	assert_true(s->limits.has_attempt_limit);
	assert_int_equal(s->limits.attempt_limit, 3);
	assert_string_equal(s->limits.attempt_absolute_duration_limit, "PT1H30M");
	assert_int_equal(s->limits.attempt_absolute_duration_limit_centis, 540000);
	assert_int_equal(s->aux_resource_count, 1);
	assert_string_equal(s->aux_resources[0]->purpose, "help");
	assert_false(s->rollup.rollup_objective_satisfied);
	assert_true(s->rollup.rollup_progress_completion);
	assert_true(s->rollup.objective_measure_weight == 0.5);
	assert_int_equal(s->rollup.rule_count, 1);
	assert_int_equal(s->rollup.rules[0]->child_activity_set, SOMO_SS_CHILDREN_AT_LEAST_PERCENT);
	assert_true(s->rollup.rules[0]->minimum_percent == 0.6);
	assert_int_equal(s->rollup.rules[0]->combination, SOMO_SS_COMBINE_ANY);
	assert_int_equal(s->rollup.rules[0]->conditions[1]->condition,
	                 SOMO_SS_COND_TIME_LIMIT_EXCEEDED);
	assert_int_equal(s->rollup.rules[0]->conditions[1]->op, SOMO_SS_OP_NOT);
	assert_int_equal(s->rollup.rules[0]->action, SOMO_SS_ROLLUP_NOT_SATISFIED);
	assert_int_equal(s->objective_count, 2);
	o = s->objectives[0];
	assert_true(o->primary);
	assert_string_equal(o->id, "o1");
	assert_true(o->satisfied_by_measure);
	assert_true(o->min_normalized_measure == 0.6);
	/* imsss g1 joined with adlseq g1, then adlseq-only g3 */
	assert_int_equal(o->map_count, 2);
	assert_string_equal(o->maps[0]->target_objective_id, "g1");
	assert_true(o->maps[0]->has_imsss && o->maps[0]->has_adlseq);
	assert_true(o->maps[0]->write_satisfied_status);
	assert_true(o->maps[0]->read_satisfied_status);
	assert_true(o->maps[0]->write_raw_score);
	assert_false(o->maps[0]->read_max_score);
	assert_true(o->maps[0]->read_min_score);
	assert_string_equal(o->maps[1]->target_objective_id, "g3");
	assert_false(o->maps[1]->has_imsss);
	assert_true(o->maps[1]->write_completion_status);
	assert_false(s->objectives[1]->maps[0]->read_normalized_measure);
	assert_int_equal(s->randomization.randomization_timing, SOMO_SS_TIMING_ON_EACH_NEW_ATTEMPT);
	assert_int_equal(s->randomization.selection_timing, SOMO_SS_TIMING_ONCE);
	assert_true(s->randomization.has_select_count);
	assert_int_equal(s->randomization.select_count, 2);
	assert_true(s->randomization.reorder_children);
	assert_false(s->delivery.tracked);
	assert_true(s->delivery.completion_set_by_content);
	assert_true(s->delivery.objective_set_by_content);
	assert_true(s->constrained_choice.prevent_activation);
	assert_false(s->constrained_choice.constrain_choice);
	assert_int_equal(s->rollup_considerations.required_for_satisfied,
	                 SOMO_SS_REQUIRED_IF_NOT_SUSPENDED);
	assert_int_equal(s->rollup_considerations.required_for_not_satisfied,
	                 SOMO_SS_REQUIRED_ALWAYS);
	assert_int_equal(s->rollup_considerations.required_for_incomplete,
	                 SOMO_SS_REQUIRED_IF_ATTEMPTED);
	assert_false(s->rollup_considerations.measure_satisfaction_if_active);
	assert_int_equal(somo_manifest_warning_count(m), 0);
	somo_manifest_free(m);
}

static void test_collection(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 3rd Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='A' identifierref='R'><title>A</title>"
	                        "<imsss:sequencing IDRef='C1'><imsss:controlMode flow='true'/>"
	                        "<imsss:sequencingRules><imsss:postConditionRule><imsss:"
	                        "ruleConditions><imsss:ruleCondition condition='completed'/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='continue'/></imsss:postConditionRule></"
	                        "imsss:sequencingRules>"
	                        "</imsss:sequencing></item>"
	                        "<item identifier='B' "
	                        "identifierref='R'><title>B</title><imsss:sequencing "
	                        "IDRef='nope'/></item>"
	                        "<item identifier='C' "
	                        "identifierref='R'><title>C</title><imsss:sequencing "
	                        "IDRef='C1'/></item>"
	                        "</organization></organizations>" RES
	                        "<imsss:sequencingCollection><imsss:sequencing "
	                        "ID='C1'><imsss:controlMode choice='false' flow='false'/>"
	                        "<imsss:sequencingRules><imsss:preConditionRule><imsss:"
	                        "ruleConditions><imsss:ruleCondition condition='satisfied'/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='skip'/></imsss:preConditionRule>"
	                        "<imsss:postConditionRule><imsss:ruleConditions><imsss:"
	                        "ruleCondition condition='satisfied'/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='retry'/></imsss:postConditionRule></imsss:sequencingRules>"
	                        "<imsss:limitConditions "
	                        "attemptLimit='4'/></imsss:sequencing></"
	                        "imsss:sequencingCollection></manifest>");
	const somo_ss_sequencing *s = somo_manifest_find_item(m, "A")->sequencing;
	const char *id = NULL;

	(void)state;
	assert_string_equal(s->collection_id, "C1");
	/* the item's own controlMode replaces the collection's whole: choice back to its default */
	assert_true(s->control_mode.choice);
	assert_true(s->control_mode.flow);
	assert_int_equal(s->limits.attempt_limit,
	                 4);                    /* not written by the item: the collection's */
	assert_int_equal(s->pre_rule_count, 0); /* own sequencingRules replace all the lists */
	assert_int_equal(s->post_rule_count, 1);
	assert_int_equal(s->post_rules[0]->action, SOMO_SS_ACTION_CONTINUE);
	s = somo_manifest_find_item(m, "C")->sequencing;
	assert_false(s->control_mode.choice); /* no own controlMode: the collection's */
	assert_int_equal(s->pre_rule_count, 1);
	assert_int_equal(s->post_rules[0]->action, SOMO_SS_ACTION_RETRY);
	assert_int_equal(somo_manifest_collection_count(m), 1);
	assert_false(somo_manifest_collection_at(m, 0, &id)->control_mode.flow);
	assert_string_equal(id, "C1");
	assert_true(has_warning(m, "IDRef=\"nope\""));
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 0);
	assert_int_equal(errors(m, SOMO_VALIDATE_STRICT), 1);
	somo_manifest_free(m);
}

/* The launch URL of an item with the given xml:base values (NULL for none). */
static const char *launch_of(const char *mbase, const char *sbase, const char *rbase,
                             const char *href, const char *params)
{
	static char out[512];
	char xml[2048], pa[256] = "", ma[128] = "", sa[128] = "", ra[128] = "";
	somo_manifest *m;
	char *url;

	if (params)
		snprintf(pa, sizeof(pa), " parameters='%s'", params);
	if (mbase)
		snprintf(ma, sizeof(ma), " xml:base='%s'", mbase);
	if (sbase)
		snprintf(sa, sizeof(sa), " xml:base='%s'", sbase);
	if (rbase)
		snprintf(ra, sizeof(ra), " xml:base='%s'", rbase);
	snprintf(
	    xml, sizeof(xml),
	    NS2004 "%s>" META(
	        "2004 3rd Edition") "<organizations default='O'><organization "
	                            "identifier='O'><title>T</title>"
	                            "<item identifier='I' "
	                            "identifierref='R'%s><title>I</title></item></organization></"
	                            "organizations>"
	                            "<resources%s><resource identifier='R' type='webcontent' "
	                            "adlcp:scormType='sco' href='%s'%s/></resources></manifest>",
	    ma, pa, sa, href, ra);
	m = parse(xml);
	url = somo_manifest_item_launch_url(somo_manifest_find_item(m, "I"));
	snprintf(out, sizeof(out), "%s", url ? url : "(null)");
	somo_free(url);
	somo_manifest_free(m);
	return out;
}

static void test_launch_url(void **state)
{
	(void)state;
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html", NULL), "a.html");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html", "?x=1&amp;y=2"),
	                    "a.html?x=1&y=2");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html", "x=1"), "a.html?x=1");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html?b=2", "?x=1"), "a.html?b=2&x=1");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html?b=2", "&amp;x=1"),
	                    "a.html?b=2&x=1");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html", "#part2"), "a.html#part2");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html#top", "#part2"), "a.html#top");
	assert_string_equal(launch_of(NULL, NULL, NULL, "a.html#top", "?x=1"), "a.html?x=1#top");
	assert_string_equal(launch_of(NULL, NULL, NULL, "http://example.com/a.html", "x=1"),
	                    "http://example.com/a.html?x=1");
	assert_string_equal(launch_of("m/", "s/", "r", "a.html", NULL), "m/s/r/a.html");
	assert_string_equal(launch_of(NULL, "s/", NULL, "a.html", NULL), "s/a.html");
	assert_string_equal(launch_of("http://cdn.example/c/", "s/", NULL, "a.html", NULL),
	                    "http://cdn.example/c/s/a.html");
	assert_string_equal(launch_of("m/", NULL, NULL, "http://other.example/x.html", NULL),
	                    "http://other.example/x.html");
}

static void test_scorm12(void **state)
{
	somo_manifest *m = parse(
	    "<manifest identifier='M' xmlns='http://www.imsproject.org/xsd/imscp_rootv1p1p2'"
	    " xmlns:adlcp='http://www.adlnet.org/xsd/adlcp_rootv1p2'>" META(
	        "1.2") "<organizations default='O'><organization identifier='O'><title>T</title>"
	               "<item identifier='I1' identifierref='R1'><title>One</title>"
	               "<adlcp:prerequisites type='aicc_script'>I0&amp;I2</adlcp:prerequisites>"
	               "<adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>"
	               "<adlcp:timelimitaction>continue,no message</adlcp:timelimitaction>"
	               "<adlcp:datafromlms>hello</adlcp:datafromlms><adlcp:masteryscore>80</"
	               "adlcp:masteryscore></item>"
	               "</organization></organizations><resources>"
	               "<resource identifier='R1' type='webcontent' adlcp:scormtype='SCO' "
	               "href='x/index.html'>"
	               "<file href='x/index.html'/><dependency identifierref='R2'/></resource>"
	               "<resource identifier='R2' type='webcontent' adlcp:scormtype='asset'><file "
	               "href='x/a.js'/></resource>"
	               "</resources></manifest>");
	const somo_manifest_item *it = somo_manifest_find_item(m, "I1");
	const somo_manifest_resource *r = somo_manifest_find_resource(m, "R1");

	(void)state;
	assert_int_equal(somo_manifest_standard(m), SOMO_STANDARD_SCORM12);
	assert_int_equal(somo_manifest_edition(m), SOMO_EDITION_NONE);
	assert_string_equal(it->prerequisites, "I0&I2");
	assert_string_equal(it->prerequisites_type, "aicc_script");
	assert_string_equal(it->max_time_allowed, "00:30:00");
	assert_int_equal(it->time_limit_action, SOMO_TIME_LIMIT_CONTINUE_NO_MESSAGE);
	assert_string_equal(it->data_from_lms, "hello");
	assert_true(it->has_mastery_score);
	assert_true(it->mastery_score == 80.0);
	assert_string_equal(r->scorm_type, "sco");
	assert_true(r->is_sco);
	assert_int_equal(r->dependency_count, 1);
	assert_ptr_equal(r->dependencies[0], somo_manifest_find_resource(m, "R2"));
	assert_string_equal(somo_manifest_find_resource(m, "R2")->scorm_type, "asset");
	assert_int_equal(errors(m, SOMO_VALIDATE_STRICT), 0);
	somo_manifest_free(m);
}

static void test_hostile(void **state)
{
	somo_diag d;
	static const char bomb[] =
	    "<?xml version='1.0'?><!DOCTYPE manifest [<!ENTITY a 'aaaaaaaaaa'>"
	    "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c "
	    "'&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>"
	    "<manifest identifier='&c;'><organizations/></manifest>";
	static const char xxe[] =
	    "<?xml version='1.0'?><!DOCTYPE manifest [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
	    "<manifest identifier='M'><metadata><schema>&x;</schema></metadata></manifest>";
	static const char ext_dtd[] =
	    "<?xml version='1.0'?><!DOCTYPE manifest SYSTEM 'http://example.invalid/x.dtd'>"
	    "<manifest identifier='M'><organizations/><resources/></manifest>";
	somo_manifest *m = NULL;
	somo_manifest_opts o = SOMO_MANIFEST_OPTS_INIT;
	const char *small = NS2004 ">" META("2004 3rd Edition") "</manifest>";

	(void)state;
	assert_int_equal(parse_fail(bomb, &d), SOMO_EUNSAFE);
	assert_non_null(strstr(d.text, "entities"));
	assert_int_equal(parse_fail(xxe, &d), SOMO_EUNSAFE);
	/* an external DTD is never fetched nor needed */
	assert_int_equal(somo_manifest_parse_memory(&m, ext_dtd, strlen(ext_dtd), NULL, NULL, &d),
	                 0);
	somo_manifest_free(m);
	o.max_size = 10;
	assert_int_equal(somo_manifest_parse_memory(&m, small, strlen(small), NULL, &o, &d),
	                 SOMO_ELIMIT);
	o.max_size = 0;
	o.max_elements = 1;
	assert_int_equal(somo_manifest_parse_memory(&m, small, strlen(small), NULL, &o, &d),
	                 SOMO_ELIMIT);
	assert_null(m);
}

static void test_malformed(void **state)
{
	somo_diag d;

	(void)state;
	assert_int_equal(parse_fail("<manifest>\n<organizations>\n</manifest>", &d), SOMO_EPARSE);
	assert_int_equal(d.line, 3);
	assert_string_equal(d.file, "imsmanifest.xml");
	assert_int_equal(parse_fail("", &d), SOMO_EPARSE);
	assert_int_equal(parse_fail("<?xml version='1.0'?>", &d), SOMO_EPARSE);
	assert_int_equal(parse_fail("<courseStructure/>", &d), SOMO_EINVALID);
	assert_non_null(strstr(d.text, "not <manifest>"));
}

static void test_edition_inference(void **state)
{
	somo_manifest *m = parse(
	    NS2004
	    "><organizations default='O'><organization identifier='O'><title>T</title>"
	    "<item identifier='I' "
	    "identifierref='R'><title>I</title><imsss:sequencing><adlseq:objectives>"
	    "<adlseq:objective objectiveID='x'><adlseq:mapInfo "
	    "targetObjectiveID='g'/></adlseq:objective>"
	    "</adlseq:objectives></imsss:sequencing></item></organization></organizations>" RES
	    "</manifest>");

	(void)state;
	assert_int_equal(somo_manifest_edition(m), SOMO_EDITION_2004_4TH);
	assert_true(somo_manifest_edition_inferred(m));
	assert_true(has_warning(m, "no schemaversion"));
	somo_manifest_free(m);
	m = parse(NS2004 "><organizations default='O'><organization identifier='O'><title>T</title>"
	                 "<item identifier='I' identifierref='R'><title>I</title>"
	                 "<adlcp:completionThreshold>0.6</adlcp:completionThreshold></item></"
	                 "organization></organizations>" RES "</manifest>");
	assert_int_equal(somo_manifest_edition(m), SOMO_EDITION_2004_3RD);
	assert_true(somo_manifest_find_item(m, "I")->completion_threshold.text_form);
	assert_true(somo_manifest_find_item(m, "I")->completion_threshold.min_progress_measure ==
	            0.6);
	somo_manifest_free(m);
	m = parse(
	    "<manifest identifier='M' "
	    "xmlns='http://www.imsglobal.org/xsd/imscp_v1p1'><metadata><schema>IMS Content</schema>"
	    "<schemaversion>1.1.4</schemaversion></metadata><organizations/><resources/></"
	    "manifest>");
	assert_int_equal(somo_manifest_standard(m), SOMO_STANDARD_IMSCP);
	assert_false(somo_manifest_edition_inferred(m));
	somo_manifest_free(m);
	m = parse(NS2004 ">" META("2004 3rd edition") "<organizations/><resources/></manifest>");
	assert_int_equal(somo_manifest_edition(m), SOMO_EDITION_2004_3RD);
	assert_true(has_warning(m, "not written as"));
	somo_manifest_free(m);
}

static void test_identifiers_and_default_org(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='missing'><organization identifier='  O1  "
	                        "'><title>T</title>"
	                        "<item identifier=' I ' identifierref=' R "
	                        "'><title>I</title></item></organization>"
	                        "<organization identifier='O2'><title>T2</title><item "
	                        "identifier='I' "
	                        "identifierref='R'><title>I</title></item></organization>"
	                        "</organizations>"
	                        "<resources><resource identifier='  R ' type='webcontent' "
	                        "adlcp:scormType='sco' href='a.html'/></resources></manifest>");
	somo_manifest_report *r = NULL;
	size_t i;
	bool dup = false;

	(void)state;
	assert_string_equal(somo_manifest_default_org(m)->identifier, "O1");
	assert_true(has_warning(m, "default=\"missing\""));
	assert_string_equal(somo_manifest_find_item(m, "I")->resource->identifier, "R");
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 0);
	assert_int_equal(somo_manifest_validate(&r, m, NULL, SOMO_VALIDATE_STRICT), 0);
	for (i = 0; i < somo_manifest_report_count(r); i++)
		if (strstr(somo_manifest_report_at(r, i)->text,
		           "identifier \"I\" of item is already used"))
			dup = true;
	assert_true(dup);
	assert_int_equal(somo_manifest_report_errors(r), 2);
	somo_manifest_report_free(r);
	somo_manifest_free(m);
}

static void test_submanifest(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 3rd Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' "
	                        "identifierref='SUB'><title>I</title></item></organization></"
	                        "organizations>"
	                        "<resources xml:base='top/'/>"
	                        "<manifest identifier='SUB' xml:base='sub/'><organizations "
	                        "default='SO'><organization identifier='SO'><title>S</title>"
	                        "<item identifier='SI' "
	                        "identifierref='SR'><title>SI</title></item></organization></"
	                        "organizations>"
	                        "<resources><resource identifier='SR' type='webcontent' "
	                        "adlcp:scormType='sco' href='s.html'/></resources></manifest>"
	                        "</manifest>");
	const somo_manifest_item *it = somo_manifest_find_item(m, "I");
	const somo_manifest_sub *sub = somo_manifest_sub_at(m, 0);

	(void)state;
	assert_int_equal(somo_manifest_sub_count(m), 1);
	assert_ptr_equal(it->submanifest, sub);
	assert_string_equal(sub->default_org->identifier, "SO");
	assert_string_equal(somo_manifest_find_resource(m, "SR")->launch, "sub/s.html");
	assert_ptr_equal(somo_manifest_find_item(m, "SI")->resource,
	                 somo_manifest_find_resource(m, "SR"));
	assert_int_equal(somo_manifest_resource_count(m), 0);
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 0);
	somo_manifest_free(m);
}

static void test_bad_values(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' "
	                        "identifierref='R'><title>I</title><imsss:sequencing>"
	                        "<imsss:controlMode flow='yes' choice='False'/>"
	                        "<imsss:sequencingRules><imsss:preConditionRule><imsss:"
	                        "ruleConditions><imsss:ruleCondition condition='bogus'/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='skip'/></imsss:preConditionRule>"
	                        "<imsss:postConditionRule><imsss:ruleConditions><imsss:"
	                        "ruleCondition condition='completed'/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='skip'/></imsss:postConditionRule></imsss:sequencingRules>"
	                        "<imsss:objectives><imsss:primaryObjective><imsss:"
	                        "minNormalizedMeasure>1.5</imsss:minNormalizedMeasure>"
	                        "</imsss:primaryObjective></imsss:objectives>"
	                        "</imsss:sequencing></item></organization></organizations>" RES
	                        "</manifest>");
	const somo_ss_sequencing *s = somo_manifest_find_item(m, "I")->sequencing;

	(void)state;
	assert_false(s->control_mode.flow);   /* "yes": the default stays */
	assert_false(s->control_mode.choice); /* "False": read, and reported */
	assert_int_equal(s->pre_rule_count, 0);
	assert_int_equal(s->post_rule_count, 1);
	assert_true(s->objectives[0]->min_normalized_measure == 1.0);
	assert_true(has_warning(m, "flow=\"yes\""));
	assert_true(has_warning(m, "condition=\"bogus\""));
	assert_true(has_warning(m, "does not belong in a postcondition rule"));
	assert_true(has_warning(m, "outside -1..1"));
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 0);
	assert_true(errors(m, SOMO_VALIDATE_STRICT) >= 5);
	somo_manifest_free(m);
}

static void test_objective_checks(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' "
	                        "identifierref='R'><title>I</title><imsss:sequencing>"
	                        "<imsss:sequencingRules><imsss:preConditionRule><imsss:"
	                        "ruleConditions>"
	                        "<imsss:ruleCondition condition='satisfied' "
	                        "referencedObjective='missing'/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='skip'/></imsss:preConditionRule></imsss:sequencingRules>"
	                        "<imsss:objectives><imsss:primaryObjective "
	                        "objectiveID='a'/><imsss:objective objectiveID='a'/>"
	                        "</imsss:objectives></imsss:sequencing></item></organization></"
	                        "organizations>" RES "</manifest>");
	somo_manifest_report *r = NULL;
	size_t i, warn = 0;

	(void)state;
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 0);
	assert_int_equal(somo_manifest_validate(&r, m, NULL, SOMO_VALIDATE_STRICT), 0);
	assert_int_equal(somo_manifest_report_errors(r), 1); /* the duplicate objectiveID */
	for (i = 0; i < somo_manifest_report_count(r); i++)
		if (strstr(somo_manifest_report_at(r, i)->text, "referencedObjective=\"missing\""))
			warn++;
	assert_int_equal(warn, 1);
	somo_manifest_report_free(r);
	somo_manifest_free(m);
}

/* Objective ids are xs:anyURI: every spelling of one id (whitespace, %20)
 * reads the same, so rules, maps and adlseq:objectives find their objective
 * (ADL conformance OB-02a, OB-02b, OB-12a). */
static void test_objective_id_forms(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' "
	                        "identifierref='R'><title>I</title><imsss:sequencing>"
	                        "<imsss:sequencingRules><imsss:preConditionRule><imsss:"
	                        "ruleConditions>"
	                        "<imsss:ruleCondition condition='satisfied' "
	                        "referencedObjective='    ob%20%20%20j%20%201  '/>"
	                        "<imsss:ruleCondition condition='satisfied' "
	                        "referencedObjective='  %20x%2fy%20 '/>"
	                        "</imsss:ruleConditions><imsss:ruleAction "
	                        "action='skip'/></imsss:preConditionRule></imsss:sequencingRules>"
	                        "<imsss:objectives><imsss:primaryObjective "
	                        "objectiveID=' ob%20j%201     '><imsss:mapInfo "
	                        "targetObjectiveID='  gObj%20-%20OB%2002%20b '/>"
	                        "</imsss:primaryObjective><imsss:objective objectiveID='x%2fy'/>"
	                        "<imsss:objective objectiveID='%20'/>"
	                        "</imsss:objectives>"
	                        "<adlseq:objectives><adlseq:objective objectiveID='ob j\t1'>"
	                        "<adlseq:mapInfo targetObjectiveID='gObj%20%20-%20%20OB%2002%20b' "
	                        "writeRawScore='true'/></adlseq:objective></adlseq:objectives>"
	                        "</imsss:sequencing></item></organization></organizations>" RES
	                        "</manifest>");
	const somo_ss_sequencing *s = somo_manifest_find_item(m, "I")->sequencing;
	const somo_ss_objective *o = s->objectives[0];

	(void)state;
	assert_string_equal(o->id, "ob j 1");
	assert_string_equal(s->pre_rules[0]->conditions[0]->referenced_objective, "ob j 1");
	/* only %20 is read; other escapes stay */
	assert_string_equal(s->pre_rules[0]->conditions[1]->referenced_objective, "x%2fy");
	assert_int_equal(s->objective_count, 2); /* objectiveID="%20" is no id */
	assert_string_equal(s->objectives[1]->id, "x%2fy");
	/* the adlseq objective joins the imsss one, and both maps are one */
	assert_int_equal(o->map_count, 1);
	assert_string_equal(o->maps[0]->target_objective_id, "gObj - OB 02 b");
	assert_true(o->maps[0]->has_imsss && o->maps[0]->has_adlseq);
	assert_true(o->maps[0]->write_raw_score);
	assert_true(has_warning(m, "objective without objectiveID"));
	somo_manifest_free(m);
}

/* Weights and measures outside their schema range read as the nearest bound,
 * with a warning that names the value used; not a number keeps the default. */
static void test_range_clamping(void **state)
{
	somo_manifest *m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' identifierref='R'><title>I</title>"
	                        "<adlcp:completionThreshold minProgressMeasure='-1' "
	                        "progressWeight='3'/>"
	                        "<imsss:sequencing><imsss:rollupRules "
	                        "objectiveMeasureWeight='-0.5'/></imsss:sequencing></item>"
	                        "<item identifier='J' identifierref='R'><title>J</title>"
	                        "<adlcp:completionThreshold progressWeight='x'/>"
	                        "<imsss:sequencing><imsss:rollupRules "
	                        "objectiveMeasureWeight='2'/></imsss:sequencing></item>"
	                        "</organization></organizations>" RES "</manifest>");
	const somo_manifest_item *i = somo_manifest_find_item(m, "I");
	const somo_manifest_item *j = somo_manifest_find_item(m, "J");

	(void)state;
	assert_true(i->completion_threshold.min_progress_measure == 0.0);
	assert_true(i->completion_threshold.progress_weight == 1.0);
	assert_true(i->sequencing->rollup.objective_measure_weight == 0.0);
	assert_true(j->completion_threshold.progress_weight == 1.0);
	assert_true(j->sequencing->rollup.objective_measure_weight == 1.0);
	assert_true(has_warning(m, "minProgressMeasure=\"-1\" is outside 0..1; 0 is used"));
	assert_true(has_warning(m, "progressWeight=\"3\" is outside 0..1; 1 is used"));
	assert_true(has_warning(m, "objectiveMeasureWeight=\"-0.5\" is outside 0..1; 0 is used"));
	assert_true(has_warning(m, "progressWeight=\"x\" is not a decimal number"));
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 0);
	assert_true(errors(m, SOMO_VALIDATE_STRICT) >= 5);
	somo_manifest_free(m);
}

static void test_unplayable(void **state)
{
	somo_manifest *m =
	    parse(NS2004 ">" META("2004 4th Edition") "<organizations/>" RES "</manifest>");

	(void)state;
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 1);
	somo_manifest_free(m);
	m = parse(NS2004 ">" META(
	    "2004 4th Edition") "<organizations default='O'><organization "
	                        "identifier='O'><title>T</title>"
	                        "<item identifier='I' "
	                        "identifierref='R'><title>I</title></item></organization></"
	                        "organizations>"
	                        "<resources><resource identifier='R' type='webcontent' "
	                        "adlcp:scormType='asset'/></resources></manifest>");
	assert_int_equal(errors(m, SOMO_VALIDATE_LENIENT), 1);
	somo_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_full_sequencing),
	    cmocka_unit_test(test_collection),
	    cmocka_unit_test(test_launch_url),
	    cmocka_unit_test(test_scorm12),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_edition_inference),
	    cmocka_unit_test(test_identifiers_and_default_org),
	    cmocka_unit_test(test_submanifest),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_objective_checks),
	    cmocka_unit_test(test_objective_id_forms),
	    cmocka_unit_test(test_range_clamping),
	    cmocka_unit_test(test_unplayable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
