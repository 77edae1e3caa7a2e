// n8n in queue mode, as an office runs it when one process is no longer enough: one main, three
// `n8n worker` processes, Redis for the queue and PostgreSQL for the database (both from Debian's
// packages, started here on loopback and stopped afterwards), the sandbox as JPO and PatSnap.
// Executions start through production webhooks on main and run on the workers; their results
// are read from PostgreSQL, where the workers store them.
//
// What it proves (docs/queue-mode.md):
// - JPO: 60 items in three executions at once, one ID, the sandbox's window at 30 a minute: no 303,
//   every item answered once and paired, one login, first-to-last call time within 1.15 × the
//   minimum the window allows.
// - The control: the same run with coordination turned off gets 303s, so the check can fail.
// - PatSnap: 3,049 numbers in three executions at 5 QPS: no 67200002, ceil(n/100) calls each, every
//   number billed once, one login.
// - Redis restarted in the middle of a JPO run: every item has a result or an error item, and
//   every execution finishes.
// - A document (ZIP) made on a worker is served by main: binary data in database mode.
// - The JPO Trigger polling on main and JPO nodes on the workers, one ID: together under the
//   window, and the trigger's daily share counts what the workers spent.
import assert from 'node:assert/strict';

import { PACKAGE_NAME, sandboxRequests } from '../../scripts/lib/n8n.mjs';
import { waitFor } from '../../scripts/lib/server.mjs';
import {
	APPLICATIONS,
	FINISHED,
	busiestWindow,
	code,
	connect,
	finishedExecutions,
	freshCredentialOnly,
	freshSandbox,
	jpoDataCalls,
	lastExecutionId,
	node,
	postWebhook,
	readExecutions,
	startJpoLoad,
	startPatSnapLoad,
	startQueueCluster,
	tokenFetches,
} from './queueCluster.mjs';

const WORKERS = 3;
// The trigger check: the workers spend 10 progress calls, then the trigger may spend up to its share
// of 28 × 50 % = 14 for the whole ID: 4 calls for 6 watched applications, 2 of them only after the
// workers' calls leave the 12-a-minute window.
const TRIGGER_PER_MINUTE = 12;
const TRIGGER_WORKER_CALLS = 10;
const TRIGGER_PROGRESS_LIMIT = 28;
const TRIGGER_SHARE_PERCENT = 50;
const JPO_PER_MINUTE = 30;
const JPO_ITEMS_PER_EXECUTION = 20;
const PATSNAP_COUNTS = [1000, 1050, 999];
/** The JPO Trigger on main, sharing the ID with the workers; published only for its own check. */
/** Its own credential and ID, so it stays out of the other checks while it keeps polling. */
const TRIGGER_CREDENTIAL = { id: 'jpoQueueTrigger1', name: 'JPO sandbox (queue-trigger)' };

const TRIGGER_WORKFLOW = {
	id: 'queueJpoTrigger01',
	name: 'Queue mode: JPO Trigger',
	nodes: [
		{
			...node(
				'JPO Trigger',
				`${PACKAGE_NAME}.jpoTrigger`,
				{
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					watchList: APPLICATIONS.concat(['2022-012345']).join('\n'),
					options: { dailyShare: TRIGGER_SHARE_PERCENT, progressDailyLimit: TRIGGER_PROGRESS_LIMIT, emitCurrentState: true, maxApplicationsPerPoll: 6, requestsPerMinute: TRIGGER_PER_MINUTE },
				},
				[0, 0],
			),
			credentials: { jpoApi: TRIGGER_CREDENTIAL },
		},
		code('Changes', 'return $input.all();', [220, 0]),
	],
	connections: connect('JPO Trigger', 'Changes'),
	settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
};


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


/**
 * Runs the phase against the e2e user folder (the package is installed there) and the e2e
 * sandbox. `log(source, text)` feeds the caller's secret scan; `note(text)` prints a comment line;
 * `check(name, fn)` runs one named check and reports it.
 */
