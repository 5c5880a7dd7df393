/* The cmi5 course model as the parser builds it and validation reads it. */
#ifndef SOMO_MANIFEST_CMI5_INTERNAL_H
#define SOMO_MANIFEST_CMI5_INTERNAL_H

#include "manifest/cmi5_xml.h"
#include "somo/cmi5.h"

#define SOMO__CMI5_NS "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
/* Deepest nesting of blocks accepted. */
#define SOMO__CMI5_MAX_DEPTH 64

struct somo_cmi5_course {
	char *file;
	somo_cmi5_node *root;
	somo_cmi5_objective *objectives;
	size_t objective_count;
	somo_cmi5_node **nodes; /* course, blocks and AUs in document order */
	size_t node_count, node_cap;
	const somo_cmi5_node **aus;   /* AUs in document order */
	const somo_cmi5_node **by_id; /* the nodes sorted by id (first in document order wins) */
	size_t au_count, au_cap;
	somo__cx_msgs msgs; /* what parsing found against CourseStructure.xsd */
};

struct somo_cmi5_report {
	somo_cmi5_message *items;
	size_t count;
	size_t errors;
};

#endif
