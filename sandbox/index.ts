/**
 * Local emulation of the JPO Patent Information Retrieval APIs and the PatSnap Open API for
 * tests, benchmarks and first runs without accounts. See sandbox/README.md and docs/CONTRACTS.md.
 */
import { systemClock, type Clock } from './core/clock';
import type { DeepPartial, SandboxConfig } from './core/config';
import type { FaultRule } from './core/faults';
import type { ForeignRequest } from './core/foreignHost';
import type { ApiName, RecordedRequest, RequestFilter } from './core/recorder';
import { SandboxServer } from './core/server';
import type { SandboxData } from './data';

export interface StartSandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	config?: DeepPartial<SandboxConfig>;
	/** Drives token expiry, rate windows and daily resets; default Date.now. */
	clock?: Clock;
}

export interface Sandbox {
	/** http://127.0.0.1:<port> */
	readonly url: string;
	close(): Promise<void>;
	/** Data back to seed; counters, quotas, tokens, requests and faults cleared; config as started. */
	reset(): void;
	/** Deep-merges into the running configuration and returns the result. */
	configure(partial: DeepPartial<SandboxConfig>): SandboxConfig;
	readonly config: SandboxConfig;
	readonly faults: { add(rule: FaultRule): string; remove(id: string): boolean; clear(): void; list(): Array<FaultRule & { id: string }> };
	requests(filter?: RequestFilter): RecordedRequest[];
	clearRequests(): void;
	/** Calls to the token endpoint (any outcome) since start or the last reset. */
	tokenFetches(api: ApiName): number;
	/**
	 * Every access, refresh and PatSnap token handed out since start (reset() does not forget them),
	 * so a secret scan after many runs still knows every token that could leak.
	 */
	issuedTokens(api?: ApiName): string[];
	/**
	 * The other origin (`http://localhost:<port>`) redirect faults point at by default. It answers
	 * anything with 200 and records what reached it, naming any known secret it saw by label.
	 */
	readonly foreignHost: { readonly url: string; requests(): ForeignRequest[]; clear(): void };
	/** The live data set; replaced on reset(), so read it through this property each time. */
	readonly data: SandboxData;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
	const server = new SandboxServer(options.clock ?? systemClock, options.config ?? {});
	await server.listen(options.port ?? 0);
	return {
		url: server.baseUrl,
		close: () => server.close(),
		reset: () => server.reset(),
		configure: (partial) => server.configure(partial),
		get config() {
			return server.config;
		},
		faults: {
			add: (rule) => server.faults.add(rule),
			remove: (id) => server.faults.remove(id),
			clear: () => server.faults.clear(),
			list: () => server.faults.list(),
		},
		requests: (filter) => server.recorder.list(filter),
		clearRequests: () => server.recorder.clear(),
		tokenFetches: (api) => server.tokenFetches(api),
		issuedTokens: (api) => server.issuedTokens(api),
		foreignHost: {
			url: server.foreignHost.url,
			requests: () => server.foreignHost.requests(),
			clear: () => server.foreignHost.clear(),
		},
		get data() {
			return server.data;
		},
	};
}

export { systemClock, type Clock } from './core/clock';
export { defaultConfig, DEMO_JPO_USER, DEMO_PATSNAP_API_KEY, DEMO_PATSNAP_CLIENT, type DeepPartial, type SandboxConfig } from './core/config';
export { FAULT_KINDS, REDIRECT_STATUSES, type FaultKind, type FaultRule } from './core/faults';
export type { ForeignRequest } from './core/foreignHost';
export type { ApiName, RecordedRequest, RequestFilter } from './core/recorder';
export type { SandboxData } from './data';
export { JPO_ANCHORS } from './data/jpo';
export { PATSNAP_ANCHOR_FAMILIES } from './data/patsnap';
export { DOMESTIC_ENDPOINTS, OPD_ENDPOINTS } from './jpo/endpoints';
export { JPO_STATUS } from './jpo/status';
export { PATSNAP_ERRORS } from './patsnap/errors';
export { EVENT_STATUS_CN, LEGAL_STATUS_CN, SIMPLE_LEGAL_STATUS_CN, toChinese, toEnglish } from './patsnap/language';
