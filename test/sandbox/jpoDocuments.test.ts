import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import type { Sandbox } from '../../sandbox';
import { FakeClock, jpoGet, jpoLogin, start } from './helpers';

let sb: Sandbox;
let clock: FakeClock;
let token: string;

beforeAll(async () => {
	({ sb, clock } = await start({ jpo: { perMinute: { limit: 1000 }, opdPerMinute: { limit: 1000 } } }));
});
afterAll(() => sb.close());
beforeEach(async () => {
	clock.rewind();
	sb.reset();
	token = (await jpoLogin(sb)).access_token;
});

async function getZip(path: string): Promise<{ res: Response; files: Record<string, Uint8Array> }> {
	const res = await fetch(`${sb.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
	const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
	return { res, files };
}

describe('JPO document archives', () => {
	it('serves a refusal-reason ZIP whose XML is real Shift_JIS', async () => {
		const { res, files } = await getZip('/api/patent/v1/app_doc_cont_refusal_reason/2020045678');
		expect(res.headers.get('content-disposition')).toBe('attachment;filename=docContRefusalReason_2020045678.zip');
		const names = Object.keys(files);
		expect(names).toHaveLength(1);
		expect(names[0]).toMatch(/^\d{11}-jpntce\.xml$/);
		const raw = files[names[0]];
		// Real Shift_JIS, not UTF-8 under a Shift_JIS label.
		expect(Buffer.from(raw).toString('utf8')).not.toContain('拒絶理由通知書');
		const xml = iconv.decode(Buffer.from(raw), 'Shift_JIS');
		expect(xml).toContain('<?xml version="1.0" encoding="Shift_JIS"?>');
		expect(xml).toContain('<jp:notice-pat-exam-rn lang="ja" dtd-version="1.0" xmlns:jp="http://www.jpo.go.jp">');
		expect(xml).toContain('<jp:document-name>拒絶理由通知書</jp:document-name>');
		expect(xml).toContain('この通知書の発送の日から６０日以内に意見書を提出することができます。');
		expect(xml).toMatch(/特開[０-９]{4}－[０-９]{6}号公報/);
		// iconv replaces characters Shift_JIS cannot hold with '?': there must be none.
		expect(xml.slice(xml.indexOf('?>') + 2)).not.toContain('?');
	});

	it('lays out opinions/amendments in folders and mailed documents flat', async () => {
		const oa = await getZip('/api/patent/v1/app_doc_cont_opinion_amendment/2020045678');
		expect(Object.keys(oa.files).filter((n) => !n.endsWith('/')).sort()).toEqual([
			expect.stringMatching(/^A523_\d{11}\/JPOXMLDOC01-jpbibl\.xml$/),
			expect.stringMatching(/^A53_\d{11}\/JPOXMLDOC01-jpbibl\.xml$/),
		]);
		const opinion = iconv.decode(Buffer.from(Object.entries(oa.files).find(([n]) => n.startsWith('A53_') && n.endsWith('.xml'))![1]), 'Shift_JIS');
		expect(opinion).toContain('<jp:pat-rspns');
		const mailed = await getZip('/api/patent/v1/app_doc_cont_refusal_reason_decision/2020045678');
		expect(Object.keys(mailed.files)).toHaveLength(2);
		const tm = await getZip('/api/trademark/v1/app_doc_cont_refusal_reason/2024012345');
		const htmName = Object.keys(tm.files).find((n) => n.endsWith('P.HTM'))!;
		const htm = iconv.decode(Buffer.from(tm.files[htmName]), 'Shift_JIS');
		expect(htm).toContain('<META http-equiv="Content-Type" content="text/html; charset=Shift_JIS">');
		expect(htm).toContain('拒絶理由通知書');
		const ds = await getZip('/api/design/v1/app_doc_cont_opinion_amendment/2021015000');
		expect(Object.keys(ds.files)).toEqual(expect.arrayContaining([expect.stringMatching(/^A53_\d{11}\/JPOSGMLDOC1P\.HTM$/), expect.stringMatching(/JPOSGMLDOC10001\.JPG$/)]));
	});

	it('hands out a 5-minute download URL for archives over the threshold', async () => {
		const { result } = await jpoGet(sb, token, '/api/patent/v1/app_doc_cont_opinion_amendment/2020099001');
		expect(result.statusCode).toBe('100');
		const url = result.data!.URL as string;
		expect(url.startsWith(`${sb.url}/__download/`)).toBe(true);
		expect((await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(400);
		const ok = await fetch(url);
		expect(ok.status).toBe(200);
		const bytes = new Uint8Array(await ok.arrayBuffer());
		expect(bytes.length).toBeGreaterThan(12 * 1024 * 1024);
		expect(Object.keys(unzipSync(bytes, { filter: (f) => !f.name.endsWith('.TIF') }))).toEqual(expect.arrayContaining([expect.stringMatching(/^A523_/)]));
		clock.advance(301_000);
		expect((await fetch(url)).status).toBe(403);
	});

	it('uses the threshold for ordinary archives too', async () => {
		sb.configure({ jpo: { largeArchiveThresholdBytes: 100 } });
		const { result } = await jpoGet(sb, token, '/api/patent/v1/app_doc_cont_refusal_reason/2020045678');
		const res = await fetch(result.data!.URL as string);
		expect(Object.keys(unzipSync(new Uint8Array(await res.arrayBuffer())))[0]).toMatch(/-jpntce\.xml$/);
	});
});

describe('JPO OPD', () => {
	const opd = async (path: string) => {
		const r = await fetch(`${sb.url}/opdapi/patent/v1/${path}`, { headers: { Authorization: `Bearer ${token}` } });
		return { status: r.status, type: r.headers.get('content-type') ?? '', body: Buffer.from(await r.arrayBuffer()) };
	};

	it('answers family and document lists as api-data XML with the OPD quota', async () => {
		const fam = await opd('family/application/JP.2020045678.A');
		const xml = fam.body.toString('utf8');
		expect(fam.type).toContain('xml');
		expect(xml).toContain('<api-data xmlns="https://www.jpo.go.jp"><statusCode>100</statusCode><errorMessage/><remainAccessCount>99</remainAccessCount>');
		expect(xml).toContain('<document-number>JP.2020045678.A</document-number>');
		const list = (await opd('global_doc_list/JP.2020045678.A')).body.toString('utf8');
		const id = /original id="(Notice_of_Reasons_for_Refusal_\d{11}_JP)"/.exec(list)![1];
		const pdf = await opd(`global_doc_cont/JP.2020045678.A/${id}`);
		expect(pdf.type).toBe('application/pdf');
		expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
		const zip = await opd(`jp_doc_cont/JP.2020045678.A/${id}`);
		const xmlDoc = iconv.decode(Buffer.from(Object.values(unzipSync(new Uint8Array(zip.body)))[0]), 'Shift_JIS');
		expect(xmlDoc).toContain('拒絶理由通知書');
		expect((await opd('global_cite_class/JP.2020045678.A')).body.toString()).toContain('<citation-and-classification-data>');
	});

	it('answers 204 for malformed DOCDB numbers, 107 for unknown ones, 303 over 5 a minute', async () => {
		expect((await opd('family/application/2020045678')).body.toString()).toContain('<statusCode>204</statusCode>');
		expect((await opd('family/other/JP.2020045678.A')).body.toString()).toContain('<statusCode>204</statusCode>');
		expect((await opd('family_list/publication/JP.1999999999.A')).body.toString()).toContain('<statusCode>107</statusCode>');
		// reset() restores the config startSandbox got, so narrow the window afterwards.
		sb.reset();
		sb.configure({ jpo: { opdPerMinute: { limit: 5 } } });
		token = (await jpoLogin(sb)).access_token;
		for (let i = 0; i < 5; i++) expect((await opd('family/application/JP.2020045678.A')).status).toBe(200);
		const over = await opd('family/application/JP.2020045678.A');
		expect(over.status).toBe(429);
		expect(over.body.toString()).toContain('<statusCode>303</statusCode>');
	});
});
