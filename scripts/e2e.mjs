// End-to-end test against a REAL n8n (2.41.1 on Node 24 by default, or with N8N_LINE=1 the newest
// 1.x on the machine's Node 20; see scripts/lib/runtime.mjs): packs this
// package, installs it into a scratch n8n user folder the way a user would, starts the sandbox,
// imports the sandbox credentials and every workflow in test/e2e/workflows, executes each one with
// `n8n execute` and checks it with its case in test/e2e/cases.mjs.
//
//   npm run test:e2e                 build, then everything
//   node scripts/e2e.mjs [filter...] only the cases whose name contains one of the filters
//   node scripts/e2e.mjs --skip=queue  every case except those whose name contains "queue"
//   N8N_LINE=1 node scripts/e2e.mjs  the same against the pinned n8n 1.x
// Every run first checks the packed file list (scripts/lib/tarball.mjs) as the case "tarball".
// The example workflows in examples/ (what `npm start` loads) run as cases too.
//
// Output: `ok - <case>` / `not ok - <case>: <reason>` per case, a final secret-scan line, timings as
// `# ...` comment lines, and the closing line `N passed, N failed`. Exit code 1 if anything failed.
// E2E_KEEP=1 keeps the scratch user folder (.cache/user-folders/e2e-<pid>) for inspection.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAgents, startsWithAgentTrigger } from '../test/e2e/agents.mjs';
import { runDocketWatch, startsWithOurTrigger } from '../test/e2e/docketWatch.mjs';
import { runQueueMode } from '../test/e2e/queueMode.mjs';
import { N8N_LINE, N8N_VERSION, ensureN8n, readJson, repoRoot } from './lib/runtime.mjs';
import { tarballProblems } from './lib/tarball.mjs';
import {
	PACKAGE_NAME,
	SANDBOX_SECRETS,
	executeWorkflow,
	exportCredentialsDecrypted,
	freePort,
	importCredentials,
	importWorkflows,
	killActiveChildren,
	missingPackageFiles,
	n8nEnv,
	nodeOutput,
	packPackage,
	packageNodeTypes,
	prepareUserFolder,
	sandboxCredentials,
	sandboxRequests,
	sandboxReset,
	startSandboxProcess,
} from './lib/n8n.mjs';

const workflowsDir = path.join(repoRoot, 'test', 'e2e', 'workflows');
const examplesDir = path.join(repoRoot, 'examples');
const casesFile = path.join(repoRoot, 'test', 'e2e', 'cases.mjs');
const exampleCasesFile = path.join(repoRoot, 'test', 'e2e', 'exampleCases.mjs');
const TARBALL = 'tarball holds only what n8n loads';
const DOCKET_WATCH = 'docket watch (active trigger examples in n8n start)';
const QUEUE_MODE = 'queue mode (main + 3 workers, Redis, PostgreSQL)';
const AGENTS = 'agents (AI Agent and MCP Server Trigger examples in n8n start)';
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const skips = process.argv
	.slice(2)
	.filter((arg) => arg.startsWith('--skip='))
	.map((arg) => arg.slice('--skip='.length));
const keep = process.env.E2E_KEEP === '1';
const SANDBOX_URL_PLACEHOLDER = '__SANDBOX_URL__';

const started = Date.now();
const timings = [];
let passed = 0;
let failed = 0;

/** Every piece of output of n8n and the sandbox, for the secret scan. */
const logs = [];
/** Secret value → { label, allowedIn: Set<case name> }. */
const secrets = new Map();
for (const value of SANDBOX_SECRETS) secrets.set(value, { label: describeSecret(value), allowedIn: new Set() });

function describeSecret(value) {
	return `${value.slice(0, 4)}… (${value.length} chars)`;
}

function redact(text) {
	let out = text;
	for (const value of secrets.keys()) out = out.split(value).join('[secret]');
	return out;
}

function ms(n) {
	return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`;
}

async function phase(name, fn) {
	const t0 = Date.now();
	try {
		return await fn();
	} finally {
		const took = Date.now() - t0;
		timings.push([name, took]);
		console.log(`# ${name}: ${ms(took)}`);
	}
}

