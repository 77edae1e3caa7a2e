import type { Clock } from './clock';
import { settleOnce, type Coordinator, type WindowSpec } from './coordination';

export interface WindowedCall {
	coordinator: Coordinator;
	window: WindowSpec;
	clock: Clock;
	/** Held while the request logs in for the others; released once the call is done. */
	renewal?: { release(): Promise<void> };
	/** Told about a slot that could not be coordinated (Redis unreachable). */
	warn(message: string): void;
}

/**
 * Sends one request inside the identity's rate window, the same way for both APIs. An API counts
 * a request at some moment between sending and answering (a login first, a busy process or the
 * network can delay it), so the slot holds its place until the answer and is stamped the moment
 * `answered()` is called, before this process spends time reading it. A "too fast" answer marks
 * the window full for every process once the call is over.
 */
export async function sendInWindow<T>(call: WindowedCall, send: (answered: () => Promise<void>, markWindowFull: () => void) => Promise<T>): Promise<T> {
	let windowFull = false;
	try {
		const slot = await call.coordinator.reserve(call.window, call.clock, { pending: true });
		if (slot.warning) call.warn(slot.warning);
		const settle = settleOnce(slot);
		try {
			return await send(settle, () => (windowFull = true));
		} finally {
			await settle();
		}
	} finally {
		await call.renewal?.release();
		if (windowFull) await call.coordinator.markWindowFull(call.window, call.clock);
	}
}

/** Passes each distinct message on once: a run is told of a coordination problem once, not per call. */
export function onceEach(onMessage: (message: string) => void): (message: string) => void {
	const seen = new Set<string>();
	return (message) => {
		if (seen.has(message)) return;
		seen.add(message);
		onMessage(message);
	};
}
