import { sleep } from 'n8n-workflow';

/**
 * Time, waiting and randomness in one injectable place, so throttle and retry logic can be tested
 * with a fake clock that advances instantly instead of making tests wait.
 */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
	random(): number;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms: number) => {
		if (ms > 0) await sleep(ms);
	},
	random: () => Math.random(),
};
