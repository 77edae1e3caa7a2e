import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { NumberTypeSetting } from '../PatSnap/batching';
import { DEFAULT_PATSNAP_QPS } from '../PatSnap/transport';
import { numberOption, pollsPerDay } from '../shared/polling';
import { defaultRetryPolicy } from '../shared/retry';
import { DEFAULT_MAX_PATENTS_PER_POLL } from './description';
import { ASPECTS, type Aspect } from './readings';

export interface PatSnapTriggerSettings {
	source: 'watchList' | 'monitor';
	patents: unknown;
	numberType: NumberTypeSetting;
	watch: Aspect[];
	emitCurrentState: boolean;
	onInvalid: 'fail' | 'emit';
	maxPerPoll: number;
	alertId: string;
	fetchDetails: boolean;
	/** What the PatSnap node's transport reads: requestsPerSecond and maxAttempts. */
	transportOptions: IDataObject;
	pollsPerDay: number | undefined;
}

export function readSettings(context: IPollFunctions): PatSnapTriggerSettings {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const watch = context.getNodeParameter('watch', ['legalStatus']) as unknown;
	const chosen = new Set(Array.isArray(watch) ? (watch as string[]) : [String(watch)]);
	return {
		source: context.getNodeParameter('source', 'watchList') === 'monitor' ? 'monitor' : 'watchList',
		patents: context.getNodeParameter('patents', ''),
		numberType: (options.numberType ?? 'auto') as NumberTypeSetting,
		watch: ASPECTS.filter((aspect) => chosen.has(aspect)),
		emitCurrentState: options.emitCurrentState === true,
		onInvalid: options.onInvalidEntry === 'emit' ? 'emit' : 'fail',
		maxPerPoll: Math.max(1, Math.floor(numberOption(options.maxPatentsPerPoll, DEFAULT_MAX_PATENTS_PER_POLL))),
		alertId: String(context.getNodeParameter('alertId', '') ?? '').trim(),
		fetchDetails: context.getNodeParameter('fetchDetails', true) !== false,
		transportOptions: {
			requestsPerSecond: Math.max(0.1, numberOption(options.requestsPerSecond, DEFAULT_PATSNAP_QPS)),
			maxAttempts: Math.max(1, Math.floor(numberOption(options.maxAttempts, defaultRetryPolicy.maxAttempts))),
		},
		pollsPerDay: pollsPerDay(context.getNodeParameter('pollTimes', {})),
	};
}
