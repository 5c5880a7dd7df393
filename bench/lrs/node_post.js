#!/usr/bin/env node
/*
 * The LRS benchmark's reference side: a plain keep-alive POST loop sending
 * the statements of FILE (one JSON per line) in batches of BATCH, one
 * request after the other, as fast as the LRS answers.
 *
 *   node bench/lrs/node_post.js URL FILE BATCH
 */
'use strict';
const fs = require('fs');
const http = require('http');

const [url, file, batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
const bodies = [];
for (let i = 0; i < lines.length; i += batch) bodies.push('[' + lines.slice(i, i + batch).join(',') + ']');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const target = new URL('statements', url);
const auth = 'Basic ' + Buffer.from('bench:bench').toString('base64');

function post(body) {
	return new Promise((resolve, reject) => {
		const req = http.request(target, {
			method: 'POST', agent,
			headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
				'X-Experience-API-Version': '1.0.3', Authorization: auth },
		}, (res) => {
			res.resume();
			res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
		});
		req.on('error', reject);
		req.end(body);
	});
}

(async () => {
	const t0 = process.hrtime.bigint();
	for (const b of bodies) await post(b);
	const s = Number(process.hrtime.bigint() - t0) / 1e9;
	console.log(`node: ${lines.length} statements in ${s.toFixed(3)} s: ${Math.round(lines.length / s)}/s`);
	agent.destroy();
})().catch((e) => { console.error(`node_post: ${e.message}`); process.exit(1); });
