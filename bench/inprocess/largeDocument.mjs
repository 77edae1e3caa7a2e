// Scenario 4 child: one JPO Get Application Documents call whose archive is large (the sandbox
// serves it through a download link, as JPO does above 10 MB), with Extract Documents on. Reports
// the process's peak RSS (the kernel's high-water mark, reset just before the run, so no peak is
// missed while the thread is busy in synchronous code), heap and buffer peaks sampled every 10 ms,
// and memory at checkpoints (after each download, at each binary handed to n8n).
//
// HTTP and binary data go through n8n 2.41's own helpers (n8nRuntime.mjs); the binary-data mode
// comes from N8N_DEFAULT_BINARY_DATA_MODE as in n8n (`filesystem` is 2.41's default, `default`
// keeps base64 in the item).
//
//   node --expose-gc --import tsx bench/inprocess/largeDocument.mjs '{"sandboxUrl":…,"application":…,"warmupApplication":…}'
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Jpo, finish, n8nExecuteContext, newCredentialStore, progress, sandboxCredentialRecords } from './context.mjs';
import { initBinaryData } from './n8nRuntime.mjs';

const { sandboxUrl, application, warmupApplication } = JSON.parse(process.argv[2] ?? '{}');
if (!sandboxUrl || !application || !warmupApplication) throw new Error('sandboxUrl, application and warmupApplication are required');

const MiB = 1024 * 1024;
const mib = (bytes) => Number((bytes / MiB).toFixed(1));

function kernelPeakRss() {
	const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
	return kb * 1024;
}

function resetKernelPeak() {
	try {
		// "5" resets this process's peak RSS counter (Linux proc(5), clear_refs).
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

const checkpoints = [];
let recording = false;
function checkpoint(label) {
	if (!recording) return;
	const m = process.memoryUsage();
	checkpoints.push({ label, rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), arrayBuffersMiB: mib(m.arrayBuffers) });
}

async function runOnce(applicationNumber) {
	const store = newCredentialStore(sandboxCredentialRecords(sandboxUrl));
	const node = new Jpo();
	const context = n8nExecuteContext({
		node,
		parameters: { resource: 'patent', operation: 'getApplicationDocuments', applicationNumber, extractDocuments: true, options: {} },
		store,
		onBinary: (buffer, fileName) => checkpoint(`binary ${fileName} (${mib(buffer.length)} MiB) handed to n8n`),
		onDownload: (options) =>
			checkpoint(new URL(options.url).pathname.startsWith('/__download/') ? 'after the download of the pre-signed link' : `after ${new URL(options.url).pathname}`),
	});
	const [output] = await node.execute.call(context);
	return output;
}

const binaryMode = await initBinaryData();
// Warm-up with a small archive: module loading and compilation are not what is measured.
await runOnce(warmupApplication);
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 100));
globalThis.gc?.();

const baseline = process.memoryUsage();
const hwmReset = resetKernelPeak();
const peaks = { rss: baseline.rss, heapUsed: baseline.heapUsed, external: baseline.external, arrayBuffers: baseline.arrayBuffers };
const sampler = setInterval(() => {
	const m = process.memoryUsage();
	for (const key of Object.keys(peaks)) peaks[key] = Math.max(peaks[key], m[key]);
}, 10);
recording = true;
const t0 = performance.now();
const output = await runOnce(application);
const wallMs = performance.now() - t0;
recording = false;
clearInterval(sampler);
const peakRss = hwmReset ? kernelPeakRss() : peaks.rss;
checkpoint('after the run');

const first = output[0]?.json ?? {};
const zipBytes = Number(first.archive?.fileSize ?? 0);
const result = {
	runtime: process.version,
	binaryMode,
	application,
	zipBytes,
	viaDownloadUrl: first._meta?.viaDownloadUrl ?? null,
	extractionError: first._meta?.extractionError ?? null,
	documents: output.length,
	attachments: output.reduce((sum, item) => sum + (item.json.attachments?.length ?? 0), 0),
	wallMs,
	peakSource: hwmReset ? 'kernel high-water mark (VmHWM)' : 'sampled every 10 ms',
	baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed, external: baseline.external, arrayBuffers: baseline.arrayBuffers },
	peak: { rss: peakRss, sampledRss: peaks.rss, heapUsed: peaks.heapUsed, external: peaks.external, arrayBuffers: peaks.arrayBuffers },
	checkpoints,
};
progress(
	`${binaryMode}: ZIP ${mib(zipBytes)} MiB, ${result.documents} documents; peak RSS ${mib(peakRss)} MiB (baseline ${mib(baseline.rss)} MiB), peak array buffers ${mib(peaks.arrayBuffers)} MiB`,
);
finish(result);
