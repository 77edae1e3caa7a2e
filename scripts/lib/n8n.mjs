// Drives a real n8n (the pinned install from runtime.mjs) with this package installed the way a user
// installs a community package, plus the sandbox process it talks to. Used by scripts/e2e.mjs,
// scripts/start.mjs and the benchmarks.
//
// Ports (checked with `ss -ltn` on the build machine, 2026-11: nothing listens on 5678-5681 or 8765;
// only 2024, which belongs to the machine's own tooling; `n8n start` opens just N8N_PORT and the
// broker port, `n8n execute` just the broker port):
// - `n8n start` (npm start): N8N_PORT 5678 (editor), task broker 5679, both overridable.
// - `n8n execute` (e2e, benchmarks) opens no HTTP server, only the task broker (N8N_RUNNERS_BROKER_PORT,
//   default 5679). The e2e run asks the OS for a free loopback port instead (`freePort()`), so an e2e
//   run, `npm start` and a second e2e run can share one machine.
// - The e2e sandbox listens on port 0 (the OS picks) and its URL is read from its banner;
//   `npm start` uses 8765 (or SANDBOX_PORT) so the URL stays stable across starts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cacheDir, n8nBin, n8nNodeBin, n8nNodeEnv, repoRoot } from './runtime.mjs';
import { stopProcessGroup } from './server.mjs';

export const PACKAGE_NAME = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name;

/** Fixed key so imported credentials decrypt in every n8n process of a run. Not a secret. */
export const ENCRYPTION_KEY = 'n8n-nodes-jpo-patsnap-local-test-key-not-secret';

/** Sandbox demo accounts (docs/CONTRACTS.md). Sandbox only, never real. */
export const SANDBOX_ACCOUNTS = {
	jpo: { username: 'sandbox-user', password: 'sandbox-password' },
	patSnap: {
		clientId: 'sandbox-client',
		clientSecret: 'sandbox-secret',
		apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000',
	},
};

/** Values that must never appear in any n8n or sandbox output. */
export const SANDBOX_SECRETS = [
	SANDBOX_ACCOUNTS.jpo.password,
	SANDBOX_ACCOUNTS.patSnap.clientSecret,
	SANDBOX_ACCOUNTS.patSnap.apiKey,
];

/** Credential ids and names workflows (test/e2e/workflows, examples) reference. */
export const CREDENTIALS = {
	jpo: { id: 'jpoSandboxCred01', name: 'JPO sandbox' },
	patSnap: { id: 'patSnapSandbox01', name: 'PatSnap sandbox' },
	// The sk- key model sends the key itself on every call, so the security cases need it too.
	// n8n credential ids are 16 characters.
	patSnapKey: { id: 'patSnapSandKey01', name: 'PatSnap sandbox (API key)' },
};

/** The Slack incoming-webhook URL the examples carry until a user puts in their own. */
export const SLACK_WEBHOOK_PLACEHOLDER = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

/** The SMTP credential the e-mail examples reference; `npm start` and this test point it at a local sink. */
export const SMTP_CREDENTIAL = { id: 'smtpLocalSink01', name: 'Local mail catcher' };

/** The credentials the agent examples reference besides the sandbox ones (ids are 16 characters). */
export const AGENT_CREDENTIALS = {
	chatModel: { id: 'chatModelCred001', name: 'OpenAI-compatible chat model' },
	chatLogin: { id: 'docketChatLogin1', name: 'Docket chat login' },
	mcpToken: { id: 'mcpClientToken01', name: 'MCP client token' },
};

/**
 * The chat model (any OpenAI-compatible chat-completions server: its base URL with /v1 and a
 * key), the chat's Basic login and the bearer token MCP clients send.
 */
export function agentCredentials({ modelUrl, modelKey, chatUser, chatPassword, mcpToken }) {
	return [
		{ ...AGENT_CREDENTIALS.chatModel, type: 'openAiApi', data: { apiKey: modelKey, url: modelUrl } },
		{ ...AGENT_CREDENTIALS.chatLogin, type: 'httpBasicAuth', data: { user: chatUser, password: chatPassword } },
		{ ...AGENT_CREDENTIALS.mcpToken, type: 'httpBearerAuth', data: { token: mcpToken } },
	];
}

