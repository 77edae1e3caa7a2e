/**
 * Every JPO Patent Information Retrieval API as data. The node's resource/operation menus, its
 * fields, the request path and the way the answer is read all come from this one table, so adding
 * an endpoint is adding a row. Numbers and daily limits follow the JPO handbook v1.4 tables.
 */
export type JpoResource = 'patent' | 'design' | 'trademark' | 'opd';

/** What each path parameter holds; decides the input field and how it is normalised. */
export type JpoParameterKind =
	| 'applicationNumber'
	| 'applicantCode'
	| 'applicantName'
	| 'numberReferenceKind'
	| 'referenceNumber'
	| 'pctKind'
	| 'pctNumber'
	| 'docdbKind'
	| 'docdbNumber'
	| 'documentId';

/** Each parameter as the node's field shows it, for messages that name the field to fix. */
export const JPO_PARAMETER_LABELS: Record<JpoParameterKind, string> = {
	applicationNumber: 'Application Number',
	applicantCode: 'Applicant Code',
	applicantName: 'Applicant Name',
	numberReferenceKind: 'Number Kind',
	referenceNumber: 'Number',
	pctKind: 'PCT Number Kind',
	pctNumber: 'PCT Number',
	docdbKind: 'DOCDB Number Kind',
	docdbNumber: 'DOCDB Number',
	documentId: 'Document ID',
};

export type JpoResponseKind = 'json' | 'zip' | 'xml' | 'pdf';

export interface JpoEndpoint {
	/** JPO's own numbering: 1-x patent, 2-x design, 3-x trademark, 4-x OPD. */
	number: string;
	resource: JpoResource;
	operation: string;
	name: string;
	description: string;
	/** Path below /api/<resource>/v1/ or /opdapi/patent/v1/, parameters in braces. */
	path: string;
	parameters: JpoParameterKind[];
	response: JpoResponseKind;
	/** Base daily limit per ID from the handbook; JPO may grant more, so it is shown, not enforced. */
	dailyLimit: number;
	/** Options for the kind parameter, when the path has one. */
	kinds?: string[];
}

type Row = Omit<JpoEndpoint, 'resource' | 'number'>;

const progress: Row = {
	operation: 'getProgress',
	name: 'Get Progress',
	description: 'Full progress: bibliography, parties, priority, parent and divisional applications, document history',
	path: 'app_progress/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 400,
};
const simpleProgress: Row = {
	operation: 'getSimpleProgress',
	name: 'Get Simple Progress',
	description: 'Progress without priority, parent and divisional blocks',
	path: 'app_progress_simple/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 400,
};
const divisional: Row = {
	operation: 'getDivisionalInfo',
	name: 'Get Divisional Applications',
	description: 'Parent application and the divisional family',
	path: 'divisional_app_info/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 30,
};
const priority: Row = {
	operation: 'getPriorityInfo',
	name: 'Get Priority Claims',
	description: 'Applications this one claims priority from',
	path: 'priority_right_app_info/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 30,
};
const applicantName: Row = {
	operation: 'getApplicantName',
	name: 'Get Applicant Name by Code',
	description: 'Name of an applicant or attorney from its 9-digit code',
	path: 'applicant_attorney_cd/{applicantCode}',
	parameters: ['applicantCode'],
	response: 'json',
	dailyLimit: 200,
};
const applicantCode: Row = {
	operation: 'getApplicantCode',
	name: 'Get Applicant Code by Name',
	description: 'Codes registered for an exact applicant or attorney name',
	path: 'applicant_attorney/{applicantName}',
	parameters: ['applicantName'],
	response: 'json',
	dailyLimit: 200,
};
const applicationDocuments: Row = {
	operation: 'getApplicationDocuments',
	name: 'Get Application Documents',
	description: 'Opinions and amendments filed by the applicant (ZIP)',
	path: 'app_doc_cont_opinion_amendment/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'zip',
	dailyLimit: 100,
};
const mailedDocuments: Row = {
	operation: 'getMailedDocuments',
	name: 'Get Mailed Documents',
	description: 'Documents JPO sent: refusal notices, decisions to grant or refuse, dismissals (ZIP)',
	path: 'app_doc_cont_refusal_reason_decision/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'zip',
	dailyLimit: 100,
};
const refusalNotices: Row = {
	operation: 'getRefusalNotices',
	name: 'Get Refusal Notices',
	description: 'Notices of reasons for refusal only (ZIP)',
	path: 'app_doc_cont_refusal_reason/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'zip',
	dailyLimit: 100,
};
const registration: Row = {
	operation: 'getRegistrationInfo',
	name: 'Get Registration Info',
	description: 'Registration, right holders and annuity status',
	path: 'registration_info/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 200,
};
const jplatpat: Row = {
	operation: 'getJplatpatUrl',
	name: 'Get J-PlatPat URL',
	description: 'The fixed J-PlatPat address of the application, ready to click',
	path: 'jpp_fixed_address/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 200,
};
function numberReference(kinds: string[]): Row {
	return {
		operation: 'getNumberReference',
		name: 'Get Number Reference',
		description: 'Application, publication and registration numbers of one case from any of them',
		path: 'case_number_reference/{numberReferenceKind}/{referenceNumber}',
		parameters: ['numberReferenceKind', 'referenceNumber'],
		response: 'json',
		dailyLimit: 50,
		kinds,
	};
}

