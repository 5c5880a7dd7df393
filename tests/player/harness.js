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

/*
 * The project's test LRS (tools/lrs: Learning Locker's xapi-statements in
 * memory on 127.0.0.1), started for one test; SKIPPED when tools/lrs or its
 * packages are not installed. Resolves with {url, args, stop()}; args are
 * the `somo play` options that deliver the outbox to it.
 */
function startLrs(dir) {
	const script = path.join(sourceDir, 'tools', 'lrs', 'start-lrs.js');
	if (!fs.existsSync(script) ||
	    !fs.existsSync(path.join(sourceDir, 'tools', 'node_modules', 'xapi-statements'))) {
		skip('the test LRS (tools/lrs, tools/node_modules/xapi-statements) is not installed');
	}
	const pwfile = path.join(dir, 'lrs-password');
	fs.writeFileSync(pwfile, 'secret\n');
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, [script, '0', path.join(dir, 'lrs')],
			{stdio: ['ignore', 'pipe', 'inherit']});
		/* never left behind, whatever way the test ends */
		process.on('exit', () => { if (proc.exitCode === null) { proc.kill('SIGKILL'); } });
		let out = '';
		const timer = setTimeout(() => reject(new Error('the test LRS did not start')), 30000);
		proc.on('exit', code => {
			clearTimeout(timer);
			reject(new Error('the test LRS exited with ' + code));
		});
		proc.stdout.on('data', d => {
			out += d;
			const m = out.match(/ready (http\S+)/);
			if (m) {
				clearTimeout(timer);
				resolve({
					url: m[1],
					proc,
					args: ['--lrs', m[1], '--lrs-user', 'somo', '--lrs-password-file', pwfile],
					stop: () => new Promise(res => {
						if (proc.exitCode !== null) {
							return res();
						}
						proc.removeAllListeners('exit');
						proc.on('exit', () => res());
						proc.kill('SIGTERM');
					})
				});
			}
		});
	});
}

async function lrsGet(lrs, query) {
	const res = await fetch(lrs.url + query, {headers: {
		'X-Experience-API-Version': '1.0.3',
		'Authorization': 'Basic ' + Buffer.from('somo:secret').toString('base64')}});
	return {status: res.status, body: res.status === 200 ? await res.json() : null};
}

/* Every statement the LRS holds whose actor is this account, oldest first. */
async function lrsStatementsOf(lrs, home, name) {
	const agent = JSON.stringify({objectType: 'Agent', account: {homePage: home, name}});
	let r = await lrsGet(lrs, 'statements?ascending=true&limit=100&agent=' + encodeURIComponent(agent));
	if (r.status !== 200) {
		throw new Error('the LRS answered ' + r.status + ' to a statements query');
	}
	const all = r.body.statements.slice();
	for (let i = 0; r.body.more && i < 50; i++) {
		r = await lrsGet(lrs, r.body.more.replace(/^.*\/statements/, 'statements'));
		all.push(...r.body.statements);
	}
	return all;
}

/* `somo xapi validate` on one statement: null when valid, else its message. */
function xapiInvalid(st) {
	try {
		execFileSync(somoBin, ['xapi', 'validate', '-'], {input: JSON.stringify(st), encoding: 'utf8',
			stdio: ['pipe', 'pipe', 'pipe']});
		return null;
	} catch (e) {
		return String(e.stderr || e.stdout || e.message).trim() || 'invalid';
	}
}

const VERB = 'http://adlnet.gov/expapi/verbs/';

/*
 * The SCORM statements of a run, checked in the LRS: every statement of the
 * outbox (`somo export`) reached the LRS and is valid xAPI (`somo xapi
 * validate`), with the learner's account as actor, the registration of the
 * store, the course (base) as parent activity and an object under base, and
 * in grouping the course and the attempt activity of the xAPI SCORM profile
 * ("<object id>?attemptId=<registration>&attempt=<number>").
 * want: {base, scos: [item ids delivered, each initialized or resumed, then
 * terminated or suspended], results: {itemId: {verb, score}}} (score:
 * the score fields the statement must carry, or none). Returns the statements.
 */
