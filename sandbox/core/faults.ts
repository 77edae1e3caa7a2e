import { Prng } from './prng';
import type { ApiName } from './recorder';

export const FAULT_KINDS = [
	'latency',
	'http5xx',
	'reset',
	'malformedJson',
	'truncatedZip',
	'expireTokens',
	'jpoStatus',
	'patsnapError',
	'http429',
	'redirect',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
	/** Default 'any'. */
	api?: ApiName | 'any';
	/** Substring of the request path. */
	path?: string;
	method?: string;
	kind: FaultKind;
	/** Let the first N matching requests through untouched. */
	skip?: number;
	/** Apply to the next N matching requests only; default unlimited. */
	count?: number;
	/** 0..1, drawn from the seeded PRNG so runs are reproducible. */
	probability?: number;
	/** latency */
	ms?: number;
	/** http5xx (default 503); redirect: 301, 302 (default), 303, 307 or 308. */
	status?: number;
	/**
	 * redirect: the Location to send, absolute or relative to the request. Default: the same path and
	 * query on the sandbox's foreign host, as if the API had moved to a host the user never chose.
	 */
	location?: string;
	/** jpoStatus: a JPO status code string such as '302'; patsnapError: an error_code number. */
	code?: string | number;
	/** http429: Retry-After header in seconds. */
	retryAfter?: number;
}

interface ActiveRule {
	id: string;
	rule: FaultRule;
	seen: number;
	applied: number;
}

export interface FaultTarget {
	api: ApiName;
	path: string;
	method: string;
}

export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];

/** Kinds that only make sense for one API; a rule of such a kind never fires on the other. */
const API_SPECIFIC: Partial<Record<FaultKind, ApiName>> = { jpoStatus: 'jpo', patsnapError: 'patsnap' };

export class FaultEngine {
	private rules: ActiveRule[] = [];
	private nextId = 1;
	private prng: Prng;

	constructor(private readonly seed: () => number) {
		this.prng = new Prng(seed());
	}

	add(rule: FaultRule): string {
		if (!FAULT_KINDS.includes(rule.kind)) {
			throw new Error(`Unknown fault kind '${String(rule.kind)}'; expected one of ${FAULT_KINDS.join(', ')}`);
		}
		if (rule.kind === 'redirect' && rule.status !== undefined && !REDIRECT_STATUSES.includes(rule.status)) {
			throw new Error(`A redirect fault needs status ${REDIRECT_STATUSES.join(', ')}; got ${rule.status}`);
		}
		const id = `fault-${this.nextId++}`;
		this.rules.push({ id, rule: { ...rule }, seen: 0, applied: 0 });
		return id;
	}

	remove(id: string): boolean {
		const before = this.rules.length;
		this.rules = this.rules.filter((r) => r.id !== id);
		return this.rules.length !== before;
	}

	clear(): void {
		this.rules = [];
		this.prng = new Prng(this.seed());
	}

	list(): Array<FaultRule & { id: string }> {
		return this.rules.map((r) => ({ id: r.id, ...r.rule }));
	}

	/** The first rule that fires for this request, with its counters advanced. */
	pick(target: FaultTarget): FaultRule | null {
		for (const active of this.rules) {
			const { rule } = active;
			const api = rule.api ?? 'any';
			if (api !== 'any' && api !== target.api) continue;
			const only = API_SPECIFIC[rule.kind];
			if (only && only !== target.api) continue;
			if (rule.path && !target.path.includes(rule.path)) continue;
			if (rule.method && rule.method.toUpperCase() !== target.method.toUpperCase()) continue;
			active.seen += 1;
			if (active.seen <= (rule.skip ?? 0)) continue;
			if (rule.count !== undefined && active.applied >= rule.count) continue;
			if (rule.probability !== undefined && this.prng.next() >= rule.probability) continue;
			active.applied += 1;
			return rule;
		}
		return null;
	}
}
