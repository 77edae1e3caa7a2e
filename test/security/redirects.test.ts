/**
 * Redirects never take a credential to another host. The sandbox's `redirect` fault sends data and
 * token calls of both APIs to its foreign host (another origin) and that host records what reached
 * it; same-origin redirects are still followed. The credential helper here emulates n8n, so the
 * options handed to n8n are checked as well: real n8n 2.41 follows redirects and, by default,
 * copies the Authorization header and Basic auth along (see the e2e case security-cross-host-redirect
 * and test/security/README-draft.md for what real n8n does).
 */
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { JpoApi } from '../../credentials/JpoApi.credentials';
import { PatSnapApi } from '../../credentials/PatSnapApi.credentials';
import { startSandbox, type Sandbox } from '../../sandbox';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { CrossOriginRedirectError, n8nSender, TransportError, type CredentialHandle } from '../../nodes/shared/http';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { createExecuteContext, runNode } from '../helpers/n8nContext';
import { startScriptedServer } from '../helpers/scriptedServer';
import { findSecrets, sandboxSecrets } from '../helpers/secretScan';

const API_KEY = 'sk-sandbox-demo-key-0000000000000000000000000000';

type Credentials = Record<string, ICredentialDataDecryptedObject>;

describe('redirects against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, config: { jpo: { perMinute: { limit: 6000, windowMs: 60_000 } }, patsnap: { qps: 1000 } } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		forgetSharedLimiters();
	});

	const jpoCredentials = () => ({
		jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' },
	});
	const patSnapOAuth = (): Credentials => ({
		patSnapApi: { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', environment: 'custom', baseUrl: sb.url, accessToken: '' },
	});
	const patSnapKey = (): Credentials => ({ patSnapApi: { authMode: 'apiKey', apiKey: API_KEY, environment: 'custom', baseUrl: sb.url, accessToken: '' } });

	const jpoRun = (applicationNumbers: string[], continueOnFail = true) =>
		runNode({
			node: new Jpo(),
			items: applicationNumbers.map(() => ({ json: {} })),
			parameters: (index) => ({ resource: 'patent', operation: 'getProgress', applicationNumber: applicationNumbers[index], options: { requestsPerMinute: 600, maxAttempts: 1 } }),
			credentials: jpoCredentials(),
			continueOnFail,
		});
	const patSnapRun = (credentials: Credentials, continueOnFail = true) =>
		runNode({
			node: new PatSnap(),
			parameters: { resource: 'patent', operation: 'getLegalStatus', numbers: 'US11223344B2', options: { requestsPerSecond: 100, maxAttempts: 1 } },
			credentials,
			continueOnFail,
		});

	/** Nothing reached the foreign host, and nothing anywhere shows a secret. */
	function expectNothingLeaked(output: unknown) {
		expect(sb.foreignHost.requests()).toEqual([]);
		expect(findSecrets({ output, log: sb.requests() }, sandboxSecrets(sb))).toEqual([]);
	}

	it.each([301, 302, 303, 307, 308])('JPO: a %i to another host fails the run with a clear message; the token stays home', async (status) => {
		sb.faults.add({ api: 'jpo', path: '/api/', kind: 'redirect', status });
		const { output } = await jpoRun(['2020045678', '2021034567']);
		expect(output[0].json).toMatchObject({
			errorKind: 'configuration',
			error: `JPO: JPO answered with a redirect to another host (${sb.foreignHost.url}); it was not followed, so the access token was not sent there`,
			errorDescription: expect.stringMatching(/Check the API Base URL of the JPO credential/),
		});
		// A wrong base URL is wrong for every item: the second is not sent at all.
		expect(output[1].json).toMatchObject({ notAttempted: true, errorKind: 'configuration' });
		const data = sb.requests({ api: 'jpo', kind: 'data' });
		expect(data.map((request) => [request.httpStatus, request.fault])).toEqual([[status, 'redirect']]);
		expectNothingLeaked(output);
	});

	it('JPO: without Continue On Fail the run stops with a NodeApiError naming the redirect target', async () => {
		sb.faults.add({ api: 'jpo', path: '/api/', kind: 'redirect' });
		await expect(jpoRun(['2020045678'], false)).rejects.toThrow(`JPO answered with a redirect to another host (${sb.foreignHost.url})`);
		expect(sb.foreignHost.requests()).toEqual([]);
	});

	it('JPO: a same-origin redirect is followed with the token applied again, and answers', async () => {
		sb.faults.add({ api: 'jpo', path: '/app_progress/2020045678', kind: 'redirect', status: 307, location: '/api/patent/v1/app_progress/2020045678', count: 1 });
		sb.faults.add({ api: 'jpo', path: '/app_progress/2021034567', kind: 'redirect', status: 301, location: `${sb.url}/api/patent/v1/app_progress/2021034567`, count: 1 });
		const { output } = await jpoRun(['2020045678', '2021034567']);
		expect(output.map((item) => [item.json.found, item.json.applicationNumber])).toEqual([
			[true, '2020045678'],
			[true, '2021034567'],
		]);
		const data = sb.requests({ api: 'jpo', kind: 'data' });
		expect(data.map((request) => [request.httpStatus, request.authorization])).toEqual([
			[307, 'bearer'],
			[200, 'bearer'],
			[301, 'bearer'],
			[200, 'bearer'],
		]);
		expectNothingLeaked(output);
	});

	it('JPO: a same-origin redirect loop ends after five hops with a message, not a hang', async () => {
		sb.faults.add({ api: 'jpo', path: '/app_progress/', kind: 'redirect', location: '/api/patent/v1/app_progress/2020045678' });
		const { output } = await jpoRun(['2020045678']);
		expect(output[0].json).toMatchObject({ errorKind: 'transient', error: expect.stringMatching(/more than 5 redirects/) });
		expect(sb.requests({ api: 'jpo', kind: 'data' })).toHaveLength(6);
	});

	it('JPO: a redirected token URL fails the login without sending the password on', async () => {
		sb.faults.add({ api: 'jpo', path: '/auth/token', kind: 'redirect', status: 307 });
		const { output } = await jpoRun(['2020045678']);
		expect(output[0].json).toMatchObject({
			errorKind: 'auth',
			error: expect.stringMatching(
				new RegExp(`^JPO: The JPO token URL ${sb.url}/auth/token answered with a redirect \\(HTTP 307\\) to ${sb.foreignHost.url}/auth/token\\. It was not followed, so the password was not sent there\\.`),
			),
		});
		expect(sb.requests({ api: 'jpo', kind: 'data' })).toEqual([]);
		expectNothingLeaked(output);
	});

	it.each([
		['client ID and secret (token + apikey query)', patSnapOAuth, 'the token or API key'],
		['sk- API key', patSnapKey, 'the token or API key'],
	])('PatSnap with %s: a redirect to another host fails with a clear message; nothing reaches it', async (_label, credentials) => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/', kind: 'redirect', status: 307 });
		const { output } = await patSnapRun(credentials());
		expect(output[0].json).toMatchObject({
			errorKind: 'configuration',
			error: `PatSnap: PatSnap answered with a redirect to another host (${sb.foreignHost.url}); it was not followed, so the token or API key was not sent there`,
		});
		expectNothingLeaked(output);
	});

	it('PatSnap: a redirected token endpoint fails the login without sending the client secret on', async () => {
		sb.faults.add({ api: 'patsnap', path: '/oauth/token', kind: 'redirect', status: 308 });
		const { output } = await patSnapRun(patSnapOAuth());
		expect(output[0].json).toMatchObject({
			// A refused login is `auth` for both APIs, as for JPO's token URL above.
			errorKind: 'auth',
			error: `PatSnap: The PatSnap token endpoint ${sb.url}/oauth/token answered with a redirect (HTTP 308) to ${sb.foreignHost.url}/oauth/token. It was not followed, so the client secret was not sent there. Check the Environment (and Base URL) of the credential.`,
		});
		expect(sb.requests({ api: 'patsnap', kind: 'data' })).toEqual([]);
		expectNothingLeaked(output);
	});

	it('PatSnap: a same-origin redirect of a batch call is followed and answered', async () => {
		sb.faults.add({ api: 'patsnap', path: '/basic-patent-data/legal-status', kind: 'redirect', status: 302, location: '/basic-patent-data/legal-status?patent_number=US11223344B2', count: 1 });
		const { output } = await patSnapRun(patSnapOAuth());
		expect(output[0].json).toMatchObject({ found: true, pn: 'US11223344B2' });
		expectNothingLeaked(output);
	});
});

