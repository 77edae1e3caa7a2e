import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { unlessAlreadyPolling } from '../polling';
import type { InvalidWatchEntry } from './watchRun';

/**
 * Before a poll: with On Invalid Entry set to fail, a scheduled poll stops naming every entry that
 * cannot be watched. A test run goes on, so the user sees the invalid entries as items.
 */
export function refuseInvalidEntries(context: IPollFunctions, invalid: readonly InvalidWatchEntry[], onInvalid: 'fail' | 'emit', acceptedForms = ''): void {
	if (context.getMode() === 'manual' || invalid.length === 0 || onInvalid !== 'fail') return;
	const lines = invalid.map((entry) => `line ${entry.line}: ${entry.reason}`).join(' ');
	throw new NodeOperationError(context.getNode(), `The watch list has ${invalid.length} entr${invalid.length === 1 ? 'y' : 'ies'} that cannot be watched`, {
		description: `${lines} ${acceptedForms ? `${acceptedForms} ` : ''}Fix the entries, or set On Invalid Entry to emit them as items and watch the rest.`,
	});
}

/** A scheduled poll of a watch list without a single line has nothing to do; a test run explains. */
export function nothingToPoll(context: IPollFunctions, list: { entries: readonly unknown[]; invalid: readonly unknown[] }): boolean {
	return context.getMode() !== 'manual' && list.entries.length === 0 && list.invalid.length === 0;
}

/** A test run writes nothing, so it may run beside a scheduled poll; scheduled polls never overlap. */
export async function pollOrSample<T>(context: IPollFunctions, run: () => Promise<T>): Promise<T | null> {
	return context.getMode() === 'manual' ? await run() : await unlessAlreadyPolling(context, run);
}

/** Replaces the stored state in place: n8n watches that object, so it must not be swapped for another. */
export function writeState(staticData: IDataObject, state: object): void {
	const fresh = JSON.parse(JSON.stringify(state)) as IDataObject;
	for (const key of Object.keys(staticData)) {
		if (!(key in fresh)) delete staticData[key];
	}
	Object.assign(staticData, fresh);
}
