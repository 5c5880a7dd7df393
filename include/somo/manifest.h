/*
 * Manifests: imsmanifest.xml of SCORM 1.2, SCORM 2004 (2nd, 3rd, 4th
 * edition) and plain IMS Content Packaging, read into an immutable model.
 *
 * The model is a tree of read-only structs owned by the somo_manifest
 * handle: every pointer reached from it is borrowed and valid until
 * somo_manifest_free(). A built manifest is never changed, so one may be
 * shared between threads. Structs are reached through pointers only and
 * their fields are only ever appended, so new fields do not break callers.
 *
 * Every element of the model carries the line of imsmanifest.xml it came
 * from (0 when it was not written and the value is a default), for
 * "file:line: text" messages.
 *
 * The IMS Simple Sequencing model with the ADL extensions (somo_ss_*) is
 * filled for every item and organization of a SCORM 2004 manifest, with the
 * defaults of the SCORM 2004 Sequencing and Navigation book where the
 * manifest is silent; imsss:sequencingCollection entries referenced with
 * IDRef are already merged in: each element the item writes itself
 * (controlMode, sequencingRules, limitConditions, rollupRules, objectives,
 * ...) replaces the collection's element whole, its unwritten attributes at
 * their defaults, and the elements it does not write come from the
 * collection (as ADL's conformance packages CM-03b and CM-04a require).
 */
#ifndef SOMO_MANIFEST_H
#define SOMO_MANIFEST_H

#include <stdbool.h>

#include "somo/common.h"
#include "somo/package.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Standards and editions                                                    */

/** Which standard a package follows. Append only. */
typedef enum {
	SOMO_STANDARD_UNKNOWN = 0,
	SOMO_STANDARD_IMSCP = 1,     /**< plain IMS Content Packaging */
	SOMO_STANDARD_SCORM12 = 2,   /**< SCORM 1.2 */
	SOMO_STANDARD_SCORM2004 = 3, /**< SCORM 2004, see somo_edition */
	SOMO_STANDARD_CMI5 = 4,      /**< cmi5 (cmi5.xml) */
	SOMO_STANDARD_TINCAN = 5     /**< Tin Can (tincan.xml) */
} somo_standard;

/** The SCORM 2004 edition; SOMO_EDITION_NONE for other standards. */
typedef enum {
	SOMO_EDITION_NONE = 0,
	SOMO_EDITION_2004_2ND = 2, /**< "CAM 1.3" */
	SOMO_EDITION_2004_3RD = 3,
	SOMO_EDITION_2004_4TH = 4
} somo_edition;

/** "SCORM 1.2", "SCORM 2004", "IMS CP", "cmi5", "Tin Can", "unknown". Static. */
SOMO_API const char *somo_standard_name(somo_standard s);

/** "2nd Edition", "3rd Edition", "4th Edition" or "" for NONE. Static. */
SOMO_API const char *somo_edition_name(somo_edition e);

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

typedef enum {
	SOMO_SEVERITY_INFO = 0,
	SOMO_SEVERITY_WARNING = 1,
	SOMO_SEVERITY_ERROR = 2
} somo_severity;

/** One finding about a manifest, printed as "file:line: text". */
typedef struct {
	somo_severity severity;
	const char *file; /**< "imsmanifest.xml" (or the location of external metadata) */
	int line;         /**< 1-based, 0 when the problem has no one place */
	const char *text; /**< in words, never NULL */
} somo_manifest_message;

/* ------------------------------------------------------------------------ */
/* IMS Simple Sequencing with the ADL extensions (SN book, CAM book 5)      */

