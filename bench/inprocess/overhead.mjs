// Scenario 3 child: CPU time of the node process per 1,000 items against a sandbox that answers at
// once (its own process, so its CPU is not counted). For each case, the same HTTP calls are also
// made bare (n8n's own request helper plus JSON.parse, nothing of ours) to split the figure into
// "n8n's HTTP client and parsing" and "our code" (input checks, batching, throttle, retry
// wrapper, mapping, output items).
//
//   node --expose-gc --import tsx bench/inprocess/overhead.mjs '{"sandboxUrl":"http://127.0.0.1:…"}'
import { performance } from 'node:perf_hooks';
import { createDataSet } from '../../sandbox/data/index.ts';
import { defaultConfig } from '../../sandbox/core/config.ts';
import { patSnapNumbers } from '../lib/common.mjs';
import { Jpo, PatSnap, finish, forgetSharedLimiters, n8nExecuteContext, newCredentialStore, progress, sandboxCredentialRecords } from './context.mjs';

const { sandboxUrl, repeats = 5 } = JSON.parse(process.argv[2] ?? '{}');
if (!sandboxUrl) throw new Error('sandboxUrl missing');

const seed = createDataSet(defaultConfig().seed);
const store = newCredentialStore(sandboxCredentialRecords(sandboxUrl));

// Far above what the sandbox is configured for, so the throttle never waits: waiting costs no CPU,
// but it would make the runs long.
const PATSNAP_OPTIONS = { requestsPerSecond: 1_000_000 };
const JPO_OPTIONS = { requestsPerMinute: 1_000_000_000 };

function patSnapCase(n) {
	const { numbers, knownCount } = patSnapNumbers(n, seed.patsnap.patents.map((p) => p.pn));
	return {
		name: `PatSnap Get Legal Status, ${n.toLocaleString('en-US')} distinct numbers`,
		items: n,
		calls: Math.ceil(n / 100),
		known: knownCount,
		node: new PatSnap(),
		parameters: (i) => ({ resource: 'patent', operation: 'getLegalStatus', numbers: numbers[i], options: PATSNAP_OPTIONS }),
		// The node sends distinct numbers in first-seen order, 100 a call.
		bareCalls: () =>
			Array.from({ length: Math.ceil(n / 100) }, (_, b) => ({
				type: 'patSnapApi',
				options: { method: 'GET', url: `${sandboxUrl}/basic-patent-data/legal-status`, qs: { patent_number: numbers.slice(b * 100, b * 100 + 100).join(',') } },
			})),
	};
}

function jpoCase(n) {
	// A docket watches applications that exist, so every item is a seeded one with its full history.
	const known = seed.jpo.all('patent').map((c) => c.applicationNumber);
	const numbers = Array.from({ length: n }, (_, i) => known[i % known.length]);
	return {
		name: `JPO Get Progress, ${n.toLocaleString('en-US')} items (${known.length} seeded applications in turn)`,
		items: n,
		calls: n,
		known: n,
		node: new Jpo(),
		parameters: (i) => ({ resource: 'patent', operation: 'getProgress', applicationNumber: numbers[i], simplify: true, options: JPO_OPTIONS }),
		bareCalls: () =>
			numbers.map((number) => ({ type: 'jpoApi', options: { method: 'GET', url: `${sandboxUrl}/api/patent/v1/app_progress/${number}` } })),
	};
}

async function runNodeOnce(testCase) {
	forgetSharedLimiters();
	const context = n8nExecuteContext({
		node: testCase.node,
		items: Array.from({ length: testCase.items }, () => ({ json: {} })),
		parameters: testCase.parameters,
		store,
	});
	const [output] = await testCase.node.execute.call(context);
	return output.length;
}

/** The same requests through the same helper as the node's transport uses, then JSON.parse. */
async function runBareOnce(testCase) {
	const context = n8nExecuteContext({ node: testCase.node, parameters: {}, store });
	let parsed = 0;
	for (const call of testCase.bareCalls()) {
		const response = await context.helpers.httpRequestWithAuthentication.call(
			context,
			call.type,
			{ ...call.options, returnFullResponse: true, encoding: 'arraybuffer', ignoreHttpStatusErrors: { ignore: true, except: [401] } },
			{ credentialsDecrypted: { data: { ...store.records[call.type] } } },
		);
		JSON.parse(Buffer.from(response.body).toString('utf8'));
		parsed += 1;
	}
	return parsed;
}

async function measure(fn) {
	globalThis.gc?.();
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const count = await fn();
	const cpu = process.cpuUsage(cpu0);
	return { cpuMs: (cpu.user + cpu.system) / 1000, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, wallMs: performance.now() - t0, count };
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function bench(testCase) {
	// Warm-up: loads modules, compiles the hot paths and fetches the token, none of which a
	// long-running n8n pays per execution.
	await runNodeOnce(testCase);
	await runBareOnce(testCase);
	const node = [];
	const bare = [];
	for (let i = 0; i < repeats; i++) {
		// Interleaved, so a burst of load from other processes hits both alike.
		node.push(await measure(() => runNodeOnce(testCase)));
		bare.push(await measure(() => runBareOnce(testCase)));
	}
	const per1000 = (ms) => (ms * 1000) / testCase.items;
	const nodeMs = median(node.map((r) => r.cpuMs));
	const bareMs = median(bare.map((r) => r.cpuMs));
	const result = {
		name: testCase.name,
		items: testCase.items,
		calls: testCase.calls,
		known: testCase.known,
		outputItems: node[0].count,
		repeats,
		nodeCpuMs: nodeMs,
		nodeCpuMsPer1000: per1000(nodeMs),
		nodeCpuMsPer1000Min: per1000(Math.min(...node.map((r) => r.cpuMs))),
		nodeWallMs: median(node.map((r) => r.wallMs)),
		bareCpuMs: bareMs,
		bareCpuMsPer1000: per1000(bareMs),
		// Median of the paired differences: each node run against the bare run right after it, so a
		// stretch of load from other processes cancels out instead of skewing one side.
		oursCpuMsPer1000: per1000(median(node.map((r, i) => r.cpuMs - bare[i].cpuMs))),
		samples: { node: node.map((r) => Number(r.cpuMs.toFixed(1))), bare: bare.map((r) => Number(r.cpuMs.toFixed(1))) },
	};
	progress(
		`${testCase.name}: node ${result.nodeCpuMsPer1000.toFixed(1)} ms CPU per 1,000 items (median of ${repeats}), of which n8n HTTP client + JSON.parse ${result.bareCpuMsPer1000.toFixed(1)} ms`,
	);
	return result;
}

const results = [];
for (const testCase of [patSnapCase(1_000), patSnapCase(10_000), jpoCase(1_000)]) results.push(await bench(testCase));
finish({ runtime: process.version, results, preAuthentication: store.preAuthenticationCalls });
