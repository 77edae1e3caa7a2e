/**
 * The JPO catalog numbers its own rows: a number is the API's name in the handbook, in quota keys
 * and in the budgets the JPO Trigger stores between polls, so it must not follow a row's position.
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	buildJpoCatalog,
	checkJpoCatalog,
	DEFAULT_JPO_RATES,
	JPO_ENDPOINTS,
	JPO_RESOURCE_TABLES,
	type JpoEndpoint,
	type JpoResourceTable,
	type JpoRow,
} from '../../nodes/Jpo/catalog';
import { jpoProperties } from '../../nodes/Jpo/description';
import { QuotaBudget } from '../../nodes/JpoTrigger/budget';
import { readState, STATE_VERSION } from '../../nodes/JpoTrigger/state';
import { defaultRetryPolicy } from '../../nodes/shared/retry';

/** Handbook v1.4 tables 1 to 4 (NOTES §2.3): number → resource and path. */
const HANDBOOK: Record<string, string> = {
	'1-1': 'patent app_progress',
	'1-2': 'patent app_progress_simple',
	'1-3': 'patent divisional_app_info',
	'1-4': 'patent priority_right_app_info',
	'1-5': 'patent applicant_attorney_cd',
	'1-6': 'patent applicant_attorney',
	'1-7': 'patent case_number_reference',
	'1-8': 'patent app_doc_cont_opinion_amendment',
	'1-9': 'patent app_doc_cont_refusal_reason_decision',
	'1-10': 'patent app_doc_cont_refusal_reason',
	'1-11': 'patent cite_doc_info',
	'1-12': 'patent registration_info',
	'1-13': 'patent jpp_fixed_address',
	'1-14': 'patent pct_national_phase_application_number',
	'4-1': 'opd family',
	'4-2': 'opd family_list',
	'4-3': 'opd global_doc_list',
	'4-4': 'opd global_cite_class',
	'4-5': 'opd global_doc_cont',
	'4-6': 'opd jp_doc_cont',
};
const DESIGN_AND_TRADEMARK = [
	'app_progress',
	'app_progress_simple',
	'priority_right_app_info',
	'applicant_attorney_cd',
	'applicant_attorney',
	'case_number_reference',
	'app_doc_cont_opinion_amendment',
	'app_doc_cont_refusal_reason_decision',
	'app_doc_cont_refusal_reason',
	'registration_info',
	'jpp_fixed_address',
];
for (const [table, resource] of [
	[2, 'design'],
	[3, 'trademark'],
] as const) {
	DESIGN_AND_TRADEMARK.forEach((path, index) => (HANDBOOK[`${table}-${index + 1}`] = `${resource} ${path}`));
}

const describeEndpoint = (endpoint: JpoEndpoint) => `${endpoint.resource} ${endpoint.path.split('/')[0]}`;

const NEW_ROW: JpoRow = {
	serial: 99,
	operation: 'getSomethingNew',
	name: 'Get Something New',
	description: 'An API JPO might add one day',
	path: 'something_new/{applicationNumber}',
	parameters: ['applicationNumber'],
	response: 'json',
	dailyLimit: 10,
};

/** The real tables with a new row put in the middle of every resource's list. */
function tablesWithInsert(): JpoResourceTable[] {
	return JPO_RESOURCE_TABLES.map((table) => {
		const rows = [...table.rows];
		rows.splice(Math.floor(rows.length / 2), 0, NEW_ROW);
		return { ...table, rows };
	});
}

