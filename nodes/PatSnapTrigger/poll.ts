import { NodeOperationError, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { createPatSnapTransport } from '../PatSnap/runContext';
import { systemClock, type Clock } from '../shared/clock';
import { nothingToPoll, pollOrSample, refuseInvalidEntries } from '../shared/trigger/pollEntry';
import { TriggerCalls } from './calls';
import { pollMonitor } from './monitor';
import { readSettings } from './settings';
import { readState } from './state';
import { parsePatentList, type PatentList } from './watchList';
import { PatSnapWatchRun } from './watchRun';

/**
 * One poll. A poll that throws has written nothing, so the next one repeats it; a poll that returns
 * (items or null) records what it read. Manual runs never write. `clock` gives time, sleeping and
 * randomness to the transport's throttle and retries.
 */
export async function pollPatSnap(context: IPollFunctions, clock: Clock = systemClock): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(context);
	const manual = context.getMode() === 'manual';
	let list: PatentList | undefined;
	if (settings.source === 'watchList') {
		list = parsePatentList(settings.patents, settings.numberType);
		refuseInvalidEntries(context, list.invalid, settings.onInvalid);
		if (settings.watch.length === 0) {
			throw new NodeOperationError(context.getNode(), 'Choose at least one thing to watch', { description: 'Field: Watch' });
		}
		if (nothingToPoll(context, { entries: list.patents, invalid: list.invalid })) return null;
	}

	return await pollOrSample(context, async () => {
		const staticData = context.getWorkflowStaticData('node');
		const state = readState(staticData);
		if (settings.source === 'monitor') return await pollMonitor(context, { settings, state, staticData, clock, manual });
		const calls = new TriggerCalls(await createPatSnapTransport(context, settings.transportOptions, clock));
		const run = new PatSnapWatchRun(context, settings, list!, state, clock, calls);
		return manual ? await run.sample() : await run.poll(staticData);
	});
}
