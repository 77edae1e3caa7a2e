/**
 * The soak: 10,000 input items across every family of the fault matrix, with 5 % of the requests
 * in each family's scope hit by a random fault (every fault column, seeded, through the sandbox's
 * `probability` option), then the accounting per family. Exits with code 1 when an item was lost
 * or duplicated, a batch or page was billed twice, a call went over its retry budget or was
 * repeated after a whole answer, or a result differs from a clean run.
 *
 *   npx tsx test/faults/soak.ts [--items 10000] [--rate 0.05] [--seed 20240401]
 *   npx tsx test/faults/soak.ts --seeds 20 [--first-seed 1]   one soak per seed, 1 to 20; fails if any does
 *
 * Quotas are raised in the sandbox so the run is bounded by faults, not by daily limits; the
 * request rates stay at the APIs' real limits, on the fake clock, so throttling costs no real time.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FaultRule } from '../../sandbox';
import { defaultConfig, type DeepPartial, type SandboxConfig } from '../../sandbox';
import { Prng } from '../../sandbox/core/prng';
import { newCredentialStore } from '../helpers/n8nContext';
import { accountNodeItems, addAccounting, emptyAccounting, executeFamily, isQuotaStop, viewItems, violations, type Accounting } from './cells';
import { FAMILIES } from './families';
import type { ItemSpec, NodeFamily, TriggerFamily } from './family';
import { FAULT_COLUMNS } from './faults';
import { accountWire, FaultHarness, type WireRequest } from './harness';

interface Settings {
	items: number;
	rate: number;
	seed: number;
}

interface SeedSet {
	/** 0: one soak with `seed`; otherwise one soak for each seed from `firstSeed` on. */
	seeds: number;
	firstSeed: number;
}

