/**
 * Max Answer Size (MB): an answer over the limit fails its items with a message naming the option
 * and the size, is not asked for again, and does not stop the rest of the run. Against the sandbox:
 * its 12 MiB opinion archive (as a download link and inline) and a PatSnap bibliography batch.
 */
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { downloadSignedPdf } from '../../nodes/PatSnap/signedLinks';
import { maxAnswerBytes, refuseOversizedAnswer } from '../../nodes/shared/answerSize';
import { ApiFailure } from '../../nodes/shared/failure';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { defaultRetryPolicy } from '../../nodes/shared/retry';
import { FakeClock } from '../helpers/fakeClock';
import { runNode } from '../helpers/n8nContext';

const BIG_APPLICATION = '2020099001';
const MB = 1024 * 1024;

describe('Max Answer Size against the sandbox', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, config: { jpo: { perMinute: { limit: 6000, windowMs: 60_000 } }, patsnap: { qps: 1000 } } });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		sb.reset();
		forgetSharedLimiters();
	});

	const jpoRun = (parameters: IDataObject[], options: IDataObject, continueOnFail = true) =>
		runNode({
			node: new Jpo(),
			items: parameters.map(() => ({ json: {} })),
			parameters: (index) => ({ resource: 'patent', ...parameters[index], extractDocuments: false, options: { requestsPerMinute: 600, ...options } }),
			credentials: { jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' } },
			continueOnFail,
		});
	const archive = { operation: 'getApplicationDocuments', applicationNumber: BIG_APPLICATION };
	const progress = { operation: 'getProgress', applicationNumber: '2020045678' };
	const downloads = () => sb.requests({ api: 'jpo', kind: 'download' });

	it('JPO: the 12 MiB archive behind a download link fails its item at 1 MB; the next item is answered', async () => {
		const { output } = await jpoRun([archive, progress], { maxAnswerSizeMb: 1 });
		expect(output[0].json).toMatchObject({
			errorKind: 'unexpected',
			error: expect.stringMatching(/^JPO: The large JPO archive behind the download link is 12 MB \(\d{8} bytes\), more than Max Answer Size \(MB\) allows \(1 MB\)$/),
			errorDescription: expect.stringMatching(/^Raise Max Answer Size \(MB\) in the node options .* Not retried: .* JPO has counted the call against the daily limit\./),
		});
		expect(output[1].json).toMatchObject({ found: true, applicationNumber: '2020045678' });
		// Refused once, not fetched again.
		expect(downloads()).toHaveLength(1);
		expect(sb.requests({ api: 'jpo', kind: 'data' })).toHaveLength(2);
	});

	it('JPO: an answer over the limit that came inline is refused the same way', async () => {
		// The sandbox's inline answers are small (a progress record is about 5.5 KB), so the limit is
		// set below the field's 0.01 MB minimum, as an expression could.
		const { output } = await jpoRun([progress, { operation: 'getRefusalNotices', applicationNumber: '2021034567' }], { maxAnswerSizeMb: 0.004 });
		expect(output[0].json).toMatchObject({
			errorKind: 'unexpected',
			error: expect.stringMatching(/^JPO: The JPO answer is 0\.00\d+ MB \(\d{4} bytes\), more than Max Answer Size \(MB\) allows \(0\.004 MB\)$/),
		});
		expect(output[1].json).toMatchObject({ fileName: expect.stringMatching(/\.zip$/) });
		expect(sb.requests({ api: 'jpo', kind: 'data' })).toHaveLength(2);
	});

	it('JPO: without Continue On Fail the node throws a NodeApiError with the same message', async () => {
		const error = await jpoRun([archive], { maxAnswerSizeMb: 1 }, false).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/Max Answer Size \(MB\) allows \(1 MB\)/);
		expect((error as NodeApiError).description).toMatch(/^Raise Max Answer Size \(MB\)/);
	});

	it('JPO: at the default limit the archive is read as before', async () => {
		const { output } = await jpoRun([archive], {});
		expect(output[0].json).toMatchObject({ fileName: expect.stringMatching(/\.zip$/), _meta: { viaDownloadUrl: true } });
		expect(Number(output[0].json.fileSize)).toBeGreaterThan(12 * MB);
	});

	it('PatSnap: a batch answer over the limit fails every item of the batch once, with billing noted', async () => {
		const numbers = sb.data.patsnap.patents.slice(0, 20).map((patent) => patent.pn);
		const run = (continueOnFail: boolean) =>
			runNode({
				node: new PatSnap(),
				items: numbers.map(() => ({ json: {} })),
				parameters: (index) => ({ resource: 'patent', operation: 'getBibliography', numbers: numbers[index], options: { maxAnswerSizeMb: 0.01, requestsPerSecond: 100 } }),
				credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000', environment: 'custom', baseUrl: sb.url, accessToken: '' } },
				continueOnFail,
			});
		const { output } = await run(true);
		expect(output).toHaveLength(20);
		for (const item of output) {
			expect(item.json).toMatchObject({
				errorKind: 'unexpected',
				error: expect.stringMatching(/^PatSnap: The PatSnap answer \(P012 Get Bibliography, batch 1 of 1\) is 0\.0\d+ MB \(\d+ bytes\), more than Max Answer Size \(MB\) allows \(0\.01 MB\)$/),
				errorDescription: expect.stringMatching(/PatSnap may have billed the results it sent\./),
			});
		}
		expect(sb.requests({ api: 'patsnap', kind: 'data' })).toHaveLength(1);
		await expect(run(false)).rejects.toThrow(/Max Answer Size \(MB\) allows \(0\.01 MB\)/);
	});
});

