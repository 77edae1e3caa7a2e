import { PATENT_REFERENCE_EXAMPLES } from './batching';
import { PATSNAP_APPLICATION_NUMBER_EXAMPLES, PATSNAP_PUBLICATION_NUMBER_EXAMPLES } from './lookupInputs';
import { DEFAULT_PATSNAP_QPS } from './transport';

/**
 * The operation's `action`. Used as a tool, n8n tells the model only `${action} in ${defaults.name}`,
 * so this one line has to say what comes back, what to send, and what a call costs.
 */

/** What an operation's fields take, by operation; the batch lookups all read the same field. */
const INPUTS: Record<string, string> = {
	batch: `publication numbers (${PATENT_REFERENCE_EXAMPLES.number}) or PatSnap patent IDs, comma-separated`,
	getExaminationDocuments: `publication numbers (${PATENT_REFERENCE_EXAMPLES.number}) or PatSnap IDs, or application numbers (US14/706838) with Look Up By`,
	lookUpNumbers: `Number Type and numbers: application ${PATSNAP_APPLICATION_NUMBER_EXAMPLES}; publication ${PATSNAP_PUBLICATION_NUMBER_EXAMPLES}`,
	create: 'a PatSnap query such as PN:(US11205304B2 OR EP3456789A1) and the Alert On changes',
	check: 'the Monitor ID Create returned',
	update: 'the Monitor ID and the name, Alert On or query to change',
	delete: 'the Monitor ID',
};

/** Said of the operations whose answer is more than JSON, or is used up by reading it. */
const NOTES: Record<string, string> = {
	getExaminationDocuments: ' The PDFs come, as binary, only with Download PDFs.',
	check: ' A check consumes the report.',
};

export interface PatSnapToolEntry {
	code: string;
	operation: string;
	description: string;
	/** `batch` for the lookups that take many patents per call. */
	shape: 'batch' | 'single';
	/** The words the operation list and the canvas subtitle show, e.g. `Check a monitor project`. */
	label: string;
	billing: string;
}

export function patSnapToolAction(entry: PatSnapToolEntry): string {
	const inputs = INPUTS[entry.shape === 'batch' ? 'batch' : entry.operation];
	const billing = `${entry.billing[0].toUpperCase()}${entry.billing.slice(1)}`;
	return (
		`${entry.label} (${entry.code}): ${entry.description}.${NOTES[entry.operation] ?? ''}${inputs ? ` Send ${inputs}.` : ''} ` +
		`${billing}; daily limit per PatSnap contract; ${DEFAULT_PATSNAP_QPS} calls/s`
	);
}
