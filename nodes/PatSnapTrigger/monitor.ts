import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { fingerprint } from '../shared/polling';
import { indexResults, queryKey } from '../PatSnap/batching';
import { findPatSnapBatchEndpoint, findPatSnapMonitorEndpoint, PATSNAP_MAX_BATCH } from '../PatSnap/catalog';
import { translateChineseStatusValues } from '../PatSnap/chineseValues';
import { PATSNAP_INVALID_PARAMETER } from '../PatSnap/errorCodes';
import { ALERT_ID } from '../PatSnap/monitors';
import { createPatSnapTransport } from '../PatSnap/runContext';
import type { Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { toNodeError } from '../shared/nodeErrors';
import { writeState } from '../shared/trigger/pollEntry';
import { nextMark } from '../shared/trigger/watchRun';
import { settle } from '../shared/retry';
import { TriggerCalls } from './calls';
import { legalPrint } from './diffs';
import { baseItem, legalJson } from './items';
import { readLegalStatus, type LegalView } from './readings';
import type { PatSnapTriggerSettings } from './settings';
import { MONITOR_MEMORY, type LegalPrint, type MonitorState, type PatSnapTriggerState } from './state';
import { quoted } from '../shared/quoted';

const CHECK = findPatSnapMonitorEndpoint('check')!;
const LEGAL_STATUS = findPatSnapBatchEndpoint('getLegalStatus')!;

/** P057's update types (P056 `content`) as the trigger's change kinds, with the words of the summary. */
const MONITOR_CHANGES: Readonly<Record<string, { change: string; words: string }>> = {
	new: { change: 'newPatent', words: 'a new patent matching its query' },
	invention: { change: 'newInvention', words: 'a new invention matching its query' },
	legal: { change: 'legalStatusChanged', words: 'a legal status change' },
	transfer: { change: 'assigneeChanged', words: 'a change of current assignee' },
	expired: { change: 'expiringSoon', words: 'an estimated expiry within 30 days' },
	license: { change: 'licenseUpdated', words: 'updated licensing information' },
	litigation: { change: 'litigationUpdated', words: 'updated litigation information' },
};

interface MonitorUpdate {
	type: string;
	count: number | null;
	alertName: string | null;
	patentIds: string[];
}

interface Details {
	results: Map<string, IDataObject>;
	/** Why a patent has no details, by patent ID. */
	errors: Map<string, string>;
}

export interface MonitorRun {
	settings: PatSnapTriggerSettings;
	state: PatSnapTriggerState;
	staticData: IDataObject;
	clock: Clock;
	manual: boolean;
}

function readUpdates(data: unknown): MonitorUpdate[] {
	const updates = Array.isArray(data) ? (data as unknown[]) : [];
	return updates
		.filter((update): update is IDataObject => typeof update === 'object' && update !== null)
		.map((update) => ({
			type: String(update.type ?? ''),
			count: Number.isFinite(Number(update.count)) ? Number(update.count) : null,
			alertName: typeof update.alert_name === 'string' ? update.alert_name : null,
			patentIds: [...new Set((Array.isArray(update.patent_ids) ? (update.patent_ids as unknown[]) : []).map(String).filter(Boolean))],
		}));
}

/** 68300004 is all PatSnap says for an unknown monitor ID; a lost answer to a check cannot be asked again. */
function explainCheckFailure(failure: ApiFailure, alertId: string): ApiFailure {
	if (failure.details.code === PATSNAP_INVALID_PARAMETER) {
		return new ApiFailure(`PatSnap does not know monitor project ${alertId} (PatSnap error ${PATSNAP_INVALID_PARAMETER}: ${failure.details.originalMessage ?? 'invalid parameter'})`, {
			...failure.details,
			description: 'Field: Monitor Project ID (the alert_id returned by Create Monitor).',
		});
	}
	if (failure.kind === 'malformed') {
		return failure.withDetails({
			description:
				'The answer to the check was lost after PatSnap may have handed over the monitor’s pending changes, so it was not repeated. The next poll reports changes from now on; open the monitor in PatSnap to see what it reported in between.',
		});
	}
	return failure;
}

/** Fetch Test Event never checks the monitor: a check hands over its pending changes, which could not be fetched again. */
function sampleItems(run: MonitorRun, detectedAt: string): INodeExecutionData[][] {
	const { alertId } = run.settings;
	const known = run.state.monitor?.alertId === alertId ? Object.entries(run.state.monitor.patents)[0] : undefined;
	const json = baseItem('legalStatusChanged', 'monitor', { key: null, input: known?.[0] ?? null, patentId: known?.[0] ?? null, pn: null }, detectedAt);
	json.changeId = `monitor:${alertId}:legal:${known?.[0] ?? 'sample'}:sample`;
	json.sample = true;
	json.monitor = { alertId, alertName: null, type: 'legal', count: 1 };
	json.oldValue = known ? legalJson(known[1].legal) : null;
	json.summary = `Sample only: shaped like a legal status change reported by monitor project ${alertId}. Fetch Test Event does not check the monitor, because a check hands over its pending changes and they could not be fetched again.`;
	const meta = {
		mode: 'manual',
		source: 'monitor',
		sample: true,
		note: 'Fetch Test Event: no call was made to PatSnap. Real items come from a monitor check (P057) and, with Fetch Details, the legal status (P013) of each reported patent.',
	};
	return [[{ json: { ...json, _meta: meta } }]];
}

async function fetchDetails(calls: TriggerCalls, patentIds: string[]): Promise<Details> {
	const details: Details = { results: new Map(), errors: new Map() };
	let stop: ApiFailure | undefined;
	for (let start = 0, batch = 1; start < patentIds.length; start += PATSNAP_MAX_BATCH, batch++) {
		const ids = patentIds.slice(start, start + PATSNAP_MAX_BATCH);
		if (stop) {
			for (const id of ids) details.errors.set(id, `Not fetched: PatSnap: ${stop.message}`);
			continue;
		}
		const outcome = await calls.call(LEGAL_STATUS.code, {
			method: LEGAL_STATUS.method,
			path: LEGAL_STATUS.path,
			qs: { patent_id: ids.join(',') },
			billed: true,
			operation: `${LEGAL_STATUS.code} ${LEGAL_STATUS.name} of reported patents, batch ${batch} of ${Math.ceil(patentIds.length / PATSNAP_MAX_BATCH)}`,
		});
		if ('failure' in outcome) {
			for (const id of ids) details.errors.set(id, `PatSnap: ${outcome.failure.message}`);
			if (outcome.failure.stopsRun) stop = outcome.failure;
			continue;
		}
		calls.bill(LEGAL_STATUS.code, Array.isArray(outcome.value) ? outcome.value.length : 0);
		const index = indexResults(outcome.value);
		for (const id of ids) {
			const result = index.get(queryKey('patentId', id.toLowerCase()));
			if (result) details.results.set(id, result);
		}
	}
	return details;
}

const statusWords = (print: LegalPrint) => [...print.s, ...print.l].join(', ') || 'none';

function itemJson(
	update: MonitorUpdate,
	patentId: string,
	context: { alertId: string; detectedAt: string; mark: number; view?: LegalView; result?: IDataObject; previous?: LegalPrint },
): IDataObject {
	const known = MONITOR_CHANGES[update.type] ?? { change: 'monitorUpdate', words: `an update of type "${update.type}"` };
	const { view, result, previous } = context;
	const pn = typeof result?.pn === 'string' ? result.pn : null;
	const json = baseItem(known.change, 'monitor', { key: null, input: patentId, patentId, pn }, context.detectedAt);
	json.changeId = `monitor:${context.alertId}:${update.type}:${patentId}:${view ? fingerprint(JSON.stringify(legalPrint(view))) : 'nodetails'}:${context.mark}`;
	json.monitor = { alertId: context.alertId, alertName: update.alertName, type: update.type, count: update.count };
	json.details = result ? translateChineseStatusValues(result).json : null;
	json.oldValue = previous ? legalJson(previous) : null;
	json.newValue = view ? legalJson(view) : null;
	if (view && previous) {
		const now = [...view.simple, ...view.legal, ...view.events];
		const before = [...previous.s, ...previous.l, ...previous.e];
		json.added = now.filter((value) => !before.includes(value));
		json.removed = before.filter((value) => !now.includes(value));
	}
	const name = update.alertName ? `"${update.alertName}"` : context.alertId;
	const status = view ? ` Legal status now ${statusWords(legalPrint(view))}${previous ? ` (before: ${statusWords(previous)})` : ''}.` : '';
	json.summary = `PatSnap monitor ${name} reports ${known.words} for ${pn ?? patentId}.${status}`;
	return json;
}

/** Keeps the legal status of the patents reported last, so the next report can show old and new. */
function remember(monitor: MonitorState, views: Map<string, LegalView>, mark: number): void {
	for (const [patentId, view] of views) monitor.patents[patentId] = { legal: legalPrint(view), seen: mark };
	const entries = Object.entries(monitor.patents);
	if (entries.length <= MONITOR_MEMORY) return;
	entries.sort((a, b) => a[1].seen - b[1].seen);
	for (const [patentId] of entries.slice(0, entries.length - MONITOR_MEMORY)) delete monitor.patents[patentId];
}

/**
 * Monitor mode. PatSnap's check (P057) hands over the changes collected since the previous check, so
 * once it has answered nothing may stop the reported patents from being emitted: details that
 * cannot be fetched leave the items without them (`_meta.detailsError`), never drop them. The first
 * poll emits what the monitor reports too: discarding it as a baseline would lose it for good.
 */
export async function pollMonitor(context: IPollFunctions, run: MonitorRun): Promise<INodeExecutionData[][] | null> {
	const { settings, state, clock } = run;
	const node = context.getNode();
	const { alertId } = settings;
	if (!ALERT_ID.test(alertId)) {
		throw new NodeOperationError(node, alertId === '' ? 'Enter the Monitor Project ID' : `${quoted(alertId)} is not a monitor project ID`, {
			description: 'Field: Monitor Project ID. Use the alert_id returned by Create Monitor, such as 7f22ee78764149b481314b1fa60dca0c.',
		});
	}
	const detectedAt = new Date(clock.now()).toISOString();
	if (run.manual) return sampleItems(run, detectedAt);

	const calls = new TriggerCalls(await createPatSnapTransport(context, settings.transportOptions, clock));
	const checked = await calls.call(CHECK.code, {
		method: CHECK.method,
		path: CHECK.path,
		qs: { alert_id: alertId },
		billed: CHECK.billed,
		changesState: CHECK.changesState,
		operation: `${CHECK.code} Check monitor ${alertId}`,
	});
	if ('failure' in checked) throw toNodeError(node, explainCheckFailure(checked.failure, alertId));

	// From here on the report exists only in this poll: nothing below may throw it away.
	const mark = nextMark(state, clock.now());
	const monitor: MonitorState = state.monitor?.alertId === alertId ? state.monitor : { alertId, patents: {} };
	state.monitor = monitor;
	state.lastMark = Math.max(state.lastMark, mark);
	const updates = readUpdates(checked.value);
	const patentIds = [...new Set(updates.flatMap((update) => update.patentIds))];
	let details: Details = { results: new Map(), errors: new Map() };
	if (settings.fetchDetails && patentIds.length > 0) {
		const fetched = await settle(fetchDetails(calls, patentIds));
		if ('value' in fetched) details = fetched.value;
		else for (const id of patentIds) details.errors.set(id, `Details not fetched: ${(fetched.error as Error).message}`);
	}

	const views = new Map<string, LegalView>();
	for (const [patentId, result] of details.results) views.set(patentId, readLegalStatus(result));
	const items: INodeExecutionData[] = [];
	const meta: IDataObject = {
		mode: 'trigger',
		source: 'monitor',
		monitor: { alertId, updateTypes: updates.map((update) => update.type), patents: patentIds.length },
		...calls.report(),
	};
	for (const update of updates) {
		for (const patentId of update.patentIds) {
			const json = itemJson(update, patentId, {
				alertId,
				detectedAt,
				mark,
				view: views.get(patentId),
				result: details.results.get(patentId),
				previous: monitor.patents[patentId]?.legal,
			});
			const detailsError = details.errors.get(patentId);
			const itemMeta = JSON.parse(JSON.stringify({ ...meta, ...(detailsError ? { detailsError } : {}) })) as IDataObject;
			items.push({ json: { ...json, _meta: itemMeta } });
		}
	}
	remember(monitor, views, mark);
	writeState(run.staticData, state);
	return items.length > 0 ? [items] : null;
}
