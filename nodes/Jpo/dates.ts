import { westernYear } from './numbers';

/** The two ways JPO writes dates: YYYYMMDD in JSON and XML, era dates in the HTM documents. */

/** Japan has no daylight saving time; JPO's days, counts and dispatch dates all run on JST. */
export const JST_OFFSET_MS = 9 * 3600_000;

/** The JST calendar day (YYYY-MM-DD) of an instant. */
export function jstDay(ms: number): string {
	return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 JST of the next day: when JPO resets every daily count. */
export function nextJstMidnight(nowMs: number): Date {
	const jstNow = nowMs + JST_OFFSET_MS;
	const nextJstMidnightAsUtc = Math.floor(jstNow / 86_400_000) * 86_400_000 + 86_400_000;
	return new Date(nextJstMidnightAsUtc - JST_OFFSET_MS);
}

/** `2024-02-21 00:00 JST`: the reset time as a user in Japan reads it. */
export function formatJst(date: Date): string {
	const jst = new Date(date.getTime() + JST_OFFSET_MS);
	return `${jst.toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

/** `3 h 12 min`, never less than a minute: how long until a reset. */
export function describeWait(untilMs: number, nowMs: number): string {
	const minutes = Math.max(1, Math.round((untilMs - nowMs) / 60_000));
	return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

function isoIfValid(year: number, month: number, day: number): string | null {
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
	return date.toISOString().slice(0, 10);
}

/** `20240220` → `2024-02-20`; empty, zero-filled or impossible dates → null. */
export function isoFromCompactDate(value: unknown): string | null {
	const match = /^(\d{4})(\d{2})(\d{2})$/.exec(String(value ?? '').trim());
	return match ? isoIfValid(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** An era or Western date written in full-width digits and padded with spaces, as in the HTM documents → `2022-03-10`. */
export function isoFromJapaneseDate(value: string): string | null {
	const compact = value.normalize('NFKC').replace(/\s+/g, '');
	const match = /^(令和|平成|昭和)?(元|\d{1,4})年(\d{1,2})月(\d{1,2})日$/.exec(compact);
	if (!match) return null;
	const year = match[1] ? westernYear(match[1], match[2]) : Number(match[2]);
	return isoIfValid(year, Number(match[3]), Number(match[4]));
}

