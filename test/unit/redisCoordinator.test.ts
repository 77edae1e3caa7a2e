import Redis from 'ioredis';

import { systemClock } from '../../nodes/shared/clock';
import { identityKey, processCoordinator, ProcessCoordinator, resetProcessCoordinator, type UsedUpLimit, type WindowSpec } from '../../nodes/shared/coordination';
import { RedisCoordinator } from '../../nodes/shared/coordination/redis';
import { ACQUIRE_SLOT } from '../../nodes/shared/coordination/scripts';
import { readCoordinationSettings } from '../../nodes/shared/coordination/settings';
import { startTestRedis, type TestRedis } from '../helpers/redisServer';

// Every case runs against a real redis-server: the scripts' atomicity and Redis's clock are the
// point, and a mock would have neither.

let redis: TestRedis;
const coordinators: RedisCoordinator[] = [];

/** One coordinator per simulated n8n process, all on the test Redis. */
function processOnRedis(url = redis.url, prefix = 'test'): RedisCoordinator {
	const settings = readCoordinationSettings({ JPO_PATSNAP_COORDINATION: 'redis', JPO_PATSNAP_REDIS_URL: url, JPO_PATSNAP_REDIS_PREFIX: prefix });
	if (settings.kind !== 'redis') throw new Error('expected Redis settings');
	const coordinator = new RedisCoordinator(settings);
	coordinators.push(coordinator);
	return coordinator;
}

let windowCounter = 0;
function freshWindow(limit: number, windowMs: number): WindowSpec {
	windowCounter += 1;
	return { key: `${identityKey('JPO', 'http://sandbox', `user-${windowCounter}-${Date.now()}`)}:domestic`, limit, windowMs, marginMs: 0 };
}

beforeAll(async () => {
	redis = await startTestRedis();
}, 30_000);

afterEach(async () => {
	await Promise.all(coordinators.splice(0).map(async (coordinator) => await coordinator.close()));
});

afterAll(async () => {
	await redis?.close();
});

describe('the slot script', () => {
	it('gives the last slot of a window to exactly one of two clients racing for it, every time', async () => {
		const a = new Redis(redis.port, '127.0.0.1');
		const b = new Redis(redis.port, '127.0.0.1');
		try {
			for (const client of [a, b]) client.defineCommand('acquireSlot', { numberOfKeys: 3, lua: ACQUIRE_SLOT });
			type WithScript = Redis & { acquireSlot(...args: Array<string | number>): Promise<[number, number, number, string]> };
			for (let round = 0; round < 50; round++) {
				const keys = [`race:${round}:window`, `race:${round}:peers`, `race:${round}:epoch`];
				// Nine of ten slots taken, then both clients ask for the tenth at once.
				for (let i = 0; i < 9; i++) await (a as WithScript).acquireSlot(...keys, 10, 60_000, `pre-${i}`, 0, 'a', 'e1', '', 0, 120_000);
				const [first, second] = await Promise.all([
					(a as WithScript).acquireSlot(...keys, 10, 60_000, 'from-a', 0, 'a', 'e1', 'e1', 0, 120_000),
					(b as WithScript).acquireSlot(...keys, 10, 60_000, 'from-b', 0, 'b', 'e1', 'e1', 0, 120_000),
				]);
				expect(Number(first[0]) + Number(second[0])).toBe(1);
				expect(await a.zcard(keys[0])).toBe(10);
				const refused = Number(first[0]) === 1 ? second : first;
				expect(Number(refused[1])).toBeGreaterThan(59_000);
			}
		} finally {
			a.disconnect();
			b.disconnect();
		}
	});
});

