'use strict';
/* golf_runtime.js for SCORM 1.2 */
require('./harness').main(() => require('./golf_runtime')('1.2'));
