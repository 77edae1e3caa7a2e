import type { Clock } from './clock';

export interface RateLimit {
	/** Requests allowed in any window. */
	limit: number;
	windowMs: number;
	/**
	 * Extra spacing added to the window: the server measures arrival times, we measure send times,
	 * and the difference must never push a request into the server's previous window.
	 */
	marginMs: number;
}

/**
 * Sliding-window limiter: at most `limit` requests start in any `windowMs + marginMs` period.
 * It lets a short burst through at once (five JPO lookups do not wait 30 s) and only then spaces
 * requests, which is what both APIs' documented limits describe.
 */
export class SlidingWindowLimiter {
	private starts: number[] = [];

	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		readonly rate: RateLimit,
		readonly clock: Clock,
	) {}

	/** Waits until a request may start and reserves its slot; resolves to the time waited. */
	async acquire(): Promise<number> {
		// Callers are served strictly in arrival order so one cannot starve another.
		const turn = this.queue.then(async () => await this.take());
		this.queue = turn.catch(() => undefined);
		return await turn;
	}

	/**
	 * The server said we were too fast although we kept to the limit (another client may share the
	 * account): treat the window as full from now on so the next request waits a whole window.
	 */
	markWindowFull(): void {
		const now = this.clock.now();
		this.starts = Array.from({ length: this.rate.limit }, () => now);
	}

	private async take(): Promise<number> {
		let waited = 0;
		const span = this.rate.windowMs + this.rate.marginMs;
		for (;;) {
			const now = this.clock.now();
			this.starts = this.starts.filter((start) => now - start < span);
			if (this.starts.length < this.rate.limit) {
				this.starts.push(now);
				return waited;
			}
			const wait = this.starts[0] + span - now;
			await this.clock.sleep(wait);
			waited += wait;
		}
	}
}

/**
 * Limiters live for the whole n8n process and are shared by every execution that uses the same
 * account, because the APIs count requests per account, not per workflow.
 */
const limiters = new Map<string, SlidingWindowLimiter>();

export function sharedLimiter(key: string, rate: RateLimit, clock: Clock): SlidingWindowLimiter {
	const existing = limiters.get(key);
	if (
		existing &&
		existing.clock === clock &&
		existing.rate.limit === rate.limit &&
		existing.rate.windowMs === rate.windowMs &&
		existing.rate.marginMs === rate.marginMs
	) {
		return existing;
	}
	const limiter = new SlidingWindowLimiter(rate, clock);
	limiters.set(key, limiter);
	return limiter;
}

export function forgetSharedLimiters(): void {
	limiters.clear();
}
