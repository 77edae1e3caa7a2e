// Real Redis and PostgreSQL from Debian's packages, for the end-to-end run of n8n in queue mode.
// A fresh CI machine has neither, so this module installs them with apt-get and runs private
// instances: bound to 127.0.0.1 only, on ports the OS picks, with their state in throwaway folders,
// and stopped by the run that started them. The distribution's own service instances are never
// started (they would listen on the well-known ports and outlive the run).
//
// Every instance folder holds a `service.json` marker (the owning process and the server's pid), so a
// run that was killed before it could clean up leaves something the next run can recognise: a
// folder whose owner is gone has its server killed and is removed before anything new starts.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './n8n.mjs';
import { cacheDir } from './runtime.mjs';
import { stopProcessGroup } from './server.mjs';

const LOG_LINES = 200;
const MARKER = 'service.json';
const redisRoot = path.join(cacheDir, 'services');
// PostgreSQL refuses to run as root, and the postgres user must be able to reach its data folder.
// The repository may sit under a folder that user cannot enter (/root is 0700 on Debian) and opening
// up folders this module did not create is not its business, so PostgreSQL lives in the system's
// temporary folder (world-traversable) in a folder made with mkdtemp and handed to postgres.
const POSTGRES_PREFIX = 'n8n-e2e-postgres-';
const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const POLICY_BACKUP = `${POLICY_RC_D}.services-backup`;
const POLICY_MARK = '# written by scripts/lib/services.mjs while apt-get runs';

function log(message) {
	process.stderr.write(`[services] ${message}\n`);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last LOG_LINES lines of everything a service's processes printed, stream by stream. */
function outputLog() {
	const lines = [];
	const push = (line) => {
		lines.push(line);
		if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
	};
	return {
		note: push,
		attach(stream, label) {
			let partial = '';
			stream.setEncoding('utf8');
			stream.on('data', (chunk) => {
				const parts = (partial + chunk).split('\n');
				partial = parts.pop();
				for (const line of parts) push(`${label}${line}`);
			});
			stream.on('end', () => {
				if (partial) push(`${label}${partial}`);
				partial = '';
			});
		},
		text: () => lines.join('\n'),
	};
}

function tail(text, count = 40) {
	return text.trim().split('\n').slice(-count).join('\n');
}

/**
 * Spawns a command in its own process group (so one signal reaches everything it starts) and
 * copies its output into `sink`. `user` ({ uid, gid }) runs it as another user without a
 * runuser/su wrapper: su's watching parent turns any signal into SIGTERM plus SIGKILL after 2 s,
 * which would cut PostgreSQL's shutdown short.
 */
function spawnGroup(command, args, { sink, label, user, cwd, env = process.env }) {
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...user });
	sink.attach(child.stdout, label);
	sink.attach(child.stderr, label);
	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
		child.once('error', (error) => {
			sink.note(`${label}${error.message}`);
			resolve({ code: null, signal: null, error });
		});
	});
	let done = false;
	void exited.then(() => {
		done = true;
	});
	return { child, exited, alive: () => !done && child.pid !== undefined };
}

function kill(pid, signal) {
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}

function signalGroup(proc, signal) {
	if (proc.child.pid !== undefined) kill(-proc.child.pid, signal);
}

/** Sends `signal` (to the group, or to the leader only) and SIGKILLs the group after `graceMs`. */
async function stopProcess(proc, { signal = 'SIGTERM', graceMs, groupSignal = true }) {
	if (!proc?.alive()) return;
	// The leader is gone afterwards; `sweep` makes sure nothing it started is left in its group.
	await stopProcessGroup(proc.child, { signal, graceMs, leaderOnly: !groupSignal, sweep: true });
}

