import type { Clock } from './clock';

/**
 * Sliding-window counter keyed by credential. Rejected requests are not added, so a client that
 * backs off regains capacity as soon as the oldest accepted request leaves the window.
 */
export class SlidingWindow {
	private hits = new Map<string, number[]>();

	constructor(
		private readonly clock: Clock,
		private readonly limits: () => { limit: number; windowMs: number },
	) {}

	/** Records a hit and returns true, or returns false (nothing recorded) when over the limit. */
	tryHit(key: string): boolean {
		const { limit, windowMs } = this.limits();
		const now = this.clock.now();
		const recent = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
		if (recent.length >= limit) {
			this.hits.set(key, recent);
			return false;
		}
		recent.push(now);
		this.hits.set(key, recent);
		return true;
	}

	clear(): void {
		this.hits.clear();
	}
}
