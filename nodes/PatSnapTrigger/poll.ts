import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { batchQueryString, indexResults, type NumberTypeSetting } from '../PatSnap/batching';
import { findPatSnapBatchEndpoint, PATSNAP_EXAMINATION_DOCUMENTS, PATSNAP_MAX_BATCH, type PatSnapBatchEndpoint } from '../PatSnap/catalog';
import { PATSNAP_DOCUMENT_PAGE_SIZE } from '../PatSnap/description';
import { createPatSnapTransport } from '../PatSnap/runContext';
import { DEFAULT_PATSNAP_QPS } from '../PatSnap/transport';
import { systemClock, type Clock } from '../shared/clock';
import type { ApiFailure } from '../shared/failure';
import { toNodeError } from '../shared/nodeErrors';
import { describeDuration, numberOption, pollsPerDay, unlessAlreadyPolling, usableTimeMs } from '../shared/polling';
import { TriggerCalls } from './calls';
import {
	ASPECTS,
	caseChangeJson,
	caseChanges,
	casesPrint,
	currentStateJson,
	identityOf,
	invalidEntryJson,
	latestAsChangeJson,
	legalChangeJson,
	legalChanges,
	legalPrint,
	newDocumentJson,
	newLegalEventJson,
	newTransferJson,
	notFoundJson,
	printsOf,
	readCases,
	readDocuments,
	readLegalEvents,
	readLegalStatus,
	readTransfers,
	unseenEntries,
	type Aspect,
	type AspectReading,
	type PatentIdentity,
} from './changes';
import { DEFAULT_MAX_PATENTS_PER_POLL } from './description';
import { pollMonitor } from './monitor';
import { nextMark, readState, writeState, type PatentSnapshot, type TriggerState } from './state';
import { batchesOf, parsePatentList, type PatentList, type WatchedPatent } from './watchList';

type BatchAspect = Exclude<Aspect, 'examinationDocuments'>;

const BATCH_ENDPOINTS: Readonly<Record<BatchAspect, PatSnapBatchEndpoint>> = {
	legalStatus: findPatSnapBatchEndpoint('getLegalStatus')!,
	events: findPatSnapBatchEndpoint('getLegalEvents')!,
	transfers: findPatSnapBatchEndpoint('getTransfers')!,
	litigation: findPatSnapBatchEndpoint('getLitigation')!,
};

/**
 * Only P013 answers for every patent PatSnap knows, so only its silence means "unknown". The other
 * batch endpoints may leave out a patent that has nothing to list; reading that as "unknown" would
 * skip the patent's baseline, and the first event it later gets would be taken for a baseline too.
 */
const COMPLETE_ANSWER: BatchAspect = 'legalStatus';

/** Lists in `_meta` are cut to this many entries: every item carries a copy. */
const META_LIST_LIMIT = 10;

export interface TriggerSettings {
	source: 'watchList' | 'monitor';
	patents: unknown;
	numberType: NumberTypeSetting;
	watch: Aspect[];
	emitCurrentState: boolean;
	onInvalid: 'fail' | 'emit';
	maxPerPoll: number;
	alertId: string;
	fetchDetails: boolean;
	/** What the PatSnap node's transport reads: requestsPerSecond and maxAttempts. */
	transportOptions: IDataObject;
	pollsPerDay: number | undefined;
}

export function readSettings(context: IPollFunctions): TriggerSettings {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const watch = context.getNodeParameter('watch', ['legalStatus']) as unknown;
	const chosen = new Set(Array.isArray(watch) ? (watch as string[]) : [String(watch)]);
	return {
		source: context.getNodeParameter('source', 'watchList') === 'monitor' ? 'monitor' : 'watchList',
		patents: context.getNodeParameter('patents', ''),
		numberType: (options.numberType ?? 'auto') as NumberTypeSetting,
		watch: ASPECTS.filter((aspect) => chosen.has(aspect)),
		emitCurrentState: options.emitCurrentState === true,
		onInvalid: options.onInvalidEntry === 'emit' ? 'emit' : 'fail',
		maxPerPoll: Math.max(1, Math.floor(numberOption(options.maxPatentsPerPoll, DEFAULT_MAX_PATENTS_PER_POLL))),
		alertId: String(context.getNodeParameter('alertId', '') ?? '').trim(),
		fetchDetails: context.getNodeParameter('fetchDetails', true) !== false,
		transportOptions: {
			requestsPerSecond: Math.max(0.1, numberOption(options.requestsPerSecond, DEFAULT_PATSNAP_QPS)),
			maxAttempts: Math.max(1, Math.floor(numberOption(options.maxAttempts, 4))),
		},
		pollsPerDay: pollsPerDay(context.getNodeParameter('pollTimes', {})),
	};
}

