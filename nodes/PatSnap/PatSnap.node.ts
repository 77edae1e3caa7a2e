import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeBatchLookup } from './batchLookup';
import { findPatSnapBatchEndpoint, findPatSnapMonitorEndpoint, findPatSnapSingleEndpoint } from './catalog';
import { PATSNAP_SUBTITLE, patSnapProperties } from './description';
import { executeMonitorOperation } from './monitors';

export class PatSnap implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PatSnap',
		name: 'patSnap',
		icon: { light: 'file:patsnap.svg', dark: 'file:patsnap.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: PATSNAP_SUBTITLE,
		description: 'Batched, quota-aware patent data from the PatSnap Open API',
		defaults: { name: 'PatSnap' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'patSnapApi', required: true }],
		properties: patSnapProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0, 'patent') as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'monitor') {
			const endpoint = findPatSnapMonitorEndpoint(operation);
			if (!endpoint) throw new NodeOperationError(this.getNode(), `The PatSnap node has no monitor operation "${operation}"`);
			return [await executeMonitorOperation(this, endpoint)];
		}
		const single = findPatSnapSingleEndpoint(operation);
		if (single) return [await single.handler(this)];
		const endpoint = findPatSnapBatchEndpoint(operation);
		if (!endpoint) throw new NodeOperationError(this.getNode(), `The PatSnap node has no patent operation "${operation}"`);
		return [await executeBatchLookup(this, endpoint)];
	}
}
