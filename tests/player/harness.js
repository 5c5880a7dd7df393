/*
 * What the player's browser tests share: find the somo binary, chromium,
 * playwright-core and the corpus (exit 77, SKIPPED, when one is missing),
 * start `somo play` and stop it with SIGINT, open the launcher in headless
 * Chromium, read the store back through `somo export`.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const {spawn, execFileSync} = require('child_process');

const SKIP = 77;
const sourceDir = process.env.SOMO_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const buildDir = process.env.SOMO_BUILD_DIR || path.join(sourceDir, 'build');
const somoBin = process.env.SOMO_BIN || path.join(buildDir, 'somo');
const chromiumPath = process.env.SOMO_CHROMIUM || '/usr/bin/chromium';

function skip(why) {
	console.log('SKIPPED: ' + why);
	process.exit(SKIP);
}

function playwright() {
	const mod = path.join(sourceDir, 'tools', 'node_modules', 'playwright-core');
	if (!fs.existsSync(mod)) {
		skip('tools/node_modules/playwright-core is not installed (npm ci in tools/)');
	}
	if (!fs.existsSync(chromiumPath)) {
		skip(chromiumPath + ' is missing (apt-get install chromium)');
	}
	return require(mod);
}

function corpus(rel) {
	const dir = process.env.SOMO_CORPUS_DIR || path.join(sourceDir, '..', 'shared', 'corpus');
	const p = path.join(dir, rel);
	if (!fs.existsSync(p)) {
		skip('the corpus is not at ' + p);
	}
	return p;
}

const made = [];

function tmpdir(tag) {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'somo-player-' + tag + '-'));
	made.push(d);
	return d;
}

function check(cond, what) {
	if (!cond) {
		throw new Error('check failed: ' + what);
	}
	console.log('ok - ' + what);
}

function equal(got, want, what) {
	const g = JSON.stringify(got), w = JSON.stringify(want);
	if (g !== w) {
		throw new Error('check failed: ' + what + '\n  got:  ' + g + '\n  want: ' + w);
	}
	console.log('ok - ' + what);
}

/* Start `somo play`; resolves with {url, proc, stop()} once the URL is printed. */
function play(pkg, args) {
	if (!fs.existsSync(somoBin)) {
		throw new Error('the somo binary is not built: ' + somoBin);
	}
	return new Promise((resolve, reject) => {
		const proc = spawn(somoBin, ['play', pkg].concat(args || []), {stdio: ['ignore', 'pipe', 'pipe']});
		let out = '', err = '';
		const timer = setTimeout(() => reject(new Error('somo play printed no URL: ' + err)), 10000);
		proc.stderr.on('data', d => { err += d; });
		proc.stdout.on('data', d => {
			out += d;
			const m = out.match(/^(http:\/\/127\.0\.0\.1:\d+\/)\n/);
			if (m) {
				clearTimeout(timer);
				resolve({
					url: m[1],
					proc,
					stderr: () => err,
					stop: () => new Promise(res => {
						if (proc.exitCode !== null) {
							return res(proc.exitCode);
						}
						proc.on('exit', code => res(code));
						proc.kill('SIGINT');
					})
				});
			}
		});
		proc.on('exit', code => {
			clearTimeout(timer);
			reject(new Error('somo play exited with ' + code + ': ' + err));
		});
	});
}

async function browser(pw) {
	return pw.chromium.launch({
		executablePath: chromiumPath,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
}

function exportLearner(db, learner) {
	const out = execFileSync(somoBin, ['export', learner, '--json', '--db', db], {encoding: 'utf8'});
	return JSON.parse(out);
}

/* What the launcher shows: the table of contents and the buttons. */
async function launcherView(page) {
	return page.evaluate(() => {
		const toc = Array.from(document.querySelectorAll('#toc-list .toc-entry')).map(li => ({
			id: li.dataset.id,
			selectable: li.querySelector('button.toc-item') !== null,
			current: li.classList.contains('current')
		}));
		const buttons = {};
		['previous', 'continue', 'suspendAll', 'exit', 'exitAll'].forEach(r => {
			const b = document.getElementById('nav-' + r);
			buttons[r] = b.hidden ? 'hidden' : (b.disabled ? 'disabled' : 'enabled');
		});
		return {toc, buttons};
	});
}

/* What the launcher should show for a state from the player. */
function expectedView(s) {
	const toc = [];
	s.toc.forEach((e, i) => {
		if (!e.visible || (i === 0 && s.toc.length > 1 && e.depth === 0)) {
			return;
		}
		toc.push({id: e.id, selectable: e.choosable, current: e.current});
	});
	const buttons = {};
	['previous', 'continue', 'suspendAll', 'exit', 'exitAll'].forEach(r => {
		buttons[r] = s.hide.indexOf(r) >= 0 ? 'hidden' : (s.valid[r] && s.current ? 'enabled' : 'disabled');
	});
	return {toc, buttons};
}

/* The launcher's view matches the session's state right now. */
async function checkView(page, what) {
	await page.waitForFunction(() => !!window.somoLauncher);
	const s = await page.evaluate(() => window.somoLauncher.state());
	const view = await launcherView(page);
	equal(view, expectedView(s), what + ': table of contents and buttons as sequencing says');
	return s;
}

/* The content frame (the SCO) once it has loaded url (a substring). */
async function scoFrame(page, urlPart) {
	for (let i = 0; i < 200; i++) {
		const f = page.frames().find(fr => fr.url().indexOf(urlPart) >= 0);
		if (f) {
			await f.waitForLoadState('load');
			return f;
		}
		await page.waitForTimeout(50);
	}
	throw new Error('no frame loaded ' + urlPart);
}

async function main(fn) {
	try {
		await fn();
		console.log('PASS');
		/* kept after a failure, for a look at the store */
		made.forEach(d => fs.rmSync(d, {recursive: true, force: true}));
		process.exit(0);
	} catch (e) {
		console.error(e && e.stack ? e.stack : e);
		process.exit(1);
	}
}

module.exports = {skip, playwright, corpus, tmpdir, check, equal, play, browser, exportLearner,
	launcherView, expectedView, checkView, scoFrame, main, sourceDir, somoBin, SKIP};
