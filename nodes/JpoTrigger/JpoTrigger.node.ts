import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { systemClock } from '../shared/clock';
import { jpoTriggerProperties } from './description';
import { pollJpoWatchList } from './poll';

export class JpoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JPO Trigger',
		name: 'jpoTrigger',
		icon: { light: 'file:jpo.svg', dark: 'file:jpo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Watch Japanese applications',
		description:
			'Starts a workflow when a watched Japanese patent, design or trademark application gets a new document, is registered, lapses or changes hands',
		defaults: { name: 'JPO Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jpoApi', required: true }],
		properties: jpoTriggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollJpoWatchList(this, systemClock);
	}
}
