import { CHINA_TIME, describeWait, formatLocal, nextMidnight } from '../shared/serviceDay';

/** 00:00 in China (UTC+8) of the next day: PatSnap runs on China time, so its daily limit starts over then. */
export function nextChinaMidnight(nowMs: number): Date {
	return nextMidnight(CHINA_TIME.offsetMs, nowMs);
}

/** When a 67200007 refusal ends, as the failure's `resetsAt` and the sentences that tell the user (and a model). */
export function dailyLimitReset(nowMs: number): { resetsAt: Date; description: string; inMessage: string } {
	const resetsAt = nextChinaMidnight(nowMs);
	return {
		resetsAt,
		inMessage: `It is expected to reset at ${formatLocal(CHINA_TIME, resetsAt.getTime())} (in ${describeWait(resetsAt.getTime(), nowMs)}), when PatSnap's day starts in China; retrying before then will not help.`,
		description: `The limit resets the next day: PatSnap counts calls per day in China time, so it is expected to reset at 00:00 UTC+8 (${formatLocal(CHINA_TIME, resetsAt.getTime())}, in ${describeWait(resetsAt.getTime(), nowMs)}).`,
	};
}