describe('the options handed to n8n', () => {
	const keyCredential: CredentialHandle = { id: 'c', name: 'c', type: 'patSnapApi', data: { authMode: 'apiKey', apiKey: API_KEY, environment: 'custom', baseUrl: 'http://127.0.0.1:1' } };

	it('data calls ask n8n not to follow redirects and never to send credentials across origins', async () => {
		const seen: IHttpRequestOptions[] = [];
		const context = {
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
					seen.push(options);
					return { statusCode: 200, headers: {}, body: Buffer.from('{}') };
				},
			},
		} as unknown as IExecuteFunctions;
		await n8nSender(context)({ method: 'GET', url: 'http://127.0.0.1:1/x' }, keyCredential);
		expect(seen[0]).toMatchObject({ disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
	});

	it.each<[string, ICredentialType, ICredentialDataDecryptedObject]>([
		['JPO', new JpoApi(), { username: 'u', password: 'p', tokenUrl: 'http://127.0.0.1:1/auth/token' }],
		['PatSnap', new PatSnapApi(), { authMode: 'clientCredentials', clientId: 'c', clientSecret: 's', environment: 'custom', baseUrl: 'http://127.0.0.1:1' }],
	])('the %s login and the credential test never follow redirects', async (_api, credential, data) => {
		const seen: IHttpRequestOptions[] = [];
		const helper = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					seen.push(options);
					return { statusCode: 200, headers: {}, body: { access_token: 'a-token-value', token: 'a-token-value', expires_in: 60 } };
				},
			},
		};
		await credential.preAuthentication!.call(helper as never, data);
		expect(seen.length).toBeGreaterThan(0);
		for (const options of seen) expect(options.disableFollowRedirect).toBe(true);
		expect(credential.test!.request).toMatchObject({ disableFollowRedirect: true });
	});
});

