/**
 * An AI Agent may call a node as a tool again and again, each call a new execution in the same n8n
 * process. Once JPO (203) or PatSnap (67200007) has said a daily limit is used up, the later
 * executions fail with the same quota error without sending anything, until the limit resets at the
 * API's midnight. Real HTTP against the sandbox; `Date.now` is moved forward to pass midnight, and
 * the sandbox reads the same clock.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { runNode } from '../helpers/n8nContext';

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** Computed here the plain way, independently of the node's code. */
const nextMidnight = (offsetMs: number, nowMs: number) => Math.floor((nowMs + offsetMs) / DAY_MS) * DAY_MS + DAY_MS - offsetMs;

const realNow = Date.now.bind(Date);
let shiftMs = 0;
/** Moves every clock that reads Date.now (the node's and the sandbox's) to just after the next midnight at `offsetMs`. */
function passMidnight(offsetMs: number): void {
	const now = Date.now();
	shiftMs += nextMidnight(offsetMs, now) - now + 60_000;
}

let sb: Sandbox;
beforeAll(async () => {
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shiftMs);
	sb = await startSandbox({ port: 0 });
});
afterAll(async () => {
	await sb.close();
	jest.restoreAllMocks();
});
beforeEach(() => {
	shiftMs = 0;
	sb.reset();
	forgetSharedLimiters();
});

type Outcome = { output?: INodeExecutionData[]; error?: Error & { description?: string; failure?: { cause?: string; resetsAtEpochMs?: number } } };

async function outcome(run: Promise<{ output: INodeExecutionData[] }>): Promise<Outcome> {
	return await run.then(
		({ output }) => ({ output }),
		(error: Outcome['error']) => ({ error }),
	);
}

