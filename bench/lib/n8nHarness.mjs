// Real n8n for scenarios 1 and 2, set up like the e2e suite: the packed package installed into a
// scratch user folder, the sandbox as its own process, workflows imported through the CLI and run
// with `n8n execute`. One harness serves every run of a benchmark.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureN8n } from '../../scripts/lib/runtime.mjs';
import {
	SANDBOX_ACCOUNTS,
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflows,
	killActiveChildren,
	missingPackageFiles,
	n8nEnv,
	nodeOutput,
	packPackage,
	prepareUserFolder,
	sandboxConfigure,
	sandboxCredentials,
	sandboxRequests,
	sandboxReset,
	startSandboxProcess,
} from '../../scripts/lib/n8n.mjs';
import { benchDir } from './common.mjs';

const workflowsDir = path.join(benchDir, 'workflows');

export async function startN8nHarness({ log }) {
	const t0 = Date.now();
	ensureN8n();
	const pack = await packPackage({ name: `bench-${process.pid}` });
	const folder = await prepareUserFolder({ name: 'bench', tarball: pack.tarball });
	pack.remove();
	const missing = missingPackageFiles(folder.packageDir);
	let sandbox;
	try {
		if (missing.length > 0) throw new Error(`the packed package lacks ${missing.join(', ')}: run npm run build`);
		sandbox = await startSandboxProcess({ port: 0 });
	} catch (error) {
		folder.remove();
		throw error;
	}
	const env = n8nEnv({ userFolder: folder.userFolder, brokerPort: await freePort(), port: await freePort() });
	log(`n8n user folder ${folder.userFolder}, sandbox ${sandbox.url} (set up in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	const instantiated = path.join(folder.userFolder, 'bench-workflows');
	mkdirSync(instantiated, { recursive: true });

	return {
		env,
		sandbox,
		/**
		 * Imports workflows made from the templates in bench/workflows: each `{ template, id, name,
		 * replacements, patch }` becomes one workflow; `patch(workflow)` may set node parameters.
		 * All go in one `n8n import:workflow` call, since each CLI call costs an n8n start-up.
		 */
		async importWorkflows(list) {
			const files = list.map(({ template, id, name, replacements = {}, patch }) => {
				let text = readFileSync(path.join(workflowsDir, template), 'utf8');
				const all = { __SANDBOX_URL__: sandbox.url, __API_KEY__: SANDBOX_ACCOUNTS.patSnap.apiKey, ...replacements };
				for (const [placeholder, value] of Object.entries(all)) text = text.split(placeholder).join(value);
				const workflow = JSON.parse(text);
				workflow.id = id;
				workflow.name = name;
				patch?.(workflow);
				const file = path.join(instantiated, `${id}.json`);
				writeFileSync(file, JSON.stringify(workflow));
				return file;
			});
			await importWorkflows(files, env);
		},
		/**
		 * One measured execution: sandbox reset and configured, fresh credentials when the workflow
		 * uses ours (n8n keeps fetched tokens in the credential, which would hide the token fetch),
		 * then `n8n execute`. Returns the execution, the sandbox's request log and token-fetch count,
		 * and the wall time of the whole CLI call (n8n start-up included).
		 */
		async run(id, { config = {}, credentials = false, timeoutMs = 600_000 } = {}) {
			await sandboxReset(sandbox.url);
			// reset() restores the start configuration, so the benchmark's limits go on afterwards.
			if (Object.keys(config).length > 0) await sandboxConfigure(sandbox.url, config);
			if (credentials) await importCredentials(sandboxCredentials(sandbox.url), env);
			const started = Date.now();
			const res = await executeWorkflow(id, env, { timeoutMs });
			const cliMs = Date.now() - started;
			if (res.timedOut) throw new Error(`n8n execute --id=${id} timed out after ${timeoutMs / 1000} s`);
			if (!res.result) {
				const tail = `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-20).join('\n');
				throw new Error(`n8n printed no execution JSON for ${id} (exit code ${res.exitCode})\n${tail}`);
			}
			const requests = await sandboxRequests(sandbox.url);
			const tokenFetches = await (await fetch(`${sandbox.url}/__sandbox/token-fetches`)).json();
			return {
				exitCode: res.exitCode,
				result: res.result,
				error: res.result.data?.resultData?.error,
				output: (nodeName) => nodeOutput(res.result, nodeName) ?? [],
				nodeRun: (nodeName) => res.result.data?.resultData?.runData?.[nodeName]?.[0],
				requests,
				tokenFetches,
				cliMs,
			};
		},
		async stop() {
			killActiveChildren();
			await sandbox.stop();
			if (process.env.BENCH_KEEP !== '1') folder.remove();
		},
	};
}

/** Span between the first and the last recorded call (arrival times at the sandbox), in ms. */
export function callSpan(calls) {
	if (calls.length === 0) return 0;
	const times = calls.map((call) => call.at);
	return Math.max(...times) - Math.min(...times);
}
