// The docket watch as users run it: `n8n start` with the example workflows that start with one of
// our polling triggers published (active), polling the sandbox every minute. The test changes the
// sandbox's data the way JPO and PatSnap would (a new refusal notice, a legal status change) and
// checks that the notifications arrive at a real local SMTP server and a local webhook receiver,
// each exactly once, also after the next poll.
//
// `n8n execute` cannot start a workflow at a polling trigger (n8n's findCliWorkflowStart accepts
// only a Manual or Execute Workflow Trigger), so these examples are covered here and nowhere else.
// The copies published here differ from the files in examples/ in three ways, all made by
// adaptForTest(): the schedule is every minute instead of every morning, the JPO pace is raised
// with the sandbox's per-minute limit so a poll of both JPO examples fits in a minute, and the
// Slack and SMTP destinations are the local receivers.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	PACKAGE_NAME,
	SLACK_WEBHOOK_PLACEHOLDER,
	importCredentials,
	importWorkflows,
	runN8n,
	sandboxConfigure,
	sandboxRequests,
	smtpCredential,
} from '../../scripts/lib/n8n.mjs';
import { startN8nServer, startSmtpSink, startWebhookReceiver, waitFor } from '../../scripts/lib/server.mjs';
import { N8N_LINE } from '../../scripts/lib/runtime.mjs';

const TRIGGER_TYPES = new Set([`${PACKAGE_NAME}.jpoTrigger`, `${PACKAGE_NAME}.patSnapTrigger`]);

/** Whether a workflow starts at one of our polling triggers (and so needs `n8n start` to run). */
export function startsWithOurTrigger(workflow) {
	return workflow.nodes.some((node) => TRIGGER_TYPES.has(node.type));
}

const JPO_REQUESTS_PER_MINUTE = 120;
const VERIFY_WORKFLOW = path.join(path.dirname(new URL(import.meta.url).pathname), 'docket-watch', 'read-refusal-notice-log.json');

/** The application the test gives a new refusal notice; every JPO example watches it. */
const NOTICE_APPLICATION = '2020045678';

function adaptForTest(workflow, { webhookUrl }) {
	const copy = JSON.parse(JSON.stringify(workflow).split(SLACK_WEBHOOK_PLACEHOLDER).join(webhookUrl));
	for (const node of copy.nodes) {
		if (!TRIGGER_TYPES.has(node.type)) continue;
		node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
		if (node.type.endsWith('.jpoTrigger')) {
			node.parameters.options = { ...node.parameters.options, requestsPerMinute: JPO_REQUESTS_PER_MINUTE };
		}
	}
	return copy;
}

/** The examples whose deliveries this phase checks (checkSlackMessages, checkRefusalLog, checkDigest). */
const CHECKED_EXAMPLES = new Set(['jpo-docket-to-slack.json', 'jpo-refusal-notice-log.json', 'patsnap-status-digest.json']);

/** The patent whose legal status the test changes; the PatSnap example watches it. */
const STATUS_PATENT = 'EP3456789A1';

const isProgressCall = (request) => request.kind === 'data' && /\/app_progress_simple$/.test(request.endpoint);
const isLegalStatusCall = (request) => request.api === 'patsnap' && request.endpoint === 'P013';

function uses(workflow, type) {
	return workflow.nodes.some((node) => node.type === `${PACKAGE_NAME}.${type}`);
}

async function post(url, body) {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	assert.equal(response.status, 200, `sandbox control ${url}: HTTP ${response.status} ${await response.text()}`);
}

