/**
 * The PatSnap node's operations against the in-process sandbox: real HTTP, the real credential and
 * transport, and the sandbox's own limits, faults, billing log and Chinese mode deciding what
 * comes back. Billing is read from the sandbox request log (`billed`), never from our own code.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { runNode } from '../helpers/n8nContext';

const CLIENT_SECRET = 'sandbox-secret';
const API_KEY = 'sk-sandbox-demo-key-0000000000000000000000000000';

const clientCredentials = (sb: Sandbox) => ({
	patSnapApi: { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: CLIENT_SECRET, environment: 'custom', baseUrl: sb.url, accessToken: '' },
});
const apiKeyCredentials = (sb: Sandbox) => ({
	patSnapApi: { authMode: 'apiKey', apiKey: API_KEY, environment: 'custom', baseUrl: sb.url, accessToken: '' },
});

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const pairedIndex = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
const sum = (values: Array<number | null>) => values.reduce<number>((total, value) => total + (value ?? 0), 0);

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ port: 0 });
});
afterAll(async () => await sb.close());
beforeEach(() => {
	sb.reset();
	forgetSharedLimiters();
});

const PATHS: Record<string, string> = {
	P013: '/basic-patent-data/legal-status',
	P041: '/basic-patent-data/simple-legal-status',
	P048: '/advanced-patent-data/overseas-patent-documents',
	P069: '/search/patent/patent-search-pn',
	P056: '/patent-alert/create',
	P057: '/patent-alert/check',
	P058: '/patent-alert/update',
	P059: '/patent-alert/delete',
};
// Selected by path: the sandbox records a request that a fault answered under its path, not its code.
const dataCalls = (code?: string) => sb.requests({ api: 'patsnap', kind: 'data' }).filter((call) => !code || call.path === PATHS[code]);
const numbersSent = (call: { query: Record<string, string> }) => (call.query.patent_number ?? '').split(',').filter(Boolean).length;
const downloads = () => sb.requests({ api: 'patsnap', kind: 'download' });
const knownNumbers = (count: number, from = 0) => sb.data.patsnap.patents.slice(from, from + count).map((patent) => patent.pn);

/** One input item per entry; each entry is that item's parameters. */
function run(perItem: IDataObject[], options: { continueOnFail?: boolean; apiKey?: boolean } = {}) {
	return runNode({
		node: new PatSnap(),
		items: perItem.map(() => ({ json: {} })),
		parameters: (index) => perItem[index],
		credentials: options.apiKey ? apiKeyCredentials(sb) : clientCredentials(sb),
		continueOnFail: options.continueOnFail ?? false,
	});
}

const legalStatus = (numbers: string[], options: IDataObject = {}) =>
	numbers.map((number) => ({ resource: 'patent', operation: 'getLegalStatus', numbers: number, options }));

function expectEveryItemPaired(output: INodeExecutionData[], inputCount: number) {
	for (const item of output) {
		expect(item.pairedItem).toBeDefined();
		expect(pairedIndex(item)).toBeGreaterThanOrEqual(0);
		expect(pairedIndex(item)).toBeLessThan(inputCount);
	}
}

function expectNoSecrets(value: unknown, extra: string[] = []) {
	const text = JSON.stringify(value);
	for (const secret of [CLIENT_SECRET, API_KEY, ...extra].filter((entry) => entry.length >= 8)) expect(text).not.toContain(secret);
}

