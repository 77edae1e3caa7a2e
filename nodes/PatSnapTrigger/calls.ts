import type { IDataObject } from 'n8n-workflow';

import type { PatSnapTransport, PatSnapCall } from '../PatSnap/transport';
import { callAsValue, type CallResult } from '../shared/callResult';
import type { Clock } from '../shared/clock';
import type { ApiFailure } from '../shared/failure';
import { CHINA_TIME, describeWait, formatLocal, nextMidnight } from '../shared/serviceDay';

/** 00:00 in China (UTC+8) of the next day: when PatSnap, which runs on China time, starts a new day. */
export function nextChinaMidnight(nowMs: number): Date {
	return nextMidnight(CHINA_TIME.offsetMs, nowMs);
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

	async call(code: string, call: PatSnapCall): Promise<CallResult<unknown>> {
		this.calls[code] = (this.calls[code] ?? 0) + 1;
		const outcome = await callAsValue(this.transport.call(call), 'PatSnap', call.operation);
		return 'value' in outcome ? { value: outcome.value.data } : { failure: this.withResetTime(outcome.failure) };
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
			description: `PatSnap counts calls per day in China time; the limit is expected to reset at 00:00 UTC+8 (${formatLocal(CHINA_TIME, resetsAt.getTime())}, in ${describeWait(resetsAt.getTime(), now)}).`,
		});
	}
}