/** Sequencing rule conditions (imsss:ruleCondition@condition). Append only. */
typedef enum {
	SOMO_SS_COND_SATISFIED = 0,
	SOMO_SS_COND_OBJECTIVE_STATUS_KNOWN,
	SOMO_SS_COND_OBJECTIVE_MEASURE_KNOWN,
	SOMO_SS_COND_OBJECTIVE_MEASURE_GREATER_THAN, /**< not in rollup rules */
	SOMO_SS_COND_OBJECTIVE_MEASURE_LESS_THAN,    /**< not in rollup rules */
	SOMO_SS_COND_COMPLETED,
	SOMO_SS_COND_ACTIVITY_PROGRESS_KNOWN,
	SOMO_SS_COND_ATTEMPTED,
	SOMO_SS_COND_ATTEMPT_LIMIT_EXCEEDED,
	SOMO_SS_COND_TIME_LIMIT_EXCEEDED,
	SOMO_SS_COND_OUTSIDE_AVAILABLE_TIME_RANGE,
	SOMO_SS_COND_ALWAYS /**< not in rollup rules */
} somo_ss_condition_type;

/** Condition operator; default noOp. */
typedef enum { SOMO_SS_OP_NOOP = 0, SOMO_SS_OP_NOT = 1 } somo_ss_operator;

/** Condition combination: default all for sequencing rules, any for rollup rules. */
typedef enum { SOMO_SS_COMBINE_ALL = 0, SOMO_SS_COMBINE_ANY = 1 } somo_ss_combination;

/** Which list a sequencing rule came from. */
typedef enum {
	SOMO_SS_RULE_PRE = 0,  /**< preConditionRule */
	SOMO_SS_RULE_EXIT = 1, /**< exitConditionRule */
	SOMO_SS_RULE_POST = 2  /**< postConditionRule */
} somo_ss_rule_kind;

/** Sequencing rule actions (imsss:ruleAction@action). Append only. */
typedef enum {
	SOMO_SS_ACTION_SKIP = 0,               /**< pre */
	SOMO_SS_ACTION_DISABLED,               /**< pre */
	SOMO_SS_ACTION_HIDDEN_FROM_CHOICE,     /**< pre */
	SOMO_SS_ACTION_STOP_FORWARD_TRAVERSAL, /**< pre */
	SOMO_SS_ACTION_EXIT,                   /**< exit */
	SOMO_SS_ACTION_EXIT_PARENT,            /**< post */
	SOMO_SS_ACTION_EXIT_ALL,               /**< post */
	SOMO_SS_ACTION_RETRY,                  /**< post */
	SOMO_SS_ACTION_RETRY_ALL,              /**< post */
	SOMO_SS_ACTION_CONTINUE,               /**< post */
	SOMO_SS_ACTION_PREVIOUS                /**< post */
} somo_ss_action;

/** imsss:ruleCondition (or imsss:rollupCondition, which uses a subset). */
typedef struct {
	somo_ss_condition_type condition;
	somo_ss_operator op;              /**< default noOp */
	const char *referenced_objective; /**< canonical id (see .id), NULL = primary */
	double measure_threshold;         /**< -1..1, default 0.0 */
	int line;
} somo_ss_condition;

/** imsss:preConditionRule / exitConditionRule / postConditionRule. */
typedef struct {
	somo_ss_rule_kind kind;
	somo_ss_combination combination; /**< ruleConditions@conditionCombination, default all */
	const somo_ss_condition *const *conditions;
	size_t condition_count;
	somo_ss_action action;
	int line;
} somo_ss_rule;

/** imsss:controlMode; the SN book's defaults in brackets. */
typedef struct {
	bool choice;                             /**< [true] */
	bool choice_exit;                        /**< [true] */
	bool flow;                               /**< [false] */
	bool forward_only;                       /**< [false] */
	bool use_current_attempt_objective_info; /**< [true] */
	bool use_current_attempt_progress_info;  /**< [true] */
	int line;                                /**< 0 when not written */
} somo_ss_control_mode;

/**
 * imsss:limitConditions. Durations are kept as written (xs:duration) and in
 * hundredths of a second (-1 when absent or not a valid duration).
 */
