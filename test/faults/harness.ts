/**
 * One sandbox, one fake clock and one view of the wire for the fault matrix and the soak.
 *
 * - Time: the sandbox and the nodes run on the same FakeClock. The nodes read time through the
 *   shared `systemClock` object (nodes/shared/clock.ts), whose methods are pointed at the fake
 *   clock while the harness runs, so backoff, throttle windows and "wait a whole window" after a
 *   rate error cost no real time, and the sandbox's windows, token lifetimes and daily resets agree.
 * - Wire: every request the nodes send is recorded twice, by the sandbox (status, result code,
 *   billing, fault) and by a pass-through tap on `fetch` (method, full URL and body, which the
 *   sandbox log leaves out: P048 pages differ only in their JSON body). The two logs are joined in
 *   order; the nodes send one request at a time, and a join that does not line up fails loudly.
 *   Nothing is mocked: the tap forwards every request unchanged.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startSandbox, type DeepPartial, type RecordedRequest, type Sandbox, type SandboxConfig } from '../../sandbox';
import { systemClock } from '../../nodes/shared/clock';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';

export interface WireRequest extends RecordedRequest {
	/** Method, path, sorted query and body: two requests with the same identity ask the same thing. */
	identity: string;
	body?: string;
}

interface Tapped {
	method: string;
	url: URL;
	body?: string;
}

export class FaultHarness {
	private tapped: Tapped[] = [];

	private readonly undo: Array<() => void> = [];

	private constructor(
		readonly sb: Sandbox,
		readonly clock: FakeClock,
		/** Where the clock goes back to for every cell: the real time the harness started. */
		readonly start: number,
	) {}

	/**
	 * Starts the sandbox on a fake clock set to the real time now. The credentials stamp token
	 * expiry with Date.now(); starting at the real time keeps those stamps in step with the fake
	 * clock for a matrix cell (minutes of fake time). The soak runs for days of fake time and sets
	 * `dateFollowsClock`, which points Date.now at the fake clock too, so a token is renewed when
	 * the sandbox expires it, not before every call.
	 */
	static async start(config: DeepPartial<SandboxConfig> = {}, options: { dateFollowsClock?: boolean } = {}): Promise<FaultHarness> {
		const start = Date.now();
		const clock = new FakeClock(start);
		const sb = await startSandbox({ port: 0, clock, config });
		const harness = new FaultHarness(sb, clock, start);
		harness.install(options.dateFollowsClock ?? false);
		return harness;
	}

