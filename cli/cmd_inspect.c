/*
 * somo inspect PACKAGE [--json]
 *
 * What a package is: its standard and edition, the organization tree with
 * each item's launch URL, a summary of the sequencing, and the warnings
 * found while reading it. Dispatches on the file at the package root:
 * imsmanifest.xml first, then cmi5.xml, then tincan.xml.
 * Exit 0 when the package was read; 1 when its manifest cannot be read;
 * 2 when the package cannot be opened or the command line is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli_util.h"
#include "commands.h"
#include "somo.h"
#include "util/util.h"

static int usage(void)
{
	fprintf(stderr, "usage: somo inspect PACKAGE [--json]\n");
	return 2;
}

/* ---- the sequencing summary ---- */

static void seq_text(somo__buf *b, const somo_ss_sequencing *s)
{
	const somo_ss_control_mode *m = &s->control_mode;
	size_t i, maps = 0;

	if (s->collection_id)
		somo__buf_printf(b, " collection=%s", s->collection_id);
	if (m->line || s->collection_id)
		somo__buf_printf(b, " choice=%d choiceExit=%d flow=%d forwardOnly=%d", m->choice,
		                 m->choice_exit, m->flow, m->forward_only);
	if (!m->use_current_attempt_objective_info)
		somo__buf_puts(b, " useCurrentAttemptObjectiveInfo=0");
	if (!m->use_current_attempt_progress_info)
		somo__buf_puts(b, " useCurrentAttemptProgressInfo=0");
	for (i = 0; i < s->pre_rule_count; i++)
		somo__buf_printf(b, " pre:%s", somo_ss_action_name(s->pre_rules[i]->action));
	for (i = 0; i < s->exit_rule_count; i++)
		somo__buf_printf(b, " exit:%s", somo_ss_action_name(s->exit_rules[i]->action));
	for (i = 0; i < s->post_rule_count; i++)
		somo__buf_printf(b, " post:%s", somo_ss_action_name(s->post_rules[i]->action));
	if (s->limits.has_attempt_limit)
		somo__buf_printf(b, " attemptLimit=%u", s->limits.attempt_limit);
	if (s->limits.attempt_absolute_duration_limit)
		somo__buf_printf(b, " attemptAbsoluteDurationLimit=%s",
		                 s->limits.attempt_absolute_duration_limit);
	for (i = 0; i < s->rollup.rule_count; i++)
		somo__buf_printf(b, " rollup:%s->%s",
		                 somo_ss_child_set_name(s->rollup.rules[i]->child_activity_set),
		                 somo_ss_rollup_action_name(s->rollup.rules[i]->action));
	if (!s->rollup.rollup_objective_satisfied)
		somo__buf_puts(b, " rollupObjectiveSatisfied=0");
	if (!s->rollup.rollup_progress_completion)
		somo__buf_puts(b, " rollupProgressCompletion=0");
	if (s->rollup.objective_measure_weight != 1.0)
		somo__buf_printf(b, " objectiveMeasureWeight=%g",
		                 s->rollup.objective_measure_weight);
	for (i = 0; i < s->objective_count; i++) {
		const somo_ss_objective *o = s->objectives[i];

		maps += o->map_count;
		if (!o->line)
			continue;
		somo__buf_printf(b, " %s=%s", o->primary ? "primary" : "objective",
		                 o->id ? o->id : "-");
		if (o->satisfied_by_measure)
			somo__buf_printf(b, "(measure>=%g)", o->min_normalized_measure);
	}
	if (maps)
		somo__buf_printf(b, " maps=%zu", maps);
	if (s->randomization.line)
		somo__buf_printf(b, " randomization=%s select=%s%u reorder=%d",
		                 somo_ss_timing_name(s->randomization.randomization_timing),
		                 somo_ss_timing_name(s->randomization.selection_timing),
		                 s->randomization.select_count, s->randomization.reorder_children);
	if (!s->delivery.tracked)
		somo__buf_puts(b, " tracked=0");
	if (s->delivery.completion_set_by_content)
		somo__buf_puts(b, " completionSetByContent=1");
	if (s->delivery.objective_set_by_content)
		somo__buf_puts(b, " objectiveSetByContent=1");
	if (s->constrained_choice.prevent_activation)
		somo__buf_puts(b, " preventActivation=1");
	if (s->constrained_choice.constrain_choice)
		somo__buf_puts(b, " constrainChoice=1");
	if (s->rollup_considerations.line)
		somo__buf_printf(
		    b, " requiredFor=%s/%s/%s/%s",
		    somo_ss_required_name(s->rollup_considerations.required_for_satisfied),
		    somo_ss_required_name(s->rollup_considerations.required_for_not_satisfied),
		    somo_ss_required_name(s->rollup_considerations.required_for_completed),
		    somo_ss_required_name(s->rollup_considerations.required_for_incomplete));
}

