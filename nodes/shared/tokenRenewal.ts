import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Clock } from './clock';
import type { Coordinator } from './coordination';
import type { CredentialHandle } from './http';

/** Reads the credential again from n8n, where the process that renewed a token has stored it. */
export type CredentialReloader = () => Promise<ICredentialDataDecryptedObject>;

export interface RenewalRequest {
	coordinator: Coordinator;
	/** The API identity, as its windows are keyed. */
	key: string;
	credentials: CredentialHandle;
	reload: CredentialReloader | undefined;
	/** The credential fields a login fills in. */
	tokenFields: string[];
	/** Whether a reloaded credential holds a token that is good for this request. */
	isUsable(data: ICredentialDataDecryptedObject): boolean;
	clock: Clock;
}

const NOTHING_HELD = { release: async () => undefined };

/**
 * Lets one n8n process log in for an identity while the others wait for its result, so N workers
 * starting at once make one login. The login itself stays n8n's: the holder's next request runs
 * the credential's pre-authentication, n8n stores the new token, and the waiting processes read it
 * from there when the lock is released. Without a shared store, or when the holder's login failed,
 * each process logs in itself as before.
 */
export async function renewOnce(request: RenewalRequest): Promise<{ release(): Promise<void> }> {
	const { coordinator, credentials } = request;
	if (!coordinator.shared || credentials.data.accessToken) return NOTHING_HELD;
	// Two rounds: if the holder's login failed, this process takes the lock and tries itself.
	for (let round = 0; round < 2; round++) {
		const lock = await coordinator.renewalLock(request.key, request.clock);
		if (!lock.held && !lock.waited) break;
		// Whether this process waited for the holder or got the lock itself, another one may have
		// renewed since this execution read its credential: a lock taken just after another
		// process's release must not log in a second time.
		if (await takeStoredToken(request)) {
			await lock.release();
			return NOTHING_HELD;
		}
		if (lock.held) return lock;
	}
	return NOTHING_HELD;
}

async function takeStoredToken(request: RenewalRequest): Promise<boolean> {
	const fresh = request.reload ? await request.reload().catch(() => undefined) : undefined;
	if (!fresh || !request.isUsable(fresh)) return false;
	for (const field of request.tokenFields) request.credentials.data[field] = fresh[field];
	return true;
}

