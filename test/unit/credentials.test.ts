import { URLSearchParams } from 'node:url';

import { JpoApi } from '../../credentials/JpoApi.credentials';
import { PatSnapApi, readPatSnapToken } from '../../credentials/PatSnapApi.credentials';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { httpRequest, runNode } from '../helpers/n8nContext';
import { startScriptedServer, type ScriptedReply } from '../helpers/scriptedServer';

const helper = { helpers: { httpRequest } } as never;

/** A token endpoint that hands out numbered tokens and remembers which grants it saw. */
async function tokenServer(data: (index: number, path: string, auth?: string) => ScriptedReply) {
	const grants: string[] = [];
	let issued = 0;
	const server = await startScriptedServer((request, index) => {
		if (request.url === '/auth/token') return { body: {} };
		return data(index, request.url ?? '', request.headers.authorization);
	});
	// The scripted server does not read bodies, so token calls are answered by a second one that does.
	const { createServer } = await import('node:http');
	const tokenHttp = createServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const form = new URLSearchParams(body);
			const grant = form.get('grant_type') ?? '';
			grants.push(grant);
			response.setHeader('Content-Type', 'application/json');
			if (grant === 'password' && form.get('password') !== 'right-password') {
				response.statusCode = 401;
				response.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid user credentials' }));
				return;
			}
			if (grant === 'refresh_token' && form.get('refresh_token') !== 'valid-refresh') {
				response.statusCode = 400;
				response.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Token is not active' }));
				return;
			}
			issued++;
			response.end(
				JSON.stringify({
					access_token: `access-${issued}`,
					refresh_token: 'valid-refresh',
					expires_in: 3600,
					refresh_expires_in: 28800,
					token_type: 'Bearer',
				}),
			);
		});
	});
	await new Promise<void>((resolve) => tokenHttp.listen(0, '127.0.0.1', resolve));
	const address = tokenHttp.address() as { port: number };
	return {
		apiUrl: server.url,
		tokenUrl: `http://127.0.0.1:${address.port}/auth/token`,
		grants,
		requests: server.requests,
		close: async () => {
			await server.close();
			await new Promise<void>((resolve) => tokenHttp.close(() => resolve()));
		},
	};
}

const progress = (applicationNumber: string) => ({
	result: { statusCode: '100', errorMessage: '', remainAccessCount: '399', data: { applicationNumber } },
});

