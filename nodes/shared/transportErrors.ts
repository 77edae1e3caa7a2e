import { ApiFailure, type ApiName } from './failure';
import { CrossOriginRedirectError, TransportError } from './http';

/**
 * What each API says when a request got no usable HTTP answer. The cases and their kinds are the
 * same for both APIs; only the words naming the credential's fields differ.
 */
export interface TransportErrorTexts {
	api: ApiName;
	/** What a cross-origin redirect would have carried to the other host. */
	redirectWouldCarry: string;
	redirectAdvice: string;
	/** The token URL answered 429 or 5xx: the login is retried, the credential is not blamed. */
	loginBusyAdvice: string;
	/** HTTP 401 even after the token was renewed. */
	refusedAfterRenewal: { message: string; code?: string; originalMessage?: string; description: string };
	unreachableAdvice?: string;
}

/**
 * The failure for a request that got no usable answer: a network error, a redirect to another host,
 * a failed login, or a 401 that renewing the token did not cure. Both of the last are `auth` (n8n's
 * `credential-invalid`: the credential itself is refused), marked so nobody renews the token again. `unanswered` lets an API refuse
 * to retry a call the server may have carried out; it is asked before the generic transient failure.
 */
export function fromTransportError(error: unknown, texts: TransportErrorTexts, unanswered?: (error: TransportError) => ApiFailure | undefined): ApiFailure {
	const { api } = texts;
	if (!(error instanceof TransportError)) {
		return new ApiFailure(`${api} request failed: ${(error as Error).message}`, { api, kind: 'transient' });
	}
	if (error instanceof CrossOriginRedirectError) {
		return new ApiFailure(
			`${api} answered with a redirect to another host (${error.targetOrigin}); it was not followed, so ${texts.redirectWouldCarry} was not sent there`,
			{ api, kind: 'configuration', httpStatus: error.httpStatus, description: texts.redirectAdvice },
		);
	}
	if (error.duringLogin) {
		return error.loginTransient
			? new ApiFailure(error.message, { api, kind: 'transient', description: texts.loginBusyAdvice })
			: new ApiFailure(error.message, { api, kind: 'auth', renewalWontHelp: true, description: 'The credential could not log in.' });
	}
	if (error.httpStatus === 401) {
		const { message, ...details } = texts.refusedAfterRenewal;
		return new ApiFailure(message, { api, kind: 'auth', renewalWontHelp: true, httpStatus: 401, ...details });
	}
	const notRetried = unanswered?.(error);
	if (notRetried) return notRetried;
	return new ApiFailure(`Could not reach ${api} (${error.message})`, {
		api,
		kind: 'transient',
		...(texts.unreachableAdvice ? { description: texts.unreachableAdvice } : {}),
	});
}
