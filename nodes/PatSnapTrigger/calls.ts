import type { IDataObject } from 'n8n-workflow';

import type { PatSnapTransport, PatSnapCall } from '../PatSnap/transport';
import type { Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { settle } from '../shared/retry';

export type CallOutcome = { data: unknown } | { failure: ApiFailure };

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** 00:00 in China (UTC+8) of the next day: when PatSnap, which runs on China time, starts a new day. */
export function nextChinaMidnight(nowMs: number): Date {
	const chinaNow = nowMs + CHINA_OFFSET_MS;
	return new Date(Math.floor(chinaNow / 86_400_000) * 86_400_000 + 86_400_000 - CHINA_OFFSET_MS);
}

function describeWait(untilMs: number, nowMs: number): string {
	const minutes = Math.max(1, Math.round((untilMs - nowMs) / 60_000));
	return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

function formatChinaTime(date: Date): string {
	return `${new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} UTC+8`;
}

/** PatSnap's own daily limit (67200007), as opposed to the balance or the platform total. */
export const DAILY_LIMIT_CODE = 67200007;

/**
 * The trigger's way to PatSnap: every call goes through the PatSnap node's transport (throttle,
 * token, retries, and no repeat of a billed or state-changing call whose answer was lost), comes
 * back as a value rather than a throw, and is counted with the results PatSnap returned, which is
 * what PatSnap bills.
 */
export class TriggerCalls {
	readonly calls: Record<string, number> = {};

	readonly billedResults: Record<string, number> = {};

	constructor(
		private readonly transport: PatSnapTransport,
		private readonly clock: Clock,
	) {}

	async call(code: string, call: PatSnapCall): Promise<CallOutcome> {
		this.calls[code] = (this.calls[code] ?? 0) + 1;
		const outcome = await settle(this.transport.call(call));
		if ('value' in outcome) return { data: outcome.value.data };
		const failure =
			outcome.error instanceof ApiFailure
				? outcome.error
				: new ApiFailure(`PatSnap request failed: ${(outcome.error as Error).message}`, { api: 'PatSnap', kind: 'unexpected', operation: call.operation });
		return { failure: this.withResetTime(failure) };
	}

	/** Adds what PatSnap will bill for an answer: results for batch calls, 1 for a P048 page with documents. */
	bill(code: string, results: number): void {
		if (results > 0) this.billedResults[code] = (this.billedResults[code] ?? 0) + results;
	}

	report(): IDataObject {
		return { calls: { ...this.calls }, billedResults: { ...this.billedResults } };
	}

	private withResetTime(failure: ApiFailure): ApiFailure {
		if (failure.details.code !== DAILY_LIMIT_CODE) return failure;
		const now = this.clock.now();
		const resetsAt = nextChinaMidnight(now);
		return failure.withDetails({
			resetsAt,
			description: `PatSnap counts calls per day in China time; the limit is expected to reset at 00:00 UTC+8 (${formatChinaTime(resetsAt)}, in ${describeWait(resetsAt.getTime(), now)}).`,
		});
	}
}
