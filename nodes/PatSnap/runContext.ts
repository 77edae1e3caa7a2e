import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { loadCredentialHandle, n8nSender } from '../shared/http';
import { defaultRetryPolicy, type RetryPolicy } from '../shared/retry';
import { DEFAULT_PATSNAP_QPS, PatSnapTransport } from './transport';

export function retryPolicyFrom(options: IDataObject): RetryPolicy {
	return { ...defaultRetryPolicy, maxAttempts: Number(options.maxAttempts ?? defaultRetryPolicy.maxAttempts) };
}

/** One transport per run: its throttle, token and retry budget are shared by every call of the run. */
export async function createPatSnapTransport(context: IExecuteFunctions, options: IDataObject): Promise<PatSnapTransport> {
	return new PatSnapTransport(n8nSender(context), await loadCredentialHandle(context, 'patSnapApi'), {
		qps: Number(options.requestsPerSecond ?? DEFAULT_PATSNAP_QPS),
		retry: retryPolicyFrom(options),
		retryUnreadableAnswers: Boolean(options.retryUnreadableAnswers),
	});
}

/** A problem with what the user entered, named by the field as the UI shows it. */
export function inputFailure(message: string, field: string): ApiFailure {
	return new ApiFailure(message, { api: 'PatSnap', kind: 'input', description: `Field: ${field}` });
}

