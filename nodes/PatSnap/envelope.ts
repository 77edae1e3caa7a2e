import { ApiFailure, type FailureDetails } from '../shared/failure';
import { headerValue, type RawResponse } from '../shared/http';
import { parseRetryAfter } from '../shared/retry';
import { dailyLimitReset } from './dailyLimit';
import { PATSNAP_DAILY_LIMIT, patSnapError, patSnapHttpFailureKind } from './errorCodes';
import type { PatSnapCall } from './transport';

export interface AnswerReading {
	nowMs: number;
	/** A "too fast" answer: every process waits a whole window before the next call. */
	markWindowFull(): void;
	retryUnreadableAnswers: boolean;
}

interface Envelope {
	status?: unknown;
	error_code?: unknown;
	error_msg?: unknown;
	data?: unknown;
}

function parseEnvelope(body: Buffer): Envelope | undefined {
	try {
		return JSON.parse(body.toString('utf8')) as Envelope;
	} catch {
		return undefined;
	}
}

/** The API a call names first, by the PatSnapCall convention: "P013 Get Legal Status, batch 1 of 3". */
function apiOf(call: PatSnapCall): string {
	return /^P\d{3} .+?(?=,| for |$)/.exec(call.operation)?.[0] ?? 'this PatSnap API';
}

const wordsOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** PatSnap's own text, when it says more than its code and our message already do. */
function addsSomething(original: string | undefined, code: number, message: string): original is string {
	if (!original) return false;
	const words = wordsOf(original);
	return words !== '' && words !== String(code) && !wordsOf(message).includes(words);
}

function errorCodeFailure(code: number, envelope: Envelope, answer: { httpStatus: number; retryAfterMs?: number }, call: PatSnapCall, reading: AnswerReading): ApiFailure {
	const row = patSnapError(code);
	if (row.rateLimited) reading.markWindowFull();
	const originalMessage = envelope.error_msg ? String(envelope.error_msg) : undefined;
	const message = row.message.replace('{api}', apiOf(call));
	const details: FailureDetails = { api: 'PatSnap', kind: row.kind, code, ...answer, originalMessage, description: row.advice };
	// The transport says when the day's limit comes back, so the node and the trigger both can; the
	// message says it too, as an AI Agent passes its model nothing else.
	let comesBack = row.restoredBy ? ` It comes back ${row.restoredBy}; retrying before then will not help.` : '';
	if (code === PATSNAP_DAILY_LIMIT) {
		const { resetsAt, description, inMessage } = dailyLimitReset(reading.nowMs);
		Object.assign(details, { resetsAt, description });
		comesBack = ` ${inMessage}`;
	}
	const said = `${message} (PatSnap error ${code}${addsSomething(originalMessage, code, message) ? `: ${originalMessage}` : ''})`;
	return new ApiFailure(comesBack ? `${said}.${comesBack}` : said, details);
}

/**
 * PatSnap's answer read once: the envelope's `data`, or the failure its error code (from the
 * table) or its HTTP status stands for. PatSnap usually reports errors with HTTP 200.
 */
export function readPatSnapAnswer(response: RawResponse, call: PatSnapCall, reading: AnswerReading): unknown {
	const { status: httpStatus, body } = response;
	const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'), reading.nowMs);
	const envelope = parseEnvelope(body);
	const code = envelope && envelope.error_code !== undefined ? Number(envelope.error_code) : undefined;
	if (envelope && typeof envelope === 'object' && (envelope.status === true || code === 0) && httpStatus < 300) {
		return envelope.data;
	}
	if (envelope && code !== undefined && !Number.isNaN(code) && code !== 0) {
		throw errorCodeFailure(code, envelope, { httpStatus, retryAfterMs }, call, reading);
	}
	if (httpStatus >= 300) {
		const kind = patSnapHttpFailureKind(httpStatus);
		if (httpStatus === 429) reading.markWindowFull();
		// A gateway that gave up waiting (502, 504) says nothing about whether PatSnap behind it
		// carried the call out. Billing is per result returned, so a billed lookup is safe to repeat,
		// but a monitor check consumes its report: repeating it would answer "no changes".
		if ((httpStatus === 502 || httpStatus === 504) && call.changesState && !reading.retryUnreadableAnswers) {
			throw new ApiFailure(`PatSnap's gateway answered HTTP ${httpStatus}; not retried because PatSnap may already have carried out the call`, {
				api: 'PatSnap',
				kind: 'malformed',
				httpStatus,
				description: 'For a monitor check, the changes it reported may be lost: look at the monitor in PatSnap before relying on the next check.',
			});
		}
		throw new ApiFailure(`PatSnap answered HTTP ${httpStatus}`, {
			api: 'PatSnap',
			kind,
			httpStatus,
			retryAfterMs,
			description: kind === 'configuration' ? 'Check the credential environment or base URL and the API permissions.' : undefined,
		});
	}
	throw new ApiFailure(`PatSnap sent an answer that could not be read (HTTP ${httpStatus}, ${body.length} bytes)`, {
		api: 'PatSnap',
		kind: 'malformed',
		httpStatus,
		mayHaveBeenCharged: call.billed,
		description: call.billed
			? 'Not retried for billed calls unless Retry Unreadable Answers is on, so nothing is paid twice.'
			: call.changesState
				? 'Not retried unless Retry Unreadable Answers is on: PatSnap may already have carried it out.'
				: undefined,
	});
}
