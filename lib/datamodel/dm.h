/*
 * The data model tables and validators shared by the runtime.
 *
 * An element name is parsed without allocation into a table entry and the
 * collection indices it carries: "cmi.interactions.3.objectives.1.id" is the
 * entry "cmi.interactions.n.objectives.n.id" with indices {3, 1}.
 */
#ifndef SOMO_DATAMODEL_DM_H
#define SOMO_DATAMODEL_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "somo/datamodel.h"
#include "util/util.h"

/* Access. */
#define SOMO__DM_R  1
#define SOMO__DM_W  2
#define SOMO__DM_RW 3

/* What an entry is. */
typedef enum {
	SOMO__K_VALUE = 0, /* a stored value */
	SOMO__K_CHILDREN,  /* _children: the constant text */
	SOMO__K_COUNT,     /* _count of collection coll */
	SOMO__K_VERSION,   /* cmi._version */
	SOMO__K_NAV_VALID  /* adl.nav.request_valid.*: asked of the host */
} somo__dm_kind;

/* Where a value lives: the runtime's top-level slots or a collection's records. */
typedef enum {
	SOMO__C_NONE = 0,
	SOMO__C_OBJ,     /* cmi.objectives */
	SOMO__C_INT,     /* cmi.interactions */
	SOMO__C_INT_OBJ, /* cmi.interactions.n.objectives */
	SOMO__C_INT_CR,  /* cmi.interactions.n.correct_responses */
	SOMO__C_CFL,     /* cmi.comments_from_learner */
	SOMO__C_CFLMS,   /* cmi.comments_from_lms */
	SOMO__C_DATA,    /* adl.data */
	SOMO__C_MAX
} somo__dm_coll;

/* Value types. */
typedef enum {
	SOMO__T_NONE = 0,
	SOMO__T_CS,          /* characterstring (spm) */
	SOMO__T_LSTR,        /* localized_string_type (spm) */
	SOMO__T_LID,         /* long_identifier_type (URI, spm 4000) */
	SOMO__T_REAL,        /* real(10,7) within range */
	SOMO__T_TIME,        /* time(second,10,0) */
	SOMO__T_DUR,         /* timeinterval(second,10,2) */
	SOMO__T_VOCAB,       /* one of vocab */
	SOMO__T_LANG,        /* language_type, "" allowed */
	SOMO__T_RESULT,      /* interaction result: vocab or real */
	SOMO__T_PATTERN,     /* correct_responses.n.pattern for the interaction's type */
	SOMO__T_RESPONSE,    /* learner_response for the interaction's type */
	SOMO__T_NAVREQ,      /* adl.nav.request */
	SOMO__T_12_STR,      /* CMIString255 / CMIString4096 (spm) */
	SOMO__T_12_ID,       /* CMIIdentifier */
	SOMO__T_12_DEC,      /* CMIDecimal within range */
	SOMO__T_12_BLANKDEC, /* CMIDecimal within range, or CMIBlank */
	SOMO__T_12_SINT,     /* CMISInteger within range */
	SOMO__T_12_TIME,     /* CMITime */
	SOMO__T_12_SPAN,     /* CMITimespan */
	SOMO__T_12_FEEDBACK  /* CMIFeedback for the interaction's type */
} somo__dm_type;

/* Numeric ranges. */
typedef enum {
	SOMO__R_ANY = 0,
	SOMO__R_0_1,     /* [0, 1] */
	SOMO__R_M1_1,    /* [-1, 1] */
	SOMO__R_GE0,     /* >= 0 */
	SOMO__R_0_100,   /* [0, 100] */
	SOMO__R_M1_100,  /* [-1, 100] */
	SOMO__R_M100_100 /* [-100, 100] */
} somo__dm_range;

/* Dependencies checked before a set (error 408 in 2004). */
typedef enum {
	SOMO__D_NONE = 0,
	SOMO__D_ID,  /* the record's id must be set first: a new record starts with id */
	SOMO__D_TYPE /* the interaction's type must be set first */
} somo__dm_dep;

typedef struct {
	const char *name;         /* normalised: indices written as "n" */
	uint8_t access;           /* SOMO__DM_R | SOMO__DM_W */
	uint8_t kind;             /* somo__dm_kind */
	uint8_t type;             /* somo__dm_type */
	uint8_t range;            /* somo__dm_range */
	uint8_t coll;             /* collection of the record (or of _count); C_NONE for top */
	uint8_t field;            /* slot in the record or the top-level slot */
	uint8_t dep;              /* somo__dm_dep */
	uint8_t lms_only;         /* set by the LMS only (init values) even when RW */
	uint16_t spm;             /* smallest permitted maximum, characters */
	const char *const *vocab; /* T_VOCAB / T_RESULT */
	const char *text;         /* _children text, or the default value of a stored element */
} somo__dm_element;

