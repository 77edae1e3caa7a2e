/** PatSnap runs on China time (UTC+8, no daylight saving): its daily limit starts over at midnight there. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

function nextChinaMidnight(nowMs: number): Date {
	return new Date(Math.floor((nowMs + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS + DAY_MS - CHINA_OFFSET_MS);
}

function chinaTime(date: Date): string {
	return `${new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} UTC+8`;
}

function waitUntil(untilMs: number, nowMs: number): string {
	const minutes = Math.max(1, Math.round((untilMs - nowMs) / 60_000));
	return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** When a 67200007 refusal ends, as the failure's `resetsAt` and the sentence that tells the user. */
export function dailyLimitReset(nowMs: number): { resetsAt: Date; description: string } {
	const resetsAt = nextChinaMidnight(nowMs);
	return {
		resetsAt,
		description: `The limit resets the next day: PatSnap counts calls per day in China time, so it is expected to reset at 00:00 UTC+8 (${chinaTime(resetsAt)}, in ${waitUntil(resetsAt.getTime(), nowMs)}).`,
	};
}