export async function runQueueMode({ userFolder, sandboxUrl, log, note, check }) {
	const began = Date.now();
	const cluster = await startQueueCluster({ userFolder, sandboxUrl, log, workers: WORKERS, extraWorkflows: [TRIGGER_WORKFLOW], unpublished: [TRIGGER_WORKFLOW.id] });
	const { pg } = cluster;
	note(`queue mode: main and ${WORKERS} workers ready after ${((Date.now() - began) / 1000).toFixed(1)} s (Redis ${cluster.redis.port}, PostgreSQL ${pg.port})`);
	const jpoRun = async (label) => {
		await freshSandbox(cluster, { jpoPerMinute: JPO_PER_MINUTE, jpoUser: `queue-${label}` });
		return await startJpoLoad(cluster, { label, executions: WORKERS, items: JPO_ITEMS_PER_EXECUTION, perMinute: JPO_PER_MINUTE });
	};
	try {
		await check('queue mode: JPO, 60 items in 3 executions on 3 workers, one ID', async () => {
			const { since, labels } = await jpoRun('jpo');
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
			await freshSandbox(cluster);
			const { since, labels } = await startPatSnapLoad(cluster, { label: 'patsnap', counts: PATSNAP_COUNTS });
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
			await freshSandbox(cluster);
			const response = await fetch(`${cluster.main.url}/webhook/queue-document`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
			const body = Buffer.from(await response.arrayBuffer());
			assert.equal(response.status, 200, `HTTP ${response.status}: ${body.toString('utf8').slice(0, 300)}`);
			assert.equal(body.readUInt32LE(0), 0x04034b50, 'the answer is not a ZIP archive');
		});

		await check('queue mode: Redis restarted in the middle of a JPO run', async () => {
			const { since, labels } = await jpoRun('restart');
			// The first window's 30 calls go at once; restart while the rest wait for the next window.
			await new Promise((resolve) => setTimeout(resolve, 15_000));
			await cluster.redis.restart({ downMs: 3_000 });
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
			const span = Math.max(...calls.map((c) => c.at)) - Math.min(...calls.map((c) => c.at));
			note(`queue mode Redis restart: ${results} results and ${errors} error items for 60 inputs, ${tooFast} × 303, every execution finished, first to last ${(span / 1000).toFixed(1)} s`);
		});

		await check('queue mode: the JPO Trigger on main and JPO nodes on the workers share one ID', async () => {
			// The workers' workflow and the trigger use two n8n credentials holding the same JPO ID.
			await freshSandbox(cluster, { jpoPerMinute: TRIGGER_PER_MINUTE, jpoUser: 'queue-trigger' });
			await freshCredentialOnly(cluster, { jpoUser: 'queue-trigger', credentialId: TRIGGER_CREDENTIAL.id });
			const since = lastExecutionId(pg);
			await postWebhook(cluster.main.url, 'queue-jpo', { label: 'trigger-workers', count: TRIGGER_WORKER_CALLS, perMinute: TRIGGER_PER_MINUTE, numbers: APPLICATIONS });
			const spent = await finishedExecutions(pg, since, ['trigger-workers'], { timeoutMs: 120_000 });
			assert.equal(spent.get('trigger-workers').status, 'success', "the workers' JPO execution failed");
			// Publishing takes effect when main starts: its activation runs the trigger's first poll.
			await cluster.publish(TRIGGER_WORKFLOW.id);
			await cluster.restartMain();
			let polled;
			await waitFor(
				async () => {
					polled = readExecutions(pg, since).find((execution) => execution.workflowId === TRIGGER_WORKFLOW.id && FINISHED.has(execution.status));
					return polled !== undefined;
				},
				{ timeoutMs: 180_000, intervalMs: 1000, what: "the JPO Trigger's first poll on main" },
			);
			assert.equal(polled.status, 'success', `trigger execution ${polled.status}: ${polled.error?.message ?? ''}`);
			const items = polled.items('JPO Trigger');
			const allowance = Math.floor((TRIGGER_PROGRESS_LIMIT * TRIGGER_SHARE_PERCENT) / 100);
			const meta = items[0]?.json?._meta ?? {};
			assert.equal(items.length, allowance - TRIGGER_WORKER_CALLS, `the trigger emitted ${items.length} items: ${JSON.stringify(meta.poll)}`);
			assert.equal(meta.poll?.checked, allowance - TRIGGER_WORKER_CALLS, `poll stats ${JSON.stringify(meta.poll)}`);
			assert.equal(meta.poll?.waitingForBudget, 6 - (allowance - TRIGGER_WORKER_CALLS), `poll stats ${JSON.stringify(meta.poll)}`);
			const quota = Object.values(meta.quota ?? {}).find((entry) => entry.api === 'patent/getSimpleProgress');
			assert.equal(quota?.spentTodayByThisId, allowance, `quota report ${JSON.stringify(meta.quota)}`);
			const calls = jpoDataCalls(await sandboxRequests(sandboxUrl));
			const tooFast = calls.filter((request) => request.resultCode === '303' || request.httpStatus === 429);
			assert.equal(tooFast.length, 0, `${tooFast.length} calls were answered 303`);
			// The trigger also reads the registration record of registered applications (its own API and budget).
			const progressCalls = calls.filter((request) => /\/app_progress_simple$/.test(request.endpoint));
			assert.equal(progressCalls.length, allowance, `${progressCalls.length} progress calls by the workers and the trigger together, the share allows ${allowance}`);
			assert.ok(busiestWindow(calls, 60_000) <= TRIGGER_PER_MINUTE, `${busiestWindow(calls, 60_000)} calls in one minute`);
			note(
				`queue mode trigger: workers ${TRIGGER_WORKER_CALLS} progress calls, trigger ${items.length} (share ${allowance} for the ID) and ${calls.length - progressCalls.length} registration calls, 0 × 303, busiest minute ${busiestWindow(calls, 60_000)} of ${TRIGGER_PER_MINUTE}`,
			);
		});

		await check('queue mode: the control, coordination off, gets 303s', async () => {
			await cluster.startWorkers(WORKERS, { JPO_PATSNAP_COORDINATION: 'off' });
			await jpoRun('control');
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
		// Everything the workers stored (every node's output and error) goes to the secret scan too.
		for (const execution of readExecutions(pg, 0)) log(`execution ${execution.id} (${execution.workflowId})`, JSON.stringify(execution.data ?? {}));
		await cluster.stop();
	}
}
