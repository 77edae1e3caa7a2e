/**
 * Conformance with the real JPO API: every response recorded from the live service (kept outside
 * this repository, in ../shared/reference/jpo/recorded) is served over HTTP, byte for byte with its
 * recorded status and headers, and read by the node exactly as a workflow would. The checks are
 * the fields the research notes list for each endpoint, the node's own additions (ISO dates,
 * extracted documents), and the Shift_JIS text of the real refusal notices.
 *
 * When the recordings are absent the suite is skipped and says so; CI sets
 * REQUIRE_JPO_RECORDINGS=1 so that a missing directory fails there instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { JPO_ENDPOINTS, jpoPathPrefix, type JpoEndpoint } from '../../nodes/Jpo/catalog';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { runNode } from '../helpers/n8nContext';
import { startScriptedServer } from '../helpers/scriptedServer';

const RECORDINGS = process.env.JPO_RECORDINGS_DIR ?? path.resolve(__dirname, '../../../shared/reference/jpo/recorded');
const present = existsSync(RECORDINGS);

interface Recording {
	method: string;
	url: string;
	status: number;
	headers: Record<string, string>;
	body?: string;
	bodyBase64?: string;
}

const load = (file: string) => JSON.parse(readFileSync(path.join(RECORDINGS, file), 'utf8')) as Recording;

/** Fields under `result.data` per endpoint, as the notes' appendix lists them; `x[]` reaches into a list. */
const LISTED_FIELDS: Record<string, Record<string, string[]>> = {
	'patent/app_progress': {
		'': ['applicationNumber', 'inventionTitle', 'applicantAttorney', 'filingDate', 'publicationNumber', 'ADPublicationNumber', 'nationalPublicationNumber', 'ADNationalPublicationNumber', 'publicationDate', 'registrationNumber', 'registrationDate', 'internationalApplicationNumber', 'internationalPublicationNumber', 'internationalPublicationDate', 'erasureIdentifier', 'expireDate', 'disappearanceDate', 'priorityRightInformation', 'parentApplicationInformation', 'divisionalApplicationInformation', 'bibliographyInformation'],
		'applicantAttorney[]': ['applicantAttorneyCd', 'repeatNumber', 'name', 'applicantAttorneyClass'],
		'priorityRightInformation[]': ['parisPriorityApplicationNumber', 'parisPriorityDate', 'parisPriorityCountryCd', 'nationalPriorityLawCd', 'nationalPriorityApplicationNumber', 'nationalPriorityInternationalApplicationNumber', 'nationalPriorityDate'],
		'divisionalApplicationInformation[]': ['applicationNumber', 'publicationNumber', 'ADPublicationNumber', 'nationalPublicationNumber', 'ADNationalPublicationNumber', 'registrationNumber', 'internationalApplicationNumber', 'internationalPublicationNumber', 'erasureIdentifier', 'expireDate', 'disappearanceDate', 'divisionalGeneration'],
		'bibliographyInformation[]': ['numberType', 'number', 'documentList'],
		'bibliographyInformation[].documentList[]': ['legalDate', 'irirFlg', 'availabilityFlag', 'documentCode', 'documentDescription', 'documentNumber', 'versionNumber', 'documentSeparator', 'numberOfPages', 'sizeOfDocument'],
	},
	'patent/app_progress_simple': {
		'': ['applicationNumber', 'inventionTitle', 'applicantAttorney', 'filingDate', 'publicationNumber', 'ADPublicationNumber', 'nationalPublicationNumber', 'ADNationalPublicationNumber', 'publicationDate', 'registrationNumber', 'registrationDate', 'internationalApplicationNumber', 'internationalPublicationNumber', 'internationalPublicationDate', 'erasureIdentifier', 'expireDate', 'disappearanceDate', 'bibliographyInformation'],
		'applicantAttorney[]': ['applicantAttorneyCd', 'repeatNumber', 'name', 'applicantAttorneyClass'],
		'bibliographyInformation[].documentList[]': ['legalDate', 'irirFlg', 'availabilityFlag', 'documentCode', 'documentDescription', 'documentNumber', 'versionNumber', 'documentSeparator', 'numberOfPages', 'sizeOfDocument'],
	},
	'patent/divisional_app_info': {
		'': ['applicationNumber', 'parentApplicationInformation', 'divisionalApplicationInformation'],
		'divisionalApplicationInformation[]': ['applicationNumber', 'publicationNumber', 'ADPublicationNumber', 'registrationNumber', 'erasureIdentifier', 'expireDate', 'disappearanceDate', 'divisionalGeneration'],
	},
	'patent/priority_right_app_info': {
		'': ['applicationNumber', 'priorityRightInformation'],
		'priorityRightInformation[]': ['parisPriorityApplicationNumber', 'parisPriorityDate', 'parisPriorityCountryCd', 'nationalPriorityLawCd', 'nationalPriorityApplicationNumber', 'nationalPriorityInternationalApplicationNumber', 'nationalPriorityDate'],
	},
	'patent/applicant_attorney_cd': { '': ['applicantAttorneyName'] },
	'patent/applicant_attorney': { '': ['applicantAttorney'], 'applicantAttorney[]': ['applicantAttorneyCd', 'name'] },
	'patent/case_number_reference': {
		'': ['applicationNumber', 'publicationNumber', 'nationalPublicationNumber', 'registrationNumber', 'internationalPublicationNumber'],
	},
	'patent/cite_doc_info': {
		'': ['applicationNumber', 'patentDoc', 'nonPatentDoc'],
		// Arrays in real answers although the spec's schema calls them objects (notes §2.3).
		'patentDoc[]': ['draftDate', 'citationType', 'citationOrder', 'documentNumber'],
		'nonPatentDoc[]': ['draftDate', 'citationType', 'citationOrder', 'documentType', 'authorName', 'paperTitle', 'publicationName', 'issueCountryCd', 'publisher', 'issueDate', 'issueDateType', 'issueNumber', 'citationPages'],
	},
	'patent/registration_info': {
		'': ['applicationNumber', 'filingDate', 'registrationNumber', 'registrationDate', 'decisionDate', 'appealTrialDecisiondDate', 'rightPersonInformation', 'inventionTitle', 'numberOfClaims', 'expireDate', 'nextPensionPaymentDate', 'lastPaymentYearly', 'erasureIdentifier', 'disappearanceDate', 'updateDate'],
		'rightPersonInformation[]': ['rightPersonCd', 'rightPersonName'],
	},
	'patent/jpp_fixed_address': { '': ['URL'] },
	'design/app_progress': {
		'': ['applicationNumber', 'designArticle', 'designClass', 'applicantAttorney', 'filingDate', 'publicationDate', 'registrationNumber', 'registrationDate', 'principalDesignApplicationNumber', 'erasureIdentifier', 'expireDate', 'disappearanceDate', 'priorityRightInformation', 'parentApplicationInformation', 'bibliographyInformation'],
		'applicantAttorney[]': ['applicantAttorneyCd', 'repeatNumber', 'name', 'applicantAttorneyClass'],
		'bibliographyInformation[].documentList[]': ['legalDate', 'irirFlg', 'availabilityFlag', 'documentCode', 'documentDescription', 'documentNumber', 'versionNumber', 'documentSeparator', 'numberOfPages', 'sizeOfDocument'],
	},
	'design/jpp_fixed_address': { '': ['URL'] },
	'trademark/app_progress': {
		'': ['applicationNumber', 'applicantAttorney', 'filingDate', 'publicationDate', 'registrationNumber', 'registrationDate', 'erasureIdentifier', 'expireDate', 'disappearanceDate', 'trademarkForDisplay', 'transliteration', 'viennaClass', 'goodsServiceInformation', 'priorityRightInformation', 'parentApplicationInformation', 'bibliographyInformation'],
		'applicantAttorney[]': ['applicantAttorneyCd', 'name', 'applicantAttorneyClass'],
		'goodsServiceInformation[]': ['goodsServiceClass', 'goodsServiceName', 'similarCode'],
		'bibliographyInformation[].documentList[]': ['legalDate', 'irirFlg', 'availabilityFlag', 'documentCode', 'documentDescription', 'documentNumber', 'versionNumber', 'documentSeparator', 'numberOfPages', 'sizeOfDocument'],
	},
};

