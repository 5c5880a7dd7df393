/*
 * Small SCORM 2004 4th edition activity trees in the manner of ADL's
 * conformance test packages, for the sequencing fuzz harness: each
 * exercises a family of the SN book's processes.
 */
#ifndef SOMO_FUZZ_SEQ_TREES_H
#define SOMO_FUZZ_SEQ_TREES_H

/* The trees are laid out as XML, not as C. */
/* clang-format off */

#define T_HEAD                                                                                     \
	"<?xml version=\"1.0\"?><manifest identifier=\"m\" version=\"1\" "                        \
	"xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" "                                       \
	"xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" "                                    \
	"xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" "                                      \
	"xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\" "                                  \
	"xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\"><metadata><schema>ADL "           \
	"SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
#define T_TAIL                                                                                     \
	"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\" "      \
	"href=\"a.html\"/></resources></manifest>"
#define T_LEAF(id) "<item identifier=\"" id "\" identifierref=\"r\"><title>" id "</title></item>"
#define T_RULE(kind, cond, action)                                                                 \
	"<imsss:" kind "><imsss:ruleConditions><imsss:ruleCondition condition=\"" cond            \
	"\"/></imsss:ruleConditions><imsss:ruleAction action=\"" action "\"/></imsss:" kind ">"
#define T_ROLLUP(set, cond, action)                                                                \
	"<imsss:rollupRule childActivitySet=\"" set "\"><imsss:rollupConditions>"                 \
	"<imsss:rollupCondition condition=\"" cond "\"/></imsss:rollupConditions>"                \
	"<imsss:rollupAction action=\"" action "\"/></imsss:rollupRule>"

/* Forced sequential order with a pretest skipped when passed, remediation
 * by retry, an attempt limit and objectives shared through global maps. */
static const char tree_forced[] =
    T_HEAD "<organizations default=\"o\"><organization identifier=\"o\"><title>Forced</title>"
    "<item identifier=\"pre\" identifierref=\"r\"><title>Pretest</title><imsss:sequencing>"
    "<imsss:sequencingRules>" T_RULE("preConditionRule", "satisfied", "skip")
        T_RULE("postConditionRule", "satisfied", "exitParent") "</imsss:sequencingRules>"
    "<imsss:limitConditions attemptLimit=\"2\"/><imsss:objectives>"
    "<imsss:primaryObjective objectiveID=\"preP\" satisfiedByMeasure=\"true\">"
    "<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>"
    "<imsss:mapInfo targetObjectiveID=\"g.mastery\" writeSatisfiedStatus=\"true\" "
    "writeNormalizedMeasure=\"true\"/></imsss:primaryObjective></imsss:objectives>"
    "</imsss:sequencing></item>"
    "<item identifier=\"mod1\"><title>Module 1</title>" T_LEAF("l1") T_LEAF("l2")
    "<item identifier=\"l3\" identifierref=\"r\"><title>l3</title><imsss:sequencing>"
    "<imsss:sequencingRules>" T_RULE("postConditionRule", "satisfied", "continue")
        T_RULE("postConditionRule", "attempted", "retry") "</imsss:sequencingRules>"
    "<imsss:limitConditions attemptLimit=\"3\"/></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"false\" flow=\"true\" forwardOnly=\"true\"/>"
    "<imsss:sequencingRules>" T_RULE("preConditionRule", "satisfied", "skip")
        T_RULE("exitConditionRule", "completed", "exit") "</imsss:sequencingRules>"
    "<imsss:objectives><imsss:primaryObjective objectiveID=\"m1P\">"
    "<imsss:mapInfo targetObjectiveID=\"g.mastery\" readSatisfiedStatus=\"true\"/>"
    "</imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>"
    "<item identifier=\"post\" identifierref=\"r\"><title>Posttest</title><imsss:sequencing>"
    "<imsss:sequencingRules>" T_RULE("postConditionRule", "notSatisfied", "retryAll")
        T_RULE("postConditionRule", "satisfied", "exitAll") "</imsss:sequencingRules>"
    "<imsss:limitConditions attemptLimit=\"4\"/><imsss:objectives>"
    "<imsss:primaryObjective objectiveID=\"postP\"><imsss:mapInfo "
    "targetObjectiveID=\"g.mastery\" writeSatisfiedStatus=\"true\"/></imsss:primaryObjective>"
    "</imsss:objectives></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"false\" flow=\"true\"/>"
    "<imsss:rollupRules>" T_ROLLUP("any", "satisfied", "satisfied")
        T_ROLLUP("all", "completed", "completed") "</imsss:rollupRules></imsss:sequencing>"
    "</organization></organizations>" T_TAIL;

