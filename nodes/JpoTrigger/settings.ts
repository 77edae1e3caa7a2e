import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { findJpoEndpoint, type JpoEndpoint } from '../Jpo/catalog';
import { DEFAULT_JPO_RATES } from '../Jpo/catalog';
import { numberOption, pollsPerDay } from '../shared/polling';
import type { Residence } from './deadlines';
import type { JpoLaw } from './watchList';

export interface JpoTriggerSettings {
	watchList: unknown;
	defaultLaw: JpoLaw;
	residence: Residence;
	share: number;
	maxPerPoll: number;
	reserve: number;
	limits: { progress: number; registration: number; jplatpat: number };
	emitCurrentState: boolean;
	includeJplatpatUrl: boolean;
	watchRightHolders: boolean;
	onInvalid: 'fail' | 'emit';
	requestsPerMinute: number;
	pollsPerDay: number | undefined;
}

export interface LawEndpoints {
	progress: JpoEndpoint;
	registration: JpoEndpoint;
	jplatpat: JpoEndpoint;
}

function endpointsOf(law: JpoLaw): LawEndpoints {
	return {
		progress: findJpoEndpoint(law, 'getSimpleProgress')!,
		registration: findJpoEndpoint(law, 'getRegistrationInfo')!,
		jplatpat: findJpoEndpoint(law, 'getJplatpatUrl')!,
	};
}

/**
 * The APIs the trigger calls per law. Progress is read from app_progress_simple (1-2, 2-2, 3-2):
 * it carries every field the trigger compares, has the same daily limit as app_progress, answers
 * smaller, and keeps the trigger off the counter that interactive Get Progress calls draw on.
 */
export const TRIGGER_ENDPOINTS: Readonly<Record<JpoLaw, LawEndpoints>> = {
	patent: endpointsOf('patent'),
	design: endpointsOf('design'),
	trademark: endpointsOf('trademark'),
};

export function readSettings(context: IPollFunctions): JpoTriggerSettings {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		watchList: context.getNodeParameter('watchList', ''),
		defaultLaw: context.getNodeParameter('defaultLaw', 'patent') as JpoLaw,
		residence: context.getNodeParameter('residence', 'japan') as Residence,
		share: Math.min(100, Math.max(0, numberOption(options.dailyShare, 50))) / 100,
		maxPerPoll: Math.max(1, Math.floor(numberOption(options.maxApplicationsPerPoll, 20))),
		reserve: Math.max(0, numberOption(options.keepInReserve, 0)),
		limits: {
			progress: numberOption(options.progressDailyLimit, 0),
			registration: numberOption(options.registrationDailyLimit, 0),
			jplatpat: numberOption(options.jplatpatDailyLimit, 0),
		},
		emitCurrentState: options.emitCurrentState === true,
		includeJplatpatUrl: options.includeJplatpatUrl === true,
		watchRightHolders: options.watchRightHolders !== false,
		onInvalid: options.onInvalidEntry === 'emit' ? 'emit' : 'fail',
		requestsPerMinute: Math.max(1, numberOption(options.requestsPerMinute, DEFAULT_JPO_RATES.domesticPerMinute)),
		pollsPerDay: pollsPerDay(context.getNodeParameter('pollTimes', {})),
	};
}

/** The daily limit of an API for this ID: the user's figure where JPO raised it, else the handbook's. */
export function dailyLimitOf(settings: JpoTriggerSettings, endpoint: JpoEndpoint): number {
	const override =
		endpoint.operation === 'getSimpleProgress'
			? settings.limits.progress
			: endpoint.operation === 'getRegistrationInfo'
				? settings.limits.registration
				: settings.limits.jplatpat;
	return override > 0 ? override : endpoint.dailyLimit;
}
