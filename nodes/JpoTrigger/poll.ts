import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { APPLICATION_NUMBER_FORMS } from '../Jpo/numbers';
import { JpoTransport } from '../Jpo/transport';
import { systemClock, type Clock } from '../shared/clock';
import { credentialReloader, loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../shared/http';
import { nothingToPoll, pollOrSample, refuseInvalidEntries } from '../shared/trigger/pollEntry';
import { QuotaBudget } from './budget';
import { dailyLimitOf, readSettings, type JpoTriggerSettings } from './settings';
import { readState } from './state';
import { parseWatchList, type WatchList } from './watchList';
import { JpoWatchRun } from './watchRun';

/**
 * One poll of the watch list. A failed poll throws before anything is written, so the next poll
 * repeats it; only a daily-limit stop records what was learned before it. Manual runs never write.
 * `clock` gives time, sleeping and randomness to the transport's throttle and retries, and the budget its day.
 */
export async function pollJpoWatchList(context: IPollFunctions, clock: Clock = systemClock): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(context);
	const list = parseWatchList(settings.watchList, settings.defaultLaw);
	refuseInvalidEntries(
		context,
		list.invalid,
		settings.onInvalid,
		`Accepted forms: ${APPLICATION_NUMBER_FORMS}, optionally preceded by patent:, design: or trademark:.`,
	);
	if (nothingToPoll(context, list)) return null;
	return await pollOrSample(context, async () => {
		const { run, staticData } = await startRun(context, settings, list, clock);
		return context.getMode() === 'manual' ? await run.sample() : await run.poll(staticData);
	});
}

async function startRun(
	context: IPollFunctions,
	settings: JpoTriggerSettings,
	list: WatchList,
	clock: Clock,
): Promise<{ run: JpoWatchRun; staticData: IDataObject }> {
	const staticData = context.getWorkflowStaticData('node');
	const state = readState(staticData, clock.now());
	const budget = new QuotaBudget(
		state.budget,
		{ share: settings.share, reserve: settings.reserve, dailyLimit: (endpoint) => dailyLimitOf(settings, endpoint) },
		() => clock.now(),
	);
	const transport = new JpoTransport(n8nSender(context), n8nPlainFetcher(context), await loadCredentialHandle(context, 'jpoApi'), {
		clock,
		rates: { domesticPerMinute: settings.requestsPerMinute },
		reloadCredentials: credentialReloader(context, 'jpoApi'),
		// A trigger has no run hints: coordination problems go to n8n's log.
		onWarning: (message) => context.logger.warn(`JPO Trigger: ${message}`),
	});
	// In queue mode the ID's whole use today counts, whichever process spent it.
	budget.idWide = await transport.dailyUsage();
	return { run: new JpoWatchRun(context, settings, list, state, clock, transport, budget), staticData };
}
