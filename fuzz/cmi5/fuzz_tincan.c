/* libFuzzer harness: tincan.xml parsing, accessors and validation. */
#include <stddef.h>
#include <stdint.h>

#include "somo/tincan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_tincan *tc = NULL;
	somo_tincan_report *r = NULL;
	somo_diag d;
	size_t i;
	volatile size_t sink = 0;

	if (somo_tincan_parse_memory(&tc, data, size, NULL, &d) < 0)
		return 0;
	for (i = 0; i < somo_tincan_activity_count(tc); i++) {
		const somo_tincan_activity *a = somo_tincan_activity_at(tc, i);
		sink += somo_tincan_text_get(&a->name, "en")[0] != '\0';
		sink += somo_tincan_text_get(&a->description, NULL)[0] != '\0';
	}
	sink += somo_tincan_launch_activity(tc) != NULL;
	if (somo_tincan_validate(&r, tc, NULL) != SOMO_ENOMEM)
		for (i = 0; i < somo_tincan_report_count(r); i++)
			sink += somo_tincan_report_at(r, i)->line;
	(void)sink;
	somo_tincan_report_free(r);
	somo_tincan_free(tc);
	return 0;
}