async function checkScormStatements(lrs, db, learner, want) {
	const home = want.home || 'http://127.0.0.1/';
	const ex = exportLearner(db, learner);
	const outbox = ex.statements || [];
	const got = await lrsStatementsOf(lrs, home, learner);
	check(outbox.length > 0, 'the session put statements into the outbox (' + outbox.length + ')');
	const byId = {};
	got.forEach(st => { byId[st.id] = st; });
	equal(outbox.filter(st => !byId[st.id]).map(st => st.verb.id), [],
		'every statement of the outbox reached the LRS (' + got.length + ' there)');
	equal(got.length, outbox.length, 'the LRS holds the outbox\'s statements, no others');
	const regs = ex.registrations.map(r => r.id);
	const bad = [];
	got.forEach(st => {
		const why = xapiInvalid(st);
		const parent = (((st.context || {}).contextActivities || {}).parent || []).map(a => a.id);
		if (why) {
			bad.push(st.id + ': ' + why);
		}
		if (regs.indexOf(st.context && st.context.registration) < 0) {
			bad.push(st.id + ': registration ' + (st.context && st.context.registration));
		}
		if (parent.indexOf(want.base) < 0) {
			bad.push(st.id + ': parent ' + JSON.stringify(parent));
		}
		const grouping = (((st.context || {}).contextActivities || {}).grouping || []);
		const attemptOf = st.object.id + '?attemptId=' + (st.context && st.context.registration) +
			'&attempt=';
		if (!grouping.some(a => a.id === want.base) ||
		    !grouping.some(a => a.id.indexOf(attemptOf) === 0 &&
			/^[1-9][0-9]*$/.test(a.id.slice(attemptOf.length)) && a.definition &&
			a.definition.type === 'http://adlnet.gov/expapi/activities/attempt')) {
			bad.push(st.id + ': grouping ' + JSON.stringify(grouping));
		}
		if (st.object.id.indexOf(want.base) !== 0) {
			bad.push(st.id + ': object ' + st.object.id);
		}
		if (!st.actor.account || st.actor.account.name !== learner || st.actor.account.homePage !== home) {
			bad.push(st.id + ': actor ' + JSON.stringify(st.actor));
		}
	});
	equal(bad, [], 'each statement in the LRS is valid xAPI (somo xapi validate) and names the ' +
		'learner, the registration, the course as parent and an activity of the course, the ' +
		'course and the attempt in grouping');
	const verbsOf = id => got.filter(st => st.object.id === want.base + encodeURIComponent(id))
		.map(st => st.verb.id.replace(VERB, ''));
	want.scos.forEach(id => {
		const v = verbsOf(id);
		check(v.length > 0 && (v[0] === 'initialized' || v[0] === 'resumed'),
			id + ': its first statement is initialized or resumed (' + v.join(', ') + ')');
		check(v.indexOf('terminated') >= 0 || v.indexOf('suspended') >= 0,
			id + ': terminated or suspended is in the LRS');
	});
	Object.keys(want.results || {}).forEach(id => {
		const r = want.results[id];
		const st = got.filter(x => x.object.id === want.base + encodeURIComponent(id) &&
			x.verb.id === VERB + r.verb);
		check(st.length > 0, id + ': ' + r.verb + ' is in the LRS');
		if (r.score) {
			const score = (st[st.length - 1].result || {}).score || {};
			const picked = {};
			Object.keys(r.score).forEach(k => { picked[k] = score[k]; });
			equal(picked, r.score, id + ': ' + r.verb + ' carries the score ' + JSON.stringify(r.score));
		}
	});
	return got;
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

module.exports = {startLrs, lrsGet, lrsStatementsOf, xapiInvalid, checkScormStatements,
	skip, playwright, corpus, tmpdir, check, equal, play, browser, exportLearner,
	launcherView, expectedView, checkView, scoFrame, main, sourceDir, somoBin, SKIP};
