/*
 * The runtime's internal layout, shared by the API (rt.c) and the state
 * serialisation (state.c).
 *
 * Values live in one arena per runtime: a slot is the arena offset of a
 * length-prefixed, NUL-terminated string (0 = not set). Collections are
 * arrays of slots, a record's fields side by side, so a runtime with 50
 * interactions holds a few kilobytes and no per-value allocation.
 */
#ifndef SOMO_RUNTIME_RT_H
#define SOMO_RUNTIME_RT_H

#include "datamodel/dm.h"
#include "somo/runtime.h"

typedef uint32_t somo__slot;

/* A slot with this bit holds a vocabulary code (somo__dm_vocab_code), not an offset. */
#define SOMO__SLOT_VOCAB 0x80000000u

typedef struct {
	somo__slot *v; /* count * width slots */
	uint32_t count;
	uint32_t cap;
} somo__coll;

typedef struct {
	somo__coll obj; /* interaction objectives: id */
	somo__coll cr;  /* correct responses: pattern */
} somo__isub;

enum { SOMO__RT_NOT_INIT = 0, SOMO__RT_RUNNING = 1, SOMO__RT_TERMINATED = 2 };

struct somo_rt {
	uint8_t version; /* somo_scorm_version */
	uint8_t lenient;
	uint8_t state;       /* SOMO__RT_* */
	uint8_t diag_reason; /* rt.c's reason for the last error */
	uint16_t last_error;
	uint16_t ntop;
	const somo__dm_element *diag_el;
	uint32_t diag_index[SOMO__DM_MAX_DEPTH]; /* the indices of the element last named */
	somo_rt_callbacks cb;

	char *arena;
	uint32_t alen, acap, garbage;

	somo__slot *top;
	somo__coll c[SOMO__C_MAX]; /* OBJ, INT, CFL, CFLMS, DATA */
	somo__isub *isub;          /* sub-collections of the interactions that have any */
	uint32_t nisub, isub_cap;
	uint32_t *isub_of;    /* per interaction (c[SOMO__C_INT].cap): 1 + index in isub, 0 none */
	uint8_t *data_access; /* per adl.data record: 1 read, 2 write */

	char scratch[12]; /* a _count in decimal */
	char *diag;       /* GetDiagnostic text, allocated on demand */
};

/* Arena access. */
const char *somo__rt_str(const somo_rt *rt, somo__slot s, size_t *len);
int somo__rt_store(somo_rt *rt, somo__slot *s, const char *v, size_t len);
/* Store a value of el: vocabulary values as codes, others in the arena. */
int somo__rt_store_el(somo_rt *rt, somo__slot *s, const somo__dm_element *el, const char *v,
                      size_t len);
/* An interaction's objectives (cr false) or correct responses: NULL when the
 * interaction does not exist; an empty read-only collection when it has none
 * and create is false. */
somo__coll *somo__rt_sub(somo_rt *rt, uint32_t i, bool cr, bool create);
/* Append a zeroed record to a collection (isub_of grows with interactions). */
int somo__rt_push(somo_rt *rt, somo__coll *c, size_t width, bool interactions);
/* The slot an element's ref names, NULL when its record does not exist. */
somo__slot *somo__rt_slot(somo_rt *rt, const somo__dm_element *el, const uint32_t *index);
/* Forget every value of the content (new attempt) keeping what the LMS gave. */
void somo__rt_clear_learner_data(somo_rt *rt);
void somo__rt_free_data(somo_rt *rt);

#endif
