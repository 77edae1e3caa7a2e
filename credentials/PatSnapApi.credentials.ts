import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { LOGIN_REDIRECTS, loginFailure, loginRedirectMessage, loginServiceUnavailable, networkCodeOf, readJsonBody } from '../nodes/shared/login';

export const PATSNAP_HOSTS = {
	global: 'https://connect.patsnap.com',
	china: 'https://connect.zhihuiya.com',
} as const;

/** PatSnap documents a 30-minute token (expires_in 1799); renew a minute early. */
export const PATSNAP_DEFAULT_TOKEN_LIFETIME_S = 1799;
export const PATSNAP_TOKEN_SAFETY_MARGIN_MS = 60_000;

export function patSnapBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'global');
	if (environment === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return PATSNAP_HOSTS[environment === 'china' ? 'china' : 'global'];
}

/**
 * PatSnap documents a flat answer `{token, expires_in}` but two independent clients read
 * `data.token` with `expires_in` as a string, and others `access_token`: accept all of them.
 */
export function readPatSnapToken(answer: unknown): { token: string; expiresInS: number } | undefined {
	if (!answer || typeof answer !== 'object') return undefined;
	const root = answer as Record<string, unknown>;
	const inner = root.data && typeof root.data === 'object' ? (root.data as Record<string, unknown>) : root;
	const token = inner.token ?? inner.access_token ?? root.token ?? root.access_token;
	if (typeof token !== 'string' || token === '') return undefined;
	const expires = Number(inner.expires_in ?? root.expires_in);
	return { token, expiresInS: expires > 0 ? expires : PATSNAP_DEFAULT_TOKEN_LIFETIME_S };
}

export class PatSnapApi implements ICredentialType {
	name = 'patSnapApi';

	displayName = 'PatSnap Open API';

	icon: Icon = { light: 'file:../nodes/PatSnap/patsnap.svg', dark: 'file:../nodes/PatSnap/patsnap.dark.svg' };

	documentationUrl = 'https://open.patsnap.com/devportal/guides/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authMode',
			type: 'options',
			default: 'clientCredentials',
			description: 'Which kind of PatSnap credential you have: a client ID with its secret, or an API key starting with sk-',
			options: [
				{
					name: 'Client ID and Secret',
					value: 'clientCredentials',
					description: 'Exchanged for a 30-minute bearer token; the client ID is also sent as apikey',
				},
				{
					name: 'API Key (sk-…)',
					value: 'apiKey',
					description: 'A key created under Admin Dashboard → API Keys, sent as a bearer token',
				},
			],
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['clientCredentials'] } },
			description:
				'The client ID PatSnap issued for your Open API application (not an sk- API key). It is exchanged with the secret for a token and sent as the apikey parameter.',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['clientCredentials'] } },
			description: 'The client secret PatSnap issued together with that client ID. It is only sent to the token endpoint.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk-...',
			displayOptions: { show: { authMode: ['apiKey'] } },
			description:
				'An API key starting with sk-, created under Admin Dashboard → API Keys and shown only once (not a client ID or secret). It works only on the host that issued it: see Environment.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'global',
			options: [
				{ name: 'Global (connect.patsnap.com)', value: 'global' },
				{ name: 'China (connect.zhihuiya.com)', value: 'china' },
				{ name: 'Custom URL', value: 'custom' },
			],
			description: 'The PatSnap host the key or client was issued for; keys and clients work only on that host',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8765',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
			description: 'For the local sandbox use http://127.0.0.1:8765',
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
	];

	/** Exchanges client ID and secret for a bearer token; an API key needs no exchange. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authMode === 'apiKey') return {};
		const tokenUrl = `${patSnapBaseUrl(credentials)}/oauth/token`;
		let response;
		try {
			response = await this.helpers.httpRequest({
				method: 'POST',
				url: tokenUrl,
				auth: {
					username: String(credentials.clientId ?? ''),
					password: String(credentials.clientSecret ?? ''),
				},
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: { grant_type: 'client_credentials' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: true,
				timeout: 30_000,
				...LOGIN_REDIRECTS,
			});
		} catch (error) {
			throw loginFailure(
				`Could not reach the PatSnap token endpoint ${tokenUrl} (${networkCodeOf(error)}). Check the environment or base URL.`,
			);
		}
		const redirected = loginRedirectMessage(
			{ name: 'PatSnap token endpoint', url: tokenUrl },
			'client secret',
			'Check the Environment (and Base URL) of the credential.',
			response,
		);
		if (redirected) throw loginFailure(redirected);
		const answer = readJsonBody<Record<string, unknown>>(response.body);
		const token = response.statusCode < 300 ? readPatSnapToken(answer) : undefined;
		if (!token) {
			const body = (answer ?? {}) as Record<string, unknown>;
			const code = body.error_code ? ` ${String(body.error_code)}` : '';
			if (loginServiceUnavailable(response.statusCode)) {
				throw loginFailure(
					`The PatSnap token endpoint is busy or unavailable (HTTP ${response.statusCode}${code}); the client ID and secret were not checked. Try again later.`,
					{ transient: true },
				);
			}
			throw loginFailure(
				`PatSnap refused the client ID and secret (HTTP ${response.statusCode}${code}). Check both values and that they belong to the selected environment.`,
			);
		}
		return {
			accessToken: token.token,
			accessTokenExpiresAt: String(Date.now() + token.expiresInS * 1000),
		};
	}

	/** Bearer token plus `apikey=<client id>`, which PatSnap requires beside an OAuth token. */
	authenticate: IAuthenticate = async (credentials, requestOptions: IHttpRequestOptions) => {
		const apiKeyMode = credentials.authMode === 'apiKey';
		const bearer = apiKeyMode ? String(credentials.apiKey ?? '') : String(credentials.accessToken ?? '');
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${bearer}` },
			qs: apiKeyMode ? requestOptions.qs : { ...requestOptions.qs, apikey: credentials.clientId },
		};
	};

	// A legal-status lookup of a number that cannot exist returns no result, and PatSnap bills per
	// result returned, so the test proves token, apikey pairing and permission without a charge.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl : $credentials.environment === "china" ? "https://connect.zhihuiya.com" : "https://connect.patsnap.com"}}',
			url: '/basic-patent-data/legal-status',
			method: 'GET',
			// The test carries the bearer token or API key: a redirect must not take it elsewhere.
			...LOGIN_REDIRECTS,
			qs: { patent_number: 'US0000000A0' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'error_code', value: 67200003, message: 'PatSnap refused the token or API key (67200003)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error_code', value: 67200009, message: 'The apikey does not match the token (67200009)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error_code', value: 67200004, message: 'This account has no permission for the legal status API (67200004)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error_code', value: 67200006, message: 'This PatSnap client has expired (67200006)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error_code', value: 67200202, message: 'The key was issued for the other PatSnap host: check Environment (67200202)' },
			},
		],
	};
}
