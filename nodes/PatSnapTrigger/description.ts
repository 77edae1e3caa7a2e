import type { INodeProperties } from 'n8n-workflow';

import { PATSNAP_SHARED_OPTION_FIELDS } from '../PatSnap/description';

/** Most patents read per poll unless the user says otherwise: ten batch calls per watched aspect. */
export const DEFAULT_MAX_PATENTS_PER_POLL = 1000;

const WATCH_LIST = { show: { '/source': ['watchList'] } };

export const patSnapTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Watch List',
				value: 'watchList',
				description: 'Compare the patents you list with what the trigger saw last time',
			},
			{
				name: 'Monitor Project',
				value: 'monitor',
				description: 'Ask an existing PatSnap monitor project (P057) which patents changed',
			},
		],
		default: 'watchList',
	},
	{
		displayName: 'Patents',
		name: 'patents',
		type: 'string',
		typeOptions: { rows: 8 },
		required: true,
		default: '',
		placeholder: 'US11205304B2\nEP3456789A1, CN112345678A\n1a2b3c4d-0000-4000-8000-1234567890ab',
		displayOptions: { show: { source: ['watchList'] } },
		description:
			'Publication numbers with kind code or PatSnap patent IDs, one per line or comma-separated, or an expression giving an array. # starts a comment. Up to 100 patents go in one call per watched aspect.',
	},
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'multiOptions',
		options: [
			{
				name: 'Events (P026)',
				value: 'events',
				description: 'New INPADOC or official-gazette legal events; one call per 100 patents, billed per patent returned',
			},
			{
				name: 'Examination Documents (P048)',
				value: 'examinationDocuments',
				description:
					'New documents in the file wrapper of non-Chinese patents; one call per patent (more for dossiers over 100 documents), each call that returns documents is billed. PDFs are not downloaded.',
			},
			{
				name: 'Legal Status (P013)',
				value: 'legalStatus',
				description: 'Simple legal status, legal status, event status and their update date; one call per 100 patents, billed per patent returned',
			},
			{
				name: 'Litigation (P034)',
				value: 'litigation',
				description: 'New court cases and verdict dates; one call per 100 patents, billed per patent that has cases',
			},
			{
				name: 'Transfers (P029)',
				value: 'transfers',
				description: 'New assignments; one call per 100 patents, billed per patent that has transfers',
			},
		],
		default: ['legalStatus'],
		required: true,
		displayOptions: { show: { source: ['watchList'] } },
		description: 'What to compare on every poll. PatSnap bills each poll again: every aspect costs its calls on every poll.',
	},
	{
		displayName: 'Monitor Project ID',
		name: 'alertId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '7f22ee78764149b481314b1fa60dca0c',
		displayOptions: { show: { source: ['monitor'] } },
		description:
			'The alert_id of a monitor project, as returned by the PatSnap node’s Create Monitor. Each check hands over the changes PatSnap collected since the previous check, so use one trigger per monitor.',
	},
	{
		displayName: 'Fetch Details',
		name: 'fetchDetails',
		type: 'boolean',
		default: true,
		displayOptions: { show: { source: ['monitor'] } },
		description:
			'Whether to read the legal status (P013) of the reported patents, one call per 100 patents, billed per patent. Without it, items carry only the patent IDs and the kind of change.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emit Current State on First Poll',
				name: 'emitCurrentState',
				type: 'boolean',
				default: false,
				displayOptions: WATCH_LIST,
				description:
					'Whether the first check of each patent (and of each aspect added later) emits its current state instead of silently recording it',
			},
			PATSNAP_SHARED_OPTION_FIELDS.maxAttempts,
			{
				displayName: 'Max Patents per Poll',
				name: 'maxPatentsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_PATENTS_PER_POLL,
				displayOptions: WATCH_LIST,
				description:
					'Longer lists are worked through round-robin over several polls, the patent checked longest ago first. Every patent read is billed again on every poll.',
			},
			{ ...PATSNAP_SHARED_OPTION_FIELDS.numberType, displayOptions: WATCH_LIST },
			{
				displayName: 'On Invalid Entry',
				name: 'onInvalidEntry',
				type: 'options',
				options: [
					{ name: 'Fail the Poll', value: 'fail', description: 'Stop with an error naming every entry that cannot be read' },
					{ name: 'Emit an Item and Watch the Rest', value: 'emit', description: 'Emit one invalidEntry item per unreadable entry, once' },
				],
				default: 'fail',
				displayOptions: WATCH_LIST,
				description: 'What to do with entries that are neither a publication number nor a PatSnap patent ID',
			},
			PATSNAP_SHARED_OPTION_FIELDS.requestsPerSecond,
		],
	},
];
