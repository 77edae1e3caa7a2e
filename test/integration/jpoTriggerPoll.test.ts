/**
 * The JPO Trigger's poll() against the in-process sandbox, on one fake clock shared with the
 * sandbox: baselines, each kind of change exactly once, round-robin within the daily share, manual
 * runs and failed polls that leave the state alone, and the daily-limit stop. Real HTTP throughout;
 * changes are made in the sandbox's data set, faults are injected by the sandbox.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { JpoTrigger } from '../../nodes/JpoTrigger/JpoTrigger.node';
import { pollJpoWatchList } from '../../nodes/JpoTrigger/poll';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';
import { newCredentialStore } from '../helpers/n8nContext';
import { createPollContext, runPoll, type PollContextOptions, type PollOutcome } from '../helpers/pollContext';

/** 2026-11-21 12:00 JST. */
const START = Date.UTC(2026, 10, 21, 3, 0, 0);
/** 2026-11-22 00:00 JST, when JPO's daily counts reset. */
const NEXT_JST_MIDNIGHT = Date.UTC(2026, 10, 21, 15, 0, 0);
const OPEN_WINDOWS = { jpo: { perMinute: { limit: 6000, windowMs: 60_000 } } };
const HOURLY = { item: [{ mode: 'everyHour', minute: 0 }] };

const json = (items: INodeExecutionData[] | null) => (items ?? []).map((item) => item.json);
const changesOf = (outcome: PollOutcome) => json(outcome.items).map((item) => `${String(item.change)} ${String(item.applicationNumber)}`);

