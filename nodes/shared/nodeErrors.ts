import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { ApiFailure } from './failure';

type Failure = NonNullable<ConstructorParameters<typeof NodeApiError>[2]>['failure'];

/** Tells n8n's poll backoff and error views why the call failed, as its `failure` contract asks. */
function failureCause(failure: ApiFailure): Failure {
	const { kind, retryAfterMs, resetsAt } = failure.details;
	switch (kind) {
		case 'quota':
			return { cause: 'quota-exhausted', resetsAtEpochMs: resetsAt?.getTime() };
		case 'transient':
			return { cause: 'temporarily-unavailable', retryAfterMs };
		case 'auth':
			return { cause: 'credential-invalid' };
		case 'configuration':
			return { cause: 'configuration-invalid' };
		default:
			return undefined;
	}
}

function describe(failure: ApiFailure): string {
	const { description, operation, attempts } = failure.details;
	const parts = [description];
	if (operation) parts.push(`Operation: ${operation}.`);
	if (attempts && attempts > 1) parts.push(`Attempts made: ${attempts}.`);
	return parts.filter(Boolean).join(' ');
}

export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ApiFailure) {
		const { api, code, httpStatus, originalMessage, kind } = error.details;
		const response: JsonObject = { api, kind, message: error.message };
		if (code !== undefined) response.code = code;
		if (originalMessage) response.originalMessage = originalMessage;
		return new NodeApiError(node, response, {
			message: `${api}: ${error.message}`,
			description: describe(error),
			httpCode: httpStatus ? String(httpStatus) : undefined,
			itemIndex,
			failure: failureCause(error),
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** The json of an error item under Continue On Fail: what failed, why, and what to do. */
export function errorItemJson(error: unknown, extra: IDataObject = {}): IDataObject {
	if (error instanceof ApiFailure) {
		const { api, kind, code, originalMessage, resetsAt, notSentSince, operation } = error.details;
		return {
			...extra,
			error: `${api}: ${error.message}`,
			errorKind: kind,
			...(code !== undefined ? { errorCode: code } : {}),
			...(originalMessage ? { errorOriginalMessage: originalMessage } : {}),
			...(resetsAt ? { quotaResetsAt: resetsAt.toISOString() } : {}),
			...(notSentSince ? { notSent: true, quotaUsedUpSince: notSentSince.toISOString() } : {}),
			...(operation ? { operation } : {}),
			errorDescription: describe(error),
		};
	}
	return { ...extra, error: (error as Error).message };
}