static void print_items(const somo_manifest_item *const *items, size_t n, int depth)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const somo_manifest_item *it = items[i];
		char *url = somo_manifest_item_launch_url(it);
		somo__buf b = SOMO__BUF_INIT;

		printf("%*s- %s \"%s\"", depth * 2, "", it->identifier ? it->identifier : "",
		       it->title);
		if (url)
			printf(" -> %s", url);
		if (it->resource && it->resource->scorm_type)
			printf(" [%s]", it->resource->scorm_type);
		if (it->submanifest)
			printf(" [sub-manifest %s]", it->submanifest->identifier);
		if (!it->isvisible)
			printf(" (hidden)");
		printf("\n");
		if (it->prerequisites || it->has_mastery_score || it->max_time_allowed ||
		    it->time_limit_action || it->data_from_lms ||
		    it->completion_threshold.written) {
			printf("%*s  launch data:", depth * 2, "");
			if (it->prerequisites)
				printf(" prerequisites=\"%s\"", it->prerequisites);
			if (it->has_mastery_score)
				printf(" masteryscore=%g", it->mastery_score);
			if (it->max_time_allowed)
				printf(" maxtimeallowed=%s", it->max_time_allowed);
			if (it->time_limit_action)
				printf(" timeLimitAction=\"%s\"",
				       somo_time_limit_action_name(it->time_limit_action));
			if (it->completion_threshold.written)
				printf(" completionThreshold=%g%s",
				       it->completion_threshold.min_progress_measure,
				       it->completion_threshold.completed_by_measure
				           ? " (by measure)"
				           : "");
			if (it->data_from_lms)
				printf(" dataFromLMS (%zu chars)", strlen(it->data_from_lms));
			printf("\n");
		}
		if (it->sequencing->written) {
			seq_text(&b, it->sequencing);
			if (b.len)
				printf("%*s  sequencing:%s\n", depth * 2, "", b.ptr);
		}
		somo__buf_free(&b);
		somo_free(url);
		print_items(it->children, it->child_count, depth + 1);
	}
}

