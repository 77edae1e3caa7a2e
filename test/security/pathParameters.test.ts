/**
 * Every JPO endpoint through the real node against the in-process sandbox, each of its path
 * parameters given every kind of value that could change which resource a URL names. A bad value
 * fails its own item naming the field, the sandbox sees no request for it, and a good item in the
 * same run still gets its answer. PatSnap builds no path from user input, which is checked too.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { JPO_ENDPOINTS, JPO_PARAMETER_LABELS, jpoPathPrefix, type JpoEndpoint, type JpoParameterKind } from '../../nodes/Jpo/catalog';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { PATSNAP_BATCH_ENDPOINTS, PATSNAP_EXAMINATION_DOCUMENTS, PATSNAP_MONITOR_ENDPOINTS, PATSNAP_NUMBER_LOOKUP } from '../../nodes/PatSnap/catalog';
import { encodePathParameter } from '../../nodes/shared/pathParameters';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { ApiFailure } from '../../nodes/shared/failure';
import { runNode } from '../helpers/n8nContext';

const PATENT = '2020045678';
const DESIGN = '2021015000';
const TRADEMARK = '2023045678';
const OPEN_WINDOWS = { jpo: { perMinute: { limit: 6000, windowMs: 60_000 }, opdPerMinute: { limit: 6000, windowMs: 60_000 } } };
const FAST = { requestsPerMinute: 600, opdRequestsPerMinute: 600 };

/** Values that would leave, climb out of or corrupt a path segment if they reached the URL as typed. */
const HOSTILE_VALUES: Array<[string, string]> = [
	['dot-dot-slash', '../x'],
	['dot-dot with escaped slash', '..%2Fx'],
	['escaped slash', '%2F'],
	['lower-case escaped slash', '%2f'],
	['double-escaped slash', '%252F'],
	['slash', 'a/b'],
	['backslash', '\\'],
	['dot-dot', '..'],
	['dot', '.'],
	['NUL', '\u0000'],
	['line feed', '\n'],
	['carriage return and line feed', 'x\r\nHost: evil'],
	['DEL', '\u007f'],
	['C1 next line', 'x\u0085'],
	['257 characters', '1'.repeat(257)],
	['full-width dot-dot-slash', '．．／ｘ'],
	['full-width escaped slash', '％２Ｆ'],
	['question mark and hash', '2020045678?x=1#y'],
];

/** The applicant name is sent as typed, so full-width characters (legal in Japanese names) pass, encoded. */
const HOSTILE_FOR_NAME = HOSTILE_VALUES.filter(([label]) => !label.startsWith('full-width') && label !== 'question mark and hash');

function applicationFor(endpoint: JpoEndpoint): string {
	return endpoint.resource === 'design' ? DESIGN : endpoint.resource === 'trademark' ? TRADEMARK : PATENT;
}

