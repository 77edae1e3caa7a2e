import { dayKey, type Clock } from '../core/clock';
import type { JpoConfig } from '../core/config';
import { SlidingWindow } from '../core/window';

/**
 * Daily counts per username, per API, per JST day (NOTES §5), and the two per-minute windows
 * (all domestic APIs together; OPD separately).
 */
export class JpoQuota {
	private used = new Map<string, number>();
	readonly domesticWindow: SlidingWindow;
	readonly opdWindow: SlidingWindow;

	constructor(
		private readonly clock: Clock,
		private readonly config: () => JpoConfig,
	) {
		this.domesticWindow = new SlidingWindow(clock, () => config().perMinute);
		this.opdWindow = new SlidingWindow(clock, () => config().opdPerMinute);
	}

	limit(endpointId: string): number {
		return this.config().dailyLimits[endpointId] ?? 0;
	}

	exhausted(username: string, endpointId: string): boolean {
		return this.count(username, endpointId) >= this.limit(endpointId);
	}

	/** Counts one answered call and returns what is left today. */
	consume(username: string, endpointId: string): number {
		const key = this.key(username, endpointId);
		const n = (this.used.get(key) ?? 0) + 1;
		this.used.set(key, n);
		return Math.max(0, this.limit(endpointId) - n);
	}

	remaining(username: string, endpointId: string): number {
		return Math.max(0, this.limit(endpointId) - this.count(username, endpointId));
	}

	clear(): void {
		this.used.clear();
		this.domesticWindow.clear();
		this.opdWindow.clear();
	}

	private count(username: string, endpointId: string): number {
		return this.used.get(this.key(username, endpointId)) ?? 0;
	}

	private key(username: string, endpointId: string): string {
		return `${dayKey(this.clock.now(), 9)}|${username}|${endpointId}`;
	}
}
