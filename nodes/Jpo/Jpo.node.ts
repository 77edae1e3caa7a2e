import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { JPO_SUBTITLE, jpoProperties } from './description';
import { executeJpoOperation } from './operation';

export class Jpo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JPO Patent Information',
		name: 'jpo',
		icon: { light: 'file:jpo.svg', dark: 'file:jpo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: JPO_SUBTITLE,
		description: 'Read Japanese patent, design and trademark dossiers from the JPO Patent Information Retrieval APIs',
		defaults: { name: 'JPO Patent Information' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jpoApi', required: true }],
		properties: jpoProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await executeJpoOperation(this)];
	}
}
