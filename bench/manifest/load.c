/*
 * The manifest benchmark's program.
 *
 *   bench-manifest-load generate FILE [ITEMS]   write a SCORM 2004 4th edition
 *       manifest of ITEMS items (default 10,000): clusters of 100, each leaf
 *       with its own resource; every third item carries imsss:sequencing
 *       (control mode, a precondition rule, objectives with maps, limits,
 *       delivery controls) and every item adlnav:presentation.
 *   bench-manifest-load load FILE              read FILE and build the model
 *       (somo_manifest_parse_memory), as `xmllint --noout FILE` reads and
 *       builds its tree; prints what was read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"
#include "util/util.h"

static int generate(const char *path, long items)
{
	FILE *f = fopen(path, "w");
	long i, clusters, n = 0, res = 0;

	if (!f) {
		perror(path);
		return 1;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<manifest identifier=\"bench\" version=\"1\" "
	           "xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"\n"
	           "  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" "
	           "xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\"\n"
	           "  xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\" "
	           "xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\">\n"
	           "  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th "
	           "Edition</schemaversion></metadata>\n"
	           "  <organizations default=\"org\">\n    <organization identifier=\"org\">\n     "
	           " <title>Benchmark course</title>\n");
	clusters = (items + 99) / 100;
	for (i = 0; i < clusters && n < items; i++) {
		long j;

		fprintf(
		    f,
		    "      <item identifier=\"module_%ld\">\n        <title>Module %ld</title>\n",
		    i, i);
		n++;
		for (j = 0; j < 99 && n < items; j++, n++) {
			fprintf(f,
			        "        <item identifier=\"item_%ld\" identifierref=\"res_%ld\" "
			        "parameters=\"?page=%ld\">\n"
			        "          <title>Lesson %ld.%ld</title>\n",
			        n, res, j, i, j);
			if (n % 3 == 0)
				fprintf(
				    f,
				    "          <imsss:sequencing>\n"
				    "            <imsss:controlMode choice=\"false\" "
				    "flow=\"true\"/>\n"
				    "            <imsss:sequencingRules>\n"
				    "              <imsss:preConditionRule>\n"
				    "                <imsss:ruleConditions "
				    "conditionCombination=\"any\">\n"
				    "                  <imsss:ruleCondition "
				    "condition=\"satisfied\" referencedObjective=\"obj_%ld\"/>\n"
				    "                  <imsss:ruleCondition operator=\"not\" "
				    "condition=\"attempted\"/>\n"
				    "                </imsss:ruleConditions>\n"
				    "                <imsss:ruleAction action=\"skip\"/>\n"
				    "              </imsss:preConditionRule>\n"
				    "            </imsss:sequencingRules>\n"
				    "            <imsss:limitConditions attemptLimit=\"3\"/>\n"
				    "            <imsss:objectives>\n"
				    "              <imsss:primaryObjective objectiveID=\"obj_%ld\" "
				    "satisfiedByMeasure=\"true\">\n"
				    "                "
				    "<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>\n"
				    "                <imsss:mapInfo "
				    "targetObjectiveID=\"global_%ld\" "
				    "writeSatisfiedStatus=\"true\"/>\n"
				    "              </imsss:primaryObjective>\n"
				    "            </imsss:objectives>\n"
				    "            <imsss:deliveryControls "
				    "completionSetByContent=\"true\"/>\n"
				    "          </imsss:sequencing>\n",
				    n, n, n);
			fprintf(f, "          <adlnav:presentation><adlnav:navigationInterface>"
			           "<adlnav:hideLMSUI>continue</adlnav:hideLMSUI></"
			           "adlnav:navigationInterface>"
			           "</adlnav:presentation>\n        </item>\n");
			res++;
		}
		fprintf(f, "      </item>\n");
	}
	fprintf(f,
	        "    </organization>\n  </organizations>\n  <resources xml:base=\"content/\">\n");
	for (i = 0; i < res; i++)
		fprintf(f,
		        "    <resource identifier=\"res_%ld\" type=\"webcontent\" "
		        "adlcp:scormType=\"sco\" href=\"lesson_%ld/index.html\">\n"
		        "      <file href=\"lesson_%ld/index.html\"/>\n      <file "
		        "href=\"lesson_%ld/lesson.js\"/>\n"
		        "      <dependency identifierref=\"shared\"/>\n    </resource>\n",
		        i, i, i, i);
	fprintf(
	    f,
	    "    <resource identifier=\"shared\" type=\"webcontent\" adlcp:scormType=\"asset\">\n"
	    "      <file href=\"shared/api.js\"/>\n    </resource>\n  </resources>\n</manifest>\n");
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	printf("%ld items, %ld resources\n", n, res + 1);
	return 0;
}

static size_t count_items(const somo_manifest_item *const *items, size_t n, size_t *seq)
{
	size_t i, c = n;

	for (i = 0; i < n; i++) {
		if (items[i]->sequencing->written)
			(*seq)++;
		c += count_items(items[i]->children, items[i]->child_count, seq);
	}
	return c;
}

static int load(const char *path)
{
	FILE *f = fopen(path, "rb");
	somo__buf b = SOMO__BUF_INIT;
	char chunk[1 << 16];
	size_t n, seq = 0, items;
	somo_manifest *m = NULL;
	somo_manifest_opts o = SOMO_MANIFEST_OPTS_INIT;
	somo_diag d;
	const somo_manifest_org *org;

	if (!f) {
		perror(path);
		return 1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (somo__buf_put(&b, chunk, n) < 0)
			return 1;
	fclose(f);
	o.max_size = 1u << 30;
	if (somo_manifest_parse_memory(&m, b.ptr, b.len, path, &o, &d) < 0) {
		fprintf(stderr, "%s:%d: %s\n", d.file, d.line, d.text);
		return 1;
	}
	somo__buf_free(&b);
	org = somo_manifest_default_org(m);
	items = org ? count_items(org->items, org->item_count, &seq) : 0;
	printf("%zu items, %zu with sequencing, %zu resources\n", items, seq,
	       somo_manifest_resource_count(m));
	somo_manifest_free(m);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "generate"))
		return generate(argv[2], argc >= 4 ? atol(argv[3]) : 10000);
	if (argc == 3 && !strcmp(argv[1], "load"))
		return load(argv[2]);
	fprintf(stderr, "usage: bench-manifest-load generate FILE [ITEMS] | load FILE\n");
	return 2;
}
