import type { IDataObject } from 'n8n-workflow';

import { englishStatus, type StatusField } from '../PatSnap/chineseValues';
import { fingerprint } from '../shared/polling';

/** What the trigger reads from PatSnap's answers, in the shape it compares and reports. */

export type Aspect = 'legalStatus' | 'events' | 'transfers' | 'litigation' | 'examinationDocuments';

export const ASPECTS: readonly Aspect[] = ['legalStatus', 'events', 'transfers', 'litigation', 'examinationDocuments'];

/** Who an item is about. `input` is what the user typed; the others come from PatSnap's answer. */
export interface PatentIdentity {
	key: string | null;
	input: string | null;
	patentId: string | null;
	pn: string | null;
}

export const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value));

const asObjects = (value: unknown): IDataObject[] =>
	Array.isArray(value) ? (value as unknown[]).filter((entry): entry is IDataObject => typeof entry === 'object' && entry !== null) : [];

const asStrings = (value: unknown): string[] =>
	(Array.isArray(value) ? (value as unknown[]) : value === undefined || value === null || value === '' ? [] : [value]).map(text).filter((entry) => entry !== '');

/** PatSnap dates are integers YYYYMMDD; null when absent or unreadable. */
export function patSnapDate(value: unknown): number | null {
	const digits = text(value).replace(/-/g, '');
	return /^\d{8}$/.test(digits) ? Number(digits) : null;
}

