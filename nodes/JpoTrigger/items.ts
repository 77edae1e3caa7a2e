import type { IDataObject } from 'n8n-workflow';

import { isoFromCompactDate } from '../Jpo/dates';
import { englishDocumentName } from '../Jpo/documentNames';
import { fingerprint } from '../shared/polling';
import { estimateDeadline, type Residence } from './deadlines';
import { rightIsAlive, viewRights, type Change } from './diff';
import type { JpoDocumentView, ProgressView } from './progress';
import type { AppSnapshot } from './state';
import { displayNumber, type WatchEntry } from './watchList';

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

export function documentJson(document: JpoDocumentView): IDataObject {
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
function blankItem(change: string, changeId: string, detectedAt: string): IDataObject {
	return {
		change,
		changeId,
		summary: '',
		sample: false,
		applicationNumber: null,
		applicationNumberAsTyped: null,
		law: null,
		title: null,
		document: null,
		deadline: null,
		registration: null,
		rightStatus: null,
		parties: null,
		jplatpatUrl: null,
		detectedAt,
	};
}

function baseItem(kind: string, context: Pick<ItemContext, 'entry' | 'detectedAt'>, title: string | null): IDataObject {
	const { entry } = context;
	return {
		...blankItem(kind, `${entry.key}:${kind}`, context.detectedAt),
		applicationNumber: entry.applicationNumber,
		applicationNumberAsTyped: entry.typed,
		law: entry.law,
		title,
	};
}

function withDocument(json: IDataObject, document: JpoDocumentView, context: ItemContext): IDataObject {
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
		...blankItem('invalidEntry', `invalid:${typed}`, detectedAt),
		summary: `Line ${line} of the watch list cannot be watched: ${reason}`,
		applicationNumberAsTyped: typed,
		error: reason,
		line,
	};
}
