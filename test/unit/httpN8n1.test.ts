/**
 * Two things n8n 1.x's credential helper does differently from 2.x, emulated at the HTTP boundary
 * with a scripted list of answers (n8n-core 1.122 request-helper-functions.js: pre-authentication
 * when the expirable field is empty, renewal only on a thrown 401):
 * - it reads `ignoreHttpStatusErrors` as a plain flag, so a 401 comes back as an answer instead of
 *   making n8n renew the token;
 * - its NodeApiError (n8n-workflow 1.120) keeps the message of an Error it wraps but not the Error,
 *   so the mark a failed login carries is gone.
 */
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { n8nSender, TransportError, type CredentialHandle } from '../../nodes/shared/http';
import { loginFailure } from '../../nodes/shared/login';

interface Sent {
	authorization?: string;
}

/** n8n 1.x's NodeApiError keeps the message of an Error it wraps but drops the Error itself. */
function wrapLikeN8n1(error: Error): Error {
	return Object.assign(new Error(error.message), { name: 'NodeApiError', cause: undefined });
}

function n8n1Context(statuses: number[], { loginFails = false } = {}) {
	const sent: Sent[] = [];
	let logins = 0;
	const context = {
		helpers: {
			async httpRequestWithAuthentication(
				_type: string,
				options: IHttpRequestOptions,
				extra: { credentialsDecrypted: CredentialHandle },
			) {
				const data = extra.credentialsDecrypted.data;
				if (data.accessToken === '') {
					if (loginFails) throw wrapLikeN8n1(loginFailure('JPO refused the login (HTTP 400). Check the ID.'));
					logins += 1;
					data.accessToken = `token-${logins}`;
				}
				sent.push({ authorization: `Bearer ${String(data.accessToken)}` });
				const status = statuses.shift() ?? 200;
				if (status >= 400 && !options.ignoreHttpStatusErrors) {
					throw Object.assign(new Error(`Request failed with status code ${status}`), { response: { status } });
				}
				return { statusCode: status, headers: {}, body: Buffer.from('{}') };
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, sent, logins: () => logins };
}

const credentials = (): CredentialHandle => ({ id: '1', name: 'JPO', type: 'jpoApi', data: { accessToken: 'stale-token' } });

describe("n8nSender on n8n 1.x's credential helper", () => {
	it('renews the token once and repeats the call, as n8n 2.x does', async () => {
		const { context, sent, logins } = n8n1Context([401, 200]);
		const handle = credentials();
		const response = await n8nSender(context)({ method: 'GET', url: 'https://api.example/api/x' }, handle);
		expect(response.status).toBe(200);
		expect(logins()).toBe(1);
		expect(sent.map((request) => request.authorization)).toEqual(['Bearer stale-token', 'Bearer token-1']);
		expect(handle.data.accessToken).toBe('token-1');
	});

	it('fails with HTTP 401 when the renewed token is refused too, after exactly two calls', async () => {
		const { context, sent } = n8n1Context([401, 401, 200]);
		const failure = await n8nSender(context)({ method: 'GET', url: 'https://api.example/api/x' }, credentials()).catch((error) => error);
		expect(failure).toBeInstanceOf(TransportError);
		expect(failure.httpStatus).toBe(401);
		expect(sent).toHaveLength(2);
	});

	it('still tells a failed login from a failed call when n8n 1.x dropped the login error it wrapped', async () => {
		const { context, sent } = n8n1Context([], { loginFails: true });
		const handle = { ...credentials(), data: { accessToken: '' } };
		const failure = await n8nSender(context)({ method: 'GET', url: 'https://api.example/api/x' }, handle).catch((error) => error);
		expect(failure).toBeInstanceOf(TransportError);
		expect(failure).toMatchObject({ duringLogin: true, loginTransient: false, message: 'JPO refused the login (HTTP 400). Check the ID.' });
		expect(sent).toHaveLength(0);
	});

	it('does not read a failed call with a valid token as a failed login', async () => {
		const context = {
			helpers: {
				httpRequestWithAuthentication: async () => {
					throw wrapLikeN8n1(new Error('socket hang up'));
				},
			},
		} as unknown as IExecuteFunctions;
		const failure = await n8nSender(context)({ method: 'GET', url: 'https://api.example/api/x' }, credentials()).catch((error) => error);
		expect(failure).toMatchObject({ duringLogin: false });
	});

	it('leaves other statuses to the transport, unrepeated', async () => {
		const { context, sent, logins } = n8n1Context([403]);
		const response = await n8nSender(context)({ method: 'GET', url: 'https://api.example/api/x' }, credentials());
		expect(response.status).toBe(403);
		expect(sent).toHaveLength(1);
		expect(logins()).toBe(0);
	});
});
