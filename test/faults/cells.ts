/**
 * Running one cell of the fault matrix (a family × a fault column, phase by phase) and the
 * accounting both the matrix and the soak use. Everything here is judged from what the node
 * returned and what went over the wire; nothing is read from the node's internals.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import type { FaultRule } from '../../sandbox';
import { newCredentialStore, runNode, type CredentialStore } from '../helpers/n8nContext';
import type { NodeFamily, Family, ItemSpec, TriggerFamily } from './family';
import type { Expectation, FaultColumn, Phase } from './faults';
import { findSecrets, sandboxSecrets } from '../helpers/secretScan';
import { accountWire, callsOf, type FaultHarness, type WireAccounting, type WireRequest } from './harness';
import { processUsedUpLimits } from '../../nodes/shared/coordination/usedUp';

export interface Accounting extends WireAccounting {
	/** Input items (node) or watched entries polled (trigger). */
	itemsIn: number;
	/** Result items: documents, records, emitted changes. */
	outputs: number;
	errorItems: number;
	/** Trigger: changes left for the next poll (not lost: the state was not advanced). */
	deferred: number;
	lost: string[];
	duplicated: string[];
	wrongData: string[];
}

export function emptyAccounting(): Accounting {
	return {
		itemsIn: 0,
		outputs: 0,
		errorItems: 0,
		deferred: 0,
		lost: [],
		duplicated: [],
		wrongData: [],
		apiCalls: 0,
		charged: 0,
		retries: 0,
		doubleBilled: [],
		budget: [],
		needless: [],
	};
}

export function addAccounting(total: Accounting, part: Accounting): void {
	for (const key of Object.keys(total) as Array<keyof Accounting>) {
		const value = part[key];
		if (Array.isArray(value)) (total[key] as string[]).push(...value);
		else (total[key] as number) += value as number;
	}
}

/** The violations an accounting may never contain. */
export function violations(accounting: Accounting): string[] {
	return [
		...accounting.lost.map((entry) => `lost: ${entry}`),
		...accounting.duplicated.map((entry) => `duplicated: ${entry}`),
		...accounting.wrongData.map((entry) => `wrong data: ${entry}`),
		...accounting.doubleBilled.map((entry) => `double billing: ${entry}`),
		...accounting.budget.map((entry) => `retry budget: ${entry}`),
		...accounting.needless.map((entry) => `needless repeat: ${entry}`),
	];
}

/** Stable text of an output item's json for comparison: sorted keys, without _meta and volatile keys. */
export function fingerprint(json: IDataObject, volatile: string[] = []): string {
	const skip = new Set(['_meta', ...volatile]);
	const stable = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(stable);
		if (value && typeof value === 'object') {
			return Object.fromEntries(
				Object.keys(value)
					.sort()
					.map((key) => [key, stable((value as IDataObject)[key])]),
			);
		}
		return value;
	};
	const top = Object.fromEntries(Object.entries(json).filter(([key]) => !skip.has(key)));
	return JSON.stringify(stable(top));
}

/** The outputs of one input item. */
export interface ItemView {
	successes: string[];
	errors: IDataObject[];
	duplicates: string[];
}

const isErrorItem = (json: IDataObject) => json.error !== undefined;

export function viewItems(family: NodeFamily, output: INodeExecutionData[], count: number): { views: ItemView[]; unpaired: string[] } {
	const views: ItemView[] = Array.from({ length: count }, () => ({ successes: [], errors: [], duplicates: [] }));
	const seen: Array<Set<string>> = Array.from({ length: count }, () => new Set());
	const unpaired: string[] = [];
	output.forEach((item, position) => {
		const paired = item.pairedItem as { item?: number } | undefined;
		const index = paired?.item;
		if (typeof index !== 'number' || index < 0 || index >= count) {
			unpaired.push(`output ${position} is paired with ${JSON.stringify(item.pairedItem)}`);
			return;
		}
		const view = views[index];
		if (isErrorItem(item.json)) {
			view.errors.push(item.json);
			return;
		}
		const key = family.outputKey(item.json);
		if (seen[index].has(key)) view.duplicates.push(key);
		seen[index].add(key);
		view.successes.push(fingerprint(item.json, family.volatile));
	});
	return { views, unpaired };
}

