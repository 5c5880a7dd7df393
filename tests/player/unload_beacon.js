/*
 * Content that saves only as it is unloaded still gets saved: golf "Run-time
 * Basic Calls" (SCORM 2004) sets cmi.location page by page without Commit,
 * and calls SetValue and Terminate from its unload handlers. The browser
 * tab is closed; Chromium refuses synchronous requests while a page is
 * dismissed, so the launcher sends those calls in a navigator.sendBeacon,
 * which the player runs. The store holds the location afterwards.
 */
'use strict';

const path = require('path');
const h = require('./harness');

h.main(async () => {
	const pkg = h.corpus('scorm/packages-scorm2004/RuntimeBasicCalls_SCORM20043rdEdition');
	const pw = h.playwright();
	const dir = h.tmpdir('beacon');
	const db = path.join(dir, 'somo.db');
	const browser = await h.browser(pw);
	const context = await browser.newContext();
	const beacons = [];
	context.on('request', r => {
		if (r.url().indexOf('/_somo/beacon') >= 0) {
			beacons.push(r.postData());
		}
	});
	const player = await h.play(pkg, ['--db', db, '--learner', 'b-1']);
	const page = await context.newPage();
	page.on('dialog', d => d.accept());
	await page.goto(player.url);
	const sco = await h.scoFrame(page, 'shared/launchpage.html');
	for (let i = 0; i < 3; i++) {
		await sco.click('#butNext');
	}
	h.equal(await page.evaluate(() => window.API_1484_11.GetValue('cmi.location')), '3',
		'the content is on page 3 (set, not committed)');
	await page.close({runBeforeUnload: true});
	for (let i = 0; i < 100 && !beacons.length; i++) {
		await new Promise(r => setTimeout(r, 50));
	}
	h.check(beacons.length > 0,
		'the calls made while the tab closed went out in a beacon');
	await new Promise(r => setTimeout(r, 300));
	h.equal(await player.stop(), 0, 'somo play stops cleanly');
	await browser.close();

	const ex = h.exportLearner(db, 'b-1');
	const att = ex.registrations[0].attempts[0];
	const v = att.activities[Object.keys(att.activities)[0]].values;
	h.equal([v['cmi.location'], v['cmi.exit']], ['3', 'suspend'],
		'the store holds what the content set and terminated with during unload');
});
