// Scenario 1: PatSnap Get Legal Status for N distinct numbers against a 5 QPS sandbox, our node
// beside what a user would build without it: n8n's HTTP Request node, one call per item, first
// as is and then paced with its Batching option (5 items per batch, one batch a second).
import { fmtInt, fmtSeconds, patSnapNumbers, sandboxSeed } from '../lib/common.mjs';
import { callSpan } from '../lib/n8nHarness.mjs';
import { measurement } from '../lib/report.mjs';

const QPS = 5;
const BATCH = 100;
const TOO_FAST = 67200002;
// The sandbox's daily limit (10,000 calls per credential) would cut the naive 10,000-item run,
// which is not what is measured here; a real account has its own daily limit on top.
const SANDBOX_CONFIG = { patsnap: { qps: QPS, dailyLimit: 10_000_000 } };

function plan(full) {
	const all = [
		// The README's user-research claim was made with 200 numbers; checked at that size first.
		{ n: 200, variants: ['ours', 'naive', 'paced'] },
		{ n: 1_000, variants: ['ours', 'naive', 'paced'] },
		{ n: 10_000, variants: full ? ['ours', 'list', 'naive', 'paced'] : ['ours', 'list', 'naive'] },
	];
	// BENCH_PATSNAP_SIZES=10000 (comma-separated) re-runs only some sizes.
	const only = (process.env.BENCH_PATSNAP_SIZES ?? '').split(',').filter(Boolean).map(Number);
	return only.length > 0 ? all.filter(({ n }) => only.includes(n)) : all;
}

const VARIANTS = {
	ours: { template: 'patsnap-node.json', node: 'PatSnap', label: 'PatSnap node', credentials: true },
	// The same node fed one item that carries all N numbers: n8n resolves the parameter once, which
	// separates the node's pacing from n8n's per-item expression work.
	list: { template: 'patsnap-node-list.json', node: 'PatSnap', label: 'PatSnap node, all numbers in one item', credentials: true },
	naive: { template: 'patsnap-http-naive.json', node: 'HTTP Request', label: 'HTTP Request node, one call per item', credentials: false },
	paced: {
		template: 'patsnap-http-paced.json',
		node: 'HTTP Request',
		label: 'HTTP Request node paced by hand (batches of 5, 1000 ms apart)',
		credentials: false,
	},
};

function oursRepeats() {
	const fromEnv = Number(process.env.BENCH_OURS_REPEATS);
	return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 3;
}

