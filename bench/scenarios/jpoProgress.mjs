// Scenario 2: JPO Get Progress for 200 applications with the sandbox's per-minute limit raised
// (default 100 a minute instead of JPO's 10, so the run spans two windows in about a minute) and
// the node's Requests per Minute set to the same value. Beside it, the HTTP Request node a user
// would otherwise chain after a token call, at the same limit and at JPO's real 10 a minute.
import { fmtSeconds, jpoApplicationNumbers, sandboxSeed } from '../lib/common.mjs';
import { callSpan } from '../lib/n8nHarness.mjs';
import { measurement } from '../lib/report.mjs';

const N = 200;
const WINDOW_MS = 60_000;
const CLAIM_N = 20;
const JPO_LIMIT = 10;

function perMinute(full) {
	const fromEnv = Number(process.env.BENCH_JPO_PER_MINUTE);
	if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
	// 100 a minute: two windows (one throttle wait); --full: 40 a minute, five windows (~4 min).
	return full ? 40 : 100;
}

function sandboxConfig(limit) {
	return { jpo: { perMinute: { limit, windowMs: WINDOW_MS }, dailyLimits: { 'patent/app_progress': 1_000_000 } } };
}

function analyse(run, nodeName) {
	const calls = run.requests.filter((r) => r.api === 'jpo' && r.kind === 'data');
	const items = run.output(nodeName);
	const arrivalOrder = [...calls].sort((a, b) => a.at - b.at || a.seq - b.seq);
	const first303 = arrivalOrder.findIndex((r) => r.resultCode === '303');
	return {
		status: run.result.status ?? (run.error ? 'error' : 'success'),
		error: run.error ? String(run.error.message ?? run.error).slice(0, 300) : undefined,
		calls: calls.length,
		tooFast: calls.filter((r) => r.resultCode === '303').length,
		first303: first303 === -1 ? undefined : first303 + 1,
		answered: calls.filter((r) => r.resultCode === '100' || r.resultCode === '107').length,
		tokenFetches: run.tokenFetches.jpo,
		nodeMs: run.nodeRun(nodeName)?.executionTime,
		callSpanMs: callSpan(arrivalOrder),
		cliMs: run.cliMs,
		outputItems: items.length,
		found: items.filter((i) => i.json.found === true).length,
		notFound: items.filter((i) => i.json.found === false).length,
		errorItems: items.filter((i) => i.json.error !== undefined).length,
	};
}

export default {
	id: 'jpo-progress',
	number: 2,
	title: 'JPO Get Progress for 200 applications at a raised per-minute limit (real n8n)',
	realN8n: true,
	async run({ harness, log, full }) {
		const limit = perMinute(full);
		const seed = await sandboxSeed();
		const apps = jpoApplicationNumbers(N, seed.jpoPatentApplications);
		const claimApps = jpoApplicationNumbers(CLAIM_N, seed.jpoPatentApplications);
		const setRate = (rate) => (workflow) => {
			workflow.nodes.find((node) => node.name === 'JPO').parameters.options.requestsPerMinute = rate;
		};
		await harness.importWorkflows([
			{ template: 'jpo-node.json', id: 'bJpoOurs200', name: `Bench: JPO node, ${N} applications`, replacements: { __APPLICATIONS_CSV__: apps.numbers.join(',') }, patch: setRate(limit) },
			{ template: 'jpo-http-naive.json', id: 'bJpoNaive200', name: `Bench: HTTP Request node, ${N} applications`, replacements: { __APPLICATIONS_CSV__: apps.numbers.join(',') } },
			{ template: 'jpo-http-naive.json', id: 'bJpoNaive20', name: `Bench: HTTP Request node, ${CLAIM_N} applications`, replacements: { __APPLICATIONS_CSV__: claimApps.numbers.join(',') } },
		]);

		const minimumMs = Math.floor((N - 1) / limit) * WINDOW_MS;
		log(`JPO node, ${N} applications, ${limit}/min: running (expect ~${fmtSeconds(minimumMs)} plus n8n start-up)`);
		const oursRun = await harness.run('bJpoOurs200', { config: sandboxConfig(limit), credentials: true, timeoutMs: minimumMs * 2 + 180_000 });
		const ours = { limit, knownToSandbox: apps.knownCount, minimumMs, ...analyse(oursRun, 'JPO') };
		log(`  ${ours.status}: ${ours.calls} calls in ${fmtSeconds(ours.callSpanMs)}, ${ours.tooFast} × 303, ${ours.tokenFetches} token fetch(es)`);

		log(`HTTP Request node, ${N} applications, ${limit}/min: running`);
		const naive = { limit, ...analyse(await harness.run('bJpoNaive200', { config: sandboxConfig(limit) }), 'HTTP Request') };
		log(`  ${naive.status}: ${naive.calls} calls, ${naive.tooFast} × 303`);

		log(`HTTP Request node, ${CLAIM_N} applications, JPO's own ${JPO_LIMIT}/min: running`);
		const claim = { limit: JPO_LIMIT, ...analyse(await harness.run('bJpoNaive20', { config: sandboxConfig(JPO_LIMIT) }), 'HTTP Request') };
		log(`  ${claim.status}: ${claim.calls} calls, ${claim.tooFast} × 303`);

		return { ...report({ ours, naive, claim }), raw: { ours, naive, claim } };
	},
};

