/**
 * The PatSnap Trigger's poll() against the in-process sandbox, on one fake clock shared with the
 * sandbox: baselines, each kind of change exactly once, batching and round-robin, manual runs and
 * failed polls that leave the state alone, the daily limit, Chinese answers, and monitor mode with
 * its consuming check. Real HTTP throughout; changes are made in the sandbox's data set, faults are
 * injected by the sandbox, and billing is read from the sandbox's request log.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { PatSnapTrigger } from '../../nodes/PatSnapTrigger/PatSnapTrigger.node';
import { pollPatSnap } from '../../nodes/PatSnapTrigger/poll';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';
import { newCredentialStore } from '../helpers/n8nContext';
import { createPollContext, runPoll, type PollContextOptions, type PollOutcome } from '../helpers/pollContext';

/** 2026-11-21 11:00 in China (UTC+8). */
const START = Date.UTC(2026, 10, 21, 3, 0, 0);
/** 2026-11-22 00:00 UTC+8, when the sandbox (like PatSnap) starts a new day. */
const NEXT_CHINA_MIDNIGHT = Date.UTC(2026, 10, 21, 16, 0, 0);
const TODAY = 20261121;
const CLIENT_SECRET = 'sandbox-secret';
const API_KEY = 'sk-sandbox-demo-key-0000000000000000000000000000';
const OPEN_QPS = { patsnap: { qps: 1000 } };
const HOURLY = { item: [{ mode: 'everyHour', minute: 0 }] };

const PATHS: Record<string, string> = {
	P013: '/basic-patent-data/legal-status',
	P026: '/advanced-patent-data/legal-data',
	P029: '/advanced-patent-data/transfer-data',
	P034: '/high-value-data/litigation',
	P048: '/advanced-patent-data/overseas-patent-documents',
	P056: '/patent-alert/create',
	P057: '/patent-alert/check',
};

const json = (items: INodeExecutionData[] | null) => (items ?? []).map((item) => item.json);
const patentOf = (item: IDataObject) => (item.patent as IDataObject).pn ?? (item.patent as IDataObject).input;
const changesOf = (outcome: PollOutcome) => json(outcome.items).map((item) => `${String(item.change)} ${String(patentOf(item))}`);

