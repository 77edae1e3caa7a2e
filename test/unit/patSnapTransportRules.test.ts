/**
 * The transport's repeat rules and the P048 answer shape from the documentation, through a
 * scripted HTTP server: one exact answer per request, so each rule is seen in isolation.
 */
import type { IncomingMessage } from 'node:http';

import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { PatSnapTransport, type PatSnapCall } from '../../nodes/PatSnap/transport';
import { ApiFailure } from '../../nodes/shared/failure';
import { loadCredentialHandle, n8nSender } from '../../nodes/shared/http';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { defaultRetryPolicy } from '../../nodes/shared/retry';
import { FakeClock } from '../helpers/fakeClock';
import { createExecuteContext, runNode } from '../helpers/n8nContext';
import { startScriptedServer, type ScriptedReply } from '../helpers/scriptedServer';

const ok = (data: unknown) => ({ body: { status: true, error_code: 0, data } });
const error = (code: number) => ({ body: { status: false, error_code: code, error_msg: `message ${code}`, data: null } });

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function callWith(call: Partial<PatSnapCall>, reply: (index: number) => ScriptedReply, options: { retryUnreadableAnswers?: boolean; random?: number[] } = {}) {
	forgetSharedLimiters();
	const clock = new FakeClock();
	clock.setRandom(...(options.random ?? []));
	const server = await startScriptedServer((request, index) =>
		request.url?.startsWith('/oauth/token') ? { body: { token: 'scripted-token', expires_in: 1799 } } : reply(index),
	);
	try {
		const context = createExecuteContext({
			node: {} as never,
			parameters: {},
			credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-scripted-key', environment: 'custom', baseUrl: server.url, accessToken: '' } },
		});
		const transport = new PatSnapTransport(n8nSender(context), await loadCredentialHandle(context, 'patSnapApi'), {
			clock,
			retry: defaultRetryPolicy,
			retryUnreadableAnswers: options.retryUnreadableAnswers,
		});
		const outcome = await transport
			.call({ method: 'GET', path: '/patent-alert/check', billed: false, operation: 'test', ...call })
			.then(
				(answer) => ({ answer, failure: undefined }),
				(failure: ApiFailure) => ({ answer: undefined, failure }),
			);
		return { ...outcome, calls: server.requests.length, clock };
	} finally {
		await server.close();
	}
}

describe('which calls the transport repeats', () => {
	it('repeats an unbilled call that changes nothing after a cut answer', async () => {
		const result = await callWith({ changesState: false }, (index) => (index === 0 ? { body: '{"status":tr' } : ok({ done: true })));
		expect(result.answer?.data).toEqual({ done: true });
		expect(result.calls).toBe(2);
	});

	it('does not repeat a state-changing call (monitor check) after a cut answer unless asked to', async () => {
		const cut = await callWith({ changesState: true }, () => ({ body: '{"status":tr' }));
		expect(cut.failure?.kind).toBe('malformed');
		expect(cut.calls).toBe(1);
		const optedIn = await callWith({ changesState: true }, (index) => (index === 0 ? { body: '{"sta' } : ok([])), { retryUnreadableAnswers: true });
		expect(optedIn.failure).toBeUndefined();
		expect(optedIn.calls).toBe(2);
	});

	it('does not repeat a state-changing call after a gateway 502 or 504, which may hide a call PatSnap carried out, but does after 500 and 503', async () => {
		for (const status of [502, 504]) {
			const gateway = await callWith({ changesState: true }, () => ({ status, body: 'gateway timeout' }));
			expect(gateway.failure?.kind).toBe('malformed');
			expect(gateway.calls).toBe(1);
		}
		for (const status of [500, 503]) {
			const refused = await callWith({ changesState: true }, (index) => (index === 0 ? { status, body: 'unavailable' } : ok([])));
			expect(refused.failure).toBeUndefined();
			expect(refused.calls).toBe(2);
		}
		const billed = await callWith({ billed: true }, (index) => (index === 0 ? { status: 504, body: 'gateway timeout' } : ok([])));
		expect(billed.failure).toBeUndefined();
		expect(billed.calls).toBe(2);
	});

	it('backs off exponentially with jitter, within the attempt budget, on 67200100, 68300008 and 5xx', async () => {
		for (const reply of [error(67200100), error(68300008), { status: 502, body: 'bad gateway' }]) {
			// Jitter draws 0, 1, 0.5: half, all, and three quarters of the 1 s, 2 s, 4 s steps.
			const result = await callWith({ billed: true }, () => reply, { random: [0, 1, 0.5] });
			expect(result.failure?.kind).toBe('transient');
			expect(result.calls).toBe(defaultRetryPolicy.maxAttempts);
			expect(result.clock.sleeps.filter((ms) => ms > 0)).toEqual([500, 2000, 3000]);
		}
	});

	it('waits a whole throttle window after 67200002 before the retry', async () => {
		const result = await callWith({ billed: true }, (index) => (index === 0 ? error(67200002) : ok([])), { random: [0] });
		expect(result.failure).toBeUndefined();
		expect(result.calls).toBe(2);
		// The 500 ms backoff, then the rest of the window marked full (1 s + the 10 ms margin).
		expect(result.clock.slept).toBeGreaterThanOrEqual(1010);
	});

	it.each([67200004, 67200005, 67200006, 67200007])('never repeats %i', async (code) => {
		const result = await callWith({ billed: true }, () => error(code));
		expect(result.failure?.details.code).toBe(code);
		expect(result.calls).toBe(1);
	});
});