typedef struct {
	bool has_attempt_limit;
	uint32_t attempt_limit;                          /**< 0 = no limit [0] */
	const char *attempt_absolute_duration_limit;     /**< NULL when absent */
	int64_t attempt_absolute_duration_limit_centis;  /**< -1 when absent */
	const char *attempt_experienced_duration_limit;  /**< not used by SCORM; NULL when absent */
	const char *activity_absolute_duration_limit;    /**< not used by SCORM */
	const char *activity_experienced_duration_limit; /**< not used by SCORM */
	const char *begin_time_limit;                    /**< not used by SCORM */
	const char *end_time_limit;                      /**< not used by SCORM */
	int line;
} somo_ss_limit_conditions;

/** imsss:auxiliaryResource. */
typedef struct {
	const char *id;      /**< auxiliaryResourceID */
	const char *purpose; /**< may be NULL */
	int line;
} somo_ss_aux_resource;

/** Rollup child activity sets. */
typedef enum {
	SOMO_SS_CHILDREN_ALL = 0, /**< default */
	SOMO_SS_CHILDREN_ANY,
	SOMO_SS_CHILDREN_NONE,
	SOMO_SS_CHILDREN_AT_LEAST_COUNT,
	SOMO_SS_CHILDREN_AT_LEAST_PERCENT
} somo_ss_child_set;

/** Rollup actions. */
typedef enum {
	SOMO_SS_ROLLUP_SATISFIED = 0,
	SOMO_SS_ROLLUP_NOT_SATISFIED,
	SOMO_SS_ROLLUP_COMPLETED,
	SOMO_SS_ROLLUP_INCOMPLETE
} somo_ss_rollup_action;

/** imsss:rollupRule. */
typedef struct {
	somo_ss_child_set child_activity_set; /**< [all] */
	uint32_t minimum_count;               /**< [0] */
	double minimum_percent;               /**< 0..1 [0] */
	somo_ss_combination combination;      /**< rollupConditions@conditionCombination [any] */
	const somo_ss_condition *const
	    *conditions; /**< referenced_objective and threshold unused */
	size_t condition_count;
	somo_ss_rollup_action action;
	int line;
} somo_ss_rollup_rule;

/** imsss:rollupRules and its attributes. */
typedef struct {
	bool rollup_objective_satisfied; /**< [true] */
	bool rollup_progress_completion; /**< [true] */
	double objective_measure_weight; /**< 0..1 [1.0] */
	const somo_ss_rollup_rule *const *rules;
	size_t rule_count;
	int line; /**< 0 when no imsss:rollupRules was written */
} somo_ss_rollup;

/**
 * imsss:mapInfo joined with the 4th edition's adlseq:mapInfo of the same
 * objective and target (adlseq:objectives). A map written only in one of the
 * two has the other's fields at their defaults and has_imsss / has_adlseq
 * saying which were written.
 */
typedef struct {
	const char *target_objective_id; /**< canonical, see somo_ss_objective.id */
	bool has_imsss;                  /**< an imsss:mapInfo was written */
	bool read_satisfied_status;      /**< [true] */
	bool read_normalized_measure;    /**< [true] */
	bool write_satisfied_status;     /**< [false] */
	bool write_normalized_measure;   /**< [false] */
	bool has_adlseq;                 /**< an adlseq:mapInfo was written (4th edition) */
	bool read_raw_score;             /**< [true] */
	bool read_min_score;             /**< [true] */
	bool read_max_score;             /**< [true] */
	bool read_completion_status;     /**< [true] */
	bool read_progress_measure;      /**< [true] */
	bool write_raw_score;            /**< [false] */
	bool write_min_score;            /**< [false] */
	bool write_max_score;            /**< [false] */
	bool write_completion_status;    /**< [false] */
	bool write_progress_measure;     /**< [false] */
	int line;                        /**< of the imsss:mapInfo, else of the adlseq:mapInfo */
} somo_ss_map_info;