/** What one input item should end as in a faulted run. */
export type ItemExpectation = { status: 'ok' } | { status: 'error'; kind: string; notAttempted: boolean; keeps: number };

export function expectedItems(family: NodeFamily, items: ItemSpec[], expectation: Expectation): ItemExpectation[] {
	const result: ItemExpectation[] = items.map(() => ({ status: 'ok' }));
	if (expectation.outcome === 'recovers') return result;
	const units = family.units(items);
	const victim = units[family.victimUnit];
	const fail = (unit: { items: number[] }, notAttempted: boolean, keeps: number) => {
		for (const index of unit.items) result[index] = { status: 'error', kind: expectation.kind, notAttempted, keeps };
	};
	fail(victim, false, family.victimKeeps ?? 0);
	if (expectation.outcome === 'victimFails') return result;
	// A stop: later calls are not sent. A JPO daily limit only stops its own API; the fault keeps
	// refusing every call in scope, so the first call of each other API is sent, refused, and stops that API.
	const stopped = new Set([victim.group]);
	for (const unit of units.slice(family.victimUnit + 1)) {
		if (expectation.kind === 'quota' && family.quotaPerGroup && !stopped.has(unit.group)) {
			stopped.add(unit.group);
			fail(unit, false, 0);
		} else {
			fail(unit, true, 0);
		}
	}
	return result;
}

/**
 * Accounting of one node run against the clean reference run: each input item has outputs (none
 * lost), no output twice (none duplicated), and whatever succeeded is what a clean run returns.
 * Partial results are only allowed where the family keeps them (P048 pages before a failure).
 */
export function accountNodeItems(family: NodeFamily, items: ItemSpec[], output: INodeExecutionData[], reference: (index: number) => string[] | undefined): {
	accounting: Accounting;
	views: ItemView[];
} {
	const accounting = emptyAccounting();
	const { views, unpaired } = viewItems(family, output, items.length);
	accounting.itemsIn = items.length;
	accounting.lost.push(...unpaired);
	views.forEach((view, index) => {
		const label = `item ${index} (${items[index].key})`;
		accounting.outputs += view.successes.length;
		accounting.errorItems += view.errors.length;
		if (view.successes.length === 0 && view.errors.length === 0) accounting.lost.push(`${label} has no output`);
		for (const key of view.duplicates) accounting.duplicated.push(`${label} output ${key}`);
		if (view.errors.length > 1) accounting.duplicated.push(`${label} has ${view.errors.length} error items`);
		if (family.shape === 'one' && view.successes.length > 1) accounting.duplicated.push(`${label} has ${view.successes.length} results`);
		if (family.shape !== 'pages' && view.errors.length > 0 && view.successes.length > 0) {
			accounting.duplicated.push(`${label} has both results and an error item`);
		}
		for (const error of view.errors) {
			if (typeof error.errorKind !== 'string' || !/^(JPO|PatSnap): /.test(String(error.error))) {
				accounting.wrongData.push(`${label} error item without a kind or an API-named message: ${JSON.stringify(error).slice(0, 200)}`);
			}
			if (family.shape === 'pages' && error.documentsFetched !== undefined && error.documentsFetched !== view.successes.length) {
				accounting.wrongData.push(`${label} says ${String(error.documentsFetched)} documents were fetched but has ${view.successes.length}`);
			}
		}
		const expected = reference(index);
		if (!expected) return;
		const complete = view.errors.length === 0;
		const got = view.successes;
		const want = complete ? expected : expected.slice(0, got.length);
		if (JSON.stringify(got) !== JSON.stringify(want)) {
			const first = got.findIndex((value, position) => value !== want[position]);
			accounting.wrongData.push(
				`${label}: ${got.length} result(s), a clean run gives ${complete ? want.length : `a prefix of ${expected.length}`}${first >= 0 ? `; first difference at ${first}: ${got[first].slice(0, 160)}` : ''}`,
			);
		}
	});
	return { accounting, views };
}

export interface NodeRun {
	output?: INodeExecutionData[];
	error?: Error & { description?: string };
}

