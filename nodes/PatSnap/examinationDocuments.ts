import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CallResult } from '../shared/callResult';
import { ApiFailure } from '../shared/failure';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { settle } from '../shared/retry';
import type { NumberTypeSetting } from './batching';
import type { PatSnapDocumentsEndpoint } from './catalog';
import { BODY_FIELD, planDocumentRequests, type DocumentRequest } from './documentRequests';
import { createPatSnapTransport, outputInItemOrder, stopAtInvalidInput, withFetchedResults } from './runContext';
import { signedLinkExpiry } from './signedLinks';
import { PATSNAP_INVALID_PARAMETER } from './errorCodes';
import { readExaminationPages } from './examinationPages';
import type { PatSnapCall, PatSnapTransport } from './transport';

interface FetchedDocument {
	json: IDataObject;
	binary?: IBinaryData;
	pdfFailure?: ApiFailure;
}

interface RequestOutcome {
	documents: FetchedDocument[];
	calls: number;
	/** The json of a found:false item: PatSnap has nothing for this patent. */
	notFound?: IDataObject;
	/** Known patent, nothing matches the filters. */
	empty?: IDataObject;
	failure?: ApiFailure;
	notAttempted?: boolean;
}

function safeFileNamePart(value: string): string {
	return value.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'document';
}

/**
 * One patent's documents, downloading each page's PDFs before the next call so no link ages while
 * others load. A failure keeps what was fetched before it; a failed page is retried alone by the
 * transport.
 */
async function fetchDocuments(
	context: IExecuteFunctions,
	transport: PatSnapTransport,
	request: DocumentRequest,
	settings: { pageSize: number; options: IDataObject },
): Promise<RequestOutcome> {
	const outcome: RequestOutcome = { documents: [], calls: 0 };
	const send = async (call: PatSnapCall): Promise<CallResult<unknown>> => {
		const answer = await settle(transport.call(call));
		if ('value' in answer) return { value: answer.value.data };
		if (answer.error instanceof ApiFailure) return { failure: answer.error };
		throw toNodeError(context.getNode(), answer.error, request.itemIndex);
	};
	const pages = { reference: { [BODY_FIELD[request.kind]]: request.value }, filters: request.filters, pageSize: settings.pageSize, wanted: request.limit, label: request.input };
	const end = await readExaminationPages(send, { ...pages, malformed: 'fail' }, async (page, offset) => {
		const total = Number(page.doc_count ?? 0);
		const patent = {
			patent_number: String(page.patent_number ?? ''),
			patent_id: String(page.patent_id ?? ''),
			apno: String(page.apno ?? ''),
			doc_count: total,
		};
		if (offset === 0 && page.docs.length === 0) {
			outcome.empty = { query: request.input, found: true, ...patent, documentCount: 0, message: 'No examination documents match the filters. Not billed.' };
			return;
		}
		for (const [index, doc] of page.docs.entries()) {
			const position = offset + index + 1;
			const link = typeof doc.path === 'string' ? doc.path : '';
			const expiresAt = link ? signedLinkExpiry(link) : undefined;
			const json: IDataObject = {
				query: request.input,
				found: true,
				...patent,
				position,
				...doc,
				...(link
					? {
							pathExpiresAt: expiresAt?.toISOString() ?? null,
							pathNote: `Signed download link${expiresAt ? `, valid until ${expiresAt.toISOString()}` : ' that expires (PatSnap gave no time)'}. Run the operation again for a fresh one; do not store it as a permanent link.`,
						}
					: {}),
			};
			const fetched: FetchedDocument = { json };
			if (request.downloadPdfs) {
				const label = `${patent.patent_number || request.input} document ${position} (${String(doc.doc_code ?? '?')})`;
				const pdf = link
					? await settle(transport.fetchSignedPdf({ link, label, expiresAt }))
					: { error: new ApiFailure(`PatSnap gave no PDF link for ${label}`, { api: 'PatSnap', kind: 'unexpected', operation: 'PDF download' }) };
				if ('value' in pdf) {
					const fileName = `${safeFileNamePart(patent.patent_number || request.value)}_${String(doc.date ?? '')}_${safeFileNamePart(String(doc.doc_code ?? ''))}_${position}.pdf`;
					fetched.binary = await context.helpers.prepareBinaryData(pdf.value, fileName, 'application/pdf');
					json.fileName = fileName;
					json.fileSize = pdf.value.length;
				} else {
					fetched.pdfFailure = pdf.error instanceof ApiFailure ? pdf.error : undefined;
					if (!fetched.pdfFailure) throw toNodeError(context.getNode(), pdf.error, request.itemIndex);
				}
			}
			outcome.documents.push(fetched);
		}
	});
	outcome.calls = end.calls;
	if (end.kind === 'notCovered') {
		outcome.notFound = {
			query: request.input,
			found: false,
			reason: 'rejected',
			errorCode: PATSNAP_INVALID_PARAMETER,
			message: `PatSnap has no examination documents for this patent (${end.failure.details.originalMessage ?? 'invalid parameter'}). P048 does not cover Chinese patents. Not billed.`,
		};
	}
	if (end.kind === 'unknown') {
		outcome.notFound = {
			query: request.input,
			found: false,
			reason: 'unknown',
			message: 'PatSnap has no examination documents for this patent: the number is unknown or not covered by P048. Not billed.',
		};
	}
	if (end.kind === 'failed') outcome.failure = end.failure;
	return outcome;
}

