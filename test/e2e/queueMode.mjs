// n8n in queue mode, as an office runs it when one process is no longer enough: one main, three
// `n8n worker` processes, Redis for the queue and PostgreSQL for the database (both from Debian's
// packages, started here on loopback and stopped afterwards), the sandbox as JPO and PatSnap.
// Executions start through production webhooks on main and run on the workers; their results
// are read from PostgreSQL, where the workers store them.
//
// What it proves (the README's "Scaling with queue mode"):
// - JPO: 60 items in three executions at once, one ID, the sandbox's window at 30 a minute: no 303,
//   every item answered once and paired, one login, first-to-last call time within 1.15 × the
//   minimum the window allows.
// - The control: the same run with coordination turned off gets 303s, so the check can fail.
// - PatSnap: 3,049 numbers in three executions at 5 QPS: no 67200002, ceil(n/100) calls each, every
//   number billed once, one login.
// - Redis restarted in the middle of a JPO run: every item has a result or an error item, and
//   every execution finishes.
// - A document (ZIP) made on a worker is served by main: binary data in database mode.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CREDENTIALS, PACKAGE_NAME, freePort, importCredentials, importWorkflows, n8nEnv, runN8n, sandboxConfigure, sandboxCredentials, sandboxRequests, sandboxReset } from '../../scripts/lib/n8n.mjs';
import { n8nDir } from '../../scripts/lib/runtime.mjs';
import { startN8nServer, startN8nWorker, waitFor } from '../../scripts/lib/server.mjs';
import { postgresBinDir, startPostgres, startRedis } from '../../scripts/lib/services.mjs';

