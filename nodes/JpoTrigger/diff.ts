import { fingerprint } from '../shared/polling';
import type { JpoDocumentView, ProgressView } from './progress';
import type { AppSnapshot } from './state';

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
	document?: JpoDocumentView;
	previous?: AppSnapshot;
	previousParties?: string[];
	currentParties?: string[];
}

const LIVE_ERASURE_CODES = new Set(['', '00']);

/** A right is alive until JPO records an erasure (code other than 00) or a disappearance date. */
export function rightIsAlive(state: { erasure?: string; gone?: string }): boolean {
	return !state.gone && LIVE_ERASURE_CODES.has(state.erasure ?? '');
}

/** Erasure code and disappearance date as stored: a code meaning "alive" is stored as nothing. */
export function viewRights(view: ProgressView): { erasure: string; gone: string } {
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

