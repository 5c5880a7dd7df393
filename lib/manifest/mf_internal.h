/*
 * Internal to lib/manifest: the arena the model lives in, the mutable
 * builder state and the helpers shared by the files of the imsmanifest.xml
 * reader. Never included outside lib/manifest.
 */
#ifndef SOMO_MANIFEST_MF_INTERNAL_H
#define SOMO_MANIFEST_MF_INTERNAL_H

#include <libxml/tree.h>
#include <libxml/hash.h>

#include "somo/manifest.h"
#include "util/util.h"

/* ---- arena: every string and struct of a model, freed at once ---- */
typedef struct somo__mf_chunk somo__mf_chunk;
typedef struct {
	somo__mf_chunk *head;
} somo__arena;

void *somo__arena_alloc(somo__arena *a, size_t n);       /* zeroed, aligned; NULL on OOM */
char *somo__arena_strdup(somo__arena *a, const char *s); /* NULL in, NULL out */
char *somo__arena_strndup(somo__arena *a, const char *s, size_t n);
void somo__arena_free(somo__arena *a);

/* ---- a growable array of pointers, copied into the arena when done ---- */
typedef struct {
	void **v;
	size_t n, cap;
} somo__mf_vec;

int somo__mf_vec_push(somo__mf_vec *vec, void *p);
/* Copy into the arena (NULL when empty) and free the vector. */
void *somo__mf_vec_finish(somo__mf_vec *vec, somo__arena *a, size_t *count, bool *oom);
void somo__mf_vec_free(somo__mf_vec *vec);

/* ---- messages ---- */
typedef struct {
	somo_manifest_message m; /* severity as reported in lenient mode */
	somo_severity strict;    /* severity in strict mode */
} somo__mf_msg;

/* An adlseq:objective with its maps, joined onto the imsss objectives. */
typedef struct {
	const char *objective_id;
	somo__mf_vec maps; /* somo_ss_map_info* (adlseq fields) */
	int line;
} somo__mf_adlobj;

/* A sequencing definition under construction (pub is what callers see). */
typedef struct {
	somo_ss_sequencing pub;
	somo__mf_vec adl;   /* somo__mf_adlobj* */
	xmlNodePtr pending; /* own imsss:sequencing copy, when it uses IDRef */
} somo__mf_seq;

/* ---- the manifest ---- */
struct somo_manifest {
	somo__arena arena;
	const char *file;
	somo_standard standard;
	somo_edition edition;
	bool inferred;
	const char *schema;
	const char *schemaversion;
	const char *identifier;
	const char *version;
	const somo_metadata *metadata;
	somo_manifest_sub *root; /* the root manifest seen as a scope */
	const somo_manifest_org *default_org;
	const char *default_attr; /* organizations@default as written (trimmed) */
	int organizations_line;   /* 0 when no <organizations> */
	int resources_line;
	int manifest_line;
	/* sequencingCollection */
	const char **collection_ids;
	const somo_ss_sequencing **collections;
	size_t collection_count;
	somo__mf_vec msgs;          /* somo__mf_msg*, in order */
	somo__mf_vec all_items;     /* somo_manifest_item*, document order (all scopes) */
	somo__mf_vec all_resources; /* somo_manifest_resource*, all scopes */
	somo__mf_vec all_orgs;      /* somo_manifest_org*, all scopes */
	xmlHashTablePtr res_by_id;  /* first resource of each identifier (all scopes) */
	xmlHashTablePtr item_by_id;
	const somo_ss_sequencing *default_seq;
	/* what the document showed, for the standard and the edition */
	unsigned ns_seen;  /* SOMO__NS_* bits */
	unsigned features; /* SOMO__FEAT_* bits */
};

enum {
	SOMO__NS_IMSCP_1P1 = 1 << 0,  /* http://www.imsglobal.org/xsd/imscp_v1p1 */
	SOMO__NS_IMSCP_ROOT = 1 << 1, /* http://www.imsproject.org/xsd/imscp_rootv1p1p2 */
	SOMO__NS_ADLCP_12 = 1 << 2,   /* adlcp_rootv1p2 */
	SOMO__NS_ADLCP_13 = 1 << 3,   /* adlcp_v1p3 */
	SOMO__NS_ADLSEQ = 1 << 4,
	SOMO__NS_ADLNAV = 1 << 5,
	SOMO__NS_IMSSS = 1 << 6,
	SOMO__NS_ADLCP_OTHER = 1 << 7 /* an adlnet.org adlcp namespace of another name */
};

