/*
 * Rustici's golf sequencing examples (SCORM 2004 3rd edition, from the
 * corpus) clicked through in headless Chromium with the launcher's own
 * controls: Continue, the table of contents (a choice back to a visited
 * SCO), the assessment answered right. At every step the table of contents
 * (hidden, disabled, selectable) and the buttons (enabled, disabled,
 * hidden) are what the session's sequencing says, and the forced order
 * holds: what lies ahead cannot be chosen. After Exit, and after the
 * player is started again on the same store, the ended SCO is not launched:
 * the launcher says the activity has ended. The statements of the run reach
 * the project's test LRS: each delivery of a SCO begun and ended once (the
 * first two SCOs were delivered twice), the assessment passed with its
 * score, each valid xAPI.
 */
'use strict';

const path = require('path');
const h = require('./harness');

const ORDER = [['playing_item', 'playing'], ['etuqiette_item', 'etiquette'],
	['handicapping_item', 'handicapping'], ['havingfun_item', 'havingfun'],
	['assessment_item', 'assessment']];

function entry(s, id) {
	return s.toc.find(e => e.id === id);
}

async function finishPages(sco) {
	for (let i = 0; i < 10 && !(await sco.isDisabled('#butNext')); i++) {
		await sco.click('#butNext');
	}
}

function answerRight() {
	/* eslint-disable no-undef */
	test.Questions.forEach(q => {
		const id = 'question_' + q.Id;
		if (q.Type === 'choice') {
			document.getElementById(id + '_' + q.Answers.indexOf(q.CorrectAnswer)).checked = true;
		} else if (q.Type === 'true-false') {
			document.getElementById(id + '_' + (q.CorrectAnswer ? 'True' : 'False')).checked = true;
		} else {
			document.getElementById(id + '_Text').value = String(q.CorrectAnswer);
		}
	});
	SubmitAnswers();
}

