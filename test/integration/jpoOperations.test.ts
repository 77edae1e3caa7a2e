/**
 * Every JPO operation through the node against the in-process sandbox, and what the node makes of
 * the answers: Simplify, document extraction, number forms, Stop Below Remaining and per-API quota
 * stops. Real HTTP throughout; only the sandbox decides what comes back.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { RESPONSE_PERIOD_SENTENCE } from '../../sandbox/jpo/documentText';
import { JPO_ENDPOINTS, jpoPathPrefix, type JpoEndpoint } from '../../nodes/Jpo/catalog';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { runNode } from '../helpers/n8nContext';
import { startScriptedServer } from '../helpers/scriptedServer';

const PATENT = '2020045678';
const DESIGN = '2021015000';
const TRADEMARK = '2023045678';
const FAST = { requestsPerMinute: 600, opdRequestsPerMinute: 600 };
const OPEN_WINDOWS = { jpo: { perMinute: { limit: 6000, windowMs: 60_000 }, opdPerMinute: { limit: 6000, windowMs: 60_000 } } };

const applicationFor = (endpoint: JpoEndpoint) =>
	endpoint.resource === 'design' ? DESIGN : endpoint.resource === 'trademark' ? TRADEMARK : PATENT;

/** The field that proves each JSON or XML operation returned its own kind of answer. */
const SIGNATURE_FIELDS: Record<string, string> = {
	'1-1': 'priorityRightInformation',
	'1-2': 'bibliographyInformation',
	'1-3': 'divisionalApplicationInformation',
	'1-4': 'priorityRightInformation',
	'1-5': 'applicantAttorneyName',
	'1-6': 'applicantAttorney',
	'1-7': 'publicationNumber',
	'1-11': 'patentDoc',
	'1-12': 'rightPersonInformation',
	'1-13': 'URL',
	'1-14': 'applicationNumber',
	'2-1': 'designClass',
	'2-2': 'designArticle',
	'2-3': 'priorityRightInformation',
	'2-4': 'applicantAttorneyName',
	'2-5': 'applicantAttorney',
	'2-6': 'designNumber',
	'2-10': 'rightPersonInformation',
	'2-11': 'URL',
	'3-1': 'goodsServiceInformation',
	'3-2': 'goodsServiceInformation',
	'3-3': 'priorityRightInformation',
	'3-4': 'applicantAttorneyName',
	'3-5': 'applicantAttorney',
	'3-6': 'registrationNumber',
	'3-10': 'rightPersonInformation',
	'3-11': 'URL',
	'4-1': 'family-data',
	'4-2': 'family-list-data',
	'4-3': 'document-list-data',
	'4-4': 'citation-and-classification-data',
};

