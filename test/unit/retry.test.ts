import { ApiFailure } from '../../nodes/shared/failure';
import { backoffDelay, defaultRetryPolicy, parseRetryAfter, withRetries } from '../../nodes/shared/retry';
import { FakeClock } from '../helpers/fakeClock';

const transient = () => new ApiFailure('busy', { api: 'JPO', kind: 'transient' });

describe('retry policy', () => {
	it('backs off exponentially with jitter between half and the whole step, capped', () => {
		const clock = new FakeClock();
		clock.setRandom(0, 1, 0, 1);
		expect(backoffDelay(1, defaultRetryPolicy, clock)).toBe(500);
		expect(backoffDelay(1, defaultRetryPolicy, clock)).toBe(1000);
		expect(backoffDelay(3, defaultRetryPolicy, clock)).toBe(2000);
		expect(backoffDelay(20, defaultRetryPolicy, clock)).toBe(30_000);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		expect(parseRetryAfter('7', 0)).toBe(7000);
		expect(parseRetryAfter(['2'], 0)).toBe(2000);
		expect(parseRetryAfter('Sat, 21 Nov 2026 03:00:10 GMT', Date.UTC(2026, 10, 21, 3, 0, 0))).toBe(10_000);
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
		expect(parseRetryAfter(undefined, 0)).toBeUndefined();
	});

	it('retries transient failures up to maxAttempts and reports the attempts', async () => {
		const clock = new FakeClock();
		let calls = 0;
		const failure = await withRetries(
			async () => {
				calls++;
				throw transient();
			},
			(error) => error.kind === 'transient',
			{ ...defaultRetryPolicy, maxAttempts: 3 },
			clock,
		).catch((error: ApiFailure) => error);
		expect(calls).toBe(3);
		expect(failure.details.attempts).toBe(3);
		expect(clock.sleeps).toHaveLength(2);
	});

	it('honours Retry-After when it asks for longer than the backoff', async () => {
		const clock = new FakeClock();
		let calls = 0;
		const value = await withRetries(
			async () => {
				if (calls++ === 0) throw new ApiFailure('slow down', { api: 'PatSnap', kind: 'transient', retryAfterMs: 9000 });
				return 'ok';
			},
			() => true,
			defaultRetryPolicy,
			clock,
		);
		expect(value).toBe('ok');
		expect(clock.sleeps).toEqual([9000]);
	});

	it('gives up at once when Retry-After is longer than the policy allows', async () => {
		const clock = new FakeClock();
		let calls = 0;
		await expect(
			withRetries(
				async () => {
					calls++;
					throw new ApiFailure('later', { api: 'JPO', kind: 'transient', retryAfterMs: 3_600_000 });
				},
				() => true,
				defaultRetryPolicy,
				clock,
			),
		).rejects.toThrow('later');
		expect(calls).toBe(1);
	});

	it('never retries a quota failure', async () => {
		const clock = new FakeClock();
		let calls = 0;
		await expect(
			withRetries(
				async () => {
					calls++;
					throw new ApiFailure('daily limit', { api: 'JPO', kind: 'quota' });
				},
				(error) => error.kind === 'transient',
				defaultRetryPolicy,
				clock,
			),
		).rejects.toThrow('daily limit');
		expect(calls).toBe(1);
		expect(clock.sleeps).toEqual([]);
	});
});