function readSettings(argv: string[]): Settings & SeedSet {
	const value = (name: string, fallback: number) => {
		const index = argv.indexOf(`--${name}`);
		const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
		if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} needs a number`);
		return parsed;
	};
	return {
		items: Math.floor(value('items', 10_000)),
		rate: value('rate', 0.05),
		seed: Math.floor(value('seed', 20240401)),
		seeds: Math.floor(value('seeds', 0)),
		firstSeed: Math.floor(value('first-seed', 1)),
	};
}

/** How the items are shared out between the families; a family not listed here weighs 10. */
const WEIGHTS: Record<string, number> = {
	'JPO JSON': 20,
	'JPO documents': 6,
	'JPO documents via download link': 4,
	OPD: 10,
	'PatSnap batch': 40,
	'PatSnap P048 paging': 10,
	'JPO Trigger': 10,
	'PatSnap Trigger': 10,
};

/** Items per family in proportion to the weights, adding up to exactly `total`. */
function shareItems(total: number): number[] {
	const weights = FAMILIES.map((family) => WEIGHTS[family.name] ?? 10);
	const sum = weights.reduce((a, b) => a + b, 0);
	const shares = weights.map((weight) => Math.floor((total * weight) / sum));
	shares[shares.length - 1] += total - shares.reduce((a, b) => a + b, 0);
	return shares;
}

const UNLIMITED = 100_000_000;

/** Daily limits out of the way; the per-minute and per-second windows stay as the APIs set them. */
function soakConfig(seed: number): DeepPartial<SandboxConfig> {
	return {
		seed,
		jpo: { dailyLimits: Object.fromEntries(Object.keys(defaultConfig().jpo.dailyLimits).map((endpoint) => [endpoint, UNLIMITED])) },
		patsnap: { dailyLimit: UNLIMITED },
	};
}

/**
 * One rule per fault column, each firing with the same probability, so that together they hit
 * `rate` of the requests in the family's scope (rules are tried in order; the first that fires wins).
 */
function randomFaults(family: NodeFamily | TriggerFamily, rate: number): FaultRule[] {
	const columns = FAULT_COLUMNS.filter((column) => !family.notApplicable?.[column.id]);
	const each = 1 - (1 - rate) ** (1 / columns.length);
	return columns.map((column) => {
		const rule = column.rule(family.api);
		// A short delay: the point is an answer that arrives late, not a slow soak.
		return { api: family.api, path: family.scope.path, probability: each, ...rule, ...(rule.kind === 'latency' ? { ms: 20 } : {}) };
	});
}

interface FamilyResult {
	name: string;
	accounting: Accounting;
	faults: Record<string, number>;
	wallMs: number;
	fakeMs: number;
}

function countFaults(wire: WireRequest[], into: Record<string, number>): void {
	for (const request of wire) {
		if (!request.fault) continue;
		// The status faults are told apart by the code they sent (JPO 303, PatSnap 67200007, ...).
		const kind = request.fault === 'jpoStatus' || request.fault === 'patsnapError' ? `${request.fault} ${String(request.resultCode)}` : request.fault;
		into[kind] = (into[kind] ?? 0) + 1;
	}
}

function countFaultsInto(from: Record<string, number>, into: Record<string, number>): void {
	for (const [kind, count] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + count;
}

/**
 * Random runs from the family's pool. Each JPO item is its own call, so two equal items that meet
 * on the wire would look like one call tried twice. They meet when they are neighbours, and also
 * when every item between them goes unsent: a daily-limit stop (JPO 203) skips the later items of
 * that API only, so `A, B, A` sends `A, A` once B's API is used up. An equal item is therefore drawn
 * again unless an item of its own group (its API, whose stop would skip it too) came in between.
 */
function drawRuns(family: NodeFamily, pool: ItemSpec[], items: number, prng: Prng): ItemSpec[][] {
	const runs: ItemSpec[][] = [];
	for (let left = items; left > 0; left -= family.soakRunSize) {
		const run: ItemSpec[] = [];
		while (run.length < Math.min(family.soakRunSize, left)) {
			const candidate = prng.pick(pool);
			if (pool.length > 1 && meetsEqualOnTheWire(run, candidate)) continue;
			run.push(candidate);
		}
		runs.push(run);
	}
	return runs;
}

function meetsEqualOnTheWire(run: ItemSpec[], candidate: ItemSpec): boolean {
	for (let index = run.length - 1; index >= 0; index--) {
		if (run[index].key === candidate.key) return true;
		if (run[index].group === candidate.group) return false;
	}
	return false;
}

async function soakNodeFamily(h: FaultHarness, family: NodeFamily, items: number, settings: Settings): Promise<FamilyResult> {
	const prng = new Prng(settings.seed);
	h.reset(family.sandbox);
	const runs = drawRuns(family, family.pool(h), items, prng);

	// What a clean run gives for every item spec the soak uses, fetched before any fault.
	const reference = new Map<string, string[]>();
	const distinct = [...new Map(runs.flat().map((spec) => [spec.key, spec])).values()];
	for (let start = 0; start < distinct.length; start += family.soakRunSize) {
		const chunk = distinct.slice(start, start + family.soakRunSize);
		const clean = await executeFamily(h, family, chunk, { continueOnFail: false, store: newCredentialStore(h.credentials()) });
		if (!clean.output) throw new Error(`${family.name}: the clean reference run failed: ${clean.error?.message}`);
		viewItems(family, clean.output, chunk.length).views.forEach((view, index) => reference.set(chunk[index].key, view.successes));
	}

	h.reset(family.sandbox);
	for (const rule of randomFaults(family, settings.rate)) h.sb.faults.add(rule);
	// One credential for the whole soak, as n8n keeps one: tokens renewed in one run serve the next.
	const store = newCredentialStore(h.credentials());
	const result: FamilyResult = { name: family.name, accounting: emptyAccounting(), faults: {}, wallMs: 0, fakeMs: 0 };
	const wallStart = performance.now();
	const fakeStart = h.clock.now();
	for (const run of runs) {
		h.clearLog();
		const outcome = await executeFamily(h, family, run, { continueOnFail: true, store });
		const wire = h.wire();
		countFaults(wire, result.faults);
		let accounting = emptyAccounting();
		if (outcome.output) accounting = accountNodeItems(family, run, outcome.output, (index) => reference.get(run[index].key)).accounting;
		else {
			accounting.itemsIn = run.length;
			accounting.lost.push(`a whole run of ${run.length} items threw with Continue On Fail on: ${outcome.error?.message}`);
		}
		addAccounting(result.accounting, { ...accounting, ...accountWire(wire, family.maxAttempts) });
	}
	result.wallMs = performance.now() - wallStart;
	result.fakeMs = h.clock.now() - fakeStart;
	return result;
}

/**
 * A trigger watches its list for many polls, an hour apart. Before each poll some entries change
 * (not an entry whose last new state was not emitted yet: it would be replaced); faults hit the
 * poll at random. At the end, with faults gone and past the daily reset, polls run until one is
 * quiet. Every change must have been emitted exactly once, none invented.
 */
async function soakTriggerFamily(h: FaultHarness, family: TriggerFamily, items: number, settings: Settings): Promise<FamilyResult> {
	const prng = new Prng(settings.seed);
	h.reset(family.sandbox);
	const watched = family.soakWatched?.(h) ?? family.watched(h);
	const poller = family.poller(h, watched);
	const baseline = await poller.poll();
	if (baseline.error) throw new Error(`${family.name}: the baseline poll failed: ${baseline.error.message}`);
	for (const rule of randomFaults(family, settings.rate)) h.sb.faults.add(rule);

	const result: FamilyResult = { name: family.name, accounting: emptyAccounting(), faults: {}, wallMs: 0, fakeMs: 0 };
	const accounting = result.accounting;
	const madeAt = new Map<string, number>();
	const emitted = new Map<string, number>();
	/** The key of each entry's last change. */
	const lastChange = new Map<string, string>();
	const record = (keys: string[], poll: number) => {
		for (const key of keys) {
			emitted.set(key, (emitted.get(key) ?? 0) + 1);
			if ((madeAt.get(key) ?? poll) < poll) accounting.deferred += 1;
		}
		accounting.outputs += keys.length;
	};
	const wallStart = performance.now();
	const fakeStart = h.clock.now();
	const polls = Math.ceil(items / watched.length);
	for (let poll = 0; poll < polls; poll++) {
		for (const entry of watched) {
			if (!prng.chance(0.2)) continue;
			// A new state that no poll has reported yet would only be replaced: the trigger sees the latest.
			const last = lastChange.get(entry);
			if (last !== undefined && !emitted.has(last) && family.replacedByNextChange?.(last)) continue;
			const key = family.change(h, entry);
			madeAt.set(key, poll);
			lastChange.set(entry, key);
		}
		h.clock.advance(3_600_000);
		h.clearLog();
		const outcome = await poller.poll();
		const wire = h.wire();
		countFaults(wire, result.faults);
		addAccounting(accounting, { ...emptyAccounting(), ...accountWire(wire, family.maxAttempts) });
		accounting.itemsIn += watched.length;
		// A failed poll records nothing, except a daily-limit stop of a trigger without partial polls, which
		// records the entries it checked (they had no change, or it would have emitted them instead of failing).
		const recordsChecked = outcome.error !== undefined && isQuotaStop(outcome.error) && !family.partialPolls;
		if (outcome.error && !recordsChecked && JSON.stringify(outcome.before) !== JSON.stringify(outcome.after)) {
			accounting.wrongData.push(`poll ${poll} failed (${outcome.error.message}) and still changed the trigger state`);
		}
		record((outcome.items ?? []).map((item) => family.changeKey(item.json as IDataObject)), poll);
	}
	h.sb.faults.clear();
	for (let extra = 0; extra < 3; extra++) {
		family.beforeCleanPoll(h);
		const outcome = await poller.poll();
		if (outcome.error) accounting.wrongData.push(`a clean poll at the end failed: ${outcome.error.message}`);
		if (!outcome.items) break;
		record(
			outcome.items.map((item) => family.changeKey(item.json as IDataObject)),
			polls + extra,
		);
	}
	for (const key of madeAt.keys()) if (!emitted.has(key)) accounting.lost.push(`change ${key} was never emitted`);
	for (const [key, times] of emitted) {
		if (times > 1) accounting.duplicated.push(`change ${key} emitted ${times} times`);
		if (!madeAt.has(key)) accounting.wrongData.push(`change ${key} was emitted but never made`);
	}
	result.wallMs = performance.now() - wallStart;
	result.fakeMs = h.clock.now() - fakeStart;
	return result;
}

function formatDuration(ms: number): string {
	if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms < 3_600_000) return `${Math.round(ms / 1000)} s`;
	return `${(ms / 3_600_000).toFixed(1)} h`;
}

function table(results: FamilyResult[]): string {
	const header = ['family', 'items in', 'outputs', 'error items', 'deferred', 'lost', 'duplicated', 'wrong data', 'API calls', 'billed/counted', 'double-billed', 'retries', 'over budget', 'faults hit', 'wall time', 'fake time'];
	const rows = results.map((result) => {
		const a = result.accounting;
		const hits = Object.values(result.faults).reduce((sum, count) => sum + count, 0);
		return [
			result.name,
			a.itemsIn,
			a.outputs,
			a.errorItems,
			a.deferred,
			a.lost.length,
			a.duplicated.length,
			a.wrongData.length,
			a.apiCalls,
			a.charged,
			a.doubleBilled.length,
			a.retries,
			a.budget.length + a.needless.length,
			hits,
			formatDuration(result.wallMs),
			formatDuration(result.fakeMs),
		].map(String);
	});
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
	const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
	return [line(header), `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<number> {
	const { seeds, firstSeed, ...settings } = readSettings(process.argv.slice(2));
	if (seeds === 0) return (await soak(settings)).length === 0 ? 0 : 1;
	const failing: string[] = [];
	for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
		const problems = await soak({ ...settings, seed });
		if (problems.length > 0) failing.push(`seed ${seed}: ${problems.length} violation(s), the first: ${problems[0]}`);
		console.log('');
	}
	const last = firstSeed + seeds - 1;
	if (failing.length === 0) {
		console.log(`Seeds ${firstSeed} to ${last}: no violation.`);
		return 0;
	}
	console.log(`Seeds ${firstSeed} to ${last}: ${failing.length} with violations:`);
	for (const line of failing) console.log(`  ${line}`);
	return 1;
}

