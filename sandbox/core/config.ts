import { DEFAULT_JPO_DAILY_LIMITS } from '../jpo/endpoints';

export const DEMO_JPO_USER = { username: 'sandbox-user', password: 'sandbox-password' } as const;
export const DEMO_PATSNAP_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } as const;
export const DEMO_PATSNAP_API_KEY = 'sk-sandbox-demo-key-0000000000000000000000000000';

export const MIB = 1024 * 1024;

export interface WindowLimit {
	/** Requests allowed inside one window. */
	limit: number;
	windowMs: number;
}

export interface JpoConfig {
	users: Array<{ username: string; password: string }>;
	accessTokenTtlSeconds: number;
	refreshTokenTtlSeconds: number;
	/** Per endpoint id (e.g. 'patent/app_progress', 'opd/family'); see jpo/endpoints.ts. */
	dailyLimits: Record<string, number>;
	/** Shared by every domestic API of one username. */
	perMinute: WindowLimit;
	/** Separate window for the OPD APIs. */
	opdPerMinute: WindowLimit;
	/** Archives larger than this are served through a temporary download URL instead of inline. */
	largeArchiveThresholdBytes: number;
	/** Application number → approximate size in bytes of its opinion/amendment archive. 0 disables. */
	largeDocuments: Record<string, number>;
	downloadUrlTtlSeconds: number;
}

export interface PatsnapConfig {
	clients: Array<{ clientId: string; clientSecret: string }>;
	apiKeys: string[];
	tokenTtlSeconds: number;
	tokenResponseShape: 'flat' | 'wrapped';
	/** HTTP status sent with 67200003 for an expired (but once valid) token. */
	expiredTokenHttpStatus: 200 | 401;
	/** What to do when a batch call carries both patent_id and patent_number. */
	bothParams: 'union' | 'patentIdWins';
	maxBatchSize: number;
	qps: number;
	dailyLimit: number;
	/** Billable results allowed per credential; null means unlimited. */
	balance: number | null;
	language: 'en' | 'cn';
	pdfLinkTtlSeconds: number;
}

export interface SandboxConfig {
	/** Seed of the data set and of probabilistic faults. */
	seed: number;
	jpo: JpoConfig;
	patsnap: PatsnapConfig;
}

export type DeepPartial<T> = T extends unknown[]
	? T
	: T extends object
		? { [K in keyof T]?: DeepPartial<T[K]> }
		: T;

export function defaultConfig(): SandboxConfig {
	return {
		seed: 20240401,
		jpo: {
			users: [{ ...DEMO_JPO_USER }],
			accessTokenTtlSeconds: 3600,
			refreshTokenTtlSeconds: 28800,
			dailyLimits: { ...DEFAULT_JPO_DAILY_LIMITS },
			perMinute: { limit: 10, windowMs: 60_000 },
			opdPerMinute: { limit: 5, windowMs: 60_000 },
			largeArchiveThresholdBytes: 10 * MIB,
			largeDocuments: { '2020099001': 12 * MIB },
			downloadUrlTtlSeconds: 300,
		},
		patsnap: {
			clients: [{ ...DEMO_PATSNAP_CLIENT }],
			apiKeys: [DEMO_PATSNAP_API_KEY],
			tokenTtlSeconds: 1799,
			tokenResponseShape: 'flat',
			expiredTokenHttpStatus: 200,
			bothParams: 'union',
			maxBatchSize: 100,
			qps: 5,
			dailyLimit: 10_000,
			balance: null,
			language: 'en',
			pdfLinkTtlSeconds: 3600,
		},
	};
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars replace. Returns a new object. */
export function deepMerge<T>(base: T, patch: unknown): T {
	if (!isPlainObject(base) || !isPlainObject(patch)) {
		return (patch === undefined ? base : patch) as T;
	}
	const out: Record<string, unknown> = { ...base };
	for (const [k, v] of Object.entries(patch)) {
		if (v === undefined) continue;
		out[k] = isPlainObject(out[k]) && isPlainObject(v) ? deepMerge(out[k], v) : clone(v);
	}
	return out as T;
}

export function clone<T>(v: T): T {
	return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
