import type { Clock } from '../../nodes/shared/clock';

/**
 * A clock whose sleep advances time instantly. The same instance can drive the sandbox, so the
 * server's per-minute windows and the client's throttle agree on time without a test ever waiting.
 */
export class FakeClock implements Clock {
	readonly sleeps: number[] = [];

	private randomValues: number[] = [];

	constructor(public time = Date.UTC(2026, 10, 21, 3, 0, 0)) {}

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		if (ms > 0) this.time += ms;
	}

	advance(ms: number): void {
		this.time += ms;
	}

	/** Queue values for random(); 0.5 when the queue is empty. */
	setRandom(...values: number[]): void {
		this.randomValues = values;
	}

	random(): number {
		return this.randomValues.shift() ?? 0.5;
	}

	get slept(): number {
		return this.sleeps.reduce((sum, ms) => sum + ms, 0);
	}
}
