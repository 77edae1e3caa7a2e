import type { IDataObject } from 'n8n-workflow';

import { PATSNAP_TOKEN_SAFETY_MARGIN_MS, patSnapBaseUrl } from '../../credentials/PatSnapApi.credentials';
import { systemClock, type Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { refuseOversizedAnswer } from '../shared/answerSize';
import { clearTokenIfExpiring, type CredentialHandle, type FetchUnauthenticated, type RawResponse, type SendRequest } from '../shared/http';
import { identityKey, processCoordinator, type Coordinator, type WindowSpec } from '../shared/coordination';
import { notSentFailure, usedUpLimitOf } from '../shared/coordination/usedUp';
import { CHINA_TIME } from '../shared/serviceDay';
import { defaultRetryPolicy, settle, withRetries, type RetryPolicy } from '../shared/retry';
import { renewOnce, type CredentialReloader } from '../shared/tokenRenewal';
import { fromTransportError, type TransportErrorTexts } from '../shared/transportErrors';
import { onceEach, sendInWindow } from '../shared/windowedCall';
import { dailyLimitReset } from './dailyLimit';
import { readPatSnapAnswer } from './envelope';
import { PATSNAP_DAILY_LIMIT } from './errorCodes';
import { downloadSignedPdf, type SignedPdfDownload } from './signedLinks';

export interface PatSnapTransportOptions {
	clock?: Clock;
	retry?: RetryPolicy;
	/** Requests per second; PatSnap sets it per account and documents no number, its own client uses 5. */
	qps?: number;
	marginMs?: number;
	timeoutMs?: number;
	maxResponseBytes?: number;
	/**
	 * An unreadable answer to a billed call may already have been billed: by default it fails the
	 * affected items instead of paying twice.
	 */
	retryUnreadableAnswers?: boolean;
	/** Where the per-account rate and token renewal are shared; this process's choice by default. */
	coordinator?: Coordinator;
	/** Reads the credential again, for a token another n8n process has just renewed. */
	reloadCredentials?: CredentialReloader;
	/** Told once per run of each coordination problem, e.g. that Redis could not be reached. */
	onWarning?: (message: string) => void;
	/** Fetches the signed document links PatSnap returns, which carry their own authorisation. */
	fetchUnauthenticated?: FetchUnauthenticated;
}

const PATSNAP_TOKEN_FIELDS = ['accessToken', 'accessTokenExpiresAt'];

export const DEFAULT_PATSNAP_QPS = 5;

/**
 * Slots are held until each answer, so the window already covers the time a request travels; the
 * margin only absorbs millisecond rounding between the clocks involved.
 */
export const DEFAULT_PATSNAP_MARGIN_MS = 10;

export const PATSNAP_DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

const PATSNAP_TRANSPORT_ERRORS: TransportErrorTexts = {
	api: 'PatSnap',
	redirectWouldCarry: 'the token or API key',
	redirectAdvice: 'Check the Environment (and Base URL) of the PatSnap credential: it must be the address the API answers on itself.',
	loginBusyAdvice: 'The token endpoint was busy or down; retried with backoff.',
	refusedAfterRenewal: {
		message: 'PatSnap refused the token or API key even after renewing it (HTTP 401)',
		description: 'Check the PatSnap credential: client ID and secret, or the sk- API key, and the environment.',
	},
};

/** A document PDF comes from a storage host, not the API, and may be large. */
const SIGNED_LINK_TIMEOUT_MS = 120_000;

export interface PatSnapCall {
	method: 'GET' | 'POST' | 'DELETE';
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** PatSnap bills this call per result returned. */
	billed: boolean;
	/**
	 * Creates, consumes or deletes something (a monitor, its pending updates): like a billed call,
	 * it is not sent again after an answer that may have been lost.
	 */
	changesState?: boolean;
	/** Names the call in messages, e.g. "P013 Get Legal Status". */
	operation: string;
}

export interface PatSnapAnswer {
	data: unknown;
}

/** PatSnap's daily call limit counts every API of the credential together. */
const DAILY_LIMIT_SCOPE = 'daily';

/** Network failures that happen before PatSnap can have processed the request. */
const NOT_PROCESSED_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/**
 * The one way to PatSnap: QPS throttle shared per account, token renewal on 67200003, the retry
 * policy driven by the error table, and the rule that a billed call is only retried when PatSnap
 * certainly produced no result the first time.
 */
export class PatSnapTransport {
	private readonly clock: Clock;

	private readonly retry: RetryPolicy;

	private readonly options: Required<Omit<PatSnapTransportOptions, 'clock' | 'retry' | 'coordinator' | 'reloadCredentials' | 'onWarning' | 'fetchUnauthenticated'>>;

	private readonly coordinator: Coordinator;

	private readonly reloadCredentials: CredentialReloader | undefined;

	private readonly warn: (message: string) => void;

	private readonly fetchUnauthenticated: FetchUnauthenticated | undefined;

	constructor(
		private readonly send: SendRequest,
		private readonly credentials: CredentialHandle,
		options: PatSnapTransportOptions = {},
	) {
		this.clock = options.clock ?? systemClock;
		this.retry = options.retry ?? defaultRetryPolicy;
		this.options = {
			qps: options.qps ?? DEFAULT_PATSNAP_QPS,
			marginMs: options.marginMs ?? DEFAULT_PATSNAP_MARGIN_MS,
			timeoutMs: options.timeoutMs ?? 60_000,
			maxResponseBytes: options.maxResponseBytes ?? PATSNAP_DEFAULT_MAX_RESPONSE_BYTES,
			retryUnreadableAnswers: options.retryUnreadableAnswers ?? false,
		};
		this.coordinator = options.coordinator ?? processCoordinator();
		this.reloadCredentials = options.reloadCredentials;
		this.warn = onceEach(options.onWarning ?? (() => undefined));
		this.fetchUnauthenticated = options.fetchUnauthenticated;
	}

	get baseUrl(): string {
		return patSnapBaseUrl(this.credentials.data);
	}

	/**
	 * A signed document PDF, fetched without the credential but on this run's clock, retry policy
	 * and Max Answer Size, like every call to PatSnap itself. The storage host sets no rate of its
	 * own, so the download takes no slot of the account's window.
	 */
	async fetchSignedPdf(download: SignedPdfDownload): Promise<Buffer> {
		if (!this.fetchUnauthenticated) throw new Error('This PatSnap transport was created without a fetcher for signed links');
		return await downloadSignedPdf(this.fetchUnauthenticated, download, {
			retry: this.retry,
			clock: this.clock,
			timeoutMs: SIGNED_LINK_TIMEOUT_MS,
			maxResponseBytes: this.options.maxResponseBytes,
		});
	}

	private get apiKeyMode(): boolean {
		return this.credentials.data.authMode === 'apiKey';
	}

	/** The account as the rate limit sees it; the API key itself is only ever hashed into it. */
	private get identity(): string {
		const account = this.apiKeyMode ? String(this.credentials.data.apiKey ?? '') : String(this.credentials.data.clientId ?? '');
		return identityKey('PatSnap', this.baseUrl, account);
	}

	private window(): WindowSpec {
		return { key: `${this.identity}:rate`, limit: this.options.qps, windowMs: 1000, marginMs: this.options.marginMs };
	}

	async call(call: PatSnapCall): Promise<PatSnapAnswer> {
		const usedUp = await this.coordinator.usedUp(this.identity, DAILY_LIMIT_SCOPE, this.clock);
		if (usedUp) {
			throw notSentFailure(usedUp, 'PatSnap', CHINA_TIME, dailyLimitReset(this.clock.now()), 'the daily call limit of this credential').withDetails({
				operation: call.operation,
				attempts: 0,
			});
		}
		let renewed = false;
		let attempts = 0;
		const data = await withRetries(
			async () => {
				for (;;) {
					attempts++;
					const outcome = await settle(this.attempt(call));
					if ('value' in outcome) return outcome.value;
					const error = outcome.error;
					// An expired token is renewed once, outside the retry budget: it is not a fault.
					if (error instanceof ApiFailure && error.kind === 'auth' && !error.details.renewalWontHelp && !renewed && !this.apiKeyMode) {
						renewed = true;
						this.credentials.data.accessToken = '';
						continue;
					}
					throw error;
				}
			},
			(failure) => failure.kind === 'transient' || (failure.kind === 'malformed' && (this.repeatable(call) || this.options.retryUnreadableAnswers)),
			this.retry,
			this.clock,
		).catch(async (error: unknown) => {
			if (error instanceof ApiFailure && error.details.code === PATSNAP_DAILY_LIMIT) {
				const limit = usedUpLimitOf(error, this.clock.now());
				if (limit) await this.coordinator.markUsedUp(this.identity, DAILY_LIMIT_SCOPE, limit, this.clock);
			}
			throw error instanceof ApiFailure ? error.withDetails({ operation: call.operation, attempts }) : error;
		});
		return { data };
	}

	/** Whether a second copy of the call could cost nothing and change nothing. */
	private repeatable(call: PatSnapCall): boolean {
		return !call.billed && !call.changesState;
	}

	private async attempt(call: PatSnapCall): Promise<unknown> {
		if (!this.apiKeyMode) clearTokenIfExpiring(this.credentials, this.clock.now(), PATSNAP_TOKEN_SAFETY_MARGIN_MS);
		const renewal = this.apiKeyMode
			? undefined
			: await renewOnce({
					coordinator: this.coordinator,
					key: this.identity,
					credentials: this.credentials,
					reload: this.reloadCredentials,
					tokenFields: PATSNAP_TOKEN_FIELDS,
					isUsable: (data) => Boolean(data.accessToken) && Number(data.accessTokenExpiresAt ?? 0) - this.clock.now() >= PATSNAP_TOKEN_SAFETY_MARGIN_MS,
					clock: this.clock,
				});
		const window = this.window();
		return await sendInWindow({ coordinator: this.coordinator, window, clock: this.clock, renewal, warn: this.warn }, async (answered, markWindowFull) =>
			await this.sendAndRead(call, answered, markWindowFull),
		);
	}

	private async sendAndRead(call: PatSnapCall, answered: () => Promise<void>, markWindowFull: () => void): Promise<unknown> {
		let response: RawResponse;
		try {
			response = await this.send(
				{
					method: call.method,
					url: `${this.baseUrl}${call.path}`,
					qs: call.qs,
					body: call.body,
					json: call.body !== undefined,
					headers: {
						Accept: 'application/json',
						'User-Agent': 'n8n-nodes-jpo-patsnap',
						...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
					},
					timeout: this.options.timeoutMs,
				},
				this.credentials,
			);
		} catch (error) {
			await answered();
			throw this.fromTransportError(error, call);
		}
		await answered();

		refuseOversizedAnswer('PatSnap', response, this.options.maxResponseBytes, {
			what: `The PatSnap answer (${call.operation})`,
			mayHaveBeenCharged: call.billed,
			chargeNote: call.billed ? 'PatSnap may have billed the results it sent.' : undefined,
		});
		return readPatSnapAnswer(response, call, { nowMs: this.clock.now(), markWindowFull, retryUnreadableAnswers: this.options.retryUnreadableAnswers });
	}

	private fromTransportError(error: unknown, call: PatSnapCall): ApiFailure {
		return fromTransportError(error, PATSNAP_TRANSPORT_ERRORS, (unanswered) => {
			const unprocessed = unanswered.networkCode !== undefined && NOT_PROCESSED_NETWORK_CODES.has(unanswered.networkCode);
			if (unprocessed || this.repeatable(call) || this.options.retryUnreadableAnswers) return undefined;
			return new ApiFailure(
				`PatSnap did not answer in time (${unanswered.message}); not retried because PatSnap may already have ${call.billed ? 'billed' : 'carried out'} it`,
				{
					api: 'PatSnap',
					kind: 'malformed',
					mayHaveBeenCharged: call.billed,
					description: 'Turn on Retry Unreadable Answers to retry anyway.',
				},
			);
		});
	}
}
