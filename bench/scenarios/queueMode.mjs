// Scenario 5: n8n in queue mode (main, Redis, PostgreSQL and 1 or 3 workers, as in the e2e suite),
// one JPO ID and one PatSnap account, with the nodes' cross-process coordination on and off side
// by side. Three executions start at once each time and run side by side (one worker with
// concurrency 3, or three with concurrency 1): 60 JPO items against a sandbox window of 30 a
// minute, 3,000 PatSnap numbers (30 calls) at 5 a second. Reported: too-fast answers and the
// achieved rate as a ratio of the allowed rate (the fastest schedule the limit allows divided by
// the measured first-to-last call time), logins, calls.
import { busiestWindow, finishedExecutions, freshSandbox, jpoDataCalls, startJpoLoad, startPatSnapLoad, startQueueCluster, tokenFetches } from '../../test/e2e/queueCluster.mjs';
import { sandboxRequests } from '../../scripts/lib/n8n.mjs';
import { fmtSeconds } from '../lib/common.mjs';
import { measurement } from '../lib/report.mjs';

const JPO_PER_MINUTE = 30;
const JPO_ITEMS = 20;
const PATSNAP_COUNTS = [1000, 1000, 1000];
const PATSNAP_QPS = 5;
const EXECUTIONS = 3;
/** Long enough for a coordinated run; an uncoordinated JPO run retrying into 303s is cut off here. */
const RUN_TIMEOUT_MS = 240_000;

const VARIANTS = [
	{ workers: 1, coordination: 'on' },
	{ workers: 3, coordination: 'on' },
	{ workers: 1, coordination: 'off' },
	{ workers: 3, coordination: 'off' },
];

function span(calls) {
	if (calls.length < 2) return 0;
	const times = calls.map((call) => call.at);
	return Math.max(...times) - Math.min(...times);
}

/** The fastest a sliding window lets `calls` go: a burst of `limit`, then one window per `limit`. */
function minimumSpan(calls, limit, windowMs) {
	return Math.floor((calls - 1) / limit) * windowMs;
}

async function settled(cluster, run) {
	try {
		return await finishedExecutions(cluster.pg, run.since, run.labels, { timeoutMs: RUN_TIMEOUT_MS });
	} catch {
		return undefined;
	}
}

async function measureVariant(cluster, variant, log) {
	const name = `${variant.workers} worker${variant.workers === 1 ? '' : 's'}, coordination ${variant.coordination}`;
	// The same three simultaneous executions either way: in one worker side by side, or one per worker.
	await cluster.startWorkers(variant.workers, variant.coordination === 'off' ? { JPO_PATSNAP_COORDINATION: 'off' } : {}, { concurrency: EXECUTIONS / variant.workers });
	const id = `bench-${variant.workers}-${variant.coordination}`;

	await freshSandbox(cluster, { jpoPerMinute: JPO_PER_MINUTE, jpoUser: id });
	const jpoRun = await startJpoLoad(cluster, { label: `${id}-jpo`, executions: EXECUTIONS, items: JPO_ITEMS, perMinute: JPO_PER_MINUTE });
	const jpoDone = await settled(cluster, jpoRun);
	const jpoCalls = jpoDataCalls(await sandboxRequests(cluster.sandboxUrl));
	const jpoAnswered = jpoCalls.filter((call) => call.resultCode !== '303');
	const jpo = {
		finished: jpoDone !== undefined,
		calls: jpoCalls.length,
		tooFast: jpoCalls.length - jpoAnswered.length,
		logins: (await tokenFetches(cluster.sandboxUrl)).jpo,
		spanMs: span(jpoAnswered),
		minimumMs: minimumSpan(EXECUTIONS * JPO_ITEMS, JPO_PER_MINUTE, 60_000),
		busiestMinute: busiestWindow(jpoCalls, 60_000),
	};
	log(`  ${name}: JPO ${jpo.calls} calls, ${jpo.tooFast} × 303, ${jpo.logins} login(s), answered first to last ${fmtSeconds(jpo.spanMs)}${jpo.finished ? '' : ' (cut off)'}`);

	await freshSandbox(cluster);
	const patSnapRun = await startPatSnapLoad(cluster, { label: `${id}-patsnap`, counts: PATSNAP_COUNTS });
	const patSnapDone = await settled(cluster, patSnapRun);
	const patSnapCalls = (await sandboxRequests(cluster.sandboxUrl)).filter((call) => call.api === 'patsnap' && call.kind === 'data');
	const patSnapAnswered = patSnapCalls.filter((call) => call.resultCode !== 67200002 && call.httpStatus !== 429);
	const patSnap = {
		finished: patSnapDone !== undefined,
		calls: patSnapCalls.length,
		tooFast: patSnapCalls.length - patSnapAnswered.length,
		logins: (await tokenFetches(cluster.sandboxUrl)).patsnap,
		spanMs: span(patSnapAnswered),
		minimumMs: minimumSpan(PATSNAP_COUNTS.reduce((sum, n) => sum + Math.ceil(n / 100), 0), PATSNAP_QPS, 1000),
		busiestSecond: busiestWindow(patSnapCalls, 1000),
	};
	log(`  ${name}: PatSnap ${patSnap.calls} calls, ${patSnap.tooFast} × 67200002, ${patSnap.logins} login(s), answered first to last ${fmtSeconds(patSnap.spanMs)}`);
	return { name, ...variant, jpo, patSnap };
}

