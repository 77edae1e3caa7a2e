// Cases for test/e2e/workflows, in the shape documented at the top of cases.mjs; shared
// assertions are in assertions.mjs.
import assert from 'node:assert/strict';

import { assertOnePerInput, assertSucceeded, count } from './assertions.mjs';

export default [
	{
		workflow: 'jpo-docket.json',
		expect: async (ctx) => {
			assertSucceeded(ctx);

			const progress = ctx.output('Progress');
			assertOnePerInput(progress, 5, 'Progress');
			assert.deepEqual(
				progress.map((item) => [item.json.applicationNumber, item.json._meta.input.applicationNumber]),
				[
					['2020045678', '2020-045678'],
					['2021034567', '特願２０２１－０３４５６７'],
					['2024056789', '令和6年特許願第56789号'],
					['2019087654', 'JP2019087654'],
					['2018076543', '平成30年特許願第76543号'],
				],
				'five spellings read as the ten-digit numbers, each echoed beside what was sent',
			);
			for (const item of progress) {
				assert.equal(item.json.found, true);
				assert.match(item.json.filingDateIso, /^\d{4}-\d{2}-\d{2}$/, 'Simplify adds ISO dates in real n8n too');
			}

			const notices = ctx.output('Refusal notices');
			assert.ok(notices.length >= 1, 'at least one refusal notice extracted');
			const [notice] = notices;
			assert.equal(notice.json.documentCode, 'A131');
			assert.equal(notice.json.documentNameEn, 'Notice of reasons for refusal');
			assert.equal(notice.json.applicationNumber, '2021034567');
			assert.match(notice.json.draftingDateIso, /^\d{4}-\d{2}-\d{2}$/);
			assert.ok(notice.json.text.includes('６０日以内に意見書を提出'), 'the Shift_JIS body reads as Japanese text');
			assert.equal(notice.binary?.data?.mimeType, 'application/xml', 'the notice XML is attached as binary');
			assert.equal(notice.binary?.archive?.fileName, 'docContRefusalReason_2021034567.zip', 'the ZIP rides on the first document');

			const [reference] = ctx.output('Number reference');
			assert.equal(reference.json.applicationNumber, '2020045678', 'publication 特開2021-097352 belongs to 2020045678');
			assert.equal(reference.json._meta.sent.referenceNumber, '2021097352');

			assert.equal(count(ctx.requests, { api: 'jpo', kind: 'token' }).length, 1, 'one login for the whole workflow');
			const data = count(ctx.requests, { api: 'jpo', kind: 'data' });
			assert.equal(data.length, 7, 'five progress calls, one document call, one number reference');
			assert.ok(data.every((request) => request.httpStatus === 200 && request.resultCode !== '303'), 'no call was refused as too fast');
		},
	},
];
