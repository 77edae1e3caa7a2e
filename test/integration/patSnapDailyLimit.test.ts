/**
 * The action node reports when PatSnap's daily limit (67200007) resets, for every kind of
 * operation, in the error item under Continue On Fail and in the error that stops the run without
 * it. The sandbox sends the refusal; the reset time is the next 00:00 in China (UTC+8).
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { runNode } from '../helpers/n8nContext';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ port: 0 });
});
afterAll(async () => await sb.close());
beforeEach(() => {
	sb.reset();
	forgetSharedLimiters();
});

const run = (parameters: IDataObject, continueOnFail: boolean) =>
	runNode({
		node: new PatSnap(),
		parameters,
		credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000', environment: 'custom', baseUrl: sb.url, accessToken: '' } },
		continueOnFail,
	});

const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** Computed here the plain way, independently of the node's code. */
const nextChinaMidnight = (nowMs: number) => Math.floor((nowMs + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - CHINA_OFFSET_MS;
const MESSAGE_RESET = /\. It is expected to reset at (\d{4}-\d\d-\d\d) 00:00 UTC\+8 \(in (\d+ h )?\d+ min\), when PatSnap's day starts in China; retrying before then will not help\.$/;
const RESET_SENTENCE = /expected to reset at 00:00 UTC\+8 \((\d{4}-\d\d-\d\d) 00:00 UTC\+8, in (\d+ h )?\d+ min\)/;

/** A run can straddle midnight in China: either side's reset is right. */
function expectResetBetween(resetsAtMs: number, before: number, after: number) {
	expect([nextChinaMidnight(before), nextChinaMidnight(after)]).toContain(resetsAtMs);
}

const OPERATIONS: Array<[string, IDataObject]> = [
	['a batch lookup (P013)', { resource: 'patent', operation: 'getLegalStatus', numbers: 'US11223344B2' }],
	['examination documents (P048)', { resource: 'patent', operation: 'getExaminationDocuments', numbers: 'US11223344B2', returnAll: true }],
	['a number lookup (P069)', { resource: 'patent', operation: 'lookUpNumbers', numbers: 'US11223344B2' }],
	['a monitor check (P057)', { resource: 'monitor', operation: 'check', alertId: '7f22ee78764149b481314b1fa60dca0c' }],
];

describe.each(OPERATIONS)('the daily limit stops %s', (_, parameters) => {
	it('with Continue On Fail: the error item carries the reset time and says when it is', async () => {
		sb.faults.add({ api: 'patsnap', kind: 'patsnapError', code: 67200007 });
		const before = Date.now();
		const { output } = await run(parameters, true);
		const after = Date.now();
		expect(output).toHaveLength(1);
		const item = output[0].json;
		expect(item).toMatchObject({ errorKind: 'quota', errorCode: 67200007 });
		expect(item.error).toMatch(/^PatSnap: The daily call limit is used up \(PatSnap error 67200007/);
		expectResetBetween(Date.parse(String(item.quotaResetsAt)), before, after);
		const sentence = RESET_SENTENCE.exec(String(item.errorDescription));
		expect(sentence?.[1]).toBe(new Date(Date.parse(String(item.quotaResetsAt)) + CHINA_OFFSET_MS).toISOString().slice(0, 10));
		// The message alone is what an AI Agent gives its model: it names the same moment.
		const inMessage = MESSAGE_RESET.exec(String(item.error));
		expect(inMessage?.[1]).toBe(sentence?.[1]);
	});

	it('without Continue On Fail: the message names the reset moment and that retrying will not help', async () => {
		sb.faults.add({ api: 'patsnap', kind: 'patsnapError', code: 67200007 });
		const stopped = (await run(parameters, false).catch((error: unknown) => error)) as Error & { failure?: { resetsAtEpochMs?: number } };
		const inMessage = MESSAGE_RESET.exec(stopped.message);
		expect(inMessage?.[1]).toBe(new Date(stopped.failure!.resetsAtEpochMs! + CHINA_OFFSET_MS).toISOString().slice(0, 10));
	});

	it('without Continue On Fail: the error says when the limit resets and tells n8n the time', async () => {
		sb.faults.add({ api: 'patsnap', kind: 'patsnapError', code: 67200007 });
		const before = Date.now();
		const stopped = await run(parameters, false).then(
			() => undefined,
			(error: Error & { description?: string; failure?: { cause?: string; resetsAtEpochMs?: number } }) => error,
		);
		const after = Date.now();
		expect(stopped?.message).toMatch(/^PatSnap: The daily call limit is used up \(PatSnap error 67200007/);
		expect(stopped?.description).toMatch(RESET_SENTENCE);
		expect(stopped?.failure?.cause).toBe('quota-exhausted');
		expectResetBetween(stopped!.failure!.resetsAtEpochMs!, before, after);
	});
});

describe('the words of a quota stop after some results were fetched', () => {
	const knownNumbers = (count: number) => sb.data.patsnap.patents.slice(0, count).map((patent) => patent.pn);
	const STOP_ADVICE = /(\d+) result\(s\) had been fetched before this stop, but a node that fails outputs none of them: set the node's On Error setting to Continue to get them/;

	it.each([
		['a batch lookup (P013)', { resource: 'patent', operation: 'getLegalStatus', options: { batchSize: 1 } }, 1],
		['a number lookup (P069)', { resource: 'patent', operation: 'lookUpNumbers' }, 1],
	])('without Continue On Fail, %s says how many results n8n will not output and how to get them', async (_, parameters, fetched) => {
		sb.faults.add({ api: 'patsnap', kind: 'patsnapError', code: 67200007, skip: 1 });
		const stopped = await run({ ...parameters, numbers: knownNumbers(3).join(', ') }, false).then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		expect(stopped?.description).toMatch(RESET_SENTENCE);
		expect(STOP_ADVICE.exec(String(stopped?.description))?.[1]).toBe(String(fetched));
		expect(stopped?.description).not.toMatch(/are kept/);
	});

	it('with Continue On Fail, the found results are output and the error items claim nothing about keeping them', async () => {
		sb.faults.add({ api: 'patsnap', kind: 'patsnapError', code: 67200007, skip: 1 });
		const { output } = await run({ resource: 'patent', operation: 'getLegalStatus', numbers: knownNumbers(3).join(', '), options: { batchSize: 1 } }, true);
		expect(output.map((item) => (item.json.found === true ? 'found' : item.json.errorCode))).toEqual(['found', 67200007, 67200007]);
		for (const item of output.slice(1)) {
			expect(item.json.errorDescription).toMatch(RESET_SENTENCE);
			expect(item.json.errorDescription).not.toMatch(/are kept|On Error/);
		}
	});

	it('a monitor run stopped without Continue On Fail counts the monitors already answered', async () => {
		const created = await run({ resource: 'monitor', operation: 'create', query: 'PN:US11223344B2', content: ['legal'] }, false);
		const alertId = String(created.output[0].json.alert_id);
		sb.faults.add({ api: 'patsnap', kind: 'patsnapError', code: 67200007, skip: 1 });
		const stopped = await runNode({
			node: new PatSnap(),
			items: [{ json: {} }, { json: {} }],
			parameters: (index: number) => ({ resource: 'monitor', operation: index === 0 ? 'update' : 'check', alertId, updateFields: { alertName: 'renamed' } }),
			credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000', environment: 'custom', baseUrl: sb.url, accessToken: '' } },
		}).then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		expect(STOP_ADVICE.exec(String(stopped?.description))?.[1]).toBe('1');
	});
});