/** One soak; returns its violations (and prints its table). */
async function soak(settings: Settings): Promise<string[]> {
	const shares = shareItems(settings.items);
	const h = await FaultHarness.start(soakConfig(settings.seed), { dateFollowsClock: true });
	const results: FamilyResult[] = [];
	const started = performance.now();
	console.log(`Soak: ${settings.items} items, ${(settings.rate * 100).toFixed(1)} % of requests faulted, seed ${settings.seed}`);
	try {
		for (const [index, family] of FAMILIES.entries()) {
			const items = shares[index];
			const result = family.type === 'node' ? await soakNodeFamily(h, family, items, settings) : await soakTriggerFamily(h, family, items, settings);
			results.push(result);
			const hits = Object.entries(result.faults)
				.map(([kind, count]) => `${kind} ${count}`)
				.join(', ');
			console.log(`  ${family.name}: ${result.accounting.itemsIn} items in ${formatDuration(result.wallMs)}; faults hit: ${hits || 'none'}`);
		}
	} finally {
		await h.stop();
	}
	const total = emptyAccounting();
	for (const result of results) addAccounting(total, result.accounting);
	const totalRow: FamilyResult = { name: 'total', accounting: total, faults: {}, wallMs: performance.now() - started, fakeMs: results.reduce((sum, result) => sum + result.fakeMs, 0) };
	for (const result of results) countFaultsInto(result.faults, totalRow.faults);
	console.log('');
	console.log(table([...results, totalRow]));
	const problems = violations(total);
	console.log('');
	if (problems.length === 0) {
		console.log('No item lost or duplicated, nothing billed twice, every call within its retry budget, every result as a clean run gives it.');
		return problems;
	}
	console.log(`${problems.length} violation(s); the first 20:`);
	for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
	return problems;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: Error) => {
		console.error(error);
		process.exitCode = 2;
	},
);
