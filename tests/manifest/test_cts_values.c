/*
 * Chosen values of the ADL CTS manifests (cts_values.txt: package, target,
 * field, expected), checked against the loaded model: control modes,
 * rules, objectives and maps (imsss and adlseq), sequencing collections,
 * limits, rollup, shared data, completion thresholds, trimmed identifiers.
 * Exit 77 when the corpus is absent.
 */
#include "corpus_common.h"
#include "somo.h"

static char corpus[1024];

static const char *b(bool v)
{
	return v ? "true" : "false";
}

static const char *num(char *out, double d)
{
	snprintf(out, 64, "%g", d);
	return out;
}

/* "name[idx]" at the start of f: the text between brackets into key, rest after "]." */
static const char *bracket(const char *f, const char *name, char *key, size_t ksz)
{
	size_t n = strlen(name);
	const char *close;

	if (strncmp(f, name, n) || f[n] != '[' || !(close = strchr(f + n, ']')))
		return NULL;
	snprintf(key, ksz, "%.*s", (int)(close - f - n - 1), f + n + 1);
	return close[1] == '.' ? close + 2 : close + 1;
}

static const char *cond_field(const somo_ss_condition *c, const char *f, char *out)
{
	if (!strcmp(f, "condition"))
		return somo_ss_condition_name(c->condition);
	if (!strcmp(f, "operator"))
		return c->op == SOMO_SS_OP_NOT ? "not" : "noOp";
	if (!strcmp(f, "referencedObjective"))
		return c->referenced_objective ? c->referenced_objective : "-";
	if (!strcmp(f, "measureThreshold"))
		return num(out, c->measure_threshold);
	return NULL;
}

static const char *rule_field(const somo_ss_rule *const *rules, size_t n, const char *f, char *out)
{
	char key[64];
	const char *rest;
	size_t i;

	/* f is "[i].x" after the list name */
	if (sscanf(f, "[%zu]", &i) != 1 || i >= n || !(rest = strchr(f, ']')))
		return NULL;
	rest += 2;
	if (!strcmp(rest, "action"))
		return somo_ss_action_name(rules[i]->action);
	if (!strcmp(rest, "combination"))
		return rules[i]->combination == SOMO_SS_COMBINE_ALL ? "all" : "any";
	if ((rest = bracket(rest, "cond", key, sizeof(key)))) {
		size_t c = (size_t)atoi(key);

		return c < rules[i]->condition_count
		           ? cond_field(rules[i]->conditions[c], rest, out)
		           : NULL;
	}
	return NULL;
}

static const char *map_field(const somo_ss_map_info *m, const char *f)
{
	static const struct {
		const char *name;
		size_t off;
	} t[] = {
#define F(n, m) {n, offsetof(somo_ss_map_info, m)}
	    F("readSatisfiedStatus", read_satisfied_status),
	    F("readNormalizedMeasure", read_normalized_measure),
	    F("writeSatisfiedStatus", write_satisfied_status),
	    F("writeNormalizedMeasure", write_normalized_measure),
	    F("readRawScore", read_raw_score),
	    F("readMinScore", read_min_score),
	    F("readMaxScore", read_max_score),
	    F("readCompletionStatus", read_completion_status),
	    F("readProgressMeasure", read_progress_measure),
	    F("writeRawScore", write_raw_score),
	    F("writeMinScore", write_min_score),
	    F("writeMaxScore", write_max_score),
	    F("writeCompletionStatus", write_completion_status),
	    F("writeProgressMeasure", write_progress_measure),
#undef F
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(f, t[i].name))
			return b(*(const bool *)((const char *)m + t[i].off));
	return NULL;
}