function rate(result) {
	return result.spanMs > 0 ? result.minimumMs / result.spanMs : undefined;
}

export default {
	id: 'queue-mode',
	number: 5,
	title: 'Queue mode: 1 and 3 workers on one ID, coordination on and off (real n8n, Redis, PostgreSQL)',
	realN8n: true,
	async run({ harness, log }) {
		const quiet = () => undefined;
		const cluster = await startQueueCluster({ userFolder: harness.env.N8N_USER_FOLDER, sandboxUrl: harness.sandbox.url, log: quiet, workers: 1 });
		const results = [];
		try {
			for (const variant of VARIANTS) results.push(await measureVariant(cluster, variant, log));
		} finally {
			await cluster.stop();
		}
		const measurements = results.flatMap((result) => {
			const coordinated = result.coordination === 'on';
			const jpoRate = rate(result.jpo);
			const patSnapRate = rate(result.patSnap);
			const goal = (value, tooFast) => (coordinated ? { text: '≥ 0.95 with 0 too fast', pass: value !== undefined && value >= 0.95 && tooFast === 0 } : undefined);
			return [
				measurement({
					label: `${result.name}: JPO achieved rate / allowed`,
					value: jpoRate,
					display: `${result.jpo.calls} calls, ${result.jpo.tooFast} × 303, ${result.jpo.logins} login(s), busiest minute ${result.jpo.busiestMinute} of ${JPO_PER_MINUTE}`,
					ratio: jpoRate,
					goal: goal(jpoRate, result.jpo.tooFast),
					note: `answered calls first to last ${fmtSeconds(result.jpo.spanMs)}, fastest allowed ${fmtSeconds(result.jpo.minimumMs)}${result.jpo.finished ? '' : `; not finished within ${RUN_TIMEOUT_MS / 1000} s`}`,
				}),
				measurement({
					label: `${result.name}: PatSnap achieved rate / allowed`,
					value: patSnapRate,
					display: `${result.patSnap.calls} calls, ${result.patSnap.tooFast} × 67200002, ${result.patSnap.logins} login(s), busiest second ${result.patSnap.busiestSecond} of ${PATSNAP_QPS}`,
					ratio: patSnapRate,
					goal: goal(patSnapRate, result.patSnap.tooFast),
					note: `answered calls first to last ${fmtSeconds(result.patSnap.spanMs)}, fastest allowed ${fmtSeconds(result.patSnap.minimumMs)}${result.patSnap.finished ? '' : `; not finished within ${RUN_TIMEOUT_MS / 1000} s`}`,
				}),
			];
		});
		return {
			setup: `n8n queue mode: main + Redis + PostgreSQL + 1 worker (concurrency 3) or 3 workers (concurrency 1). Each variant: ${EXECUTIONS} executions at once of ${JPO_ITEMS} JPO Get Simple Progress items (sandbox window ${JPO_PER_MINUTE}/min, node set to the same) on a fresh ID, then ${EXECUTIONS} PatSnap Legal Status executions of ${PATSNAP_COUNTS[0]} numbers at ${PATSNAP_QPS} QPS; fresh credentials each time.`,
			measurements,
			notes: [
				'Coordination on shares one window per ID through Redis; off, each worker throttles on its own, so three workers send three times the rate. With one worker the two are the same by construction.',
				`Each slot is held until its call's answer, so every window is stretched by the slowest answer in it, plus a margin (10 ms for PatSnap's 1 s window, 1 s for JPO's 60 s window, which caps JPO at 0.984).`,
			],
			raw: results,
		};
	},
};
