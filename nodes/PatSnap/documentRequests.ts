import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { classifyReference, splitReferences, PatentReferenceError, type NumberTypeSetting } from './batching';
import { normaliseApplicationNumber, parseDocumentCodes, parseDocumentDate, splitNumberList } from './lookupInputs';
import { inputFailure, numberFailure } from './runContext';

export type DocumentReferenceKind = 'patentId' | 'patentNumber' | 'apno';

export const BODY_FIELD: Record<DocumentReferenceKind, string> = { patentId: 'patent_id', patentNumber: 'patent_number', apno: 'apno' };

/** One patent's documents as one item asked for them; equal requests of several items share one fetch. */
export interface DocumentRequest {
	key: string;
	itemIndex: number;
	input: string;
	kind: DocumentReferenceKind;
	value: string;
	filters: IDataObject;
	/** Undefined: Return All. */
	limit?: number;
	downloadPdfs: boolean;
}

export interface DocumentItemPlan {
	requests: DocumentRequest[];
	invalid?: ApiFailure;
}

const FIELD = 'Patents';

/**
 * One item's P048 requests, every field checked before the first call: a typo costs nothing. The
 * key lets equal requests of several items share one fetch.
 */
export function planDocumentRequests(context: IExecuteFunctions, itemIndex: number, numberType: NumberTypeSetting, defaultLimit: number): DocumentItemPlan {
	try {
		const lookUpBy = context.getNodeParameter('lookUpBy', itemIndex, 'patent') as string;
		const raw = context.getNodeParameter('numbers', itemIndex);
		const references = lookUpBy === 'applicationNumber' ? splitNumberList(raw) : splitReferences(raw);
		if (references.length === 0) throw inputFailure('Enter at least one patent number, PatSnap ID or application number.', FIELD);
		const returnAll = Boolean(context.getNodeParameter('returnAll', itemIndex, false));
		const limit = returnAll ? undefined : Number(context.getNodeParameter('limit', itemIndex, defaultLimit));
		if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw inputFailure(`Limit must be a whole number of at least 1, not ${limit}.`, 'Limit');
		const filterValues = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const dateFrom = parseDocumentDate(filterValues.dateFrom, 'Date From');
		const dateTo = parseDocumentDate(filterValues.dateTo, 'Date To');
		if (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo) {
			throw inputFailure(`Date From (${dateFrom}) is after Date To (${dateTo}).`, 'Date From');
		}
		const docCode = parseDocumentCodes(filterValues.documentCodes, 'Document Codes');
		const filters: IDataObject = {
			...(dateFrom !== undefined ? { date_from: dateFrom } : {}),
			...(dateTo !== undefined ? { date_to: dateTo } : {}),
			...(docCode ? { doc_code: docCode } : {}),
		};
		const downloadPdfs = Boolean(context.getNodeParameter('downloadPdfs', itemIndex, false));
		const requests = references.map((input): DocumentRequest => {
			let kind: DocumentReferenceKind;
			let value: string;
			if (lookUpBy === 'applicationNumber') {
				kind = 'apno';
				value = normaliseApplicationNumber(input, FIELD);
			} else {
				try {
					({ kind, value } = classifyReference(input, numberType));
				} catch (error) {
					throw numberFailure(error instanceof PatentReferenceError ? error.message : String(error), FIELD);
				}
			}
			const key = JSON.stringify([kind, value, filters, limit ?? 'all', downloadPdfs]);
			return { key, itemIndex, input, kind, value, filters, limit, downloadPdfs };
		});
		return { requests };
	} catch (error) {
		if (error instanceof ApiFailure) return { requests: [], invalid: error };
		return { requests: [], invalid: inputFailure((error as Error).message, FIELD) };
	}
}
