import type { INodeProperties } from 'n8n-workflow';

import { defaultRetryPolicy } from '../shared/retry';
import { DEFAULT_JPO_RATES, JPO_ENDPOINTS, JPO_RESOURCE_TABLES, jpoApiRange, type JpoParameterKind, type JpoResource, type JpoResponseKind } from './catalog';
import { APPLICATION_NUMBER_FORMS } from './numbers';
import { jpoToolAction } from './toolAction';

/** The node's fields, generated from the endpoint catalog so menus and execution cannot drift apart. */
const RESOURCES: Array<{ name: string; value: JpoResource; description: string }> = JPO_RESOURCE_TABLES.map((table) => ({
	name: table.name,
	value: table.resource,
	description: `${table.subject} (${jpoApiRange(table)})`,
}));

interface FieldTemplate {
	displayName: string;
	type: 'string';
	placeholder: string;
	description: string;
}

const FIELD_TEMPLATES: Record<Exclude<JpoParameterKind, 'numberReferenceKind' | 'pctKind' | 'docdbKind'>, FieldTemplate> = {
	applicationNumber: {
		displayName: 'Application Number',
		type: 'string',
		placeholder: 'e.g. 2020-123456, 特願2020-123456 or 令和2年特許願第123456号',
		description: `One number per item, in any of these forms: ${APPLICATION_NUMBER_FORMS}, or an era year such as R2-123456 or H30-123456. Hyphens, spaces and full-width digits are fine. For several numbers, send one item each.`,
	},
	applicantCode: {
		displayName: 'Applicant Code',
		type: 'string',
		placeholder: 'e.g. 000003207',
		description: 'The 9-digit applicant or attorney code, half- or full-width digits; one code per item',
	},
	applicantName: {
		displayName: 'Applicant Name',
		type: 'string',
		placeholder: 'トヨタ自動車株式会社',
		description: 'Sent exactly as typed: JPO needs an exact match, including full-width spaces',
	},
	referenceNumber: {
		displayName: 'Number',
		type: 'string',
		placeholder: 'e.g. 2020-123456, 特開2021-097352 or 特許第7112139号',
		description:
			'One number per item, matching the Number Kind: an application number (2020-123456, 特願2020-123456, 令和2年特許願第123456号), a publication number (特開2021-097352, 特開平10-123456, JP2021-097352A) or a registration number (特許第7112139号, 7,112,139, JP7112139B2). Hyphens, spaces and full-width digits are fine.',
	},
	pctNumber: {
		displayName: 'PCT Number',
		type: 'string',
		placeholder: 'e.g. PCT/JP2019/011858 or WO2019/011858',
		description:
			'One number per item, matching the PCT Number Kind: an international application number (PCT/JP2019/011858 or JP2019011858) or an international publication number (WO2019/011858 or WO2019011858). Full-width characters are fine.',
	},
	docdbNumber: {
		displayName: 'DOCDB Number',
		type: 'string',
		placeholder: 'e.g. JP.2015500001.A',
		description: 'One number per item: country code, number and kind code separated by dots, e.g. JP.2015500001.A (a JP application is JP. + its 10 digits + .A) or US.9459406.B2',
	},
	documentId: {
		displayName: 'Document ID',
		type: 'string',
		placeholder: 'e.g. Abstract_61539913647_JP',
		description: 'A document ID from the Get Document List operation',
	},
};

const KIND_LABELS: Record<string, string> = {
	application: 'Application Number',
	publication: 'Publication Number',
	registration: 'Registration Number',
	international_application: 'International Application Number',
	international_publication: 'International Publication Number',
};

function endpointsUsing(kind: JpoParameterKind) {
	return JPO_ENDPOINTS.filter((endpoint) => endpoint.parameters.includes(kind));
}

function operationProperties(): INodeProperties[] {
	return RESOURCES.map(({ value: resource }) => {
		const endpoints = JPO_ENDPOINTS.filter((endpoint) => endpoint.resource === resource);
		// The default is the resource's first operation; the rule cannot see computed values.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: endpoints.map((endpoint) => ({
				name: endpoint.name,
				value: endpoint.operation,
				description: `${endpoint.description} (JPO ${endpoint.number}, ${endpoint.dailyLimit}/day)`,
				action: jpoToolAction(endpoint),
			})),
			default: endpoints[0].operation,
		} satisfies INodeProperties;
	});
}

function kindProperties(kind: 'numberReferenceKind' | 'pctKind' | 'docdbKind', displayName: string): INodeProperties[] {
	const byResource = new Map<JpoResource, string[]>();
	const operations = new Set<string>();
	for (const endpoint of endpointsUsing(kind)) {
		byResource.set(endpoint.resource, endpoint.kinds ?? []);
		operations.add(endpoint.operation);
	}
	// The default is the first kind of each resource; the rule cannot see computed values.
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
	return [...byResource].map(([resource, kinds]) => ({
		displayName,
		name: kind,
		type: 'options',
		displayOptions: { show: { resource: [resource], operation: [...operations] } },
		options: kinds.map((value) => ({ name: KIND_LABELS[value] ?? value, value })),
		default: kinds[0],
	}));
}

