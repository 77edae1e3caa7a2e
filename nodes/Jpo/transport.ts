import { XMLValidator } from 'fast-xml-parser';
import type { IDataObject } from 'n8n-workflow';

import { JPO_DEFAULT_BASE_URL, JPO_TOKEN_SAFETY_MARGIN_MS } from '../../credentials/JpoApi.credentials';
import { systemClock, type Clock } from '../shared/clock';
import { ApiFailure, type FailureDetails } from '../shared/failure';
import { refuseOversizedAnswer } from '../shared/answerSize';
import {
	clearTokenIfExpiring,
	CrossOriginRedirectError,
	headerValue,
	TransportError,
	type CredentialHandle,
	type FetchUnauthenticated,
	type RawResponse,
	type SendRequest,
} from '../shared/http';
import { encodePathParameter } from '../shared/pathParameters';
import { identityKey, processCoordinator, type Coordinator, type DailyUsage, type WindowSpec } from '../shared/coordination';
import { defaultRetryPolicy, parseRetryAfter, withRetries, type RetryPolicy } from '../shared/retry';
import { renewOnce, type CredentialReloader } from '../shared/tokenRenewal';
import { onceEach, sendInWindow } from '../shared/windowedCall';
import { JPO_PARAMETER_LABELS, jpoPathPrefix, jpoRateGroup, type JpoEndpoint, type JpoParameterKind } from './catalog';
import { JST_OFFSET_MS, jstDay } from './dates';
import { jpoStatus, type JpoStatus } from './statusCodes';
import { readZip } from './zip';

export interface JpoRates {
	domesticPerMinute: number;
	opdPerMinute: number;
	windowMs: number;
	/** Spacing added to each window; see RateLimit.marginMs. */
	marginMs: number;
}

/** JPO handbook: at most 10 requests a minute across domestic APIs, 5 a minute for OPD. */
export const DEFAULT_JPO_RATES: JpoRates = {
	domesticPerMinute: 10,
	opdPerMinute: 5,
	windowMs: 60_000,
	marginMs: 1_000,
};

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

export type JpoAnswer =
	| { type: 'json'; status: JpoStatus; data: IDataObject; remainAccessCount?: number }
	| { type: 'empty'; status: JpoStatus; remainAccessCount?: number }
	| { type: 'xml'; status: JpoStatus; xml: string; remainAccessCount?: number }
	| {
			type: 'file';
			buffer: Buffer;
			fileName: string;
			mimeType: string;
			/** The archive was over 10 MB and came from JPO's pre-signed download link. */
			viaDownloadUrl: boolean;
	  };

export const JPO_DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/** JPO counts a call that answered, whatever the size, so a refused answer still used one. */
const COUNTED_NOTE = 'JPO has counted the call against the daily limit.';

/** JPO's answer for an archive over 10 MB: a pre-signed link, fetched by call() outside the API call's retries. */
interface DownloadLink {
	type: 'link';
	url: string;
}

export interface JpoQuotaReading {
	endpoint: string;
	remainAccessCount: number;
	at: number;
}

const DOWNLOAD_URL_LIFETIME_NOTE = 'JPO download links are valid for 5 minutes';

/** 00:00 JST of the next day: when JPO resets every daily count. */
export function nextJstMidnight(nowMs: number): Date {
	const jstNow = nowMs + JST_OFFSET_MS;
	const nextJstMidnightAsUtc = Math.floor(jstNow / 86_400_000) * 86_400_000 + 86_400_000;
	return new Date(nextJstMidnightAsUtc - JST_OFFSET_MS);
}

