'use strict';
/* golf_sequencing.js on SequencingPostTestRollup */
require('./harness').main(() => require('./golf_sequencing')('SequencingPostTestRollup_SCORM20043rdEdition'));