/* Choice with its constraints: constrained and forward-only clusters,
 * prevent activation, hidden and disabled activities, choiceExit off, exit
 * action rules, stop forward traversal. */
static const char tree_choice[] =
    T_HEAD "<organizations default=\"o\"><organization identifier=\"o\"><title>Choice</title>"
    "<item identifier=\"a\"><title>A</title>" T_LEAF("a1") T_LEAF("a2")
    "<item identifier=\"a3\" identifierref=\"r\"><title>a3</title><imsss:sequencing>"
    "<imsss:sequencingRules>" T_RULE("preConditionRule", "attempted", "disabled")
    "</imsss:sequencingRules></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\" forwardOnly=\"true\"/>"
    "<adlseq:constrainedChoiceConsiderations constrainChoice=\"true\"/></imsss:sequencing>"
    "</item>"
    "<item identifier=\"b\"><title>B</title>" T_LEAF("b1")
    "<item identifier=\"b2\" identifierref=\"r\"><title>b2</title><imsss:sequencing>"
    "<imsss:sequencingRules>" T_RULE("preConditionRule", "always", "hiddenFromChoice")
    "</imsss:sequencingRules></imsss:sequencing></item>"
    "<item identifier=\"b3\" identifierref=\"r\"><title>b3</title><imsss:sequencing>"
    "<imsss:controlMode choiceExit=\"false\"/><imsss:sequencingRules>"
    T_RULE("preConditionRule", "satisfied", "stopForwardTraversal")
    "</imsss:sequencingRules></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
    "<adlseq:constrainedChoiceConsiderations preventActivation=\"true\"/>"
    "<imsss:sequencingRules>" T_RULE("exitConditionRule", "satisfied", "exit")
    "</imsss:sequencingRules></imsss:sequencing></item>"
    "<item identifier=\"c\"><title>C</title>"
    "<item identifier=\"c1\"><title>C1</title>" T_LEAF("c11") T_LEAF("c12")
    "<imsss:sequencing><imsss:controlMode choice=\"false\" flow=\"true\"/>"
    "<imsss:sequencingRules>" T_RULE("postConditionRule", "completed", "previous")
    "</imsss:sequencingRules></imsss:sequencing></item>" T_LEAF("c2")
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"false\" choiceExit=\"false\"/>"
    "<imsss:limitConditions attemptLimit=\"2\"/></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>"
    "</organization></organizations>" T_TAIL;

/* Selection and randomization on each new attempt, rollup by measure with
 * weights, completion by measure, rollup considerations, an untracked
 * activity and objectives local to the course. */
static const char tree_select[] =
    T_HEAD "<organizations default=\"o\"><organization identifier=\"o\" "
    "adlseq:objectivesGlobalToSystem=\"false\"><title>Select</title>"
    "<item identifier=\"pool\"><title>Pool</title>"
    "<item identifier=\"q1\" identifierref=\"r\"><title>q1</title>"
    "<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.6\" "
    "progressWeight=\"2\"/><imsss:sequencing><imsss:rollupRules objectiveMeasureWeight=\"2\"/>"
    "<imsss:objectives><imsss:primaryObjective objectiveID=\"q1P\" "
    "satisfiedByMeasure=\"true\"><imsss:minNormalizedMeasure>0.5</imsss:minNormalizedMeasure>"
    "</imsss:primaryObjective></imsss:objectives></imsss:sequencing></item>"
    T_LEAF("q2") T_LEAF("q3")
    "<item identifier=\"q4\" identifierref=\"r\"><title>q4</title><imsss:sequencing>"
    "<imsss:deliveryControls tracked=\"false\"/></imsss:sequencing></item>"
    "<item identifier=\"q5\" identifierref=\"r\"><title>q5</title><imsss:sequencing>"
    "<adlseq:rollupConsiderations requiredForSatisfied=\"ifAttempted\" "
    "requiredForCompleted=\"ifNotSkipped\" requiredForIncomplete=\"ifNotSuspended\"/>"
    "</imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
    "<imsss:limitConditions attemptLimit=\"3\"/>"
    "<imsss:randomizationControls randomizationTiming=\"onEachNewAttempt\" "
    "selectCount=\"3\" selectionTiming=\"onEachNewAttempt\" reorderChildren=\"true\"/>"
    "<imsss:objectives><imsss:primaryObjective objectiveID=\"poolP\" "
    "satisfiedByMeasure=\"true\"><imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>"
    "</imsss:primaryObjective></imsss:objectives>"
    "<adlseq:rollupConsiderations measureSatisfactionIfActive=\"false\"/>"
    "</imsss:sequencing></item>"
    "<item identifier=\"shuffled\"><title>Shuffled</title>" T_LEAF("s1") T_LEAF("s2")
        T_LEAF("s3")
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
    "<imsss:randomizationControls randomizationTiming=\"once\" reorderChildren=\"true\"/>"
    "<imsss:rollupRules>" T_ROLLUP("atLeastCount\" minimumCount=\"2", "satisfied", "satisfied")
        T_ROLLUP("atLeastPercent\" minimumPercent=\"0.5", "completed", "completed")
            T_ROLLUP("none", "attempted", "incomplete")
    "</imsss:rollupRules></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>"
    "</organization></organizations>" T_TAIL;

