/**
 * What a row of the fault matrix (an operation family) has to say about itself. A row is one
 * object in families.ts; the cells (cells.ts), the matrix test and the soak only use these fields.
 * Two shapes: a node family runs input items through a node's execute(); a trigger family polls.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import type { DeepPartial, SandboxConfig } from '../../sandbox';
import type { PollOutcome } from '../helpers/pollContext';
import type { FamilyTraits, FaultId } from './faults';
import type { FaultHarness } from './harness';

/** One input item: its parameters (as getNodeParameter answers them) and what identifies it. */
export interface ItemSpec {
	/** Equal keys ask for the same thing; the soak's reference answers are kept by key. */
	key: string;
	parameters: IDataObject;
	/** Items of one group share a daily limit (JPO: one API), see NodeFamily.quotaPerGroup. */
	group: string;
}

/** One call the node makes (one JPO item, one PatSnap batch, one P048 patent) and the items it serves. */
export interface Unit {
	items: number[];
	group: string;
}

interface FamilyBase extends FamilyTraits {
	name: string;
	/** Where this family's fault rules apply (a path substring) and how many matching requests pass first. */
	scope: { path: string; skip: number };
	/**
	 * Faults that cannot happen on these endpoints, with the reason. The cell still runs (the
	 * sandbox applies the rule anyway, e.g. it cuts a JSON answer for "truncated ZIP"), the test
	 * title says "n/a by design" with the reason, and only the invariants are asserted (nothing lost,
	 * duplicated or billed twice, retry budget kept, clean re-run right), not the column's outcome.
	 */
	notApplicable?: Partial<Record<FaultId, string>>;
	/** Sandbox settings this family needs on top of the harness's, applied at every reset. */
	sandbox?: DeepPartial<SandboxConfig>;
}

export interface NodeFamily extends FamilyBase {
	type: 'node';
	node(): INodeType;
	/** The input items of a matrix cell, in order. */
	items(h: FaultHarness): ItemSpec[];
	/** The calls a clean run makes for these items, in order. */
	units(items: ItemSpec[]): Unit[];
	/** The unit that the first faulted request belongs to, given scope.skip. */
	victimUnit: number;
	/** Results of the victim fetched before the fault that its error item keeps (P048: earlier pages). */
	victimKeeps?: number;
	/** A daily limit stops only later calls of the same group (JPO: per API); otherwise every later call. */
	quotaPerGroup: boolean;
	/** One output per item; the documents of an archive (or one error); or pages of documents, then maybe an error. */
	shape: 'one' | 'documents' | 'pages';
	/** Top-level keys left out when comparing results: values that differ from run to run (_meta always). */
	volatile?: string[];
	/** What tells two outputs of one input item apart; a repeated key is a duplicate. */
	outputKey(json: IDataObject): string;
	/** Item specs the soak draws its runs from. */
	pool(h: FaultHarness): ItemSpec[];
	/** Input items per soak run. */
	soakRunSize: number;
}

/** One trigger node in one workflow: its static data and credential store live across polls. */
export interface Poller {
	poll(): Promise<PollOutcome>;
	readonly staticData: IDataObject;
}

export interface TriggerFamily extends FamilyBase {
	type: 'trigger';
	/** What the trigger watches (watch-list lines), in the order a poll checks them. */
	watched(h: FaultHarness): string[];
	/** The watched entry that the first faulted request is for, given scope.skip. */
	victim: number;
	/** How many watched entries that request is for, from `victim` on (a batch); 1 when omitted. */
	victimCount?: number;
	/** Entries that get a change before the faulted poll. */
	changed: number[];
	/**
	 * Whether the faulted call is the one that reads this change. Another call for the same entries
	 * (another watched aspect) may still find its change when the faulted call fails. True when omitted.
	 */
	readByFaultedCall?(key: string): boolean;
	/**
	 * A call that fails for good does not fail a poll that found changes: the poll emits and records
	 * what the other calls read, and only a poll with nothing to emit fails, recording nothing (the
	 * PatSnap Trigger). Without it a failed call fails the poll, and only a daily-limit stop keeps
	 * what was found before it and records the entries it checked (the JPO Trigger).
	 */
	partialPolls?: boolean;
	/**
	 * Whether this change is a state that the entry's next change replaces (a legal status): of two
	 * such changes between two reads the trigger can only report the latest. The soak changes such an
	 * entry again only once its last change was emitted. False when omitted (a new document, a new event).
	 */
	replacedByNextChange?(key: string): boolean;
	/** What the soak watches, when not `watched`: a shorter list gets more polls out of the same items. */
	soakWatched?(h: FaultHarness): string[];
	poller(h: FaultHarness, watched: string[]): Poller;
	/** Makes one change to a watched entry in the sandbox; returns the key its emitted item will carry. */
	change(h: FaultHarness, entry: string): string;
	/** The key of an emitted item, comparable with what change() returned. */
	changeKey(json: IDataObject): string;
	/** Moves time before the clean poll that follows a faulted one (e.g. past the daily reset). */
	beforeCleanPoll(h: FaultHarness): void;
}

export type Family = NodeFamily | TriggerFamily;
