import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { jstDay } from '../Jpo/dates';
import type { JpoEndpoint } from '../Jpo/catalog';
import { APPLICATION_NUMBER_FORMS } from '../Jpo/numbers';
import type { JpoAnswer } from '../Jpo/answers';
import type { JpoTransport } from '../Jpo/transport';
import { callAsValue, type CallResult } from '../shared/callResult';
import type { Clock } from '../shared/clock';
import type { ApiFailure } from '../shared/failure';
import { toNodeError } from '../shared/nodeErrors';
import { JAPAN_TIME, nextMidnight } from '../shared/serviceDay';
import { WatchListRun, type InvalidWatchEntry, type PollHarvest } from '../shared/trigger/watchRun';
import { sweepEstimate, type QuotaBudget } from './budget';
import { DEADLINE_DOCUMENT_CODES } from './deadlines';
import { detectChanges, rightIsAlive, snapshotOf } from './diff';
import { changeItemJson, currentStateJson, invalidEntryJson, notFoundJson, type ItemContext } from './items';
import { readProgress, readRightHolders, type ProgressView } from './progress';
import { TRIGGER_ENDPOINTS, type JpoTriggerSettings } from './settings';
import type { AppSnapshot, JpoTriggerState } from './state';
import { LAWS, type JpoLaw, type WatchEntry, type WatchList } from './watchList';

export interface JpoPollStats extends IDataObject {
	checked: number;
	baselined: number;
	changes: number;
	waitingForBudget: number;
	rightHoldersNotChecked: number;
	failedApplications: IDataObject[];
	timeBudgetReached: boolean;
	stoppedEarly: IDataObject | null;
}

/**
 * A JPO Trigger poll: per application one progress call within the daily budget, the right
 * holders of live registrations, and J-PlatPat links for what changed. The skeleton does the rest.
 */
export class JpoWatchRun extends WatchListRun<WatchEntry, JpoTriggerState, JpoPollStats> {
	protected readonly entryNoun = 'applications';

	protected readonly emptyListAdvice = `Add application numbers, one per line or comma-separated. Accepted forms: ${APPLICATION_NUMBER_FORMS}.`;

	protected readonly sampleNote =
		'Fetch Test Event: a sample built from the most recent office action (refusal notice or decision) of the first application, or its most recent document if it has none, shaped like a real change. The trigger state was not changed and this call is not counted in its daily budget.';

	constructor(
		context: IPollFunctions,
		private readonly settings: JpoTriggerSettings,
		list: WatchList,
		state: JpoTriggerState,
		clock: Clock,
		private readonly transport: JpoTransport,
		private readonly budget: QuotaBudget,
	) {
		super(context, list, state, clock, {
			checked: 0,
			baselined: 0,
			changes: 0,
			waitingForBudget: 0,
			rightHoldersNotChecked: 0,
			failedApplications: [],
			timeBudgetReached: false,
			stoppedEarly: null,
		});
	}

	protected snapshots(): Record<string, AppSnapshot> {
		return this.state.apps;
	}

	protected invalidItem(invalid: InvalidWatchEntry): IDataObject {
		return invalidEntryJson(invalid.typed, invalid.line, invalid.reason, this.detectedAt);
	}

	private itemContext(entry: WatchEntry, view: ProgressView): ItemContext {
		return { entry, view, residence: this.settings.residence, today: jstDay(this.startedAt), detectedAt: this.detectedAt };
	}

	/** One JPO call, counted in the budget; a daily-limit answer blocks the API until its reset. */
	private async call(endpoint: JpoEndpoint, applicationNumber: string): Promise<CallResult<JpoAnswer>> {
		const outcome = await callAsValue(this.transport.call(endpoint, { applicationNumber }), 'JPO');
		if ('value' in outcome) {
			const answer = outcome.value;
			this.budget.record(endpoint, 'remainAccessCount' in answer ? answer.remainAccessCount : undefined);
			this.budget.idWide = await this.transport.dailyUsage();
			return outcome;
		}
		const { failure } = outcome;
		if (failure.kind === 'quota') {
			this.budget.block(endpoint, failure.details.resetsAt?.getTime() ?? nextMidnight(JAPAN_TIME.offsetMs, this.clock.now()).getTime());
		}
		return outcome;
	}

