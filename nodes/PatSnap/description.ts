import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	PATSNAP_BATCH_ENDPOINTS,
	PATSNAP_EXAMINATION_DOCUMENTS,
	PATSNAP_MAX_BATCH,
	PATSNAP_NUMBER_LOOKUP,
	patSnapOperationOptions,
} from './catalog';
import { DEFAULT_PATSNAP_QPS } from './transport';

const BATCH_OPERATIONS = PATSNAP_BATCH_ENDPOINTS.map((endpoint) => endpoint.operation);
const DOCUMENTS = PATSNAP_EXAMINATION_DOCUMENTS.operation;
const LOOKUP = PATSNAP_NUMBER_LOOKUP.operation;

/** P048's `limit` is documented without a maximum; the sandbox, like most PatSnap paging, takes 100. */
export const PATSNAP_DOCUMENT_PAGE_SIZE = 100;
/** P069: "Result limit, default is 10, maximum is 1000". */
export const PATSNAP_LOOKUP_MAX_LIMIT = 1000;
/** P056/P058: "monitor name or tag, up to 50 characters". */
export const PATSNAP_MONITOR_NAME_MAX = 50;

/** The seven alert types P056 and P058 accept in `content`, in the spec's order. */
export const PATSNAP_MONITOR_CONTENT: readonly INodePropertyOptions[] = [
	{ name: 'Assignment', value: 'transfer', description: 'The current assignee of a patent changes' },
	{ name: 'Legal Status', value: 'legal', description: 'The legal status of a patent changes' },
	{ name: 'Licensing', value: 'license', description: 'Licensing information is updated' },
	{ name: 'Litigation', value: 'litigation', description: 'Litigation information is updated' },
	{ name: 'New Invention', value: 'invention', description: 'A patent outside the existing families is published' },
	{ name: 'New Patents', value: 'new', description: 'A new patent matching the query is published' },
	{ name: 'Upcoming Expiry', value: 'expired', description: 'A patent is within 30 days of its estimated expiry' },
];

const maxAttempts: INodeProperties = {
	displayName: 'Max Attempts',
	name: 'maxAttempts',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10 },
	default: 4,
	description: 'Attempts per call for failures PatSnap did not bill (too fast, busy, 5xx)',
};

const maxAnswerSize: INodeProperties = {
	displayName: 'Max Answer Size (MB)',
	name: 'maxAnswerSizeMb',
	type: 'number',
	typeOptions: { minValue: 0.01, numberPrecision: 2 },
	default: 256,
	description:
		'Answers larger than this (1 MB = 1,048,576 bytes), document PDFs included, fail their items with a clear message instead of being parsed and stored. PatSnap may still bill the results it sent.',
};

const requestsPerSecond: INodeProperties = {
	displayName: 'Requests per Second',
	name: 'requestsPerSecond',
	type: 'number',
	typeOptions: { minValue: 0.1, maxValue: 100, numberPrecision: 1 },
	default: DEFAULT_PATSNAP_QPS,
	description: 'PatSnap sets a QPS limit per account; stay below yours',
};

const retryUnreadableAnswers: INodeProperties = {
	displayName: 'Retry Unreadable Answers',
	name: 'retryUnreadableAnswers',
	type: 'boolean',
	default: false,
	description:
		'Whether to retry billed or state-changing calls whose answer was lost or unreadable. PatSnap may already have billed or carried them out, so a retry can cost twice.',
};

const numberType: INodeProperties = {
	displayName: 'Number Type',
	name: 'numberType',
	type: 'options',
	options: [
		{ name: 'Detect', value: 'auto', description: 'UUID-shaped values are PatSnap IDs, the rest publication numbers' },
		{ name: 'Patent ID', value: 'patentId' },
		{ name: 'Publication Number', value: 'patentNumber' },
	],
	default: 'auto',
};

