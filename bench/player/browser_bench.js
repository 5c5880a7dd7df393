/*
 * The player's timings that need a browser or a fresh process:
 *
 *   roundtrip  median and 90th percentile of one SetValue from page script to
 *              the session in C and back (a synchronous XHR), in headless
 *              Chromium, on the sample course's introduction
 *   floor      the same synchronous XHR loop against a trivial Node.js
 *              server answering the same JSON: what the browser itself costs
 *   server     the same SetValue POSTed from Node.js over a kept-alive
 *              connection, no browser: the player's own share
 *   startup    time from starting `somo play` to the first byte of the
 *              launcher page, median of several starts
 *
 *   floor_c    (with FLOOR_URL, bench/player/floor_server.c) the same loop
 *              against the least libmicrohttpd server, by POST and by GET
 *
 *   node browser_bench.js SOMO_BIN SOURCE_DIR [CALLS] [STARTS] [FLOOR_URL]
 * Prints one JSON object.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const {spawn} = require('child_process');

const somo = process.argv[2];
const sourceDir = process.argv[3];
const calls = Number(process.argv[4] || 5000);
const starts = Number(process.argv[5] || 15);
const floorC = process.argv[6] || null;
const course = path.join(sourceDir, 'examples', 'courses', 'customs-clearance-basics');
/* n synchronous XHRs (after 200 to warm up) from a page of base; times in ms */
async function floor(page, base, method, n) {
	await page.goto(base);
	return page.evaluate(([m, count]) => {
		const t = [];
		for (let i = 0; i < count + 200; i++) {
			const a = performance.now();
			const body = JSON.stringify({token: 'x', call: 'SetValue', args: ['cmi.suspend_data', 'page ' + i]});
			const x = new XMLHttpRequest();
			if (m === 'GET') {
				x.open('GET', '/api?q=' + encodeURIComponent(body), false);
				x.send(null);
			} else {
				x.open('POST', '/api', false);
				x.setRequestHeader('Content-Type', 'application/json');
				x.send(body);
			}
			JSON.parse(x.responseText);
			if (i >= 200) {
				t.push(performance.now() - a);
			}
		}
		return t;
	}, [method, n]);
}

const {chromium} = require(path.join(sourceDir, 'tools', 'node_modules', 'playwright-core'));

function play(db, port) {
	return new Promise((resolve, reject) => {
		const t0 = process.hrtime.bigint();
		const proc = spawn(somo, ['play', course, '--db', db, '--port', String(port || 0)],
			{stdio: ['ignore', 'pipe', 'ignore']});
		let out = '';
		proc.stdout.on('data', d => {
			out += d;
			const m = out.match(/^(http:\/\/127\.0\.0\.1:\d+\/)\n/);
			if (m) {
				resolve({url: m[1], proc, t0});
			}
		});
		proc.on('error', reject);
	});
}

function stop(proc) {
	return new Promise(res => {
		proc.on('exit', res);
		proc.kill('SIGINT');
	});
}

function firstByte(url) {
	return new Promise((resolve, reject) => {
		http.get(url, res => {
			res.once('data', () => {
				resolve(process.hrtime.bigint());
				res.destroy();
			});
		}).on('error', reject);
	});
}

function quantile(a, q) {
	const s = a.slice().sort((x, y) => x - y);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

(async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'somo-bench-player-'));
	const result = {};

	/* startup: spawn to first byte of GET / */
	const times = [];
	for (let i = 0; i < starts; i++) {
		const p = await play(path.join(dir, 'start-' + i + '.db'));
		const t1 = await firstByte(p.url);
		times.push(Number(t1 - p.t0) / 1e6);
		await stop(p.proc);
	}
	result.startup_ms_median = quantile(times, 0.5);
	result.startup_ms_min = Math.min.apply(null, times);

	/* round trips */
	const p = await play(path.join(dir, 'rt.db'));
	const browser = await chromium.launch({executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']});
	const page = await browser.newPage();
	await page.goto(p.url);
	for (let i = 0; i < 200; i++) {
		if (page.frames().some(f => f.url().indexOf('intro/index.html') >= 0)) {
			break;
		}
		await page.waitForTimeout(25);
	}
	await page.waitForTimeout(500); /* the SCO has initialised itself */
	const rt = await page.evaluate(n => {
		const api = window.API_1484_11;
		const t = [];
		for (let i = 0; i < 200; i++) { /* warm-up */
			api.SetValue('cmi.suspend_data', 'w' + i);
		}
		for (let i = 0; i < n; i++) {
			const a = performance.now();
			const ret = api.SetValue('cmi.suspend_data', 'page ' + i);
			t.push(performance.now() - a);
			if (ret !== 'true') {
				throw new Error('SetValue returned ' + ret + ', error ' + api.GetLastError());
			}
		}
		return t;
	}, calls);
	result.roundtrip_calls = calls;
	result.roundtrip_ms_median = quantile(rt, 0.5);
	result.roundtrip_ms_p90 = quantile(rt, 0.9);

	/* the player alone: the same calls from Node.js, connection kept alive */
	const token = await page.evaluate(() => document.querySelector('meta[name="somo-token"]').content);
	const port = Number(new URL(p.url).port);
	const agent = new http.Agent({keepAlive: true, maxSockets: 1});
	const post = body => new Promise((resolve, reject) => {
		const d = JSON.stringify(body);
		const r = http.request({host: '127.0.0.1', port, path: '/_somo/api', method: 'POST', agent,
			headers: {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(d)}},
		res => {
			let s = '';
			res.on('data', c => { s += c; });
			res.on('end', () => resolve(s));
		});
		r.on('error', reject);
		r.end(d);
	});
	const st = [];
	for (let i = 0; i < calls; i++) {
		const a = process.hrtime.bigint();
		const ret = await post({token, call: 'SetValue', args: ['cmi.suspend_data', 'node ' + i]});
		st.push(Number(process.hrtime.bigint() - a) / 1e6);
		if (ret.indexOf('"true"') < 0) {
			throw new Error('SetValue from Node.js: ' + ret);
		}
	}
	result.server_ms_median = quantile(st, 0.5);
	agent.destroy();

	/* the browser's floor: a trivial server, the same synchronous XHR */
	const srv = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.writeHead(200, {'Content-Type': req.method === 'GET' ? 'text/html' : 'application/json'});
			res.end(req.method === 'GET' ? '<!DOCTYPE html><title>floor</title>' : '{"ret":"true","err":"0"}');
		});
	});
	await new Promise(r => srv.listen(0, '127.0.0.1', r));
	const fl = await floor(page, 'http://127.0.0.1:' + srv.address().port + '/', 'POST', calls);
	result.floor_ms_median = quantile(fl, 0.5);
	srv.close();
	/* the same against the least libmicrohttpd server (floor_server.c), by
	 * POST as the player's API and by GET (no request body) */
	if (floorC) {
		result.floor_c_post_ms_median = quantile(await floor(page, floorC, 'POST', calls), 0.5);
		result.floor_c_get_ms_median = quantile(await floor(page, floorC, 'GET', calls), 0.5);
	}
	await browser.close();
	await stop(p.proc);
	fs.rmSync(dir, {recursive: true, force: true});
	console.log(JSON.stringify(result));
})().catch(e => {
	console.error(e);
	process.exit(1);
});
