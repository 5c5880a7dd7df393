/*
 * Sequencing internals: the activity tree, its tracking model and the
 * process functions shared between the files of lib/sequencing.
 */
#ifndef SOMO_SEQ_INTERNAL_H
#define SOMO_SEQ_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "somo/sequencing.h"
#include "util/util.h"

/* Objective progress flags (somo__seq_obj.flags, somo__seq_gobj.flags). */
enum {
	OBJ_STATUS = 1 << 0,    /* objective progress status (satisfaction known) */
	OBJ_SATISFIED = 1 << 1, /* objective satisfied status */
	OBJ_MEASURE = 1 << 2,   /* objective measure status */
	OBJ_RAW = 1 << 3,
	OBJ_MIN = 1 << 4,
	OBJ_MAX = 1 << 5,
	OBJ_COMPL_KNOWN = 1 << 6, /* objective completion status known (4th edition) */
	OBJ_COMPLETED = 1 << 7,
	OBJ_PROGRESS = 1 << 8 /* objective progress measure status */
};

/* Values of one objective, local or global. */
typedef struct {
	uint16_t flags;
	double measure, raw, min, max, progress;
} somo__seq_vals;

/* Objective progress information of one objective of an activity. */
typedef struct {
	const somo_ss_objective *def;
	const char *id; /* def->id as xs:anyURI reads it (see id_normal), or def->id */
	somo__seq_vals v;
} somo__seq_obj;

/* Activity state flags (somo__seq_act.flags). */
enum {
	ACT_ACTIVE = 1 << 0,
	ACT_SUSPENDED = 1 << 1,
	ACT_PROGRESS = 1 << 2,       /* activity progress status (attempted at least once) */
	ACT_ATT_PROGRESS = 1 << 3,   /* attempt progress status (completion known) */
	ACT_ATT_COMPLETED = 1 << 4,  /* attempt completion status */
	ACT_ATT_AMOUNT = 1 << 5,     /* attempt completion amount status */
	ACT_AVAILABLE = 1 << 6,      /* selected into its parent's available children */
	ACT_DIRTY_OBJ = 1 << 7,      /* objective info is from an earlier attempt of an ancestor */
	ACT_DIRTY_PRO = 1 << 8,      /* progress info likewise */
	ACT_REPORT_SUSPEND = 1 << 9, /* the content asked for suspension at its end */
	ACT_RESUMED = 1 << 10,       /* the current attempt was resumed when delivered */
	ACT_SELECTED = 1 << 11,      /* selection with timing "once" already made */
	ACT_COMPL_BY_CONTENT = 1 << 12, /* the content reported a completion status this attempt */
	ACT_SUCC_BY_CONTENT = 1 << 13   /* the content reported a success status this attempt */
};

typedef struct somo__seq_act somo__seq_act;
struct somo__seq_act {
	const char *id;
	const char *title;
	const somo_manifest_item *item; /* NULL for the root */
	const somo_ss_sequencing *ss;
	somo__seq_act *parent;
	somo__seq_act **children; /* every child, manifest order */
	somo__seq_act **avail;    /* available children, in delivery order */
	uint32_t nchildren, navail;
	uint32_t index; /* position in seq->acts (manifest preorder) */
	uint32_t order; /* position in the available preorder, UINT32_MAX when not available */
	uint32_t last;  /* order of the last available descendant (itself for a leaf) */
	uint32_t pos;   /* position in the parent's available children */
	uint16_t depth;
	uint16_t flags;
	uint32_t attempt_count;
	double amount;                              /* attempt completion amount */
	int64_t att_abs, att_exp, act_abs, act_exp; /* durations, centiseconds */
	somo__seq_obj *objs;                        /* objs[0] is the primary objective */
	uint32_t nobjs;
};

/* A global shared objective. */
typedef struct {
	char *id;
	somo__seq_vals v;
	uint32_t touched; /* the rollup epoch in which it was last written */
} somo__seq_gobj;

struct somo_seq_globals {
	somo__seq_gobj *items;
	size_t count, cap;
	uint32_t *hash; /* open addressing: index + 1, 0 empty */
	size_t hcap;
};

struct somo_seq {
	const somo_manifest *man;
	const somo_manifest_org *org;
	somo__seq_act *acts; /* manifest preorder; acts[0] is the root */
	uint32_t nacts;
	somo__seq_act **ptrs;    /* child pointer storage */
	somo__seq_act **byorder; /* available preorder */
	uint32_t norder;
	uint32_t *hash; /* id -> index + 1 */
	uint32_t hcap;
	somo__seq_obj *objstore;
	somo__seq_act *current;
	somo__seq_act *suspended;
	somo_seq_globals *globals;
	bool own_globals;
	/* activities whose objectives read global objectives (rolled up when
	 * globals change), and whether a global was written since the last
	 * rollup */
	somo__seq_act **readers;
	uint32_t nreaders;
	bool globals_dirty;
	uint32_t epoch;
	uint32_t nleaves;
	char **idpool; /* normalised objective ids that differ from the manifest's */
	size_t nidpool;
	uint64_t rng;
	bool ended;
	uint32_t max_acts;
};

