import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { findJpoEndpoint, type JpoEndpoint } from '../Jpo/catalog';
import { APPLICATION_NUMBER_FORMS } from '../Jpo/numbers';
import { JpoTransport, nextJstMidnight, type JpoAnswer } from '../Jpo/transport';
import { systemClock, type Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { credentialReloader, loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../shared/http';
import { toNodeError } from '../shared/nodeErrors';
import { numberOption, pollsPerDay, unlessAlreadyPolling, usableTimeMs } from '../shared/polling';
import { settle } from '../shared/retry';
import { QuotaBudget, sweepEstimate } from './budget';
import {
	changeItemJson,
	currentStateJson,
	detectChanges,
	invalidEntryJson,
	notFoundJson,
	readProgress,
	readRightHolders,
	rightIsAlive,
	snapshotOf,
	type ItemContext,
	type ProgressView,
} from './changes';
import { DEADLINE_DOCUMENT_CODES, type Residence } from './deadlines';
import { jstDay, readState, writeState, type AppSnapshot, type TriggerState } from './state';
import { LAWS, parseWatchList, type JpoLaw, type WatchEntry, type WatchList } from './watchList';

export interface TriggerSettings {
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

/**
 * The APIs the trigger calls per law. Progress is read from app_progress_simple (1-2, 2-2, 3-2):
 * it carries every field the trigger compares, has the same daily limit as app_progress, answers
 * smaller, and keeps the trigger off the counter that interactive Get Progress calls draw on.
 */
const ENDPOINTS: Readonly<Record<JpoLaw, { progress: JpoEndpoint; registration: JpoEndpoint; jplatpat: JpoEndpoint }>> = {
	patent: endpointsOf('patent'),
	design: endpointsOf('design'),
	trademark: endpointsOf('trademark'),
};

function endpointsOf(law: JpoLaw) {
	return {
		progress: findJpoEndpoint(law, 'getSimpleProgress')!,
		registration: findJpoEndpoint(law, 'getRegistrationInfo')!,
		jplatpat: findJpoEndpoint(law, 'getJplatpatUrl')!,
	};
}

export function readSettings(context: IPollFunctions): TriggerSettings {
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
		requestsPerMinute: Math.max(1, numberOption(options.requestsPerMinute, 10)),
		pollsPerDay: pollsPerDay(context.getNodeParameter('pollTimes', {})),
	};
}

type CallOutcome = { answer: JpoAnswer } | { failure: ApiFailure };

interface PollStats extends IDataObject {
	checked: number;
	baselined: number;
	changes: number;
	waitingForBudget: number;
	rightHoldersNotChecked: number;
	failedApplications: IDataObject[];
	timeBudgetReached: boolean;
	stoppedEarly: IDataObject | null;
}

interface Checked {
	entry: WatchEntry;
	view: ProgressView;
	items: IDataObject[];
	/** Whether a real change (not a first-poll state item) was found, which earns a J-PlatPat link. */
	changed: boolean;
}

class WatchRun {
	private readonly stats: PollStats = {
		checked: 0,
		baselined: 0,
		changes: 0,
		waitingForBudget: 0,
		rightHoldersNotChecked: 0,
		failedApplications: [],
		timeBudgetReached: false,
		stoppedEarly: null,
	};

	constructor(
		private readonly context: IPollFunctions,
		private readonly settings: TriggerSettings,
		private readonly list: WatchList,
		private readonly state: TriggerState,
		private readonly clock: Clock,
		private readonly transport: JpoTransport,
		private readonly budget: QuotaBudget,
	) {}

	private itemContext(entry: WatchEntry, view: ProgressView, now: number): ItemContext {
		return { entry, view, residence: this.settings.residence, today: jstDay(now), detectedAt: new Date(now).toISOString() };
	}

	private async call(endpoint: JpoEndpoint, applicationNumber: string): Promise<CallOutcome> {
		const outcome = await settle(this.transport.call(endpoint, { applicationNumber }));
		if ('value' in outcome) {
			const answer = outcome.value;
			this.budget.record(endpoint, 'remainAccessCount' in answer ? answer.remainAccessCount : undefined);
			this.budget.idWide = await this.transport.dailyUsage();
			return { answer };
		}
		const failure =
			outcome.error instanceof ApiFailure
				? outcome.error
				: new ApiFailure(`JPO request failed: ${(outcome.error as Error).message}`, { api: 'JPO', kind: 'unexpected' });
		if (failure.kind === 'quota') {
			this.budget.block(endpoint, failure.details.resetsAt?.getTime() ?? nextJstMidnight(this.clock.now()).getTime());
		}
		return { failure };
	}

	/** The right holders from the registration record, or undefined when they were not read this time. */
	private async rightHolders(entry: WatchEntry, view: ProgressView): Promise<string[] | undefined> {
		const alive = rightIsAlive({ erasure: view.erasureIdentifier, gone: view.disappearanceDate });
		if (!this.settings.watchRightHolders || !view.registrationNumber || !alive) return undefined;
		const endpoint = ENDPOINTS[entry.law].registration;
		if (!this.budget.available(endpoint).ok) {
			this.stats.rightHoldersNotChecked += 1;
			return undefined;
		}
		const outcome = await this.call(endpoint, entry.applicationNumber);
		if ('failure' in outcome) {
			// Without the holders the progress check still stands; the holders are compared next time.
			if (outcome.failure.kind === 'quota' || outcome.failure.kind === 'input') {
				this.stats.rightHoldersNotChecked += 1;
				return undefined;
			}
			throw toNodeError(this.context.getNode(), this.withProgress(outcome.failure));
		}
		return outcome.answer.type === 'json' ? readRightHolders(outcome.answer.data) : undefined;
	}

	private async jplatpatUrl(entry: WatchEntry): Promise<IDataObject> {
		const endpoint = ENDPOINTS[entry.law].jplatpat;
		const availability = this.budget.available(endpoint);
		if (!availability.ok) return { jplatpatUrl: null, jplatpatUrlNote: `Not fetched: ${availability.message}.` };
		const outcome = await this.call(endpoint, entry.applicationNumber);
		if ('failure' in outcome) return { jplatpatUrl: null, jplatpatUrlNote: `Not fetched: ${outcome.failure.message}` };
		const url = outcome.answer.type === 'json' && typeof outcome.answer.data.URL === 'string' ? outcome.answer.data.URL : null;
		return url ? { jplatpatUrl: url } : { jplatpatUrl: null, jplatpatUrlNote: 'JPO has no J-PlatPat address for this application.' };
	}

	private withProgress(failure: ApiFailure): ApiFailure {
		const done =
			this.stats.checked > 0
				? `${this.stats.checked} application(s) had been checked in this poll; nothing was recorded, so the next poll checks them again and no change is lost.`
				: 'Nothing was recorded; the next poll starts from the same place.';
		return failure.withDetails({ description: [failure.details.description, done].filter(Boolean).join(' ') });
	}

	private meta(mode: 'trigger' | 'manual', extra: IDataObject = {}): IDataObject {
		const counts = Object.fromEntries(LAWS.map((law) => [law, this.list.entries.filter((entry) => entry.law === law).length])) as Record<JpoLaw, number>;
		const dailyAllowance = Object.fromEntries(LAWS.map((law) => [law, this.budget.allowance(ENDPOINTS[law].progress)])) as Record<JpoLaw, number>;
		const sweep = sweepEstimate({ counts, perPoll: this.settings.maxPerPoll, dailyAllowance, pollsPerDay: this.settings.pollsPerDay });
		const marks = this.list.entries.map((entry) => this.state.apps[entry.key]).filter((app): app is AppSnapshot => app?.docs !== undefined || app?.notFound === true);
		sweep.notYetChecked = this.list.entries.length - marks.length;
		sweep.oldestCheckAt = marks.length > 0 ? new Date(Math.min(...marks.map((app) => app.checked))).toISOString() : null;
		const quota: IDataObject = {};
		for (const law of LAWS.filter((candidate) => counts[candidate] > 0)) {
			const endpoints = ENDPOINTS[law];
			quota[`JPO ${endpoints.progress.number}`] = this.budget.report(endpoints.progress);
			if (this.settings.watchRightHolders) quota[`JPO ${endpoints.registration.number}`] = this.budget.report(endpoints.registration);
			if (this.settings.includeJplatpatUrl) quota[`JPO ${endpoints.jplatpat.number}`] = this.budget.report(endpoints.jplatpat);
		}
		return {
			mode,
			...extra,
			...(mode === 'trigger' ? { poll: { ...this.stats } } : {}),
			sweep,
			quota,
			watchList: { applications: this.list.entries.length, invalidEntries: this.list.invalid.length, duplicates: this.list.duplicates },
		};
	}

	private toItems(jsons: IDataObject[], meta: IDataObject): INodeExecutionData[] {
		return jsons.map((json) => ({ json: { ...json, _meta: JSON.parse(JSON.stringify(meta)) as IDataObject } }));
	}

	/** Fetch Test Event: one real-looking item for the first application; the state is only read. */
	async sample(): Promise<INodeExecutionData[][]> {
		const node = this.context.getNode();
		const now = this.clock.now();
		const jsons: IDataObject[] = [];
		const entry = this.list.entries[0];
		if (!entry && this.list.invalid.length === 0) {
			throw new NodeOperationError(node, 'The watch list is empty', { description: `Add application numbers, one per line or comma-separated. Accepted forms: ${APPLICATION_NUMBER_FORMS}.` });
		}
		if (entry) {
			const endpoint = ENDPOINTS[entry.law].progress;
			const availability = this.budget.available(endpoint);
			if (!availability.ok) {
				throw new NodeOperationError(node, `No sample fetched: ${availability.message}`, {
					description: 'The trigger keeps to its daily quota share in test runs too. Raise Daily Quota Share or wait for the reset at 00:00 JST.',
				});
			}
			const outcome = await this.call(endpoint, entry.applicationNumber);
			if ('failure' in outcome) throw toNodeError(node, outcome.failure);
			let json: IDataObject;
			if (outcome.answer.type !== 'json') {
				json = notFoundJson(entry, new Date(now).toISOString(), 'JPO status 107, no data');
			} else {
				const view = readProgress(outcome.answer.data);
				const context = this.itemContext(entry, view, now);
				// The latest office action rather than the latest document, so a test run walks the branch
				// that handles deadlines (a later amendment would otherwise be the sample every time).
				const latestActionable = [...view.documents].reverse().find((document) => DEADLINE_DOCUMENT_CODES.includes(document.documentCode));
				const latest = latestActionable ?? view.documents[view.documents.length - 1];
				json = latest ? changeItemJson({ kind: 'newDocument', document: latest }, context) : currentStateJson(context, undefined);
				if (this.settings.includeJplatpatUrl) Object.assign(json, await this.jplatpatUrl(entry));
			}
			json.sample = true;
			jsons.push(json);
		}
		for (const invalid of this.list.invalid) jsons.push(invalidEntryJson(invalid.typed, invalid.line, invalid.reason, new Date(now).toISOString()));
		const meta = this.meta('manual', {
			sample: true,
			note: 'Fetch Test Event: a sample built from the most recent office action (refusal notice or decision) of the first application, or its most recent document if it has none, shaped like a real change. The trigger state was not changed and this call is not counted in its daily budget.',
		});
		return [this.toItems(jsons, meta)];
	}

	async poll(staticData: IDataObject): Promise<INodeExecutionData[][] | null> {
		const { settings, list, state, clock } = this;
		const startedAt = clock.now();
		const stopAt = startedAt + usableTimeMs(this.context);
		const mark = Math.max(startedAt, state.lastMark + 1);
		const detectedAt = new Date(startedAt).toISOString();

		const reported = new Set(state.reportedInvalid);
		const invalidJsons = list.invalid
			.filter((invalid) => !reported.has(invalid.typed))
			.map((invalid) => invalidEntryJson(invalid.typed, invalid.line, invalid.reason, detectedAt));
		state.reportedInvalid = list.invalid.map((invalid) => invalid.typed);

		const order = list.entries
			.map((entry, index) => ({ entry, index, mark: state.apps[entry.key]?.checked ?? 0 }))
			.sort((a, b) => a.mark - b.mark || a.index - b.index);
		const checked: Checked[] = [];
		const notFound: IDataObject[] = [];
		let quotaStop: ApiFailure | undefined;

		for (const { entry } of order) {
			if (this.stats.checked + this.stats.failedApplications.length >= settings.maxPerPoll) break;
			if (this.stats.checked > 0 && clock.now() >= stopAt) {
				this.stats.timeBudgetReached = true;
				break;
			}
			const endpoint = ENDPOINTS[entry.law].progress;
			if (!this.budget.available(endpoint).ok) {
				this.stats.waitingForBudget += 1;
				continue;
			}
			const previous = state.apps[entry.key];
			const outcome = await this.call(endpoint, entry.applicationNumber);
			if ('failure' in outcome) {
				if (outcome.failure.kind === 'quota') {
					quotaStop = outcome.failure;
					break;
				}
				if (outcome.failure.kind === 'input') {
					// JPO refused this one number (e.g. 204): report it and move on rather than block the list.
					this.stats.failedApplications.push({ applicationNumber: entry.applicationNumber, typed: entry.typed, error: outcome.failure.message });
					state.apps[entry.key] = { ...previous, checked: mark };
					continue;
				}
				throw toNodeError(this.context.getNode(), this.withProgress(outcome.failure));
			}
			this.stats.checked += 1;
			const { answer } = outcome;
			if (answer.type !== 'json') {
				if (!previous?.notFound) notFound.push(notFoundJson(entry, detectedAt, `JPO status ${answer.type === 'file' ? '?' : answer.status.code}, no data`));
				state.apps[entry.key] = { checked: mark, notFound: true };
				continue;
			}
			const view = readProgress(answer.data);
			const holders = await this.rightHolders(entry, view);
			const context = this.itemContext(entry, view, startedAt);
			const known = previous !== undefined && previous.docs !== undefined;
			const changes = known ? detectChanges(previous, view, holders, state.parties) : [];
			state.apps[entry.key] = snapshotOf(view, mark, state.parties, holders, previous?.holders);
			if (!known) {
				this.stats.baselined += 1;
				if (settings.emitCurrentState) checked.push({ entry, view, items: [currentStateJson(context, holders)], changed: false });
				continue;
			}
			if (changes.length > 0) {
				this.stats.changes += changes.length;
				checked.push({ entry, view, items: changes.map((change) => changeItemJson(change, context)), changed: true });
			}
		}

		if (settings.includeJplatpatUrl) {
			for (const found of checked.filter((candidate) => candidate.changed)) {
				const link = await this.jplatpatUrl(found.entry);
				for (const item of found.items) Object.assign(item, link);
			}
		}

		const jsons = [...checked.flatMap((found) => found.items), ...notFound, ...invalidJsons];
		if (quotaStop) {
			this.stats.stoppedEarly = {
				reason: 'dailyLimit',
				message: quotaStop.message,
				resetsAt: quotaStop.details.resetsAt?.toISOString() ?? null,
			};
		}
		this.commit(staticData, mark);
		if (quotaStop && jsons.length === 0) {
			const description = [
				quotaStop.details.description,
				`${this.stats.checked} application(s) were checked before the limit and recorded; the next poll after the reset continues with the rest.`,
				"JPO's count for this ID ran out before the trigger's share did: other workflows may use the same ID, or the daily limit is lower than configured.",
			]
				.filter(Boolean)
				.join(' ');
			throw toNodeError(this.context.getNode(), quotaStop.withDetails({ description }));
		}
		if (jsons.length === 0) return null;
		return [this.toItems(jsons, this.meta('trigger'))];
	}

	/** Records the poll: snapshots of what was checked, the budget, and no entries for applications no longer listed. */
	private commit(staticData: IDataObject, mark: number): void {
		const listed = new Set(this.list.entries.map((entry) => entry.key));
		for (const key of Object.keys(this.state.apps)) {
			if (!listed.has(key)) delete this.state.apps[key];
		}
		const referenced = new Set(
			Object.values(this.state.apps).flatMap((app) => `${app.applicants ?? ''}${app.holders ?? ''}`.match(/.{6}/g) ?? []),
		);
		for (const print of Object.keys(this.state.parties)) {
			if (!referenced.has(print)) delete this.state.parties[print];
		}
		this.state.lastMark = Math.max(this.state.lastMark, mark);
		writeState(staticData, this.state);
	}
}

export interface PollSeams {
	/** Time, sleeping and randomness for the transport's throttle and retries, and for the budget day. */
	clock?: Clock;
}

/**
 * One poll of the watch list. A failed poll throws before anything is written, so the next poll
 * repeats it; only a daily-limit stop records what was learned before it. Manual runs never write.
 */
export async function pollJpoWatchList(context: IPollFunctions, seams: PollSeams = {}): Promise<INodeExecutionData[][] | null> {
	const clock = seams.clock ?? systemClock;
	const settings = readSettings(context);
	const list = parseWatchList(settings.watchList, settings.defaultLaw);
	const manual = context.getMode() === 'manual';
	if (!manual && list.invalid.length > 0 && settings.onInvalid === 'fail') {
		const lines = list.invalid.map((invalid) => `line ${invalid.line}: ${invalid.reason}`).join(' ');
		throw new NodeOperationError(context.getNode(), `The watch list has ${list.invalid.length} entr${list.invalid.length === 1 ? 'y' : 'ies'} that cannot be watched`, {
			description: `${lines} Accepted forms: ${APPLICATION_NUMBER_FORMS}, optionally preceded by patent:, design: or trademark:. Fix the entries, or set On Invalid Entry to emit them as items and watch the rest.`,
		});
	}
	if (!manual && list.entries.length === 0 && list.invalid.length === 0) return null;
	if (manual) return await (await startRun(context, settings, list, clock)).run.sample();

	return await unlessAlreadyPolling(context, async () => {
		const { run, staticData } = await startRun(context, settings, list, clock);
		return await run.poll(staticData);
	});
}

async function startRun(
	context: IPollFunctions,
	settings: TriggerSettings,
	list: WatchList,
	clock: Clock,
): Promise<{ run: WatchRun; staticData: IDataObject }> {
	const staticData = context.getWorkflowStaticData('node');
	const state = readState(staticData, clock.now());
	const budget = new QuotaBudget(
		state.budget,
		{
			share: settings.share,
			reserve: settings.reserve,
			dailyLimit: (endpoint) => {
				const override =
					endpoint.operation === 'getSimpleProgress'
						? settings.limits.progress
						: endpoint.operation === 'getRegistrationInfo'
							? settings.limits.registration
							: settings.limits.jplatpat;
				return override > 0 ? override : endpoint.dailyLimit;
			},
		},
		() => clock.now(),
	);
	const transport = new JpoTransport(n8nSender(context), n8nPlainFetcher(context), await loadCredentialHandle(context, 'jpoApi'), {
		clock,
		rates: { domesticPerMinute: settings.requestsPerMinute },
		reloadCredentials: credentialReloader(context, 'jpoApi'),
		// A trigger has no run hints: coordination problems go to n8n's log.
		onWarning: (message) => context.logger.warn(`JPO Trigger: ${message}`),
	});
	// In queue mode the ID's whole use today counts, whichever process spent it.
	budget.idWide = await transport.dailyUsage();
	return { run: new WatchRun(context, settings, list, state, clock, transport, budget), staticData };
}