interface FailureRecord {
	aspect: Aspect;
	patents: string[];
	failure: ApiFailure;
}

interface PollStats extends IDataObject {
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

type DocumentsOutcome =
	| { kind: 'documents'; details: IDataObject[]; identity: { patentId: string | null; pn: string | null } }
	| { kind: 'unknown' }
	| { kind: 'unavailable' }
	| { kind: 'failed'; failure: ApiFailure };

function identityFor(patent: WatchedPatent, known: { patentId: string | null; pn: string | null } = { patentId: null, pn: null }): PatentIdentity {
	return {
		key: patent.key,
		input: patent.input,
		patentId: known.patentId ?? (patent.kind === 'patentId' ? patent.value : null),
		pn: known.pn ?? (patent.kind === 'patentNumber' ? patent.value : null),
	};
}

function readingOf(aspect: BatchAspect, result: IDataObject | undefined): AspectReading {
	switch (aspect) {
		case 'legalStatus':
			return { aspect, view: readLegalStatus(result ?? {}) };
		case 'events':
			return { aspect, entries: readLegalEvents(result) };
		case 'transfers':
			return { aspect, entries: readTransfers(result) };
		case 'litigation':
			return { aspect, entries: readCases(result) };
	}
}

class WatchRun {
	private readonly stats: PollStats = {
		patentsRead: 0,
		baselined: 0,
		changes: 0,
		notCompleted: 0,
		examinationDocumentsUnavailable: { count: 0, patents: [] },
		timeBudgetReached: false,
		stoppedEarly: null,
		failedReads: 0,
		failures: [],
	};

	private readonly items: IDataObject[] = [];

	private readonly failures: FailureRecord[] = [];

	private detectedAt = '';

	private mark = 0;

	/** Patents whose documents were read in this poll: the time budget only stops a poll that got somewhere. */
	private documentsRead = 0;

	constructor(
		private readonly context: IPollFunctions,
		private readonly settings: TriggerSettings,
		private readonly list: PatentList,
		private readonly state: TriggerState,
		private readonly clock: Clock,
		private readonly calls: TriggerCalls,
	) {}

	private get batchAspects(): BatchAspect[] {
		return this.settings.watch.filter((aspect): aspect is BatchAspect => aspect !== 'examinationDocuments');
	}

	private get watchesDocuments(): boolean {
		return this.settings.watch.includes('examinationDocuments');
	}

	private async fetchBatch(aspect: BatchAspect, batch: WatchedPatent[], label: string) {
		const endpoint = BATCH_ENDPOINTS[aspect];
		const outcome = await this.calls.call(endpoint.code, {
			method: endpoint.method,
			path: endpoint.path,
			qs: batchQueryString(batch.map((patent) => ({ itemIndex: 0, input: patent.input, kind: patent.kind, value: patent.value }))),
			billed: true,
			operation: `${endpoint.code} ${endpoint.name}, ${label}`,
		});
		if ('data' in outcome) this.calls.bill(endpoint.code, Array.isArray(outcome.data) ? outcome.data.length : 0);
		return outcome;
	}