static const char *seq_field(const somo_ss_sequencing *s, const char *f, char *out)
{
	char key[128];
	const char *rest;
	size_t i;

	if (!strcmp(f, "collection"))
		return s->collection_id ? s->collection_id : "-";
	if (!strncmp(f, "controlMode.", 12)) {
		const somo_ss_control_mode *m = &s->control_mode;

		f += 12;
		if (!strcmp(f, "choice"))
			return b(m->choice);
		if (!strcmp(f, "choiceExit"))
			return b(m->choice_exit);
		if (!strcmp(f, "flow"))
			return b(m->flow);
		if (!strcmp(f, "forwardOnly"))
			return b(m->forward_only);
		if (!strcmp(f, "useCurrentAttemptObjectiveInfo"))
			return b(m->use_current_attempt_objective_info);
		if (!strcmp(f, "useCurrentAttemptProgressInfo"))
			return b(m->use_current_attempt_progress_info);
		return NULL;
	}
	if (!strncmp(f, "pre[", 4))
		return rule_field(s->pre_rules, s->pre_rule_count, f + 3, out);
	if (!strncmp(f, "exit[", 5))
		return rule_field(s->exit_rules, s->exit_rule_count, f + 4, out);
	if (!strncmp(f, "post[", 5))
		return rule_field(s->post_rules, s->post_rule_count, f + 4, out);
	if (!strcmp(f, "limit.attemptLimit"))
		return s->limits.has_attempt_limit
		           ? (snprintf(out, 64, "%u", s->limits.attempt_limit), out)
		           : "-";
	if (!strcmp(f, "limit.attemptAbsoluteDurationLimit"))
		return s->limits.attempt_absolute_duration_limit
		           ? s->limits.attempt_absolute_duration_limit
		           : "-";
	if (!strcmp(f, "rollup.rollupObjectiveSatisfied"))
		return b(s->rollup.rollup_objective_satisfied);
	if (!strcmp(f, "rollup.rollupProgressCompletion"))
		return b(s->rollup.rollup_progress_completion);
	if (!strcmp(f, "rollup.objectiveMeasureWeight"))
		return num(out, s->rollup.objective_measure_weight);
	if ((rest = bracket(f, "rollup", key, sizeof(key)))) {
		const somo_ss_rollup_rule *r;

		i = (size_t)atoi(key);
		if (i >= s->rollup.rule_count)
			return NULL;
		r = s->rollup.rules[i];
		if (!strcmp(rest, "childActivitySet"))
			return somo_ss_child_set_name(r->child_activity_set);
		if (!strcmp(rest, "minimumCount"))
			return (snprintf(out, 64, "%u", r->minimum_count), out);
		if (!strcmp(rest, "minimumPercent"))
			return num(out, r->minimum_percent);
		if (!strcmp(rest, "combination"))
			return r->combination == SOMO_SS_COMBINE_ALL ? "all" : "any";
		if (!strcmp(rest, "action"))
			return somo_ss_rollup_action_name(r->action);
		if ((rest = bracket(rest, "cond", key, sizeof(key)))) {
			i = (size_t)atoi(key);
			return i < r->condition_count ? cond_field(r->conditions[i], rest, out)
			                              : NULL;
		}
		return NULL;
	}
	if ((rest = bracket(f, "obj", key, sizeof(key)))) {
		const somo_ss_objective *o = NULL;

		for (i = 0; i < s->objective_count; i++)
			if ((!strcmp(key, "primary") && s->objectives[i]->primary) ||
			    (s->objectives[i]->id && !strcmp(s->objectives[i]->id, key)))
				o = s->objectives[i];
		if (!o)
			return NULL;
		if (!strcmp(rest, "id"))
			return o->id ? o->id : "-";
		if (!strcmp(rest, "satisfiedByMeasure"))
			return b(o->satisfied_by_measure);
		if (!strcmp(rest, "minNormalizedMeasure"))
			return num(out, o->min_normalized_measure);
		if (!strcmp(rest, "mapCount"))
			return (snprintf(out, 64, "%zu", o->map_count), out);
		if ((rest = bracket(rest, "map", key, sizeof(key)))) {
			for (i = 0; i < o->map_count; i++)
				if (!strcmp(o->maps[i]->target_objective_id, key))
					return map_field(o->maps[i], rest);
		}
		return NULL;
	}
	if (!strcmp(f, "cc.constrainChoice"))
		return b(s->constrained_choice.constrain_choice);
	if (!strcmp(f, "cc.preventActivation"))
		return b(s->constrained_choice.prevent_activation);
	if (!strncmp(f, "rc.", 3)) {
		const somo_ss_rollup_considerations *r = &s->rollup_considerations;

		f += 3;
		if (!strcmp(f, "requiredForSatisfied"))
			return somo_ss_required_name(r->required_for_satisfied);
		if (!strcmp(f, "requiredForNotSatisfied"))
			return somo_ss_required_name(r->required_for_not_satisfied);
		if (!strcmp(f, "requiredForCompleted"))
			return somo_ss_required_name(r->required_for_completed);
		if (!strcmp(f, "requiredForIncomplete"))
			return somo_ss_required_name(r->required_for_incomplete);
		if (!strcmp(f, "measureSatisfactionIfActive"))
			return b(r->measure_satisfaction_if_active);
		return NULL;
	}
	if (!strcmp(f, "delivery.tracked"))
		return b(s->delivery.tracked);
	return NULL;
}

