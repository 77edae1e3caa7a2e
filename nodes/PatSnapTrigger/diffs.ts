import type { CaseView, FingerprintedEntry, LegalView } from './readings';
import type { LegalPrint } from './state';

/** How the trigger tells what changed: fingerprints stored in the state against a fresh reading. */

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

export function printsOf(entries: FingerprintedEntry[]): string {
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
export function unseenEntries<T extends FingerprintedEntry>(stored: string | undefined, entries: T[]): Array<{ entry: T; occurrence: number }> {
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
