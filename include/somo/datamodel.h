/*
 * Somo: the SCORM 1.2 and SCORM 2004 (4th edition) run-time data models:
 * which version a data model follows and the standards' own error codes.
 *
 * The elements themselves (cmi.*, adl.*) are reached through a runtime
 * (somo/runtime.h); this header holds what is shared with hosts that only
 * need the tables' vocabulary.
 */
#ifndef SOMO_DATAMODEL_H
#define SOMO_DATAMODEL_H

#include "somo/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The data model a runtime follows. Append only. */
typedef enum {
	SOMO_SCORM_12 = 1,  /**< SCORM 1.2: cmi.core.*, LMSInitialize ... LMSFinish */
	SOMO_SCORM_2004 = 2 /**< SCORM 2004 4th edition: cmi.*, adl.*, Initialize ... Terminate */
} somo_scorm_version;

/**
 * The standard's text for one of its error codes, exactly as the
 * specification words it: SCORM 2004 has 26 codes (0, 101 ... 408),
 * SCORM 1.2 has 11 (0, 101 ... 405).
 *
 * Returns a constant string, or "" (never NULL) when code is not one of the
 * version's codes.
 */
SOMO_API const char *somo_dm_error_string(somo_scorm_version version, int code);

#ifdef __cplusplus
}
#endif
#endif