	/**
	 * One patent's examination documents, all pages. PatSnap answers 68300004 for patents P048 does
	 * not cover (Chinese ones): every parameter was checked before sending, so that is about the patent.
	 */
	private async fetchDocuments(patent: WatchedPatent, onePageOnly = false): Promise<DocumentsOutcome> {
		const details: IDataObject[] = [];
		let identity = { patentId: null as string | null, pn: null as string | null };
		for (let offset = 0, page = 1; ; page++) {
			const outcome = await this.calls.call(PATSNAP_EXAMINATION_DOCUMENTS.code, {
				method: PATSNAP_EXAMINATION_DOCUMENTS.method,
				path: PATSNAP_EXAMINATION_DOCUMENTS.path,
				body: { [patent.kind === 'patentId' ? 'patent_id' : 'patent_number']: patent.value, offset, limit: PATSNAP_DOCUMENT_PAGE_SIZE },
				billed: true,
				operation: `${PATSNAP_EXAMINATION_DOCUMENTS.code} ${PATSNAP_EXAMINATION_DOCUMENTS.name} for ${patent.input}, call ${page}`,
			});
			if ('failure' in outcome) {
				if (outcome.failure.details.code === 68300004 && offset === 0) {
					return { kind: 'unavailable' };
				}
				return { kind: 'failed', failure: outcome.failure };
			}
			const data = (outcome.data && typeof outcome.data === 'object' && !Array.isArray(outcome.data) ? outcome.data : {}) as IDataObject;
			const docs = Array.isArray(data.doc_detail) ? (data.doc_detail as IDataObject[]).filter((doc) => doc && typeof doc === 'object') : [];
			const patentId = typeof data.patent_id === 'string' && data.patent_id ? data.patent_id : null;
			const pn = typeof data.patent_number === 'string' && data.patent_number ? data.patent_number : null;
			if (offset === 0 && docs.length === 0 && !patentId && !pn) return { kind: 'unknown' };
			identity = { patentId: identity.patentId ?? patentId, pn: identity.pn ?? pn };
			this.calls.bill(PATSNAP_EXAMINATION_DOCUMENTS.code, docs.length > 0 ? 1 : 0);
			details.push(...docs);
			offset += docs.length;
			if (onePageOnly || docs.length === 0 || offset >= Number(data.doc_count ?? 0)) return { kind: 'documents', details, identity };
		}
	}

	private snapshot(patent: WatchedPatent): PatentSnapshot {
		this.state.patents[patent.key] ??= { checked: 0 };
		return this.state.patents[patent.key];
	}

	private baseline(identity: PatentIdentity, reading: AspectReading): void {
		this.stats.baselined += 1;
		if (this.settings.emitCurrentState) this.items.push(currentStateJson(identity, reading, this.detectedAt));
	}

	private emit(jsons: IDataObject[]): void {
		this.stats.changes += jsons.length;
		this.items.push(...jsons);
	}

	/** Compares one aspect with its stored fingerprint, emits what changed and stores the new one. */
	private apply(snapshot: PatentSnapshot, identity: PatentIdentity, reading: AspectReading): void {
		const at = this.detectedAt;
		switch (reading.aspect) {
			case 'legalStatus':
				if (snapshot.legal === undefined) this.baseline(identity, reading);
				else this.emit(legalChanges(snapshot.legal, reading.view).map((kind) => legalChangeJson(kind, identity, snapshot.legal!, reading.view, at)));
				snapshot.legal = legalPrint(reading.view);
				return;
			case 'events':
				if (snapshot.events === undefined) this.baseline(identity, reading);
				else this.emit(unseenEntries(snapshot.events, reading.entries).map(({ entry, occurrence }) => newLegalEventJson(identity, entry, occurrence, at)));
				snapshot.events = printsOf(reading.entries);
				return;
			case 'transfers':
				if (snapshot.transfers === undefined) this.baseline(identity, reading);
				else this.emit(unseenEntries(snapshot.transfers, reading.entries).map(({ entry, occurrence }) => newTransferJson(identity, entry, occurrence, at)));
				snapshot.transfers = printsOf(reading.entries);
				return;
			case 'litigation':
				if (snapshot.cases === undefined) this.baseline(identity, reading);
				else this.emit(caseChanges(snapshot.cases, reading.entries).map((change) => caseChangeJson(identity, change, at)));
				snapshot.cases = casesPrint(reading.entries);
				return;
			case 'examinationDocuments':
				if (snapshot.docs === undefined) this.baseline(identity, reading);
				else this.emit(unseenEntries(snapshot.docs, reading.entries).map(({ entry, occurrence }) => newDocumentJson(identity, entry, occurrence, at)));
				snapshot.docs = printsOf(reading.entries);
				return;
		}
	}

	private reportMissing(snapshot: PatentSnapshot, identity: PatentIdentity): void {
		if (!snapshot.missing) this.items.push(notFoundJson(identity, this.detectedAt));
		snapshot.missing = true;
	}

