// Scenario 4: a 50 MB document ZIP through JPO Get Application Documents with Extract Documents
// on; peak memory of the node process against the ZIP size (in-process, a fresh child per mode).
import path from 'node:path';
import { sandboxConfigure, startSandboxProcess } from '../../scripts/lib/n8n.mjs';
import { benchDir, inProcessEnv, inProcessNode, runChild } from '../lib/common.mjs';
import { measurement } from '../lib/report.mjs';

const ZIP_FILLER_BYTES = 50 * 1024 * 1024;
// The seeded application whose opinion/amendment archive the sandbox pads (sandbox/README.md).
const APPLICATION = '2020099001';
const WARMUP_APPLICATION = '2020045678';
const GOAL_RATIO = 3;
const MiB = 1024 * 1024;

const mib = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

export default {
	id: 'large-documents',
	number: 4,
	title: 'Large documents: a 50 MB document ZIP with extraction on (in-process)',
	async run({ log }) {
		const sandbox = await startSandboxProcess({ port: 0 });
		try {
			await sandboxConfigure(sandbox.url, { jpo: { largeDocuments: { [APPLICATION]: ZIP_FILLER_BYTES } } });
			const node = inProcessNode();
			const runs = {};
			// filesystem: n8n 2.41's default; default: base64 in the item (n8n's in-memory mode).
			for (const [key, binaryMode] of [
				['filesystem', 'filesystem'],
				['memory', 'default'],
			]) {
				log(`N8N_DEFAULT_BINARY_DATA_MODE=${binaryMode}: running (fresh child process)`);
				const { env, remove } = inProcessEnv(`large-${key}`, { binaryMode });
				const res = await runChild(
					node,
					[
						'--expose-gc',
						'--import',
						'tsx',
						path.join(benchDir, 'inprocess', 'largeDocument.mjs'),
						JSON.stringify({ sandboxUrl: sandbox.url, application: APPLICATION, warmupApplication: WARMUP_APPLICATION }),
					],
					{ env, captureStdout: true, onLine: (line) => line.trim() && log(`  ${line}`) },
				).finally(remove);
				if (res.exitCode !== 0) throw new Error(`large-document child (${binaryMode}) exited with ${res.exitCode}\n${res.stderr.split('\n').slice(-20).join('\n')}`);
				runs[key] = JSON.parse(res.stdout.trim().split('\n').pop());
			}
			return { ...report(runs), raw: runs };
		} finally {
			await sandbox.stop();
		}
	},
};

function report({ filesystem, memory }) {
	const measurements = [];
	for (const [mode, r, withGoal] of [
		['filesystem', filesystem, true],
		['memory', memory, false],
	]) {
		const grown = r.peak.rss - r.baseline.rss;
		const ratio = grown / r.zipBytes;
		const label = mode === 'filesystem' ? "binary data mode filesystem (n8n 2.41's default)" : 'binary data mode default (base64 in memory)';
		measurements.push(
			measurement({
				label: `${label}: peak RSS growth during the run / ZIP size`,
				value: ratio,
				display: `${mib(grown)} for a ${mib(r.zipBytes)} ZIP`,
				goal: withGoal ? { text: `≤ ${GOAL_RATIO} ×`, pass: ratio <= GOAL_RATIO && !r.extractionError } : undefined,
				ratio,
				note: `peak RSS ${mib(r.peak.rss)} over a baseline of ${mib(r.baseline.rss)}; ${r.documents} documents, ${r.attachments} attachments; ${(r.wallMs / 1000).toFixed(1)} s`,
			}),
			measurement({
				label: `${label}: peak heap / array buffers (sampled every 10 ms)`,
				value: r.peak.arrayBuffers,
				display: `${mib(r.peak.heapUsed)} / ${mib(r.peak.arrayBuffers)}`,
				note: `baseline ${mib(r.baseline.heapUsed)} / ${mib(r.baseline.arrayBuffers)}`,
			}),
		);
	}
	const trail = (r) => r.checkpoints.map((c) => `${c.label}: RSS ${c.rssMiB}, buffers ${c.arrayBuffersMiB}, heap ${c.heapUsedMiB}`).join('; ');
	return {
		setup: `Sandbox config jpo.largeDocuments = { '${APPLICATION}': ${ZIP_FILLER_BYTES} }: the opinion/amendment archive of ${APPLICATION} carries a 50 MiB page image stored uncompressed, served through a download link as JPO does above 10 MB. The compiled JPO node (Get Application Documents, Extract Documents on) runs in a fresh child on n8n's Node after a warm-up with a small archive; peak RSS is the kernel's high-water mark (VmHWM, reset before the run).`,
		measurements,
		notes: [
			`Checkpoints (MiB), filesystem mode: ${trail(filesystem)}.`,
			`Checkpoints (MiB), default mode: ${trail(memory)}.`,
			"HTTP (token, API call, the unauthenticated download of the pre-signed link) and prepareBinaryData are n8n 2.41's own (@n8n/backend-network, n8n-core's BinaryDataService), loaded from the pinned n8n install; only the credentials helper is emulated. n8n's execution bookkeeping around the node (saving the run, the output JSON) is not included.",
		],
	};
}