function valueProperties(): INodeProperties[] {
	return (Object.keys(FIELD_TEMPLATES) as Array<keyof typeof FIELD_TEMPLATES>).map((kind) => {
		const endpoints = endpointsUsing(kind);
		return {
			...FIELD_TEMPLATES[kind],
			name: kind,
			required: true,
			default: '',
			displayOptions: {
				show: {
					resource: [...new Set(endpoints.map((endpoint) => endpoint.resource))],
					operation: [...new Set(endpoints.map((endpoint) => endpoint.operation))],
				},
			},
		};
	});
}

/** Operation names are shared by the patent, design and trademark resources, so each must answer in one way. */
function operationsAnswering(responses: JpoResponseKind[]): string[] {
	const matching = new Set(JPO_ENDPOINTS.filter((endpoint) => responses.includes(endpoint.response)).map((endpoint) => endpoint.operation));
	for (const endpoint of JPO_ENDPOINTS) {
		if (matching.has(endpoint.operation) && !responses.includes(endpoint.response)) {
			throw new Error(`Operation ${endpoint.operation} answers ${endpoint.response} in ${endpoint.resource} but not elsewhere`);
		}
	}
	return [...matching];
}

const FILE_OPERATIONS = operationsAnswering(['zip', 'pdf']);
const ARCHIVE_OPERATIONS = operationsAnswering(['zip']);

/**
 * The canvas subtitle: `Patent: Get Progress`. n8n evaluates it as an expression over the node's
 * parameters and cannot look up an option's display name, so the lookup table is written into the
 * expression from the catalog; an operation missing from it shows as its code name.
 */
export const JPO_SUBTITLE = (() => {
	const names: Record<string, string> = {};
	for (const endpoint of JPO_ENDPOINTS) {
		const resource = RESOURCES.find((candidate) => candidate.value === endpoint.resource)?.name ?? endpoint.resource;
		names[`${endpoint.resource}:${endpoint.operation}`] = `${resource}: ${endpoint.name}`;
	}
	return `={{ (${JSON.stringify(names)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["resource"] + ": " + $parameter["operation"] }}`;
})();

export const jpoProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES,
		default: 'patent',
	},
	...operationProperties(),
	...kindProperties('numberReferenceKind', 'Number Kind'),
	...kindProperties('pctKind', 'PCT Number Kind'),
	...kindProperties('docdbKind', 'DOCDB Number Kind'),
	...valueProperties(),
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { hide: { operation: FILE_OPERATIONS } },
		description:
			'Whether to add ISO dates (filingDateIso beside filingDate), English document names and decoded flags, and turn counts into numbers. Nothing JPO sent is removed.',
	},
	{
		displayName: 'Extract Documents',
		name: 'extractDocuments',
		type: 'boolean',
		default: true,
		displayOptions: { show: { operation: ARCHIVE_OPERATIONS } },
		description:
			'Whether to output one item per document in the archive (code, name, number, dates, text decoded from Shift_JIS, XML as JSON, images as binary) instead of one item holding the ZIP',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Where document archives and PDFs are put on the output item',
			},
			{
				displayName: 'Max Answer Size (MB)',
				name: 'maxAnswerSizeMb',
				type: 'number',
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				default: 512,
				description:
					'Answers larger than this (1 MB = 1,048,576 bytes), including archives fetched from download links, fail their item with a clear message instead of being unpacked and stored as binary data. JPO still counts the call.',
			},
			// The default is the constant the transport uses; the rule cannot see computed values.
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: defaultRetryPolicy.maxAttempts,
				description: 'Attempts per request for transient failures (timeouts, 5xx, too many requests). Daily-limit answers are never retried.',
			},
			// The default is the constant the transport uses; the rule cannot see computed values.
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
			{
				displayName: 'OPD Requests per Minute',
				name: 'opdRequestsPerMinute',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: DEFAULT_JPO_RATES.opdPerMinute,
				description: `JPO allows ${DEFAULT_JPO_RATES.opdPerMinute} OPD requests a minute per ID`,
			},
			// The default is the constant the transport uses; the rule cannot see computed values.
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
			{
				displayName: 'Requests per Minute',
				name: 'requestsPerMinute',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: DEFAULT_JPO_RATES.domesticPerMinute,
				description: `JPO allows ${DEFAULT_JPO_RATES.domesticPerMinute} requests a minute per ID across all domestic APIs; raise only if JPO granted more`,
			},
			{
				displayName: 'Stop Below Remaining',
				name: 'stopBelowRemaining',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					"Keep this many of each API's daily calls in reserve: once JPO reports this many or fewer left, later items for that API are output as skipped instead of being requested. 0 turns it off.",
			},
		],
	},
];
