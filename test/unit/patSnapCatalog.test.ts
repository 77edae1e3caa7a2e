import type { INodeProperties } from 'n8n-workflow';

import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { PATSNAP_BATCH_ENDPOINTS, PATSNAP_MONITOR_ENDPOINTS } from '../../nodes/PatSnap/catalog';

const description = new PatSnap().description;
const operationsOf = (resource: string) =>
	(description.properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource))?.options ??
		[]) as Array<{ name: string; value: string; description: string; action: string }>;

describe('PatSnap node description', () => {
	it('lists every catalog endpoint as an operation whose description and action show its PatSnap code', () => {
		const patent = operationsOf('patent');
		const monitor = operationsOf('monitor');
		expect(patent.map((option) => option.value).sort()).toEqual(
			[...PATSNAP_BATCH_ENDPOINTS.map((endpoint) => endpoint.operation), 'getExaminationDocuments', 'lookUpNumbers'].sort(),
		);
		expect(monitor.map((option) => option.value).sort()).toEqual(['check', 'create', 'delete', 'update']);
		const codes = [...patent, ...monitor].map((option) => /\((P\d{3}),/.exec(option.description)?.[1]);
		expect(codes.sort()).toEqual(['P011', 'P012', 'P013', 'P014', 'P026', 'P029', 'P034', 'P041', 'P048', 'P056', 'P057', 'P058', 'P059', 'P069']);
		for (const option of [...patent, ...monitor]) expect(option.action).toMatch(/\(P\d{3}\)$/);
		expect(PATSNAP_MONITOR_ENDPOINTS.every((endpoint) => !endpoint.billed)).toBe(true);
	});

	it('stays usable as an AI tool and gives every operation the fields it reads', () => {
		expect(description.usableAsTool).toBe(true);
		const shownFor = (name: string, operation: string) =>
			description.properties.some(
				(property: INodeProperties) => property.name === name && (property.displayOptions?.show?.operation ?? []).includes(operation),
			);
		for (const endpoint of PATSNAP_BATCH_ENDPOINTS) expect(shownFor('numbers', endpoint.operation)).toBe(true);
		expect(['numbers', 'lookUpBy', 'returnAll', 'limit', 'downloadPdfs', 'filters', 'options'].every((name) => shownFor(name, 'getExaminationDocuments'))).toBe(true);
		expect(['numbers', 'lookupNumberType', 'options'].every((name) => shownFor(name, 'lookUpNumbers'))).toBe(true);
		expect(['query', 'content', 'alertName'].every((name) => shownFor(name, 'create'))).toBe(true);
		expect(['check', 'update', 'delete'].every((operation) => shownFor('alertId', operation))).toBe(true);
		expect(shownFor('updateFields', 'update')).toBe(true);
	});
});