export function smtpCredential(port) {
	return {
		id: SMTP_CREDENTIAL.id,
		name: SMTP_CREDENTIAL.name,
		type: 'smtp',
		// The sink accepts any login; these are not secrets and are not checked.
		data: { user: 'docket', password: 'local-mail-catcher', host: '127.0.0.1', port, secure: false, disableStartTls: true },
	};
}

const DEFAULT_TIMEOUT_MS = 120_000;

const activeChildren = new Set();

/** Kills the commands runProcess() is still waiting for (for a script interrupted by a signal). */
export function killActiveChildren(signal = 'SIGTERM') {
	for (const child of activeChildren) killGroup(child, signal);
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** Runs a command, collecting its output; rejects only when it cannot be spawned. */
export function runProcess(command, args, { cwd = repoRoot, env = process.env, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
	return new Promise((resolve, reject) => {
		// Own process group, so a timeout or an interrupt also ends what it started (n8n's task runner).
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		activeChildren.add(child);
		child.on('exit', () => activeChildren.delete(child));
		const out = [];
		const err = [];
		let timedOut = false;
		child.stdout.on('data', (chunk) => out.push(chunk));
		child.stderr.on('data', (chunk) => err.push(chunk));
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				exitCode: code ?? (signal ? 128 : 1),
				signal,
				timedOut,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			});
		});
	});
}

function describeFailure(what, res) {
	const reason = res.timedOut ? 'timed out' : `exited with code ${res.exitCode}`;
	const tail = `${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-30).join('\n');
	return new Error(`${what} ${reason}\n${tail}`);
}

/** A loopback TCP port that was free a moment ago (the OS picks it). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portInUse(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/**
 * `npm pack`s the repository (dist/ must be built) into `.cache/pack/<name>` and returns
 * `{ tarball, files, remove() }`. Each run packs into its own folder (default: per process), so
 * parallel runs never replace each other's tarball.
 */
export async function packPackage({ name = `run-${process.pid}` } = {}) {
	const destination = path.join(cacheDir, 'pack', name);
	rmSync(destination, { recursive: true, force: true });
	mkdirSync(destination, { recursive: true });
	const res = await runProcess('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination]);
	if (res.exitCode !== 0) throw describeFailure('npm pack', res);
	const [info] = JSON.parse(res.stdout);
	const tarball = path.join(destination, info.filename);
	if (!existsSync(tarball)) throw new Error(`npm pack reported ${info.filename} but it is not in ${destination}`);
	return {
		tarball,
		files: info.files.map((f) => f.path),
		remove: () => rmSync(destination, { recursive: true, force: true }),
	};
}

/**
 * Creates an n8n user folder and installs the packed package into `<folder>/.n8n/nodes` like a
 * user's manual install (`cd ~/.n8n/nodes && npm install <package>`).
 *
 * `--legacy-peer-deps` keeps npm from installing the `n8n-workflow` peer dependency next to our
 * package: `require('n8n-workflow')` in our code must resolve to n8n's own copy (n8n adds its
 * module paths to NODE_PATH), otherwise `instanceof` checks across two copies fail. Without the
 * flag npm 10 adds n8n-workflow and ~170 packages of its tree here. Our runtime dependencies
 * (package.json `dependencies`) are installed next to our package. n8n's own UI installer reaches
 * the same result differently (it strips peer/dev dependencies from the unpacked package.json).
 *
 * `fresh: false` keeps an existing folder (its database, credentials and owner account) and only
 * reinstalls the package (used by `npm start`).
 */
export async function prepareUserFolder({ name = 'e2e', userFolder, tarball, fresh = true } = {}) {
	const folder = userFolder ?? path.join(cacheDir, 'user-folders', `${name}-${process.pid}`);
	if (fresh) rmSync(folder, { recursive: true, force: true });
	const nodesDir = path.join(folder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	// Reinstall from scratch every time so a rebuilt tarball with the same version is picked up.
	rmSync(path.join(nodesDir, 'node_modules'), { recursive: true, force: true });
	rmSync(path.join(nodesDir, 'package-lock.json'), { force: true });
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`,
	);
	if (tarball) {
		const res = await runProcess(
			'npm',
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts',
				'--legacy-peer-deps',
				'--omit=dev',
				'--prefer-offline',
				tarball,
			],
			{ cwd: nodesDir, env: { ...process.env, npm_config_loglevel: 'error' } },
		);
		if (res.exitCode !== 0) throw describeFailure(`npm install ${path.basename(tarball)}`, res);
		checkInstall(nodesDir);
	}
	return {
		userFolder: folder,
		nodesDir,
		packageDir: path.join(nodesDir, 'node_modules', PACKAGE_NAME),
		remove: () => rmSync(folder, { recursive: true, force: true }),
	};
}