describe('batch endpoints: batching, duplicates and pairing', () => {
	it.each([
		[1, [1]],
		[100, [100]],
		[101, [100, 1]],
		[250, [100, 100, 50]],
	])('%i distinct numbers plus duplicates make calls of %j and one paired item per number', async (distinct, batchSizes) => {
		const known = knownNumbers(distinct);
		// Every tenth number is asked for again by a later item, in another spelling.
		const duplicates = known.filter((_, index) => index % 10 === 0).map((pn) => pn.toLowerCase());
		const numbers = [...known, ...duplicates];
		const { output } = await run(legalStatus(numbers));

		expect(output).toHaveLength(numbers.length);
		expect(output.map(pairedIndex)).toEqual(numbers.map((_, index) => index));
		expect(json(output).every((item) => item.found === true)).toBe(true);
		expect(json(output).map((item) => item.pn)).toEqual(numbers.map((number) => number.toUpperCase()));
		const calls = dataCalls('P013');
		expect(calls.map((call) => call.batchSize)).toEqual(batchSizes);
		// Duplicates are sent once, so PatSnap bills each distinct patent once.
		expect(sum(calls.map((call) => call.billed))).toBe(distinct);
	});

	it('mixes ids and numbers in one call and answers unknown ones with found: false, unbilled', async () => {
		const [first, second, third] = sb.data.patsnap.patents;
		const unknownId = '00000000-0000-4000-8000-000000000000';
		const { output } = await run(
			[first.patent_id, `${second.pn}, US0000001B1`, `${third.patent_id.toUpperCase()}\n${unknownId}`].map((numbers) => ({
				resource: 'patent',
				operation: 'getSimpleLegalStatus',
				numbers,
			})),
		);
		expect(json(output).map((item) => [item.query, item.found, item.pn ?? null])).toEqual([
			[first.patent_id, true, first.pn],
			[second.pn, true, second.pn],
			['US0000001B1', false, null],
			[third.patent_id.toUpperCase(), true, third.pn],
			[unknownId, false, null],
		]);
		expect(output.map(pairedIndex)).toEqual([0, 1, 1, 2, 2]);
		const [call] = dataCalls('P041');
		expect(dataCalls()).toHaveLength(1);
		expect(call.query.patent_id.split(',').sort()).toEqual([first.patent_id, third.patent_id, unknownId].sort());
		expect(call.query.patent_number.split(',').sort()).toEqual([second.pn, 'US0000001B1'].sort());
		expect(call.billed).toBe(3);
	});
});

describe('Translate Chinese Values', () => {
	const numbers = () => sb.data.patsnap.patents.map((patent) => patent.pn);

	it('turns every legal-status value the China host sends into the English the global host sends', async () => {
		const { output: english } = await run([{ resource: 'patent', operation: 'getLegalStatus', numbers: numbers() }]);
		sb.configure({ patsnap: { language: 'cn' } });
		const { output: raw } = await run([{ resource: 'patent', operation: 'getLegalStatus', numbers: numbers() }]);
		const { output: translated } = await run([
			{ resource: 'patent', operation: 'getLegalStatus', numbers: numbers(), options: { translateChineseValues: true } },
		]);

		const legal = (items: INodeExecutionData[]) => items.map((item) => item.json.patent_legal);
		// Without the option the values stay as PatSnap sent them.
		expect(legal(raw)).not.toEqual(legal(english));
		expect(JSON.stringify(legal(raw))).toMatch(/有效/);
		expect(legal(translated)).toEqual(legal(english));
		expect(json(translated).every((item) => (item._meta as IDataObject).untranslatedValues instanceof Array)).toBe(true);
		expect(json(translated).flatMap((item) => (item._meta as { untranslatedValues: string[] }).untranslatedValues)).toEqual([]);
		expect(sum(json(translated).map((item) => (item._meta as { translatedValues: number }).translatedValues))).toBeGreaterThan(300);
	});

	it('translates P041 too, keeps an unknown Chinese value and lists it', async () => {
		sb.data.patsnap.setLegalStatus('US10987654B2', { simple_legal_status: ['待定状态'] }, 20260101);
		sb.configure({ patsnap: { language: 'cn' } });
		const { output } = await run([
			{ resource: 'patent', operation: 'getSimpleLegalStatus', numbers: 'US10987654B2, US11223344B2', options: { translateChineseValues: true } },
		]);
		expect(output[0].json).toMatchObject({ simple_legal_status: ['待定状态'], _meta: { untranslatedValues: ['待定状态'], translatedValues: 0 } });
		expect(output[1].json).toMatchObject({ simple_legal_status: ['Active'], _meta: { untranslatedValues: [], translatedValues: 1 } });
	});
});

