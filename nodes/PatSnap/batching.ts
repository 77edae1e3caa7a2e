import type { IDataObject } from 'n8n-workflow';
import { quoted } from '../shared/quoted';

export type PatentReferenceKind = 'patentId' | 'patentNumber';
export type NumberTypeSetting = 'auto' | PatentReferenceKind;

export interface PatentQuery {
	itemIndex: number;
	/** As the user typed it. */
	input: string;
	kind: PatentReferenceKind;
	/** Normalised value sent to PatSnap, also the key results are matched on. */
	value: string;
}

/** The two ways a batch field names a patent; the tool description a model reads uses the same words. */
export const PATENT_REFERENCE_EXAMPLES = {
	number: 'US11205304B2 or EP3456789A1',
	id: '1a2b3c4d-0000-4000-8000-1234567890ab',
};

export class PatentReferenceError extends Error {
	constructor(readonly input: string) {
		super(
			`${quoted(input)} is neither a PatSnap patent id nor a publication number. Use an id such as ${PATENT_REFERENCE_EXAMPLES.id} or a number such as ${PATENT_REFERENCE_EXAMPLES.number}.`,
		);
		this.name = 'PatentReferenceError';
	}
}

const PATENT_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const PATENT_NUMBER = /^[A-Z]{2}[A-Z0-9]{1,20}$/;

/** One field may hold one number, a comma/semicolon/newline separated list, or an array. */
export function splitReferences(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.flatMap((entry) => splitReferences(entry)) : String(value ?? '').split(/[\n,;]+/);
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

export function classifyReference(input: string, setting: NumberTypeSetting): Omit<PatentQuery, 'itemIndex'> {
	const compact = input.replace(/[\s]/g, '');
	const looksLikeId = PATENT_ID.test(compact);
	const kind: PatentReferenceKind = setting === 'auto' ? (looksLikeId ? 'patentId' : 'patentNumber') : setting;
	if (kind === 'patentId') {
		if (!looksLikeId) throw new PatentReferenceError(input);
		return { input, kind, value: compact.toLowerCase() };
	}
	// People paste "US 11,205,304 B2" or "EP-3456789-A1"; PatSnap wants "US11205304B2".
	const number = compact.replace(/[,.\-/]/g, '').toUpperCase();
	if (!PATENT_NUMBER.test(number)) throw new PatentReferenceError(input);
	return { input, kind, value: number };
}

export function queryKey(kind: PatentReferenceKind, value: string): string {
	return `${kind}:${value}`;
}

/** Distinct references in first-seen order, cut into batches of at most `batchSize`. */
export function planBatches(queries: PatentQuery[], batchSize: number): PatentQuery[][] {
	const seen = new Set<string>();
	const distinct: PatentQuery[] = [];
	for (const query of queries) {
		const key = queryKey(query.kind, query.value);
		if (!seen.has(key)) {
			seen.add(key);
			distinct.push(query);
		}
	}
	const batches: PatentQuery[][] = [];
	for (let start = 0; start < distinct.length; start += batchSize) {
		batches.push(distinct.slice(start, start + batchSize));
	}
	return batches;
}

export function batchQueryString(batch: PatentQuery[]): IDataObject {
	const ids = batch.filter((query) => query.kind === 'patentId').map((query) => query.value);
	const numbers = batch.filter((query) => query.kind === 'patentNumber').map((query) => query.value);
	return {
		...(ids.length ? { patent_id: ids.join(',') } : {}),
		...(numbers.length ? { patent_number: numbers.join(',') } : {}),
	};
}

/** Files each returned result under the id and the number it answers, so either query finds it. */
export function indexResults(results: unknown): Map<string, IDataObject> {
	const index = new Map<string, IDataObject>();
	if (!Array.isArray(results)) return index;
	for (const result of results as IDataObject[]) {
		if (!result || typeof result !== 'object') continue;
		if (typeof result.patent_id === 'string') index.set(queryKey('patentId', result.patent_id.toLowerCase()), result);
		if (typeof result.pn === 'string') index.set(queryKey('patentNumber', result.pn.replace(/\s/g, '').toUpperCase()), result);
	}
	return index;
}
