import type { IDataObject } from 'n8n-workflow';

import { fingerprint } from '../shared/polling';
import { englishStatus, type StatusField } from '../PatSnap/chineseValues';
import { signedLinkExpiry } from '../PatSnap/signedLinks';
import type { LegalPrint } from './state';

export type Aspect = 'legalStatus' | 'events' | 'transfers' | 'litigation' | 'examinationDocuments';

export const ASPECTS: readonly Aspect[] = ['legalStatus', 'events', 'transfers', 'litigation', 'examinationDocuments'];

/** Who an item is about. `input` is what the user typed; the others come from PatSnap's answer. */
export interface PatentIdentity {
	key: string | null;
	input: string | null;
	patentId: string | null;
	pn: string | null;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value));

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

export function legalPrint(view: LegalView): LegalPrint {
	return { s: view.simple, l: view.legal, e: view.events, d: view.date };
}

const sameSet = (a: string[], b: string[]) => [...new Set(a)].sort().join('\u0000') === [...new Set(b)].sort().join('\u0000');

export type LegalChangeKind = 'legalStatusChanged' | 'eventStatusChanged' | 'legalDateChanged';

/**
 * What changed in the legal status: the status itself (simple or detailed), the event flags, or,
 * when neither did, only the date PatSnap last updated it, which still means something happened.
 */
export function legalChanges(previous: LegalPrint, view: LegalView): LegalChangeKind[] {
	const kinds: LegalChangeKind[] = [];
	if (!sameSet(previous.s, view.simple) || !sameSet(previous.l, view.legal)) kinds.push('legalStatusChanged');
	if (!sameSet(previous.e, view.events)) kinds.push('eventStatusChanged');
	if (kinds.length === 0 && previous.d !== view.date) kinds.push('legalDateChanged');
	return kinds;
}

export function legalJson(value: LegalPrint | LegalView): IDataObject {
	const print = 'simple' in value ? legalPrint(value) : value;
	const json: IDataObject = {
		simpleLegalStatus: [...print.s],
		legalStatus: [...print.l],
		eventStatus: [...print.e],
		legalDate: print.d,
		legalDateIso: isoDate(print.d),
	};
	if ('simple' in value && value.asSent) {
		json.asSent = { simpleLegalStatus: value.asSent.simple, legalStatus: value.asSent.legal, eventStatus: value.asSent.events };
	}
	if ('simple' in value && value.untranslated.length > 0) json.untranslatedValues = [...value.untranslated];
	return json;
}

// ---------------------------------------------------------------------------------------------
// Entries: legal events (P026), transfers (P029), court cases (P034), documents (P048)

interface Entry {
	/** 6-character fingerprint of what identifies the entry (not of every field, which may be corrected). */
	print: string;
}

export interface LegalEventView extends Entry {
	source: 'inpadoc' | 'official';
	code: string;
	date: number | null;
	description: string;
	country: string | null;
	legalStatus: string | null;
}

export interface TransferView extends Entry {
	date: number | null;
	country: string | null;
	transferers: string[];
	transferees: string[];
}

export interface CaseView extends Entry {
	caseNumber: string;
	title: string;
	court: string;
	country: string | null;
	filingDate: number | null;
	verdictDate: number | null;
	plaintiffs: string[];
	defendants: string[];
}