describe('batch endpoints: the error table against the sandbox', () => {
	const twoHundredFifty = () => knownNumbers(250);

	it.each([
		['67200002 too fast', { kind: 'patsnapError', code: 67200002 }],
		['67200100 busy', { kind: 'patsnapError', code: 67200100 }],
		['68300008 service error', { kind: 'patsnapError', code: 68300008 }],
		['HTTP 500', { kind: 'http5xx', status: 500 }],
		['HTTP 502', { kind: 'http5xx', status: 502 }],
		['HTTP 503', { kind: 'http5xx', status: 503 }],
	])('retries only the batch that failed with %s, and PatSnap bills each patent once', async (_, fault) => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', skip: 1, count: 1, ...(fault as { kind: 'patsnapError' }) });
		const numbers = twoHundredFifty();
		const { output } = await run(legalStatus(numbers));
		expect(json(output).every((item) => item.found === true)).toBe(true);
		const calls = dataCalls('P013');
		expect(calls.map((call) => [numbersSent(call), call.fault !== null, call.billed ?? 0])).toEqual([
			[100, false, 100],
			[100, true, 0],
			[100, false, 100],
			[50, false, 50],
		]);
		// The retry carried exactly the numbers of the failed batch.
		expect(calls[2].query.patent_number).toBe(calls[1].query.patent_number);
		expect(sum(calls.map((call) => call.billed))).toBe(250);
	});

	it('gives up after Max Attempts, failing only that batch\'s items under Continue On Fail', async () => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', skip: 1, kind: 'patsnapError', code: 68300008, count: 2 });
		const numbers = twoHundredFifty();
		const { output } = await run(legalStatus(numbers, { maxAttempts: 2 }), { continueOnFail: true });
		expect(output).toHaveLength(250);
		const failed = json(output).filter((item) => item.error);
		expect(failed).toHaveLength(100);
		expect(failed[0]).toMatchObject({ errorKind: 'transient', errorCode: 68300008 });
		expect(String(failed[0].errorDescription)).toMatch(/Attempts made: 2/);
		expect(dataCalls('P013').map(numbersSent)).toEqual([100, 100, 100, 50]);
		expect(sum(dataCalls('P013').map((call) => call.billed))).toBe(150);
	});

	it.each([
		[67200004, 'configuration', /No permission for P013 Get Legal Status, or the package quota for it is used up/, /Check the APIs included in your PatSnap package/],
		[67200005, 'quota', /Insufficient balance/, /Top up the PatSnap account balance/],
		[67200006, 'configuration', /This client has expired/, /Renew the PatSnap client/],
		[67200007, 'quota', /daily call limit is used up/, /resets the next day/],
	])('%i stops the run: fetched results kept, the rest error items, nothing retried', async (code, kind, message, advice) => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', skip: 1, kind: 'patsnapError', code });
		const numbers = twoHundredFifty();
		const { output } = await run(legalStatus(numbers), { continueOnFail: true });
		expect(output).toHaveLength(250);
		expect(output.map(pairedIndex)).toEqual(numbers.map((_, index) => index));
		expect(json(output).slice(0, 100).every((item) => item.found === true)).toBe(true);
		const failed = json(output).slice(100);
		expect(failed.every((item) => item.errorKind === kind && item.errorCode === code)).toBe(true);
		expect(String(failed[0].error)).toMatch(message);
		expect(String(failed[0].errorDescription)).toMatch(advice);
		expect(failed.slice(0, 100).some((item) => item.notAttempted)).toBe(false);
		expect(failed.slice(100).every((item) => item.notAttempted === true)).toBe(true);
		// The refused batch was sent once; the third was never sent.
		expect(dataCalls('P013').map((call) => call.resultCode)).toEqual([0, code]);
		expect(sum(dataCalls('P013').map((call) => call.billed))).toBe(100);

		sb.reset();
		forgetSharedLimiters();
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', kind: 'patsnapError', code });
		const stopped = await run(legalStatus(numbers)).catch((error: Error & { description?: string }) => error);
		expect(stopped).toBeInstanceOf(Error);
		expect((stopped as Error).message).toMatch(message);
		expect((stopped as { description?: string }).description).toMatch(advice);
		expectNoSecrets([(stopped as Error).message, (stopped as { description?: string }).description]);
	});

	it('stops at the real sandbox balance (67200005) without paying twice', async () => {
		sb.configure({ patsnap: { balance: 150 } });
		const { output } = await run(legalStatus(twoHundredFifty()), { continueOnFail: true });
		expect(json(output).filter((item) => item.found === true)).toHaveLength(100);
		expect(json(output).filter((item) => item.errorCode === 67200005)).toHaveLength(150);
		expect(dataCalls('P013').map((call) => call.resultCode)).toEqual([0, 67200005]);
	});

	it('does not retry a billed batch whose answer was cut, unless Retry Unreadable Answers is on', async () => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', skip: 1, count: 1, kind: 'malformedJson' });
		const { output } = await run(legalStatus(twoHundredFifty()), { continueOnFail: true });
		const failed = json(output).filter((item) => item.error);
		expect(failed).toHaveLength(100);
		expect(failed[0]).toMatchObject({ errorKind: 'malformed' });
		expect(String(failed[0].errorDescription)).toMatch(/Retry Unreadable Answers/);
		expect(dataCalls('P013')).toHaveLength(3);
		// PatSnap billed the cut answer; nothing else was billed twice.
		expect(sum(dataCalls('P013').map((call) => call.billed))).toBe(250);

		sb.reset();
		forgetSharedLimiters();
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', skip: 1, count: 1, kind: 'malformedJson' });
		const retried = await run(legalStatus(twoHundredFifty(), { retryUnreadableAnswers: true }));
		expect(json(retried.output).every((item) => item.found === true)).toBe(true);
		// The documented cost of the option: the cut batch is paid twice.
		expect(sum(dataCalls('P013').map((call) => call.billed))).toBe(350);
	});

	it('keeps secrets out of outputs and out of error items', async () => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', skip: 1, kind: 'patsnapError', code: 67200004 });
		const { output, store } = await run(legalStatus(knownNumbers(150), { batchSize: 100 }), { continueOnFail: true });
		expectNoSecrets(output, [String(store.records.patSnapApi.accessToken)]);
	});
});

