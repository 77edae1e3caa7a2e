import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { settle } from '../shared/retry';
import type { PatSnapLookupEndpoint } from './catalog';
import { normaliseApplicationNumber, normalisePublicationNumber, parseAuthorities, splitNumberList } from './lookupInputs';
import { createPatSnapTransport, inputFailure, outputInItemOrder, stopAtInvalidInput, withFetchedResults } from './runContext';

type LookupKind = 'pn' | 'apno';

interface LookupQuery {
	itemIndex: number;
	input: string;
	kind: LookupKind;
	value: string;
}

interface ItemQueries {
	requests: LookupQuery[];
	invalid?: ApiFailure;
}

interface LookupOutcome {
	matches: IDataObject[];
	total: number;
	failure?: ApiFailure;
	notAttempted?: boolean;
}

const FIELD = 'Numbers';

const keyOf = (query: LookupQuery) => `${query.kind}:${query.value}`;

function planItem(context: IExecuteFunctions, itemIndex: number): ItemQueries {
	try {
		const kind: LookupKind = context.getNodeParameter('lookupNumberType', itemIndex, 'publicationNumber') === 'applicationNumber' ? 'apno' : 'pn';
		const inputs = splitNumberList(context.getNodeParameter('numbers', itemIndex));
		if (inputs.length === 0) throw inputFailure('Enter at least one application or publication number.', FIELD);
		return {
			requests: inputs.map((input) => ({
				itemIndex,
				input,
				kind,
				value: kind === 'apno' ? normaliseApplicationNumber(input, FIELD) : normalisePublicationNumber(input, FIELD),
			})),
		};
	} catch (error) {
		return { requests: [], invalid: error instanceof ApiFailure ? error : inputFailure((error as Error).message, FIELD) };
	}
}

/** The most recent publication first: for an application published and then granted, the grant. */
function byLatestPublication(a: IDataObject, b: IDataObject): number {
	return Number(b.pbdt ?? 0) - Number(a.pbdt ?? 0);
}

/**
 * P069: application or publication numbers to PatSnap's `patent_id` and standard `pn`. The
 * endpoint takes one `pn` or `apno` string per call, so each distinct number of the run costs one
 * call; numbers repeated across items are asked once. One output item per number typed.
 */
export async function executeNumberLookup(context: IExecuteFunctions, endpoint: PatSnapLookupEndpoint): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const maxMatches = Math.min(endpoint.maxMatches, Math.max(1, Math.floor(Number(options.maxMatches ?? endpoint.defaultMatches))));

	let authority: string[] | undefined;
	try {
		authority = parseAuthorities(options.authorities, 'Authorities');
	} catch (error) {
		throw toNodeError(context.getNode(), error);
	}

	const perItem = items.map((_, itemIndex) => planItem(context, itemIndex));
	stopAtInvalidInput(context, perItem);

	const transport = await createPatSnapTransport(context, options);
	const outcomes = new Map<string, LookupOutcome>();
	let stoppedBy: ApiFailure | undefined;
	for (const query of perItem.flatMap((entry) => entry.requests)) {
		const key = keyOf(query);
		if (outcomes.has(key)) continue;
		if (stoppedBy) {
			outcomes.set(key, { matches: [], total: 0, failure: stoppedBy, notAttempted: true });
			continue;
		}
		const answer = await settle(
			transport.call({
				method: endpoint.method,
				path: endpoint.path,
				body: { [query.kind]: query.value, ...(authority ? { authority } : {}), offset: 0, limit: maxMatches },
				billed: endpoint.billed,
				operation: `${endpoint.code} ${endpoint.name} for ${query.input}`,
			}),
		);
		if ('error' in answer) {
			if (!(answer.error instanceof ApiFailure) || !context.continueOnFail()) {
				const fetched = [...outcomes.values()].filter((outcome) => outcome.matches.length > 0).length;
				throw toNodeError(context.getNode(), withFetchedResults(answer.error, fetched), query.itemIndex);
			}
			outcomes.set(key, { matches: [], total: 0, failure: answer.error });
			if (answer.error.stopsRun) stoppedBy = answer.error;
			continue;
		}
		const data = (answer.value.data ?? {}) as IDataObject;
		const matches = (Array.isArray(data.results) ? (data.results as IDataObject[]) : []).filter((match) => match && typeof match === 'object');
		outcomes.set(key, { matches: [...matches].sort(byLatestPublication), total: Number(data.total_search_result_count ?? matches.length) });
	}

	return outputInItemOrder(perItem, (query, pairedItem): INodeExecutionData[] => {
		const outcome = outcomes.get(keyOf(query))!;
		const meta = { api: `PatSnap ${endpoint.code}`, operation: endpoint.operation, numberType: query.kind === 'apno' ? 'applicationNumber' : 'publicationNumber' };
		if (outcome.failure) {
			return [{ json: errorItemJson(outcome.failure, { query: query.input, ...(outcome.notAttempted ? { notAttempted: true } : {}) }), pairedItem }];
		}
		const [best] = outcome.matches;
		return [
			{
				json: best
					? { query: query.input, found: true, ...best, matchCount: outcome.matches.length, totalMatches: outcome.total, matches: outcome.matches, _meta: meta }
					: { query: query.input, found: false, message: 'PatSnap found no patent for this number. Not billed.', _meta: meta },
				pairedItem,
			},
		];
	});
}
