import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
	status?: number;
	headers?: Record<string, string>;
	body?: string | Buffer | object;
	/** Close the connection without answering. */
	reset?: boolean;
}

/**
 * A loopback server that answers from a script, for tests that must send one exact documented
 * answer (every row of an error table) through the real transport. Broader behaviour is tested
 * against the sandbox.
 */
export async function startScriptedServer(reply: (request: IncomingMessage, index: number) => ScriptedReply) {
	const requests: Array<{ method: string; url: string; authorization?: string }> = [];
	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const index = requests.length;
		requests.push({ method: request.method ?? 'GET', url: request.url ?? '', authorization: request.headers.authorization });
		request.resume();
		request.on('end', () => {
			const scripted = reply(request, index);
			if (scripted.reset) {
				request.socket.destroy();
				return;
			}
			const body =
				scripted.body === undefined
					? ''
					: Buffer.isBuffer(scripted.body) || typeof scripted.body === 'string'
						? scripted.body
						: JSON.stringify(scripted.body);
			response.writeHead(scripted.status ?? 200, { 'Content-Type': 'application/json', ...scripted.headers });
			response.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
