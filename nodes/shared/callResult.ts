import { ApiFailure, type ApiName } from './failure';
import { settle } from './retry';

/**
 * A call's answer or its failure, as a value. Triggers and pagers decide per failure whether to go
 * on (one patent refused) or stop (quota, credentials), which a thrown error would make awkward.
 */
export type CallResult<T> = { value: T } | { failure: ApiFailure };

/** Awaits a transport call; anything thrown that is not an ApiFailure becomes an `unexpected` one. */
export async function callAsValue<T>(call: Promise<T>, api: ApiName, operation?: string): Promise<CallResult<T>> {
	const outcome = await settle(call);
	if ('value' in outcome) return { value: outcome.value };
	if (outcome.error instanceof ApiFailure) return { failure: outcome.error };
	const details = { api, kind: 'unexpected' as const, ...(operation === undefined ? {} : { operation }) };
	return { failure: new ApiFailure(`${api} request failed: ${(outcome.error as Error).message}`, details) };
}