describe('JPO catalog numbers', () => {
	it('gives every API its handbook number, each number once', () => {
		expect(Object.fromEntries(JPO_ENDPOINTS.map((endpoint) => [endpoint.number, describeEndpoint(endpoint)]))).toEqual(HANDBOOK);
		expect(new Set(JPO_ENDPOINTS.map((endpoint) => endpoint.number)).size).toBe(JPO_ENDPOINTS.length);
	});

	it('refuses a catalog in which two APIs share a number or a resource lists an operation twice', () => {
		const [first, second] = JPO_ENDPOINTS;
		expect(() => checkJpoCatalog([first, { ...second, number: first.number }])).toThrow(/API number 1-1 is given twice/);
		expect(() => checkJpoCatalog([first, { ...first, number: '1-99' }])).toThrow(/patent\/getProgress is listed twice/);
		const tables = JPO_RESOURCE_TABLES.map((table) => (table.resource === 'patent' ? { ...table, rows: [...table.rows, { ...NEW_ROW, serial: 3 }] } : table));
		expect(() => buildJpoCatalog(tables)).toThrow(/API number 1-3 is given twice/);
	});

	it('keeps every other API number when an API is inserted in the middle of a resource', () => {
		const changed = buildJpoCatalog(tablesWithInsert());
		expect(changed).toHaveLength(JPO_ENDPOINTS.length + JPO_RESOURCE_TABLES.length);
		for (const endpoint of JPO_ENDPOINTS) {
			const same = changed.find((candidate) => candidate.resource === endpoint.resource && candidate.operation === endpoint.operation);
			expect(same?.number).toBe(endpoint.number);
		}
		expect(changed.filter((endpoint) => endpoint.operation === NEW_ROW.operation).map((endpoint) => endpoint.number)).toEqual(['1-99', '2-99', '3-99', '4-99']);
	});

	it("reads a JPO Trigger budget stored under the old numbers for the same APIs after an insert", () => {
		const now = Date.UTC(2026, 10, 21, 3);
		const stored = {
			version: STATE_VERSION,
			apps: {},
			budget: { day: '2026-11-21', spent: { '1-2': 40, '1-12': 7, '2-2': 5 }, remain: { '1-2': 360, '1-12': 193 }, blockedUntil: { '3-2': now + 3_600_000 } },
		};
		const changed = buildJpoCatalog(tablesWithInsert());
		const find = (resource: string, operation: string) => changed.find((endpoint) => endpoint.resource === resource && endpoint.operation === operation)!;
		const budget = new QuotaBudget(readState(stored, now).budget, { share: 1, dailyLimit: (endpoint) => endpoint.dailyLimit, reserve: 0 }, () => now);

		expect(budget.spent(find('patent', 'getSimpleProgress'))).toBe(40);
		expect(budget.report(find('patent', 'getRegistrationInfo'))).toMatchObject({ spentToday: 7, remainAccessCount: 193 });
		expect(budget.spent(find('design', 'getSimpleProgress'))).toBe(5);
		expect(budget.available(find('trademark', 'getSimpleProgress'))).toMatchObject({ ok: false, reason: 'blocked' });
		// The APIs after the insert point keep their own counts and the new one starts at zero.
		expect(budget.spent(find('patent', 'getJplatpatUrl'))).toBe(0);
		expect(budget.spent(find('patent', NEW_ROW.operation))).toBe(0);
	});
});

describe('JPO texts and defaults taken from the catalog', () => {
	const property = (name: string) => jpoProperties.find((candidate) => candidate.name === name)!;
	const option = (name: string) => (property('options').options as INodeProperties[]).find((candidate) => candidate.name === name)!;

	it('names the handbook numbers of each resource from its rows', () => {
		expect(property('resource').options).toEqual([
			{ name: 'Patent', value: 'patent', description: 'Japanese patent applications (APIs 1-1 to 1-14)' },
			{ name: 'Design', value: 'design', description: 'Japanese design applications (APIs 2-1 to 2-11)' },
			{ name: 'Trademark', value: 'trademark', description: 'Japanese trademark applications (APIs 3-1 to 3-11)' },
			{ name: 'OPD (Global Dossier)', value: 'opd', description: 'One Portal Dossier of the IP5 offices (APIs 4-1 to 4-6)' },
		]);
	});

	it('shows the rates and attempts the transport uses when the options are left empty', () => {
		expect(option('requestsPerMinute').default).toBe(DEFAULT_JPO_RATES.domesticPerMinute);
		expect(option('opdRequestsPerMinute').default).toBe(DEFAULT_JPO_RATES.opdPerMinute);
		expect(option('maxAttempts').default).toBe(defaultRetryPolicy.maxAttempts);
		expect([DEFAULT_JPO_RATES.domesticPerMinute, DEFAULT_JPO_RATES.opdPerMinute, defaultRetryPolicy.maxAttempts]).toEqual([10, 5, 4]);
	});
});
