// n8n in queue mode on one machine, for the queue-mode e2e checks (test/e2e/queueMode.mjs) and the
// queue-mode benchmark: Redis and PostgreSQL from Debian's packages (scripts/lib/services.mjs), one
// `n8n start` main and `n8n worker` processes sharing an n8n user folder that has this package
// installed, and the workflows below published on main. Executions start through production
// webhooks on main and run on the workers; their results are read from PostgreSQL, where the
// workers store them (webhooks answer at once, so a run never depends on main hearing back).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { CREDENTIALS, PACKAGE_NAME, SANDBOX_ACCOUNTS, freePort, importCredentials, importWorkflows, n8nEnv, runN8n, sandboxConfigure, sandboxCredentials, sandboxReset } from '../../scripts/lib/n8n.mjs';
import { n8nDir } from '../../scripts/lib/runtime.mjs';
import { startN8nServer, startN8nWorker, waitFor } from '../../scripts/lib/server.mjs';
import { postgresBinDir, startPostgres, startRedis } from '../../scripts/lib/services.mjs';

// n8n stores execution data with flatted; its own copy reads it back.
const { parse: parseFlatted } = createRequire(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'))('flatted');

/** Seeded sandbox applications, in forms users type. */
export const APPLICATIONS = ['2020-045678', '特願2021-034567', '2019087654', '令和6年特許願第56789号', '2018-076543'];
export const KNOWN_PATENTS = ['US11223344B2', 'EP3456789A1', 'CN112345678A', 'JP2021123456A', 'CN108765432B', 'US10987654B2', 'EP3210987B1', 'US20230123456A1'];

export const node = (name, type, parameters, position, extra = {}) => ({ id: `${name}-${type}`.replace(/[^A-Za-z0-9-]/g, ''), name, type, typeVersion: 1, position, parameters, ...extra });

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

export function code(name, jsCode, position) {
	return { ...node(name, 'n8n-nodes-base.code', { jsCode }, position), typeVersion: 2 };
}

export function connect(...names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return connections;
}

export function workflows() {
	const jpo = {
		id: 'queueJpoProgress01',
		name: 'Queue mode: JPO progress',
		nodes: [
			webhook('queue-jpo'),
			code('Items', 'const { count, numbers } = $json.body; return Array.from({ length: count }, (_, i) => ({ json: { applicationNumber: numbers[i % numbers.length], index: i } }));', [220, 0]),
			{
				...node(
					'JPO',
					`${PACKAGE_NAME}.jpo`,
					{ resource: 'patent', operation: 'getSimpleProgress', applicationNumber: '={{ $json.applicationNumber }}', options: { requestsPerMinute: "={{ $('Webhook').first().json.body.perMinute }}" } },
					[440, 0],
				),
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
export function readExecutions(pg, sinceId) {
	const sql = `SELECT e.id || '|' || e.status || '|' || e."workflowId" || '|' || COALESCE(d.data, '') FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e.id > ${Number(sinceId)} ORDER BY e.id`;
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
			const [id, status, workflowId] = line.split('|', 3);
			const raw = line.slice(id.length + status.length + workflowId.length + 3);
			const data = raw ? parseFlatted(raw) : undefined;
			const runData = data?.resultData?.runData ?? {};
			const items = (name) => runData[name]?.[0]?.data?.main?.[0] ?? [];
			return { id: Number(id), status, workflowId, data, items, label: items('Webhook')[0]?.json?.body?.label, error: data?.resultData?.error };
		});
}

export function lastExecutionId(pg) {
	return readExecutions(pg, 0).reduce((max, execution) => Math.max(max, execution.id), 0);
}

export async function postWebhook(mainUrl, pathName, body) {
	const response = await fetch(`${mainUrl}/webhook/${pathName}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	assert.equal(response.status, 200, `webhook ${pathName}: HTTP ${response.status} ${await response.text()}`);
}

export const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Waits until every execution with one of `labels` has finished; returns them by label. */
export async function finishedExecutions(pg, sinceId, labels, { timeoutMs }) {
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

export async function tokenFetches(sandboxUrl) {
	return await (await fetch(`${sandboxUrl}/__sandbox/token-fetches`)).json();
}

/** The most requests the sandbox saw in any `windowMs`, by arrival time. */
export function busiestWindow(requests, windowMs) {
	const times = requests.map((request) => request.at).sort((a, b) => a - b);
	let most = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= windowMs) j++;
		most = Math.max(most, i - j + 1);
	}
	return most;
}

export function jpoDataCalls(requests) {
	return requests.filter((request) => request.api === 'jpo' && request.kind === 'data');
}

export function textOf(res) {
	return `${res.stdout ?? ''}\n${res.stderr ?? ''}`;
}


/**
 * Starts Redis, PostgreSQL, main and `workers` workers. `workflows` are imported (and published
 * unless listed in `unpublished`); `log(source, text)` receives every process's output.
 */
export async function startQueueCluster({ userFolder, sandboxUrl, log, workers = 3, workerEnv = {}, extraWorkflows = [], unpublished = [] }) {
	const redis = await startRedis();
	const pg = await startPostgres().catch(async (error) => {
		await redis.stop();
		throw error;
	});
	const port = await freePort();
	const base = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// n8n's own processes exit when Redis is away longer than this; the e2e restart is shorter.
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
	const cluster = {
		env,
		pg,
		redis,
		sandboxUrl,
		main: undefined,
		workers: [],
		/**
		 * (Re)starts the workers. Concurrency 1 (the default) spreads simultaneous executions over
		 * them; a single worker with a higher one runs them side by side in one process.
		 */
		async startWorkers(count = workers, extra = workerEnv, { concurrency = 1 } = {}) {
			await cluster.stopWorkers();
			cluster.workers = await Promise.all(
				Array.from({ length: count }, async (_, i) =>
					startN8nWorker(n8nEnv({ userFolder, port, brokerPort: await freePort(), extra: { ...base, N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-worker-${i}`, ...extra } }), { concurrency }),
				),
			);
		},
		async stopWorkers() {
			for (const worker of cluster.workers) log('worker', worker.log());
			await Promise.all(cluster.workers.map(async (worker) => await worker.stop()));
			cluster.workers = [];
		},
		/** Publishes a workflow; like every CLI change, main sees it when it starts again. */
		async publish(id) {
			const res = await runN8n(['publish:workflow', `--id=${id}`], env);
			log(`publish:workflow ${id}`, textOf(res));
			if (res.exitCode !== 0) throw new Error(`n8n publish:workflow --id=${id} failed:\n${textOf(res).slice(-2000)}`);
		},
		async restartMain() {
			if (cluster.main) {
				log('main', cluster.main.log());
				await cluster.main.stop();
			}
			cluster.main = await startN8nServer(env);
		},
		async stop() {
			await cluster.stopWorkers().catch(() => undefined);
			if (cluster.main) {
				log('main', cluster.main.log());
				await cluster.main.stop();
			}
			await redis.stop();
			await pg.stop();
		},
	};
	try {
		const dir = path.join(userFolder, 'queue-mode');
		mkdirSync(dir, { recursive: true });
		const imported = await importWorkflows(
			[...workflows(), ...extraWorkflows].map((workflow) => {
				const file = path.join(dir, `${workflow.id}.json`);
				writeFileSync(file, JSON.stringify(workflow, null, 2));
				return file;
			}),
			env,
		);
		log('import:workflow (queue mode)', textOf(imported));
		for (const { id } of imported.workflows.filter((workflow) => !unpublished.includes(workflow.id))) await cluster.publish(id);
		await cluster.restartMain();
		await cluster.startWorkers();
	} catch (error) {
		await cluster.stop();
		throw error;
	}
	return cluster;
}