describe('RedisCoordinator', () => {
	it('lets no more than the limit through in any window across three processes', async () => {
		// A 100 ms margin on top of the 400 ms window absorbs the delay between Redis granting a slot
		// and this test noting the time, which a busy machine stretches.
		const window = { ...freshWindow(4, 400), marginMs: 100 };
		const processes = [processOnRedis(), processOnRedis(), processOnRedis()];
		const sent: number[] = [];
		await Promise.all(
			processes.flatMap((coordinator) =>
				Array.from({ length: 4 }, async () => {
					const slot = await coordinator.reserve(window, systemClock);
					sent.push(Date.now());
					expect(slot.warning).toBeUndefined();
				}),
			),
		);
		sent.sort((x, y) => x - y);
		expect(sent).toHaveLength(12);
		// 12 requests at 4 per 400 ms: the 5th starts a window after the 1st, the 9th after the 5th.
		for (let i = 4; i < sent.length; i++) expect(sent[i] - sent[i - 4]).toBeGreaterThanOrEqual(400);
		expect(sent[11] - sent[0]).toBeGreaterThanOrEqual(800);
	});

	it('holds a pending slot (a request that logs in first) until it is settled', async () => {
		const window = freshWindow(1, 300);
		const a = processOnRedis();
		const b = processOnRedis();
		const pending = await a.reserve(window, systemClock, { pending: true });
		let bStarted = 0;
		const waiting = b.reserve(window, systemClock).then(() => (bStarted = Date.now()));
		// The login takes 500 ms, longer than the window: B must not start meanwhile.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(bStarted).toBe(0);
		const settledAt = Date.now();
		await pending.settle();
		await waiting;
		expect(bStarted - settledAt).toBeGreaterThanOrEqual(290);
	});

	it('makes every process wait a whole window after one of them was told "too fast"', async () => {
		const window = freshWindow(10, 500);
		const a = processOnRedis();
		const b = processOnRedis();
		await a.markWindowFull(window);
		const began = Date.now();
		const slot = await b.reserve(window, systemClock);
		expect(Date.now() - began).toBeGreaterThanOrEqual(490);
		expect(slot.waitedMs).toBeGreaterThanOrEqual(490);
	});

	it('adds up the day\'s calls of all processes and keeps the lowest remaining count reported', async () => {
		const key = identityKey('JPO', 'http://sandbox', `daily-${Date.now()}`);
		const a = processOnRedis();
		const b = processOnRedis();
		await a.recordDaily(key, '2026-12-03', '1-2', { counted: true, remain: 390 });
		await b.recordDaily(key, '2026-12-03', '1-2', { counted: true, remain: 388 });
		// An answer that comes back late reports an older, higher count: it must not raise the minimum.
		await a.recordDaily(key, '2026-12-03', '1-2', { counted: true, remain: 389 });
		await b.recordDaily(key, '2026-12-03', '1-5', { counted: false, remain: 0 });
		expect(await a.dailyUsage(key, '2026-12-03')).toEqual({ spent: { '1-2': 3 }, remain: { '1-2': 388, '1-5': 0 } });
		expect(await b.dailyUsage(key, '2026-12-04')).toEqual({ spent: {}, remain: {} });
	});

	it('lets one process renew a token while another waits for it', async () => {
		const key = identityKey('JPO', 'http://sandbox', `renew-${Date.now()}`);
		const a = processOnRedis();
		const b = processOnRedis();
		const held = await a.renewalLock(key, systemClock);
		expect(held).toMatchObject({ held: true, waited: false });
		setTimeout(() => void held.release(), 300);
		const began = Date.now();
		const other = await b.renewalLock(key, systemClock);
		expect(other).toMatchObject({ held: false, waited: true });
		expect(Date.now() - began).toBeGreaterThanOrEqual(250);
		// Released: the next renewal can be taken again.
		expect((await b.renewalLock(key, systemClock)).held).toBe(true);
	});

	it('keeps no user name, client id or secret in any key', async () => {
		const secretish = 'user-name-that-must-not-show';
		const coordinator = processOnRedis(redis.url, 'leak-check');
		const key = identityKey('JPO', 'http://sandbox', secretish);
		await coordinator.reserve({ key: `${key}:domestic`, limit: 5, windowMs: 1000, marginMs: 0 }, systemClock);
		await coordinator.recordDaily(key, '2026-12-03', '1-2', { counted: true, remain: 5 });
		await coordinator.renewalLock(key, systemClock);
		const client = new Redis(redis.port, '127.0.0.1');
		try {
			const keys = await client.keys('leak-check:*');
			expect(keys.length).toBeGreaterThanOrEqual(4);
			for (const name of keys) expect(name).not.toContain(secretish);
		} finally {
			client.disconnect();
		}
	});

	it('throttles alone at its share when Redis cannot be reached, and says so', async () => {
		const window = freshWindow(6, 2_000);
		const a = processOnRedis();
		const b = processOnRedis();
		// Both processes are seen on the window first, so each knows the limit is shared by two.
		await a.reserve(window, systemClock);
		await b.reserve(window, systemClock);
		await a.reserve(window, systemClock);
		await redis.stop();
		try {
			const began = Date.now();
			const slots = [];
			for (let i = 0; i < 2; i++) slots.push(await a.reserve(window, systemClock));
			// A share of 3 per window, two of which A used before Redis went: the second one alone waits
			// until A's first send leaves the 2 s window (stopping Redis took part of it).
			expect(Date.now() - began).toBeGreaterThanOrEqual(800);
			for (const slot of slots) expect(slot.warning).toMatch(/Redis at 127\.0\.0\.1:\d+ \(database 0\) could not be reached .* at 3 per 2 s .* 2 n8n processes/);
		} finally {
			await redis.start();
		}
	});

	it('does not hang when Redis is not there at all: the first call throttles alone after a short wait', async () => {
		const nowhere = await startTestRedis();
		const url = nowhere.url;
		await nowhere.close();
		const lonely = processOnRedis(url);
		const began = Date.now();
		const slot = await lonely.reserve(freshWindow(5, 1000), systemClock);
		expect(Date.now() - began).toBeLessThan(5_000);
		expect(slot.warning).toMatch(/could not be reached \((ECONNREFUSED|.*connect).*\), so calls were throttled in this process alone, at 5 per second/);
		expect(await lonely.dailyUsage('jpo:x', '2026-12-03')).toBeUndefined();
		expect(await lonely.renewalLock('jpo:x', systemClock)).toMatchObject({ held: false, waited: false });
	});

	it('makes every process wait a whole window after a Redis restart that lost the window', async () => {
		const window = freshWindow(3, 1_500);
		const a = processOnRedis();
		const b = processOnRedis();
		for (let i = 0; i < 3; i++) await a.reserve(window, systemClock);
		await redis.restart();
		// Wait for ioredis to reconnect.
		for (let tries = 0; tries < 50; tries++) {
			const probe = await a.dailyUsage('jpo:probe', '2026-12-03');
			if (probe) break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const began = Date.now();
		// The restarted Redis knows nothing of A's three sends (nor of anyone else's): A's next call fills
		// the window, so B, which sent nothing and would otherwise go at once, waits a whole window too.
		const slotA = a.reserve(window, systemClock);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await b.reserve(window, systemClock);
		expect(Date.now() - began).toBeGreaterThanOrEqual(1_450);
		expect((await slotA).waitedMs).toBeGreaterThanOrEqual(1_450);
	});
});

describe('used-up daily limits', () => {
	const limitUntil = (resetsAtMs: number): UsedUpLimit => ({
		reportedAtMs: Date.now(),
		resetsAtMs,
		refusal: { message: 'The daily access limit of JPO 1-1 (Get Progress) is used up', code: '203', originalMessage: '1日のアクセス上限を超過したため閲覧を制限します。' },
	});
	const freshKey = (name: string) => identityKey('JPO', 'http://sandbox', `${name}-${Date.now()}-${Math.random()}`);

	it('are seen by every process until the reset, per identity and scope, in a key that expires then', async () => {
		const key = freshKey('used-up');
		const a = processOnRedis(redis.url, 'used-up');
		const b = processOnRedis(redis.url, 'used-up');
		const limit = limitUntil(Date.now() + 60_000);
		await a.markUsedUp(key, '1-1', limit, systemClock);
		expect(await b.usedUp(key, '1-1', systemClock)).toEqual(limit);
		expect(await b.usedUp(key, '1-2', systemClock)).toBeUndefined();
		expect(await b.usedUp(freshKey('other-id'), '1-1', systemClock)).toBeUndefined();
		// A reader whose clock has passed the reset sends again, whatever the key's expiry says.
		expect(await b.usedUp(key, '1-1', { ...systemClock, now: () => limit.resetsAtMs })).toBeUndefined();
		const client = new Redis(redis.port, '127.0.0.1');
		try {
			const [name] = await client.keys('used-up:*usedup*');
			expect(name).toMatch(/^used-up:\{jpo:[0-9a-f]{20}\}:jpo:[0-9a-f]{20}:usedup:1-1$/);
			expect(await client.pttl(name)).toBeGreaterThan(55_000);
			expect(await client.pttl(name)).toBeLessThanOrEqual(60_000);
		} finally {
			client.disconnect();
		}
	});

	it('are forgotten when the key is removed by hand, and an unreadable value counts as none', async () => {
		const key = freshKey('removed');
		const a = processOnRedis(redis.url, 'used-up-removed');
		await a.markUsedUp(key, '1-1', limitUntil(Date.now() + 60_000), systemClock);
		const client = new Redis(redis.port, '127.0.0.1');
		try {
			const [name] = await client.keys('used-up-removed:*usedup*');
			await client.set(name, 'not json', 'PX', 60_000);
			expect(await a.usedUp(key, '1-1', systemClock)).toBeUndefined();
			await client.del(name);
			expect(await a.usedUp(key, '1-1', systemClock)).toBeUndefined();
		} finally {
			client.disconnect();
		}
	});

	it('while Redis cannot be read: what the process was told itself still holds, anything else is sent', async () => {
		const key = freshKey('redis-down');
		const told = processOnRedis();
		const other = processOnRedis();
		const limit = limitUntil(Date.now() + 60_000);
		await told.markUsedUp(key, '1-1', limit, systemClock);
		expect(await other.usedUp(key, '1-1', systemClock)).toEqual(limit);
		await redis.stop();
		try {
			const began = Date.now();
			expect(await told.usedUp(key, '1-1', systemClock)).toEqual(limit);
			expect(await other.usedUp(key, '1-1', systemClock)).toBeUndefined();
			expect(Date.now() - began).toBeLessThan(5_000);
		} finally {
			await redis.start();
		}
	});

	it('do not hang when Redis is not there at all', async () => {
		const nowhere = await startTestRedis();
		const url = nowhere.url;
		await nowhere.close();
		const lonely = processOnRedis(url);
		const began = Date.now();
		await lonely.markUsedUp('jpo:x', '1-1', limitUntil(Date.now() + 60_000), systemClock);
		expect(await lonely.usedUp('jpo:x', '1-2', systemClock)).toBeUndefined();
		expect(await lonely.usedUp('jpo:x', '1-1', systemClock)).toMatchObject({ refusal: { code: '203' } });
		expect(Date.now() - began).toBeLessThan(5_000);
	});

	it('in one process: kept for every execution until the reset, and per scope', async () => {
		const key = freshKey('process');
		const limit = limitUntil(Date.now() + 60_000);
		await new ProcessCoordinator().markUsedUp(key, 'daily', limit);
		// Another execution's coordinator in the same process.
		expect(await new ProcessCoordinator().usedUp(key, 'daily', systemClock)).toEqual(limit);
		expect(await new ProcessCoordinator().usedUp(key, 'other', systemClock)).toBeUndefined();
		expect(await new ProcessCoordinator().usedUp(key, 'daily', { ...systemClock, now: () => limit.resetsAtMs })).toBeUndefined();
		expect(await new ProcessCoordinator().usedUp(key, 'daily', systemClock)).toBeUndefined();
	});
});

describe('processCoordinator', () => {
	const saved = { ...process.env };
	afterEach(async () => {
		process.env = { ...saved };
		await resetProcessCoordinator();
	});

	it('stays in the process outside queue mode', async () => {
		delete process.env.EXECUTIONS_MODE;
		delete process.env.JPO_PATSNAP_COORDINATION;
		delete process.env.JPO_PATSNAP_REDIS_URL;
		await resetProcessCoordinator();
		expect(processCoordinator()).toBeInstanceOf(ProcessCoordinator);
		expect(processCoordinator().shared).toBe(false);
	});

	it('uses Redis in queue mode, from n8n\'s own settings', async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		process.env.QUEUE_BULL_REDIS_HOST = '127.0.0.1';
		process.env.QUEUE_BULL_REDIS_PORT = String(redis.port);
		await resetProcessCoordinator();
		const coordinator = processCoordinator();
		expect(coordinator).toBeInstanceOf(RedisCoordinator);
		const slot = await coordinator.reserve(freshWindow(2, 1000), systemClock);
		expect(slot.warning).toBeUndefined();
	});

	it('stops every call with the setting and the fix when a setting is wrong', async () => {
		process.env.EXECUTIONS_MODE = 'queue';
		process.env.JPO_PATSNAP_COORDINATION = 'sometimes';
		await resetProcessCoordinator();
		const patSnapWindow = { key: `${identityKey('PatSnap', 'http://sandbox', 'client')}:rate`, limit: 5, windowMs: 1000, marginMs: 50 };
		await expect(processCoordinator().reserve(patSnapWindow, systemClock)).rejects.toMatchObject({
			message: 'The quota coordination settings of this n8n process cannot be used: JPO_PATSNAP_COORDINATION must be auto, redis or off, not "sometimes"',
			details: { api: 'PatSnap', kind: 'configuration' },
		});
	});
});

