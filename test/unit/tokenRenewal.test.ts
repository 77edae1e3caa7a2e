import { systemClock } from '../../nodes/shared/clock';
import { identityKey } from '../../nodes/shared/coordination';
import { RedisCoordinator } from '../../nodes/shared/coordination/redis';
import { readCoordinationSettings } from '../../nodes/shared/coordination/settings';
import type { CredentialHandle } from '../../nodes/shared/http';
import { renewOnce } from '../../nodes/shared/tokenRenewal';
import { startTestRedis, type TestRedis } from '../helpers/redisServer';

// Three "processes" (one coordinator each, on a real Redis) share one credential store, as n8n's
// workers share its database: the one that holds the lock logs in and stores the token, the
// others take it from the store.

let redis: TestRedis;
const coordinators: RedisCoordinator[] = [];

function processOnRedis(): RedisCoordinator {
	const settings = readCoordinationSettings({ JPO_PATSNAP_COORDINATION: 'redis', JPO_PATSNAP_REDIS_URL: redis.url, JPO_PATSNAP_REDIS_PREFIX: 'renewal-test' });
	if (settings.kind !== 'redis') throw new Error('expected Redis settings');
	const coordinator = new RedisCoordinator(settings);
	coordinators.push(coordinator);
	return coordinator;
}

beforeAll(async () => {
	redis = await startTestRedis();
}, 30_000);

afterAll(async () => {
	await Promise.all(coordinators.map(async (coordinator) => await coordinator.close()));
	await redis?.close();
});

describe('renewOnce', () => {
	it('makes one login for processes that start together and for one that comes after the holder has finished', async () => {
		const key = identityKey('JPO', 'http://sandbox', `renew-${Date.now()}`);
		const store: Record<string, string> = { accessToken: '', accessTokenExpiresAt: '' };
		let logins = 0;
		const handle = (): CredentialHandle => ({ id: 'cred', name: 'JPO', type: 'jpoApi', data: { ...store } });
		const request = (coordinator: RedisCoordinator, credentials: CredentialHandle) => ({
			coordinator,
			key,
			credentials,
			reload: async () => ({ ...store }),
			tokenFields: ['accessToken', 'accessTokenExpiresAt'],
			isUsable: (data: Record<string, unknown>) => Boolean(data.accessToken) && Number(data.accessTokenExpiresAt) > Date.now() + 60_000,
			clock: systemClock,
		});
		/** What a worker does: renew if needed (the holder "logs in" inside its request), then use the token. */
		const work = async (coordinator: RedisCoordinator, credentials: CredentialHandle) => {
			const renewal = await renewOnce(request(coordinator, credentials));
			if (!credentials.data.accessToken) {
				logins += 1;
				await new Promise((resolve) => setTimeout(resolve, 200));
				Object.assign(store, { accessToken: `token-${logins}`, accessTokenExpiresAt: String(Date.now() + 3_600_000) });
				Object.assign(credentials.data, store);
			}
			await renewal.release();
			return String(credentials.data.accessToken);
		};
		const [a, b, c] = [processOnRedis(), processOnRedis(), processOnRedis()];
		// All three read the credential (no token) before any of them renews.
		const late = handle();
		const tokens = await Promise.all([work(a, handle()), work(b, handle()), work(c, handle())]);
		expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
		// This one had read the empty credential too, but asks only after the holder has released the lock.
		expect(await work(processOnRedis(), late)).toBe('token-1');
		expect(logins).toBe(1);
	});
});
