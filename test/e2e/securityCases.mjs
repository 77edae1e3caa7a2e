// Security cases for test/e2e/workflows, in the shape documented at the top of cases.mjs. They run
// our nodes in a real n8n 2.41.1, so they prove what n8n itself does with the options we pass
// (disableFollowRedirect, sendCredentialsOnCrossOriginRedirect) and not only the unit tests'
// emulation of its credential helper. The secret scan of scripts/e2e.mjs covers these runs too.
import assert from 'node:assert/strict';

import { assertSucceeded, count, pairedIndexes } from './assertions.mjs';

/** What reached the sandbox's foreign host (another origin), with secrets named by label only. */
async function foreignHost(sandboxUrl) {
	const response = await fetch(new URL('/__sandbox/foreign-host', sandboxUrl));
	assert.equal(response.status, 200, 'the sandbox reports its foreign host');
	return await response.json();
}

/** The one item an error-tolerant node put out. */
function onlyItem(ctx, node) {
	const items = ctx.output(node);
	assert.ok(Array.isArray(items), `node "${node}" ran`);
	assert.equal(items.length, 1, `node "${node}": one item`);
	return items[0].json;
}

/**
 * Every token the sandbox ever handed out (rotated and renewed ones too, which n8n no longer
 * stores) must be absent from what n8n printed for this case.
 */
