/**
 * One row per JPO API: handbook number, endpoint id (recorded and used as the quota key), path
 * shape and base daily limit from handbook v1.4 (NOTES §2.1).
 */
export type JpoLaw = 'patent' | 'design' | 'trademark';

/** Which progress documents a document endpoint bundles (NOTES §2.3). */
export type DocumentBundle = 'opinionAmendment' | 'refusalReasonDecision' | 'refusalReason';

export type JpoParams = 'applicationNumber' | 'applicantCode' | 'applicantName' | 'kindNumber';

export interface DomesticEndpoint {
	no: string;
	id: string;
	law: JpoLaw;
	name: string;
	params: JpoParams;
	dailyLimit: number;
	bundle?: DocumentBundle;
}

export interface OpdEndpoint {
	no: string;
	id: string;
	name: string;
	/** Path segments after the name. */
	segments: number;
	dailyLimit: number;
}

const LAW_NO: Record<JpoLaw, string> = { patent: '1', design: '2', trademark: '3' };

/** Shared by design and trademark (Tables 2 and 3 are identical). */
const DESIGN_TRADEMARK: Array<[string, JpoParams, number, DocumentBundle?]> = [
	['app_progress', 'applicationNumber', 400],
	['app_progress_simple', 'applicationNumber', 400],
	['priority_right_app_info', 'applicationNumber', 30],
	['applicant_attorney_cd', 'applicantCode', 200],
	['applicant_attorney', 'applicantName', 200],
	['case_number_reference', 'kindNumber', 50],
	['app_doc_cont_opinion_amendment', 'applicationNumber', 100, 'opinionAmendment'],
	['app_doc_cont_refusal_reason_decision', 'applicationNumber', 100, 'refusalReasonDecision'],
	['app_doc_cont_refusal_reason', 'applicationNumber', 100, 'refusalReason'],
	['registration_info', 'applicationNumber', 200],
	['jpp_fixed_address', 'applicationNumber', 200],
];

const PATENT: Array<[string, JpoParams, number, DocumentBundle?]> = [
	['app_progress', 'applicationNumber', 400],
	['app_progress_simple', 'applicationNumber', 400],
	['divisional_app_info', 'applicationNumber', 30],
	['priority_right_app_info', 'applicationNumber', 30],
	['applicant_attorney_cd', 'applicantCode', 200],
	['applicant_attorney', 'applicantName', 200],
	['case_number_reference', 'kindNumber', 50],
	['app_doc_cont_opinion_amendment', 'applicationNumber', 100, 'opinionAmendment'],
	['app_doc_cont_refusal_reason_decision', 'applicationNumber', 100, 'refusalReasonDecision'],
	['app_doc_cont_refusal_reason', 'applicationNumber', 100, 'refusalReason'],
	['cite_doc_info', 'applicationNumber', 50],
	['registration_info', 'applicationNumber', 200],
	['jpp_fixed_address', 'applicationNumber', 200],
	['pct_national_phase_application_number', 'kindNumber', 200],
];

function rows(law: JpoLaw, table: typeof PATENT): DomesticEndpoint[] {
	return table.map(([name, params, dailyLimit, bundle], i) => ({
		no: `${LAW_NO[law]}-${i + 1}`,
		id: `${law}/${name}`,
		law,
		name,
		params,
		dailyLimit,
		bundle,
	}));
}

export const DOMESTIC_ENDPOINTS: readonly DomesticEndpoint[] = [
	...rows('patent', PATENT),
	...rows('design', DESIGN_TRADEMARK),
	...rows('trademark', DESIGN_TRADEMARK),
];

export const OPD_ENDPOINTS: readonly OpdEndpoint[] = [
	{ no: '4-1', id: 'opd/family', name: 'family', segments: 2, dailyLimit: 100 },
	{ no: '4-2', id: 'opd/family_list', name: 'family_list', segments: 2, dailyLimit: 300 },
	{ no: '4-3', id: 'opd/global_doc_list', name: 'global_doc_list', segments: 1, dailyLimit: 300 },
	{ no: '4-4', id: 'opd/global_cite_class', name: 'global_cite_class', segments: 1, dailyLimit: 100 },
	{ no: '4-5', id: 'opd/global_doc_cont', name: 'global_doc_cont', segments: 2, dailyLimit: 100 },
	{ no: '4-6', id: 'opd/jp_doc_cont', name: 'jp_doc_cont', segments: 2, dailyLimit: 100 },
];

export const DEFAULT_JPO_DAILY_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
	[...DOMESTIC_ENDPOINTS, ...OPD_ENDPOINTS].map((e) => [e.id, e.dailyLimit]),
);

/** Content-Disposition file-name prefix of each document bundle. */
export const BUNDLE_FILE_PREFIX: Record<DocumentBundle, string> = {
	opinionAmendment: 'docContOpinionAmendment_',
	refusalReasonDecision: 'docContRefusalReasonDecision_',
	refusalReason: 'docContRefusalReason_',
};

export function findDomestic(law: string, name: string): DomesticEndpoint | undefined {
	return DOMESTIC_ENDPOINTS.find((e) => e.law === law && e.name === name);
}

export function findOpd(name: string): OpdEndpoint | undefined {
	return OPD_ENDPOINTS.find((e) => e.name === name);
}
