/** What the editor shows for the JPO node and credential: display names, and hints the node keeps. */
import { Workflow, type INodeTypes } from 'n8n-workflow';

import { JpoApi } from '../../credentials/JpoApi.credentials';
import { JPO_ENDPOINTS } from '../../nodes/Jpo/catalog';
import { Jpo } from '../../nodes/Jpo/Jpo.node';

const jpo = new Jpo();

/** The subtitle as n8n's own expression engine evaluates it for the canvas. */
function subtitleFor(parameters: Record<string, string>): unknown {
	const nodeTypes = { getByName: () => jpo, getByNameAndVersion: () => jpo, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const node = { id: 'jpo', name: 'JPO', type: 'n8n-nodes-jpo-patsnap.jpo', typeVersion: 1, position: [0, 0] as [number, number], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, jpo.description.subtitle, 'internal', {});
}

describe('JPO node in the editor', () => {
	it('shows the resource and operation display names on the canvas', () => {
		expect(subtitleFor({ resource: 'patent', operation: 'getProgress' })).toBe('Patent: Get Progress');
		expect(subtitleFor({ resource: 'opd', operation: 'getDocumentList' })).toBe('OPD (Global Dossier): Get Document List');
		for (const endpoint of JPO_ENDPOINTS) {
			expect(subtitleFor({ resource: endpoint.resource, operation: endpoint.operation })).toMatch(new RegExp(`: ${endpoint.name.replace(/[()]/g, '\\$&')}$`));
		}
		// An operation the table does not know still shows something rather than nothing.
		expect(subtitleFor({ resource: 'patent', operation: 'getSomethingElse' })).toBe('patent: getSomethingElse');
	});

	it('names the JPO credential ID as the user ID JPO issued for the API', () => {
		const id = new JpoApi().properties[0];
		expect(id).toMatchObject({ name: 'username', displayName: 'JPO API User ID' });
		expect(id.description).toMatch(/user ID JPO issued to you for the Patent Information Retrieval APIs/);
	});
});