async function run(folder) {
	const pkg = h.corpus('scorm/packages-scorm2004/' + folder);
	const pw = h.playwright();
	const dir = h.tmpdir('seq');
	const db = path.join(dir, 'somo.db');
	const browser = await h.browser(pw);
	const lrs = await h.startLrs(dir);
	const args = ['--db', db, '--learner', 'seq-1'].concat(lrs.args);
	let player = await h.play(pkg, args);
	let page = await browser.newPage();
	page.on('dialog', d => d.accept());
	page.on('pageerror', e => console.log('page error: ' + e));
	await page.goto(player.url);

	let sco = await h.scoFrame(page, 'content=playing');
	let s = await h.checkView(page, 'start');
	h.equal(s.current, 'playing_item', 'start delivers the first SCO');
	ORDER.slice(1).forEach(([id]) => {
		h.check(!entry(s, id).choosable, id + ' cannot be chosen before the SCO before it is satisfied');
	});

	for (let i = 0; i < ORDER.length; i++) {
		const [id, name] = ORDER[i];
		if (i > 0) {
			await page.click('#nav-continue');
			sco = await h.scoFrame(page, 'content=' + name);
			s = await h.checkView(page, 'continue to ' + name);
			h.equal(s.current, id, 'Continue delivers ' + id);
			h.check(entry(s, ORDER[i - 1][0]).choosable, 'the SCO before (' + ORDER[i - 1][0] + ') can be chosen again');
			ORDER.slice(i + 1).forEach(([later]) => {
				h.check(!entry(s, later).choosable, later + ' still cannot be chosen');
			});
		}
		if (i === 1) {
			/* back to the first SCO through the table of contents, then on again */
			await page.click('#toc-list li[data-id="playing_item"] button');
			await h.scoFrame(page, 'content=playing');
			s = await h.checkView(page, 'choice back to playing');
			h.equal(s.current, 'playing_item', 'a choice in the table of contents delivers playing');
			await page.click('#nav-continue');
			sco = await h.scoFrame(page, 'content=' + name);
			s = await h.checkView(page, 'continue to ' + name + ' again');
			h.equal(s.current, id, 'Continue delivers ' + id + ' again');
		}
		if (name === 'assessment') {
			const quiz = await h.scoFrame(page, 'assessmenttemplate.html');
			await quiz.evaluate(answerRight);
			await quiz.waitForFunction(() => /Score: 100/.test(document.body.innerHTML));
		} else {
			await finishPages(sco);
		}
		s = await h.checkView(page, name + ' finished and committed');
		if (i === 0) {
			/* Exit ends the activity and delivers nothing: the launcher says so */
			h.check(s.valid.exit, 'Exit is valid while ' + id + ' runs');
			await page.click('#nav-exit');
			await page.waitForSelector('#message:not([hidden])');
			h.check(await page.isHidden('#sco'), 'after Exit the SCO is taken away');
			s = await h.checkView(page, 'after Exit');
			h.equal(await page.textContent('#message-title'), 'This activity has ended',
				'Exit delivers nothing, and the launcher says so');

			/* somo play again on the same store: the exited SCO is not launched again */
			await page.close();
			h.equal(await player.stop(), 0, 'somo play stops cleanly after Exit');
			player = await h.play(pkg, args);
			page = await browser.newPage();
			page.on('dialog', d => d.accept());
			page.on('pageerror', e => console.log('page error: ' + e));
			const loaded = [];
			page.on('request', r => loaded.push(r.url()));
			await page.goto(player.url);
			await page.waitForSelector('#message:not([hidden])');
			s = await h.checkView(page, 'after Exit and a restart');
			h.equal([s.current, s.launch], [id, null],
				'after a restart the exited activity is still current, with no launch');
			h.check(await page.isHidden('#sco'), 'after a restart the ended SCO is not shown');
			h.equal(await page.textContent('#message-title'), 'This activity has ended',
				'after a restart the launcher says the activity has ended');
			h.equal(loaded.filter(u => u.indexOf('/content/') >= 0), [],
				'after a restart the ended SCO\'s content is not loaded');
		}
	}

	/* past the last SCO the course ends, rolled up */
	await page.click('#nav-continue');
	await page.waitForSelector('#message:not([hidden])');
	s = await h.checkView(page, 'the course has ended');
	h.equal(s.current, null, 'continue past the assessment ends the session');
	h.equal([s.course.completion, s.course.success], ['completed', 'passed'],
		'the course is completed and passed');
	if (/PostTest/.test(folder)) {
		h.equal(s.course.measure, 1, 'the course\'s score is the post test\'s (100 of 100)');
	}
	await page.close();
	h.equal(await player.stop(), 0, 'somo play stops cleanly');

	/* the statements, in the LRS */
	/* the activity base somo play makes of the manifest's identifier */
	const base = 'urn:somo:package:com.scorm.golfsamples.sequencing.' +
		(/PostTest/.test(folder) ? 'posttestrollup' : 'forcedsequential') + '.20043rd:';
	const got = await h.checkScormStatements(lrs, db, 'seq-1', {base, scos: ORDER.map(o => o[0]),
		results: {assessment_item: {verb: 'passed', score: {raw: 100}}}});
	const count = (id, verbs) => got.filter(st => st.object.id === base + id &&
		verbs.indexOf(st.verb.id.split('/').pop()) >= 0).length;
	/* golf sets cmi.exit to suspend as it unloads: its SCOs leave suspended, come back resumed */
	h.equal(ORDER.map(([id]) => [count(id, ['initialized', 'resumed']), count(id, ['terminated', 'suspended'])]),
		[[2, 2], [2, 2], [1, 1], [1, 1], [1, 1]],
		'each delivery of a SCO begins (initialized or resumed) and ends (terminated or suspended) ' +
		'once: playing and etiquette were delivered twice');
	h.equal(count('playing_item', ['resumed']), 1, 'playing, chosen again after Exit, is resumed');
	await lrs.stop();
	await browser.close();
}

module.exports = run;
