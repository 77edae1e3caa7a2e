import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../shared/http';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { apiName } from './answers';
import { findJpoEndpoint, type JpoEndpoint } from './catalog';
import { jstResetPhrase } from './dates';
import { toItems } from './items';
import { NumberFormatError } from './numbers';
import { normaliseParameters, readOutputSettings, readTyped, transportOptions } from './parameters';
import { JpoTransport } from './transport';

/** Why an item was not sent: its API is out of quota, or the run cannot go on at all. */
interface Stop {
	failure: ApiFailure;
	/** Only items of this endpoint are affected; a run-wide stop has none. */
	endpointNumber?: string;
}

/**
 * Calls left today per API, as JPO reported them in this run's answers and, in queue mode, as any
 * n8n process last saw them: the lower one counts.
 */
class RemainingCounts {
	private readonly seen = new Map<string, number>();

	constructor(private readonly transport: JpoTransport) {}

	note(endpoint: JpoEndpoint, remainAccessCount: number | undefined): void {
		if (remainAccessCount !== undefined) this.seen.set(endpoint.number, remainAccessCount);
	}

	async today(endpoint: JpoEndpoint): Promise<number | undefined> {
		const known = [this.seen.get(endpoint.number), await this.transport.remainingToday(endpoint)].filter((value): value is number => value !== undefined);
		return known.length > 0 ? Math.min(...known) : undefined;
	}
}

function endpointOf(context: IExecuteFunctions, itemIndex: number): JpoEndpoint {
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const endpoint = findJpoEndpoint(resource, operation);
	if (!endpoint) throw new NodeOperationError(context.getNode(), `Unknown operation ${resource}/${operation}`, { itemIndex });
	return endpoint;
}

function skippedByReserve(endpoint: JpoEndpoint, remaining: number, stopBelowRemaining: number, typed: IDataObject, nowMs: number): IDataObject {
	return {
		skipped: true,
		reason: 'stopBelowRemaining',
		message: `Not requested: JPO ${endpoint.number} has ${remaining} calls left today, at or below Stop Below Remaining (${stopBelowRemaining}). The count ${jstResetPhrase(nowMs)}; retrying before then will skip it again.`,
		input: typed,
		_meta: { api: `JPO ${endpoint.number}`, operation: `${endpoint.resource}/${endpoint.operation}`, remainAccessCount: remaining },
	};
}

/** One JPO call per input item, in order; a quota or credential stop spares the calls of the items after it. */
export async function executeJpoOperation(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const transport = new JpoTransport(n8nSender(context), n8nPlainFetcher(context), await loadCredentialHandle(context, 'jpoApi'), transportOptions(context, options));
	const remaining = new RemainingCounts(transport);
	const stopBelowRemaining = Number(options.stopBelowRemaining ?? 0);
	const stops: Stop[] = [];
	const skipped = new Map<string, number>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const endpoint = endpointOf(context, itemIndex);
		const typed = readTyped(context, endpoint, itemIndex);
		const stop = stops.find((candidate) => candidate.endpointNumber === undefined || candidate.endpointNumber === endpoint.number);
		if (stop) {
			output.push({ json: errorItemJson(stop.failure, { input: typed, notAttempted: true }), pairedItem: { item: itemIndex } });
			continue;
		}
		const left = stopBelowRemaining > 0 ? await remaining.today(endpoint) : undefined;
		if (left !== undefined && left <= stopBelowRemaining) {
			skipped.set(endpoint.number, left);
			output.push({ json: skippedByReserve(endpoint, left, stopBelowRemaining, typed, transport.now()), pairedItem: { item: itemIndex } });
			continue;
		}
		try {
			const parameters = { typed, sent: normaliseParameters(endpoint, typed) };
			const answer = await transport.call(endpoint, parameters.sent);
			remaining.note(endpoint, 'remainAccessCount' in answer ? answer.remainAccessCount : undefined);
			output.push(...(await toItems(context, endpoint, answer, parameters, itemIndex, readOutputSettings(context, options, itemIndex))));
		} catch (caught) {
			const error =
				caught instanceof NumberFormatError ? new ApiFailure(caught.message, { api: 'JPO', kind: 'input', description: `Field: ${caught.label ?? caught.field}` }) : caught;
			if (!context.continueOnFail()) {
				throw toNodeError(context.getNode(), withProgress(error, output.length), itemIndex);
			}
			if (error instanceof ApiFailure && error.stopsRun) {
				// A daily limit is per API, so only that endpoint's later items are affected; a broken
				// credential or configuration affects them all. Either way no more calls are spent on them.
				output.push({ json: errorItemJson(withStopNote(error, endpoint), { input: typed }), pairedItem: { item: itemIndex } });
				stops.push({ failure: error, endpointNumber: error.kind === 'quota' ? endpoint.number : undefined });
				continue;
			}
			output.push({ json: errorItemJson(error, { input: typed }), pairedItem: { item: itemIndex } });
		}
	}
	for (const [endpointNumber, left] of skipped) {
		context.addExecutionHints({
			type: 'warning',
			location: 'outputPane',
			message: `Stopped calling JPO ${endpointNumber} with ${left} calls left today (Stop Below Remaining is ${stopBelowRemaining}); later items for it are marked skipped.`,
		});
	}
	return output;
}

function withDescription(error: ApiFailure, note: string): ApiFailure {
	return error.withDetails({ description: [error.details.description, note].filter(Boolean).join(' ') });
}

/** Under Continue On Fail the run goes on: the items before are output, the affected ones after are not sent. */
function withStopNote(error: ApiFailure, endpoint: JpoEndpoint): ApiFailure {
	const affected = error.kind === 'quota' ? `later items for ${apiName(endpoint)}` : 'all later items';
	return withDescription(error, `The items before this one are output as fetched; ${affected} are output as not attempted.`);
}

/**
 * Without Continue On Fail n8n outputs nothing of the node's items, so the error says how far the
 * run got and that those results are lost unless On Error is set to Continue.
 */
function withProgress(error: unknown, itemsDone: number): unknown {
	if (!(error instanceof ApiFailure) || !error.stopsRun || itemsDone === 0) return error;
	return withDescription(
		error,
		`${itemsDone} result item(s) had been fetched before this and are not output, because the node stopped with this error; set the node's On Error setting to Continue to keep them and get an error item for each of the rest.`,
	);
}