describe('JPO: a 203 holds back later calls of that API for that ID until 00:00 JST', () => {
	const PASSWORD = 'sandbox-password';
	const runJpo = (items: IDataObject[], username = 'sandbox-user', continueOnFail = false) =>
		runNode({
			node: new Jpo(),
			items: items.map(() => ({ json: {} })),
			parameters: (index) => ({ ...items[index], options: { requestsPerMinute: 600 } }),
			credentials: { jpoApi: { username, password: PASSWORD, tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' } },
			continueOnFail,
		});
	const progress = (applicationNumber = '2020045678') => ({ resource: 'patent', operation: 'getProgress', applicationNumber });
	const jpoRequests = (username = 'sandbox-user') => sb.requests({ api: 'jpo' }).filter((request) => request.credential === username);
	const progressCalls = (username = 'sandbox-user') => jpoRequests(username).filter((request) => request.endpoint === 'patent/app_progress');

	beforeEach(() => {
		sb.configure({
			jpo: {
				users: [
					{ username: 'sandbox-user', password: PASSWORD },
					{ username: 'second-user', password: PASSWORD },
				],
				dailyLimits: { 'patent/app_progress': 2 },
			},
		});
	});

	it('sends nothing for the 4th and 5th execution, fails them with the same quota error, and calls again after midnight', async () => {
		for (let run = 0; run < 2; run++) expect((await outcome(runJpo([progress()]))).output?.[0].json.found).toBe(true);
		const refused = (await outcome(runJpo([progress()]))).error;
		expect(refused?.message).toMatch(/^JPO: .*daily access limit/);
		expect(progressCalls().map((request) => request.resultCode)).toEqual(['100', '100', '203']);
		const resetsAt = nextMidnight(JST_OFFSET_MS, Date.now());
		expect(refused?.failure).toEqual({ cause: 'quota-exhausted', resetsAtEpochMs: resetsAt });

		const before = jpoRequests().length;
		for (let run = 0; run < 2; run++) {
			const held = (await outcome(runJpo([progress()]))).error;
			expect(held?.message).toBe(refused?.message);
			expect(held?.failure).toEqual({ cause: 'quota-exhausted', resetsAtEpochMs: resetsAt });
			expect(held?.description).toMatch(/The limit resets at 00:00 JST \(\d{4}-\d\d-\d\d 00:00 JST, in /);
			expect(held?.description).toMatch(/Not sent: JPO reported the daily limit of API 1-1 for this ID used up at \d{4}-\d\d-\d\d \d\d:\d\d JST/);
		}
		// Not even a login: the token endpoint is a request too.
		expect(jpoRequests()).toHaveLength(before);

		// Another API of the same ID, and the same API of another ID, have limits of their own.
		const simple = await outcome(runJpo([{ resource: 'patent', operation: 'getSimpleProgress', applicationNumber: '2020045678' }]));
		expect(simple.output?.[0].json.found).toBe(true);
		expect(jpoRequests().filter((request) => request.endpoint === 'patent/app_progress_simple')).toHaveLength(1);
		expect((await outcome(runJpo([progress()], 'second-user'))).output?.[0].json.found).toBe(true);
		expect(progressCalls('second-user').map((request) => request.resultCode)).toEqual(['100']);

		passMidnight(JST_OFFSET_MS);
		expect((await outcome(runJpo([progress()]))).output?.[0].json.found).toBe(true);
		expect(progressCalls().map((request) => request.resultCode)).toEqual(['100', '100', '203', '100']);
	});

	it('with Continue On Fail every item held back is an error item paired with its input, and the other items are fetched', async () => {
		sb.configure({ jpo: { dailyLimits: { 'patent/app_progress': 1 } } });
		await runJpo([progress()]);
		expect((await outcome(runJpo([progress()]))).error?.message).toMatch(/daily access limit/);
		const sent = progressCalls().length;

		const items = [progress('2020045678'), { resource: 'patent', operation: 'getJplatpatUrl', applicationNumber: '2020045678' }, progress('2021034567')];
		const { output } = await runJpo(items, 'sandbox-user', true);
		expect(output).toHaveLength(3);
		expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
		expect(output.map((item) => item.json.found ?? item.json.errorKind)).toEqual(['quota', true, 'quota']);
		expect(output[0].json).toMatchObject({
			errorCode: '203',
			notSent: true,
			quotaResetsAt: new Date(nextMidnight(JST_OFFSET_MS, Date.now())).toISOString(),
			quotaUsedUpSince: expect.any(String),
			input: { applicationNumber: '2020045678' },
		});
		expect(output[2].json).toMatchObject({ errorKind: 'quota', notAttempted: true, input: { applicationNumber: '2021034567' } });
		expect(progressCalls()).toHaveLength(sent);
	});
});

describe('PatSnap: a 67200007 holds back every later call of that credential until 00:00 UTC+8', () => {
	const CLIENT = { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
	const API_KEY = { authMode: 'apiKey', apiKey: 'sk-sandbox-demo-key-0000000000000000000000000000' };
	const runPatSnap = (parameters: IDataObject | IDataObject[], credential: IDataObject = CLIENT, continueOnFail = false) => {
		const list = Array.isArray(parameters) ? parameters : [parameters];
		return runNode({
			node: new PatSnap(),
			items: list.map(() => ({ json: {} })),
			parameters: (index) => list[index],
			credentials: { patSnapApi: { ...credential, environment: 'custom', baseUrl: sb.url, accessToken: '' } },
			continueOnFail,
		});
	};
	const legalStatus = { resource: 'patent', operation: 'getLegalStatus', numbers: 'US11223344B2' };
	const numberLookup = { resource: 'patent', operation: 'lookUpNumbers', numbers: 'US11223344B2' };
	const calls = (credential: string) => sb.requests({ api: 'patsnap' }).filter((request) => request.kind === 'data' && request.credential === credential);

	beforeEach(() => sb.configure({ patsnap: { dailyLimit: 2 } }));

	it('sends nothing, not even a login, for the 4th and 5th execution, whatever the API, and calls again after midnight', async () => {
		for (let run = 0; run < 2; run++) expect((await outcome(runPatSnap(legalStatus))).output?.[0].json.found).toBe(true);
		const refused = (await outcome(runPatSnap(legalStatus))).error;
		expect(refused?.message).toMatch(/^PatSnap: The daily call limit is used up \(PatSnap error 67200007/);
		expect(calls('sandbox-client').map((request) => request.resultCode)).toEqual([0, 0, 67200007]);
		const resetsAt = nextMidnight(CHINA_OFFSET_MS, Date.now());

		const logins = sb.tokenFetches('patsnap');
		const before = sb.requests({ api: 'patsnap' }).length;
		// The limit is the credential's, so another API is held back as well.
		for (const parameters of [legalStatus, numberLookup]) {
			const held = (await outcome(runPatSnap(parameters))).error;
			expect(held?.message).toBe(refused?.message);
			expect(held?.failure).toEqual({ cause: 'quota-exhausted', resetsAtEpochMs: resetsAt });
			expect(held?.description).toMatch(/expected to reset at 00:00 UTC\+8 \(\d{4}-\d\d-\d\d 00:00 UTC\+8, in /);
			expect(held?.description).toMatch(/Not sent: PatSnap reported the daily call limit of this credential used up at \d{4}-\d\d-\d\d \d\d:\d\d UTC\+8/);
		}
		expect(sb.requests({ api: 'patsnap' })).toHaveLength(before);
		expect(sb.tokenFetches('patsnap')).toBe(logins);

		// Another credential on the same PatSnap has a limit of its own.
		expect((await outcome(runPatSnap(legalStatus, API_KEY))).output?.[0].json.found).toBe(true);
		expect(calls('apiKey')).toHaveLength(1);

		passMidnight(CHINA_OFFSET_MS);
		expect((await outcome(runPatSnap(legalStatus))).output?.[0].json.found).toBe(true);
		expect(calls('sandbox-client').map((request) => request.resultCode)).toEqual([0, 0, 67200007, 0]);
	});

	it('with Continue On Fail the items held back are error items paired with their inputs', async () => {
		sb.configure({ patsnap: { dailyLimit: 1 } });
		await runPatSnap(legalStatus);
		expect((await outcome(runPatSnap(legalStatus))).error?.message).toMatch(/67200007/);
		const before = sb.requests({ api: 'patsnap' }).length;

		const { output } = await runPatSnap(
			[
				{ ...legalStatus, numbers: 'US11223344B2' },
				{ ...legalStatus, numbers: 'EP3456789A1' },
			],
			CLIENT,
			true,
		);
		expect(output.length).toBeGreaterThanOrEqual(2);
		expect(output.every((item) => item.json.errorKind === 'quota' && item.json.errorCode === 67200007 && item.json.notSent === true)).toBe(true);
		expect(new Set(output.map((item) => (item.pairedItem as { item: number }).item))).toEqual(new Set([0, 1]));
		expect(sb.requests({ api: 'patsnap' })).toHaveLength(before);
	});
});
