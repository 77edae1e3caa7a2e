// Checks of their own for the example workflows that `n8n execute` runs, on top of the generic one
// in scripts/e2e.mjs (the run succeeds; each of our nodes outputs paired items). Keyed by file
// name in examples/. The examples that start with a polling trigger are checked in docketWatch.mjs.
import assert from 'node:assert/strict';

import { assertOnePerInput, count } from './assertions.mjs';

export default {
	'patsnap-portfolio-report.json': async (ctx) => {
		const rows = ctx.output('One row per patent');
		assertOnePerInput(rows, 9, 'One row per patent');
		assert.deepEqual(
			rows.map((row) => row.json.reference),
			['ACME-001', 'ACME-002', 'ACME-003', 'ACME-004', 'ACME-005', 'ACME-006', 'ACME-007', 'ACME-008', 'ACME-009'],
			'one row per patent, in the portfolio order',
		);
		for (const { json } of rows.slice(0, 8)) {
			assert.equal(json.found, true, `${json.number} found`);
			assert.ok(json.simpleLegalStatus.length > 0, `${json.number}: a simple legal status`);
			assert.match(json.legalStatusDate, /^\d{4}-\d{2}-\d{2}$/, `${json.number}: legal status date`);
			assert.ok(json.simpleFamilySize >= 1, `${json.number}: its simple family (at least itself)`);
			assert.ok(json.simpleFamilyMembers.includes(json.number), `${json.number} is a member of its own simple family`);
		}
		const unknown = rows[8].json;
		assert.equal(unknown.number, 'US99999999B2');
		assert.equal(unknown.found, false);
		assert.equal(unknown.note, 'Not found in PatSnap', 'the unknown number keeps its row, saying why it is empty');

		const [table] = ctx.output('Portfolio table');
		assert.equal(ctx.output('Portfolio table').length, 1, 'one table for the whole portfolio');
		assert.equal(table.binary?.data?.fileName, 'portfolio-report.csv');
		assert.equal(table.binary?.data?.mimeType, 'text/csv');

		const data = count(ctx.requests, { api: 'patsnap', kind: 'data' });
		assert.deepEqual(
			data.map((request) => [request.endpoint, request.batchSize]),
			[
				['P014', 9],
				['P013', 9],
			],
			'one family call and one legal status call for the nine patents',
		);
	},
};