/** imsss:primaryObjective or imsss:objective. */
typedef struct {
	/** objectiveID in canonical form: whitespace collapsed (the xs:anyURI
	 * whiteSpace facet) and each "%20" read as a space, so " ob%20j%201 " and
	 * "ob j  1" are both "ob j 1" (as ADL's LMS compares them, and as content
	 * reads the id in cmi.objectives.n.id). Other %-escapes stay as written.
	 * Identifiers in rule conditions, maps and adlseq:objectives take the same
	 * form. NULL only for a primary objective without one. */
	const char *id;
	bool primary;
	bool satisfied_by_measure;     /**< [false] */
	double min_normalized_measure; /**< -1..1 [1.0] */
	const somo_ss_map_info *const *maps;
	size_t map_count;
	int line; /**< 0 for the implicit primary objective of an item with none written */
} somo_ss_objective;

/** Randomization and selection timing. */
typedef enum {
	SOMO_SS_TIMING_NEVER = 0, /**< default */
	SOMO_SS_TIMING_ONCE,
	SOMO_SS_TIMING_ON_EACH_NEW_ATTEMPT
} somo_ss_timing;

/** imsss:randomizationControls. */
typedef struct {
	somo_ss_timing randomization_timing; /**< [never] */
	bool has_select_count;               /**< selectCount was written */
	uint32_t select_count;
	bool reorder_children;           /**< [false] */
	somo_ss_timing selection_timing; /**< [never] */
	int line;
} somo_ss_randomization;

/** imsss:deliveryControls. */
typedef struct {
	bool tracked;                   /**< [true] */
	bool completion_set_by_content; /**< [false] */
	bool objective_set_by_content;  /**< [false] */
	int line;
} somo_ss_delivery;

/** adlseq:constrainedChoiceConsiderations. */
typedef struct {
	bool prevent_activation; /**< [false] */
	bool constrain_choice;   /**< [false] */
	int line;
} somo_ss_constrained_choice;

/** adlseq rollupConsiderationType. */
typedef enum {
	SOMO_SS_REQUIRED_ALWAYS = 0, /**< default */
	SOMO_SS_REQUIRED_IF_ATTEMPTED,
	SOMO_SS_REQUIRED_IF_NOT_SKIPPED,
	SOMO_SS_REQUIRED_IF_NOT_SUSPENDED
} somo_ss_required;

/** adlseq:rollupConsiderations. */
typedef struct {
	somo_ss_required required_for_satisfied;     /**< [always] */
	somo_ss_required required_for_not_satisfied; /**< [always] */
	somo_ss_required required_for_completed;     /**< [always] */
	somo_ss_required required_for_incomplete;    /**< [always] */
	bool measure_satisfaction_if_active;         /**< [true] */
	int line;
} somo_ss_rollup_considerations;

/**
 * The sequencing definition of one activity (item or organization).
 * Always present and complete: unwritten parts hold the defaults.
 */
typedef struct {
	bool written;       /**< an imsss:sequencing (own or via IDRef) applies */
	const char *id_ref; /**< IDRef of the item's imsss:sequencing, NULL when none */
	const char
	    *collection_id; /**< ID of the sequencingCollection entry merged in, NULL when none */
	somo_ss_control_mode control_mode;
	/** Rules in document order, each list separately. */
	const somo_ss_rule *const *pre_rules;
	size_t pre_rule_count;
	const somo_ss_rule *const *exit_rules;
	size_t exit_rule_count;
	const somo_ss_rule *const *post_rules;
	size_t post_rule_count;
	somo_ss_limit_conditions limits;
	const somo_ss_aux_resource *const *aux_resources;
	size_t aux_resource_count;
	somo_ss_rollup rollup;
	/**
	 * objectives[0] is the primary objective (always present: an implicit
	 * one with id NULL and line 0 when none is written), then the others
	 * in document order.
	 */
	const somo_ss_objective *const *objectives;
	size_t objective_count;
	somo_ss_randomization randomization;
	somo_ss_delivery delivery;
	somo_ss_constrained_choice constrained_choice;
	somo_ss_rollup_considerations rollup_considerations;
	int line; /**< of the item's imsss:sequencing, 0 when none */
} somo_ss_sequencing;

