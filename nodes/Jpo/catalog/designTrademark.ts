import * as domestic from './domestic';
import type { JpoRow } from './types';

/**
 * Handbook tables 2 and 3: design APIs 2-1 to 2-11 and trademark APIs 3-1 to 3-11, the same
 * eleven under each law, numbered alike. Neither law has divisional, cited-document or PCT APIs.
 */
export const DESIGN_TRADEMARK_ROWS: JpoRow[] = [
	{ serial: 1, ...domestic.progress },
	{ serial: 2, ...domestic.simpleProgress },
	{ serial: 3, ...domestic.priority },
	{ serial: 4, ...domestic.applicantName },
	{ serial: 5, ...domestic.applicantCode },
	{ serial: 6, ...domestic.numberReference(['application', 'registration']) },
	{ serial: 7, ...domestic.applicationDocuments },
	{ serial: 8, ...domestic.mailedDocuments },
	{ serial: 9, ...domestic.refusalNotices },
	{ serial: 10, ...domestic.registration },
	{ serial: 11, ...domestic.jplatpat },
];
