/** The shape of a JPO catalog row; the rows themselves live beside this file, one list per handbook table. */
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

/** A row as a resource's list holds it: its handbook number is `<table>-<serial>`, written on the row. */
export type JpoRow = Omit<JpoEndpoint, 'resource' | 'number'> & {
	/**
	 * The API's number within its handbook table (1-14 → 14). It is written out, never taken from
	 * the row's position: the number is the API's name in quota keys the JPO Trigger stores.
	 */
	serial: number;
};

/** A row before it is placed in a table: patent, design and trademark share most of them. */
export type JpoRowTemplate = Omit<JpoRow, 'serial'>;