export function isoDate(value: unknown): string | null {
	const date = patSnapDate(value);
	if (date === null) return null;
	const digits = String(date);
	return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

export function identityOf(result: IDataObject | undefined): { patentId: string | null; pn: string | null } {
	return {
		patentId: result && typeof result.patent_id === 'string' && result.patent_id ? result.patent_id : null,
		pn: result && typeof result.pn === 'string' && result.pn ? result.pn : null,
	};
}

// ---------------------------------------------------------------------------------------------
// Legal status (P013)

export interface LegalView {
	simple: string[];
	legal: string[];
	events: string[];
	date: number | null;
	/** The values as PatSnap sent them, when any of them was Chinese and translated. */
	asSent?: { simple: string[]; legal: string[]; events: string[] };
	/** Chinese values the table does not know: compared and shown as sent. */
	untranslated: string[];
}

/**
 * The three status lists of a P013 result in English. The China host answers in Chinese; comparing
 * English values means a poll answered in English after one answered in Chinese sees no change.
 */
export function readLegalStatus(result: IDataObject): LegalView {
	const legal = typeof result.patent_legal === 'object' && result.patent_legal !== null ? (result.patent_legal as IDataObject) : result;
	let translated = false;
	const untranslated = new Set<string>();
	const english = (field: StatusField, values: string[]) =>
		values.map((value) => {
			const translation = englishStatus(field, value);
			if (translation === undefined) {
				untranslated.add(value);
				return value;
			}
			if (translation !== value) translated = true;
			return translation;
		});
	const sent = {
		simple: asStrings(legal.simple_legal_status),
		legal: asStrings(legal.legal_status),
		events: asStrings(legal.event_status),
	};
	const view: LegalView = {
		simple: english('simple_legal_status', sent.simple),
		legal: english('legal_status', sent.legal),
		events: english('event_status', sent.events),
		date: patSnapDate(result.legal_date ?? legal.legal_date),
		untranslated: [...untranslated],
	};
	if (translated) view.asSent = sent;
	return view;
}

// ---------------------------------------------------------------------------------------------
// Entries: legal events (P026), transfers (P029), court cases (P034), documents (P048)

export interface FingerprintedEntry {
	/** 6-character fingerprint of what identifies the entry (not of every field, which may be corrected). */
	print: string;
}

export interface LegalEventView extends FingerprintedEntry {
	source: 'inpadoc' | 'official';
	code: string;
	date: number | null;
	description: string;
	country: string | null;
	legalStatus: string | null;
}

export interface TransferView extends FingerprintedEntry {
	date: number | null;
	country: string | null;
	transferers: string[];
	transferees: string[];
}

export interface CaseView extends FingerprintedEntry {
	caseNumber: string;
	title: string;
	court: string;
	country: string | null;
	filingDate: number | null;
	verdictDate: number | null;
	plaintiffs: string[];
	defendants: string[];
}

export interface ExaminationDocumentView extends FingerprintedEntry {
	date: number | null;
	code: string;
	description: string;
	pages: number | null;
	path: string | null;
}

const names = (value: unknown): string[] =>
	asObjects(value)
		.map((person) => text(person.name))
		.filter((name) => name !== '');

/** Both event lists of a P026 result. Descriptions are left out of the identity: PatSnap rewords them. */
export function readLegalEvents(result: IDataObject | undefined): LegalEventView[] {
	const data = (result?.patsnap_legal_data ?? {}) as IDataObject;
	const events: LegalEventView[] = [];
	for (const event of asObjects(data.inpadoc_legal_data)) {
		const code = text(event.event_code);
		const date = patSnapDate(event.event_date);
		const country = text(event.ref_country_code) || null;
		events.push({ source: 'inpadoc', code, date, description: text(event.event_desc), country, legalStatus: null, print: fingerprint(`inpadoc|${code}|${date}|${country ?? ''}`) });
	}
	for (const event of asObjects(data.official_legal_data)) {
		const code = text(event.event_code);
		const date = patSnapDate(event.event_date);
		events.push({
			source: 'official',
			code,
			date,
			description: text(event.event_desc),
			country: null,
			legalStatus: text(event.event_legal_status) || null,
			print: fingerprint(`official|${code}|${date}`),
		});
	}
	return events;
}

export function readTransfers(result: IDataObject | undefined): TransferView[] {
	return asObjects(result?.patent_transfer_data).map((transfer) => {
		const date = patSnapDate(transfer.effective_date ?? transfer.effective_date_us);
		const transferers = names(transfer.transferers);
		const transferees = names(transfer.transferees);
		return {
			date,
			country: text(transfer.country) || null,
			transferers,
			transferees,
			print: fingerprint(`transfer|${date}|${[...transferees].sort().join(';')}|${[...transferers].sort().join(';')}`),
		};
	});
}

/** A case is identified by its number and court; the verdict date is what may change later. */
export function readCases(result: IDataObject | undefined): CaseView[] {
	return asObjects(result?.patent_litigation_data).map((litigation) => {
		const caseNumber = text(litigation.case_number);
		const title = text(litigation.title);
		const court = text(litigation.court);
		const filingDate = patSnapDate(litigation.filing_date);
		return {
			caseNumber,
			title,
			court,
			country: text(litigation.country) || null,
			filingDate,
			verdictDate: patSnapDate(litigation.verdict_date),
			plaintiffs: names(litigation.plaintiff),
			defendants: names(litigation.defendant),
			print: fingerprint(caseNumber ? `case|${caseNumber}|${court}` : `case|${title}|${court}|${filingDate}`),
		};
	});
}

/**
 * P048 documents carry no ID; date and code identify them (two documents of one code on one day are
 * told apart by counting). The signed `path` changes with every call and is never stored.
 */
export function readDocuments(details: IDataObject[]): ExaminationDocumentView[] {
	return details.map((doc) => {
		const date = patSnapDate(doc.date);
		const code = text(doc.doc_code);
		const pages = Number(doc.page_number);
		return {
			date,
			code,
			description: text(doc.description),
			pages: Number.isFinite(pages) && doc.page_number !== undefined && doc.page_number !== null ? pages : null,
			path: typeof doc.path === 'string' && doc.path ? doc.path : null,
			print: fingerprint(`doc|${date}|${code}`),
		};
	});
}

export type AspectReading =
	| { aspect: 'legalStatus'; view: LegalView }
	| { aspect: 'events'; entries: LegalEventView[] }
	| { aspect: 'transfers'; entries: TransferView[] }
	| { aspect: 'litigation'; entries: CaseView[] }
	| { aspect: 'examinationDocuments'; entries: ExaminationDocumentView[] };
