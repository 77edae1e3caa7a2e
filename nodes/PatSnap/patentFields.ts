import type { INodeProperties } from 'n8n-workflow';

import { PATSNAP_BATCH_ENDPOINTS, PATSNAP_EXAMINATION_DOCUMENTS, PATSNAP_MAX_BATCH, PATSNAP_NUMBER_LOOKUP } from './catalog';
import { maxAnswerSize, maxAttempts, numberType, optionsCollection, requestsPerSecond, retryUnreadableAnswers } from './optionFields';

const BATCH_OPERATIONS = PATSNAP_BATCH_ENDPOINTS.map((endpoint) => endpoint.operation);
const DOCUMENTS = PATSNAP_EXAMINATION_DOCUMENTS.operation;
const LOOKUP = PATSNAP_NUMBER_LOOKUP.operation;
const { maxPageSize } = PATSNAP_EXAMINATION_DOCUMENTS;
const { maxMatches, defaultMatches } = PATSNAP_NUMBER_LOOKUP;

/** The Patent resource's fields: what each lookup reads, then each kind's Options. */
export const patentFields: INodeProperties[] = [
	// Batch endpoints (P011–P041)
	{
		displayName: 'Patent Numbers or IDs',
		name: 'numbers',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'US11205304B2, EP 3456789 A1',
		displayOptions: { show: { resource: ['patent'], operation: BATCH_OPERATIONS } },
		description: `Publication numbers starting with their country code, such as US11205304B2 or EP 3456789 A1 (spaces, hyphens, dots and slashes are ignored, any case), or PatSnap patent IDs (UUIDs). Several per field, separated by commas, semicolons or new lines, or an array from an expression; write numbers without thousands commas. The numbers of all items are sent together, up to ${PATSNAP_MAX_BATCH} per call.`,
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
		placeholder: 'US11205304B2, EP3456789A1',
		displayOptions: { show: { resource: ['patent'], operation: [DOCUMENTS] } },
		description:
			'Several per field, separated by commas, semicolons or new lines, or an array from an expression. Look Up By Patent Number or ID: publication numbers starting with their country code, such as US11205304B2 (spaces, hyphens, dots and slashes are ignored), or PatSnap patent IDs. Look Up By Application Number: numbers such as US14/706838, US 14/706,838 or PCT/US2020/012345 (a comma before the last three digits stays part of the number). PatSnap takes one patent per call and does not cover Chinese patents.',
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
		// n8n's lint rule wants every Limit to default to a literal 50; the catalog row agrees (tested).
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
		placeholder: 'US11205304B2, EP3456789A1',
		displayOptions: { show: { resource: ['patent'], operation: [LOOKUP] } },
		description:
			'Several per field, separated by commas, semicolons or new lines, or an array from an expression; one call per distinct number. Publication numbers with or without country and kind code, such as US11205304B2, US 11,205,304 B2 or 11205304; application numbers (see Number Type) such as US16/123456, US 16/123,456 or CN202010123456.7. A comma before the last three digits stays part of the number.',
	},
	optionsCollection({ resource: ['patent'], operation: BATCH_OPERATIONS }, [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: PATSNAP_MAX_BATCH },
			default: PATSNAP_MAX_BATCH,
			description: `Patents per call; PatSnap accepts at most ${PATSNAP_MAX_BATCH}`,
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
	]),
	optionsCollection({ resource: ['patent'], operation: [DOCUMENTS] }, [
		maxAnswerSize,
		maxAttempts,
		numberType,
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: maxPageSize },
			default: maxPageSize,
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
	]),
	optionsCollection({ resource: ['patent'], operation: [LOOKUP] }, [
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
			typeOptions: { minValue: 1, maxValue: maxMatches },
			default: defaultMatches,
			description: 'A number can match several publications, e.g. an application published and then granted',
		},
		maxAttempts,
		requestsPerSecond,
		retryUnreadableAnswers,
	]),
];
