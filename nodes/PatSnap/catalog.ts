/**
 * PatSnap endpoints as data; the node's resources and operations are generated from these lists.
 * Batch endpoints take up to 100 comma-separated `patent_id` and/or `patent_number` values and
 * bill once per result returned.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeExaminationDocuments } from './examinationDocuments';
import { executeNumberLookup } from './numberLookup';
import { patSnapToolAction, type PatSnapToolEntry } from './toolAction';

export type PatSnapResource = 'patent' | 'monitor';

interface PatSnapEndpointBase {
	code: string;
	operation: string;
	name: string;
	description: string;
	path: string;
}

export interface PatSnapBatchEndpoint extends PatSnapEndpointBase {
	method: 'GET';
	/** The key in each result object that holds the payload, for Simplify. */
	payloadKey?: string;
}

/** An endpoint called once per patent, number or monitor. */
export interface PatSnapSingleEndpoint extends PatSnapEndpointBase {
	resource: PatSnapResource;
	method: 'GET' | 'POST' | 'DELETE';
	/** PatSnap bills each call that returns a result. */
	billed: boolean;
	/** Creates, consumes or deletes state on PatSnap's side, so sending it twice is not harmless. */
	changesState: boolean;
	/** How the operation is charged, in the words shown in the operation list. */
	billing: string;
}

/** The batch endpoints take at most this many comma-separated ids and numbers per call. */
export const PATSNAP_MAX_BATCH = 100;

export const PATSNAP_BATCH_ENDPOINTS: readonly PatSnapBatchEndpoint[] = [
	{
		code: 'P013',
		operation: 'getLegalStatus',
		name: 'Get Legal Status',
		description: 'Simple legal status, legal status and event status of each patent',
		method: 'GET',
		path: '/basic-patent-data/legal-status',
		payloadKey: 'patent_legal',
	},
	{
		code: 'P041',
		operation: 'getSimpleLegalStatus',
		name: 'Get Simple Legal Status',
		description: 'Active, inactive or pending, per patent',
		method: 'GET',
		path: '/basic-patent-data/simple-legal-status',
	},
	{
		code: 'P014',
		operation: 'getFamily',
		name: 'Get Family',
		description: 'Simple, INPADOC and PatSnap family members',
		method: 'GET',
		path: '/basic-patent-data/patent-family',
		payloadKey: 'patent_family',
	},
	{
		code: 'P011',
		operation: 'getSimpleBibliography',
		name: 'Get Simple Bibliography',
		description: 'Title, abstract, parties, numbers, dates and classification',
		method: 'GET',
		path: '/basic-patent-data/simple-bibliography',
		payloadKey: 'bibliographic_data',
	},
	{
		code: 'P012',
		operation: 'getBibliography',
		name: 'Get Bibliography',
		description: 'Full bibliography including estimated expiry, agents and related documents',
		method: 'GET',
		path: '/basic-patent-data/bibliography',
		payloadKey: 'bibliographic_data',
	},
	{
		code: 'P026',
		operation: 'getLegalEvents',
		name: 'Get Legal Events',
		description: 'INPADOC and official-gazette legal events with dates and codes',
		method: 'GET',
		path: '/advanced-patent-data/legal-data',
		payloadKey: 'patsnap_legal_data',
	},
	{
		code: 'P029',
		operation: 'getTransfers',
		name: 'Get Transfers',
		description: 'Assignment history: transferers, transferees and dates',
		method: 'GET',
		path: '/advanced-patent-data/transfer-data',
		payloadKey: 'patent_transfer_data',
	},
	{
		code: 'P034',
		operation: 'getLitigation',
		name: 'Get Litigation',
		description: 'Court cases involving each patent',
		method: 'GET',
		path: '/high-value-data/litigation',
		payloadKey: 'patent_litigation_data',
	},
];