function validParameters(endpoint: JpoEndpoint, opdDocumentId: string): Record<string, string> {
	const values: Record<JpoParameterKind, string> = {
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

const pairedWith = (items: INodeExecutionData[], index: number) => items.filter((item) => (item.pairedItem as { item: number }).item === index);

describe('path parameters: hostile values never reach a request', () => {
	let sb: Sandbox;
	let opdDocumentId: string;
	const credentials = () => ({
		jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' },
	});
	const run = (parameters: IDataObject[], continueOnFail = true) =>
		runNode({
			node: new Jpo(),
			items: parameters.map(() => ({ json: {} })),
			parameters: (index) => ({ ...parameters[index], options: FAST }),
			credentials: credentials(),
			continueOnFail,
		});
	const dataRequests = () => sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data');

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, config: OPEN_WINDOWS });
		const { output } = await run([{ resource: 'opd', operation: 'getDocumentList', docdbNumber: `JP.${PATENT}.A` }]);
		const lists = ((output[0].json['document-list-data'] as IDataObject)['document-lists'] as IDataObject)['document-list'] as IDataObject[];
		opdDocumentId = String((lists[0].original as IDataObject)['@id']);
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		forgetSharedLimiters();
	});

	it('covers all 42 JPO endpoints and every parameter they have', () => {
		expect(JPO_ENDPOINTS).toHaveLength(42);
		for (const endpoint of JPO_ENDPOINTS) {
			expect(endpoint.path.match(/\{(\w+)\}/g)?.map((braced) => braced.slice(1, -1))).toEqual(endpoint.parameters);
		}
	});

	it.each(JPO_ENDPOINTS.map((endpoint) => [`${endpoint.number} ${endpoint.resource} ${endpoint.operation}`, endpoint] as const))(
		'%s: each hostile value fails its item naming the field, with no request; the good item is answered',
		async (_label, endpoint) => {
			const valid = validParameters(endpoint, opdDocumentId);
			const base = { resource: endpoint.resource, operation: endpoint.operation };
			const cases: Array<{ kind: JpoParameterKind; label: string }> = [];
			const items: IDataObject[] = [{ ...base, ...valid }];
			for (const kind of endpoint.parameters) {
				for (const [label, value] of kind === 'applicantName' ? HOSTILE_FOR_NAME : HOSTILE_VALUES) {
					cases.push({ kind, label });
					items.push({ ...base, ...valid, [kind]: value });
				}
			}

			const { output } = await run(items);

			const good = pairedWith(output, 0);
			expect(good.length).toBeGreaterThan(0);
			for (const item of good) expect(item.json.error).toBeUndefined();
			cases.forEach(({ kind, label }, index) => {
				const failed = pairedWith(output, index + 1);
				expect({ label, kind, count: failed.length }).toEqual({ label, kind, count: 1 });
				expect(failed[0].json).toMatchObject({ errorKind: 'input', error: expect.stringMatching(/^JPO: /) });
				// Named as the field shows it ("Applicant Name") or in the number reader's words ("applicant name").
				const field = JPO_PARAMETER_LABELS[kind].toLowerCase();
				const named = `${String(failed[0].json.error)} ${String(failed[0].json.errorDescription)}`.toLowerCase();
				expect({ label, kind, namesField: named.includes(field) || (kind === 'referenceNumber' && /field: \w+ number/.test(named)) }).toEqual({
					label,
					kind,
					namesField: true,
				});
			});
			// One request in all: the good item's, to the endpoint's own path.
			const requests = dataRequests();
			expect(requests).toHaveLength(1);
			expect(requests[0].path.startsWith(`${jpoPathPrefix(endpoint)}${endpoint.path.split('/')[0]}/`)).toBe(true);
			expect(requests[0].path.split('/')).toHaveLength(`${jpoPathPrefix(endpoint)}${endpoint.path}`.split('/').length);
		},
	);

	it.each([
		['patent', 'getProgress', 'applicationNumber', '../../opdapi/patent/v1/family/application/JP.2020045678.A'],
		['patent', 'getApplicantCode', 'applicantName', '..%2F..%2Fapp_progress%2F2020045678'],
		['design', 'getNumberReference', 'numberReferenceKind', '../../../patent/v1/app_progress'],
		['opd', 'getJpDocumentContents', 'documentId', 'x/../../family'],
	])('without Continue On Fail, %s %s stops on a hostile %s before any request, naming the field', async (resource, operation, kind, value) => {
		const endpoint = JPO_ENDPOINTS.find((candidate) => candidate.resource === resource && candidate.operation === operation)!;
		const parameters = { resource, operation, ...validParameters(endpoint, opdDocumentId), [kind]: value };
		const error = await run([parameters], false).then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		const { message, description } = error as NodeApiError;
		expect(`${message} ${description}`.toLowerCase()).toContain(JPO_PARAMETER_LABELS[kind as JpoParameterKind].toLowerCase());
		expect(sb.requests()).toEqual([]);
	});

	it('sends full-width look-alikes in an applicant name percent-encoded, inside the one path segment', async () => {
		const names = ['．．／ｘ', '％２Ｆ', 'Ａ／Ｓ　テスト', '…∕⁄'];
		const { output } = await run(names.map((applicantName) => ({ resource: 'patent', operation: 'getApplicantCode', applicantName })));
		expect(output.map((item) => item.json.found)).toEqual([false, false, false, false]);
		const paths = dataRequests().map((request) => request.path);
		expect(paths).toEqual(names.map((name) => `/api/patent/v1/applicant_attorney/${encodeURIComponent(name)}`));
		for (const path of paths) expect(path.split('/')).toHaveLength(6);
	});

	it('refuses a kind selector an expression set to something that is not one of its options', async () => {
		const { output } = await run([
			{ resource: 'patent', operation: 'getNumberReference', numberReferenceKind: 'application', referenceNumber: PATENT },
			{ resource: 'patent', operation: 'getNumberReference', numberReferenceKind: 'publication_x', referenceNumber: PATENT },
			{ resource: 'opd', operation: 'getFamily', docdbKind: 'priority', docdbNumber: `JP.${PATENT}.A` },
		]);
		expect(output.map((item) => item.json.errorKind ?? 'ok')).toEqual(['ok', 'input', 'input']);
		expect(String(output[1].json.error)).toMatch(/Number Kind.*application, publication, registration/);
		expect(output[2].json.errorDescription).toBe('Field: DOCDB Number Kind');
		expect(dataRequests()).toHaveLength(1);
	});
});