function checkInstall(nodesDir) {
	const modules = path.join(nodesDir, 'node_modules');
	const packageDir = path.join(modules, PACKAGE_NAME);
	if (!existsSync(path.join(packageDir, 'package.json'))) {
		throw new Error(`${PACKAGE_NAME} is not installed in ${modules}`);
	}
	for (const copy of [path.join(modules, 'n8n-workflow'), path.join(packageDir, 'node_modules', 'n8n-workflow')]) {
		if (existsSync(copy)) {
			throw new Error(`n8n-workflow was installed at ${copy}; it must resolve to n8n's own copy (peer dependency)`);
		}
	}
	const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	for (const dep of Object.keys(manifest.dependencies ?? {})) {
		const candidates = [path.join(modules, dep), path.join(packageDir, 'node_modules', dep)];
		if (!candidates.some((dir) => existsSync(path.join(dir, 'package.json')))) {
			throw new Error(`runtime dependency ${dep} of ${PACKAGE_NAME} was not installed`);
		}
	}
}

/** The files the installed package's `n8n` section points at that are missing (e.g. not built). */
export function missingPackageFiles(packageDir) {
	const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const files = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	return files.filter((file) => !existsSync(path.join(packageDir, file)));
}

/**
 * Quiet, deterministic environment for every n8n process (shared/reference/n8n/RUNTIME.md), on top
 * of the environment of the Node that runs the selected n8n line.
 */
export function n8nEnv({ userFolder, brokerPort = 5679, port = 5678, extra = {} } = {}) {
	if (!userFolder) throw new Error('n8nEnv needs a userFolder');
	const tmp = path.join(cacheDir, 'tmp');
	mkdirSync(tmp, { recursive: true });
	const env = n8nNodeEnv({
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// Load community packages from <userFolder>/.n8n/nodes (these are n8n's defaults, made explicit).
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// Never try to reinstall packages from the registry behind our back.
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		TMPDIR: tmp,
		NO_COLOR: '1',
		...extra,
	});
	env.NODE_COMPILE_CACHE = path.join(cacheDir, 'node-compile-cache');
	// Keep an outer environment from redirecting n8n (its own .env, other databases, queue mode).
	for (const key of ['DB_POSTGRESDB_HOST', 'EXECUTIONS_MODE', 'N8N_CONFIG_FILES', 'N8N_CUSTOM_EXTENSIONS']) {
		if (!(key in extra)) delete env[key];
	}
	return env;
}

/** Runs `n8n <args>` on the selected line's Node and collects its output. Resolves with the exit code, never rejects on it. */
export function runN8n(args, env, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
	return runProcess(n8nNodeBin, [n8nBin, ...args], { env, timeoutMs, cwd: env.N8N_USER_FOLDER });
}

