// Our nodes as tools of n8n's own AI nodes, as users run them: the two agent examples published in
// `n8n start`, an OpenAI-compatible chat model played by a scripted server on loopback
// (test/helpers/scriptedModel.mjs), and a real MCP client (@modelcontextprotocol/sdk).
//
// `n8n execute` cannot start a Chat Trigger or an MCP Server Trigger, so these examples are covered
// here and nowhere else. The copies published here differ from the files in examples/ in one way,
// made by adaptForTest(): the agent returns its intermediate steps, so the test can read what each
// tool call got back as well as what the model was sent.
//
// The truth the answers are checked against is read from the sandbox's own API with the demo
// account, before each conversation, and the request log is cleared after that read.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { URLSearchParams } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import {
	SANDBOX_ACCOUNTS,
	agentCredentials,
	importCredentials,
	importWorkflows,
	runN8n,
	sandboxConfigure,
	sandboxRequests,
	sandboxReset,
} from '../../scripts/lib/n8n.mjs';
import { N8N_LINE } from '../../scripts/lib/runtime.mjs';
import { startN8nServer, waitFor } from '../../scripts/lib/server.mjs';
import { startScriptedModel } from '../helpers/scriptedModel.mjs';

export const AGENT_TRIGGER_TYPES = new Set(['@n8n/n8n-nodes-langchain.chatTrigger', '@n8n/n8n-nodes-langchain.mcpTrigger']);

/** Whether a workflow starts at n8n's Chat Trigger or MCP Server Trigger (and so needs `n8n start`). */
export function startsWithAgentTrigger(workflow) {
	return workflow.nodes.some((node) => AGENT_TRIGGER_TYPES.has(node.type));
}

const CHAT_EXAMPLE = 'ask-about-our-docket.json';
const MCP_EXAMPLE = 'docket-tools-over-mcp.json';

/** The application and the patent the conversations ask about (fixed sandbox data). */
const APPLICATION = '2020045678';
const PATENT = 'EP3456789A1';
/** What the scripted model sends first for the application: a letter O where a zero belongs. */
const MISTYPED_APPLICATION = '2020-O45678';
/** Hostile MCP arguments: a path that climbs out of the API and a 10 kB string. */
const TRAVERSAL = '../../auth/token';
const HUGE = '2'.repeat(10 * 1024);

function adaptForTest(workflow) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		if (node.type === '@n8n/n8n-nodes-langchain.agent') {
			node.parameters.options = { ...node.parameters.options, returnIntermediateSteps: true };
		}
	}
	return copy;
}

/** Every value under `key` anywhere in a JSON value. */
function findAll(value, key, out = []) {
	if (Array.isArray(value)) for (const inner of value) findAll(inner, key, out);
	else if (value && typeof value === 'object') {
		for (const [name, inner] of Object.entries(value)) {
			if (name === key) out.push(inner);
			else findAll(inner, key, out);
		}
	}
	return out;
}

function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The `error` a tool result carries, as n8n's agent hands a failed tool call to the model. */
function toolError(result) {
	const parsed = parseJson(result?.content ?? '');
	const error = findAll(parsed, 'error')[0];
	return typeof error === 'string' ? error : undefined;
}

/** What the scripted model says about the tool results it got: only what they contain. */
function summarise(results) {
	const lines = [];
	for (const result of results) {
		const parsed = parseJson(result.content);
		const error = toolError(result);
		if (error) {
			lines.push(`${result.name} answered with an error: ${error}`);
			continue;
		}
		for (const event of findAll(parsed, 'latestEvent')) {
			lines.push(`${result.name}: latest document ${event.documentCode} (${event.documentNameEn ?? event.documentName}) dated ${event.date}.`);
		}
		for (const skipped of findAll(parsed, 'skipped')) {
			if (skipped === true) lines.push(`${result.name} did not call the API: ${findAll(parsed, 'message')[0]}`);
		}
		const numbers = findAll(parsed, 'patent_number');
		const statuses = findAll(parsed, 'simple_legal_status');
		statuses.forEach((status, index) => lines.push(`${result.name}: ${numbers[index] ?? '?'} is ${[status].flat().join(', ')}.`));
	}
	return lines.join('\n');
}

