/*
 * Fuzzes the UTF-8, IRI, language tag and UUID checks of lib/util/text.h,
 * and what must hold between them: a valid IRI is well-formed UTF-8; a
 * language tag or UUID is plain ASCII of the right shape.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

#define INPUT_MAX 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t len, i;
	bool utf8;

	if (size > INPUT_MAX)
		return 0;
	utf8 = somo__utf8_valid((const char *)data, size);
	if (somo__utf8_length((const char *)data, size) > size)
		abort();
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	len = strlen(s);

	if (somo__iri_valid(s) && !somo__utf8_valid(s, len))
		abort();
	if (somo__langtag_valid(s)) {
		for (i = 0; i < len; i++) {
			char c = s[i];
			if (!(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z')))
				abort();
		}
	}
	if (somo__uuid_valid(s) && len != 36)
		abort();
	if (utf8 && size == len) {
		/* decoding step by step covers the whole input */
		size_t at = 0, n, count = 0;
		while (at < size) {
			if ((n = somo__utf8_decode(s + at, size - at, NULL)) == 0)
				abort();
			at += n;
			count++;
		}
		if (count != somo__utf8_length(s, size))
			abort();
	}
	free(s);
	return 0;
}
