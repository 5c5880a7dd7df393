/*
 * The element tables of SCORM 2004 4th edition (RTE book 4.2) and SCORM 1.2
 * (RTE 3.4), and the allocation-free parser of element names.
 */
#include <pthread.h>
#include <string.h>

#include "datamodel/dm.h"

#define R  SOMO__DM_R
#define W  SOMO__DM_W
#define RW SOMO__DM_RW

static const char *const v_completion[] = {"completed", "incomplete", "not attempted", "unknown",
                                           NULL};
static const char *const v_success[] = {"passed", "failed", "unknown", NULL};
static const char *const v_credit[] = {"credit", "no-credit", NULL};
static const char *const v_entry[] = {"ab-initio", "resume", "", NULL};
static const char *const v_exit[] = {"time-out", "suspend", "logout", "normal", "", NULL};
static const char *const v_mode[] = {"browse", "normal", "review", NULL};
static const char *const v_tla[] = {"exit,message", "continue,message", "exit,no message",
                                    "continue,no message", NULL};
static const char *const v_itype[] = {"true-false", "choice",   "fill-in",     "long-fill-in",
                                      "likert",     "matching", "performance", "sequencing",
                                      "numeric",    "other",    NULL};
static const char *const v_result[] = {"correct", "incorrect", "unanticipated", "neutral", NULL};
static const char *const v_captioning[] = {"-1", "0", "1", NULL};

static const char *const v12_status[] = {"passed",  "completed",     "failed", "incomplete",
                                         "browsed", "not attempted", NULL};
static const char *const v12_exit[] = {"time-out", "suspend", "logout", "", NULL};
static const char *const v12_itype[] = {"true-false", "choice",      "fill-in",
                                        "matching",   "performance", "sequencing",
                                        "likert",     "numeric",     NULL};
static const char *const v12_result[] = {"correct", "wrong", "unanticipated", "neutral", NULL};

/* Every vocabulary, so that a stored vocabulary value can be a small code. */
static const char *const *const vocabularies[] = {
    v_completion, v_success, v_credit,     v_entry,    v_exit,   v_mode,    v_tla,
    v_itype,      v_result,  v_captioning, v12_status, v12_exit, v12_itype, v12_result,
};

uint32_t somo__dm_vocab_code(const char *const *vocab, const char *s, size_t len)
{
	size_t k, i;

	for (k = 0; k < SOMO__ARRAY_SIZE(vocabularies); k++) {
		if (vocabularies[k] != vocab)
			continue;
		for (i = 0; vocab[i]; i++)
			if (strlen(vocab[i]) == len && memcmp(vocab[i], s, len) == 0)
				return (uint32_t)((k << 8) | i) + 1;
		return 0;
	}
	return 0;
}

const char *somo__dm_vocab_text(uint32_t code)
{
	size_t k = (code - 1) >> 8, i = (code - 1) & 0xff;

	return k < SOMO__ARRAY_SIZE(vocabularies) ? vocabularies[k][i] : "";
}

/* Top-level slots of SCORM 2004. */
enum {
	S_COMPLETION_STATUS,
	S_COMPLETION_THRESHOLD,
	S_CREDIT,
	S_ENTRY,
	S_EXIT,
	S_LAUNCH_DATA,
	S_LEARNER_ID,
	S_LEARNER_NAME,
	S_AUDIO_LEVEL,
	S_LANGUAGE,
	S_DELIVERY_SPEED,
	S_AUDIO_CAPTIONING,
	S_LOCATION,
	S_MAX_TIME,
	S_MODE,
	S_PROGRESS,
	S_SPS,
	S_SCALED,
	S_RAW,
	S_MIN,
	S_MAX,
	S_SESSION_TIME,
	S_SUCCESS_STATUS,
	S_SUSPEND_DATA,
	S_TLA,
	S_TOTAL_TIME,
	S_NAV_REQUEST,
	S_COUNT_2004
};