function describeWait(untilMs: number, nowMs: number): string {
	const minutes = Math.max(1, Math.round((untilMs - nowMs) / 60_000));
	return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

function formatJst(date: Date): string {
	const jst = new Date(date.getTime() + JST_OFFSET_MS);
	return `${jst.toISOString().slice(0, 16).replace('T', ' ')} JST`;
}

function fileNameFrom(headers: RawResponse['headers'], fallback: string): string {
	const disposition = headerValue(headers, 'content-disposition') ?? '';
	const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	return match ? decodeURIComponent(match[1].trim()) : fallback;
}

function looksLike(body: Buffer, kind: 'zip' | 'pdf' | 'json' | 'xml'): boolean {
	const head = body.subarray(0, 8).toString('latin1').trimStart();
	if (kind === 'zip') return body.length >= 4 && body.readUInt32LE(0) === 0x04034b50;
	if (kind === 'pdf') return head.startsWith('%PDF');
	if (kind === 'json') return head.startsWith('{');
	return head.startsWith('<');
}

function xmlTag(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<(?:\\w+:)?${tag}>([^<]*)</(?:\\w+:)?${tag}>`).exec(xml);
	return match?.[1];
}

function downloadFailure(error: unknown): ApiFailure {
	return new ApiFailure(`Could not download the large JPO archive (${(error as Error).message}); ${DOWNLOAD_URL_LIFETIME_NOTE}`, {
		api: 'JPO',
		kind: 'transient',
	});
}

/** A cut-off archive still starts like a ZIP; its table of contents at the end tells. */
function checkArchive(body: Buffer, httpStatus: number): void {
	const problem = archiveProblem(body);
	if (problem) {
		throw new ApiFailure(`JPO sent an incomplete or damaged file: ${problem}`, { api: 'JPO', kind: 'malformed', httpStatus, mayHaveBeenCharged: true });
	}
}

function archiveProblem(body: Buffer): string | undefined {
	try {
		readZip(body);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/**
 * The one way to JPO. It owns the per-minute throttle (shared by every execution using the same
 * ID), proactive token renewal, the retry policy driven by the status table, download links and
 * the daily-quota readings.
 */
export class JpoTransport {
	readonly quota = new Map<string, JpoQuotaReading>();

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

	/** Today's (JST) use of this ID by every n8n process, where that is shared; undefined otherwise. */
	async dailyUsage(): Promise<DailyUsage | undefined> {
		return await this.coordinator.dailyUsage(this.identity, jstDay(this.clock.now()));
	}

	/** The lowest remaining count known for an API today: from this run's answers or any process's. */
	async remainingToday(endpoint: JpoEndpoint): Promise<number | undefined> {
		const own = this.quota.get(endpoint.number)?.remainAccessCount;
		const shared = (await this.dailyUsage())?.remain[endpoint.number];
		const known = [own, shared].filter((value): value is number => value !== undefined);
		return known.length > 0 ? Math.min(...known) : undefined;
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
		const reply = await withRetries(async () => await this.attempt(endpoint, path), retryable, this.retry, this.clock).catch(async (error: unknown) => {
			if (error instanceof ApiFailure && error.kind === 'quota') {
				await this.coordinator.recordDaily(this.identity, jstDay(this.clock.now()), endpoint.number, { counted: false, remain: 0 });
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
		if (remain !== undefined) {
			this.quota.set(endpoint.number, { endpoint: endpoint.number, remainAccessCount: remain, at: this.clock.now() });
		}
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
			throw this.fromTransportError(error);
		}
		await answered();

		refuseOversizedAnswer('JPO', response, this.maxResponseBytes, { what: 'The JPO answer', mayHaveBeenCharged: true, chargeNote: COUNTED_NOTE });
		return await this.interpret(endpoint, response, markWindowFull);
	}

	private fromTransportError(error: unknown): ApiFailure {
		if (!(error instanceof TransportError)) {
			return new ApiFailure(`JPO request failed: ${(error as Error).message}`, { api: 'JPO', kind: 'transient' });
		}
		if (error instanceof CrossOriginRedirectError) {
			return new ApiFailure(`JPO answered with a redirect to another host (${error.targetOrigin}); it was not followed, so the access token was not sent there`, {
				api: 'JPO',
				kind: 'configuration',
				httpStatus: error.httpStatus,
				description: `Check the API Base URL of the JPO credential (${JPO_DEFAULT_BASE_URL} for the real service): it must be the address the API answers on itself.`,
			});
		}
		if (error.duringLogin) {
			return error.loginTransient
				? new ApiFailure(error.message, { api: 'JPO', kind: 'transient', description: 'The token URL was busy or down; retried with backoff.' })
				: new ApiFailure(error.message, { api: 'JPO', kind: 'auth', description: 'The credential could not log in.' });
		}
		if (error.httpStatus === 401) {
			const status = jpoStatus('210');
			return new ApiFailure(`JPO refused the access token even after renewing it (${status.code} ${status.messageJa})`, {
				api: 'JPO',
				kind: 'auth',
				code: '210',
				httpStatus: 401,
				originalMessage: status.messageJa,
				description: 'Check the ID, password and Token URL of the JPO credential.',
			});
		}
		return new ApiFailure(`Could not reach JPO (${error.message})`, {
			api: 'JPO',
			kind: 'transient',
			description: 'Retried with backoff. Check the API Base URL if this persists.',
		});
	}

	private async interpret(endpoint: JpoEndpoint, response: RawResponse, markWindowFull: () => void): Promise<JpoAnswer | DownloadLink> {
		const { body, status: httpStatus } = response;
		const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'), this.clock.now());

		if (httpStatus < 300 && (endpoint.response === 'zip' || endpoint.response === 'pdf') && looksLike(body, endpoint.response)) {
			if (endpoint.response === 'zip') checkArchive(body, httpStatus);
			const mimeType = endpoint.response === 'zip' ? 'application/zip' : 'application/pdf';
			return {
				type: 'file',
				buffer: body,
				fileName: fileNameFrom(response.headers, `${endpoint.operation}.${endpoint.response}`),
				mimeType,
				viaDownloadUrl: false,
			};
		}

		let statusCode: string | undefined;
		let errorMessage = '';
		let remain: string | undefined;
		let data: IDataObject | undefined;
		let xml: string | undefined;
		if (looksLike(body, 'json')) {
			try {
				const parsed = JSON.parse(body.toString('utf8')) as { result?: Record<string, unknown> };
				const result = parsed.result ?? {};
				statusCode = result.statusCode === undefined ? undefined : String(result.statusCode);
				errorMessage = String(result.errorMessage ?? '');
				remain = result.remainAccessCount === undefined ? undefined : String(result.remainAccessCount);
				data = (result.data ?? {}) as IDataObject;
			} catch {
				statusCode = undefined;
			}
		} else if (looksLike(body, 'xml')) {
			xml = body.toString('utf8');
			statusCode = xmlTag(xml, 'statusCode');
			errorMessage = xmlTag(xml, 'errorMessage') ?? '';
			remain = xmlTag(xml, 'remainAccessCount');
		}

		if (statusCode === undefined) {
			if (httpStatus === 429) return this.fail(jpoStatus('303'), httpStatus, '', retryAfterMs, markWindowFull);
			if (httpStatus >= 500) {
				throw new ApiFailure(`JPO answered HTTP ${httpStatus}`, { api: 'JPO', kind: 'transient', httpStatus, retryAfterMs });
			}
			if (httpStatus === 403 || httpStatus === 404) {
				throw new ApiFailure(`JPO answered HTTP ${httpStatus} for this address`, {
					api: 'JPO',
					kind: 'configuration',
					httpStatus,
					description: 'Check the API Base URL of the JPO credential; OPD needs its own registration with JPO.',
				});
			}
			const what = endpoint.response === 'zip' || endpoint.response === 'pdf' ? 'an incomplete or damaged file' : 'an answer that could not be read';
			throw new ApiFailure(`JPO sent ${what} (HTTP ${httpStatus}, ${body.length} bytes)`, {
				api: 'JPO',
				kind: 'malformed',
				httpStatus,
				mayHaveBeenCharged: true,
			});
		}

		const status = jpoStatus(statusCode);
		const remainAccessCount = remain !== undefined && remain !== '' && !Number.isNaN(Number(remain)) ? Number(remain) : undefined;
		switch (status.outcome.type) {
			case 'success':
				if (xml !== undefined) {
					// A cut XML answer still starts with its status: only a well-formed document is whole.
					if (XMLValidator.validate(xml) !== true) {
						throw new ApiFailure(`JPO sent an answer that could not be read (HTTP ${httpStatus}, incomplete XML of ${body.length} bytes)`, {
							api: 'JPO',
							kind: 'malformed',
							httpStatus,
							mayHaveBeenCharged: true,
						});
					}
					return { type: 'xml', status, xml, remainAccessCount };
				}
				if (endpoint.response === 'zip' && typeof data?.URL === 'string') return { type: 'link', url: String(data.URL) };
				return { type: 'json', status, data: data ?? {}, remainAccessCount };
			case 'empty':
				return { type: 'empty', status, remainAccessCount };
			case 'failure':
				return this.fail(status, httpStatus, errorMessage, retryAfterMs, markWindowFull);
		}
	}

	private fail(
		status: JpoStatus,
		httpStatus: number,
		errorMessage: string,
		retryAfterMs: number | undefined,
		markWindowFull: () => void,
	): never {
		if (status.outcome.type !== 'failure') throw new Error('not a failure status');
		const details: FailureDetails = {
			api: 'JPO',
			kind: status.outcome.kind,
			code: status.code,
			httpStatus,
			originalMessage: errorMessage || status.messageJa,
			description: status.advice,
			retryAfterMs,
		};
		if (status.outcome.rateLimited) {
			// Someone else is using the same ID, or JPO counts differently: wait a whole window.
			markWindowFull();
		}
		if (status.outcome.kind === 'quota') {
			const now = this.clock.now();
			const resetsAt = nextJstMidnight(now);
			details.resetsAt = resetsAt;
			details.description = `The limit resets at 00:00 JST (${formatJst(resetsAt)}, in ${describeWait(resetsAt.getTime(), now)}). Items fetched before this point are kept.`;
		}
		throw new ApiFailure(`${status.messageEn} (JPO status ${status.code}: ${details.originalMessage})`, details);
	}

	private async downloadLargeArchive(endpoint: JpoEndpoint, url: string): Promise<JpoAnswer> {
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
		if (response.status >= 300 || !looksLike(response.body, 'zip')) {
			throw new ApiFailure(`The large JPO archive could not be downloaded (HTTP ${response.status}); ${DOWNLOAD_URL_LIFETIME_NOTE}`, {
				api: 'JPO',
				kind: response.status >= 500 || response.status === 429 ? 'transient' : 'malformed',
				httpStatus: response.status,
				mayHaveBeenCharged: true,
			});
		}
		checkArchive(response.body, response.status);
		const fallback = new URL(url).pathname.split('/').pop() || `${endpoint.operation}.zip`;
		return {
			type: 'file',
			buffer: response.body,
			fileName: fileNameFrom(response.headers, fallback.endsWith('.zip') ? fallback : `${fallback}.zip`),
			mimeType: 'application/zip',
			viaDownloadUrl: true,
		};
	}
}
