import type { IDataObject } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import type { CallResult } from '../shared/callResult';
import { PATSNAP_EXAMINATION_DOCUMENTS as ENDPOINT } from './catalog';
import { PATSNAP_INVALID_PARAMETER } from './errorCodes';
import type { PatSnapCall } from './transport';

/** One P048 answer as PatSnap sent it, with its documents read out. */
export interface ExaminationPage {
	apno?: unknown;
	patent_id?: unknown;
	patent_number?: unknown;
	doc_count?: unknown;
	doc_detail?: unknown;
	docs: IDataObject[];
}

export interface ExaminationPagesRequest {
	/** The body field naming the patent, e.g. `{ patent_number: 'US11205304B2' }`. */
	reference: IDataObject;
	/** Date and code filters, sent with every page. */
	filters?: IDataObject;
	pageSize: number;
	/** Most documents wanted; undefined: all of them. */
	wanted?: number;
	/** Most calls to make; undefined: as many as the documents need. */
	maxCalls?: number;
	/** The patent as the user wrote it, for operation names and messages. */
	label: string;
	/**
	 * An answer that is not an object: a failure ('fail'; it may have been billed, so it is not
	 * repeated), or a page without documents ('empty').
	 */
	malformed: 'fail' | 'empty';
}

/**
 * How paging ended. `notCovered`: PatSnap refused the first page with "invalid parameter"; every
 * parameter was checked before sending, so that is about the patent (P048 does not cover Chinese
 * patents). `unknown`: the first page names no patent and lists nothing.
 */
export type ExaminationPagesEnd =
	| { kind: 'read'; calls: number }
	| { kind: 'notCovered'; calls: number; failure: ApiFailure }
	| { kind: 'unknown'; calls: number }
	| { kind: 'failed'; calls: number; failure: ApiFailure };

export type ExaminationPageSender = (call: PatSnapCall) => Promise<CallResult<unknown>>;

const named = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** The patent a page is about, as PatSnap names it. */
export function pageIdentity(page: ExaminationPage): { patentId: string | null; pn: string | null } {
	return { patentId: named(page.patent_id), pn: named(page.patent_number) };
}

function readPage(data: unknown, request: ExaminationPagesRequest): ExaminationPage | ApiFailure {
	if (!data || typeof data !== 'object' || Array.isArray(data)) {
		if (request.malformed === 'empty') return { docs: [] };
		return new ApiFailure(`PatSnap answered P048 for ${request.label} without a document list`, {
			api: 'PatSnap',
			kind: 'malformed',
			mayHaveBeenCharged: true,
			description: 'Not retried: the call may already have been billed.',
		});
	}
	const page = data as ExaminationPage;
	const docs = Array.isArray(page.doc_detail) ? (page.doc_detail as IDataObject[]).filter((doc) => doc && typeof doc === 'object') : [];
	return { ...page, docs };
}

/**
 * Pages through one patent's examination documents (P048) with offset/limit until `doc_count` is
 * reached, a page comes back empty, or `wanted` documents or `maxCalls` calls are done. Each page
 * is handed to `onPage` before the next call, so a caller can download its signed PDFs while the
 * links are fresh. A failure ends paging; the pages handed over before it stay the caller's.
 */
export async function readExaminationPages(
	send: ExaminationPageSender,
	request: ExaminationPagesRequest,
	onPage: (page: ExaminationPage, offset: number) => Promise<void> | void,
): Promise<ExaminationPagesEnd> {
	const wanted = request.wanted ?? Number.POSITIVE_INFINITY;
	let offset = 0;
	for (let calls = 1; ; calls++) {
		const limit = Math.min(request.pageSize, wanted - offset);
		const answer = await send({
			method: ENDPOINT.method,
			path: ENDPOINT.path,
			body: { ...request.reference, ...request.filters, offset, limit },
			billed: ENDPOINT.billed,
			operation: `${ENDPOINT.code} ${ENDPOINT.name} for ${request.label}, call ${calls}`,
		});
		if ('failure' in answer) {
			const notCovered = answer.failure.details.code === PATSNAP_INVALID_PARAMETER && offset === 0;
			return notCovered ? { kind: 'notCovered', calls, failure: answer.failure } : { kind: 'failed', calls, failure: answer.failure };
		}
		const page = readPage(answer.value, request);
		if (page instanceof ApiFailure) return { kind: 'failed', calls, failure: page };
		const identity = pageIdentity(page);
		if (offset === 0 && page.docs.length === 0 && !identity.patentId && !identity.pn) return { kind: 'unknown', calls };
		await onPage(page, offset);
		offset += page.docs.length;
		const done = page.docs.length === 0 || offset >= Number(page.doc_count ?? 0) || offset >= wanted || calls === request.maxCalls;
		if (done) return { kind: 'read', calls };
	}
}
