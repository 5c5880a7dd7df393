/*
 * Sequencing benchmark: generated SCORM 2004 activity trees of growing size
 * (default 1,000, 10,000 and 100,000 activities), and at each size the time
 * of
 *   - parsing the manifest and building the activity tree (somo_seq_new),
 *     and the heap each takes per activity;
 *   - Start (the first leaf delivered);
 *   - Continue from one leaf to the next (the attempt on the leaf ended,
 *     rolled up, the next leaf found by flow);
 *   - Choice of the last leaf of the tree from the first one (the request
 *     really delivers the last leaf: checked);
 *   - a report on the last leaf and the Overall Rollup Process it runs, from
 *     the leaf's cluster to the root through every level of the tree, plus
 *     the clusters that read global objectives the leaf writes.
 * Each figure is the median of repeated runs, in milliseconds.
 *
 * The trees: clusters of up to 10 leaves, clusters grouped by tens up to the
 * root; every cluster allows flow and choice; one cluster in three has
 * rollup rules (all satisfied, any not satisfied, at least 8 completed); one
 * in ten a precondition rule; one leaf in five a primary objective satisfied
 * by measure; leaves write and read global objectives in pairs.
 *
 *   bench-sequencing [SIZE ...]
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "somo.h"

#ifndef REPS
#define REPS 15
#endif

typedef struct {
	FILE *f;
	unsigned next_id;
	unsigned leaves;
	char first_leaf[32];
	char last_leaf[32];
} gen;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void gen_leaf(gen *g)
{
	unsigned k = g->leaves++;
	unsigned id = g->next_id++;

	fprintf(g->f, "<item identifier=\"a%u\" identifierref=\"r\"><title>Leaf %u</title>", id, k);
	if (k % 5 == 0 || k % 50 == 1 || k % 50 == 26) {
		fprintf(g->f, "<imsss:sequencing><imsss:objectives>");
		if (k % 5 == 0)
			fprintf(g->f,
			        "<imsss:primaryObjective objectiveID=\"p%u\" "
			        "satisfiedByMeasure=\"true\"><imsss:minNormalizedMeasure>0.6"
			        "</imsss:minNormalizedMeasure></imsss:primaryObjective>",
			        id);
		else
			fprintf(g->f, "<imsss:primaryObjective objectiveID=\"p%u\"/>", id);
		/* leaf 50j+1 writes global objective g<j>, leaf 50j+26 reads it */
		if (k % 50 == 1)
			fprintf(g->f,
			        "<imsss:objective objectiveID=\"o%u\"><imsss:mapInfo "
			        "targetObjectiveID=\"g%u\" writeSatisfiedStatus=\"true\" "
			        "writeNormalizedMeasure=\"true\"/></imsss:objective>",
			        id, k / 50);
		else if (k % 50 == 26)
			fprintf(g->f,
			        "<imsss:objective objectiveID=\"o%u\"><imsss:mapInfo "
			        "targetObjectiveID=\"g%u\"/></imsss:objective>",
			        id, k / 50);
		fprintf(g->f, "</imsss:objectives></imsss:sequencing>");
	}
	fprintf(g->f, "</item>\n");
	snprintf(g->last_leaf, sizeof(g->last_leaf), "a%u", id);
	if (k == 0)
		snprintf(g->first_leaf, sizeof(g->first_leaf), "a%u", id);
}

