import type { IDataObject } from 'n8n-workflow';

import { ApiFailure, type FailureDetails } from '../shared/failure';
import { headerValue, type RawResponse } from '../shared/http';
import { parseRetryAfter } from '../shared/retry';
import type { JpoEndpoint } from './catalog';
import { describeWait, formatJst, nextJstMidnight } from './dates';
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
			return fail(status, httpStatus, envelope.errorMessage, { nowMs, retryAfterMs, markWindowFull });
	}
}

/** No JPO status in the body: a gateway in front of JPO answered, or the answer was cut. */
function failWithoutStatus(endpoint: JpoEndpoint, response: RawResponse, reading: Reading): never {
	const { body, status: httpStatus } = response;
	if (httpStatus === 429) return fail(jpoStatus('303'), httpStatus, '', reading);
	if (httpStatus >= 500) {
		throw new ApiFailure(`JPO answered HTTP ${httpStatus}`, { api: 'JPO', kind: 'transient', httpStatus, retryAfterMs: reading.retryAfterMs });
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

/** The answer's clock, its Retry-After, and the throttle's hook for "too fast". */
interface Reading {
	nowMs: number;
	retryAfterMs: number | undefined;
	markWindowFull: () => void;
}

function fail(status: JpoStatus, httpStatus: number, errorMessage: string, reading: Reading): never {
	if (status.outcome.type !== 'failure') throw new Error('not a failure status');
	const details: FailureDetails = {
		api: 'JPO',
		kind: status.outcome.kind,
		code: status.code,
		httpStatus,
		originalMessage: errorMessage || status.messageJa,
		description: status.advice,
		retryAfterMs: reading.retryAfterMs,
	};
	if (status.outcome.rateLimited) {
		// Someone else is using the same ID, or JPO counts differently: wait a whole window.
		reading.markWindowFull();
	}
	if (status.outcome.kind === 'quota') {
		const resetsAt = nextJstMidnight(reading.nowMs);
		details.resetsAt = resetsAt;
		details.description = `The limit resets at 00:00 JST (${formatJst(resetsAt)}, in ${describeWait(resetsAt.getTime(), reading.nowMs)}). Items fetched before this point are kept.`;
	}
	throw new ApiFailure(`${status.messageEn} (JPO status ${status.code}: ${details.originalMessage})`, details);
}
