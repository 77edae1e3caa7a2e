/**
 * The credentials' Test buttons, run against the sandbox the way n8n runs them: expressions
 * resolved from the credential, then the request sent. They must prove the credential works
 * without spending JPO daily quota or PatSnap billing.
 */
import type { ICredentialDataDecryptedObject, ICredentialTestRequest, IHttpRequestOptions } from 'n8n-workflow';

import { JpoApi } from '../../credentials/JpoApi.credentials';
import { PatSnapApi } from '../../credentials/PatSnapApi.credentials';
import { startSandbox, type Sandbox } from '../../sandbox';
import { httpRequest } from '../helpers/n8nContext';

/** Resolves the `={{$credentials...}}` expressions n8n would resolve before sending the test. */
function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		const expression = value.slice(3, -2).trim();
		// The only expressions our tests use: a field, or the PatSnap environment choice.
		const field = /^\$credentials\.(\w+)$/.exec(expression);
		if (field) return credentials[field[1]];
		if (expression.includes('$credentials.environment')) {
			return credentials.environment === 'custom' ? credentials.baseUrl : 'https://connect.patsnap.com';
		}
		throw new Error(`unsupported expression ${expression}`);
	}
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner, credentials)]));
	}
	return value;
}

type Sign = (request: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** Sends the test request (signed by the credential's authenticate when given) and applies its rules. */
async function runCredentialTest(test: ICredentialTestRequest, credentials: ICredentialDataDecryptedObject, sign?: Sign) {
	const resolved = resolve(test.request, credentials) as IHttpRequestOptions;
	const request = sign ? await sign(resolved) : resolved;
	const response = (await httpRequest({ ...request, json: true, returnFullResponse: true, ignoreHttpStatusErrors: true })) as {
		statusCode: number;
		body: Record<string, unknown>;
	};
	const failedRule = (test.rules ?? []).find(
		(rule) => rule.type === 'responseSuccessBody' && response.body?.[rule.properties.key] === rule.properties.value,
	);
	return { response, failedRule };
}

describe('credential tests spend nothing', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0 });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => sb.reset());

	it('JPO: logging in is the whole test, no data API is called', async () => {
		const credentials = { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url };
		const ok = await runCredentialTest(new JpoApi().test, credentials);
		expect(ok.response.statusCode).toBe(200);
		expect(ok.failedRule).toBeUndefined();
		const bad = await runCredentialTest(new JpoApi().test, { ...credentials, password: 'wrong' });
		expect(bad.response.statusCode).toBe(401);
		expect(sb.requests({ api: 'jpo' }).every((request) => request.kind === 'token')).toBe(true);
	});

	it('PatSnap: the probe lookup returns no result, so nothing is billed, and wrong keys fail a rule', async () => {
		const credential = new PatSnapApi();
		const base = { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', environment: 'custom', baseUrl: sb.url };
		const authenticate = credential.authenticate as (c: object, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const fields = await credential.preAuthentication.call({ helpers: { httpRequest } } as never, base);
		const ok = await runCredentialTest(credential.test, base, (request) => authenticate({ ...base, ...fields }, request));
		expect(ok.response.body).toMatchObject({ status: true, data: [] });
		expect(ok.failedRule).toBeUndefined();
		const probe = sb.requests({ api: 'patsnap' }).find((request) => request.kind === 'data');
		expect(probe).toMatchObject({ endpoint: 'P013', billed: 0 });

		const refused = await runCredentialTest(credential.test, base, (request) => authenticate({ ...base, accessToken: 'forged-token' }, request));
		expect(refused.failedRule?.properties.message).toMatch(/67200003/);
	});
});
