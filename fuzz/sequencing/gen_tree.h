/*
 * Activity trees generated from fuzzer input, for the sequencing fuzz
 * harness: the shape (clusters and leaves, up to 24 activities, 5 levels)
 * and each activity's sequencing (control modes, constrained choice,
 * precondition, postcondition and exit rules, rollup rules and
 * considerations, limits, selection and randomization, objectives mapped
 * to two shared global objectives, completion by measure, tracking) are
 * drawn from two bytes per activity.
 */
#ifndef SOMO_FUZZ_SEQ_GEN_TREE_H
#define SOMO_FUZZ_SEQ_GEN_TREE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "trees.h"

#define GEN_MAX_NODES 24
#define GEN_MAX_DEPTH 5

typedef struct {
	char *s;
	size_t len, cap;
} gen_buf;

static void gen_put(gen_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < b->cap - b->len)
		b->len += (size_t)n;
	else
		b->len = b->cap; /* too long: the caller sees the buffer full */
}

static const char *const gen_conditions[] = {"satisfied",
                                             "objectiveStatusKnown",
                                             "objectiveMeasureKnown",
                                             "completed",
                                             "activityProgressKnown",
                                             "attempted",
                                             "attemptLimitExceeded",
                                             "always",
                                             "objectiveMeasureGreaterThan"};
static const char *const gen_pre_actions[] = {"skip", "disabled", "hiddenFromChoice",
                                              "stopForwardTraversal"};
static const char *const gen_post_actions[] = {"exitParent", "exitAll",  "retry",
                                               "retryAll",   "continue", "previous"};
static const char *const gen_rollup_sets[] = {"all", "any", "none",
                                              "atLeastCount\" minimumCount=\"1",
                                              "atLeastPercent\" minimumPercent=\"0.5"};
static const char *const gen_rollup_actions[] = {"satisfied", "notSatisfied", "completed",
                                                 "incomplete"};
static const char *const gen_considerations[] = {"always", "ifAttempted", "ifNotSkipped",
                                                 "ifNotSuspended"};

static void gen_rule(gen_buf *b, const char *kind, const char *action, uint8_t x)
{
	gen_put(b,
	        "<imsss:%s><imsss:ruleConditions conditionCombination=\"%s\">"
	        "<imsss:ruleCondition condition=\"%s\"%s measureThreshold=\"0.2\"/>"
	        "</imsss:ruleConditions><imsss:ruleAction action=\"%s\"/></imsss:%s>",
	        kind, x & 0x80 ? "any" : "all", gen_conditions[x % 9],
	        x & 0x40 ? " operator=\"not\"" : "", action, kind);
}

/* The imsss:sequencing of one activity from its two bytes. */
static void gen_sequencing(gen_buf *b, uint8_t x, uint8_t y, bool cluster)
{
	gen_put(b, "<imsss:sequencing>");
	if (cluster)
		gen_put(b,
		        "<imsss:controlMode choice=\"%s\" choiceExit=\"%s\" flow=\"%s\" "
		        "forwardOnly=\"%s\" useCurrentAttemptObjectiveInfo=\"%s\"/>",
		        x & 1 ? "false" : "true", x & 2 ? "false" : "true",
		        x & 4 ? "false" : "true", x & 8 ? "true" : "false",
		        x & 16 ? "false" : "true");
	if (y & 7) {
		gen_put(b, "<imsss:sequencingRules>");
		if (y & 1)
			gen_rule(b, "preConditionRule", gen_pre_actions[(x >> 4) % 4], y);
		if (y & 2)
			gen_rule(b, "exitConditionRule", "exit", (uint8_t)(x + y));
		if (y & 4)
			gen_rule(b, "postConditionRule", gen_post_actions[(x >> 2) % 6],
			         (uint8_t)(x ^ y));
		gen_put(b, "</imsss:sequencingRules>");
	}
	if (y & 8)
		gen_put(b, "<imsss:limitConditions attemptLimit=\"%d\"/>", 1 + (x >> 6));
	if (cluster && (y & 16))
		gen_put(b, "<imsss:rollupRules objectiveMeasureWeight=\"%d\">", (x >> 5) & 1);
	else if (cluster)
		gen_put(b, "<imsss:rollupRules>");
	if (cluster) {
		if (y & 32)
			gen_put(b, T_ROLLUP("%s", "%s", "%s"), gen_rollup_sets[x % 5],
			        gen_conditions[(y >> 3) % 9], gen_rollup_actions[(x >> 3) % 4]);
		gen_put(b, "</imsss:rollupRules>");
	}
	if (y & 64) {
		gen_put(
		    b,
		    "<imsss:objectives><imsss:primaryObjective objectiveID=\"p\" "
		    "satisfiedByMeasure=\"%s\"><imsss:minNormalizedMeasure>0.5"
		    "</imsss:minNormalizedMeasure><imsss:mapInfo targetObjectiveID=\"g%d\" "
		    "readSatisfiedStatus=\"%s\" writeSatisfiedStatus=\"%s\" "
		    "writeNormalizedMeasure=\"%s\"/></imsss:primaryObjective>"
		    "<imsss:objective objectiveID=\"s\"><imsss:mapInfo targetObjectiveID=\"g%d\" "
		    "writeSatisfiedStatus=\"true\"/></imsss:objective></imsss:objectives>",
		    x & 32 ? "true" : "false", x & 1, x & 2 ? "true" : "false",
		    x & 4 ? "true" : "false", x & 8 ? "true" : "false", !(x & 1));
	}
	if (cluster && (y & 128))
		gen_put(
		    b,
		    "<imsss:randomizationControls randomizationTiming=\"%s\" selectCount=\"%d\" "
		    "selectionTiming=\"%s\" reorderChildren=\"true\"/>",
		    x & 64 ? "onEachNewAttempt" : "once", 1 + (x & 3),
		    x & 128 ? "onEachNewAttempt" : "once");
	if (!cluster && (y & 128))
		gen_put(b, "<imsss:deliveryControls tracked=\"%s\" completionSetByContent=\"%s\"/>",
		        x & 1 ? "false" : "true", x & 2 ? "true" : "false");
	if (cluster && (x & 128))
		gen_put(b,
		        "<adlseq:constrainedChoiceConsiderations preventActivation=\"%s\" "
		        "constrainChoice=\"%s\"/>",
		        y & 1 ? "true" : "false", y & 2 ? "true" : "false");
	if (x & 64)
		gen_put(b,
		        "<adlseq:rollupConsiderations requiredForSatisfied=\"%s\" "
		        "requiredForCompleted=\"%s\" measureSatisfactionIfActive=\"%s\"/>",
		        gen_considerations[y % 4], gen_considerations[(y >> 2) % 4],
		        y & 16 ? "true" : "false");
	gen_put(b, "</imsss:sequencing>");
}