/* ------------------------------------------------------------------------ */
/* Content packaging                                                         */

/** adlcp:timeLimitAction / SCORM 1.2 adlcp:timelimitaction. */
typedef enum {
	SOMO_TIME_LIMIT_ACTION_NONE = 0,    /**< not written */
	SOMO_TIME_LIMIT_EXIT_MESSAGE,       /**< "exit,message" */
	SOMO_TIME_LIMIT_EXIT_NO_MESSAGE,    /**< "exit,no message" */
	SOMO_TIME_LIMIT_CONTINUE_MESSAGE,   /**< "continue,message" */
	SOMO_TIME_LIMIT_CONTINUE_NO_MESSAGE /**< "continue,no message" */
} somo_time_limit_action;

/** "exit,message" ... or "" for NONE. Static. */
SOMO_API const char *somo_time_limit_action_name(somo_time_limit_action a);

/** adlnav:hideLMSUI values, as bits of somo_manifest_item.hide_lms_ui. */
typedef enum {
	SOMO_HIDE_PREVIOUS = 1 << 0,
	SOMO_HIDE_CONTINUE = 1 << 1,
	SOMO_HIDE_EXIT = 1 << 2,
	SOMO_HIDE_EXIT_ALL = 1 << 3,
	SOMO_HIDE_ABANDON = 1 << 4,
	SOMO_HIDE_ABANDON_ALL = 1 << 5,
	SOMO_HIDE_SUSPEND_ALL = 1 << 6
} somo_hide_lms_ui;

/** adlcp:completionThreshold (SCORM 2004). */
typedef struct {
	bool written;                /**< the element is present */
	bool text_form;              /**< 2nd/3rd edition: a decimal as element text (taken as
	                                min_progress_measure) */
	bool completed_by_measure;   /**< [false]; true for the text form */
	double min_progress_measure; /**< 0..1 [1.0] */
	double progress_weight;      /**< 0..1 [1.0] */
	int line;
} somo_completion_threshold;

/** adlcp:map inside adlcp:data (SCORM 2004 4th edition shared data). */
typedef struct {
	const char *target_id;  /**< trimmed targetID */
	bool read_shared_data;  /**< [true] */
	bool write_shared_data; /**< [true], as ADL's CTS requires (the XSD: false) */
	int line;
} somo_data_map;

/** Metadata of the manifest, an organization, item, resource or file. */
typedef struct {
	const char *schema;        /**< NULL when not written */
	const char *schemaversion; /**< as written (trimmed), NULL when not written */
	const char *location; /**< adlcp:location (resolved against xml:base), NULL when none */
	bool inline_metadata; /**< a LOM record (or other foreign content) is inline */
	const char *title; /**< LOM general/title, first langstring, when easy to find; else NULL */
	const char *description; /**< LOM general/description, likewise */
	int line;                /**< 0 when no metadata element */
} somo_metadata;

typedef struct somo_manifest_resource somo_manifest_resource;
typedef struct somo_manifest_item somo_manifest_item;
typedef struct somo_manifest_org somo_manifest_org;
typedef struct somo_manifest_sub somo_manifest_sub;

/** A file of a resource. */
typedef struct {
	const char *href; /**< as written */
	const char *path; /**< resolved against xml:base, the path inside the package */
	const somo_metadata *metadata; /**< never NULL */
	int line;
} somo_manifest_file;

/** A resource. */
struct somo_manifest_resource {
	const char *identifier; /**< trimmed */
	const char *type;       /**< usually "webcontent" */
	/** adlcp:scormType (2004) or adlcp:scormtype (1.2), lowercase "sco",
	 * "asset", or NULL when not written (an asset per CAM). */
	const char *scorm_type;
	bool is_sco;
	const char *href; /**< as written, NULL when none */
	/** href resolved against xml:base of manifest, resources and resource;
	 * a path inside the package or an absolute URL; NULL when no href. */
	const char *launch;
	const char *base; /**< the xml:base in force for this resource (joined), NULL when none */
	const somo_manifest_file *const *files;
	size_t file_count;
	/** dependency identifierrefs (trimmed), and the resource each resolves to (NULL when
	 * unresolved) */
	const char *const *dependency_refs;
	const somo_manifest_resource *const *dependencies;
	size_t dependency_count;
	const somo_metadata *metadata; /**< never NULL */
	int line;
};

