import type { IncomingHttpHeaders } from 'node:http';
import type { ApiName, RecordedRequest } from './recorder';

/** Body of an answer: a buffer, or a stream for archives too large to hold in memory. */
export type ResponseBody = Buffer | { stream: () => AsyncIterable<Uint8Array>; length: number };

export interface SandboxResponse {
	status: number;
	headers: Record<string, string>;
	body: ResponseBody;
}

/** What the recorder needs to know; handlers fill it in as they learn it. */
export interface RequestMeta {
	api: ApiName;
	kind: RecordedRequest['kind'];
	endpoint: string;
	credential: string | null;
	authorization: RecordedRequest['authorization'];
	resultCode: string | number | null;
	batchSize: number | null;
	billed: number | null;
}

export interface RequestContext {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** Base URL of the sandbox, for links it hands out. */
	baseUrl: string;
	meta: RequestMeta;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
	return {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
		body: Buffer.from(JSON.stringify(value), 'utf8'),
	};
}

export function text(status: number, value: string, contentType = 'text/plain; charset=utf-8'): SandboxResponse {
	return { status, headers: { 'Content-Type': contentType }, body: Buffer.from(value, 'utf8') };
}

export function binary(contentType: string, data: Uint8Array, headers: Record<string, string> = {}): SandboxResponse {
	return { status: 200, headers: { 'Content-Type': contentType, ...headers }, body: Buffer.from(data) };
}

export function bearerToken(headers: IncomingHttpHeaders): string | null {
	const h = headers.authorization;
	if (!h) return null;
	const m = /^Bearer\s+(.+)$/i.exec(h.trim());
	return m ? m[1].trim() : null;
}

export function basicCredentials(headers: IncomingHttpHeaders): { user: string; pass: string } | null {
	const h = headers.authorization;
	const m = h ? /^Basic\s+(.+)$/i.exec(h.trim()) : null;
	if (!m) return null;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const i = decoded.indexOf(':');
	if (i < 0) return null;
	return { user: decodeURIComponent(decoded.slice(0, i)), pass: decodeURIComponent(decoded.slice(i + 1)) };
}

export function authorizationKind(headers: IncomingHttpHeaders): RecordedRequest['authorization'] {
	const h = headers.authorization?.trim() ?? '';
	if (/^Bearer\s/i.test(h)) return 'bearer';
	if (/^Basic\s/i.test(h)) return 'basic';
	return 'none';
}

export function parseForm(body: Buffer): URLSearchParams {
	return new URLSearchParams(body.toString('utf8'));
}

export function parseJsonBody(body: Buffer): Record<string, unknown> | null {
	if (body.length === 0) return {};
	try {
		const v: unknown = JSON.parse(body.toString('utf8'));
		return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
