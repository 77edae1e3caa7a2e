import type { IDataObject } from 'n8n-workflow';

import { batchQueryString } from '../PatSnap/batching';
import { findPatSnapBatchEndpoint, PATSNAP_EXAMINATION_DOCUMENTS, type PatSnapBatchEndpoint } from '../PatSnap/catalog';
import { pageIdentity, readExaminationPages } from '../PatSnap/examinationPages';
import type { CallResult } from '../shared/callResult';
import type { ApiFailure } from '../shared/failure';
import type { TriggerCalls } from './calls';
import { readCases, readLegalEvents, readLegalStatus, readTransfers, type Aspect, type AspectReading, type PatentIdentity } from './readings';
import type { WatchedPatent } from './watchList';

/** What each watched aspect is read from: one batch endpoint each, except the documents (P048, one patent per call). */
export type BatchAspect = Exclude<Aspect, 'examinationDocuments'>;

export const BATCH_ENDPOINTS: Readonly<Record<BatchAspect, PatSnapBatchEndpoint>> = {
	legalStatus: findPatSnapBatchEndpoint('getLegalStatus')!,
	events: findPatSnapBatchEndpoint('getLegalEvents')!,
	transfers: findPatSnapBatchEndpoint('getTransfers')!,
	litigation: findPatSnapBatchEndpoint('getLitigation')!,
};

/**
 * Only P013 answers for every patent PatSnap knows, so only its silence means "unknown". The other
 * batch endpoints may leave out a patent that has nothing to list; reading that as "unknown" would
 * skip the patent's baseline, and the first event it later gets would be taken for a baseline too.
 */
export const COMPLETE_ANSWER: BatchAspect = 'legalStatus';

export function identityFor(patent: WatchedPatent, known: { patentId: string | null; pn: string | null } = { patentId: null, pn: null }): PatentIdentity {
	return {
		key: patent.key,
		input: patent.input,
		patentId: known.patentId ?? (patent.kind === 'patentId' ? patent.value : null),
		pn: known.pn ?? (patent.kind === 'patentNumber' ? patent.value : null),
	};
}

export function readingOf(aspect: BatchAspect, result: IDataObject | undefined): AspectReading {
	switch (aspect) {
		case 'legalStatus':
			return { aspect, view: readLegalStatus(result ?? {}) };
		case 'events':
			return { aspect, entries: readLegalEvents(result) };
		case 'transfers':
			return { aspect, entries: readTransfers(result) };
		case 'litigation':
			return { aspect, entries: readCases(result) };
	}
}

/** One batch call of one aspect for some patents, billed by the results PatSnap returned. */
export async function fetchBatch(calls: TriggerCalls, aspect: BatchAspect, batch: WatchedPatent[], label: string): Promise<CallResult<unknown>> {
	const endpoint = BATCH_ENDPOINTS[aspect];
	const outcome = await calls.call(endpoint.code, {
		method: endpoint.method,
		path: endpoint.path,
		qs: batchQueryString(batch.map((patent) => ({ itemIndex: 0, input: patent.input, kind: patent.kind, value: patent.value }))),
		billed: true,
		operation: `${endpoint.code} ${endpoint.name}, ${label}`,
	});
	if ('value' in outcome) calls.bill(endpoint.code, Array.isArray(outcome.value) ? outcome.value.length : 0);
	return outcome;
}

export type DocumentsOutcome =
	| { kind: 'documents'; details: IDataObject[]; identity: { patentId: string | null; pn: string | null } }
	| { kind: 'unknown' }
	| { kind: 'unavailable' }
	| { kind: 'failed'; failure: ApiFailure };

/**
 * One patent's examination documents, all pages (or the first only, for a sample). A page with
 * documents is billed once. `unavailable`: P048 does not cover the patent (Chinese ones).
 */
export async function readPatentDocuments(calls: TriggerCalls, patent: WatchedPatent, onePageOnly = false): Promise<DocumentsOutcome> {
	const details: IDataObject[] = [];
	let identity = { patentId: null as string | null, pn: null as string | null };
	const end = await readExaminationPages(
		async (call) => await calls.call(PATSNAP_EXAMINATION_DOCUMENTS.code, call),
		{
			reference: { [patent.kind === 'patentId' ? 'patent_id' : 'patent_number']: patent.value },
			pageSize: PATSNAP_EXAMINATION_DOCUMENTS.maxPageSize,
			maxCalls: onePageOnly ? 1 : undefined,
			label: patent.input,
			malformed: 'empty',
		},
		(page) => {
			const named = pageIdentity(page);
			identity = { patentId: identity.patentId ?? named.patentId, pn: identity.pn ?? named.pn };
			calls.bill(PATSNAP_EXAMINATION_DOCUMENTS.code, page.docs.length > 0 ? 1 : 0);
			details.push(...page.docs);
		},
	);
	switch (end.kind) {
		case 'read':
			return { kind: 'documents', details, identity };
		case 'notCovered':
			return { kind: 'unavailable' };
		case 'unknown':
			return { kind: 'unknown' };
		case 'failed':
			return { kind: 'failed', failure: end.failure };
	}
}
