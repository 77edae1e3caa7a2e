import { createHash } from 'node:crypto';

import type { Clock } from '../clock';
import { ApiFailure, type ApiName } from '../failure';
import { sharedLimiter } from '../rateLimiter';
import { RedisCoordinator } from './redis';
import { CoordinationSettingsError, readCoordinationSettings } from './settings';
import { processUsedUpLimits, type UsedUpLimit } from './usedUp';
import { processDailyUsage } from './processDaily';

export type { UsedUpLimit } from './usedUp';

/** One API identity's request window: `limit` requests in any `windowMs + marginMs`. */
export interface WindowSpec {
	/** Names the identity and the window, e.g. `jpo:3f2a…:domestic`; never holds a secret. */
	key: string;
	limit: number;
	windowMs: number;
	marginMs: number;
}

export interface Slot {
	waitedMs: number;
	/** Set when this slot could not be coordinated with the other processes: what the run should be told. */
	warning?: string;
	/** Gives a pending slot its send time; see SlidingWindowLimiter.reserve. Never throws. */
	settle(): Promise<void>;
}

/** What an API identity has used on one service day, as far as every process has reported it. */
export interface DailyUsage {
	/** Calls the API counted, per endpoint. */
	spent: Record<string, number>;
	/** The lowest remaining count any answer reported, per endpoint. */
	remain: Record<string, number>;
}

export interface RenewalLock {
	/** This process renews; the others wait for it. */
	held: boolean;
	/** Another process held the lock and this one waited until it was released or timed out. */
	waited: boolean;
	release(): Promise<void>;
}

/**
 * Where the request windows, the daily counts and the token renewals of an API identity are kept:
 * in this process, or in Redis for every process of an n8n in queue mode.
 */
export interface Coordinator {
	readonly shared: boolean;
	/** For messages: "this n8n process" or "Redis at host:port (database 0)". */
	readonly description: string;
	reserve(window: WindowSpec, clock: Clock, options?: { pending?: boolean }): Promise<Slot>;
	/** The server said "too fast": every process waits a whole window before the next request. */
	markWindowFull(window: WindowSpec, clock: Clock): Promise<void>;
	/** A call the API answered; `counted` when it counts against the daily limit. */
	recordDaily(key: string, day: string, endpoint: string, reading: { counted: boolean; remain?: number }): Promise<void>;
	/** Undefined while nothing is known of today, or while the shared store cannot be read. */
	dailyUsage(key: string, day: string): Promise<DailyUsage | undefined>;
	/** Lets one process renew an identity's token while the others wait for it. */
	renewalLock(key: string, clock: Clock): Promise<RenewalLock>;
	/**
	 * The API said a daily limit of the identity is used up: `scope` names which (a JPO API number,
	 * or all of a PatSnap credential). Kept until `limit.resetsAtMs`.
	 */
	markUsedUp(key: string, scope: string, limit: UsedUpLimit, clock: Clock): Promise<void>;
	/** The used-up limit still in force, if any; undefined too when that cannot be known, so calls go out. */
	usedUp(key: string, scope: string, clock: Clock): Promise<UsedUpLimit | undefined>;
}

/** Settles a slot the first time it is called; later calls wait for that same settlement. */
export function settleOnce(slot: Slot): () => Promise<void> {
	let settled: Promise<void> | undefined;
	return async () => await (settled ??= slot.settle());
}

/** A key part that tells identities apart without holding them: a user name or client id is hashed too. */
export function identityKey(api: ApiName, ...parts: string[]): string {
	const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
	return `${api.toLowerCase()}:${digest}`;
}

const NO_LOCK: RenewalLock = { held: false, waited: false, release: async () => undefined };

/** The behaviour outside queue mode: one process is the whole picture. */
export class ProcessCoordinator implements Coordinator {
	readonly shared = false;

	readonly description = 'this n8n process';

	async reserve(window: WindowSpec, clock: Clock, options: { pending?: boolean } = {}): Promise<Slot> {
		const reservation = await sharedLimiter(window.key, window, clock).reserve(options);
		return { waitedMs: reservation.waitedMs, settle: async () => reservation.settle() };
	}

	async markWindowFull(window: WindowSpec, clock: Clock): Promise<void> {
		sharedLimiter(window.key, window, clock).markWindowFull();
	}

	async recordDaily(key: string, day: string, endpoint: string, reading: { counted: boolean; remain?: number }): Promise<void> {
		processDailyUsage.record(key, day, endpoint, reading);
	}

	async dailyUsage(key: string, day: string): Promise<DailyUsage | undefined> {
		return processDailyUsage.get(key, day);
	}

	async renewalLock(): Promise<RenewalLock> {
		return NO_LOCK;
	}

	async markUsedUp(key: string, scope: string, limit: UsedUpLimit): Promise<void> {
		processUsedUpLimits.mark(key, scope, limit);
	}

	async usedUp(key: string, scope: string, clock: Clock): Promise<UsedUpLimit | undefined> {
		return processUsedUpLimits.get(key, scope, clock);
	}
}

/** Settings that cannot be read stop every call with the reason, rather than quietly sharing nothing. */
class MisconfiguredCoordinator extends ProcessCoordinator {
	constructor(private readonly problem: string) {
		super();
	}

	override async reserve(window: WindowSpec): Promise<Slot> {
		throw new ApiFailure(`The quota coordination settings of this n8n process cannot be used: ${this.problem}`, {
			api: window.key.startsWith('patsnap:') ? 'PatSnap' : 'JPO',
			kind: 'configuration',
			description: 'Fix the environment variable named above and restart n8n (see "Scaling with queue mode", docs/queue-mode.md in the project repository).',
		});
	}
}

let current: Coordinator | undefined;

/** The coordinator of this process, chosen once from its environment (docs/queue-mode.md). */
export function processCoordinator(): Coordinator {
	if (current) return current;
	try {
		const settings = readCoordinationSettings(process.env);
		current = settings.kind === 'redis' ? new RedisCoordinator(settings) : new ProcessCoordinator();
	} catch (error) {
		current = new MisconfiguredCoordinator(error instanceof CoordinationSettingsError ? error.message : String(error));
	}
	return current;
}

/** For tests: drop the chosen coordinator (closing its Redis connection) so the next call reads the environment again. */
export async function resetProcessCoordinator(): Promise<void> {
	const previous = current;
	current = undefined;
	if (previous instanceof RedisCoordinator) await previous.close();
}