/* Process outcome shared by the sequencing functions. */
typedef struct {
	const char *exception;  /* NULL: no exception */
	somo__seq_act *deliver; /* delivery request */
	bool end_session;
} somo__seq_out;

/* tree.c */
somo__seq_act *somo__seq_lookup(const somo_seq *seq, const char *id);
void somo__seq_reorder(somo_seq *seq);
void somo__seq_select_randomize(somo_seq *seq, somo__seq_act *a, bool new_attempt);
bool somo__seq_is_leaf(const somo__seq_act *a);
somo__seq_act *somo__seq_common_ancestor(somo__seq_act *a, somo__seq_act *b);
bool somo__seq_is_ancestor(const somo__seq_act *anc, const somo__seq_act *a);

/* objectives.c */
somo__seq_gobj *somo__seq_global_find(const somo_seq_globals *g, const char *id);
somo__seq_gobj *somo__seq_global_get(somo_seq_globals *g, const char *id);
void somo__seq_globals_clear(somo_seq_globals *g);
int somo__seq_vals_in(const somo_seq_objective_values *in, somo__seq_vals *v, uint16_t *mask);
int somo__seq_normalise_ids(somo_seq *seq);
void somo__seq_vals_out(const char *id, const somo__seq_vals *v, somo_seq_objective_values *out);
int somo__seq_obj_status(const somo_seq *seq, const somo__seq_act *a, const somo__seq_obj *o);
bool somo__seq_obj_measure(const somo_seq *seq, const somo__seq_act *a, const somo__seq_obj *o,
                           double *m);
void somo__seq_obj_effective(const somo_seq *seq, const somo__seq_act *a, const somo__seq_obj *o,
                             somo__seq_vals *out);
void somo__seq_obj_write(somo_seq *seq, somo__seq_act *a, somo__seq_obj *o, uint16_t mask,
                         const somo__seq_vals *v);
int somo__seq_completion(const somo_seq *seq, const somo__seq_act *a);
int somo__seq_progress_cond(const somo__seq_act *a, somo_ss_condition_type cond);
bool somo__seq_amount(const somo_seq *seq, const somo__seq_act *a, double *amt);
void somo__seq_set_completion(somo_seq *seq, somo__seq_act *a, int completed);
void somo__seq_set_amount(somo_seq *seq, somo__seq_act *a, bool known, double amt);
somo__seq_obj *somo__seq_obj_by_id(somo__seq_act *a, const char *id);
bool somo__seq_obj_from_global(const somo_seq *seq, const somo__seq_obj *o, uint16_t f);
bool somo__seq_reads_touched(const somo_seq *seq, const somo__seq_act *a);

/* rules.c */
int somo__seq_rule_conditions(const somo_seq *seq, const somo__seq_act *a, const somo_ss_rule *r);
const somo_ss_rule *somo__seq_rules_check(const somo_seq *seq, const somo__seq_act *a,
                                          somo_ss_rule_kind kind, const somo_ss_action *actions,
                                          size_t nactions);
bool somo__seq_rule_applies(const somo_seq *seq, const somo__seq_act *a, somo_ss_action act);
bool somo__seq_limit_exceeded(const somo_seq *seq, const somo__seq_act *a);
bool somo__seq_check_activity(const somo_seq *seq, const somo__seq_act *a);

/* rollup.c */
void somo__seq_overall_rollup(somo_seq *seq, somo__seq_act *a);
void somo__seq_rollup(somo_seq *seq, somo__seq_act *a);

/* process.c */
void somo__seq_end_attempt(somo_seq *seq, somo__seq_act *a);
int somo__seq_nav_check(const somo_seq *seq, somo_nav_request req, somo__seq_act *target, int *term,
                        int *seqreq, const char **exc);
void somo__seq_sequencing(somo_seq *seq, int seqreq, somo__seq_act *target, bool dry,
                          somo__seq_out *out);
const char *somo__seq_delivery_check(const somo_seq *seq, somo__seq_act *a);
const char *somo__seq_exception_text(const char *code);

/* Termination and sequencing request codes used between the processes. */
enum { TERM_NONE = 0, TERM_EXIT, TERM_EXIT_ALL, TERM_SUSPEND_ALL, TERM_ABANDON, TERM_ABANDON_ALL };
enum {
	SEQ_NONE = 0,
	SEQ_START,
	SEQ_RESUME_ALL,
	SEQ_CONTINUE,
	SEQ_PREVIOUS,
	SEQ_CHOICE,
	SEQ_JUMP,
	SEQ_EXIT,
	SEQ_RETRY
};

#endif
