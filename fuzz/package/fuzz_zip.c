/* Fuzzes opening a zip from memory and reading every member, whole and by range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;
	somo_package *pkg = NULL;
	size_t i, n;

	/* Small limits keep each run quick and its memory bounded. */
	o.max_total_size = 64u << 20;
	o.max_entry_size = 16u << 20;
	o.max_entries = 4096;
	if (somo_package_open_memory(&pkg, data, size, &o) != 0) {
		if (pkg)
			abort();
		return 0;
	}
	n = somo_package_count(pkg);
	for (i = 0; i < n; i++) {
		somo_package_entry e;
		void *buf = NULL;
		size_t len = 0, got = 0;
		char range[512];

		if (somo_package_entry_at(pkg, i, &e) != 0)
			abort();
		if (somo_package_stat(pkg, e.name, NULL) != 0)
			abort();
		if (e.is_dir)
			continue;
		if (somo_package_read(pkg, e.name, &buf, &len) == 0) {
			if (len != e.size || ((char *)buf)[len] != '\0')
				abort();
			somo_free(buf);
		} else if (buf) {
			abort();
		}
		if (somo_package_read_range(pkg, e.name, e.size / 2, range, sizeof(range), &got) ==
		        0 &&
		    got > sizeof(range))
			abort();
	}
	somo_package_find_root_file(pkg, "imsmanifest.xml");
	somo_package_free(pkg);
	return 0;
}
