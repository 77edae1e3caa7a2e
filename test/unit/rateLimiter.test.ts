import { SlidingWindowLimiter, sharedLimiter, forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';

describe('SlidingWindowLimiter', () => {
	it('lets a burst of `limit` requests through at once, then spaces the rest by the window', async () => {
		const clock = new FakeClock(0);
		const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000, marginMs: 1_000 }, clock);
		const starts: number[] = [];
		for (let i = 0; i < 25; i++) {
			await limiter.acquire();
			starts.push(clock.now());
		}
		expect(starts.slice(0, 10)).toEqual(Array(10).fill(0));
		expect(starts[10]).toBe(61_000);
		expect(starts[20]).toBe(122_000);
		// The documented rule itself: never more than 10 starts in any 60 s window.
		for (const start of starts) {
			const inWindow = starts.filter((other) => other >= start && other < start + 60_000);
			expect(inWindow.length).toBeLessThanOrEqual(10);
		}
	});

	it('counts a request that logs in first from when it was really sent, so a slow login lets no sixth request into the second', async () => {
		const clock = new FakeClock(0);
		const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, marginMs: 50 }, clock);
		// The first request logs in for 400 ms before it goes out; four others go at once.
		const first = await limiter.reserve({ pending: true });
		for (let i = 0; i < 4; i++) await limiter.acquire();
		let sixthAt: number | undefined;
		const sixth = limiter.acquire().then(() => (sixthAt = clock.now()));
		// While the login runs, the sixth waits (the fake clock moves in its polling sleeps).
		await new Promise((resolve) => setImmediate(resolve));
		clock.time = 400;
		first.settle();
		await sixth;
		// Five slots: four at 0 (free again at 1050) and the first stamped at 400. The sixth may go at
		// 1050, when the window holds only the first: five in any 1.05 s as the server measures them.
		expect(sixthAt).toBeGreaterThanOrEqual(1050);
		expect(limiter.recentCount()).toBeLessThanOrEqual(5);
	});

	it('keeps 5 QPS with 1 s windows', async () => {
		const clock = new FakeClock(0);
		const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, marginMs: 50 }, clock);
		for (let i = 0; i < 20; i++) await limiter.acquire();
		// 20 requests at 5 per 1.05 s: the last starts after three full windows.
		expect(clock.now()).toBe(3 * 1050);
	});

	it('serves concurrent callers in arrival order without exceeding the limit', async () => {
		const clock = new FakeClock(0);
		const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, marginMs: 0 }, clock);
		const order: number[] = [];
		await Promise.all([0, 1, 2, 3, 4].map(async (n) => {
			await limiter.acquire();
			order.push(n);
		}));
		expect(order).toEqual([0, 1, 2, 3, 4]);
		expect(clock.now()).toBe(2000);
	});

	it('waits a whole window after the server said "too fast"', async () => {
		const clock = new FakeClock(0);
		const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000, marginMs: 0 }, clock);
		await limiter.acquire();
		limiter.markWindowFull();
		await limiter.acquire();
		expect(clock.now()).toBe(60_000);
	});

	it('is shared per account key, and rebuilt when the rate changes', () => {
		forgetSharedLimiters();
		const clock = new FakeClock(0);
		const rate = { limit: 10, windowMs: 60_000, marginMs: 0 };
		const a = sharedLimiter('jpo|user-a', rate, clock);
		expect(sharedLimiter('jpo|user-a', rate, clock)).toBe(a);
		expect(sharedLimiter('jpo|user-b', rate, clock)).not.toBe(a);
		expect(sharedLimiter('jpo|user-a', { ...rate, limit: 20 }, clock)).not.toBe(a);
	});
});
