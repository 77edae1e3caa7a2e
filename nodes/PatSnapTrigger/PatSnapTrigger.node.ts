import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { systemClock } from '../shared/clock';
import { patSnapTriggerProperties } from './description';
import { pollPatSnap } from './poll';

export class PatSnapTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PatSnap Trigger',
		name: 'patSnapTrigger',
		icon: { light: 'file:patsnap.svg', dark: 'file:patsnap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["source"] === "monitor" ? "Monitor project" : "Watch list"}}',
		description:
			'Starts a workflow when a watched patent changes legal status, gets a new legal event, transfer, court case or examination document, or when a PatSnap monitor project reports updates',
		defaults: { name: 'PatSnap Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'patSnapApi', required: true }],
		properties: patSnapTriggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollPatSnap(this, systemClock);
	}
}