/** An item of an organization. */
struct somo_manifest_item {
	const char *identifier;    /**< trimmed */
	const char *identifierref; /**< trimmed, NULL for a cluster */
	/** What identifierref resolves to: a resource of this manifest (or of a
	 * sub-manifest), or NULL. */
	const somo_manifest_resource *resource;
	/** When identifierref names a sub-manifest: that manifest (its default
	 * organization supplies this item's content). */
	const somo_manifest_sub *submanifest;
	bool isvisible;         /**< [true] */
	const char *parameters; /**< as written, NULL when none */
	const char *title;      /**< trimmed; "" when missing */
	int title_line;
	const somo_manifest_item *parent; /**< NULL for a top-level item */
	const somo_manifest_org *org;
	const somo_manifest_item *const *children;
	size_t child_count;
	int depth; /**< 1 for a top-level item */

	/* SCORM 1.2 adlcp: */
	const char *prerequisites;      /**< adlcp:prerequisites, NULL when none */
	const char *prerequisites_type; /**< its type attribute ("aicc_script"), NULL when none */
	const char *max_time_allowed;   /**< adlcp:maxtimeallowed as written */
	const char *data_from_lms;      /**< adlcp:datafromlms (1.2) or adlcp:dataFromLMS (2004) */
	bool has_mastery_score;
	double mastery_score;                     /**< adlcp:masteryscore, 0..100 */
	somo_time_limit_action time_limit_action; /**< adlcp:timelimitaction / timeLimitAction */

	/* SCORM 2004 adlcp:, adlnav: */
	somo_completion_threshold completion_threshold;
	const somo_data_map *const *data_maps; /**< adlcp:data/adlcp:map */
	size_t data_map_count;
	unsigned hide_lms_ui; /**< somo_hide_lms_ui bits */

	/** Sequencing (SCORM 2004; defaults for other standards). Never NULL. */
	const somo_ss_sequencing *sequencing;
	const somo_metadata *metadata; /**< never NULL */
	int line;
};

/** An organization. */
struct somo_manifest_org {
	const char *identifier;                 /**< trimmed */
	const char *structure;                  /**< [hierarchical] */
	const char *title;                      /**< trimmed, "" when missing */
	const somo_manifest_item *const *items; /**< top-level items */
	size_t item_count;
	bool objectives_global_to_system;     /**< adlseq:objectivesGlobalToSystem [true] */
	bool shared_data_global_to_system;    /**< adlcp:sharedDataGlobalToSystem [true] */
	const somo_ss_sequencing *sequencing; /**< the organization's own; never NULL */
	const somo_metadata *metadata;        /**< never NULL */
	int line;
};

/** A manifest nested inside the root manifest (IMS CP sub-manifest). */
struct somo_manifest_sub {
	const char *identifier; /**< trimmed */
	const char *base;       /**< its xml:base joined with the parent's, NULL when none */
	const somo_manifest_org *const *orgs;
	size_t org_count;
	const somo_manifest_org *default_org; /**< NULL when it has no organizations */
	const somo_manifest_resource *const *resources;
	size_t resource_count;
	const somo_manifest_sub *const *subs;
	size_t sub_count;
	int line;
};

/** A parsed manifest. Opaque, immutable; may be shared between threads. */
typedef struct somo_manifest somo_manifest;

/** Options of loading. Zero fields take the default. */
typedef struct {
	unsigned int version;  /**< SOMO_MANIFEST_OPTS_VERSION */
	size_t max_size;       /**< bytes of imsmanifest.xml, default 32 MiB */
	uint32_t max_elements; /**< XML elements, default 2,000,000 */
	uint32_t max_depth;    /**< nesting of items and sub-manifests, default 64 */
} somo_manifest_opts;

