/*
 * The sample course (examples/courses/customs-clearance-basics) in headless
 * Chromium through `somo play`: the introduction, suspended half-way
 * through the lesson, the player stopped and started again, the lesson
 * resumed where it was left, the quiz passed; the course's status rolls
 * up to completed and passed, in the launcher and in the store. The table
 * of contents and the buttons match sequencing at every step. The outbox is
 * delivered to the project's test LRS (--lrs); there each SCO's statements
 * (initialized or resumed, then suspended or terminated; the quiz's passed
 * with its score) are checked and validated, under the activity base given
 * with --xapi-base.
 */
'use strict';

const path = require('path');
const h = require('./harness');

const COURSE = path.join(h.sourceDir, 'examples', 'courses', 'customs-clearance-basics');

async function nextUntilFinish(frame) {
	for (let i = 0; i < 20; i++) {
		if (await frame.isVisible('#finish')) {
			return;
		}
		await frame.click('#next-page');
	}
	throw new Error('the finish button never showed');
}

async function answerQuiz(frame) {
	await frame.click('#next-page'); /* about the quiz -> questions 1 to 4 */
	await frame.check('input[name="q1"][value="bill_of_lading"]');
	await frame.check('input[name="q2"][value="false"]');
	for (const v of ['selling_commission', 'royalties', 'assist_moulds']) {
		await frame.check('input[name="q3"][value="' + v + '"]');
	}
	await frame.fill('#q4-input', '11350');
	await frame.click('#next-page');
	await frame.fill('#q5-input', 'cif');
	await frame.selectOption('#q6-commercial_invoice', 'price');
	await frame.selectOption('#q6-bill_of_lading', 'carriage');
	await frame.selectOption('#q6-certificate_of_origin', 'origin');
	/* question 7 (ordering) is left as it is: 6 of 7 right is above the 0.8 pass mark */
	await frame.click('#next-page'); /* Submit answers */
	await frame.waitForSelector('#finish', {state: 'visible'});
}

