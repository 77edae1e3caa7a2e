import type { IDataObject } from 'n8n-workflow';

import { signedLinkExpiry } from '../PatSnap/signedLinks';
import { fingerprint } from '../shared/polling';
import { legalPrint, type CaseChange, type LegalChangeKind } from './diffs';
import {
	isoDate,
	type AspectReading,
	type CaseView,
	type ExaminationDocumentView,
	type LegalEventView,
	type LegalView,
	type PatentIdentity,
	type TransferView,
} from './readings';
import type { LegalPrint } from './state';

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

export function documentJson(doc: ExaminationDocumentView): IDataObject {
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

export function newDocumentJson(patent: PatentIdentity, doc: ExaminationDocumentView, occurrence: number, detectedAt: string): IDataObject {
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