describe('JPO credential', () => {
	let server: Awaited<ReturnType<typeof tokenServer>>;
	afterEach(async () => await server?.close());

	it('logs in with the password grant when it has no refresh token', async () => {
		server = await tokenServer(() => ({}));
		const fields = await new JpoApi().preAuthentication.call(helper, { tokenUrl: server.tokenUrl, username: 'u', password: 'right-password' });
		expect(server.grants).toEqual(['password']);
		expect(fields).toMatchObject({ accessToken: 'access-1', refreshToken: 'valid-refresh' });
		expect(Number(fields.accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 3500_000);
	});

	it('renews with the refresh grant first, without sending the password', async () => {
		server = await tokenServer(() => ({}));
		const fields = await new JpoApi().preAuthentication.call(helper, {
			tokenUrl: server.tokenUrl,
			username: 'u',
			password: 'right-password',
			refreshToken: 'valid-refresh',
			refreshTokenExpiresAt: String(Date.now() + 3600_000),
		});
		expect(server.grants).toEqual(['refresh_token']);
		expect(fields.accessToken).toBe('access-1');
	});

	it('falls back to the password when the refresh token is refused, and skips an expired one', async () => {
		server = await tokenServer(() => ({}));
		await new JpoApi().preAuthentication.call(helper, {
			tokenUrl: server.tokenUrl,
			username: 'u',
			password: 'right-password',
			refreshToken: 'rotated-by-another-run',
			refreshTokenExpiresAt: String(Date.now() + 3600_000),
		});
		await new JpoApi().preAuthentication.call(helper, {
			tokenUrl: server.tokenUrl,
			username: 'u',
			password: 'right-password',
			refreshToken: 'valid-refresh',
			refreshTokenExpiresAt: String(Date.now() + 1000),
		});
		expect(server.grants).toEqual(['refresh_token', 'password', 'password']);
	});

	it('says clearly that the login was refused, without repeating the password', async () => {
		server = await tokenServer(() => ({}));
		const error = await new JpoApi()
			.preAuthentication.call(helper, { tokenUrl: server.tokenUrl, username: 'u', password: 'wrong-secret-value' })
			.catch((caught: Error) => caught);
		expect(String((error as Error).message)).toMatch(/JPO refused the login \(invalid_grant: Invalid user credentials\)/);
		expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
		expect(String((error as Error).message)).not.toContain('wrong-secret-value');
	});

	it('logs in once for 50 items (no login storm) and renews once when the token expires mid-run', async () => {
		forgetSharedLimiters();
		let revoked = false;
		server = await tokenServer((index, path, authorization) => {
			// After 20 answers the first token stops working, as an expired JPO token does.
			if (index === 20) revoked = true;
			if (revoked && authorization === 'Bearer access-1') {
				return { status: 401, body: { result: { statusCode: '210', errorMessage: '無効なトークンです。', remainAccessCount: '', data: {} } } };
			}
			return { body: progress(path.split('/').pop() ?? '') };
		});
		const { output, store } = await runNode({
			node: new Jpo(),
			items: Array.from({ length: 50 }, (_, index) => ({ json: { number: `2020${String(100000 + index)}` } })),
			parameters: (index) => ({
				resource: 'patent',
				operation: 'getProgress',
				applicationNumber: `2020-${100000 + index}`,
				options: { requestsPerMinute: 600 },
			}),
			credentials: { jpoApi: { username: 'u', password: 'right-password', tokenUrl: server.tokenUrl, baseUrl: server.apiUrl, accessToken: '' } },
		});
		expect(output).toHaveLength(50);
		expect(output.every((item, index) => (item.pairedItem as { item: number }).item === index)).toBe(true);
		expect(output[49].json).toMatchObject({ found: true, applicationNumber: '2020100049', _meta: { statusCode: '100', remainAccessCount: 399 } });
		// One login, one renewal through the refresh grant, and exactly one repeated call.
		expect(server.grants).toEqual(['password', 'refresh_token']);
		expect(server.requests).toHaveLength(51);
		expect(store.records.jpoApi.accessToken).toBe('access-2');
	});

	it('renews ahead of expiry instead of waiting for a 401', async () => {
		forgetSharedLimiters();
		server = await tokenServer((_, path) => ({ body: progress(path.split('/').pop() ?? '') }));
		await runNode({
			node: new Jpo(),
			parameters: { resource: 'patent', operation: 'getProgress', applicationNumber: '2020123456' },
			credentials: {
				jpoApi: {
					username: 'u',
					password: 'right-password',
					tokenUrl: server.tokenUrl,
					baseUrl: server.apiUrl,
					accessToken: 'about-to-expire',
					accessTokenExpiresAt: String(Date.now() + 10_000),
					refreshToken: 'valid-refresh',
					refreshTokenExpiresAt: String(Date.now() + 3600_000),
				},
			},
		});
		expect(server.grants).toEqual(['refresh_token']);
		expect(server.requests.map((request) => request.authorization)).toEqual(['Bearer access-1']);
	});
});

describe('PatSnap credential', () => {
	it.each([
		['flat', { token: 't1', token_type: 'BearerToken', expires_in: 1799, status: 'approved', issued_at: '1692347672874' }, 't1', 1799],
		['wrapped, expires_in as a string', { data: { token: 't2', expires_in: '1200' }, status: true, error_code: 0 }, 't2', 1200],
		['access_token', { access_token: 't3' }, 't3', 1799],
	])('reads a %s token answer', (_, answer, token, expiresInS) => {
		expect(readPatSnapToken(answer)).toEqual({ token, expiresInS });
	});

	it('sends client id and secret as Basic auth and refuses clearly without echoing the secret', async () => {
		const server = await startScriptedServer((request) =>
			request.headers.authorization === `Basic ${Buffer.from('client:right').toString('base64')}`
				? { body: { token: 'good', expires_in: 1799 } }
				: { status: 401, body: { status: false, error_code: 67200003, error_msg: 'bad key' } },
		);
		try {
			const credential = new PatSnapApi();
			const base = { authMode: 'clientCredentials', clientId: 'client', environment: 'custom', baseUrl: server.url };
			await expect(credential.preAuthentication.call(helper, { ...base, clientSecret: 'right' })).resolves.toMatchObject({ accessToken: 'good' });
			const error = await credential.preAuthentication.call(helper, { ...base, clientSecret: 'very-wrong-secret' }).catch((e: Error) => e);
			expect((error as Error).message).toMatch(/PatSnap refused the client ID and secret \(HTTP 401 67200003\)/);
			expect((error as Error).message).not.toContain('very-wrong-secret');
			expect(server.requests.map((request) => request.url)).toEqual(['/oauth/token', '/oauth/token']);
		} finally {
			await server.close();
		}
	});

	it('needs no token call for an sk- API key and sends it as the bearer without apikey', async () => {
		const credential = new PatSnapApi();
		await expect(credential.preAuthentication.call(helper, { authMode: 'apiKey', apiKey: 'sk-test' })).resolves.toEqual({});
		const signed = await (credential.authenticate as (c: object, r: object) => Promise<{ headers: Record<string, string>; qs?: object }>)(
			{ authMode: 'apiKey', apiKey: 'sk-test' },
			{ url: '/x', qs: { patent_number: 'US1B2' } },
		);
		expect(signed.headers.Authorization).toBe('Bearer sk-test');
		expect(signed.qs).toEqual({ patent_number: 'US1B2' });
		const oauth = await (credential.authenticate as (c: object, r: object) => Promise<{ headers: Record<string, string>; qs?: object }>)(
			{ authMode: 'clientCredentials', clientId: 'client', accessToken: 'tok' },
			{ url: '/x' },
		);
		expect(oauth.headers.Authorization).toBe('Bearer tok');
		expect(oauth.qs).toEqual({ apikey: 'client' });
	});
});
