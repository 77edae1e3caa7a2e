// Scenario 3: CPU time of the node per 1,000 items against an instant sandbox, in-process (a child
// process on n8n's Node, so the figure holds only the node run and its HTTP calls).
import path from 'node:path';
import { sandboxConfigure, startSandboxProcess } from '../../scripts/lib/n8n.mjs';
import { benchDir, inProcessEnv, inProcessNode, runChild } from '../lib/common.mjs';
import { measurement } from '../lib/report.mjs';

const GOAL_MS = 50;
const UNLIMITED = 1_000_000_000;

export default {
	id: 'node-overhead',
	number: 3,
	title: 'Node overhead: CPU time per 1,000 items against an instant sandbox (in-process)',
	async run({ log }) {
		const sandbox = await startSandboxProcess({ port: 0 });
		try {
			await sandboxConfigure(sandbox.url, {
				patsnap: { qps: UNLIMITED, dailyLimit: UNLIMITED },
				jpo: { perMinute: { limit: UNLIMITED, windowMs: 60_000 }, dailyLimits: { 'patent/app_progress': UNLIMITED } },
			});
			const node = inProcessNode();
			log(`child on ${node === process.execPath ? `Node ${process.version}` : 'the pinned Node 24'}; sandbox ${sandbox.url} (no latency, limits off)`);
			const { env, remove } = inProcessEnv('overhead');
			const res = await runChild(
				node,
				['--expose-gc', '--import', 'tsx', path.join(benchDir, 'inprocess', 'overhead.mjs'), JSON.stringify({ sandboxUrl: sandbox.url, repeats: 5 })],
				{ env, captureStdout: true, onLine: (line) => line.trim() && log(`  ${line}`) },
			).finally(remove);
			if (res.exitCode !== 0) throw new Error(`overhead child exited with ${res.exitCode}\n${res.stderr.split('\n').slice(-20).join('\n')}`);
			const data = JSON.parse(res.stdout.trim().split('\n').pop());
			return { ...report(data), raw: data };
		} finally {
			await sandbox.stop();
		}
	},
};

function report(data) {
	const measurements = [];
	for (const r of data.results) {
		measurements.push(
			measurement({
				label: `${r.name}: CPU per 1,000 items`,
				value: r.nodeCpuMsPer1000,
				unit: 'ms',
				goal: { text: `≤ ${GOAL_MS} ms`, pass: r.nodeCpuMsPer1000 <= GOAL_MS },
				ratio: r.nodeCpuMsPer1000 / GOAL_MS,
				note: `${r.calls.toLocaleString('en-US')} calls, ${r.outputItems.toLocaleString('en-US')} output items; median of ${r.repeats}, best ${r.nodeCpuMsPer1000Min.toFixed(1)} ms`,
			}),
			measurement({
				label: `${r.name}: of which n8n's HTTP client + JSON.parse (same calls made bare)`,
				value: r.bareCpuMsPer1000,
				unit: 'ms',
			}),
			measurement({
				label: `${r.name}: of which our code (node minus bare, median of paired runs)`,
				value: r.oursCpuMsPer1000,
				unit: 'ms',
			}),
		);
	}
	return {
		setup:
			"A child process on n8n's Node (24) runs the compiled node (dist/) with n8n 2.41's own HTTP client and credential wrapper (@n8n/backend-network, n8n-core's httpRequestWithAuthentication, loaded from the pinned n8n install) in the test suite's execution context (test/helpers/n8nContext.ts), against the sandbox in another process with no latency and no limits. CPU = process.cpuUsage() (user + system) around execute(), after one warm-up run; median of 5 runs.",
		measurements,
		notes: [
			"Included: reading parameters, number checks, batching, the throttle, the retry wrapper, n8n's HTTP client (axios, no keep-alive: a new TCP connection per request), JSON.parse of the answers, mapping and output items. Not included: n8n's expression evaluation per item, its execution bookkeeping, and the sandbox's CPU.",
			'The "HTTP client + JSON.parse" line makes exactly the node\'s HTTP calls through the same n8n helper and parses each answer, nothing else; "our code" is the difference. A per-item HTTP Request node pays the HTTP client part too.',
			'The throttles are set so high that they never wait (waiting costs no CPU, only time). The JPO throttle then keeps every start of the last minute in its list (1,000 entries) and filters it on each call, a few ms per 1,000 items that a real limit (at most 600 a minute) does not cost.',
			`Runtime ${data.runtime}. The machine is shared with other work, so the absolute figures are noisy; the per-run samples are in results.json.`,
		],
	};
}
