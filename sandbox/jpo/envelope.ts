import { json, text, type SandboxResponse } from '../core/http';
import { statusInfo } from './status';

/**
 * The JSON envelope of every domestic answer (NOTES §3.1). `data` is `{}` on errors and omitted
 * for 108, like the official example.
 */
export function envelope(code: string, remaining: number | null, data?: unknown): SandboxResponse {
	const info = statusInfo(code);
	const result: Record<string, unknown> = {
		statusCode: code,
		errorMessage: info.message,
		remainAccessCount: info.showsRemaining && remaining !== null ? String(remaining) : '',
	};
	if (code === '100') result.data = data ?? {};
	else if (code !== '108') result.data = {};
	return json(info.http, { result });
}

/** OPD answers are XML with the same status fields at the top (NOTES §2.4). */
export function opdEnvelope(code: string, remaining: number | null, payload = ''): SandboxResponse {
	const info = statusInfo(code);
	const remain = info.showsRemaining && remaining !== null ? String(remaining) : '';
	const message = info.message ? `<errorMessage>${escapeXml(info.message)}</errorMessage>` : '<errorMessage/>';
	const remainTag = remain ? `<remainAccessCount>${remain}</remainAccessCount>` : '<remainAccessCount/>';
	const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<api-data xmlns="https://www.jpo.go.jp"><statusCode>${code}</statusCode>${message}${remainTag}${payload}</api-data>\n`;
	const res = text(info.http, xml, 'application/xml; charset=utf-8');
	return res;
}

export function escapeXml(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Recursively turns every scalar into a string ('' for null/undefined): the API never sends
 * numbers or nulls, and the node must be tested against exactly that.
 */
export function stringify(value: unknown): unknown {
	if (value === null || value === undefined) return '';
	if (Array.isArray(value)) return value.map(stringify);
	if (typeof value === 'object') {
		return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, stringify(v)]));
	}
	return String(value);
}
