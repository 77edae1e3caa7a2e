import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PATSNAP_MONITOR_NAME_MAX } from './catalog';
import { maxAnswerSize, maxAttempts, optionsCollection, requestsPerSecond, retryUnreadableAnswers } from './optionFields';

/** The seven alert types P056 and P058 accept in `content`, in the spec's order. */
export const PATSNAP_MONITOR_CONTENT: readonly INodePropertyOptions[] = [
	{ name: 'Assignment', value: 'transfer', description: 'The current assignee of a patent changes' },
	{ name: 'Legal Status', value: 'legal', description: 'The legal status of a patent changes' },
	{ name: 'Licensing', value: 'license', description: 'Licensing information is updated' },
	{ name: 'Litigation', value: 'litigation', description: 'Litigation information is updated' },
	{ name: 'New Invention', value: 'invention', description: 'A patent outside the existing families is published' },
	{ name: 'New Patents', value: 'new', description: 'A new patent matching the query is published' },
	{ name: 'Upcoming Expiry', value: 'expired', description: 'A patent is within 30 days of its estimated expiry' },
];

/** The Monitor resource's fields (P056–P059) and their Options. */
export const monitorFields: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'PN:(US11205304B2 OR EP3456789A1)',
		displayOptions: { show: { resource: ['monitor'], operation: ['create'] } },
		description: 'A PatSnap search query selecting the patents to watch',
	},
	{
		displayName: 'Alert On',
		name: 'content',
		type: 'multiOptions',
		options: [...PATSNAP_MONITOR_CONTENT],
		default: ['legal'],
		required: true,
		displayOptions: { show: { resource: ['monitor'], operation: ['create'] } },
		description: 'The changes the monitor reports',
	},
	{
		displayName: 'Name',
		name: 'alertName',
		type: 'string',
		default: '',
		displayOptions: { show: { resource: ['monitor'], operation: ['create'] } },
		description: `Name or tag of the monitor project, up to ${PATSNAP_MONITOR_NAME_MAX} characters`,
	},
	{
		displayName: 'Monitor ID',
		name: 'alertId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '7f22ee78764149b481314b1fa60dca0c',
		displayOptions: { show: { resource: ['monitor'], operation: ['check', 'update', 'delete'] } },
		description: 'The alert_id PatSnap returned when the monitor was created',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: ['monitor'], operation: ['update'] } },
		options: [
			{
				displayName: 'Alert On',
				name: 'content',
				type: 'multiOptions',
				options: [...PATSNAP_MONITOR_CONTENT],
				default: [],
				description: 'The changes the monitor reports',
			},
			{
				displayName: 'Name',
				name: 'alertName',
				type: 'string',
				default: '',
				description: `Name or tag of the monitor project, up to ${PATSNAP_MONITOR_NAME_MAX} characters`,
			},
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				description: 'A PatSnap search query selecting the patents to watch',
			},
		],
	},
	optionsCollection({ resource: ['monitor'] }, [maxAnswerSize, maxAttempts, requestsPerSecond, retryUnreadableAnswers]),
];