describe('P048 examination documents', () => {
	const documents = (numbers: string, extra: IDataObject = {}) => ({
		resource: 'patent',
		operation: 'getExaminationDocuments',
		numbers,
		returnAll: true,
		...extra,
	});

	it('pages past three pages with offset/limit until doc_count, one item per document', async () => {
		const { output } = await run([documents('US11223344B2', { options: { pageSize: 10 } })]);
		expect(output).toHaveLength(46);
		expect(output.every((item) => pairedIndex(item) === 0)).toBe(true);
		expect(json(output).map((item) => item.position)).toEqual(Array.from({ length: 46 }, (_, index) => index + 1));
		expect(new Set(json(output).map((item) => item.path)).size).toBe(46);
		expect(output[0].json).toMatchObject({ query: 'US11223344B2', found: true, patent_number: 'US11223344B2', doc_count: 46, _meta: { api: 'PatSnap P048', calls: 5 } });
		expect(output[0].json).toEqual(expect.objectContaining({ date: expect.any(Number), doc_code: expect.any(String), description: expect.any(String), page_number: expect.any(Number) }));
		const calls = dataCalls('P048');
		expect(calls).toHaveLength(5);
		expect(calls.every((call) => call.method === 'POST' && call.billed === 1)).toBe(true);
		expect(downloads()).toHaveLength(0);
		expect(output[0].binary).toBeUndefined();
	});

	it('stops at the Limit when Return All is off, asking only for what is missing', async () => {
		const { output } = await run([documents('US11223344B2', { returnAll: false, limit: 15, options: { pageSize: 10 } })]);
		expect(json(output).map((item) => item.position)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
		expect(dataCalls('P048')).toHaveLength(2);
	});

	it('sends date range and document codes as P048 filters', async () => {
		const { output } = await run([
			documents('US11223344B2', { filters: { documentCodes: 'ctnf; CTFR,NOA', dateFrom: '2015-01-01T00:00:00', dateTo: '20301231' } }),
		]);
		expect(output.length).toBeGreaterThan(2);
		expect(json(output).every((item) => ['CTNF', 'CTFR', 'NOA'].includes(String(item.doc_code)))).toBe(true);
		const all = await run([documents('US11223344B2')]);
		expect(json(all.output).filter((item) => ['CTNF', 'CTFR', 'NOA'].includes(String(item.doc_code)))).toHaveLength(output.length);
		const late = json(all.output).map((item) => Number(item.date)).sort()[40];
		const { output: recent } = await run([documents('US11223344B2', { filters: { dateFrom: String(late) } })]);
		expect(recent.length).toBeGreaterThan(0);
		expect(recent.length).toBeLessThan(46);
		expect(json(recent).every((item) => Number(item.date) >= late)).toBe(true);
	});

	it('downloads each PDF at once into binary, without credentials, and says when the link expires', async () => {
		const { output } = await run([documents('US11223344B2', { downloadPdfs: true, options: { pageSize: 20, binaryPropertyName: 'pdf' } })], { apiKey: true });
		expect(output).toHaveLength(46);
		for (const item of output) {
			const binary = item.binary!.pdf;
			expect(binary.mimeType).toBe('application/pdf');
			expect(Buffer.from(binary.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
			expect(item.json.fileName).toBe(binary.fileName);
			expect(String(item.json.fileName)).toMatch(/^US11223344B2_\d{8}_[A-Z.]+_\d+\.pdf$/);
		}
		const fetched = downloads();
		expect(fetched).toHaveLength(46);
		expect(fetched.every((request) => request.authorization === 'none' && request.httpStatus === 200 && !('apikey' in request.query))).toBe(true);
		const call = dataCalls('P048')[0];
		const expiresAt = Date.parse(String(output[0].json.pathExpiresAt));
		// The sandbox signs links for one hour from the call.
		expect(Math.abs(expiresAt - (call.at + 3_600_000))).toBeLessThanOrEqual(1000);
		expect(String(output[0].json.pathNote)).toContain(String(output[0].json.pathExpiresAt));
		expectNoSecrets(output);
	});

	it('fetches a PDF again after a 5xx, and refuses an expired link without a request', async () => {
		sb.faults.add({ api: 'patsnap', path: '/__pdf/', kind: 'http5xx', status: 503, count: 1 });
		const { output } = await run([documents('US20230123456A1', { downloadPdfs: true })]);
		expect(output).toHaveLength(26);
		expect(output.every((item) => item.binary?.data)).toBe(true);
		expect(downloads()).toHaveLength(27);

		sb.reset();
		forgetSharedLimiters();
		sb.configure({ patsnap: { pdfLinkTtlSeconds: 0 } });
		const expired = await run([documents('US20230123456A1', { downloadPdfs: true, returnAll: false, limit: 2 })], { continueOnFail: true });
		expect(json(expired.output).map((item) => item.errorKind)).toEqual(['unexpected', 'unexpected']);
		expect(String(expired.output[0].json.error)).toMatch(/expired/);
		expect(expired.output[0].json).toMatchObject({ found: true, doc_code: expect.any(String) });
		expect(downloads()).toHaveLength(0);
		await expect(run([documents('US20230123456A1', { downloadPdfs: true, returnAll: false, limit: 2 })])).rejects.toThrow(/expired/);
	});

	it('answers an unknown patent and a Chinese one (68300004) with found: false, not a failure', async () => {
		const { output } = await run([documents('US0000001B1'), documents('CN112345678A')]);
		expect(json(output)).toEqual([
			expect.objectContaining({ query: 'US0000001B1', found: false, reason: 'unknown' }),
			expect.objectContaining({ query: 'CN112345678A', found: false, reason: 'rejected', errorCode: 68300004 }),
		]);
		expect(String(output[1].json.message)).toMatch(/Chinese/);
		expect(output.map(pairedIndex)).toEqual([0, 1]);
		expect(dataCalls('P048').map((call) => call.billed ?? 0)).toEqual([0, 0]);
	});

	it('looks up by application number, and shares one fetch between items asking for the same patent', async () => {
		const patent = sb.data.patsnap.find('US20230123456A1')!;
		const { output } = await run([
			documents(patent.apno, { lookUpBy: 'applicationNumber' }),
			documents(patent.patent_id),
			documents('US20230123456A1'),
		]);
		expect(output).toHaveLength(3 * 26);
		expect(output.map(pairedIndex)).toEqual([...Array(26).fill(0), ...Array(26).fill(1), ...Array(26).fill(2)]);
		expect(json(output).every((item) => item.patent_id === patent.patent_id)).toBe(true);
		// apno, patent_id and patent_number are three different requests; repeats would share.
		expect(dataCalls('P048')).toHaveLength(3);
		const again = await run([documents('US20230123456A1'), documents('us20230123456a1')]);
		expect(again.output).toHaveLength(52);
		expect(dataCalls('P048')).toHaveLength(4);
	});

	it('retries a failed page alone, then continues paging', async () => {
		sb.faults.add({ api: 'patsnap', path: '/advanced-patent-data/', kind: 'patsnapError', code: 68300008, skip: 2, count: 1 });
		const { output } = await run([documents('US11223344B2', { options: { pageSize: 10 } })]);
		expect(new Set(json(output).map((item) => item.position)).size).toBe(46);
		const calls = dataCalls('P048');
		expect(calls.map((call) => call.resultCode)).toEqual([0, 0, 68300008, 0, 0, 0]);
		expect(sum(calls.map((call) => call.billed))).toBe(5);
	});

	it('keeps the pages fetched before a daily limit and marks later patents not attempted', async () => {
		sb.faults.add({ api: 'patsnap', path: '/advanced-patent-data/', kind: 'patsnapError', code: 67200007, skip: 2 });
		const { output } = await run([documents('US11223344B2', { options: { pageSize: 10 } }), documents('US20230123456A1')], { continueOnFail: true });
		expect(output).toHaveLength(22);
		expect(json(output).slice(0, 20).every((item) => item.found === true)).toBe(true);
		expect(output[20].json).toMatchObject({ query: 'US11223344B2', errorKind: 'quota', errorCode: 67200007, documentsFetched: 20 });
		expect(output[21].json).toMatchObject({ query: 'US20230123456A1', errorKind: 'quota', notAttempted: true });
		expect(output.map(pairedIndex)).toEqual([...Array(21).fill(0), 1]);
		expect(dataCalls('P048')).toHaveLength(3);
		await expect(run([documents('US11223344B2', { options: { pageSize: 10 } })])).rejects.toThrow(/daily call limit/);
	});

	it.each([
		[{ filters: { dateFrom: 'yesterday' } }, /Date From/],
		[{ filters: { dateFrom: '2025-02-01', dateTo: '2025-01-01' } }, /Date From/],
		[{ filters: { documentCodes: 'CTNF, N*A' } }, /Document Codes/],
		[{ returnAll: false, limit: 0 }, /Limit/],
		[{ numbers: 'not a number!' }, /Patents/],
		[{ numbers: '???', lookUpBy: 'applicationNumber' }, /Patents/],
	])('refuses %j before any call, naming the field', async (extra, field) => {
		const failure = await run([documents('US11223344B2', extra)]).catch((error: { description?: string }) => error);
		expect(String((failure as { description?: string }).description)).toMatch(field);
		expect(dataCalls()).toHaveLength(0);
	});
});

describe('P069 number lookup', () => {
	const lookup = (numbers: string, extra: IDataObject = {}) => ({ resource: 'patent', operation: 'lookUpNumbers', numbers, ...extra });

	it('resolves publication numbers with or without kind code, one call per distinct number', async () => {
		const us = sb.data.patsnap.find('US11223344B2')!;
		const { output } = await run([lookup('US11223344B2, US 11,223,344'), lookup('us11223344b2'), lookup('US0000001B1')]);
		expect(json(output).map((item) => [item.query, item.found, item.patent_id ?? null, item.pn ?? null])).toEqual([
			['US11223344B2', true, us.patent_id, 'US11223344B2'],
			// The thousands commas are read as part of the number, not as separators.
			['US 11223344', true, us.patent_id, 'US11223344B2'],
			['us11223344b2', true, us.patent_id, 'US11223344B2'],
			['US0000001B1', false, null, null],
		]);
		expect(output.map(pairedIndex)).toEqual([0, 0, 1, 2]);
		expect(output[0].json).toMatchObject({ apno: us.apno, matchCount: 1, totalMatches: 1, matches: [expect.objectContaining({ pn: 'US11223344B2' })] });
		const calls = dataCalls('P069');
		expect(calls).toHaveLength(3);
		expect(calls.map((call) => call.billed ?? 0)).toEqual([1, 1, 0]);
	});

	it('resolves application numbers and honours Authorities', async () => {
		const ep = sb.data.patsnap.find('EP3456789A1')!;
		const { output } = await run([lookup(ep.apno, { lookupNumberType: 'applicationNumber' })]);
		expect(output[0].json).toMatchObject({ found: true, pn: 'EP3456789A1', patent_id: ep.patent_id });
		const filtered = await run([lookup(ep.apno, { lookupNumberType: 'applicationNumber', options: { authorities: 'us, cn' } })]);
		expect(filtered.output[0].json).toMatchObject({ found: false });
		await expect(run([lookup(ep.apno, { options: { authorities: 'USA' } })])).rejects.toMatchObject({ description: expect.stringMatching(/Authorities/) });
	});

	it('retries 67200002 and stops on 67200005 with not-attempted items', async () => {
		sb.faults.add({ api: 'patsnap', path: '/search/', kind: 'patsnapError', code: 67200002, count: 1 });
		// Rules are tried in order and the first that fires wins: the second sees requests 2, 3, ...
		sb.faults.add({ api: 'patsnap', path: '/search/', kind: 'patsnapError', code: 67200005, skip: 1 });
		const { output } = await run([lookup('US11223344B2'), lookup('EP3456789A1'), lookup('US10987654B2')], { continueOnFail: true });
		expect(json(output).map((item) => item.found ?? item.errorCode)).toEqual([true, 67200005, 67200005]);
		expect(output[2].json.notAttempted).toBe(true);
		expect(dataCalls('P069').map((call) => call.resultCode)).toEqual([67200002, 0, 67200005]);
	});
});

describe('P056–P059 monitors', () => {
	const monitor = (operation: string, extra: IDataObject = {}) => ({ resource: 'monitor', operation, ...extra });

	it('creates, checks, updates and deletes a monitor project', async () => {
		const ep = sb.data.patsnap.find('EP3456789A1')!;
		const created = await run([monitor('create', { query: 'PN:(US11223344B2 OR EP3456789A1)', content: ['legal', 'transfer'], alertName: 'Docket watch' })]);
		const alertId = String(created.output[0].json.alert_id);
		expect(created.output[0].json).toMatchObject({ alert_name: 'Docket watch', number: 2, content: ['legal', 'transfer'], _meta: { api: 'PatSnap P056' } });
		expect(dataCalls('P056')[0].query).toMatchObject({ content: 'legal,transfer', query: 'PN:(US11223344B2 OR EP3456789A1)' });

		const quiet = await run([monitor('check', { alertId })]);
		expect(quiet.output[0].json).toMatchObject({ alert_id: alertId, hasUpdates: false, patentIds: [] });

		sb.data.patsnap.setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, 20260101);
		// Two items checking the same monitor share one call: a second call would find nothing new.
		const changed = await run([monitor('check', { alertId }), monitor('check', { alertId })]);
		expect(json(changed.output).map((item) => item.patentIds)).toEqual([[ep.patent_id], [ep.patent_id]]);
		expect(changed.output[0].json).toMatchObject({ hasUpdates: true, updates: [{ type: 'legal', count: 1, patent_ids: [ep.patent_id] }] });
		expect(dataCalls('P057')).toHaveLength(2);

		const updated = await run([monitor('update', { alertId, updateFields: { alertName: 'US only', query: 'PN:US11223344B2' } })]);
		expect(updated.output[0].json).toMatchObject({ alert_id: alertId, updated: true, number: 1, changed: { alert_name: 'US only', query: 'PN:US11223344B2' } });

		const deleted = await run([monitor('delete', { alertId })]);
		expect(deleted.output[0].json).toMatchObject({ alert_id: alertId, deleted: true });
		expect(dataCalls('P059')[0].method).toBe('DELETE');

		const gone = await run([monitor('check', { alertId })], { continueOnFail: true });
		expect(gone.output[0].json).toMatchObject({ errorKind: 'input', errorCode: 68300004 });
		expect(String(gone.output[0].json.error)).toMatch(/does not know monitor ID/);
		expect(sum(dataCalls().map((call) => call.billed))).toBe(0);
	});

	const validCreate = { query: 'PN:US11223344B2', content: ['legal'] };
	it.each([
		['create', { query: ' ', content: ['legal'] }, 'Query'],
		['create', { query: 'PN:US11223344B2', content: 'legal,weather' }, 'Alert On'],
		['create', { query: 'PN:US11223344B2', content: [] }, 'Alert On'],
		['create', { ...validCreate, alertName: 'x'.repeat(51) }, 'Name'],
		['check', { alertId: 'not an id' }, 'Monitor ID'],
		['delete', { alertId: '' }, 'Monitor ID'],
		['update', { updateFields: {} }, 'Update Fields'],
		['update', { updateFields: { content: 'sometimes' } }, 'Update Fields: Alert On'],
	])('%s refuses bad input before any call, naming the field (%#)', async (operation, bad, field) => {
		const created = await run([monitor('create', validCreate)]);
		const good = operation === 'create' ? validCreate : { alertId: created.output[0].json.alert_id, updateFields: { alertName: 'ok' } };
		const withId = (parameters: IDataObject) => monitor(operation, { alertId: created.output[0].json.alert_id, ...parameters });
		sb.clearRequests();

		const failure = (await run([withId(bad)]).catch((error: unknown) => error)) as { description?: string };
		expect(failure.description).toContain(`Field: ${field}`);
		expect(dataCalls()).toHaveLength(0);

		const { output } = await run([withId(bad), withId(good)], { continueOnFail: true });
		expect(output[0].json).toMatchObject({ errorKind: 'input' });
		expect(output[1].json.error).toBeUndefined();
		expect(output.map(pairedIndex)).toEqual([0, 1]);
		expect(dataCalls()).toHaveLength(1);
	});

	it('does not repeat a check whose answer was cut, but repeats an update', async () => {
		const created = await run([monitor('create', { query: 'PN:US11223344B2', content: ['legal'] })]);
		const alertId = String(created.output[0].json.alert_id);
		sb.faults.add({ api: 'patsnap', path: '/patent-alert/check', kind: 'malformedJson', count: 1 });
		const checked = await run([monitor('check', { alertId })], { continueOnFail: true });
		expect(checked.output[0].json).toMatchObject({ errorKind: 'malformed' });
		expect(dataCalls('P057')).toHaveLength(1);

		sb.faults.add({ api: 'patsnap', path: '/patent-alert/update', kind: 'malformedJson', count: 1 });
		const updated = await run([monitor('update', { alertId, updateFields: { alertName: 'renamed' } })]);
		expect(updated.output[0].json).toMatchObject({ updated: true, alert_name: 'renamed' });
		expect(dataCalls('P058')).toHaveLength(2);
	});

	it('stops every later item on 67200004 (no permission for monitors)', async () => {
		sb.faults.add({ api: 'patsnap', path: '/patent-alert/', kind: 'patsnapError', code: 67200004 });
		const { output } = await run([monitor('check', { alertId: 'a1' }), monitor('check', { alertId: 'a2' })], { continueOnFail: true });
		expect(json(output).map((item) => [item.errorCode, item.notAttempted ?? false])).toEqual([
			[67200004, false],
			[67200004, true],
		]);
		expectEveryItemPaired(output, 2);
		expect(dataCalls()).toHaveLength(1);
	});
});