	private noteUnavailable(patent: WatchedPatent): void {
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
	private async checkBatch(batch: WatchedPatent[], label: string, stopAt: number): Promise<ApiFailure | undefined> {
		const fetched = new Map<BatchAspect, Map<string, IDataObject>>();
		let stop: ApiFailure | undefined;
		for (const aspect of this.batchAspects) {
			const outcome = await this.fetchBatch(aspect, batch, label);
			if ('failure' in outcome) {
				this.recordFailure(aspect, batch, outcome.failure);
				if (outcome.failure.stopsRun) {
					stop = outcome.failure;
					break;
				}
				continue;
			}
			fetched.set(aspect, indexResults(outcome.data));
		}

		const complete = new Map<string, boolean>();
		const identities = new Map<string, PatentIdentity>();
		const skipDocuments = new Set<string>();
		for (const patent of batch) {
			const snapshot = this.snapshot(patent);
			const results = new Map([...fetched].map(([aspect, index]) => [aspect, index.get(patent.key)]));
			const found = fetched.has(COMPLETE_ANSWER) ? results.get(COMPLETE_ANSWER) !== undefined : undefined;
			const answered = [...results.values()].find((result) => result !== undefined);
			const identity = identityFor(patent, identityOf(answered));
			identities.set(patent.key, identity);
			if (found === false) {
				this.reportMissing(snapshot, identity);
				complete.set(patent.key, true);
				skipDocuments.add(patent.key);
				continue;
			}
			if (found) delete snapshot.missing;
			for (const aspect of fetched.keys()) this.apply(snapshot, identity, readingOf(aspect, results.get(aspect)));
			complete.set(patent.key, fetched.size === this.batchAspects.length);
		}

		if (this.watchesDocuments) {
			for (const patent of batch) {
				if (skipDocuments.has(patent.key)) continue;
				const snapshot = this.snapshot(patent);
				const identity = identities.get(patent.key)!;
				if (stop) {
					complete.set(patent.key, false);
					continue;
				}
				if (snapshot.docsUnavailable || /^CN/i.test(identity.pn ?? '')) {
					snapshot.docsUnavailable = true;
					this.noteUnavailable(patent);
					continue;
				}
				if (this.clock.now() >= stopAt && (this.stats.patentsRead > 0 || this.documentsRead > 0)) {
					this.stats.timeBudgetReached = true;
					complete.set(patent.key, false);
					continue;
				}
				const outcome = await this.fetchDocuments(patent);
				this.documentsRead += 1;
				if (outcome.kind === 'failed') {
					this.recordFailure('examinationDocuments', [patent], outcome.failure);
					complete.set(patent.key, false);
					if (outcome.failure.stopsRun) stop = outcome.failure;
					continue;
				}
				if (outcome.kind === 'unavailable') {
					snapshot.docsUnavailable = true;
					this.noteUnavailable(patent);
					continue;
				}
				if (outcome.kind === 'unknown') {
					// Only P048 was asked: its "no such patent" is the only word on it. The empty baseline
					// still makes the first documents of a patent PatSnap learns about later count as new.
					if (this.batchAspects.length === 0) this.reportMissing(snapshot, identity);
					if (snapshot.docs === undefined) snapshot.docs = '';
					continue;
				}
				const documentsIdentity = identityFor(patent, { patentId: identity.patentId ?? outcome.identity.patentId, pn: identity.pn ?? outcome.identity.pn });
				if (this.batchAspects.length === 0) delete snapshot.missing;
				this.apply(snapshot, documentsIdentity, { aspect: 'examinationDocuments', entries: readDocuments(outcome.details) });
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

	async poll(staticData: IDataObject): Promise<INodeExecutionData[][] | null> {
		const { settings, list, state, clock } = this;
		const startedAt = clock.now();
		const stopAt = startedAt + usableTimeMs(this.context);
		this.mark = nextMark(state, startedAt);
		this.detectedAt = new Date(startedAt).toISOString();

		const reported = new Set(state.reportedInvalid);
		const invalidJsons = list.invalid
			.filter((invalid) => !reported.has(invalid.typed))
			.map((invalid) => invalidEntryJson(invalid.typed, invalid.line, invalid.reason, this.detectedAt));
		state.reportedInvalid = list.invalid.map((invalid) => invalid.typed);

		const selected = list.patents
			.map((patent, index) => ({ patent, index, mark: state.patents[patent.key]?.checked ?? 0 }))
			.sort((a, b) => a.mark - b.mark || a.index - b.index)
			.slice(0, settings.maxPerPoll)
			.map(({ patent }) => patent);
		const batches = batchesOf(selected, PATSNAP_MAX_BATCH);
		let stop: ApiFailure | undefined;
		for (const [index, batch] of batches.entries()) {
			if (index > 0 && clock.now() >= stopAt) {
				this.stats.timeBudgetReached = true;
				this.stats.notCompleted += batches.slice(index).reduce((sum, rest) => sum + rest.length, 0);
				break;
			}
			stop = await this.checkBatch(batch, `batch ${index + 1} of ${batches.length}`, stopAt);
			if (stop) {
				this.stats.notCompleted += batches.slice(index + 1).reduce((sum, rest) => sum + rest.length, 0);
				this.stats.stoppedEarly = { reason: stop.kind, message: `PatSnap: ${stop.message}`, resetsAt: stop.details.resetsAt?.toISOString() ?? null };
				break;
			}
		}

		const jsons = [...this.items, ...invalidJsons];
		if (this.failures.length > 0 && jsons.length === 0) {
			// Nothing to hand over: fail visibly and record nothing, so the next poll repeats all of it.
			const failure = stop ?? this.failures[0].failure;
			const affected = this.failures.reduce((sum, record) => sum + record.patents.length, 0);
			const description = [
				failure.details.description,
				`${affected} patent read(s) failed in this poll (${[...new Set(this.failures.map((record) => record.aspect))].join(', ')}). Nothing was recorded, so the next poll reads them again and no change is lost; calls that succeeded before the failure are billed again then.`,
			]
				.filter(Boolean)
				.join(' ');
			throw toNodeError(this.context.getNode(), failure.withDetails({ description }));
		}
		this.commit(staticData);
		if (jsons.length === 0) return null;
		return [this.toItems(jsons, this.meta('trigger'))];
	}

	/** Records the poll, and forgets patents no longer listed. */
	private commit(staticData: IDataObject): void {
		const listed = new Set(this.list.patents.map((patent) => patent.key));
		for (const key of Object.keys(this.state.patents)) {
			if (!listed.has(key)) delete this.state.patents[key];
		}
		this.state.lastMark = Math.max(this.state.lastMark, this.mark);
		writeState(staticData, this.state);
	}

	private sweep(): IDataObject {
		const patents = this.list.patents.length;
		const perPoll = this.settings.maxPerPoll;
		const pollsPerSweep = patents === 0 ? 0 : Math.ceil(patents / perPoll);
		const interval = this.settings.pollsPerDay ? 1440 / this.settings.pollsPerDay : undefined;
		const read = this.list.patents.map((patent) => this.state.patents[patent.key]).filter((snapshot) => (snapshot?.checked ?? 0) > 0);
		const duration = interval === undefined ? null : describeDuration(pollsPerSweep * interval);
		return {
			patents,
			perPoll,
			pollsPerSweep,
			pollIntervalMinutes: interval === undefined ? null : Math.round(interval * 10) / 10,
			estimatedDuration: duration,
			notYetChecked: patents - read.length,
			oldestCheckAt: read.length > 0 ? new Date(Math.min(...read.map((snapshot) => snapshot!.checked))).toISOString() : null,
			description: `${patents} patent${patents === 1 ? '' : 's'}, up to ${perPoll} per poll: a full sweep takes ${pollsPerSweep} poll${pollsPerSweep === 1 ? '' : 's'}${
				duration ? `, about ${duration}` : ''
			}.`,
		};
	}

	private meta(mode: 'trigger' | 'manual', extra: IDataObject = {}): IDataObject {
		return {
			mode,
			source: 'watchList',
			watch: [...this.settings.watch],
			...extra,
			...(mode === 'trigger' ? { poll: { ...this.stats } } : {}),
			...this.calls.report(),
			sweep: this.sweep(),
			watchList: { patents: this.list.patents.length, invalidEntries: this.list.invalid.length, duplicates: this.list.duplicates },
		};
	}

	private toItems(jsons: IDataObject[], meta: IDataObject): INodeExecutionData[] {
		return jsons.map((json) => ({ json: { ...json, _meta: JSON.parse(JSON.stringify(meta)) as IDataObject } }));
	}

	/**
	 * Fetch Test Event: one call for the first patent and the first watched aspect, its most recent
	 * entry shaped like a real change. At most one result (or one document page) is billed; the
	 * state is only read.
	 */
	async sample(): Promise<INodeExecutionData[][]> {
		const node = this.context.getNode();
		this.detectedAt = new Date(this.clock.now()).toISOString();
		const patent = this.list.patents[0];
		if (!patent && this.list.invalid.length === 0) {
			throw new NodeOperationError(node, 'The watch list is empty', {
				description: 'Add publication numbers (US11205304B2) or PatSnap patent IDs, one per line or comma-separated.',
			});
		}
		const jsons: IDataObject[] = [];
		if (patent) {
			const json = await this.sampleOf(patent, this.settings.watch[0] ?? 'legalStatus');
			json.sample = true;
			jsons.push(json);
		}
		for (const invalid of this.list.invalid) jsons.push(invalidEntryJson(invalid.typed, invalid.line, invalid.reason, this.detectedAt));
		const meta = this.meta('manual', {
			sample: true,
			note: 'Fetch Test Event: a sample built from one PatSnap call for the first patent and the first watched aspect, shaped like a real change. At most one result was billed. The trigger state was not changed.',
		});
		return [this.toItems(jsons, meta)];
	}

	private async sampleOf(patent: WatchedPatent, aspect: Aspect): Promise<IDataObject> {
		const node = this.context.getNode();
		const stored = this.state.patents[patent.key];
		if (aspect === 'examinationDocuments') {
			const chinese = /^CN/i.test(identityFor(patent).pn ?? '');
			const outcome: DocumentsOutcome = chinese ? { kind: 'unavailable' } : await this.fetchDocuments(patent, true);
			if (outcome.kind === 'failed') throw toNodeError(node, outcome.failure);
			if (outcome.kind === 'unknown') return notFoundJson(identityFor(patent), this.detectedAt);
			const identity = identityFor(patent, outcome.kind === 'documents' ? outcome.identity : undefined);
			const reading = { aspect, entries: outcome.kind === 'documents' ? readDocuments(outcome.details) : [] } as const;
			if (outcome.kind === 'unavailable') {
				const json = currentStateJson(identity, reading, this.detectedAt);
				json.summary = `P048 does not cover ${patent.input} (Chinese patents are not covered), so the trigger does not watch its examination documents.`;
				return json;
			}
			return latestAsChangeJson(identity, reading, this.detectedAt) ?? currentStateJson(identity, reading, this.detectedAt);
		}
		const outcome = await this.fetchBatch(aspect, [patent], 'sample');
		if ('failure' in outcome) throw toNodeError(node, outcome.failure);
		const result = indexResults(outcome.data).get(patent.key);
		const identity = identityFor(patent, identityOf(result));
		if (!result && aspect === COMPLETE_ANSWER) return notFoundJson(identity, this.detectedAt);
		const reading = readingOf(aspect, result);
		if (reading.aspect === 'legalStatus') {
			const previous = stored?.legal && legalChanges(stored.legal, reading.view).length > 0 ? stored.legal : null;
			return legalChangeJson('legalStatusChanged', identity, previous, reading.view, this.detectedAt);
		}
		return latestAsChangeJson(identity, reading, this.detectedAt) ?? currentStateJson(identity, reading, this.detectedAt);
	}
}

export interface PollSeams {
	/** Time, sleeping and randomness for the transport's throttle and retries. */
	clock?: Clock;
}

/**
 * One poll. A poll that throws has written nothing, so the next one repeats it; a poll that returns
 * (items or null) records what it read. Manual runs never write.
 */
export async function pollPatSnap(context: IPollFunctions, seams: PollSeams = {}): Promise<INodeExecutionData[][] | null> {
	const clock = seams.clock ?? systemClock;
	const settings = readSettings(context);
	const manual = context.getMode() === 'manual';
	let list: PatentList | undefined;
	if (settings.source === 'watchList') {
		list = parsePatentList(settings.patents, settings.numberType);
		if (!manual && list.invalid.length > 0 && settings.onInvalid === 'fail') {
			const lines = list.invalid.map((invalid) => `line ${invalid.line}: ${invalid.reason}`).join(' ');
			throw new NodeOperationError(context.getNode(), `The watch list has ${list.invalid.length} entr${list.invalid.length === 1 ? 'y' : 'ies'} that cannot be watched`, {
				description: `${lines} Fix the entries, or set On Invalid Entry to emit them as items and watch the rest.`,
			});
		}
		if (settings.watch.length === 0) {
			throw new NodeOperationError(context.getNode(), 'Choose at least one thing to watch', { description: 'Field: Watch' });
		}
		if (!manual && list.patents.length === 0 && list.invalid.length === 0) return null;
	}

	const poll = async () => {
		const staticData = context.getWorkflowStaticData('node');
		const state = readState(staticData);
		if (settings.source === 'monitor') return await pollMonitor(context, { settings, state, staticData, clock, manual });
		const calls = new TriggerCalls(await createPatSnapTransport(context, settings.transportOptions, clock), clock);
		const run = new WatchRun(context, settings, list!, state, clock, calls);
		return manual ? await run.sample() : await run.poll(staticData);
	};
	// A manual test run writes nothing, so it may run beside a scheduled poll.
	return manual ? await poll() : await unlessAlreadyPolling(context, poll);
}
