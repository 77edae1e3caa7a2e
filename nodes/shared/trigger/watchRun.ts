import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import type { Clock } from '../clock';
import { usableTimeMs } from '../polling';
import { writeState } from './pollEntry';

/** A watch-list line that cannot be watched, kept so the trigger can report it. */
export interface InvalidWatchEntry {
	typed: string;
	/** 1-based line of the watch list, for messages. */
	line: number;
	reason: string;
}

/** A watch list as the skeleton sees it: entries filed under a key, and what could not be read. */
export interface WatchListView<E extends { key: string }> {
	entries: readonly E[];
	invalid: readonly InvalidWatchEntry[];
	/** Entries naming one already listed; the first spelling is kept. */
	duplicates: number;
}

/** What every trigger's state keeps for the skeleton. */
export interface WatchState {
	/** The largest check mark handed out, so marks keep increasing even when the clock does not. */
	lastMark: number;
	/** Invalid entries already emitted as items, so each is reported once. */
	reportedInvalid: string[];
}

/** The next check mark: the poll's start time, or one more than the last mark if the clock went back. */
export function nextMark(state: WatchState, nowMs: number): number {
	return Math.max(nowMs, state.lastMark + 1);
}

/** What a trigger's check of the watch list found, in output order. */
export interface PollHarvest {
	items: IDataObject[];
	/** Raised when there is no item to hand over. */
	failure?: Error;
	/** Whether what was read is recorded before the failure is raised (a quota stop) or nothing is. */
	recordBeforeFailing?: boolean;
}

/**
 * One poll of a watch list, the part both triggers share: new invalid entries reported once, the
 * entries checked longest ago first (new ones, mark 0, before all), every item carrying `_meta`,
 * and at the end the state written in one go, without entries no longer listed. A poll that throws
 * has written nothing unless the trigger asked for it. The trigger fills in how it checks entries,
 * what its items and its `_meta` say, and the Fetch Test Event sample.
 */
export abstract class WatchListRun<E extends { key: string }, S extends WatchState, Stats extends IDataObject> {
	/** When the poll (or sample) started, epoch ms. */
	protected startedAt = 0;

	/** Stop starting calls after this: n8n abandons a poll that outlasts its budget. */
	protected stopAt = 0;

	/** The check mark of this poll. */
	protected mark = 0;

	protected detectedAt = '';

	constructor(
		protected readonly context: IPollFunctions,
		protected readonly list: WatchListView<E>,
		protected readonly state: S,
		protected readonly clock: Clock,
		protected readonly stats: Stats,
	) {}

	/** The stored snapshots by entry key, each with the mark of its last complete check. */
	protected abstract snapshots(): Record<string, { checked: number }>;

	/** The noun `_meta.watchList` counts entries with: `applications`, `patents`. */
	protected abstract readonly entryNoun: string;

	/** The advice of the error raised when a sample is asked of an empty watch list. */
	protected abstract readonly emptyListAdvice: string;

	/** `_meta.note` of a sample. */
	protected abstract readonly sampleNote: string;

	protected abstract invalidItem(invalid: InvalidWatchEntry): IDataObject;

	/** Checks entries in the order given (the trigger decides how many); items in output order. */
	protected abstract check(ordered: E[]): Promise<PollHarvest>;

	/** Fetch Test Event: one item for the first entry, shaped like a real change. */
	protected abstract sampleItem(entry: E): Promise<IDataObject>;

	/** `_meta` keys before the sample's and the poll's own. */
	protected metaHead(): IDataObject {
		return {};
	}

	/** `_meta` keys after the poll statistics. */
	protected abstract metaTail(): IDataObject;

	/** Tidies the trigger's own parts of the state before it is written. */
	protected beforeRecord(): void {}

	protected meta(mode: 'trigger' | 'manual', extra: IDataObject = {}): IDataObject {
		return {
			mode,
			...this.metaHead(),
			...extra,
			...(mode === 'trigger' ? { poll: { ...this.stats } } : {}),
			...this.metaTail(),
			watchList: { [this.entryNoun]: this.list.entries.length, invalidEntries: this.list.invalid.length, duplicates: this.list.duplicates },
		};
	}

	/** Every item gets its own copy of `_meta`: a later node changing one must not change the others. */
	protected toItems(jsons: IDataObject[], meta: IDataObject): INodeExecutionData[] {
		return jsons.map((json) => ({ json: { ...json, _meta: JSON.parse(JSON.stringify(meta)) as IDataObject } }));
	}

	private start(): void {
		this.startedAt = this.clock.now();
		this.stopAt = this.startedAt + usableTimeMs(this.context);
		this.mark = nextMark(this.state, this.startedAt);
		this.detectedAt = new Date(this.startedAt).toISOString();
	}

	/** Invalid entries not reported before; the state remembers all current ones as reported. */
	private newInvalidItems(): IDataObject[] {
		const reported = new Set(this.state.reportedInvalid);
		const items = this.list.invalid.filter((invalid) => !reported.has(invalid.typed)).map((invalid) => this.invalidItem(invalid));
		this.state.reportedInvalid = this.list.invalid.map((invalid) => invalid.typed);
		return items;
	}

	private oldestCheckedFirst(): E[] {
		const snapshots = this.snapshots();
		return this.list.entries
			.map((entry, index) => ({ entry, index, mark: snapshots[entry.key]?.checked ?? 0 }))
			.sort((a, b) => a.mark - b.mark || a.index - b.index)
			.map(({ entry }) => entry);
	}

	private record(staticData: IDataObject): void {
		const listed = new Set(this.list.entries.map((entry) => entry.key));
		const snapshots = this.snapshots();
		for (const key of Object.keys(snapshots)) {
			if (!listed.has(key)) delete snapshots[key];
		}
		this.beforeRecord();
		this.state.lastMark = Math.max(this.state.lastMark, this.mark);
		writeState(staticData, this.state);
	}

	async poll(staticData: IDataObject): Promise<INodeExecutionData[][] | null> {
		this.start();
		const invalidItems = this.newInvalidItems();
		const harvest = await this.check(this.oldestCheckedFirst());
		const jsons = [...harvest.items, ...invalidItems];
		const failure = jsons.length === 0 ? harvest.failure : undefined;
		if (failure && !harvest.recordBeforeFailing) throw failure;
		this.record(staticData);
		if (failure) throw failure;
		if (jsons.length === 0) return null;
		return [this.toItems(jsons, this.meta('trigger'))];
	}

	/** Fetch Test Event: a sample for the first entry and one item per invalid entry; the state is only read. */
	async sample(): Promise<INodeExecutionData[][]> {
		this.start();
		const first = this.list.entries[0];
		if (!first && this.list.invalid.length === 0) {
			throw new NodeOperationError(this.context.getNode(), 'The watch list is empty', { description: this.emptyListAdvice });
		}
		const jsons: IDataObject[] = [];
		if (first) {
			const json = await this.sampleItem(first);
			json.sample = true;
			jsons.push(json);
		}
		for (const invalid of this.list.invalid) jsons.push(this.invalidItem(invalid));
		return [this.toItems(jsons, this.meta('manual', { sample: true, note: this.sampleNote }))];
	}
}