/* Top-level slots of SCORM 1.2. */
enum {
	S12_STUDENT_ID,
	S12_STUDENT_NAME,
	S12_LOCATION,
	S12_CREDIT,
	S12_STATUS,
	S12_ENTRY,
	S12_RAW,
	S12_MIN,
	S12_MAX,
	S12_TOTAL_TIME,
	S12_MODE,
	S12_EXIT,
	S12_SESSION_TIME,
	S12_SUSPEND_DATA,
	S12_LAUNCH_DATA,
	S12_COMMENTS,
	S12_COMMENTS_LMS,
	S12_MASTERY,
	S12_MAX_TIME,
	S12_TLA,
	S12_AUDIO,
	S12_LANGUAGE,
	S12_SPEED,
	S12_TEXT,
	S_COUNT_12
};

#define CH(name, text)                                                                             \
	{                                                                                          \
		name, R, SOMO__K_CHILDREN, 0, 0, 0, 0, 0, 0, 0, NULL, text                         \
	}
#define CNT(name, coll)                                                                            \
	{                                                                                          \
		name, R, SOMO__K_COUNT, 0, 0, coll, 0, 0, 0, 0, NULL, NULL                         \
	}
/* name, access, type, range, coll, field, dep, lms_only, spm, vocab, default */
#define VAL(name, acc, type, range, coll, field, dep, lms, spm, vocab, dflt)                       \
	{                                                                                          \
		name, acc, SOMO__K_VALUE, type, range, coll, field, dep, lms, spm, vocab, dflt     \
	}

