/*
 * Fuzzes sessions: the input plays navigation requests, API calls with
 * values taken from the input, Commits, Terminates, the player's queries and
 * reopenings of the registration (suspend / resume through the store)
 * against a built-in SCORM 2004 course (flow, choice, objectives with maps,
 * shared data) or a SCORM 1.2 course (prerequisites). Invariants: no crash,
 * the current activity is one of the package's or none, every API call
 * answers with the standard's strings, a reopening never fails.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "somo.h"
#include "somo/session.h"
#include "somo/store.h"

static const char course2004[] =
    "<manifest identifier='f' xmlns='http://www.imsglobal.org/xsd/imscp_v1p1' "
    "xmlns:adlcp='http://www.adlnet.org/xsd/adlcp_v1p3' "
    "xmlns:imsss='http://www.imsglobal.org/xsd/imsss'>"
    "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"
    "<organizations default='o'><organization identifier='o'><title>F</title>"
    "<item identifier='a' identifierref='r' parameters='?x=1'><title>A</title>"
    " <adlcp:data><adlcp:map targetID='s1' writeSharedData='true'/></adlcp:data>"
    " <imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID='pa'>"
    " <imsss:mapInfo targetObjectiveID='G' writeSatisfiedStatus='true' "
    "writeNormalizedMeasure='true'/>"
    " </imsss:primaryObjective><imsss:objective "
    "objectiveID='oa'/></imsss:objectives></imsss:sequencing></item>"
    "<item identifier='b'><title>B</title>"
    " <item identifier='b1' identifierref='r'><title>B1</title>"
    "  <adlcp:completionThreshold completedByMeasure='true' minProgressMeasure='0.5'/></item>"
    " <item identifier='b2' identifierref='asset'><title>B2</title></item>"
    " <imsss:sequencing><imsss:controlMode choice='true' flow='true'/></imsss:sequencing></item>"
    "<item identifier='c' identifierref='r'><title>C</title>"
    " <adlcp:data><adlcp:map targetID='s1'/></adlcp:data>"
    " <imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID='pc' "
    "satisfiedByMeasure='true'>"
    " <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>"
    " <imsss:mapInfo targetObjectiveID='G'/></imsss:primaryObjective></imsss:objectives>"
    " <imsss:limitConditions attemptLimit='2'/></imsss:sequencing></item>"
    "<imsss:sequencing><imsss:controlMode choice='true' flow='true'/></imsss:sequencing>"
    "</organization></organizations><resources>"
    "<resource identifier='r' type='webcontent' adlcp:scormType='sco' href='s.html'/>"
    "<resource identifier='asset' type='webcontent' adlcp:scormType='asset' href='a.html'/>"
    "</resources></manifest>";

static const char course12[] =
    "<manifest identifier='g' xmlns='http://www.imsproject.org/xsd/imscp_rootv1p1p2' "
    "xmlns:adlcp='http://www.adlnet.org/xsd/adlcp_rootv1p2'>"
    "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
    "<organizations default='o'><organization identifier='o'><title>G</title>"
    "<item identifier='m1' identifierref='r'><title>M1</title>"
    " <adlcp:masteryscore>70</adlcp:masteryscore></item>"
    "<item identifier='m2' identifierref='r'><title>M2</title>"
    " <adlcp:prerequisites type='aicc_script'>m1 &amp; ~m3</adlcp:prerequisites></item>"
    "<item identifier='k'><title>K</title>"
    " <item identifier='m3' identifierref='r' isvisible='false'><title>M3</title>"
    "  <adlcp:prerequisites type='aicc_script'>2*{m1,m2,m4}|m1=failed</adlcp:prerequisites></item>"
    " <item identifier='m4' identifierref='r'><title>M4</title>"
    "  <adlcp:prerequisites type='aicc_script'>(((m1</adlcp:prerequisites></item></item>"
    "</organization></organizations><resources>"
    "<resource identifier='r' type='webcontent' adlcp:scormtype='sco' href='s.html'/>"
    "</resources></manifest>";

static const char *const ids[] = {"a",  "b",  "b1", "b2", "c",  "o", "m1",
                                  "m2", "m3", "m4", "k",  "zz", ""};

static const char *const elems[] = {"cmi.completion_status",
                                    "cmi.success_status",
                                    "cmi.score.scaled",
                                    "cmi.score.raw",
                                    "cmi.progress_measure",
                                    "cmi.exit",
                                    "adl.nav.request",
                                    "cmi.location",
                                    "cmi.suspend_data",
                                    "cmi.objectives.0.id",
                                    "cmi.objectives.0.success_status",
                                    "cmi.objectives.0.score.scaled",
                                    "cmi.objectives.1.id",
                                    "adl.data.0.store",
                                    "cmi.session_time",
                                    "cmi.core.lesson_status",
                                    "cmi.core.exit",
                                    "cmi.core.score.raw",
                                    "cmi.core.lesson_location",
                                    "cmi.core.session_time",
                                    "adl.nav.request_valid.continue",
                                    "adl.nav.request_valid.choice.{target=c}",
                                    "cmi.entry",
                                    "cmi.core.entry"};

static const char *const values[] = {"completed",
                                     "incomplete",
                                     "passed",
                                     "failed",
                                     "unknown",
                                     "suspend",
                                     "normal",
                                     "logout",
                                     "continue",
                                     "previous",
                                     "exitAll",
                                     "suspendAll",
                                     "abandonAll",
                                     "{target=c}choice",
                                     "{target=b1}jump",
                                     "_none_",
                                     "0.9",
                                     "0.1",
                                     "-1",
                                     "PT1M",
                                     "00:01:00",
                                     "obj",
                                     "pa",
                                     "pc",
                                     "x"};

static somo_manifest *man[2];

static void load(void)
{
	if (man[0])
		return;
	somo_manifest_parse_memory(&man[0], course2004, sizeof(course2004) - 1, NULL, NULL, NULL);
	somo_manifest_parse_memory(&man[1], course12, sizeof(course12) - 1, NULL, NULL, NULL);
	if (!man[0] || !man[1])
		abort();
}

static bool known(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (id && !strcmp(id, ids[i]))
			return true;
	return false;
}

static void check_answer(const char *ret, bool boolean)
{
	if (!ret || (boolean && strcmp(ret, "true") && strcmp(ret, "false")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo_store *st = NULL;
	somo_session *s = NULL;
	somo_session_opts o = SOMO_SESSION_OPTS_INIT;
	const somo_manifest *m;
	size_t i = 1;
	int steps = 0;

	load();
	if (size < 1)
		return 0;
	m = man[data[0] & 1];
	o.seed = data[0];
	o.xapi_activity_base = (data[0] & 2) ? "https://fuzz.example/c/" : NULL;
	if (somo_store_open_memory(&st, NULL) < 0)
		return 0;
	if (somo_session_open(&s, st, m, "fuzzer", &o) < 0)
		abort();
	while (i < size && steps++ < 400) {
		uint8_t op = data[i++];
		uint8_t a = i < size ? data[i++] : 0, b = i < size ? data[i++] : 0;
		const char *cur;
		somo_session_nav nav;

		switch (op % 9) {
		case 0:
			somo_session_navigate(s, (somo_nav_request)(a % 12),
			                      ids[b % (sizeof(ids) / sizeof(ids[0]))], &nav);
			if (nav.deliver && !known(nav.deliver))
				abort();
			break;
		case 1:
			check_answer(somo_session_initialize(s, a & 1 ? "" : "x"), true);
			break;
		case 2:
			check_answer(somo_session_set_value(
			                 s, elems[a % (sizeof(elems) / sizeof(elems[0]))],
			                 values[b % (sizeof(values) / sizeof(values[0]))]),
			             true);
			break;
		case 3:
			check_answer(somo_session_get_value(
			                 s, elems[a % (sizeof(elems) / sizeof(elems[0]))]),
			             false);
			break;
		case 4:
			check_answer(somo_session_commit(s, ""), true);
			break;
		case 5:
			check_answer(somo_session_terminate(s, "", &nav), true);
			break;
		case 6: {
			somo_seq_nav_state v;
			somo_seq_course_status c;
			somo_session_toc_entry e;
			size_t k, n = somo_session_toc_count(s);
			char *url = somo_session_launch_url(s);
			somo_free(url);
			somo_session_nav_valid(s, &v);
			somo_session_course(s, &c);
			for (k = 0; k < n; k++)
				if (somo_session_toc_at(s, k, &e) < 0 || !known(e.id))
					abort();
			somo_session_request_valid(s, SOMO_NAV_CHOICE,
			                           ids[a % (sizeof(ids) / sizeof(ids[0]))]);
			break;
		}
		case 7:
			/* the learner comes back later: reopen on the same store */
			somo_session_free(s);
			s = NULL;
			if (somo_session_open(&s, st, m, "fuzzer", &o) < 0)
				abort();
			break;
		case 8:
			check_answer(somo_session_error_string(s, somo_session_last_error(s)),
			             false);
			check_answer(somo_session_diagnostic(s, a), false);
			break;
		}
		cur = somo_session_current(s);
		if (cur && !known(cur))
			abort();
	}
	somo_session_free(s);
	somo_store_close(st);
	return 0;
}