describe('same-origin hops as a browser sends them', () => {
	const keyCredentials = (baseUrl: string) => ({ patSnapApi: { authMode: 'apiKey', apiKey: API_KEY, environment: 'custom', baseUrl } });

	it.each([
		[303, 'POST', 'GET'],
		[302, 'POST', 'GET'],
		[301, 'POST', 'GET'],
		[307, 'POST', 'POST'],
		[308, 'POST', 'POST'],
		[302, 'GET', 'GET'],
	])('after a %i to a %s the next hop is a %s to the Location, with the key applied again', async (status, method, nextMethod) => {
		const server = await startScriptedServer((_request, index) => (index === 0 ? { status, headers: { Location: '/moved?page=2' } } : { body: { status: true, error_code: 0, data: {} } }));
		try {
			const context = createExecuteContext({ node: new PatSnap(), parameters: {}, credentials: keyCredentials(server.url) });
			const credential: CredentialHandle = { id: 'c', name: 'c', type: 'patSnapApi', data: keyCredentials(server.url).patSnapApi as IDataObject as CredentialHandle['data'] };
			const response = await n8nSender(context)(
				{ method: method as 'GET' | 'POST', url: `${server.url}/start`, qs: { patent_number: 'US1' }, ...(method === 'POST' ? { body: { a: 1 }, json: true } : {}) },
				credential,
			);
			expect(response.status).toBe(200);
			expect(server.requests.map((request) => [request.method, request.url, request.authorization])).toEqual([
				[method, '/start?patent_number=US1', `Bearer ${API_KEY}`],
				[nextMethod, '/moved?page=2', `Bearer ${API_KEY}`],
			]);
		} finally {
			await server.close();
		}
	});

	it('refuses a Location on another port of the same host as another origin', async () => {
		const server = await startScriptedServer(() => ({ status: 302, headers: { Location: 'http://127.0.0.1:9/elsewhere' } }));
		try {
			const context = createExecuteContext({ node: new PatSnap(), parameters: {}, credentials: keyCredentials(server.url) });
			const credential: CredentialHandle = { id: 'c', name: 'c', type: 'patSnapApi', data: keyCredentials(server.url).patSnapApi as CredentialHandle['data'] };
			const error = await n8nSender(context)({ method: 'GET', url: `${server.url}/start` }, credential).catch((thrown: unknown) => thrown);
			expect(error).toBeInstanceOf(CrossOriginRedirectError);
			expect(error).toBeInstanceOf(TransportError);
			expect((error as CrossOriginRedirectError).targetOrigin).toBe('http://127.0.0.1:9');
			expect(server.requests).toHaveLength(1);
		} finally {
			await server.close();
		}
	});
});