describe('P048 against the documented answer shape', () => {
	it('posts JSON, accepts HTTP 201, reads the COS expiry and downloads with no credential', async () => {
		forgetSharedLimiters();
		const start = Math.floor(Date.now() / 1000);
		const end = start + 3600;
		// The storage host is another server than the API, as on PatSnap.
		const server = await startScriptedServer((_, index) => ({ headers: { 'Content-Type': 'application/pdf' }, body: Buffer.from(`%PDF-1.4 document ${index}`) }));
		const link = (name: string) =>
			`${server.url}/pdf/watermark/US/${name}.pdf?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDexample%26q-sign-time%3D${start}%3B${end}%26q-key-time%3D${start}%3B${end}%26q-signature%3Dabc&response-expires=x`;
		const api = await startScriptedServer(() => ({
			status: 201,
			body: {
				status: true,
				error_code: 0,
				data: {
					apno: 'US14/706838',
					doc_count: 2,
					patent_id: '718ead9c-4f3c-4674-8f5a-24e126827269',
					patent_number: 'US11205304B2',
					doc_detail_count: 2,
					doc_detail: [
						{ date: 20180831, path: link('one'), doc_code: 'CTNF', description: 'Non-Final Rejection', page_number: 17 },
						{ date: 20190102, path: link('two'), doc_code: 'NOA', description: 'Notice of Allowance', page_number: 5 },
					],
				},
			},
		}));
		try {
			const { output } = await runNode({
				node: new PatSnap(),
				parameters: {
					resource: 'patent',
					operation: 'getExaminationDocuments',
					numbers: 'US11205304B2',
					returnAll: true,
					downloadPdfs: true,
					filters: { documentCodes: 'ctnf,noa', dateFrom: '2018-01-01T00:00:00' },
				},
				credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-scripted-key', environment: 'custom', baseUrl: api.url, accessToken: '' } },
			});
			expect(output).toHaveLength(2);
			expect(output[0].json).toMatchObject({
				patent_number: 'US11205304B2',
				apno: 'US14/706838',
				doc_code: 'CTNF',
				position: 1,
				pathExpiresAt: new Date(end * 1000).toISOString(),
			});
			expect(Buffer.from(output[1].binary!.data.data, 'base64').toString()).toMatch(/^%PDF-/);
			expect(api.requests).toHaveLength(1);
			expect(api.requests[0]).toMatchObject({ method: 'POST', authorization: 'Bearer sk-scripted-key' });
			const downloads = server.requests;
			expect(downloads).toHaveLength(2);
			expect(downloads.every((request) => request.authorization === undefined && !request.url.includes('sk-scripted-key'))).toBe(true);
		} finally {
			await Promise.all([server.close(), api.close()]);
		}
	});

	it('sends the filters and paging in the JSON body', async () => {
		forgetSharedLimiters();
		const bodies: unknown[] = [];
		const { createServer } = await import('node:http');
		const server = createServer(async (request, response) => {
			bodies.push(JSON.parse(await readBody(request)));
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ status: true, error_code: 0, data: { patent_id: 'x', patent_number: 'US1B2', doc_count: 3, doc_detail: [{ date: 20200101, doc_code: 'IDS', path: '' }] } }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		try {
			const { output } = await runNode({
				node: new PatSnap(),
				parameters: {
					resource: 'patent',
					operation: 'getExaminationDocuments',
					lookUpBy: 'applicationNumber',
					numbers: 'us 14/706,838',
					returnAll: true,
					filters: { documentCodes: 'ids', dateFrom: '20200101', dateTo: '2020-12-31T00:00:00' },
					options: { pageSize: 1 },
				},
				credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-scripted-key', environment: 'custom', baseUrl: `http://127.0.0.1:${port}`, accessToken: '' } },
			});
			expect(output).toHaveLength(3);
			expect(bodies).toEqual([0, 1, 2].map((offset) => ({ apno: 'US14/706838', date_from: 20200101, date_to: 20201231, doc_code: 'IDS', offset, limit: 1 })));
			expect(output[0].json.pathExpiresAt).toBeUndefined();
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
