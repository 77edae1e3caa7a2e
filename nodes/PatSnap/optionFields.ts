import type { INodeProperties } from 'n8n-workflow';

import { BYTES_PER_MB } from '../shared/answerSize';
import { DEFAULT_MAX_ATTEMPTS } from '../shared/retry';
import { DEFAULT_PATSNAP_QPS, PATSNAP_DEFAULT_MAX_RESPONSE_BYTES } from './transport';

const DEFAULT_MAX_ANSWER_MB = PATSNAP_DEFAULT_MAX_RESPONSE_BYTES / BYTES_PER_MB;

/** Option fields every PatSnap operation offers; the PatSnap Trigger shows some of them too. */
export const maxAttempts: INodeProperties = {
	displayName: 'Max Attempts',
	name: 'maxAttempts',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10 },
	default: DEFAULT_MAX_ATTEMPTS,
	description: 'Attempts per call for failures PatSnap did not bill (too fast, busy, 5xx)',
};

export const maxAnswerSize: INodeProperties = {
	displayName: 'Max Answer Size (MB)',
	name: 'maxAnswerSizeMb',
	type: 'number',
	typeOptions: { minValue: 0.01, numberPrecision: 2 },
	default: DEFAULT_MAX_ANSWER_MB,
	description:
		'Answers larger than this (1 MB = 1,048,576 bytes), document PDFs included, fail their items with a clear message instead of being parsed and stored. PatSnap may still bill the results it sent.',
};

export const requestsPerSecond: INodeProperties = {
	displayName: 'Requests per Second',
	name: 'requestsPerSecond',
	type: 'number',
	typeOptions: { minValue: 0.1, maxValue: 100, numberPrecision: 1 },
	default: DEFAULT_PATSNAP_QPS,
	description: 'PatSnap sets a QPS limit per account; stay below yours',
};

export const retryUnreadableAnswers: INodeProperties = {
	displayName: 'Retry Unreadable Answers',
	name: 'retryUnreadableAnswers',
	type: 'boolean',
	default: false,
	description:
		'Whether to retry billed or state-changing calls whose answer was lost or unreadable. PatSnap may already have billed or carried them out, so a retry can cost twice.',
};

export const numberType: INodeProperties = {
	displayName: 'Number Type',
	name: 'numberType',
	type: 'options',
	options: [
		{ name: 'Detect', value: 'auto', description: 'UUID-shaped values are PatSnap IDs, the rest publication numbers' },
		{ name: 'Patent ID', value: 'patentId' },
		{ name: 'Publication Number', value: 'patentNumber' },
	],
	default: 'auto',
};

/** The Options collection of one group of operations, shown only for those operations. */
export function optionsCollection(show: NonNullable<INodeProperties['displayOptions']>['show'], options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: { show }, options };
}