	private install(dateFollowsClock: boolean): void {
		if (dateFollowsClock) {
			const realNow = Date.now;
			Date.now = () => this.clock.now();
			this.undo.push(() => {
				Date.now = realNow;
			});
		}
		const original = { now: systemClock.now, sleep: systemClock.sleep, random: systemClock.random };
		systemClock.now = () => this.clock.now();
		systemClock.sleep = async (ms: number) => await this.clock.sleep(ms);
		systemClock.random = () => this.clock.random();
		this.undo.push(() => Object.assign(systemClock, original));

		const realFetch = globalThis.fetch;
		const origin = new URL(this.sb.url).origin;
		globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
			const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
			// The control API is the test talking to the sandbox, not a node talking to an API.
			if (url.origin === origin && !url.pathname.startsWith('/__sandbox/')) {
				this.tapped.push({ method: (init?.method ?? 'GET').toUpperCase(), url, body: typeof init?.body === 'string' ? init.body : undefined });
			}
			return await realFetch(input, init);
		}) as typeof fetch;
		this.undo.push(() => {
			globalThis.fetch = realFetch;
		});
	}

	async stop(): Promise<void> {
		while (this.undo.length > 0) this.undo.pop()!();
		await this.sb.close();
	}

	/**
	 * A fresh start for a cell: seed data, no faults, no tokens, empty logs, the clock back at start,
	 * and the family's own sandbox settings on top of the harness's.
	 */
	reset(config?: DeepPartial<SandboxConfig>): void {
		this.clock.time = this.start;
		this.clock.sleeps.length = 0;
		this.sb.reset();
		if (config) this.sb.configure(config);
		forgetSharedLimiters();
		this.tapped = [];
	}

	/** Empties both request logs, so the next wire() shows one run only. */
	clearLog(): void {
		this.sb.clearRequests();
		this.tapped = [];
	}

	credentials(): Record<string, ICredentialDataDecryptedObject> {
		return {
			jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${this.sb.url}/auth/token`, baseUrl: this.sb.url, accessToken: '' },
			patSnapApi: { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', environment: 'custom', baseUrl: this.sb.url, accessToken: '' },
		};
	}

	/** The sandbox log joined with the tap: every request since the last clearLog(). */
	wire(): WireRequest[] {
		const recorded = this.sb.requests();
		if (recorded.length !== this.tapped.length) {
			throw new Error(`The wire logs do not line up: the sandbox recorded ${recorded.length} requests, the tap saw ${this.tapped.length}`);
		}
		return recorded.map((request, index) => {
			const tapped = this.tapped[index];
			if (tapped.url.pathname !== request.path || tapped.method !== request.method) {
				throw new Error(`The wire logs do not line up at request ${index + 1}: ${request.method} ${request.path} vs ${tapped.method} ${tapped.url.pathname}`);
			}
			const query = [...tapped.url.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
			const identity = `${request.method} ${request.path}?${new URLSearchParams(query).toString()} ${tapped.body ?? ''}`;
			return { ...request, identity, body: tapped.body };
		});
	}
}

/**
 * One logical call: consecutive requests asking the same thing (its first try and its retries).
 * API calls and downloads (JPO's pre-signed archive links, PatSnap's PDF links) are grouped apart,
 * so a download between two tries of an API call does not hide that the call was repeated.
 */
export interface Call {
	identity: string;
	requests: WireRequest[];
	/** Tries that count against Max Attempts. */
	attempts: number;
	/** Tries refused for an expired or invalid token; the token is renewed and the call repeated once. */
	authRefusals: number;
}

const JPO_COUNTED = new Set(['100', '107', '108']);
const UNREADABLE_FAULTS = new Set(['malformedJson', 'truncatedZip', 'reset']);

export function authRefused(request: WireRequest): boolean {
	return request.httpStatus === 401 || request.resultCode === '210' || request.resultCode === 67200003 || request.resultCode === 67200009;
}

/** The API counted (JPO: 100, 107, 108) or billed (PatSnap: results returned) this request. */
export function charged(request: WireRequest): boolean {
	return request.api === 'jpo' ? JPO_COUNTED.has(String(request.resultCode)) : (request.billed ?? 0) > 0;
}

/** The client received the whole answer (a slow answer is still a whole answer). */
export function readable(request: WireRequest): boolean {
	return !UNREADABLE_FAULTS.has(request.fault ?? '');
}

/** A whole, successful answer: asking the same thing again right after it is never needed. */
export function answered(request: WireRequest): boolean {
	if (!readable(request) || request.httpStatus < 200 || request.httpStatus >= 300) return false;
	return request.api === 'jpo' ? JPO_COUNTED.has(String(request.resultCode)) : request.resultCode === 0;
}

export function callsOf(wire: WireRequest[]): Call[] {
	const calls: Call[] = [];
	for (const kind of ['data', 'download'] as const) {
		let last: Call | undefined;
		for (const request of wire.filter((entry) => entry.kind === kind)) {
			if (last && last.identity === request.identity) last.requests.push(request);
			else calls.push((last = { identity: request.identity, requests: [request], attempts: 0, authRefusals: 0 }));
		}
	}
	for (const call of calls) {
		call.authRefusals = call.requests.filter(authRefused).length;
		call.attempts = call.requests.length - call.authRefusals;
	}
	return calls.sort((a, b) => a.requests[0].seq - b.requests[0].seq);
}

export interface WireAccounting {
	/** Data requests sent. */
	apiCalls: number;
	/** JPO: answers counted against the daily limit; PatSnap: results billed. */
	charged: number;
	/** Tries beyond the first of each call. */
	retries: number;
	doubleBilled: string[];
	budget: string[];
	/** Requests that repeated a call although its previous try had been answered in full. */
	needless: string[];
}

const short = (identity: string) => (identity.length > 140 ? `${identity.slice(0, 140)}…` : identity);

/**
 * Billing, counting and retry budget from the wire alone:
 * - no PatSnap request (the same batch, the same page) is billed twice in one run;
 * - no call is repeated after a whole answer, so a JPO count is spent twice only for an answer
 *   that never arrived whole (JPO counts it and bills nothing; README, "Rate limits");
 * - no call takes more than Max Attempts tries, plus at most two token refusals (renew once,
 *   repeat once).
 */
export function accountWire(wire: WireRequest[], maxAttempts: number): WireAccounting {
	const calls = callsOf(wire);
	const data = wire.filter((request) => request.kind === 'data');
	const result: WireAccounting = {
		apiCalls: data.length,
		charged: data.reduce((sum, request) => sum + (request.api === 'patsnap' ? (request.billed ?? 0) : charged(request) ? 1 : 0), 0),
		retries: calls.reduce((sum, call) => sum + call.requests.length - 1, 0),
		doubleBilled: [],
		budget: [],
		needless: [],
	};
	const billedTimes = new Map<string, number>();
	for (const request of data.filter((entry) => entry.api === 'patsnap' && charged(entry))) {
		billedTimes.set(request.identity, (billedTimes.get(request.identity) ?? 0) + 1);
	}
	for (const [identity, times] of billedTimes) {
		if (times > 1) result.doubleBilled.push(`billed ${times} times: ${short(identity)}`);
	}
	for (const call of calls) {
		if (call.attempts > maxAttempts) result.budget.push(`${call.attempts} tries (Max Attempts ${maxAttempts}): ${short(call.identity)}`);
		if (call.authRefusals > 2) result.budget.push(`${call.authRefusals} token refusals: ${short(call.identity)}`);
		call.requests.slice(0, -1).forEach((request, index) => {
			if (answered(request)) result.needless.push(`try ${index + 2} after a whole answer: ${short(call.identity)}`);
		});
	}
	return result;
}