/** Runs a command to completion; resolves with its exit code and output, never rejects on failure. */
async function run(command, args, { sink = outputLog(), label = `[${path.basename(command)}] `, timeoutMs = 120_000, ...options } = {}) {
	const own = outputLog();
	const both = {
		note: (line) => {
			own.note(line);
			sink.note(line);
		},
		attach: (stream, prefix) => {
			own.attach(stream, prefix);
			sink.attach(stream, prefix);
		},
	};
	const proc = spawnGroup(command, args, { sink: both, label, ...options });
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		signalGroup(proc, 'SIGKILL');
	}, timeoutMs);
	const { code, error } = await proc.exited;
	clearTimeout(timer);
	// 'exit' can come before the last output: give the pipes a moment to drain.
	await sleep(20);
	return { code: timedOut ? null : code, timedOut, error, output: own.text() };
}

function describeRun(what, res) {
	const reason = res.error ? res.error.message : res.timedOut ? 'timed out' : `exited with code ${res.code}`;
	return `${what} ${reason}\n${tail(res.output)}`;
}

// ---------------------------------------------------------------------------------------------
// Debian packages

function isInstalled(name) {
	try {
		const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { stdio: ['ignore', 'pipe', 'ignore'] });
		return status.toString('utf8').includes('install ok installed');
	} catch {
		// dpkg-query exits 1 for a package it has never heard of.
		return false;
	}
}

/**
 * Keeps package maintainer scripts from starting the distribution's own instances (redis-server on
 * 6379, a "main" PostgreSQL cluster on 5432): invoke-rc.d and deb-systemd-invoke ask policy-rc.d,
 * and 101 means "not allowed". An existing policy-rc.d (Docker images ship one) is put back after.
 */
async function withServiceStartsBlocked(work) {
	// A run killed in the middle of an install left ours in place (or only the backup): restore
	// what it replaced first.
	if (existsSync(POLICY_RC_D) && readFileSync(POLICY_RC_D, 'utf8').includes(POLICY_MARK)) rmSync(POLICY_RC_D);
	if (!existsSync(POLICY_RC_D) && existsSync(POLICY_BACKUP)) renameSync(POLICY_BACKUP, POLICY_RC_D);
	const hadOne = existsSync(POLICY_RC_D);
	// rename keeps the original's content, mode and owner exactly.
	if (hadOne) renameSync(POLICY_RC_D, POLICY_BACKUP);
	writeFileSync(POLICY_RC_D, `#!/bin/sh\n${POLICY_MARK}\nexit 101\n`);
	chmodSync(POLICY_RC_D, 0o755);
	try {
		return await work();
	} finally {
		rmSync(POLICY_RC_D, { force: true });
		if (hadOne) renameSync(POLICY_BACKUP, POLICY_RC_D);
	}
}

