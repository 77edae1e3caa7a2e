// Cases for test/e2e/workflows, in the shape documented at the top of cases.mjs; shared
// assertions are in assertions.mjs.
import assert from 'node:assert/strict';

import { assertOnePerInput, assertSucceeded, count, pairedIndexes } from './assertions.mjs';

/** PatSnap data calls to one endpoint, by path (a faulted call is logged under its path). */
function dataCalls(requests, path) {
	return requests.filter((r) => r.api === 'patsnap' && r.kind === 'data' && r.path === path);
}

const billed = (calls) => calls.reduce((total, r) => total + (r.billed ?? 0), 0);

export default [
	{
		// 250 input items, 220 distinct numbers: exactly three batched P013 calls, 250 paired items.
		workflow: 'patsnap-legal-status-250.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const items = ctx.output('PatSnap');
			assertOnePerInput(items, 250, 'PatSnap');
			const inputs = ctx.output('250 numbers').map((item) => item.json.number);
			assert.deepEqual(
				items.map((item) => item.json.query),
				inputs,
				'each output item answers the number of its own input item',
			);
			const found = items.filter((item) => item.json.found === true);
			assert.equal(found.length, 16, 'the eight seeded patents, each asked twice, are found');
			for (const item of found) assert.equal(item.json.pn, item.json.query, 'a found item carries its patent');
			assert.ok(
				items.filter((item) => item.json.found === false).every((item) => /no result/.test(item.json.message)),
				'unknown numbers are found: false items, not failures',
			);
			const calls = dataCalls(ctx.requests, '/basic-patent-data/legal-status');
			assert.equal(calls.length, 3, 'exactly three P013 calls for 220 distinct numbers');
			assert.deepEqual(
				calls.map((r) => r.batchSize),
				[100, 100, 20],
				'batches of 100, 100 and 20',
			);
			const sent = calls.flatMap((r) => r.query.patent_number.split(','));
			assert.equal(new Set(sent).size, 220, 'every distinct number sent exactly once');
			assert.equal(sent.length, 220, 'no number sent twice');
			assert.equal(billed(calls), 8, 'PatSnap billed the eight results it returned, once each');
			assert.equal(count(ctx.requests, { api: 'patsnap', kind: 'token' }).length, 1, 'one token fetch');
		},
	},
	{
		// P048 with Return All and Download PDFs: three pages of 20, 46 documents, 46 PDFs as binary.
		workflow: 'patsnap-examination-documents-pdf.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const items = ctx.output('PatSnap');
			assert.equal(items.length, 46, 'one output item per document');
			items.forEach((item, i) => {
				assert.ok(pairedIndexes(item).includes(0), `document ${i} paired with the one input item`);
				assert.equal(item.json.position, i + 1, 'documents in PatSnap order');
				assert.equal(item.json.patent_number, 'US11223344B2');
				const binary = item.binary?.data;
				assert.ok(binary, `document ${i} has its PDF in binary field "data"`);
				assert.equal(binary.mimeType, 'application/pdf', 'PDF mime type');
				assert.equal(binary.fileName, item.json.fileName, 'file name in json and binary');
				assert.match(binary.fileName, /^US11223344B2_\d{8}_[A-Z.]+_\d+\.pdf$/);
				assert.ok(Number(item.json.fileSize) > 100, 'the PDF has content');
				// n8n 2.x keeps binaries on disk and prints a reference; in memory mode the data is inline.
				if (binary.data === 'filesystem-v2') {
					assert.match(binary.id, /^filesystem-v2:/, 'binary stored by n8n');
					assert.equal(binary.bytes, item.json.fileSize, 'the stored file is the downloaded PDF');
				} else {
					assert.equal(Buffer.from(binary.data, 'base64').subarray(0, 5).toString(), '%PDF-', 'a real PDF');
				}
				assert.ok(!Number.isNaN(Date.parse(item.json.pathExpiresAt)), 'the link expiry is given');
				assert.match(item.json.pathNote, /valid until/);
			});
			const calls = dataCalls(ctx.requests, '/advanced-patent-data/overseas-patent-documents');
			assert.equal(calls.length, 3, 'three pages of up to 20');
			assert.ok(
				calls.every((r) => r.method === 'POST' && r.billed === 1),
				'P048 is a POST and each page that returns documents is billed once',
			);
			const pdfs = count(ctx.requests, { api: 'patsnap', kind: 'download' });
			assert.equal(pdfs.length, 46, 'each PDF fetched once');
			assert.ok(
				pdfs.every((r) => r.authorization === 'none' && r.httpStatus === 200 && !('apikey' in r.query)),
				'signed links fetched without bearer token or apikey',
			);
		},
	},
	{
		// The China host answers in Chinese; Translate Chinese Values gives the documented English.
		workflow: 'patsnap-chinese-values.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const items = ctx.output('PatSnap');
			assertOnePerInput(items, 4, 'PatSnap');
			assert.deepEqual(
				items.map((item) => [item.json.pn, item.json.patent_legal.simple_legal_status, item.json.patent_legal.legal_status]),
				[
					['US11223344B2', ['Active'], ['Granted']],
					['CN112345678A', ['Pending'], ['Examining']],
					['EP3210987B1', ['Inactive'], ['Revoked']],
					['WO2021123456A1', ['PCT designated period'], ['PCT published']],
				],
			);
			assert.deepEqual(items[0].json.patent_legal.event_status, ['Transfer', 'Litigation']);
			assert.deepEqual(items[2].json.patent_legal.event_status, ['Opposition']);
			for (const item of items) assert.deepEqual(item.json._meta.untranslatedValues, [], 'every value known');
			assert.equal(dataCalls(ctx.requests, '/basic-patent-data/legal-status').length, 1, 'one batched call');
		},
	},
	{
		// Monitor life cycle in one workflow, with the check feeding P013.
		workflow: 'patsnap-monitor-crud.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const [created] = ctx.output('Create monitor');
			assert.equal(typeof created.json.alert_id, 'string', 'create returns the monitor ID');
			assert.equal(created.json.number, 2, 'two patents watched');
			const [checked] = ctx.output('Check monitor');
			assert.equal(checked.json.alert_id, created.json.alert_id);
			assert.equal(checked.json.hasUpdates, true, 'the status change is reported');
			assert.equal(checked.json.patentIds.length, 1, 'one patent changed');
			const status = ctx.output('Legal status of updates');
			assertOnePerInput(status, 1, 'Legal status of updates');
			assert.equal(status[0].json.pn, 'EP3456789A1');
			assert.deepEqual(status[0].json.patent_legal.legal_status, ['Granted']);
			const [renamed] = ctx.output('Rename monitor');
			assert.equal(renamed.json.updated, true);
			assert.equal(renamed.json.alert_name, 'E2E renamed');
			const [deleted] = ctx.output('Delete monitor');
			assert.deepEqual([deleted.json.alert_id, deleted.json.deleted], [created.json.alert_id, true]);
			const sequence = ctx.requests.filter((r) => r.api === 'patsnap' && r.kind === 'data').map((r) => `${r.method} ${r.path}`);
			assert.deepEqual(sequence, [
				'GET /patent-alert/create',
				'GET /patent-alert/check',
				'GET /basic-patent-data/legal-status',
				'GET /patent-alert/update',
				'DELETE /patent-alert/delete',
			]);
		},
	},
	{
		// P069 turns numbers without kind code into patent IDs; P013 then looks them up by ID.
		workflow: 'patsnap-number-lookup.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);
			const found = ctx.output('Look up numbers');
			assertOnePerInput(found, 3, 'Look up numbers');
			assert.deepEqual(
				found.map((item) => [item.json.query, item.json.found, item.json.pn ?? null]),
				[
					['US11223344', true, 'US11223344B2'],
					['EP3456789', true, 'EP3456789A1'],
					['US0000001', false, null],
				],
			);
			const status = ctx.output('Legal status by ID');
			assertOnePerInput(status, 3, 'Legal status by ID');
			assert.deepEqual(
				status.slice(0, 2).map((item) => [item.json.found, item.json.pn, item.json.patent_id]),
				found.slice(0, 2).map((item) => [true, item.json.pn, item.json.patent_id]),
			);
			assert.equal(status[2].json.errorKind, 'input', 'the number P069 did not find has no ID to look up');
			assert.equal(dataCalls(ctx.requests, '/search/patent/patent-search-pn').length, 3, 'one P069 call per number');
			const p013 = dataCalls(ctx.requests, '/basic-patent-data/legal-status');
			assert.equal(p013.length, 1, 'the two IDs in one P013 call');
			assert.equal(p013[0].query.patent_id.split(',').length, 2);
		},
	},
];
