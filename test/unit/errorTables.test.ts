/**
 * Every row of both error tables, sent by a server through the real transports: the kind decides
 * whether a code is retried (and how often), renews the token, stops the run, or fails one item.
 */
import { findJpoEndpoint } from '../../nodes/Jpo/catalog';
import { JPO_STATUS_CODES } from '../../nodes/Jpo/statusCodes';
import { nextJstMidnight } from '../../nodes/Jpo/dates';
import { JpoTransport } from '../../nodes/Jpo/transport';
import { PATSNAP_ERROR_CODES } from '../../nodes/PatSnap/errorCodes';
import { PatSnapTransport } from '../../nodes/PatSnap/transport';
import { ApiFailure } from '../../nodes/shared/failure';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { defaultRetryPolicy } from '../../nodes/shared/retry';
import { FakeClock } from '../helpers/fakeClock';
import { createExecuteContext } from '../helpers/n8nContext';
import { loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../../nodes/shared/http';
import { startScriptedServer, type ScriptedReply } from '../helpers/scriptedServer';

const retry = { ...defaultRetryPolicy, maxAttempts: 3 };

function jpoEnvelope(code: string, message = '') {
	return { result: { statusCode: code, errorMessage: message, remainAccessCount: code === '100' || code === '107' || code === '108' ? '41' : '', data: code === '100' ? { applicationNumber: '2020123456' } : {} } };
}

async function jpoTransportFor(url: string, clock: FakeClock) {
	const context = createExecuteContext({
		node: {} as never,
		parameters: {},
		credentials: {
			jpoApi: { username: 'table-user', password: 'table-password', tokenUrl: `${url}/auth/token`, baseUrl: url, accessToken: 'preset-token' },
		},
	});
	const handle = await loadCredentialHandle(context, 'jpoApi');
	return new JpoTransport(n8nSender(context), n8nPlainFetcher(context), handle, { clock, retry });
}

async function callJpo(reply: (index: number) => ScriptedReply) {
	forgetSharedLimiters();
	const clock = new FakeClock();
	const server = await startScriptedServer((request, index) => {
		if (request.url?.startsWith('/auth/token')) {
			return { body: { access_token: 'renewed-token', refresh_token: 'r', expires_in: 3600, refresh_expires_in: 28800 } };
		}
		return reply(index);
	});
	try {
		const transport = await jpoTransportFor(server.url, clock);
		const endpoint = findJpoEndpoint('patent', 'getProgress')!;
		const outcome = await transport.call(endpoint, { applicationNumber: '2020123456' }).then(
			(answer) => ({ answer, failure: undefined }),
			(failure: ApiFailure) => ({ answer: undefined, failure }),
		);
		const dataCalls = server.requests.filter((request) => request.url.startsWith('/api/'));
		return { ...outcome, dataCalls: dataCalls.length, tokenCalls: server.requests.length - dataCalls.length, clock };
	} finally {
		await server.close();
	}
}

describe('JPO status table, every row', () => {
	const expected: Record<string, { kind: string | null; dataCalls: number }> = {
		'100': { kind: null, dataCalls: 1 },
		'107': { kind: null, dataCalls: 1 },
		'108': { kind: null, dataCalls: 1 },
		'111': { kind: 'input', dataCalls: 1 },
		'203': { kind: 'quota', dataCalls: 1 },
		'204': { kind: 'input', dataCalls: 1 },
		'208': { kind: 'input', dataCalls: 1 },
		'210': { kind: 'auth', dataCalls: 2 },
		'212': { kind: 'auth', dataCalls: 1 },
		'301': { kind: 'configuration', dataCalls: 1 },
		'302': { kind: 'transient', dataCalls: 3 },
		'303': { kind: 'transient', dataCalls: 3 },
		'400': { kind: 'input', dataCalls: 1 },
		'999': { kind: 'transient', dataCalls: 3 },
	};

	it('covers every documented code', () => {
		expect([...JPO_STATUS_CODES.keys()].sort()).toEqual(Object.keys(expected).sort());
	});

	it.each(Object.entries(expected))('status %s', async (code, { kind, dataCalls }) => {
		const status = JPO_STATUS_CODES.get(code)!;
		const result = await callJpo(() => ({ status: status.httpStatus ?? 200, body: jpoEnvelope(code, status.messageJa) }));
		expect(result.failure?.kind ?? null).toBe(kind);
		// Transient codes use the whole retry budget; 210 (HTTP 401) renews the token once and retries once.
		expect(result.dataCalls).toBe(dataCalls);
		if (code === '210') expect(result.tokenCalls).toBe(1);
		if (kind) {
			expect(result.failure!.details.code).toBe(code);
			expect(result.failure!.details.originalMessage).toBe(status.messageJa);
		}
		if (code === '203') {
			expect(result.failure!.details.resetsAt).toEqual(nextJstMidnight(result.clock.now()));
			expect(result.failure!.details.description).toMatch(/resets at 00:00 JST/);
		}
		if (code === '107' || code === '108') expect(result.answer).toMatchObject({ type: 'empty', remainAccessCount: 41 });
	});

	it('retries a transient code and then succeeds, honouring Retry-After on 429', async () => {
		const result = await callJpo((index) =>
			index === 0
				? { status: 429, headers: { 'Retry-After': '5' }, body: jpoEnvelope('303') }
				: { body: jpoEnvelope('100') },
		);
		expect(result.answer).toMatchObject({ type: 'json', remainAccessCount: 41 });
		expect(result.dataCalls).toBe(2);
		// The 303 also fills the throttle window, so the retry waits a whole minute, not just 5 s.
		expect(result.clock.slept).toBeGreaterThanOrEqual(60_000);
	});

	it('treats an undocumented code as an unexpected item failure, not retried', async () => {
		const result = await callJpo(() => ({ body: jpoEnvelope('555') }));
		expect(result.failure?.kind).toBe('unexpected');
		expect(result.dataCalls).toBe(1);
	});

	it('retries a cut JSON answer (JPO counts quota, it does not bill)', async () => {
		const result = await callJpo((index) => (index === 0 ? { body: '{"result":{"statusCo' } : { body: jpoEnvelope('100') }));
		expect(result.answer?.type).toBe('json');
		expect(result.dataCalls).toBe(2);
	});

	it('maps the next 00:00 JST correctly across the UTC date line', () => {
		expect(nextJstMidnight(Date.UTC(2026, 10, 21, 14, 59)).toISOString()).toBe('2026-11-21T15:00:00.000Z');
		expect(nextJstMidnight(Date.UTC(2026, 10, 21, 15, 0)).toISOString()).toBe('2026-11-22T15:00:00.000Z');
	});
});

async function callPatSnap(reply: (index: number) => ScriptedReply, billed = true) {
	forgetSharedLimiters();
	const clock = new FakeClock();
	const server = await startScriptedServer((request, index) => {
		if (request.url?.startsWith('/oauth/token')) return { body: { token: `token-${index}`, expires_in: 1799, status: 'approved' } };
		return reply(index);
	});
	try {
		const context = createExecuteContext({
			node: {} as never,
			parameters: {},
			credentials: {
				patSnapApi: { authMode: 'clientCredentials', clientId: 'table-client', clientSecret: 'table-secret', environment: 'custom', baseUrl: server.url, accessToken: '' },
			},
		});
		const transport = new PatSnapTransport(n8nSender(context), await loadCredentialHandle(context, 'patSnapApi'), { clock, retry });
		const outcome = await transport
			.call({ method: 'GET', path: '/basic-patent-data/legal-status', qs: { patent_number: 'US1B2' }, billed, operation: 'P013' })
			.then(
				(answer) => ({ answer, failure: undefined }),
				(failure: ApiFailure) => ({ answer: undefined, failure }),
			);
		const dataCalls = server.requests.filter((request) => !request.url.startsWith('/oauth'));
		return {
			...outcome,
			dataCalls: dataCalls.length,
			tokenCalls: server.requests.length - dataCalls.length,
			apikeys: dataCalls.map((request) => new URL(request.url, server.url).searchParams.get('apikey')),
		};
	} finally {
		await server.close();
	}
}

describe('PatSnap error table, every row', () => {
	const errorBody = (code: number) => ({ status: false, error_code: code, error_msg: `message ${code}`, data: null });

	it.each([...PATSNAP_ERROR_CODES.values()].map((row) => [row.code, row]))('error %s', async (code, row) => {
		const result = await callPatSnap(() => ({ body: errorBody(code) }));
		expect(result.failure?.kind).toBe(row.kind);
		expect(result.failure?.details.code).toBe(code);
		const expectedCalls = row.kind === 'transient' ? retry.maxAttempts : row.kind === 'auth' ? 2 : 1;
		expect(result.dataCalls).toBe(expectedCalls);
		// Auth codes renew the token exactly once: first login plus one renewal.
		expect(result.tokenCalls).toBe(row.kind === 'auth' ? 2 : 1);
	});

	it('renews an expired token (67200003 in an HTTP 200 body) once and succeeds', async () => {
		const result = await callPatSnap((index) => (index === 1 ? { body: errorBody(67200003) } : { body: { status: true, error_code: 0, data: [] } }));
		expect(result.failure).toBeUndefined();
		expect(result.tokenCalls).toBe(2);
		expect(result.dataCalls).toBe(2);
		expect(result.apikeys.every((apikey) => apikey === 'table-client')).toBe(true);
	});

	it.each([
		[500, 'transient', 3],
		[502, 'transient', 3],
		[429, 'transient', 3],
		[403, 'configuration', 1],
		[404, 'configuration', 1],
	])('HTTP %s without a PatSnap body is %s', async (status, kind, calls) => {
		const result = await callPatSnap(() => ({ status, body: 'gateway says no' }));
		expect(result.failure?.kind).toBe(kind);
		expect(result.dataCalls).toBe(calls);
	});

	it('does not retry an unreadable answer to a billed call, so nothing is paid twice', async () => {
		const result = await callPatSnap(() => ({ body: '{"status":true,"data":[{"pn":' }));
		expect(result.failure?.kind).toBe('malformed');
		expect(result.failure?.details.mayHaveBeenCharged).toBe(true);
		expect(result.dataCalls).toBe(1);
	});

	it('retries an unreadable answer to an unbilled call', async () => {
		const result = await callPatSnap((index) => (index === 1 ? { body: '{"sta' } : { body: { status: true, error_code: 0, data: {} } }), false);
		expect(result.failure).toBeUndefined();
		expect(result.dataCalls).toBe(2);
	});

	it('retries a connection reset: the request never reached PatSnap', async () => {
		const result = await callPatSnap((index) => (index === 1 ? { reset: true } : { body: { status: true, error_code: 0, data: [] } }));
		expect(result.failure).toBeUndefined();
		expect(result.dataCalls).toBe(2);
	});
});
