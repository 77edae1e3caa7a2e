import type { IDataObject } from 'n8n-workflow';

import { ApiFailure, type FailureDetails } from '../shared/failure';
import { headerValue, type RawResponse } from '../shared/http';
import { parseRetryAfter } from '../shared/retry';
import type { JpoEndpoint } from './catalog';
import { describeWait } from '../shared/serviceDay';
import { formatJst, jstResetPhrase, nextJstMidnight } from './dates';
import { bodyLooksLike, readJpoEnvelope } from './envelope';
import { checkArchive, fileNameFrom, type JpoFile } from './files';
import { jpoStatus, type JpoStatus } from './statusCodes';

/** What JPO answered, without its envelope: the payload of JSON and XML alike, or a file. */
export type JpoAnswer =
	| { type: 'json' | 'xml'; status: JpoStatus; data: IDataObject; remainAccessCount?: number }
	| { type: 'empty'; status: JpoStatus; remainAccessCount?: number }
	| JpoFile;

/** JPO's answer for an archive over 10 MB: a pre-signed link, fetched by call() outside the API call's retries. */
export interface DownloadLink {
	type: 'link';
	url: string;
}

/**
 * What a JPO answer means: a file, a payload, "no data", or a failure thrown as ApiFailure with the
 * status table's kind. Pure but for `markWindowFull`, which a "too fast" answer calls.
 */
export function readJpoResponse(endpoint: JpoEndpoint, response: RawResponse, nowMs: number, markWindowFull: () => void): JpoAnswer | DownloadLink {
	const { body, status: httpStatus } = response;
	const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'), nowMs);

	if (httpStatus < 300 && (endpoint.response === 'zip' || endpoint.response === 'pdf') && bodyLooksLike(body, endpoint.response)) {
		if (endpoint.response === 'zip') checkArchive(body, httpStatus);
		return {
			type: 'file',
			buffer: body,
			fileName: fileNameFrom(response.headers, `${endpoint.operation}.${endpoint.response}`),
			mimeType: endpoint.response === 'zip' ? 'application/zip' : 'application/pdf',
			viaDownloadUrl: false,
		};
	}

	const envelope = readJpoEnvelope(body);
	if (envelope?.statusCode === undefined) return failWithoutStatus(endpoint, response, { nowMs, retryAfterMs, markWindowFull });

	const status = jpoStatus(envelope.statusCode);
	const { remainAccessCount, payload } = envelope;
	switch (status.outcome.type) {
		case 'success':
			// A cut XML answer still starts with its status: only a well-formed document is whole.
			if (!envelope.complete) {
				throw new ApiFailure(`JPO sent an answer that could not be read (HTTP ${httpStatus}, incomplete XML of ${body.length} bytes)`, {
					api: 'JPO',
					kind: 'malformed',
					httpStatus,
					mayHaveBeenCharged: true,
				});
			}
			if (envelope.format === 'json' && endpoint.response === 'zip' && typeof payload.URL === 'string') return { type: 'link', url: payload.URL };
			return { type: envelope.format, status, data: payload, remainAccessCount };
		case 'empty':
			return { type: 'empty', status, remainAccessCount };
		case 'failure':
			return fail(endpoint, status, httpStatus, envelope.errorMessage, { nowMs, retryAfterMs, markWindowFull });
	}
}

/** No JPO status in the body: a gateway in front of JPO answered, or the answer was cut. */
function failWithoutStatus(endpoint: JpoEndpoint, response: RawResponse, reading: Reading): never {
	const { body, status: httpStatus } = response;
	if (httpStatus === 429) return fail(endpoint, jpoStatus('303'), httpStatus, '', reading);
	if (httpStatus >= 500) {
		throw new ApiFailure(`JPO answered HTTP ${httpStatus}`, { api: 'JPO', kind: 'transient', httpStatus, retryAfterMs: reading.retryAfterMs });
	}
	if (httpStatus === 403 || httpStatus === 404) {
		throw new ApiFailure(`JPO answered HTTP ${httpStatus} for the address of ${apiName(endpoint)}`, {
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

/** The answer's clock, its Retry-After, and the throttle's hook for "too fast". */
interface Reading {
	nowMs: number;
	retryAfterMs: number | undefined;
	markWindowFull: () => void;
}

/** `JPO 1-2 (Get Simple Progress)`: an API as the handbook numbers it and the node names it. */
export function apiName(endpoint: JpoEndpoint): string {
	return `JPO ${endpoint.number} (${endpoint.name})`;
}

/** JPO's own words, unless all they say is the status code again ("status 203"). */
function ownWords(text: string, code: string): string | undefined {
	const rest = text
		.replace(new RegExp(`(^|\\D)${code}(?!\\d)`, 'g'), '$1')
		.replace(/\b(?:jpo|status|code|error)\b/gi, '')
		.replace(/[\s:;.,#()[\]-]+/g, '');
	return rest === '' ? undefined : text.trim();
}

/** When a 203 refusal ends, as the failure's `resetsAt` and the sentence that tells the user. */
export function jpoDailyLimitReset(nowMs: number): { resetsAt: Date; description: string } {
	const resetsAt = nextJstMidnight(nowMs);
	return { resetsAt, description: `The limit resets at 00:00 JST (${formatJst(resetsAt)}, in ${describeWait(resetsAt.getTime(), nowMs)}).` };
}

function fail(endpoint: JpoEndpoint, status: JpoStatus, httpStatus: number, errorMessage: string, reading: Reading): never {
	if (status.outcome.type !== 'failure') throw new Error('not a failure status');
	const originalMessage = ownWords(errorMessage, status.code) ?? (status.messageJa || undefined);
	const details: FailureDetails = {
		api: 'JPO',
		kind: status.outcome.kind,
		code: status.code,
		httpStatus,
		originalMessage,
		description: status.advice,
		retryAfterMs: reading.retryAfterMs,
	};
	if (status.outcome.rateLimited) {
		// Someone else is using the same ID, or JPO counts differently: wait a whole window.
		reading.markWindowFull();
	}
	if (status.outcome.kind === 'quota') Object.assign(details, jpoDailyLimitReset(reading.nowMs));
	const message = status.messageEn.replace('{api}', apiName(endpoint));
	// An undocumented code is already in the message; JPO's words are shown when they add something.
	const said = [message.includes(status.code) ? undefined : `JPO status ${status.code}`, originalMessage].filter(Boolean).join(': ');
	const reset = status.outcome.kind === 'quota' ? `. The limit is per JPO ID and ${jstResetPhrase(reading.nowMs)}; retrying before then will not help.` : '';
	throw new ApiFailure(`${said ? `${message} (${said})` : message}${reset}`, details);
}
