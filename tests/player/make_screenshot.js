/*
 * Makes docs/launcher.png: the launcher with the sample course's lesson open,
 * the introduction done. Not a test:
 *   SOMO_BIN=build/somo node tests/player/make_screenshot.js [OUT.png]
 */
'use strict';

const path = require('path');
const h = require('./harness');

h.main(async () => {
	const out = process.argv[2] || path.join(h.sourceDir, 'docs', 'launcher.png');
	const pw = h.playwright();
	const dir = h.tmpdir('shot');
	const player = await h.play(path.join(h.sourceDir, 'examples', 'courses', 'customs-clearance-basics'),
		['--db', path.join(dir, 'somo.db'), '--learner', 'k-001', '--name', 'Kai Ito']);
	const browser = await h.browser(pw);
	const page = await browser.newPage({viewport: {width: 1280, height: 760}, deviceScaleFactor: 1});
	await page.goto(player.url);
	const intro = await h.scoFrame(page, 'intro/index.html');
	while (!(await intro.isVisible('#finish'))) {
		await intro.click('#next-page');
	}
	await intro.click('#finish');
	const lesson = await h.scoFrame(page, 'valuation/index.html');
	await lesson.click('#next-page');
	await page.waitForTimeout(400);
	await page.screenshot({path: out});
	await browser.close();
	await player.stop();
	console.log('wrote ' + out);
});