/* ---- JSON ---- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *cond_json(const somo_ss_condition *c, bool rollup)
{
	json_t *o = json_object();

	json_object_set_new(o, "condition", json_string(somo_ss_condition_name(c->condition)));
	json_object_set_new(o, "operator", json_string(c->op == SOMO_SS_OP_NOT ? "not" : "noOp"));
	if (!rollup) {
		json_object_set_new(o, "referencedObjective", jstr(c->referenced_objective));
		json_object_set_new(o, "measureThreshold", json_real(c->measure_threshold));
	}
	return o;
}

static json_t *rules_json(const somo_ss_rule *const *r, size_t n)
{
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; i < n; i++) {
		json_t *o = json_object(), *cs = json_array();

		json_object_set_new(
		    o, "conditionCombination",
		    json_string(r[i]->combination == SOMO_SS_COMBINE_ANY ? "any" : "all"));
		for (j = 0; j < r[i]->condition_count; j++)
			json_array_append_new(cs, cond_json(r[i]->conditions[j], false));
		json_object_set_new(o, "conditions", cs);
		json_object_set_new(o, "action", json_string(somo_ss_action_name(r[i]->action)));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *seq_json(const somo_ss_sequencing *s)
{
	json_t *o = json_object(), *x, *a;
	size_t i, j;

	if (s->collection_id)
		json_object_set_new(o, "collection", json_string(s->collection_id));
	x = json_object();
	json_object_set_new(x, "choice", json_boolean(s->control_mode.choice));
	json_object_set_new(x, "choiceExit", json_boolean(s->control_mode.choice_exit));
	json_object_set_new(x, "flow", json_boolean(s->control_mode.flow));
	json_object_set_new(x, "forwardOnly", json_boolean(s->control_mode.forward_only));
	json_object_set_new(x, "useCurrentAttemptObjectiveInfo",
	                    json_boolean(s->control_mode.use_current_attempt_objective_info));
	json_object_set_new(x, "useCurrentAttemptProgressInfo",
	                    json_boolean(s->control_mode.use_current_attempt_progress_info));
	json_object_set_new(o, "controlMode", x);
	x = json_object();
	json_object_set_new(x, "pre", rules_json(s->pre_rules, s->pre_rule_count));
	json_object_set_new(x, "exit", rules_json(s->exit_rules, s->exit_rule_count));
	json_object_set_new(x, "post", rules_json(s->post_rules, s->post_rule_count));
	json_object_set_new(o, "sequencingRules", x);
	x = json_object();
	if (s->limits.has_attempt_limit)
		json_object_set_new(x, "attemptLimit", json_integer(s->limits.attempt_limit));
	if (s->limits.attempt_absolute_duration_limit)
		json_object_set_new(x, "attemptAbsoluteDurationLimit",
		                    json_string(s->limits.attempt_absolute_duration_limit));
	json_object_set_new(o, "limitConditions", x);
	if (s->aux_resource_count) {
		a = json_array();
		for (i = 0; i < s->aux_resource_count; i++) {
			x = json_object();
			json_object_set_new(x, "auxiliaryResourceID",
			                    jstr(s->aux_resources[i]->id));
			json_object_set_new(x, "purpose", jstr(s->aux_resources[i]->purpose));
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "auxiliaryResources", a);
	}
	x = json_object();
	json_object_set_new(x, "rollupObjectiveSatisfied",
	                    json_boolean(s->rollup.rollup_objective_satisfied));
	json_object_set_new(x, "rollupProgressCompletion",
	                    json_boolean(s->rollup.rollup_progress_completion));
	json_object_set_new(x, "objectiveMeasureWeight",
	                    json_real(s->rollup.objective_measure_weight));
	a = json_array();
	for (i = 0; i < s->rollup.rule_count; i++) {
		const somo_ss_rollup_rule *r = s->rollup.rules[i];
		json_t *ro = json_object(), *cs = json_array();

		json_object_set_new(ro, "childActivitySet",
		                    json_string(somo_ss_child_set_name(r->child_activity_set)));
		json_object_set_new(ro, "minimumCount", json_integer(r->minimum_count));
		json_object_set_new(ro, "minimumPercent", json_real(r->minimum_percent));
		json_object_set_new(
		    ro, "conditionCombination",
		    json_string(r->combination == SOMO_SS_COMBINE_ALL ? "all" : "any"));
		for (j = 0; j < r->condition_count; j++)
			json_array_append_new(cs, cond_json(r->conditions[j], true));
		json_object_set_new(ro, "conditions", cs);
		json_object_set_new(ro, "action",
		                    json_string(somo_ss_rollup_action_name(r->action)));
		json_array_append_new(a, ro);
	}
	json_object_set_new(x, "rules", a);
	json_object_set_new(o, "rollupRules", x);
	a = json_array();
	for (i = 0; i < s->objective_count; i++) {
		const somo_ss_objective *ob = s->objectives[i];
		json_t *oo = json_object(), *ms = json_array();

		json_object_set_new(oo, "objectiveID", jstr(ob->id));
		json_object_set_new(oo, "primary", json_boolean(ob->primary));
		json_object_set_new(oo, "satisfiedByMeasure",
		                    json_boolean(ob->satisfied_by_measure));
		json_object_set_new(oo, "minNormalizedMeasure",
		                    json_real(ob->min_normalized_measure));
		for (j = 0; j < ob->map_count; j++) {
			const somo_ss_map_info *m = ob->maps[j];
			json_t *mo = json_object();

			json_object_set_new(mo, "targetObjectiveID",
			                    json_string(m->target_objective_id));
			json_object_set_new(mo, "readSatisfiedStatus",
			                    json_boolean(m->read_satisfied_status));
			json_object_set_new(mo, "readNormalizedMeasure",
			                    json_boolean(m->read_normalized_measure));
			json_object_set_new(mo, "writeSatisfiedStatus",
			                    json_boolean(m->write_satisfied_status));
			json_object_set_new(mo, "writeNormalizedMeasure",
			                    json_boolean(m->write_normalized_measure));
			if (m->has_adlseq) {
				json_object_set_new(mo, "readRawScore",
				                    json_boolean(m->read_raw_score));
				json_object_set_new(mo, "readMinScore",
				                    json_boolean(m->read_min_score));
				json_object_set_new(mo, "readMaxScore",
				                    json_boolean(m->read_max_score));
				json_object_set_new(mo, "readCompletionStatus",
				                    json_boolean(m->read_completion_status));
				json_object_set_new(mo, "readProgressMeasure",
				                    json_boolean(m->read_progress_measure));
				json_object_set_new(mo, "writeRawScore",
				                    json_boolean(m->write_raw_score));
				json_object_set_new(mo, "writeMinScore",
				                    json_boolean(m->write_min_score));
				json_object_set_new(mo, "writeMaxScore",
				                    json_boolean(m->write_max_score));
				json_object_set_new(mo, "writeCompletionStatus",
				                    json_boolean(m->write_completion_status));
				json_object_set_new(mo, "writeProgressMeasure",
				                    json_boolean(m->write_progress_measure));
			}
			json_array_append_new(ms, mo);
		}
		json_object_set_new(oo, "mapInfo", ms);
		json_array_append_new(a, oo);
	}
	json_object_set_new(o, "objectives", a);
	x = json_object();
	json_object_set_new(
	    x, "randomizationTiming",
	    json_string(somo_ss_timing_name(s->randomization.randomization_timing)));
	json_object_set_new(x, "selectCount",
	                    s->randomization.has_select_count
	                        ? json_integer(s->randomization.select_count)
	                        : json_null());
	json_object_set_new(x, "reorderChildren", json_boolean(s->randomization.reorder_children));
	json_object_set_new(x, "selectionTiming",
	                    json_string(somo_ss_timing_name(s->randomization.selection_timing)));
	json_object_set_new(o, "randomizationControls", x);
	x = json_object();
	json_object_set_new(x, "tracked", json_boolean(s->delivery.tracked));
	json_object_set_new(x, "completionSetByContent",
	                    json_boolean(s->delivery.completion_set_by_content));
	json_object_set_new(x, "objectiveSetByContent",
	                    json_boolean(s->delivery.objective_set_by_content));
	json_object_set_new(o, "deliveryControls", x);
	x = json_object();
	json_object_set_new(x, "preventActivation",
	                    json_boolean(s->constrained_choice.prevent_activation));
	json_object_set_new(x, "constrainChoice",
	                    json_boolean(s->constrained_choice.constrain_choice));
	json_object_set_new(o, "constrainedChoiceConsiderations", x);
	x = json_object();
	json_object_set_new(
	    x, "requiredForSatisfied",
	    json_string(somo_ss_required_name(s->rollup_considerations.required_for_satisfied)));
	json_object_set_new(x, "requiredForNotSatisfied",
	                    json_string(somo_ss_required_name(
	                        s->rollup_considerations.required_for_not_satisfied)));
	json_object_set_new(
	    x, "requiredForCompleted",
	    json_string(somo_ss_required_name(s->rollup_considerations.required_for_completed)));
	json_object_set_new(
	    x, "requiredForIncomplete",
	    json_string(somo_ss_required_name(s->rollup_considerations.required_for_incomplete)));
	json_object_set_new(x, "measureSatisfactionIfActive",
	                    json_boolean(s->rollup_considerations.measure_satisfaction_if_active));
	json_object_set_new(o, "rollupConsiderations", x);
	return o;
}

static const char *const hide_names[] = {"previous", "continue",   "exit",      "exitAll",
                                         "abandon",  "abandonAll", "suspendAll"};

static json_t *items_json(const somo_manifest_item *const *items, size_t n)
{
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; i < n; i++) {
		const somo_manifest_item *it = items[i];
		json_t *o = json_object();
		char *url = somo_manifest_item_launch_url(it);

		json_object_set_new(o, "identifier", jstr(it->identifier));
		json_object_set_new(o, "title", json_string(it->title));
		json_object_set_new(o, "identifierref", jstr(it->identifierref));
		json_object_set_new(o, "visible", json_boolean(it->isvisible));
		json_object_set_new(o, "parameters", jstr(it->parameters));
		json_object_set_new(o, "launchUrl", jstr(url));
		json_object_set_new(o, "scormType",
		                    jstr(it->resource ? it->resource->scorm_type : NULL));
		if (it->submanifest)
			json_object_set_new(o, "subManifest",
			                    json_string(it->submanifest->identifier));
		if (it->prerequisites)
			json_object_set_new(o, "prerequisites", json_string(it->prerequisites));
		if (it->max_time_allowed)
			json_object_set_new(o, "maxTimeAllowed", json_string(it->max_time_allowed));
		if (it->data_from_lms)
			json_object_set_new(o, "dataFromLMS", json_string(it->data_from_lms));
		if (it->has_mastery_score)
			json_object_set_new(o, "masteryScore", json_real(it->mastery_score));
		if (it->time_limit_action)
			json_object_set_new(
			    o, "timeLimitAction",
			    json_string(somo_time_limit_action_name(it->time_limit_action)));
		if (it->completion_threshold.written) {
			json_t *t = json_object();

			json_object_set_new(
			    t, "completedByMeasure",
			    json_boolean(it->completion_threshold.completed_by_measure));
			json_object_set_new(
			    t, "minProgressMeasure",
			    json_real(it->completion_threshold.min_progress_measure));
			json_object_set_new(t, "progressWeight",
			                    json_real(it->completion_threshold.progress_weight));
			json_object_set_new(o, "completionThreshold", t);
		}
		if (it->data_map_count) {
			json_t *d = json_array();

			for (j = 0; j < it->data_map_count; j++) {
				json_t *m = json_object();

				json_object_set_new(m, "targetID",
				                    json_string(it->data_maps[j]->target_id));
				json_object_set_new(
				    m, "readSharedData",
				    json_boolean(it->data_maps[j]->read_shared_data));
				json_object_set_new(
				    m, "writeSharedData",
				    json_boolean(it->data_maps[j]->write_shared_data));
				json_array_append_new(d, m);
			}
			json_object_set_new(o, "data", d);
		}
		if (it->hide_lms_ui) {
			json_t *h = json_array();

			for (j = 0; j < SOMO__ARRAY_SIZE(hide_names); j++)
				if (it->hide_lms_ui & (1u << j))
					json_array_append_new(h, json_string(hide_names[j]));
			json_object_set_new(o, "hideLMSUI", h);
		}
		if (it->sequencing->written)
			json_object_set_new(o, "sequencing", seq_json(it->sequencing));
		json_object_set_new(o, "children", items_json(it->children, it->child_count));
		somo_free(url);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *messages_json(const somo_manifest *man)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < somo_manifest_warning_count(man); i++) {
		const somo_manifest_message *m = somo_manifest_warning_at(man, i);
		json_t *o = json_object();

		json_object_set_new(o, "file", json_string(m->file));
		json_object_set_new(o, "line", json_integer(m->line));
		json_object_set_new(o, "severity",
		                    json_string(m->severity == SOMO_SEVERITY_ERROR     ? "error"
		                                : m->severity == SOMO_SEVERITY_WARNING ? "warning"
		                                                                       : "info"));
		json_object_set_new(o, "text", json_string(m->text));
		json_array_append_new(a, o);
	}
	return a;
}

static int inspect_json(const char *path, const somo_manifest *man)
{
	json_t *root = json_object(), *orgs = json_array(), *res = json_array(),
	       *coll = json_array();
	const somo_manifest_org *def = somo_manifest_default_org(man);
	size_t i, j;
	char *text;

	json_object_set_new(root, "package", json_string(path));
	json_object_set_new(root, "manifest", json_string(somo_manifest_file_name(man)));
	json_object_set_new(root, "standard",
	                    json_string(somo_standard_name(somo_manifest_standard(man))));
	json_object_set_new(root, "edition",
	                    somo_manifest_edition(man)
	                        ? json_string(somo_edition_name(somo_manifest_edition(man)))
	                        : json_null());
	json_object_set_new(root, "schemaversion", jstr(somo_manifest_schemaversion(man)));
	json_object_set_new(root, "editionInferred",
	                    json_boolean(somo_manifest_edition_inferred(man)));
	json_object_set_new(root, "identifier", json_string(somo_manifest_identifier(man)));
	json_object_set_new(root, "version", jstr(somo_manifest_version(man)));
	json_object_set_new(root, "title", jstr(somo_manifest_metadata(man)->title));
	json_object_set_new(root, "defaultOrganization", def ? jstr(def->identifier) : json_null());
	for (i = 0; i < somo_manifest_org_count(man); i++) {
		const somo_manifest_org *o = somo_manifest_org_at(man, i);
		json_t *jo = json_object();

		json_object_set_new(jo, "identifier", jstr(o->identifier));
		json_object_set_new(jo, "title", json_string(o->title));
		json_object_set_new(jo, "default", json_boolean(o == def));
		if (somo_manifest_standard(man) == SOMO_STANDARD_SCORM2004) {
			json_object_set_new(jo, "objectivesGlobalToSystem",
			                    json_boolean(o->objectives_global_to_system));
			json_object_set_new(jo, "sharedDataGlobalToSystem",
			                    json_boolean(o->shared_data_global_to_system));
			json_object_set_new(jo, "sequencing", seq_json(o->sequencing));
		}
		json_object_set_new(jo, "items", items_json(o->items, o->item_count));
		json_array_append_new(orgs, jo);
	}
	json_object_set_new(root, "organizations", orgs);
	for (i = 0; i < somo_manifest_resource_count(man); i++) {
		const somo_manifest_resource *r = somo_manifest_resource_at(man, i);
		json_t *jr = json_object(), *files = json_array(), *deps = json_array();

		json_object_set_new(jr, "identifier", jstr(r->identifier));
		json_object_set_new(jr, "type", jstr(r->type));
		json_object_set_new(jr, "scormType", jstr(r->scorm_type));
		json_object_set_new(jr, "href", jstr(r->href));
		json_object_set_new(jr, "launch", jstr(r->launch));
		for (j = 0; j < r->file_count; j++)
			json_array_append_new(files, jstr(r->files[j]->path));
		for (j = 0; j < r->dependency_count; j++)
			json_array_append_new(deps, json_string(r->dependency_refs[j]));
		json_object_set_new(jr, "files", files);
		json_object_set_new(jr, "dependencies", deps);
		json_array_append_new(res, jr);
	}
	json_object_set_new(root, "resources", res);
	for (i = 0; i < somo_manifest_collection_count(man); i++) {
		const char *id;
		const somo_ss_sequencing *s = somo_manifest_collection_at(man, i, &id);
		json_t *c = seq_json(s);

		json_object_set_new(c, "ID", json_string(id));
		json_array_append_new(coll, c);
	}
	json_object_set_new(root, "sequencingCollection", coll);
	json_object_set_new(root, "warnings", messages_json(man));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return 1;
	printf("%s\n", text);
	free(text);
	return 0;
}

static int inspect_text(const char *path, const somo_manifest *man)
{
	const somo_manifest_org *def = somo_manifest_default_org(man);
	somo_edition ed = somo_manifest_edition(man);
	size_t i;

	printf("package: %s\n", path);
	printf("standard: %s%s%s%s\n", somo_standard_name(somo_manifest_standard(man)),
	       ed ? " " : "", somo_edition_name(ed),
	       somo_manifest_edition_inferred(man) ? " (inferred)" : "");
	if (somo_manifest_schemaversion(man))
		printf("schemaversion: %s\n", somo_manifest_schemaversion(man));
	printf("identifier: %s\n", somo_manifest_identifier(man));
	if (somo_manifest_metadata(man)->title)
		printf("title: %s\n", somo_manifest_metadata(man)->title);
	for (i = 0; i < somo_manifest_org_count(man); i++) {
		const somo_manifest_org *o = somo_manifest_org_at(man, i);
		somo__buf b = SOMO__BUF_INIT;

		printf("organization %s \"%s\"%s\n", o->identifier ? o->identifier : "", o->title,
		       o == def ? " (default)" : "");
		if (o->sequencing->written) {
			seq_text(&b, o->sequencing);
			if (b.len)
				printf("  sequencing:%s\n", b.ptr);
			somo__buf_free(&b);
		}
		print_items(o->items, o->item_count, 1);
	}
	printf("resources: %zu\n", somo_manifest_resource_count(man));
	if (somo_manifest_collection_count(man))
		printf("sequencing collection: %zu\n", somo_manifest_collection_count(man));
	if (somo_manifest_warning_count(man)) {
		printf("warnings:\n");
		for (i = 0; i < somo_manifest_warning_count(man); i++) {
			const somo_manifest_message *m = somo_manifest_warning_at(man, i);

			printf("  %s:%d: %s\n", m->file, m->line, m->text);
		}
	}
	return 0;
}

/* A manifest file given alone (imsmanifest.xml outside a package). */
static int load_file(somo_manifest **man, const char *path)
{
	somo_diag d;
	int rc = somo_cli_manifest_file(man, path, &d);

	if (rc == SOMO_EIO)
		return -2;
	if (rc < 0) {
		fprintf(stderr, "%s:%d: %s\n", d.file[0] ? d.file : path, d.line,
		        d.text[0] ? d.text : somo_error_last()->message);
		return -1;
	}
	return 0;
}

