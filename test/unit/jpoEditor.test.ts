/** What the editor shows for the JPO node and credential: display names, and hints the node keeps. */
import { Workflow, type INodeProperties, type INodeTypes } from 'n8n-workflow';

import { JpoApi } from '../../credentials/JpoApi.credentials';
import { JPO_ENDPOINTS } from '../../nodes/Jpo/catalog';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import {
	normaliseApplicantCode,
	normaliseApplicationNumber,
	normaliseDocdbNumber,
	normalisePctNumber,
	normalisePublicationNumber,
	normaliseRegistrationNumber,
} from '../../nodes/Jpo/numbers';

const jpo = new Jpo();

/** The subtitle as n8n's own expression engine evaluates it for the canvas. */
function subtitleFor(parameters: Record<string, string>): unknown {
	const nodeTypes = { getByName: () => jpo, getByNameAndVersion: () => jpo, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const node = { id: 'jpo', name: 'JPO', type: 'n8n-nodes-jpo-patsnap.jpo', typeVersion: 1, position: [0, 0] as [number, number], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, jpo.description.subtitle, 'internal', {});
}

function field(name: string): INodeProperties {
	return jpo.description.properties.find((property) => property.name === name)!;
}

/** The examples a placeholder offers: `e.g. A, B or C`. */
function placeholderExamples(name: string): string[] {
	return String(field(name).placeholder).replace(/^e\.g\. /, '').split(/, | or /);
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

	it('offers in each number field only forms the node accepts, one number per item', () => {
		for (const example of [...placeholderExamples('applicationNumber'), 'R2-123456', 'H30-123456', '２０２０－１２３４５６', '2020 - 123456', 'JP2020123456']) {
			expect(normaliseApplicationNumber(example)).toMatch(/^\d{10}$/);
		}
		const [application, publication, registration] = placeholderExamples('referenceNumber');
		expect(normaliseApplicationNumber(application)).toBe('2020123456');
		expect(normalisePublicationNumber(publication)).toBe('2021097352');
		expect(normaliseRegistrationNumber(registration)).toBe('7112139');
		expect(normaliseRegistrationNumber('7,112,139')).toBe('7112139');
		const [pctApplication, pctPublication] = placeholderExamples('pctNumber');
		expect(normalisePctNumber(pctApplication, 'international_application')).toBe('JP2019011858');
		expect(normalisePctNumber(pctPublication, 'international_publication')).toBe('WO2019011858');
		expect(normalisePctNumber('ＰＣＴ／ＪＰ２０１９／０１１８５８', 'international_application')).toBe('JP2019011858');
		expect(normaliseDocdbNumber(placeholderExamples('docdbNumber')[0])).toBe('JP.2015500001.A');
		expect(normaliseApplicantCode(placeholderExamples('applicantCode')[0])).toBe('000003207');
		expect(normaliseApplicantCode('０００００３２０７')).toBe('000003207');

		for (const name of ['applicationNumber', 'referenceNumber', 'pctNumber', 'docdbNumber', 'applicantCode']) {
			expect(field(name).description).toMatch(/one (number|code) per item/i);
		}
		expect(field('applicationNumber').description).toMatch(/Hyphens, spaces and full-width digits/);
		expect(() => normaliseApplicationNumber('2020-123456, 2021-000001')).toThrow();
	});
});
