import { randomUUID } from 'node:crypto';
import Redis, { Cluster, type RedisOptions } from 'ioredis';

import type { Clock } from '../clock';
import type { Coordinator, DailyUsage, RenewalLock, Slot, WindowSpec } from './index';
import { ACQUIRE_SLOT, FILL_WINDOW, RECORD_DAILY, RELEASE_LOCK, SETTLE_SLOT } from './scripts';
import { describeRedis, type CoordinationSettings } from './settings';
import { isLive, parseUsedUpLimit, UsedUpLimits, type UsedUpLimit } from './usedUp';

type RedisSettings = Extract<CoordinationSettings, { kind: 'redis' }>;

interface QuotaCommands {
	acquireSlot(window: string, peers: string, epoch: string, ...args: Array<string | number>): Promise<[number, number, number, string]>;
	settleSlot(window: string, slot: string): Promise<number>;
	fillWindow(window: string, ...args: Array<string | number>): Promise<number>;
	recordDaily(day: string, ...args: Array<string | number>): Promise<number>;
	releaseLock(lock: string, holder: string): Promise<number>;
}

type Client = (Redis | Cluster) & QuotaCommands;

/** How long the first connection may take before the process throttles on its own. */
const CONNECT_WAIT_MS = 3_000;
/** A Redis that accepted the connection but does not answer is treated like one that is down. */
const COMMAND_TIMEOUT_MS = 2_000;
/** A pending slot whose process died mid-login is given up after this, not held for ever. */
const PENDING_HOLD_MS = 120_000;
/** Renewal locks outlive a slow login, but not a process that died holding one. */
const RENEWAL_LOCK_MS = 45_000;
const RENEWAL_POLL_MS = 100;
/** Daily counts outlive the JPO day they belong to by a day, then go. */
const DAILY_TTL_MS = 2 * 86_400_000;

/** This process's own sends in a window: what it throttles by when Redis is away, and whether it had sent any when Redis comes back. */
class OwnSends {
	private times: number[] = [];

	record(now: number): void {
		this.times.push(now);
	}

	count(now: number, span: number): number {
		this.times = this.times.filter((time) => now - time < span);
		return this.times.length;
	}

	oldest(): number {
		return Math.min(...this.times);
	}
}

interface WindowState {
	own: OwnSends;
	/** Empty until this process has seen the window in Redis. */
	epoch: string;
	/** Processes that used the window lately, this one included. */
	peers: number;
	/** Serves this process's callers in arrival order. */
	queue: Promise<unknown>;
}

/**
 * The shared quota state of n8n in queue mode, kept in the Redis queue mode runs. When Redis
 * cannot be reached the process does not stop: it throttles on its own at its share of the limit
 * (the limit divided by the processes last seen on the window) and tells the run so. When Redis
 * answers again, or after a restart that lost the window, what the others sent meanwhile is
 * unknown: the first process that had sent anything fills the window, so all wait a whole window.
 * The APIs' own "too fast" answers stay the last line of defence: they fill the window too.
 */
export class RedisCoordinator implements Coordinator {
	readonly shared = true;

	readonly description: string;

	private readonly processId = randomUUID();

	private readonly windows = new Map<string, WindowState>();

	private client: Client | undefined;

	private connecting: Promise<void> | undefined;

	private lastProblem = 'not connected yet';

	/** What this process was told itself: still known while Redis cannot be read. */
	private readonly usedUpHere = new UsedUpLimits();

	constructor(private readonly settings: RedisSettings) {
		this.description = describeRedis(settings.redis);
	}

	async close(): Promise<void> {
		const client = this.client;
		this.client = undefined;
		if (client) client.disconnect();
	}

	async reserve(window: WindowSpec, clock: Clock, options: { pending?: boolean } = {}): Promise<Slot> {
		const state = this.windowState(window.key);
		const turn = state.queue.then(async () => await this.take(window, state, clock, options.pending === true));
		state.queue = turn.catch(() => undefined);
		return await turn;
	}

	async markWindowFull(window: WindowSpec): Promise<void> {
		const client = await this.ready();
		if (!client) return;
		await client.fillWindow(this.key(window.key, 'window'), window.limit, window.windowMs + window.marginMs, randomUUID()).catch(this.noted);
	}

	async recordDaily(key: string, day: string, endpoint: string, reading: { counted: boolean; remain?: number }): Promise<void> {
		const client = await this.ready();
		if (!client) return;
		await client
			.recordDaily(this.key(key, `daily:${day}`), endpoint, reading.counted ? 1 : 0, reading.remain === undefined ? '' : reading.remain, DAILY_TTL_MS)
			.catch(this.noted);
	}

