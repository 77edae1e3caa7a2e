/**
 * The nodes end to end against the in-process sandbox: real HTTP, the real credentials and
 * transports, and the sandbox's own quotas, windows and faults deciding what comes back.
 */
import { unzipSync } from 'fflate';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { findJpoEndpoint } from '../../nodes/Jpo/catalog';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { JpoTransport } from '../../nodes/Jpo/transport';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../../nodes/shared/http';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';
import { createExecuteContext, runNode } from '../helpers/n8nContext';

const jpoCredentials = (sb: Sandbox) => ({
	jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' },
});
const patSnapCredentials = (sb: Sandbox) => ({
	patSnapApi: { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', environment: 'custom', baseUrl: sb.url, accessToken: '' },
});
const json = (items: INodeExecutionData[]) => items.map((item) => item.json);

describe('JPO node against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, config: { jpo: { perMinute: { limit: 600, windowMs: 60_000 } } } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		sb.configure({ jpo: { perMinute: { limit: 600, windowMs: 60_000 } } });
		forgetSharedLimiters();
	});

	const jpoRun = (parameters: Record<string, unknown>[], continueOnFail = false) =>
		runNode({
			node: new Jpo(),
			items: parameters.map(() => ({ json: {} })),
			parameters: (index) => ({ options: { requestsPerMinute: 600 }, ...parameters[index] }),
			credentials: jpoCredentials(sb),
			continueOnFail,
		});

	it('fetches progress for numbers typed five different ways, with one login', async () => {
		const typed = ['2020045678', '2021-34567', '特願２０１９－０８７６５４', '令和6年特許願第56789号', 'JP2020099001'];
		const { output } = await jpoRun(typed.map((applicationNumber) => ({ resource: 'patent', operation: 'getProgress', applicationNumber })));
		expect(json(output).map((item) => item.applicationNumber)).toEqual(['2020045678', '2021034567', '2019087654', '2024056789', '2020099001']);
		expect(json(output).every((item) => item.found === true)).toBe(true);
		expect(output[2].json._meta).toMatchObject({ api: 'JPO 1-1', statusCode: '100', input: { applicationNumber: '特願２０１９－０８７６５４' } });
		expect(typeof (output[0].json._meta as { remainAccessCount: number }).remainAccessCount).toBe('number');
		expect(sb.tokenFetches('jpo')).toBe(1);
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(5);
	});

	it('answers an unknown number with found: false (107), not a failure', async () => {
		const { output } = await jpoRun([{ resource: 'patent', operation: 'getProgress', applicationNumber: '2099999999' }]);
		expect(output[0].json).toMatchObject({ found: false, reason: 'noData', messageJa: '該当するデータがありません。', _meta: { statusCode: '107' } });
	});

	it('returns a refusal-notice ZIP as binary whose XML is Shift_JIS when extraction is off', async () => {
		const { output } = await jpoRun([{ resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '2021034567', extractDocuments: false }]);
		expect(output[0].json).toMatchObject({ fileName: 'docContRefusalReason_2021034567.zip', mimeType: 'application/zip' });
		const zip = unzipSync(Buffer.from(output[0].binary!.data.data, 'base64'));
		const [name, bytes] = Object.entries(zip)[0];
		expect(name).toMatch(/-jpntce\.xml$/);
		const text = new TextDecoder('shift_jis').decode(bytes);
		expect(text).toContain('encoding="Shift_JIS"');
		expect(text).toContain('拒絶理由通知書');
	});

	it('follows the over-10 MB download link without sending the bearer token', async () => {
		const { output } = await jpoRun([{ resource: 'patent', operation: 'getApplicationDocuments', applicationNumber: '2020099001', extractDocuments: false }]);
		expect(output[0].json).toMatchObject({ mimeType: 'application/zip', _meta: { viaDownloadUrl: true } });
		expect(Number(output[0].json.fileSize)).toBeGreaterThan(10 * 1024 * 1024);
		const download = sb.requests({ api: 'jpo' }).find((request) => request.kind === 'download');
		// The sandbox answers 400 to a download that carries an Authorization header, as S3 does.
		expect(download).toMatchObject({ httpStatus: 200, authorization: 'none' });
	});

	it('fails a malformed number before any request, naming the accepted forms', async () => {
		const { output } = await jpoRun(
			[
				{ resource: 'patent', operation: 'getProgress', applicationNumber: '2020,045678' },
				{ resource: 'patent', operation: 'getProgress', applicationNumber: '2020045678' },
			],
			true,
		);
		expect(output[0].json).toMatchObject({ errorKind: 'input', input: { applicationNumber: '2020,045678' } });
		expect(String(output[0].json.error)).toMatch(/Accepted forms/);
		expect(output[1].json.found).toBe(true);
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(1);
	});

	it('stops at the daily limit with a clear message and keeps what was fetched', async () => {
		sb.configure({ jpo: { dailyLimits: { 'patent/app_progress': 2 } } });
		const items = ['2020045678', '2021034567', '2019087654', '2024056789'].map((applicationNumber) => ({
			resource: 'patent',
			operation: 'getProgress',
			applicationNumber,
		}));
		const { output } = await jpoRun(items, true);
		expect(output).toHaveLength(4);
		expect(json(output).slice(0, 2).every((item) => item.found === true)).toBe(true);
		expect(output[2].json).toMatchObject({ errorKind: 'quota', errorCode: '203', errorOriginalMessage: '1日のアクセス上限を超過したため閲覧を制限します。' });
		expect(String(output[2].json.errorDescription)).toMatch(/resets at 00:00 JST/);
		expect(output[3].json).toMatchObject({ errorKind: 'quota', notAttempted: true });
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3]);
		// Three calls: two answered, one refused; the fourth item was never sent.
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(3);

		await expect(jpoRun(items)).rejects.toThrow(/daily access limit/);
	});

	it('retries a login the token URL answered 503, and says the service was down, not that the login was refused', async () => {
		sb.faults.add({ api: 'jpo', path: '/auth/token', kind: 'http5xx', status: 503, count: 1 });
		const { output } = await jpoRun([{ resource: 'patent', operation: 'getProgress', applicationNumber: '2020045678' }]);
		expect(output[0].json).toMatchObject({ found: true });
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'token').map((request) => request.httpStatus)).toEqual([503, 200]);

		sb.faults.add({ api: 'jpo', path: '/auth/token', kind: 'http5xx', status: 503 });
		const down = await runNode({
			node: new Jpo(),
			parameters: { resource: 'patent', operation: 'getProgress', applicationNumber: '2021034567', options: { maxAttempts: 2 } },
			credentials: jpoCredentials(sb),
			continueOnFail: true,
		});
		expect(down.output[0].json).toMatchObject({ errorKind: 'transient', error: expect.stringMatching(/token URL is busy or unavailable \(HTTP 503\); the ID and password were not checked/) });
		expect(String(down.output[0].json.error)).not.toMatch(/refused/);
	});

	it('renews an expired token mid-run (HTTP 401, status 210) once and repeats the call once', async () => {
		sb.faults.add({ api: 'jpo', kind: 'expireTokens', skip: 2, count: 1 });
		const { output } = await jpoRun(
			['2020045678', '2021034567', '2019087654', '2024056789'].map((applicationNumber) => ({ resource: 'patent', operation: 'getProgress', applicationNumber })),
		);
		expect(json(output).every((item) => item.found === true)).toBe(true);
		expect(sb.tokenFetches('jpo')).toBe(2);
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(5);
	});
});

