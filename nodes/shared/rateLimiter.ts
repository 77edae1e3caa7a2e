import type { Clock } from './clock';
import { processDailyUsage } from './coordination/processDaily';
import { processUsedUpLimits } from './coordination/usedUp';

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

/** A slot in the window. A pending one counts as taken until `settle()` gives it its real time. */
export interface Reservation {
	waitedMs: number;
	settle(): void;
}

/**
 * How long to look again when every slot is held by a request whose send time is not known yet
 * (one that logs in first): a login takes tens of milliseconds, a window a second or a minute.
 */
const PENDING_POLL_MS = 25;

interface Start {
	at: number;
}

/**
 * Sliding-window limiter: at most `limit` requests start in any `windowMs + marginMs` period.
 * It lets a short burst through at once (five JPO lookups do not wait 30 s) and only then spaces
 * requests, which is what both APIs' documented limits describe.
 */
export class SlidingWindowLimiter {
	private starts: Start[] = [];

	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		readonly rate: RateLimit,
		readonly clock: Clock,
	) {}

	/** Waits until a request may start and reserves its slot; resolves to the time waited. */
	async acquire(): Promise<number> {
		return (await this.reserve()).waitedMs;
	}

	/**
	 * Like acquire(). A `pending` slot is for a request whose arrival at the server is not known: it
	 * holds its place in the window until `settle()` stamps it with the time of the answer, the
	 * latest the server can have counted it. Stamping it at reservation would let a later request
	 * into the window early when this one is delayed (a login first, a busy process).
	 */
	async reserve({ pending = false } = {}): Promise<Reservation> {
		// Callers are served strictly in arrival order so one cannot starve another.
		const turn = this.queue.then(async () => await this.take(pending));
		this.queue = turn.catch(() => undefined);
		return await turn;
	}

	/**
	 * The server said we were too fast although we kept to the limit (another client may share the
	 * account): treat the window as full from now on so the next request waits a whole window.
	 */
	markWindowFull(): void {
		const now = this.clock.now();
		this.starts = Array.from({ length: this.rate.limit }, () => ({ at: now }));
	}

	/** Requests started in the last window, this one's own record of what it sent. */
	recentCount(): number {
		const now = this.clock.now();
		return this.starts.filter((start) => now - start.at < this.span).length;
	}

	private get span(): number {
		return this.rate.windowMs + this.rate.marginMs;
	}

	private async take(pending: boolean): Promise<Reservation> {
		let waited = 0;
		for (;;) {
			const now = this.clock.now();
			this.starts = this.starts.filter((start) => now - start.at < this.span);
			if (this.starts.length < this.rate.limit) {
				const start: Start = { at: pending ? Infinity : now };
				this.starts.push(start);
				return {
					waitedMs: waited,
					settle: () => {
						if (start.at === Infinity) start.at = this.clock.now();
					},
				};
			}
			const oldest = Math.min(...this.starts.map((start) => start.at));
			const wait = Number.isFinite(oldest) ? oldest + this.span - now : PENDING_POLL_MS;
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

/** Forgets this process's quota state: the windows, and the daily limits APIs reported used up. */
export function forgetSharedLimiters(): void {
	limiters.clear();
	processUsedUpLimits.clear();
	processDailyUsage.clear();
}
