import { DESIGN_TRADEMARK_ROWS } from './designTrademark';
import { OPD_ROWS } from './opd';
import { PATENT_ROWS } from './patent';
import type { JpoEndpoint, JpoResource, JpoRow } from './types';

export * from './types';

/**
 * Every JPO Patent Information Retrieval API as data. The node's resource/operation menus, its
 * fields, the request path and the way the answer is read all come from these tables, so adding
 * an endpoint is adding a row with its handbook number. Numbers and daily limits follow the JPO
 * handbook v1.4 tables, one table per resource.
 */
export interface JpoResourceTable {
	resource: JpoResource;
	/** The handbook table: the first part of every API number in it (1 for 1-x). */
	table: number;
	name: string;
	subject: string;
	rows: readonly JpoRow[];
}

export const JPO_RESOURCE_TABLES: readonly JpoResourceTable[] = [
	{ resource: 'patent', table: 1, name: 'Patent', subject: 'Japanese patent applications', rows: PATENT_ROWS },
	{ resource: 'design', table: 2, name: 'Design', subject: 'Japanese design applications', rows: DESIGN_TRADEMARK_ROWS },
	{ resource: 'trademark', table: 3, name: 'Trademark', subject: 'Japanese trademark applications', rows: DESIGN_TRADEMARK_ROWS },
	{ resource: 'opd', table: 4, name: 'OPD (Global Dossier)', subject: 'One Portal Dossier of the IP5 offices', rows: OPD_ROWS },
];

/** JPO handbook: at most 10 requests a minute across domestic APIs, 5 a minute for OPD. */
export const DEFAULT_JPO_RATES = {
	domesticPerMinute: 10,
	opdPerMinute: 5,
	windowMs: 60_000,
	/** Spacing added to each window; see RateLimit.marginMs. */
	marginMs: 1_000,
};

/** Refuses a catalog in which two APIs share a number or a resource offers an operation twice. */
export function checkJpoCatalog(endpoints: readonly JpoEndpoint[]): readonly JpoEndpoint[] {
	const numbers = new Set<string>();
	const operations = new Set<string>();
	for (const endpoint of endpoints) {
		const operation = `${endpoint.resource}/${endpoint.operation}`;
		if (numbers.has(endpoint.number)) throw new Error(`JPO catalog: API number ${endpoint.number} is given twice`);
		if (operations.has(operation)) throw new Error(`JPO catalog: ${operation} is listed twice`);
		numbers.add(endpoint.number);
		operations.add(operation);
	}
	return endpoints;
}

/** The endpoints of the given tables, each numbered by its own row; exported so a test can build a changed catalog. */
export function buildJpoCatalog(tables: readonly JpoResourceTable[]): readonly JpoEndpoint[] {
	return checkJpoCatalog(
		tables.flatMap(({ resource, table, rows }) =>
			rows.map(({ serial, ...row }) => ({ ...row, resource, number: `${table}-${serial}` })),
		),
	);
}

export const JPO_ENDPOINTS: readonly JpoEndpoint[] = buildJpoCatalog(JPO_RESOURCE_TABLES);

/** `APIs 1-1 to 1-14`: the handbook numbers a resource covers, as the resource menu shows them. */
export function jpoApiRange({ table, rows }: JpoResourceTable): string {
	const serials = rows.map((row) => row.serial);
	return `APIs ${table}-${Math.min(...serials)} to ${table}-${Math.max(...serials)}`;
}

export function findJpoEndpoint(resource: string, operation: string): JpoEndpoint | undefined {
	return JPO_ENDPOINTS.find((endpoint) => endpoint.resource === resource && endpoint.operation === operation);
}

/** The URL path of an endpoint below the API base URL, without parameters filled in. */
export function jpoPathPrefix(endpoint: JpoEndpoint): string {
	return endpoint.resource === 'opd' ? '/opdapi/patent/v1/' : `/api/${endpoint.resource}/v1/`;
}

/** Domestic APIs share one per-minute limit and OPD has its own. */
export function jpoRateGroup(endpoint: JpoEndpoint): 'domestic' | 'opd' {
	return endpoint.resource === 'opd' ? 'opd' : 'domestic';
}
