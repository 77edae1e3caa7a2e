import { unzipSync } from 'fflate';
import { DEMO_JPO_USER, DEMO_PATSNAP_API_KEY, DEMO_PATSNAP_CLIENT, type Sandbox, type SandboxConfig } from '../../sandbox';
import { API_KEY, FakeClock, jpoGet, jpoLogin, keyAuth, patsnapToken, psGet, start } from './helpers';

let sb: Sandbox;
let clock: FakeClock;
let token: string;
const progress = '/api/patent/v1/app_progress/2020045678';
const legal = '/basic-patent-data/legal-status?patent_number=US11223344B2';

beforeAll(async () => {
	({ sb, clock } = await start({ jpo: { perMinute: { limit: 1000 } }, patsnap: { qps: 1000 } }));
});
afterAll(() => sb.close());
beforeEach(async () => {
	clock.rewind();
	sb.reset();
	token = (await jpoLogin(sb)).access_token;
});

const raw = (path: string, headers: Record<string, string> = {}) => fetch(`${sb.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });

describe('fault injection', () => {
	it('latency delays the answer', async () => {
		sb.faults.add({ kind: 'latency', ms: 150, count: 1 });
		const t0 = Date.now();
		expect((await raw(progress)).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
	});

	it('http5xx answers a plain-text 5xx, honouring skip and count', async () => {
		sb.faults.add({ kind: 'http5xx', api: 'jpo', path: 'app_progress', skip: 1, count: 2 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await raw(progress)).status);
		expect(statuses).toEqual([200, 503, 503, 200]);
		const log = sb.requests({ api: 'jpo', kind: 'data' });
		expect(log.map((r) => r.fault)).toEqual([null, 'http5xx', 'http5xx', null]);
	});

	it('reset destroys the connection', async () => {
		sb.faults.add({ kind: 'reset', count: 1 });
		await expect(raw(progress)).rejects.toThrow();
		expect(sb.requests({ kind: 'data' })[0]).toMatchObject({ fault: 'reset', httpStatus: 0 });
	});

	it('malformedJson cuts a JSON answer in half', async () => {
		sb.faults.add({ kind: 'malformedJson', count: 1 });
		const text = await (await raw(progress)).text();
		expect(() => JSON.parse(text)).toThrow();
		expect(text.startsWith('{"result":{"statusCode":"100"')).toBe(true);
	});

	it('truncatedZip cuts a ZIP answer in half', async () => {
		sb.faults.add({ kind: 'truncatedZip', path: 'app_doc_cont', count: 1 });
		const bytes = new Uint8Array(await (await raw('/api/patent/v1/app_doc_cont_refusal_reason_decision/2020045678')).arrayBuffer());
		expect(bytes.subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
		expect(() => unzipSync(bytes)).toThrow();
	});

	it('expireTokens invalidates issued tokens of both APIs', async () => {
		const ps = await patsnapToken(sb);
		sb.faults.add({ kind: 'expireTokens', count: 1 });
		expect((await raw(progress)).status).toBe(401);
		const r = await psGet(sb, `${legal}&apikey=sandbox-client`, { Authorization: `Bearer ${ps}` });
		expect(r.body.error_code).toBe(67200003);
		token = (await jpoLogin(sb)).access_token;
		expect((await raw(progress)).status).toBe(200);
	});

	it('jpoStatus answers a JPO status with its HTTP status', async () => {
		for (const [code, http] of [['302', 504], ['303', 429], ['999', 500], ['203', 200]] as const) {
			sb.faults.clear();
			sb.faults.add({ kind: 'jpoStatus', code });
			const { status, result } = await jpoGet(sb, token, progress);
			expect([status, result.statusCode, result.remainAccessCount]).toEqual([http, code, '']);
		}
		// Not a PatSnap fault: PatSnap requests pass.
		expect((await psGet(sb, legal, keyAuth)).body.status).toBe(true);
	});

	it('patsnapError answers status:false with the code', async () => {
		sb.faults.add({ kind: 'patsnapError', code: 68300008, count: 1 });
		expect((await psGet(sb, legal, keyAuth)).body).toMatchObject({ status: false, error_code: 68300008 });
		expect((await psGet(sb, legal, keyAuth)).body.status).toBe(true);
	});

	it('http429 answers 429 with Retry-After', async () => {
		sb.faults.add({ kind: 'http429', retryAfter: 7, api: 'patsnap' });
		const r = await fetch(`${sb.url}${legal}`, { headers: keyAuth });
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('7');
	});

	it('probability is reproducible from the seed', async () => {
		const run = async () => {
			sb.reset();
			token = (await jpoLogin(sb)).access_token;
			sb.faults.add({ kind: 'http5xx', probability: 0.5, path: '/api/' });
			const out = [];
			for (let i = 0; i < 12; i++) out.push((await raw(progress)).status);
			return out;
		};
		const a = await run();
		expect(new Set(a)).toEqual(new Set([200, 503]));
		expect(await run()).toEqual(a);
	});

	it('can be driven through the control API', async () => {
		const add = await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'http5xx', status: 502 }) });
		expect(((await add.json()) as { id: string }).id).toEqual(expect.any(String));
		expect((await raw(progress)).status).toBe(502);
		await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' });
		expect((await raw(progress)).status).toBe(200);
	});
});

describe('recording and control API', () => {
	it('records every API call without secrets', async () => {
		const ps = await patsnapToken(sb);
		await psGet(sb, `${legal}&apikey=sandbox-client`, { Authorization: `Bearer ${ps}` });
		await psGet(sb, `${legal}&apikey=${API_KEY}`);
		await jpoGet(sb, token, progress);
		await fetch(`${sb.url}/auth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'bogus-refresh' }) });
		const log = sb.requests();
		expect(log.map((r) => [r.api, r.kind, r.endpoint, r.credential, r.authorization])).toEqual([
			['jpo', 'token', 'token', 'sandbox-user', 'none'],
			['patsnap', 'token', 'token', 'sandbox-client', 'basic'],
			['patsnap', 'data', 'P013', 'sandbox-client', 'bearer'],
			['patsnap', 'data', 'P013', 'apiKey', 'none'],
			['jpo', 'data', 'patent/app_progress', 'sandbox-user', 'bearer'],
			['jpo', 'token', 'token', null, 'none'],
		]);
		const dump = JSON.stringify(log);
		for (const secret of ['sandbox-password', 'sandbox-secret', API_KEY, token, ps, 'bogus-refresh']) expect(dump).not.toContain(secret);
		const over = await (await fetch(`${sb.url}/__sandbox/requests?api=patsnap`)).json();
		expect(over).toHaveLength(3);
		expect(sb.tokenFetches('jpo')).toBe(2);
	});

	it('configures, reports and resets over HTTP without recording itself', async () => {
		const cfg = (await (await fetch(`${sb.url}/__sandbox/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ patsnap: { language: 'cn' } }) })).json()) as SandboxConfig;
		expect(cfg.patsnap.language).toBe('cn');
		expect(cfg.patsnap.qps).toBe(1000);
		await fetch(`${sb.url}/__sandbox/requests`, { method: 'DELETE' });
		await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
		expect(((await (await fetch(`${sb.url}/__sandbox/config`)).json()) as SandboxConfig).patsnap.language).toBe('en');
		expect(sb.requests()).toEqual([]);
	});

	it('shows accounts by name only, never their passwords, secrets or keys', async () => {
		const shown = await (await fetch(`${sb.url}/__sandbox/config`)).text();
		expect(shown).toContain(DEMO_PATSNAP_CLIENT.clientId);
		for (const secret of [DEMO_JPO_USER.password, DEMO_PATSNAP_CLIENT.clientSecret, DEMO_PATSNAP_API_KEY]) expect(shown).not.toContain(secret);
	});
});

describe('redirect fault and the foreign host', () => {
	const manual = (path: string, init: RequestInit = {}) => fetch(`${sb.url}${path}`, { redirect: 'manual', ...init });

	it('by default sends the request, path and query included, to the foreign host on another origin', async () => {
		sb.faults.add({ kind: 'redirect', api: 'patsnap', count: 1 });
		const r = await manual(`${legal}&apikey=${API_KEY}`);
		expect(r.status).toBe(302);
		const location = new URL(r.headers.get('location')!);
		expect(location.origin).toBe(sb.foreignHost.url);
		expect(location.origin).not.toBe(new URL(sb.url).origin);
		expect(`${location.pathname}${location.search}`).toBe(`${legal}&apikey=${API_KEY}`);
		expect(sb.requests({ api: 'patsnap' })).toEqual([expect.objectContaining({ httpStatus: 302, fault: 'redirect', endpoint: '/basic-patent-data/legal-status' })]);
		expect((await manual(legal, { headers: keyAuth })).status).toBe(200);
	});

	it('sends the status and location a rule names, relative ones included', async () => {
		sb.faults.add({ kind: 'redirect', path: 'app_progress', status: 307, location: '/api/patent/v1/app_progress_simple/2020045678', count: 1 });
		const r = await manual(progress, { headers: { Authorization: `Bearer ${token}` } });
		expect([r.status, r.headers.get('location')]).toEqual([307, '/api/patent/v1/app_progress_simple/2020045678']);
		expect(() => sb.faults.add({ kind: 'redirect', status: 200 })).toThrow(/301, 302, 303, 307, 308/);
	});

	it('records what reaches the foreign host, naming known secrets by label only', async () => {
		const ps = await patsnapToken(sb);
		await fetch(`${sb.foreignHost.url}/landing?apikey=${API_KEY}&note=x`, { headers: { Authorization: `Bearer ${token}` } });
		await fetch(`${sb.foreignHost.url}/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}` },
			body: `grant_type=password&password=sandbox-password&token=${ps}`,
		});
		await fetch(`${sb.foreignHost.url}/clean`);
		const seen = sb.foreignHost.requests();
		expect(seen.map((r) => [r.method, r.path, r.authorization, [...r.secretsSeen].sort()])).toEqual([
			['GET', '/landing', 'bearer', ['JPO token', 'PatSnap API key']],
			['POST', '/oauth/token', 'basic', ['JPO password', 'PatSnap client ID', 'PatSnap client secret', 'PatSnap token']],
			['GET', '/clean', 'none', []],
		]);
		expect(seen[0].query).toEqual({ apikey: '[redacted]', note: 'x' });
		expect(seen[0].host).toBe(new URL(sb.foreignHost.url).host);
		const overHttp = (await (await fetch(`${sb.url}/__sandbox/foreign-host`)).json()) as { url: string; requests: unknown[] };
		expect(overHttp).toEqual({ url: sb.foreignHost.url, requests: seen });
		for (const secret of ['sandbox-password', 'sandbox-secret', API_KEY, token, ps]) expect(JSON.stringify(overHttp)).not.toContain(secret);
		sb.reset();
		expect(sb.foreignHost.requests()).toEqual([]);
	});
});

describe('issued tokens', () => {
	it('lists every token handed out, rotated and reset ones included', async () => {
		const earlierPatSnap = sb.issuedTokens('patsnap');
		const first = await jpoLogin(sb);
		const refreshed = (await (
			await fetch(`${sb.url}/auth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token }) })
		).json()) as { access_token: string; refresh_token: string };
		const ps = await patsnapToken(sb);
		sb.reset();
		const jpo = sb.issuedTokens('jpo');
		for (const value of [token, first.access_token, first.refresh_token, refreshed.access_token, refreshed.refresh_token]) expect(jpo).toContain(value);
		expect(jpo).not.toContain(ps);
		expect(sb.issuedTokens('patsnap')).toEqual([...earlierPatSnap, ps]);
		expect(sb.issuedTokens()).toEqual([...jpo, ...earlierPatSnap, ps]);
		const overHttp = (await (await fetch(`${sb.url}/__sandbox/issued-tokens`)).json()) as { jpo: string[]; patsnap: string[] };
		expect(overHttp).toEqual({ jpo, patsnap: [...earlierPatSnap, ps] });
	});
});