/** Runs the operation for all input items; each row passes itself, so a handler names no row. */
export type PatSnapHandler = (context: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/**
 * P048. [SPEC] gives this path and POST with a JSON body; the portal page's slug is `file-wrapper`.
 * The response holds one patent, so one patent is sent per call.
 */
export interface PatSnapDocumentsEndpoint extends PatSnapSingleEndpoint {
	/** `limit` is documented without a maximum; the sandbox, like most PatSnap paging, takes 100. */
	maxPageSize: number;
	/** Documents per patent when Return All is off. */
	defaultLimit: number;
	handler: PatSnapHandler;
}

export const PATSNAP_EXAMINATION_DOCUMENTS: PatSnapDocumentsEndpoint = {
	code: 'P048',
	resource: 'patent',
	operation: 'getExaminationDocuments',
	name: 'Get Examination Documents',
	description: 'File-wrapper documents of a non-Chinese patent, with signed PDF links',
	method: 'POST',
	path: '/advanced-patent-data/overseas-patent-documents',
	billed: true,
	changesState: false,
	billing: 'one patent per call, billed per call that returns documents',
	maxPageSize: 100,
	defaultLimit: 50,
	// Called, not referenced, so the handler's module may read this catalog while it loads.
	handler: async (context) => await executeExaminationDocuments(context, PATSNAP_EXAMINATION_DOCUMENTS),
};

/** P069 takes a single `pn` or `apno` string per call, so it cannot be batched. */
export interface PatSnapLookupEndpoint extends PatSnapSingleEndpoint {
	/** "Result limit, default is 10, maximum is 1000". */
	maxMatches: number;
	defaultMatches: number;
	handler: PatSnapHandler;
}

export const PATSNAP_NUMBER_LOOKUP: PatSnapLookupEndpoint = {
	code: 'P069',
	resource: 'patent',
	operation: 'lookUpNumbers',
	name: 'Look Up Numbers',
	description: 'PatSnap patent ID and standard publication number for application or publication numbers',
	method: 'POST',
	path: '/search/patent/patent-search-pn',
	billed: true,
	changesState: false,
	billing: 'one number per call, billed per call that finds a match',
	maxMatches: 1000,
	defaultMatches: 10,
	handler: async (context) => await executeNumberLookup(context, PATSNAP_NUMBER_LOOKUP),
};

/** Patent operations with an endpoint and a handler of their own, beside the batch lookups. */
export const PATSNAP_SINGLE_ENDPOINTS = [PATSNAP_EXAMINATION_DOCUMENTS, PATSNAP_NUMBER_LOOKUP] as const;

export type PatSnapHandledEndpoint = (typeof PATSNAP_SINGLE_ENDPOINTS)[number];

export function findPatSnapSingleEndpoint(operation: string): PatSnapHandledEndpoint | undefined {
	return PATSNAP_SINGLE_ENDPOINTS.find((endpoint) => endpoint.operation === operation);
}

/** P056/P058: "monitor name or tag, up to 50 characters". */
export const PATSNAP_MONITOR_NAME_MAX = 50;

/**
 * P056–P059. A check reports changes since the previous check (the docs leave open whether it
 * resets; treating it as consuming is the safe reading), so neither a check nor a create or delete
 * is repeated after a lost answer.
 */
export const PATSNAP_MONITOR_ENDPOINTS: readonly PatSnapSingleEndpoint[] = [
	{
		code: 'P056',
		resource: 'monitor',
		operation: 'create',
		name: 'Create',
		description: 'Create a monitor project for the patents a PatSnap query finds',
		method: 'GET',
		path: '/patent-alert/create',
		billed: false,
		changesState: true,
		billing: 'billing not documented',
	},
	{
		code: 'P057',
		resource: 'monitor',
		operation: 'check',
		name: 'Check',
		description: 'Patents of a monitor project with updates since the last check',
		method: 'GET',
		path: '/patent-alert/check',
		billed: false,
		changesState: true,
		billing: 'billing not documented',
	},
	{
		code: 'P058',
		resource: 'monitor',
		operation: 'update',
		name: 'Update',
		description: 'Change the name, alert types or query of a monitor project',
		method: 'GET',
		path: '/patent-alert/update',
		billed: false,
		changesState: false,
		billing: 'billing not documented',
	},
	{
		code: 'P059',
		resource: 'monitor',
		operation: 'delete',
		name: 'Delete',
		description: 'Delete a monitor project',
		method: 'DELETE',
		path: '/patent-alert/delete',
		billed: false,
		changesState: true,
		billing: 'billing not documented',
	},
];

export function findPatSnapMonitorEndpoint(operation: string): PatSnapSingleEndpoint | undefined {
	return PATSNAP_MONITOR_ENDPOINTS.find((endpoint) => endpoint.operation === operation);
}

/** One entry of an Operation dropdown, with the PatSnap code in its description and action. */
export interface PatSnapOperationOption {
	name: string;
	value: string;
	description: string;
	action: string;
}

/** An operation as the node lists it, before it becomes a dropdown entry. */
interface PatSnapOperationEntry extends PatSnapToolEntry {
	name: string;
}

const BATCH_BILLING = `up to ${PATSNAP_MAX_BATCH} patents per call, billed per result`;

function patSnapOperationEntries(resource: PatSnapResource): PatSnapOperationEntry[] {
	const entry = (endpoint: PatSnapEndpointBase, shape: 'batch' | 'single', billing: string, label: string): PatSnapOperationEntry => ({
		...endpoint,
		shape,
		billing,
		label,
	});
	const entries =
		resource === 'patent'
			? [
					...PATSNAP_BATCH_ENDPOINTS.map((endpoint) => entry(endpoint, 'batch', BATCH_BILLING, endpoint.name)),
					...PATSNAP_SINGLE_ENDPOINTS.map((endpoint) => entry(endpoint, 'single', endpoint.billing, endpoint.name)),
				]
			: PATSNAP_MONITOR_ENDPOINTS.map((endpoint) => entry(endpoint, 'single', endpoint.billing, `${endpoint.name} a monitor project`));
	return entries.sort((a, b) => a.name.localeCompare(b.name));
}

export function patSnapOperationOptions(resource: PatSnapResource): PatSnapOperationOption[] {
	return patSnapOperationEntries(resource).map((entry) => ({
		name: entry.name,
		value: entry.operation,
		description: `${entry.description} (${entry.code}, ${entry.billing})`,
		action: patSnapToolAction(entry),
	}));
}

/** The operation in words (`Get Legal Status`, `Check a monitor project`), for the canvas subtitle. */
export function patSnapOperationLabels(resource: PatSnapResource): Array<{ value: string; label: string }> {
	return patSnapOperationEntries(resource).map((entry) => ({ value: entry.operation, label: entry.label }));
}

export function findPatSnapBatchEndpoint(operation: string): PatSnapBatchEndpoint | undefined {
	return PATSNAP_BATCH_ENDPOINTS.find((endpoint) => endpoint.operation === operation);
}
