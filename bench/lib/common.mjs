// Shared pieces of the benchmark: the seeded numbers, child processes for the in-process
// scenarios, and small formatting helpers.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ENCRYPTION_KEY } from '../../scripts/lib/n8n.mjs';
import { cacheDir, ensureNode24, node24Bin, repoRoot } from '../../scripts/lib/runtime.mjs';

export const benchDir = path.join(repoRoot, 'bench');

/** Deterministic PRNG (mulberry32), so every run sends the same numbers in the same order. */
export function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function shuffle(list, random) {
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

let seedCache;

/** The numbers the sandbox data set knows (read through tsx from sandbox/data). */
export async function sandboxSeed() {
	if (seedCache) return seedCache;
	const res = await runChild(process.execPath, ['--import', 'tsx', path.join(benchDir, 'lib', 'seedNumbers.mjs')], {
		captureStdout: true,
	});
	if (res.exitCode !== 0) throw new Error(`reading the sandbox seed failed:\n${res.stderr}`);
	seedCache = JSON.parse(res.stdout);
	return seedCache;
}

/**
 * N distinct PatSnap publication numbers: every number the sandbox knows (up to N), the rest
 * plausible numbers from ranges the seed never uses (US 9.1M B1, EP 2.xM B1, JP 5.xM B2, KR 10-1xxx
 * B1), shuffled so every batch mixes both. Unknown numbers are still sent and still cost one slot
 * in a batch; PatSnap answers them by leaving them out (not billed).
 */
export function patSnapNumbers(n, known) {
	const knownSet = new Set(known);
	const take = known.slice(0, Math.min(n, known.length));
	const templates = [
		(i) => `US${9_100_000 + i}B1`,
		(i) => `EP${2_000_000 + i}B1`,
		(i) => `JP${5_000_000 + i}B2`,
		(i) => `KR10${String(1_000_000 + i).padStart(7, '0')}B1`,
	];
	const unknown = [];
	for (let i = 0; unknown.length < n - take.length; i++) {
		const candidate = templates[i % templates.length](Math.floor(i / templates.length));
		if (!knownSet.has(candidate)) unknown.push(candidate);
	}
	const numbers = shuffle([...take, ...unknown], prng(20260101 + n));
	return { numbers, knownCount: take.length };
}

/** N distinct JPO patent application numbers: the seeded ones, then unknown serials (status 107). */
export function jpoApplicationNumbers(n, known) {
	const knownSet = new Set(known);
	const take = known.slice(0, Math.min(n, known.length));
	const unknown = [];
	for (let i = 0; unknown.length < n - take.length; i++) {
		const candidate = `${2010 + (i % 6)}${String(900_000 + i).padStart(6, '0')}`;
		if (!knownSet.has(candidate)) unknown.push(candidate);
	}
	return { numbers: shuffle([...take, ...unknown], prng(20260202 + n)), knownCount: take.length };
}

/**
 * Node for the in-process scenarios: the pinned Node 24 that n8n itself runs on when it is
 * installed (so CPU and memory figures match what n8n would see), the current Node otherwise.
 */
export function inProcessNode() {
	try {
		ensureNode24();
	} catch {
		// fall back to the running Node
	}
	return existsSync(node24Bin) ? node24Bin : process.execPath;
}

/**
 * Environment of an in-process child: its own n8n user folder (n8n's binary-data store and
 * instance settings write there) and the binary-data mode n8n should use.
 */
export function inProcessEnv(name, { binaryMode = 'filesystem' } = {}) {
	const userFolder = path.join(cacheDir, 'user-folders', `bench-${name}-${process.pid}`);
	rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	return {
		env: {
			...process.env,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DEFAULT_BINARY_DATA_MODE: binaryMode,
			N8N_LOG_LEVEL: 'warn',
			NO_COLOR: '1',
		},
		remove: () => rmSync(userFolder, { recursive: true, force: true }),
	};
}

/**
 * Runs a child and resolves with its exit code and output. `onLine` gets stderr lines as they
 * come (the children print progress there); stdout is collected when `captureStdout` is set.
 */
export function runChild(command, args, { env = process.env, onLine, captureStdout = false, timeoutMs = 30 * 60_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		let err = '';
		let partial = '';
		child.stdout.on('data', (chunk) => {
			if (captureStdout) out.push(chunk);
		});
		child.stderr.on('data', (chunk) => {
			const text = chunk.toString('utf8');
			err += text;
			if (!onLine) return;
			const lines = (partial + text).split('\n');
			partial = lines.pop();
			for (const line of lines) onLine(line);
		});
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (onLine && partial) onLine(partial);
			resolve({ exitCode: code ?? (signal ? 128 : 1), signal, stdout: Buffer.concat(out).toString('utf8'), stderr: err, pid: child.pid });
		});
	});
}

export function fmtInt(n) {
	return Math.round(n).toLocaleString('en-US');
}

export function fmtSeconds(ms) {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
