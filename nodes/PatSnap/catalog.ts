/**
 * PatSnap endpoints as data. Batch endpoints take up to 100 comma-separated `patent_id` and/or
 * `patent_number` values and bill once per result returned.
 */
export interface PatSnapBatchEndpoint {
	code: string;
	operation: string;
	name: string;
	description: string;
	method: 'GET';
	path: string;
	/** The key in each result object that holds the payload, for Simplify. */
	payloadKey?: string;
}

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

export function findPatSnapBatchEndpoint(operation: string): PatSnapBatchEndpoint | undefined {
	return PATSNAP_BATCH_ENDPOINTS.find((endpoint) => endpoint.operation === operation);
}
