import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { settle } from '../shared/retry';
import { splitReferences } from './batching';
import { PATSNAP_MONITOR_NAME_MAX, type PatSnapSingleEndpoint } from './catalog';
import { PATSNAP_INVALID_PARAMETER } from './errorCodes';
import { PATSNAP_MONITOR_CONTENT } from './monitorFields';
import { createPatSnapTransport, inputFailure, withFetchedResults } from './runContext';
import { quoted } from '../shared/quoted';

const CONTENT_VALUES = new Set(PATSNAP_MONITOR_CONTENT.map((option) => String(option.value)));
/** What a monitor ID (alert_id) may look like; the trigger checks it the same way. */
export const ALERT_ID = /^[A-Za-z0-9_-]{1,128}$/;

interface MonitorRequest {
	qs: IDataObject;
	/** Echoed on the output item, so a workflow sees what it asked for next to the answer. */
	echo: IDataObject;
	/** Repeated checks or deletes of one monitor in a run are sent once and shared. */
	shareKey?: string;
}

function readAlertId(context: IExecuteFunctions, itemIndex: number): string {
	const alertId = String(context.getNodeParameter('alertId', itemIndex, '') ?? '').trim();
	if (!ALERT_ID.test(alertId)) {
		throw inputFailure(
			alertId === '' ? 'Enter the Monitor ID (the alert_id returned by Create).' : `${quoted(alertId)} is not a monitor ID: expected letters, digits, - or _ such as 7f22ee78764149b481314b1fa60dca0c.`,
			'Monitor ID',
		);
	}
	return alertId;
}

function readContent(value: unknown, field: string, required: boolean): string[] | undefined {
	const values = [...new Set(splitReferences(value).map((entry) => entry.toLowerCase()))];
	if (values.length === 0) {
		if (required) throw inputFailure('Choose at least one change to alert on.', field);
		return undefined;
	}
	const unknown = values.filter((entry) => !CONTENT_VALUES.has(entry));
	if (unknown.length > 0) {
		throw inputFailure(`Unknown alert type ${unknown.map((entry) => `"${entry}"`).join(', ')}; use ${[...CONTENT_VALUES].join(', ')}.`, field);
	}
	return values;
}

function readName(value: unknown, field: string): string | undefined {
	const name = String(value ?? '').trim();
	if (name === '') return undefined;
	const length = [...name].length;
	if (length > PATSNAP_MONITOR_NAME_MAX) throw inputFailure(`The name has ${length} characters; PatSnap allows at most ${PATSNAP_MONITOR_NAME_MAX}.`, field);
	return name;
}

function readQuery(value: unknown, field: string, required: boolean): string | undefined {
	const query = String(value ?? '').trim();
	if (query === '' && required) throw inputFailure('Enter a PatSnap query, e.g. PN:(US11205304B2 OR EP3456789A1).', field);
	return query === '' ? undefined : query;
}

function planRequest(context: IExecuteFunctions, operation: string, itemIndex: number): MonitorRequest {
	if (operation === 'create') {
		const query = readQuery(context.getNodeParameter('query', itemIndex, ''), 'Query', true)!;
		const content = readContent(context.getNodeParameter('content', itemIndex, []), 'Alert On', true)!;
		const name = readName(context.getNodeParameter('alertName', itemIndex, ''), 'Name');
		return {
			qs: { query, content: content.join(','), ...(name !== undefined ? { alert_name: name } : {}) },
			echo: { query, content },
		};
	}
	const alertId = readAlertId(context, itemIndex);
	if (operation === 'update') {
		const fields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const content = readContent(fields.content, 'Update Fields: Alert On', false);
		const name = readName(fields.alertName, 'Update Fields: Name');
		const query = readQuery(fields.query, 'Update Fields: Query', false);
		if (content === undefined && name === undefined && query === undefined) {
			throw inputFailure('Add at least one of Alert On, Name or Query to change.', 'Update Fields');
		}
		const changes: IDataObject = {
			...(name !== undefined ? { alert_name: name } : {}),
			...(content !== undefined ? { content: content.join(',') } : {}),
			...(query !== undefined ? { query } : {}),
		};
		return { qs: { alert_id: alertId, ...changes }, echo: { alert_id: alertId, changed: changes } };
	}
	return { qs: { alert_id: alertId }, echo: { alert_id: alertId }, shareKey: `${operation}:${alertId}` };
}

