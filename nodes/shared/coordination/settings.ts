import { readFileSync } from 'node:fs';

/**
 * Where the quota state of an API identity lives. n8n in queue mode runs the same workflows in
 * several processes, and both APIs count per ID or account, so there it has to live in the Redis
 * that queue mode already runs. Everywhere else the process is the whole picture.
 */
export type CoordinationSettings =
	| { kind: 'process'; reason: string }
	| { kind: 'redis'; redis: RedisConnection; prefix: string; source: string };

export interface RedisConnection {
	host: string;
	port: number;
	db: number;
	username?: string;
	password?: string;
	tls: boolean;
	/** 0 asks for IPv4 and IPv6 (n8n's QUEUE_BULL_REDIS_DUALSTACK), 4 for IPv4 only. */
	family: 0 | 4;
	/** host:port pairs of a Redis Cluster, as n8n's QUEUE_BULL_REDIS_CLUSTER_NODES lists them. */
	clusterNodes: Array<{ host: string; port: number }>;
}

/** The package's own settings; everything else is read from n8n's queue-mode settings. */
export const COORDINATION_ENV = {
	mode: 'JPO_PATSNAP_COORDINATION',
	redisUrl: 'JPO_PATSNAP_REDIS_URL',
	prefix: 'JPO_PATSNAP_REDIS_PREFIX',
} as const;

type Env = Record<string, string | undefined>;

export class CoordinationSettingsError extends Error {}

/** n8n accepts any setting as NAME_FILE, the path of a file holding the value (Docker secrets). */
function setting(env: Env, name: string): string | undefined {
	const direct = env[name];
	if (direct !== undefined && direct !== '') return direct;
	const file = env[`${name}_FILE`];
	if (!file) return undefined;
	let problem = '';
	try {
		return readFileSync(file, 'utf8').trim();
	} catch (error) {
		problem = (error as NodeJS.ErrnoException).code ?? 'error';
	}
	throw new CoordinationSettingsError(`${name}_FILE names ${file}, which cannot be read (${problem})`);
}

function flag(env: Env, name: string): boolean {
	return (setting(env, name) ?? '').toLowerCase() === 'true';
}

function portNumber(value: string | undefined, name: string, fallback: number): number {
	if (value === undefined || value === '') return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new CoordinationSettingsError(`${name} must be a port number from 1 to 65535, not "${value}"`);
	}
	return port;
}

function fromN8nQueueSettings(env: Env): RedisConnection {
	const db = Number(setting(env, 'QUEUE_BULL_REDIS_DB') ?? 0);
	if (!Number.isInteger(db) || db < 0) throw new CoordinationSettingsError('QUEUE_BULL_REDIS_DB must be a whole number of 0 or more');
	const clusterNodes = (setting(env, 'QUEUE_BULL_REDIS_CLUSTER_NODES') ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			const [host, port] = entry.split(':');
			return { host, port: portNumber(port, 'QUEUE_BULL_REDIS_CLUSTER_NODES', 6379) };
		});
	return {
		host: setting(env, 'QUEUE_BULL_REDIS_HOST') ?? 'localhost',
		port: portNumber(setting(env, 'QUEUE_BULL_REDIS_PORT'), 'QUEUE_BULL_REDIS_PORT', 6379),
		db,
		username: setting(env, 'QUEUE_BULL_REDIS_USERNAME'),
		password: setting(env, 'QUEUE_BULL_REDIS_PASSWORD'),
		tls: flag(env, 'QUEUE_BULL_REDIS_TLS'),
		family: flag(env, 'QUEUE_BULL_REDIS_DUALSTACK') ? 0 : 4,
		clusterNodes,
	};
}

function fromUrl(text: string): RedisConnection {
	if (!URL.canParse(text)) throw new CoordinationSettingsError(`${COORDINATION_ENV.redisUrl} must be a URL such as redis://127.0.0.1:6379/0`);
	const url = new URL(text);
	if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
		throw new CoordinationSettingsError(`${COORDINATION_ENV.redisUrl} must start with redis:// or rediss://, not ${url.protocol}//`);
	}
	const db = url.pathname.replace(/^\//, '');
	if (db !== '' && !/^\d+$/.test(db)) throw new CoordinationSettingsError(`${COORDINATION_ENV.redisUrl}: the path must be a database number, not "${db}"`);
	return {
		host: url.hostname.replace(/^\[|\]$/g, '') || 'localhost',
		port: portNumber(url.port, COORDINATION_ENV.redisUrl, 6379),
		db: db === '' ? 0 : Number(db),
		username: url.username ? decodeURIComponent(url.username) : undefined,
		password: url.password ? decodeURIComponent(url.password) : undefined,
		tls: url.protocol === 'rediss:',
		family: 0,
		clusterNodes: [],
	};
}

/** Host, port and database only: the password never goes into a message. */
export function describeRedis(redis: RedisConnection): string {
	const where = redis.clusterNodes.length > 0 ? redis.clusterNodes.map((node) => `${node.host}:${node.port}`).join(',') : `${redis.host}:${redis.port}`;
	return `Redis at ${where} (database ${redis.db}${redis.tls ? ', TLS' : ''})`;
}

/**
 * Reads the settings of this process. `JPO_PATSNAP_COORDINATION` is `auto` (the default: Redis in
 * queue mode, the process otherwise), `redis` (always Redis) or `off` (always the process).
 * `JPO_PATSNAP_REDIS_URL` names a Redis other than queue mode's; in `auto` it also turns sharing
 * on outside queue mode, for several regular n8n instances that share an ID.
 */
export function readCoordinationSettings(env: Env): CoordinationSettings {
	const mode = (setting(env, COORDINATION_ENV.mode) ?? 'auto').toLowerCase();
	if (!['auto', 'redis', 'off'].includes(mode)) {
		throw new CoordinationSettingsError(`${COORDINATION_ENV.mode} must be auto, redis or off, not "${mode}"`);
	}
	if (mode === 'off') return { kind: 'process', reason: `${COORDINATION_ENV.mode} is off` };
	const url = setting(env, COORDINATION_ENV.redisUrl);
	const queueMode = (env.EXECUTIONS_MODE ?? '').toLowerCase() === 'queue';
	if (mode === 'auto' && !url && !queueMode) return { kind: 'process', reason: 'n8n is not in queue mode' };
	const redis = url ? fromUrl(url) : fromN8nQueueSettings(env);
	const prefix = setting(env, COORDINATION_ENV.prefix) ?? `${setting(env, 'QUEUE_BULL_PREFIX') ?? 'bull'}:jpo-patsnap`;
	const source = url ? COORDINATION_ENV.redisUrl : "n8n's QUEUE_BULL_REDIS settings";
	return { kind: 'redis', redis, prefix, source };
}