describe('JPO throttle against the sandbox window, on one fake clock', () => {
	it('sends 25 requests at the default 10 a minute without a single 303', async () => {
		forgetSharedLimiters();
		const clock = new FakeClock();
		const sb = await startSandbox({ port: 0, clock });
		try {
			const context = createExecuteContext({ node: {} as never, parameters: {}, credentials: jpoCredentials(sb) });
			const transport = new JpoTransport(n8nSender(context), n8nPlainFetcher(context), await loadCredentialHandle(context, 'jpoApi'), { clock });
			const started = clock.now();
			const endpoint = findJpoEndpoint('patent', 'getSimpleProgress')!;
			let last: Awaited<ReturnType<typeof transport.call>> | undefined;
			for (let i = 0; i < 25; i++) last = await transport.call(endpoint, { applicationNumber: '2020045678' });
			const data = sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data');
			expect(data.map((request) => request.resultCode)).toEqual(Array(25).fill('100'));
			// Two full windows (with the 1 s safety margin) were waited, and no more.
			expect(clock.now() - started).toBe(2 * 61_000);
			expect(last && 'remainAccessCount' in last ? last.remainAccessCount : undefined).toBe(400 - 25);
		} finally {
			await sb.close();
		}
	});
});

describe('PatSnap node against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0 });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		forgetSharedLimiters();
	});

	const patSnapRun = (numbers: string[], options: IDataObject = {}, continueOnFail = false, operation = 'getLegalStatus') =>
		runNode({
			node: new PatSnap(),
			items: numbers.map(() => ({ json: {} })),
			parameters: (index) => ({ resource: 'patent', operation, numbers: numbers[index], options }),
			credentials: patSnapCredentials(sb),
			continueOnFail,
		});

	it('turns 250 items with duplicates into exactly ceil(distinct / 100) calls and 250 paired results', async () => {
		const known = sb.data.patsnap.patents.slice(0, 210).map((patent) => patent.pn);
		const numbers = Array.from({ length: 250 }, (_, index) => known[index % 210]);
		const { output } = await patSnapRun(numbers);
		expect(output).toHaveLength(250);
		expect(output.every((item, index) => (item.pairedItem as { item: number }).item === index)).toBe(true);
		expect(output.every((item) => item.json.found === true)).toBe(true);
		expect(output[215].json.pn).toBe(known[5]);
		const calls = sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'data');
		expect(calls.map((request) => request.batchSize)).toEqual([100, 100, 10]);
		expect(calls.reduce((sum, request) => sum + (request.billed ?? 0), 0)).toBe(210);
		expect(sb.tokenFetches('patsnap')).toBe(1);
	});

	it('mixes ids and numbers in one call and reports numbers PatSnap does not know as not found', async () => {
		const [first, second] = sb.data.patsnap.patents;
		const { output } = await patSnapRun([first.patent_id, `${second.pn}, US0000001B1`]);
		expect(json(output)).toEqual([
			expect.objectContaining({ query: first.patent_id, found: true, pn: first.pn }),
			expect.objectContaining({ query: second.pn, found: true, patent_id: second.patent_id }),
			expect.objectContaining({ query: 'US0000001B1', found: false }),
		]);
		expect(sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'data')).toHaveLength(1);
	});

	it('keeps the QPS limit: eight batches, no 67200002', async () => {
		const known = sb.data.patsnap.patents.map((patent) => patent.pn);
		const numbers = [...known, ...Array.from({ length: 800 - known.length }, (_, index) => `US${9000000 + index}B1`)];
		await patSnapRun(numbers);
		const calls = sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'data');
		expect(calls).toHaveLength(8);
		expect(calls.every((request) => request.resultCode === 0)).toBe(true);
	});

	it('stops at the daily limit (67200007) keeping the batches already fetched', async () => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', kind: 'patsnapError', code: 67200007, skip: 1 });
		const known = sb.data.patsnap.patents.slice(0, 150).map((patent) => patent.pn);
		const { output } = await patSnapRun(known, { batchSize: 50 }, true);
		expect(output).toHaveLength(150);
		expect(json(output).slice(0, 50).every((item) => item.found === true)).toBe(true);
		expect(json(output).slice(50).every((item) => item.errorKind === 'quota' && item.errorCode === 67200007)).toBe(true);
		// The batch that hit the limit was not retried, and the third batch was never sent.
		expect(sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'data')).toHaveLength(2);
	});

	it('fails a malformed number on its own item before any call', async () => {
		const { output } = await patSnapRun(['not a number!', sb.data.patsnap.patents[0].pn], {}, true);
		expect(output[0].json).toMatchObject({ errorKind: 'input' });
		expect(String(output[0].json.error)).toMatch(/neither a PatSnap patent id nor a publication number/);
		expect(output[1].json.found).toBe(true);
		await expect(patSnapRun(['not a number!'])).rejects.toThrow(/neither a PatSnap patent id/);
	});

	it('renews the token once when it expires mid-run (67200003 in an HTTP 200 body)', async () => {
		sb.faults.add({ api: 'patsnap', kind: 'expireTokens', skip: 2, count: 1 });
		const known = sb.data.patsnap.patents.slice(0, 40).map((patent) => patent.pn);
		const { output } = await patSnapRun(known, { batchSize: 10 });
		expect(output.every((item) => item.json.found === true)).toBe(true);
		expect(sb.tokenFetches('patsnap')).toBe(2);
		expect(sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'data')).toHaveLength(5);
	});

	it('retries a login the token endpoint answered 503, and does not blame the client ID and secret', async () => {
		sb.faults.add({ api: 'patsnap', path: '/oauth/token', kind: 'http5xx', status: 503, count: 1 });
		const known = sb.data.patsnap.patents.slice(0, 3).map((patent) => patent.pn);
		const { output } = await patSnapRun(known);
		expect(output.every((item) => item.json.found === true)).toBe(true);
		expect(sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'token').map((request) => request.httpStatus)).toEqual([503, 200]);

		sb.faults.add({ api: 'patsnap', path: '/oauth/token', kind: 'http5xx', status: 503 });
		const down = await patSnapRun(known, { maxAttempts: 2 }, true);
		expect(json(down.output)[0]).toMatchObject({ errorKind: 'transient', error: expect.stringMatching(/token endpoint is busy or unavailable \(HTTP 503\); the client ID and secret were not checked/) });
		expect(String(json(down.output)[0].error)).not.toMatch(/refused/);
	});

	it('works with an sk- API key and no token call', async () => {
		const { output } = await runNode({
			node: new PatSnap(),
			parameters: { resource: 'patent', operation: 'getFamily', numbers: sb.data.patsnap.patents[0].pn },
			credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000', environment: 'custom', baseUrl: sb.url, accessToken: '' } },
		});
		expect(output[0].json).toMatchObject({ found: true, patent_family: expect.any(Object) });
		expect(sb.tokenFetches('patsnap')).toBe(0);
	});
});
