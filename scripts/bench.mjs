// Benchmarks against the sandbox (`npm run bench`; not part of `npm test`). Five scenarios:
//   1 patsnap-legal-status  PatSnap Legal Status, N = 200 / 1,000 / 10,000, 5 QPS, our node vs. the
//                           HTTP Request node (naive and paced), in real n8n
//   2 jpo-progress          JPO Get Progress for 200 applications at a raised per-minute limit, in real n8n
//   3 node-overhead         CPU time per 1,000 items against an instant sandbox, in-process
//   4 large-documents       a 50 MB document ZIP with extraction on: peak memory, in-process
//   5 queue-mode            n8n queue mode with 1 and 3 workers on one ID, coordination on and off:
//                           too-fast answers and achieved rate / allowed (Redis, PostgreSQL, real n8n)
//
//   node scripts/bench.mjs [filter...] [--full]
// A filter selects scenarios whose id contains it or whose number it is (`1`, `jpo`, `overhead`).
// --full also runs the paced HTTP Request variant at N = 10,000 (about 35 minutes) and the JPO
// scenario at 40 a minute (five windows). --report only rewrites bench/results.md from
// bench/results.json. BENCH_KEEP=1 keeps the scratch n8n user folder; BENCH_PATSNAP_SIZES=1000
// runs only some sizes of scenario 1; BENCH_JPO_PER_MINUTE sets scenario 2's limit.
//
// Prints a line per measurement (value, goal, ratio, PASS/MISS/INFO) and writes bench/results.json
// and bench/results.md. Exit code 1 only when a scenario could not be run; a missed goal is a result.
import { killActiveChildren } from './lib/n8n.mjs';
import { startN8nHarness } from '../bench/lib/n8nHarness.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { RESULTS_JSON, RESULTS_MD, machineFacts, markdown, measurement, printMeasurement, writeResults } from '../bench/lib/report.mjs';
import patsnapLegalStatus from '../bench/scenarios/patsnapLegalStatus.mjs';
import jpoProgress from '../bench/scenarios/jpoProgress.mjs';
import nodeOverhead from '../bench/scenarios/nodeOverhead.mjs';
import largeDocuments from '../bench/scenarios/largeDocuments.mjs';
import queueMode from '../bench/scenarios/queueMode.mjs';

const SCENARIOS = [patsnapLegalStatus, jpoProgress, nodeOverhead, largeDocuments, queueMode];

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
	console.log('usage: node scripts/bench.mjs [filter...] [--full] | --report');
	for (const s of SCENARIOS) console.log(`  ${s.number} ${s.id}: ${s.title}`);
	process.exit(0);
}
if (args.includes('--report')) {
	writeFileSync(RESULTS_MD, markdown(JSON.parse(readFileSync(RESULTS_JSON, 'utf8'))));
	console.log(`wrote ${RESULTS_MD} from ${RESULTS_JSON}`);
	process.exit(0);
}
const full = args.includes('--full');
const filters = args.filter((arg) => !arg.startsWith('-'));
const selected = filters.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => filters.some((f) => s.id.includes(f) || String(s.number) === f));

const started = Date.now();
function log(line) {
	const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
	console.log(`[bench ${elapsed} s] ${line}`);
}

async function main() {
	if (selected.length === 0) throw new Error(`no scenario matches ${filters.join(', ')} (try --help)`);
	const machine = machineFacts();
	log(`${selected.length} scenario(s): ${selected.map((s) => s.id).join(', ')}${full ? ' (--full)' : ''}`);
	log(`machine: ${machine.cpus} × ${machine.cpuModel}, load ${machine.loadAverageAtStart.join(' ')}, n8n ${machine.n8nVersion} on Node ${machine.n8nNode}`);

	let harness;
	const stop = async () => {
		killActiveChildren();
		await harness?.stop();
	};
	const onSignal = (signal) => {
		log(`interrupted by ${signal}, cleaning up`);
		void stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const results = [];
	let crashed = 0;
	try {
		if (selected.some((s) => s.realN8n)) {
			log('setting up real n8n (pack, install into a scratch user folder, sandbox)');
			harness = await startN8nHarness({ log });
		}
		for (const scenario of selected) {
			const t0 = Date.now();
			log(`== ${scenario.number}. ${scenario.title}`);
			const entry = { id: scenario.id, number: scenario.number, title: scenario.title, date: new Date().toISOString() };
			try {
				const outcome = await scenario.run({ harness, log, full });
				Object.assign(entry, outcome);
			} catch (error) {
				crashed += 1;
				const message = error instanceof Error ? error.message : String(error);
				log(`scenario failed: ${message.split('\n').slice(0, 15).join('\n    ')}`);
				entry.measurements = [measurement({ label: 'scenario could not be run', value: message.split('\n')[0], goal: { text: 'runs', pass: false } })];
				entry.error = message;
			}
			entry.durationMs = Date.now() - t0;
			log(`-- ${scenario.number}. ${scenario.id} (${(entry.durationMs / 1000).toFixed(0)} s)`);
			for (const m of entry.measurements ?? []) printMeasurement(m);
			for (const note of entry.notes ?? []) console.log(`  note: ${note}`);
			results.push(entry);
		}
	} finally {
		await stop();
	}

	writeResults({ machine, options: { full, filters }, scenarios: results, durationMs: Date.now() - started });
	const all = results.flatMap((r) => r.measurements ?? []);
	const count = (status) => all.filter((m) => m.status === status).length;
	log(`goals: ${count('PASS')} met, ${count('MISS')} missed (${count('INFO')} context lines)`);
	log(`wrote ${RESULTS_JSON} and ${RESULTS_MD} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	process.exitCode = crashed > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	killActiveChildren();
	process.exitCode = 1;
});