#define SOMO__DM_MAX_DEPTH 2

typedef enum {
	SOMO__P_OK = 0,
	SOMO__P_UNDEFINED,  /* no such element */
	SOMO__P_NOCHILDREN, /* _children of an element that has none */
	SOMO__P_NOCOUNT,    /* _count of an element that is not a collection */
	SOMO__P_KEYWORD_BAD /* _version anywhere but cmi._version */
} somo__dm_parse_status;

typedef struct {
	const somo__dm_element *el;
	uint32_t index[SOMO__DM_MAX_DEPTH];
	int depth;
	/* adl.nav.request_valid.choice / .jump: the target (points into the name) */
	const char *target;
	size_t target_len;
} somo__dm_ref;

/* Parse an element name of the version. */
somo__dm_parse_status somo__dm_parse(somo_scorm_version v, const char *name, somo__dm_ref *out);

/* Entry lookup by normalised name (for state restore). */
const somo__dm_element *somo__dm_find(somo_scorm_version v, const char *normalised);
/* All entries of a version, for iteration. */
const somo__dm_element *somo__dm_table(somo_scorm_version v, size_t *count);

/* A vocabulary value as a small code (1 ...), 0 when s is not in vocab;
 * and back. */
uint32_t somo__dm_vocab_code(const char *const *vocab, const char *s, size_t len);
const char *somo__dm_vocab_text(uint32_t code);

/* Number of value slots in a top-level block and a record of a collection. */
size_t somo__dm_top_slots(somo_scorm_version v);
size_t somo__dm_record_slots(somo_scorm_version v, somo__dm_coll c);

/* Validation result. */
typedef enum {
	SOMO__V_OK = 0,
	SOMO__V_TYPE,   /* type mismatch: 406 (2004) / 405 (1.2) */
	SOMO__V_RANGE,  /* out of range: 407 (2004) / 405 (1.2) */
	SOMO__V_SPM,    /* longer than the smallest permitted maximum */
	SOMO__V_LENIENT /* accepted only in lenient mode (see the reason) */
} somo__dm_valid;

/* Interaction types, SCORM 2004 and 1.2. */
typedef enum {
	SOMO__IT_NONE = 0,
	SOMO__IT_TRUE_FALSE,
	SOMO__IT_CHOICE,
	SOMO__IT_FILL_IN,
	SOMO__IT_LONG_FILL_IN,
	SOMO__IT_LIKERT,
	SOMO__IT_MATCHING,
	SOMO__IT_PERFORMANCE,
	SOMO__IT_SEQUENCING,
	SOMO__IT_NUMERIC,
	SOMO__IT_OTHER
} somo__itype;

somo__itype somo__itype_parse(const char *s, size_t len);

/*
 * Validate value for el. itype is the interaction's type for patterns and
 * responses. lenient allows the common deviations: *reason then says which.
 * host is true for a value the LMS supplies rather than the content: an
 * identifier (long_identifier_type) is then taken as the LMS gives it, any
 * non-empty text, because the LMS initialises some identifiers from the
 * manifest (cmi.objectives.n.id from <imsss:objective objectiveID>, RTE book
 * 4.2.16), whose anyURI value may decode to text that is not a URI ("ob j 1").
 * Every other type is checked the same either way.
 */
somo__dm_valid somo__dm_validate(somo_scorm_version v, const somo__dm_element *el,
                                 somo__itype itype, const char *value, size_t len, bool lenient,
                                 bool host, const char **reason);

/* The grammar of a correct response pattern (pattern true) or a learner
 * response for an interaction type (RTE book 4.2.9), SCORM 1.2 CMIFeedback. */
somo__dm_valid somo__dm_response_valid(somo_scorm_version v, somo__itype t, bool pattern,
                                       const char *s, size_t len, bool lenient,
                                       const char **reason);

/* The element's type in words, for GetDiagnostic. */
void somo__dm_describe(somo_scorm_version v, const somo__dm_element *el, char *buf, size_t size);

/* Parse a real as SCORM writes them (decimal, optional sign and fraction). */
bool somo__dm_real(const char *s, size_t len, double *out);

/* Two patterns of the same interaction type are the same response
 * (choice as a set, otherwise as written). */
bool somo__dm_pattern_equal(somo__itype t, const char *a, size_t alen, const char *b, size_t blen);

/* language_type: an RFC 5646 tag whose primary subtag is an ISO 639 code. */
bool somo__dm_language(const char *s, size_t len);

/* Valid long_identifier_type / short_identifier_type (URI syntax). */
bool somo__dm_uri(const char *s, size_t len);

bool somo__dm_error_known(somo_scorm_version version, int code);

#endif
