import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_JPO_RATES } from '../Jpo/catalog';

export const jpoTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Watch List',
		name: 'watchList',
		type: 'string',
		typeOptions: { rows: 8 },
		required: true,
		default: '',
		placeholder: '特願2020-045678\n意願2021-015000\ntrademark: 2023-045678',
		description:
			'Japanese application numbers to watch, one per line or comma-separated, in any form the JPO node accepts (2020-045678, 特願2020-045678, 令和2年特許願第45678号, JP2020045678). A 特願/意願/商願 prefix or a patent:, design: or trademark: hint sets the type; # starts a comment.',
	},
	{
		displayName: 'Default Type',
		name: 'defaultLaw',
		type: 'options',
		options: [
			{ name: 'Patent', value: 'patent' },
			{ name: 'Design', value: 'design' },
			{ name: 'Trademark', value: 'trademark' },
		],
		default: 'patent',
		description: 'Type of the applications whose entry has neither a prefix nor a hint',
	},
	{
		displayName: 'Applicant Residence',
		name: 'residence',
		type: 'options',
		options: [
			{ name: 'In Japan', value: 'japan', description: 'Refusal notices: 60 days for patents, 40 days for designs and trademarks' },
			{ name: 'Abroad', value: 'abroad', description: 'Refusal notices: 3 months' },
		],
		default: 'japan',
		description: 'Decides the response period used for the estimated deadline of a notice of reasons for refusal',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Daily Quota Share (%)',
				name: 'dailyShare',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 50,
				description:
					"Most of each JPO API's daily limit the trigger may spend, in percent. When the watch list needs more, it is worked through round-robin over several polls.",
			},
			{
				displayName: 'Emit Current State on First Poll',
				name: 'emitCurrentState',
				type: 'boolean',
				default: false,
				description:
					'Whether the first check of each application emits its current state (latest document with its estimated deadline, registration, applicants) instead of silently recording it',
			},
			{
				displayName: 'Include J-PlatPat URL',
				name: 'includeJplatpatUrl',
				type: 'boolean',
				default: false,
				description: 'Whether to fetch the fixed J-PlatPat address of each application that changed; one extra call per application',
			},
			{
				displayName: 'J-PlatPat URL Daily Limit',
				name: 'jplatpatDailyLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Daily limit of the J-PlatPat URL APIs for this ID, if JPO raised it; 0 uses the handbook limit (200)',
			},
			{
				displayName: 'Keep in Reserve',
				name: 'keepInReserve',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Stop calling an API once JPO reports this many or fewer calls left on it today, whatever the share allows',
			},
			{
				displayName: 'Max Applications per Poll',
				name: 'maxApplicationsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description: 'At JPO’s 10 requests a minute, 20 applications take about 2–4 minutes. Longer lists are worked through over several polls.',
			},
			{
				displayName: 'On Invalid Entry',
				name: 'onInvalidEntry',
				type: 'options',
				options: [
					{ name: 'Fail the Poll', value: 'fail', description: 'Stop with an error naming every entry that cannot be read' },
					{ name: 'Emit an Item and Watch the Rest', value: 'emit', description: 'Emit one invalidEntry item per unreadable entry, once' },
				],
				default: 'fail',
				description: 'What to do with entries that are not application numbers JPO understands',
			},
			{
				displayName: 'Progress Daily Limit',
				name: 'progressDailyLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Daily limit of the progress APIs for this ID, if JPO raised it; 0 uses the handbook limit (400)',
			},
			{
				displayName: 'Registration Info Daily Limit',
				name: 'registrationDailyLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Daily limit of the registration info APIs for this ID, if JPO raised it; 0 uses the handbook limit (200)',
			},
			// The default is the transport's documented rate; the rule cannot see computed values.
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
			{
				displayName: 'Requests per Minute',
				name: 'requestsPerMinute',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: DEFAULT_JPO_RATES.domesticPerMinute,
				description: 'JPO allows 10 requests a minute per ID across all domestic APIs; raise only if JPO granted more',
			},
			{
				displayName: 'Watch Right Holders',
				name: 'watchRightHolders',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the registration record of registered, live rights to detect a change of right holder; one extra call per such application and check',
			},
		],
	},
];