describe('readCoordinationSettings', () => {
	it('keeps to the process outside queue mode and when turned off', () => {
		expect(readCoordinationSettings({})).toEqual({ kind: 'process', reason: 'n8n is not in queue mode' });
		expect(readCoordinationSettings({ EXECUTIONS_MODE: 'queue', JPO_PATSNAP_COORDINATION: 'off' }).kind).toBe('process');
	});

	it("reads n8n's own queue-mode Redis settings", () => {
		const settings = readCoordinationSettings({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: 'redis.internal',
			QUEUE_BULL_REDIS_PORT: '6380',
			QUEUE_BULL_REDIS_DB: '2',
			QUEUE_BULL_REDIS_USERNAME: 'n8n',
			QUEUE_BULL_REDIS_PASSWORD: 'redis-password',
			QUEUE_BULL_REDIS_TLS: 'true',
			QUEUE_BULL_PREFIX: 'office',
		});
		expect(settings).toEqual({
			kind: 'redis',
			prefix: 'office:jpo-patsnap',
			source: "n8n's QUEUE_BULL_REDIS settings",
			redis: { host: 'redis.internal', port: 6380, db: 2, username: 'n8n', password: 'redis-password', tls: true, family: 4, clusterNodes: [] },
		});
	});

	it('takes an explicit Redis URL over the queue settings, even outside queue mode', () => {
		const settings = readCoordinationSettings({ JPO_PATSNAP_REDIS_URL: 'rediss://:p%40ss@10.0.0.5:6390/3', QUEUE_BULL_REDIS_HOST: 'other' });
		expect(settings).toMatchObject({ kind: 'redis', redis: { host: '10.0.0.5', port: 6390, db: 3, password: 'p@ss', tls: true } });
	});

	it('names the setting and the fix for a bad value', () => {
		expect(() => readCoordinationSettings({ JPO_PATSNAP_COORDINATION: 'sometimes' })).toThrow('JPO_PATSNAP_COORDINATION must be auto, redis or off, not "sometimes"');
		expect(() => readCoordinationSettings({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_PORT: 'abc' })).toThrow('QUEUE_BULL_REDIS_PORT must be a port number from 1 to 65535, not "abc"');
		expect(() => readCoordinationSettings({ JPO_PATSNAP_REDIS_URL: 'http://x' })).toThrow('must start with redis:// or rediss://');
	});
});
