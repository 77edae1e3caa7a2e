/**
 * Days as the APIs count them. JPO resets its daily counts at 00:00 in Japan, PatSnap at 00:00 in
 * China; neither country has daylight saving time, so a fixed offset from UTC is exact.
 */

const DAY_MS = 86_400_000;

export interface ServiceTime {
	offsetMs: number;
	/** How a local time is labelled in messages, e.g. `UTC+8`. */
	label: string;
}

export const JAPAN_TIME: ServiceTime = { offsetMs: 9 * 3_600_000, label: 'UTC+9' };

export const CHINA_TIME: ServiceTime = { offsetMs: 8 * 3_600_000, label: 'UTC+8' };

/** 00:00 local time of the day after `nowMs`: when a service running on that time starts a new day. */
export function nextMidnight(offsetMs: number, nowMs: number): Date {
	const localNow = nowMs + offsetMs;
	return new Date(Math.floor(localNow / DAY_MS) * DAY_MS + DAY_MS - offsetMs);
}

/** An instant as local wall-clock time, e.g. `2026-03-05 00:00 UTC+8`. */
export function formatLocal(time: ServiceTime, ms: number): string {
	return `${new Date(ms + time.offsetMs).toISOString().slice(0, 16).replace('T', ' ')} ${time.label}`;
}

/** How long until `untilMs`, in whole minutes (at least one), e.g. `3 h 5 min`. */
export function describeWait(untilMs: number, nowMs: number): string {
	const minutes = Math.max(1, Math.round((untilMs - nowMs) / 60_000));
	return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}