function sampleParameters(endpoint: JpoEndpoint, opdDocumentId: string): Record<string, string> {
	const values: Record<string, string> = {
		applicationNumber: applicationFor(endpoint),
		applicantCode: '000100001',
		applicantName: 'アトラス　ツールズ　コーポレイション',
		numberReferenceKind: 'application',
		referenceNumber: applicationFor(endpoint),
		pctKind: 'international_publication',
		pctNumber: 'WO2021/012345',
		docdbKind: 'application',
		docdbNumber: `JP.${PATENT}.A`,
		documentId: opdDocumentId,
	};
	return Object.fromEntries(endpoint.parameters.map((kind) => [kind, values[kind]]));
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const binaryText = (item: INodeExecutionData, property: string, encoding = 'shift_jis') =>
	new TextDecoder(encoding).decode(Buffer.from(item.binary![property].data, 'base64'));

describe('JPO node: every operation against the sandbox', () => {
	let sb: Sandbox;
	let opdDocumentId: string;
	const credentials = () => ({
		jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' },
	});
	const run = (parameters: Array<Record<string, unknown>>, continueOnFail = false) =>
		runNode({
			node: new Jpo(),
			items: parameters.map(() => ({ json: {} })),
			parameters: (index) => ({ ...parameters[index], options: { ...FAST, ...(parameters[index].options as IDataObject) } }),
			credentials: credentials(),
			continueOnFail,
		});

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, config: OPEN_WINDOWS });
		const { output } = await run([{ resource: 'opd', operation: 'getDocumentList', docdbNumber: `JP.${PATENT}.A` }]);
		const lists = ((output[0].json['document-list-data'] as IDataObject)['document-lists'] as IDataObject)['document-list'] as IDataObject[];
		const refusal = lists.find((list) => JSON.stringify(list).includes('拒絶理由通知書'));
		opdDocumentId = String((refusal!.original as IDataObject)['@id']);
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		sb.configure(OPEN_WINDOWS);
		forgetSharedLimiters();
	});

	it('has a sample and a signature for every catalog row, so a new endpoint cannot go untested', () => {
		const jsonEndpoints = JPO_ENDPOINTS.filter((endpoint) => endpoint.response === 'json' || endpoint.response === 'xml');
		expect(jsonEndpoints.map((endpoint) => endpoint.number).filter((number) => !SIGNATURE_FIELDS[number])).toEqual([]);
		expect(JPO_ENDPOINTS).toHaveLength(42);
	});

	it.each(JPO_ENDPOINTS.map((endpoint) => [`${endpoint.number} ${endpoint.resource} ${endpoint.operation}`, endpoint] as const))(
		'%s: requests its own path once and outputs its kind of answer',
		async (_label, endpoint) => {
			const parameters = sampleParameters(endpoint, opdDocumentId);
			const { output } = await run([{ resource: endpoint.resource, operation: endpoint.operation, ...parameters }]);

			const dataRequests = sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data');
			expect(dataRequests).toHaveLength(1);
			const expectedPath = `${jpoPathPrefix(endpoint)}${endpoint.path.replace(/\{(\w+)\}/g, (_, kind: string) => encodeURIComponent(String(output[0].json._meta && (output[0].json._meta as { sent: IDataObject }).sent[kind])))}`;
			expect(dataRequests[0].path).toBe(expectedPath);
			expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			expect(output[0].json._meta).toMatchObject({ api: `JPO ${endpoint.number}`, statusCode: '100' });

			switch (endpoint.response) {
				case 'json':
				case 'xml':
					expect(output).toHaveLength(1);
					expect(output[0].json.found).toBe(true);
					expect(output[0].json[SIGNATURE_FIELDS[endpoint.number]]).toBeDefined();
					expect(typeof (output[0].json._meta as IDataObject).remainAccessCount).toBe('number');
					break;
				case 'zip':
					for (const item of output) {
						expect(item.json).toMatchObject({ format: expect.stringMatching(/^(xml|htm)$/), documentCode: expect.any(String) });
						expect(String(item.json.text).length).toBeGreaterThan(20);
						expect(item.binary!.data).toBeDefined();
					}
					expect(output[0].binary!.archive.mimeType).toBe('application/zip');
					break;
				case 'pdf':
					expect(output).toHaveLength(1);
					expect(output[0].binary!.data.mimeType).toBe('application/pdf');
					expect(Buffer.from(output[0].binary!.data.data, 'base64').subarray(0, 4).toString('latin1')).toBe('%PDF');
					break;
			}
		},
	);

	describe('Simplify', () => {
		it('adds ISO dates beside the originals, numbers for counts and English document names; off, the answer is as JPO sent it', async () => {
			const { output } = await run([
				{ resource: 'patent', operation: 'getProgress', applicationNumber: PATENT },
				{ resource: 'patent', operation: 'getProgress', applicationNumber: PATENT, simplify: false },
			]);
			const [simplified, raw] = json(output);
			expect(simplified.filingDate).toMatch(/^\d{8}$/);
			expect(simplified.filingDateIso).toBe(`${String(simplified.filingDate).slice(0, 4)}-${String(simplified.filingDate).slice(4, 6)}-${String(simplified.filingDate).slice(6)}`);
			const documents = (simplified.bibliographyInformation as IDataObject[]).flatMap((entry) => entry.documentList as IDataObject[]);
			const refusal = documents.find((document) => document.documentCode === 'A131')!;
			expect(refusal).toMatchObject({ documentNameEn: 'Notice of reasons for refusal', bodyAvailable: true, legalDateIso: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
			expect(typeof refusal.numberOfPages).toBe('number');
			expect((simplified.applicantAttorney as IDataObject[]).map((party) => party.role)).toContain('applicant');

			expect(raw.filingDateIso).toBeUndefined();
			const rawDocuments = (raw.bibliographyInformation as IDataObject[]).flatMap((entry) => entry.documentList as IDataObject[]);
			expect(typeof rawDocuments[0].numberOfPages).toBe('string');
			expect(rawDocuments[0].documentNameEn).toBeUndefined();
		});

		it('puts the application number, title and latest event first and names the applicants in one string, keeping the array', async () => {
			const { output } = await run([
				{ resource: 'patent', operation: 'getProgress', applicationNumber: PATENT },
				{ resource: 'design', operation: 'getSimpleProgress', applicationNumber: DESIGN },
				{ resource: 'trademark', operation: 'getProgress', applicationNumber: '2018067890' },
				{ resource: 'patent', operation: 'getProgress', applicationNumber: PATENT, simplify: false },
			]);
			const [patent, design, trademark, raw] = json(output);
			expect(Object.keys(patent).slice(0, 5)).toEqual(['applicationNumber', 'title', 'latestEvent', 'applicants', 'found']);
			expect(patent).toMatchObject({ applicationNumber: PATENT, title: patent.inventionTitle });
			const parties = patent.applicantAttorney as IDataObject[];
			expect(patent.applicants).toBe(parties.filter((party) => party.applicantAttorneyClass === '1').map((party) => party.name).join('; '));
			expect(parties.length).toBeGreaterThan(0);

			const documents = (patent.bibliographyInformation as IDataObject[]).flatMap((entry) => entry.documentList as IDataObject[]);
			const newest = [...documents].sort((a, b) => String(a.legalDate).localeCompare(String(b.legalDate))).pop()!;
			expect(patent.latestEvent).toMatchObject({ date: newest.legalDateIso, documentName: documents.filter((document) => document.legalDate === newest.legalDate).pop()!.documentDescription });
			expect(design).toMatchObject({ applicationNumber: DESIGN, title: design.designArticle });
			expect(trademark).toMatchObject({ title: trademark.trademarkForDisplay });
			for (const item of [patent, design, trademark]) expect(item.title).toEqual(expect.stringMatching(/\S/));
			expect(patent.applicants).toEqual(expect.stringMatching(/\S/));

			expect(Object.keys(raw)[0]).toBe('found');
			expect(raw.title).toBeUndefined();
			expect(raw.applicants).toBeUndefined();
		});

		it('turns the trademark lists JPO sends as numbered objects into arrays', async () => {
			const { output } = await run([
				{ resource: 'trademark', operation: 'getProgress', applicationNumber: '2018067890' },
				{ resource: 'trademark', operation: 'getProgress', applicationNumber: '2018067890', simplify: false },
			]);
			const [simplified, raw] = json(output);
			expect(Array.isArray(simplified.viennaClass)).toBe(true);
			expect((simplified.transliteration as unknown[]).length).toBeGreaterThan(0);
			expect(Array.isArray(raw.transliteration)).toBe(false);
			expect(Object.values(raw.transliteration as IDataObject)).toEqual(simplified.transliteration);
		});
	});

	describe('Extract Documents', () => {
		it('reads a patent refusal notice: code, name, number, dates, Shift_JIS text, XML as JSON, the original file and the archive', async () => {
			const { output } = await run([{ resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '2021034567' }]);
			expect(output).toHaveLength(1);
			const [notice] = output;
			expect(notice.json).toMatchObject({
				documentCode: 'A131',
				documentName: '拒絶理由通知書',
				documentNameEn: 'Notice of reasons for refusal',
				documentNumber: expect.stringMatching(/^\d{11}$/),
				applicationNumber: '2021034567',
				draftingDateIso: expect.stringMatching(/^2026-0[89]-\d{2}$/),
				format: 'xml',
				archive: { fileName: 'docContRefusalReason_2021034567.zip', documentIndex: 1, documentCount: 1, binaryProperty: 'archive' },
			});
			expect(notice.json.dispatchNumber).toBe(String(notice.json.documentNumber).slice(-6));
			expect(notice.json.text).toContain(RESPONSE_PERIOD_SENTENCE);
			expect(notice.json.text).not.toMatch(/<br|<p|&#/);
			expect(JSON.stringify(notice.json.content)).toContain('notice-of-rejection-a131-rn');
			expect(binaryText(notice, 'data')).toContain('encoding="Shift_JIS"');
			expect(notice.binary!.data.fileName).toMatch(/-jpntce\.xml$/);
			expect(notice.binary!.archive.fileName).toBe('docContRefusalReason_2021034567.zip');
		});

		it('gives every document of a mailed bundle its own item, all paired to the one input item', async () => {
			const { output } = await run([
				{ resource: 'patent', operation: 'getMailedDocuments', applicationNumber: PATENT },
				{ resource: 'patent', operation: 'getProgress', applicationNumber: '2019087654' },
			]);
			const documents = output.filter((item) => (item.pairedItem as { item: number }).item === 0);
			expect(documents.map((item) => item.json.documentCode).sort()).toEqual(['A01', 'A131']);
			expect(documents.map((item) => (item.json.archive as IDataObject).documentIndex)).toEqual([1, 2]);
			expect(documents.filter((item) => item.binary?.archive)).toHaveLength(1);
			expect(output[output.length - 1].json).toMatchObject({ found: true, applicationNumber: '2019087654' });
		});

		it('reads design and trademark HTM documents with their page images as binary', async () => {
			const { output } = await run([
				{ resource: 'design', operation: 'getApplicationDocuments', applicationNumber: DESIGN },
				{ resource: 'trademark', operation: 'getRefusalNotices', applicationNumber: TRADEMARK },
			]);
			const [designOpinion, trademarkNotice] = [output[0], output[output.length - 1]];
			expect(designOpinion.json).toMatchObject({ format: 'htm', documentName: expect.any(String), submissionDateIso: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
			expect(designOpinion.json.attachments).toEqual([expect.objectContaining({ binaryProperty: 'attachment1', mimeType: 'image/jpeg' })]);
			expect(designOpinion.binary!.attachment1.mimeType).toBe('image/jpeg');
			expect(trademarkNotice.json).toMatchObject({ documentCode: 'A131', applicationNumber: TRADEMARK, draftingDateIso: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
			expect(String(trademarkNotice.json.text)).toContain('拒絶理由通知書');
			expect(binaryText(trademarkNotice, 'data')).toMatch(/charset=Shift_JIS/i);
		});

		it('outputs the ZIP as one item when extraction is off', async () => {
			const { output } = await run([{ resource: 'patent', operation: 'getMailedDocuments', applicationNumber: PATENT, extractDocuments: false }]);
			expect(output).toHaveLength(1);
			expect(output[0].json).toMatchObject({ fileName: `docContRefusalReasonDecision_${PATENT}.zip`, mimeType: 'application/zip' });
			expect(output[0].binary!.data.mimeType).toBe('application/zip');
		});

		it('extracts the over-10 MB archive fetched from the download link, without sending the token there', async () => {
			const { output } = await run([{ resource: 'patent', operation: 'getApplicationDocuments', applicationNumber: '2020099001' }]);
			expect(output.length).toBeGreaterThan(1);
			expect(output[0].json._meta).toMatchObject({ viaDownloadUrl: true });
			expect(Number((output[0].json.archive as IDataObject).fileSize)).toBeGreaterThan(10 * 1024 * 1024);
			expect(sb.requests({ api: 'jpo' }).find((request) => request.kind === 'download')).toMatchObject({ httpStatus: 200, authorization: 'none' });
		});

		it('asks again when an archive arrives cut off, and fails the item clearly when it never arrives whole', async () => {
			sb.faults.add({ api: 'jpo', kind: 'truncatedZip', path: 'app_doc_cont_refusal_reason/', count: 1 });
			const first = await run([{ resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '2021034567', options: { maxAttempts: 3 } }]);
			expect(first.output[0].json.documentCode).toBe('A131');
			expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data').map((request) => request.fault ?? null)).toEqual(['truncatedZip', null]);

			sb.reset();
			sb.faults.add({ api: 'jpo', kind: 'truncatedZip', path: 'app_doc_cont_refusal_reason/' });
			const second = await run([{ resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '2021034567', options: { maxAttempts: 2 } }], true);
			expect(second.output).toHaveLength(1);
			expect(second.output[0].json).toMatchObject({ errorKind: 'malformed', input: { applicationNumber: '2021034567' } });
			expect(String(second.output[0].json.error)).toMatch(/incomplete or damaged file/);
			expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(2);
		});

		it('says "no documents" (108) as a result, not a failure', async () => {
			const { output } = await run([{ resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '2019087654' }]);
			expect(output[0].json).toMatchObject({ found: false, reason: 'noDocuments', _meta: { statusCode: '108' } });
		});
	});

	describe('numbers as people type them', () => {
		it('reads publication and registration numbers in their usual forms and echoes what was typed beside what was sent', async () => {
			const typed = [
				['publication', '特開2021-097352'],
				['publication', 'JP2021-097352A'],
				['registration', '特許第7112139号'],
				['registration', 'JP7112139B2'],
				['application', '特願２０２０－０４５６７８'],
			];
			const { output } = await run(
				typed.map(([numberReferenceKind, referenceNumber]) => ({ resource: 'patent', operation: 'getNumberReference', numberReferenceKind, referenceNumber })),
			);
			expect(json(output).map((item) => item.applicationNumber)).toEqual([PATENT, PATENT, PATENT, PATENT, PATENT]);
			expect(json(output).map((item) => (item._meta as { sent: IDataObject }).sent.referenceNumber)).toEqual([
				'2021097352',
				'2021097352',
				'7112139',
				'7112139',
				PATENT,
			]);
			expect((output[0].json._meta as { input: IDataObject }).input.referenceNumber).toBe('特開2021-097352');
		});

		it('reads PCT and DOCDB numbers in their usual forms', async () => {
			const { output } = await run([
				{ resource: 'patent', operation: 'getPctNationalPhase', pctKind: 'international_publication', pctNumber: 'wo 2021/012345' },
				{ resource: 'patent', operation: 'getPctNationalPhase', pctKind: 'international_application', pctNumber: 'PCT/US2020/045678' },
				{ resource: 'opd', operation: 'getFamily', docdbKind: 'application', docdbNumber: 'jp.2020045678.a' },
			]);
			expect(json(output).map((item) => item.found)).toEqual([true, true, true]);
			expect(output[0].json.applicationNumber).toBe('2021500123');
			expect((output[1].json._meta as { sent: IDataObject }).sent.pctNumber).toBe('US2020045678');
			expect((output[2].json._meta as { sent: IDataObject }).sent.docdbNumber).toBe('JP.2020045678.A');
		});

		it('fails unreadable numbers and forbidden characters on their own items before any request, naming the accepted forms', async () => {
			const { output } = await run(
				[
					{ resource: 'patent', operation: 'getNumberReference', numberReferenceKind: 'publication', referenceNumber: '特開2021' },
					{ resource: 'patent', operation: 'getApplicantCode', applicantName: 'ACME: Tools' },
					{ resource: 'patent', operation: 'getPctNationalPhase', pctKind: 'international_publication', pctNumber: 'PCT/JP2019/011858' },
					{ resource: 'opd', operation: 'getDocumentList', docdbNumber: 'JP2020045678' },
					{ resource: 'patent', operation: 'getApplicantCode', applicantName: '../applicant_attorney_cd/000100001' },
					{ resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: PATENT },
				],
				true,
			);
			expect(json(output).slice(0, 5).map((item) => item.errorKind)).toEqual(['input', 'input', 'input', 'input', 'input']);
			expect(String(output[0].json.error)).toContain('特開2021-097352');
			expect(String(output[1].json.error)).toMatch(/colons/);
			expect(String(output[2].json.error)).toContain('WO2019/011858');
			expect(String(output[3].json.error)).toContain('JP.2015500001.A');
			expect(output[5].json.found).toBe(true);
			expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(1);
		});

		it('sends an applicant name exactly as typed, full-width spaces included, percent-encoded', async () => {
			const { output } = await run([{ resource: 'design', operation: 'getApplicantCode', applicantName: 'アトラス　ツールズ　コーポレイション' }]);
			expect((output[0].json.applicantAttorney as IDataObject[]).map((entry) => entry.applicantAttorneyCd)).toEqual(['519400011', '520400012']);
			expect(sb.requests({ api: 'jpo' })[1].path).toBe(`/api/design/v1/applicant_attorney/${encodeURIComponent('アトラス　ツールズ　コーポレイション')}`);
		});
	});

	describe('daily limits', () => {
		it('Stop Below Remaining keeps a reserve: later items of that API are skipped and said so, other APIs go on', async () => {
			sb.configure({ jpo: { dailyLimits: { 'patent/app_progress': 5 } } });
			const progress = ['2020045678', '2021034567', '2019087654', '2024056789', '2018076543'].map((applicationNumber) => ({
				resource: 'patent',
				operation: 'getProgress',
				applicationNumber,
				options: { stopBelowRemaining: 3 },
			}));
			const { output, hints } = await run([...progress, { resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: PATENT, options: { stopBelowRemaining: 3 } }]);
			expect(output).toHaveLength(6);
			expect(json(output).map((item) => (item.found === true ? 'found' : item.skipped ? 'skipped' : 'other'))).toEqual([
				'found',
				'found',
				'skipped',
				'skipped',
				'skipped',
				'found',
			]);
			expect(output[2].json).toMatchObject({ reason: 'stopBelowRemaining', _meta: { remainAccessCount: 3 }, input: { applicationNumber: '2019087654' } });
			expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3, 4, 5]);
			expect(sb.requests({ api: 'jpo', endpoint: 'patent/app_progress' })).toHaveLength(2);
			expect(hints).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('JPO 1-1 with 3 calls left') })]);
		});

		it('Stop Below Remaining holds across executions, as an AI Agent runs the node once per tool call', async () => {
			sb.configure({ jpo: { dailyLimits: { 'patent/app_progress': 5 } } });
			const one = (applicationNumber: string) => [{ resource: 'patent', operation: 'getProgress', applicationNumber, options: { stopBelowRemaining: 3 } }];
			const runs = [];
			for (const applicationNumber of ['2020045678', '2021034567', '2019087654']) runs.push(json((await run(one(applicationNumber))).output)[0]);
			expect(runs.map((item) => (item.found === true ? 'found' : item.skipped ? 'skipped' : 'other'))).toEqual(['found', 'found', 'skipped']);
			expect(runs[2]).toMatchObject({ reason: 'stopBelowRemaining', _meta: { remainAccessCount: 3 } });
			expect(sb.requests({ api: 'jpo', endpoint: 'patent/app_progress' })).toHaveLength(2);
		});

		it('203 stops only the API whose limit is used up; with Continue On Fail the rest are error items, without it the error says what was done', async () => {
			sb.configure({ jpo: { dailyLimits: { 'patent/app_progress': 1 } } });
			const items = [
				{ resource: 'patent', operation: 'getProgress', applicationNumber: '2020045678' },
				{ resource: 'patent', operation: 'getProgress', applicationNumber: '2021034567' },
				{ resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: PATENT },
				{ resource: 'patent', operation: 'getProgress', applicationNumber: '2019087654' },
			];
			const { output } = await run(items, true);
			expect(json(output).map((item) => item.found ?? item.errorKind)).toEqual([true, 'quota', true, 'quota']);
			expect(output[1].json).toMatchObject({ errorCode: '203', quotaResetsAt: expect.stringMatching(/T15:00:00\.000Z$/) });
			expect(String(output[1].json.error)).toMatch(/daily access limit/);
			expect(String(output[1].json.errorDescription)).toMatch(/00:00 JST/);
			expect(output[3].json).toMatchObject({ notAttempted: true, input: { applicationNumber: '2019087654' } });
			expect(sb.requests({ api: 'jpo', endpoint: 'patent/app_progress' })).toHaveLength(2);

			sb.reset();
			sb.configure({ jpo: { dailyLimits: { 'patent/app_progress': 1 } } });
			forgetSharedLimiters();
			await expect(run(items)).rejects.toMatchObject({
				message: expect.stringMatching(/^JPO: .*daily access limit/),
				description: expect.stringMatching(/00:00 JST.*1 result item\(s\) had been fetched/),
			});
		});
	});
});

