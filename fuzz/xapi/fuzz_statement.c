/*
 * libFuzzer harness: any bytes as a statement (or an array of them).
 * Parses, validates under both xAPI versions, serialises, and checks that
 * serialising is stable: what Somo writes reads back to the same text and
 * the same verdict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"

static int verdict(const somo_xapi_statement *st, somo_xapi_version v, size_t *count)
{
	somo_xapi_validate_opts o = SOMO_XAPI_VALIDATE_OPTS_INIT;
	somo_xapi_problems *p = NULL;
	size_t i;
	int rc;

	o.xapi = v;
	rc = somo_xapi_statement_validate(st, &o, &p);
	*count = somo_xapi_problems_count(p);
	for (i = 0; i < *count; i++)
		if (somo_xapi_problems_path(p, i)[0] != '$' ||
		    somo_xapi_problems_message(p, i)[0] == '\0')
			abort();
	somo_xapi_problems_free(p);
	/* the verdict alone (no list) must agree */
	if ((somo_xapi_statement_validate(st, &o, NULL) == 0) != (rc == 0))
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_xapi_validate_opts o = SOMO_XAPI_VALIDATE_OPTS_INIT;
	somo_xapi_statement *st = NULL, *again = NULL;
	somo_xapi_problems *p = NULL;
	char *out = NULL, *out2 = NULL;
	size_t n1, n2;
	int rc1, rc2;
	somo_diag d;

	/* the batch form, as an LRS receives it */
	somo_xapi_validate_json((const char *)data, size, &o, &p, &d);
	somo_xapi_problems_free(p);

	if (somo_xapi_statement_parse(&st, (const char *)data, size, NULL, &d) != 0)
		return 0;
	rc1 = verdict(st, SOMO_XAPI_2_0, &n1);
	verdict(st, SOMO_XAPI_1_0_3, &n2);
	if (somo_xapi_statement_to_json(st, 0, &out) != 0)
		abort();
	if (somo_xapi_statement_parse(&again, out, strlen(out), NULL, &d) != 0)
		abort();
	rc2 = verdict(again, SOMO_XAPI_2_0, &n2);
	if (rc1 != rc2 || n1 != n2)
		abort();
	if (somo_xapi_statement_to_json(again, 0, &out2) != 0 || strcmp(out, out2) != 0)
		abort();
	somo_xapi_statement_ensure_id(again);
	somo_free(out);
	somo_free(out2);
	somo_xapi_statement_free(again);
	somo_xapi_statement_free(st);
	return 0;
}