h.main(async () => {
	const pw = h.playwright();
	const dir = h.tmpdir('sample');
	const db = path.join(dir, 'somo.db');
	const lrs = await h.startLrs(dir);
	const base = 'https://courses.example.org/customs-clearance-basics/';
	const args = ['--db', db, '--learner', 'k-001', '--name', 'Kai Ito', '--xapi-base', base]
		.concat(lrs.args);
	const browser = await h.browser(pw);
	let player = await h.play(COURSE, args);
	let page = await browser.newPage();
	page.on('pageerror', e => console.log('page error: ' + e));
	await page.goto(player.url);

	/* the introduction: flow only, the LMS's Continue and Previous hidden */
	let intro = await h.scoFrame(page, 'intro/index.html');
	let s = await h.checkView(page, 'introduction delivered');
	h.equal(s.current, 'intro', 'start delivers the introduction');
	h.equal(s.hide.sort(), ['continue', 'previous'], 'hideLMSUI hides Continue and Previous');
	await nextUntilFinish(intro);
	await intro.click('#finish');

	/* the lesson, delivered by the introduction's own continue request */
	let lesson = await h.scoFrame(page, 'valuation/index.html');
	s = await h.checkView(page, 'lesson delivered');
	h.equal(s.current, 'valuation', 'the introduction\'s continue delivers the lesson');
	h.equal(s.toc.find(e => e.id === 'intro').completion, 'completed', 'the introduction is completed');
	await lesson.click('#next-page');
	await lesson.click('#next-page');
	const where = await lesson.textContent('#page-counter');
	h.check(/Page 3 of/.test(where), 'the learner is on page 3 of the lesson (' + where + ')');

	/* Suspend, then stop the player (SIGINT) */
	await page.click('#nav-suspendAll');
	await page.waitForSelector('#message:not([hidden])');
	s = await page.evaluate(() => window.somoLauncher.state());
	h.equal(s.current, null, 'suspendAll ends the session');
	h.check(s.course.suspended, 'the course can be resumed');
	await page.close();
	h.equal(await player.stop(), 0, 'somo play stops on SIGINT with exit status 0');
	h.check(/everything committed/.test(player.stderr()), 'somo play says everything is committed');

	/* a new player on the same store resumes where the learner was */
	player = await h.play(COURSE, args);
	page = await browser.newPage();
	page.on('pageerror', e => console.log('page error: ' + e));
	await page.goto(player.url);
	lesson = await h.scoFrame(page, 'valuation/index.html');
	await lesson.waitForFunction(() => /Page 3 of/.test(document.getElementById('page-counter').textContent));
	h.check(true, 'the lesson resumes on page 3 after the player restarted');
	s = await h.checkView(page, 'lesson resumed');
	h.equal(s.current, 'valuation', 'resumeAll delivers the lesson again');
	await nextUntilFinish(lesson);
	await lesson.click('#finish');

	/* the quiz */
	const quiz = await h.scoFrame(page, 'quiz/index.html');
	s = await h.checkView(page, 'quiz delivered');
	h.equal(s.current, 'quiz', 'the lesson\'s continue delivers the quiz');
	await answerQuiz(quiz);
	await quiz.click('#finish');

	/* the end: the course's status rolls up */
	await page.waitForSelector('#message:not([hidden])');
	s = await page.evaluate(() => window.somoLauncher.state());
	h.equal(s.current, null, 'continue past the quiz ends the course');
	h.equal([s.course.completion, s.course.success], ['completed', 'passed'],
		'the course is completed and passed');
	const shown = await page.evaluate(() => {
		const b = document.getElementById('course-status');
		return [b.dataset.completion, b.dataset.success, document.getElementById('message-title').textContent];
	});
	h.equal(shown, ['completed', 'passed', 'You have finished this course'],
		'the launcher shows the rolled-up status');
	h.check(s.course.measure > 0.8, 'the course takes its score from the quiz (' + s.course.measure + ')');
	await page.close();
	h.equal(await player.stop(), 0, 'somo play stops cleanly');

	/* what the store holds */
	const ex = h.exportLearner(db, 'k-001');
	const att = ex.registrations[0].attempts[ex.registrations[0].attempts.length - 1];
	const quizRec = att.activities.quiz;
	h.equal([quizRec.values['cmi.success_status'], quizRec.values['cmi.completion_status'],
		quizRec.values['cmi.score.raw']], ['passed', 'completed', '6'],
		'the store holds the quiz\'s status and score as the content set them');
	h.equal(quizRec.interactions['urn:somo:customs-clearance-basics:bill-of-lading'].result, 'correct',
		'the store holds the quiz\'s interactions by id');
	h.equal(att.activities.valuation.values['cmi.completion_status'], 'completed',
		'the lesson, resumed after the restart, is completed');

	/* the statements, in the LRS */
	const got = await h.checkScormStatements(lrs, db, 'k-001', {base, scos: ['intro', 'valuation', 'quiz'],
		results: {quiz: {verb: 'passed', score: {
		scaled: Number(quizRec.values['cmi.score.scaled']), raw: Number(quizRec.values['cmi.score.raw'])}}}});
	const verbs = id => got.filter(st => st.object.id === base + id).map(st => st.verb.id.split('/').pop());
	h.equal(verbs('valuation'), ['initialized', 'suspended', 'resumed', 'completed', 'terminated'],
		'the lesson: suspended before the restart, resumed after it, then completed');
	h.equal(verbs('quiz').filter(v => v !== 'completed'), ['initialized', 'passed', 'terminated'],
		'the quiz: initialized, passed, terminated');
	h.check(got.filter(st => st.verb.id.endsWith('/terminated') || st.verb.id.endsWith('/suspended'))
		.every(st => /^PT/.test(st.result && st.result.duration)), 'terminated and suspended carry the session time');
	await lrs.stop();
	await browser.close();
});