static const somo__dm_element table_2004[] = {
    {"cmi._version", R, SOMO__K_VERSION, 0, 0, 0, 0, 0, 0, 0, NULL, "1.0"},
    CH("cmi.comments_from_learner._children", "comment,location,timestamp"),
    CNT("cmi.comments_from_learner._count", SOMO__C_CFL),
    VAL("cmi.comments_from_learner.n.comment", RW, SOMO__T_LSTR, 0, SOMO__C_CFL, 0, 0, 0, 4000,
        NULL, NULL),
    VAL("cmi.comments_from_learner.n.location", RW, SOMO__T_CS, 0, SOMO__C_CFL, 1, 0, 0, 250, NULL,
        NULL),
    VAL("cmi.comments_from_learner.n.timestamp", RW, SOMO__T_TIME, 0, SOMO__C_CFL, 2, 0, 0, 0, NULL,
        NULL),
    CH("cmi.comments_from_lms._children", "comment,location,timestamp"),
    CNT("cmi.comments_from_lms._count", SOMO__C_CFLMS),
    VAL("cmi.comments_from_lms.n.comment", R, SOMO__T_LSTR, 0, SOMO__C_CFLMS, 0, 0, 0, 4000, NULL,
        NULL),
    VAL("cmi.comments_from_lms.n.location", R, SOMO__T_CS, 0, SOMO__C_CFLMS, 1, 0, 0, 250, NULL,
        NULL),
    VAL("cmi.comments_from_lms.n.timestamp", R, SOMO__T_TIME, 0, SOMO__C_CFLMS, 2, 0, 0, 0, NULL,
        NULL),
    VAL("cmi.completion_status", RW, SOMO__T_VOCAB, 0, 0, S_COMPLETION_STATUS, 0, 0, 0,
        v_completion, "unknown"),
    VAL("cmi.completion_threshold", R, SOMO__T_REAL, SOMO__R_0_1, 0, S_COMPLETION_THRESHOLD, 0, 0,
        0, NULL, NULL),
    VAL("cmi.credit", R, SOMO__T_VOCAB, 0, 0, S_CREDIT, 0, 0, 0, v_credit, "credit"),
    VAL("cmi.entry", R, SOMO__T_VOCAB, 0, 0, S_ENTRY, 0, 0, 0, v_entry, "ab-initio"),
    VAL("cmi.exit", W, SOMO__T_VOCAB, 0, 0, S_EXIT, 0, 0, 0, v_exit, NULL),
    CH("cmi.interactions._children", "id,type,objectives,timestamp,correct_responses,weighting,"
                                     "learner_response,result,latency,description"),
    CNT("cmi.interactions._count", SOMO__C_INT),
    CH("cmi.interactions.n.correct_responses._children", "pattern"),
    CNT("cmi.interactions.n.correct_responses._count", SOMO__C_INT_CR),
    VAL("cmi.interactions.n.correct_responses.n.pattern", RW, SOMO__T_PATTERN, 0, SOMO__C_INT_CR, 0,
        SOMO__D_TYPE, 0, 0, NULL, NULL),
    VAL("cmi.interactions.n.description", RW, SOMO__T_LSTR, 0, SOMO__C_INT, 7, SOMO__D_ID, 0, 250,
        NULL, NULL),
    VAL("cmi.interactions.n.id", RW, SOMO__T_LID, 0, SOMO__C_INT, 0, 0, 0, 4000, NULL, NULL),
    VAL("cmi.interactions.n.latency", RW, SOMO__T_DUR, 0, SOMO__C_INT, 6, SOMO__D_ID, 0, 0, NULL,
        NULL),
    VAL("cmi.interactions.n.learner_response", RW, SOMO__T_RESPONSE, 0, SOMO__C_INT, 4,
        SOMO__D_TYPE, 0, 0, NULL, NULL),
    CH("cmi.interactions.n.objectives._children", "id"),
    CNT("cmi.interactions.n.objectives._count", SOMO__C_INT_OBJ),
    VAL("cmi.interactions.n.objectives.n.id", RW, SOMO__T_LID, 0, SOMO__C_INT_OBJ, 0, 0, 0, 4000,
        NULL, NULL),
    VAL("cmi.interactions.n.result", RW, SOMO__T_RESULT, 0, SOMO__C_INT, 5, SOMO__D_ID, 0, 0,
        v_result, NULL),
    VAL("cmi.interactions.n.timestamp", RW, SOMO__T_TIME, 0, SOMO__C_INT, 2, SOMO__D_ID, 0, 0, NULL,
        NULL),
    VAL("cmi.interactions.n.type", RW, SOMO__T_VOCAB, 0, SOMO__C_INT, 1, SOMO__D_ID, 0, 0, v_itype,
        NULL),
    VAL("cmi.interactions.n.weighting", RW, SOMO__T_REAL, 0, SOMO__C_INT, 3, SOMO__D_ID, 0, 0, NULL,
        NULL),
    VAL("cmi.launch_data", R, SOMO__T_CS, 0, 0, S_LAUNCH_DATA, 0, 0, 4000, NULL, NULL),
    VAL("cmi.learner_id", R, SOMO__T_LID, 0, 0, S_LEARNER_ID, 0, 0, 4000, NULL, ""),
    VAL("cmi.learner_name", R, SOMO__T_LSTR, 0, 0, S_LEARNER_NAME, 0, 0, 250, NULL, ""),
    CH("cmi.learner_preference._children", "audio_level,language,delivery_speed,audio_captioning"),
    VAL("cmi.learner_preference.audio_captioning", RW, SOMO__T_VOCAB, 0, 0, S_AUDIO_CAPTIONING, 0,
        0, 0, v_captioning, "0"),
    VAL("cmi.learner_preference.audio_level", RW, SOMO__T_REAL, SOMO__R_GE0, 0, S_AUDIO_LEVEL, 0, 0,
        0, NULL, "1"),
    VAL("cmi.learner_preference.delivery_speed", RW, SOMO__T_REAL, SOMO__R_GE0, 0, S_DELIVERY_SPEED,
        0, 0, 0, NULL, "1"),
    VAL("cmi.learner_preference.language", RW, SOMO__T_LANG, 0, 0, S_LANGUAGE, 0, 0, 250, NULL, ""),
    VAL("cmi.location", RW, SOMO__T_CS, 0, 0, S_LOCATION, 0, 0, 1000, NULL, NULL),
    VAL("cmi.max_time_allowed", R, SOMO__T_DUR, 0, 0, S_MAX_TIME, 0, 0, 0, NULL, NULL),
    VAL("cmi.mode", R, SOMO__T_VOCAB, 0, 0, S_MODE, 0, 0, 0, v_mode, "normal"),
    CH("cmi.objectives._children",
       "id,score,success_status,completion_status,progress_measure,description"),
    CNT("cmi.objectives._count", SOMO__C_OBJ),
    VAL("cmi.objectives.n.completion_status", RW, SOMO__T_VOCAB, 0, SOMO__C_OBJ, 6, SOMO__D_ID, 0,
        0, v_completion, "unknown"),
    VAL("cmi.objectives.n.description", RW, SOMO__T_LSTR, 0, SOMO__C_OBJ, 8, SOMO__D_ID, 0, 250,
        NULL, NULL),
    VAL("cmi.objectives.n.id", RW, SOMO__T_LID, 0, SOMO__C_OBJ, 0, 0, 0, 4000, NULL, NULL),
    VAL("cmi.objectives.n.progress_measure", RW, SOMO__T_REAL, SOMO__R_0_1, SOMO__C_OBJ, 7,
        SOMO__D_ID, 0, 0, NULL, NULL),
    CH("cmi.objectives.n.score._children", "scaled,raw,min,max"),
    VAL("cmi.objectives.n.score.max", RW, SOMO__T_REAL, 0, SOMO__C_OBJ, 4, SOMO__D_ID, 0, 0, NULL,
        NULL),
    VAL("cmi.objectives.n.score.min", RW, SOMO__T_REAL, 0, SOMO__C_OBJ, 3, SOMO__D_ID, 0, 0, NULL,
        NULL),
    VAL("cmi.objectives.n.score.raw", RW, SOMO__T_REAL, 0, SOMO__C_OBJ, 2, SOMO__D_ID, 0, 0, NULL,
        NULL),
    VAL("cmi.objectives.n.score.scaled", RW, SOMO__T_REAL, SOMO__R_M1_1, SOMO__C_OBJ, 1, SOMO__D_ID,
        0, 0, NULL, NULL),
    VAL("cmi.objectives.n.success_status", RW, SOMO__T_VOCAB, 0, SOMO__C_OBJ, 5, SOMO__D_ID, 0, 0,
        v_success, "unknown"),
    VAL("cmi.progress_measure", RW, SOMO__T_REAL, SOMO__R_0_1, 0, S_PROGRESS, 0, 0, 0, NULL, NULL),
    VAL("cmi.scaled_passing_score", R, SOMO__T_REAL, SOMO__R_M1_1, 0, S_SPS, 0, 0, 0, NULL, NULL),
    CH("cmi.score._children", "scaled,raw,min,max"),
    VAL("cmi.score.max", RW, SOMO__T_REAL, 0, 0, S_MAX, 0, 0, 0, NULL, NULL),
    VAL("cmi.score.min", RW, SOMO__T_REAL, 0, 0, S_MIN, 0, 0, 0, NULL, NULL),
    VAL("cmi.score.raw", RW, SOMO__T_REAL, 0, 0, S_RAW, 0, 0, 0, NULL, NULL),
    VAL("cmi.score.scaled", RW, SOMO__T_REAL, SOMO__R_M1_1, 0, S_SCALED, 0, 0, 0, NULL, NULL),
    VAL("cmi.session_time", W, SOMO__T_DUR, 0, 0, S_SESSION_TIME, 0, 0, 0, NULL, NULL),
    VAL("cmi.success_status", RW, SOMO__T_VOCAB, 0, 0, S_SUCCESS_STATUS, 0, 0, 0, v_success,
        "unknown"),
    VAL("cmi.suspend_data", RW, SOMO__T_CS, 0, 0, S_SUSPEND_DATA, 0, 0, 64000, NULL, NULL),
    VAL("cmi.time_limit_action", R, SOMO__T_VOCAB, 0, 0, S_TLA, 0, 0, 0, v_tla,
        "continue,no message"),
    VAL("cmi.total_time", R, SOMO__T_DUR, 0, 0, S_TOTAL_TIME, 0, 0, 0, NULL, "PT0H0M0S"),
    CH("adl.data._children", "id,store"),
    CNT("adl.data._count", SOMO__C_DATA),
    VAL("adl.data.n.id", R, SOMO__T_LID, 0, SOMO__C_DATA, 0, 0, 0, 4000, NULL, NULL),
    VAL("adl.data.n.store", RW, SOMO__T_CS, 0, SOMO__C_DATA, 1, 0, 0, 64000, NULL, NULL),
    VAL("adl.nav.request", RW, SOMO__T_NAVREQ, 0, 0, S_NAV_REQUEST, 0, 0, 0, NULL, "_none_"),
    {"adl.nav.request_valid.choice", R, SOMO__K_NAV_VALID, 0, 0, 0, 2, 0, 0, 0, NULL, "choice"},
    {"adl.nav.request_valid.continue", R, SOMO__K_NAV_VALID, 0, 0, 0, 0, 0, 0, 0, NULL, "continue"},
    {"adl.nav.request_valid.jump", R, SOMO__K_NAV_VALID, 0, 0, 0, 3, 0, 0, 0, NULL, "jump"},
    {"adl.nav.request_valid.previous", R, SOMO__K_NAV_VALID, 0, 0, 0, 1, 0, 0, 0, NULL, "previous"},
};

