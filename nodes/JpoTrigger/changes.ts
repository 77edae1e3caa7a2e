import type { IDataObject } from 'n8n-workflow';

import { isoFromCompactDate } from '../Jpo/dates';
import { englishDocumentName } from '../Jpo/documentNames';
import { fingerprint } from '../shared/polling';
import { estimateDeadline, type Residence } from './deadlines';
import type { AppSnapshot } from './state';
import { displayNumber, type WatchEntry } from './watchList';

export interface DocumentView {
	documentCode: string;
	documentName: string;
	documentNumber: string;
	legalDate: string;
	availabilityFlag: string;
	fingerprint: string;
}

/** The parts of a progress answer (app_progress_simple) the trigger compares or reports. */
export interface ProgressView {
	title: string | null;
	documents: DocumentView[];
	registrationNumber: string;
	registrationDate: string;
	erasureIdentifier: string;
	disappearanceDate: string;
	expireDate: string;
	applicants: string[];
}

export type ChangeKind =
	| 'newDocument'
	| 'registered'
	| 'rightExpired'
	| 'rightLapsed'
	| 'rightRestored'
	| 'applicantChanged'
	| 'rightHolderChanged';

export interface Change {
	kind: ChangeKind;
	document?: DocumentView;
	previous?: AppSnapshot;
	previousParties?: string[];
	currentParties?: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value));

function documentIdentity(document: IDataObject): string {
	const code = text(document.documentCode);
	const number = text(document.documentNumber);
	// The parts of one filing (request, claims, description…) share code and number: one document.
	return number ? `${code}|${number}` : `${code}|${text(document.legalDate)}|${text(document.documentDescription)}`;
}