export async function executeFamily(
	h: FaultHarness,
	family: NodeFamily,
	items: ItemSpec[],
	options: { continueOnFail: boolean; store: CredentialStore },
): Promise<NodeRun> {
	try {
		const { output } = await runNode({
			node: family.node(),
			items: items.map(() => ({ json: {} })),
			parameters: (index) => items[index].parameters,
			credentials: h.credentials(),
			store: options.store,
			continueOnFail: options.continueOnFail,
		});
		return { output };
	} catch (error) {
		return { error: error as NodeRun['error'] };
	}
}

/** The clean reference: what each item of the family's matrix input gives without faults. */
export async function referenceRun(h: FaultHarness, family: NodeFamily): Promise<string[][]> {
	h.reset(family.sandbox);
	const items = family.items(h);
	const run = await executeFamily(h, family, items, { continueOnFail: false, store: newCredentialStore(h.credentials()) });
	if (!run.output) throw new Error(`The clean reference run of ${family.name} failed: ${run.error?.message}`);
	const { views, unpaired } = viewItems(family, run.output, items.length);
	if (unpaired.length > 0 || views.some((view) => view.errors.length > 0 || view.successes.length === 0 || view.duplicates.length > 0)) {
		throw new Error(`The clean reference run of ${family.name} is not clean`);
	}
	return views.map((view) => view.successes);
}

export function faultRule(family: Family, column: FaultColumn, phase: Phase): FaultRule {
	return {
		api: family.api,
		path: family.scope.path,
		skip: family.scope.skip,
		...(phase.count !== undefined ? { count: phase.count } : {}),
		...column.rule(family.api),
	};
}

export interface PhaseReport {
	title: string;
	/** Everything that went wrong, in words; an empty list is a passing phase. */
	problems: string[];
	accounting: Accounting;
	/** Wall-clock and fake-clock time of the faulted run. */
	wallMs: number;
	fakeMs: number;
}

/** The first call hit by the fault: did it take the tries the expectation says, and not more? */
export function checkVictimCall(wire: WireRequest[], expectation: Expectation): string[] {
	const victim = callsOf(wire).find((call) => call.requests.some((request) => request.fault !== null));
	if (!victim) return ['the fault never fired: check the family scope'];
	const problems: string[] = [];
	if (victim.attempts !== expectation.attempts) problems.push(`the faulted call took ${victim.attempts} tries, expected ${expectation.attempts}`);
	const refusals = 'authRefusals' in expectation ? (expectation.authRefusals ?? 0) : 0;
	if (victim.authRefusals !== refusals) problems.push(`the faulted call had ${victim.authRefusals} token refusals, expected ${refusals}`);
	return problems;
}

function describeExpectation(expected: ItemExpectation): string {
	return expected.status === 'ok' ? 'a clean result' : `a ${expected.kind} error${expected.notAttempted ? ' (not attempted)' : ''}${expected.keeps ? ` after ${expected.keeps} results` : ''}`;
}

function compareWithExpectation(items: ItemSpec[], views: ItemView[], expected: ItemExpectation[]): string[] {
	const problems: string[] = [];
	views.forEach((view, index) => {
		const want = expected[index];
		const [error] = view.errors;
		const matches =
			want.status === 'ok'
				? view.errors.length === 0
				: view.errors.length === 1 && error.errorKind === want.kind && Boolean(error.notAttempted) === want.notAttempted && view.successes.length === want.keeps;
		if (!matches) {
			const got = error ? `a ${String(error.errorKind)} error${error.notAttempted ? ' (not attempted)' : ''} after ${view.successes.length} results: ${String(error.error)}` : `${view.successes.length} results`;
			problems.push(`item ${index} (${items[index].key}): expected ${describeExpectation(want)}, got ${got}`);
		}
	});
	return problems;
}

const prefixed = (prefix: string, entries: string[]) => entries.map((entry) => `${prefix}: ${entry}`);

/**
 * The error says which API failed. n8n's NodeApiError swaps a message that mentions a network code
 * (ECONNRESET, ETIMEDOUT, ...) for its own generic sentence; then the description, which names
 * the operation, has to say it.
 */
function namesTheApi(error: Error & { description?: string }): boolean {
	return /^(JPO|PatSnap): /.test(error.message) || /Operation: /.test(String(error.description));
}

