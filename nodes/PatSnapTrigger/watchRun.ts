import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { indexResults } from '../PatSnap/batching';
import { PATSNAP_MAX_BATCH } from '../PatSnap/catalog';
import type { Clock } from '../shared/clock';
import type { ApiFailure } from '../shared/failure';
import { toNodeError } from '../shared/nodeErrors';
import { WatchListRun, type InvalidWatchEntry, type PollHarvest } from '../shared/trigger/watchRun';
import { recordAspect } from './aspectChanges';
import { COMPLETE_ANSWER, fetchBatch, identityFor, readingOf, readPatentDocuments, type BatchAspect } from './aspects';
import type { TriggerCalls } from './calls';
import { currentStateJson, invalidEntryJson, notFoundJson } from './items';
import { identityOf, readDocuments, type Aspect, type AspectReading, type PatentIdentity } from './readings';
import { sampleOf } from './sample';
import type { PatSnapTriggerSettings } from './settings';
import { sweepOf } from './sweep';
import type { PatentSnapshot, PatSnapTriggerState } from './state';
import { batchesOf, type PatentList, type WatchedPatent } from './watchList';

/** Lists in `_meta` are cut to this many entries: every item carries a copy. */
const META_LIST_LIMIT = 10;

interface FailureRecord {
	aspect: Aspect;
	patents: string[];
	failure: ApiFailure;
}

export interface PatSnapPollStats extends IDataObject {
	patentsRead: number;
	baselined: number;
	changes: number;
	notCompleted: number;
	/** Patents P048 does not cover (Chinese ones), which were not asked for documents. */
	examinationDocumentsUnavailable: { count: number; patents: string[] };
	timeBudgetReached: boolean;
	stoppedEarly: IDataObject | null;
	/** Patent reads that failed, per aspect; `failures` describes the first few. */
	failedReads: number;
	failures: IDataObject[];
}

/**
 * A PatSnap Trigger poll of a watch list: the batch endpoints of the watched aspects, 100 patents
 * a call, then the examination documents one patent at a time. The skeleton does the rest.
 */
export class PatSnapWatchRun extends WatchListRun<WatchedPatent, PatSnapTriggerState, PatSnapPollStats> {
	protected readonly entryNoun = 'patents';

	protected readonly emptyListAdvice = 'Add publication numbers (US11205304B2) or PatSnap patent IDs, one per line or comma-separated.';

	protected readonly sampleNote =
		'Fetch Test Event: a sample built from one PatSnap call for the first patent and the first watched aspect, shaped like a real change. At most one result was billed. The trigger state was not changed.';

	private readonly items: IDataObject[] = [];

	private readonly failures: FailureRecord[] = [];

	/** Patents whose documents were read in this poll: the time budget only stops a poll that got somewhere. */
	private documentsRead = 0;

	constructor(
		context: IPollFunctions,
		private readonly settings: PatSnapTriggerSettings,
		list: PatentList,
		state: PatSnapTriggerState,
		clock: Clock,
		private readonly calls: TriggerCalls,
	) {
		super(context, { entries: list.patents, invalid: list.invalid, duplicates: list.duplicates }, state, clock, {
			patentsRead: 0,
			baselined: 0,
			changes: 0,
			notCompleted: 0,
			examinationDocumentsUnavailable: { count: 0, patents: [] },
			timeBudgetReached: false,
			stoppedEarly: null,
			failedReads: 0,
			failures: [],
		});
	}

	private get batchAspects(): BatchAspect[] {
		return this.settings.watch.filter((aspect): aspect is BatchAspect => aspect !== 'examinationDocuments');
	}

	protected snapshots(): Record<string, PatentSnapshot> {
		return this.state.patents;
	}

	private snapshot(patent: WatchedPatent): PatentSnapshot {
		this.state.patents[patent.key] ??= { checked: 0 };
		return this.state.patents[patent.key];
	}

	protected invalidItem(invalid: InvalidWatchEntry): IDataObject {
		return invalidEntryJson(invalid.typed, invalid.line, invalid.reason, this.detectedAt);
	}

