import { DEFAULT_JPO_RATES, jpoRateGroup, type JpoEndpoint, type JpoResource } from './catalog';
import { APPLICANT_CODE_FORMS, NUMBER_EXAMPLES } from './numbers';

/**
 * The operation's `action`. Used as a tool, n8n tells the model only `${action} in ${defaults.name}`,
 * so this one line has to say what comes back, what to send, and what a call costs.
 */

const SUBJECTS: Record<JpoResource, string> = {
	patent: 'Japanese patents',
	design: 'Japanese designs',
	trademark: 'Japanese trademarks',
	opd: 'IP5 patent dossiers',
};

/** OPD numbers are DOCDB numbers, so only the domestic laws have application-number examples. */
function lawExamples(resource: JpoResource) {
	return NUMBER_EXAMPLES[resource === 'opd' ? 'patent' : resource];
}

function referenceExamples(endpoint: JpoEndpoint): string {
	const law = lawExamples(endpoint.resource);
	const examples: Record<string, string> = {
		application: law.application,
		publication: NUMBER_EXAMPLES.publication,
		registration: law.registration,
	};
	return (endpoint.kinds ?? []).map((kind) => `${kind} ${examples[kind] ?? ''}`.trim()).join('; ');
}

/** What to send, per parameter; a kind selector is described together with the number it qualifies. */
function inputs(endpoint: JpoEndpoint): string[] {
	return endpoint.parameters.flatMap((kind): string[] => {
		switch (kind) {
			case 'applicationNumber':
				return [`application number, e.g. ${lawExamples(endpoint.resource).application}`];
			case 'applicantCode':
				return [`applicant code, ${APPLICANT_CODE_FORMS}`];
			case 'applicantName':
				return ['the exact registered applicant name'];
			case 'referenceNumber':
				return [`Number Kind and number: ${referenceExamples(endpoint)}`];
			case 'pctNumber':
				return [`PCT Number Kind and number, e.g. ${NUMBER_EXAMPLES.pct}`];
			case 'docdbNumber':
				return [`${endpoint.kinds ? 'DOCDB Number Kind and ' : ''}DOCDB number, e.g. ${NUMBER_EXAMPLES.docdb}`];
			case 'documentId':
				return ['a document ID from Get Document List'];
			default:
				return [];
		}
	});
}

/**
 * What a model gets of a file: the JSON holds what the node read out of it and the bytes stay
 * binary (items.ts), so a model should not ask for a file expecting to read all of it.
 */
function fileNote(endpoint: JpoEndpoint): string {
	if (endpoint.response === 'zip') return " Binary ZIP; JSON has each document's code, name, dates and text.";
	if (endpoint.response === 'pdf') return ' Binary PDF; JSON has only its file name and size.';
	return '';
}

export function jpoToolAction(endpoint: JpoEndpoint): string {
	const what = endpoint.description.replace(/ \(ZIP\)$/, '').replace(/ as (?:PDF|ZIP)$/, '');
	const perMinute = jpoRateGroup(endpoint) === 'opd' ? DEFAULT_JPO_RATES.opdPerMinute : DEFAULT_JPO_RATES.domesticPerMinute;
	return (
		`${endpoint.name} (${SUBJECTS[endpoint.resource]}, JPO ${endpoint.number}): ${what}.${fileNote(endpoint)} ` +
		`Send ${inputs(endpoint).join(' and ')}. Free; ${endpoint.dailyLimit} calls/day per JPO ID, ${perMinute}/min`
	);
}