describe('JPO Trigger poll() against the sandbox', () => {
	const clock = new FakeClock(START);
	let sb: Sandbox;
	const credentials = () => ({
		jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' },
	});

	/** One trigger node in one workflow: its static data and credential store live across polls. */
	function watcher(parameters: IDataObject, extra: Partial<PollContextOptions> = {}) {
		const staticData: IDataObject = {};
		const store = newCredentialStore(credentials());
		const base = { defaultLaw: 'patent', residence: 'japan', pollTimes: HOURLY };
		const poll = async (mode: 'trigger' | 'manual' = 'trigger', overrides: IDataObject = {}) => {
			const options = { requestsPerMinute: 600, ...(parameters.options as IDataObject), ...(overrides.options as IDataObject) };
			const context = createPollContext({
				parameters: { ...base, ...parameters, ...overrides, options },
				credentials: credentials(),
				store,
				staticData,
				mode,
				...extra,
			});
			return await runPoll(context, async (pollContext) => await pollJpoWatchList(pollContext, clock));
		};
		return { staticData, store, poll };
	}

	/** Progress calls JPO answered (a call refused with 401 is renewed and repeated by the credential helper). */
	const progressCalls = () =>
		sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data' && request.path.includes('/app_progress_simple/') && request.httpStatus !== 401);
	const progressedNumbers = () => progressCalls().map((request) => request.path.split('/').pop());
	const addDocument = async (law: string, number: string, body: IDataObject) => {
		const response = await fetch(`${sb.url}/__sandbox/jpo/applications/${law}/${number}/documents`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(response.status).toBe(200);
		return (await response.json()) as IDataObject;
	};

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, clock, config: OPEN_WINDOWS });
	});
	afterAll(async () => await sb.close());
	beforeEach(() => {
		clock.time = START;
		sb.reset();
		sb.configure(OPEN_WINDOWS);
		forgetSharedLimiters();
	});

	describe('baseline and change detection', () => {
		it('records a baseline on the first poll and emits nothing; an unchanged list stays quiet', async () => {
			const trigger = watcher({ watchList: '特願2021-034567\n2019087654\n意願2021-015000, 商願2023-045678' });
			const first = await trigger.poll();
			expect(first.error).toBeUndefined();
			expect(first.items).toBeNull();
			expect(Object.keys(trigger.staticData.apps as IDataObject).sort()).toEqual(['design:2021015000', 'patent:2019087654', 'patent:2021034567', 'trademark:2023045678']);
			expect((trigger.staticData.apps as Record<string, IDataObject>)['patent:2019087654']).toMatchObject({ reg: '6912021', docs: expect.stringMatching(/^([0-9a-z]{6})+$/), holders: expect.any(String) });
			expect(progressedNumbers()).toEqual(['2021034567', '2019087654', '2021015000', '2023045678']);
			expect(sb.requests({ api: 'jpo' }).map((request) => request.path).filter((path) => path.startsWith('/api/design'))).toEqual([
				'/api/design/v1/app_progress_simple/2021015000',
				'/api/design/v1/registration_info/2021015000',
			]);

			const second = await trigger.poll();
			expect(second.items).toBeNull();
			expect(second.error).toBeUndefined();
		});

		it('emits a new document once, with both number forms, its names, its body flag and the estimated response deadline', async () => {
			const trigger = watcher({ watchList: '特願2021-034567\ndesign: 2023-020002' }, {});
			await trigger.poll();
			const added = await addDocument('patent', '2021034567', { documentCode: 'A131', legalDate: '20261120' });
			sb.data.jpo.addDocument('design', '2023020002', { documentCode: 'A131', legalDate: '20261118' }, '20261118');

			const outcome = await trigger.poll('trigger', { residence: 'abroad' });
			expect(outcome.error).toBeUndefined();
			expect(changesOf(outcome)).toEqual(['newDocument 2021034567', 'newDocument 2023020002']);
			const [patent, design] = json(outcome.items);
			expect(patent).toMatchObject({
				change: 'newDocument',
				sample: false,
				applicationNumber: '2021034567',
				applicationNumberAsTyped: '特願2021-034567',
				law: 'patent',
				title: expect.any(String),
				document: {
					documentCode: 'A131',
					documentName: '拒絶理由通知書',
					documentNameEn: 'Notice of reasons for refusal',
					documentNumber: added.documentNumber,
					legalDate: '20261120',
					legalDateIso: '2026-11-20',
					bodyAvailable: true,
				},
				deadline: { isEstimate: true, estimatedDate: '2027-02-22', period: '3 months', residence: 'abroad', unadjustedLastDay: '2027-02-20' },
				registration: null,
				jplatpatUrl: null,
				detectedAt: new Date(START).toISOString(),
			});
			expect(String((patent.deadline as IDataObject).rule)).toMatch(/^patent, applicant resident abroad: 3 months from dispatch/);
			expect(String(patent.summary)).toMatch(/^New document for 特願2021-034567: 拒絶理由通知書 \(Notice of reasons for refusal\) of 2026-11-20\. Estimated deadline \(estimate only\): 2027-02-22/);
			expect(design).toMatchObject({ law: 'design', applicationNumberAsTyped: 'design: 2023-020002', deadline: { estimatedDate: '2027-02-18' } });
			expect(patent._meta).toMatchObject({ mode: 'trigger', poll: { checked: 2, changes: 2, baselined: 0 }, sweep: { applications: 2, pollsPerSweep: 1 } });

			const again = await trigger.poll();
			expect(again.items).toBeNull();
		});

		it('uses the 60-day rule for applicants in Japan', async () => {
			const trigger = watcher({ watchList: '2021034567' });
			await trigger.poll();
			await addDocument('patent', '2021034567', { documentCode: 'A131', legalDate: '20261120' });
			const outcome = await trigger.poll();
			expect(json(outcome.items)[0].deadline).toMatchObject({ estimatedDate: '2027-01-19', period: '60 days', residence: 'japan' });
		});

		it('emits a registration, then a lapse, each once', async () => {
			const trigger = watcher({ watchList: '2021034567' });
			await trigger.poll();
			const application = sb.data.jpo.get('patent', '2021034567')!;
			Object.assign(application, { registrationNumber: '7999001', registrationDate: '20261119', erasureIdentifier: '00', expireDate: '20410801' });

			const registered = await trigger.poll();
			expect(changesOf(registered)).toEqual(['registered 2021034567']);
			expect(json(registered.items)[0]).toMatchObject({
				registration: { registrationNumber: '7999001', registrationDate: '20261119', registrationDateIso: '2026-11-19' },
				summary: '特願2021-034567 was registered as No. 7999001 on 2026-11-19.',
			});
			expect((await trigger.poll()).items).toBeNull();

			Object.assign(application, { erasureIdentifier: '01', disappearanceDate: '20261120' });
			const lapsed = await trigger.poll();
			expect(changesOf(lapsed)).toEqual(['rightLapsed 2021034567']);
			expect(json(lapsed.items)[0].rightStatus).toMatchObject({
				alive: false,
				erasureIdentifier: '01',
				disappearanceDateIso: '2026-11-20',
				previous: { alive: true },
			});
			expect((await trigger.poll()).items).toBeNull();
		});

		it('tells a right that ran its full term (rightExpired) from one that lapsed, and notices a restoration', async () => {
			const trigger = watcher({ watchList: '2019087654' });
			await trigger.poll();
			const application = sb.data.jpo.get('patent', '2019087654')!;
			Object.assign(application, { erasureIdentifier: '01', disappearanceDate: application.expireDate });
			const expired = await trigger.poll();
			expect(changesOf(expired)).toEqual(['rightExpired 2019087654']);
			expect(String(json(expired.items)[0].summary)).toMatch(/expired on 2039-03-11/);

			Object.assign(application, { erasureIdentifier: '00', disappearanceDate: '' });
			expect(changesOf(await trigger.poll())).toEqual(['rightRestored 2019087654']);
		});

		it('emits a change of applicant with the old and new lists, and a change of right holder from the registration record', async () => {
			const trigger = watcher({ watchList: '2021034567, 2019087654' });
			await trigger.poll();
			for (const number of ['2021034567', '2019087654']) {
				const application = sb.data.jpo.get('patent', number)!;
				application.parties = [{ code: '000100001', name: 'みらい電機株式会社', cls: '1' }, ...application.parties.filter((party) => party.cls === '2')];
			}
			const outcome = await trigger.poll();
			expect(changesOf(outcome)).toEqual(['applicantChanged 2021034567', 'applicantChanged 2019087654', 'rightHolderChanged 2019087654']);
			const [applicant, , holder] = json(outcome.items);
			const previousParty = sb.data.jpo.parties().find((party) => party.code === '504800008')!;
			expect(applicant.parties).toEqual({
				role: 'applicant',
				previous: [{ code: '504800008', name: previousParty.name }],
				current: [{ code: '000100001', name: 'みらい電機株式会社' }],
				added: [{ code: '000100001', name: 'みらい電機株式会社' }],
				removed: [{ code: '504800008', name: previousParty.name }],
			});
			expect(holder.parties).toMatchObject({ role: 'rightHolder', current: [{ code: '000100001', name: 'みらい電機株式会社' }] });
			expect(String(applicant.summary)).toBe(`The applicants of 特願2021-034567 changed: now みらい電機株式会社; before ${previousParty.name}.`);

			expect((await trigger.poll()).items).toBeNull();
			// The dictionary of names keeps only parties still referred to.
			expect(Object.values(trigger.staticData.parties as IDataObject)).toEqual(['000100001 みらい電機株式会社']);
		});

		it('with Emit Current State on First Poll, the first check of each application emits its state, later ones only changes', async () => {
			const trigger = watcher({ watchList: '2021034567\n2019087654', options: { emitCurrentState: true } });
			const first = await trigger.poll();
			expect(changesOf(first)).toEqual(['currentState 2021034567', 'currentState 2019087654']);
			const [outstanding, granted] = json(first.items);
			expect(outstanding).toMatchObject({ document: { documentCode: 'A131' }, deadline: { estimatedDate: '2026-10-23', isEstimate: true }, registration: null });
			expect(String(outstanding.summary)).toMatch(/^Current state of 特願2021-034567: not registered; 3 documents, the latest 拒絶理由通知書 of 2026-08-24\./);
			expect(granted).toMatchObject({ registration: { registrationNumber: '6912021' }, rightStatus: { alive: true }, parties: { rightHolders: [{ code: '504800008' }] } });
			expect((await trigger.poll()).items).toBeNull();
		});

		it('reports an application JPO does not know once, and keeps watching it', async () => {
			const trigger = watcher({ watchList: '2021034567\n2099000001' });
			const first = await trigger.poll();
			expect(changesOf(first)).toEqual(['notFound 2099000001']);
			expect(String(json(first.items)[0].summary)).toMatch(/JPO has no patent application 特願2099-000001/);
			expect((await trigger.poll()).items).toBeNull();
			expect(progressedNumbers()).toEqual(['2021034567', '2099000001', '2021034567', '2099000001']);
		});

		it('fetches the J-PlatPat address only for applications that changed', async () => {
			const trigger = watcher({ watchList: '2021034567\n2019087654', options: { includeJplatpatUrl: true } });
			await trigger.poll();
			await addDocument('patent', '2021034567', { documentCode: 'A53' });
			const outcome = await trigger.poll();
			expect(changesOf(outcome)).toEqual(['newDocument 2021034567']);
			expect(json(outcome.items)[0].jplatpatUrl).toMatch(/^https:\/\/www\.j-platpat\.inpit\.go\.jp\/c1800\/PU\/JP-2021-034567\//);
			expect(sb.requests({ api: 'jpo' }).filter((request) => request.path.includes('jpp_fixed_address')).map((request) => request.path)).toEqual([
				'/api/patent/v1/jpp_fixed_address/2021034567',
			]);
			expect(json(outcome.items)[0]._meta).toMatchObject({ quota: { 'JPO 1-13': { spentToday: 1, allowedToday: 100 } } });
		});
	});

	describe('quota budget and round-robin', () => {
		const SEVEN = ['2020045678', '2023012345', '2021034567', '2019087654', '2024056789', '2018076543', '2018023456'];

		it('works through a longer list round-robin, a few applications per poll, and says how long a sweep takes', async () => {
			const trigger = watcher({ watchList: SEVEN.join('\n'), options: { maxApplicationsPerPoll: 3, watchRightHolders: false, emitCurrentState: true } });
			const polls: PollOutcome[] = [];
			for (let poll = 0; poll < 4; poll++) {
				polls.push(await trigger.poll());
				clock.advance(3600_000);
			}
			expect(polls.map((outcome) => json(outcome.items).map((item) => item.applicationNumber))).toEqual([SEVEN.slice(0, 3), SEVEN.slice(3, 6), SEVEN.slice(6), []]);
			expect(progressedNumbers()).toEqual([...SEVEN, ...SEVEN.slice(0, 2), SEVEN[2], SEVEN[3], SEVEN[4]]);
			expect(json(polls[0].items)[0]._meta).toMatchObject({
				poll: { checked: 3, baselined: 3 },
				sweep: {
					applications: 7,
					perPoll: 3,
					pollsPerSweep: 3,
					pollsPerDay: 24,
					pollIntervalMinutes: 60,
					estimatedDuration: '3 h',
					limitedBy: 'pollSchedule',
					notYetChecked: 4,
					description: '7 applications, up to 3 per poll: a full sweep takes 3 polls, about 3 h at one poll every 60 min.',
				},
				quota: { 'JPO 1-2': { spentToday: 3, allowedToday: 200, dailyLimit: 400 } },
			});
			// Each application carries the time of its last check; the oldest is next in line.
			const apps = trigger.staticData.apps as Record<string, { checked: number }>;
			const hour = (poll: number) => START + poll * 3600_000;
			// Polls 0–3 checked [0 1 2], [3 4 5], [6 0 1], [2 3 4].
			expect(SEVEN.map((number) => apps[`patent:${number}`].checked)).toEqual([hour(2), hour(2), hour(3), hour(3), hour(3), hour(1), hour(2)]);
		});

		it('never spends more than its share of the daily limit, and picks up where it stopped after 00:00 JST', async () => {
			const trigger = watcher({ watchList: SEVEN.join('\n'), options: { maxApplicationsPerPoll: 3, watchRightHolders: false, dailyShare: 50, progressDailyLimit: 10, emitCurrentState: true } });
			const first = await trigger.poll();
			const second = await trigger.poll();
			const third = await trigger.poll();
			expect(json(first.items).map((item) => item.applicationNumber)).toEqual(SEVEN.slice(0, 3));
			expect(json(second.items).map((item) => item.applicationNumber)).toEqual(SEVEN.slice(3, 5));
			expect(json(second.items)[0]._meta).toMatchObject({
				// 2 checked; the other 5 wait for the next JST day.
				poll: { checked: 2, waitingForBudget: 5 },
				quota: { 'JPO 1-2': { spentToday: 5, allowedToday: 5, dailyLimit: 10 } },
				sweep: { limitedBy: 'dailyQuotaShare', description: expect.stringContaining('the daily quota share allows 5 patent checks a day') },
			});
			expect(third.items).toBeNull();
			expect(progressCalls()).toHaveLength(5);
			expect((trigger.staticData.budget as IDataObject).spent).toEqual({ '1-2': 5 });

			clock.time = NEXT_JST_MIDNIGHT + 60_000;
			const nextDay = await trigger.poll();
			expect(json(nextDay.items).map((item) => item.applicationNumber)).toEqual(SEVEN.slice(5));
			expect(progressedNumbers().slice(5)).toEqual([...SEVEN.slice(5), SEVEN[0]]);
			expect(trigger.staticData.budget).toMatchObject({ day: '2026-11-22', spent: { '1-2': 3 } });
		});

		it('keeps the reserve of what JPO says is left, whatever the share allows', async () => {
			sb.configure({ jpo: { dailyLimits: { 'patent/app_progress_simple': 4 } } });
			const trigger = watcher({ watchList: SEVEN.join('\n'), options: { watchRightHolders: false, keepInReserve: 2, emitCurrentState: true } });
			const outcome = await trigger.poll();
			expect(json(outcome.items)).toHaveLength(2);
			expect(json(outcome.items)[0]._meta).toMatchObject({ poll: { checked: 2, waitingForBudget: 5 }, quota: { 'JPO 1-2': { remainAccessCount: 2 } } });
		});

		it("stops starting applications before n8n's poll budget runs out and leaves the rest for the next poll", async () => {
			const trigger = watcher(
				{ watchList: SEVEN.join('\n'), options: { requestsPerMinute: 2, watchRightHolders: false, emitCurrentState: true } },
				{ pollBudgetMs: 60_000 },
			);
			const outcome = await trigger.poll();
			expect(json(outcome.items)).toHaveLength(3);
			expect(json(outcome.items)[0]._meta).toMatchObject({ poll: { checked: 3, timeBudgetReached: true } });
			expect(clock.now() - START).toBe(61_000);
		});
	});

	describe('manual runs and failed polls leave the state alone', () => {
		it('Fetch Test Event returns a sample shaped like a real change, without touching the cursor or the state', async () => {
			const trigger = watcher({ watchList: '2021034567\n2019087654\n2020-12x', options: { onInvalidEntry: 'emit' } });
			const beforeBaseline = await trigger.poll('manual');
			expect(beforeBaseline.error).toBeUndefined();
			expect(beforeBaseline.after).toEqual({});

			await trigger.poll();
			const sample = await trigger.poll('manual');
			expect(sample.after).toEqual(sample.before);
			const [item, invalid] = json(sample.items);
			expect(item).toMatchObject({ change: 'newDocument', sample: true, applicationNumber: '2021034567', document: { documentCode: 'A131', legalDate: '20260824' }, deadline: { estimatedDate: '2026-10-23' } });
			expect(item._meta).toMatchObject({ mode: 'manual', sample: true, note: expect.stringMatching(/state was not changed/), sweep: { applications: 2, pollsPerSweep: 1 } });
			expect(invalid).toMatchObject({ change: 'invalidEntry', line: 3, applicationNumberAsTyped: '2020-12x', error: expect.stringMatching(/Accepted forms/) });
			expect(progressedNumbers()).toEqual(['2021034567', '2021034567', '2019087654', '2021034567']);

			// The sample has exactly the keys of a real change item.
			await addDocument('patent', '2021034567', { documentCode: 'A131', legalDate: '20261120' });
			const real = json((await trigger.poll()).items)[0];
			expect(Object.keys(item).sort()).toEqual(Object.keys(real).sort());
			// The cursor did not move: the real poll went on from where the last real poll was.
			expect(progressedNumbers().slice(4)).toEqual(['2021034567', '2019087654']);
		});

		it('builds the sample from the latest office action, not from a later amendment, so a test run reaches the deadline branch', async () => {
			await addDocument('patent', '2021034567', { documentCode: 'A523', legalDate: '20261010' });
			const sample = json((await watcher({ watchList: '2021034567' }).poll('manual')).items)[0];
			expect(sample).toMatchObject({ sample: true, document: { documentCode: 'A131', legalDate: '20260824' }, deadline: { estimatedDate: '2026-10-23' } });

			const noOfficeAction = json((await watcher({ watchList: '2024056789' }).poll('manual')).items)[0];
			expect(noOfficeAction.document).not.toBeNull();
			expect(noOfficeAction).toMatchObject({ sample: true, change: 'newDocument', deadline: null });
		});

		it.each([
			['a server error after retries', { kind: 'http5xx', status: 503 }],
			['a dropped connection after retries', { kind: 'reset' }],
			['an unexpected JPO status', { kind: 'jpoStatus', code: '999' }],
		])('%s mid-poll: the poll fails, nothing is recorded, and the next poll emits the change once', async (_label, fault) => {
			const trigger = watcher({ watchList: '2021034567\n2019087654\n2023012345' });
			await trigger.poll();
			await addDocument('patent', '2021034567', { documentCode: 'A131', legalDate: '20261120' });
			sb.faults.add({ api: 'jpo', path: 'app_progress_simple', skip: 1, ...fault } as never);

			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.error!.description).toMatch(/1 application\(s\) had been checked in this poll; nothing was recorded/);
			expect(failed.after).toEqual(failed.before);

			sb.faults.clear();
			const recovered = await trigger.poll();
			expect(changesOf(recovered)).toEqual(['newDocument 2021034567']);
			expect((await trigger.poll()).items).toBeNull();
		});

		it('a poll that starts while the previous one still runs stands aside, so a change is never emitted twice', async () => {
			const trigger = watcher({ watchList: '2021034567\n2019087654' });
			await trigger.poll();
			await addDocument('patent', '2021034567', { documentCode: 'A131', legalDate: '20261120' });
			const [first, overlapping] = await Promise.all([trigger.poll(), trigger.poll()]);
			expect(changesOf(first)).toEqual(['newDocument 2021034567']);
			expect(overlapping.items).toBeNull();
			expect(overlapping.error).toBeUndefined();
			expect(progressCalls()).toHaveLength(4);
			// Another node, or the same node in another workflow, is not held up.
			const elsewhere = watcher({ watchList: '2021034567' }, { workflowId: 'another-workflow' });
			const [, other] = await Promise.all([trigger.poll(), elsewhere.poll()]);
			expect(other.error).toBeUndefined();
			expect(Object.keys(elsewhere.staticData.apps as IDataObject)).toEqual(['patent:2021034567']);
		});

		it('refused credentials fail the poll before anything is recorded', async () => {
			const trigger = watcher({ watchList: '2021034567' });
			await trigger.poll();
			trigger.store.records.jpoApi = { ...trigger.store.records.jpoApi, password: 'wrong', accessToken: '', refreshToken: '' };
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.error!.message).toMatch(/^JPO: /);
			expect(failed.after).toEqual(failed.before);
		});

		it('unreadable entries fail the poll before any request, naming each line', async () => {
			const trigger = watcher({ watchList: '2021034567\n特開2021-097352\n2020-12x' });
			const failed = await trigger.poll();
			expect(failed.error).toBeInstanceOf(NodeOperationError);
			expect(failed.error!.message).toBe('The watch list has 2 entries that cannot be watched');
			expect(failed.error!.description).toMatch(/^line 2: "特開2021-097352" is a publication number.*line 3: "2020-12x" is not/);
			expect(sb.requests({ api: 'jpo' })).toHaveLength(0);
			expect(failed.after).toEqual({});
		});

		it('with On Invalid Entry set to emit, each unreadable entry is emitted once and the rest is watched', async () => {
			const trigger = watcher({ watchList: '2021034567\n2020-12x', options: { onInvalidEntry: 'emit' } });
			const first = await trigger.poll();
			expect(json(first.items).map((item) => [item.change, item.line])).toEqual([['invalidEntry', 2]]);
			expect((await trigger.poll()).items).toBeNull();
			expect(progressedNumbers()).toEqual(['2021034567', '2021034567']);
		});
	});

	describe('the daily limit reached mid-poll (JPO status 203)', () => {
		const FOUR = ['2021034567', '2019087654', '2023012345', '2020045678'];

		it('keeps what was checked, says when the limit resets, waits for the reset and then continues', async () => {
			const trigger = watcher({ watchList: FOUR.join('\n'), options: { watchRightHolders: false } });
			sb.faults.add({ api: 'jpo', path: 'app_progress_simple', kind: 'jpoStatus', code: '203', skip: 2 });
			const stopped = await trigger.poll();
			expect(stopped.error).toBeInstanceOf(NodeApiError);
			expect(stopped.error!.message).toMatch(/^JPO: The daily access limit of JPO 1-2 \(Get Simple Progress\) is used up \(JPO status 203/);
			expect(stopped.error!.description).toMatch(/resets at 00:00 JST \(2026-11-22 00:00 JST, in 12 h 0 min\).*2 application\(s\) were checked before the limit and recorded/);
			expect((stopped.error as NodeApiError & { failure?: IDataObject }).failure).toEqual({ cause: 'quota-exhausted', resetsAtEpochMs: NEXT_JST_MIDNIGHT });
			const apps = stopped.after.apps as Record<string, IDataObject>;
			expect(Object.keys(apps).sort()).toEqual(['patent:2019087654', 'patent:2021034567']);
			expect(stopped.after.budget).toMatchObject({ spent: { '1-2': 2 }, blockedUntil: { '1-2': NEXT_JST_MIDNIGHT } });

			sb.faults.clear();
			clock.advance(3600_000);
			const sameDay = await trigger.poll();
			expect(sameDay.items).toBeNull();
			expect(sameDay.error).toBeUndefined();
			expect(progressCalls()).toHaveLength(3);

			clock.time = NEXT_JST_MIDNIGHT + 60_000;
			const nextDay = await trigger.poll();
			expect(nextDay.error).toBeUndefined();
			expect(progressedNumbers().slice(3)).toEqual(['2023012345', '2020045678', '2021034567', '2019087654']);
			expect(Object.keys(nextDay.after.apps as IDataObject)).toHaveLength(4);
		});

		it('emits the changes found before the limit instead of failing, and never emits them again', async () => {
			const trigger = watcher({ watchList: FOUR.join('\n'), options: { watchRightHolders: false } });
			await trigger.poll();
			await addDocument('patent', '2021034567', { documentCode: 'A131', legalDate: '20261120' });
			await addDocument('patent', '2023012345', { documentCode: 'A53', legalDate: '20261120' });
			sb.faults.add({ api: 'jpo', path: 'app_progress_simple', kind: 'jpoStatus', code: '203', skip: 1 });

			const partial = await trigger.poll();
			expect(partial.error).toBeUndefined();
			expect(changesOf(partial)).toEqual(['newDocument 2021034567']);
			expect(json(partial.items)[0]._meta).toMatchObject({
				poll: { checked: 1, stoppedEarly: { reason: 'dailyLimit', resetsAt: new Date(NEXT_JST_MIDNIGHT).toISOString() } },
				quota: { 'JPO 1-2': { blockedUntil: new Date(NEXT_JST_MIDNIGHT).toISOString() } },
			});

			sb.faults.clear();
			clock.time = NEXT_JST_MIDNIGHT + 60_000;
			const nextDay = await trigger.poll();
			expect(changesOf(nextDay)).toEqual(['newDocument 2023012345']);
		});
	});

	describe('the node', () => {
		it('is a polling trigger that uses the JPO credential and polls through the same code', async () => {
			const node = new JpoTrigger();
			expect(node.description).toMatchObject({ name: 'jpoTrigger', polling: true, group: ['trigger'], inputs: [], credentials: [{ name: 'jpoApi', required: true }] });
			expect(node.description.usableAsTool).toBeUndefined();
			const staticData: IDataObject = {};
			const context = createPollContext({
				parameters: { watchList: '2021034567', defaultLaw: 'patent', residence: 'japan', options: { requestsPerMinute: 600 } },
				credentials: credentials(),
				staticData,
			});
			expect(await node.poll!.call(context)).toBeNull();
			expect(Object.keys(staticData.apps as IDataObject)).toEqual(['patent:2021034567']);
		});
	});
});