/** What each recorded archive holds, read by eye from the recordings: code, number, ISO date, a phrase of its text. */
const ARCHIVE_CONTENTS: Record<string, Array<Record<string, string>>> = {
	'patent/app_doc_cont_refusal_reason': [
		{ documentCode: 'A131', documentNumber: '06124084096', draftingDateIso: '2024-02-20', phrase: 'この出願は、次の理由によって拒絶をすべきものです。' },
	],
	'patent/app_doc_cont_refusal_reason_decision': [
		{ documentCode: 'A131', documentNumber: '06124084096', draftingDateIso: '2024-02-20', phrase: '特許法第２９条第２項の規定により特許を受けることができない' },
		{ documentCode: 'A01', documentNumber: '06124327784', draftingDateIso: '2024-07-04', phrase: '拒絶の理由を発見しないから、特許査定をします。' },
	],
	'patent/app_doc_cont_opinion_amendment': [
		{ documentCode: 'A53', documentNumber: '52400900476', inResponseToDispatchNumber: '084096', phrase: '拒絶理由の要点' },
		{ documentCode: 'A523', documentNumber: '52400900473', inResponseToDispatchNumber: '084096', phrase: 'リードフレーム' },
	],
	'design/app_doc_cont_opinion_amendment': [
		{ documentCode: 'A523', documentNumber: '52200813279', submissionDateIso: '2022-03-24', phrase: '本意匠の表示' },
	],
	'design/app_doc_cont_refusal_reason': [
		{ documentCode: 'A131', documentNumber: '06322013724', draftingDateIso: '2022-03-10', phrase: '意匠法第３条第１項第３号' },
	],
	'trademark/app_doc_cont_refusal_reason': [
		{ documentCode: 'A131', documentNumber: '06425090392', draftingDateIso: '2025-06-06', phrase: '商標登録をすることができない次の理由' },
	],
	'trademark/app_doc_cont_refusal_reason_decision': [
		{ documentCode: 'A131', documentNumber: '06425090392', draftingDateIso: '2025-06-06', phrase: '意見書を提出' },
		{ documentCode: 'A02', documentNumber: '06426003498', draftingDateIso: '2026-01-08', phrase: '商標法第１５条の規定に基づき' },
	],
};

