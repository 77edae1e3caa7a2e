/**
 * What both credentials' login calls share. A login failure is marked so the transport can tell
 * "the credential could not log in" from "a data call failed", and only a network code is ever
 * taken from the underlying error: its request object holds the password or client secret.
 */
export function loginFailure(message: string, { transient = false } = {}): Error {
	return Object.assign(new Error(message), { credentialLoginFailure: true, credentialLoginTransient: transient });
}

/** A token endpoint that answers 429 or 5xx is busy or down: the credential itself was not judged. */
export function loginServiceUnavailable(status: number): boolean {
	return status === 429 || status >= 500;
}

export function networkCodeOf(error: unknown): string {
	return (error as { code?: string }).code ?? 'network error';
}

/** Token endpoints answer JSON, but a proxy in front may send text: read it without throwing. */
export function readJsonBody<T>(body: unknown): T | undefined {
	if (typeof body !== 'string') return (body ?? undefined) as T | undefined;
	try {
		return JSON.parse(body) as T;
	} catch {
		return undefined;
	}
}

/**
 * Login calls never follow redirects. n8n 2.41 would: a 307 or 308 sends the form body with the
 * password on to wherever the Location points, and without `sendCredentialsOnCrossOriginRedirect:
 * false` it also copies HTTP Basic auth (client ID and secret) to that host.
 */
export const LOGIN_REDIRECTS = { disableFollowRedirect: true } as const;

/** The message for a token endpoint that answered with a redirect, or undefined when it did not. */
export function loginRedirectMessage(
	endpoint: { name: string; url: string },
	secret: string,
	advice: string,
	response: { statusCode?: number; headers?: Record<string, unknown> },
): string | undefined {
	const status = Number(response.statusCode);
	if (status < 300 || status >= 400) return undefined;
	const header = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'location')?.[1];
	const location = String((Array.isArray(header) ? header[0] : header) ?? '');
	let where = 'another address';
	try {
		const target = new URL(location, endpoint.url);
		// Origin and path only: the query of a Location may carry signatures.
		where = `${target.origin}${target.pathname}`;
	} catch {
		// An unreadable Location is still a redirect that was not followed.
	}
	return `The ${endpoint.name} ${endpoint.url} answered with a redirect (HTTP ${status}) to ${where}. It was not followed, so the ${secret} was not sent there. ${advice}`;
}