	/** The right holders from the registration record, or undefined when they were not read this time. */
	private async rightHolders(entry: WatchEntry, view: ProgressView): Promise<string[] | undefined> {
		const alive = rightIsAlive({ erasure: view.erasureIdentifier, gone: view.disappearanceDate });
		if (!this.settings.watchRightHolders || !view.registrationNumber || !alive) return undefined;
		const endpoint = TRIGGER_ENDPOINTS[entry.law].registration;
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
		return outcome.value.type === 'json' ? readRightHolders(outcome.value.data) : undefined;
	}

	private async jplatpatUrl(entry: WatchEntry): Promise<IDataObject> {
		const endpoint = TRIGGER_ENDPOINTS[entry.law].jplatpat;
		const availability = this.budget.available(endpoint);
		if (!availability.ok) return { jplatpatUrl: null, jplatpatUrlNote: `Not fetched: ${availability.message}.` };
		const outcome = await this.call(endpoint, entry.applicationNumber);
		if ('failure' in outcome) return { jplatpatUrl: null, jplatpatUrlNote: `Not fetched: ${outcome.failure.message}` };
		const url = outcome.value.type === 'json' && typeof outcome.value.data.URL === 'string' ? outcome.value.data.URL : null;
		return url ? { jplatpatUrl: url } : { jplatpatUrl: null, jplatpatUrlNote: 'JPO has no J-PlatPat address for this application.' };
	}

	private withProgress(failure: ApiFailure): ApiFailure {
		const done =
			this.stats.checked > 0
				? `${this.stats.checked} application(s) had been checked in this poll; nothing was recorded, so the next poll checks them again and no change is lost.`
				: 'Nothing was recorded; the next poll starts from the same place.';
		return failure.withDetails({ description: [failure.details.description, done].filter(Boolean).join(' ') });
	}

	protected metaTail(): IDataObject {
		const counts = Object.fromEntries(LAWS.map((law) => [law, this.list.entries.filter((entry) => entry.law === law).length])) as Record<JpoLaw, number>;
		const dailyAllowance = Object.fromEntries(LAWS.map((law) => [law, this.budget.allowance(TRIGGER_ENDPOINTS[law].progress)])) as Record<JpoLaw, number>;
		const sweep = sweepEstimate({ counts, perPoll: this.settings.maxPerPoll, dailyAllowance, pollsPerDay: this.settings.pollsPerDay });
		const marks = this.list.entries.map((entry) => this.state.apps[entry.key]).filter((app): app is AppSnapshot => app?.docs !== undefined || app?.notFound === true);
		sweep.notYetChecked = this.list.entries.length - marks.length;
		sweep.oldestCheckAt = marks.length > 0 ? new Date(Math.min(...marks.map((app) => app.checked))).toISOString() : null;
		const quota: IDataObject = {};
		for (const law of LAWS.filter((candidate) => counts[candidate] > 0)) {
			const endpoints = TRIGGER_ENDPOINTS[law];
			quota[`JPO ${endpoints.progress.number}`] = this.budget.report(endpoints.progress);
			if (this.settings.watchRightHolders) quota[`JPO ${endpoints.registration.number}`] = this.budget.report(endpoints.registration);
			if (this.settings.includeJplatpatUrl) quota[`JPO ${endpoints.jplatpat.number}`] = this.budget.report(endpoints.jplatpat);
		}
		return { sweep, quota };
	}

	/** The latest office action rather than the latest document, so a test run walks the branch that handles deadlines. */
	protected async sampleItem(entry: WatchEntry): Promise<IDataObject> {
		const node = this.context.getNode();
		const endpoint = TRIGGER_ENDPOINTS[entry.law].progress;
		const availability = this.budget.available(endpoint);
		if (!availability.ok) {
			throw new NodeOperationError(node, `No sample fetched: ${availability.message}`, {
				description: 'The trigger keeps to its daily quota share in test runs too. Raise Daily Quota Share or wait for the reset at 00:00 JST.',
			});
		}
		const outcome = await this.call(endpoint, entry.applicationNumber);
		if ('failure' in outcome) throw toNodeError(node, outcome.failure);
		if (outcome.value.type !== 'json') return notFoundJson(entry, this.detectedAt, 'JPO status 107, no data');
		const view = readProgress(outcome.value.data);
		const context = this.itemContext(entry, view);
		const latestActionable = [...view.documents].reverse().find((document) => DEADLINE_DOCUMENT_CODES.includes(document.documentCode));
		const latest = latestActionable ?? view.documents[view.documents.length - 1];
		const json = latest ? changeItemJson({ kind: 'newDocument', document: latest }, context) : currentStateJson(context, undefined);
		if (this.settings.includeJplatpatUrl) Object.assign(json, await this.jplatpatUrl(entry));
		return json;
	}

