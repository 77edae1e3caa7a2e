import { inputFailure, numberFailure } from './runContext';
import { quoted } from '../shared/quoted';

/**
 * Splits a list of application or publication numbers. US serial numbers are written with a
 * thousands comma ("14/706,838", "US 11,205,304 B2"), so a comma between a digit and exactly three
 * digits belongs to the number; every other comma, semicolon or new line separates numbers.
 * (Not used for PatSnap IDs: a list of UUIDs can put a digit on both sides of a comma.)
 */
export function splitNumberList(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap((entry) => splitNumberList(entry));
	let text = String(value ?? '');
	for (let previous = ''; previous !== text; ) {
		previous = text;
		text = text.replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
	}
	return text
		.split(/[\n,;]+/)
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

/** Accepted forms, shown both where a number is refused and in the tool description a model reads. */
export const PATSNAP_APPLICATION_NUMBER_EXAMPLES = 'US14/706838, EP20123456 or CN202010123456.7';
export const PATSNAP_PUBLICATION_NUMBER_EXAMPLES = 'US11205304B2, US11205304 or EP3456789A1';

const APPLICATION_NUMBER = /^[A-Z0-9][A-Z0-9/.-]{3,39}$/;

/** Application numbers keep their separators (US14/706838, CN202010123456.7, PCT/US2020/012345). */
export function normaliseApplicationNumber(input: string, field: string): string {
	const compact = input.replace(/\s+/g, '').toUpperCase();
	if (!APPLICATION_NUMBER.test(compact)) {
		throw numberFailure(`${quoted(input)} is not an application number. Use a form such as ${PATSNAP_APPLICATION_NUMBER_EXAMPLES}.`, field);
	}
	return compact;
}

const PUBLICATION_NUMBER = /^([A-Z]{2})?\d[A-Z0-9]{1,22}$/;

/** Publication numbers with or without country and kind code, as P069 accepts them. */
export function normalisePublicationNumber(input: string, field: string): string {
	const compact = input.replace(/[\s.,/-]/g, '').toUpperCase();
	if (!PUBLICATION_NUMBER.test(compact)) {
		throw numberFailure(`${quoted(input)} is not a publication number. Use a form such as ${PATSNAP_PUBLICATION_NUMBER_EXAMPLES}.`, field);
	}
	return compact;
}

/** PatSnap dates are integers YYYYMMDD; n8n's date picker gives ISO text, people type either. */
export function parseDocumentDate(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T\s])/.exec(text);
	const month = match ? Number(match[2]) : 0;
	const day = match ? Number(match[3]) : 0;
	if (!match || month < 1 || month > 12 || day < 1 || day > 31) {
		throw inputFailure(`${quoted(text)} is not a date. Use the date picker or a form such as 2025-01-31 or 20250131.`, field);
	}
	return Number(`${match[1]}${match[2]}${match[3]}`);
}

const DOCUMENT_CODE = /^[A-Z0-9][A-Z0-9._-]{0,19}$/;

/** "CTNF, ctfr;NOA" → "CTNF,CTFR,NOA" as P048's `doc_code` wants it; undefined when empty. */
export function parseDocumentCodes(value: unknown, field: string): string | undefined {
	const codes = String(value ?? '')
		.split(/[\s,;]+/)
		.map((code) => code.trim().toUpperCase())
		.filter((code) => code !== '');
	for (const code of codes) {
		if (!DOCUMENT_CODE.test(code)) throw inputFailure(`${quoted(code)} is not a document code. Use codes such as CTNF, CTFR, NOA or IDS.`, field);
	}
	return codes.length > 0 ? [...new Set(codes)].join(',') : undefined;
}

/** "us, EP" → ['US', 'EP'] for P069's `authority`; undefined when empty. */
export function parseAuthorities(value: unknown, field: string): string[] | undefined {
	const codes = String(value ?? '')
		.split(/[\s,;]+/)
		.map((code) => code.trim().toUpperCase())
		.filter((code) => code !== '');
	for (const code of codes) {
		if (!/^[A-Z]{2}$/.test(code)) throw inputFailure(`${quoted(code)} is not a two-letter office code such as US, EP, CN or WO.`, field);
	}
	return codes.length > 0 ? [...new Set(codes)] : undefined;
}
