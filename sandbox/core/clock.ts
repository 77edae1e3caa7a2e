/** Anything time-based in the sandbox reads time through this, so tests can move it forward. */
export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

const HOUR_MS = 3_600_000;

/**
 * Day key (YYYYMMDD) of an instant in a fixed UTC offset. Daily quotas reset at local midnight of
 * the service: JST (UTC+9) for JPO, UTC+8 for PatSnap (its platform runs on China time).
 */
export function dayKey(ms: number, utcOffsetHours: number): string {
	const d = new Date(ms + utcOffsetHours * HOUR_MS);
	return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
}

/** YYYYMMDD of an instant in JST, the form JPO uses for every date. */
export function jstDate(ms: number): string {
	return dayKey(ms, 9);
}

/** YYYYMMDD as a number, the form PatSnap uses for every date. */
export function cstDateInt(ms: number): number {
	return Number(dayKey(ms, 8));
}

function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}
