/*
 * libFuzzer harness for the imsmanifest.xml reader: parse from memory, walk
 * the whole model (items, launch URLs, sequencing, resources), validate in
 * both modes. Any crash, leak or sanitizer report is a bug.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "somo.h"

static size_t sink;

static void walk_seq(const somo_ss_sequencing *s)
{
	size_t i, j;

	sink += s->pre_rule_count + s->exit_rule_count + s->post_rule_count;
	for (i = 0; i < s->pre_rule_count; i++)
		for (j = 0; j < s->pre_rules[i]->condition_count; j++)
			sink += strlen(
			    somo_ss_condition_name(s->pre_rules[i]->conditions[j]->condition));
	for (i = 0; i < s->objective_count; i++)
		for (j = 0; j < s->objectives[i]->map_count; j++)
			sink += strlen(s->objectives[i]->maps[j]->target_objective_id);
	for (i = 0; i < s->rollup.rule_count; i++)
		sink += s->rollup.rules[i]->condition_count;
}

static void walk_items(const somo_manifest_item *const *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *url = somo_manifest_item_launch_url(items[i]);

		if (url)
			sink += strlen(url);
		somo_free(url);
		sink += strlen(items[i]->title);
		walk_seq(items[i]->sequencing);
		walk_items(items[i]->children, items[i]->child_count);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_manifest *m = NULL;
	somo_manifest_report *r = NULL;
	somo_diag d;
	size_t i;

	if (somo_manifest_parse_memory(&m, data, size, NULL, NULL, &d) < 0)
		return 0;
	for (i = 0; i < somo_manifest_org_count(m); i++) {
		const somo_manifest_org *o = somo_manifest_org_at(m, i);

		walk_seq(o->sequencing);
		walk_items(o->items, o->item_count);
	}
	for (i = 0; i < somo_manifest_resource_count(m); i++)
		sink += somo_manifest_resource_at(m, i)->file_count;
	for (i = 0; i < somo_manifest_collection_count(m); i++)
		walk_seq(somo_manifest_collection_at(m, i, NULL));
	if (somo_manifest_validate(&r, m, NULL, SOMO_VALIDATE_STRICT) == 0) {
		for (i = 0; i < somo_manifest_report_count(r); i++)
			sink += strlen(somo_manifest_report_at(r, i)->text);
		somo_manifest_report_free(r);
	}
	if (somo_manifest_validate(&r, m, NULL, SOMO_VALIDATE_LENIENT) == 0)
		somo_manifest_report_free(r);
	somo_manifest_free(m);
	return 0;
}