// n8n stores execution data with flatted; its own copy reads it back.
const { parse: parseFlatted } = createRequire(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'))('flatted');

const WORKERS = 3;
const JPO_PER_MINUTE = 30;
const JPO_ITEMS_PER_EXECUTION = 20;
const PATSNAP_COUNTS = [1000, 1050, 999];
/** Seeded sandbox applications, in forms users type. */
const APPLICATIONS = ['2020-045678', '特願2021-034567', '2019087654', '令和6年特許願第56789号', '2018-076543'];
const KNOWN_PATENTS = ['US11223344B2', 'EP3456789A1', 'CN112345678A', 'JP2021123456A', 'CN108765432B', 'US10987654B2', 'EP3210987B1', 'US20230123456A1'];

const node = (name, type, parameters, position, extra = {}) => ({ id: `${name}-${type}`.replace(/[^A-Za-z0-9-]/g, ''), name, type, typeVersion: 1, position, parameters, ...extra });

const WEBHOOK_IDS = {
	'queue-jpo': '0b0e0000-0000-4000-8000-000000000001',
	'queue-patsnap': '0b0e0000-0000-4000-8000-000000000002',
	'queue-document': '0b0e0000-0000-4000-8000-000000000003',
};

function webhook(pathName, { lastNode = false } = {}) {
	return {
		id: `webhook-${pathName}`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: WEBHOOK_IDS[pathName],
		parameters: {
			httpMethod: 'POST',
			path: pathName,
			responseMode: lastNode ? 'lastNode' : 'onReceived',
			...(lastNode ? { responseData: 'firstEntryBinary', options: { binaryPropertyName: 'data' } } : { options: {} }),
		},
	};
}

function code(name, jsCode, position) {
	return { ...node(name, 'n8n-nodes-base.code', { jsCode }, position), typeVersion: 2 };
}

function connect(...names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return connections;
}

function workflows() {
	const jpo = {
		id: 'queueJpoProgress01',
		name: 'Queue mode: JPO progress',
		nodes: [
			webhook('queue-jpo'),
			code('Items', 'const { count, numbers } = $json.body; return Array.from({ length: count }, (_, i) => ({ json: { applicationNumber: numbers[i % numbers.length], index: i } }));', [220, 0]),
			{
				...node('JPO', `${PACKAGE_NAME}.jpo`, { resource: 'patent', operation: 'getSimpleProgress', applicationNumber: '={{ $json.applicationNumber }}', options: { requestsPerMinute: JPO_PER_MINUTE } }, [440, 0]),
				credentials: { jpoApi: CREDENTIALS.jpo },
				onError: 'continueRegularOutput',
			},
		],
		connections: connect('Webhook', 'Items', 'JPO'),
		settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
	const patSnap = {
		id: 'queuePatSnapLegal01',
		name: 'Queue mode: PatSnap legal status',
		nodes: [
			webhook('queue-patsnap'),
			code('Items', `const known = ${JSON.stringify(KNOWN_PATENTS)}; const { count, offset } = $json.body; return Array.from({ length: count }, (_, i) => ({ json: { number: i < known.length ? known[i] : 'US' + (9200000 + offset + i) + 'B1' } }));`, [220, 0]),
			{
				...node('PatSnap', `${PACKAGE_NAME}.patSnap`, { resource: 'patent', operation: 'getLegalStatus', numbers: '={{ $json.number }}' }, [440, 0]),
				credentials: { patSnapApi: CREDENTIALS.patSnap },
				onError: 'continueRegularOutput',
			},
		],
		connections: connect('Webhook', 'Items', 'PatSnap'),
		settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
	const documents = {
		id: 'queueJpoDocument01',
		name: 'Queue mode: JPO refusal notice archive',
		nodes: [
			webhook('queue-document', { lastNode: true }),
			{
				...node('JPO', `${PACKAGE_NAME}.jpo`, { resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '特願2021-034567', extractDocuments: false }, [220, 0]),
				credentials: { jpoApi: CREDENTIALS.jpo },
			},
		],
		connections: connect('Webhook', 'JPO'),
		settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
	};
	return [jpo, patSnap, documents];
}

/** Reads executions (status and data) from PostgreSQL with psql, as n8n stored them. */
function readExecutions(pg, sinceId) {
	const sql = `SELECT e.id || '|' || e.status || '|' || COALESCE(d.data, '') FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e.id > ${Number(sinceId)} ORDER BY e.id`;
	const res = spawnSync(path.join(postgresBinDir(), 'psql'), ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-c', sql], {
		env: { PATH: process.env.PATH, PGPASSWORD: pg.password, PGCONNECT_TIMEOUT: '5' },
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
	});
	if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`);
	return res.stdout
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [id, status] = line.split('|', 2);
			const raw = line.slice(id.length + status.length + 2);
			const data = raw ? parseFlatted(raw) : undefined;
			const runData = data?.resultData?.runData ?? {};
			const items = (name) => runData[name]?.[0]?.data?.main?.[0] ?? [];
			return { id: Number(id), status, data, items, label: items('Webhook')[0]?.json?.body?.label, error: data?.resultData?.error };
		});
}

function lastExecutionId(pg) {
	return readExecutions(pg, 0).reduce((max, execution) => Math.max(max, execution.id), 0);
}

async function trigger(mainUrl, pathName, body) {
	const response = await fetch(`${mainUrl}/webhook/${pathName}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	assert.equal(response.status, 200, `webhook ${pathName}: HTTP ${response.status} ${await response.text()}`);
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits until every execution with one of `labels` has finished; returns them by label. */
async function finishedExecutions(pg, sinceId, labels, { timeoutMs }) {
	let latest = [];
	await waitFor(
		async () => {
			latest = readExecutions(pg, sinceId).filter((execution) => labels.includes(execution.label));
			return latest.length === labels.length && latest.every((execution) => FINISHED.has(execution.status));
		},
		{ timeoutMs, intervalMs: 1000, what: () => `executions ${labels.join(', ')} to finish (seen: ${latest.map((e) => `${e.label}=${e.status}`).join(', ') || 'none'})` },
	);
	return new Map(latest.map((execution) => [execution.label, execution]));
}

async function tokenFetches(sandboxUrl) {
	return await (await fetch(`${sandboxUrl}/__sandbox/token-fetches`)).json();
}

/** The most requests the sandbox saw in any `windowMs`, by arrival time. */
function busiestWindow(requests, windowMs) {
	const times = requests.map((request) => request.at).sort((a, b) => a - b);
	let most = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= windowMs) j++;
		most = Math.max(most, i - j + 1);
	}
	return most;
}

/** Runs the JPO load: three executions of JPO_ITEMS_PER_EXECUTION items started at once. */
async function jpoRun(ctx, label) {
	await sandboxReset(ctx.sandboxUrl);
	await sandboxConfigure(ctx.sandboxUrl, { jpo: { perMinute: { limit: JPO_PER_MINUTE, windowMs: 60_000 } } });
	// A fresh credential: no token yet, so the workers all start by needing one.
	ctx.log(`${label}: import:credentials`, textOf(await importCredentials(sandboxCredentials(ctx.sandboxUrl), ctx.env)));
	const since = lastExecutionId(ctx.pg);
	const labels = Array.from({ length: WORKERS }, (_, i) => `${label}-${i}`);
	await Promise.all(labels.map(async (name, i) => await trigger(ctx.main.url, 'queue-jpo', { label: name, count: JPO_ITEMS_PER_EXECUTION, numbers: APPLICATIONS.slice(i).concat(APPLICATIONS.slice(0, i)) })));
	return { since, labels };
}

function jpoDataCalls(requests) {
	return requests.filter((request) => request.api === 'jpo' && request.kind === 'data');
}

function checkJpoItems(executions, labels) {
	for (const name of labels) {
		const execution = executions.get(name);
		assert.equal(execution.status, 'success', `${name}: execution ${execution.id} ended ${execution.status}: ${execution.error?.message ?? ''}`);
		const items = execution.items('JPO');
		assert.equal(items.length, JPO_ITEMS_PER_EXECUTION, `${name}: ${items.length} JPO items for ${JPO_ITEMS_PER_EXECUTION} inputs`);
		items.forEach((item, index) => {
			assert.equal(item.pairedItem?.item ?? item.pairedItem?.[0]?.item, index, `${name}: item ${index} is paired with ${JSON.stringify(item.pairedItem)}`);
		});
	}
}

function textOf(res) {
	return `${res.stdout ?? ''}\n${res.stderr ?? ''}`;
}

/**
 * Runs the phase against the e2e user folder (the package is installed there) and the e2e
 * sandbox. `log(source, text)` feeds the caller's secret scan; `note(text)` prints a comment line;
 * `check(name, fn)` runs one named check and reports it.
 */
export async function runQueueMode({ userFolder, sandboxUrl, log, note, check }) {
	const redis = await startRedis();
	const pg = await startPostgres();
	const port = await freePort();
	const base = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// n8n's own processes exit when Redis is away longer than this; the restart below is shorter.
		QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '30000',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		// What document operations need in queue mode: a worker's binary data must be readable by main.
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		QUEUE_HEALTH_CHECK_ACTIVE: 'false',
		EXECUTIONS_DATA_PRUNE: 'false',
	};
	const env = n8nEnv({ userFolder, port, brokerPort: await freePort(), extra: base });
	const ctx = { sandboxUrl, pg, env, log, main: undefined, workers: [] };
	const startWorkers = async (extra = {}) => {
		ctx.workers = await Promise.all(
			Array.from({ length: WORKERS }, async (_, i) =>
				startN8nWorker(n8nEnv({ userFolder, port, brokerPort: await freePort(), extra: { ...base, N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-worker-${i}`, ...extra } }), { concurrency: 1 }),
			),
		);
	};
	const stopWorkers = async () => {
		for (const worker of ctx.workers) log('worker', worker.log());
		await Promise.all(ctx.workers.map(async (worker) => await worker.stop()));
		ctx.workers = [];
	};
	try {
		const imported = await importWorkflows(
			workflows().map((workflow) => {
				const dir = path.join(userFolder, 'queue-mode');
				mkdirSync(dir, { recursive: true });
				const file = path.join(dir, `${workflow.id}.json`);
				writeFileSync(file, JSON.stringify(workflow, null, 2));
				return file;
			}),
			env,
		);
		log('import:workflow (queue mode)', textOf(imported));
		for (const { id } of imported.workflows) {
			const res = await runN8n(['publish:workflow', `--id=${id}`], env);
			log(`publish:workflow ${id}`, textOf(res));
			if (res.exitCode !== 0) throw new Error(`n8n publish:workflow --id=${id} failed:\n${textOf(res).slice(-2000)}`);
		}
		const began = Date.now();
		ctx.main = await startN8nServer(env);
		await startWorkers();
		note(`queue mode: main and ${WORKERS} workers ready after ${((Date.now() - began) / 1000).toFixed(1)} s (Redis ${redis.port}, PostgreSQL ${pg.port})`);

		await check('queue mode: JPO, 60 items in 3 executions on 3 workers, one ID', async () => {
			const { since, labels } = await jpoRun(ctx, 'jpo');
			const executions = await finishedExecutions(pg, since, labels, { timeoutMs: 240_000 });
			checkJpoItems(executions, labels);
			const calls = jpoDataCalls(await sandboxRequests(sandboxUrl));
			const tooFast = calls.filter((request) => request.resultCode === '303' || request.httpStatus === 429);
			assert.equal(tooFast.length, 0, `${tooFast.length} of ${calls.length} calls were answered 303 (too fast)`);
			assert.equal(calls.length, WORKERS * JPO_ITEMS_PER_EXECUTION, `${calls.length} JPO calls for ${WORKERS * JPO_ITEMS_PER_EXECUTION} items`);
			const logins = (await tokenFetches(sandboxUrl)).jpo;
			assert.equal(logins, 1, `${logins} JPO logins for one ID`);
			const span = Math.max(...calls.map((c) => c.at)) - Math.min(...calls.map((c) => c.at));
			const minimum = Math.floor((calls.length - 1) / JPO_PER_MINUTE) * 60_000;
			assert.ok(span >= minimum, `first to last call took ${span} ms, less than the ${minimum} ms the window allows`);
			assert.ok(span <= 1.15 * minimum, `first to last call took ${span} ms, more than 1.15 × ${minimum} ms`);
			assert.ok(busiestWindow(calls, 60_000) <= JPO_PER_MINUTE, `${busiestWindow(calls, 60_000)} calls in one minute`);
			note(`queue mode JPO: ${calls.length} calls, 0 × 303, ${logins} login, first to last ${(span / 1000).toFixed(1)} s = ${(span / minimum).toFixed(3)} × the minimum ${minimum / 1000} s`);
		});

		await check('queue mode: PatSnap, 3,049 numbers in 3 executions on 3 workers, one account', async () => {
			await sandboxReset(sandboxUrl);
			log('patsnap: import:credentials', textOf(await importCredentials(sandboxCredentials(sandboxUrl), env)));
			const since = lastExecutionId(pg);
			const labels = PATSNAP_COUNTS.map((_, i) => `patsnap-${i}`);
			await Promise.all(labels.map(async (name, i) => await trigger(ctx.main.url, 'queue-patsnap', { label: name, count: PATSNAP_COUNTS[i], offset: i * 10_000 })));
			const executions = await finishedExecutions(pg, since, labels, { timeoutMs: 180_000 });
			const calls = (await sandboxRequests(sandboxUrl)).filter((request) => request.api === 'patsnap' && request.kind === 'data');
			const expectedCalls = PATSNAP_COUNTS.reduce((sum, n) => sum + Math.ceil(n / 100), 0);
			const tooFast = calls.filter((request) => request.resultCode === 67200002 || request.httpStatus === 429);
			assert.equal(tooFast.length, 0, `${tooFast.length} of ${calls.length} calls were answered 67200002 (too fast)`);
			assert.equal(calls.length, expectedCalls, `${calls.length} PatSnap calls, expected ${expectedCalls}`);
			assert.equal(calls.reduce((sum, request) => sum + (request.batchSize ?? 0), 0), PATSNAP_COUNTS.reduce((a, b) => a + b, 0), 'numbers sent');
			let found = 0;
			labels.forEach((name, i) => {
				const execution = executions.get(name);
				assert.equal(execution.status, 'success', `${name}: ${execution.status} ${execution.error?.message ?? ''}`);
				const items = execution.items('PatSnap');
				assert.equal(items.length, PATSNAP_COUNTS[i], `${name}: ${items.length} items for ${PATSNAP_COUNTS[i]} numbers`);
				found += items.filter((item) => item.json.found === true).length;
			});
			const billed = calls.reduce((sum, request) => sum + (request.billed ?? 0), 0);
			assert.equal(billed, found, `billed ${billed} results, ${found} found`);
			const logins = (await tokenFetches(sandboxUrl)).patsnap;
			assert.equal(logins, 1, `${logins} PatSnap logins for one account`);
			assert.ok(busiestWindow(calls, 1000) <= 5, `${busiestWindow(calls, 1000)} calls in one second`);
			const span = Math.max(...calls.map((c) => c.at)) - Math.min(...calls.map((c) => c.at));
			note(`queue mode PatSnap: ${calls.length} calls, 0 × 67200002, ${billed} results billed once, ${logins} login, first to last ${(span / 1000).toFixed(2)} s`);
		});

		await check('queue mode: a ZIP made on a worker is served by main (binary data in database mode)', async () => {
			await sandboxReset(sandboxUrl);
			const response = await fetch(`${ctx.main.url}/webhook/queue-document`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
			const body = Buffer.from(await response.arrayBuffer());
			assert.equal(response.status, 200, `HTTP ${response.status}: ${body.toString('utf8').slice(0, 300)}`);
			assert.equal(body.readUInt32LE(0), 0x04034b50, 'the answer is not a ZIP archive');
		});

		await check('queue mode: Redis restarted in the middle of a JPO run', async () => {
			const { since, labels } = await jpoRun(ctx, 'restart');
			// The first window's 30 calls go at once; restart while the rest wait for the next window.
			await new Promise((resolve) => setTimeout(resolve, 15_000));
			await redis.restart({ downMs: 3_000 });
			note('queue mode: Redis restarted (down 3 s, state lost)');
			const executions = await finishedExecutions(pg, since, labels, { timeoutMs: 300_000 });
			let results = 0;
			let errors = 0;
			for (const name of labels) {
				const execution = executions.get(name);
				const items = execution.items('JPO');
				assert.equal(items.length, JPO_ITEMS_PER_EXECUTION, `${name}: ${items.length} JPO items for ${JPO_ITEMS_PER_EXECUTION} inputs (execution ${execution.status})`);
				for (const item of items) {
					if (item.json.error) {
						errors += 1;
						assert.match(String(item.json.error.message ?? item.json.error), /\S/, 'an error item without a message');
					} else results += 1;
				}
			}
			const calls = jpoDataCalls(await sandboxRequests(sandboxUrl));
			const tooFast = calls.filter((request) => request.resultCode === '303').length;
			note(`queue mode Redis restart: ${results} results and ${errors} error items for 60 inputs, ${tooFast} × 303, every execution finished`);
		});

		await check('queue mode: the control, coordination off, gets 303s', async () => {
			await stopWorkers();
			await startWorkers({ JPO_PATSNAP_COORDINATION: 'off' });
			await jpoRun(ctx, 'control');
			let seen = 0;
			await waitFor(
				async () => {
					seen = jpoDataCalls(await sandboxRequests(sandboxUrl)).filter((request) => request.resultCode === '303').length;
					return seen > 0;
				},
				{ timeoutMs: 120_000, intervalMs: 1000, what: 'a 303 with coordination off' },
			);
			note(`queue mode control (coordination off): ${seen} × 303 within the first window`);
		});
	} finally {
		await stopWorkers().catch(() => undefined);
		if (ctx.main) {
			log('main', ctx.main.log());
			await ctx.main.stop();
		}
		await redis.stop();
		await pg.stop();
	}
}
