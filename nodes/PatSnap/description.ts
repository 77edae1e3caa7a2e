import type { INodeProperties } from 'n8n-workflow';

import { patSnapOperationLabels, patSnapOperationOptions } from './catalog';
import { monitorFields } from './monitorFields';
import { maxAttempts, numberType, requestsPerSecond } from './optionFields';
import { patentFields } from './patentFields';

/**
 * The canvas subtitle: the chosen operation in words ("Get Legal Status", "Check a
 * monitor project"), looked up in a table built from the catalog; an unknown value shows as is.
 */
export const PATSNAP_SUBTITLE = (() => {
	const actions: Record<string, string> = {};
	for (const resource of ['patent', 'monitor'] as const) {
		for (const { value, label } of patSnapOperationLabels(resource)) actions[`${resource}:${value}`] = label;
	}
	// Parenthesised, so no expression parser can read the table as a block statement.
	return `={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
})();

export const patSnapProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Monitor', value: 'monitor', description: 'PatSnap monitor projects that flag patents with changes' },
			{ name: 'Patent', value: 'patent', description: 'Lookups by patent number, PatSnap ID or application number' },
		],
		default: 'patent',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['patent'] } },
		options: patSnapOperationOptions('patent'),
		default: 'getLegalStatus',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['monitor'] } },
		options: patSnapOperationOptions('monitor'),
		default: 'check',
	},
	...patentFields,
	...monitorFields,
];

/** Option fields the PatSnap Trigger shares with this node, so both explain them in the same words. */
export const PATSNAP_SHARED_OPTION_FIELDS = { maxAttempts, numberType, requestsPerSecond } as const;
