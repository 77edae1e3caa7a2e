import type { Clock } from '../clock';
import { ApiFailure, type ApiName } from '../failure';
import { formatLocal, type ServiceTime } from '../serviceDay';

/**
 * An API's own word that a daily limit is used up. Both APIs refuse every further call until their
 * next midnight and JPO's handbook asks clients not to keep asking, so the refusal is kept and given
 * again to later calls without sending them: an AI Agent calling a tool in a loop would otherwise
 * send one refused request per attempt.
 */
export interface UsedUpLimit {
	/** When the API said so, on the clock of the process that was told. */
	reportedAtMs: number;
	/** When the limit starts over; the fact is forgotten from then on. */
	resetsAtMs: number;
	/** The refusal as the node worded it, so a call not sent fails the way a sent one did. */
	refusal: { message: string; code?: string | number; originalMessage?: string };
}

/** The fact to keep from a failure, when it is a daily-limit refusal that says when it resets. */
export function usedUpLimitOf(failure: ApiFailure, nowMs: number): UsedUpLimit | undefined {
	const { kind, resetsAt, code, originalMessage } = failure.details;
	if (kind !== 'quota' || !resetsAt || resetsAt.getTime() <= nowMs) return undefined;
	return { reportedAtMs: nowMs, resetsAtMs: resetsAt.getTime(), refusal: { message: failure.message, code, originalMessage } };
}

export function isLive(limit: UsedUpLimit | undefined, nowMs: number): limit is UsedUpLimit {
	return limit !== undefined && nowMs < limit.resetsAtMs;
}

/**
 * The kept refusal, as the failure of a call that was not sent. `reset` words the reset the same
 * way the API's own answer is worded, on the current time.
 */
export function notSentFailure(
	limit: UsedUpLimit,
	api: ApiName,
	time: ServiceTime,
	reset: { description: string },
	what: string,
): ApiFailure {
	const note = `Not sent: ${api} reported ${what} used up at ${formatLocal(time, limit.reportedAtMs)}, so no call for it goes out before the reset.`;
	return new ApiFailure(limit.refusal.message, {
		api,
		kind: 'quota',
		code: limit.refusal.code,
		originalMessage: limit.refusal.originalMessage,
		resetsAt: new Date(limit.resetsAtMs),
		description: [reset.description, note].filter(Boolean).join(' '),
		notSentSince: new Date(limit.reportedAtMs),
	});
}

/** A value read back from a shared store: anything that is not a kept limit counts as none. */
export function parseUsedUpLimit(text: string | null | undefined): UsedUpLimit | undefined {
	if (!text) return undefined;
	try {
		const value = JSON.parse(text) as Partial<UsedUpLimit>;
		const refusal = value.refusal;
		if (typeof value.reportedAtMs !== 'number' || typeof value.resetsAtMs !== 'number' || typeof refusal?.message !== 'string') return undefined;
		return {
			reportedAtMs: value.reportedAtMs,
			resetsAtMs: value.resetsAtMs,
			refusal: {
				message: refusal.message,
				code: typeof refusal.code === 'string' || typeof refusal.code === 'number' ? refusal.code : undefined,
				originalMessage: typeof refusal.originalMessage === 'string' ? refusal.originalMessage : undefined,
			},
		};
	} catch {
		return undefined;
	}
}

/** Used-up limits kept in memory, per identity and scope, each until its reset. */
export class UsedUpLimits {
	private readonly limits = new Map<string, UsedUpLimit>();

	mark(key: string, scope: string, limit: UsedUpLimit): void {
		this.limits.set(`${key}\u0000${scope}`, limit);
	}

	get(key: string, scope: string, clock: Clock): UsedUpLimit | undefined {
		const id = `${key}\u0000${scope}`;
		const limit = this.limits.get(id);
		if (isLive(limit, clock.now())) return limit;
		this.limits.delete(id);
		return undefined;
	}

	clear(): void {
		this.limits.clear();
	}
}

/**
 * The used-up limits of this process, shared by every execution as the request windows are: the
 * next execution of a tool an agent calls again is a new run in the same process.
 */
export const processUsedUpLimits = new UsedUpLimits();