	private apply(snapshot: PatentSnapshot, identity: PatentIdentity, reading: AspectReading): void {
		const changes = recordAspect(snapshot, identity, reading, this.detectedAt);
		if (changes === null) {
			this.stats.baselined += 1;
			if (this.settings.emitCurrentState) this.items.push(currentStateJson(identity, reading, this.detectedAt));
			return;
		}
		this.stats.changes += changes.length;
		this.items.push(...changes);
	}

	private reportMissing(snapshot: PatentSnapshot, identity: PatentIdentity): void {
		if (!snapshot.missing) this.items.push(notFoundJson(identity, this.detectedAt));
		snapshot.missing = true;
	}

	private noteUnavailable(snapshot: PatentSnapshot, patent: WatchedPatent): void {
		snapshot.docsUnavailable = true;
		const unavailable = this.stats.examinationDocumentsUnavailable;
		unavailable.count += 1;
		if (unavailable.patents.length < META_LIST_LIMIT) unavailable.patents.push(patent.input);
	}

	private recordFailure(aspect: Aspect, patents: WatchedPatent[], failure: ApiFailure): void {
		this.failures.push({ aspect, patents: patents.map((patent) => patent.input), failure });
		this.stats.failedReads += patents.length;
		if (this.stats.failures.length >= META_LIST_LIMIT) return;
		this.stats.failures.push({
			aspect,
			patents: patents.length,
			firstPatents: patents.slice(0, 5).map((patent) => patent.input),
			error: `PatSnap: ${failure.message}`,
			errorKind: failure.kind,
			errorCode: failure.details.code ?? null,
		});
	}

	/**
	 * The batch calls of one batch, then its patents' documents. A patent's check mark moves only when
	 * every watched aspect was read: one that was not is first in line next poll. Aspects that were
	 * read are recorded either way, so a change found is never emitted twice.
	 */
	private async checkBatch(batch: WatchedPatent[], label: string): Promise<ApiFailure | undefined> {
		const fetched = new Map<BatchAspect, Map<string, IDataObject>>();
		let stop: ApiFailure | undefined;
		for (const aspect of this.batchAspects) {
			const outcome = await fetchBatch(this.calls, aspect, batch, label);
			if ('failure' in outcome) {
				this.recordFailure(aspect, batch, outcome.failure);
				if (outcome.failure.stopsRun) {
					stop = outcome.failure;
					break;
				}
				continue;
			}
			fetched.set(aspect, indexResults(outcome.value));
		}

		const complete = new Map<string, boolean>();
		const identities = new Map<string, PatentIdentity>();
		for (const patent of batch) {
			const snapshot = this.snapshot(patent);
			const results = new Map([...fetched].map(([aspect, index]) => [aspect, index.get(patent.key)]));
			const found = fetched.has(COMPLETE_ANSWER) ? results.get(COMPLETE_ANSWER) !== undefined : undefined;
			const answered = [...results.values()].find((result) => result !== undefined);
			const identity = identityFor(patent, identityOf(answered));
			if (found === false) {
				this.reportMissing(snapshot, identity);
				complete.set(patent.key, true);
				continue;
			}
			identities.set(patent.key, identity);
			if (found) delete snapshot.missing;
			for (const aspect of fetched.keys()) this.apply(snapshot, identity, readingOf(aspect, results.get(aspect)));
			complete.set(patent.key, fetched.size === this.batchAspects.length);
		}

		if (this.settings.watch.includes('examinationDocuments')) {
			for (const patent of batch.filter((candidate) => identities.has(candidate.key))) {
				if (stop) {
					complete.set(patent.key, false);
					continue;
				}
				const read = await this.checkDocuments(patent, identities.get(patent.key)!);
				if (read !== 'read') complete.set(patent.key, false);
				if (typeof read === 'object') stop = read;
			}
		}

		for (const patent of batch) {
			if (complete.get(patent.key)) {
				this.stats.patentsRead += 1;
				this.snapshot(patent).checked = this.mark;
			} else {
				this.stats.notCompleted += 1;
			}
		}
		return stop;
	}

