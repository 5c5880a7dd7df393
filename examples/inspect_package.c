/*
 * inspect_package: a small program built on libsomo's public API.
 *
 *   inspect_package PACKAGE          the standard and the organization tree
 *   inspect_package --files PACKAGE  the members of the package with their sizes
 *
 * PACKAGE is a .zip file or a folder, such as the sample course in
 * examples/courses/customs-clearance-basics. Build it against an installed
 * Somo with examples/CMakeLists.txt, or with
 *   cc inspect_package.c $(pkg-config --cflags --libs somo)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <somo.h>

static int list_files(somo_package *pkg)
{
	size_t n = somo_package_count(pkg);
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++) {
		somo_package_entry e;
		int rc = somo_package_entry_at(pkg, i, &e);

		if (rc < 0) {
			return rc;
		}
		if (e.is_dir) {
			printf("%10s  %s/\n", "", e.name);
		} else {
			printf("%10" PRIu64 "  %s\n", e.size, e.name);
			total += e.size;
		}
	}
	printf("%10" PRIu64 "  (%zu members)\n", total, n);
	return 0;
}

static void print_item(const somo_manifest_item *item)
{
	char *url = somo_manifest_item_launch_url(item);

	printf("%*s- %s [%s]", 2 * item->depth, "", item->title, item->identifier);
	if (item->resource != NULL && item->resource->is_sco) {
		printf(" SCO");
	}
	if (url != NULL) {
		printf(" -> %s", url);
	}
	if (!item->isvisible) {
		printf(" (hidden)");
	}
	printf("\n");
	somo_free(url);

	for (size_t i = 0; i < item->child_count; i++) {
		print_item(item->children[i]);
	}
}

static int show_tree(somo_package *pkg)
{
	somo_manifest *man = NULL;
	somo_diag diag;
	int rc;

	memset(&diag, 0, sizeof(diag));
	rc = somo_manifest_load(&man, pkg, NULL, &diag);
	if (rc < 0) {
		if (rc == SOMO_EPARSE && diag.line > 0) {
			fprintf(stderr, "%s:%d: %s\n", diag.file, diag.line, diag.text);
		} else {
			fprintf(stderr, "%s\n", somo_error_last()->message);
		}
		return rc;
	}

	printf("%s", somo_standard_name(somo_manifest_standard(man)));
	if (somo_manifest_edition(man) != SOMO_EDITION_NONE) {
		printf(" %s", somo_edition_name(somo_manifest_edition(man)));
	}
	printf("\n");

	const somo_manifest_org *def = somo_manifest_default_org(man);
	for (size_t i = 0; i < somo_manifest_org_count(man); i++) {
		const somo_manifest_org *org = somo_manifest_org_at(man, i);

		printf("%s [%s]%s\n", org->title, org->identifier, org == def ? " (default)" : "");
		for (size_t k = 0; k < org->item_count; k++) {
			print_item(org->items[k]);
		}
	}

	for (size_t i = 0; i < somo_manifest_warning_count(man); i++) {
		const somo_manifest_message *w = somo_manifest_warning_at(man, i);

		fprintf(stderr, "warning: %s:%d: %s\n", w->file, w->line, w->text);
	}

	somo_manifest_free(man);
	return 0;
}

int main(int argc, char **argv)
{
	somo_package *pkg = NULL;
	const char *path;
	int files = 0;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--files") == 0) {
		files = 1;
		path = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: %s [--files] PACKAGE\n", argv[0]);
		return 2;
	}

	rc = somo_package_open(&pkg, path, NULL);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", path, somo_error_last()->message);
		return 1;
	}
	rc = files ? list_files(pkg) : show_tree(pkg);
	somo_package_free(pkg);
	return rc < 0 ? 1 : 0;
}
