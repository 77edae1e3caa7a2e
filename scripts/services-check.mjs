// Self-check of scripts/lib/services.mjs on this machine: installs (if needed) and starts the real
// Redis and PostgreSQL the queue-mode e2e run uses, exercises what that run relies on (a Redis restart
// really loses its state and comes back on the same port; the n8n role can log in over TCP and create
// tables), stops both and checks nothing still listens.
//
//   node scripts/services-check.mjs    prints `services check: ok` (exit 0) or the failure (exit 1)
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { portInUse } from './lib/n8n.mjs';
import { postgresBinDir, redisCommand, startPostgres, startRedis, stopAllServices } from './lib/services.mjs';

const timings = [];

async function timed(label, work) {
	const begun = Date.now();
	const result = await work();
	timings.push(`${label} ${((Date.now() - begun) / 1000).toFixed(1)} s`);
	return result;
}

function expect(actual, wanted, what) {
	if (actual !== wanted) throw new Error(`${what}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`);
}

function psql(pg, sql, { password = pg.password } = {}) {
	const args = ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-c', sql];
	const res = spawnSync(path.join(postgresBinDir(), 'psql'), args, {
		env: { PATH: process.env.PATH, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' },
		encoding: 'utf8',
		timeout: 30_000,
	});
	return { code: res.status, out: (res.stdout ?? '').trim(), err: (res.stderr ?? '').trim() };
}

async function main() {
	const redis = await timed('redis start (with install if missing)', () => startRedis());
	const pg = await timed('postgres start (with install if missing)', () => startPostgres());

	expect(await redisCommand(redis, ['SET', 'services-check', 'value ✓']), 'OK', 'SET');
	expect(await redisCommand(redis, ['GET', 'services-check']), 'value ✓', 'GET before restart');
	// n8n keeps its Redis connections open: the restart must cope with them (its old connections
	// leave TIME-WAIT sockets on the port the new server binds) and must close them.
	const held = net.connect({ host: redis.host, port: redis.port });
	const heldClosed = new Promise((resolve) => held.once('close', resolve));
	held.on('error', () => {});
	await new Promise((resolve, reject) => held.once('connect', resolve).once('error', reject));
	await timed('redis restart', () => redis.restart({ downMs: 200 }));
	await heldClosed;
	expect(await redisCommand(redis, ['PING']), 'PONG', `PING after restart on port ${redis.port}`);
	expect(await redisCommand(redis, ['GET', 'services-check']), null, 'GET after restart (a restart must lose the key)');

	const select = psql(pg, 'SELECT 1');
	if (select.code !== 0) throw new Error(`psql SELECT 1 failed (${select.code}): ${select.err}`);
	expect(select.out, '1', 'SELECT 1');
	// n8n's migrations create tables: the role must be able to, in its own database's public schema.
	const create = psql(pg, 'CREATE TABLE services_check (id int); DROP TABLE services_check');
	if (create.code !== 0) throw new Error(`${pg.user} cannot create a table in ${pg.database}: ${create.err}`);
	const wrong = psql(pg, 'SELECT 1', { password: 'wrong-password' });
	if (wrong.code === 0) throw new Error('psql logged in with a wrong password: password authentication is not enforced');

	await timed('redis stop', () => redis.stop());
	await timed('postgres stop', () => pg.stop());
	for (const [name, port] of [
		['redis', redis.port],
		['postgres', pg.port],
	]) {
		if (await portInUse(port)) throw new Error(`${name} still listens on 127.0.0.1:${port} after stop()`);
	}
}

function onSignal(signal) {
	void stopAllServices().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
	await main();
	process.stderr.write(`# ${timings.join(', ')}\n`);
	process.stdout.write('services check: ok\n');
} catch (error) {
	await stopAllServices();
	process.stdout.write(`services check: FAILED\n${error.stack ?? error}\n`);
	process.exitCode = 1;
}
