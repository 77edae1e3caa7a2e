/**
 * What the PatSnap transport decides by its own clock and policy: when a signed document link has
 * expired, how long a retry waits, how large a PDF may be, and when the daily limit (67200007)
 * comes back. A fake clock that is days away from the real one shows which clock decided.
 */
import { PatSnapTransport, type PatSnapTransportOptions } from '../../nodes/PatSnap/transport';
import { ApiFailure } from '../../nodes/shared/failure';
import { loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../../nodes/shared/http';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { defaultRetryPolicy } from '../../nodes/shared/retry';
import { FakeClock } from '../helpers/fakeClock';
import { createExecuteContext } from '../helpers/n8nContext';
import { startScriptedServer, type ScriptedReply } from '../helpers/scriptedServer';

const PDF = Buffer.from('%PDF-1.4 a scripted document');

async function withTransport<T>(
	reply: (index: number) => ScriptedReply,
	options: Partial<PatSnapTransportOptions>,
	use: (transport: PatSnapTransport, baseUrl: string) => Promise<T>,
): Promise<{ result: T; requests: number }> {
	forgetSharedLimiters();
	const server = await startScriptedServer((_, index) => reply(index));
	try {
		const context = createExecuteContext({
			node: {} as never,
			parameters: {},
			credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-scripted-key', environment: 'custom', baseUrl: server.url, accessToken: '' } },
		});
		const transport = new PatSnapTransport(n8nSender(context), await loadCredentialHandle(context, 'patSnapApi'), {
			fetchUnauthenticated: n8nPlainFetcher(context),
			...options,
		});
		const result = await use(transport, server.url);
		return { result, requests: server.requests.length };
	} finally {
		await server.close();
	}
}

const settleFailure = async (promise: Promise<unknown>) =>
	await promise.then(
		() => undefined,
		(error: unknown) => error as ApiFailure,
	);

describe('signed PDF downloads go through the PatSnap transport', () => {
	it('judges a link\'s expiry by the transport\'s clock, not the wall clock', async () => {
		const clock = new FakeClock();
		// An hour after the fake now, which is long past by the real clock.
		const expiresAt = new Date(clock.now() + 3_600_000);
		expect(expiresAt.getTime()).toBeLessThan(Date.now());
		const valid = await withTransport(() => ({ headers: { 'Content-Type': 'application/pdf' }, body: PDF }), { clock }, async (transport, url) =>
			await transport.fetchSignedPdf({ link: `${url}/doc.pdf`, label: 'US1 document 1 (CTNF)', expiresAt }),
		);
		expect(valid.result.equals(PDF)).toBe(true);
		expect(valid.requests).toBe(1);

		clock.advance(3_600_001);
		const expired = await withTransport(() => ({ body: PDF }), { clock }, async (transport, url) =>
			await settleFailure(transport.fetchSignedPdf({ link: `${url}/doc.pdf`, label: 'US1 document 1 (CTNF)', expiresAt })),
		);
		expect(expired.result?.message).toBe(`The PDF link of US1 document 1 (CTNF) expired at ${expiresAt.toISOString()}`);
		expect(expired.requests).toBe(0);
	});

	it('retries a busy storage host with the transport\'s backoff and attempt budget, sleeping on its clock', async () => {
		const clock = new FakeClock();
		clock.setRandom(0, 0);
		const busyTwice = (index: number): ScriptedReply => (index < 2 ? { status: 503, body: 'busy' } : { body: PDF });
		const fetched = await withTransport(busyTwice, { clock, retry: { ...defaultRetryPolicy, maxAttempts: 3 } }, async (transport, url) =>
			await transport.fetchSignedPdf({ link: `${url}/doc.pdf`, label: 'US1 document 1 (CTNF)' }),
		);
		expect(fetched.result.equals(PDF)).toBe(true);
		expect(fetched.requests).toBe(3);
		// Equal jitter with random() = 0: half of the 1 s and 2 s steps.
		expect(clock.sleeps).toEqual([500, 1000]);

		const short = await withTransport(busyTwice, { clock: new FakeClock(), retry: { ...defaultRetryPolicy, maxAttempts: 2 } }, async (transport, url) =>
			await settleFailure(transport.fetchSignedPdf({ link: `${url}/doc.pdf`, label: 'US1 document 1 (CTNF)' })),
		);
		expect(short.result).toBeInstanceOf(ApiFailure);
		expect(short.result?.details).toMatchObject({ kind: 'transient', httpStatus: 503, attempts: 2 });
		expect(short.requests).toBe(2);
	});

	it('refuses a PDF over the transport\'s Max Answer Size without fetching it again', async () => {
		const big = await withTransport(() => ({ body: Buffer.concat([PDF, Buffer.alloc(2048)]) }), { clock: new FakeClock(), maxResponseBytes: 1024 }, async (transport, url) =>
			await settleFailure(transport.fetchSignedPdf({ link: `${url}/doc.pdf`, label: 'US1 document 1 (CTNF)' })),
		);
		expect(big.result?.message).toMatch(/^The PDF of US1 document 1 \(CTNF\) is .* more than Max Answer Size \(MB\) allows/);
		expect(big.requests).toBe(1);
	});

	it('says so instead of fetching when it was built without a fetcher for signed links', async () => {
		const outcome = await withTransport(() => ({ body: PDF }), { fetchUnauthenticated: undefined }, async (transport, url) =>
			await transport.fetchSignedPdf({ link: `${url}/doc.pdf`, label: 'US1 document 1 (CTNF)' }).catch((error: Error) => error.message),
		);
		expect(outcome.result).toBe('This PatSnap transport was created without a fetcher for signed links');
		expect(outcome.requests).toBe(0);
	});
});

describe('the daily limit (67200007) in the transport', () => {
	const refusal = (code: number): ScriptedReply => ({ body: { status: false, error_code: code, error_msg: 'daily limit', data: null } });

	it('carries the next 00:00 China time, by the transport\'s clock, and says when that is', async () => {
		// 2026-11-21 03:00 UTC is 11:00 in China: the limit comes back at 16:00 UTC, in 13 hours.
		const clock = new FakeClock(Date.UTC(2026, 10, 21, 3, 0));
		const { result, requests } = await withTransport(() => refusal(67200007), { clock }, async (transport) =>
			await settleFailure(transport.call({ method: 'GET', path: '/basic-patent-data/legal-status', billed: true, operation: 'P013 Get Legal Status' })),
		);
		expect(requests).toBe(1);
		expect(result?.details).toMatchObject({ kind: 'quota', code: 67200007, resetsAt: new Date(Date.UTC(2026, 10, 21, 16, 0)) });
		expect(result?.details.description).toBe(
			'The limit resets the next day: PatSnap counts calls per day in China time, so it is expected to reset at 00:00 UTC+8 (2026-11-22 00:00 UTC+8, in 13 h 0 min).',
		);
		// An AI Agent passes its model the message alone, so the message says it too.
		expect(result?.message).toBe(
			"The daily call limit is used up (PatSnap error 67200007: daily limit). It is expected to reset at 2026-11-22 00:00 UTC+8 (in 13 h 0 min), when PatSnap's day starts in China; retrying before then will not help.",
		);
	});

	it('says in the message that a used-up balance does not come back by waiting', async () => {
		const clock = new FakeClock(Date.UTC(2026, 10, 21, 3, 0));
		const { result } = await withTransport(() => refusal(67200005), { clock }, async (transport) =>
			await settleFailure(transport.call({ method: 'GET', path: '/basic-patent-data/legal-status', billed: true, operation: 'P013 Get Legal Status' })),
		);
		expect(result?.details).toMatchObject({ kind: 'quota', code: 67200005 });
		expect(result?.message).toMatch(
			/^Insufficient balance \(PatSnap error 67200005.*\)\. It comes back only when the PatSnap account balance is topped up; retrying before then will not help\.$/,
		);
	});

	it('rolls over at midnight China time, not UTC, and counts the last minutes', async () => {
		const justBefore = new FakeClock(Date.UTC(2026, 10, 21, 15, 59));
		const before = await withTransport(() => refusal(67200007), { clock: justBefore }, async (transport) =>
			await settleFailure(transport.call({ method: 'GET', path: '/x', billed: true, operation: 'test' })),
		);
		expect(before.result?.details.resetsAt?.toISOString()).toBe('2026-11-21T16:00:00.000Z');
		expect(before.result?.details.description).toMatch(/\(2026-11-22 00:00 UTC\+8, in 1 min\)\.$/);
		const atMidnight = new FakeClock(Date.UTC(2026, 10, 21, 16, 0));
		const after = await withTransport(() => refusal(67200007), { clock: atMidnight }, async (transport) =>
			await settleFailure(transport.call({ method: 'GET', path: '/x', billed: true, operation: 'test' })),
		);
		expect(after.result?.details.resetsAt?.toISOString()).toBe('2026-11-22T16:00:00.000Z');
	});

	it.each([67200001, 67200005])('gives no reset time for %i, which a new day does not end', async (code) => {
		const { result } = await withTransport(() => refusal(code), { clock: new FakeClock() }, async (transport) =>
			await settleFailure(transport.call({ method: 'GET', path: '/x', billed: true, operation: 'test' })),
		);
		expect(result?.details.kind).toBe('quota');
		expect(result?.details.resetsAt).toBeUndefined();
	});
});