async function assertNoIssuedTokenPrinted(ctx) {
	const issued = await (await fetch(new URL('/__sandbox/issued-tokens', ctx.sandboxUrl))).json();
	const printed = `${ctx.stdout}\n${ctx.stderr}`;
	const shown = [...issued.jpo, ...issued.patsnap].filter((token) => printed.includes(token));
	assert.deepEqual(shown.map((token) => `${token.slice(0, 4)}… (${token.length} chars)`), [], 'no issued token in n8n output');
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Requests to one path, as the sandbox logged them: [httpStatus, fault]. */
function outcomes(requests, path) {
	return requests.filter((request) => request.path === path).map((request) => [request.httpStatus, request.fault]);
}

export default [
	{
		// The sandbox redirects a JPO login, a JPO call, a PatSnap login, a PatSnap call with a token
		// (and its apikey=<client id> query) and one with an sk- key to a host on another origin, and
		// one JPO call to its own origin. Nothing may reach the other host; each node says why it stopped.
		// A control node sends a request through n8n's helper with n8n's defaults to show what would
		// happen otherwise (and that the foreign host notices).
		workflow: 'security-cross-host-redirect.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			await assertNoIssuedTokenPrinted(ctx);
			const foreign = await foreignHost(ctx.sandboxUrl);
			// Only the control node's request got there: n8n's helper with its defaults followed the
			// redirect and took the Authorization header along. None of our nodes' requests did.
			assert.deepEqual(
				foreign.requests.map((request) => `${request.method} ${request.path} authorization=${request.authorization} secrets=${request.secretsSeen.join('+') || 'none'}`),
				['GET /api/patent/v1/app_progress/2019012345 authorization=bearer secrets=none'],
				'nothing of our nodes reached the other host',
			);
			assert.deepEqual(onlyItem(ctx, 'Control: n8n defaults follow'), { answeredBy: 'foreign host' });
			const other = escape(foreign.url);
			const sandbox = escape(ctx.sandboxUrl);

			const jpoLogin = onlyItem(ctx, 'JPO token URL redirected');
			assert.equal(jpoLogin.errorKind, 'auth', 'a redirected JPO login is a credential problem');
			assert.match(
				jpoLogin.error,
				new RegExp(`^JPO: The JPO token URL ${sandbox}/auth/token answered with a redirect \\(HTTP 307\\) to ${other}/auth/token\\. It was not followed, so the password was not sent there\\.`),
			);

			const jpoData = onlyItem(ctx, 'JPO call redirected to another host');
			assert.equal(jpoData.errorKind, 'configuration');
			assert.equal(jpoData.error, `JPO: JPO answered with a redirect to another host (${foreign.url}); it was not followed, so the access token was not sent there`);
			assert.match(jpoData.errorDescription, /Check the API Base URL of the JPO credential/);

			const sameOrigin = onlyItem(ctx, 'JPO call redirected on the same host');
			assert.equal(sameOrigin.found, true, `a same-origin redirect is followed: ${sameOrigin.error ?? ''}`);
			assert.equal(sameOrigin.applicationNumber, '2021034567');

			const patSnapLogin = onlyItem(ctx, 'PatSnap token endpoint redirected');
			assert.equal(patSnapLogin.errorKind, 'auth', 'a redirected PatSnap login is a credential problem, as for JPO');
			assert.equal(
				patSnapLogin.error,
				`PatSnap: The PatSnap token endpoint ${ctx.sandboxUrl}/oauth/token answered with a redirect (HTTP 307) to ${foreign.url}/oauth/token. It was not followed, so the client secret was not sent there. Check the Environment (and Base URL) of the credential.`,
			);
			for (const node of ['PatSnap token call redirected', 'PatSnap API-key call redirected']) {
				const item = onlyItem(ctx, node);
				assert.equal(item.errorKind, 'configuration', node);
				assert.equal(item.error, `PatSnap: PatSnap answered with a redirect to another host (${foreign.url}); it was not followed, so the token or API key was not sent there`, node);
			}

			// Each redirect was answered once and never retried; the same-origin hop was followed once.
			const tokenCalls = (api) => count(ctx.requests, { api, kind: 'token' });
			assert.deepEqual(tokenCalls('jpo')[0], { ...tokenCalls('jpo')[0], httpStatus: 307, fault: 'redirect' }, 'first JPO login redirected');
			assert.ok(tokenCalls('jpo').slice(1).every((request) => request.httpStatus === 200 && request.fault === null), 'later JPO logins answered');
			assert.deepEqual(tokenCalls('patsnap')[0], { ...tokenCalls('patsnap')[0], httpStatus: 307, fault: 'redirect' }, 'first PatSnap login redirected');
			assert.deepEqual(outcomes(ctx.requests, '/api/patent/v1/app_progress/2020045678'), [[302, 'redirect']]);
			assert.deepEqual(outcomes(ctx.requests, '/api/patent/v1/app_progress_simple/2021034567'), [
				[307, 'redirect'],
				[200, null],
			]);
			assert.ok(
				count(ctx.requests, { path: '/api/patent/v1/app_progress_simple/2021034567' }).every((request) => request.authorization === 'bearer'),
				'the token is applied again on the same-origin hop',
			);
			assert.deepEqual(outcomes(ctx.requests, '/basic-patent-data/legal-status'), [[302, 'redirect']]);
			assert.deepEqual(outcomes(ctx.requests, '/basic-patent-data/simple-legal-status'), [[308, 'redirect']]);
			// The Location the sandbox sent carried the query along, apikey=<client id> included, and the
			// sk- key was in the Authorization header: neither went on to the other host.
			const [tokenCall] = count(ctx.requests, { path: '/basic-patent-data/legal-status' });
			assert.deepEqual([tokenCall.authorization, tokenCall.query.apikey], ['bearer', 'sandbox-client']);
			const [keyCall] = count(ctx.requests, { path: '/basic-patent-data/simple-legal-status' });
			assert.deepEqual([keyCall.authorization, keyCall.query.apikey], ['bearer', undefined], 'the API-key credential sends its key as a bearer token');
		},
	},
	{
		// Max Answer Size (MB): the 12 MiB JPO archive behind a download link fails its item at 1 MB while
		// the next item is answered; a PatSnap batch of ten bibliographies (about 17 KB) fails at 0.01 MB.
		workflow: 'security-max-answer-size.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			await assertNoIssuedTokenPrinted(ctx);
			const jpo = ctx.output('JPO archives up to 1 MB');
			assert.equal(jpo.length, 2, 'one item per application');
			assert.deepEqual(jpo.map(pairedIndexes), [[0], [1]]);
			assert.equal(jpo[0].json.errorKind, 'unexpected');
			assert.match(jpo[0].json.error, /^JPO: The large JPO archive behind the download link is 12 MB \(\d{8} bytes\), more than Max Answer Size \(MB\) allows \(1 MB\)$/);
			assert.match(jpo[0].json.errorDescription, /^Raise Max Answer Size \(MB\) in the node options/);
			assert.match(String(jpo[1].json.fileName), /\.zip$/, `the small archive is answered: ${jpo[1].json.error ?? ''}`);
			assert.equal(count(ctx.requests, { api: 'jpo', kind: 'download' }).length, 1, 'the big archive was fetched once, not again');

			const patSnap = ctx.output('PatSnap answers up to 0.01 MB');
			assert.equal(patSnap.length, 10, 'one item per patent');
			for (const item of patSnap) {
				assert.equal(item.json.errorKind, 'unexpected');
				assert.match(item.json.error, /^PatSnap: The PatSnap answer \(P012 Get Bibliography, batch 1 of 1\) is 0\.0\d+ MB \(\d+ bytes\), more than Max Answer Size \(MB\) allows \(0\.01 MB\)$/);
			}
			assert.equal(count(ctx.requests, { api: 'patsnap', kind: 'data' }).length, 1, 'one batch call, not repeated');
		},
	},
];
