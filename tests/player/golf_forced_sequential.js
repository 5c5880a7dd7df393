'use strict';
/* golf_sequencing.js on SequencingForcedSequential */
require('./harness').main(() => require('./golf_sequencing')('SequencingForcedSequential_SCORM20043rdEdition'));
