import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { LOGIN_REDIRECTS, loginFailure, loginRedirectMessage, loginServiceUnavailable, networkCodeOf, readJsonBody } from '../nodes/shared/login';

export const JPO_DEFAULT_BASE_URL = 'https://ip-data.jpo.go.jp';
export const JPO_DEFAULT_TOKEN_URL = 'https://ip-data.jpo.go.jp/auth/token';

/** Renew a little before the server's deadline so a token never expires between check and use. */
export const JPO_TOKEN_SAFETY_MARGIN_MS = 60_000;

interface TokenAnswer {
	access_token?: unknown;
	refresh_token?: unknown;
	expires_in?: unknown;
	refresh_expires_in?: unknown;
	error?: unknown;
	error_description?: unknown;
	result?: { statusCode?: unknown; errorMessage?: unknown };
}

function describeTokenRefusal(status: number, answer: TokenAnswer | undefined): string {
	if (answer?.error) {
		const detail = answer.error_description ? `: ${String(answer.error_description)}` : '';
		return `${String(answer.error)}${detail}`;
	}
	if (answer?.result?.statusCode) {
		return `JPO status ${String(answer.result.statusCode)} ${String(answer.result.errorMessage ?? '')}`.trim();
	}
	return `HTTP ${status}`;
}

async function requestTokens(
	helper: IHttpRequestHelper,
	tokenUrl: string,
	form: Record<string, string>,
): Promise<{ status: number; answer: TokenAnswer | undefined }> {
	let response;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
				// JPO support has asked clients to send a User-Agent on the token call.
				'User-Agent': 'n8n-nodes-jpo-patsnap',
			},
			body: form,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
			timeout: 30_000,
			...LOGIN_REDIRECTS,
		});
	} catch (error) {
		throw loginFailure(`Could not reach the JPO token URL ${tokenUrl} (${networkCodeOf(error)}). Check the Token URL.`);
	}
	const redirected = loginRedirectMessage({ name: 'JPO token URL', url: tokenUrl }, 'password', 'Enter the address it points to as Token URL if it is JPO\'s.', response);
	if (redirected) throw loginFailure(redirected);
	return { status: response.statusCode as number, answer: readJsonBody<TokenAnswer>(response.body) };
}

function toTokenFields(answer: TokenAnswer, now: number): ICredentialDataDecryptedObject | undefined {
	if (typeof answer.access_token !== 'string' || answer.access_token === '') return undefined;
	const accessLifetime = Number(answer.expires_in) > 0 ? Number(answer.expires_in) : 3600;
	const refreshLifetime = Number(answer.refresh_expires_in) > 0 ? Number(answer.refresh_expires_in) : 0;
	const refreshToken = typeof answer.refresh_token === 'string' ? answer.refresh_token : '';
	return {
		accessToken: answer.access_token,
		accessTokenExpiresAt: String(now + accessLifetime * 1000),
		refreshToken,
		refreshTokenExpiresAt: refreshToken ? String(now + refreshLifetime * 1000) : '',
	};
}

export class JpoApi implements ICredentialType {
	name = 'jpoApi';

	displayName = 'JPO Patent Information Retrieval API';

	icon: Icon = { light: 'file:../nodes/Jpo/jpo.svg', dark: 'file:../nodes/Jpo/jpo.dark.svg' };

	documentationUrl = 'https://ip-data.jpo.go.jp/pages/top.html';

	properties: INodeProperties[] = [
		{
			displayName: 'JPO API User ID',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description:
				'The user ID JPO issued to you for the Patent Information Retrieval APIs when it approved your application to use them; the token request sends it as the username',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password JPO issued with that user ID',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: JPO_DEFAULT_TOKEN_URL,
			required: true,
			description:
				'The token acquisition address from the e-mail JPO sent with your ID. For the local sandbox use http://127.0.0.1:8765/auth/token.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: JPO_DEFAULT_BASE_URL,
			required: true,
			description:
				'Where the /api and /opdapi paths live. For the local sandbox use http://127.0.0.1:8765.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: 'accessTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token Expires At',
			name: 'refreshTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	/**
	 * Runs when n8n has no access token, when a call came back 401, or when the transport saw the
	 * token about to expire. The refresh grant is tried first because it needs no password; the
	 * password grant is the fallback for an expired or already rotated refresh token.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const tokenUrl = String(credentials.tokenUrl || JPO_DEFAULT_TOKEN_URL);
		const now = Date.now();
		const refreshToken = String(credentials.refreshToken ?? '');
		const refreshValidUntil = Number(credentials.refreshTokenExpiresAt ?? 0);
		if (refreshToken && refreshValidUntil - now > JPO_TOKEN_SAFETY_MARGIN_MS) {
			const refreshed = await requestTokens(this, tokenUrl, {
				grant_type: 'refresh_token',
				refresh_token: refreshToken,
			});
			const fields = refreshed.status === 200 && refreshed.answer ? toTokenFields(refreshed.answer, now) : undefined;
			if (fields) return fields;
			// A refused refresh token is normal (rotated by a parallel run, or revoked): log in again.
		}
		const login = await requestTokens(this, tokenUrl, {
			grant_type: 'password',
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
		});
		const fields = login.status === 200 && login.answer ? toTokenFields(login.answer, now) : undefined;
		if (!fields && loginServiceUnavailable(login.status)) {
			throw loginFailure(
				`The JPO token URL is busy or unavailable (HTTP ${login.status}); the ID and password were not checked. Try again later.`,
				{ transient: true },
			);
		}
		if (!fields) {
			throw loginFailure(
				`JPO refused the login (${describeTokenRefusal(login.status, login.answer)}). Check the ID, the password and the Token URL JPO sent you.`,
			);
		}
		return fields;
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// Logging in is the whole test: it checks ID, password and token URL and spends no daily quota,
	// which every data endpoint would.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.tokenUrl}}',
			// The test posts the password too: a 307 must not carry it elsewhere.
			...LOGIN_REDIRECTS,
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				'User-Agent': 'n8n-nodes-jpo-patsnap',
			},
			body: {
				grant_type: 'password',
				username: '={{$credentials.username}}',
				password: '={{$credentials.password}}',
			},
		},
	};
}
