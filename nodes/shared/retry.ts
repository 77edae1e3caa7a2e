import type { Clock } from './clock';
import { ApiFailure } from './failure';

export interface RetryPolicy {
	/** Total attempts including the first. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A server asking us to wait longer than this is treated as a stop, not a pause. */
	maxRetryAfterMs: number;
}

/** Max Attempts as the nodes offer it by default. */
export const DEFAULT_MAX_ATTEMPTS = 4;

export const defaultRetryPolicy: RetryPolicy = {
	maxAttempts: DEFAULT_MAX_ATTEMPTS,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

/**
 * Exponential backoff with "equal jitter": at least half the exponential step, so retries never
 * hammer the server, and a random other half, so parallel workflows do not retry in lockstep.
 */
export function backoffDelay(retryNumber: number, policy: RetryPolicy, clock: Clock): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
	return Math.round(step / 2 + (clock.random() * step) / 2);
}

/** Reads Retry-After as seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const trimmed = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/** A promise's outcome as a value, so callers can branch on failures without nested try blocks. */
export async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await promise };
	} catch (error) {
		return { error };
	}
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient kind, or the attempts run out.
 * Only `transient` and `malformed` failures flagged `retryable` by the caller are retried.
 */
export async function withRetries<T>(
	attempt: (attemptNumber: number) => Promise<T>,
	isRetryable: (failure: ApiFailure) => boolean,
	policy: RetryPolicy,
	clock: Clock,
): Promise<T> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		const outcome = await settle(attempt(attemptNumber));
		if ('value' in outcome) return outcome.value;
		const error = outcome.error;
		if (!(error instanceof ApiFailure)) throw error;
		if (!isRetryable(error) || attemptNumber >= policy.maxAttempts) {
			throw error.withDetails({ attempts: attemptNumber });
		}
		const requested = error.details.retryAfterMs;
		if (requested !== undefined && requested > policy.maxRetryAfterMs) {
			throw error.withDetails({ attempts: attemptNumber });
		}
		const delay = Math.max(backoffDelay(attemptNumber, policy, clock), requested ?? 0);
		await clock.sleep(delay);
	}
}
