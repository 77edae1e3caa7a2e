import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createDataSet, type SandboxData } from '../data';
import { JpoApi } from '../jpo';
import { envelope, opdEnvelope } from '../jpo/envelope';
import { PatsnapApi } from '../patsnap';
import { fail } from '../patsnap/errors';
import type { Clock } from './clock';
import { clone, deepMerge, defaultConfig, type DeepPartial, type SandboxConfig } from './config';
import { handleControl } from './control';
import { DownloadStore } from './downloads';
import { FaultEngine, type FaultRule } from './faults';
import { ForeignHost, type KnownSecret } from './foreignHost';
import { authorizationKind, json, text, type RequestContext, type SandboxResponse } from './http';
import { Recorder, type ApiName } from './recorder';

const MAX_BODY = 1024 * 1024;

/** Query keys whose values are secrets or capabilities and must not reach the request log. */
const SECRET_QUERY_KEYS = new Set(['password', 'client_secret', 'refresh_token', 'access_token', 'token', 'q-signature']);

/**
 * Owns the HTTP server, configuration, data set and the cross-cutting machinery (faults,
 * recording); the two API emulations only see a RequestContext.
 */
export class SandboxServer {
	readonly recorder = new Recorder();
	readonly faults: FaultEngine;
	readonly downloads: DownloadStore;
	readonly jpo: JpoApi;
	readonly patsnap: PatsnapApi;
	/** The other origin redirect faults send clients to; see foreignHost.ts. */
	readonly foreignHost = new ForeignHost(() => this.knownSecrets());
	config: SandboxConfig;
	data: SandboxData;
	private tokenCalls: Record<ApiName, number> = { jpo: 0, patsnap: 0 };
	private readonly initialConfig: SandboxConfig;
	private server: Server | null = null;
	baseUrl = '';

	constructor(
		readonly clock: Clock,
		config: DeepPartial<SandboxConfig> = {},
	) {
		this.initialConfig = deepMerge(defaultConfig(), config);
		this.config = clone(this.initialConfig);
		this.data = createDataSet(this.config.seed);
		this.faults = new FaultEngine(() => this.config.seed);
		this.downloads = new DownloadStore(clock);
		this.jpo = new JpoApi({ clock, config: () => this.config.jpo, data: () => this.data.jpo, downloads: this.downloads });
		this.patsnap = new PatsnapApi({ clock, config: () => this.config.patsnap, data: () => this.data.patsnap });
	}

	async listen(port: number): Promise<void> {
		this.server = createServer((req, res) => {
			this.dispatch(req, res).catch((err: Error) => {
				if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end(`sandbox error: ${err.message}`);
			});
		});
		// Keep-alive sockets would hold close() open in tests.
		this.server.keepAliveTimeout = 1000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		await this.foreignHost.listen();
	}

	async close(): Promise<void> {
		const s = this.server;
		if (!s) return;
		this.server = null;
		await this.foreignHost.close();
		await new Promise<void>((resolve) => {
			s.close(() => resolve());
			s.closeAllConnections();
		});
	}

	reset(): void {
		this.config = clone(this.initialConfig);
		this.data = createDataSet(this.config.seed);
		this.faults.clear();
		this.recorder.clear();
		this.downloads.clear();
		this.jpo.reset();
		this.patsnap.reset();
		this.tokenCalls = { jpo: 0, patsnap: 0 };
		this.foreignHost.clear();
	}

	configure(partial: DeepPartial<SandboxConfig>): SandboxConfig {
		this.config = deepMerge(this.config, partial);
		return clone(this.config);
	}

	tokenFetches(api: ApiName): number {
		return this.tokenCalls[api];
	}

	/** Every token handed out since the sandbox started; reset() does not forget them. */
	issuedTokens(api?: ApiName): string[] {
		const jpo = api === 'patsnap' ? [] : this.jpo.auth.issuedTokens();
		const patsnap = api === 'jpo' ? [] : this.patsnap.auth.issuedTokens();
		return [...jpo, ...patsnap];
	}

	/** What must never leave the sandbox's two APIs: passwords, secrets, keys and issued tokens. */
	knownSecrets(): KnownSecret[] {
		return [
			...this.config.jpo.users.map((user) => ({ label: 'JPO password', value: user.password })),
			...this.config.patsnap.clients.map((client) => ({ label: 'PatSnap client secret', value: client.clientSecret })),
			// Not secret on its own, but it is the credential PatSnap pairs with every token.
			...this.config.patsnap.clients.map((client) => ({ label: 'PatSnap client ID', value: client.clientId })),
			...this.config.patsnap.apiKeys.map((key) => ({ label: 'PatSnap API key', value: key })),
			...this.jpo.auth.issuedTokens().map((token) => ({ label: 'JPO token', value: token })),
			...this.patsnap.auth.issuedTokens().map((token) => ({ label: 'PatSnap token', value: token })),
		];
	}

