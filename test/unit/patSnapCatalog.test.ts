import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import {
	findPatSnapSingleEndpoint,
	PATSNAP_BATCH_ENDPOINTS,
	PATSNAP_EXAMINATION_DOCUMENTS,
	PATSNAP_MAX_BATCH,
	PATSNAP_MONITOR_ENDPOINTS,
	PATSNAP_MONITOR_NAME_MAX,
	PATSNAP_NUMBER_LOOKUP,
	PATSNAP_SINGLE_ENDPOINTS,
} from '../../nodes/PatSnap/catalog';
import { PATSNAP_DEFAULT_MAX_RESPONSE_BYTES } from '../../nodes/PatSnap/transport';
import { defaultRetryPolicy } from '../../nodes/shared/retry';

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
		// The action is what a model reads as the tool's description: it names the code and the cost.
		for (const option of [...patent, ...monitor]) {
			const code = /\((P\d{3}),/.exec(option.description)?.[1];
			expect(option.action).toContain(`(${code}): `);
			expect(option.action.toLowerCase()).toMatch(/billed per|billing not documented/);
		}
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

describe('PatSnap catalog as the one source of operations and limits', () => {
	/** The field, or the option of an Options collection, that the editor shows for this operation. */
	const fieldFor = (name: string, operation: string) => {
		const resource = PATSNAP_MONITOR_ENDPOINTS.some((endpoint) => endpoint.operation === operation) ? 'monitor' : 'patent';
		const shownFor = (property: INodeProperties) => {
			const show = property.displayOptions?.show ?? {};
			return (show.resource ?? []).includes(resource) && (show.operation === undefined || show.operation.includes(operation));
		};
		const direct = description.properties.find((property) => property.name === name && shownFor(property));
		if (direct) return direct;
		const options = description.properties.find((property) => property.name === 'options' && shownFor(property));
		return (options?.options as INodeProperties[] | undefined)?.find((option) => option.name === name);
	};

	it('routes P048 and P069 through the single-endpoint list: every row has a handler and the node file names none', () => {
		expect(PATSNAP_SINGLE_ENDPOINTS.map((endpoint) => endpoint.code)).toEqual(['P048', 'P069']);
		for (const endpoint of PATSNAP_SINGLE_ENDPOINTS) {
			expect(typeof endpoint.handler).toBe('function');
			expect(findPatSnapSingleEndpoint(endpoint.operation)).toBe(endpoint);
			expect(operationsOf('patent').map((option) => option.value)).toContain(endpoint.operation);
		}
		expect(findPatSnapSingleEndpoint('getLegalStatus')).toBeUndefined();
		const nodeSource = readFileSync(join(__dirname, '../../nodes/PatSnap/PatSnap.node.ts'), 'utf8');
		for (const name of ['P048', 'P069', 'EXAMINATION', 'NUMBER_LOOKUP', 'getExaminationDocuments', 'lookUpNumbers', 'executeExaminationDocuments', 'executeNumberLookup']) {
			expect(nodeSource).not.toContain(name);
		}
	});

	it('takes every page and size limit the fields show from the catalog rows', () => {
		const documents = PATSNAP_EXAMINATION_DOCUMENTS.operation;
		const lookup = PATSNAP_NUMBER_LOOKUP.operation;
		expect(fieldFor('pageSize', documents)).toMatchObject({ default: PATSNAP_EXAMINATION_DOCUMENTS.maxPageSize, typeOptions: { maxValue: PATSNAP_EXAMINATION_DOCUMENTS.maxPageSize } });
		expect(fieldFor('limit', documents)?.default).toBe(PATSNAP_EXAMINATION_DOCUMENTS.defaultLimit);
		expect(fieldFor('maxMatches', lookup)).toMatchObject({ default: PATSNAP_NUMBER_LOOKUP.defaultMatches, typeOptions: { maxValue: PATSNAP_NUMBER_LOOKUP.maxMatches } });
		const batchSize = fieldFor('batchSize', 'getLegalStatus');
		expect(batchSize).toMatchObject({ default: PATSNAP_MAX_BATCH, typeOptions: { maxValue: PATSNAP_MAX_BATCH } });
		expect(batchSize?.description).toContain(String(PATSNAP_MAX_BATCH));
		expect(operationsOf('patent').find((option) => option.value === 'getLegalStatus')?.description).toContain(`up to ${PATSNAP_MAX_BATCH} patents per call`);
		expect(fieldFor('alertName', 'create')?.description).toContain(String(PATSNAP_MONITOR_NAME_MAX));
		for (const operation of ['getLegalStatus', documents, lookup, 'check']) {
			expect(fieldFor('maxAttempts', operation)?.default).toBe(defaultRetryPolicy.maxAttempts);
			expect(fieldFor('maxAnswerSizeMb', operation)?.default).toBe(PATSNAP_DEFAULT_MAX_RESPONSE_BYTES / (1024 * 1024));
		}
	});
});

describe('PatSnap canvas subtitle', () => {
	/** n8n evaluates the part between ={{ and }} with $parameter bound to the node's parameters. */
	const subtitleFor = (parameters: Record<string, string>) => {
		const expression = /^=\{\{([\s\S]*)\}\}$/.exec(String(description.subtitle))?.[1];
		expect(expression).toBeDefined();
		return new Function('$parameter', `return (${expression});`)(parameters) as string;
	};

	it('shows the operation in words, not its code name', () => {
		expect(subtitleFor({ resource: 'patent', operation: 'getLegalStatus' })).toBe('Get Legal Status');
		expect(subtitleFor({ resource: 'patent', operation: 'getExaminationDocuments' })).toBe('Get Examination Documents');
		expect(subtitleFor({ resource: 'patent', operation: 'lookUpNumbers' })).toBe('Look Up Numbers');
		expect(subtitleFor({ resource: 'monitor', operation: 'check' })).toBe('Check a monitor project');
	});

	it('has words for every operation of both resources, and shows an unknown one as it is', () => {
		for (const resource of ['patent', 'monitor']) {
			for (const option of operationsOf(resource)) {
				const subtitle = subtitleFor({ resource, operation: option.value });
				expect(subtitle).not.toBe(option.value);
				expect(option.action.startsWith(subtitle)).toBe(true);
			}
		}
		expect(subtitleFor({ resource: 'patent', operation: 'somethingNew' })).toBe('somethingNew');
	});
});
