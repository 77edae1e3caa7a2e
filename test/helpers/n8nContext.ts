/**
 * A minimal n8n execution context for unit tests. Requests are real HTTP (they reach the sandbox),
 * and `httpRequestWithAuthentication` follows n8n 2.41's credential helper step by step
 * (n8n-core request-helpers/authentication.js and n8n's credentials-helper.js): run
 * `preAuthentication` when the expirable field is empty, persist what it returns, apply
 * `authenticate`, and on a thrown 401 renew once and retry once. The real-n8n suite (scripts/e2e.mjs)
 * checks the same behaviour against n8n itself.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	NodeExecutionHint,
} from 'n8n-workflow';

import { JpoApi } from '../../credentials/JpoApi.credentials';
import { PatSnapApi } from '../../credentials/PatSnapApi.credentials';

const credentialTypes: Record<string, ICredentialType> = { jpoApi: new JpoApi(), patSnapApi: new PatSnapApi() };

/** n8n sends requests with axios; translate fetch's (undici's) error codes to the ones axios reports. */
function axiosCode(error: unknown, fallback: string): string {
	const code = (error as { cause?: { code?: string } }).cause?.code;
	if (!code) return fallback;
	return code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' ? 'ECONNRESET' : code;
}

export class HttpStatusError extends Error {
	constructor(
		readonly response: { status: number; headers: Record<string, string>; body: Buffer },
	) {
		super(`Request failed with status code ${response.status}`);
	}
}

function buildUrl(options: IHttpRequestOptions): string {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
	}
	return url.toString();
}

/** The subset of n8n's httpRequest our code uses, with n8n's error and option semantics. */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = String(value);
	if (options.auth) {
		headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
	}
	let body: string | undefined;
	const contentType = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1];
	if (options.body !== undefined && options.method !== 'GET') {
		body =
			contentType === 'application/x-www-form-urlencoded'
				? new URLSearchParams(options.body as Record<string, string>).toString()
				: typeof options.body === 'string'
					? options.body
					: JSON.stringify(options.body);
		if (!contentType) headers['Content-Type'] = 'application/json';
	}
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), options.timeout ?? 60_000);
	let response: Response;
	try {
		response = await fetch(buildUrl(options), {
			method: options.method ?? 'GET',
			headers,
			body,
			redirect: 'manual',
			signal: controller.signal,
		});
	} catch (error) {
		const code = axiosCode(error, 'ECONNABORTED');
		throw Object.assign(new Error(`request failed: ${code}`), { code });
	} finally {
		clearTimeout(timer);
	}
	let buffer: Buffer;
	try {
		buffer = Buffer.from(await response.arrayBuffer());
	} catch (error) {
		throw Object.assign(new Error('response aborted'), { code: axiosCode(error, 'ECONNRESET') });
	}
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((value, key) => (responseHeaders[key] = value));
	const ignore = options.ignoreHttpStatusErrors;
	const ignored =
		ignore === true || (typeof ignore === 'object' && ignore.ignore && !ignore.except.includes(response.status));
	if (response.status >= 400 && !ignored) {
		throw new HttpStatusError({ status: response.status, headers: responseHeaders, body: buffer });
	}
	let parsed: unknown = buffer;
	if (options.encoding !== 'arraybuffer') {
		const text = buffer.toString('utf8');
		try {
			parsed = options.json || responseHeaders['content-type']?.includes('json') ? JSON.parse(text) : text;
		} catch {
			parsed = text;
		}
	}
	return options.returnFullResponse
		? { body: parsed, headers: responseHeaders, statusCode: response.status, statusMessage: response.statusText }
		: parsed;
}

function resolveCredentialExpression(template: string, credentials: ICredentialDataDecryptedObject): string {
	const text = template.startsWith('=') ? template.slice(1) : template;
	return text.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, name: string) => String(credentials[name] ?? ''));
}

