import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real redis-server on a free loopback port for the coordination tests (the package comes from
 * scripts/ensure-services.mjs, which `npm test` runs first). No persistence: `restart()` brings
 * back an empty Redis on the same port, as a crash without a dump would.
 */
export interface TestRedis {
	port: number;
	url: string;
	/** Stops the server, as a crash would; `start()` brings it back on the same port. */
	stop(): Promise<void>;
	start(): Promise<void>;
	/** Stops it for good and removes its folder. */
	close(): Promise<void>;
	restart(downMs?: number): Promise<void>;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const port = (server.address() as net.AddressInfo).port;
			server.close(() => resolve(port));
		});
	});
}

async function answersPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(500);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

export async function startTestRedis(): Promise<TestRedis> {
	const port = await freePort();
	const dir = mkdtempSync(path.join(os.tmpdir(), 'jpo-patsnap-redis-'));
	let child: ChildProcess | undefined;
	let output = '';
	const start = async () => {
		child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout?.on('data', (chunk) => (output += String(chunk)));
		child.stderr?.on('data', (chunk) => (output += String(chunk)));
		const deadline = Date.now() + 10_000;
		while (!(await answersPing(port))) {
			if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}:\n${output.slice(-2000)}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	};
	const stop = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			running.once('exit', () => resolve());
			running.kill('SIGKILL');
		});
	};
	await start();
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		start,
		stop,
		close: async () => {
			await stop();
			rmSync(dir, { recursive: true, force: true });
		},
		restart: async (downMs = 0) => {
			await stop();
			if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
			await start();
		},
	};
}
