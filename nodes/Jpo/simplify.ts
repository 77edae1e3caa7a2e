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
