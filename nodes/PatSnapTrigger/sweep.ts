import type { IDataObject } from 'n8n-workflow';

import { describeDuration } from '../shared/polling';
import type { PatSnapTriggerSettings } from './settings';
import type { PatentSnapshot } from './state';
import type { WatchedPatent } from './watchList';

/** How long a pass over the whole watch list takes at the poll size and schedule, for `_meta.sweep`. */
export function sweepOf(list: readonly WatchedPatent[], stored: Record<string, PatentSnapshot>, settings: Pick<PatSnapTriggerSettings, 'maxPerPoll' | 'pollsPerDay'>): IDataObject {
	const patents = list.length;
	const perPoll = settings.maxPerPoll;
	const pollsPerSweep = patents === 0 ? 0 : Math.ceil(patents / perPoll);
	const interval = settings.pollsPerDay ? 1440 / settings.pollsPerDay : undefined;
	const read = list.map((patent) => stored[patent.key]).filter((snapshot) => (snapshot?.checked ?? 0) > 0);
	const duration = interval === undefined ? null : describeDuration(pollsPerSweep * interval);
	return {
		patents,
		perPoll,
		pollsPerSweep,
		pollIntervalMinutes: interval === undefined ? null : Math.round(interval * 10) / 10,
		estimatedDuration: duration,
		notYetChecked: patents - read.length,
		oldestCheckAt: read.length > 0 ? new Date(Math.min(...read.map((snapshot) => snapshot!.checked))).toISOString() : null,
		description: `${patents} patent${patents === 1 ? '' : 's'}, up to ${perPoll} per poll: a full sweep takes ${pollsPerSweep} poll${pollsPerSweep === 1 ? '' : 's'}${
			duration ? `, about ${duration}` : ''
		}.`,
	};
}
