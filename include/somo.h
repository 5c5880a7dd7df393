/*
 * Somo: SCORM 1.2, SCORM 2004, xAPI and cmi5 for C.
 * The umbrella header: includes every public header.
 */
#ifndef SOMO_H
#define SOMO_H

#include "somo/version.h"
#include "somo/common.h"
#include "somo/package.h"
#include "somo/datamodel.h"
#include "somo/runtime.h"
#include "somo/xapi.h"
#include "somo/xapi_scorm.h"
#include "somo/manifest.h"
#include "somo/sequencing.h"
#include "somo/session.h"
#include "somo/cmi5.h"
#include "somo/tincan.h"
#include "somo/store.h"
#include "somo/lrs.h"
#include "somo/player.h"

#endif
