import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { maxAnswerBytes } from '../shared/answerSize';
import type { Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { credentialReloader, loadCredentialHandle, n8nPlainFetcher, n8nSender, type RequestContext } from '../shared/http';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { defaultRetryPolicy, type RetryPolicy } from '../shared/retry';
import { DEFAULT_PATSNAP_QPS, PATSNAP_DEFAULT_MAX_RESPONSE_BYTES, PatSnapTransport } from './transport';

export function retryPolicyFrom(options: IDataObject): RetryPolicy {
	return { ...defaultRetryPolicy, maxAttempts: Number(options.maxAttempts ?? defaultRetryPolicy.maxAttempts) };
}

/**
 * One transport per run (or poll): its throttle, token and retry budget are shared by every call of
 * the run. `clock` lets the trigger's tests drive throttle and backoff without waiting.
 */
export async function createPatSnapTransport(context: RequestContext, options: IDataObject, clock?: Clock): Promise<PatSnapTransport> {
	return new PatSnapTransport(n8nSender(context), await loadCredentialHandle(context, 'patSnapApi'), {
		clock,
		qps: Number(options.requestsPerSecond ?? DEFAULT_PATSNAP_QPS),
		retry: retryPolicyFrom(options),
		retryUnreadableAnswers: Boolean(options.retryUnreadableAnswers),
		maxResponseBytes: maxAnswerBytes(options.maxAnswerSizeMb, PATSNAP_DEFAULT_MAX_RESPONSE_BYTES),
		reloadCredentials: credentialReloader(context, 'patSnapApi'),
		onWarning: (message) => warn(context, message),
		fetchUnauthenticated: n8nPlainFetcher(context),
	});
}

/** A node run shows the warning on its output; a trigger, which has no run hints, logs it. */
function warn(context: RequestContext, message: string): void {
	if ('addExecutionHints' in context) context.addExecutionHints({ type: 'warning', location: 'outputPane', message });
	else context.logger.warn(`PatSnap Trigger: ${message}`);
}

/** A problem with what the user entered, named by the field as the UI shows it. */
export function inputFailure(message: string, field: string): ApiFailure {
	return new ApiFailure(message, { api: 'PatSnap', kind: 'input', description: `Field: ${field}` });
}

/**
 * A refused number or patent ID. An AI Agent hands a model only the message, never the description
 * that names the field, so the message names it too.
 */
export function numberFailure(message: string, field: string): ApiFailure {
	return inputFailure(`${field} field: ${message}`, field);
}

/** Without Continue On Fail, the first item with wrong input stops the run before any call is paid. */
export function stopAtInvalidInput(context: IExecuteFunctions, plans: ReadonlyArray<{ invalid?: ApiFailure }>): void {
	if (context.continueOnFail()) return;
	const itemIndex = plans.findIndex((plan) => plan.invalid);
	if (itemIndex >= 0) throw toNodeError(context.getNode(), plans[itemIndex].invalid, itemIndex);
}

/**
 * Without Continue On Fail n8n discards the node's output, so a stop (quota, credential) after
 * results were fetched says how many n8n will not output and how to get them.
 */
export function withFetchedResults(error: unknown, fetched: number): unknown {
	if (!(error instanceof ApiFailure) || !error.stopsRun || fetched === 0) return error;
	const progress = `${fetched} result(s) had been fetched before this stop, but a node that fails outputs none of them: set the node's On Error setting to Continue to get them, with an error item for each of the rest.`;
	return error.withDetails({ description: [error.details.description, progress].filter(Boolean).join(' ') });
}

/**
 * The output in input order, every item answered: an item whose input was refused gets its input
 * error, the others what each of their requests gave, all paired with the item that asked.
 */
export function outputInItemOrder<Request>(
	plans: ReadonlyArray<{ invalid?: ApiFailure; requests: readonly Request[] }>,
	itemsFor: (request: Request, pairedItem: IPairedItemData) => INodeExecutionData[],
): INodeExecutionData[] {
	return plans.flatMap((plan, itemIndex) => {
		const pairedItem = { item: itemIndex };
		if (plan.invalid) return [{ json: errorItemJson(plan.invalid, { errorKind: 'input' }), pairedItem }];
		return plan.requests.flatMap((request) => itemsFor(request, pairedItem));
	});
}