static const somo__dm_element table_12[] = {
    CH("cmi.core._children", "student_id,student_name,lesson_location,credit,lesson_status,entry,"
                             "score,total_time,lesson_mode,exit,session_time"),
    VAL("cmi.core.credit", R, SOMO__T_VOCAB, 0, 0, S12_CREDIT, 0, 0, 0, v_credit, "credit"),
    VAL("cmi.core.entry", R, SOMO__T_VOCAB, 0, 0, S12_ENTRY, 0, 0, 0, v_entry, "ab-initio"),
    VAL("cmi.core.exit", W, SOMO__T_VOCAB, 0, 0, S12_EXIT, 0, 0, 0, v12_exit, NULL),
    VAL("cmi.core.lesson_location", RW, SOMO__T_12_STR, 0, 0, S12_LOCATION, 0, 0, 255, NULL, ""),
    VAL("cmi.core.lesson_mode", R, SOMO__T_VOCAB, 0, 0, S12_MODE, 0, 0, 0, v_mode, "normal"),
    VAL("cmi.core.lesson_status", RW, SOMO__T_VOCAB, 0, 0, S12_STATUS, 0, 0, 0, v12_status,
        "not attempted"),
    CH("cmi.core.score._children", "raw,min,max"),
    VAL("cmi.core.score.max", RW, SOMO__T_12_BLANKDEC, SOMO__R_0_100, 0, S12_MAX, 0, 0, 0, NULL,
        ""),
    VAL("cmi.core.score.min", RW, SOMO__T_12_BLANKDEC, SOMO__R_0_100, 0, S12_MIN, 0, 0, 0, NULL,
        ""),
    VAL("cmi.core.score.raw", RW, SOMO__T_12_BLANKDEC, SOMO__R_0_100, 0, S12_RAW, 0, 0, 0, NULL,
        ""),
    VAL("cmi.core.session_time", W, SOMO__T_12_SPAN, 0, 0, S12_SESSION_TIME, 0, 0, 0, NULL, NULL),
    VAL("cmi.core.student_id", R, SOMO__T_12_ID, 0, 0, S12_STUDENT_ID, 0, 0, 255, NULL, ""),
    VAL("cmi.core.student_name", R, SOMO__T_12_STR, 0, 0, S12_STUDENT_NAME, 0, 0, 255, NULL, ""),
    VAL("cmi.core.total_time", R, SOMO__T_12_SPAN, 0, 0, S12_TOTAL_TIME, 0, 0, 0, NULL,
        "0000:00:00"),
    VAL("cmi.comments", RW, SOMO__T_12_STR, 0, 0, S12_COMMENTS, 0, 0, 4096, NULL, ""),
    VAL("cmi.comments_from_lms", R, SOMO__T_12_STR, 0, 0, S12_COMMENTS_LMS, 0, 0, 4096, NULL, ""),
    CH("cmi.interactions._children",
       "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"),
    CNT("cmi.interactions._count", SOMO__C_INT),
    CNT("cmi.interactions.n.correct_responses._count", SOMO__C_INT_CR),
    VAL("cmi.interactions.n.correct_responses.n.pattern", W, SOMO__T_12_FEEDBACK, 0, SOMO__C_INT_CR,
        0, 0, 0, 255, NULL, NULL),
    VAL("cmi.interactions.n.id", W, SOMO__T_12_ID, 0, SOMO__C_INT, 0, 0, 0, 255, NULL, NULL),
    VAL("cmi.interactions.n.latency", W, SOMO__T_12_SPAN, 0, SOMO__C_INT, 6, 0, 0, 0, NULL, NULL),
    CNT("cmi.interactions.n.objectives._count", SOMO__C_INT_OBJ),
    VAL("cmi.interactions.n.objectives.n.id", W, SOMO__T_12_ID, 0, SOMO__C_INT_OBJ, 0, 0, 0, 255,
        NULL, NULL),
    VAL("cmi.interactions.n.result", W, SOMO__T_RESULT, 0, SOMO__C_INT, 5, 0, 0, 0, v12_result,
        NULL),
    VAL("cmi.interactions.n.student_response", W, SOMO__T_12_FEEDBACK, 0, SOMO__C_INT, 4, 0, 0, 255,
        NULL, NULL),
    VAL("cmi.interactions.n.time", W, SOMO__T_12_TIME, 0, SOMO__C_INT, 1, 0, 0, 0, NULL, NULL),
    VAL("cmi.interactions.n.type", W, SOMO__T_VOCAB, 0, SOMO__C_INT, 2, 0, 0, 0, v12_itype, NULL),
    VAL("cmi.interactions.n.weighting", W, SOMO__T_12_DEC, 0, SOMO__C_INT, 3, 0, 0, 0, NULL, NULL),
    VAL("cmi.launch_data", R, SOMO__T_12_STR, 0, 0, S12_LAUNCH_DATA, 0, 0, 4096, NULL, ""),
    VAL("cmi.suspend_data", RW, SOMO__T_12_STR, 0, 0, S12_SUSPEND_DATA, 0, 0, 4096, NULL, ""),
    CH("cmi.objectives._children", "id,score,status"),
    CNT("cmi.objectives._count", SOMO__C_OBJ),
    VAL("cmi.objectives.n.id", RW, SOMO__T_12_ID, 0, SOMO__C_OBJ, 0, 0, 0, 255, NULL, ""),
    CH("cmi.objectives.n.score._children", "raw,min,max"),
    VAL("cmi.objectives.n.score.max", RW, SOMO__T_12_BLANKDEC, SOMO__R_0_100, SOMO__C_OBJ, 3, 0, 0,
        0, NULL, ""),
    VAL("cmi.objectives.n.score.min", RW, SOMO__T_12_BLANKDEC, SOMO__R_0_100, SOMO__C_OBJ, 2, 0, 0,
        0, NULL, ""),
    VAL("cmi.objectives.n.score.raw", RW, SOMO__T_12_BLANKDEC, SOMO__R_0_100, SOMO__C_OBJ, 1, 0, 0,
        0, NULL, ""),
    VAL("cmi.objectives.n.status", RW, SOMO__T_VOCAB, 0, SOMO__C_OBJ, 4, 0, 0, 0, v12_status,
        "not attempted"),
    CH("cmi.student_data._children", "mastery_score,max_time_allowed,time_limit_action"),
    VAL("cmi.student_data.mastery_score", R, SOMO__T_12_BLANKDEC, SOMO__R_0_100, 0, S12_MASTERY, 0,
        0, 0, NULL, ""),
    VAL("cmi.student_data.max_time_allowed", R, SOMO__T_12_SPAN, 0, 0, S12_MAX_TIME, 0, 0, 0, NULL,
        ""),
    VAL("cmi.student_data.time_limit_action", R, SOMO__T_VOCAB, 0, 0, S12_TLA, 0, 0, 0, v_tla, ""),
    CH("cmi.student_preference._children", "audio,language,speed,text"),
    VAL("cmi.student_preference.audio", RW, SOMO__T_12_SINT, SOMO__R_M1_100, 0, S12_AUDIO, 0, 0, 0,
        NULL, ""),
    VAL("cmi.student_preference.language", RW, SOMO__T_12_STR, 0, 0, S12_LANGUAGE, 0, 0, 255, NULL,
        ""),
    VAL("cmi.student_preference.speed", RW, SOMO__T_12_SINT, SOMO__R_M100_100, 0, S12_SPEED, 0, 0,
        0, NULL, ""),
    VAL("cmi.student_preference.text", RW, SOMO__T_12_SINT, SOMO__R_M1_1, 0, S12_TEXT, 0, 0, 0,
        NULL, ""),
    {"cmi._version", R, SOMO__K_VERSION, 0, 0, 0, 0, 0, 0, 0, NULL, "3.4"},
};