/** The model's side of each conversation, chosen by a phrase in the user's message. */
const SCRIPTS = (hooks) => [
	{
		match: 'latest on application',
		turns: [
			[{ tool: 'JPO_application_progress', args: { applicationNumber: MISTYPED_APPLICATION } }],
			// Having read the correction, the model sends the number again, and asks PatSnap at once.
			(results) => {
				assert.ok(toolError(results[0]), `the mistyped number should come back as an error, got ${results[0]?.content.slice(0, 300)}`);
				return [
					{ tool: 'JPO_application_progress', args: { applicationNumber: '2020-045678' } },
					{ tool: 'PatSnap_legal_status', args: { patentNumbers: PATENT } },
				];
			},
		],
		answer: summarise,
	},
	{
		match: 'keep an eye on application',
		// Three calls for the same application: the example keeps a reserve of 20 calls (Stop Below
		// Remaining), and the test leaves JPO with 22 for the day.
		turns: [1, 2, 3].map(() => [{ tool: 'JPO_application_progress', args: { applicationNumber: APPLICATION } }]),
		answer: summarise,
	},
	{
		match: 'status once more',
		turns: [[{ tool: 'PatSnap_legal_status', args: { patentNumbers: PATENT } }]],
		answer: summarise,
	},
	{
		match: 'keep checking the legal status',
		turns: [
			[{ tool: 'PatSnap_legal_status', args: { patentNumbers: PATENT } }],
			// Between the first and the second call someone else spends the rest of the credential's day.
			async () => {
				await hooks.useUpPatSnapLimit();
				return [{ tool: 'PatSnap_legal_status', args: { patentNumbers: PATENT } }];
			},
			// A careless model tries once more after the quota stop; nothing may reach PatSnap.
			[{ tool: 'PatSnap_legal_status', args: { patentNumbers: PATENT } }],
		],
		answer: summarise,
	},
];

async function sandboxTruth(sandboxUrl) {
	const form = new URLSearchParams({ grant_type: 'password', username: SANDBOX_ACCOUNTS.jpo.username, password: SANDBOX_ACCOUNTS.jpo.password });
	const jpoToken = (await (await fetch(`${sandboxUrl}/auth/token`, { method: 'POST', body: form })).json()).access_token;
	const progress = await (
		await fetch(`${sandboxUrl}/api/patent/v1/app_progress/${APPLICATION}`, { headers: { Authorization: `Bearer ${jpoToken}` } })
	).json();
	let latest;
	for (const block of progress.result.data.bibliographyInformation ?? []) {
		for (const document of block.documentList ?? []) {
			if (!latest || document.legalDate >= latest.legalDate) latest = document;
		}
	}
	const basic = Buffer.from(`${SANDBOX_ACCOUNTS.patSnap.clientId}:${SANDBOX_ACCOUNTS.patSnap.clientSecret}`).toString('base64');
	const patSnapToken = (
		await (
			await fetch(`${sandboxUrl}/oauth/token`, {
				method: 'POST',
				headers: { Authorization: `Basic ${basic}` },
				body: new URLSearchParams({ grant_type: 'client_credentials' }),
			})
		).json()
	).token;
	const status = await (
		await fetch(`${sandboxUrl}/basic-patent-data/legal-status?patent_number=${PATENT}&apikey=${SANDBOX_ACCOUNTS.patSnap.clientId}`, {
			headers: { Authorization: `Bearer ${patSnapToken}` },
		})
	).json();
	const entry = status.data.find((candidate) => candidate.patent_number === PATENT) ?? status.data[0];
	await fetch(`${sandboxUrl}/__sandbox/requests`, { method: 'DELETE' });
	return {
		documentCode: latest.documentCode,
		legalDate: latest.legalDate,
		legalStatus: [entry.patent_legal_status?.simple_legal_status ?? entry.simple_legal_status].flat().filter(Boolean),
	};
}

const isoDate = (compact) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
// The calls that count against a daily limit. Not counted, so left out: a refused token (JPO 210,
// PatSnap 67200003; a sandbox reset forgets the tokens the credentials still hold, and the node
// renews and repeats) and a rate refusal (JPO 303, PatSnap 67200002; the node waits and repeats).
const UNCOUNTED_JPO = new Set(['210', '303']);
const UNCOUNTED_PATSNAP = new Set([67200003, 67200002]);
const jpoDataCalls = (requests) => requests.filter((request) => request.api === 'jpo' && request.kind === 'data' && !UNCOUNTED_JPO.has(request.resultCode));
const patSnapDataCalls = (requests) =>
	requests.filter((request) => request.api === 'patsnap' && request.kind === 'data' && !UNCOUNTED_PATSNAP.has(request.resultCode));