export interface DocumentView extends Entry {
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
export function readDocuments(details: IDataObject[]): DocumentView[] {
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

export function printsOf(entries: Entry[]): string {
	return entries.map((entry) => entry.print).join('');
}

function countPrints(stored: string | undefined): Map<string, number> {
	const counts = new Map<string, number>();
	for (let index = 0; index + 6 <= (stored ?? '').length; index += 6) {
		const print = stored!.slice(index, index + 6);
		counts.set(print, (counts.get(print) ?? 0) + 1);
	}
	return counts;
}

/**
 * The entries not among the stored fingerprints, counted as a multiset: a third document of a code
 * and date seen twice before is new. Each comes with its occurrence number, which keeps changeIds
 * of identical entries apart.
 */
export function unseenEntries<T extends Entry>(stored: string | undefined, entries: T[]): Array<{ entry: T; occurrence: number }> {
	const remaining = countPrints(stored);
	const occurrences = new Map<string, number>();
	const unseen: Array<{ entry: T; occurrence: number }> = [];
	for (const entry of entries) {
		const occurrence = (occurrences.get(entry.print) ?? 0) + 1;
		occurrences.set(entry.print, occurrence);
		const left = remaining.get(entry.print) ?? 0;
		if (left > 0) remaining.set(entry.print, left - 1);
		else unseen.push({ entry, occurrence });
	}
	return unseen;
}

export function casesPrint(cases: CaseView[]): string {
	return cases.map((entry) => `${entry.print}:${entry.verdictDate ?? ''}`).join(',');
}

export type CaseChange = { kind: 'newLitigation'; entry: CaseView; occurrence: number } | { kind: 'litigationUpdated'; entry: CaseView; previousVerdictDate: number | null };

/** New cases, and known cases whose verdict date appeared or changed. */
export function caseChanges(stored: string | undefined, cases: CaseView[]): CaseChange[] {
	const known = new Map<string, Array<number | null>>();
	for (const part of (stored ?? '').split(',').filter(Boolean)) {
		const [print, verdict] = part.split(':');
		known.set(print, [...(known.get(print) ?? []), verdict ? Number(verdict) : null]);
	}
	const changes: CaseChange[] = [];
	const occurrences = new Map<string, number>();
	for (const entry of cases) {
		const occurrence = (occurrences.get(entry.print) ?? 0) + 1;
		occurrences.set(entry.print, occurrence);
		const verdicts = known.get(entry.print) ?? [];
		if (verdicts.length === 0) {
			changes.push({ kind: 'newLitigation', entry, occurrence });
			continue;
		}
		const same = verdicts.indexOf(entry.verdictDate);
		const previousVerdictDate = verdicts[same >= 0 ? same : 0];
		verdicts.splice(same >= 0 ? same : 0, 1);
		if (same < 0) changes.push({ kind: 'litigationUpdated', entry, previousVerdictDate });
	}
	return changes;
}

// ---------------------------------------------------------------------------------------------
// Items

export function patentLabel(patent: PatentIdentity): string {
	return patent.pn ?? patent.input ?? patent.patentId ?? 'the patent';
}

/** Every item has the same keys, whatever its kind, so later nodes can rely on them. */
export function baseItem(change: string, aspect: string | null, patent: PatentIdentity, detectedAt: string): IDataObject {
	return {
		change,
		changeId: `${patent.key ?? patent.patentId ?? patent.input}:${change}`,
		summary: '',
		sample: false,
		aspect,
		patent: { input: patent.input, patentId: patent.patentId, pn: patent.pn },
		oldValue: null,
		newValue: null,
		added: null,
		removed: null,
		monitor: null,
		details: null,
		detectedAt,
	};
}

const list = (values: string[]) => (values.length > 0 ? values.join(', ') : 'none');
const difference = (a: string[], b: string[]) => [...new Set(a)].filter((value) => !b.includes(value));

function dateNote(date: number | null): string {
	return date === null ? '' : ` (PatSnap update of ${isoDate(date)})`;
}

/** One item for a change of the legal status; `previous` is null in a sample without a stored status. */
export function legalChangeJson(kind: LegalChangeKind, patent: PatentIdentity, previous: LegalPrint | null, view: LegalView, detectedAt: string): IDataObject {
	const json = baseItem(kind, 'legalStatus', patent, detectedAt);
	const label = patentLabel(patent);
	json.oldValue = previous ? legalJson(previous) : null;
	json.newValue = legalJson(view);
	json.changeId = `${json.changeId}:${fingerprint(JSON.stringify([previous, legalPrint(view)]))}`;
	const now = [...view.simple, ...view.legal];
	const before = previous ? [...previous.s, ...previous.l] : [];
	switch (kind) {
		case 'legalStatusChanged':
			json.added = difference(now, before);
			json.removed = difference(before, now);
			json.summary = previous
				? `Legal status of ${label} changed from ${list(before)} to ${list(now)}${dateNote(view.date)}.`
				: `Legal status of ${label}: ${list(now)}${dateNote(view.date)}.`;
			break;
		case 'eventStatusChanged': {
			const added = difference(view.events, previous?.e ?? []);
			const removed = difference(previous?.e ?? [], view.events);
			json.added = added;
			json.removed = removed;
			json.summary = `Event status of ${label} changed: ${[added.length ? `added ${list(added)}` : '', removed.length ? `removed ${list(removed)}` : ''].filter(Boolean).join('; ')}; now ${list(view.events)}${dateNote(view.date)}.`;
			break;
		}
		case 'legalDateChanged':
			json.added = [];
			json.removed = [];
			json.summary = `PatSnap recorded a legal-status update for ${label} on ${isoDate(view.date) ?? 'an unknown date'}${
				previous?.d ? ` (before: ${isoDate(previous.d)})` : ''
			}; the status is unchanged: ${list(now)}.`;
			break;
	}
	return json;
}

export function legalEventJson(event: LegalEventView): IDataObject {
	return {
		source: event.source,
		code: event.code,
		date: event.date,
		dateIso: isoDate(event.date),
		description: event.description,
		country: event.country,
		legalStatus: event.legalStatus,
	};
}

export function transferJson(transfer: TransferView): IDataObject {
	return { date: transfer.date, dateIso: isoDate(transfer.date), country: transfer.country, transferers: transfer.transferers, transferees: transfer.transferees };
}

export function caseJson(entry: CaseView): IDataObject {
	return {
		caseNumber: entry.caseNumber,
		title: entry.title,
		court: entry.court,
		country: entry.country,
		filingDate: entry.filingDate,
		filingDateIso: isoDate(entry.filingDate),
		verdictDate: entry.verdictDate,
		verdictDateIso: isoDate(entry.verdictDate),
		plaintiffs: entry.plaintiffs,
		defendants: entry.defendants,
	};
}

export function documentJson(doc: DocumentView): IDataObject {
	const expiresAt = doc.path ? signedLinkExpiry(doc.path) : undefined;
	return {
		date: doc.date,
		dateIso: isoDate(doc.date),
		docCode: doc.code,
		description: doc.description,
		pageNumber: doc.pages,
		path: doc.path,
		pathExpiresAt: expiresAt?.toISOString() ?? null,
	};
}

export function newLegalEventJson(patent: PatentIdentity, event: LegalEventView, occurrence: number, detectedAt: string): IDataObject {
	const json = baseItem('newLegalEvent', 'events', patent, detectedAt);
	json.changeId = `${json.changeId}:${event.print}:${occurrence}`;
	json.newValue = legalEventJson(event);
	json.summary = `New legal event for ${patentLabel(patent)}: ${event.description || event.code} (code ${event.code || 'not given'}, ${
		event.source === 'inpadoc' ? 'INPADOC' : 'official gazette'
	}) of ${isoDate(event.date) ?? 'unknown date'}.`;
	return json;
}

export function newTransferJson(patent: PatentIdentity, transfer: TransferView, occurrence: number, detectedAt: string): IDataObject {
	const json = baseItem('newTransfer', 'transfers', patent, detectedAt);
	json.changeId = `${json.changeId}:${transfer.print}:${occurrence}`;
	json.newValue = transferJson(transfer);
	json.summary = `New transfer of ${patentLabel(patent)}${transfer.date ? ` effective ${isoDate(transfer.date)}` : ''}: from ${list(transfer.transferers)} to ${list(transfer.transferees)}.`;
	return json;
}

function caseLabel(entry: CaseView): string {
	const reference = [entry.caseNumber, entry.court].filter(Boolean).join(', ');
	return `${entry.title || entry.caseNumber || 'a court case'}${reference ? ` (${reference})` : ''}`;
}

export function caseChangeJson(patent: PatentIdentity, change: CaseChange, detectedAt: string): IDataObject {
	const { entry } = change;
	const json = baseItem(change.kind, 'litigation', patent, detectedAt);
	json.newValue = caseJson(entry);
	if (change.kind === 'newLitigation') {
		json.changeId = `${json.changeId}:${entry.print}:${change.occurrence}`;
		json.summary = `New court case on ${patentLabel(patent)}: ${caseLabel(entry)}${entry.filingDate ? `, filed ${isoDate(entry.filingDate)}` : ''}.`;
		return json;
	}
	json.changeId = `${json.changeId}:${entry.print}:${entry.verdictDate ?? 'none'}`;
	json.oldValue = { verdictDate: change.previousVerdictDate, verdictDateIso: isoDate(change.previousVerdictDate) };
	json.summary = `Court case ${caseLabel(entry)} on ${patentLabel(patent)}: verdict date ${isoDate(entry.verdictDate) ?? 'removed'}${
		change.previousVerdictDate ? ` (before: ${isoDate(change.previousVerdictDate)})` : ''
	}.`;
	return json;
}

export function newDocumentJson(patent: PatentIdentity, doc: DocumentView, occurrence: number, detectedAt: string): IDataObject {
	const json = baseItem('newExaminationDocument', 'examinationDocuments', patent, detectedAt);
	json.changeId = `${json.changeId}:${doc.print}:${occurrence}`;
	json.newValue = documentJson(doc);
	json.summary = `New examination document for ${patentLabel(patent)}: ${doc.code}${doc.description ? ` (${doc.description})` : ''} of ${isoDate(doc.date) ?? 'unknown date'}${
		doc.pages ? `, ${doc.pages} page${doc.pages === 1 ? '' : 's'}` : ''
	}.`;
	return json;
}

const latestOf = <T extends { date: number | null }>(entries: T[]): T | undefined =>
	entries.reduce<T | undefined>((latest, entry) => (!latest || (entry.date ?? 0) >= (latest.date ?? 0) ? entry : latest), undefined);

export type AspectReading =
	| { aspect: 'legalStatus'; view: LegalView }
	| { aspect: 'events'; entries: LegalEventView[] }
	| { aspect: 'transfers'; entries: TransferView[] }
	| { aspect: 'litigation'; entries: CaseView[] }
	| { aspect: 'examinationDocuments'; entries: DocumentView[] };

/** What the first check of an aspect emits when Emit Current State on First Poll is on. */
export function currentStateJson(patent: PatentIdentity, reading: AspectReading, detectedAt: string): IDataObject {
	const json = baseItem('currentState', reading.aspect, patent, detectedAt);
	json.changeId = `${json.changeId}:${reading.aspect}`;
	const label = patentLabel(patent);
	switch (reading.aspect) {
		case 'legalStatus':
			json.newValue = legalJson(reading.view);
			json.summary = `Current legal status of ${label}: ${list([...reading.view.simple, ...reading.view.legal])}; events ${list(reading.view.events)}${dateNote(reading.view.date)}.`;
			break;
		case 'events': {
			const latest = latestOf(reading.entries);
			json.newValue = { count: reading.entries.length, latest: latest ? legalEventJson(latest) : null };
			json.summary = `${label} has ${reading.entries.length} legal event${reading.entries.length === 1 ? '' : 's'}${
				latest ? `, the latest ${latest.description || latest.code} of ${isoDate(latest.date) ?? 'unknown date'}` : ''
			}.`;
			break;
		}
		case 'transfers':
			json.newValue = { count: reading.entries.length, transfers: reading.entries.map(transferJson) };
			json.summary = `${label} has ${reading.entries.length} recorded transfer${reading.entries.length === 1 ? '' : 's'}.`;
			break;
		case 'litigation':
			json.newValue = { count: reading.entries.length, cases: reading.entries.map(caseJson) };
			json.summary = `${label} has ${reading.entries.length} court case${reading.entries.length === 1 ? '' : 's'} on record.`;
			break;
		case 'examinationDocuments': {
			const latest = latestOf(reading.entries);
			json.newValue = { count: reading.entries.length, latest: latest ? documentJson(latest) : null };
			json.summary = `${label} has ${reading.entries.length} examination document${reading.entries.length === 1 ? '' : 's'}${
				latest ? `, the latest ${latest.code} of ${isoDate(latest.date) ?? 'unknown date'}` : ''
			}.`;
			break;
		}
	}
	return json;
}

/** The most recent entry of an aspect as a change item, for Fetch Test Event; undefined when there is none. */
export function latestAsChangeJson(patent: PatentIdentity, reading: Exclude<AspectReading, { aspect: 'legalStatus' }>, detectedAt: string): IDataObject | undefined {
	switch (reading.aspect) {
		case 'events': {
			const latest = latestOf(reading.entries);
			return latest && newLegalEventJson(patent, latest, 1, detectedAt);
		}
		case 'transfers': {
			const latest = latestOf(reading.entries);
			return latest && newTransferJson(patent, latest, 1, detectedAt);
		}
		case 'litigation': {
			const latest = latestOf(reading.entries.map((entry) => ({ ...entry, date: entry.filingDate })));
			return latest && caseChangeJson(patent, { kind: 'newLitigation', entry: latest, occurrence: 1 }, detectedAt);
		}
		case 'examinationDocuments': {
			const latest = latestOf(reading.entries);
			return latest && newDocumentJson(patent, latest, 1, detectedAt);
		}
	}
}

export function notFoundJson(patent: PatentIdentity, detectedAt: string): IDataObject {
	const json = baseItem('notFound', null, patent, detectedAt);
	json.summary = `PatSnap does not know ${patent.input ?? patent.patentId}. Check it: a publication number with its kind code (US11205304B2) or a PatSnap patent ID. It stays on the watch list and is reported again only if PatSnap finds it and then loses it.`;
	return json;
}

export function invalidEntryJson(typed: string, line: number, reason: string, detectedAt: string): IDataObject {
	const json = baseItem('invalidEntry', null, { key: null, input: typed, patentId: null, pn: null }, detectedAt);
	json.changeId = `invalid:${typed}`;
	json.summary = `Line ${line} of the watch list cannot be watched: ${reason}`;
	json.error = reason;
	json.line = line;
	return json;
}
