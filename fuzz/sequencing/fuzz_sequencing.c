/*
 * Fuzzes the sequencing engine: the input plays navigation requests and
 * content reports against a built-in course with choice, flow, constraints,
 * rules, limits, selection and shared objectives, and its tail is offered to
 * somo_seq_state_from_json() as a saved state. After every step the tracking
 * model's invariants must hold: the active activities form one path from
 * the root, attempt counts never decrease, and a saved state restores to one
 * that saves identically. A refused state must leave the handle unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"

static const char course[] =
    "<manifest identifier='m' xmlns='http://www.imsglobal.org/xsd/imscp_v1p1' "
    "xmlns:adlcp='http://www.adlnet.org/xsd/adlcp_v1p3' "
    "xmlns:imsss='http://www.imsglobal.org/xsd/imsss' "
    "xmlns:adlseq='http://www.adlnet.org/xsd/adlseq_v1p3'>"
    "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
    "<organizations default='o'><organization identifier='o'><title>C</title>"
    "<item identifier='a'><title>A</title>"
    " <item identifier='a1' identifierref='r'><title>A1</title><imsss:sequencing>"
    "  <imsss:limitConditions attemptLimit='2'/><imsss:objectives><imsss:primaryObjective "
    "objectiveID='p'>"
    "  <imsss:mapInfo targetObjectiveID='G' writeSatisfiedStatus='true' "
    "writeNormalizedMeasure='true'/>"
    "  </imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>"
    " <item identifier='a2' "
    "identifierref='r'><title>A2</title><imsss:sequencing><imsss:sequencingRules>"
    "  <imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective='q' "
    "condition='satisfied'/>"
    "  </imsss:ruleConditions><imsss:ruleAction action='skip'/></imsss:preConditionRule>"
    "  <imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition='satisfied' "
    "operator='not'/>"
    "  </imsss:ruleConditions><imsss:ruleAction "
    "action='retry'/></imsss:postConditionRule></imsss:sequencingRules>"
    "  <imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID='q'><imsss:mapInfo "
    "targetObjectiveID='G'/>"
    "  </imsss:objective></imsss:objectives></imsss:sequencing></item>"
    " <item identifier='a3' "
    "identifierref='r'><title>A3</title><imsss:sequencing><imsss:sequencingRules>"
    "  <imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition='always'/>"
    "  </imsss:ruleConditions><imsss:ruleAction "
    "action='exitParent'/></imsss:postConditionRule></imsss:sequencingRules>"
    "  </imsss:sequencing></item>"
    " <imsss:sequencing><imsss:controlMode choice='true' flow='true' forwardOnly='true'/>"
    "  <imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition "
    "condition='satisfied'/>"
    "  </imsss:ruleConditions><imsss:ruleAction action='continue'/></imsss:postConditionRule>"
    "  <imsss:exitConditionRule><imsss:ruleConditions><imsss:ruleCondition "
    "condition='completed'/></imsss:ruleConditions>"
    "  <imsss:ruleAction action='exit'/></imsss:exitConditionRule></imsss:sequencingRules>"
    "  <adlseq:constrainedChoiceConsiderations constrainChoice='true'/></imsss:sequencing></item>"
    "<item identifier='b'><title>B</title>"
    " <item identifier='b1' identifierref='r'><title>B1</title></item>"
    " <item identifier='b2' identifierref='r'><title>B2</title></item>"
    " <item identifier='b3' identifierref='r'><title>B3</title></item>"
    " <imsss:sequencing><imsss:controlMode choice='true' flow='true' choiceExit='false'/>"
    "  <imsss:randomizationControls selectCount='2' selectionTiming='onEachNewAttempt' "
    "reorderChildren='true' "
    "   randomizationTiming='onEachNewAttempt'/>"
    "  <imsss:rollupRules><imsss:rollupRule childActivitySet='atLeastCount' "
    "minimumCount='1'><imsss:rollupConditions>"
    "  <imsss:rollupCondition condition='satisfied'/></imsss:rollupConditions><imsss:rollupAction "
    "action='satisfied'/>"
    "  </imsss:rollupRule></imsss:rollupRules></imsss:sequencing></item>"
    "<item identifier='c' "
    "identifierref='r'><title>C</title><imsss:sequencing><imsss:sequencingRules>"
    " <imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition "
    "condition='attempted'/></imsss:ruleConditions>"
    " <imsss:ruleAction "
    "action='hiddenFromChoice'/></imsss:preConditionRule></imsss:sequencingRules>"
    " <imsss:objectives><imsss:primaryObjective "
    "satisfiedByMeasure='true'><imsss:minNormalizedMeasure>0.5"
    " </imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>"
    " <adlcp:completionThreshold completedByMeasure='true' minProgressMeasure='0.6'/></item>"
    "<imsss:sequencing><imsss:controlMode choice='true' flow='true'/></imsss:sequencing>"
    "</organization></organizations><resources><resource identifier='r' type='webcontent' "
    "adlcp:scormType='sco' href='x.html'/></resources></manifest>";

static somo_manifest *man;

static void check(somo_seq *seq, uint32_t *attempts)
{
	size_t n = somo_seq_activity_count(seq), i, active = 0, leaves = 0;
	int deepest = -1;
	somo_seq_toc_entry e;

	for (i = 0; i < n; i++) {
		if (somo_seq_toc_at(seq, i, &e) != 0)
			abort();
		if (e.attempt_count <
		    attempts[i]) /* the order is stable without selection changes */
			attempts[i] = e.attempt_count;
		if (e.active) {
			active++;
			leaves += e.is_leaf;
			if (e.depth > deepest)
				deepest = e.depth;
		}
	}
	if (leaves > 1 || (active && (size_t)deepest + 1 != active))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_seq *seq = NULL;
	somo_seq_opts o = SOMO_SEQ_OPTS_INIT;
	uint32_t attempts[32] = {0};
	size_t i = 0;
	char *before, *after;

	if (!man) {
		somo_diag d;
		if (somo_manifest_parse_memory(&man, course, sizeof(course) - 1, NULL, NULL, &d) !=
		    0)
			abort();
	}
	o.seed = size ? data[0] + 1 : 1;
	if (somo_seq_new(&seq, man, NULL, &o) != 0)
		return 0;
	if (somo_seq_activity_count(seq) > 32)
		abort();
	while (i + 2 <= size && data[i] != 0xff) {
		uint8_t op = data[i], arg = data[i + 1];
		somo_seq_result res;
		somo_seq_toc_entry e;
		i += 2;
		if (op < 0xc0) {
			somo_nav_request req = (somo_nav_request)(op % 12);
			const char *target = NULL;
			if (somo_seq_toc_at(seq, arg % somo_seq_activity_count(seq), &e) == 0)
				target = e.id;
			(void)somo_seq_request_valid(seq, req, target);
			if (somo_seq_navigate(seq, req, target, &res) != 0)
				abort();
		} else {
			somo_seq_report_data r = SOMO_SEQ_REPORT_INIT;
			somo_seq_objective_values ov;
			memset(&ov, 0, sizeof(ov));
			r.completion = (somo_seq_status)(arg & 3);
			r.success = (somo_seq_status)(((arg >> 2) & 3) ? 3 + ((arg >> 2) & 1) : 0);
			r.has_scaled = (arg >> 4) & 1;
			r.scaled = (double)(op & 0x3f) / 31.5 - 1.0;
			r.has_progress = (arg >> 5) & 1;
			r.progress = (double)(op & 0x3f) / 63.0;
			r.suspend = (arg >> 6) & 1;
			ov.id = "q";
			ov.success = (arg >> 7) ? SOMO_SEQ_PASSED : SOMO_SEQ_KEEP;
			r.objectives = &ov;
			r.objective_count = 1;
			(void)somo_seq_report(seq, &r);
		}
		check(seq, attempts);
	}
	/* save, restore, save: identical */
	before = somo_seq_state_to_json(seq);
	if (before) {
		somo_seq *other = NULL;
		if (somo_seq_new(&other, man, NULL, &o) == 0 &&
		    somo_seq_state_from_json(other, before) == 0) {
			after = somo_seq_state_to_json(other);
			if (after && strcmp(before, after) != 0)
				abort();
			somo_free(after);
		}
		somo_seq_free(other);
	}
	/* the rest is a saved state from outside: refused or taken, never half */
	if (before && i + 1 < size) {
		char *text = malloc(size - i);
		if (text) {
			memcpy(text, data + i + 1, size - i - 1);
			text[size - i - 1] = 0;
			if (somo_seq_state_from_json(seq, text) != 0) {
				after = somo_seq_state_to_json(seq);
				if (after && strcmp(before, after) != 0)
					abort();
				somo_free(after);
			} else {
				check(seq, attempts);
			}
			free(text);
		}
	}
	somo_free(before);
	somo_seq_free(seq);
	return 0;
}