/* The 4th edition's extended objective maps (scores, completion and
 * progress shared), objective information of earlier attempts, and
 * activities that read what others write. */
static const char tree_shared[] =
    T_HEAD "<organizations default=\"o\"><organization identifier=\"o\"><title>Shared</title>"
    "<item identifier=\"w\" identifierref=\"r\"><title>Writer</title><imsss:sequencing>"
    "<imsss:objectives><imsss:primaryObjective objectiveID=\"wP\">"
    "<imsss:mapInfo targetObjectiveID=\"g1\" writeSatisfiedStatus=\"true\" "
    "writeNormalizedMeasure=\"true\"/></imsss:primaryObjective>"
    "<imsss:objective objectiveID=\"wO\"><imsss:mapInfo targetObjectiveID=\"g2\" "
    "writeSatisfiedStatus=\"true\"/></imsss:objective></imsss:objectives>"
    "<adlseq:objectives><adlseq:objective objectiveID=\"wP\"><adlseq:mapInfo "
    "targetObjectiveID=\"g1\" writeRawScore=\"true\" writeMinScore=\"true\" "
    "writeMaxScore=\"true\" writeCompletionStatus=\"true\" writeProgressMeasure=\"true\"/>"
    "</adlseq:objective></adlseq:objectives></imsss:sequencing></item>"
    "<item identifier=\"x\"><title>X</title>"
    "<item identifier=\"r1\" identifierref=\"r\"><title>Reader</title><imsss:sequencing>"
    "<imsss:sequencingRules>" T_RULE("preConditionRule", "satisfied", "skip")
        T_RULE("preConditionRule", "objectiveMeasureKnown", "disabled")
    "</imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"rP\">"
    "<imsss:mapInfo targetObjectiveID=\"g1\"/></imsss:primaryObjective></imsss:objectives>"
    "<adlseq:objectives><adlseq:objective objectiveID=\"rP\"><adlseq:mapInfo "
    "targetObjectiveID=\"g1\" readRawScore=\"true\" readCompletionStatus=\"true\" "
    "readProgressMeasure=\"true\"/></adlseq:objective></adlseq:objectives>"
    "</imsss:sequencing></item>"
    "<item identifier=\"r2\" identifierref=\"r\"><title>r2</title><imsss:sequencing>"
    "<imsss:objectives><imsss:primaryObjective objectiveID=\"r2P\">"
    "<imsss:mapInfo targetObjectiveID=\"g2\"/></imsss:primaryObjective></imsss:objectives>"
    "<imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>"
    "</imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\" "
    "useCurrentAttemptObjectiveInfo=\"false\" useCurrentAttemptProgressInfo=\"false\"/>"
    "<imsss:rollupRules rollupObjectiveSatisfied=\"true\" rollupProgressCompletion=\"false\">"
    T_ROLLUP("all", "objectiveStatusKnown", "satisfied") "</imsss:rollupRules>"
    "</imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
    "<imsss:sequencingRules>" T_RULE("exitConditionRule", "attemptLimitExceeded", "exit")
    "</imsss:sequencingRules></imsss:sequencing>"
    "</organization></organizations>" T_TAIL;

/* A course with a little of everything: constrained forward-only choice
 * with rules reading a shared objective, selection of two of three on each
 * new attempt, a hidden activity completed and satisfied by measure. */
static const char tree_rich[] =
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

static const char *const fuzz_trees[] = {tree_forced, tree_choice, tree_select, tree_shared,
                                         tree_rich};
#define FUZZ_TREE_COUNT (sizeof(fuzz_trees) / sizeof(fuzz_trees[0]))

/* clang-format on */

#endif