describe('JPO node: what a stop and a refusal say', () => {
	/** A scripted JPO: the token, then one reply per data call in order. */
	async function runScripted(replies: object[], parameters: IDataObject[], continueOnFail: boolean) {
		forgetSharedLimiters();
		const server = await startScriptedServer((request, index) =>
			request.url?.startsWith('/auth/token')
				? { body: { access_token: 'wording-token', refresh_token: 'r', expires_in: 3600, refresh_expires_in: 28800 } }
				: { body: replies[index - 1] },
		);
		try {
			return await runNode({
				node: new Jpo(),
				items: parameters.map(() => ({ json: {} })),
				parameters: (index) => ({ ...parameters[index], options: FAST }),
				credentials: { jpoApi: { username: 'u', password: 'p', tokenUrl: `${server.url}/auth/token`, baseUrl: server.url, accessToken: '' } },
				continueOnFail,
			});
		} finally {
			await server.close();
		}
	}
	const found = { result: { statusCode: '100', errorMessage: '', remainAccessCount: '10', data: { URL: 'https://www.j-platpat.inpit.go.jp/c1800/PU/JP-2020-123456/' } } };
	const limit = (errorMessage: string) => ({ result: { statusCode: '203', errorMessage, remainAccessCount: '', data: {} } });
	const items = [
		{ resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: '2020123456' },
		{ resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: '2020123457' },
		{ resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: '2020123458' },
	];

	it('without Continue On Fail, says the results fetched before are not output and how to keep them', async () => {
		const run = runScripted([found, limit('1日のアクセス上限を超過したため閲覧を制限します。')], items, false);
		const error = (await run.catch((caught: unknown) => caught)) as { message: string; description: string };
		expect(error.message).toMatch(
			/^JPO: The daily access limit of JPO 1-13 \(Get J-PlatPat URL\) is used up \(JPO status 203: 1日のアクセス上限を超過したため閲覧を制限します。\)\. The limit is per JPO ID and resets at (\d{4}-\d\d-\d\d) 00:00 JST \(in (\d+ h )?\d+ min\); retrying before then will not help\.$/,
		);
		expect(error.description).toMatch(/^The limit resets at 00:00 JST \(\d{4}-\d{2}-\d{2} 00:00 JST, in \d+ (h \d+ )?min\)\. /);
		expect(error.description).toContain('1 result item(s) had been fetched before this and are not output, because the node stopped with this error;');
		expect(error.description).toContain("set the node's On Error setting to Continue to keep them");
		expect(error.description).not.toMatch(/are kept|output as fetched/);
		expect(error.message).not.toMatch(/this API/);
	});

	it('with Continue On Fail, says the items before are output and which later ones are not attempted', async () => {
		const { output } = await runScripted([found, limit('1日のアクセス上限を超過したため閲覧を制限します。')], items, true);
		expect(output.map((item) => item.json.found ?? item.json.errorKind)).toEqual([true, 'quota', 'quota']);
		expect(String(output[1].json.errorDescription)).toContain(
			'The items before this one are output as fetched; later items for JPO 1-13 (Get J-PlatPat URL) are output as not attempted.',
		);
		expect(String(output[1].json.errorDescription)).not.toMatch(/had been fetched|On Error/);
		expect(output[2].json).toMatchObject({ notAttempted: true, errorCode: '203' });
	});

	it("shows JPO's own text only when it says more than the status code", async () => {
		for (const bare of ['status 203', '203', 'Status code: 203.']) {
			const { output } = await runScripted([limit(bare)], items.slice(0, 1), true);
			expect(String(output[0].json.error).replace(/\. The limit is per JPO ID and resets at .*$/, '')).toBe(
				'JPO: The daily access limit of JPO 1-13 (Get J-PlatPat URL) is used up (JPO status 203: 1日のアクセス上限を超過したため閲覧を制限します。)',
			);
			expect(output[0].json.errorOriginalMessage).toBe('1日のアクセス上限を超過したため閲覧を制限します。');
		}
		const { output } = await runScripted([limit('daily limit of 400 reached')], items.slice(0, 1), true);
		expect(String(output[0].json.error).replace(/\. The limit is per JPO ID and resets at .*$/, '')).toBe(
			'JPO: The daily access limit of JPO 1-13 (Get J-PlatPat URL) is used up (JPO status 203: daily limit of 400 reached)',
		);
	});

	it('puts the reset moment of the daily limit in the message itself, matching the time n8n is told', async () => {
		const before = Date.now();
		const { output } = await runScripted([limit('x')], items.slice(0, 1), true);
		const after = Date.now();
		const reset = /resets at (\d{4}-\d\d-\d\d) 00:00 JST \(in (?:(\d+) h )?(\d+) min\); retrying before then will not help\.$/.exec(String(output[0].json.error));
		expect(reset).not.toBeNull();
		const resetsAt = Date.parse(String(output[0].json.quotaResetsAt));
		// The reset is 00:00 JST, i.e. 15:00 UTC of the day before the date the message names.
		expect(resetsAt).toBe(Date.parse(`${reset![1]}T00:00:00+09:00`));
		const waitMs = (Number(reset![2] ?? 0) * 60 + Number(reset![3])) * 60_000;
		expect(resetsAt - waitMs).toBeGreaterThanOrEqual(before - 60_000);
		expect(resetsAt - waitMs).toBeLessThanOrEqual(after + 60_000);
	});

	it('puts the right article before the field a number does not fit', async () => {
		const typed = [
			{ resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: 'abc' },
			{ resource: 'patent', operation: 'getApplicantName', applicantCode: '12' },
			{ resource: 'patent', operation: 'getPctNationalPhase', pctKind: 'international_application', pctNumber: 'x' },
		];
		const { output } = await runScripted([], typed, true);
		expect(output.map((item) => String(item.json.error).replace(/ JPO understands.*/, ''))).toEqual([
			'JPO: Application Number field: "abc" is not an application number',
			'JPO: Applicant Code field: "12" is not an applicant code',
			'JPO: PCT Number field: "x" is not a PCT number',
		]);
	});
});