describe('the size check on its own', () => {
	it('reads the option in MB and keeps the default for an empty or unusable value', () => {
		expect(maxAnswerBytes(0.5, 7)).toBe(MB / 2);
		expect(maxAnswerBytes('3', 7)).toBe(3 * MB);
		for (const unusable of [undefined, '', 0, -1, 'abc', Number.NaN]) expect(maxAnswerBytes(unusable, 7)).toBe(7);
	});

	it('refuses by the declared Content-Length even when fewer bytes arrived, and lets the limit itself through', () => {
		const response = (length: number, declared?: string) => ({ status: 200, headers: declared ? { 'Content-Length': declared } : {}, body: Buffer.alloc(length) });
		expect(() => refuseOversizedAnswer('JPO', response(10, String(5 * MB)), MB, { what: 'The JPO answer', mayHaveBeenCharged: true })).toThrow(
			/^The JPO answer is 5 MB \(5242880 bytes\), more than Max Answer Size \(MB\) allows \(1 MB\)$/,
		);
		expect(() => refuseOversizedAnswer('JPO', response(MB), MB, { what: 'The JPO answer', mayHaveBeenCharged: true })).not.toThrow();
		expect(() => refuseOversizedAnswer('JPO', response(MB + 1), MB, { what: 'The JPO answer', mayHaveBeenCharged: true })).toThrow(ApiFailure);
	});

	it('refuses a PatSnap document PDF over the limit without fetching it again', async () => {
		let fetches = 0;
		const fetchUnauthenticated = async () => {
			fetches++;
			return { status: 200, headers: {}, body: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4096)]) };
		};
		const outcome = await downloadSignedPdf(fetchUnauthenticated, { link: 'https://cos.example/doc.pdf', label: 'US1 document 1 (CTNF)' }, {
			retry: defaultRetryPolicy,
			clock: new FakeClock(),
			timeoutMs: 1000,
			maxResponseBytes: 1024,
		}).catch((thrown: unknown) => thrown);
		expect(outcome).toBeInstanceOf(ApiFailure);
		expect((outcome as ApiFailure).message).toMatch(/^The PDF of US1 document 1 \(CTNF\) is .* more than Max Answer Size \(MB\) allows/);
		expect(fetches).toBe(1);
	});
});
