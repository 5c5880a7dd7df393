/*
 * A Tin Can package (tincan.xml) in headless Chromium through `somo play`:
 * the launch URL carries endpoint (the player's own /xapi/), auth, actor,
 * registration and activity_id; the content, from its frame, sends
 * statements and a state document there as a Tin Can library would; the
 * statements are in the outbox afterwards (`somo export`), invalid ones and
 * ones without the launch's credentials are refused.
 */
'use strict';

const path = require('path');
const h = require('./harness');

function lrsGet(lrs, id) {
	return h.lrsGet(lrs, 'statements?statementId=' + id);
}

/* In the content's frame: what TinCanJS does with the launch parameters. */
function sendFromContent(args) {
	const q = new URLSearchParams(location.search);
	const endpoint = q.get('endpoint'), auth = q.get('auth');
	const actor = JSON.parse(q.get('actor'));
	function req(method, url, body, withAuth) {
		const x = new XMLHttpRequest();
		x.open(method, endpoint + url, false);
		x.setRequestHeader('Content-Type', 'application/json');
		x.setRequestHeader('X-Experience-API-Version', '1.0.3');
		if (withAuth !== false) {
			x.setRequestHeader('Authorization', auth);
		}
		x.send(body === undefined ? null : JSON.stringify(body));
		return {status: x.status, text: x.responseText};
	}
	const ctx = {registration: q.get('registration'),
		contextActivities: {grouping: [{id: q.get('activity_id')}]}};
	const out = {};
	out.launched = req('POST', 'statements', {
		actor: actor, verb: {id: 'http://adlnet.gov/expapi/verbs/launched', display: {'en-US': 'launched'}},
		object: {id: q.get('activity_id'), objectType: 'Activity'}, context: ctx});
	out.completed = req('PUT', 'statements?statementId=' + args.id, {
		id: args.id, actor: actor,
		verb: {id: 'http://adlnet.gov/expapi/verbs/completed', display: {'en-US': 'completed'}},
		object: {id: q.get('activity_id')}, context: ctx,
		result: {completion: true, success: true, score: {scaled: 0.9}}});
	out.invalid = req('POST', 'statements', {actor: actor, verb: {id: 'completed'}, object: {id: 'x'}});
	out.noAuth = req('POST', 'statements', {actor: actor, verb: {id: 'http://adlnet.gov/expapi/verbs/completed'},
		object: {id: q.get('activity_id')}}, false);
	const stateUrl = 'activities/state?activityId=' + encodeURIComponent(q.get('activity_id')) +
		'&agent=' + encodeURIComponent(JSON.stringify(actor)) +
		'&registration=' + encodeURIComponent(q.get('registration')) + '&stateId=bookmark';
	out.putState = req('PUT', stateUrl, {page: 3});
	out.getState = req('GET', stateUrl);
	out.getStatement = req('GET', 'statements?statementId=' + args.id);
	return out;
}

h.main(async () => {
	const pkg = h.corpus('xapi/tincan-packages/elearning-module-parser/basic_course');
	const pw = h.playwright();
	const dir = h.tmpdir('tincan');
	const db = path.join(dir, 'somo.db');
	const browser = await h.browser(pw);
	const lrs = await h.startLrs(dir);
	const args = ['--db', db, '--learner', 'tc-1', '--name', 'Tin Can Learner'].concat(lrs.args);
	const player = await h.play(pkg, args);
	const page = await browser.newPage();
	page.on('pageerror', e => console.log('page error: ' + e));
	await page.goto(player.url);
	const frame = await h.scoFrame(page, 'index.html?endpoint=');

	const q = new URL(frame.url()).searchParams;
	h.equal(q.get('endpoint'), player.url + 'xapi/', 'endpoint is the player\'s own xAPI endpoint');
	h.check(/^Basic [A-Za-z0-9+/=]+$/.test(q.get('auth')), 'auth is a Basic credential');
	const actor = JSON.parse(q.get('actor'));
	h.equal([actor.name, actor.account && actor.account.name], ['Tin Can Learner', 'tc-1'],
		'actor names the learner');
	h.check(/^[0-9a-f-]{36}$/.test(q.get('registration')), 'registration is a UUID');
	h.equal(q.get('activity_id'), 'http://example.com/activities/basic-course',
		'activity_id is tincan.xml\'s launched activity');
	h.equal(await page.textContent('#title'), 'Basic xAPI Course', 'the launcher shows the activity\'s name');

	const id = 'f1d6a8a2-4a3e-4c55-9d2a-5b0e7f3c1a11';
	const r = await frame.evaluate(sendFromContent, {id});
	h.equal(r.launched.status, 200, 'a statement POSTed by the content is accepted');
	const launchedId = JSON.parse(r.launched.text)[0];
	h.check(/^[0-9a-f-]{36}$/.test(launchedId), 'it is given an id');
	h.equal(r.completed.status, 204, 'a statement PUT with its id is accepted');
	h.equal(r.invalid.status, 400, 'an invalid statement is refused');
	h.equal(r.noAuth.status, 401, 'a statement without the launch\'s credentials is refused');
	h.equal(r.putState.status, 204, 'a state document is stored');
	h.equal([r.getState.status, JSON.parse(r.getState.text)], [200, {page: 3}], 'and read back');
	h.equal(r.getStatement.status, 200, 'a sent statement can be read back by id');
	await page.close();
	h.equal(await player.stop(), 0, 'somo play stops cleanly');

	/* the outbox: exactly the two accepted statements */
	const ex = h.exportLearner(db, 'tc-1');
	const text = JSON.stringify(ex.statements || ex);
	h.check(text.indexOf(launchedId) >= 0, 'the launched statement is in the outbox');
	h.check(text.indexOf(id) >= 0, 'the completed statement is in the outbox');
	h.check(text.indexOf('"verb":{"id":"completed"') < 0, 'the invalid statement is not');
	h.equal((ex.statements || []).length, 2, 'the outbox holds the two accepted statements, nothing else');
	for (const sid of [launchedId, id]) {
		const got = await lrsGet(lrs, sid);
		h.equal([got.status, got.body && got.body.id], [200, sid], 'the LRS has statement ' + sid);
		h.equal(h.xapiInvalid(got.body), null, 'statement ' + sid + ' in the LRS is valid xAPI');
	}
	const got = await lrsGet(lrs, id);
	h.equal(got.body.result.score.scaled, 0.9, 'the LRS has the completed statement\'s score');
	await lrs.stop();
	await browser.close();
});