function watchedCount(workflow) {
	const trigger = workflow.nodes.find((node) => node.type === `${PACKAGE_NAME}.jpoTrigger`);
	if (!trigger) return 0;
	return String(trigger.parameters.watchList)
		.split(/[\n,]/)
		.map((line) => line.replace(/#.*/, '').trim())
		.filter(Boolean).length;
}

/**
 * Runs the phase. `examples` are `{ file, workflow }` for every example that starts with our
 * trigger; `log(source, text)` feeds the caller's secret scan; `note(text)` prints a comment line.
 */
export async function runDocketWatch({ examples, env, sandboxUrl, log, note }) {
	const jpoExamples = examples.filter(({ workflow }) => uses(workflow, 'jpoTrigger'));
	// Each PatSnap example watches fewer than 100 patents: one legal status call per poll.
	const patSnapExamples = examples.filter(({ workflow }) => uses(workflow, 'patSnapTrigger'));
	const uncovered = examples.filter(({ file }) => !CHECKED_EXAMPLES.has(path.basename(file)));
	if (uncovered.length > 0) throw new Error(`no docket-watch check for ${uncovered.map(({ file }) => path.basename(file)).join(', ')}`);

	const receiver = await startWebhookReceiver();
	const smtp = await startSmtpSink();
	let server;
	try {
		log('import:credentials (smtp)', textOf(await importCredentials([smtpCredential(smtp.port)], env)));
		const scratch = path.join(env.N8N_USER_FOLDER, 'docket-watch');
		mkdirSync(scratch, { recursive: true });
		const files = examples.map(({ file, workflow }) => {
			const target = path.join(scratch, path.basename(file));
			writeFileSync(target, JSON.stringify(adaptForTest(workflow, { webhookUrl: `${receiver.url}/slack` }), null, 2));
			return target;
		});
		const imported = await importWorkflows([...files, VERIFY_WORKFLOW], env);
		log('import:workflow (docket watch)', textOf(imported));
		// The data table module runs only in `n8n start` (`n8n execute` refuses the Data table node),
		// so the table is read over a published webhook workflow while the server runs.
		for (const { workflow } of imported.workflows) {
			// n8n 2.x publishes a workflow; 1.x has no publish command and activates it instead.
			const res = await runN8n(N8N_LINE === '1' ? ['update:workflow', `--id=${workflow.id}`, '--active=true'] : ['publish:workflow', `--id=${workflow.id}`], env);
			log(`publish:workflow ${workflow.id}`, textOf(res));
			if (res.exitCode !== 0) throw new Error(`n8n publish:workflow --id=${workflow.id} failed:\n${textOf(res).slice(-2000)}`);
		}
		await sandboxConfigure(sandboxUrl, { jpo: { perMinute: { limit: JPO_REQUESTS_PER_MINUTE, windowMs: 60_000 } } });

		const started = Date.now();
		server = await startN8nServer(env);
		note(`n8n start answered /healthz after ${((Date.now() - started) / 1000).toFixed(1)} s`);

		// Activation runs each trigger once: the baseline. Changes made before it has read every
		// watched application would be part of the baseline and never reported.
		const perPoll = jpoExamples.reduce((sum, { workflow }) => sum + watchedCount(workflow), 0);
		const statusPerPoll = patSnapExamples.length;
		const calls = async () => {
			const requests = await sandboxRequests(sandboxUrl);
			return { progress: requests.filter(isProgressCall).length, status: requests.filter(isLegalStatusCall).length };
		};
		const atLeast = (wanted) => async () => {
			const now = await calls();
			return now.progress >= wanted.progress && now.status >= wanted.status;
		};
		await waitFor(atLeast({ progress: perPoll, status: statusPerPoll }), {
			timeoutMs: 120_000,
			what: () => `the baseline polls (${perPoll} JPO progress calls, ${statusPerPoll} PatSnap legal status calls)${serverTail(server)}`,
		});
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const baseline = await calls();
		assert.equal(receiver.received.length, 0, 'the baseline poll sends no Slack message');
		assert.equal(smtp.messages.length, 0, 'the baseline poll sends no mail');
		note(`baseline: ${JSON.stringify(baseline)} calls, ${((Date.now() - started) / 1000).toFixed(1)} s after start`);

		await post(`${sandboxUrl}/__sandbox/jpo/applications/patent/${NOTICE_APPLICATION}/documents`, { documentCode: 'A131' });
		await post(`${sandboxUrl}/__sandbox/patsnap/patents/${STATUS_PATENT}/legal-status`, {
			simple_legal_status: ['Inactive'],
			legal_status: ['Withdrawn'],
		});
		const changedAt = Date.now();

		await waitFor(async () => receiver.received.length >= 1 && smtp.messages.length >= 1, {
			timeoutMs: 150_000,
			what: () =>
				`the Slack message (${receiver.received.length} so far) and the e-mail digest (${smtp.messages.length} so far)${serverTail(server)}`,
		});
		note(
			`Slack message ${((receiver.received[0].at - changedAt) / 1000).toFixed(1)} s and e-mail ${((smtp.messages[0].at - changedAt) / 1000).toFixed(1)} s after the changes`,
		);
		await waitFor(async () => (await sandboxRequests(sandboxUrl)).some((request) => /app_doc_cont_refusal_reason\//.test(request.path)), {
			timeoutMs: 60_000,
			what: () => `the refusal-notice workflow fetching the notice${serverTail(server)}`,
		});

		// One more full poll of every trigger after the notifications: it must report nothing again.
		const afterNotice = await calls();
		await waitFor(atLeast({ progress: afterNotice.progress + perPoll, status: afterNotice.status + statusPerPoll }), {
			timeoutMs: 150_000,
			what: () => `the next poll after the notifications${serverTail(server)}`,
		});
		await new Promise((resolve) => setTimeout(resolve, 5000));
		const table = await fetch(`${server.url}/webhook/e2e-refusal-notice-log`, { signal: AbortSignal.timeout(30_000) });
		const tableText = await table.text();
		assert.equal(table.status, 200, `reading the data table over the webhook: HTTP ${table.status} ${tableText.slice(0, 500)}`);
		const rows = tableText.trim() === '' ? [] : JSON.parse(tableText);
		await server.stop();
		log('n8n start', server.log());

		checkSlackMessages(receiver.received);
		const requests = await sandboxRequests(sandboxUrl);
		const documentCalls = requests.filter((request) => /app_doc_cont_refusal_reason\//.test(request.path));
		assert.equal(documentCalls.length, 1, `the new notice was fetched once (${documentCalls.length} document calls)`);
		assert.ok(
			requests.filter((request) => request.api === 'jpo').every((request) => request.resultCode !== '303'),
			'no JPO call was refused as too fast',
		);
		checkDigest(smtp.messages);
		checkRefusalLog(Array.isArray(rows) ? rows : [rows]);
	} finally {
		if (server) {
			await server.stop();
			log('n8n start', server.log());
		}
		await receiver.close();
		await smtp.close();
	}
}

function textOf(res) {
	return `${res.stdout ?? ''}\n${res.stderr ?? ''}`;
}

/** What n8n printed last, for a timeout message (read when the wait gives up, not before). */
function serverTail(server) {
	return `; n8n said:\n${server.log().split('\n').slice(-15).join('\n')}`;
}

function checkSlackMessages(received) {
	assert.equal(received.length, 1, `exactly one Slack message (got ${received.length})`);
	const [message] = received;
	assert.equal(message.method, 'POST');
	assert.equal(message.path, '/slack');
	const { text, blocks } = message.body;
	assert.match(text, new RegExp(`New document for .*${NOTICE_APPLICATION.slice(4)}`), 'the summary names the application');
	assert.match(text, /Notice of reasons for refusal/);
	assert.match(text, /Estimated deadline \(estimate only\): \d{4}-\d{2}-\d{2}/);
	const fields = blocks.flatMap((block) => block.fields ?? []).map((field) => field.text);
	// n8n's expression engine puts a space after the line break of a template literal; Slack ignores it.
	assert.ok(fields.some((field) => /^\*Estimated deadline\*\n\s*\d{4}-\d{2}-\d{2} \(60 days from dispatch, an estimate\)$/.test(field)), `the deadline field, 60 days for a resident applicant (fields: ${JSON.stringify(fields)})`);
	assert.ok(blocks.some((block) => /j-platpat/i.test(block.text?.text ?? '')), 'a J-PlatPat link');
}

function checkDigest(messages) {
	assert.equal(messages.length, 1, `exactly one e-mail digest (got ${messages.length})`);
	const [message] = messages;
	assert.deepEqual(message.to, ['ip-team@example.com']);
	assert.equal(message.from, 'patent-docket@example.com');
	assert.match(message.raw, /^Subject: PatSnap docket: 1 legal status change\(s\)/m);
	// Quoted-printable may wrap long lines; undo soft breaks before looking for the values.
	const body = message.raw.replace(/=\r?\n/g, '');
	assert.ok(body.includes(STATUS_PATENT), 'the digest names the patent');
	assert.match(body, /Legal status of EP3456789A1 changed from .+ to Inactive, Withdrawn/, 'old and new status in the text part');
	assert.match(body, /<td>legalStatusChanged<\/td>/, 'the HTML table row');
}

function checkRefusalLog(rows) {
	const ours = rows.filter((row) => row.applicationNumber === NOTICE_APPLICATION);
	assert.equal(ours.length, 1, `one row for the new notice in "JP refusal notices" (rows: ${JSON.stringify(rows)})`);
	const [row] = ours;
	assert.equal(row.law, 'patent');
	assert.match(row.dispatchDate, /^\d{4}-\d{2}-\d{2}$/);
	assert.match(row.estimatedDeadline, /^\d{4}-\d{2}-\d{2}$/);
	assert.ok(row.estimatedDeadline > row.dispatchDate, 'the deadline lies after the dispatch date');
	assert.equal(typeof row.daysLeft, 'number');
	assert.match(row.toDo, /written opinion or amendment/);
	assert.match(row.deadlineRule, /60 days from dispatch/);
	assert.ok(row.textStart.startsWith('拒絶理由通知書'), `the notice text, decoded from Shift_JIS (${row.textStart.slice(0, 40)})`);
	assert.ok(row.documentNumber.length > 0, 'the document number');
}
