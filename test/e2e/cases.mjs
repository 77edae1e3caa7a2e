// One case per workflow in test/e2e/workflows, run by scripts/e2e.mjs against a real n8n and the
// sandbox. `expect(ctx)` throws (node:assert) on failure; ctx has:
//   exitCode, result (n8n's execution JSON), error (result.data.resultData.error, if any),
//   output(nodeName) (that node's output items), requests (the sandbox request log for this case
//   only: the sandbox is reset before each case), sandboxUrl, workflow, stdout, stderr.
// `allowTokensInOutput: true` lets a case show tokens it fetched itself in its own output; the
// secret scan still fails if those tokens appear anywhere else.
import assert from 'node:assert/strict';

import { assertOnePerInput, assertSucceeded, count } from './assertions.mjs';
import jpoCases from './jpoCases.mjs';
import patSnapCases from './patSnapCases.mjs';
import securityCases from './securityCases.mjs';

export default [
	{
		// Proves the harness itself: n8n starts, imports and executes a workflow of built-in nodes.
		workflow: 'builtin-set.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			assert.deepEqual(
				ctx.output('Set').map((item) => item.json),
				[{ greeting: 'hello from n8n', answer: 42 }],
			);
			assert.equal(ctx.requests.length, 0, 'no sandbox traffic');
		},
	},
	{
		// Proves n8n reaches the sandbox: a plain HTTP Request node posts the JPO password grant.
		workflow: 'http-sandbox-token.json',
		allowTokensInOutput: true,
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const [item, ...rest] = ctx.output('Fetch JPO token');
			assert.equal(rest.length, 0, 'one item');
			assert.equal(typeof item.json.access_token, 'string', 'access_token in the token response');
			assert.ok(item.json.access_token.length > 0, 'non-empty access_token');
			const tokens = count(ctx.requests, { api: 'jpo', kind: 'token' });
			assert.equal(tokens.length, 1, 'one JPO token request recorded by the sandbox');
			assert.equal(tokens[0].httpStatus, 200, 'token request answered 200');
			assert.equal(tokens[0].credential, 'sandbox-user', 'token request made for the demo user');
		},
	},
	{
		// Our JPO node: three application numbers written differently, one progress call each.
		workflow: 'jpo-progress-smoke.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const items = ctx.output('JPO');
			assertOnePerInput(items, 3, 'JPO');
			// Each item carries the application's data, what was typed and what was sent.
			assert.deepEqual(
				items.map((item) => [item.json.found, item.json.applicationNumber, item.json._meta?.input?.applicationNumber]),
				[
					[true, '2020045678', '2020-045678'],
					[true, '2021034567', '特願2021-034567'],
					[true, '2019087654', 'JP2019087654'],
				],
			);
			for (const item of items) {
				assert.equal(item.json._meta.statusCode, '100', 'JPO status in the item metadata');
				assert.equal(typeof item.json._meta.remainAccessCount, 'number', 'remaining daily quota in the item metadata');
				assert.ok(Array.isArray(item.json.bibliographyInformation), 'progress history present');
			}
			const jpo = ctx.requests.filter((r) => r.api === 'jpo');
			const tokens = jpo.filter((r) => r.kind === 'token');
			const data = jpo.filter((r) => r.kind === 'data');
			assert.equal(tokens.length, 1, 'exactly one JPO token fetch for three items');
			assert.equal(data.length, 3, 'exactly three JPO data calls');
			for (const r of data) {
				assert.equal(r.endpoint, 'patent/app_progress', 'getProgress calls the app_progress API');
				assert.equal(r.httpStatus, 200, `data call ${r.path} answered 200`);
				assert.equal(r.resultCode, '100', `data call ${r.path}: JPO statusCode 100 (success)`);
				assert.equal(r.authorization, 'bearer', 'data calls carry the bearer token');
			}
			// The three spellings reach JPO as the 10-digit numbers, in input order.
			assert.deepEqual(
				data.map((r) => r.path.split('/').pop()),
				['2020045678', '2021034567', '2019087654'],
			);
			assert.equal(ctx.requests.filter((r) => r.api !== 'jpo').length, 0, 'no PatSnap traffic');
		},
	},
	{
		// Our PatSnap node: five patent numbers, one token fetch and ONE batched legal-status call.
		workflow: 'patsnap-legal-status-smoke.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const items = ctx.output('PatSnap');
			assertOnePerInput(items, 5, 'PatSnap');
			// Each result went back to the item that asked for it.
			assert.deepEqual(
				items.map((item) => [item.json.query, item.json.found, item.json.pn]),
				['US11223344B2', 'EP3456789A1', 'CN108765432B', 'US10987654B2', 'EP3210987B1'].map((pn) => [pn, true, pn]),
			);
			for (const item of items) {
				assert.ok(Array.isArray(item.json.patent_legal?.simple_legal_status), 'legal status present');
				assert.equal(item.json._meta.batchCalls, 1, 'one batched call reported in the metadata');
			}
			const patsnap = ctx.requests.filter((r) => r.api === 'patsnap');
			const tokens = patsnap.filter((r) => r.kind === 'token');
			const data = patsnap.filter((r) => r.kind === 'data');
			assert.equal(tokens.length, 1, 'exactly one PatSnap token fetch');
			assert.equal(data.length, 1, 'exactly one batched PatSnap data call for five numbers');
			assert.equal(data[0].endpoint, 'P013', 'getLegalStatus calls PatSnap P013 (legal status)');
			assert.equal(data[0].httpStatus, 200, 'batched call answered 200');
			assert.equal(data[0].batchSize, 5, 'the batched call carries all five numbers');
			assert.deepEqual(
				String(data[0].query.patent_number ?? '').split(',').sort(),
				['CN108765432B', 'EP3210987B1', 'EP3456789A1', 'US10987654B2', 'US11223344B2'],
				'the five numbers sent as patent_number',
			);
			assert.equal(ctx.requests.filter((r) => r.api !== 'patsnap').length, 0, 'no JPO traffic');
		},
	},
	...jpoCases,
	...patSnapCases,
	...securityCases,
];