function record(source, res) {
	logs.push({ source, text: `${res.stdout ?? ''}\n${res.stderr ?? ''}` });
	return res;
}

function pass(name) {
	passed += 1;
	console.log(`ok - ${name}`);
}

function fail(name, error, details = '') {
	failed += 1;
	const message = error instanceof Error ? error.message : String(error);
	const [first, ...rest] = redact(message).split('\n');
	console.log(`not ok - ${name}: ${first}`);
	const more = [...rest, ...redact(details).split('\n')].filter((line) => line.trim() !== '');
	for (const line of more.slice(-40)) console.log(`#   ${line}`);
}

/** Secrets found in a text that this case is not allowed to show. */
function leaks(text, caseName) {
	const found = [];
	for (const [value, { label, allowedIn }] of secrets) {
		if (caseName && allowedIn.has(caseName)) continue;
		if (text.includes(value)) found.push(label);
	}
	return found;
}

/** String values under token-like keys anywhere in a JSON value. */
function tokenValues(value, out = new Set()) {
	if (Array.isArray(value)) {
		for (const item of value) tokenValues(item, out);
	} else if (value && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) {
			if (/token$/i.test(key.replace(/[_-]/g, '')) && typeof inner === 'string' && inner.length >= 8) {
				out.add(inner);
			} else {
				tokenValues(inner, out);
			}
		}
	}
	return out;
}

function addTokens(values, label, allowedIn = []) {
	for (const value of values) {
		if (!secrets.has(value)) secrets.set(value, { label: `${label} ${describeSecret(value)}`, allowedIn: new Set(allowedIn) });
	}
}

/** Every token n8n stored in a credential, so the secret scan knows it: n8n keeps fetched tokens there. */
async function rememberStoredTokens(source, env) {
	const exported = record(source, await exportCredentialsDecrypted(env));
	for (const credential of exported.credentials) {
		const { accessToken, refreshToken, oauthTokenData } = credential.data ?? {};
		addTokens(
			[accessToken, refreshToken, ...tokenValues(oauthTokenData ?? {})].filter((v) => typeof v === 'string' && v.length >= 8),
			`token stored in credential ${credential.id}`,
		);
	}
}

/** Runs one check of a phase and reports it as its own case. */
async function checkCase(name, fn) {
	try {
		await fn();
		pass(name);
	} catch (error) {
		fail(name, error);
	}
}

function loadWorkflowFiles(dir = workflowsDir) {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort();
}

/**
 * The example workflows `npm start` loads are run too. Those that start with a Manual Trigger run
 * here with a generic check (the execution succeeds and each of our nodes outputs items paired
 * with its input) plus their own checks from exampleCases.mjs; those that start with one of our
 * polling triggers can only run as active workflows and are checked by the docket-watch phase.
 */
async function exampleCases() {
	const { default: specific } = await import(pathToFileURL(exampleCasesFile).href);
	const files = loadWorkflowFiles(examplesDir);
	for (const name of Object.keys(specific)) {
		if (!files.includes(name)) throw new Error(`exampleCases.mjs has checks for ${name}, which is not in examples/`);
	}
	return files
		.filter((file) => {
			const workflow = readJson(path.join(examplesDir, file));
			return !startsWithOurTrigger(workflow) && !startsWithAgentTrigger(workflow);
		})
		.map((file) => ({
			workflow: file,
			file: path.join(examplesDir, file),
			name: `example ${file.replace(/\.json$/, '')}`,
			expect: async (ctx) => {
				const { exitCode, error, output, workflow } = ctx;
				if (error) throw new Error(`execution failed${error.node?.name ? ` in node "${error.node.name}"` : ''}: ${error.message}`);
				if (exitCode !== 0) throw new Error(`n8n execute exit code ${exitCode}`);
				for (const node of workflow.nodes.filter((n) => n.type.startsWith(`${PACKAGE_NAME}.`))) {
					const items = output(node.name) ?? [];
					if (items.length === 0) throw new Error(`node "${node.name}" produced no items`);
					if (items.some((item) => item.pairedItem === undefined)) throw new Error(`node "${node.name}": an item lacks pairedItem`);
				}
				await specific[file]?.(ctx);
			},
		}));
}

