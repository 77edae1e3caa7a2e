import type { JpoRowTemplate } from './types';

/** Domestic APIs that patent, design and trademark all have, in the same form under each law's path. */

export const progress: JpoRowTemplate = {
	operation: 'getProgress',
	name: 'Get Progress',
	description: 'Full progress: bibliography, parties, priority, parent and divisional applications, document history',
	path: 'app_progress/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 400,
};
export const simpleProgress: JpoRowTemplate = {
	operation: 'getSimpleProgress',
	name: 'Get Simple Progress',
	description: 'Progress without priority, parent and divisional blocks',
	path: 'app_progress_simple/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 400,
};
export const divisional: JpoRowTemplate = {
	operation: 'getDivisionalInfo',
	name: 'Get Divisional Applications',
	description: 'Parent application and the divisional family',
	path: 'divisional_app_info/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 30,
};
export const priority: JpoRowTemplate = {
	operation: 'getPriorityInfo',
	name: 'Get Priority Claims',
	description: 'Applications this one claims priority from',
	path: 'priority_right_app_info/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 30,
};
export const applicantName: JpoRowTemplate = {
	operation: 'getApplicantName',
	name: 'Get Applicant Name by Code',
	description: 'Name of an applicant or attorney from its 9-digit code',
	path: 'applicant_attorney_cd/{applicantCode}',
	parameters: ['applicantCode'],
	response: 'json',
	dailyLimit: 200,
};
export const applicantCode: JpoRowTemplate = {
	operation: 'getApplicantCode',
	name: 'Get Applicant Code by Name',
	description: 'Codes registered for an exact applicant or attorney name',
	path: 'applicant_attorney/{applicantName}',
	parameters: ['applicantName'],
	response: 'json',
	dailyLimit: 200,
};
export const applicationDocuments: JpoRowTemplate = {
	operation: 'getApplicationDocuments',
	name: 'Get Application Documents',
	description: 'Opinions and amendments filed by the applicant (ZIP)',
	path: 'app_doc_cont_opinion_amendment/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'zip',
	dailyLimit: 100,
};
export const mailedDocuments: JpoRowTemplate = {
	operation: 'getMailedDocuments',
	name: 'Get Mailed Documents',
	description: 'Documents JPO sent: refusal notices, decisions to grant or refuse, dismissals (ZIP)',
	path: 'app_doc_cont_refusal_reason_decision/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'zip',
	dailyLimit: 100,
};
export const refusalNotices: JpoRowTemplate = {
	operation: 'getRefusalNotices',
	name: 'Get Refusal Notices',
	description: 'Notices of reasons for refusal only (ZIP)',
	path: 'app_doc_cont_refusal_reason/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'zip',
	dailyLimit: 100,
};
export const registration: JpoRowTemplate = {
	operation: 'getRegistrationInfo',
	name: 'Get Registration Info',
	description: 'Registration, right holders and annuity status',
	path: 'registration_info/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 200,
};
export const jplatpat: JpoRowTemplate = {
	operation: 'getJplatpatUrl',
	name: 'Get J-PlatPat URL',
	description: 'The fixed J-PlatPat address of the application, ready to click',
	path: 'jpp_fixed_address/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 200,
};
export function numberReference(kinds: string[]): JpoRowTemplate {
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
