/*
 * Customs Clearance Basics: what every page of the course shares.
 *
 * Scorm: talks to the SCORM 2004 API (API_1484_11) of the LMS. It finds the
 * API as the SCORM 2004 Run-Time Environment book describes (the window's
 * parents, then the opener and its parents), calls Initialize once, keeps
 * cmi.location and cmi.session_time up to date, and calls Terminate exactly
 * once: when the SCO finishes, or when the page is hidden or unloaded.
 * Without an LMS every call is a harmless no-op and the pages still work.
 *
 * Pager: shows the <section class="page"> elements of a SCO one at a time,
 * with "Previous page" and "Next page" buttons and a progress bar.
 */
(function (global) {
	'use strict';

	var MAX_PARENTS = 500; /* the RTE book's bound on the parent search */

	/* RTE book 3.3.6.1: look for API_1484_11 in win and its parents. */
	function searchParents(win) {
		var tries = 0;
		try {
			while (win && win.API_1484_11 == null && win.parent != null && win.parent !== win) {
				if (++tries > MAX_PARENTS) {
					return null;
				}
				win = win.parent;
			}
			return win ? win.API_1484_11 || null : null;
		} catch (e) {
			/* a frame of another origin: no API can be reached there */
			return null;
		}
	}

	function findApi() {
		var api = searchParents(global);
		if (api == null) {
			try {
				if (global.opener != null && typeof global.opener !== 'undefined') {
					api = searchParents(global.opener);
				}
			} catch (e) {
				api = null;
			}
		}
		return api;
	}

	/* Milliseconds as an ISO 8601 duration (cmi.session_time), e.g. PT1H2M3.45S. */
	function isoDuration(ms) {
		var cs = Math.max(0, Math.round(ms / 10)); /* centiseconds */
		var h = Math.floor(cs / 360000);
		var m = Math.floor((cs % 360000) / 6000);
		var s = (cs % 6000) / 100;
		var out = 'PT';
		if (h > 0) {
			out += h + 'H';
		}
		if (m > 0) {
			out += m + 'M';
		}
		return out + (Math.round(s * 100) / 100) + 'S';
	}

	/* A date as SCORM's time(second,10,0): YYYY-MM-DDThh:mm:ss, local time. */
	function timestamp(d) {
		function two(n) {
			return (n < 10 ? '0' : '') + n;
		}
		return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' +
			two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
	}

	var Scorm = {
		api: null,
		started: 0,
		initialized: false,
		terminated: false,
		finished: false,
		log: [],

		/* Find the API and call Initialize. True when an LMS is connected. */
		init: function () {
			if (this.initialized) {
				return true;
			}
			this.started = Date.now();
			this.api = findApi();
			if (this.api == null) {
				return false;
			}
			this.initialized = this.call('Initialize', '') === 'true';
			if (this.initialized) {
				var self = this;
				/* pagehide covers the back-forward cache; unload the rest. */
				global.addEventListener('pagehide', function () {
					self.terminate(false);
				});
				global.addEventListener('unload', function () {
					self.terminate(false);
				});
			}
			return this.initialized;
		},

		connected: function () {
			return this.initialized && !this.terminated;
		},

		call: function (name, a, b) {
			if (this.api == null) {
				return '';
			}
			var ret;
			try {
				ret = String(b === undefined ? this.api[name](a) : this.api[name](a, b));
			} catch (e) {
				this.log.push(name + ': ' + e);
				return '';
			}
			if (ret === 'false' || (name === 'GetValue' && ret === '')) {
				var code = this.errorCode();
				if (code !== '0' && code !== '') {
					this.log.push(name + '(' + a + '): error ' + code);
				}
			}
			return ret;
		},

		errorCode: function () {
			try {
				return String(this.api.GetLastError());
			} catch (e) {
				return '';
			}
		},

		get: function (element) {
			return this.connected() ? this.call('GetValue', element) : '';
		},

		set: function (element, value) {
			return this.connected() && this.call('SetValue', element, String(value)) === 'true';
		},

		commit: function () {
			return this.connected() && this.call('Commit', '') === 'true';
		},

		/* "resume" when the LMS brings the learner back to a suspended attempt. */
		resuming: function () {
			return this.get('cmi.entry') === 'resume';
		},

		timestamp: timestamp,
		isoDuration: isoDuration,

		/*
		 * End the SCO. finished: the learner reached the end, so the attempt
		 * ends normally and, when navRequest is given, the LMS is asked for it
		 * (adl.nav.request, e.g. "continue"). Otherwise the attempt is
		 * suspended so that the learner comes back where they left.
		 */
		terminate: function (finished, navRequest) {
			if (!this.connected()) {
				return false;
			}
			this.set('cmi.session_time', isoDuration(Date.now() - this.started));
			this.set('cmi.exit', finished ? 'normal' : 'suspend');
			if (finished && navRequest) {
				this.set('adl.nav.request', navRequest);
			}
			this.finished = finished;
			this.terminated = true; /* before the call: Terminate may unload us */
			return this.call('Terminate', '') === 'true';
		}
	};

	/* The first element child of el matching selector, or null. */
	function first(el, selector) {
		return el.querySelector(selector);
	}

	/*
	 * Pager(options): drives the pages of one SCO.
	 *   onShow(index, pager)  called after a page is shown
	 *   onLast(pager)         called when the last page is shown
	 *   canLeave(index)       return false to keep the learner on a page
	 */
	function Pager(options) {
		this.options = options || {};
		this.pages = Array.prototype.slice.call(document.querySelectorAll('section.page'));
		this.index = 0;
		this.prev = document.getElementById('prev-page');
		this.next = document.getElementById('next-page');
		this.progress = document.getElementById('page-progress');
		this.counter = document.getElementById('page-counter');
		var self = this;
		if (this.prev) {
			this.prev.addEventListener('click', function () {
				self.show(self.index - 1, true);
			});
		}
		if (this.next) {
			this.next.addEventListener('click', function () {
				if (!self.options.canLeave || self.options.canLeave(self.index) !== false) {
					self.show(self.index + 1, true);
				}
			});
		}
	}

	Pager.prototype.count = function () {
		return this.pages.length;
	};

	Pager.prototype.show = function (i, moveFocus) {
		if (i < 0 || i >= this.pages.length) {
			return;
		}
		this.index = i;
		for (var k = 0; k < this.pages.length; k++) {
			this.pages[k].hidden = k !== i;
		}
		var n = this.pages.length;
		if (this.prev) {
			this.prev.disabled = i === 0;
		}
		if (this.next) {
			this.next.hidden = i === n - 1;
		}
		if (this.progress) {
			this.progress.value = i + 1;
			this.progress.max = n;
		}
		if (this.counter) {
			this.counter.textContent = 'Page ' + (i + 1) + ' of ' + n;
		}
		if (moveFocus) {
			var heading = first(this.pages[i], 'h2');
			if (heading) {
				heading.setAttribute('tabindex', '-1');
				heading.focus();
			}
			global.scrollTo(0, 0);
		}
		Scorm.set('cmi.location', String(i + 1));
		Scorm.set('cmi.progress_measure', (Math.round(((i + 1) / n) * 100) / 100).toFixed(2));
		if (this.options.onShow) {
			this.options.onShow(i, this);
		}
		if (i === n - 1 && this.options.onLast) {
			this.options.onLast(this);
		}
	};

	/* The page to open with: cmi.location when resuming, else the first. */
	Pager.prototype.start = function () {
		var i = 0;
		if (Scorm.resuming()) {
			var loc = parseInt(Scorm.get('cmi.location'), 10);
			if (loc >= 1 && loc <= this.pages.length) {
				i = loc - 1;
			}
		}
		this.show(i, false);
	};

	/* Announce a status message to the learner (and to screen readers). */
	function announce(text) {
		var el = document.getElementById('status');
		if (el) {
			el.textContent = text;
		}
	}

	/*
	 * A lesson SCO (the introduction and the valuation lesson): complete when
	 * its last page is shown; the finish button asks the LMS to continue.
	 */
	function startLesson() {
		var lms = Scorm.init();
		if (lms && Scorm.get('cmi.entry') !== 'resume') {
			Scorm.set('cmi.completion_status', 'incomplete');
		}
		var finish = document.getElementById('finish');
		var pager = new Pager({
			onLast: function () {
				if (Scorm.get('cmi.completion_status') !== 'completed') {
					Scorm.set('cmi.completion_status', 'completed');
					Scorm.commit();
				}
				if (finish) {
					finish.hidden = false;
				}
			},
			onShow: function (i, p) {
				if (finish && i !== p.count() - 1) {
					finish.hidden = true;
				}
			}
		});
		if (!lms) {
			announce('No learning management system was found: you can read the course, but ' +
				'your progress is not recorded.');
		}
		if (finish) {
			finish.addEventListener('click', function () {
				if (Scorm.connected()) {
					announce('Moving on to the next activity…');
					finish.disabled = true;
					Scorm.terminate(true, 'continue');
				} else {
					announce('You have reached the end of this activity. With a learning ' +
						'management system, the next activity would open now.');
				}
			});
		}
		pager.start();
		return pager;
	}

	global.Scorm = Scorm;
	global.Pager = Pager;
	global.CourseUi = {announce: announce, startLesson: startLesson};
})(window);
