import { LEGAL_STATUS_CN, SIMPLE_LEGAL_STATUS_CN, type Sandbox } from '../../sandbox';
import { API_KEY, FakeClock, keyAuth, patsnapToken, psGet, psPost, start } from './helpers';

let sb: Sandbox;
let clock: FakeClock;

beforeAll(async () => {
	({ sb, clock } = await start({ patsnap: { qps: 1000 } }));
});
afterAll(() => sb.close());
beforeEach(() => {
	clock.rewind();
	sb.reset();
	sb.configure({ patsnap: { qps: 1000 } });
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('PatSnap token endpoint', () => {
	it('answers the flat shape by default and the wrapped shape on request', async () => {
		const post = () =>
			fetch(`${sb.url}/oauth/token`, { method: 'POST', headers: { Authorization: basic('sandbox-client', 'sandbox-secret'), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
		const flat = await (await post()).json();
		expect(flat).toMatchObject({ token_type: 'BearerToken', expires_in: 1799, status: 'approved', issued_at: String(clock.ms) });
		sb.configure({ patsnap: { tokenResponseShape: 'wrapped' } });
		const wrapped = await (await post()).json();
		expect(wrapped).toMatchObject({ data: { token_type: 'BearerToken', expires_in: '1799' }, status: true, error_code: 0 });
		expect(sb.tokenFetches('patsnap')).toBe(2);
	});

	it('refuses a bad client with 401 and 67200003', async () => {
		const r = await fetch(`${sb.url}/oauth/token`, { method: 'POST', headers: { Authorization: basic('sandbox-client', 'wrong') }, body: 'grant_type=client_credentials' });
		expect(r.status).toBe(401);
		expect(await r.json()).toMatchObject({ status: false, error_code: 67200003 });
	});
});

describe('PatSnap authentication on data calls', () => {
	const path = '/basic-patent-data/legal-status?patent_number=US11223344B2';

	it('needs apikey=<client id> next to a token', async () => {
		const token = await patsnapToken(sb);
		const auth = { Authorization: `Bearer ${token}` };
		expect((await psGet(sb, path, auth)).body.error_code).toBe(67200008);
		expect((await psGet(sb, `${path}&apikey=someone-else`, auth)).body.error_code).toBe(67200009);
		const good = await psGet(sb, `${path}&apikey=sandbox-client`, auth);
		expect(good.body).toMatchObject({ status: true, error_code: 0, error_msg: '' });
	});

	it('accepts an sk- key as Bearer or as apikey alone', async () => {
		expect((await psGet(sb, path, keyAuth)).body.status).toBe(true);
		expect((await psGet(sb, `${path}&apikey=${API_KEY}`)).body.status).toBe(true);
		expect((await psGet(sb, `${path}&apikey=sk-other`, keyAuth)).body.error_code).toBe(67200009);
		const unknown = await psGet(sb, path, { Authorization: 'Bearer sk-unknown' });
		expect(unknown.status).toBe(401);
		expect(unknown.body.error_code).toBe(67200003);
	});

	it('answers 67200003 for an expired token, in HTTP 200 or 401 as configured', async () => {
		const token = await patsnapToken(sb);
		clock.advance(1_800_000);
		const auth = { Authorization: `Bearer ${token}` };
		const expired = await psGet(sb, `${path}&apikey=sandbox-client`, auth);
		expect(expired).toMatchObject({ status: 200, body: { status: false, error_code: 67200003 } });
		sb.configure({ patsnap: { expiredTokenHttpStatus: 401 } });
		expect((await psGet(sb, `${path}&apikey=sandbox-client`, auth)).status).toBe(401);
	});
});

describe('PatSnap batch endpoints', () => {
	const numbers = () => sb.data.patsnap.patents.map((p) => p.pn);

	it('returns one item per patent found, bills per result, accepts 100 and rejects 101', async () => {
		const batch = [...numbers().slice(1, 99), 'US0000000X1', 'US11223344B2'];
		const ok = await psGet(sb, `/basic-patent-data/legal-status?patent_number=${batch.join(',')}`, keyAuth);
		expect((ok.body.data as unknown[]).length).toBe(99);
		const item = (ok.body.data as Array<Record<string, unknown>>).find((d) => d.pn === 'US11223344B2')!;
		expect(item).toMatchObject({ patent_legal: { simple_legal_status: ['Active'], legal_status: ['Granted'], event_status: ['Transfer', 'Litigation'] } });
		expect(typeof item.legal_date).toBe('number');
		const tooMany = await psGet(sb, `/basic-patent-data/legal-status?patent_number=${numbers().slice(0, 101).join(',')}`, keyAuth);
		expect(tooMany.body).toMatchObject({ status: false, error_code: 68300004 });
		expect((await psGet(sb, '/basic-patent-data/legal-status?patent_number=', keyAuth)).body.error_code).toBe(68300004);
		const log = sb.requests({ api: 'patsnap', endpoint: 'P013' });
		expect(log.map((r) => [r.batchSize, r.billed, r.resultCode])).toEqual([
			[100, 99, 0],
			[101, null, 68300004],
			[0, null, 68300004],
		]);
	});

	it('merges patent_id and patent_number (or lets patent_id win) without duplicates', async () => {
		const us = sb.data.patsnap.find('US11223344B2')!;
		const q = `patent_id=${us.patent_id}&patent_number=US11223344B2,EP3456789A1`;
		expect((await psGet(sb, `/basic-patent-data/simple-legal-status?${q}`, keyAuth)).body.data).toHaveLength(2);
		sb.configure({ patsnap: { bothParams: 'patentIdWins' } });
		expect((await psGet(sb, `/basic-patent-data/simple-legal-status?${q}`, keyAuth)).body.data).toHaveLength(1);
	});

	it('serves family, bibliography, legal events, transfers and litigation', async () => {
		const fam = (await psGet(sb, '/basic-patent-data/patent-family?patent_number=US11223344B2', keyAuth)).body.data as Array<{ patent_family: { simple_family: Array<{ country: string }> } }>;
		expect(fam[0].patent_family.simple_family.map((m) => m.country)).toEqual(['US', 'EP', 'CN', 'JP']);
		const bib = (await psGet(sb, '/basic-patent-data/bibliography?patent_number=US11223344B2', keyAuth)).body.data as Array<{ bibliographic_data: { exdt: number } }>;
		expect(typeof bib[0].bibliographic_data.exdt).toBe('number');
		expect((await psGet(sb, '/advanced-patent-data/transfer-data?patent_number=US11223344B2,EP3456789A1', keyAuth)).body.data).toHaveLength(1);
		expect((await psGet(sb, '/high-value-data/litigation?patent_number=US11223344B2', keyAuth)).body.data).toHaveLength(1);
		const cn = (await psGet(sb, '/advanced-patent-data/legal-data?patent_number=CN108765432B', keyAuth)).body.data as Array<{ patsnap_legal_data: { official_legal_data: unknown[] } }>;
		expect(cn[0].patsnap_legal_data.official_legal_data.length).toBeGreaterThan(0);
	});

	it('speaks Chinese when configured', async () => {
		sb.configure({ patsnap: { language: 'cn' } });
		const r = await psGet(sb, '/basic-patent-data/legal-status?patent_number=US11223344B2,CN112345678A', keyAuth);
		const [us, cn] = r.body.data as Array<{ patent_legal: { simple_legal_status: string[]; legal_status: string[]; event_status: string[] } }>;
		expect(us.patent_legal).toEqual({ simple_legal_status: ['有效'], legal_status: ['授权'], event_status: ['转让', '诉讼'] });
		expect(cn.patent_legal.simple_legal_status).toEqual([SIMPLE_LEGAL_STATUS_CN.Pending]);
		expect(cn.patent_legal.legal_status).toEqual([LEGAL_STATUS_CN.Examining]);
	});
});

describe('PatSnap limits', () => {
	const path = '/basic-patent-data/simple-legal-status?patent_number=US11223344B2';

	it('answers 67200002 over the QPS window, unbilled and uncounted', async () => {
		sb.configure({ patsnap: { qps: 2 } });
		expect((await psGet(sb, path, keyAuth)).body.status).toBe(true);
		expect((await psGet(sb, path, keyAuth)).body.status).toBe(true);
		const over = await psGet(sb, path, keyAuth);
		expect(over.body).toMatchObject({ status: false, error_code: 67200002 });
		clock.advance(1001);
		expect((await psGet(sb, path, keyAuth)).body.status).toBe(true);
		expect(sb.requests({ api: 'patsnap' }).map((r) => r.billed)).toEqual([1, 1, null, 1]);
	});

	it('answers 67200007 past the daily limit until 00:00 UTC+8', async () => {
		sb.configure({ patsnap: { dailyLimit: 2 } });
		await psGet(sb, path, keyAuth);
		await psGet(sb, path, keyAuth);
		expect((await psGet(sb, path, keyAuth)).body.error_code).toBe(67200007);
		// 12:00 JST is 11:00 UTC+8; 13 hours later it is the next day in UTC+8.
		clock.advance(13 * 3_600_000);
		expect((await psGet(sb, path, keyAuth)).body.status).toBe(true);
	});

	it('answers 67200005 when billing would exceed the balance', async () => {
		sb.configure({ patsnap: { balance: 3 } });
		expect((await psGet(sb, '/basic-patent-data/simple-legal-status?patent_number=US11223344B2,EP3456789A1', keyAuth)).body.status).toBe(true);
		expect((await psGet(sb, '/basic-patent-data/simple-legal-status?patent_number=CN112345678A,JP2021123456A', keyAuth)).body.error_code).toBe(67200005);
		expect((await psGet(sb, '/basic-patent-data/simple-legal-status?patent_number=CN112345678A', keyAuth)).body.status).toBe(true);
	});
});

describe('PatSnap P048 file wrapper', () => {
	it('pages through more than 30 documents with signed 1-hour PDF links', async () => {
		const first = await psPost(sb, '/advanced-patent-data/overseas-patent-documents', { patent_number: 'US11223344B2', offset: 0, limit: 10 }, keyAuth);
		const data = first.body.data as { doc_count: number; doc_detail_count: number; doc_detail: Array<{ path: string; doc_code: string; date: number }> };
		expect(data.doc_count).toBeGreaterThan(30);
		expect(data.doc_detail_count).toBe(10);
		const pages = [];
		for (let offset = 0; offset < data.doc_count; offset += 10) {
			const r = await psPost(sb, '/advanced-patent-data/file-wrapper', { patent_number: 'US11223344B2', offset, limit: 10 }, keyAuth);
			pages.push(...(r.body.data as typeof data).doc_detail);
		}
		expect(pages).toHaveLength(data.doc_count);
		expect(sb.requests({ endpoint: 'P048' }).every((r) => r.billed === 1)).toBe(true);
		const pdf = await fetch(data.doc_detail[0].path);
		expect(pdf.status).toBe(200);
		expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
		clock.advance(3_601_000);
		expect((await fetch(data.doc_detail[0].path)).status).toBe(403);
	});

	it('filters by code and date, and refuses Chinese patents', async () => {
		const r = await psPost(sb, '/advanced-patent-data/overseas-patent-documents', { patent_number: 'US11223344B2', doc_code: 'CTNF,NOA', limit: 100 }, keyAuth);
		const docs = (r.body.data as { doc_detail: Array<{ doc_code: string }> }).doc_detail;
		expect(docs.length).toBeGreaterThan(0);
		expect(docs.every((d) => ['CTNF', 'NOA'].includes(d.doc_code))).toBe(true);
		const cn = await psPost(sb, '/advanced-patent-data/overseas-patent-documents', { patent_number: 'CN112345678A' }, keyAuth);
		expect(cn.body).toMatchObject({ status: false, error_code: 68300004 });
	});
});

describe('PatSnap search and monitors', () => {
	it('resolves numbers with P069', async () => {
		const us = sb.data.patsnap.find('US11223344B2')!;
		const r = await psPost(sb, '/search/patent/patent-search-pn', { apno: us.apno, authority: ['US'] }, keyAuth);
		expect(r.body.data).toMatchObject({ result_count: 1, results: [{ pn: 'US11223344B2', patent_id: us.patent_id }] });
	});

	it('reports status changes made through the control API', async () => {
		const created = await psGet(sb, `/patent-alert/create?query=${encodeURIComponent('PN:(US11223344B2 OR EP3456789A1)')}&content=legal&alert_name=watch`, keyAuth);
		const { alert_id, number } = created.body.data as { alert_id: string; number: number };
		expect(number).toBe(2);
		expect((await psGet(sb, `/patent-alert/check?alert_id=${alert_id}`, keyAuth)).body.data).toEqual([]);
		const ep = sb.data.patsnap.find('EP3456789A1')!;
		const ctl = await fetch(`${sb.url}/__sandbox/patsnap/patents/${ep.patent_id}/legal-status`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ simple_legal_status: ['Active'], legal_status: ['Granted'] }),
		});
		expect(ctl.status).toBe(200);
		const check = await psGet(sb, `/patent-alert/check?alert_id=${alert_id}`, keyAuth);
		expect(check.body.data).toEqual([{ type: 'legal', count: 1, alert_name: 'watch', patent_ids: [ep.patent_id] }]);
		const status = await psGet(sb, '/basic-patent-data/simple-legal-status?patent_number=EP3456789A1', keyAuth);
		expect((status.body.data as Array<{ simple_legal_status: string[] }>)[0].simple_legal_status).toEqual(['Active']);
		const del = await fetch(`${sb.url}/patent-alert/delete?alert_id=${alert_id}`, { method: 'DELETE', headers: keyAuth });
		expect(((await del.json()) as { status: boolean }).status).toBe(true);
		expect((await psGet(sb, `/patent-alert/check?alert_id=${alert_id}`, keyAuth)).body.error_code).toBe(68300004);
	});
});

describe('PatSnap data changes (for trigger tests)', () => {
	it('adds legal events, transfers, court cases and examination documents; monitors report transfers and cases', async () => {
		const created = await psGet(sb, `/patent-alert/create?query=${encodeURIComponent('PN:(EP3456789A1)')}&content=transfer,litigation&alert_name=t`, keyAuth);
		const { alert_id } = created.body.data as { alert_id: string };
		const documentsBefore = ((await psPost(sb, '/advanced-patent-data/overseas-patent-documents', { patent_number: 'EP3456789A1', limit: 100 }, keyAuth)).body.data as { doc_count: number }).doc_count;
		const data = sb.data.patsnap;
		data.addLegalEvent('EP3456789A1', { event_code: 'R17P', event_desc: 'REQUEST FOR EXAMINATION FILED' }, 20260510);
		data.recordTransfer('EP3456789A1', { transferees: ['Heron Labs Ltd.'] }, 20260510);
		data.recordLitigation('EP3456789A1', { case_number: '1:26-cv-00001', defendant: 'Orbit Devices Inc.' }, 20260510);
		expect(data.addExamDocument('EP3456789A1', { doc_code: 'EPEX', date: 20260509 }, 20260510)).toEqual({
			date: 20260509,
			doc_code: 'EPEX',
			description: 'Communication from the Examining Division',
			page_number: 1,
		});

		const events = (await psGet(sb, '/advanced-patent-data/legal-data?patent_number=EP3456789A1', keyAuth)).body.data as Array<{ patsnap_legal_data: { inpadoc_legal_data: unknown[] } }>;
		expect(events[0].patsnap_legal_data.inpadoc_legal_data).toContainEqual({ event_code: 'R17P', event_date: 20260510, event_desc: 'REQUEST FOR EXAMINATION FILED', ref_country_code: 'EP' });
		const transfers = (await psGet(sb, '/advanced-patent-data/transfer-data?patent_number=EP3456789A1', keyAuth)).body.data as Array<{ patent_transfer_data: Array<{ transferees: Array<{ name: string }>; effective_date: number }> }>;
		expect(transfers[0].patent_transfer_data).toMatchObject([{ transferees: [{ name: 'Heron Labs Ltd.' }], effective_date: 20260510 }]);
		expect(data.find('EP3456789A1')!.current_assignee).toBe('Heron Labs Ltd.');
		const cases = (await psGet(sb, '/high-value-data/litigation?patent_number=EP3456789A1', keyAuth)).body.data as Array<{ patent_litigation_data: unknown[] }>;
		expect(cases[0].patent_litigation_data).toMatchObject([{ case_number: '1:26-cv-00001', filing_date: 20260510, defendant: [{ name: 'Orbit Devices Inc.' }] }]);
		const documents = (await psPost(sb, '/advanced-patent-data/overseas-patent-documents', { patent_number: 'EP3456789A1', limit: 100 }, keyAuth)).body.data as { doc_count: number; doc_detail: Array<{ doc_code: string; date: number }> };
		expect(documents.doc_count).toBe(documentsBefore + 1);
		expect(documents.doc_detail.map((doc) => doc.date)).toEqual([...documents.doc_detail.map((doc) => doc.date)].sort((a, b) => a - b));

		const check = await psGet(sb, `/patent-alert/check?alert_id=${alert_id}`, keyAuth);
		const id = data.find('EP3456789A1')!.patent_id;
		expect(check.body.data).toEqual([
			{ type: 'transfer', count: 1, alert_name: 't', patent_ids: [id] },
			{ type: 'litigation', count: 1, alert_name: 't', patent_ids: [id] },
		]);
		expect(() => data.recordTransfer('US00000000B1', { transferees: ['X'] }, 20260510)).toThrow('Unknown patent US00000000B1');
	});
});