async function chat(server, login, chatInput, sessionId) {
	const response = await fetch(`${server.url}/webhook/${server.chatWebhookId}/chat`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...(login ? { Authorization: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}` } : {}) },
		body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
		signal: AbortSignal.timeout(120_000),
	});
	const text = await response.text();
	return { status: response.status, text, body: parseJson(text) };
}

/**
 * Runs the phase. `examples` are `{ file, workflow }` for every example that starts with the Chat
 * or MCP Server Trigger; `log(source, text)` feeds the caller's secret scan, `secret(value, label)`
 * adds a value to it; `check(name, fn)` reports one case; `note(text)` prints a comment line.
 */
export async function runAgents({ examples, env, sandboxUrl, log, note, check, secret }) {
	const names = examples.map(({ file }) => path.basename(file)).sort();
	assert.deepEqual(names, [CHAT_EXAMPLE, MCP_EXAMPLE].sort(), `agent examples: a check for each of ${names.join(', ')}`);
	const chatWorkflow = examples.find(({ file }) => path.basename(file) === CHAT_EXAMPLE).workflow;
	const chatWebhookId = chatWorkflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.chatTrigger').webhookId;
	const mcpPath = examples
		.find(({ file }) => path.basename(file) === MCP_EXAMPLE)
		.workflow.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger').parameters.path;

	const model = await startScriptedModel(
		SCRIPTS({
			useUpPatSnapLimit: async () => {
				const used = patSnapDataCalls(await sandboxRequests(sandboxUrl)).length;
				await sandboxConfigure(sandboxUrl, { patsnap: { dailyLimit: used } });
			},
		}),
	);
	const keys = { modelKey: `sk-model-${randomBytes(12).toString('hex')}`, chatPassword: randomBytes(12).toString('hex'), mcpToken: randomBytes(16).toString('hex') };
	secret(keys.modelKey, 'chat model API key');
	secret(keys.chatPassword, 'chat login password');
	secret(keys.mcpToken, 'MCP client token');
	const login = { user: 'docket', password: keys.chatPassword };
	let server;
	let mcpClient;
	try {
		log('import:credentials (agents)', textOf(await importCredentials(agentCredentials({ modelUrl: model.url, ...keys, chatUser: login.user }), env)));
		const scratch = path.join(env.N8N_USER_FOLDER, 'agents');
		mkdirSync(scratch, { recursive: true });
		const files = examples.map(({ file, workflow }) => {
			const target = path.join(scratch, path.basename(file));
			writeFileSync(target, JSON.stringify(adaptForTest(workflow), null, 2));
			return target;
		});
		const imported = await importWorkflows(files, env);
		log('import:workflow (agents)', textOf(imported));
		for (const { workflow } of imported.workflows) {
			const res = await runN8n(N8N_LINE === '1' ? ['update:workflow', `--id=${workflow.id}`, '--active=true'] : ['publish:workflow', `--id=${workflow.id}`], env);
			log(`publish:workflow ${workflow.id}`, textOf(res));
			if (res.exitCode !== 0) throw new Error(`n8n publish:workflow --id=${workflow.id} failed:\n${textOf(res).slice(-2000)}`);
		}

		const started = Date.now();
		server = await startN8nServer(env);
		server.chatWebhookId = chatWebhookId;
		// /healthz answers before the published workflows' webhooks are registered.
		await waitFor(async () => (await chat(server, undefined, 'ping', 'probe')).status !== 404, { timeoutMs: 60_000, what: 'the chat webhook' });
		note(`n8n start with the agent examples published answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);

		await check('agent: the docket chat refuses a caller without the chat login', async () => {
			const refused = await chat(server, undefined, 'What is the latest on application 2020-045678?', 'no-login');
			assert.ok([401, 403].includes(refused.status), `HTTP ${refused.status} ${refused.text.slice(0, 200)}`);
			assert.equal(model.exchanges.length, 0, 'the model was never asked');
		});

		await check('agent: answers from JPO and PatSnap through the tools, after correcting a mistyped number', async () => {
			await sandboxReset(sandboxUrl);
			const truth = await sandboxTruth(sandboxUrl);
			const before = model.exchanges.length;
			const reply = await chat(server, login, `What is the latest on application 2020-045678, and what is the legal status of ${PATENT}?`, 'docket-1');
			log('chat: docket-1', reply.text);
			assert.equal(reply.status, 200, `chat answered HTTP ${reply.status}: ${reply.text.slice(0, 500)}`);
			const exchanges = model.exchanges.slice(before);
			assert.deepEqual(model.problems, [], 'the scripted model had no problems');
			assert.equal(exchanges.length, 3, 'three model calls: the typo, the corrected calls, the answer');

			// What the model was told: both tools, each with a description and a described argument.
			const offered = exchanges[0].tools;
			note(`tools the model was offered: ${JSON.stringify(offered)}`);
			const jpoTool = offered.find((tool) => tool.name === 'JPO_application_progress');
			const patSnapTool = offered.find((tool) => tool.name === 'PatSnap_legal_status');
			assert.ok(jpoTool && patSnapTool, `offered tools: ${offered.map((tool) => tool.name).join(', ')}`);
			assert.match(jpoTool.description, /JPO Patent Information/);
			assert.match(jpoTool.parameters.properties.applicationNumber.description, /2020-045678/);
			assert.match(patSnapTool.parameters.properties.patentNumbers.description, /EP3456789A1/);

			// The mistyped number came back as a message the model can act on, and never reached JPO.
			const correction = toolError(exchanges[1].results[0]);
			assert.ok(correction, 'the first tool result is an error');
			assert.match(correction, /2020-O45678/, 'the correction quotes what was sent');
			assert.match(correction, /Accepted forms: .*2020-123456/, 'the correction lists the accepted forms');
			assert.doesNotMatch(correction, /at .*\.js:\d+|\n\s+at /, 'no stack trace');

			const requests = await sandboxRequests(sandboxUrl);
			const jpoCalls = jpoDataCalls(requests);
			assert.deepEqual(
				jpoCalls.map((request) => [request.endpoint, request.path.split('/').pop(), request.resultCode]),
				[['patent/app_progress', APPLICATION, '100']],
				'one JPO call, with the corrected number',
			);
			assert.ok(!requests.some((request) => request.path.includes('O45678')), 'the mistyped number never reached the sandbox');
			const patSnapCalls = patSnapDataCalls(requests);
			assert.deepEqual(
				patSnapCalls.map((request) => [request.endpoint, request.query?.patent_number ?? request.query?.patent_id]),
				[['P013', PATENT]],
				`one PatSnap legal status call; the sandbox saw ${JSON.stringify(requests.filter((request) => request.api === 'patsnap').map((request) => [request.kind, request.endpoint, request.httpStatus, request.resultCode]))}`,
			);

			// The answer holds what the sandbox served.
			const output = reply.body?.output ?? '';
			assert.match(output, new RegExp(`latest document ${truth.documentCode} .* dated ${isoDate(truth.legalDate)}`), `answer: ${output}`);
			for (const status of truth.legalStatus) assert.ok(output.includes(status), `answer names the legal status ${status}: ${output}`);
			const steps = reply.body?.intermediateSteps ?? [];
			assert.deepEqual(
				steps.map((step) => step.action.tool),
				['JPO_application_progress', 'JPO_application_progress', 'PatSnap_legal_status'],
				'the agent reports its three tool calls',
			);
		});

		await check('mcp: a real MCP client lists the docket tools and gets the sandbox data', async () => {
			await sandboxReset(sandboxUrl);
			const truth = await sandboxTruth(sandboxUrl);
			const url = new URL(`${server.url}/mcp/${mcpPath}`);
			const unauthorised = new Client({ name: 'e2e-no-token', version: '1.0.0' });
			await assert.rejects(unauthorised.connect(new StreamableHTTPClientTransport(url)), 'a client without the token is refused');

			mcpClient = new Client({ name: 'e2e-mcp-client', version: '1.0.0' });
			await mcpClient.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${keys.mcpToken}` } } }));
			const { tools } = await mcpClient.listTools();
			log('mcp: tools/list', JSON.stringify(tools));
			note(`MCP tools/list: ${JSON.stringify(tools)}`);
			if (process.env.AGENT_TOOLS_FILE) writeFileSync(process.env.AGENT_TOOLS_FILE, `${JSON.stringify(tools, null, 2)}\n`);
			assert.deepEqual(tools.map((tool) => tool.name).sort(), ['JPO_application_progress', 'PatSnap_legal_status']);
			for (const tool of tools) {
				assert.ok(tool.description.length > 20, `${tool.name} has a description`);
				assert.equal(Object.keys(tool.inputSchema.properties).length, 1, `${tool.name} takes one argument`);
			}

			const progress = await mcpClient.callTool({ name: 'JPO_application_progress', arguments: { applicationNumber: '特願2020-045678' } });
			log('mcp: tools/call JPO', JSON.stringify(progress));
			assert.notEqual(progress.isError, true, `JPO tool call failed: ${JSON.stringify(progress).slice(0, 500)}`);
			const events = findAll(parseJson(progress.content[0].text), 'latestEvent');
			assert.equal(events[0]?.documentCode, truth.documentCode, 'the latest document the sandbox holds');
			assert.equal(events[0]?.date, isoDate(truth.legalDate));

			const status = await mcpClient.callTool({ name: 'PatSnap_legal_status', arguments: { patentNumbers: PATENT } });
			log('mcp: tools/call PatSnap', JSON.stringify(status));
			assert.notEqual(status.isError, true, `PatSnap tool call failed: ${JSON.stringify(status).slice(0, 500)}`);
			for (const value of truth.legalStatus) assert.ok(status.content[0].text.includes(value), `legal status ${value} in ${status.content[0].text.slice(0, 300)}`);
		});

		await check('mcp: hostile arguments are refused before they reach the sandbox', async () => {
			assert.ok(mcpClient, 'connected in the case before');
			await fetch(`${sandboxUrl}/__sandbox/requests`, { method: 'DELETE' });
			for (const [label, value] of [
				['a path traversal', TRAVERSAL],
				['a 10 kB string', HUGE],
			]) {
				const result = await mcpClient.callTool({ name: 'JPO_application_progress', arguments: { applicationNumber: value } });
				log(`mcp: tools/call JPO (${label})`, JSON.stringify(result));
				assert.equal(result.isError, true, `${label}: ${JSON.stringify(result).slice(0, 300)}`);
				const text = result.content.map((part) => part.text ?? '').join('\n');
				assert.match(text, /Application Number|application number/, `${label}: the refusal names the field: ${text.slice(0, 300)}`);
				if (text.length >= 2000) note(`${label}: ${text.slice(0, 400)} … ${text.slice(-400)}`);
				assert.ok(text.length < 2000, `${label}: the refusal does not echo 10 kB back (${text.length} characters)`);
			}
			// PatSnap takes numbers as query values, never as a path: a hostile one is refused or sent
			// encoded to the one legal-status path, never anywhere else.
			const patSnap = await mcpClient.callTool({ name: 'PatSnap_legal_status', arguments: { patentNumbers: `${PATENT}/../../oauth/token` } });
			log('mcp: tools/call PatSnap (traversal)', JSON.stringify(patSnap));
			const reached = (await sandboxRequests(sandboxUrl)).filter((request) => request.kind !== 'token');
			assert.ok(
				reached.every((request) => request.api === 'patsnap' && request.path === '/basic-patent-data/legal-status'),
				`only the legal-status path was reached: ${reached.map((request) => `${request.api} ${request.path}`).join(', ')}`,
			);
		});
		await check('agent: Stop Below Remaining keeps its reserve across the tool calls of a conversation', async () => {
			await sandboxReset(sandboxUrl);
			await sandboxConfigure(sandboxUrl, { jpo: { dailyLimits: { 'patent/app_progress': 22 } } });
			const before = model.exchanges.length;
			const reply = await chat(server, login, `Please keep an eye on application ${APPLICATION}.`, 'docket-2');
			log('chat: docket-2', reply.text);
			assert.equal(reply.status, 200, `chat answered HTTP ${reply.status}: ${reply.text.slice(0, 500)}`);
			const exchanges = model.exchanges.slice(before);
			assert.equal(exchanges.length, 4, 'four model calls: three tool turns and the answer');
			const results = exchanges.at(-1).results;
			assert.deepEqual(
				results.map((result) => findAll(parseJson(result.content), 'skipped')[0] === true),
				[false, false, true],
				'the third call is held back by the reserve',
			);
			assert.match(findAll(parseJson(results[2].content), 'message')[0], /20 calls left today, at or below Stop Below Remaining \(20\).*resets/);
			const calls = jpoDataCalls(await sandboxRequests(sandboxUrl));
			assert.deepEqual(
				calls.map((request) => request.resultCode),
				['100', '100'],
				'JPO saw two calls, and 20 are left for the docket check',
			);
			assert.match(reply.body?.output ?? '', /did not call the API/, 'the answer tells the user');
		});

		await check('agent: a PatSnap call that fails on the way is retried once and billed once', async () => {
			await sandboxReset(sandboxUrl);
			// PatSnap's busy answer comes before any result is counted; the node's retry is the only bill.
			await fetch(`${sandboxUrl}/__sandbox/faults`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ api: 'patsnap', path: '/basic-patent-data/legal-status', kind: 'http5xx', status: 503, count: 1 }),
			});
			const before = model.exchanges.length;
			const reply = await chat(server, login, `What is the status once more of ${PATENT}?`, 'docket-4');
			log('chat: docket-4', reply.text);
			assert.equal(reply.status, 200, `chat answered HTTP ${reply.status}: ${reply.text.slice(0, 500)}`);
			const [result] = model.exchanges.slice(before).at(-1).results;
			assert.equal(toolError(result), undefined, `the model gets the legal status, not the busy answer: ${result.content.slice(0, 300)}`);
			const calls = patSnapDataCalls(await sandboxRequests(sandboxUrl));
			assert.deepEqual(
				calls.map((request) => [request.httpStatus, request.billed ?? 0]),
				[
					[503, 0],
					[200, 1],
				],
				'one busy answer, one retry, one result billed',
			);
		});

		// Last: once PatSnap has said the limit is gone, n8n remembers it until midnight UTC+8.
		await check('agent: a daily limit used up mid-conversation reaches the model as a tool result, with no call into the limit', async () => {
			await sandboxReset(sandboxUrl);
			const before = model.exchanges.length;
			const reply = await chat(server, login, `Please keep checking the legal status of ${PATENT}.`, 'docket-3');
			log('chat: docket-3', reply.text);
			assert.equal(reply.status, 200, `chat answered HTTP ${reply.status}: ${reply.text.slice(0, 500)}`);
			const exchanges = model.exchanges.slice(before);
			assert.equal(exchanges.length, 4, 'four model calls: three tool turns and the answer');
			const [first, second, third] = exchanges.at(-1).results;
			assert.equal(toolError(first), undefined, `the first call succeeds: ${first.content.slice(0, 300)}`);
			for (const [label, result] of [
				['second', second],
				['third', third],
			]) {
				const message = toolError(result);
				assert.ok(message, `the ${label} call is stopped: ${result.content.slice(0, 300)}`);
				assert.match(message, /daily/i, `the ${label} stop says a daily limit ran out: ${message}`);
				assert.match(message, /reset at \d{4}-\d{2}-\d{2} 00:00 UTC\+8/, `the ${label} stop says when it resets: ${message}`);
			}
			const calls = patSnapDataCalls(await sandboxRequests(sandboxUrl));
			assert.deepEqual(
				calls.map((request) => request.resultCode === 67200007),
				[false, true],
				'PatSnap saw the call that worked and the one it refused, and nothing after the refusal',
			);
			assert.match(reply.body?.output ?? '', /daily/i, 'the answer tells the user');
		});
	} finally {
		await mcpClient?.close().catch(() => {});
		if (server) {
			log('n8n start (agents)', server.log());
			await server.stop();
		}
		for (const exchange of model.exchanges) log(`model exchange (${exchange.script}, step ${exchange.step})`, JSON.stringify(exchange));
		await model.close();
	}
}

function textOf(res) {
	return `${res.stdout ?? ''}\n${res.stderr ?? ''}`;
}