// Wait for another apt/dpkg (a second run, unattended-upgrades) instead of failing at once.
const APT_OPTIONS = ['-q', '-o', 'DPkg::Lock::Timeout=300'];
const aptEnv = () => ({ ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
let aptUpdated = false;
let aptQueue = Promise.resolve();

async function installMissing(packages) {
	const missing = [...new Set(packages)].filter((name) => !isInstalled(name));
	if (missing.length === 0) return;
	const begun = Date.now();
	await withServiceStartsBlocked(async () => {
		if (!aptUpdated) {
			log(`apt-get update (to install ${missing.join(', ')})`);
			const res = await run('apt-get', ['update', ...APT_OPTIONS], { env: aptEnv(), timeoutMs: 600_000 });
			if (res.code !== 0) throw new Error(describeRun(`apt-get update (needed for ${missing.join(', ')})`, res));
			aptUpdated = true;
		}
		log(`installing ${missing.join(', ')} from Debian's packages`);
		const res = await run('apt-get', ['install', '-y', '--no-install-recommends', ...APT_OPTIONS, ...missing], {
			env: aptEnv(),
			timeoutMs: 1_200_000,
		});
		const notInstalled = missing.filter((name) => !isInstalled(name));
		if (res.code !== 0 || notInstalled.length > 0) {
			const names = (notInstalled.length > 0 ? notInstalled : missing).join(', ');
			throw new Error(describeRun(`could not install the Debian package(s) ${names}: apt-get install`, res));
		}
	});
	log(`installed ${missing.join(', ')} in ${seconds(Date.now() - begun)}`);
}

/**
 * Installs the Debian packages that are not installed yet (apt-get update once per process, only
 * when something is missing), without letting them start their own services. Calls are queued:
 * two apt-get runs at once would fight over dpkg's lock.
 */
export function ensureDebianPackages(packages) {
	const result = aptQueue.then(() => installMissing(packages));
	aptQueue = result.catch(() => {});
	return result;
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping shared by both services

const started = new Set();

/** Stops every service this process started and has not stopped (for signal handlers). */
export async function stopAllServices() {
	await Promise.allSettled([...started].map((service) => service.stop()));
}

// A last resort for a script that exits without stopping its services (an uncaught error): the
// servers run in their own process groups and would otherwise outlive it. 'exit' allows no waiting,
// so each service only gets a signal here (see killNow); stop() is the clean way.
process.once('exit', () => {
	for (const service of started) service.killNow();
});

function processState(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
	} catch {
		return undefined;
	}
}

const isRunning = (pid) => Number.isInteger(pid) && pid > 0 && ![undefined, 'Z', 'X'].includes(processState(pid));

function commandLine(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}

function readMarker(dir) {
	try {
		return JSON.parse(readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeMarker(dir, fields) {
	writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ owner: process.pid, ...fields })}\n`);
}

async function waitGone(pid, ms) {
	const deadline = Date.now() + ms;
	while (isRunning(pid) && Date.now() < deadline) await sleep(100);
	return !isRunning(pid);
}

/**
 * Ends a crashed run's server (if the pid still is that server) and removes its folder. The marker's
 * `quitSignal` comes first: SIGQUIT lets a postmaster take its backends down and remove its SysV
 * shared memory segment, which a SIGKILL would leave behind; the group's SIGKILL follows if needed.
 */
async function removeStale(dir, marker) {
	const { pid, program, quitSignal = 'SIGKILL' } = marker ?? {};
	// Only a pid whose command line still names the program: pids are reused.
	if (isRunning(pid) && program && commandLine(pid).includes(program)) {
		log(`stopping ${program} (pid ${pid}) left running by a previous run in ${dir}`);
		kill(pid, quitSignal);
		if (!(await waitGone(pid, 5000))) {
			kill(-pid, 'SIGKILL');
			await waitGone(pid, 10_000);
		}
	}
	rmSync(dir, { recursive: true, force: true });
}

/** Clears `dir` for a new instance; refuses when a live process (another run) owns it. */
async function claimDir(dir) {
	const marker = readMarker(dir);
	if (marker && marker.owner !== process.pid && isRunning(marker.owner)) {
		throw new Error(`${dir} is in use by process ${marker.owner} (another run?); pass another dir`);
	}
	await removeStale(dir, marker);
}

/** Removes the folders named `<prefix>*` under `root` whose owning process is gone. */
async function sweepStale(root, prefix) {
	let names = [];
	try {
		names = readdirSync(root);
	} catch {
		return;
	}
	for (const name of names.filter((entry) => entry.startsWith(prefix))) {
		const dir = path.join(root, name);
		const marker = readMarker(dir);
		// No marker: not ours, or another run between mkdir and writing it. Leave it.
		if (!marker || isRunning(marker.owner)) continue;
		log(`removing ${dir}, left by a run that ended without cleaning up (pid ${marker.owner})`);
		await removeStale(dir, marker);
	}
}

async function waitUntil(check, { timeoutMs, intervalMs = 100, what, proc, sink }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!proc.alive()) {
			const { code, signal, error } = await proc.exited;
			await sleep(20);
			const how = error ? `could not be started (${error.message})` : `exited (${code ?? signal}) before it was ready`;
			throw new Error(`${what} ${how}\n${tail(sink.text())}`);
		}
		if (await check()) return;
		await sleep(intervalMs);
	}
	throw new Error(`${what} was not ready within ${seconds(timeoutMs)}\n${tail(sink.text())}`);
}

/** True when 127.0.0.1:port can be bound now (what the server is about to do). */
function canBind(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
	});
}

async function requireFreePort(port, what) {
	// A bind, not a connect: besides a listener, a client socket that happens to use this port as its
	// local (ephemeral) port also blocks the server's bind, and a connect check misses it. And
	// something else answering there would pass our readiness check in the new server's place.
	if (!(await canBind(port))) throw new Error(`cannot start ${what}: 127.0.0.1:${port} is in use`);
}

// ---------------------------------------------------------------------------------------------
// Redis

export class RedisReplyError extends Error {}

function encodeCommand(args) {
	let text = `*${args.length}\r\n`;
	for (const arg of args.map(String)) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
	return text;
}

/** One RESP reply starting at `offset`, or null while it is incomplete. */
function parseReply(buffer, offset) {
	const lineEnd = buffer.indexOf('\r\n', offset);
	if (lineEnd === -1) return null;
	const type = String.fromCharCode(buffer[offset]);
	const line = buffer.toString('utf8', offset + 1, lineEnd);
	const next = lineEnd + 2;
	switch (type) {
		case '+':
			return { value: line, end: next };
		case '-':
			return { value: new RedisReplyError(line), end: next };
		case ':':
			return { value: Number(line), end: next };
		case '$': {
			const length = Number(line);
			if (length < 0) return { value: null, end: next };
			if (buffer.length < next + length + 2) return null;
			return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
		}
		case '*': {
			const count = Number(line);
			if (count < 0) return { value: null, end: next };
			const items = [];
			let at = next;
			for (let i = 0; i < count; i++) {
				const item = parseReply(buffer, at);
				if (!item) return null;
				items.push(item.value);
				at = item.end;
			}
			return { value: items, end: at };
		}
		default:
			throw new Error(`unexpected RESP reply type ${JSON.stringify(type)}`);
	}
}

/**
 * Sends one command (`['SET', 'key', 'value']`) over a new connection and resolves with the reply
 * (strings, numbers, null, arrays); an error reply rejects with RedisReplyError. Enough RESP for
 * checks and tests without a client library.
 */
export function redisCommand({ host = '127.0.0.1', port }, args, { timeoutMs = 5000 } = {}) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host, port });
		let buffer = Buffer.alloc(0);
		let settled = false;
		const finish = (error, value) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			if (error) reject(error);
			else resolve(value);
		};
		const timer = setTimeout(() => finish(new Error(`redis ${host}:${port} did not answer ${args[0]} within ${timeoutMs} ms`)), timeoutMs);
		socket.once('connect', () => socket.write(encodeCommand(args)));
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			try {
				const reply = parseReply(buffer, 0);
				if (reply) finish(reply.value instanceof RedisReplyError ? reply.value : null, reply.value);
			} catch (error) {
				finish(error);
			}
		});
		socket.once('error', (error) => finish(error));
		socket.once('close', () => finish(new Error(`redis ${host}:${port} closed the connection before answering ${args[0]}`)));
	});
}

async function redisAnswers(port) {
	try {
		return (await redisCommand({ port }, ['PING'], { timeoutMs: 1000 })) === 'PONG';
	} catch {
		return false;
	}
}

/**
 * Starts a private redis-server (Debian's package, installed if missing) on 127.0.0.1, in the
 * foreground, without persistence. Resolves once it answers PING with
 * `{ host, port, url, stop(), restart({ downMs }), log() }`. `restart()` brings up a new, empty
 * server on the same port, which is what a real Redis restart without persistence looks like to n8n.
 */
export async function startRedis({ port, dir, timeoutMs = 30_000 } = {}) {
	await ensureDebianPackages(['redis-server']);
	await sweepStale(redisRoot, 'redis-');
	port ??= await freePort();
	dir ??= path.join(redisRoot, `redis-${port}`);
	await claimDir(dir);
	const sink = outputLog();
	const host = '127.0.0.1';
	let proc;
	let stopping;

	const launch = async () => {
		await requireFreePort(port, 'redis-server');
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		const args = ['--bind', host, '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'];
		args.push('--protected-mode', 'yes', '--daemonize', 'no');
		const begun = Date.now();
		proc = spawnGroup('redis-server', args, { sink, label: '', cwd: dir });
		writeMarker(dir, { program: 'redis-server', pid: proc.child.pid, port, quitSignal: 'SIGKILL' });
		await waitUntil(() => redisAnswers(port), { timeoutMs, what: `redis-server on ${host}:${port}`, proc, sink });
		log(`redis-server on ${host}:${port} ready in ${seconds(Date.now() - begun)}`);
	};
	const halt = () => stopProcess(proc, { signal: 'SIGTERM', graceMs: 10_000 });

	const service = {
		host,
		port,
		url: `redis://${host}:${port}`,
		log: () => sink.text(),
		// Every caller (the script, a signal handler) waits for the same shutdown.
		stop: () =>
			(stopping ??= (async () => {
				const begun = Date.now();
				await halt();
				rmSync(dir, { recursive: true, force: true });
				started.delete(service);
				if (proc) log(`redis-server on ${host}:${port} stopped in ${seconds(Date.now() - begun)}`);
			})()),
		async restart({ downMs = 0 } = {}) {
			if (stopping) throw new Error('redis-server was stopped; start a new one');
			sink.note(`--- restart (down for ${downMs} ms) ---`);
			await halt();
			if (downMs > 0) await sleep(downMs);
			try {
				await launch();
			} catch (error) {
				await service.stop();
				throw error;
			}
		},
		killNow() {
			if (proc?.alive()) signalGroup(proc, 'SIGKILL');
			rmSync(dir, { recursive: true, force: true });
		},
	};
	started.add(service);
	try {
		await launch();
	} catch (error) {
		await service.stop();
		throw error;
	}
	return service;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout; the versionless wrappers in /usr/bin pick a cluster). */
export function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name));
	} catch {
		// not installed
	}
	versions.sort((a, b) => Number(b) - Number(a));
	for (const version of versions) {
		const bin = path.join(root, version, 'bin');
		if (existsSync(path.join(bin, 'postgres')) && existsSync(path.join(bin, 'initdb'))) return bin;
	}
	throw new Error(`no PostgreSQL server under ${root}/<version>/bin (is the postgresql package installed?)`);
}