/** The examples that start with our polling triggers, for the docket-watch phase, or with n8n's chat and MCP triggers, for the agents phase. */
function examplesStartingWith(predicate) {
	return loadWorkflowFiles(examplesDir)
		.map((file) => ({ file: path.join(examplesDir, file), workflow: readJson(path.join(examplesDir, file)) }))
		.filter(({ workflow }) => predicate(workflow));
}

async function loadCases(files) {
	const { default: cases } = await import(pathToFileURL(casesFile).href);
	if (!Array.isArray(cases)) throw new Error(`${casesFile} must export an array of cases`);
	const byWorkflow = new Map();
	for (const c of cases) {
		if (!files.includes(c.workflow)) throw new Error(`case for ${c.workflow}: no such file in test/e2e/workflows`);
		if (byWorkflow.has(c.workflow)) throw new Error(`two cases for ${c.workflow}`);
		if (typeof c.expect !== 'function') throw new Error(`case for ${c.workflow} has no expect()`);
		byWorkflow.set(c.workflow, {
			...c,
			file: path.join(workflowsDir, c.workflow),
			name: c.name ?? c.workflow.replace(/\.json$/, ''),
		});
	}
	const missing = files.filter((file) => !byWorkflow.has(file));
	if (missing.length > 0) throw new Error(`workflows without a case in test/e2e/cases.mjs: ${missing.join(', ')}`);
	return [...byWorkflow.values()];
}

/** Credential types a workflow's nodes use. */
function credentialTypes(workflow) {
	return [...new Set(workflow.nodes.flatMap((node) => Object.keys(node.credentials ?? {})))];
}

/** Turns "Unrecognized node type" into a message that says what went wrong with our package. */
function unknownNodeTypeMessage(output, ctx) {
	const match = /Unrecognized node type: (\S+)/.exec(output);
	if (!match) return undefined;
	const type = match[1];
	if (!type.startsWith(`${PACKAGE_NAME}.`)) return `n8n does not know node type ${type} (not one of ours)`;
	const hints = [];
	if (ctx.missingFiles.length > 0) hints.push(`the installed package lacks ${ctx.missingFiles.join(', ')} (run npm run build)`);
	const loaderLines = output
		.split('\n')
		.filter((line) => /Failed to load package|Skipping package|Skipping package directory/i.test(line));
	hints.push(...loaderLines);
	return `n8n did NOT load node type ${type} from ${PACKAGE_NAME} installed at ${ctx.packageDir}${
		hints.length > 0 ? `: ${hints.join('; ')}` : ''
	}`;
}

async function runCase(c, ctx) {
	const usesCredentials = credentialTypes(c.workflowData).length > 0;
	if (ctx.sandbox) await sandboxReset(ctx.sandbox.url);
	if (usesCredentials) {
		// Fresh credentials for every case: n8n stores fetched tokens in the credential, and a token
		// left from an earlier case would change the number of token fetches the case expects.
		record(`${c.name}: import:credentials`, await importCredentials(sandboxCredentials(ctx.sandbox.url), ctx.env));
	}
	const res = await executeWorkflow(c.workflowData.id, ctx.env, { timeoutMs: c.timeoutMs ?? 120_000 });
	logs.push({ source: `${c.name}: execute`, caseName: c.name, text: `${res.stdout}\n${res.stderr}` });
	const output = `${res.stdout}\n${res.stderr}`;
	if (res.timedOut) throw new Error('n8n execute timed out');

	if (c.allowTokensInOutput && res.result) {
		// This case asks for a token itself and shows it; its tokens must not show up anywhere else.
		addTokens(tokenValues(res.result.data?.resultData?.runData ?? {}), `token fetched by ${c.name}`, [c.name]);
	}
	if (usesCredentials) {
		await rememberStoredTokens(`${c.name}: export:credentials`, ctx.env);
	}
	const leaked = leaks(output, c.name);
	if (leaked.length > 0) throw new Error(`secret(s) in n8n output: ${leaked.join(', ')}`);

	const unknown = unknownNodeTypeMessage(output, ctx);
	if (unknown) throw new Error(unknown);
	if (!res.result) {
		throw new Error(`n8n printed no execution JSON (exit code ${res.exitCode})\n${output.split('\n').slice(-20).join('\n')}`);
	}
	const requests = ctx.sandbox ? await sandboxRequests(ctx.sandbox.url) : [];
	await c.expect({
		exitCode: res.exitCode,
		result: res.result,
		error: res.result.data?.resultData?.error,
		output: (nodeName, options) => nodeOutput(res.result, nodeName, options),
		requests,
		sandboxUrl: ctx.sandbox?.url,
		workflow: c.workflowData,
		stdout: res.stdout,
		stderr: res.stderr,
	});
}

