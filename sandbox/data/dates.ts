/** Date arithmetic on YYYYMMDD strings, the form both APIs use. */
export function ymdToMs(ymd: string): number {
	return Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8)));
}

export function msToYmd(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

export function addDays(ymd: string, days: number): string {
	return msToYmd(ymdToMs(ymd) + days * 86_400_000);
}

export function addYears(ymd: string, years: number): string {
	return `${Number(ymd.slice(0, 4)) + years}${ymd.slice(4)}`;
}

/** Japanese era form used in document text (Reiwa/Heisei year, month, day in full-width digits). */
export function eraDate(ymd: string): string {
	const y = Number(ymd.slice(0, 4));
	const reiwa = ymd >= '20190501';
	const era = reiwa ? '令和' : '平成';
	const eraYear = reiwa ? y - 2018 : y - 1988;
	return `${era}${toFullWidth(String(eraYear))}年${toFullWidth(String(Number(ymd.slice(4, 6))))}月${toFullWidth(String(Number(ymd.slice(6, 8))))}日`;
}

export function toFullWidth(s: string): string {
	return s.replace(/[0-9A-Za-z-]/g, (c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
}

/** Latest date the seeded data describes; keeps the data set independent of the real clock. */
export const DATA_AS_OF = '20260930';
