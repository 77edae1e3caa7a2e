import type { IDataObject } from 'n8n-workflow';

import type { WatchState } from '../shared/trigger/watchRun';

/**
 * What the trigger keeps in the workflow's static data between polls. It is written once, at the
 * end of a poll that returns normally, so a poll that throws leaves it exactly as it was. n8n stores
 * static data inside the workflow record: entries are fingerprints and short status words, never
 * whole answers, and empty values are left out, so 1,000 patents watched for their legal status
 * take about 130 kB.
 */
export const STATE_VERSION = 1;

/** The legal status as last seen, in English (Chinese values that have no translation stay as sent). */
export interface LegalPrint {
	/** simple_legal_status */
	s: string[];
	/** legal_status */
	l: string[];
	/** event_status */
	e: string[];
	/** legal_date, YYYYMMDD */
	d: number | null;
}

export interface PatentSnapshot {
	/**
	 * When every watched aspect of the patent was last read, as a mark that increases from poll to
	 * poll. The smallest mark is checked next, which walks a long list round-robin and puts new
	 * entries (mark 0) first.
	 */
	checked: number;
	/** PatSnap did not know the patent, and this was reported once. */
	missing?: true;
	/** Absent until the aspect's baseline is taken; the same holds for every aspect below. */
	legal?: LegalPrint;
	/** Fingerprints of the legal events (P026), 6 characters each. */
	events?: string;
	/** Fingerprints of the transfers (P029), 6 characters each. */
	transfers?: string;
	/** One `fingerprint:verdictDate` per court case (P034), comma-separated. */
	cases?: string;
	/** Fingerprints of the examination documents (P048), 6 characters each. */
	docs?: string;
	/** P048 does not cover this patent (Chinese patents); it is not asked again. */
	docsUnavailable?: true;
}

export interface MonitorPatent {
	legal: LegalPrint;
	/** The poll mark when this status was read, for evicting the oldest entries. */
	seen: number;
}

export interface MonitorState {
	alertId: string;
	/** Legal status of patents the monitor reported, so the next report can show old and new. */
	patents: Record<string, MonitorPatent>;
}

export interface PatSnapTriggerState extends WatchState {
	version: number;
	patents: Record<string, PatentSnapshot>;
	monitor?: MonitorState;
}

/** Most patents whose legal status monitor mode remembers; the least recently reported go first. */
export const MONITOR_MEMORY = 5000;

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A private copy of the stored state, never the live static-data object. */
export function readState(staticData: IDataObject): PatSnapTriggerState {
	const stored = JSON.parse(JSON.stringify(staticData ?? {})) as Partial<PatSnapTriggerState>;
	const usable = stored.version === STATE_VERSION && isObject(stored.patents);
	return {
		version: STATE_VERSION,
		patents: usable ? (stored.patents as Record<string, PatentSnapshot>) : {},
		lastMark: usable && typeof stored.lastMark === 'number' ? stored.lastMark : 0,
		reportedInvalid: usable && Array.isArray(stored.reportedInvalid) ? stored.reportedInvalid : [],
		...(usable && isObject(stored.monitor) && typeof stored.monitor.alertId === 'string' && isObject(stored.monitor.patents)
			? { monitor: stored.monitor as MonitorState }
			: {}),
	};
}
