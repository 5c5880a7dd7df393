/* Fuzzes the member name check: any bytes, as a zip might name a member. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *norm = NULL;
	int rc = somo_package_check_name((const char *)data, size, NULL, &norm);

	if (rc == 0) {
		size_t n = strlen(norm), i;
		/* A safe name normalises to relative, clean components. */
		if (n == 0 || n > size || norm[0] == '/' || norm[n - 1] == '/' ||
		    strstr(norm, "//") || strchr(norm, '\\'))
			abort();
		for (i = 0; i < n; i++)
			if ((i == 0 || norm[i - 1] == '/') && norm[i] == '.' &&
			    (norm[i + 1] == '/' || norm[i + 1] == '\0' ||
			     (norm[i + 1] == '.' && (norm[i + 2] == '/' || norm[i + 2] == '\0'))))
				abort();
		/* Normalising is idempotent. */
		{
			char *again = NULL;
			if (somo_package_check_name(norm, n, NULL, &again) != 0 ||
			    strcmp(norm, again) != 0)
				abort();
			somo_free(again);
		}
		somo_free(norm);
	} else if (norm || (rc != SOMO_EUNSAFE && rc != SOMO_ELIMIT)) {
		abort();
	}
	return 0;
}