async function main() {
	const files = loadWorkflowFiles();
	const allCases = [...(await loadCases(files)), ...(await exampleCases())];
	const selected = (name) =>
		(filters.length === 0 || filters.some((f) => name.includes(f))) && !skips.some((skip) => name.includes(skip));
	const cases = allCases.filter((c) => selected(c.name));
	const docketWatch = selected(DOCKET_WATCH);
	const queueMode = selected(QUEUE_MODE);
	const agents = selected(AGENTS);
	const phases = [...(docketWatch ? [DOCKET_WATCH] : []), ...(agents ? [AGENTS] : []), ...(queueMode ? [QUEUE_MODE] : [])];
	if (cases.length === 0 && phases.length === 0) throw new Error(`no case matches ${filters.join(', ')}`);
	console.log(`# ${cases.length + phases.length} case(s) or phase(s): ${[...cases.map((c) => c.name), ...phases].join(', ')}`);

	const ctx = { sandbox: undefined, folder: undefined, env: undefined, missingFiles: [], packageDir: '' };
	const stopAll = async () => {
		killActiveChildren();
		await ctx.sandbox?.stop();
		if (ctx.folder && !keep) ctx.folder.remove();
	};
	const onSignal = (signal) => {
		console.log(`# interrupted by ${signal}, cleaning up`);
		void stopAll().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		console.log(`# n8n ${N8N_VERSION} (line ${N8N_LINE}.x)`);
		await phase(`runtime (n8n ${N8N_VERSION} and its Node, cached)`, () => ensureN8n());
		const pack = await phase('npm pack', () => packPackage());
		ctx.folder = await phase('install package into n8n user folder', () =>
			prepareUserFolder({ name: 'e2e', tarball: pack.tarball }),
		);
		pack.remove();
		ctx.packageDir = ctx.folder.packageDir;
		const packProblems = tarballProblems(pack.files, readJson(path.join(repoRoot, 'package.json')), ctx.packageDir);
		if (packProblems.length > 0) fail(TARBALL, new Error(`${packProblems.length} problem(s)`), packProblems.join('\n'));
		else pass(`${TARBALL} (${pack.files.length} files)`);
		ctx.missingFiles = missingPackageFiles(ctx.folder.packageDir);
		if (ctx.missingFiles.length > 0) {
			console.log(`# warning: the packed package lacks ${ctx.missingFiles.join(', ')}: run npm run build`);
		}
		ctx.env = n8nEnv({ userFolder: ctx.folder.userFolder, brokerPort: await freePort(), port: await freePort() });
		ctx.sandbox = await phase('start sandbox', () => startSandboxProcess({ port: 0 }));
		console.log(`# sandbox: ${ctx.sandbox.url}, n8n user folder: ${ctx.folder.userFolder}`);

		const imported = await phase('import credentials + workflows', async () => {
			record('import:credentials', await importCredentials(sandboxCredentials(ctx.sandbox.url), ctx.env));
			return record(
				'import:workflow',
				await importWorkflows(
					cases.map((c) => c.file),
					ctx.env,
					{ replacements: { [SANDBOX_URL_PLACEHOLDER]: ctx.sandbox.url } },
				),
			);
		});
		for (const c of cases) {
			c.workflowData = imported.workflows.find((w) => w.file === c.file).workflow;
			c.ourTypes = packageNodeTypes(c.workflowData);
		}

		// The sandbox CLI prints the demo accounts in its start banner on purpose; everything it
		// prints from here on (while n8n talks to it) is scanned.
		const sandboxBannerEnd = ctx.sandbox.output().length;
		for (const c of cases) {
			await phase(`case ${c.name}`, async () => {
				try {
					await runCase(c, ctx);
					pass(c.name);
				} catch (error) {
					fail(c.name, error);
				}
			});
		}

		if (docketWatch) {
			await phase(`case ${DOCKET_WATCH}`, async () => {
				try {
					await sandboxReset(ctx.sandbox.url);
					record(`${DOCKET_WATCH}: import:credentials`, await importCredentials(sandboxCredentials(ctx.sandbox.url), ctx.env));
					await runDocketWatch({
						examples: examplesStartingWith(startsWithOurTrigger),
						env: ctx.env,
						sandboxUrl: ctx.sandbox.url,
						log: (source, text) => logs.push({ source: `${DOCKET_WATCH}: ${source}`, text }),
						note: (text) => console.log(`# ${text}`),
					});
					await rememberStoredTokens(`${DOCKET_WATCH}: export:credentials`, ctx.env);
					pass(DOCKET_WATCH);
				} catch (error) {
					fail(DOCKET_WATCH, error);
				}
			});
		}

		if (agents) {
			await phase(`phase ${AGENTS}`, async () => {
				try {
					await sandboxReset(ctx.sandbox.url);
					record(`${AGENTS}: import:credentials`, await importCredentials(sandboxCredentials(ctx.sandbox.url), ctx.env));
					await runAgents({
						examples: examplesStartingWith(startsWithAgentTrigger),
						env: ctx.env,
						sandboxUrl: ctx.sandbox.url,
						log: (source, text) => logs.push({ source: `${AGENTS}: ${source}`, text }),
						note: (text) => console.log(`# ${redact(text)}`),
						secret: (value, label) => addTokens([value], label),
						check: checkCase,
					});
					await rememberStoredTokens(`${AGENTS}: export:credentials`, ctx.env);
				} catch (error) {
					fail(AGENTS, error);
				}
			});
		}

		if (queueMode) {
			await phase(`phase ${QUEUE_MODE}`, async () => {
				try {
					await runQueueMode({
						userFolder: ctx.folder.userFolder,
						sandboxUrl: ctx.sandbox.url,
						log: (source, text) => logs.push({ source: `${QUEUE_MODE}: ${source}`, text }),
						note: (text) => console.log(`# ${text}`),
						check: checkCase,
					});
				} catch (error) {
					fail(QUEUE_MODE, error);
				}
			});
		}

		// Every token the sandbox handed out during the run, including those renewed or rotated in the
		// middle of a case (n8n keeps only the last one in the credential), then everything printed
		// again: the cases' output (each may show only what it is allowed to) and the rest.
		const issued = await (await fetch(`${ctx.sandbox.url}/__sandbox/issued-tokens`)).json();
		addTokens([...issued.jpo, ...issued.patsnap], 'token issued by the sandbox');
		logs.push({ source: 'sandbox', text: ctx.sandbox.output().slice(sandboxBannerEnd) });
		const outside = logs.flatMap((entry) => leaks(entry.text, entry.caseName).map((label) => `${label} in ${entry.source}`));
		if (outside.length > 0) fail('secret scan', new Error(`secret(s) in output: ${outside.join(', ')}`));
		else pass(`secret scan (${secrets.size} secret values, ${logs.length} outputs of n8n and the sandbox)`);
	} catch (error) {
		fail('harness', error);
	} finally {
		await phase('cleanup', stopAll);
		if (keep && ctx.folder) console.log(`# kept ${ctx.folder.userFolder}`);
		console.log(`# total: ${ms(Date.now() - started)}`);
		console.log(`${passed} passed, ${failed} failed`);
		process.exitCode = failed > 0 ? 1 : 0;
	}
}

main().catch((error) => {
	fail('harness', error);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = 1;
});
