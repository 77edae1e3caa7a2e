import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A value the sandbox knows to be secret, and how to name it without showing it. */
export interface KnownSecret {
	label: string;
	value: string;
}

export interface ForeignRequest {
	seq: number;
	method: string;
	/** The Host header as the client sent it. */
	host: string;
	path: string;
	/** Query parameters; a value that holds a known secret is replaced by '[redacted]'. */
	query: Record<string, string>;
	authorization: 'bearer' | 'basic' | 'none' | 'other';
	headerNames: string[];
	bodyBytes: number;
	/**
	 * Labels of the known secrets found anywhere in the request: URL, every header (Basic auth
	 * decoded) and body. The values themselves are never kept, so this log is safe to print.
	 */
	secretsSeen: string[];
}

const MAX_BODY = 1024 * 1024;

/**
 * A second origin (`http://localhost:<port>`, while the APIs answer on `http://127.0.0.1:<port>`)
 * that the `redirect` fault points at by default. It stands for a host the user never chose: it
 * answers every request with a harmless JSON body and records what reached it, so tests can prove
 * that no token, key or password followed a redirect there.
 */
export class ForeignHost {
	private server: Server | null = null;
	private log: ForeignRequest[] = [];
	private seq = 0;
	url = '';

	constructor(private readonly knownSecrets: () => KnownSecret[]) {}

	async listen(): Promise<void> {
		this.server = createServer((req, res) => {
			this.receive(req, res).catch(() => {
				if (!res.headersSent) res.writeHead(500);
				res.end();
			});
		});
		this.server.keepAliveTimeout = 1000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(0, '127.0.0.1', () => resolve());
		});
		// Same machine, other host name: a different origin for every HTTP client.
		this.url = `http://localhost:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = null;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	requests(): ForeignRequest[] {
		return this.log.map((entry) => ({ ...entry, query: { ...entry.query }, headerNames: [...entry.headerNames], secretsSeen: [...entry.secretsSeen] }));
	}

	clear(): void {
		this.log = [];
	}

	private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size <= MAX_BODY) chunks.push(chunk as Buffer);
		}
		const body = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://foreign.invalid');
		const secrets = this.knownSecrets().filter((secret) => secret.value.length > 0);
		const headerText = Object.entries(req.headers)
			.map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`)
			.join('\n');
		const searchable = [req.url ?? '', safeDecode(req.url ?? ''), headerText, decodedBasic(req.headers.authorization), body].join('\n');
		const query: Record<string, string> = {};
		for (const [key, value] of url.searchParams) {
			query[key] = secrets.some((secret) => value.includes(secret.value)) ? '[redacted]' : value;
		}
		this.seq += 1;
		this.log.push({
			seq: this.seq,
			method: req.method ?? 'GET',
			host: req.headers.host ?? '',
			path: url.pathname,
			query,
			authorization: authorizationScheme(req.headers.authorization),
			headerNames: Object.keys(req.headers),
			bodyBytes: size,
			secretsSeen: [...new Set(secrets.filter((secret) => searchable.includes(secret.value)).map((secret) => secret.label))],
		});
		res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify({ foreignHost: true, message: 'Not the API: a redirect sent this request to another host.' }));
	}
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

function decodedBasic(header: string | undefined): string {
	const match = header ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
	return match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
}

function authorizationScheme(header: string | undefined): ForeignRequest['authorization'] {
	const value = header?.trim() ?? '';
	if (value === '') return 'none';
	if (/^Bearer\s/i.test(value)) return 'bearer';
	if (/^Basic\s/i.test(value)) return 'basic';
	return 'other';
}
