/**
 * Two n8n processes sharing one JPO ID through Redis, as queue-mode workers do: each run below gets
 * a coordinator of its own (a new process as far as the quota state goes) on one real Redis, and
 * the real JPO node runs against the in-process sandbox.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { resetProcessCoordinator } from '../../nodes/shared/coordination';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { runNode } from '../helpers/n8nContext';
import { startTestRedis, type TestRedis } from '../helpers/redisServer';

let redis: TestRedis;
let sb: Sandbox;
const saved = { ...process.env };

beforeAll(async () => {
	redis = await startTestRedis();
	sb = await startSandbox({ port: 0 });
}, 30_000);

afterAll(async () => {
	process.env = { ...saved };
	await resetProcessCoordinator();
	await sb?.close();
	await redis?.close();
});

beforeEach(() => {
	sb.reset();
	sb.configure({ jpo: { perMinute: { limit: 600, windowMs: 60_000 }, dailyLimits: { 'patent/app_progress_simple': 10 } } });
	forgetSharedLimiters();
});

/** A run of the JPO node in a "process" of its own, with the coordination `mode`. */
async function runInNewProcess(mode: 'redis' | 'off', user: string, count: number, options: Record<string, unknown> = {}): Promise<INodeExecutionData[]> {
	process.env = { ...saved, JPO_PATSNAP_COORDINATION: mode, JPO_PATSNAP_REDIS_URL: redis.url, JPO_PATSNAP_REDIS_PREFIX: 'coordination-test' };
	await resetProcessCoordinator();
	forgetSharedLimiters();
	const { output } = await runNode({
		node: new Jpo(),
		items: Array.from({ length: count }, () => ({ json: {} })),
		parameters: () => ({ resource: 'patent', operation: 'getSimpleProgress', applicationNumber: '2020045678', options: { requestsPerMinute: 600, ...options } }),
		credentials: { jpoApi: { username: user, password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' } },
		continueOnFail: true,
	});
	return output;
}

describe('Stop Below Remaining across processes', () => {
	it('sees what another process spent of the ID today (coordination through Redis)', async () => {
		sb.configure({ jpo: { users: [{ username: 'shared-a', password: 'sandbox-password' }] } });
		await runInNewProcess('redis', 'shared-a', 5);
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(5);
		// The second process has had no answer yet, but the ID has 5 calls left, at Stop Below Remaining.
		const output = await runInNewProcess('redis', 'shared-a', 3, { stopBelowRemaining: 5 });
		expect(output.map((item) => item.json.reason)).toEqual(['stopBelowRemaining', 'stopBelowRemaining', 'stopBelowRemaining']);
		expect(output[0].json.message).toMatch(
			/^Not requested: JPO 1-2 has 5 calls left today, at or below Stop Below Remaining \(5\)\. The count resets at \d{4}-\d\d-\d\d 00:00 JST \(in (\d+ h )?\d+ min\); retrying before then will skip it again\.$/,
		);
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(5);
	});

	it('without coordination each process learns the remaining count only from its own first answer', async () => {
		sb.configure({ jpo: { users: [{ username: 'shared-b', password: 'sandbox-password' }] } });
		await runInNewProcess('off', 'shared-b', 5);
		const output = await runInNewProcess('off', 'shared-b', 3, { stopBelowRemaining: 5 });
		// One more call was spent before the reserve showed.
		expect(output.map((item) => item.json.reason ?? 'fetched')).toEqual(['fetched', 'stopBelowRemaining', 'stopBelowRemaining']);
		expect(sb.requests({ api: 'jpo' }).filter((request) => request.kind === 'data')).toHaveLength(6);
	});
});

describe('a daily limit used up, across processes', () => {
	const progressCalls = (user: string) =>
		sb.requests({ api: 'jpo' }).filter((request) => request.credential === user && request.endpoint === 'patent/app_progress_simple');

	it('once one process has seen the 203, another sends nothing for that API of the ID until the reset (coordination through Redis)', async () => {
		sb.configure({ jpo: { users: [{ username: 'shared-c', password: 'sandbox-password' }], dailyLimits: { 'patent/app_progress_simple': 1 } } });
		const first = await runInNewProcess('redis', 'shared-c', 2);
		expect(first.map((item) => item.json.found ?? item.json.errorCode)).toEqual([true, '203']);
		const sent = sb.requests({ api: 'jpo' }).length;

		const second = await runInNewProcess('redis', 'shared-c', 2);
		expect(second.map((item) => item.json.errorCode)).toEqual(['203', '203']);
		expect(second[0].json).toMatchObject({ errorKind: 'quota', notSent: true, quotaResetsAt: first[1].json.quotaResetsAt });
		expect(String(second[0].json.error)).toBe(first[1].json.error);
		expect(String(second[0].json.errorDescription)).toMatch(/Not sent: JPO reported the daily limit of API 1-2 for this ID used up at /);
		expect(second[1].json).toMatchObject({ notAttempted: true });
		// Not a login either.
		expect(sb.requests({ api: 'jpo' })).toHaveLength(sent);
		expect(progressCalls('shared-c').map((request) => request.resultCode)).toEqual(['100', '203']);
	});

	it('without coordination a new process learns it only from its own refusal', async () => {
		sb.configure({ jpo: { users: [{ username: 'shared-d', password: 'sandbox-password' }], dailyLimits: { 'patent/app_progress_simple': 1 } } });
		await runInNewProcess('off', 'shared-d', 2);
		const second = await runInNewProcess('off', 'shared-d', 2);
		expect(second.map((item) => item.json.notSent ?? item.json.notAttempted)).toEqual([undefined, true]);
		expect(progressCalls('shared-d').map((request) => request.resultCode)).toEqual(['100', '203', '203']);
	});
});