/** "Invalid parameter" is all PatSnap says for an unknown monitor ID as for a bad field: say what to check. */
function explain(failure: ApiFailure, operation: string, request: MonitorRequest): ApiFailure {
	if (failure.details.code !== PATSNAP_INVALID_PARAMETER) return failure;
	const message =
		operation === 'create'
			? 'PatSnap refused to create the monitor: check Query, Alert On and Name'
			: `PatSnap does not know monitor ID ${String(request.qs.alert_id)}, or refused a changed field`;
	return new ApiFailure(`${message} (PatSnap error ${PATSNAP_INVALID_PARAMETER}: ${failure.details.originalMessage ?? 'invalid parameter'})`, {
		...failure.details,
		description: operation === 'create' ? 'Fields: Query, Alert On, Name' : 'Field: Monitor ID (the alert_id returned by Create)',
	});
}

function answerJson(operation: string, data: unknown, request: MonitorRequest): IDataObject {
	const payload = data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : {};
	switch (operation) {
		case 'create':
			return { ...payload, ...request.echo };
		case 'check': {
			const updates = (Array.isArray(data) ? data : []) as IDataObject[];
			const patentIds = [...new Set(updates.flatMap((update) => (Array.isArray(update.patent_ids) ? (update.patent_ids as string[]) : [])))];
			return { ...request.echo, hasUpdates: patentIds.length > 0, patentIds, updates };
		}
		case 'update':
			return { ...request.echo, updated: true, ...payload };
		default:
			return { ...request.echo, deleted: true };
	}
}

/** P056–P059, one call per item (repeated checks or deletes of one monitor are sent once). */
export async function executeMonitorOperation(context: IExecuteFunctions, endpoint: PatSnapSingleEndpoint): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const operation = endpoint.operation;
	const transport = await createPatSnapTransport(context, options);
	const shared = new Map<string, unknown>();
	const output: INodeExecutionData[] = [];
	const meta = { api: `PatSnap ${endpoint.code}`, operation };

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		let request: MonitorRequest;
		try {
			request = planRequest(context, operation, itemIndex);
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(context.getNode(), error, itemIndex);
			output.push({ json: errorItemJson(error, { errorKind: 'input' }), pairedItem });
			continue;
		}
		if (request.shareKey && shared.has(request.shareKey)) {
			output.push({ json: { ...answerJson(operation, shared.get(request.shareKey), request), _meta: { ...meta, sharedWithEarlierItem: true } }, pairedItem });
			continue;
		}
		const answer = await settle(
			transport.call({
				method: endpoint.method,
				path: endpoint.path,
				qs: request.qs,
				...(endpoint.method === 'DELETE' ? { body: {} } : {}),
				billed: endpoint.billed,
				changesState: endpoint.changesState,
				operation: `${endpoint.code} ${endpoint.name} monitor`,
			}),
		);
		if ('error' in answer) {
			const failure = answer.error instanceof ApiFailure ? explain(answer.error, operation, request) : answer.error;
			if (!(failure instanceof ApiFailure) || !context.continueOnFail()) {
				const answered = output.filter((item) => item.json.error === undefined).length;
				throw toNodeError(context.getNode(), withFetchedResults(failure, answered), itemIndex);
			}
			output.push({ json: errorItemJson(failure, request.echo), pairedItem });
			if (failure.stopsRun) {
				// A used-up quota or a refused credential fails every later item the same way.
				for (let rest = itemIndex + 1; rest < items.length; rest++) {
					output.push({ json: errorItemJson(failure, { notAttempted: true }), pairedItem: { item: rest } });
				}
				break;
			}
			continue;
		}
		if (request.shareKey) shared.set(request.shareKey, answer.value.data);
		output.push({ json: { ...answerJson(operation, answer.value.data, request), _meta: meta }, pairedItem });
	}
	return output;
}