function asArray(value: unknown): IDataObject[] {
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

export function partyList(entries: IDataObject[], codeField: string, nameField: string): string[] {
	return entries.map((entry) => `${text(entry[codeField])} ${text(entry[nameField])}`.trim()).sort();
}

export function readProgress(data: IDataObject): ProgressView {
	const documents = new Map<string, DocumentView>();
	for (const bibliography of asArray(data.bibliographyInformation)) {
		for (const document of asArray(bibliography.documentList)) {
			const print = fingerprint(documentIdentity(document));
			if (documents.has(print)) continue;
			documents.set(print, {
				documentCode: text(document.documentCode),
				documentName: text(document.documentDescription),
				documentNumber: text(document.documentNumber),
				legalDate: text(document.legalDate),
				availabilityFlag: text(document.availabilityFlag),
				fingerprint: print,
			});
		}
	}
	const title = text(data.inventionTitle ?? data.designArticle ?? data.trademarkForDisplay);
	return {
		title: title || null,
		documents: [...documents.values()].sort((a, b) => a.legalDate.localeCompare(b.legalDate)),
		registrationNumber: text(data.registrationNumber),
		registrationDate: text(data.registrationDate),
		erasureIdentifier: text(data.erasureIdentifier),
		disappearanceDate: text(data.disappearanceDate),
		expireDate: text(data.expireDate),
		applicants: partyList(
			asArray(data.applicantAttorney).filter((party) => text(party.applicantAttorneyClass) === '1'),
			'applicantAttorneyCd',
			'name',
		),
	};
}

export function readRightHolders(data: IDataObject): string[] {
	return partyList(asArray(data.rightPersonInformation), 'rightPersonCd', 'rightPersonName');
}

const LIVE_ERASURE_CODES = new Set(['', '00']);

/** A right is alive until JPO records an erasure (code other than 00) or a disappearance date. */
export function rightIsAlive(state: { erasure?: string; gone?: string }): boolean {
	return !state.gone && LIVE_ERASURE_CODES.has(state.erasure ?? '');
}

/** Erasure code and disappearance date as stored: a code meaning "alive" is stored as nothing. */
function viewRights(view: ProgressView): { erasure: string; gone: string } {
	return { erasure: LIVE_ERASURE_CODES.has(view.erasureIdentifier) ? '' : view.erasureIdentifier, gone: view.disappearanceDate };
}

/** Fingerprints of a sorted party list, each name recorded once in the shared dictionary. */
export function encodeParties(list: string[], parties: Record<string, string>): string {
	return list
		.map((entry) => {
			const print = fingerprint(`party|${entry}`);
			parties[print] = entry;
			return print;
		})
		.join('');
}

export function decodeParties(encoded: string | undefined, parties: Record<string, string>): string[] {
	const list: string[] = [];
	for (let index = 0; index + 6 <= (encoded ?? '').length; index += 6) list.push(parties[encoded!.slice(index, index + 6)] ?? '(name no longer known)');
	return list;
}

/**
 * The snapshot kept for an application. `holders` are the right holders read this time; when they
 * were not read, the previously stored ones (`keptHolders`) carry over.
 */
export function snapshotOf(
	view: ProgressView,
	checked: number,
	parties: Record<string, string>,
	holders: string[] | undefined,
	keptHolders?: string,
): AppSnapshot {
	const snapshot: AppSnapshot = { checked, docs: view.documents.map((document) => document.fingerprint).join('') };
	const rights = viewRights(view);
	if (view.registrationNumber) snapshot.reg = view.registrationNumber;
	if (rights.erasure) snapshot.erasure = rights.erasure;
	if (rights.gone) snapshot.gone = rights.gone;
	snapshot.applicants = encodeParties(view.applicants, parties);
	const encodedHolders = holders ? encodeParties(holders, parties) : keptHolders;
	if (encodedHolders !== undefined) snapshot.holders = encodedHolders;
	return snapshot;
}

function seenFingerprints(snapshot: AppSnapshot): Set<string> {
	const seen = new Set<string>();
	for (let index = 0; index + 6 <= (snapshot.docs ?? '').length; index += 6) seen.add(snapshot.docs!.slice(index, index + 6));
	return seen;
}

/**
 * Everything that differs between the last snapshot and a fresh answer, one change per event:
 * each new document, the registration, the right ceasing or coming back, and a changed list of
 * applicants or right holders. `holders` is undefined when they were not read this time.
 */
export function detectChanges(
	previous: AppSnapshot,
	view: ProgressView,
	holders: string[] | undefined,
	parties: Record<string, string>,
): Change[] {
	const changes: Change[] = [];
	const seen = seenFingerprints(previous);
	for (const document of view.documents) {
		if (!seen.has(document.fingerprint)) changes.push({ kind: 'newDocument', document, previous });
	}
	if (view.registrationNumber && view.registrationNumber !== (previous.reg ?? '')) {
		changes.push({ kind: 'registered', previous });
	}
	const now = viewRights(view);
	if (now.erasure !== (previous.erasure ?? '') || now.gone !== (previous.gone ?? '')) {
		if (!rightIsAlive(now)) {
			const byTerm = view.disappearanceDate !== '' && view.expireDate !== '' && view.disappearanceDate >= view.expireDate;
			changes.push({ kind: byTerm ? 'rightExpired' : 'rightLapsed', previous });
		} else if (!rightIsAlive(previous)) {
			changes.push({ kind: 'rightRestored', previous });
		}
	}
	// Fingerprints of sorted lists: equal strings mean the same parties under the same names.
	const printsOf = (list: string[]) => list.map((entry) => fingerprint(`party|${entry}`)).join('');
	if (previous.applicants !== undefined && previous.applicants !== printsOf(view.applicants)) {
		const previousParties = decodeParties(previous.applicants, parties);
		changes.push({ kind: 'applicantChanged', previous, previousParties, currentParties: view.applicants });
	}
	if (holders !== undefined && previous.holders !== undefined && previous.holders !== printsOf(holders)) {
		const previousParties = decodeParties(previous.holders, parties);
		changes.push({ kind: 'rightHolderChanged', previous, previousParties, currentParties: holders });
	}
	return changes;
}

function party(entry: string): IDataObject {
	const space = entry.indexOf(' ');
	const code = space < 0 ? entry : entry.slice(0, space);
	return /^\d+$/.test(code) ? { code, name: space < 0 ? '' : entry.slice(space + 1) } : { code: null, name: entry };
}

function partiesJson(role: 'applicant' | 'rightHolder', previous: string[], current: string[]): IDataObject {
	return {
		role,
		previous: previous.map(party),
		current: current.map(party),
		added: current.filter((entry) => !previous.includes(entry)).map(party),
		removed: previous.filter((entry) => !current.includes(entry)).map(party),
	};
}

export function documentJson(document: DocumentView): IDataObject {
	return {
		documentCode: document.documentCode,
		documentName: document.documentName,
		documentNameEn: englishDocumentName(document.documentName, document.documentCode),
		documentNumber: document.documentNumber,
		legalDate: document.legalDate,
		legalDateIso: isoFromCompactDate(document.legalDate),
		bodyAvailable: document.availabilityFlag === '1',
	};
}

function registrationJson(view: ProgressView): IDataObject | null {
	if (!view.registrationNumber) return null;
	return {
		registrationNumber: view.registrationNumber,
		registrationDate: view.registrationDate,
		registrationDateIso: isoFromCompactDate(view.registrationDate),
	};
}

function rightStatusJson(view: ProgressView, previous?: AppSnapshot): IDataObject {
	return {
		alive: rightIsAlive(viewRights(view)),
		erasureIdentifier: view.erasureIdentifier,
		disappearanceDate: view.disappearanceDate,
		disappearanceDateIso: isoFromCompactDate(view.disappearanceDate),
		expireDate: view.expireDate,
		expireDateIso: isoFromCompactDate(view.expireDate),
		previous: previous
			? { alive: rightIsAlive(previous), erasureIdentifier: previous.erasure ?? '', disappearanceDate: previous.gone ?? '' }
			: null,
	};
}

export interface ItemContext {
	entry: WatchEntry;
	view: ProgressView;
	residence: Residence;
	/** Today in Japan (YYYY-MM-DD). */
	today: string;
	detectedAt: string;
}

/** Every item has the same keys, whatever its kind, so later nodes can rely on them. */
function baseItem(kind: string, context: Pick<ItemContext, 'entry' | 'detectedAt'>, title: string | null): IDataObject {
	const { entry } = context;
	return {
		change: kind,
		changeId: `${entry.key}:${kind}`,
		summary: '',
		sample: false,
		applicationNumber: entry.applicationNumber,
		applicationNumberAsTyped: entry.typed,
		law: entry.law,
		title,
		document: null,
		deadline: null,
		registration: null,
		rightStatus: null,
		parties: null,
		jplatpatUrl: null,
		detectedAt: context.detectedAt,
	};
}

function withDocument(json: IDataObject, document: DocumentView, context: ItemContext): IDataObject {
	const { entry } = context;
	json.document = documentJson(document);
	json.deadline = estimateDeadline({
		law: entry.law,
		documentCode: document.documentCode,
		legalDate: document.legalDate,
		residence: context.residence,
		today: context.today,
	});
	const name = englishDocumentName(document.documentName, document.documentCode);
	const label = `${document.documentName || document.documentCode}${name ? ` (${name})` : ''}`;
	const deadline = json.deadline as IDataObject | null;
	json.summary = `New document for ${displayNumber(entry.law, entry.applicationNumber)}: ${label} of ${isoFromCompactDate(document.legalDate) ?? document.legalDate}.${
		deadline ? ` Estimated deadline (estimate only): ${String(deadline.estimatedDate)} to ${String(deadline.action).charAt(0).toLowerCase()}${String(deadline.action).slice(1)}.` : ''
	}`;
	return json;
}

export function changeItemJson(change: Change, context: ItemContext): IDataObject {
	const { entry, view } = context;
	const json = baseItem(change.kind, context, view.title);
	const number = displayNumber(entry.law, entry.applicationNumber);
	switch (change.kind) {
		case 'newDocument':
			json.changeId = `${entry.key}:newDocument:${change.document!.fingerprint}`;
			return withDocument(json, change.document!, context);
		case 'registered':
			json.changeId = `${entry.key}:registered:${view.registrationNumber}`;
			json.registration = registrationJson(view);
			json.summary = `${number} was registered as No. ${view.registrationNumber}${view.registrationDate ? ` on ${isoFromCompactDate(view.registrationDate) ?? view.registrationDate}` : ''}.`;
			return json;
		case 'rightExpired':
		case 'rightLapsed':
		case 'rightRestored': {
			json.changeId = `${entry.key}:${change.kind}:${view.erasureIdentifier}:${view.disappearanceDate}`;
			json.registration = registrationJson(view);
			json.rightStatus = rightStatusJson(view, change.previous);
			const when = isoFromCompactDate(view.disappearanceDate);
			json.summary =
				change.kind === 'rightRestored'
					? `The right of ${number} is recorded as alive again.`
					: `The right of ${number} ${change.kind === 'rightExpired' ? 'expired' : 'lapsed'}${when ? ` on ${when}` : ''} (erasure identifier ${view.erasureIdentifier || 'not given'}).`;
			return json;
		}
		case 'applicantChanged':
		case 'rightHolderChanged': {
			const role = change.kind === 'applicantChanged' ? 'applicant' : 'rightHolder';
			json.changeId = `${entry.key}:${change.kind}:${fingerprint((change.currentParties ?? []).join('|'))}`;
			json.parties = partiesJson(role, change.previousParties ?? [], change.currentParties ?? []);
			const names = (list: string[] | undefined) => (list ?? []).map((person) => String(party(person).name)).join(', ') || 'none';
			json.summary = `The ${role === 'applicant' ? 'applicants' : 'right holders'} of ${number} changed: now ${names(change.currentParties)}; before ${names(change.previousParties)}.`;
			return json;
		}
	}
}

/** What the first poll emits per application when Emit Current State on First Poll is on. */
export function currentStateJson(context: ItemContext, holders: string[] | undefined): IDataObject {
	const { entry, view } = context;
	const latest = view.documents[view.documents.length - 1];
	let json = baseItem('currentState', context, view.title);
	if (latest) json = withDocument(json, latest, context);
	json.changeId = `${entry.key}:currentState`;
	json.registration = registrationJson(view);
	json.rightStatus = rightStatusJson(view);
	json.parties = {
		role: 'applicant',
		current: view.applicants.map(party),
		rightHolders: holders ? holders.map(party) : null,
	};
	const number = displayNumber(entry.law, entry.applicationNumber);
	const state = view.registrationNumber ? `registered as No. ${view.registrationNumber}${rightIsAlive(viewRights(view)) ? '' : ', right no longer in force'}` : 'not registered';
	json.summary = `Current state of ${number}: ${state}; ${view.documents.length} document${view.documents.length === 1 ? '' : 's'}${
		latest ? `, the latest ${latest.documentName || latest.documentCode} of ${isoFromCompactDate(latest.legalDate) ?? latest.legalDate}` : ''
	}.${json.deadline ? ` Estimated deadline (estimate only): ${String((json.deadline as IDataObject).estimatedDate)}.` : ''}`;
	return json;
}

export function notFoundJson(entry: WatchEntry, detectedAt: string, message: string): IDataObject {
	const json = baseItem('notFound', { entry, detectedAt }, null);
	json.summary = `JPO has no ${entry.law} application ${displayNumber(entry.law, entry.applicationNumber)} (${message}). Check the number and its type; new applications appear after JPO's daily update. It stays on the watch list.`;
	json.error = message;
	return json;
}

export function invalidEntryJson(typed: string, line: number, reason: string, detectedAt: string): IDataObject {
	return {
		change: 'invalidEntry',
		changeId: `invalid:${typed}`,
		summary: `Line ${line} of the watch list cannot be watched: ${reason}`,
		sample: false,
		applicationNumber: null,
		applicationNumberAsTyped: typed,
		law: null,
		title: null,
		document: null,
		deadline: null,
		registration: null,
		rightStatus: null,
		parties: null,
		jplatpatUrl: null,
		detectedAt,
		error: reason,
		line,
	};
}