	async dailyUsage(key: string, day: string): Promise<DailyUsage | undefined> {
		const client = await this.ready();
		if (!client) return undefined;
		const fields = await client.hgetall(this.key(key, `daily:${day}`)).catch(this.noted);
		if (!fields) return undefined;
		const usage: DailyUsage = { spent: {}, remain: {} };
		for (const [field, value] of Object.entries(fields)) {
			const [kind, endpoint] = [field.slice(0, field.indexOf(':')), field.slice(field.indexOf(':') + 1)];
			if (kind === 'spent' || kind === 'remain') usage[kind][endpoint] = Number(value);
		}
		return usage;
	}

	async renewalLock(key: string, clock: Clock): Promise<RenewalLock> {
		const client = await this.ready();
		if (!client) return { held: false, waited: false, release: async () => undefined };
		const lockKey = this.key(key, 'renewal');
		const holder = randomUUID();
		const deadline = clock.now() + RENEWAL_LOCK_MS;
		const taken = await client.set(lockKey, holder, 'PX', RENEWAL_LOCK_MS, 'NX').catch(this.noted);
		if (taken === 'OK') {
			return { held: true, waited: false, release: async () => void (await client.releaseLock(lockKey, holder).catch(this.noted)) };
		}
		// Redis went away: log in without it.
		if (taken === undefined) return { held: false, waited: false, release: async () => undefined };
		// Another process is renewing: wait until it is done, then the caller looks at the token again.
		while (clock.now() < deadline) {
			await clock.sleep(RENEWAL_POLL_MS);
			const exists = await client.exists(lockKey).catch(this.noted);
			if (exists !== 1) break;
		}
		return { held: false, waited: true, release: async () => undefined };
	}

	async markUsedUp(key: string, scope: string, limit: UsedUpLimit, clock: Clock): Promise<void> {
		this.usedUpHere.mark(key, scope, limit);
		// Expires at the reset as this process's clock sees it; readers check the time as well.
		const ttl = Math.ceil(limit.resetsAtMs - clock.now());
		if (ttl <= 0) return;
		const client = await this.ready();
		if (!client) return;
		await client.set(this.key(key, `usedup:${scope}`), JSON.stringify(limit), 'PX', ttl).catch(this.noted);
	}

	/**
	 * Redis decides when it answers, so a key removed by hand lets calls go out again. When it
	 * cannot be read, what this process was told itself still holds; otherwise the call is sent and
	 * the API, which keeps the real count, answers for itself.
	 */
	async usedUp(key: string, scope: string, clock: Clock): Promise<UsedUpLimit | undefined> {
		const client = await this.ready();
		const stored = client ? await client.get(this.key(key, `usedup:${scope}`)).catch(this.noted) : undefined;
		if (stored === undefined) return this.usedUpHere.get(key, scope, clock);
		const limit = parseUsedUpLimit(stored);
		return isLive(limit, clock.now()) ? limit : undefined;
	}

	private readonly noted = (error: unknown): undefined => {
		// ioredis follows a refused connection with "Connection is closed."; the first reason says more.
		if ((error as Error).message !== 'Connection is closed.' || this.lastProblem === 'not connected yet') {
			this.lastProblem = describeError(error);
		}
		return undefined;
	};

	private key(identity: string, what: string): string {
		return `${this.settings.prefix}:{${identityTag(identity)}}:${identity}:${what}`;
	}

	private windowState(key: string): WindowState {
		let state = this.windows.get(key);
		if (!state) {
			state = { own: new OwnSends(), epoch: '', peers: 1, queue: Promise.resolve() };
			this.windows.set(key, state);
		}
		return state;
	}

	private async take(window: WindowSpec, state: WindowState, clock: Clock, pending: boolean): Promise<Slot> {
		const span = window.windowMs + window.marginMs;
		const windowKey = this.key(window.key, 'window');
		let waited = 0;
		for (;;) {
			const client = await this.ready();
			const slotId = `${this.processId}:${randomUUID()}`;
			const answer = client
				? await client
						.acquireSlot(
							windowKey,
							this.key(window.key, 'peers'),
							this.key(window.key, 'epoch'),
							window.limit,
							span,
							slotId,
							pending ? PENDING_HOLD_MS : 0,
							this.processId,
							randomUUID(),
							state.epoch,
							state.own.count(clock.now(), span),
							Math.max(2 * span, 120_000),
						)
						.catch(this.noted)
				: undefined;
			if (!client || !answer) return await this.takeAlone(window, state, clock, waited);
			const [granted, wait, peers, epoch] = answer;
			state.epoch = String(epoch);
			state.peers = Math.max(1, Number(peers));
			if (Number(granted) === 1) {
				state.own.record(clock.now());
				const settle = pending ? async () => void (await client.settleSlot(windowKey, slotId).catch(this.noted)) : async () => undefined;
				return { waitedMs: waited, settle };
			}
			await clock.sleep(Number(wait));
			waited += Number(wait);
		}
	}

