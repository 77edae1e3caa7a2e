import { dayKey, type Clock } from '../core/clock';
import type { PatsnapConfig } from '../core/config';
import { SlidingWindow } from '../core/window';

/**
 * Per-credential limits: QPS over a sliding 1 s window, daily call count (reset at 00:00 UTC+8,
 * PatSnap's home time zone) and an optional balance of billable results.
 */
export class PatsnapLimits {
	readonly qps: SlidingWindow;
	private calls = new Map<string, number>();
	private billed = new Map<string, number>();

	constructor(
		private readonly clock: Clock,
		private readonly config: () => PatsnapConfig,
	) {
		this.qps = new SlidingWindow(clock, () => ({ limit: config().qps, windowMs: 1000 }));
	}

	/** Counts the call unless today's limit is already used up. */
	tryCall(key: string): boolean {
		const k = `${dayKey(this.clock.now(), 8)}|${key}`;
		const n = this.calls.get(k) ?? 0;
		if (n >= this.config().dailyLimit) return false;
		this.calls.set(k, n + 1);
		return true;
	}

	canBill(key: string, amount: number): boolean {
		const balance = this.config().balance;
		return balance === null || (this.billed.get(key) ?? 0) + amount <= balance;
	}

	bill(key: string, amount: number): void {
		this.billed.set(key, (this.billed.get(key) ?? 0) + amount);
	}

	totalBilled(key: string): number {
		return this.billed.get(key) ?? 0;
	}

	clear(): void {
		this.qps.clear();
		this.calls.clear();
		this.billed.clear();
	}
}