describe('JPO node: OPD answers in either envelope', () => {
	it('reads XML with its status, and tolerates the JSON error envelope some OPD errors come in', async () => {
		forgetSharedLimiters();
		const replies = [
			{
				headers: { 'Content-Type': 'application/xml' },
				body: '<?xml version="1.0" encoding="UTF-8"?><api-data xmlns="https://www.jpo.go.jp"><statusCode>107</statusCode><errorMessage>該当するデータがありません。</errorMessage><remainAccessCount>99</remainAccessCount></api-data>',
			},
			{ body: { result: { statusCode: '203', errorMessage: '1日のアクセス上限を超過したため閲覧を制限します。', remainAccessCount: '', data: {} } } },
		];
		const server = await startScriptedServer((request, index) =>
			request.url?.startsWith('/auth/token')
				? { body: { access_token: 'opd-token', refresh_token: 'r', expires_in: 3600, refresh_expires_in: 28800 } }
				: replies[index - 1],
		);
		try {
			const { output } = await runNode({
				node: new Jpo(),
				items: [{ json: {} }, { json: {} }],
				parameters: { resource: 'opd', operation: 'getFamilyList', docdbKind: 'application', docdbNumber: 'JP.2099000001.A', options: FAST },
				credentials: { jpoApi: { username: 'u', password: 'p', tokenUrl: `${server.url}/auth/token`, baseUrl: server.url, accessToken: '' } },
				continueOnFail: true,
			});
			expect(output[0].json).toMatchObject({ found: false, reason: 'noData', _meta: { statusCode: '107', remainAccessCount: 99 } });
			expect(output[1].json).toMatchObject({ errorKind: 'quota', errorCode: '203' });
			expect(server.requests.map((request) => request.url)).toEqual([
				'/auth/token',
				'/opdapi/patent/v1/family_list/application/JP.2099000001.A',
				'/opdapi/patent/v1/family_list/application/JP.2099000001.A',
			]);
		} finally {
			await server.close();
		}
	});
});
