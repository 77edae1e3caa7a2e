import type { IDataObject } from 'n8n-workflow';

import type { PatSnapTransport, PatSnapCall } from '../PatSnap/transport';
import { callAsValue, type CallResult } from '../shared/callResult';

/**
 * The trigger's way to PatSnap: every call goes through the PatSnap node's transport (throttle,
 * token, retries, and no repeat of a billed or state-changing call whose answer was lost), comes
 * back as a value rather than a throw, and is counted with the results PatSnap returned, which is
 * what PatSnap bills.
 */
export class TriggerCalls {
	readonly calls: Record<string, number> = {};

	readonly billedResults: Record<string, number> = {};

	constructor(private readonly transport: PatSnapTransport) {}

	async call(code: string, call: PatSnapCall): Promise<CallResult<unknown>> {
		this.calls[code] = (this.calls[code] ?? 0) + 1;
		const outcome = await callAsValue(this.transport.call(call), 'PatSnap', call.operation);
		return 'value' in outcome ? { value: outcome.value.data } : { failure: outcome.failure };
	}

	/** Adds what PatSnap will bill for an answer: results for batch calls, 1 for a P048 page with documents. */
	bill(code: string, results: number): void {
		if (results > 0) this.billedResults[code] = (this.billedResults[code] ?? 0) + results;
	}

	report(): IDataObject {
		return { calls: { ...this.calls }, billedResults: { ...this.billedResults } };
	}

}
