#!/usr/bin/env node
/*
 * A Learning Record Store for Somo's tests and benchmarks: Learning Locker's
 * xapi-statements (Statements, About, Activities) and xapi-activities
 * (Activity Profile) services in one process, with in-memory models, on
 * 127.0.0.1 only.
 *
 *   node tools/lrs/start-lrs.js PORT [STORAGE_DIR]      (PORT 0: any free port)
 *
 * Prints "ready http://127.0.0.1:PORT/xAPI/" on standard output once it
 * listens; SIGTERM or SIGINT stops it. Any Basic credentials are accepted
 * (their test auth repository), except the token "missing_token" (401).
 * Requests need "X-Experience-API-Version: 1.0.x".
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error('usage: start-lrs.js PORT [STORAGE_DIR]');
	process.exit(2);
}
const storage = process.argv[3] || fs.mkdtempSync(path.join(os.tmpdir(), 'somo-lrs-'));
fs.mkdirSync(storage, { recursive: true });

Object.assign(process.env, {
	MODELS_REPO: 'memory',
	AUTH_REPO: 'test',
	EVENTS_REPO: 'test',
	STORAGE_REPO: 'local',
	FS_LOCAL_STORAGE_DIR: storage,
	EXPRESS_PORT: String(port),
	EXPRESS_MORGAN_DIRECTORY: path.join(storage, 'accessLogs'),
	WINSTON_CONSOLE_LEVEL: process.env.SOMO_LRS_LOG_LEVEL || 'error',
	SERVICE_AWAIT_UPDATES: 'true',
	AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
});

const modules = path.join(__dirname, '..', 'node_modules');
const need = (pkg, file) => require(path.join(modules, pkg, 'dist', file)).default;
const express = require(require.resolve('express', { paths: [path.join(modules, 'xapi-statements')] }));

/* The Activity Profile service, as its own server.js builds it. */
const activities = (() => {
	const config = need('xapi-activities', 'config');
	return need('xapi-activities', 'expressPresenter')({
		bodyParserLimit: config.express.bodyParserLimit,
		customRoute: config.express.customRoute,
		customRouteText: config.express.customRouteText,
		logger: need('xapi-activities', 'logger'),
		morganDirectory: config.express.morganDirectory,
		service: need('xapi-activities', 'serviceFactory')(),
		tracker: need('xapi-activities', 'tracker'),
		translator: need('xapi-activities', 'translatorFactory')(),
	});
})();

/* The Statements service, as its own server.js builds it. */
const statements = (() => {
	const config = need('xapi-statements', 'config');
	return need('xapi-statements', 'expressPresenter')({
		llClientInfoEndpoint: config.llClientInfoEndpoint,
		customRoute: config.express.customRoute,
		customRouteText: config.express.customRouteText,
		morganDirectory: config.express.morganDirectory,
		bodyParserLimit: config.express.bodyParserLimit,
		service: need('xapi-statements', 'serviceFactory')(),
		tracker: need('xapi-statements', 'tracker'),
		translator: need('xapi-statements', 'translatorFactory')(),
		logger: need('xapi-statements', 'logger'),
	});
})();

const app = express();
/* The more specific route first: /xAPI/activities would take it otherwise. */
app.use('/xAPI/activities/profile', activities);
app.use('/xAPI/about', statements.aboutRouter);
app.use('/xAPI/activities', statements.fullActivitiesRouter);
app.use('/xAPI/statements', statements.statementsRouter);

const server = app.listen(port, '127.0.0.1', () => {
	process.stdout.write(`ready http://127.0.0.1:${server.address().port}/xAPI/\n`);
});
server.keepAliveTimeout = 60000;
server.on('error', (e) => {
	console.error(`start-lrs: ${e.message}`);
	process.exit(1);
});
const stop = () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 200).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
