/**
 * What both credentials' login calls share. A login failure is marked so the transport can tell
 * "the credential could not log in" from "a data call failed", and only a network code is ever
 * taken from the underlying error: its request object holds the password or client secret.
 */
export function loginFailure(message: string): Error {
	return Object.assign(new Error(message), { credentialLoginFailure: true });
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