function median(values) {
	const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Several runs of one variant as one summary: medians for times, every run for counts. */
function combine(summaries) {
	if (summaries.length === 1) return { ...summaries[0], repeats: 1 };
	const [first] = summaries;
	return {
		...first,
		repeats: summaries.length,
		status: summaries.every((s) => s.status === 'success') ? 'success' : summaries.find((s) => s.status !== 'success').status,
		error: summaries.find((s) => s.error)?.error,
		calls: Math.max(...summaries.map((s) => s.calls)),
		callsPerRun: summaries.map((s) => s.calls),
		tooFast: summaries.reduce((sum, s) => sum + s.tooFast, 0),
		tooFastPerRun: summaries.map((s) => s.tooFast),
		tooFastDetails: summaries.flatMap((s, i) => (s.tooFastDetails ?? []).map((d) => ({ run: i + 1, ...d }))),
		billed: Math.max(...summaries.map((s) => s.billed)),
		tokenFetches: Math.max(...summaries.map((s) => s.tokenFetches)),
		nodeMs: median(summaries.map((s) => s.nodeMs)),
		nodeMsPerRun: summaries.map((s) => s.nodeMs),
		callSpanMs: median(summaries.map((s) => s.callSpanMs)),
		beforeFirstCallMs: median(summaries.map((s) => s.beforeFirstCallMs)),
		afterLastCallMs: median(summaries.map((s) => s.afterLastCallMs)),
		cliMs: median(summaries.map((s) => s.cliMs)),
	};
}

function workflowId(variant, n) {
	return `bPs${variant[0].toUpperCase()}${variant.slice(1)}${n}`;
}

/** What one execution did, from the sandbox's log and n8n's own run data. */
function analyse(run, variant) {
	const { node } = VARIANTS[variant];
	const calls = run.requests.filter((r) => r.api === 'patsnap' && r.kind === 'data');
	const items = run.output(node);
	const nodeRun = run.nodeRun(node);
	const summary = {
		status: run.result.status ?? (run.error ? 'error' : 'success'),
		error: run.error ? String(run.error.message ?? run.error).slice(0, 300) : undefined,
		calls: calls.length,
		tooFast: calls.filter((r) => r.resultCode === TOO_FAST).length,
		otherErrorAnswers: calls.filter((r) => r.resultCode !== 0 && r.resultCode !== TOO_FAST).length,
		billed: calls.reduce((sum, r) => sum + (r.billed ?? 0), 0),
		tokenFetches: run.tokenFetches.patsnap,
		nodeMs: nodeRun?.executionTime,
		callSpanMs: callSpan(calls),
		cliMs: run.cliMs,
		outputItems: items.length,
	};
	if (variant === 'ours' || variant === 'list') {
		// Where the node's time went: before the first call (n8n evaluating each item's expression,
		// input checks, token), between first and last call, after the last (output items).
		if (nodeRun && calls.length > 0) {
			summary.beforeFirstCallMs = calls[0].at - nodeRun.startTime;
			summary.afterLastCallMs = nodeRun.startTime + nodeRun.executionTime - calls[calls.length - 1].at;
		}
		// For each 67200002: how long before it the five previous accepted calls arrived. The sandbox
		// window is 1000 ms; the node's is 1010 ms, from each call's answer.
		summary.tooFastDetails = calls
			.map((call, index) => ({ call, index }))
			.filter(({ call }) => call.resultCode === TOO_FAST)
			.map(({ call, index }) => ({
				seq: call.seq,
				callNumber: index + 1,
				previousAcceptedMsAgo: calls
					.slice(0, index)
					.filter((c) => c.resultCode !== TOO_FAST)
					.slice(-5)
					.map((c) => call.at - c.at),
			}));
		summary.found = items.filter((i) => i.json.found === true).length;
		summary.notFound = items.filter((i) => i.json.found === false).length;
		summary.errorItems = items.filter((i) => i.json.error !== undefined).length;
	} else {
		// n8n passes every HTTP 200 answer on as a successful item, PatSnap's error envelopes included.
		summary.tooFastPassedAsSuccess = items.filter((i) => i.json.error_code === TOO_FAST).length;
		summary.otherErrorsPassedAsSuccess = items.filter((i) => i.json.status === false && i.json.error_code !== TOO_FAST).length;
		summary.found = items.filter((i) => i.json.status === true).reduce((sum, i) => sum + (Array.isArray(i.json.data) ? i.json.data.length : 0), 0);
	}
	return summary;
}

export default {
	id: 'patsnap-legal-status',
	number: 1,
	title: 'PatSnap Legal Status: batched node vs. the HTTP Request node, 5 QPS sandbox (real n8n)',
	realN8n: true,
	async run({ harness, log, full }) {
		const seed = await sandboxSeed();
		const runs = plan(full);
		const numbersByN = new Map(runs.map(({ n }) => [n, patSnapNumbers(n, seed.patsnapNumbers)]));
		const workflows = runs.flatMap(({ n, variants }) =>
			variants.map((variant) => ({
				template: VARIANTS[variant].template,
				id: workflowId(variant, n),
				name: `Bench: ${VARIANTS[variant].label}, N=${n}`,
				replacements: { __NUMBERS_CSV__: numbersByN.get(n).numbers.join(',') },
			})),
		);
		log(`importing ${workflows.length} workflows`);
		await harness.importWorkflows(workflows);

		const results = {};
		for (const { n, variants } of runs) {
			for (const variant of variants) {
				const expectedMs = variant === 'paced' ? (n / 5) * 1000 : variant === 'ours' ? (Math.ceil(n / BATCH) / QPS) * 1000 : 5000;
				// Our node runs several times: a single lucky run would hide an occasional 67200002.
				const repeats = variant === 'ours' ? oursRepeats() : 1;
				const summaries = [];
				for (let r = 1; r <= repeats; r++) {
					log(`N=${fmtInt(n)} ${VARIANTS[variant].label}${repeats > 1 ? ` (run ${r} of ${repeats})` : ''}: running (expect ~${fmtSeconds(expectedMs)} plus n8n start-up)`);
					const run = await harness.run(workflowId(variant, n), {
						config: SANDBOX_CONFIG,
						credentials: VARIANTS[variant].credentials,
						timeoutMs: Math.max(300_000, expectedMs * 2 + 120_000),
					});
					const summary = analyse(run, variant);
					summaries.push(summary);
					log(
						`  ${summary.status}: ${fmtInt(summary.calls)} calls, ${fmtInt(summary.tooFast)} × 67200002, node ${summary.nodeMs === undefined ? 'n/a' : fmtSeconds(summary.nodeMs)}, ${fmtInt(summary.found)} results` +
							(summary.error ? `, error: ${summary.error.split('\n')[0]}` : ''),
					);
				}
				results[`${variant}-${n}`] = { n, variant, knownToSandbox: numbersByN.get(n).knownCount, ...combine(summaries) };
			}
		}
		return { ...report(results, runs), raw: results };
	},
};

function report(results, runs) {
	const measurements = [];
	const notes = [];
	for (const { n } of runs) {
		const ours = results[`ours-${n}`];
		const list = results[`list-${n}`];
		const naive = results[`naive-${n}`];
		const paced = results[`paced-${n}`];
		const expectedCalls = Math.ceil(n / BATCH);
		const boundMs = (expectedCalls / QPS) * 1000;
		const tag = `N=${fmtInt(n)}`;
		if (ours) {
			const perRun = ours.repeats > 1;
			measurements.push(
				measurement({
					label: `${tag} PatSnap node: API calls${perRun ? ` (each of ${ours.repeats} runs)` : ''}`,
					value: ours.calls,
					display: perRun ? ours.callsPerRun.map(fmtInt).join(', ') : fmtInt(ours.calls),
					goal: {
						text: `exactly ${expectedCalls} (ceil(N/100))`,
						pass: (ours.callsPerRun ?? [ours.calls]).every((c) => c === expectedCalls) && ours.status === 'success',
					},
					ratio: ours.calls / expectedCalls,
				}),
				measurement({
					label: `${tag} PatSnap node: wall time of the node${perRun ? ` (median of ${ours.repeats})` : ''}`,
					value: ours.nodeMs,
					display:
						ours.nodeMs === undefined
							? 'n/a'
							: `${fmtSeconds(ours.nodeMs)}${perRun ? ` (runs: ${ours.nodeMsPerRun.map((ms) => (ms === undefined ? 'n/a' : fmtSeconds(ms))).join(', ')})` : ''}`,
					goal: { text: `≤ 1.10 × ${fmtSeconds(boundMs)} (ceil(N/100)/QPS)`, pass: ours.nodeMs !== undefined && ours.nodeMs <= 1.1 * boundMs },
					ratio: ours.nodeMs / boundMs,
					note:
						`first to last call ${fmtSeconds(ours.callSpanMs)}` +
						(ours.beforeFirstCallMs !== undefined ? `, before the first ${fmtSeconds(ours.beforeFirstCallMs)}, after the last ${fmtSeconds(ours.afterLastCallMs)}` : '') +
						`; whole n8n execute incl. start-up ${fmtSeconds(ours.cliMs)}`,
				}),
				measurement({
					label: `${tag} PatSnap node: first to last call${perRun ? ' (median)' : ''}`,
					value: ours.callSpanMs,
					display: fmtSeconds(ours.callSpanMs),
					ratio: ours.callSpanMs / boundMs,
					ratioText: `${(ours.callSpanMs / boundMs).toFixed(2)} × the bound`,
					note: 'the pacing alone, without n8n evaluating each item\'s parameters before the first call',
				}),
				measurement({
					label: `${tag} PatSnap node: 67200002 answers${perRun ? ` (each of ${ours.repeats} runs)` : ''}`,
					value: ours.tooFast,
					display: perRun ? ours.tooFastPerRun.map(fmtInt).join(', ') : fmtInt(ours.tooFast),
					goal: { text: '0', pass: ours.tooFast === 0 },
					note:
						ours.tooFastDetails.length > 0
							? ours.tooFastDetails
									.map(
										(d) =>
											`${d.run ? `run ${d.run} ` : ''}call ${d.callNumber}: the 5 accepted calls before it reached the sandbox ${d.previousAcceptedMsAgo.join(', ')} ms earlier`,
									)
									.join('; ')
							: undefined,
				}),
				measurement({
					label: `${tag} PatSnap node: results (found / not found / error items)`,
					value: ours.found,
					display: `${fmtInt(ours.found)} / ${fmtInt(ours.notFound)} / ${fmtInt(ours.errorItems)}`,
					note: `the sandbox knows ${fmtInt(ours.knownToSandbox)} of the ${fmtInt(n)} numbers; billed ${fmtInt(ours.billed)}`,
				}),
			);
		}
		if (list) {
			measurements.push(
				measurement({
					label: `${tag} PatSnap node, all ${fmtInt(n)} numbers in one item: wall time of the node`,
					value: list.nodeMs,
					display: list.nodeMs === undefined ? 'n/a' : fmtSeconds(list.nodeMs),
					ratio: list.nodeMs / boundMs,
					ratioText: list.nodeMs === undefined ? undefined : `${(list.nodeMs / boundMs).toFixed(2)} × the bound`,
					note: `${fmtInt(list.calls)} calls, ${fmtInt(list.tooFast)} × 67200002; before the first call ${fmtSeconds(list.beforeFirstCallMs ?? 0)}, first to last ${fmtSeconds(list.callSpanMs)}, after the last ${fmtSeconds(list.afterLastCallMs ?? 0)}`,
				}),
			);
		}
		if (naive) {
			measurements.push(
				measurement({
					label: `${tag} HTTP Request node: API calls`,
					value: naive.calls,
					ratio: ours ? naive.calls / ours.calls : undefined,
					ratioText: ours ? `${(naive.calls / ours.calls).toFixed(0)} × the node's` : undefined,
				}),
				measurement({
					label: `${tag} HTTP Request node: 67200002 answers`,
					value: naive.tooFast,
					display: `${fmtInt(naive.tooFast)} (${((100 * naive.tooFast) / Math.max(1, naive.calls)).toFixed(1)} % of calls)`,
				}),
				measurement({
					label: `${tag} HTTP Request node: 67200002 answers passed downstream as successful items`,
					value: naive.tooFastPassedAsSuccess,
					note: naive.status === 'success' ? `execution status ${naive.status}` : `execution ${naive.status}: ${naive.error ?? ''}`,
				}),
				measurement({
					label: `${tag} HTTP Request node: results received`,
					value: naive.found,
					display: `${fmtInt(naive.found)} of ${fmtInt(naive.knownToSandbox)}`,
					note: `node ran ${naive.nodeMs === undefined ? 'n/a' : fmtSeconds(naive.nodeMs)}`,
				}),
			);
		}
		if (paced) {
			measurements.push(
				measurement({
					label: `${tag} HTTP Request node paced: wall time of the node`,
					value: paced.nodeMs,
					display: paced.nodeMs === undefined ? 'n/a' : fmtSeconds(paced.nodeMs),
					ratio: ours?.nodeMs ? paced.nodeMs / ours.nodeMs : undefined,
					ratioText: ours?.nodeMs ? `${(paced.nodeMs / ours.nodeMs).toFixed(1)} × the node's` : undefined,
					note: `${fmtInt(paced.calls)} calls`,
				}),
				measurement({
					label: `${tag} HTTP Request node paced: 67200002 answers (passed on as successes)`,
					value: paced.tooFast,
					display: `${fmtInt(paced.tooFast)} (${fmtInt(paced.tooFastPassedAsSuccess)})`,
					note: `results received ${fmtInt(paced.found)} of ${fmtInt(paced.knownToSandbox)}`,
				}),
			);
		} else if (naive) {
			notes.push(
				`N=${fmtInt(n)}: the paced HTTP Request variant is not run by default (it would take about ${Math.round(n / QPS / 60)} minutes at 5 calls a second); \`node scripts/bench.mjs --full\` runs it.`,
			);
		}
	}
	const claim = results['naive-200'];
	const claimPaced = results['paced-200'];
	const claimOurs = results['ours-200'];
	if (claim && claimPaced && claimOurs) {
		notes.push(
			`README claim check (200 numbers, 5 QPS): the HTTP Request node made ${claim.calls} calls and passed ${claim.tooFastPassedAsSuccess} error answers (67200002) downstream as successes; ` +
				`paced by hand it took ${fmtSeconds(claimPaced.nodeMs ?? 0)} (${claimPaced.tooFast} × 67200002); the PatSnap node made ${claimOurs.calls} calls in ${fmtSeconds(claimOurs.nodeMs ?? 0)}.`,
		);
	}
	notes.push(
		'Wall time is the node\'s own run as n8n records it (runData executionTime), not n8n\'s start-up. It includes n8n resolving the Patent Numbers expression ({{ $json.number }}) once per item when the node reads it, before the first call; that is n8n\'s work and grows with N. ' +
			'The bound ceil(N/100)/QPS counts one second per five calls; the node sends the first five at once, so with few calls it finishes well inside it.',
		'67200002 details list, for each such answer, how long before it the five previous accepted calls reached the sandbox: under 1000 ms means the node let a sixth call through inside the sandbox\'s window. The node holds each call\'s slot until its answer (the latest moment PatSnap can have counted it) and adds 10 ms to each window, so a delayed call can no longer let the next ones arrive early.',
		'Distinct numbers: every number the sandbox knows (312) is included, the rest are plausible numbers from unused ranges; unknown numbers are still sent and come back as not found (not billed).',
		`Sandbox: qps ${QPS} (sliding 1 s window per credential), daily limit raised to 10,000,000 so the naive 10,000-item run is not cut by quota. The HTTP Request node sends the sandbox's sk- API key as the apikey query parameter; the PatSnap node uses client ID and secret (one token fetch).`,
	);
	return {
		setup: 'Manual Trigger → Code node with N distinct publication numbers → PatSnap node (Get Legal Status, defaults: batch 100, 5 requests/s) or HTTP Request node (GET /basic-patent-data/legal-status per item). Each variant in its own `n8n execute`, sandbox reset before each.',
		measurements,
		notes,
	};
}