/*
 * Open-addressing hash tables of the normalised names, built once: a lookup
 * hashes the name while the parser writes it and compares one candidate or
 * two, with no allocation.
 */
#define HASH_SIZE 256 /* a power of two, at least twice the larger table */

typedef struct {
	const somo__dm_element *el;
	uint32_t hash;
	uint16_t len;
} hash_entry;

static hash_entry hash_2004[HASH_SIZE], hash_12[HASH_SIZE];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = FNV_OFFSET;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

static void fill(hash_entry *t, const somo__dm_element *els, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t len = strlen(els[i].name);
		uint32_t h = fnv(els[i].name, len), j = h & (HASH_SIZE - 1);
		while (t[j].el)
			j = (j + 1) & (HASH_SIZE - 1);
		t[j].el = &els[i];
		t[j].hash = h;
		t[j].len = (uint16_t)len;
	}
}

static void build_hashes(void)
{
	fill(hash_2004, table_2004, SOMO__ARRAY_SIZE(table_2004));
	fill(hash_12, table_12, SOMO__ARRAY_SIZE(table_12));
}

static const somo__dm_element *find_h(somo_scorm_version v, const char *name, size_t len,
                                      uint32_t h)
{
	const hash_entry *t;
	uint32_t j = h & (HASH_SIZE - 1);

	pthread_once(&hash_once, build_hashes);
	t = v == SOMO_SCORM_12 ? hash_12 : hash_2004;
	for (; t[j].el; j = (j + 1) & (HASH_SIZE - 1))
		if (t[j].hash == h && t[j].len == len && memcmp(t[j].el->name, name, len) == 0)
			return t[j].el;
	return NULL;
}