/** The catalog row and the path values a recorded URL stands for. */
function route(url: string): { endpoint: JpoEndpoint; values: Record<string, string>; key: string } {
	const { pathname } = new URL(url);
	for (const endpoint of JPO_ENDPOINTS) {
		const names: string[] = [];
		const pattern = `${jpoPathPrefix(endpoint)}${endpoint.path}`.replace(/\{(\w+)\}/g, (_, name: string) => {
			names.push(name);
			return '([^/]+)';
		});
		const match = new RegExp(`^${pattern}$`).exec(pathname);
		if (match) {
			const values = Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
			const key = `${endpoint.resource}/${endpoint.path.split('/')[0]}`;
			return { endpoint, values, key };
		}
	}
	throw new Error(`No catalog row serves ${pathname}`);
}

/** Every object found along `a[].b[]`, flattening lists (also lists the schema calls objects). */
function objectsAt(data: IDataObject, fieldPath: string): IDataObject[] {
	let current: unknown[] = [data];
	for (const step of fieldPath.split('.').filter(Boolean)) {
		const name = step.replace(/\[\]$/, '');
		current = current.flatMap((node) => {
			const value = (node as IDataObject)[name];
			return Array.isArray(value) ? value : value === undefined ? [] : [value];
		});
	}
	return current as IDataObject[];
}

const dataRecordings = present ? readdirSync(RECORDINGS).filter((file) => file.startsWith('api__')).sort() : [];

if (!present) {
	if (process.env.REQUIRE_JPO_RECORDINGS === '1') {
		throw new Error(`JPO recordings are required (REQUIRE_JPO_RECORDINGS=1) but ${RECORDINGS} does not exist`);
	}
	console.warn(`SKIPPED: JPO conformance suite. No recordings at ${RECORDINGS}; set JPO_RECORDINGS_DIR to run it.`);
	describe('JPO conformance: recorded live responses through the node', () => {
		it.skip(`SKIPPED: no recordings at ${RECORDINGS}`, () => undefined);
	});
} else {
	describeConformance();
}