int somo_cmd_inspect(int argc, char **argv)
{
	const char *path = NULL;
	int json = 0, i, rc;
	bool ims;
	somo_package *pkg = NULL;
	somo_manifest *man = NULL;
	somo_diag d;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage();
		else if (!path)
			path = argv[i];
		else
			return usage();
	}
	if (!path)
		return usage();
	if (somo_cli_lone_xml(path, &ims)) {
		if (!ims)
			return somo_cli_inspect_cmi5_file(path, json);
		if ((rc = load_file(&man, path)) < 0)
			return rc == -2 ? 2 : 1;
		rc = json ? inspect_json(path, man) : inspect_text(path, man);
		somo_manifest_free(man);
		return rc;
	}
	if (somo_package_open(&pkg, path, NULL) < 0) {
		fprintf(stderr, "somo: %s: %s\n", path, somo_error_last()->message);
		return 2;
	}
	switch (somo_cli_pkg_kind_of(pkg)) {
	case SOMO_CLI_PKG_SCORM:
		break;
	case SOMO_CLI_PKG_CMI5:
		rc = somo_cli_inspect_cmi5(pkg, json);
		somo_package_free(pkg);
		return rc;
	case SOMO_CLI_PKG_TINCAN:
		rc = somo_cli_inspect_tincan(pkg, json);
		somo_package_free(pkg);
		return rc;
	case SOMO_CLI_PKG_NONE:
		somo_cli_no_manifest(pkg, path, stderr, "");
		somo_package_free(pkg);
		return 1;
	}
	if (somo_manifest_load(&man, pkg, NULL, &d) < 0) {
		fprintf(stderr, "%s:%d: %s\n", d.file[0] ? d.file : "imsmanifest.xml", d.line,
		        d.text[0] ? d.text : somo_error_last()->message);
		somo_package_free(pkg);
		return 1;
	}
	rc = json ? inspect_json(path, man) : inspect_text(path, man);
	somo_manifest_free(man);
	somo_package_free(pkg);
	return rc;
}