static void gen_cluster_seq(gen *g, unsigned id)
{
	fprintf(g->f, "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>");
	if (id % 10 == 3)
		fprintf(g->f,
		        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
		        "<imsss:ruleCondition condition=\"attemptLimitExceeded\"/>"
		        "</imsss:ruleConditions><imsss:ruleAction action=\"disabled\"/>"
		        "</imsss:preConditionRule></imsss:sequencingRules>");
	if (id % 3 == 0)
		fprintf(g->f,
		        "<imsss:rollupRules>"
		        "<imsss:rollupRule childActivitySet=\"all\"><imsss:rollupConditions>"
		        "<imsss:rollupCondition condition=\"satisfied\"/></imsss:rollupConditions>"
		        "<imsss:rollupAction action=\"satisfied\"/></imsss:rollupRule>"
		        "<imsss:rollupRule childActivitySet=\"any\"><imsss:rollupConditions>"
		        "<imsss:rollupCondition condition=\"satisfied\" operator=\"not\"/>"
		        "</imsss:rollupConditions><imsss:rollupAction action=\"notSatisfied\"/>"
		        "</imsss:rollupRule>"
		        "<imsss:rollupRule childActivitySet=\"atLeastCount\" minimumCount=\"8\">"
		        "<imsss:rollupConditions><imsss:rollupCondition condition=\"completed\"/>"
		        "</imsss:rollupConditions><imsss:rollupAction action=\"completed\"/>"
		        "</imsss:rollupRule></imsss:rollupRules>");
	fprintf(g->f, "</imsss:sequencing>\n");
}

/* The children of a node holding budget activities (itself excluded):
 * up to 10 leaves, or 10 sub-trees sharing the budget. */
static void gen_children(gen *g, unsigned budget)
{
	if (budget <= 10) {
		while (budget--)
			gen_leaf(g);
		return;
	}
	for (unsigned i = 0; i < 10; i++) {
		unsigned part = budget / 10 + (i < budget % 10);
		unsigned id = g->next_id++;
		fprintf(g->f, "<item identifier=\"a%u\"><title>Cluster %u</title>\n", id, id);
		gen_children(g, part - 1);
		gen_cluster_seq(g, id);
		fprintf(g->f, "</item>\n");
	}
}

/* A manifest of exactly n activities (the organization included). */
static char *gen_manifest(unsigned n, size_t *size, gen *g)
{
	char *buf = NULL;

	memset(g, 0, sizeof(*g));
	g->f = open_memstream(&buf, size);
	if (!g->f)
		return NULL;
	g->next_id = 1;
	fprintf(g->f, "<?xml version=\"1.0\"?>\n<manifest identifier=\"bench\" version=\"1\" "
	              "xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" "
	              "xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" "
	              "xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" "
	              "xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\">\n"
	              "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition"
	              "</schemaversion></metadata>\n"
	              "<organizations default=\"org\"><organization identifier=\"org\">"
	              "<title>Generated course</title>\n");
	gen_children(g, n - 1);
	gen_cluster_seq(g, 0);
	fprintf(g->f, "</organization></organizations>\n<resources><resource identifier=\"r\" "
	              "type=\"webcontent\" adlcp:scormType=\"sco\" href=\"a.html\"/>"
	              "</resources>\n</manifest>\n");
	fclose(g->f);
	return buf;
}

static void die(const char *what, const somo_seq_result *res)
{
	fprintf(stderr, "bench-sequencing: %s: %s\n", what,
	        res && res->exception ? res->exception : somo_error_last()->message);
	exit(1);
}

static void report(somo_seq *seq, int i, bool terminated)
{
	somo_seq_report_data r = SOMO_SEQ_REPORT_INIT;

	r.completion = i % 2 ? SOMO_SEQ_INCOMPLETE : SOMO_SEQ_COMPLETED;
	r.success = i % 2 ? SOMO_SEQ_FAILED : SOMO_SEQ_PASSED;
	r.has_scaled = true;
	r.scaled = i % 2 ? 0.2 : 0.9;
	r.session_seconds = 30;
	r.terminated = terminated;
	if (somo_seq_report(seq, &r) != 0)
		die("report", NULL);
}

static void nav(somo_seq *seq, somo_nav_request req, const char *target, const char *want,
                double *ms)
{
	somo_seq_result res;
	double t0 = now_ms();

	if (somo_seq_navigate(seq, req, target, &res) != 0 || !res.deliver)
		die(somo_nav_name(req), &res);
	if (ms)
		*ms = now_ms() - t0;
	if (want && strcmp(res.deliver, want) != 0) {
		fprintf(stderr, "bench-sequencing: %s delivered %s, not %s\n", somo_nav_name(req),
		        res.deliver, want);
		exit(1);
	}
}