async function authenticate(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const auth = type.authenticate;
	if (typeof auth === 'function') return await auth(credentials, options);
	if (!auth) return options;
	const headers: IDataObject = { ...options.headers };
	for (const [key, value] of Object.entries(auth.properties.headers ?? {})) {
		headers[key] = resolveCredentialExpression(String(value), credentials);
	}
	return { ...options, headers };
}

export interface CredentialStore {
	/** What n8n keeps in its database, including tokens written back by preAuthentication. */
	records: Record<string, ICredentialDataDecryptedObject>;
	preAuthenticationCalls: Record<string, number>;
}

async function preAuthentication(
	store: CredentialStore,
	typeName: string,
	credentials: ICredentialDataDecryptedObject,
	expired: boolean,
): Promise<void> {
	const type = credentialTypes[typeName];
	const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable);
	if (!expirable || typeof type.preAuthentication !== 'function') return;
	if (credentials[expirable.name] !== '' && !expired) return;
	store.preAuthenticationCalls[typeName] = (store.preAuthenticationCalls[typeName] ?? 0) + 1;
	const output = await type.preAuthentication.call({ helpers: { httpRequest } } as never, credentials);
	if (!output || output[expirable.name] === undefined) return;
	store.records[typeName] = { ...store.records[typeName], ...(output as ICredentialDataDecryptedObject) };
	Object.assign(credentials, output);
}

export async function httpRequestWithAuthentication(
	store: CredentialStore,
	typeName: string,
	options: IHttpRequestOptions,
	additional?: { credentialsDecrypted?: { data?: ICredentialDataDecryptedObject } },
): Promise<unknown> {
	const type = credentialTypes[typeName];
	const credentials = additional?.credentialsDecrypted?.data ?? { ...store.records[typeName] };
	try {
		await preAuthentication(store, typeName, credentials, false);
		return await httpRequest(await authenticate(type, credentials, options));
	} catch (error) {
		if (error instanceof HttpStatusError && error.response.status === 401) {
			await preAuthentication(store, typeName, credentials, true);
			return await httpRequest(await authenticate(type, credentials, options));
		}
		throw error;
	}
}

export interface RunOptions {
	node: INodeType;
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: INodeExecutionData[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	store?: CredentialStore;
	continueOnFail?: boolean;
}

export function newCredentialStore(records: Record<string, ICredentialDataDecryptedObject>): CredentialStore {
	const copy: Record<string, ICredentialDataDecryptedObject> = {};
	for (const [name, data] of Object.entries(records)) copy[name] = { ...data };
	return { records: copy, preAuthenticationCalls: {} };
}

export function createExecuteContext(options: RunOptions): IExecuteFunctions & { store: CredentialStore; hints: NodeExecutionHint[] } {
	const store = options.store ?? newCredentialStore(options.credentials);
	const items = options.items ?? [{ json: {} }];
	const parameterFor = (itemIndex: number) =>
		typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;
	const node = {
		id: 'node-under-test',
		name: 'Node under test',
		type: 'n8n-nodes-jpo-patsnap.test',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
		credentials: Object.fromEntries(Object.keys(store.records).map((name) => [name, { id: `${name}-id`, name }])),
	};
	const hints: NodeExecutionHint[] = [];
	const context = {
		store,
		hints,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async (type: string) => ({ ...store.records[type] }),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = parameterFor(itemIndex)[name];
			return value === undefined ? fallback : value;
		},
		helpers: {
			httpRequest,
			httpRequestWithAuthentication(this: unknown, type: string, requestOptions: IHttpRequestOptions, additional?: never) {
				return httpRequestWithAuthentication(store, type, requestOptions, additional);
			},
			prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string) => ({
				data: buffer.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
				fileSize: String(buffer.length),
			}),
		},
	};
	return context as unknown as IExecuteFunctions & { store: CredentialStore; hints: NodeExecutionHint[] };
}

export async function runNode(options: RunOptions) {
	const context = createExecuteContext(options);
	const output = (await options.node.execute!.call(context)) as INodeExecutionData[][];
	return { output: output[0], store: context.store, hints: context.hints };
}
