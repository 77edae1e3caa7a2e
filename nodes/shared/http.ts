import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

/** An answer as the transport sees it: status, headers and the raw bytes, whatever the API sent. */
export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** The request never got an HTTP answer, or the credential helper gave up after renewing once. */
export class TransportError extends Error {
	constructor(
		message: string,
		readonly httpStatus?: number,
		/** Node.js network error code such as ECONNRESET, when there is one. */
		readonly networkCode?: string,
		/** The credential's own login call failed (wrong password, unreachable token URL). */
		readonly duringLogin = false,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

export type RequestContext = IExecuteFunctions | IPollFunctions;

/**
 * Sends one request through n8n's credential machinery. The transport always passes its own copy
 * of the decrypted credential: n8n's pre-authentication writes a renewed token into that object and
 * into the database, so every later request of the run reuses it instead of logging in again.
 */
export type SendRequest = (
	options: IHttpRequestOptions,
	credentials: CredentialHandle,
) => Promise<RawResponse>;

export interface CredentialHandle {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

export async function loadCredentialHandle(
	context: RequestContext,
	type: string,
): Promise<CredentialHandle> {
	const reference = context.getNode().credentials?.[type];
	const data = await context.getCredentials(type);
	return { id: reference?.id ?? '', name: reference?.name ?? type, type, data: { ...data } };
}

/**
 * Empties the cached token when it expires within `marginMs`: an empty expirable field is n8n's cue
 * to run the credential's pre-authentication before the request, so no call is spent on a 401.
 */
export function clearTokenIfExpiring(credentials: CredentialHandle, nowMs: number, marginMs: number): void {
	const data = credentials.data;
	const expiresAt = Number(data.accessTokenExpiresAt ?? 0);
	if (data.accessToken && expiresAt && expiresAt - nowMs < marginMs) data.accessToken = '';
}

interface ErrorLike {
	message?: string;
	code?: string;
	httpCode?: string | null;
	response?: { status?: number };
	cause?: unknown;
	credentialLoginFailure?: boolean;
}

/** Digs the HTTP status or network code out of whatever n8n's helper wrapped around the failure. */
function describeFailure(error: unknown): TransportError {
	let status: number | undefined;
	let networkCode: string | undefined;
	let duringLogin = false;
	let loginMessage: string | undefined;
	const seen = new Set<unknown>();
	for (let current = error as ErrorLike | undefined; current && !seen.has(current); ) {
		seen.add(current);
		if (current.credentialLoginFailure) {
			duringLogin = true;
			loginMessage = current.message;
		}
		status ??= current.response?.status ?? (current.httpCode ? Number(current.httpCode) : undefined);
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) networkCode ??= current.code;
		current = current.cause as ErrorLike | undefined;
	}
	if (status !== undefined && Number.isNaN(status)) status = undefined;
	const message = loginMessage ?? (networkCode ? `network error ${networkCode}` : status ? `HTTP ${status}` : 'request failed');
	return new TransportError(message, status, networkCode, duringLogin);
}

/** The one place that touches n8n's HTTP helper; every request of both APIs passes here. */
export function n8nSender(context: RequestContext): SendRequest {
	return async (options, credentials) => {
		let response: IN8nHttpFullResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				credentials.type,
				{
					...options,
					returnFullResponse: true,
					encoding: 'arraybuffer',
					// 401 must still throw: that is n8n's signal to renew the token and retry once.
					ignoreHttpStatusErrors: { ignore: true, except: [401] },
					// A redirect to another host must never carry our bearer token.
					sendCredentialsOnCrossOriginRedirect: false,
				},
				{ credentialsDecrypted: credentials },
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw describeFailure(error);
		}
		const body = response.body;
		return {
			status: response.statusCode,
			headers: response.headers as RawResponse['headers'],
			body: toBuffer(body),
		};
	};
}

function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body);
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(JSON.stringify(body));
}

export function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/**
 * Downloads a pre-signed link (JPO's over-10 MB archives, PatSnap's document PDFs) with no
 * credential at all: the link carries its own signature, and a bearer header would both leak the
 * token to a third-party host and make S3 refuse the request.
 */
export type FetchUnauthenticated = (url: string, timeoutMs: number) => Promise<RawResponse>;

export function n8nPlainFetcher(context: RequestContext): FetchUnauthenticated {
	return async (url, timeoutMs) => {
		try {
			const response = (await context.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timeoutMs,
			})) as IN8nHttpFullResponse;
			return {
				status: response.statusCode,
				headers: response.headers as RawResponse['headers'],
				body: toBuffer(response.body),
			};
		} catch (error) {
			throw describeFailure(error);
		}
	};
}