/**
 * P048: one output item per document, paired with the item that asked for it. Per-document items
 * are what n8n's downstream nodes work on: filter by code, one PDF per item for upload or mail.
 * A patent without matching documents still gets one item, so no input goes unanswered.
 */
export async function executeExaminationDocuments(context: IExecuteFunctions, endpoint: PatSnapDocumentsEndpoint): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const numberType = (options.numberType ?? 'auto') as NumberTypeSetting;
	const pageSize = Math.min(endpoint.maxPageSize, Math.max(1, Math.floor(Number(options.pageSize ?? endpoint.maxPageSize))));
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data') || 'data';

	const plans = items.map((_, itemIndex) => planDocumentRequests(context, itemIndex, numberType, endpoint.defaultLimit));
	stopAtInvalidInput(context, plans);

	const transport = await createPatSnapTransport(context, options);
	const outcomes = new Map<string, RequestOutcome>();
	let stoppedBy: ApiFailure | undefined;
	for (const request of plans.flatMap((plan) => plan.requests)) {
		if (outcomes.has(request.key)) continue;
		if (stoppedBy) {
			outcomes.set(request.key, { documents: [], calls: 0, failure: stoppedBy, notAttempted: true });
			continue;
		}
		const outcome = await fetchDocuments(context, transport, request, { pageSize, options });
		outcomes.set(request.key, outcome);
		const firstPdfFailure = outcome.documents.find((doc) => doc.pdfFailure)?.pdfFailure;
		if (!context.continueOnFail() && (outcome.failure || firstPdfFailure)) {
			const fetched = [...outcomes.values()].reduce((sum, done) => sum + done.documents.length, 0);
			throw toNodeError(context.getNode(), withFetchedResults(outcome.failure ?? firstPdfFailure, fetched), request.itemIndex);
		}
		if (outcome.failure?.stopsRun) stoppedBy = outcome.failure;
	}

	return outputInItemOrder(plans, (request, pairedItem) => {
		const output: INodeExecutionData[] = [];
		const outcome = outcomes.get(request.key)!;
		const meta = { api: `PatSnap ${endpoint.code}`, operation: endpoint.operation, calls: outcome.calls };
		for (const doc of outcome.documents) {
			const json = { ...doc.json, query: request.input, _meta: meta };
			if (doc.pdfFailure) {
				output.push({ json: { ...json, ...errorItemJson(doc.pdfFailure) }, pairedItem });
			} else {
				output.push({ json, ...(doc.binary ? { binary: { [binaryPropertyName]: doc.binary } } : {}), pairedItem });
			}
		}
		if (outcome.notFound) output.push({ json: { ...outcome.notFound, query: request.input, _meta: meta }, pairedItem });
		if (outcome.empty) output.push({ json: { ...outcome.empty, query: request.input, _meta: meta }, pairedItem });
		if (outcome.failure) {
			const extra: IDataObject = { query: request.input, documentsFetched: outcome.documents.length };
			if (outcome.notAttempted) extra.notAttempted = true;
			output.push({ json: errorItemJson(outcome.failure, extra), pairedItem });
		}
		return output;
	});
}