const patent: Row[] = [
	progress,
	simpleProgress,
	divisional,
	priority,
	applicantName,
	applicantCode,
	numberReference(['application', 'publication', 'registration']),
	applicationDocuments,
	mailedDocuments,
	refusalNotices,
	{
		operation: 'getCitedDocuments',
		name: 'Get Cited Documents',
		description: 'Patent and non-patent literature cited during examination',
		path: 'cite_doc_info/{applicationNumber}',
		parameters: ['applicationNumber'],
		response: 'json',
		dailyLimit: 50,
	},
	registration,
	jplatpat,
	{
		operation: 'getPctNationalPhase',
		name: 'Get PCT National Phase Application',
		description: 'Japanese application number of a PCT national phase entry',
		path: 'pct_national_phase_application_number/{pctKind}/{pctNumber}',
		parameters: ['pctKind', 'pctNumber'],
		response: 'json',
		dailyLimit: 200,
		kinds: ['international_application', 'international_publication'],
	},
];

const designOrTrademark: Row[] = [
	progress,
	simpleProgress,
	priority,
	applicantName,
	applicantCode,
	numberReference(['application', 'registration']),
	applicationDocuments,
	mailedDocuments,
	refusalNotices,
	registration,
	jplatpat,
];

const opd: Row[] = [
	{
		operation: 'getFamily',
		name: 'Get Family',
		description: 'Family members with filing date and application, publication and registration numbers',
		path: 'family/{docdbKind}/{docdbNumber}',
		parameters: ['docdbKind', 'docdbNumber'],
		response: 'xml',
		dailyLimit: 100,
		kinds: ['application', 'publication'],
	},
	{
		operation: 'getFamilyList',
		name: 'Get Family List',
		description: 'Family members with publication and registration dates',
		path: 'family_list/{docdbKind}/{docdbNumber}',
		parameters: ['docdbKind', 'docdbNumber'],
		response: 'xml',
		dailyLimit: 300,
		kinds: ['application', 'publication'],
	},
	{
		operation: 'getDocumentList',
		name: 'Get Document List',
		description: 'Dossier documents of an application at any IP5 office',
		path: 'global_doc_list/{docdbNumber}',
		parameters: ['docdbNumber'],
		response: 'xml',
		dailyLimit: 300,
	},
	{
		operation: 'getCitationClassification',
		name: 'Get Citations and Classification',
		description: 'Classification and citations of an application',
		path: 'global_cite_class/{docdbNumber}',
		parameters: ['docdbNumber'],
		response: 'xml',
		dailyLimit: 100,
	},
	{
		operation: 'getDocumentContents',
		name: 'Get Document Contents',
		description: 'One dossier document as PDF',
		path: 'global_doc_cont/{docdbNumber}/{documentId}',
		parameters: ['docdbNumber', 'documentId'],
		response: 'pdf',
		dailyLimit: 100,
	},
	{
		operation: 'getJpDocumentContents',
		name: 'Get JP Document Contents',
		description: 'One Japanese dossier document as ZIP',
		path: 'jp_doc_cont/{docdbNumber}/{documentId}',
		parameters: ['docdbNumber', 'documentId'],
		response: 'zip',
		dailyLimit: 100,
	},
];

function numbered(resource: JpoResource, prefix: number, rows: Row[]): JpoEndpoint[] {
	return rows.map((row, index) => ({ ...row, resource, number: `${prefix}-${index + 1}` }));
}

export const JPO_ENDPOINTS: readonly JpoEndpoint[] = [
	...numbered('patent', 1, patent),
	...numbered('design', 2, designOrTrademark),
	...numbered('trademark', 3, designOrTrademark),
	...numbered('opd', 4, opd),
];

export function findJpoEndpoint(resource: string, operation: string): JpoEndpoint | undefined {
	return JPO_ENDPOINTS.find((endpoint) => endpoint.resource === resource && endpoint.operation === operation);
}

/** The URL path of an endpoint below the API base URL, without parameters filled in. */
export function jpoPathPrefix(endpoint: JpoEndpoint): string {
	return endpoint.resource === 'opd' ? '/opdapi/patent/v1/' : `/api/${endpoint.resource}/v1/`;
}

/** Domestic APIs share one per-minute limit and OPD has its own. */
export function jpoRateGroup(endpoint: JpoEndpoint): 'domestic' | 'opd' {
	return endpoint.resource === 'opd' ? 'opd' : 'domestic';
}