static const char *item_field(const somo_manifest_item *it, const char *f, char *out, char **owned)
{
	char key[64];
	const char *rest;
	size_t i;

	if (!strcmp(f, "identifier"))
		return it->identifier;
	if (!strcmp(f, "resource"))
		return it->resource ? it->resource->identifier : "-";
	if (!strcmp(f, "launch"))
		return (*owned = somo_manifest_item_launch_url(it)) ? *owned : "-";
	if (!strcmp(f, "dataFromLMS"))
		return it->data_from_lms ? it->data_from_lms : "-";
	if (!strcmp(f, "timeLimitAction"))
		return somo_time_limit_action_name(it->time_limit_action);
	if (!strcmp(f, "ct.completedByMeasure"))
		return b(it->completion_threshold.completed_by_measure);
	if (!strcmp(f, "ct.minProgressMeasure"))
		return num(out, it->completion_threshold.min_progress_measure);
	if (!strcmp(f, "ct.progressWeight"))
		return num(out, it->completion_threshold.progress_weight);
	if (!strcmp(f, "hideLMSUI")) {
		static const char *const names[] = {"previous",  "continue", "exit",
		                                    "exitAll",   "abandon",  "abandonAll",
		                                    "suspendAll"};
		out[0] = '\0';
		for (i = 0; i < 7; i++)
			if (it->hide_lms_ui & (1u << i))
				snprintf(out + strlen(out), 256 - strlen(out), "%s%s",
				         out[0] ? "," : "", names[i]);
		return out;
	}
	if ((rest = bracket(f, "data", key, sizeof(key)))) {
		i = (size_t)atoi(key);
		if (i >= it->data_map_count)
			return NULL;
		if (!strcmp(rest, "targetID"))
			return it->data_maps[i]->target_id;
		if (!strcmp(rest, "readSharedData"))
			return b(it->data_maps[i]->read_shared_data);
		if (!strcmp(rest, "writeSharedData"))
			return b(it->data_maps[i]->write_shared_data);
		return NULL;
	}
	return seq_field(it->sequencing, f, out);
}

int main(int argc, char **argv)
{
	FILE *fp;
	char line[2048];
	int checked = 0, failed = 0;

	if (corpus_dir(corpus, sizeof(corpus)) < 0) {
		printf("corpus not found: skipped\n");
		return 77;
	}
	if (argc < 2 || !(fp = fopen(argv[1], "r"))) {
		printf("usage: test-manifest-cts-values cts_values.txt\n");
		return 1;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *f[4], path[2048], out[256];
		somo_package *pkg = NULL;
		somo_manifest *man = NULL;
		somo_diag d;
		const char *got = NULL;
		char *owned = NULL;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (split_fields(line, f, 4) != 4) {
			printf("FAIL: malformed line %s", line);
			failed++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/adl-cts-2004-4th/LMSRTE/Courses/LMSTestPackage_%s",
		         corpus, f[0]);
		if (somo_package_open(&pkg, path, NULL) < 0 ||
		    somo_manifest_load(&man, pkg, NULL, &d) < 0) {
			printf("FAIL: %s does not load\n", f[0]);
			failed++;
			somo_package_free(pkg);
			continue;
		}
		if (!strcmp(f[1], "manifest") && !strcmp(f[2], "identifier")) {
			got = somo_manifest_identifier(man);
		} else if (!strcmp(f[1], "org")) {
			const somo_manifest_org *o = somo_manifest_default_org(man);

			if (!strcmp(f[2], "identifier"))
				got = o->identifier;
			else if (!strcmp(f[2], "org.objectivesGlobalToSystem"))
				got = b(o->objectives_global_to_system);
			else if (!strcmp(f[2], "org.sharedDataGlobalToSystem"))
				got = b(o->shared_data_global_to_system);
			else
				got = seq_field(o->sequencing, f[2], out);
		} else if (!strncmp(f[1], "coll:", 5)) {
			size_t i;
			const char *id;

			for (i = 0; i < somo_manifest_collection_count(man); i++) {
				const somo_ss_sequencing *s =
				    somo_manifest_collection_at(man, i, &id);

				if (!strcmp(id, f[1] + 5))
					got = seq_field(s, f[2], out);
			}
		} else {
			const somo_manifest_item *it = somo_manifest_find_item(man, f[1]);

			got = it ? item_field(it, f[2], out, &owned) : NULL;
		}
		checked++;
		if (!got || strcmp(got, f[3])) {
			printf("FAIL: %s %s %s: got \"%s\", expected \"%s\"\n", f[0], f[1], f[2],
			       got ? got : "(no such field)", f[3]);
			failed++;
		}
		somo_free(owned);
		somo_manifest_free(man);
		somo_package_free(pkg);
	}
	fclose(fp);
	printf("%d values checked, %d failed\n", checked, failed);
	return failed || checked < 40 ? 1 : 0;
}
