'use strict';
/* golf_runtime.js for SCORM 2004 3rd edition */
require('./harness').main(() => require('./golf_runtime')('2004'));
