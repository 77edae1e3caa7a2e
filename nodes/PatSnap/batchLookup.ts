import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import {
	batchQueryString,
	classifyReference,
	indexResults,
	planBatches,
	queryKey,
	splitReferences,
	type NumberTypeSetting,
	type PatentQuery,
} from './batching';
import { PATSNAP_MAX_BATCH, type PatSnapBatchEndpoint } from './catalog';
import { translateChineseStatusValues } from './chineseValues';
import { createPatSnapTransport, inputFailure, numberFailure, stopAtInvalidInput, withFetchedResults } from './runContext';

interface ItemQueries {
	queries: PatentQuery[];
	invalid?: ApiFailure;
}

const FIELD = 'Patent Numbers or IDs';

/** Builds the json of a found result, translating Chinese status values when asked to. */
function foundJson(query: PatentQuery, result: IDataObject, meta: IDataObject, translate: boolean): IDataObject {
	if (!translate) return { query: query.input, found: true, ...result, _meta: meta };
	const { json, translated, untranslated } = translateChineseStatusValues(result);
	return {
		query: query.input,
		found: true,
		...json,
		_meta: { ...meta, translatedValues: translated, untranslatedValues: untranslated },
	};
}

/**
 * The batch endpoints: every item's numbers are checked first, then all distinct numbers of the
 * run are sent in as few calls as possible and each result goes back to every item that asked.
 * A batch that fails is retried on its own (the transport's retry), so results PatSnap already
 * returned, and billed, are never asked for twice.
 */
export async function executeBatchLookup(context: IExecuteFunctions, endpoint: PatSnapBatchEndpoint): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const batchSize = Math.min(PATSNAP_MAX_BATCH, Math.max(1, Math.floor(Number(options.batchSize ?? PATSNAP_MAX_BATCH))));
	const numberType = (options.numberType ?? 'auto') as NumberTypeSetting;
	const translate = Boolean(options.translateChineseValues);

	// Every item's input is checked before the first call, so a typo costs nothing.
	const perItem: ItemQueries[] = items.map((_, itemIndex) => {
		try {
			const references = splitReferences(context.getNodeParameter('numbers', itemIndex));
			if (references.length === 0) return { queries: [], invalid: inputFailure('Enter at least one publication number or PatSnap patent ID.', FIELD) };
			return { queries: references.map((input) => ({ itemIndex, ...classifyReference(input, numberType) })) };
		} catch (error) {
			return { queries: [], invalid: numberFailure((error as Error).message, FIELD) };
		}
	});
	stopAtInvalidInput(context, perItem);

	const transport = await createPatSnapTransport(context, options);
	const results = new Map<string, IDataObject>();
	const failures = new Map<string, ApiFailure>();
	const notAttempted = new Set<string>();
	const batches = planBatches(perItem.flatMap((entry) => entry.queries), batchSize);
	let stoppedBy: ApiFailure | undefined;
	let fetched = 0;
	for (const [batchNumber, batch] of batches.entries()) {
		if (stoppedBy) {
			for (const query of batch) {
				failures.set(queryKey(query.kind, query.value), stoppedBy);
				notAttempted.add(queryKey(query.kind, query.value));
			}
			continue;
		}
		try {
			const answer = await transport.call({
				method: endpoint.method,
				path: endpoint.path,
				qs: batchQueryString(batch),
				billed: true,
				operation: `${endpoint.code} ${endpoint.name}, batch ${batchNumber + 1} of ${batches.length}`,
			});
			for (const [key, value] of indexResults(answer.data)) results.set(key, value);
			if (Array.isArray(answer.data)) fetched += answer.data.length;
		} catch (error) {
			if (!(error instanceof ApiFailure) || !context.continueOnFail()) {
				throw toNodeError(context.getNode(), withFetchedResults(error, fetched), batch[0].itemIndex);
			}
			for (const query of batch) failures.set(queryKey(query.kind, query.value), error);
			if (error.stopsRun) stoppedBy = error;
		}
	}

	const output: INodeExecutionData[] = [];
	perItem.forEach((entry, itemIndex) => {
		if (entry.invalid) {
			output.push({ json: errorItemJson(entry.invalid, { errorKind: 'input', field: 'numbers' }), pairedItem: { item: itemIndex } });
			return;
		}
		for (const query of entry.queries) {
			const key = queryKey(query.kind, query.value);
			const meta = { api: `PatSnap ${endpoint.code}`, operation: endpoint.operation, batchCalls: batches.length };
			const failure = failures.get(key);
			if (failure) {
				const extra: IDataObject = notAttempted.has(key) ? { query: query.input, notAttempted: true } : { query: query.input };
				output.push({ json: errorItemJson(failure, extra), pairedItem: { item: itemIndex } });
				continue;
			}
			const result = results.get(key);
			output.push({
				json: result
					? foundJson(query, result, meta, translate)
					: {
							query: query.input,
							found: false,
							message: `PatSnap returned no result for this ${query.kind === 'patentId' ? 'patent ID' : 'number'} (not billed)`,
							_meta: meta,
						},
				pairedItem: { item: itemIndex },
			});
		}
	});
	return output;
}