function describeConformance() {
describe('JPO conformance: recorded live responses through the node', () => {
	const token = load('auth-token.json');
	let server: Awaited<ReturnType<typeof startScriptedServer>>;
	let current: Recording;

	beforeAll(async () => {
		server = await startScriptedServer((request) => {
			const recording = request.method === 'POST' ? token : current;
			return {
				status: recording.status,
				headers: recording.headers,
				body: recording.bodyBase64 !== undefined ? Buffer.from(recording.bodyBase64, 'base64') : (recording.body ?? ''),
			};
		});
	});
	afterAll(async () => await server.close());
	beforeEach(() => forgetSharedLimiters());

	const replay = async (file: string, extra: IDataObject = {}): Promise<INodeExecutionData[]> => {
		current = load(file);
		const { endpoint, values } = route(current.url);
		const { output } = await runNode({
			node: new Jpo(),
			parameters: { resource: endpoint.resource, operation: endpoint.operation, ...values, ...extra, options: { requestsPerMinute: 600 } },
			credentials: { jpoApi: { username: 'recorded', password: 'recorded', tokenUrl: `${server.url}/auth/token`, baseUrl: server.url, accessToken: '' } },
		});
		return output;
	};

	it('has recordings to replay, each for an endpoint the catalog knows', () => {
		expect(dataRecordings.length).toBeGreaterThanOrEqual(20);
		for (const file of dataRecordings) expect(() => route(load(file).url)).not.toThrow();
	});

	it('logs in with the recorded token answer (Keycloak fields, "Bearer" capitalised) and sends that token', async () => {
		await replay('api__patent__v1__jpp_fixed_address__2020123456.json');
		const dataCall = server.requests[server.requests.length - 1];
		expect(dataCall.authorization).toBe(`Bearer ${JSON.parse(token.body!).access_token}`);
	});

	describe.each(dataRecordings.filter((file) => load(file).bodyBase64 === undefined).map((file) => [file]))('%s', (file) => {
		const recording = load(file);
		const { result } = JSON.parse(recording.body!) as { result: { statusCode: string; remainAccessCount: string; data?: IDataObject } };
		const { key } = route(recording.url);

		if (result?.statusCode === '100') {
			it('passes the data through unchanged with Simplify off', async () => {
				const [item] = await replay(file, { simplify: false });
				const { found, _meta, ...data } = item.json;
				expect(found).toBe(true);
				expect(data).toEqual(result.data);
				expect(_meta).toMatchObject({ statusCode: '100', remainAccessCount: Number(result.remainAccessCount) });
			});

			it('has every field the notes list, and with Simplify an ISO date beside every date', async () => {
				const [item] = await replay(file);
				const listed = LISTED_FIELDS[key];
				expect(listed).toBeDefined();
				let checked = 0;
				for (const [fieldPath, fields] of Object.entries(listed)) {
					for (const node of objectsAt(item.json, fieldPath)) {
						for (const field of fields) expect(node).toHaveProperty([field]);
						checked++;
					}
				}
				expect(checked).toBeGreaterThan(0);
				const dates = JSON.stringify(item.json).match(/"(\w+Date)":"(\d{8})"/g) ?? [];
				for (const pair of dates) {
					const [, field, compact] = /"(\w+Date)":"(\d{8})"/.exec(pair)!;
					expect(JSON.stringify(item.json)).toContain(`"${field}Iso":"${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6)}"`);
				}
			});
		} else {
			it(`reports status ${result.statusCode} as a result that says nothing was found`, async () => {
				// The node refuses year 9999 before spending a call, so a plausible unknown number is typed
				// instead; the server still answers with the recording.
				const [item] = await replay(file, /\/9999999999$/.test(recording.url) ? { applicationNumber: '2099999999' } : {});
				expect(item.json).toMatchObject({ found: false, reason: 'noData', messageJa: '該当するデータがありません。', _meta: { statusCode: result.statusCode } });
			});
		}
	});

	describe.each(dataRecordings.filter((file) => load(file).bodyBase64 !== undefined).map((file) => [file]))('%s', (file) => {
		const recording = load(file);
		const { key } = route(recording.url);

		it('extracts each document with its code, number, date and Shift_JIS text', async () => {
			const output = await replay(file);
			const expected = ARCHIVE_CONTENTS[key];
			expect(expected).toBeDefined();
			expect(output).toHaveLength(expected.length);
			const fileName = /filename=([^;]+)/.exec(recording.headers['Content-Disposition'])![1];
			output.forEach((item, index) => {
				const { phrase, ...fields } = expected[index];
				expect(item.json).toMatchObject({ ...fields, documentName: expect.any(String), documentNameEn: expect.any(String) });
				expect(item.json.text).toContain(phrase);
				// Decoded from Shift_JIS: no replacement characters, no markup left.
				expect(item.json.text).not.toMatch(/\uFFFD|<\/?(p|br|PRE|FONT)\b/);
				expect((item.json.archive as IDataObject).fileName).toBe(fileName);
				expect(item.binary!.data.data.length).toBeGreaterThan(0);
			});
			expect(output[0].binary!.archive.data).toBe(recording.bodyBase64);
		});
	});
});
}