#define SOMO_MANIFEST_OPTS_VERSION 1
#define SOMO_MANIFEST_OPTS_INIT                                                                    \
	{                                                                                          \
		SOMO_MANIFEST_OPTS_VERSION, 0, 0, 0                                                \
	}

/**
 * Read imsmanifest.xml from the root of pkg into *out (the caller's to free
 * with somo_manifest_free()). opts may be NULL for the defaults; diag may be
 * NULL, and is filled on failure.
 *
 * Loading is lenient: what real authoring tools emit is accepted and noted
 * as warnings (somo_manifest_warning_at()). It fails only when the file is
 * missing (SOMO_ENOTFOUND, with the message of somo_package_find_root_file()),
 * too large (SOMO_ELIMIT), not well-formed XML or carrying a DTD with entity
 * declarations (SOMO_EPARSE / SOMO_EUNSAFE, diag names the line), or not a
 * manifest at all (SOMO_EINVALID). The network is never used and external
 * entities and DTDs are never loaded.
 *
 * The package is only read during the call; the manifest does not keep it.
 */
SOMO_API int somo_manifest_load(somo_manifest **out, somo_package *pkg,
                                const somo_manifest_opts *opts, somo_diag *diag);

/**
 * Parse a manifest held in memory (size bytes, need not be NUL-terminated).
 * file names it in messages (NULL for "imsmanifest.xml"). Same rules and
 * returns as somo_manifest_load().
 */
SOMO_API int somo_manifest_parse_memory(somo_manifest **out, const void *data, size_t size,
                                        const char *file, const somo_manifest_opts *opts,
                                        somo_diag *diag);

/** Release a manifest and everything borrowed from it. NULL is a no-op. */
SOMO_API void somo_manifest_free(somo_manifest *man);

/** The standard (SCORM12, SCORM2004 or IMSCP for a manifest). */
SOMO_API somo_standard somo_manifest_standard(const somo_manifest *man);

/** The SCORM 2004 edition, SOMO_EDITION_NONE otherwise. */
SOMO_API somo_edition somo_manifest_edition(const somo_manifest *man);

/** metadata/schemaversion as written (trimmed), NULL when absent. */
SOMO_API const char *somo_manifest_schemaversion(const somo_manifest *man);

/** True when the standard or edition was inferred from namespaces rather
 * than read from a schemaversion Somo knows (a warning says so). */
SOMO_API bool somo_manifest_edition_inferred(const somo_manifest *man);

/** The manifest's identifier (trimmed, may be ""), version attribute (NULL when none). */
SOMO_API const char *somo_manifest_identifier(const somo_manifest *man);
SOMO_API const char *somo_manifest_version(const somo_manifest *man);

/** The file name used in messages ("imsmanifest.xml"). */
SOMO_API const char *somo_manifest_file_name(const somo_manifest *man);

/** The manifest's own metadata. Never NULL. */
SOMO_API const somo_metadata *somo_manifest_metadata(const somo_manifest *man);

/** Organizations in document order. */
SOMO_API size_t somo_manifest_org_count(const somo_manifest *man);
SOMO_API const somo_manifest_org *somo_manifest_org_at(const somo_manifest *man, size_t i);

/**
 * The default organization: the one named by organizations@default, or the
 * first when the attribute is missing or names none (with a warning). NULL
 * when there are no organizations.
 */
SOMO_API const somo_manifest_org *somo_manifest_default_org(const somo_manifest *man);

/** Resources of the root manifest in document order. */
SOMO_API size_t somo_manifest_resource_count(const somo_manifest *man);
SOMO_API const somo_manifest_resource *somo_manifest_resource_at(const somo_manifest *man,
                                                                 size_t i);

