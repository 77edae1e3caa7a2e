import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { maxAnswerBytes } from '../shared/answerSize';
import { credentialReloader } from '../shared/http';
import { defaultRetryPolicy } from '../shared/retry';
import { DEFAULT_JPO_RATES, JPO_PARAMETER_LABELS, type JpoEndpoint, type JpoParameterKind } from './catalog';
import {
	checkApplicantName,
	checkDocumentId,
	checkKind,
	normaliseApplicantCode,
	normaliseApplicationNumber,
	normaliseDocdbNumber,
	normalisePctNumber,
	normalisePublicationNumber,
	normaliseRegistrationNumber,
	NumberFormatError,
} from './numbers';
import { JPO_DEFAULT_MAX_RESPONSE_BYTES, type JpoTransportOptions } from './transport';

/** The path parameters as JPO needs them. */
export type ParameterValues = Partial<Record<JpoParameterKind, string>>;

/** What the user typed for each path parameter, echoed on success and on failure alike. */
export function readTyped(context: IExecuteFunctions, endpoint: JpoEndpoint, itemIndex: number): IDataObject {
	const typed: IDataObject = {};
	for (const kind of endpoint.parameters) typed[kind] = context.getNodeParameter(kind, itemIndex) as string;
	return typed;
}

type Normaliser = (raw: string, sentSoFar: ParameterValues) => string;

/**
 * How each number-like path parameter becomes the one form JPO accepts. A reference number's form
 * depends on the kind chosen before it (the catalog lists kinds first); so does a PCT number's.
 */
const NORMALISERS: Partial<Record<JpoParameterKind, Normaliser>> = {
	applicationNumber: (raw) => normaliseApplicationNumber(raw),
	applicantCode: (raw) => normaliseApplicantCode(raw),
	applicantName: (raw) => checkApplicantName(raw),
	referenceNumber: (raw, sent) =>
		sent.numberReferenceKind === 'registration'
			? normaliseRegistrationNumber(raw)
			: sent.numberReferenceKind === 'publication'
				? normalisePublicationNumber(raw)
				: normaliseApplicationNumber(raw),
	pctNumber: (raw, sent) => normalisePctNumber(raw, String(sent.pctKind)),
	docdbNumber: (raw) => normaliseDocdbNumber(raw),
	documentId: (raw) => checkDocumentId(raw),
};

/** Each typed value in the one form JPO accepts; throws NumberFormatError naming the field. */
export function normaliseParameters(endpoint: JpoEndpoint, typed: IDataObject): ParameterValues {
	const sent: ParameterValues = {};
	for (const kind of endpoint.parameters) {
		const raw = String(typed[kind] ?? '');
		const normalise = NORMALISERS[kind];
		// The kind selectors are option lists, but an expression can put anything there, and it
		// becomes a path segment.
		try {
			sent[kind] = normalise ? normalise(raw, sent) : endpoint.kinds ? checkKind(JPO_PARAMETER_LABELS[kind], raw, endpoint.kinds) : raw;
		} catch (error) {
			throw error instanceof NumberFormatError ? error.inField(JPO_PARAMETER_LABELS[kind]) : error;
		}
	}
	return sent;
}

/** How an item's answer becomes output items. */
export interface OutputSettings {
	binaryPropertyName: string;
	simplify: boolean;
	extractDocuments: boolean;
}

export function readOutputSettings(context: IExecuteFunctions, options: IDataObject, itemIndex: number): OutputSettings {
	return {
		binaryPropertyName: String(options.binaryPropertyName ?? 'data'),
		simplify: context.getNodeParameter('simplify', itemIndex, true) as boolean,
		extractDocuments: context.getNodeParameter('extractDocuments', itemIndex, true) as boolean,
	};
}

/** The node's Options as the transport takes them; an option left unset keeps the handbook's figure. */
export function transportOptions(context: IExecuteFunctions, options: IDataObject): JpoTransportOptions {
	return {
		rates: {
			domesticPerMinute: Number(options.requestsPerMinute ?? DEFAULT_JPO_RATES.domesticPerMinute),
			opdPerMinute: Number(options.opdRequestsPerMinute ?? DEFAULT_JPO_RATES.opdPerMinute),
		},
		retry: { ...defaultRetryPolicy, maxAttempts: Number(options.maxAttempts ?? defaultRetryPolicy.maxAttempts) },
		maxResponseBytes: maxAnswerBytes(options.maxAnswerSizeMb, JPO_DEFAULT_MAX_RESPONSE_BYTES),
		reloadCredentials: credentialReloader(context, 'jpoApi'),
		onWarning: (message) => context.addExecutionHints({ type: 'warning', location: 'outputPane', message }),
	};
}
