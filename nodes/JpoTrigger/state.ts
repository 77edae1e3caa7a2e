import type { IDataObject } from 'n8n-workflow';

import { jstDay } from '../Jpo/dates';
import type { WatchState } from '../shared/trigger/watchRun';

/**
 * What the trigger keeps in the workflow's static data between polls. It is written once, at the
 * end of a poll that succeeded, so a failed poll leaves it exactly as it was. Keys are short and
 * empty values are left out because n8n stores static data inside the workflow record: a watch list
 * of 300 applications has to stay in the tens of kilobytes.
 */
export const STATE_VERSION = 1;

export interface AppSnapshot {
	/**
	 * When the application was last checked, as a mark that increases from poll to poll. The
	 * smallest mark is checked next, which walks the list round-robin and puts new entries first.
	 */
	checked: number;
	/** Fingerprints of the documents seen (6 characters each); absent until the baseline is taken. */
	docs?: string;
	/** Registration number. Dates are not kept: items take them from the fresh answer. */
	reg?: string;
	/** erasureIdentifier when it marks the right as erased (not '' or '00', which both mean alive). */
	erasure?: string;
	/** disappearanceDate: the day the right ceased to exist. */
	gone?: string;
	/** Applicants: fingerprints (6 characters each) of their `code name` entries in `parties`. */
	applicants?: string;
	/** Right holders from the registration record, encoded like applicants; absent until first read. */
	holders?: string;
	/** JPO had no data for the number (status 107) and this was reported once. */
	notFound?: boolean;
}

export interface BudgetState {
	/** The JST day the counters belong to (YYYY-MM-DD); JPO resets its counts at 00:00 JST. */
	day: string;
	/** Calls this trigger spent today, by JPO API number (e.g. `1-2`). */
	spent: Record<string, number>;
	/** The last remainAccessCount JPO reported today, by API number. */
	remain: Record<string, number>;
	/** JPO answered 203 (daily limit reached): no calls to this API until this time (epoch ms). */
	blockedUntil: Record<string, number>;
}

export interface JpoTriggerState extends WatchState {
	version: number;
	apps: Record<string, AppSnapshot>;
	/**
	 * `code name` of every applicant and right holder the snapshots refer to, by fingerprint. A docket
	 * names the same few companies over and over; keeping each name once keeps the state small.
	 */
	parties: Record<string, string>;
	budget: BudgetState;
}

function freshBudget(nowMs: number): BudgetState {
	return { day: jstDay(nowMs), spent: {}, remain: {}, blockedUntil: {} };
}

/**
 * A private copy of the stored state (never the live static-data object), with the daily counters
 * started afresh when the JST day has changed since they were written.
 */
export function readState(staticData: IDataObject, nowMs: number): JpoTriggerState {
	const stored = JSON.parse(JSON.stringify(staticData ?? {})) as Partial<JpoTriggerState>;
	const usable = stored.version === STATE_VERSION && typeof stored.apps === 'object' && stored.apps !== null;
	const state: JpoTriggerState = {
		version: STATE_VERSION,
		apps: usable ? (stored.apps as Record<string, AppSnapshot>) : {},
		parties: usable && typeof stored.parties === 'object' && stored.parties !== null ? stored.parties : {},
		lastMark: usable && typeof stored.lastMark === 'number' ? stored.lastMark : 0,
		budget: usable && stored.budget ? stored.budget : freshBudget(nowMs),
		reportedInvalid: usable && Array.isArray(stored.reportedInvalid) ? stored.reportedInvalid : [],
	};
	if (state.budget.day !== jstDay(nowMs)) state.budget = freshBudget(nowMs);
	for (const [api, until] of Object.entries(state.budget.blockedUntil)) {
		if (until <= nowMs) delete state.budget.blockedUntil[api];
	}
	return state;
}