/*
 * A manifest from the input: one byte, its two low bits, per node in
 * preorder says leaf (0, 3), open a cluster (1) or close one (2); the next
 * two bytes are its sequencing. Returns the bytes used, 0 when the input is
 * too short or the manifest does not fit cap.
 */
static size_t gen_tree(const uint8_t *data, size_t size, char *out, size_t cap)
{
	gen_buf b = {out, 0, cap};
	uint8_t stack[GEN_MAX_DEPTH][2];
	int depth = 0, nodes = 0, kids[GEN_MAX_DEPTH + 1] = {0};
	size_t used = 0;

	gen_put(&b,
	        T_HEAD "<organizations default=\"o\"><organization identifier=\"o\" "
	               "adlseq:objectivesGlobalToSystem=\"%s\"><title>Generated</title>",
	        size && (data[0] & 4) ? "false" : "true");
	while (nodes < GEN_MAX_NODES && used + 3 <= size) {
		uint8_t op = data[used] & 3, x = data[used + 1], y = data[used + 2];
		used += 3;
		if (op == 2 && depth == 0)
			break; /* the organization closes: the tree is done */
		if (op == 2) {
			if (!kids[depth]) /* a cluster has a child */
				gen_put(&b, T_LEAF("n%dz"), nodes++);
			depth--;
			gen_sequencing(&b, stack[depth][0], stack[depth][1], true);
			gen_put(&b, "</item>");
			continue;
		}
		kids[depth]++;
		if (op == 1 && depth < GEN_MAX_DEPTH) {
			gen_put(&b, "<item identifier=\"n%d\"><title>n%d</title>", nodes, nodes);
			nodes++;
			stack[depth][0] = x;
			stack[depth][1] = y;
			kids[++depth] = 0;
			continue;
		}
		gen_put(&b, "<item identifier=\"n%d\" identifierref=\"r\"><title>n%d</title>",
		        nodes, nodes);
		if (x & y & 1)
			gen_put(&b,
			        "<adlcp:completionThreshold completedByMeasure=\"true\" "
			        "minProgressMeasure=\"0.5\" progressWeight=\"%d\"/>",
			        y >> 7);
		gen_sequencing(&b, x, y, false);
		gen_put(&b, "</item>");
		nodes++;
	}
	if (!kids[0] && !depth)
		gen_put(&b, T_LEAF("only"));
	while (depth > 0) {
		if (!kids[depth])
			gen_put(&b, T_LEAF("n%dz"), nodes++);
		depth--;
		gen_sequencing(&b, stack[depth][0], stack[depth][1], true);
		gen_put(&b, "</item>");
	}
	gen_sequencing(&b, size ? data[0] : 0, size > 1 ? data[1] : 0, true);
	gen_put(&b, "</organization></organizations>" T_TAIL);
	return b.len < cap ? used : 0;
}

#endif