function postgresUser() {
	try {
		const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
		return { uid: id('-u'), gid: id('-g') };
	} catch {
		throw new Error('there is no postgres system user (the postgresql package creates it)');
	}
}

const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;
const quoteLiteral = (text) => `'${String(text).replaceAll("'", "''")}'`;

/**
 * Starts a private PostgreSQL (Debian's package, installed if missing, newest version) on
 * 127.0.0.1 with a new cluster, and creates `user` (password authentication, scram-sha-256) owning
 * `database`. Durability is switched off: the data is thrown away at stop() anyway. `dir` is the
 * instance's folder (the cluster goes in `<dir>/data`); by default a new one in the temporary folder.
 * Resolves with `{ host, port, database, user, password, stop(), log() }`.
 */
export async function startPostgres({ port, dir, database = 'n8n', user = 'n8n', password, timeoutMs = 60_000 } = {}) {
	await ensureDebianPackages(['postgresql']);
	const bin = postgresBinDir();
	const owner = postgresUser();
	await sweepStale(os.tmpdir(), POSTGRES_PREFIX);
	port ??= await freePort();
	password ??= randomBytes(18).toString('hex');
	if (dir) {
		await claimDir(dir);
		mkdirSync(dir, { recursive: true });
	} else {
		dir = mkdtempSync(path.join(os.tmpdir(), POSTGRES_PREFIX));
	}
	const data = path.join(dir, 'data');
	const sink = outputLog();
	const host = '127.0.0.1';
	// The superuser is only used here, to create the role and the database.
	const superPassword = user === 'postgres' ? password : randomBytes(18).toString('hex');
	// A clean environment: an outer PGDATA, PGPORT or locale must not leak into the server.
	const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', HOME: dir };
	let proc;
	let stopping;

	const service = {
		host,
		port,
		database,
		user,
		password,
		log: () => sink.text(),
		stop: () =>
			(stopping ??= (async () => {
				const begun = Date.now();
				// SIGINT to the postmaster is PostgreSQL's fast shutdown (what `pg_ctl -m fast stop` sends),
				// without a second process to run as postgres; SIGTERM would be the slow 'smart' one.
				if (proc) await stopProcess(proc, { signal: 'SIGINT', groupSignal: false, graceMs: 15_000 });
				rmSync(dir, { recursive: true, force: true });
				started.delete(service);
				if (proc) log(`postgres on ${host}:${port} stopped in ${seconds(Date.now() - begun)}`);
			})()),
		// SIGQUIT (immediate shutdown) rather than SIGKILL: the postmaster then ends its backends and
		// removes its shared memory itself. The folder stays, marker and all, for the next run's sweep,
		// which also makes sure the server is really gone.
		killNow() {
			if (proc?.alive()) kill(proc.child.pid, 'SIGQUIT');
		},
	};
	started.add(service);
	try {
		writeMarker(dir, { program: path.join(bin, 'postgres') });
		chownSync(dir, owner.uid, owner.gid);
		chmodSync(dir, 0o700);
		if (spawnSync('test', ['-w', dir], { ...owner }).status !== 0) {
			throw new Error(`the postgres user cannot write to ${dir}; pass a dir it can reach`);
		}
		await requireFreePort(port, 'postgres');

		const begun = Date.now();
		const pwfile = path.join(dir, 'superuser-password');
		writeFileSync(pwfile, `${superPassword}\n`, { mode: 0o600 });
		chownSync(pwfile, owner.uid, owner.gid);
		const initArgs = ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`];
		initArgs.push('--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions');
		const init = await run(path.join(bin, 'initdb'), initArgs, { sink, label: '[initdb] ', user: owner, cwd: dir, env });
		rmSync(pwfile, { force: true });
		if (init.code !== 0) throw new Error(describeRun('initdb', init));

		const serverArgs = ['-D', data, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', `unix_socket_directories=${dir}`];
		for (const setting of ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']) serverArgs.push('-c', setting);
		proc = spawnGroup(path.join(bin, 'postgres'), serverArgs, { sink, label: '', user: owner, cwd: dir, env });
		writeMarker(dir, { program: path.join(bin, 'postgres'), pid: proc.child.pid, port, quitSignal: 'SIGQUIT' });
		const pgIsReady = path.join(bin, 'pg_isready');
		await waitUntil(
			async () => (await run(pgIsReady, ['-q', '-h', host, '-p', String(port), '-U', 'postgres', '-d', 'postgres'], { env, timeoutMs: 10_000 })).code === 0,
			{ timeoutMs, intervalMs: 200, what: `postgres on ${host}:${port}`, proc, sink },
		);

		const statements = [];
		if (user !== 'postgres') statements.push(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
		// Owning the database lets n8n's migrations create their tables in its public schema (PostgreSQL 15+
		// no longer lets every role create there).
		if (database !== 'postgres') statements.push(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
		// One -c per statement: psql runs each on its own, and CREATE DATABASE refuses a transaction block.
		const psqlArgs = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', 'postgres', '-d', 'postgres'];
		for (const statement of statements) psqlArgs.push('-c', statement);
		if (statements.length > 0) {
			const created = await run(path.join(bin, 'psql'), psqlArgs, { sink: outputLog(), env: { ...env, PGPASSWORD: superPassword } });
			// Not into the service log: the statements carry the password.
			if (created.code !== 0) throw new Error(describeRun(`creating role ${user} and database ${database}`, created).replaceAll(password, '***'));
		}
		log(`postgres ${path.basename(path.dirname(bin))} on ${host}:${port} ready in ${seconds(Date.now() - begun)} (database ${database}, user ${user})`);
	} catch (error) {
		await service.stop();
		throw error;
	}
	return service;
}