describe('encodePathParameter on its own', () => {
	it.each(HOSTILE_VALUES.filter(([label]) => !label.startsWith('full-width') && label !== 'question mark and hash'))('refuses %s', (_label, value) => {
		expect(() => encodePathParameter('JPO', 'Applicant Name', value)).toThrow(ApiFailure);
		expect(() => encodePathParameter('JPO', 'Applicant Name', value)).toThrow(/^The Applicant Name /);
	});

	it('refuses an empty value and accepts 256 characters, encoding whatever it lets through', () => {
		expect(() => encodePathParameter('JPO', 'Document ID', '')).toThrow(/is empty/);
		expect(encodePathParameter('JPO', 'Document ID', 'a'.repeat(256))).toBe('a'.repeat(256));
		expect(encodePathParameter('JPO', 'Applicant Name', 'Ａ／Ｓ?#')).toBe(encodeURIComponent('Ａ／Ｓ?#'));
		expect(encodePathParameter('JPO', 'Applicant Name', '..x')).toBe('..x');
	});
});

describe('PatSnap builds no URL path from what the user typed', () => {
	it('has a fixed path for every operation', () => {
		const paths = [
			...PATSNAP_BATCH_ENDPOINTS.map((endpoint) => endpoint.path),
			PATSNAP_EXAMINATION_DOCUMENTS.path,
			PATSNAP_NUMBER_LOOKUP.path,
			...PATSNAP_MONITOR_ENDPOINTS.map((endpoint) => endpoint.path),
		];
		expect(paths).toHaveLength(14);
		for (const path of paths) expect(path).toMatch(/^(\/[a-z-]+)+$/);
	});

	it('sends monitor fields full of URL syntax as query values, never as part of the path or as extra parameters', async () => {
		const sb = await startSandbox({ port: 0 });
		try {
			forgetSharedLimiters();
			const query = 'PN:(US11223344B2) OR ANC:(a&apikey=stolen#/../../oauth/token?x=1)';
			const alertName = 'n&content=new/../%2F?#';
			await runNode({
				node: new PatSnap(),
				parameters: { resource: 'monitor', operation: 'create', query, content: ['legal'], alertName },
				credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000', environment: 'custom', baseUrl: sb.url, accessToken: '' } },
				continueOnFail: true,
			});
			const [request, ...rest] = sb.requests({ api: 'patsnap' });
			expect(rest).toEqual([]);
			expect(request.path).toBe('/patent-alert/create');
			expect(request.query).toEqual({ query, content: 'legal', alert_name: alertName });
		} finally {
			await sb.close();
		}
	});
});
