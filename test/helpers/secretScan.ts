/**
 * Finds secrets in whatever a run produced: output items (binary data decoded), thrown errors with
 * their description, context and cause, execution hints, logger calls, request logs. Shared by the
 * security tests and the fault matrix, so "no secret anywhere" means the same thing in both.
 */
import type { Logger } from 'n8n-workflow';

import { DEMO_JPO_USER, DEMO_PATSNAP_API_KEY, DEMO_PATSNAP_CLIENT, type Sandbox } from '../../sandbox';

/** What the sandbox credentials hold that must never show: password, client secret, API key. */
export const SANDBOX_SECRETS: readonly string[] = [DEMO_JPO_USER.password, DEMO_PATSNAP_CLIENT.clientSecret, DEMO_PATSNAP_API_KEY];

/** Shorter values would match ordinary text by accident (and no real secret is this short). */
const MIN_SECRET_LENGTH = 8;

/** Nesting deeper than this is not output a node produces; stop rather than walk a huge graph. */
const MAX_DEPTH = 40;

/** The demo secrets plus every token the sandbox has handed out so far: call it after the run. */
export function sandboxSecrets(sandbox: Pick<Sandbox, 'issuedTokens'>): string[] {
	return [...SANDBOX_SECRETS, ...sandbox.issuedTokens()];
}

/** The same for a sandbox in another process (the e2e run), through its control API. */
export async function fetchSandboxSecrets(sandboxUrl: string): Promise<string[]> {
	const response = await fetch(new URL('/__sandbox/issued-tokens', sandboxUrl));
	const issued = (await response.json()) as { jpo: string[]; patsnap: string[] };
	return [...SANDBOX_SECRETS, ...issued.jpo, ...issued.patsnap];
}

/** Names a secret in a failure message without printing it. */
export function describeSecret(secret: string): string {
	return `"${secret.slice(0, 4)}…" (${secret.length} chars)`;
}

interface Needle {
	secret: string;
	forms: string[];
}

/**
 * Every place in `values` where one of `secrets` appears, as `<described secret> at <path>`; empty
 * when there is none. Strings are searched as they are and percent-encoded, buffers as bytes,
 * n8n binary data (`{ data: <base64>, mimeType }`) decoded, errors with all their own properties
 * (message, stack, description, context, cause, …), object keys as well as values.
 */
export function findSecrets(values: unknown, secrets: readonly string[]): string[] {
	const needles: Needle[] = [...new Set(secrets)]
		.filter((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH)
		.map((secret) => ({ secret, forms: [...new Set([secret, encodeURIComponent(secret)])] }));
	const found: string[] = [];
	const seen = new WeakSet<object>();

	const searchText = (text: string, path: string) => {
		for (const { secret, forms } of needles) {
			if (forms.some((form) => text.includes(form))) found.push(`${describeSecret(secret)} at ${path}`);
		}
	};

	const walk = (value: unknown, path: string, depth: number): void => {
		if (typeof value === 'string') return searchText(value, path);
		if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return;
		if (seen.has(value)) return;
		seen.add(value);
		if (value instanceof Uint8Array) return searchText(Buffer.from(value).toString('latin1'), path);
		if (value instanceof ArrayBuffer) return searchText(Buffer.from(value).toString('latin1'), path);
		if (value instanceof Map) {
			for (const [key, inner] of value) {
				walk(key, `${path}<key>`, depth + 1);
				walk(inner, `${path}.get(${String(key)})`, depth + 1);
			}
			return;
		}
		if (value instanceof Set || Array.isArray(value)) {
			[...value].forEach((inner, index) => walk(inner, `${path}[${index}]`, depth + 1));
			return;
		}
		const record = value as Record<string, unknown>;
		if (typeof record.data === 'string' && typeof record.mimeType === 'string') {
			searchText(Buffer.from(record.data, 'base64').toString('latin1'), `${path}.data(decoded)`);
		}
		// Own property names include an error's non-enumerable message, stack and cause.
		const keys = value instanceof Error ? [...new Set([...Object.getOwnPropertyNames(value), 'description', 'context', 'cause'])] : Object.keys(value);
		for (const key of keys) {
			searchText(key, `${path}<key ${key.slice(0, 20)}>`);
			walk(record[key], `${path}.${key}`, depth + 1);
		}
	};

	walk(values, '$', 0);
	return found;
}

/** A Logger that keeps every call, for tests that scan what a node logged. */
export function createRecordingLogger(): { logger: Logger; calls: Array<{ level: string; message: unknown; meta: unknown }> } {
	const calls: Array<{ level: string; message: unknown; meta: unknown }> = [];
	const record = (level: string) => (message: unknown, meta?: unknown) => {
		calls.push({ level, message, meta });
	};
	const logger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } as unknown as Logger;
	return { logger, calls };
}
