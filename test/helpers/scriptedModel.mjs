// A scripted OpenAI-compatible chat model on loopback, for end-to-end tests of n8n's AI Agent and
// of our nodes as its tools without an account or the internet. It is not a language model: each
// conversation follows a script chosen by a phrase in the user's message. A script is a list of
// turns, each naming the tool calls to make (by a fragment of the tool's name, as n8n derives tool
// names from node names), then a final answer built from the tool results the agent sent back. A
// turn may look at the results so far, so a script can correct a call the way a model would after
// reading an error.
//
// Everything it is told is kept: the tool list (name, description, JSON schema) each request
// offered and every tool result, so tests can check what a model sees.
import { createServer } from 'node:http';

/**
 * @typedef {{ tool: string, args: Record<string, unknown> }} ToolCall
 * @typedef {{ name: string, content: string, callId: string }} ToolResult
 * @typedef {{
 *   match: string,
 *   turns: Array<ToolCall[] | ((results: ToolResult[]) => ToolCall[] | Promise<ToolCall[]>)>,
 *   answer: (results: ToolResult[]) => string,
 * }} Script
 */

function messageText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return '';
}

/** The tool results in a conversation, each with the name of the tool the assistant had called. */
function toolResults(messages) {
	const names = new Map();
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) names.set(call.id, call.function?.name);
	}
	return messages
		.filter((message) => message.role === 'tool')
		.map((message) => ({ callId: message.tool_call_id, name: names.get(message.tool_call_id) ?? '?', content: messageText(message.content) }));
}

function completion(model, message, finishReason) {
	return {
		id: `chatcmpl-scripted-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
		usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
	};
}

/** The same answer as server-sent chunks, for clients that ask for a stream. */
function streamChunks(model, message, finishReason) {
	const base = { id: `chatcmpl-scripted-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const delta = { role: 'assistant', content: message.content ?? '' };
	if (message.tool_calls) {
		delta.tool_calls = message.tool_calls.map((call, index) => ({ index, ...call }));
	}
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason }], usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } },
	];
}

/**
 * Starts the model. `scripts` are tried in order; the first whose `match` occurs in the latest
 * user message runs. Answers `POST /v1/chat/completions` (and `/chat/completions`) and
 * `GET /v1/models`; anything else is a 404.
 * @param {Script[]} scripts
 */
export async function startScriptedModel(scripts) {
	/** @type {Array<{ script: string, step: number, tools: Array<{ name: string, description: string, parameters: unknown }>, results: ToolResult[], reply: unknown }>} */
	const exchanges = [];
	const problems = [];
	let callCounter = 0;

	async function answer(body) {
		const messages = Array.isArray(body.messages) ? body.messages : [];
		const userText = messageText([...messages].reverse().find((m) => m.role === 'user')?.content);
		const script = scripts.find((candidate) => userText.includes(candidate.match));
		if (!script) throw new Error(`no script matches the user message ${JSON.stringify(userText.slice(0, 200))}`);
		// Only this turn's tool calls count: a chat session's memory may hold earlier exchanges.
		const lastUser = messages.map((m) => m.role).lastIndexOf('user');
		const sinceUser = messages.slice(lastUser + 1);
		const step = sinceUser.filter((m) => m.role === 'assistant' && (m.tool_calls ?? []).length > 0).length;
		const results = toolResults(sinceUser);
		const tools = (body.tools ?? []).map((tool) => ({
			name: tool.function?.name,
			description: tool.function?.description ?? '',
			parameters: tool.function?.parameters,
		}));
		let message;
		let finishReason;
		if (step < script.turns.length) {
			const turn = script.turns[step];
			const calls = typeof turn === 'function' ? await turn(results) : turn;
			message = {
				role: 'assistant',
				content: null,
				tool_calls: calls.map((call) => {
					const tool = tools.find((offered) => offered.name.toLowerCase().includes(call.tool.toLowerCase()));
					if (!tool) throw new Error(`script "${script.match}" step ${step}: no offered tool matches "${call.tool}" (offered: ${tools.map((t) => t.name).join(', ') || 'none'})`);
					callCounter += 1;
					return { id: `call_scripted_${callCounter}`, type: 'function', function: { name: tool.name, arguments: JSON.stringify(call.args) } };
				}),
			};
			finishReason = 'tool_calls';
		} else {
			message = { role: 'assistant', content: script.answer(results) };
			finishReason = 'stop';
		}
		exchanges.push({ script: script.match, step, tools, results, reply: message });
		return { message, finishReason };
	}

	const server = createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', async () => {
			const url = (request.url ?? '').split('?')[0];
			const send = (status, body) => {
				response.writeHead(status, { 'Content-Type': 'application/json' });
				response.end(JSON.stringify(body));
			};
			if (request.method === 'GET' && /\/models$/.test(url)) {
				send(200, { object: 'list', data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'test' }] });
				return;
			}
			if (request.method !== 'POST' || !/\/chat\/completions$/.test(url)) {
				problems.push(`unexpected ${request.method} ${url}`);
				send(404, { error: { message: `the scripted model answers POST /v1/chat/completions, not ${request.method} ${url}` } });
				return;
			}
			let body;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				const { message, finishReason } = await answer(body);
				const model = body.model ?? 'scripted-model';
				if (body.stream) {
					response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
					for (const chunk of streamChunks(model, message, finishReason)) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
					response.end('data: [DONE]\n\n');
				} else {
					send(200, completion(model, message, finishReason));
				}
			} catch (error) {
				problems.push(error.message);
				send(400, { error: { message: error.message, type: 'invalid_request_error' } });
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		/** Base URL as OpenAI clients take it (with /v1). */
		url: `http://127.0.0.1:${port}/v1`,
		exchanges,
		problems,
		/** The tool list the latest request offered. */
		lastTools: () => exchanges.at(-1)?.tools ?? [],
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
