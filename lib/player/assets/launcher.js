/*
 * Somo's launcher: the page around a course's content.
 *
 * It defines the SCORM API object the package needs in this window, the
 * parent of the content's frame, where content finds it by the standard
 * search of parents and openers: window.API (SCORM 1.2) or
 * window.API_1484_11 (SCORM 2004). Every call is relayed synchronously to
 * the player (a synchronous XHR POST of JSON), whose run-time in C is the
 * one source of truth; when the browser refuses a synchronous request (the
 * page is being closed), the call goes out in a navigator.sendBeacon that
 * the player accepts as well.
 *
 * It draws the table of contents and the navigation controls from the
 * state the player sends: entries hidden, disabled or selectable, and
 * buttons enabled or hidden (hideLMSUI), exactly as sequencing says.
 */
(function () {
	'use strict';

	var token = '';
	var state = null;
	var pending = [];          /* calls waiting for a beacon */
	var terminated = false;    /* the delivered SCO has terminated */
	var lastLocalError = null; /* an error answered here after termination */
	var loadedLaunch = null;   /* the launch URL in the frame */
	var navigating = false;

	function el(id) {
		return document.getElementById(id);
	}

	/* ---------------------------------------------------------------- */
	/* Talking to the player                                             */

	function post(route, body) {
		body.token = token;
		var xhr = new XMLHttpRequest();
		xhr.open('POST', '/_somo/' + route, false); /* synchronous: the API is */
		xhr.setRequestHeader('Content-Type', 'application/json');
		xhr.send(JSON.stringify(body));
		if (xhr.status !== 200) {
			var err = new Error('player answered ' + xhr.status + ': ' + xhr.responseText);
			err.status = xhr.status;
			throw err;
		}
		return JSON.parse(xhr.responseText);
	}

	function beacon() {
		if (!pending.length) {
			return;
		}
		var body = JSON.stringify({token: token, calls: pending});
		pending = [];
		navigator.sendBeacon('/_somo/beacon', new Blob([body], {type: 'text/plain'}));
	}

	/* What a call answers when it could only be queued for a beacon. */
	function optimistic(name) {
		return /Value$/.test(name) && /Get/.test(name) ? '' : 'true';
	}

	/* SCORM's codes for a call made after Terminate / LMSFinish. */
	var AFTER_TERMINATE_2004 = {Terminate: '113', GetValue: '123', SetValue: '133', Commit: '143'};

	function call(name, args) {
		var base = name.replace(/^LMS/, '');
		if (terminated && base !== 'Initialize') {
			/* the content that terminated is being unloaded: its last calls
			 * must not reach the next SCO's run-time */
			if (base === 'GetLastError') {
				return lastLocalError || '0';
			}
			if (base === 'GetErrorString' || base === 'GetDiagnostic') {
				return lastLocalError ? 'The SCO has terminated' : '';
			}
			lastLocalError = state && state.standard === 'scorm12' ? '301'
				: (AFTER_TERMINATE_2004[base] || '0');
			return base === 'GetValue' ? '' : 'false';
		}
		if (lastLocalError && base === 'GetLastError') {
			return lastLocalError; /* the refusal above never reached the run-time */
		}
		var reply;
		try {
			reply = post('api', {call: name, args: args});
		} catch (e) {
			if (e.status) {
				/* the player answered, and refused: a general exception */
				lastLocalError = '101';
				return /^(LMS)?Get(Value|ErrorString|Diagnostic)$/.test(name) ? '' : 'false';
			}
			/* a synchronous request refused while the page goes away */
			pending.push({call: name, args: args});
			if (base === 'Commit' || base === 'Terminate' || base === 'Finish') {
				beacon();
			}
			return optimistic(name);
		}
		if (!terminated) {
			lastLocalError = null;
		}
		if (base === 'Commit' && reply.state) {
			redraw(reply.state);
		}
		if (base === 'Initialize' && reply.ret === 'true') {
			terminated = false;
			lastLocalError = null;
		} else if (base === 'Initialize' && reply.err === '101') {
			/* no run-time for this content: an activity that ended in an
			 * earlier run of the player, for instance */
			setTimeout(function () {
				loadedLaunch = null;
				showMessage('This activity cannot start now',
					'Go on with the controls below or the table of contents.', null);
			}, 0);
		}
		if ((base === 'Terminate' || base === 'Finish') && reply.ret === 'true') {
			terminated = true;
			lastLocalError = null;
			if (reply.state) {
				/* draw after the content's call has returned */
				setTimeout(function () {
					show(reply.state, true);
				}, 0);
			}
		}
		return reply.ret;
	}

	function makeApi(names) {
		var api = {};
		names.forEach(function (n) {
			api[n[0]] = function (a, b) {
				var args = [];
				if (n[1] > 0) {
					args.push(a === undefined || a === null ? '' : String(a));
				}
				if (n[1] > 1) {
					args.push(b === undefined || b === null ? '' : String(b));
				}
				return call(n[0], args);
			};
		});
		return api;
	}

	var API_2004 = [['Initialize', 1], ['Terminate', 1], ['GetValue', 1], ['SetValue', 2],
		['Commit', 1], ['GetLastError', 0], ['GetErrorString', 1], ['GetDiagnostic', 1]];
	var API_12 = [['LMSInitialize', 1], ['LMSFinish', 1], ['LMSGetValue', 1], ['LMSSetValue', 2],
		['LMSCommit', 1], ['LMSGetLastError', 0], ['LMSGetErrorString', 1],
		['LMSGetDiagnostic', 1]];

	/* ---------------------------------------------------------------- */
	/* Drawing                                                           */

	var STATUS_WORDS = {completed: 'Completed', incomplete: 'In progress', passed: 'Passed',
		failed: 'Failed', unknown: ''};

	function entryStatus(e) {
		if (e.success === 'passed' || e.success === 'failed') {
			return e.success;
		}
		return e.completion;
	}

	function drawToc(s) {
		var list = el('toc-list');
		list.textContent = '';
		(s.toc || []).forEach(function (e, i) {
			if (!e.visible || (i === 0 && s.toc.length > 1 && e.depth === 0)) {
				return; /* hidden from the table of contents; the root is the title */
			}
			var li = document.createElement('li');
			li.className = 'toc-entry';
			li.dataset.id = e.id;
			li.style.setProperty('--depth', String(Math.max(0, e.depth - 1)));
			var st = entryStatus(e);
			var item;
			if (e.choosable) {
				item = document.createElement('button');
				item.type = 'button';
				item.className = 'toc-item';
				item.addEventListener('click', function () {
					navigate('choice', e.id);
				});
			} else {
				item = document.createElement('span');
				item.className = 'toc-item disabled';
				item.setAttribute('aria-disabled', 'true');
			}
			if (e.current) {
				li.classList.add('current');
				item.setAttribute('aria-current', 'step');
			}
			var mark = document.createElement('span');
			mark.className = 'mark ' + st;
			mark.setAttribute('aria-hidden', 'true');
			item.appendChild(mark);
			var label = document.createElement('span');
			label.className = 'label';
			label.textContent = e.title || e.id;
			item.appendChild(label);
			if (STATUS_WORDS[st]) {
				var sr = document.createElement('span');
				sr.className = 'sr';
				sr.textContent = ' (' + STATUS_WORDS[st] + ')';
				item.appendChild(sr);
			}
			li.appendChild(item);
			list.appendChild(li);
		});
	}

	function drawControls(s) {
		var hide = s.hide || [];
		var tincan = s.standard === 'tincan';
		el('controls').hidden = tincan;
		['previous', 'continue', 'suspendAll', 'exit', 'exitAll'].forEach(function (r) {
			var b = el('nav-' + r);
			b.hidden = tincan || hide.indexOf(r) >= 0;
			b.disabled = !(s.valid && s.valid[r]) || !s.current;
		});
	}

	function drawStatus(s) {
		var c = s.course || {};
		var parts = [];
		if (STATUS_WORDS[c.completion]) {
			parts.push(STATUS_WORDS[c.completion]);
		}
		if (c.success === 'passed' || c.success === 'failed') {
			parts.push(STATUS_WORDS[c.success]);
		}
		if (typeof c.measure === 'number') {
			parts.push('Score ' + Math.round(c.measure * 100) + '%');
		}
		var box = el('course-status');
		box.textContent = parts.join(' \u00b7 ');
		box.className = 'course-status ' + (c.success || '') + ' ' + (c.completion || '');
		box.dataset.completion = c.completion || 'unknown';
		box.dataset.success = c.success || 'unknown';
	}

	function showMessage(title, text, action) {
		el('message-title').textContent = title;
		el('message-text').textContent = text || '';
		var b = el('restart');
		b.hidden = !action;
		if (action) {
			b.textContent = action.label;
			b.onclick = action.run;
		}
		el('message').hidden = false;
		el('sco').hidden = true;
	}

	function load(url) {
		el('message').hidden = true;
		el('sco').hidden = false;
		if (loadedLaunch !== url) {
			loadedLaunch = url;
			el('sco').src = url;
		}
	}

	/* New statuses and valid requests, the content left as it is. */
	function redraw(s) {
		state = s;
		drawToc(s);
		drawControls(s);
		drawStatus(s);
	}

	function show(s, fromTerminate) {
		state = s;
		document.title = s.title ? s.title + ' \u2013 Somo' : 'Somo';
		el('title').textContent = s.title || '';
		el('activity').textContent = s.currentTitle || '';
		el('learner').textContent = s.learner ? s.learner.name : '';
		drawToc(s);
		drawControls(s);
		drawStatus(s);
		if (fromTerminate && s.current && !(s.nav && s.nav.deliver)) {
			return; /* the SCO ended and nothing new was delivered: the learner chooses */
		}
		if (!fromTerminate && s.current && s.nav && !s.nav.deliver) {
			/* the learner's request ended the activity and delivered nothing */
			loadedLaunch = null;
			showMessage(s.nav.accepted ? 'This activity has ended' : 'That is not available now',
				(s.nav.reason ? s.nav.reason + '. ' : '') +
				'Go on with the controls below or the table of contents.', null);
			return;
		}
		if (s.current && !s.launch) {
			/* the activity's SCO has ended (Exit, or in an earlier run of the
			 * player): nothing is launched until a request delivers one */
			loadedLaunch = null;
			el('sco').src = 'about:blank';
			showMessage('This activity has ended',
				'Go on with the controls below or the table of contents.', null);
			return;
		}
		if (s.current && s.launch) {
			if (fromTerminate) {
				loadedLaunch = null; /* a new delivery, even of the same SCO */
			}
			load(s.launch);
		} else if (!s.current) {
			loadedLaunch = null;
			el('sco').src = 'about:blank';
			var c = s.course || {};
			var done = c.completion === 'completed' || c.success === 'passed';
			var action = null;
			if (s.valid && s.valid.resumeAll) {
				action = {label: 'Resume', run: function () { navigate('resumeAll'); }};
			} else if (s.valid && s.valid.start) {
				action = {label: done ? 'Start again' : 'Start',
					run: function () { navigate('start'); }};
			}
			var why = s.nav && s.nav.reason ? s.nav.reason : '';
			showMessage(done ? 'You have finished this course' : 'The course is closed',
				(c.suspended ? 'Your place is saved. ' : '') + why, action);
		}
	}

	/* The learner's own navigation: the SCO in the frame is unloaded first
	 * (its unload handlers still reach its run-time), then the request runs. */
	function navigate(request, target) {
		if (navigating) {
			return;
		}
		navigating = true;
		var frame = el('sco');
		var run = function () {
			var s;
			try {
				s = post('nav', {request: request, target: target || null});
			} catch (e) {
				navigating = false;
				showMessage('The player cannot be reached', String(e.message || e), null);
				return;
			}
			navigating = false;
			terminated = false;
			lastLocalError = null;
			loadedLaunch = null;
			show(s, false);
		};
		if (loadedLaunch) {
			loadedLaunch = null;
			var onBlank = function () {
				frame.removeEventListener('load', onBlank);
				run();
			};
			frame.addEventListener('load', onBlank);
			frame.src = 'about:blank';
		} else {
			run();
		}
	}

	/* ---------------------------------------------------------------- */
	/* Start                                                             */

	var meta = document.querySelector('meta[name="somo-token"]');
	token = meta ? meta.getAttribute('content') : '';
	try {
		state = post('state', {});
	} catch (e) {
		state = null;
	}
	if (state && state.standard === 'scorm12') {
		window.API = makeApi(API_12);
	} else if (state && state.standard === 'scorm2004') {
		window.API_1484_11 = makeApi(API_2004);
	}
	window.somoLauncher = {
		state: function () {
			return post('state', {});
		},
		navigate: navigate
	};

	/* the page is going away: what is left goes out in a beacon */
	window.addEventListener('pagehide', beacon);

	document.addEventListener('DOMContentLoaded', function () {
		['previous', 'continue', 'suspendAll', 'exit', 'exitAll'].forEach(function (r) {
			el('nav-' + r).addEventListener('click', function () {
				navigate(r);
			});
		});
		var toggle = el('toc-toggle');
		var narrow = window.matchMedia('(max-width: 760px)');
		var setToc = function (open) {
			document.body.classList.toggle('toc-closed', !open);
			toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
		};
		setToc(!narrow.matches);
		toggle.addEventListener('click', function () {
			setToc(document.body.classList.contains('toc-closed'));
		});
		document.addEventListener('keydown', function (ev) {
			if (ev.key === 'Escape' && narrow.matches) {
				setToc(false);
			}
		});
		if (!state) {
			showMessage('The player cannot be reached', 'Start somo play again.', null);
			return;
		}
		show(state, false);
		if (!state.current) {
			if (state.valid && state.valid.resumeAll) {
				navigate('resumeAll');
			} else if (state.valid && state.valid.start) {
				navigate('start');
			}
		}
	});
}());