/**
 * One phase of a node cell:
 * 1. the faulted run with Continue On Fail on: accounting, billing, budget, the expected outcome;
 * 2. a clean re-run in the same state (credential, throttles, sandbox), faults removed: the reference data;
 * 3. when items fail, the faulted run again with Continue On Fail off: a NodeApiError or
 *    NodeOperationError naming the API, and for a stop after results were fetched, a description
 *    saying so (n8n discards the output of a failed node; README, "Rate limits, retries and quotas").
 */
export async function runNodePhase(h: FaultHarness, family: NodeFamily, column: FaultColumn, phase: Phase, reference: string[][]): Promise<PhaseReport> {
	const title = `${family.name} × ${column.label} (${phase.name})`;
	const problems: string[] = [];
	const inapplicable = family.notApplicable?.[column.id] !== undefined;
	h.reset(family.sandbox);
	const items = family.items(h);
	const store = newCredentialStore(h.credentials());
	h.sb.faults.add(faultRule(family, column, phase));
	h.clearLog();
	const wallStart = Date.now();
	const fakeStart = h.clock.now();
	const faulted = await executeFamily(h, family, items, { continueOnFail: true, store });
	const wallMs = Date.now() - wallStart;
	const fakeMs = h.clock.now() - fakeStart;
	const wire = h.wire();
	let accounting = emptyAccounting();
	if (!faulted.output) {
		problems.push(`threw with Continue On Fail on: ${faulted.error?.message}`);
	} else {
		const accounted = accountNodeItems(family, items, faulted.output, (index) => reference[index]);
		accounting = accounted.accounting;
		if (!inapplicable) problems.push(...compareWithExpectation(items, accounted.views, expectedItems(family, items, phase.expect)));
	}
	Object.assign(accounting, accountWire(wire, family.maxAttempts));
	problems.push(...violations(accounting));
	if (!inapplicable) problems.push(...checkVictimCall(wire, phase.expect));

	h.sb.faults.clear();
	if (column.id === 'dailyQuota' && !inapplicable) {
		problems.push(...prefixed('after the quota stop', await checkHeldBack(h, family, items, store, wire)));
		// The sandbox's rule refused without using up the real count: let the re-run find the limit
		// reset, as it would be after midnight, with the throttles and tokens as they are.
		processUsedUpLimits.clear();
	}
	h.clearLog();
	const clean = await executeFamily(h, family, items, { continueOnFail: true, store });
	if (!clean.output) {
		problems.push(`the clean re-run threw: ${clean.error?.message}`);
	} else {
		const rerun = accountNodeItems(family, items, clean.output, (index) => reference[index]);
		problems.push(...prefixed('clean re-run', [...violations(rerun.accounting), ...rerun.views.flatMap((view, index) => (view.errors.length ? [`item ${index} failed: ${String(view.errors[0].error)}`] : []))]));
	}

	if (phase.expect.outcome !== 'recovers' && !inapplicable) problems.push(...(await checkWithoutContinueOnFail(h, family, column, phase, items)));
	problems.push(...secretsIn(h, { faulted, clean }));
	return { title, problems, accounting, wallMs, fakeMs };
}

/** Every cell's output, errors and trigger state are scanned for the demo secrets and every token issued. */
function secretsIn(h: FaultHarness, values: unknown): string[] {
	return findSecrets(values, sandboxSecrets(h.sb)).map((place) => `a secret in the run's output: ${place}`);
}

/**
 * The next run after a daily-limit refusal, as an AI Agent calling the node again would make it:
 * nothing goes to the refused API (JPO: the endpoint refused; PatSnap: the whole credential), and
 * the items held back are error items that say they were not sent.
 */
async function checkHeldBack(h: FaultHarness, family: NodeFamily, items: ItemSpec[], store: CredentialStore, faultedWire: WireRequest[]): Promise<string[]> {
	h.clearLog();
	const held = await executeFamily(h, family, items, { continueOnFail: true, store });
	if (!held.output) return [`threw with Continue On Fail on: ${held.error?.message}`];
	const refused = new Set(faultedWire.filter((request) => request.fault !== null).map((request) => request.endpoint));
	const problems = h
		.wire()
		.filter((request) => request.kind !== 'download' && (family.api === 'patsnap' || refused.has(request.endpoint)))
		.map((request) => `sent ${request.method} ${request.path} to an API that had said its daily limit is used up`);
	if (!held.output.some((item) => item.json.notSent === true && item.json.errorKind === 'quota')) problems.push('no error item says it was not sent');
	return problems;
}