export const patSnapProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Monitor', value: 'monitor', description: 'PatSnap monitor projects that flag patents with changes' },
			{ name: 'Patent', value: 'patent', description: 'Lookups by patent number, PatSnap ID or application number' },
		],
		default: 'patent',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['patent'] } },
		options: patSnapOperationOptions('patent'),
		default: 'getLegalStatus',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['monitor'] } },
		options: patSnapOperationOptions('monitor'),
		default: 'check',
	},

	// Batch endpoints (P011–P041)
	{
		displayName: 'Patent Numbers or IDs',
		name: 'numbers',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'US11205304B2, EP3456789A1',
		displayOptions: { show: { resource: ['patent'], operation: BATCH_OPERATIONS } },
		description:
			'One or more publication numbers or PatSnap patent IDs, separated by commas or new lines, or an array from an expression. All items are combined into as few calls as possible.',
	},

	// P048 examination documents
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		options: [
			{ name: 'Application Number', value: 'applicationNumber', description: 'A number such as US14/706838' },
			{ name: 'Patent Number or ID', value: 'patent', description: 'A publication number or a PatSnap patent ID' },
		],
		default: 'patent',
	},
	{
		displayName: 'Patents',
		name: 'numbers',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'US11205304B2',
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		description:
			'Publication numbers, PatSnap patent IDs or application numbers (see Look Up By), separated by commas or new lines. PatSnap takes one patent per call and does not cover Chinese patents.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS], returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Download PDFs',
		name: 'downloadPdfs',
		type: 'boolean',
		default: false,
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		description:
			'Whether to download each document at once into the output item. The links PatSnap returns are signed and expire (the sandbox and the documentation example: one hour).',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		options: [
			{
				displayName: 'Date From',
				name: 'dateFrom',
				type: 'dateTime',
				default: '',
				description: 'Only documents sent or received on or after this day',
			},
			{
				displayName: 'Date To',
				name: 'dateTo',
				type: 'dateTime',
				default: '',
				description: 'Only documents sent or received on or before this day',
			},
			{
				displayName: 'Document Codes',
				name: 'documentCodes',
				type: 'string',
				default: '',
				placeholder: 'CTNF, CTFR, NOA',
				description: 'Only these document codes, separated by commas',
			},
		],
	},

	// P069 number lookup
	{
		displayName: 'Number Type',
		name: 'lookupNumberType',
		type: 'options',
		displayOptions: { show: { resource: ['patent'], operation: [LOOKUP] } },
		options: [
			{ name: 'Application Number', value: 'applicationNumber', description: 'A number such as US16/123456 or CN202010123456.7' },
			{
				name: 'Publication Number',
				value: 'publicationNumber',
				description: 'With or without kind code, e.g. US11205304B2 or US11205304',
			},
		],
		default: 'publicationNumber',
	},
	{
		displayName: 'Numbers',
		name: 'numbers',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'US16/123456',
		displayOptions: { show: { resource: ['patent'], operation: [LOOKUP] } },
		description: 'One or more numbers, separated by commas or new lines, or an array from an expression. One call per distinct number.',
	},

	// Monitors (P056–P059)
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'PN:(US11205304B2 OR EP3456789A1)',
		displayOptions: { show: { resource: ['monitor'], operation: ['create'] } },
		description: 'A PatSnap search query selecting the patents to watch',
	},
	{
		displayName: 'Alert On',
		name: 'content',
		type: 'multiOptions',
		options: [...PATSNAP_MONITOR_CONTENT],
		default: ['legal'],
		required: true,
		displayOptions: { show: { resource: ['monitor'], operation: ['create'] } },
		description: 'The changes the monitor reports',
	},
	{
		displayName: 'Name',
		name: 'alertName',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['monitor'], operation: ['create'] } },
		description: `Name or tag of the monitor project, up to ${PATSNAP_MONITOR_NAME_MAX} characters`,
	},
	{
		displayName: 'Monitor ID',
		name: 'alertId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '7f22ee78764149b481314b1fa60dca0c',
		displayOptions: { show: { resource: ['monitor'], operation: ['check', 'update', 'delete'] } },
		description: 'The alert_id PatSnap returned when the monitor was created',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: ['monitor'], operation: ['update'] } },
		options: [
			{
				displayName: 'Alert On',
				name: 'content',
				type: 'multiOptions',
				options: [...PATSNAP_MONITOR_CONTENT],
				default: [],
				description: 'The changes the monitor reports',
			},
			{
				displayName: 'Name',
				name: 'alertName',
				type: 'string',
				default: '',
				description: `Name or tag of the monitor project, up to ${PATSNAP_MONITOR_NAME_MAX} characters`,
			},
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				description: 'A PatSnap search query selecting the patents to watch',
			},
		],
	},

	// Options, per kind of operation
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['patent'], operation: BATCH_OPERATIONS } },
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: PATSNAP_MAX_BATCH },
				default: PATSNAP_MAX_BATCH,
				description: 'Patents per call; PatSnap accepts at most 100',
			},
			maxAnswerSize,
			maxAttempts,
			numberType,
			requestsPerSecond,
			retryUnreadableAnswers,
			{
				displayName: 'Translate Chinese Values',
				name: 'translateChineseValues',
				type: 'boolean',
				default: false,
				description:
					'Whether to turn the Chinese legal-status values the China host returns (e.g. 有效, 授权) into the documented English ones (Active, Granted). Values not in the table are kept and listed in _meta.untranslatedValues.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		options: [
			maxAnswerSize,
			maxAttempts,
			numberType,
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: PATSNAP_DOCUMENT_PAGE_SIZE },
				default: PATSNAP_DOCUMENT_PAGE_SIZE,
				description: 'Documents per call. Each call that returns documents is billed, so large pages cost least.',
			},
			{
				displayName: 'Put PDF in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The binary field of each output item that receives the document PDF',
			},
			requestsPerSecond,
			retryUnreadableAnswers,
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['patent'], operation: [LOOKUP] } },
		options: [
			{
				displayName: 'Authorities',
				name: 'authorities',
				type: 'string',
				default: '',
				placeholder: 'US, EP',
				description: 'Only publications of these patent offices (two-letter codes, separated by commas)',
			},
			maxAnswerSize,
			{
				displayName: 'Max Matches per Number',
				name: 'maxMatches',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: PATSNAP_LOOKUP_MAX_LIMIT },
				default: 10,
				description: 'A number can match several publications, e.g. an application published and then granted',
			},
			maxAttempts,
			requestsPerSecond,
			retryUnreadableAnswers,
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['monitor'] } },
		options: [maxAnswerSize, maxAttempts, requestsPerSecond, retryUnreadableAnswers],
	},
];

/** Option fields the PatSnap Trigger shares with this node, so both explain them in the same words. */
export const PATSNAP_SHARED_OPTION_FIELDS = { maxAttempts, numberType, requestsPerSecond } as const;