	private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.baseUrl);
		const method = (req.method ?? 'GET').toUpperCase();
		const body = await readBody(req);
		if (url.pathname.startsWith('/__sandbox/')) {
			return send(res, await handleControl(this, method, url, body));
		}
		const api: ApiName | null = JpoApi.owns(url.pathname) ? 'jpo' : PatsnapApi.owns(url.pathname) ? 'patsnap' : null;
		if (!api) return send(res, json(404, { error: 'not_found', message: `No sandbox route for ${method} ${url.pathname}` }));

		const ctx: RequestContext = {
			method,
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body,
			baseUrl: this.baseUrl,
			meta: { api, kind: 'data', endpoint: 'unknown', credential: null, authorization: authorizationKind(req.headers), resultCode: null, batchSize: null, billed: null },
		};
		const at = this.clock.now();
		const fault = this.faults.pick({ api, path: url.pathname, method });
		let response: SandboxResponse | null = null;
		if (fault) response = await this.applyPreFault(fault, ctx);
		if (fault?.kind === 'reset') {
			this.record(ctx, at, 0, fault.kind);
			req.socket.destroy();
			return;
		}
		if (!response) response = await (api === 'jpo' ? this.jpo.handle(ctx) : this.patsnap.handle(ctx));
		if (ctx.meta.kind === 'token') this.tokenCalls[api] += 1;
		if (fault && (fault.kind === 'malformedJson' || fault.kind === 'truncatedZip')) response = await truncate(response);
		this.record(ctx, at, response.status, fault?.kind ?? null);
		send(res, response);
	}

	/** Faults act before normal handling; some answer by themselves, others only set the stage. */
	private async applyPreFault(rule: FaultRule, ctx: RequestContext): Promise<SandboxResponse | null> {
		classify(ctx);
		switch (rule.kind) {
			case 'latency':
				await new Promise((r) => setTimeout(r, rule.ms ?? 1000));
				return null;
			case 'expireTokens':
				this.jpo.auth.expireAll();
				this.patsnap.auth.expireAll();
				return null;
			case 'http5xx':
				return text(rule.status ?? 503, 'Service Unavailable');
			case 'http429': {
				const res = json(429, { message: 'Too Many Requests' });
				if (rule.retryAfter !== undefined) res.headers['Retry-After'] = String(rule.retryAfter);
				return res;
			}
			case 'jpoStatus': {
				const code = String(rule.code ?? '999');
				ctx.meta.resultCode = code;
				return ctx.path.startsWith('/opdapi/') ? opdEnvelope(code, null) : envelope(code, null);
			}
			case 'patsnapError': {
				const code = Number(rule.code ?? 68300008);
				ctx.meta.resultCode = code;
				return fail(code);
			}
			case 'redirect': {
				const search = ctx.query.toString();
				const location = rule.location ?? `${this.foreignHost.url}${ctx.path}${search ? `?${search}` : ''}`;
				return { status: rule.status ?? 302, headers: { Location: location, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('Moved') };
			}
			default:
				return null;
		}
	}

	private record(ctx: RequestContext, at: number, httpStatus: number, fault: string | null): void {
		const query: Record<string, string> = {};
		for (const [k, v] of ctx.query) {
			query[k] = SECRET_QUERY_KEYS.has(k) || (k === 'apikey' && v.startsWith('sk-')) ? '[redacted]' : v;
		}
		this.recorder.add({ at, method: ctx.method, path: ctx.path, query, httpStatus, fault, ...ctx.meta });
	}
}

/** Endpoint and kind for requests a fault answers before any handler saw them. */
function classify(ctx: RequestContext): void {
	const p = ctx.path;
	if (p === '/auth/token' || p === '/oauth/token') {
		ctx.meta.kind = 'token';
		ctx.meta.endpoint = 'token';
	} else if (p.startsWith('/__download/') || p.startsWith('/__pdf/')) {
		ctx.meta.kind = 'download';
		ctx.meta.endpoint = p.startsWith('/__pdf/') ? 'pdf' : 'download';
	} else if (p.startsWith('/api/')) {
		ctx.meta.endpoint = p.split('/').slice(2, 5).filter((_, i) => i !== 1).join('/');
	} else if (p.startsWith('/opdapi/')) {
		ctx.meta.endpoint = `opd/${p.split('/')[4] ?? ''}`;
	} else {
		ctx.meta.endpoint = p;
	}
}

/** Cuts an answer in half (streams included), keeping headers consistent with what is sent. */
async function truncate(res: SandboxResponse): Promise<SandboxResponse> {
	if (Buffer.isBuffer(res.body)) return { ...res, body: res.body.subarray(0, Math.floor(res.body.length / 2)) };
	const limit = Math.floor(res.body.length / 2);
	const parts: Buffer[] = [];
	let size = 0;
	for await (const chunk of res.body.stream()) {
		parts.push(Buffer.from(chunk));
		size += chunk.length;
		if (size >= limit) break;
	}
	return { ...res, body: Buffer.concat(parts).subarray(0, limit) };
}

function send(res: ServerResponse, r: SandboxResponse): void {
	if (Buffer.isBuffer(r.body)) {
		res.writeHead(r.status, { ...r.headers, 'Content-Length': String(r.body.length) });
		res.end(r.body);
		return;
	}
	res.writeHead(r.status, r.headers);
	Readable.from(r.body.stream()).pipe(res);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY) break;
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}
