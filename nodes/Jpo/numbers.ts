import { quoted } from '../shared/quoted';

/** `an application number`, `a PCT number`, `an ID`: the article goes by the sound of the first letter. */
export function withArticle(noun: string): string {
	return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/**
 * Turns the ways people write Japanese application numbers into the 10-digit form the API needs
 * (4-digit Western year + 6-digit serial): 2020-123456, 2020123456, 特願2020-123456, full-width
 * digits, 令和2年特許願第123456号, 平成30年…, JP2020123456.
 */
export class NumberFormatError extends Error {
	constructor(
		readonly field: string,
		readonly value: string,
		readonly acceptedForms: string,
		/** The node field as the UI shows it, e.g. `Number`; an AI Agent passes a model only the message. */
		readonly label?: string,
	) {
		super(`${label ? `${label} field: ` : ''}${quoted(value)} is not ${withArticle(field)} JPO understands. Accepted forms: ${acceptedForms}.`);
		this.name = 'NumberFormatError';
	}

	inField(label: string): NumberFormatError {
		return new NumberFormatError(this.field, this.value, this.acceptedForms, label);
	}
}

export const APPLICATION_NUMBER_FORMS =
	'2020123456, 2020-123456, 特願2020-123456 (full-width digits too), 令和2年特許願第123456号, 平成30年…, JP2020123456';

/**
 * Short lists of accepted forms, for texts that must stay short (the tool description a model
 * reads), per law because each writes its own prefix. Every example must pass its normaliser; a
 * unit test holds them to that.
 */
export const NUMBER_EXAMPLES = {
	patent: { application: '2020-123456, 特願2020-123456 or 令和2年特許願第123456号', registration: '特許第7112139号 or JP7112139B2' },
	design: { application: '2020-123456 or 意願2020-123456', registration: '意匠登録第1712345号 or 1712345' },
	trademark: { application: '2020-123456 or 商願2020-123456', registration: '商標登録第6712345号 or 6712345' },
	publication: '特開2021-097352 or JP2021-097352A',
	pct: 'PCT/JP2019/011858 or WO2019/011858',
	docdb: 'JP.2015500001.A',
} as const;

const ERA_START_YEAR: Record<string, number> = { 令和: 2018, R: 2018, 平成: 1988, H: 1988, 昭和: 1925, S: 1925 };

// Longest first so 特許願 is stripped whole rather than leaving 許願.
const APPLICATION_PREFIXES = ['意匠登録願', '商標登録願', '特許願', '特願', '意願', '商願', '実願', '特開', '特表', '再表'];

/** Characters JPO answers with status 208 (the spec and its own message disagree on ; and :). */
export const FORBIDDEN_CHARACTERS = /[\t,;:|]/;

function toHalfWidth(value: string): string {
	return value
		.normalize('NFKC')
		.replace(/[‐‑‒–—―−ー]/g, '-')
		.replace(/\s+/g, '');
}

/** The Western year of an era year: 令和 (or R) 元 → 2019, 平成 3 → 1991. */
export function westernYear(era: string, eraYear: string): number {
	const offset = ERA_START_YEAR[era];
	const year = eraYear === '元' ? 1 : Number(eraYear);
	return offset + year;
}

/** The 10-digit form of an application-style number, or undefined when it cannot be read. */
function parseTenDigitNumber(original: string): string | undefined {
	if (original === '' || FORBIDDEN_CHARACTERS.test(original)) return undefined;
	let value = toHalfWidth(original);
	for (const prefix of APPLICATION_PREFIXES) {
		if (value.startsWith(prefix)) {
			value = value.slice(prefix.length);
			break;
		}
	}
	value = value.replace(/^JP/i, '');

	const era = /^(令和|平成|昭和|[RHS])(元|\d{1,2})(?:年)?(?:特許願|意匠登録願|商標登録願|特願|意願|商願)?(?:第)?-?(\d{1,6})(?:号)?$/i.exec(value);
	if (era) {
		return `${westernYear(era[1].length === 1 ? era[1].toUpperCase() : era[1], era[2])}${era[3].padStart(6, '0')}`;
	}
	const split = /^(\d{4})[-/](\d{1,6})$/.exec(value);
	const year = split ? Number(split[1]) : Number(value.slice(0, 4));
	const normalised = split ? `${split[1]}${split[2].padStart(6, '0')}` : value;
	return /^\d{10}$/.test(normalised) && year >= 1900 && year <= 2100 ? normalised : undefined;
}

export function normaliseApplicationNumber(input: unknown, field = 'application number'): string {
	const original = String(input ?? '').trim();
	const parsed = parseTenDigitNumber(original);
	if (parsed === undefined) throw new NumberFormatError(field, original, APPLICATION_NUMBER_FORMS);
	return parsed;
}

export const PUBLICATION_NUMBER_FORMS =
	'2021097352, 2021-097352, 特開2021-097352, 特表2021-500123, 特開平10-123456 (Heisei and Reiwa only), JP2021-097352A, JP2021097352A';

/**
 * Unexamined (特開) and national (特表) publication numbers, which JPO's number reference takes in
 * the same 10-digit Western-year form as application numbers; a trailing kind code (A) is dropped.
 */
export function normalisePublicationNumber(input: unknown): string {
	const original = String(input ?? '').trim();
	const parsed = parseTenDigitNumber(toHalfWidth(original).replace(/(\d)A\d?$/i, '$1'));
	if (parsed === undefined) throw new NumberFormatError('publication number', original, PUBLICATION_NUMBER_FORMS);
	return parsed;
}

export const REGISTRATION_NUMBER_FORMS = '7533889, 特許第7533889号, 7,533,889, JP7533889B2';

export function normaliseRegistrationNumber(input: unknown): string {
	const original = String(input ?? '').trim();
	const value = toHalfWidth(original)
		.replace(/^JP/i, '')
		.replace(/(\d)B\d?$/i, '$1')
		.replace(/^(特許|意匠登録|商標登録|登録)?第?/, '')
		.replace(/号$/, '')
		.replace(/,/g, '');
	if (FORBIDDEN_CHARACTERS.test(original.replace(/,/g, '')) || !/^\d{1,7}$/.test(value)) {
		throw new NumberFormatError('registration number', original, REGISTRATION_NUMBER_FORMS);
	}
	return value.padStart(7, '0');
}

export const APPLICANT_CODE_FORMS = 'nine digits, e.g. 000003207';

export function normaliseApplicantCode(input: unknown): string {
	const original = String(input ?? '').trim();
	const value = toHalfWidth(original);
	if (!/^\d{9}$/.test(value)) throw new NumberFormatError('applicant code', original, APPLICANT_CODE_FORMS);
	return value;
}

export const PCT_FORMS =
	'international application PCT/JP2019/011858 or JP2019011858; international publication WO2019/011858 or WO2019011858';

export function normalisePctNumber(input: unknown, kind: string): string {
	const original = String(input ?? '').trim();
	const value = toHalfWidth(original).toUpperCase();
	if (kind === 'international_publication') {
		const match = /^WO(\d{4})\/?(\d{1,6})$/.exec(value);
		if (match) return `WO${match[1]}${match[2].padStart(6, '0')}`;
	} else {
		const match = /^(?:PCT\/)?([A-Z]{2})\/?(\d{4})\/?(\d{1,6})$/.exec(value);
		if (match) return `${match[1]}${match[2]}${match[3].padStart(6, '0')}`;
	}
	throw new NumberFormatError('PCT number', original, PCT_FORMS);
}

export const DOCDB_FORMS = 'CC.number.kind, e.g. JP.2015500001.A, JP.6249966.B2, US.9459406.B2';

export function normaliseDocdbNumber(input: unknown): string {
	const original = String(input ?? '').trim();
	const value = toHalfWidth(original).toUpperCase();
	if (!/^[A-Z]{2}\.[0-9A-Z]{1,94}\.[A-Z0-9*]{1,2}$/.test(value)) {
		throw new NumberFormatError('DOCDB number', original, DOCDB_FORMS);
	}
	return value;
}

export function checkDocumentId(input: unknown): string {
	const original = String(input ?? '').trim();
	if (!/^[A-Za-z0-9_-]{1,128}$/.test(original)) {
		throw new NumberFormatError('document ID', original, 'letters, digits and underscores, e.g. Abstract_61539913647_JP');
	}
	return original;
}

/** A kind selector (Number Kind, PCT Number Kind, DOCDB Number Kind) must be one of its options. */
export function checkKind(field: string, input: unknown, kinds: readonly string[]): string {
	const value = String(input ?? '');
	if (!kinds.includes(value)) throw new NumberFormatError(field, value, kinds.join(', '));
	return value;
}

export function checkApplicantName(input: unknown): string {
	const value = String(input ?? '');
	if (value.trim() === '' || FORBIDDEN_CHARACTERS.test(value)) {
		throw new NumberFormatError('applicant name', value, 'the exact registered name, without tabs, commas, semicolons, colons or vertical bars');
	}
	return value;
}
