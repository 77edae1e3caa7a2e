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
		/** That login failed because the token endpoint was busy or down, not because of the credential. */
		readonly loginTransient = false,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

/**
 * The API answered with a redirect to another origin. It is not followed: the bearer token, the
 * `apikey` query parameter and the request body would all go on to a host the user never chose.
 */
export class CrossOriginRedirectError extends TransportError {
	constructor(
		/** Scheme, host and port only: the full Location may itself carry signatures or our query. */
		readonly targetOrigin: string,
		httpStatus: number,
	) {
		super(`HTTP ${httpStatus} redirect to ${targetOrigin}`, httpStatus);
		this.name = 'CrossOriginRedirectError';
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
 * Reads the credential again. n8n keeps a renewed token in its database, so this is how a process
 * picks up the token another one has just renewed (see tokenRenewal.ts).
 */
export function credentialReloader(context: RequestContext, type: string): () => Promise<ICredentialDataDecryptedObject> {
	return async () => ({ ...(await context.getCredentials(type)) });
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
	credentialLoginTransient?: boolean;
}

/**
 * Digs the HTTP status or network code out of whatever n8n's helper wrapped around the failure.
 * `loginRan`: the token was empty before the call and still is, so n8n ran the credential's
 * pre-authentication and it did not finish.
 */
function describeFailure(error: unknown, loginRan = false): TransportError {
	let status: number | undefined;
	let networkCode: string | undefined;
	let duringLogin = false;
	let loginTransient = false;
	let loginMessage: string | undefined;
	const seen = new Set<unknown>();
	for (let current = error as ErrorLike | undefined; current && !seen.has(current); ) {
		seen.add(current);
		if (current.credentialLoginFailure) {
			duringLogin = true;
			loginTransient = current.credentialLoginTransient === true;
			loginMessage = current.message;
		}
		status ??= current.response?.status ?? (current.httpCode ? Number(current.httpCode) : undefined);
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) networkCode ??= current.code;
		current = current.cause as ErrorLike | undefined;
	}
	if (status !== undefined && Number.isNaN(status)) status = undefined;
	// n8n 1.x's NodeApiError drops an Error cause (a class field resets it), and with it the login
	// marker; its message is the login's own. 2.x keeps the cause, so this never applies there.
	if (!duringLogin && loginRan && status === undefined && networkCode === undefined && (error as ErrorLike)?.cause === undefined) {
		duringLogin = true;
		loginMessage = (error as ErrorLike).message;
	}
	const message = loginMessage ?? (networkCode ? `network error ${networkCode}` : status ? `HTTP ${status}` : 'request failed');
	return new TransportError(message, status, networkCode, duringLogin, loginTransient);
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Neither API documents a redirect; a few same-origin hops cover a trailing-slash or path move. */
const MAX_SAME_ORIGIN_REDIRECTS = 5;

/**
 * The one place that touches n8n's HTTP helper; every request of both APIs passes here.
 *
 * n8n 2.41 follows redirects itself and, unless told otherwise, copies the Authorization header to
 * any host a Location names; even with `sendCredentialsOnCrossOriginRedirect: false` it still sends
 * the query string the server chose and, on 307/308, the body. So redirects are not left to n8n:
 * same-origin ones are followed here (the credential is applied again on each hop), any other one
 * fails with CrossOriginRedirectError before a byte goes to the other host.
 */
export function n8nSender(context: RequestContext): SendRequest {
	return async (options, credentials) => {
		let request = options;
		for (let redirects = 0; ; redirects++) {
			const response = await sendOnce(context, request, credentials);
			const location = REDIRECT_STATUSES.has(response.status) ? headerValue(response.headers, 'location') : undefined;
			if (!location) return response;
			const target = resolveRedirect(location, request.url);
			if (!target) throw new TransportError('redirect to an address that cannot be read', response.status);
			if (target.origin !== new URL(options.url).origin) throw new CrossOriginRedirectError(target.origin, response.status);
			if (redirects >= MAX_SAME_ORIGIN_REDIRECTS) {
				throw new TransportError(`more than ${MAX_SAME_ORIGIN_REDIRECTS} redirects`, response.status);
			}
			request = redirectedRequest(request, response.status, target.href);
		}
	};
}

/**
 * n8n 1.x reads `ignoreHttpStatusErrors` as a plain flag, so a 401 comes back as an answer instead
 * of making n8n renew the token. Do what 2.x does, once: empty the cached token (n8n's cue to run
 * the credential's pre-authentication) and send again; a second 401 fails as it would in 2.x.
 * In 2.x a 401 always throws inside sendThroughN8n, so this path never runs there.
 */
async function sendOnce(context: RequestContext, options: IHttpRequestOptions, credentials: CredentialHandle): Promise<RawResponse> {
	const response = await sendThroughN8n(context, options, credentials);
	if (response.status !== 401) return response;
	credentials.data.accessToken = '';
	const repeated = await sendThroughN8n(context, options, credentials);
	if (repeated.status === 401) throw new TransportError('HTTP 401', 401);
	return repeated;
}

async function sendThroughN8n(context: RequestContext, options: IHttpRequestOptions, credentials: CredentialHandle): Promise<RawResponse> {
	const tokenWasEmpty = !credentials.data.accessToken;
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			credentials.type,
			{
				...options,
				returnFullResponse: true,
				encoding: 'arraybuffer',
				// 401 must still throw: that is n8n's signal to renew the token and retry once
				// (n8n 2.x; for 1.x see sendOnce).
				ignoreHttpStatusErrors: { ignore: true, except: [401] },
				disableFollowRedirect: true,
				// Only matters if a future n8n ignored disableFollowRedirect.
				sendCredentialsOnCrossOriginRedirect: false,
			},
			{ credentialsDecrypted: credentials },
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw describeFailure(error, tokenWasEmpty && !credentials.data.accessToken);
	}
	return {
		status: response.statusCode,
		headers: response.headers as RawResponse['headers'],
		body: toBuffer(response.body),
	};
}

function resolveRedirect(location: string, currentUrl: string): URL | undefined {
	try {
		return new URL(location, currentUrl);
	} catch {
		return undefined;
	}
}

/** The next hop as a browser would send it: 303, and 301/302 after a POST, become a plain GET. */
function redirectedRequest(request: IHttpRequestOptions, status: number, url: string): IHttpRequestOptions {
	const rest = { ...request };
	// The Location carries the query the server wants; ours would be appended a second time.
	delete rest.qs;
	const becomesGet = status === 303 || ((status === 301 || status === 302) && request.method === 'POST');
	if (!becomesGet) return { ...rest, url };
	const headers = Object.fromEntries(Object.entries(rest.headers ?? {}).filter(([name]) => !/^content-/i.test(name)));
	return { ...rest, url, method: 'GET', body: undefined, json: false, headers };
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
