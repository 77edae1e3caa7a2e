import * as domestic from './domestic';
import type { JpoRow } from './types';

/** Handbook table 1: patent APIs 1-1 to 1-14. */
export const PATENT_ROWS: JpoRow[] = [
	{ serial: 1, ...domestic.progress },
	{ serial: 2, ...domestic.simpleProgress },
	{ serial: 3, ...domestic.divisional },
	{ serial: 4, ...domestic.priority },
	{ serial: 5, ...domestic.applicantName },
	{ serial: 6, ...domestic.applicantCode },
	{ serial: 7, ...domestic.numberReference(['application', 'publication', 'registration']) },
	{ serial: 8, ...domestic.applicationDocuments },
	{ serial: 9, ...domestic.mailedDocuments },
	{ serial: 10, ...domestic.refusalNotices },
	{
		serial: 11,
		operation: 'getCitedDocuments',
		name: 'Get Cited Documents',
		description: 'Patent and non-patent literature cited during examination',
		path: 'cite_doc_info/{applicationNumber}',
		parameters: ['applicationNumber'],
		response: 'json',
		dailyLimit: 50,
	},
	{ serial: 12, ...domestic.registration },
	{ serial: 13, ...domestic.jplatpat },
	{
		serial: 14,
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
