import { JAPAN_TIME, describeWait, formatLocal, nextMidnight, type ServiceTime } from '../shared/serviceDay';
import { westernYear } from './numbers';

/** The two ways JPO writes dates: YYYYMMDD in JSON and XML, era dates in the HTM documents. */

/** Japan has no daylight saving time; JPO's days, counts and dispatch dates all run on JST. */
export const JST_OFFSET_MS = JAPAN_TIME.offsetMs;

/** The JST calendar day (YYYY-MM-DD) of an instant. */
export function jstDay(ms: number): string {
	return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 JST of the next day: when JPO resets every daily count. */
export function nextJstMidnight(nowMs: number): Date {
	return nextMidnight(JAPAN_TIME.offsetMs, nowMs);
}

/** Japan time as JPO's users name it, for the times messages show. */
export const JST: ServiceTime = { ...JAPAN_TIME, label: 'JST' };

/** `2024-02-21 00:00 JST`: the reset time as a user in Japan reads it. */
export function formatJst(date: Date): string {
	return formatLocal(JST, date.getTime());
}

/**
 * `resets at 2024-02-21 00:00 JST (in 3 h 5 min)`: for the message of a quota stop, which is all an
 * AI Agent passes on to its model, so it must say on its own when trying again makes sense.
 */
export function jstResetPhrase(nowMs: number): string {
	const resetsAt = nextJstMidnight(nowMs);
	return `resets at ${formatJst(resetsAt)} (in ${describeWait(resetsAt.getTime(), nowMs)})`;
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