static void run(unsigned n)
{
	somo_manifest_opts mo = SOMO_MANIFEST_OPTS_INIT;
	somo_manifest *man = NULL;
	somo_seq *seq = NULL;
	somo_diag diag;
	gen g;
	size_t size;
	char *xml = gen_manifest(n, &size, &g);
	double t_parse[3], t_build[REPS], t_start[REPS], t_cont[REPS], t_choice[REPS],
	    t_rollup[REPS], t0;
	size_t heap0, heap1, man0 = 0, man1 = 0;
	int reps_build = n >= 100000 ? 5 : REPS, i;

	if (!xml)
		die("generating the manifest", NULL);
	mo.max_size = size + 1;
	mo.max_elements = 50 * n + 100;
	for (i = 0; i < 3; i++) {
		man0 = mallinfo2().uordblks;
		t0 = now_ms();
		if (somo_manifest_parse_memory(&man, xml, size, NULL, &mo, &diag) != 0) {
			fprintf(stderr, "bench-sequencing: %s\n", diag.text);
			exit(1);
		}
		t_parse[i] = now_ms() - t0;
		man1 = mallinfo2().uordblks;
		if (i < 2)
			somo_manifest_free(man);
	}
	free(xml);

	/* build and Start, on a fresh tree each time */
	for (i = 0; i < reps_build; i++) {
		heap0 = mallinfo2().uordblks;
		t0 = now_ms();
		if (somo_seq_new(&seq, man, NULL, NULL) != 0)
			die("somo_seq_new", NULL);
		t_build[i] = now_ms() - t0;
		heap1 = mallinfo2().uordblks;
		nav(seq, SOMO_NAV_START, NULL, g.first_leaf, &t_start[i]);
		if (i < reps_build - 1)
			somo_seq_free(seq);
	}
	if (somo_seq_activity_count(seq) != n) {
		fprintf(stderr, "bench-sequencing: %zu activities, not %u\n",
		        somo_seq_activity_count(seq), n);
		exit(1);
	}

	/* Continue through the first leaves */
	for (i = 0; i < REPS; i++) {
		report(seq, 0, true);
		nav(seq, SOMO_NAV_CONTINUE, NULL, NULL, &t_cont[i]);
	}
	/* Choice of the last leaf, from the first one */
	for (i = 0; i < REPS; i++) {
		nav(seq, SOMO_NAV_CHOICE, g.first_leaf, g.first_leaf, NULL);
		report(seq, 0, true);
		nav(seq, SOMO_NAV_CHOICE, g.last_leaf, g.last_leaf, &t_choice[i]);
		report(seq, 1, true);
	}
	/* reports on the last leaf, each rolled up to the root */
	for (i = 0; i < REPS; i++) {
		t0 = now_ms();
		report(seq, i, false);
		t_rollup[i] = now_ms() - t0;
	}
	printf("%9u %9.2f %9.0f %9.3f %9.0f %9.4f %9.4f %9.4f %9.4f\n", n, median(t_parse, 3),
	       (double)(man1 - man0) / n, median(t_build, reps_build), (double)(heap1 - heap0) / n,
	       median(t_start, reps_build), median(t_cont, REPS), median(t_choice, REPS),
	       median(t_rollup, REPS));
	fflush(stdout);
	somo_seq_free(seq);
	somo_manifest_free(man);
}

int main(int argc, char **argv)
{
	static const unsigned sizes[] = {1000, 10000, 100000};
	int i;

	printf("%9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "activ.", "parse ms", "man B/act",
	       "build ms", "seq B/act", "start ms", "cont ms", "choice ms", "rollup ms");
	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			long n = atol(argv[i]);
			if (n < 12 || n > 2000000) {
				fprintf(stderr, "bench-sequencing: size %s: 12 to 2000000\n",
				        argv[i]);
				return 2;
			}
			run((unsigned)n);
		}
		return 0;
	}
	for (i = 0; i < 3; i++)
		run(sizes[i]);
	return 0;
}