/**
 * A clean sandbox and a credential without a token, so every process starts by needing one.
 * `jpoUser` gives the check a JPO ID of its own: the shared window and day's counts in Redis
 * remember the last minute's calls of an ID (that is their point), so checks that follow each
 * other use different IDs rather than wait for the previous check's window to pass.
 */
export async function freshSandbox(cluster, { jpoPerMinute, jpoUser, credentialId = CREDENTIALS.jpo.id } = {}) {
	await sandboxReset(cluster.sandboxUrl);
	const jpo = {};
	if (jpoPerMinute) jpo.perMinute = { limit: jpoPerMinute, windowMs: 60_000 };
	if (jpoUser) jpo.users = [{ ...SANDBOX_ACCOUNTS.jpo }, { username: jpoUser, password: SANDBOX_ACCOUNTS.jpo.password }];
	if (Object.keys(jpo).length > 0) await sandboxConfigure(cluster.sandboxUrl, { jpo });
	const credentials = sandboxCredentials(cluster.sandboxUrl).map((credential) =>
		credential.type === 'jpoApi' && jpoUser ? { ...credential, id: credentialId, name: `JPO sandbox (${jpoUser})`, data: { ...credential.data, username: jpoUser } } : credential,
	);
	await importCredentials(credentials, cluster.env);
}

/** Imports a second n8n credential for the same sandbox JPO ID, without touching the sandbox. */
export async function freshCredentialOnly(cluster, { jpoUser, credentialId }) {
	const [jpo] = sandboxCredentials(cluster.sandboxUrl).filter((credential) => credential.type === 'jpoApi');
	await importCredentials([{ ...jpo, id: credentialId, name: `JPO sandbox (${jpoUser}, second credential)`, data: { ...jpo.data, username: jpoUser } }], cluster.env);
}

/** Starts `executions` JPO executions of `items` progress calls at once; resolves to what to wait for. */
export async function startJpoLoad(cluster, { label, executions, items, perMinute }) {
	const since = lastExecutionId(cluster.pg);
	const labels = Array.from({ length: executions }, (_, i) => `${label}-${i}`);
	await Promise.all(
		labels.map(async (name, i) => await postWebhook(cluster.main.url, 'queue-jpo', { label: name, count: items, perMinute, numbers: APPLICATIONS.slice(i % APPLICATIONS.length).concat(APPLICATIONS.slice(0, i % APPLICATIONS.length)) })),
	);
	return { since, labels };
}

/** Starts one PatSnap legal-status execution per entry of `counts`, at once, each with its own numbers. */
export async function startPatSnapLoad(cluster, { label, counts }) {
	const since = lastExecutionId(cluster.pg);
	const labels = counts.map((_, i) => `${label}-${i}`);
	await Promise.all(labels.map(async (name, i) => await postWebhook(cluster.main.url, 'queue-patsnap', { label: name, count: counts[i], offset: i * 10_000 })));
	return { since, labels };
}

export { assert };
