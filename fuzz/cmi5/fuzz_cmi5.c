/* libFuzzer harness: cmi5.xml parsing, the model's accessors and validation. */
#include <stddef.h>
#include <stdint.h>

#include "somo/cmi5.h"

static size_t walk(const somo_cmi5_node *n, int depth)
{
	size_t i, sum = 0;

	sum += somo_cmi5_text_get(&n->title, "en-US")[0] != '\0';
	sum += somo_cmi5_text_get(&n->description, "de")[0] != '\0';
	for (i = 0; i < n->objective_count; i++)
		sum += n->objectives[i][0] != '\0';
	if (n->url)
		sum += n->url[0] != '\0';
	for (i = 0; i < n->child_count && depth < 1000; i++)
		sum += walk(n->children[i], depth + 1);
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_cmi5_course *c = NULL;
	somo_cmi5_report *r = NULL;
	somo_diag d;
	size_t i;
	volatile size_t sink = 0;

	if (somo_cmi5_parse_memory(&c, data, size, NULL, &d) < 0)
		return 0;
	sink += walk(somo_cmi5_root(c), 0);
	for (i = 0; i < somo_cmi5_au_count(c); i++)
		sink += somo_cmi5_find(c, somo_cmi5_au_at(c, i)->id) != NULL;
	for (i = 0; i < somo_cmi5_objective_count(c); i++)
		sink += somo_cmi5_objective_at(c, i)->line;
	if (somo_cmi5_validate(&r, c, NULL) != SOMO_ENOMEM)
		for (i = 0; i < somo_cmi5_report_count(r); i++)
			sink += somo_cmi5_report_at(r, i)->text[0] != '\0';
	(void)sink;
	somo_cmi5_report_free(r);
	somo_cmi5_free(c);
	return 0;
}
