/*
 * Rustici's golf example "Run-time Basic Calls" (SCORM 1.2 and SCORM 2004
 * 3rd edition, from the corpus) in headless Chromium through `somo play`:
 * the learner pages through to the assessment, answers it right and exits.
 * Every SetValue the content makes is recorded as it passes through the
 * launcher's API object; afterwards what the store holds (`somo export`)
 * must be what the content set, element by element. The statements of the
 * run reach the project's test LRS, under the activity base `somo play`
 * derives from the manifest's identifier: initialized, passed with the
 * score, terminated, each valid xAPI.
 */
'use strict';

const path = require('path');
const h = require('./harness');

/* Record every API call the content makes, in the top window only. */
function recordCalls(apiName) {
	if (window !== window.top) {
		return;
	}
	window.__calls = [];
	let api;
	Object.defineProperty(window, apiName, {
		configurable: true,
		get: () => api,
		set: v => {
			api = {};
			Object.keys(v).forEach(k => {
				api[k] = function () {
					const args = Array.prototype.slice.call(arguments).map(String);
					const ret = v[k].apply(v, arguments);
					window.__calls.push([k, args, ret]);
					return ret;
				};
			});
		}
	});
}

/* Answer the golf assessment right, in its frame. */
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

async function run(edition) {
	const scorm12 = edition === '1.2';
	const pkg = h.corpus(scorm12 ? 'scorm/packages-scorm12/RuntimeBasicCalls_SCORM12'
		: 'scorm/packages-scorm2004/RuntimeBasicCalls_SCORM20043rdEdition');
	const pw = h.playwright();
	const dir = h.tmpdir('golf');
	const db = path.join(dir, 'somo.db');
	const browser = await h.browser(pw);
	const lrs = await h.startLrs(dir);
	const player = await h.play(pkg, ['--db', db, '--learner', 'golfer-1', '--name', 'Pat Golfer']
		.concat(lrs.args));
	const page = await browser.newPage();
	page.on('dialog', d => d.accept());
	page.on('pageerror', e => console.log('page error: ' + e));
	await page.addInitScript(recordCalls, scorm12 ? 'API' : 'API_1484_11');
	await page.goto(player.url);

	const sco = await h.scoFrame(page, 'shared/launchpage.html');
	await h.checkView(page, 'the SCO delivered');
	for (let i = 0; i < 14; i++) {
		await sco.click('#butNext');
	}
	const quiz = await h.scoFrame(page, 'assessmenttemplate.html');
	await quiz.evaluate(answerRight);
	await quiz.waitForFunction(() => /Score: 100/.test(document.body.innerHTML));
	h.check(true, 'the assessment is answered right (score 100)');
	await sco.click('#butExit');
	if (scorm12) {
		await page.waitForFunction(() => window.__calls.some(c => c[0] === 'LMSFinish' && c[2] === 'true'));
	} else {
		/* the content's own exitAll ends the session */
		await page.waitForSelector('#message:not([hidden])');
	}
	const calls = await page.evaluate(() => window.__calls);
	h.check(calls.length > 20, 'the content made its calls through the launcher (' + calls.length + ')');
	h.equal(calls[0][0], scorm12 ? 'LMSInitialize' : 'Initialize', 'the first call initialises');
	const failed = calls.filter(c => c[2] === 'false');
	h.equal(failed, [], 'no call of the content failed');
	await page.close();
	h.equal(await player.stop(), 0, 'somo play stops cleanly');

	/* what the content set, against what the store holds */
	const set = {};
	calls.filter(c => /SetValue$/.test(c[0]) && c[2] === 'true').forEach(c => {
		set[c[1][0]] = c[1][1];
	});
	const ex = h.exportLearner(db, 'golfer-1');
	const att = ex.registrations[0].attempts[ex.registrations[0].attempts.length - 1];
	const ids = Object.keys(att.activities);
	h.equal(ids.length, 1, 'one SCO in the store');
	const values = att.activities[ids[0]].values;
	/* write-only time and exit elements are folded into totals and entry */
	const skip = /session_time|\.exit$|^adl\.nav/;
	const compared = Object.keys(set).filter(k => !skip.test(k));
	compared.forEach(k => {
		h.equal(values[k], set[k], 'the store holds ' + k + ' as the content set it');
	});
	const must = scorm12 ? ['cmi.core.lesson_status', 'cmi.core.lesson_location', 'cmi.core.score.raw']
		: ['cmi.completion_status', 'cmi.success_status', 'cmi.location', 'cmi.score.raw'];
	must.forEach(k => h.check(compared.indexOf(k) >= 0, k + ' was set by the content and compared'));
	h.equal(values[scorm12 ? 'cmi.core.lesson_status' : 'cmi.success_status'], 'passed',
		'the SCO is passed');
	h.equal(values['cmi.core.student_name'] || values['cmi.learner_name'], 'Pat Golfer',
		'the learner\'s name was given to the content');

	/* the statements, in the LRS, under the base made of the manifest identifier */
	const base = 'urn:somo:package:com.scorm.golfsamples.runtime.basicruntime.' +
		(scorm12 ? '12' : '20043rd') + ':';
	const got = await h.checkScormStatements(lrs, db, 'golfer-1', {base, scos: ids,
		results: {[ids[0]]: {verb: 'passed', score: scorm12
			? {raw: Number(values['cmi.core.score.raw'])}
			: {scaled: Number(values['cmi.score.scaled']), raw: Number(values['cmi.score.raw'])}}}});
	const verbs = got.map(st => st.verb.id.split('/').pop()).filter(v => v !== 'completed');
	h.equal(verbs, ['initialized', 'passed', 'terminated'], 'the SCO: initialized, passed, terminated');
	h.equal(got[0].actor.name, 'Pat Golfer', 'the actor carries the learner\'s name');
	await lrs.stop();
	await browser.close();
}

module.exports = run;