static const somo__dm_element *find_n(somo_scorm_version v, const char *name, size_t len)
{
	return find_h(v, name, len, fnv(name, len));
}

const somo__dm_element *somo__dm_table(somo_scorm_version v, size_t *count)
{
	if (v == SOMO_SCORM_12) {
		*count = SOMO__ARRAY_SIZE(table_12);
		return table_12;
	}
	*count = SOMO__ARRAY_SIZE(table_2004);
	return table_2004;
}

size_t somo__dm_top_slots(somo_scorm_version v)
{
	return v == SOMO_SCORM_12 ? S_COUNT_12 : S_COUNT_2004;
}

size_t somo__dm_record_slots(somo_scorm_version v, somo__dm_coll c)
{
	switch (c) {
	case SOMO__C_OBJ:
		return v == SOMO_SCORM_12 ? 5 : 9;
	case SOMO__C_INT:
		return v == SOMO_SCORM_12 ? 7 : 8;
	case SOMO__C_CFL:
	case SOMO__C_CFLMS:
		return 3;
	case SOMO__C_DATA:
		return 2;
	case SOMO__C_INT_OBJ:
	case SOMO__C_INT_CR:
		return 1;
	default:
		return 0;
	}
}

const somo__dm_element *somo__dm_find(somo_scorm_version v, const char *normalised)
{
	return find_n(v, normalised, strlen(normalised));
}