	/** Redis cannot be reached: keep to this process's share of the limit, and say so. */
	private async takeAlone(window: WindowSpec, state: WindowState, clock: Clock, waitedBefore: number): Promise<Slot> {
		const span = window.windowMs + window.marginMs;
		const share = Math.max(1, Math.floor(window.limit / state.peers));
		let waited = waitedBefore;
		for (;;) {
			const now = clock.now();
			if (state.own.count(now, span) < share) {
				state.own.record(now);
				// No epoch matches an empty one: the next answer from Redis knows this process sent alone.
				state.epoch = '';
				return {
					waitedMs: waited,
					warning: `${this.description} could not be reached (${this.lastProblem}), so calls were throttled in this process alone, at ${share} per ${describeSpan(window.windowMs)} (the limit of ${window.limit} shared by the ${state.peers} n8n process${state.peers === 1 ? '' : 'es'} last seen). The API's own "too fast" answers are still obeyed.`,
					settle: async () => undefined,
				};
			}
			const wait = Math.max(1, state.own.oldest() + span - now);
			await clock.sleep(wait);
			waited += wait;
		}
	}

	/** The client when Redis answers, undefined when it does not; the first call waits a little for the connection. */
	private async ready(): Promise<Client | undefined> {
		if (!this.client) this.client = this.createClient();
		if (isReady(this.client)) return this.client;
		if (this.client.status === 'wait' && !this.connecting) {
			this.connecting = this.client.connect().catch(this.noted) as Promise<void>;
		}
		if (this.connecting) {
			await Promise.race([this.connecting, new Promise((resolve) => setTimeout(resolve, CONNECT_WAIT_MS).unref())]);
			this.connecting = undefined;
		}
		return isReady(this.client) ? this.client : undefined;
	}

	private createClient(): Client {
		const redis = this.settings.redis;
		const options: RedisOptions = {
			db: redis.db,
			username: redis.username,
			password: redis.password,
			family: redis.family,
			tls: redis.tls ? {} : undefined,
			lazyConnect: true,
			// A command while Redis is away fails at once, so the caller throttles alone instead of hanging.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			connectTimeout: CONNECT_WAIT_MS,
			commandTimeout: COMMAND_TIMEOUT_MS,
			retryStrategy: (times) => Math.min(200 * times, 2_000),
			connectionName: 'n8n-nodes-jpo-patsnap',
		};
		const client = (
			redis.clusterNodes.length > 0
				? new Cluster(redis.clusterNodes, { redisOptions: options, lazyConnect: true, enableOfflineQueue: false })
				: new Redis({ ...options, host: redis.host, port: redis.port })
		) as Client;
		// Without a listener ioredis prints every reconnect failure; the problem is reported on the run instead.
		client.on('error', this.noted);
		client.defineCommand('acquireSlot', { numberOfKeys: 3, lua: ACQUIRE_SLOT });
		client.defineCommand('settleSlot', { numberOfKeys: 1, lua: SETTLE_SLOT });
		client.defineCommand('fillWindow', { numberOfKeys: 1, lua: FILL_WINDOW });
		client.defineCommand('recordDaily', { numberOfKeys: 1, lua: RECORD_DAILY });
		client.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
		return client;
	}
}

function isReady(client: Client): boolean {
	return client.status === 'ready';
}

function identityTag(identity: string): string {
	// `jpo:<digest>:domestic` → `jpo:<digest>`: the windows, counts and lock of one identity share a slot.
	const parts = identity.split(':');
	return parts.slice(0, 2).join(':');
}

function describeSpan(windowMs: number): string {
	if (windowMs % 60_000 === 0) return windowMs === 60_000 ? 'minute' : `${windowMs / 60_000} minutes`;
	return windowMs === 1000 ? 'second' : `${windowMs / 1000} s`;
}

function describeError(error: unknown): string {
	const code = (error as { code?: string }).code;
	const message = (error as Error).message ?? String(error);
	// ioredis messages name host and port at most; a password never appears in them.
	return code && !message.includes(code) ? `${code}: ${message}` : message;
}
