import { ApiFailure, type ApiName } from './failure';
import { headerValue, type RawResponse } from './http';

/** The option's name as the node shows it, so the message points at the one thing to change. */
export const MAX_ANSWER_SIZE_OPTION = 'Max Answer Size (MB)';

export const BYTES_PER_MB = 1024 * 1024;

/** The option in bytes; an empty or unusable value keeps the API's default. */
export function maxAnswerBytes(megabytes: unknown, defaultBytes: number): number {
	const value = Number(megabytes);
	return Number.isFinite(value) && value > 0 ? Math.round(value * BYTES_PER_MB) : defaultBytes;
}

/** Three significant digits, so a limit of 0.01 reads back as 0.01 and 512 as 512. */
function inMegabytes(bytes: number): string {
	const megabytes = bytes / BYTES_PER_MB;
	return `${megabytes >= 100 ? Math.round(megabytes) : Number(megabytes.toPrecision(3))} MB`;
}

/**
 * Refuses an answer over the limit. n8n 2.41's request helper hands the body over only once it has
 * all of it (its axios limit is fixed to Infinity), so what this saves is everything after: ZIP
 * extraction, parsing and the copies n8n keeps as binary data. The declared Content-Length counts
 * as well as the bytes that arrived, so a cut answer that announced its size is refused by that size.
 */
export function refuseOversizedAnswer(
	api: ApiName,
	response: RawResponse,
	maxBytes: number,
	details: { what: string; mayHaveBeenCharged: boolean; chargeNote?: string },
): void {
	const declared = Number(headerValue(response.headers, 'content-length'));
	const size = Math.max(Number.isFinite(declared) ? declared : 0, response.body.length);
	if (size <= maxBytes) return;
	throw new ApiFailure(
		`${details.what} is ${inMegabytes(size)} (${size} bytes), more than ${MAX_ANSWER_SIZE_OPTION} allows (${inMegabytes(maxBytes)})`,
		{
			api,
			kind: 'unexpected',
			httpStatus: response.status,
			mayHaveBeenCharged: details.mayHaveBeenCharged,
			description: [`Raise ${MAX_ANSWER_SIZE_OPTION} in the node options if an answer this large is expected.`, 'Not retried: the same answer would come back.', details.chargeNote]
				.filter(Boolean)
				.join(' '),
		},
	);
}