/** Sub-manifests (nested <manifest>) of the root manifest. */
SOMO_API size_t somo_manifest_sub_count(const somo_manifest *man);
SOMO_API const somo_manifest_sub *somo_manifest_sub_at(const somo_manifest *man, size_t i);

/** Look up by (trimmed) identifier; NULL when absent. Resources of
 * sub-manifests are found too. */
SOMO_API const somo_manifest_resource *somo_manifest_find_resource(const somo_manifest *man,
                                                                   const char *identifier);
SOMO_API const somo_manifest_item *somo_manifest_find_item(const somo_manifest *man,
                                                           const char *identifier);

/**
 * The launch URL of an item: its resource's launch (xml:base resolved) with
 * the item's parameters joined as the CAM book says (a leading "?" or "&"
 * of the parameters is dropped and "?" or "&" used as the URL needs; a
 * parameters value starting with "#" is appended as a fragment). NULL when
 * the item has no resource with an href. The caller frees with somo_free().
 */
SOMO_API char *somo_manifest_item_launch_url(const somo_manifest_item *item);

/**
 * adlseq:objectivesGlobalToSystem / adlcp:sharedDataGlobalToSystem are per
 * organization: see somo_manifest_org. The sequencingCollection entries (by
 * ID), for tools; items already have theirs merged in.
 */
SOMO_API size_t somo_manifest_collection_count(const somo_manifest *man);
SOMO_API const somo_ss_sequencing *somo_manifest_collection_at(const somo_manifest *man, size_t i,
                                                               const char **id);

/** Warnings found while loading (lenient reading), in document order. */
SOMO_API size_t somo_manifest_warning_count(const somo_manifest *man);
SOMO_API const somo_manifest_message *somo_manifest_warning_at(const somo_manifest *man, size_t i);

/* ------------------------------------------------------------------------ */
/* Validation                                                                */

typedef enum {
	/** What real authoring tools emit is accepted and reported as
	 * warnings; only a package that cannot be played has errors. */
	SOMO_VALIDATE_LENIENT = 0,
	/** What the SCORM CAM book requires, each breach an error. */
	SOMO_VALIDATE_STRICT = 1
} somo_validate_mode;

/** The findings of one validation. Opaque. */
typedef struct somo_manifest_report somo_manifest_report;

/**
 * Validate man in the given mode into *out (the caller's to free with
 * somo_manifest_report_free()). pkg (may be NULL) is used to check that
 * referenced files are present; without it that check is skipped. The
 * report starts with the load warnings (as errors in strict mode where the
 * CAM book makes them so). Returns 0 when the report was made (whatever it
 * holds), negative on failure to make one (SOMO_ENOMEM).
 */
SOMO_API int somo_manifest_validate(somo_manifest_report **out, const somo_manifest *man,
                                    somo_package *pkg, somo_validate_mode mode);

/** Number of messages, and the i-th (borrowed from the report). */
SOMO_API size_t somo_manifest_report_count(const somo_manifest_report *rep);
SOMO_API const somo_manifest_message *somo_manifest_report_at(const somo_manifest_report *rep,
                                                              size_t i);

/** Number of messages of severity error: 0 means valid. */
SOMO_API size_t somo_manifest_report_errors(const somo_manifest_report *rep);

/** Release a report. NULL is a no-op. */
SOMO_API void somo_manifest_report_free(somo_manifest_report *rep);

/* ------------------------------------------------------------------------ */
/* Names of the sequencing vocabularies, as written in manifests (static).  */

SOMO_API const char *somo_ss_condition_name(somo_ss_condition_type c);
SOMO_API const char *somo_ss_action_name(somo_ss_action a);
SOMO_API const char *somo_ss_rollup_action_name(somo_ss_rollup_action a);
SOMO_API const char *somo_ss_child_set_name(somo_ss_child_set s);
SOMO_API const char *somo_ss_timing_name(somo_ss_timing t);
SOMO_API const char *somo_ss_required_name(somo_ss_required r);

#ifdef __cplusplus
}
#endif
#endif
