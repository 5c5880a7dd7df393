/*
 * A SCORM 1.2 course of four SCOs with adlcp:prerequisites (from the
 * corpus) in headless Chromium: each SCO, when delivered, finds window.API
 * in the launcher by the standard parent search and completes itself; the
 * table of contents opens up as the prerequisites are met ("module1",
 * "module1 AND module2", "(module1 AND module2) OR module3"), the launcher's
 * Continue and the table of contents deliver the SCOs, and at every step
 * the table of contents and the buttons match the session.
 */
'use strict';

const path = require('path');
const h = require('./harness');

/* What a SCO does: find the API (RTE 3.3.6.1), initialise, complete, finish. */
function completeSco() {
	let win = window, tries = 0;
	while (!win.API && win.parent && win.parent !== win && tries++ < 500) {
		win = win.parent;
	}
	const api = win.API;
	return [api.LMSInitialize(''), api.LMSSetValue('cmi.core.lesson_status', 'completed'),
		api.LMSCommit(''), api.LMSFinish('')];
}

function choosable(s) {
	return s.toc.filter(e => e.choosable && e.depth > 0).map(e => e.id);
}

h.main(async () => {
	const pkg = h.corpus('scorm/packages-scorm12/PrerequisitesTest_SCORM12');
	const pw = h.playwright();
	const dir = h.tmpdir('prereq');
	const browser = await h.browser(pw);
	const player = await h.play(pkg, ['--db', path.join(dir, 'somo.db'), '--learner', 'p-1']);
	const page = await browser.newPage();
	page.on('pageerror', e => console.log('page error: ' + e));
	await page.goto(player.url);

	let sco = await h.scoFrame(page, 'module1.html');
	let s = await h.checkView(page, 'start');
	h.equal(s.standard, 'scorm12', 'a SCORM 1.2 course');
	h.equal(s.current, 'module1', 'start delivers module 1');
	h.check(await page.evaluate(() => typeof window.API === 'object' && !window.API_1484_11),
		'the launcher defines window.API (and not the SCORM 2004 API)');
	h.check(choosable(s).indexOf('module2') < 0 && choosable(s).indexOf('module3') < 0,
		'modules 2 and 3 wait for their prerequisites');

	h.equal(await sco.evaluate(completeSco), ['true', 'true', 'true', 'true'], 'module 1 completes itself');
	await page.waitForFunction(() => /completed/.test(
		document.querySelector('#toc-list li[data-id="module1"] .mark').className));
	s = await h.checkView(page, 'module 1 completed');
	h.check(choosable(s).indexOf('module2') >= 0, 'module 2 (prerequisite module1) can be chosen');
	h.check(choosable(s).indexOf('module3') < 0, 'module 3 (module1 AND module2) cannot yet');

	/* by keyboard: Tab through the launcher to the table of contents entry, Enter */
	const names = await page.evaluate(() => Array.from(document.querySelectorAll('button'))
		.filter(b => !b.hidden && b.offsetParent !== null)
		.map(b => (b.getAttribute('aria-label') || b.textContent).trim()));
	h.check(names.length >= 5 && names.every(n => n.length > 0), 'every visible button is labelled (' +
		names.join(', ') + ')');
	let focused = '';
	for (let i = 0; i < 12 && focused !== 'module2'; i++) {
		await page.keyboard.press('Tab');
		focused = await page.evaluate(() => {
			const li = document.activeElement && document.activeElement.closest('.toc-entry');
			return li ? li.dataset.id : '';
		});
	}
	h.equal(focused, 'module2', 'Tab reaches module 2 in the table of contents');
	await page.keyboard.press('Enter');
	sco = await h.scoFrame(page, 'module2.html');
	s = await h.checkView(page, 'module 2 chosen');
	h.equal(s.current, 'module2', 'the table of contents delivers module 2');
	h.equal(await sco.evaluate(completeSco), ['true', 'true', 'true', 'true'], 'module 2 completes itself');
	await page.waitForFunction(() => /completed/.test(
		document.querySelector('#toc-list li[data-id="module2"] .mark').className));
	s = await h.checkView(page, 'module 2 completed');
	h.check(choosable(s).indexOf('module3') >= 0, 'module 3 can be chosen now');
	h.check(choosable(s).indexOf('module4') >= 0, 'module 4 ((module1 AND module2) OR module3) too');

	await page.click('#nav-continue');
	sco = await h.scoFrame(page, 'module3.html');
	s = await h.checkView(page, 'continue to module 3');
	h.equal(s.current, 'module3', 'Continue delivers module 3');
	await page.click('#nav-previous');
	await h.scoFrame(page, 'module2.html');
	s = await h.checkView(page, 'previous to module 2');
	h.equal(s.current, 'module2', 'Previous delivers module 2 again');
	await page.close();
	h.equal(await player.stop(), 0, 'somo play stops cleanly');
	await browser.close();
});
