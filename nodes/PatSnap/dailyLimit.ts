import { CHINA_TIME, describeWait, formatLocal, nextMidnight } from '../shared/serviceDay';

/** 00:00 in China (UTC+8) of the next day: PatSnap runs on China time, so its daily limit starts over then. */
export function nextChinaMidnight(nowMs: number): Date {
	return nextMidnight(CHINA_TIME.offsetMs, nowMs);
}

/** When a 67200007 refusal ends, as the failure's `resetsAt` and the sentence that tells the user. */
export function dailyLimitReset(nowMs: number): { resetsAt: Date; description: string } {
	const resetsAt = nextChinaMidnight(nowMs);
	return {
		resetsAt,
		description: `The limit resets the next day: PatSnap counts calls per day in China time, so it is expected to reset at 00:00 UTC+8 (${formatLocal(CHINA_TIME, resetsAt.getTime())}, in ${describeWait(resetsAt.getTime(), nowMs)}).`,
	};
}
