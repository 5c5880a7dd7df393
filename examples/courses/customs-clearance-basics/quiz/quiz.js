/*
 * The quiz SCO: grades seven questions of five SCORM interaction types and
 * reports them: cmi.interactions.n (id, type, description, correct response,
 * learner response, result, latency, timestamp), cmi.score.*,
 * cmi.success_status and cmi.completion_status. Answers given so far live in
 * cmi.suspend_data, so a learner who leaves comes back to them.
 */
(function () {
	'use strict';

	var QUESTIONS_PAGE_FIRST = 1; /* 0-based index of the first page of questions */
	var SUBMIT_PAGE = 2;          /* the page whose Next button submits */
	var DEFAULT_PASS = 0.8;       /* the manifest's minNormalizedMeasure */

	var questions = Array.prototype.slice.call(document.querySelectorAll('fieldset.question'));
	var state = {v: 1, answers: {}, submitted: false, shown: {}, answered: {}};
	var passMark = DEFAULT_PASS;
	var pager;

	function byId(id) {
		return document.getElementById(id);
	}

	/* ---- reading and restoring answers ---- */

	function answerOf(q) {
		var type = q.getAttribute('data-type');
		var name = q.id;
		if (type === 'choice' || type === 'true-false') {
			var picked = [];
			q.querySelectorAll('input[name="' + name + '"]').forEach(function (inp) {
				if (inp.checked) {
					picked.push(inp.value);
				}
			});
			return picked;
		}
		if (type === 'numeric' || type === 'fill-in') {
			return q.querySelector('input[type="text"]').value;
		}
		if (type === 'matching') {
			var pairs = {};
			q.querySelectorAll('select').forEach(function (sel) {
				pairs[sel.getAttribute('data-source')] = sel.value;
			});
			return pairs;
		}
		if (type === 'sequencing') {
			return Array.prototype.map.call(q.querySelectorAll('.order-list > li'), function (li) {
				return li.getAttribute('data-value');
			});
		}
		return null;
	}

	function restore(q, answer) {
		var type = q.getAttribute('data-type');
		if (answer == null) {
			return;
		}
		if (type === 'choice' || type === 'true-false') {
			q.querySelectorAll('input[name="' + q.id + '"]').forEach(function (inp) {
				inp.checked = answer.indexOf(inp.value) >= 0;
			});
		} else if (type === 'numeric' || type === 'fill-in') {
			q.querySelector('input[type="text"]').value = String(answer);
		} else if (type === 'matching') {
			q.querySelectorAll('select').forEach(function (sel) {
				var v = answer[sel.getAttribute('data-source')];
				if (v !== undefined) {
					sel.value = v;
				}
			});
		} else if (type === 'sequencing') {
			var list = q.querySelector('.order-list');
			answer.forEach(function (value) {
				var li = list.querySelector('li[data-value="' + value + '"]');
				if (li) {
					list.appendChild(li);
				}
			});
			refreshOrderButtons(q);
		}
	}

	function numberOf(text) {
		var t = String(text).replace(/[\s,]/g, '');
		return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? parseFloat(t) : NaN;
	}

	function isAnswered(q, a) {
		var type = q.getAttribute('data-type');
		if (type === 'choice' || type === 'true-false') {
			return a.length > 0;
		}
		if (type === 'numeric') {
			return !isNaN(numberOf(a));
		}
		if (type === 'fill-in') {
			return a.trim() !== '';
		}
		if (type === 'matching') {
			return Object.keys(a).every(function (k) {
				return a[k] !== '';
			});
		}
		return true;
	}

	/* ---- grading, in the terms of the SCORM response formats ---- */

	function splitList(pattern) {
		return pattern === '' ? [] : pattern.split('[,]');
	}

	/* The learner response in the format of cmi.interactions.n.learner_response. */
	function responseOf(q, a) {
		var type = q.getAttribute('data-type');
		if (type === 'choice' || type === 'true-false') {
			return a.join('[,]');
		}
		if (type === 'numeric') {
			return String(numberOf(a));
		}
		if (type === 'fill-in') {
			/* the delimiters of the format cannot be part of the text */
			return a.trim().replace(/\[[,.:]\]/g, ' ').slice(0, 250);
		}
		if (type === 'matching') {
			return Object.keys(a).map(function (k) {
				return k + '[.]' + a[k];
			}).join('[,]');
		}
		return a.join('[,]');
	}

	function isCorrect(q, a) {
		var type = q.getAttribute('data-type');
		var pattern = q.getAttribute('data-pattern');
		if (type === 'choice') {
			var want = splitList(pattern).sort().join(',');
			return a.slice().sort().join(',') === want;
		}
		if (type === 'true-false') {
			return a.length === 1 && a[0] === pattern;
		}
		if (type === 'numeric') {
			var range = pattern.split('[:]');
			var n = numberOf(a);
			return !isNaN(n) && n >= parseFloat(range[0]) && n <= parseFloat(range[1]);
		}
		if (type === 'fill-in') {
			var text = pattern.replace(/^\{[^}]*\}/, '');
			return a.trim().toLowerCase() === text.toLowerCase();
		}
		if (type === 'matching') {
			return splitList(pattern).every(function (pair) {
				var p = pair.split('[.]');
				return a[p[0]] === p[1];
			});
		}
		if (type === 'sequencing') {
			return a.join('[,]') === pattern;
		}
		return false;
	}

	/* ---- the sequencing question's move buttons ---- */

	function stepText(li) {
		return li.querySelector('.step-text').textContent;
	}

	function refreshOrderButtons(q) {
		var items = q.querySelectorAll('.order-list > li');
		items.forEach(function (li, i) {
			var up = li.querySelector('button.up');
			var down = li.querySelector('button.down');
			up.disabled = state.submitted || i === 0;
			down.disabled = state.submitted || i === items.length - 1;
			up.setAttribute('aria-label', 'Move up: ' + stepText(li));
			down.setAttribute('aria-label', 'Move down: ' + stepText(li));
		});
	}

	function setUpOrder(q) {
		var list = q.querySelector('.order-list');
		list.querySelectorAll('li').forEach(function (li) {
			var buttons = document.createElement('span');
			buttons.className = 'order-buttons';
			['up', 'down'].forEach(function (dir) {
				var b = document.createElement('button');
				b.type = 'button';
				b.className = dir;
				b.textContent = dir === 'up' ? '↑' : '↓';
				b.addEventListener('click', function () {
					var other = dir === 'up' ? li.previousElementSibling : li.nextElementSibling;
					if (!other) {
						return;
					}
					list.insertBefore(dir === 'up' ? li : other, dir === 'up' ? other : li);
					refreshOrderButtons(q);
					var again = li.querySelector('button.' + dir);
					(again.disabled ? li.querySelector('button:not(:disabled)') : again).focus();
					var pos = Array.prototype.indexOf.call(list.children, li) + 1;
					CourseUi.announce('“' + stepText(li) + '” is now step ' + pos + ' of ' +
						list.children.length + '.');
					changed(q);
				});
				buttons.appendChild(b);
			});
			li.appendChild(buttons);
		});
		refreshOrderButtons(q);
	}

	/* ---- persistence ---- */

	function save() {
		if (!Scorm.connected()) {
			return;
		}
		var data = JSON.stringify(state);
		if (data.length <= 64000) { /* SCORM 2004 4th ed. suspend_data limit */
			Scorm.set('cmi.suspend_data', data);
		}
	}

	function load() {
		if (!Scorm.resuming()) {
			return;
		}
		try {
			var s = JSON.parse(Scorm.get('cmi.suspend_data') || '{}');
			if (s && s.v === 1 && typeof s.answers === 'object') {
				state = s;
				state.shown = state.shown || {};
				state.answered = state.answered || {};
			}
		} catch (e) {
			/* unreadable suspend data: start afresh */
		}
	}

	function changed(q) {
		if (state.submitted) {
			return;
		}
		state.answers[q.id] = answerOf(q);
		state.answered[q.id] = Date.now();
		save();
	}

	/* ---- reporting ---- */

	function interactionIndex(id) {
		var count = parseInt(Scorm.get('cmi.interactions._count'), 10) || 0;
		for (var i = 0; i < count; i++) {
			if (Scorm.get('cmi.interactions.' + i + '.id') === id) {
				return i;
			}
		}
		return count;
	}

	function description(q) {
		var legend = q.querySelector('legend').cloneNode(true);
		var kind = legend.querySelector('.kind');
		if (kind) {
			legend.removeChild(kind);
		}
		return legend.textContent.replace(/\s+/g, ' ').trim().slice(0, 250);
	}

	function report(q, a, correct, now) {
		var n = 'cmi.interactions.' + interactionIndex(q.getAttribute('data-id')) + '.';
		var shown = state.shown[q.id] || now;
		var answered = state.answered[q.id] || now;
		Scorm.set(n + 'id', q.getAttribute('data-id'));
		Scorm.set(n + 'type', q.getAttribute('data-type'));
		Scorm.set(n + 'timestamp', Scorm.timestamp(new Date(shown)));
		Scorm.set(n + 'description', description(q));
		Scorm.set(n + 'correct_responses.0.pattern', q.getAttribute('data-pattern'));
		Scorm.set(n + 'learner_response', responseOf(q, a));
		Scorm.set(n + 'result', correct ? 'correct' : 'incorrect');
		Scorm.set(n + 'latency', Scorm.isoDuration(Math.max(0, answered - shown)));
	}

	function grade() {
		var missing = questions.filter(function (q) {
			return !isAnswered(q, answerOf(q));
		});
		if (missing.length) {
			var names = missing.map(function (q) {
				return Number(q.id.slice(1));
			});
			CourseUi.announce('Please answer question' + (names.length > 1 ? 's ' : ' ') +
				names.join(', ') + ' before you submit.');
			var first = missing[0];
			var firstPage = first.closest('section.page');
			pager.show(pager.pages.indexOf(firstPage), false);
			var target = first.querySelector('input, select, button');
			if (target) {
				target.focus();
			}
			return false;
		}
		var now = Date.now();
		var right = 0;
		questions.forEach(function (q) {
			var a = answerOf(q);
			var ok = isCorrect(q, a);
			state.answers[q.id] = a;
			if (ok) {
				right++;
			}
			report(q, a, ok, now);
		});
		var scaled = right / questions.length;
		state.submitted = true;
		state.right = right;
		Scorm.set('cmi.score.min', '0');
		Scorm.set('cmi.score.max', String(questions.length));
		Scorm.set('cmi.score.raw', String(right));
		Scorm.set('cmi.score.scaled', scaled.toFixed(4));
		Scorm.set('cmi.success_status', scaled >= passMark ? 'passed' : 'failed');
		Scorm.set('cmi.completion_status', 'completed');
		save();
		Scorm.commit();
		showResults();
		return true;
	}

	/* ---- showing the outcome ---- */

	function lockAndExplain() {
		questions.forEach(function (q) {
			var a = state.answers[q.id];
			q.querySelectorAll('input, select').forEach(function (el) {
				el.disabled = state.submitted;
			});
			var fb = q.querySelector('.feedback');
			if (q.getAttribute('data-type') === 'sequencing') {
				refreshOrderButtons(q);
			}
			if (!state.submitted || a == null) {
				fb.hidden = true;
				return;
			}
			var ok = isCorrect(q, a);
			fb.hidden = false;
			fb.className = 'feedback ' + (ok ? 'correct' : 'incorrect');
			if (!fb.getAttribute('data-text')) {
				fb.setAttribute('data-text', fb.textContent.replace(/\s+/g, ' ').trim());
			}
			fb.textContent = (ok ? 'Correct. ' : 'Not quite. ') + fb.getAttribute('data-text');
		});
	}

	function showResults() {
		var right = state.right || 0;
		var total = questions.length;
		var passed = right / total >= passMark;
		var box = byId('result');
		box.className = 'result ' + (passed ? 'passed' : 'failed');
		byId('score-text').textContent = right + ' of ' + total + ' correct (' +
			Math.round((right / total) * 100) + ' %)';
		byId('verdict').textContent = passed ?
			'You passed. Well done: you have completed Customs Clearance Basics.' :
			'You need ' + Math.round(passMark * 100) + ' % to pass. Review the explanations, ' +
			'then try again.';
		byId('retry').hidden = passed;
		byId('finish').textContent = passed ? 'Finish the course' : 'Finish without passing';
		lockAndExplain();
	}

	function retry() {
		state = {v: 1, answers: {}, submitted: false, shown: {}, answered: {}};
		questions.forEach(function (q) {
			q.querySelectorAll('input[type="radio"], input[type="checkbox"]').forEach(function (el) {
				el.checked = false;
			});
			q.querySelectorAll('input[type="text"]').forEach(function (el) {
				el.value = '';
			});
			q.querySelectorAll('select').forEach(function (el) {
				el.value = '';
			});
		});
		var order = byId('q7').querySelector('.order-list');
		['release', 'risk_assessment', 'advance_info', 'duties', 'arrival'].forEach(function (v) {
			order.appendChild(order.querySelector('li[data-value="' + v + '"]'));
		});
		lockAndExplain();
		save();
		CourseUi.announce('Your answers were cleared. Good luck!');
		pager.show(QUESTIONS_PAGE_FIRST, true);
	}

	/* ---- start ---- */

	var lms = Scorm.init();
	if (lms) {
		var pass = parseFloat(Scorm.get('cmi.scaled_passing_score'));
		if (!isNaN(pass) && pass >= -1 && pass <= 1) {
			passMark = pass;
		}
		load();
		if (!Scorm.resuming()) {
			Scorm.set('cmi.completion_status', 'incomplete');
		}
	} else {
		CourseUi.announce('No learning management system was found: you can take the quiz, but ' +
			'your result is not recorded.');
	}
	byId('pass-mark').textContent = Math.round(passMark * 100) + ' %';

	questions.forEach(function (q) {
		if (q.getAttribute('data-type') === 'sequencing') {
			setUpOrder(q);
		}
		restore(q, state.answers[q.id]);
		q.addEventListener('change', function () {
			changed(q);
		});
		q.addEventListener('input', function () {
			changed(q);
		});
	});

	var nextButton = byId('next-page');
	var finish = byId('finish');
	pager = new Pager({
		canLeave: function (i) {
			if (i === SUBMIT_PAGE && !state.submitted) {
				return grade();
			}
			return true;
		},
		onShow: function (i, p) {
			var now = Date.now();
			p.pages[i].querySelectorAll('fieldset.question').forEach(function (q) {
				if (!state.shown[q.id]) {
					state.shown[q.id] = now;
				}
			});
			nextButton.textContent = i === SUBMIT_PAGE && !state.submitted ? 'Submit answers' : 'Next page';
			finish.hidden = i !== p.count() - 1 || !state.submitted;
			save();
		},
		onLast: function (p) {
			if (!state.submitted) {
				/* a resumed location past the questions, without a result */
				p.show(SUBMIT_PAGE, false);
			}
		}
	});
	if (state.submitted) {
		showResults();
	}
	byId('retry').addEventListener('click', retry);
	finish.addEventListener('click', function () {
		if (Scorm.connected()) {
			CourseUi.announce('Saving your result…');
			finish.disabled = true;
			Scorm.terminate(true, 'continue');
		} else {
			CourseUi.announce('You have reached the end of the course. With a learning ' +
				'management system, your result would be recorded now.');
		}
	});
	pager.start();
})();
