import type { Sandbox } from '../../sandbox';
import { FakeClock, jpoGet, jpoLogin, start } from './helpers';

let sb: Sandbox;
let clock: FakeClock;
let token: string;

beforeAll(async () => {
	({ sb, clock } = await start());
});
afterAll(() => sb.close());
beforeEach(async () => {
	clock.rewind();
	sb.reset();
	token = (await jpoLogin(sb)).access_token;
});

function allStrings(v: unknown): boolean {
	if (Array.isArray(v)) return v.every(allStrings);
	if (v && typeof v === 'object') return Object.values(v).every(allStrings);
	return typeof v === 'string';
}

describe('JPO token endpoint', () => {
	const form = (body: Record<string, string>) =>
		fetch(`${sb.url}/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });

	it('issues Keycloak-style tokens for the password grant', async () => {
		const r = await form({ grant_type: 'password', username: 'sandbox-user', password: 'sandbox-password' });
		expect(r.status).toBe(200);
		const j = (await r.json()) as Record<string, unknown>;
		expect(j).toMatchObject({ expires_in: 3600, refresh_expires_in: 28800, token_type: 'Bearer', scope: 'openid profile' });
		expect(typeof j.access_token).toBe('string');
	});

	it('rejects a bad password with 401 invalid_grant', async () => {
		const r = await form({ grant_type: 'password', username: 'sandbox-user', password: 'nope' });
		expect(r.status).toBe(401);
		expect(await r.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
	});

	it('rotates refresh tokens and refuses a spent one', async () => {
		const first = await jpoLogin(sb);
		const r = await form({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(r.status).toBe(200);
		const second = (await r.json()) as { access_token: string; refresh_token: string };
		expect(second.access_token).not.toBe(first.access_token);
		expect(second.refresh_token).not.toBe(first.refresh_token);
		const again = await form({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(again.status).toBe(400);
		expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: 'Token is not active' });
		expect((await jpoGet(sb, second.access_token, '/api/patent/v1/app_progress/2020045678')).result.statusCode).toBe('100');
	});

	it('rejects an unknown grant and expires refresh tokens on the clock', async () => {
		expect((await form({ grant_type: 'client_credentials' })).status).toBe(400);
		const t = await jpoLogin(sb);
		clock.advance(28_801_000);
		expect((await form({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(400);
	});
});

describe('JPO domestic endpoints', () => {
	it('wraps data in the envelope with every value a string', async () => {
		const { status, result } = await jpoGet(sb, token, '/api/patent/v1/app_progress/2020045678');
		expect(status).toBe(200);
		expect(result.statusCode).toBe('100');
		expect(result.errorMessage).toBe('');
		expect(result.remainAccessCount).toBe('399');
		expect(allStrings(result)).toBe(true);
		const data = result.data!;
		expect(data.parentApplicationInformation).toEqual({});
		const docs = (data.bibliographyInformation as Array<{ documentList: Array<{ documentCode: string }> }>)[0].documentList;
		expect(docs.map((d) => d.documentCode)).toEqual(expect.arrayContaining(['A63', 'A621', 'A131', 'A53', 'A523', 'A01']));
	});

	it('keeps the trademark and registration quirks', async () => {
		const tm = (await jpoGet(sb, token, '/api/trademark/v1/app_progress/2019056789')).result.data!;
		expect(tm.transliteration).toEqual(expect.objectContaining({ '0': expect.any(String) }));
		expect((tm.applicantAttorney as object[])[0]).not.toHaveProperty('repeatNumber');
		const reg = (await jpoGet(sb, token, '/api/patent/v1/registration_info/2019087654')).result.data!;
		expect(reg).toHaveProperty('appealTrialDecisiondDate', '');
		const cite = (await jpoGet(sb, token, '/api/patent/v1/cite_doc_info/2020045678')).result.data!;
		expect(Array.isArray(cite.patentDoc)).toBe(true);
		expect((cite.patentDoc as Array<{ documentNumber: string }>)[0].documentNumber).toMatch(/^JPA \d{9}$/);
	});

	it('answers the lookups consistently with the data set', async () => {
		const pct = await jpoGet(sb, token, '/api/patent/v1/pct_national_phase_application_number/international_publication/WO2021012345');
		expect(pct.result.data).toEqual({ applicationNumber: '2021500123' });
		const twin = await jpoGet(sb, token, `/api/patent/v1/applicant_attorney/${encodeURIComponent('アトラス　ツールズ　コーポレイション')}`);
		expect((twin.result.data!.applicantAttorney as unknown[]).length).toBe(2);
		const partial = await jpoGet(sb, token, `/api/patent/v1/applicant_attorney/${encodeURIComponent('アトラス')}`);
		expect(partial.result.statusCode).toBe('107');
		const child = (await jpoGet(sb, token, '/api/patent/v1/divisional_app_info/2023012345')).result.data!;
		expect(child.parentApplicationInformation).toMatchObject({ parentApplicationNumber: '2020045678' });
		const url = (await jpoGet(sb, token, '/api/design/v1/jpp_fixed_address/2022010001')).result.data!.URL as string;
		expect(url).toMatch(/^https:\/\/www\.j-platpat\.inpit\.go\.jp\/c1800\/DE\/JP-2022-010001\/[0-9A-F]{64}\/30\/ja$/);
	});

	it('returns 107, 108, 111, 204, 208 and 210 as documented', async () => {
		const e107 = await jpoGet(sb, token, '/api/patent/v1/app_progress/9999999999');
		expect(e107.result).toEqual({ statusCode: '107', errorMessage: '該当するデータがありません。', remainAccessCount: '399', data: {} });
		const e108 = await jpoGet(sb, token, '/api/patent/v1/app_doc_cont_refusal_reason/2019087654');
		expect(e108.result.statusCode).toBe('108');
		expect(e108.result).not.toHaveProperty('data');
		expect((await jpoGet(sb, token, '/api/patent/v1/case_number_reference/publication/1985012345')).result.statusCode).toBe('111');
		const e204 = await jpoGet(sb, token, '/api/patent/v1/app_progress/20200456');
		expect(e204.result).toMatchObject({ statusCode: '204', remainAccessCount: '', data: {} });
		expect((await jpoGet(sb, token, '/api/patent/v1/case_number_reference/bogus/2020045678')).result.statusCode).toBe('204');
		expect((await jpoGet(sb, token, '/api/patent/v1/applicant_attorney_cd/12345')).result.statusCode).toBe('204');
		const e208 = await jpoGet(sb, token, `/api/patent/v1/applicant_attorney/${encodeURIComponent('a|b')}`);
		expect(e208.result.errorMessage).toBe('「タブ文字、,、 :、|」の文字は利用できません。');
		const e210 = await jpoGet(sb, 'garbage', '/api/patent/v1/app_progress/2020045678');
		expect(e210.status).toBe(401);
		expect(e210.result.statusCode).toBe('210');
	});

	it('expires access tokens on the clock', async () => {
		clock.advance(3_601_000);
		expect((await jpoGet(sb, token, '/api/patent/v1/app_progress/2020045678')).status).toBe(401);
	});
});

describe('JPO quotas', () => {
	it('counts down per API, answers 203 at the limit and resets at 00:00 JST', async () => {
		sb.configure({ jpo: { dailyLimits: { 'patent/registration_info': 3 }, perMinute: { limit: 100 } } });
		const path = '/api/patent/v1/registration_info/2019087654';
		const seen: string[] = [];
		for (let i = 0; i < 3; i++) seen.push((await jpoGet(sb, token, path)).result.remainAccessCount);
		expect(seen).toEqual(['2', '1', '0']);
		const blocked = await jpoGet(sb, token, path);
		expect(blocked.status).toBe(200);
		expect(blocked.result).toMatchObject({ statusCode: '203', remainAccessCount: '' });
		// Other APIs keep their own count.
		expect((await jpoGet(sb, token, '/api/patent/v1/jpp_fixed_address/2019087654')).result.remainAccessCount).toBe('199');
		// 12:00 JST + 11h59m = 23:59 JST: still blocked; one more minute crosses midnight JST.
		clock.advance(11 * 3_600_000 + 59 * 60_000);
		token = (await jpoLogin(sb)).access_token;
		expect((await jpoGet(sb, token, path)).result.statusCode).toBe('203');
		clock.advance(60_000);
		expect((await jpoGet(sb, token, path)).result.remainAccessCount).toBe('2');
	});

	it('enforces the per-minute window across domestic APIs with 303 / HTTP 429', async () => {
		for (let i = 0; i < 10; i++) {
			expect((await jpoGet(sb, token, i % 2 ? '/api/patent/v1/app_progress/2020045678' : '/api/design/v1/app_progress/2022010001')).status).toBe(200);
		}
		const over = await jpoGet(sb, token, '/api/patent/v1/app_progress/2020045678');
		expect(over.status).toBe(429);
		expect(over.result).toMatchObject({ statusCode: '303', errorMessage: 'アクセスが集中しています。' });
		clock.advance(30_000);
		expect((await jpoGet(sb, token, '/api/patent/v1/app_progress/2020045678')).status).toBe(429);
		clock.advance(30_001);
		const back = await jpoGet(sb, token, '/api/patent/v1/app_progress/2020045678');
		expect(back.status).toBe(200);
		// The refused calls did not use up daily quota: 5 answered patent calls so far plus this one.
		expect(back.result.remainAccessCount).toBe('394');
	});
});

describe('data mutation', () => {
	it('makes a document added through the control API visible and downloadable', async () => {
		const r = await fetch(`${sb.url}/__sandbox/jpo/applications/patent/2019087654/documents`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ documentCode: 'A131' }),
		});
		const doc = (await r.json()) as { documentNumber: string };
		expect(doc).toMatchObject({ documentCode: 'A131', documentDescription: '拒絶理由通知書', legalDate: '20260510', availabilityFlag: '1' });
		const progress = (await jpoGet(sb, token, '/api/patent/v1/app_progress_simple/2019087654')).result.data!;
		const list = (progress.bibliographyInformation as Array<{ documentList: Array<{ documentNumber: string }> }>)[0].documentList;
		expect(list.map((d) => d.documentNumber)).toContain(doc.documentNumber);
		const zip = await fetch(`${sb.url}/api/patent/v1/app_doc_cont_refusal_reason/2019087654`, { headers: { Authorization: `Bearer ${token}` } });
		expect(zip.headers.get('content-type')).toBe('application/zip');
		expect(sb.requests({ endpoint: 'patent/app_doc_cont_refusal_reason' })).toHaveLength(1);
	});
});
