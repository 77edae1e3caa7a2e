/**
 * The columns of the fault matrix: every fault the sandbox injects (sandbox/README.md, Faults),
 * each with the phases a cell runs and what the node is expected to make of it. A column knows
 * nothing about a particular family beyond three traits (which API, its retry budget, and whether
 * it may ask again after an unreadable answer), so a new family row needs no change here.
 */
import type { ApiName, FaultRule } from '../../sandbox';

export type FaultId =
	| 'latency'
	| 'http5xx'
	| 'reset'
	| 'malformedJson'
	| 'truncatedZip'
	| 'expireTokens'
	| 'tokenRefused'
	| 'rateLimited'
	| 'http429'
	| 'dailyQuota';

/** What a column needs to know about a family. */
export interface FamilyTraits {
	api: ApiName;
	/** Attempts per call including the first (the node's Max Attempts, or the fixed default). */
	maxAttempts: number;
	/**
	 * Whether an unreadable answer may be asked for again: JPO counts such a call against the daily
	 * limit but bills nothing; a billed PatSnap call is not repeated (Retry Unreadable Answers off).
	 */
	retriesUnreadable: boolean;
}

/**
 * What one phase of a cell should end in.
 * - recovers: every item ends as it does in a clean run; the faulted call took `attempts` tries
 *   (not counting answers refused for an expired token, which are renewed outside the budget).
 * - victimFails: the items the faulted call serves become error items of `kind`; the rest are clean.
 * - stops: the run stops at the faulted call (quota or credential): results fetched before it are
 *   kept, its items are error items of `kind`, later items are error items marked notAttempted.
 */
export type Expectation =
	| { outcome: 'recovers'; attempts: number; authRefusals?: number }
	| { outcome: 'victimFails'; kind: string; attempts: number }
	| { outcome: 'stops'; kind: string; attempts: number; authRefusals?: number };

export interface Phase {
	/** Shown in failure messages, e.g. "within budget". */
	name: string;
	/** How many matching requests the rule hits after the family's skip; undefined: all of them. */
	count?: number;
	expect: Expectation;
}

export interface FaultColumn {
	id: FaultId;
	/** The column name in test titles and the soak table. */
	label: string;
	/** The sandbox rule for this API, without the family's path scope, skip and count. */
	rule(api: ApiName): Omit<FaultRule, 'api' | 'path' | 'skip' | 'count' | 'probability'>;
	phases(traits: FamilyTraits): Phase[];
}

/**
 * A transient fault: one try short of the budget recovers on the last attempt; a fault that lasts
 * the whole budget fails only the call it hit, after exactly Max Attempts tries.
 */
function transientPhases(kind: string) {
	return (traits: FamilyTraits): Phase[] => [
		{ name: 'within budget', count: traits.maxAttempts - 1, expect: { outcome: 'recovers', attempts: traits.maxAttempts } },
		{ name: 'beyond budget', count: traits.maxAttempts, expect: { outcome: 'victimFails', kind, attempts: traits.maxAttempts } },
	];
}

/** A cut answer: JPO asks again (within the budget); a billed PatSnap call fails its items at once. */
function unreadablePhases(traits: FamilyTraits): Phase[] {
	if (traits.retriesUnreadable) return transientPhases('malformed')(traits);
	return [{ name: 'once, billed', count: 1, expect: { outcome: 'victimFails', kind: 'malformed', attempts: 1 } }];
}

export const FAULT_COLUMNS: readonly FaultColumn[] = [
	{
		id: 'latency',
		label: 'latency',
		// Well below every timeout: a slow answer is an answer and must not be asked for twice.
		rule: () => ({ kind: 'latency', ms: 120 }),
		phases: () => [{ name: 'three slow answers', count: 3, expect: { outcome: 'recovers', attempts: 1 } }],
	},
	{
		id: 'http5xx',
		label: 'HTTP 5xx',
		rule: () => ({ kind: 'http5xx', status: 503 }),
		phases: transientPhases('transient'),
	},
	{
		id: 'reset',
		label: 'connection reset',
		// The sandbox drops the socket before handling the request, so nothing was counted or billed.
		rule: () => ({ kind: 'reset' }),
		phases: transientPhases('transient'),
	},
	{
		id: 'malformedJson',
		label: 'malformed JSON',
		// The sandbox handles the request (counted, billed) and sends half of the answer.
		rule: () => ({ kind: 'malformedJson' }),
		phases: unreadablePhases,
	},
	{
		id: 'truncatedZip',
		label: 'truncated ZIP',
		rule: () => ({ kind: 'truncatedZip' }),
		phases: unreadablePhases,
	},
	{
		id: 'expireTokens',
		label: 'token expiry mid-run',
		// Every issued token is invalidated just before the hit request is handled.
		rule: () => ({ kind: 'expireTokens' }),
		phases: () => [
			{ name: 'once', count: 1, expect: { outcome: 'recovers', attempts: 1, authRefusals: 1 } },
			// Tokens keep dying: renewed once, refused again, and the run stops as a credential problem.
			{ name: 'every request', expect: { outcome: 'stops', kind: 'auth', attempts: 0, authRefusals: 2 } },
		],
	},
	{
		id: 'tokenRefused',
		label: 'token refused (JPO 210 / PatSnap 67200003)',
		rule: (api) => (api === 'jpo' ? { kind: 'jpoStatus', code: '210' } : { kind: 'patsnapError', code: 67200003 }),
		phases: () => [{ name: 'once', count: 1, expect: { outcome: 'recovers', attempts: 1, authRefusals: 1 } }],
	},
	{
		id: 'rateLimited',
		label: 'rate limit (JPO 303 / PatSnap 67200002)',
		rule: (api) => (api === 'jpo' ? { kind: 'jpoStatus', code: '303' } : { kind: 'patsnapError', code: 67200002 }),
		phases: transientPhases('transient'),
	},
	{
		id: 'http429',
		label: 'HTTP 429',
		rule: () => ({ kind: 'http429', retryAfter: 1 }),
		phases: transientPhases('transient'),
	},
	{
		id: 'dailyQuota',
		label: 'daily quota exhausted mid-run (JPO 203 / PatSnap 67200007)',
		rule: (api) => (api === 'jpo' ? { kind: 'jpoStatus', code: '203' } : { kind: 'patsnapError', code: 67200007 }),
		// From the hit request on, every call is refused, as a real daily limit would.
		phases: () => [{ name: 'from mid-run on', expect: { outcome: 'stops', kind: 'quota', attempts: 1 } }],
	},
];