function scratchFile(env, name, data) {
	const dir = path.join(env.N8N_USER_FOLDER, 'import');
	mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/** Imports credential records `{ id, name, type, data }` (plain data; n8n encrypts it). */
export async function importCredentials(list, env) {
	const file = scratchFile(env, 'credentials.json', list);
	const res = await runN8n(['import:credentials', `--input=${file}`], env);
	rmSync(file, { force: true });
	if (res.exitCode !== 0) throw describeFailure('n8n import:credentials', res);
	return res;
}

/**
 * Imports workflow files (each with a top-level `id` of at most 21 characters; re-import
 * overwrites). `replacements` maps placeholders in the file text (e.g. `__SANDBOX_URL__`) to values.
 * Returns the process result plus `workflows: [{ file, id, name, workflow }]`.
 */
export async function importWorkflows(files, env, { replacements = {} } = {}) {
	const workflows = files.map((file) => {
		let text = readFileSync(file, 'utf8');
		for (const [placeholder, value] of Object.entries(replacements)) text = text.split(placeholder).join(value);
		const workflow = JSON.parse(text);
		if (typeof workflow.id !== 'string' || workflow.id.length === 0 || workflow.id.length > 21) {
			throw new Error(`${file}: needs a top-level "id" of 1-21 characters`);
		}
		return { file, workflow };
	});
	const ids = new Set();
	for (const { file, workflow } of workflows) {
		if (ids.has(workflow.id)) throw new Error(`${file}: duplicate workflow id ${workflow.id}`);
		ids.add(workflow.id);
	}
	const input = scratchFile(
		env,
		'workflows.json',
		workflows.map(({ workflow }) => workflow),
	);
	const res = await runN8n(['import:workflow', `--input=${input}`], env);
	rmSync(input, { force: true });
	if (res.exitCode !== 0) throw describeFailure('n8n import:workflow', res);
	return { ...res, workflows: workflows.map(({ file, workflow }) => ({ file, id: workflow.id, name: workflow.name, workflow })) };
}

/**
 * Reads every stored credential, decrypted, through `export:credentials --decrypted` into a file
 * that is deleted at once (never printed). Used to learn the tokens n8n stored in the hidden
 * credential fields so the e2e run can check they appear in no output.
 */
export async function exportCredentialsDecrypted(env) {
	const file = path.join(env.N8N_USER_FOLDER, 'import', `export-${process.pid}-${Date.now()}.json`);
	mkdirSync(path.dirname(file), { recursive: true });
	const res = await runN8n(['export:credentials', '--all', '--decrypted', `--output=${file}`], env);
	try {
		if (res.exitCode !== 0) throw describeFailure('n8n export:credentials', res);
		return { ...res, credentials: JSON.parse(readFileSync(file, 'utf8')) };
	} finally {
		rmSync(file, { force: true });
	}
}

/**
 * Cuts the execution JSON out of n8n's log output: from a line that is exactly `{` to the next line
 * that is exactly `}` (the JSON is printed with two-space indentation, so inner braces are indented).
 * Tries every such block, last first, and returns the first that parses.
 */
export function parseExecutionOutput(text) {
	const lines = text.split(/\r?\n/);
	const blocks = [];
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end === -1) break;
		blocks.push(lines.slice(start, end + 1).join('\n'));
		start = end;
	}
	for (const block of blocks.reverse()) {
		try {
			return JSON.parse(block);
		} catch {
			// not the execution JSON; try the next block
		}
	}
	return undefined;
}

/**
 * `n8n execute --id=<id> --rawOutput --retries=0`. `result` is the parsed execution
 * (`{ data: { resultData: { runData, error?, lastNodeExecuted } }, status, ... }`) on success and on
 * a node error, `undefined` when n8n printed none (e.g. the workflow does not exist).
 */
export async function executeWorkflow(id, env, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
	const res = await runN8n(['execute', `--id=${id}`, '--rawOutput', '--retries=0'], env, { timeoutMs });
	const result = parseExecutionOutput(res.stdout) ?? parseExecutionOutput(`${res.stdout}\n${res.stderr}`);
	return { exitCode: res.exitCode, timedOut: res.timedOut, result, stdout: res.stdout, stderr: res.stderr };
}

/** The output items of a node in an execution result (first run, first output by default). */
export function nodeOutput(result, nodeName, { run = 0, output = 0 } = {}) {
	const runs = result?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[run]?.data?.main?.[output] ?? [];
}

/** The node types a workflow uses that come from this package. */
export function packageNodeTypes(workflow) {
	return [...new Set(workflow.nodes.map((n) => n.type).filter((t) => t.startsWith(`${PACKAGE_NAME}.`)))];
}

// ---------------------------------------------------------------------------------------------
// Sandbox