/* Is there any entry starting with prefix + "."? (the element has children) */
static bool has_prefix(somo_scorm_version v, const char *prefix, size_t len)
{
	size_t n, i;
	const somo__dm_element *t = somo__dm_table(v, &n);

	for (i = 0; i < n; i++)
		if (strncmp(t[i].name, prefix, len) == 0 && t[i].name[len] == '.')
			return true;
	return false;
}

#define NAME_MAX_LEN 160

somo__dm_parse_status somo__dm_parse(somo_scorm_version v, const char *name, somo__dm_ref *out)
{
	char norm[NAME_MAX_LEN + 8];
	size_t nl = 0;
	uint32_t h = FNV_OFFSET;
	const char *p = name;
	const somo__dm_element *el;

	memset(out, 0, sizeof(*out));
	if (v == SOMO_SCORM_2004 && strncmp(name, "adl.nav.request_valid.", 22) == 0) {
		const char *rest = name + 22;
		size_t kl = 0;
		if (strncmp(rest, "choice", 6) == 0)
			kl = 6;
		else if (strncmp(rest, "jump", 4) == 0)
			kl = 4;
		if (kl && rest[kl] == '.' && strncmp(rest + kl + 1, "{target=", 8) == 0) {
			const char *t = rest + kl + 9;
			size_t tl = strlen(t);
			if (tl < 2 || t[tl - 1] != '}')
				return SOMO__P_UNDEFINED;
			out->target = t;
			out->target_len = tl - 1;
			el = find_n(v, name, 22 + kl);
			out->el = el;
			return el ? SOMO__P_OK : SOMO__P_UNDEFINED;
		}
	}
	while (*p) {
		const char *tok = p;
		size_t tl, i;
		while (*p && *p != '.')
			p++;
		tl = (size_t)(p - tok);
		if (tl == 0)
			return SOMO__P_UNDEFINED;
		if (tok[0] >= '0' && tok[0] <= '9') {
			uint64_t idx = 0;
			if (tl > 9 || out->depth >= SOMO__DM_MAX_DEPTH)
				return SOMO__P_UNDEFINED;
			for (i = 0; i < tl; i++) {
				if (tok[i] < '0' || tok[i] > '9')
					return SOMO__P_UNDEFINED;
				idx = idx * 10 + (uint64_t)(tok[i] - '0');
			}
			out->index[out->depth++] = (uint32_t)idx;
			tok = "n";
			tl = 1;
		} else if (tl == 1 && tok[0] == 'n') {
			/* "n" stands for an index in the tables; no element is named so */
			return SOMO__P_UNDEFINED;
		}
		if (nl + tl + 1 > NAME_MAX_LEN)
			return SOMO__P_UNDEFINED;
		if (nl) {
			norm[nl++] = '.';
			h = (h ^ (unsigned char)'.') * FNV_PRIME;
		}
		for (i = 0; i < tl; i++) {
			norm[nl + i] = tok[i];
			h = (h ^ (unsigned char)tok[i]) * FNV_PRIME;
		}
		nl += tl;
		if (*p == '.') {
			p++;
			if (*p == '\0')
				return SOMO__P_UNDEFINED;
		}
	}
	norm[nl] = '\0';
	el = find_h(v, norm, nl, h);
	if (el) {
		out->el = el;
		return SOMO__P_OK;
	}
	/* A keyword on an element that does not have it. */
	{
		const char *dot = strrchr(norm, '.');
		if (dot) {
			size_t pl = (size_t)(dot - norm);
			const char *kw = dot + 1;
			bool known = find_n(v, norm, pl) != NULL || has_prefix(v, norm, pl);
			if (known && strcmp(kw, "_children") == 0)
				return SOMO__P_NOCHILDREN;
			if (known && strcmp(kw, "_count") == 0)
				return SOMO__P_NOCOUNT;
			if (known && strcmp(kw, "_version") == 0)
				return SOMO__P_KEYWORD_BAD;
		}
	}
	return SOMO__P_UNDEFINED;
}
