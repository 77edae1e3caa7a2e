import { NodeHelpers, type INode, type INodePropertyOptions, type INodeTypeDescription } from 'n8n-workflow';

import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { JPO_ENDPOINTS } from '../../nodes/Jpo/catalog';
import {
	APPLICANT_CODE_FORMS,
	normaliseApplicationNumber,
	normaliseDocdbNumber,
	normalisePctNumber,
	normalisePublicationNumber,
	normaliseRegistrationNumber,
	NUMBER_EXAMPLES,
} from '../../nodes/Jpo/numbers';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { PATENT_REFERENCE_EXAMPLES, classifyReference } from '../../nodes/PatSnap/batching';
import {
	normaliseApplicationNumber as normalisePatSnapApplicationNumber,
	normalisePublicationNumber as normalisePatSnapPublicationNumber,
	PATSNAP_APPLICATION_NUMBER_EXAMPLES,
	PATSNAP_PUBLICATION_NUMBER_EXAMPLES,
} from '../../nodes/PatSnap/lookupInputs';
import { PATSNAP_BATCH_ENDPOINTS } from '../../nodes/PatSnap/catalog';

/**
 * What a model is told about each operation when an AI Agent or the MCP Server Trigger uses the
 * node as a tool, computed by n8n-workflow's own code from our node descriptions.
 */
function toolDescription(description: INodeTypeDescription, resource: string, operation: string): string {
	const node: INode = {
		id: 'tool',
		name: description.defaults.name ?? description.displayName,
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: { descriptionType: 'auto', resource, operation },
	};
	return NodeHelpers.getToolDescriptionForNode(node, { description } as never);
}

function operations(description: INodeTypeDescription): Array<{ resource: string; option: INodePropertyOptions }> {
	return description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.displayOptions?.show?.resource ?? []).flatMap((resource) =>
				(property.options as INodePropertyOptions[]).map((option) => ({ resource: String(resource), option })),
			),
		);
}

/** `a, b or c` → [a, b, c] */
const examples = (list: string) => list.split(/, | or /);

const MAX_LENGTH = 400;

describe('tool descriptions a model sees', () => {
	const jpo = new Jpo().description;
	const patSnap = new PatSnap().description;

	it('are the action plus the node name, computed by n8n itself, for every operation', () => {
		const all = [...operations(jpo).map((entry) => ({ ...entry, node: jpo })), ...operations(patSnap).map((entry) => ({ ...entry, node: patSnap }))];
		expect(all).toHaveLength(JPO_ENDPOINTS.length + 14);
		const texts = all.map(({ node, resource, option }) => toolDescription(node, resource, String(option.value)));
		all.forEach(({ node, option }, index) => {
			expect(texts[index]).toBe(`${option.action} in ${node.defaults.name}`);
			expect(texts[index].length).toBeLessThanOrEqual(MAX_LENGTH);
			expect(texts[index].startsWith(option.name)).toBe(true);
		});
		expect(new Set(texts).size).toBe(texts.length);
	});

	describe('JPO', () => {
		it.each(JPO_ENDPOINTS.map((endpoint) => [`${endpoint.resource}/${endpoint.operation}`, endpoint] as const))(
			'%s names the daily limit, the cost and the accepted forms of each input',
			(_label, endpoint) => {
				const text = toolDescription(jpo, endpoint.resource, endpoint.operation);
				expect(text).toContain(`${endpoint.dailyLimit} calls/day per JPO ID`);
				expect(text).toContain('Free');
				expect(text).toContain(`JPO ${endpoint.number}`);
				const law = NUMBER_EXAMPLES[endpoint.resource === 'opd' ? 'patent' : endpoint.resource];
				const expected: Record<string, string[]> = {
					applicationNumber: [law.application],
					applicantCode: [APPLICANT_CODE_FORMS],
					applicantName: ['exact registered applicant name'],
					referenceNumber: (endpoint.kinds ?? []).map((kind) => (kind === 'publication' ? NUMBER_EXAMPLES.publication : law[kind as 'application' | 'registration'])),
					pctNumber: [NUMBER_EXAMPLES.pct],
					docdbNumber: [NUMBER_EXAMPLES.docdb],
					documentId: ['Get Document List'],
				};
				for (const kind of endpoint.parameters) for (const phrase of expected[kind] ?? []) expect(text).toContain(phrase);
				if (endpoint.response === 'zip' || endpoint.response === 'pdf') expect(text).toMatch(/Binary (ZIP|PDF); JSON has/);
			},
		);

		it('shows only examples the node accepts', () => {
			for (const law of ['patent', 'design', 'trademark'] as const) {
				for (const example of examples(NUMBER_EXAMPLES[law].application)) expect(() => normaliseApplicationNumber(example)).not.toThrow();
				for (const example of examples(NUMBER_EXAMPLES[law].registration)) expect(() => normaliseRegistrationNumber(example)).not.toThrow();
			}
			for (const example of examples(NUMBER_EXAMPLES.publication)) expect(() => normalisePublicationNumber(example)).not.toThrow();
			const [application, publication] = examples(NUMBER_EXAMPLES.pct);
			expect(normalisePctNumber(application, 'international_application')).toBe('JP2019011858');
			expect(normalisePctNumber(publication, 'international_publication')).toBe('WO2019011858');
			expect(() => normaliseDocdbNumber(NUMBER_EXAMPLES.docdb)).not.toThrow();
		});
	});

	describe('PatSnap', () => {
		it.each(operations(patSnap).map(({ resource, option }) => [`${resource}/${String(option.value)}`, resource, option] as const))(
			'%s names the billing, the daily limit and the call rate',
			(_label, resource, option) => {
				const text = toolDescription(patSnap, resource, String(option.value));
				expect(text.toLowerCase()).toMatch(/billed per (result|call that)|billing not documented/);
				expect(text).toContain('daily limit per PatSnap contract');
				expect(text).toMatch(/\d+ calls\/s/);
			},
		);

		it('names the accepted number forms of the fields that take numbers', () => {
			for (const endpoint of PATSNAP_BATCH_ENDPOINTS) {
				const text = toolDescription(patSnap, 'patent', endpoint.operation);
				expect(text).toContain(PATENT_REFERENCE_EXAMPLES.number);
				expect(text).toContain('PatSnap patent IDs');
				expect(text).toContain('Up to 100 patents per call, billed per result');
			}
			const lookup = toolDescription(patSnap, 'patent', 'lookUpNumbers');
			expect(lookup).toContain(PATSNAP_APPLICATION_NUMBER_EXAMPLES);
			expect(lookup).toContain(PATSNAP_PUBLICATION_NUMBER_EXAMPLES);
			const documents = toolDescription(patSnap, 'patent', 'getExaminationDocuments');
			expect(documents).toContain(PATENT_REFERENCE_EXAMPLES.number);
			expect(documents).toContain('US14/706838');
		});

		it('shows only examples the node accepts', () => {
			for (const example of examples(PATENT_REFERENCE_EXAMPLES.number)) expect(classifyReference(example, 'auto').kind).toBe('patentNumber');
			expect(classifyReference(PATENT_REFERENCE_EXAMPLES.id, 'auto').kind).toBe('patentId');
			for (const example of examples(PATSNAP_APPLICATION_NUMBER_EXAMPLES)) expect(() => normalisePatSnapApplicationNumber(example, 'Numbers')).not.toThrow();
			for (const example of examples(PATSNAP_PUBLICATION_NUMBER_EXAMPLES)) expect(() => normalisePatSnapPublicationNumber(example, 'Numbers')).not.toThrow();
		});
	});
});