describe('PatSnap Trigger poll() against the sandbox', () => {
	const clock = new FakeClock(START);
	let sb: Sandbox;
	const credentials = () => ({
		patSnapApi: { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: CLIENT_SECRET, environment: 'custom', baseUrl: sb.url, accessToken: '' },
	});

	/** One trigger node in one workflow: its static data and credential store live across polls. */
	function watcher(parameters: IDataObject, extra: Partial<PollContextOptions> = {}) {
		const staticData: IDataObject = {};
		const store = newCredentialStore(credentials());
		const base = { source: 'watchList', watch: ['legalStatus'], pollTimes: HOURLY };
		const poll = async (mode: 'trigger' | 'manual' = 'trigger', overrides: IDataObject = {}) => {
			const options = { ...(parameters.options as IDataObject), ...(overrides.options as IDataObject) };
			const context = createPollContext({
				parameters: { ...base, ...parameters, ...overrides, options },
				credentials: credentials(),
				store,
				staticData,
				mode,
				...extra,
			});
			return await runPoll(context, async (pollContext) => await pollPatSnap(pollContext, clock));
		};
		return { staticData, store, poll };
	}

	/** Data calls, without the ones refused for an expired token (renewed and repeated, as n8n does). */
	const dataCalls = () => sb.requests({ api: 'patsnap', kind: 'data' }).filter((request) => request.resultCode !== 67200003);
	/** Calls PatSnap answered, by code (selected by path: a fault is recorded under the path). */
	const calls = (code: string) => dataCalls().filter((request) => request.path === PATHS[code]);
	const billed = (code: string) => calls(code).reduce((sum, request) => sum + (request.billed ?? 0), 0);
	const numbersSent = (code: string) => calls(code).map((request) => (request.query.patent_number ?? request.query.patent_id ?? '').split(',').filter(Boolean).length);
	const patentsState = (staticData: IDataObject) => staticData.patents as Record<string, IDataObject>;
	const data = () => sb.data.patsnap;

	function expectNoSecrets(value: unknown) {
		const text = JSON.stringify(value);
		for (const secret of [CLIENT_SECRET, API_KEY]) expect(text).not.toContain(secret);
		expect(text).not.toMatch(/Bearer /);
	}

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, clock, config: OPEN_QPS });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		clock.time = START;
		sb.reset();
		sb.configure(OPEN_QPS);
		forgetSharedLimiters();
	});

	describe('baseline and change detection', () => {
		it('records a baseline on the first poll and emits nothing; an unchanged list stays quiet', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1, CN112345678A # client B' });
			const first = await trigger.poll();
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			expect(patentsState(trigger.staticData)).toEqual({
				'patentNumber:US11223344B2': { checked: START, legal: { s: ['Active'], l: ['Granted'], e: ['Transfer', 'Litigation'], d: expect.any(Number) } },
				'patentNumber:EP3456789A1': { checked: START, legal: { s: ['Pending'], l: ['Examining'], e: [], d: expect.any(Number) } },
				'patentNumber:CN112345678A': { checked: START, legal: { s: ['Pending'], l: ['Examining'], e: [], d: expect.any(Number) } },
			});
			expect(calls('P013')).toHaveLength(1);
			expect(calls('P013')[0].query.patent_number).toBe('US11223344B2,EP3456789A1,CN112345678A');

			clock.advance(3600_000);
			const second = await trigger.poll();
			expect(second.error).toBeUndefined();
			expect(second.items).toBeNull();
			expect(calls('P013')).toHaveLength(2);
			expect(dataCalls().map((request) => request.path)).toEqual([PATHS.P013, PATHS.P013]);
		});

		it('emits a legal status change once, with old and new values, added and removed', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1' });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, TODAY);

			const changed = await trigger.poll();
			expect(changed.error).toBeUndefined();
			expect(changesOf(changed)).toEqual(['legalStatusChanged EP3456789A1']);
			const [item] = json(changed.items);
			const ep = data().find('EP3456789A1')!;
			expect(item).toMatchObject({
				change: 'legalStatusChanged',
				aspect: 'legalStatus',
				sample: false,
				patent: { input: 'EP3456789A1', patentId: ep.patent_id, pn: 'EP3456789A1' },
				oldValue: { simpleLegalStatus: ['Pending'], legalStatus: ['Examining'], eventStatus: [] },
				newValue: { simpleLegalStatus: ['Active'], legalStatus: ['Granted'], eventStatus: [], legalDate: TODAY, legalDateIso: '2026-11-21' },
				added: ['Active', 'Granted'],
				removed: ['Pending', 'Examining'],
				monitor: null,
				detectedAt: new Date(START).toISOString(),
			});
			expect(item.summary).toBe('Legal status of EP3456789A1 changed from Pending, Examining to Active, Granted (PatSnap update of 2026-11-21).');
			expect(item.changeId).toMatch(/^patentNumber:EP3456789A1:legalStatusChanged:[0-9a-z]{6}$/);
			expect(item._meta).toMatchObject({ mode: 'trigger', poll: { patentsRead: 2, changes: 1, baselined: 0 }, calls: { P013: 1 }, billedResults: { P013: 2 } });

			expectNoSecrets(changed.items);
			expect((await trigger.poll()).items).toBeNull();
		});

		it('tells a change of event flags and a bare update date from a status change', async () => {
			const trigger = watcher({ patents: 'US11223344B2, EP3456789A1' });
			await trigger.poll();
			data().setLegalStatus('US11223344B2', { event_status: ['Transfer', 'Litigation', 'License'] }, TODAY);
			data().setLegalStatus('EP3456789A1', {}, TODAY);

			const outcome = await trigger.poll();
			expect(changesOf(outcome)).toEqual(['eventStatusChanged US11223344B2', 'legalDateChanged EP3456789A1']);
			const [events, dateOnly] = json(outcome.items);
			expect(events).toMatchObject({ added: ['License'], removed: [], newValue: { eventStatus: ['Transfer', 'Litigation', 'License'] } });
			expect(events.summary).toBe('Event status of US11223344B2 changed: added License; now Transfer, Litigation, License (PatSnap update of 2026-11-21).');
			expect(dateOnly).toMatchObject({ oldValue: { legalDate: expect.any(Number) }, newValue: { legalDate: TODAY } });
			expect(dateOnly.summary).toMatch(/^PatSnap recorded a legal-status update for EP3456789A1 on 2026-11-21 \(before: \d{4}-\d{2}-\d{2}\); the status is unchanged: Pending, Examining\.$/);
			expect((await trigger.poll()).items).toBeNull();
		});

		it('emits each new legal event, transfer, court case and verdict once', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1', watch: ['events', 'transfers', 'litigation'] });
			const baseline = await trigger.poll();
			expect(baseline.items).toBeNull();
			expect([calls('P026'), calls('P029'), calls('P034')].map((list) => list.length)).toEqual([1, 1, 1]);
			expect(calls('P013')).toHaveLength(0);
			// P029 and P034 only return patents that have records: EP3456789A1 has none, which is a baseline too.
			expect(patentsState(trigger.staticData)['patentNumber:EP3456789A1']).toMatchObject({ transfers: '', cases: '', events: expect.any(String) });

			data().addLegalEvent('EP3456789A1', { event_code: 'R17P', event_desc: 'REQUEST FOR EXAMINATION FILED', event_date: 20261115 }, TODAY);
			data().recordTransfer('EP3456789A1', { transferees: ['Kestrel Robotics GmbH'], effective_date: 20261101 }, TODAY);
			data().recordLitigation('US11223344B2', { case_number: '1:26-cv-01234', defendant: 'Orbit Devices Inc.', filing_date: 20261110 }, TODAY);

			const outcome = await trigger.poll();
			// Grouped by patent, in list order.
			expect(changesOf(outcome)).toEqual(['newLitigation US11223344B2', 'newLegalEvent EP3456789A1', 'newTransfer EP3456789A1']);
			const [litigation, event, transfer] = json(outcome.items);
			expect(event).toMatchObject({
				aspect: 'events',
				oldValue: null,
				newValue: { source: 'inpadoc', code: 'R17P', date: 20261115, dateIso: '2026-11-15', description: 'REQUEST FOR EXAMINATION FILED', country: 'EP' },
				summary: 'New legal event for EP3456789A1: REQUEST FOR EXAMINATION FILED (code R17P, INPADOC) of 2026-11-15.',
			});
			expect(transfer).toMatchObject({
				aspect: 'transfers',
				newValue: { date: 20261101, transferees: ['Kestrel Robotics GmbH'], transferers: [data().find('EP3456789A1')!.transfers[0].transferers[0].name] },
			});
			expect(transfer.summary).toMatch(/^New transfer of EP3456789A1 effective 2026-11-01: from .+ to Kestrel Robotics GmbH\.$/);
			expect(litigation).toMatchObject({
				aspect: 'litigation',
				newValue: { caseNumber: '1:26-cv-01234', court: 'District of Delaware', filingDateIso: '2026-11-10', verdictDate: null, defendants: ['Orbit Devices Inc.'] },
			});
			expect(new Set(json(outcome.items).map((item) => item.changeId)).size).toBe(3);
			expect((await trigger.poll()).items).toBeNull();

			data().find('US11223344B2')!.litigations.find((entry) => entry.case_number === '1:26-cv-01234')!.verdict_date = 20261120;
			const verdict = await trigger.poll();
			expect(changesOf(verdict)).toEqual(['litigationUpdated US11223344B2']);
			expect(json(verdict.items)[0]).toMatchObject({ oldValue: { verdictDate: null }, newValue: { caseNumber: '1:26-cv-01234', verdictDate: 20261120 } });
			expect((await trigger.poll()).items).toBeNull();
		});

		it('emits new examination documents once, never downloads PDFs, and leaves Chinese patents to their not-covered note', async () => {
			const trigger = watcher({ patents: 'US20230123456A1, EP3456789A1, CN112345678A', watch: ['examinationDocuments'] });
			const baseline = await trigger.poll();
			expect(baseline.error).toBeUndefined();
			expect(baseline.items).toBeNull();
			// One call per covered patent; the Chinese one is not asked at all (P048 does not cover CN).
			expect(calls('P048').map((request) => request.query)).toHaveLength(2);
			const us = data().find('US20230123456A1')!;
			expect(String(patentsState(trigger.staticData)['patentNumber:US20230123456A1'].docs)).toHaveLength(6 * us.exam_documents.length);
			expect(patentsState(trigger.staticData)['patentNumber:CN112345678A']).toEqual({ checked: START, docsUnavailable: true });

			data().addExamDocument('US20230123456A1', { doc_code: 'CTNF', date: 20261118, page_number: 12 }, TODAY);
			data().addExamDocument('US20230123456A1', { doc_code: 'IDS', date: 20261118, page_number: 3 }, TODAY);
			const outcome = await trigger.poll();
			expect(changesOf(outcome)).toEqual(['newExaminationDocument US20230123456A1', 'newExaminationDocument US20230123456A1']);
			const [ctnf, ids] = json(outcome.items);
			expect(ctnf).toMatchObject({
				aspect: 'examinationDocuments',
				newValue: { date: 20261118, dateIso: '2026-11-18', docCode: 'CTNF', description: 'Non-Final Rejection', pageNumber: 12, path: expect.stringMatching(/\/__pdf\//), pathExpiresAt: new Date(START + 3600_000).toISOString() },
				summary: 'New examination document for US20230123456A1: CTNF (Non-Final Rejection) of 2026-11-18, 12 pages.',
			});
			expect(ids.newValue).toMatchObject({ docCode: 'IDS' });
			expect(sb.requests({ api: 'patsnap', kind: 'download' })).toHaveLength(0);
			expect(json(outcome.items)[0]._meta).toMatchObject({ poll: { examinationDocumentsUnavailable: { count: 1, patents: ['CN112345678A'] } } });
			expect(calls('P048')).toHaveLength(4);
			expect((await trigger.poll()).items).toBeNull();

			// A second document of a code and date already seen is still new: documents are counted.
			data().addExamDocument('US20230123456A1', { doc_code: 'IDS', date: 20261118, page_number: 4 }, TODAY);
			const second = await trigger.poll();
			expect(json(second.items).map((item) => (item.newValue as IDataObject).pageNumber)).toEqual([4]);
			expect(json(second.items)[0].changeId).not.toBe(ids.changeId);
			expect((await trigger.poll()).items).toBeNull();
		});

		it('pages through a dossier of more than 100 documents and asks P048 for patents given by ID', async () => {
			const us = data().find('US11223344B2')!;
			// Identical entries too: they are counted, not collapsed.
			while (us.exam_documents.length < 130) data().addExamDocument('US11223344B2', { doc_code: 'IDS', date: 20250105 }, TODAY);
			const trigger = watcher({ patents: us.patent_id, watch: ['examinationDocuments'] });
			await trigger.poll();
			expect(calls('P048').map((request) => request.query)).toHaveLength(2);
			expect(String(patentsState(trigger.staticData)[`patentId:${us.patent_id}`].docs)).toHaveLength(6 * 130);
			data().addExamDocument('US11223344B2', { doc_code: 'NOA', date: 20261120 }, TODAY);
			const outcome = await trigger.poll();
			expect(changesOf(outcome)).toEqual(['newExaminationDocument US11223344B2']);
			expect(json(outcome.items)[0].patent).toEqual({ input: us.patent_id, patentId: us.patent_id, pn: 'US11223344B2' });
		});

		it('with Emit Current State on First Poll, the first check of each aspect emits its state, later ones only changes', async () => {
			const trigger = watcher({ patents: 'US11223344B2', watch: ['legalStatus', 'transfers'], options: { emitCurrentState: true } });
			const first = await trigger.poll();
			expect(changesOf(first)).toEqual(['currentState US11223344B2', 'currentState US11223344B2']);
			const [legal, transfers] = json(first.items);
			expect(legal).toMatchObject({ aspect: 'legalStatus', newValue: { simpleLegalStatus: ['Active'], legalStatus: ['Granted'] }, oldValue: null });
			expect(legal.summary).toMatch(/^Current legal status of US11223344B2: Active, Granted; events Transfer, Litigation/);
			expect(transfers).toMatchObject({ aspect: 'transfers', newValue: { count: 1 }, changeId: 'patentNumber:US11223344B2:currentState:transfers' });
			expect((await trigger.poll()).items).toBeNull();

			// An aspect added later gets its own baseline (and its state item), the others compare.
			const added = await trigger.poll('trigger', { watch: ['legalStatus', 'transfers', 'litigation'] });
			expect(json(added.items).map((item) => `${String(item.change)} ${String(item.aspect)}`)).toEqual(['currentState litigation']);
		});

		it('reports a number PatSnap does not know once, and keeps watching it', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nUS99999999B2' });
			const first = await trigger.poll();
			expect(changesOf(first)).toEqual(['notFound US99999999B2']);
			expect(json(first.items)[0].summary).toMatch(/^PatSnap does not know US99999999B2\./);
			expect(billed('P013')).toBe(1);
			expect((await trigger.poll()).items).toBeNull();
			expect(numbersSent('P013')).toEqual([2, 2]);
		});

		it('takes "unknown" from P048 only when nothing else is watched, and never from lists that leave patents out', async () => {
			const documents = watcher({ patents: 'US99999999B2\nUS20230123456A1', watch: ['examinationDocuments'] });
			const first = await documents.poll();
			expect(changesOf(first)).toEqual(['notFound US99999999B2']);
			// The empty baseline makes the first documents count as new if PatSnap learns the number later.
			expect(patentsState(documents.staticData)['patentNumber:US99999999B2']).toEqual({ checked: START, missing: true, docs: '' });
			expect((await documents.poll()).items).toBeNull();

			// P026 and P029 may leave out a patent with nothing to list: that is an empty baseline, not "unknown".
			const events = watcher({ patents: 'US99999999B2', watch: ['events', 'transfers'] }, { workflowId: 'another-workflow' });
			expect((await events.poll()).items).toBeNull();
			expect(patentsState(events.staticData)['patentNumber:US99999999B2']).toEqual({ checked: START, events: '', transfers: '' });
		});

		it('compares Chinese answers on their English meaning and shows both', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1' });
			await trigger.poll();
			sb.configure({ patsnap: { language: 'cn' } });
			// Same status, now in Chinese: no change.
			expect((await trigger.poll()).items).toBeNull();

			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Inactive'], legal_status: ['Rejected'] }, TODAY);
			const outcome = await trigger.poll();
			expect(changesOf(outcome)).toEqual(['legalStatusChanged EP3456789A1']);
			expect(json(outcome.items)[0]).toMatchObject({
				oldValue: { simpleLegalStatus: ['Pending'], legalStatus: ['Examining'] },
				newValue: { simpleLegalStatus: ['Inactive'], legalStatus: ['Rejected'], asSent: { simpleLegalStatus: ['失效'], legalStatus: ['驳回'] } },
				added: ['Inactive', 'Rejected'],
			});
			expect(patentsState(trigger.staticData)['patentNumber:EP3456789A1'].legal).toMatchObject({ s: ['Inactive'], l: ['Rejected'] });

			sb.configure({ patsnap: { language: 'en' } });
			expect((await trigger.poll()).items).toBeNull();
		});
	});

	describe('batches, budget and round-robin', () => {
		it('reads 250 patents in three calls of at most 100 and bills each once per poll', async () => {
			const numbers = data().patents.slice(0, 250).map((patent) => patent.pn);
			const trigger = watcher({ patents: numbers.join('\n') });
			const first = await trigger.poll();
			expect(first.error).toBeUndefined();
			expect(numbersSent('P013')).toEqual([100, 100, 50]);
			expect(billed('P013')).toBe(250);
			expect(Object.keys(patentsState(trigger.staticData))).toHaveLength(250);
			// The state stays compact: about 130 bytes a patent.
			expect(JSON.stringify(trigger.staticData).length).toBeLessThan(250 * 140);

			data().setLegalStatus(numbers[180], { legal_status: ['Expired'], simple_legal_status: ['Inactive'] }, TODAY);
			const second = await trigger.poll();
			expect(changesOf(second)).toEqual([`legalStatusChanged ${numbers[180]}`]);
			expect(numbersSent('P013')).toEqual([100, 100, 50, 100, 100, 50]);
		});

		it('keeps PatSnap IDs and numbers in separate calls, so an ID-first host drops nothing', async () => {
			sb.configure({ patsnap: { bothParams: 'patentIdWins' } });
			const ep = data().find('EP3456789A1')!;
			const trigger = watcher({ patents: `US11223344B2\n${ep.patent_id}\nKR102345678B1`, watch: ['legalStatus', 'transfers'] });
			const first = await trigger.poll();
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			expect(calls('P013').map((request) => [request.query.patent_number, request.query.patent_id])).toEqual([
				['US11223344B2,KR102345678B1', undefined],
				[undefined, ep.patent_id],
			]);
			data().recordTransfer('US11223344B2', { transferees: ['Heron Labs Ltd.'] }, TODAY);
			expect(changesOf(await trigger.poll())).toEqual(['newTransfer US11223344B2']);
		});

		it('works through a longer list round-robin and says how long a sweep takes', async () => {
			const five = ['US11223344B2', 'EP3456789A1', 'CN112345678A', 'JP2021123456A', 'KR102345678B1'];
			const trigger = watcher({ patents: five.join('\n'), options: { maxPatentsPerPoll: 2, emitCurrentState: true } });
			const polls: PollOutcome[] = [];
			for (let poll = 0; poll < 4; poll++) {
				polls.push(await trigger.poll());
				clock.advance(3600_000);
			}
			expect(polls.map((outcome) => json(outcome.items).map(patentOf))).toEqual([five.slice(0, 2), five.slice(2, 4), five.slice(4), []]);
			expect(calls('P013').map((request) => request.query.patent_number)).toEqual([
				'US11223344B2,EP3456789A1',
				'CN112345678A,JP2021123456A',
				'KR102345678B1,US11223344B2',
				'EP3456789A1,CN112345678A',
			]);
			expect(json(polls[0].items)[0]._meta).toMatchObject({
				sweep: { patents: 5, perPoll: 2, pollsPerSweep: 3, pollIntervalMinutes: 60, estimatedDuration: '3 h', notYetChecked: 3, description: '5 patents, up to 2 per poll: a full sweep takes 3 polls, about 3 h.' },
			});
			const hour = (poll: number) => START + poll * 3600_000;
			expect(five.map((pn) => patentsState(trigger.staticData)[`patentNumber:${pn}`].checked)).toEqual([hour(2), hour(3), hour(3), hour(1), hour(2)]);
		});

		it("stops starting calls before n8n's poll budget runs out and leaves the rest first in line", async () => {
			const trigger = watcher(
				{ patents: 'US11223344B2, EP3456789A1, US20230123456A1', watch: ['examinationDocuments'], options: { requestsPerSecond: 1 } },
				{ pollBudgetMs: 31_000 },
			);
			const first = await trigger.poll();
			expect(first.error).toBeUndefined();
			// 1 s usable at one call a second: two patents' documents, the third waits.
			expect(calls('P048')).toHaveLength(2);
			expect(patentsState(trigger.staticData)['patentNumber:US20230123456A1']).toEqual({ checked: 0 });
			clock.advance(60_000);
			const secondStart = clock.now();
			await trigger.poll();
			expect(calls('P048')).toHaveLength(4);
			const apps = patentsState(trigger.staticData);
			expect(apps['patentNumber:US20230123456A1']).toEqual({ checked: secondStart, docs: expect.any(String) });
			// The one read longest ago is next; EP3456789A1 waits for the following poll.
			expect([apps['patentNumber:US11223344B2'].checked, apps['patentNumber:EP3456789A1'].checked]).toEqual([secondStart, START]);
		});
	});

	describe('manual runs and failed polls leave the state alone', () => {
		it('Fetch Test Event returns a sample shaped like a real change without touching the cursor or the state', async () => {
			const trigger = watcher({ patents: 'EP3456789A1\nUS11223344B2\n12345', options: { onInvalidEntry: 'emit', maxPatentsPerPoll: 1 } });
			const beforeBaseline = await trigger.poll('manual');
			expect(beforeBaseline.error).toBeUndefined();
			expect(beforeBaseline.after).toEqual({});
			const [sample, invalid] = json(beforeBaseline.items);
			expect(sample).toMatchObject({ change: 'legalStatusChanged', sample: true, oldValue: null, newValue: { simpleLegalStatus: ['Pending'] } });
			expect(sample.summary).toMatch(/^Legal status of EP3456789A1: Pending, Examining \(PatSnap update of \d{4}-\d{2}-\d{2}\)\.$/);
			expect(invalid).toMatchObject({ change: 'invalidEntry', line: 3, error: expect.stringMatching(/neither a PatSnap patent id nor a publication number/) });
			expect(sample._meta).toMatchObject({ mode: 'manual', sample: true, note: expect.stringMatching(/state was not changed/), calls: { P013: 1 } });

			expect(changesOf(await trigger.poll())).toEqual(['invalidEntry 12345']);
			const stateAfterFirstPoll = JSON.parse(JSON.stringify(trigger.staticData));
			const manual = await trigger.poll('manual');
			expect(manual.after).toEqual(manual.before);
			expect(trigger.staticData).toEqual(stateAfterFirstPoll);

			// The sample has exactly the keys of a real change item.
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, TODAY);
			const sampleAfterChange = json((await trigger.poll('manual')).items)[0];
			expect(sampleAfterChange).toMatchObject({ oldValue: { simpleLegalStatus: ['Pending'] }, newValue: { simpleLegalStatus: ['Active'] } });
			// The cursor did not move: the next real poll reads the second patent, as it would have anyway.
			expect((await trigger.poll()).items).toBeNull();
			expect(calls('P013').map((request) => request.query.patent_number)).toEqual(['EP3456789A1', 'EP3456789A1', 'EP3456789A1', 'EP3456789A1', 'US11223344B2']);
			const real = await trigger.poll();
			expect(changesOf(real)).toEqual(['legalStatusChanged EP3456789A1']);
			expect(Object.keys(sampleAfterChange).sort()).toEqual(Object.keys(json(real.items)[0]).sort());
		});

		it('Fetch Test Event uses the first watched aspect: its latest entry, or its state when it has none', async () => {
			const documents = await watcher({ patents: 'US20230123456A1', watch: ['examinationDocuments'] }).poll('manual');
			const latest = [...data().find('US20230123456A1')!.exam_documents].sort((a, b) => a.date - b.date).pop()!;
			expect(json(documents.items)[0]).toMatchObject({ change: 'newExaminationDocument', sample: true, newValue: { date: latest.date, docCode: latest.doc_code } });
			expect(calls('P048')).toHaveLength(1);

			const chinese = await watcher({ patents: 'CN112345678A', watch: ['examinationDocuments'] }).poll('manual');
			expect(json(chinese.items)[0]).toMatchObject({ change: 'currentState', sample: true, summary: expect.stringMatching(/^P048 does not cover CN112345678A/) });
			expect(calls('P048')).toHaveLength(1);

			// The aspects are taken in a fixed order: Legal Status, Events, Transfers, Litigation, Examination Documents.
			const transfers = await watcher({ patents: 'EP3456789A1', watch: ['examinationDocuments', 'transfers'] }).poll('manual');
			expect(json(transfers.items)[0]).toMatchObject({ change: 'currentState', aspect: 'transfers', newValue: { count: 0, transfers: [] }, sample: true });
			expect(calls('P048')).toHaveLength(1);
			expect(transfers.after).toEqual({});
		});

		it('Fetch Test Event in monitor mode makes no call at all and says why', async () => {
			const trigger = watcher({ source: 'monitor', alertId: '7f22ee78764149b481314b1fa60dca0c' });
			const sample = await trigger.poll('manual');
			expect(sample.error).toBeUndefined();
			expect(sb.requests({ api: 'patsnap' })).toHaveLength(0);
			expect(sample.after).toEqual({});
			expect(json(sample.items)[0]).toMatchObject({ sample: true, aspect: 'monitor', monitor: { alertId: '7f22ee78764149b481314b1fa60dca0c', type: 'legal' } });
			expect(json(sample.items)[0].summary).toMatch(/does not check the monitor, because a check hands over its pending changes/);
		});

		it.each([
			['a server error after every retry', { kind: 'http5xx', status: 503 }],
			['a dropped connection after every retry', { kind: 'reset' }],
			['PatSnap busy after every retry', { kind: 'patsnapError', code: 68300008 }],
		])('%s: the poll fails, nothing is recorded, and the next poll emits the change once', async (_label, fault) => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1', options: { maxAttempts: 3 } });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, TODAY);
			sb.faults.add({ api: 'patsnap', path: 'legal-status', ...fault } as never);

			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.error!.description).toMatch(/Nothing was recorded, so the next poll reads them again and no change is lost/);
			expect(failed.after).toEqual(failed.before);
			expect(sb.requests({ api: 'patsnap', kind: 'data' }).filter((request) => request.fault !== null)).toHaveLength(3);
			expectNoSecrets({ message: failed.error!.message, description: failed.error!.description, context: failed.error!.context });

			sb.faults.clear();
			expect(changesOf(await trigger.poll())).toEqual(['legalStatusChanged EP3456789A1']);
			expect((await trigger.poll()).items).toBeNull();
		});

		it('an answer lost after PatSnap may have billed it is not asked again in the same poll', async () => {
			const trigger = watcher({ patents: 'US11223344B2' });
			await trigger.poll();
			sb.faults.add({ api: 'patsnap', path: 'legal-status', kind: 'malformedJson', count: 1 });
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.after).toEqual(failed.before);
			expect(calls('P013')).toHaveLength(2);
			expect(calls('P013')[1]).toMatchObject({ fault: 'malformedJson', billed: 1 });
		});

		it('a batch that fails while another succeeds: the changes found are emitted, the failed batch is read first next poll, nothing twice', async () => {
			const numbers = data().patents.slice(0, 150).map((patent) => patent.pn);
			const trigger = watcher({ patents: numbers.join('\n'), options: { maxAttempts: 2 } });
			await trigger.poll();
			data().setLegalStatus(numbers[10], { legal_status: ['Expired'], simple_legal_status: ['Inactive'] }, TODAY);
			data().setLegalStatus(numbers[120], { legal_status: ['Expired'], simple_legal_status: ['Inactive'] }, TODAY);
			// The second batch fails on both attempts.
			sb.faults.add({ api: 'patsnap', path: 'legal-status', kind: 'http5xx', skip: 1, count: 2 });

			const partial = await trigger.poll();
			expect(partial.error).toBeUndefined();
			expect(changesOf(partial)).toEqual([`legalStatusChanged ${numbers[10]}`]);
			expect(json(partial.items)[0]._meta).toMatchObject({
				poll: { patentsRead: 100, notCompleted: 50, failures: [{ aspect: 'legalStatus', patents: 50, errorKind: 'transient', error: 'PatSnap: PatSnap answered HTTP 503' }] },
			});
			const apps = patentsState(partial.after);
			expect(apps[`patentNumber:${numbers[10]}`].checked).toBe(START + 1);
			expect(apps[`patentNumber:${numbers[120]}`]).toMatchObject({ checked: START, legal: { l: expect.not.arrayContaining(['Expired']) } });

			const recovered = await trigger.poll();
			expect(changesOf(recovered)).toEqual([`legalStatusChanged ${numbers[120]}`]);
			// The batch that failed went first.
			expect(calls('P013').slice(-2).map((request) => request.query.patent_number.split(',')[0])).toEqual([numbers[100], numbers[50]]);
			expect((await trigger.poll()).items).toBeNull();
		});

		it('a poll that starts while the previous one still runs stands aside, so a change is never emitted twice', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1' });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'] }, TODAY);
			const [first, overlapping] = await Promise.all([trigger.poll(), trigger.poll()]);
			expect(changesOf(first)).toEqual(['legalStatusChanged EP3456789A1']);
			expect(overlapping.items).toBeNull();
			expect(overlapping.error).toBeUndefined();
			expect(calls('P013')).toHaveLength(2);
		});

		it('refused credentials fail the poll before anything is recorded, without the secret in the error', async () => {
			const trigger = watcher({ patents: 'US11223344B2' });
			await trigger.poll();
			trigger.store.records.patSnapApi = { ...trigger.store.records.patSnapApi, clientSecret: 'wrong-secret-value', accessToken: '' };
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.after).toEqual(failed.before);
			expect(JSON.stringify({ message: failed.error!.message, description: failed.error!.description })).not.toContain('wrong-secret-value');
		});

		it('unreadable entries fail the poll before any request, naming each line', async () => {
			const trigger = watcher({ patents: 'US11223344B2\n12345\n\n2020-12x' });
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeOperationError);
			expect(failed.error!.message).toBe('The watch list has 2 entries that cannot be watched');
			expect(failed.error!.description).toMatch(/^line 2: "12345" is neither.*line 4: "2020-12x" is neither/);
			expect(sb.requests({ api: 'patsnap' })).toHaveLength(0);
			expect(failed.after).toEqual({});
		});

		it('with On Invalid Entry set to emit, each unreadable entry is emitted once and the rest is watched', async () => {
			const trigger = watcher({ patents: ['US11223344B2', '12345'], options: { onInvalidEntry: 'emit' } });
			const first = await trigger.poll();
			expect(json(first.items).map((item) => [item.change, item.line, item.changeId])).toEqual([['invalidEntry', 2, 'invalid:12345']]);
			expect((await trigger.poll()).items).toBeNull();
			expect(calls('P013')).toHaveLength(2);
		});
	});

	describe('the daily limit (PatSnap 67200007)', () => {
		it('fails the poll saying when the limit resets, records nothing, and continues after 00:00 UTC+8', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1' });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, TODAY);
			sb.configure({ patsnap: { dailyLimit: 1 } });

			const stopped = await trigger.poll();
			expect(stopped.error).toBeInstanceOf(NodeApiError);
			expect(stopped.error!.message).toMatch(/^PatSnap: The daily call limit is used up \(PatSnap error 67200007/);
			expect(stopped.error!.description).toMatch(/reset at 00:00 UTC\+8 \(2026-11-22 00:00 UTC\+8, in 13 h 0 min\)/);
			expect((stopped.error as NodeApiError & { failure?: IDataObject }).failure).toEqual({ cause: 'quota-exhausted', resetsAtEpochMs: NEXT_CHINA_MIDNIGHT });
			expect(stopped.after).toEqual(stopped.before);

			clock.time = NEXT_CHINA_MIDNIGHT + 60_000;
			const nextDay = await trigger.poll();
			expect(changesOf(nextDay)).toEqual(['legalStatusChanged EP3456789A1']);
		});

		it('emits what was found before the limit and leaves the rest of the list first in line', async () => {
			const trigger = watcher({ patents: 'US11223344B2\nEP3456789A1', watch: ['legalStatus', 'transfers'] });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, TODAY);
			data().recordTransfer('EP3456789A1', { transferees: ['Heron Labs Ltd.'] }, TODAY);
			sb.faults.add({ api: 'patsnap', path: 'transfer-data', kind: 'patsnapError', code: 67200007 });

			const partial = await trigger.poll();
			expect(partial.error).toBeUndefined();
			expect(changesOf(partial)).toEqual(['legalStatusChanged EP3456789A1']);
			expect(json(partial.items)[0]._meta).toMatchObject({
				poll: { stoppedEarly: { reason: 'quota', resetsAt: new Date(NEXT_CHINA_MIDNIGHT).toISOString() }, notCompleted: 2 },
			});
			expect(patentsState(partial.after)['patentNumber:EP3456789A1'].checked).toBe(START);

			sb.faults.clear();
			clock.time = NEXT_CHINA_MIDNIGHT + 60_000;
			expect(changesOf(await trigger.poll())).toEqual(['newTransfer EP3456789A1']);
			expect((await trigger.poll()).items).toBeNull();
		});
	});

	describe('monitor mode', () => {
		async function createMonitor(query: string, content: string): Promise<string> {
			const response = await fetch(`${sb.url}${PATHS.P056}?${new URLSearchParams({ query, content, alert_name: 'docket' })}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
			const body = (await response.json()) as { data: { alert_id: string } };
			sb.clearRequests();
			return body.data.alert_id;
		}

		it('checks the monitor, fetches details of the reported patents, and emits each report once', async () => {
			const alertId = await createMonitor('PN:(US11223344B2 OR EP3456789A1 OR KR102345678B1)', 'legal,transfer');
			const trigger = watcher({ source: 'monitor', alertId });
			expect((await trigger.poll()).items).toBeNull();
			expect(calls('P057')).toHaveLength(1);
			expect(calls('P013')).toHaveLength(0);

			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'], legal_status: ['Granted'] }, TODAY);
			data().recordTransfer('KR102345678B1', { transferees: ['Heron Labs Ltd.'] }, TODAY);
			const reported = await trigger.poll();
			expect(reported.error).toBeUndefined();
			const ep = data().find('EP3456789A1')!;
			const kr = data().find('KR102345678B1')!;
			expect(json(reported.items).map((item) => `${String(item.change)} ${String((item.patent as IDataObject).pn)}`)).toEqual([
				'legalStatusChanged EP3456789A1',
				'assigneeChanged KR102345678B1',
			]);
			const [legal, transfer] = json(reported.items);
			expect(legal).toMatchObject({
				aspect: 'monitor',
				patent: { input: ep.patent_id, patentId: ep.patent_id, pn: 'EP3456789A1' },
				monitor: { alertId, alertName: 'docket', type: 'legal', count: 1 },
				oldValue: null,
				newValue: { simpleLegalStatus: ['Active'], legalStatus: ['Granted'] },
				details: { pn: 'EP3456789A1', patent_legal: { simple_legal_status: ['Active'] } },
			});
			expect(legal.summary).toBe('PatSnap monitor "docket" reports a legal status change for EP3456789A1. Legal status now Active, Granted.');
			expect(transfer).toMatchObject({ patent: { patentId: kr.patent_id }, monitor: { type: 'transfer' } });
			expect(calls('P013').map((request) => request.query.patent_id.split(',').sort())).toEqual([[ep.patent_id, kr.patent_id].sort()]);

			expect((await trigger.poll()).items).toBeNull();

			// The next report of the same patent shows the status the trigger stored last time.
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Inactive'], legal_status: ['Revoked'] }, TODAY);
			const again = await trigger.poll();
			expect(json(again.items)[0]).toMatchObject({
				oldValue: { simpleLegalStatus: ['Active'], legalStatus: ['Granted'] },
				newValue: { simpleLegalStatus: ['Inactive'], legalStatus: ['Revoked'] },
				added: ['Inactive', 'Revoked'],
				removed: ['Active', 'Granted'],
			});
			expect(json(again.items)[0].changeId).not.toBe(legal.changeId);
			expect(calls('P057')).toHaveLength(4);
			expectNoSecrets(json(again.items));
		});

		it('without Fetch Details, items carry the reported patent IDs and make one call', async () => {
			const alertId = await createMonitor('PN:(EP3456789A1)', 'legal');
			const trigger = watcher({ source: 'monitor', alertId, fetchDetails: false });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'] }, TODAY);
			const outcome = await trigger.poll();
			expect(json(outcome.items)).toEqual([expect.objectContaining({ change: 'legalStatusChanged', details: null, newValue: null, patent: { input: data().find('EP3456789A1')!.patent_id, patentId: data().find('EP3456789A1')!.patent_id, pn: null } })]);
			expect(calls('P013')).toHaveLength(0);
		});

		it('details that cannot be fetched after a successful check do not lose the report', async () => {
			const alertId = await createMonitor('PN:(EP3456789A1)', 'legal');
			const trigger = watcher({ source: 'monitor', alertId, options: { maxAttempts: 2 } });
			await trigger.poll();
			data().setLegalStatus('EP3456789A1', { simple_legal_status: ['Active'] }, TODAY);
			sb.faults.add({ api: 'patsnap', path: 'legal-status', kind: 'http5xx' });

			const outcome = await trigger.poll();
			expect(outcome.error).toBeUndefined();
			expect(json(outcome.items)).toHaveLength(1);
			expect(json(outcome.items)[0]).toMatchObject({ change: 'legalStatusChanged', details: null, patent: { patentId: data().find('EP3456789A1')!.patent_id } });
			expect(json(outcome.items)[0]._meta).toMatchObject({ detailsError: 'PatSnap: PatSnap answered HTTP 503' });
			expect(calls('P013')).toHaveLength(2);

			sb.faults.clear();
			// The check consumed the report; it was emitted, so nothing is left to report and nothing repeats.
			expect((await trigger.poll()).items).toBeNull();
		});

		it('a failed check records nothing; an unknown monitor ID says which field to fix', async () => {
			const alertId = await createMonitor('PN:(EP3456789A1)', 'legal');
			const trigger = watcher({ source: 'monitor', alertId, options: { maxAttempts: 2 } });
			await trigger.poll();
			sb.faults.add({ api: 'patsnap', path: 'patent-alert/check', kind: 'http5xx', count: 2 });
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.after).toEqual(failed.before);

			const unknown = await watcher({ source: 'monitor', alertId: 'ffffffffffffffffffffffffffffffff' }).poll();
			expect(unknown.error).toBeInstanceOf(NodeApiError);
			expect(unknown.error!.message).toMatch(/PatSnap does not know monitor project ffffffffffffffffffffffffffffffff/);
			expect(unknown.error!.description).toMatch(/Field: Monitor Project ID/);
		});

		it('a lost answer to a check is not repeated, and the error says why', async () => {
			const alertId = await createMonitor('PN:(EP3456789A1)', 'legal');
			const trigger = watcher({ source: 'monitor', alertId });
			sb.faults.add({ api: 'patsnap', path: 'patent-alert/check', kind: 'malformedJson', count: 1 });
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.error!.description).toMatch(/may have handed over the monitor’s pending changes, so it was not repeated/);
			expect(calls('P057')).toHaveLength(1);
		});

		it('refuses a malformed monitor ID before any call', async () => {
			const failed = await watcher({ source: 'monitor', alertId: '../delete' }).poll();
			expect(failed.error).toBeInstanceOf(NodeOperationError);
			expect(failed.error!.message).toBe('"../delete" is not a monitor project ID');
			expect(sb.requests({ api: 'patsnap' })).toHaveLength(0);
		});
	});

	describe('the node', () => {
		it('is a polling trigger that uses the PatSnap credential and polls through the same code', async () => {
			const node = new PatSnapTrigger();
			expect(node.description).toMatchObject({ name: 'patSnapTrigger', displayName: 'PatSnap Trigger', polling: true, group: ['trigger'], inputs: [], credentials: [{ name: 'patSnapApi', required: true }] });
			expect(node.description.usableAsTool).toBeUndefined();
			const staticData: IDataObject = {};
			const context = createPollContext({
				parameters: { source: 'watchList', patents: 'US11223344B2', watch: ['legalStatus'], options: {} },
				credentials: credentials(),
				staticData,
			});
			expect(await node.poll!.call(context)).toBeNull();
			expect(Object.keys(staticData.patents as IDataObject)).toEqual(['patentNumber:US11223344B2']);
		});
	});
});