function report({ ours, naive, claim }) {
	const { limit, minimumMs } = ours;
	const efficiency = ours.callSpanMs > 0 ? minimumMs / ours.callSpanMs : undefined;
	const rawRate = ours.callSpanMs > 0 ? (ours.calls / ours.callSpanMs) * 60_000 : undefined;
	const measurements = [
		measurement({
			label: `JPO node: achieved rate vs allowed (fastest schedule the limit allows / measured first-to-last call time)`,
			value: efficiency,
			display: `${fmtSeconds(ours.callSpanMs)} for ${ours.calls} calls; minimum ${fmtSeconds(minimumMs)}`,
			goal: { text: '≥ 0.95', pass: efficiency !== undefined && efficiency >= 0.95 && ours.calls === N },
			ratio: efficiency,
			note: `node ran ${ours.nodeMs === undefined ? 'n/a' : fmtSeconds(ours.nodeMs)}; calls/(last−first) is ${rawRate === undefined ? 'n/a' : rawRate.toFixed(0)}/min because a sliding window admits ${limit} at once`,
		}),
		measurement({ label: 'JPO node: 303 answers', value: ours.tooFast, goal: { text: '0', pass: ours.tooFast === 0 } }),
		measurement({ label: 'JPO node: token fetches', value: ours.tokenFetches, goal: { text: '1', pass: ours.tokenFetches === 1 } }),
		measurement({
			label: 'JPO node: items (found / status 107 not found / error items)',
			value: ours.found,
			display: `${ours.found} / ${ours.notFound} / ${ours.errorItems}`,
			note: `${ours.calls} calls; the sandbox knows ${ours.knownToSandbox} of the ${N} applications; execution ${ours.status}`,
		}),
		measurement({
			label: `HTTP Request node, ${N} applications at ${limit}/min: calls / 303 answers`,
			value: naive.tooFast,
			display: `${naive.calls} / ${naive.tooFast}`,
			note: `execution ${naive.status}${naive.first303 ? `; first 303 at call ${naive.first303}` : ''}; ${naive.outputItems} items passed on`,
		}),
		measurement({
			label: `HTTP Request node, ${CLAIM_N} applications at JPO's ${JPO_LIMIT}/min: calls / 303 answers`,
			value: claim.tooFast,
			display: `${claim.calls} / ${claim.tooFast}`,
			note: `execution ${claim.status}${claim.first303 ? `; first 303 at call ${claim.first303}` : ''}; ${claim.outputItems} items passed on`,
		}),
	];
	const notes = [
		`Sandbox per-minute limit ${limit} (JPO's real limit is 10), window 60 s, sliding, over all domestic APIs of the ID; the node's Requests per Minute is set to ${limit}. ` +
			`A sliding window lets ${limit} calls through at once and the next ones a window later, so ${N} calls cannot finish sooner than ${fmtSeconds(minimumMs)} after the first; ` +
			'the ratio compares that with the measured time (the node adds a 1 s safety margin per window). A limit of 200 or more a minute would let all 200 calls through in one burst and measure nothing about pacing.',
		'The HTTP Request variant: a token call (HTTP Request node, password grant), then one GET per item with the bearer token from an expression; all items are sent at once, a 303 (HTTP 429) fails the node and with it the execution, so the answers that did arrive are lost.',
	];
	if (claim.status !== 'success') {
		notes.push(
			`README claim check ("at JPO's 10 requests a minute it failed the whole run on the 11th call"): with ${CLAIM_N} applications the HTTP Request node made ${claim.calls} calls, ${claim.tooFast} were answered 303 (the first at call ${claim.first303 ?? 'n/a'} in arrival order), and the execution ended with status ${claim.status}.`,
		);
	}
	return {
		setup: `Manual Trigger → Code node with ${N} application numbers → JPO node (patent › Get Progress, Requests per Minute ${limit}); fresh credentials before the run.`,
		measurements,
		notes,
	};
}
