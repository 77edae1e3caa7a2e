import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { loadCredentialHandle, n8nSender } from '../shared/http';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { defaultRetryPolicy } from '../shared/retry';
import {
	batchQueryString,
	classifyReference,
	indexResults,
	planBatches,
	queryKey,
	splitReferences,
	PatentReferenceError,
	type NumberTypeSetting,
	type PatentQuery,
} from './batching';
import { findPatSnapBatchEndpoint, PATSNAP_BATCH_ENDPOINTS, PATSNAP_MAX_BATCH } from './catalog';
import { DEFAULT_PATSNAP_QPS, PatSnapTransport } from './transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Patent', value: 'patent', description: 'Batch lookups by patent number or PatSnap ID' }],
		default: 'patent',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['patent'] } },
		options: PATSNAP_BATCH_ENDPOINTS.map((endpoint) => ({
			name: endpoint.name,
			value: endpoint.operation,
			description: `${endpoint.description} (${endpoint.code}, up to 100 patents per call, billed per result)`,
			action: `${endpoint.name} (${endpoint.code})`,
		})),
		default: 'getLegalStatus',
	},
	{
		displayName: 'Patent Numbers or IDs',
		name: 'numbers',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'US11205304B2, EP3456789A1',
		description:
			'One or more publication numbers or PatSnap patent IDs, separated by commas or new lines, or an array from an expression. All items are combined into as few calls as possible.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: PATSNAP_MAX_BATCH },
				default: PATSNAP_MAX_BATCH,
				description: 'Patents per call; PatSnap accepts at most 100',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 4,
				description: 'Attempts per call for failures PatSnap did not bill (too fast, busy, 5xx)',
			},
			{
				displayName: 'Number Type',
				name: 'numberType',
				type: 'options',
				options: [
					{ name: 'Detect', value: 'auto', description: 'UUID-shaped values are PatSnap IDs, the rest publication numbers' },
					{ name: 'Patent ID', value: 'patentId' },
					{ name: 'Publication Number', value: 'patentNumber' },
				],
				default: 'auto',
			},
			{
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 100, numberPrecision: 1 },
				default: DEFAULT_PATSNAP_QPS,
				description: 'PatSnap sets a QPS limit per account; stay below yours',
			},
			{
				displayName: 'Retry Unreadable Answers',
				name: 'retryUnreadableAnswers',
				type: 'boolean',
				default: false,
				description:
					'Whether to retry billed calls whose answer was lost or unreadable. PatSnap may already have billed them, so a retry can cost twice.',
			},
		],
	},
];

interface ItemQueries {
	queries: PatentQuery[];
	invalid?: Error;
}

export class PatSnap implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PatSnap',
		name: 'patSnap',
		icon: { light: 'file:patsnap.svg', dark: 'file:patsnap.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Batched, quota-aware patent data from the PatSnap Open API',
		defaults: { name: 'PatSnap' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'patSnapApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const endpoint = findPatSnapBatchEndpoint(operation);
		if (!endpoint) throw new NodeOperationError(this.getNode(), `Unknown operation ${operation}`);
		const batchSize = Math.min(PATSNAP_MAX_BATCH, Math.max(1, Math.floor(Number(options.batchSize ?? PATSNAP_MAX_BATCH))));
		const numberType = (options.numberType ?? 'auto') as NumberTypeSetting;

		// Every item's input is checked before the first call, so a typo costs nothing.
		const perItem: ItemQueries[] = items.map((_, itemIndex) => {
			try {
				const references = splitReferences(this.getNodeParameter('numbers', itemIndex));
				if (references.length === 0) return { queries: [], invalid: new PatentReferenceError('') };
				return { queries: references.map((input) => ({ itemIndex, ...classifyReference(input, numberType) })) };
			} catch (error) {
				return { queries: [], invalid: error as Error };
			}
		});
		perItem.forEach((entry, itemIndex) => {
			if (entry.invalid && !this.continueOnFail()) {
				throw toNodeError(
					this.getNode(),
					new ApiFailure(entry.invalid.message, { api: 'PatSnap', kind: 'input', description: 'Field: Patent Numbers or IDs' }),
					itemIndex,
				);
			}
		});

		const transport = new PatSnapTransport(n8nSender(this), await loadCredentialHandle(this, 'patSnapApi'), {
			qps: Number(options.requestsPerSecond ?? DEFAULT_PATSNAP_QPS),
			retry: { ...defaultRetryPolicy, maxAttempts: Number(options.maxAttempts ?? defaultRetryPolicy.maxAttempts) },
			retryUnreadableAnswers: Boolean(options.retryUnreadableAnswers),
		});

		const results = new Map<string, IDataObject>();
		const failures = new Map<string, ApiFailure>();
		const batches = planBatches(perItem.flatMap((entry) => entry.queries), batchSize);
		let stoppedBy: ApiFailure | undefined;
		for (const [batchNumber, batch] of batches.entries()) {
			if (stoppedBy) {
				for (const query of batch) failures.set(queryKey(query.kind, query.value), stoppedBy);
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
			} catch (error) {
				if (!(error instanceof ApiFailure) || !this.continueOnFail()) {
					throw toNodeError(this.getNode(), error, batch[0].itemIndex);
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
					output.push({ json: errorItemJson(failure, { query: query.input }), pairedItem: { item: itemIndex } });
					continue;
				}
				const result = results.get(key);
				output.push({
					json: result
						? { query: query.input, found: true, ...result, _meta: meta }
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
		return [output];
	}
}
