import type { IPollFunctions } from 'n8n-workflow';

/**
 * What both polling triggers share: reading number options, n8n's poll time limit and schedule,
 * the compact fingerprints their state is made of, and the guard against overlapping polls.
 */

export function numberOption(value: unknown, fallback: number): number {
	const number = Number(value);
	return value === undefined || value === null || value === '' || Number.isNaN(number) ? fallback : number;
}

/** n8n abandons a poll after getPollBudgetMs(); stop starting new calls well before that. */
export function usableTimeMs(context: IPollFunctions): number {
	const budget = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : 5 * 60_000;
	return budget - Math.max(30_000, budget * 0.2);
}

interface PollTimeItem {
	mode?: string;
	value?: unknown;
	unit?: string;
}

/**
 * How often n8n runs the poll, from the node's Poll Times (n8n-workflow cron.js turns each entry
 * into a cron expression). Undefined for custom cron expressions, which are not interpreted here.
 */
export function pollsPerDay(pollTimes: unknown): number | undefined {
	const items = (pollTimes as { item?: PollTimeItem[] } | undefined)?.item;
	if (!Array.isArray(items) || items.length === 0) return undefined;
	let total = 0;
	for (const item of items) {
		const value = Number(item.value);
		switch (item.mode) {
			case 'everyMinute':
				total += 1440;
				break;
			case 'everyHour':
				total += 24;
				break;
			case 'everyX':
				if (!(value > 0)) return undefined;
				// `*/v` fires at minute (or hour) 0, v, 2v, … of each hour (or day).
				total += item.unit === 'hours' ? Math.ceil(24 / value) : 24 * Math.ceil(60 / value);
				break;
			case 'everyDay':
				total += 1;
				break;
			case 'everyWeek':
				total += 1 / 7;
				break;
			case 'everyMonth':
				total += 12 / 365.25;
				break;
			default:
				return undefined;
		}
	}
	return total;
}

export function describeDuration(minutes: number): string {
	if (minutes < 120) return `${Math.max(1, Math.round(minutes))} min`;
	if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
	return `${Math.round((minutes / 1440) * 10) / 10} days`;
}

const FINGERPRINT_SPACE = 36 ** 6;

/**
 * A 6-character FNV-1a fingerprint of an entry's identity (a document, a party, a legal event).
 * Storing fingerprints instead of the entries keeps the state of a long dossier small. A new entry
 * would only go unnoticed if its fingerprint equalled one already seen for the same application or
 * patent: about one in 50 million for a dossier of 40 documents.
 */
export function fingerprint(identity: string): string {
	let hash = 0x811c9dc5;
	for (let index = 0; index < identity.length; index++) {
		hash ^= identity.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return (hash % FINGERPRINT_SPACE).toString(36).padStart(6, '0');
}

/**
 * Polls in progress in this process, by workflow and node. n8n 2.41 starts the next poll even while
 * the previous one still runs (triggers-and-pollers.js only counts the overlap), and a long watch
 * list at a low request rate outlasts a one-minute schedule: two polls reading the same state would
 * emit the same change twice (and a PatSnap monitor check would be spent on an empty answer), so the
 * later one stands aside and returns null.
 */
const runningPolls = new Set<string>();

export async function unlessAlreadyPolling<T>(context: IPollFunctions, poll: () => Promise<T>): Promise<T | null> {
	const pollKey = `${context.getWorkflow().id ?? ''}:${context.getNode().id}`;
	if (runningPolls.has(pollKey)) return null;
	runningPolls.add(pollKey);
	try {
		return await poll();
	} finally {
		runningPolls.delete(pollKey);
	}
}