enum {
	SOMO__FEAT_4TH = 1 << 0, /* adlseq:objectives, adlcp:data, attribute completionThreshold,
	                            sharedDataGlobalToSystem */
	SOMO__FEAT_3RD = 1 << 1, /* text completionThreshold */
	SOMO__FEAT_SEQ = 1 << 2, /* any imsss element */
	SOMO__FEAT_12 = 1 << 3   /* SCORM 1.2 adlcp elements (masteryscore, ...) */
};

/* Which family an element or attribute namespace belongs to. */
typedef enum {
	SOMO__NSK_NONE = 0, /* no namespace or the content packaging namespace */
	SOMO__NSK_CP,
	SOMO__NSK_ADLCP,
	SOMO__NSK_ADLSEQ,
	SOMO__NSK_ADLNAV,
	SOMO__NSK_IMSSS,
	SOMO__NSK_XML,
	SOMO__NSK_OTHER
} somo__nskind;

somo__nskind somo__mf_nskind(const xmlChar *href, unsigned *seen);
somo__nskind somo__mf_node_ns(const xmlNode *n, unsigned *seen);
bool somo__mf_is(const xmlNode *n, somo__nskind k, const char *local, unsigned *seen);

/* Builder context shared by the parsing files. */
typedef struct {
	somo_manifest *man;
	bool oom;
	uint32_t elements;
	uint32_t max_elements;
} somo__mf_ctx;

void somo__mf_msg_add(somo__mf_ctx *c, int line, somo_severity lenient, somo_severity strict,
                      const char *fmt, ...) SOMO__PRINTF(5, 6);
/* A vocabulary or syntax problem: a warning when lenient, an error when strict. */
#define SOMO__MF_BAD(c, line, ...)                                                                 \
	somo__mf_msg_add((c), (line), SOMO_SEVERITY_WARNING, SOMO_SEVERITY_ERROR, __VA_ARGS__)

int somo__mf_line(const xmlNode *n);
/* An attribute by local name in the given namespace family (NONE = no
 * namespace), copied trimmed into the arena; NULL when absent. */
const char *somo__mf_attr(somo__mf_ctx *c, const xmlNode *n, somo__nskind k, const char *local,
                          bool trim);
/* Same, for either of two families (for attributes written with or without prefix). */
const char *somo__mf_attr2(somo__mf_ctx *c, const xmlNode *n, somo__nskind k1, somo__nskind k2,
                           const char *local, bool trim);
/* The element's text, trimmed, into the arena. */
const char *somo__mf_text(somo__mf_ctx *c, const xmlNode *n);

bool somo__mf_parse_bool(somo__mf_ctx *c, const xmlNode *n, const char *name, const char *v,
                         bool *out);
bool somo__mf_parse_decimal(const char *s, double *out);
bool somo__mf_parse_uint(const char *s, uint32_t *out);

/* sequencing.c */
somo__mf_seq *somo__mf_seq_new(somo__mf_ctx *c);
/* Apply an imsss:sequencing element's content onto seq (attributes written override). */
void somo__mf_seq_apply(somo__mf_ctx *c, somo__mf_seq *seq, const xmlNode *node);
/* Join adlseq objective maps onto the objectives; finishes seq. */
void somo__mf_seq_finish(somo__mf_ctx *c, somo__mf_seq *seq, const char *owner);
const somo_ss_sequencing *somo__mf_seq_default(somo__mf_ctx *c);

/* metadata from an element (metadata, or NULL for none) */
const somo_metadata *somo__mf_metadata(somo__mf_ctx *c, const xmlNode *node, const char *base);
extern const somo_metadata somo__mf_no_metadata;
/* Title and description from a LOM record's general element, where not yet set. */
void somo__mf_lom_general(somo__mf_ctx *c, somo_metadata *md, const xmlNode *lom);

/* URL helpers */
char *somo__mf_join_base(somo__mf_ctx *c, const char *base, const char *href);

/* edition.c */
void somo__mf_detect_standard(somo__mf_ctx *c);

#endif