	/**
	 * Up to Max Applications per Poll, within the time and each law's budget. A refused number is
	 * reported and passed over; a daily-limit answer stops the poll and records what was read.
	 */
	protected async check(ordered: WatchEntry[]): Promise<PollHarvest> {
		const { settings, state, stats, mark } = this;
		const found: Array<{ entry: WatchEntry; items: IDataObject[]; changed: boolean }> = [];
		const notFound: IDataObject[] = [];
		let quotaStop: ApiFailure | undefined;
		for (const entry of ordered) {
			if (stats.checked + stats.failedApplications.length >= settings.maxPerPoll) break;
			if (stats.checked > 0 && this.clock.now() >= this.stopAt) {
				stats.timeBudgetReached = true;
				break;
			}
			const endpoint = TRIGGER_ENDPOINTS[entry.law].progress;
			if (!this.budget.available(endpoint).ok) {
				stats.waitingForBudget += 1;
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
					stats.failedApplications.push({ applicationNumber: entry.applicationNumber, typed: entry.typed, error: outcome.failure.message });
					state.apps[entry.key] = { ...previous, checked: mark };
					continue;
				}
				throw toNodeError(this.context.getNode(), this.withProgress(outcome.failure));
			}
			stats.checked += 1;
			const answer = outcome.value;
			if (answer.type !== 'json') {
				if (!previous?.notFound) notFound.push(notFoundJson(entry, this.detectedAt, `JPO status ${answer.type === 'file' ? '?' : answer.status.code}, no data`));
				state.apps[entry.key] = { checked: mark, notFound: true };
				continue;
			}
			const view = readProgress(answer.data);
			const holders = await this.rightHolders(entry, view);
			const context = this.itemContext(entry, view);
			const known = previous !== undefined && previous.docs !== undefined;
			const changes = known ? detectChanges(previous, view, holders, state.parties) : [];
			state.apps[entry.key] = snapshotOf(view, mark, state.parties, holders, previous?.holders);
			if (!known) {
				stats.baselined += 1;
				if (settings.emitCurrentState) found.push({ entry, items: [currentStateJson(context, holders)], changed: false });
				continue;
			}
			if (changes.length > 0) {
				stats.changes += changes.length;
				found.push({ entry, items: changes.map((change) => changeItemJson(change, context)), changed: true });
			}
		}
		// Only a real change (not a first-poll state item) earns a J-PlatPat link.
		if (settings.includeJplatpatUrl) {
			for (const change of found.filter((candidate) => candidate.changed)) {
				const link = await this.jplatpatUrl(change.entry);
				for (const item of change.items) Object.assign(item, link);
			}
		}
		const items = [...found.flatMap((change) => change.items), ...notFound];
		if (!quotaStop) return { items };
		stats.stoppedEarly = { reason: 'dailyLimit', message: quotaStop.message, resetsAt: quotaStop.details.resetsAt?.toISOString() ?? null };
		const description = [
			quotaStop.details.description,
			`${stats.checked} application(s) were checked before the limit and recorded; the next poll after the reset continues with the rest.`,
			"JPO's count for this ID ran out before the trigger's share did: other workflows may use the same ID, or the daily limit is lower than configured.",
		]
			.filter(Boolean)
			.join(' ');
		return { items, failure: toNodeError(this.context.getNode(), quotaStop.withDetails({ description })), recordBeforeFailing: true };
	}

	/** Party names no snapshot refers to any more are dropped with the applications that named them. */
	protected beforeRecord(): void {
		const referenced = new Set(
			Object.values(this.state.apps).flatMap((app) => `${app.applicants ?? ''}${app.holders ?? ''}`.match(/.{6}/g) ?? []),
		);
		for (const print of Object.keys(this.state.parties)) {
			if (!referenced.has(print)) delete this.state.parties[print];
		}
	}
}