async function checkWithoutContinueOnFail(h: FaultHarness, family: NodeFamily, column: FaultColumn, phase: Phase, items: ItemSpec[]): Promise<string[]> {
	const problems: string[] = [];
	h.reset(family.sandbox);
	h.sb.faults.add(faultRule(family, column, phase));
	h.clearLog();
	const run = await executeFamily(h, family, items, { continueOnFail: false, store: newCredentialStore(h.credentials()) });
	problems.push(...prefixed('without Continue On Fail', violations({ ...emptyAccounting(), ...accountWire(h.wire(), family.maxAttempts) })));
	const error = run.error;
	problems.push(...secretsIn(h, run));
	if (!error) return [...problems, 'without Continue On Fail the run did not fail'];
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) problems.push(`without Continue On Fail it threw a ${error.constructor.name}, not a NodeApiError`);
	if (!namesTheApi(error)) problems.push(`without Continue On Fail the error names neither the API nor the operation: ${error.message} / ${String(error.description)}`);
	const expectation = phase.expect;
	const fetchedBefore = family.victimUnit > 0 || (family.victimKeeps ?? 0) > 0;
	if (expectation.outcome === 'stops' && fetchedBefore && !/had been fetched/.test(String(error.description))) {
		problems.push(`without Continue On Fail the results fetched before the stop are discarded silently: ${error.message} / ${String(error.description)}`);
	}
	return problems;
}

/**
 * A daily-limit stop, as n8n's `failure` contract marks it. A trigger that hits it records the
 * entries it checked before (docs/triggers.md, JPO Trigger, Quota); any other failed poll records nothing.
 */
export function isQuotaStop(error: unknown): boolean {
	return (error as { failure?: { cause?: string } } | undefined)?.failure?.cause === 'quota-exhausted';
}

const changeKeys = (family: TriggerFamily, items: INodeExecutionData[] | null) => (items ?? []).map((item) => family.changeKey(item.json));

/**
 * What the faulted poll of a trigger cell must emit and may emit; a poll with nothing to emit after
 * a failed call must fail instead. A poll that recovers may still leave later entries for the next
 * poll (it stops starting new checks well before n8n's poll budget, and a rate error costs a whole
 * minute), but the entries up to the faulted call must have been checked. When the faulted call
 * fails, a daily-limit stop keeps what was found before it. A family with partialPolls keeps that
 * after any stop, and after a failure that does not stop the poll it also keeps what the other
 * calls found, only the faulted call's own changes aside.
 */
function faultedPollPlan(family: TriggerFamily, expectation: Expectation, expectedKeys: string[]): { required: string[]; allowed: string[] } {
	const end = family.victim + (family.victimCount ?? 1);
	const changes = family.changed.map((index, position) => ({ index, key: expectedKeys[position] }));
	const keys = (keep: (change: { index: number; key: string }) => boolean) => changes.filter(keep).map((change) => change.key);
	if (expectation.outcome === 'recovers') return { required: keys((change) => change.index < end), allowed: expectedKeys };
	const before = keys((change) => change.index < family.victim);
	if (!family.partialPolls) {
		const keepsBefore = expectation.outcome === 'stops' && expectation.kind === 'quota';
		return keepsBefore ? { required: before, allowed: before } : { required: [], allowed: [] };
	}
	if (expectation.outcome === 'stops') return { required: before, allowed: before };
	const failedCallReads = (change: { index: number; key: string }) => change.index >= family.victim && change.index < end && (family.readByFaultedCall?.(change.key) ?? true);
	return { required: keys((change) => change.index < end && !failedCallReads(change)), allowed: keys((change) => !failedCallReads(change)) };
}

/**
 * One phase of a trigger cell. "Every input item" is every watched entry: after a baseline poll
 * some entries change, then a faulted poll and a clean poll run. Each change must be emitted
 * exactly once over the two (a third poll emits nothing), the faulted poll emits only changes it
 * could have read (faultedPollPlan), and a poll that fails records nothing.
 */