	/** One patent's documents: 'read', 'notCompleted' (to be read next poll), or the failure that stops the poll. */
	private async checkDocuments(patent: WatchedPatent, identity: PatentIdentity): Promise<'read' | 'notCompleted' | ApiFailure> {
		const snapshot = this.snapshot(patent);
		if (snapshot.docsUnavailable || /^CN/i.test(identity.pn ?? '')) {
			this.noteUnavailable(snapshot, patent);
			return 'read';
		}
		if (this.clock.now() >= this.stopAt && (this.stats.patentsRead > 0 || this.documentsRead > 0)) {
			this.stats.timeBudgetReached = true;
			return 'notCompleted';
		}
		const outcome = await readPatentDocuments(this.calls, patent);
		this.documentsRead += 1;
		const onlyDocuments = this.batchAspects.length === 0;
		switch (outcome.kind) {
			case 'failed':
				this.recordFailure('examinationDocuments', [patent], outcome.failure);
				return outcome.failure.stopsRun ? outcome.failure : 'notCompleted';
			case 'unavailable':
				this.noteUnavailable(snapshot, patent);
				return 'read';
			case 'unknown':
				// Only P048 was asked: its "no such patent" is the only word on it. The empty baseline
				// still makes the first documents of a patent PatSnap learns about later count as new.
				if (onlyDocuments) this.reportMissing(snapshot, identity);
				if (snapshot.docs === undefined) snapshot.docs = '';
				return 'read';
			case 'documents': {
				const documentsIdentity = identityFor(patent, { patentId: identity.patentId ?? outcome.identity.patentId, pn: identity.pn ?? outcome.identity.pn });
				if (onlyDocuments) delete snapshot.missing;
				this.apply(snapshot, documentsIdentity, { aspect: 'examinationDocuments', entries: readDocuments(outcome.details) });
				return 'read';
			}
		}
	}

	/** The patents checked longest ago, up to Max Patents per Poll, in batches of one number kind. */
	protected async check(ordered: WatchedPatent[]): Promise<PollHarvest> {
		const batches = batchesOf(ordered.slice(0, this.settings.maxPerPoll), PATSNAP_MAX_BATCH);
		const patentsIn = (rest: WatchedPatent[][]) => rest.reduce((sum, batch) => sum + batch.length, 0);
		let stop: ApiFailure | undefined;
		for (const [index, batch] of batches.entries()) {
			if (index > 0 && this.clock.now() >= this.stopAt) {
				this.stats.timeBudgetReached = true;
				this.stats.notCompleted += patentsIn(batches.slice(index));
				break;
			}
			stop = await this.checkBatch(batch, `batch ${index + 1} of ${batches.length}`);
			if (stop) {
				this.stats.notCompleted += patentsIn(batches.slice(index + 1));
				this.stats.stoppedEarly = { reason: stop.kind, message: `PatSnap: ${stop.message}`, resetsAt: stop.details.resetsAt?.toISOString() ?? null };
				break;
			}
		}
		if (this.failures.length === 0) return { items: this.items };
		// Raised only when there is nothing to hand over; then nothing is recorded and the next poll repeats all of it.
		const failure = stop ?? this.failures[0].failure;
		const affected = this.failures.reduce((sum, record) => sum + record.patents.length, 0);
		const description = [
			failure.details.description,
			`${affected} patent read(s) failed in this poll (${[...new Set(this.failures.map((record) => record.aspect))].join(', ')}). Nothing was recorded, so the next poll reads them again and no change is lost; calls that succeeded before the failure are billed again then.`,
		]
			.filter(Boolean)
			.join(' ');
		return { items: this.items, failure: toNodeError(this.context.getNode(), failure.withDetails({ description })) };
	}

	protected metaHead(): IDataObject {
		return { source: 'watchList', watch: [...this.settings.watch] };
	}

	protected metaTail(): IDataObject {
		return { ...this.calls.report(), sweep: sweepOf(this.list.entries, this.state.patents, this.settings) };
	}

	protected async sampleItem(patent: WatchedPatent): Promise<IDataObject> {
		return await sampleOf(this.calls, this.context.getNode(), patent, this.settings.watch[0] ?? 'legalStatus', this.state.patents[patent.key], this.detectedAt);
	}
}
