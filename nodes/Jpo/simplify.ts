import type { IDataObject } from 'n8n-workflow';

import { isoFromCompactDate } from './dates';
import { englishDocumentName } from './documentNames';

/**
 * JPO sends every value as a string: dates as YYYYMMDD, counts zero-padded, flags as "0"/"1", and
 * some lists as objects keyed "0", "1", … With Simplify on, the node adds what a workflow needs
 * to compare and sort (ISO dates beside the original strings, English document names, decoded
 * flags) and turns counts into numbers. Nothing JPO sent is removed.
 */
const COUNT_FIELDS = new Set([
	'numberOfPages',
	'sizeOfDocument',
	'numberOfClaims',
	'lastPaymentYearly',
	'divisionalGeneration',
	'citationOrder',
	'repeatNumber',
]);

/** Trademark lists JPO encodes as objects keyed by position (NOTES §3.2). */
const POSITIONAL_OBJECTS = new Set(['transliteration', 'viennaClass']);

const ROLES: Readonly<Record<string, string>> = { '1': 'applicant', '2': 'attorney' };

function toCount(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return null;
	return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

function positionalToArray(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	const keys = Object.keys(value);
	if (!keys.every((key) => /^\d+$/.test(key))) return value;
	return keys.sort((a, b) => Number(a) - Number(b)).map((key) => (value as IDataObject)[key]);
}

function simplifyValue(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(simplifyValue);
	if (value !== null && typeof value === 'object') return simplifyObject(value as IDataObject);
	return value;
}

function simplifyObject(source: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(source)) {
		if (COUNT_FIELDS.has(key)) {
			result[key] = toCount(value) as IDataObject[string];
			continue;
		}
		if (POSITIONAL_OBJECTS.has(key)) {
			result[key] = positionalToArray(value) as IDataObject[string];
			continue;
		}
		result[key] = simplifyValue(value) as IDataObject[string];
		if (/(?:Date|-date)$|^date$/.test(key) && typeof value === 'string') result[`${key}Iso`] = isoFromCompactDate(value);
		if (key === 'similarCode' && typeof value === 'string') result.similarCodes = value.split(/\s+/).filter(Boolean);
		if (key === 'applicantAttorneyClass' && typeof value === 'string') result.role = ROLES[value] ?? null;
		if (key === 'availabilityFlag') result.bodyAvailable = value === '1';
		if (key === 'irirFlg') result.fromInternationalBureau = value === '1';
		if (key === 'documentDescription' && typeof value === 'string') {
			result.documentNameEn = englishDocumentName(value, typeof source.documentCode === 'string' ? source.documentCode : undefined);
		}
	}
	return result;
}

export function simplifyJpoData(data: IDataObject): IDataObject {
	return simplifyObject(data);
}

/** Where each law's answers put the name of the case: invention, article, or the mark as displayed. */
const TITLE_FIELDS = ['inventionTitle', 'designArticle', 'trademarkForDisplay'];

const APPLICANT_CLASS = '1';

function entries(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.filter((entry): entry is IDataObject => entry !== null && typeof entry === 'object') : [];
}

/** The newest document in the history; of several on the same day, the one JPO lists last. */
function latestEvent(data: IDataObject): IDataObject | undefined {
	let latest: IDataObject | undefined;
	for (const block of entries(data.bibliographyInformation)) {
		for (const document of entries(block.documentList)) {
			if (!latest || String(document.legalDate ?? '') >= String(latest.legalDate ?? '')) latest = document;
		}
	}
	if (!latest) return undefined;
	return {
		date: latest.legalDateIso ?? latest.legalDate ?? null,
		documentCode: latest.documentCode ?? null,
		documentName: latest.documentDescription ?? null,
		documentNameEn: latest.documentNameEn ?? null,
	};
}

/**
 * What a reader looks at first in a simplified progress answer, to be put at the front of the item:
 * the application number, the title, the latest event, and the applicants as one readable string
 * (`A Co., Ltd.; B Inc.`; the applicantAttorney array stays as it is). Fields the answer lacks are left out.
 */
export function simplifiedLead(data: IDataObject): IDataObject {
	const lead: IDataObject = {};
	if (typeof data.applicationNumber === 'string') lead.applicationNumber = data.applicationNumber;
	const titleField = TITLE_FIELDS.find((field) => typeof data[field] === 'string' && data[field] !== '');
	if (titleField) lead.title = data[titleField];
	const event = latestEvent(data);
	if (event) lead.latestEvent = event;
	if (Array.isArray(data.applicantAttorney)) {
		lead.applicants = entries(data.applicantAttorney)
			.filter((party) => party.applicantAttorneyClass === APPLICANT_CLASS)
			.map((party) => String(party.name ?? '').trim())
			.filter(Boolean)
			.join('; ');
	}
	return lead;
}