export async function runTriggerPhase(h: FaultHarness, family: TriggerFamily, column: FaultColumn, phase: Phase): Promise<PhaseReport> {
	const title = `${family.name} × ${column.label} (${phase.name})`;
	const problems: string[] = [];
	h.reset(family.sandbox);
	const watched = family.watched(h);
	const poller = family.poller(h, watched);
	const baseline = await poller.poll();
	if (baseline.error || baseline.items) throw new Error(`The baseline poll of ${family.name} is not quiet: ${baseline.error?.message ?? `${baseline.items?.length} items`}`);
	const expectedKeys = family.changed.map((index) => family.change(h, watched[index]));

	h.sb.faults.add(faultRule(family, column, phase));
	h.clearLog();
	const wallStart = Date.now();
	const fakeStart = h.clock.now();
	const faulted = await poller.poll();
	const wallMs = Date.now() - wallStart;
	const fakeMs = h.clock.now() - fakeStart;
	const wire = h.wire();

	h.sb.faults.clear();
	family.beforeCleanPoll(h);
	h.clearLog();
	const clean = await poller.poll();
	const cleanWire = h.wire();
	const after = await poller.poll();

	const emitted = [changeKeys(family, faulted.items), changeKeys(family, clean.items), changeKeys(family, after.items)];
	const accounting = emptyAccounting();
	accounting.itemsIn = watched.length;
	accounting.outputs = emitted.flat().length;
	accounting.deferred = expectedKeys.filter((key) => !emitted[0].includes(key)).length;
	const counts = new Map<string, number>();
	for (const key of emitted.flat()) counts.set(key, (counts.get(key) ?? 0) + 1);
	for (const key of expectedKeys) if (!counts.has(key)) accounting.lost.push(`change ${key} was never emitted`);
	for (const [key, times] of counts) {
		if (times > 1) accounting.duplicated.push(`change ${key} emitted ${times} times`);
		if (!expectedKeys.includes(key)) accounting.wrongData.push(`change ${key} was emitted but never made`);
	}
	if (clean.error) accounting.wrongData.push(`the clean poll failed: ${clean.error.message}`);
	if (after.error || after.items) accounting.duplicated.push(`a third poll was not quiet: ${after.error?.message ?? `${after.items?.length} items`}`);
	Object.assign(accounting, accountWire(wire, family.maxAttempts));
	const cleanAccounting = accountWire(cleanWire, family.maxAttempts);
	problems.push(...violations(accounting), ...prefixed('clean poll', violations({ ...emptyAccounting(), ...cleanAccounting })));
	problems.push(...secretsIn(h, { baseline, faulted, clean, after }));
	if (family.notApplicable?.[column.id] !== undefined) return { title, problems, accounting, wallMs, fakeMs };
	problems.push(...checkVictimCall(wire, phase.expect));

	const plan = faultedPollPlan(family, phase.expect, expectedKeys);
	if (faulted.error) {
		if (phase.expect.outcome === 'recovers' || plan.required.length > 0) {
			problems.push(`the faulted poll failed: ${faulted.error.message}`);
		} else {
			const recordsChecked = isQuotaStop(faulted.error) && !family.partialPolls;
			if (!recordsChecked && JSON.stringify(faulted.before) !== JSON.stringify(faulted.after)) problems.push('the failed poll changed the trigger state');
			if (!namesTheApi(faulted.error)) problems.push(`the poll error names neither the API nor the operation: ${faulted.error.message} / ${String(faulted.error.description)}`);
			if (!/next poll/.test(String(faulted.error.description))) problems.push(`the poll error does not say what the next poll does: ${String(faulted.error.description)}`);
		}
	} else {
		for (const key of plan.required) if (!emitted[0].includes(key)) problems.push(`the faulted poll did not emit ${key}`);
		for (const key of emitted[0]) if (!plan.allowed.includes(key)) problems.push(`the faulted poll emitted ${key}, which it could not have read`);
		if (phase.expect.outcome !== 'recovers' && emitted[0].length === 0) problems.push('the faulted poll should have failed: it had nothing to emit');
	}
	return { title, problems, accounting, wallMs, fakeMs };
}
