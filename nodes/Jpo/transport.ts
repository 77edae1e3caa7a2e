import { JPO_DEFAULT_BASE_URL, JPO_TOKEN_SAFETY_MARGIN_MS } from '../../credentials/JpoApi.credentials';
import { systemClock, type Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { refuseOversizedAnswer } from '../shared/answerSize';
import { clearTokenIfExpiring, type CredentialHandle, type FetchUnauthenticated, type RawResponse, type SendRequest } from '../shared/http';
import { encodePathParameter } from '../shared/pathParameters';
import { identityKey, processCoordinator, type Coordinator, type DailyUsage, type WindowSpec } from '../shared/coordination';
import { notSentFailure, usedUpLimitOf } from '../shared/coordination/usedUp';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from '../shared/retry';
import { renewOnce, type CredentialReloader } from '../shared/tokenRenewal';
import { fromTransportError, type TransportErrorTexts } from '../shared/transportErrors';
import { onceEach, sendInWindow } from '../shared/windowedCall';
import { DEFAULT_JPO_RATES, JPO_PARAMETER_LABELS, jpoPathPrefix, jpoRateGroup, type JpoEndpoint, type JpoParameterKind } from './catalog';
import { jpoDailyLimitReset, readJpoResponse, type DownloadLink, type JpoAnswer } from './answers';
import { JST, jstDay } from './dates';
import { archiveFromLink, downloadFailure, type JpoFile } from './files';
import { jpoStatus } from './statusCodes';

export type JpoRates = typeof DEFAULT_JPO_RATES;

export interface JpoTransportOptions {
	clock?: Clock;
	retry?: RetryPolicy;
	rates?: Partial<JpoRates>;
	timeoutMs?: number;
	/** Larger answers, download links included, are refused before they are read or stored. */
	maxResponseBytes?: number;
	/** Where the per-ID windows, daily counts and token renewal are shared; this process's choice by default. */
	coordinator?: Coordinator;
	/** Reads the credential again, for a token another n8n process has just renewed. */
	reloadCredentials?: CredentialReloader;
	/** Told once per run of each coordination problem, e.g. that Redis could not be reached. */
	onWarning?: (message: string) => void;
}

/** The fields JPO's login fills in, taken over from a renewal done by another process. */
const JPO_TOKEN_FIELDS = ['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt'];

export const JPO_DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/** JPO counts a call that answered, whatever the size, so a refused answer still used one. */
const COUNTED_NOTE = 'JPO has counted the call against the daily limit.';

const REFUSED_TOKEN = jpoStatus('210');

const JPO_TRANSPORT_ERRORS: TransportErrorTexts = {
	api: 'JPO',
	redirectWouldCarry: 'the access token',
	redirectAdvice: `Check the API Base URL of the JPO credential (${JPO_DEFAULT_BASE_URL} for the real service): it must be the address the API answers on itself.`,
	loginBusyAdvice: 'The token URL was busy or down; retried with backoff.',
	refusedAfterRenewal: {
		message: `JPO refused the access token even after renewing it (${REFUSED_TOKEN.code} ${REFUSED_TOKEN.messageJa})`,
		code: REFUSED_TOKEN.code,
		originalMessage: REFUSED_TOKEN.messageJa,
		description: 'Check the ID, password and Token URL of the JPO credential.',
	},
	unreachableAdvice: 'Retried with backoff. Check the API Base URL if this persists.',
};

/**
 * The one way to JPO. It owns the per-minute throttle (shared by every execution using the same
 * ID), proactive token renewal, the retry policy driven by the status table, download links and
 * the daily counts it records for the whole ID (`remainingToday`).
 */
export class JpoTransport {
	private readonly clock: Clock;

	private readonly retry: RetryPolicy;

	private readonly rates: JpoRates;

	private readonly timeoutMs: number;

	private readonly maxResponseBytes: number;

	private readonly coordinator: Coordinator;

	private readonly reloadCredentials: CredentialReloader | undefined;

	private readonly warn: (message: string) => void;

	constructor(
		private readonly send: SendRequest,
		private readonly fetchUnauthenticated: FetchUnauthenticated,
		private readonly credentials: CredentialHandle,
		options: JpoTransportOptions = {},
	) {
		this.clock = options.clock ?? systemClock;
		this.retry = options.retry ?? defaultRetryPolicy;
		this.rates = { ...DEFAULT_JPO_RATES, ...options.rates };
		this.timeoutMs = options.timeoutMs ?? 120_000;
		this.maxResponseBytes = options.maxResponseBytes ?? JPO_DEFAULT_MAX_RESPONSE_BYTES;
		this.coordinator = options.coordinator ?? processCoordinator();
		this.reloadCredentials = options.reloadCredentials;
		this.warn = onceEach(options.onWarning ?? (() => undefined));
	}

	get baseUrl(): string {
		return String(this.credentials.data.baseUrl || JPO_DEFAULT_BASE_URL).replace(/\/+$/, '');
	}

	/** The JPO ID as the quota sees it: per ID and API address, never the password. */
	get identity(): string {
		return identityKey('JPO', this.baseUrl, String(this.credentials.data.username ?? ''));
	}

	private window(endpoint: JpoEndpoint): WindowSpec {
		const group = jpoRateGroup(endpoint);
		return {
			key: `${this.identity}:${group}`,
			limit: group === 'opd' ? this.rates.opdPerMinute : this.rates.domesticPerMinute,
			windowMs: this.rates.windowMs,
			marginMs: this.rates.marginMs,
		};
	}

	/** The transport's clock, so a run's own messages tell the same time as its calls. */
	now(): number {
		return this.clock.now();
	}

	/** Today's (JST) use of this ID by every n8n process, where that is shared; undefined otherwise. */
	async dailyUsage(): Promise<DailyUsage | undefined> {
		return await this.coordinator.dailyUsage(this.identity, jstDay(this.clock.now()));
	}

	/** The remaining count any n8n process last saw for an API today, where that is shared (queue mode). */
	async remainingToday(endpoint: JpoEndpoint): Promise<number | undefined> {
		return (await this.dailyUsage())?.remain[endpoint.number];
	}

	buildPath(endpoint: JpoEndpoint, values: Partial<Record<JpoParameterKind, string>>): string {
		const filled = endpoint.path.replace(/\{(\w+)\}/g, (_, kind: JpoParameterKind) => {
			const value = values[kind];
			if (value === undefined) {
				throw new ApiFailure(`Missing ${kind} for ${endpoint.name}`, { api: 'JPO', kind: 'input' });
			}
			return encodePathParameter('JPO', JPO_PARAMETER_LABELS[kind], value);
		});
		return `${jpoPathPrefix(endpoint)}${filled}`;
	}

	async call(endpoint: JpoEndpoint, values: Partial<Record<JpoParameterKind, string>>): Promise<JpoAnswer> {
		const path = this.buildPath(endpoint, values);
		const operation = `${endpoint.resource} › ${endpoint.name} (${endpoint.number})`;
		const retryable = (failure: ApiFailure) => failure.kind === 'transient' || failure.kind === 'malformed';
		const named = (error: unknown): never => {
			throw error instanceof ApiFailure ? error.withDetails({ operation }) : error;
		};
		// JPO limits each API of an ID separately, so only this API's calls are held back.
		const usedUp = await this.coordinator.usedUp(this.identity, endpoint.number, this.clock);
		if (usedUp) return named(notSentFailure(usedUp, 'JPO', JST, jpoDailyLimitReset(this.clock.now()), `the daily limit of API ${endpoint.number} for this ID`));
		const reply = await withRetries(async () => await this.attempt(endpoint, path), retryable, this.retry, this.clock).catch(async (error: unknown) => {
			if (error instanceof ApiFailure && error.kind === 'quota') {
				await this.coordinator.recordDaily(this.identity, jstDay(this.clock.now()), endpoint.number, { counted: false, remain: 0 });
				const limit = usedUpLimitOf(error, this.clock.now());
				if (limit) await this.coordinator.markUsedUp(this.identity, endpoint.number, limit, this.clock);
			}
			return named(error);
		});
		// JPO has counted the call that gave the link, and the link stays valid for 5 minutes: a failed
		// download is tried again on the same link, within its own budget, never by asking JPO again.
		const answer =
			reply.type === 'link'
				? await withRetries(async () => await this.downloadLargeArchive(endpoint, reply.url), retryable, this.retry, this.clock).catch(named)
				: reply;
		const remain = 'remainAccessCount' in answer ? answer.remainAccessCount : undefined;
		await this.coordinator.recordDaily(this.identity, jstDay(this.clock.now()), endpoint.number, { counted: true, remain });
		return answer;
	}

	private async attempt(endpoint: JpoEndpoint, path: string): Promise<JpoAnswer | DownloadLink> {
		clearTokenIfExpiring(this.credentials, this.clock.now(), JPO_TOKEN_SAFETY_MARGIN_MS);
		const renewal = await renewOnce({
			coordinator: this.coordinator,
			key: this.identity,
			credentials: this.credentials,
			reload: this.reloadCredentials,
			tokenFields: JPO_TOKEN_FIELDS,
			isUsable: (data) => Boolean(data.accessToken) && Number(data.accessTokenExpiresAt ?? 0) - this.clock.now() >= JPO_TOKEN_SAFETY_MARGIN_MS,
			clock: this.clock,
		});
		const window = this.window(endpoint);
		return await sendInWindow({ coordinator: this.coordinator, window, clock: this.clock, renewal, warn: this.warn }, async (answered, markWindowFull) =>
			await this.sendAndRead(endpoint, path, answered, markWindowFull),
		);
	}

	private async sendAndRead(endpoint: JpoEndpoint, path: string, answered: () => Promise<void>, markWindowFull: () => void): Promise<JpoAnswer | DownloadLink> {
		let response: RawResponse;
		try {
			response = await this.send(
				{
					method: 'GET',
					url: `${this.baseUrl}${path}`,
					headers: { Accept: 'application/json, application/zip, application/xml, */*', 'User-Agent': 'n8n-nodes-jpo-patsnap' },
					timeout: this.timeoutMs,
				},
				this.credentials,
			);
		} catch (error) {
			await answered();
			throw fromTransportError(error, JPO_TRANSPORT_ERRORS);
		}
		await answered();

		refuseOversizedAnswer('JPO', response, this.maxResponseBytes, { what: 'The JPO answer', mayHaveBeenCharged: true, chargeNote: COUNTED_NOTE });
		return readJpoResponse(endpoint, response, this.clock.now(), markWindowFull);
	}

	private async downloadLargeArchive(endpoint: JpoEndpoint, url: string): Promise<JpoFile> {
		let response: RawResponse;
		try {
			response = await this.fetchUnauthenticated(url, this.timeoutMs);
		} catch (error) {
			throw downloadFailure(error);
		}
		refuseOversizedAnswer('JPO', response, this.maxResponseBytes, {
			what: 'The large JPO archive behind the download link',
			mayHaveBeenCharged: true,
			chargeNote: COUNTED_NOTE,
		});
		return archiveFromLink(response, url, endpoint.operation);
	}
}
