import { classifyReference, queryKey, type NumberTypeSetting, type PatentReferenceKind } from '../PatSnap/batching';
import type { InvalidWatchEntry } from '../shared/trigger/watchRun';

export interface WatchedPatent {
	/** `patentNumber:US11205304B2` or `patentId:<uuid>`: the key results and stored state are filed under. */
	key: string;
	/** As the user typed it. */
	input: string;
	kind: PatentReferenceKind;
	/** Normalised value sent to PatSnap. */
	value: string;
	line: number;
}

export interface PatentList {
	patents: WatchedPatent[];
	invalid: InvalidWatchEntry[];
	duplicates: number;
}

/**
 * Lines of the Patents field, or the elements of an array an expression gave. `#` starts a comment
 * (a docket list often names the client next to the number); no PatSnap number contains one.
 */
function linesOf(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => (Array.isArray(entry) ? entry.join(',') : String(entry ?? '')));
	return String(value ?? '').split(/\r?\n/);
}

/**
 * Reads the watch list as the PatSnap node reads its Patent Numbers or IDs field: comma, semicolon
 * or new line between entries, each a PatSnap patent ID or a publication number.
 */
export function parsePatentList(value: unknown, numberType: NumberTypeSetting): PatentList {
	const list: PatentList = { patents: [], invalid: [], duplicates: 0 };
	const seen = new Set<string>();
	linesOf(value).forEach((rawLine, index) => {
		const line = rawLine.replace(/#.*$/, '');
		for (const part of line.split(/[,;]+/)) {
			const typed = part.trim();
			if (typed === '') continue;
			let classified: ReturnType<typeof classifyReference>;
			try {
				classified = classifyReference(typed, numberType);
			} catch (error) {
				list.invalid.push({ typed, line: index + 1, reason: (error as Error).message });
				continue;
			}
			const key = queryKey(classified.kind, classified.value);
			if (seen.has(key)) {
				list.duplicates += 1;
				continue;
			}
			seen.add(key);
			list.patents.push({ key, input: typed, kind: classified.kind, value: classified.value, line: index + 1 });
		}
	});
	return list;
}

/**
 * Batches of at most `size`, IDs and numbers never mixed: several PatSnap pages say patent_id wins
 * when both are sent, and a number dropped that way would read as "no transfers" or "not found".
 */
export function batchesOf(patents: WatchedPatent[], size: number): WatchedPatent[][] {
	const batches: WatchedPatent[][] = [];
	for (const kind of ['patentNumber', 'patentId'] as const) {
		const ofKind = patents.filter((patent) => patent.kind === kind);
		for (let start = 0; start < ofKind.length; start += size) batches.push(ofKind.slice(start, start + size));
	}
	return batches;
}