/**
 * Starts `tsx sandbox/cli.ts --port <port>` (Node 20, from the repository; SANDBOX_CLI names
 * another script with the same interface) and waits for its
 * `Sandbox listening on http://127.0.0.1:<port>` banner. Port 0 lets the OS pick.
 * Returns `{ url, port, output(), stop() }`; `output()` is everything it printed so far.
 */
export function startSandboxProcess({ port = 0, timeoutMs = 30_000, onLine, script = process.env.SANDBOX_CLI ?? 'sandbox/cli.ts' } = {}) {
	const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
	const command = existsSync(tsx) ? tsx : 'npx';
	const args = [...(command === 'npx' ? ['tsx'] : []), script, '--port', String(port)];
	const child = spawn(command, args, {
		cwd: repoRoot,
		env: { ...process.env, NO_COLOR: '1' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // own process group, so stop() reaches tsx's child too
	});
	let text = '';
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve({ code, signal }));
	});
	const stop = async () => await stopProcessGroup(child, { graceMs: 5000 });
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			void stop();
			reject(new Error(`sandbox did not print its banner within ${timeoutMs} ms\n${text}`));
		}, timeoutMs);
		let settled = false;
		let partial = '';
		const onData = (chunk) => {
			const piece = chunk.toString('utf8');
			text += piece;
			if (onLine) {
				const lines = (partial + piece).split('\n');
				partial = lines.pop();
				for (const line of lines) onLine(line);
			}
			const match = /Sandbox listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(text);
			if (match && !settled) {
				settled = true;
				clearTimeout(timer);
				resolve({ url: match[1], port: Number(match[2]), pid: child.pid, output: () => text, stop, exited: exitPromise });
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (error) => {
			clearTimeout(timer);
			if (!settled) reject(error);
		});
		void exitPromise.then(({ code, signal }) => {
			clearTimeout(timer);
			if (!settled) reject(new Error(`sandbox exited (${code ?? signal}) before listening\n${text}`));
		});
	});
}

async function control(url, pathname, { method = 'GET', body } = {}) {
	const res = await fetch(new URL(pathname, url), {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`sandbox ${method} ${pathname}: HTTP ${res.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/** The sandbox's request log (see sandbox/README.md for the record shape). */
export async function sandboxRequests(url) {
	const body = await control(url, '/__sandbox/requests');
	return Array.isArray(body) ? body : (body?.requests ?? []);
}

/** Resets the sandbox's state (tokens, quotas, faults, request log). */
export function sandboxReset(url) {
	return control(url, '/__sandbox/reset', { method: 'POST', body: {} });
}

/** Changes the sandbox configuration (partial, merged by the sandbox). */
export function sandboxConfigure(url, partial) {
	return control(url, '/__sandbox/config', { method: 'POST', body: partial });
}

/** The credential records pointing at a sandbox (JPO, PatSnap client ID + secret, PatSnap sk- key), with the fixed ids workflows reference. */
export function sandboxCredentials(sandboxUrl) {
	const base = sandboxUrl.replace(/\/$/, '');
	return [
		{
			id: CREDENTIALS.jpo.id,
			name: CREDENTIALS.jpo.name,
			type: 'jpoApi',
			data: {
				username: SANDBOX_ACCOUNTS.jpo.username,
				password: SANDBOX_ACCOUNTS.jpo.password,
				tokenUrl: `${base}/auth/token`,
				baseUrl: base,
			},
		},
		{
			id: CREDENTIALS.patSnap.id,
			name: CREDENTIALS.patSnap.name,
			type: 'patSnapApi',
			data: {
				authMode: 'clientCredentials',
				clientId: SANDBOX_ACCOUNTS.patSnap.clientId,
				clientSecret: SANDBOX_ACCOUNTS.patSnap.clientSecret,
				environment: 'custom',
				baseUrl: base,
			},
		},
		{
			id: CREDENTIALS.patSnapKey.id,
			name: CREDENTIALS.patSnapKey.name,
			type: 'patSnapApi',
			data: {
				authMode: 'apiKey',
				apiKey: SANDBOX_ACCOUNTS.patSnap.apiKey,
				environment: 'custom',
				baseUrl: base,
			},
		},
	];
}
