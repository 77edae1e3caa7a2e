// n8n as a long-running server, and the two places a docket-watch workflow delivers to: a real
// SMTP server (the smtp-server library, accepting any login) and a webhook receiver. Used by the
// e2e suite for active, polling workflows, which `n8n execute` cannot run.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { n8nBin, n8nNodeBin } from './runtime.mjs';

async function waitFor(check, { timeoutMs, intervalMs = 500, what }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	// `what` may be a function so the message can include what happened while waiting.
	throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${typeof what === 'function' ? what() : what}`);
}

/**
 * Ends a detached process group (the one place scripts/ stop a process): `signal` (SIGTERM) to the
 * group, or with `leaderOnly` to the leader alone (PostgreSQL's postmaster shuts its backends down
 * itself), then SIGKILL to the group if it has not exited after `graceMs`. `sweep` also SIGKILLs
 * the group once the leader is gone, so nothing it started is left behind.
 */
export async function stopProcessGroup(child, { graceMs = 20_000, signal = 'SIGTERM', leaderOnly = false, sweep = false } = {}) {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const send = (target, name) => {
		try {
			process.kill(target, name);
		} catch {
			// already gone
		}
	};
	send(leaderOnly ? child.pid : -child.pid, signal);
	const timer = setTimeout(() => send(-child.pid, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	if (sweep) send(-child.pid, 'SIGKILL');
}

/** Calls `onLine` with each whole line the stream prints. */
function eachLine(stream, onLine) {
	let rest = '';
	stream.on('data', (chunk) => {
		const lines = (rest + chunk.toString('utf8')).split('\n');
		rest = lines.pop();
		for (const line of lines) onLine(line);
	});
	stream.on('end', () => {
		if (rest) onLine(rest);
	});
}

/**
 * Starts `n8n start` with `env` and resolves once /healthz answers. `stop()` ends it and its task
 * runner; `exited` resolves with `{ code, signal }` when it ends; `onLine` sees each output line.
 */
export async function startN8nServer(env, { timeoutMs = 180_000, onLine } = {}) {
	const log = [];
	// Own process group: stop() reaches n8n's task runner too.
	const child = spawn(n8nNodeBin, [n8nBin, 'start'], { cwd: env.N8N_USER_FOLDER, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	for (const stream of [child.stdout, child.stderr]) {
		stream.on('data', (chunk) => log.push(chunk.toString('utf8')));
		if (onLine) eachLine(stream, onLine);
	}
	const alive = () => child.exitCode === null && child.signalCode === null;
	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	const stop = async () => await stopProcessGroup(child);
	try {
		await waitFor(
			async () => {
				if (!alive()) throw new Error(`n8n exited (${child.exitCode ?? child.signalCode}):\n${log.join('').slice(-4000)}`);
				try {
					return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).status === 200;
				} catch {
					return false;
				}
			},
			{ timeoutMs, what: `n8n on ${url}` },
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return { url, stop, alive, exited, log: () => log.join('') };
}

/**
 * Starts `n8n worker` (queue mode) with `env` and resolves once it says it is ready. Each worker
 * needs its own N8N_RUNNERS_BROKER_PORT: every n8n process opens a task broker.
 */
export async function startN8nWorker(env, { concurrency = 1, timeoutMs = 180_000 } = {}) {
	const log = [];
	const child = spawn(n8nNodeBin, [n8nBin, 'worker', `--concurrency=${concurrency}`], {
		cwd: env.N8N_USER_FOLDER,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => log.push(chunk.toString('utf8')));
	const alive = () => child.exitCode === null && child.signalCode === null;
	const stop = async () => await stopProcessGroup(child);
	try {
		await waitFor(
			async () => {
				if (!alive()) throw new Error(`n8n worker exited (${child.exitCode ?? child.signalCode}):\n${log.join('').slice(-4000)}`);
				return log.join('').includes('n8n worker is now ready');
			},
			{ timeoutMs, what: 'n8n worker to be ready' },
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return { stop, alive, log: () => log.join('') };
}

/**
 * A real SMTP server on a free port that accepts any sender, recipient and login, and keeps every
 * message (`onMessage` also sees each one as it arrives).
 */
export async function startSmtpSink({ onMessage } = {}) {
	const messages = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onAuth: (_auth, _session, callback) => callback(null, { user: 'n8n' }),
		onData(stream, session, callback) {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				const message = {
					from: session.envelope.mailFrom?.address,
					to: session.envelope.rcptTo.map((recipient) => recipient.address),
					raw: Buffer.concat(chunks).toString('utf8'),
					at: Date.now(),
				};
				messages.push(message);
				onMessage?.(message);
				callback();
			});
		},
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: server.server.address().port,
		messages,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** An HTTP server that records every request body it is sent (`onRequest` sees each) and answers 200. */
export async function startWebhookReceiver({ onRequest } = {}) {
	const received = [];
	const server = createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: keep the text
			}
			const entry = { method: request.method, path: request.url, headers: request.headers, body, at: Date.now() };
			received.push(entry);
			onRequest?.(entry);
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

export { waitFor };
