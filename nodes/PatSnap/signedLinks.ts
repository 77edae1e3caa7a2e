import { refuseOversizedAnswer } from '../shared/answerSize';
import type { Clock } from '../shared/clock';
import { ApiFailure } from '../shared/failure';
import { TransportError, type FetchUnauthenticated } from '../shared/http';
import { settle, withRetries, type RetryPolicy } from '../shared/retry';

/**
 * When a PatSnap document link stops working. The links are COS pre-signed URLs: the end of
 * `q-sign-time=<start>;<end>` (often inside a percent-encoded `sign` parameter) is the expiry, and
 * `response-expires` repeats it as an HTTP date. Undefined when the link carries neither.
 */
export function signedLinkExpiry(link: string): Date | undefined {
	const signTime = /q-sign-time(?:=|%3D)(\d{9,11})(?:;|%3B)(\d{9,11})/i.exec(link);
	if (signTime) return new Date(Number(signTime[2]) * 1000);
	let responseExpires: string | null = null;
	try {
		responseExpires = new URL(link).searchParams.get('response-expires');
	} catch {
		return undefined;
	}
	const expires = responseExpires ? Date.parse(responseExpires) : Number.NaN;
	return Number.isNaN(expires) ? undefined : new Date(expires);
}

const PDF_MAGIC = Buffer.from('%PDF-');

export interface SignedPdfDownload {
	link: string;
	/** Names the document in messages, e.g. "US11223344B2 document 3 (CTNF)". */
	label: string;
	expiresAt?: Date;
}

function linkFailure(message: string, kind: ApiFailure['kind'], httpStatus?: number, description?: string): ApiFailure {
	return new ApiFailure(message, { api: 'PatSnap', kind, httpStatus, description, operation: 'PDF download' });
}

/**
 * Fetches a signed PDF link with no credential (the signature is the authorisation, and a bearer
 * token must never reach the storage host). The link is already paid for, so a dropped
 * connection, a 5xx or a cut file is simply fetched again, within the retry budget.
 */
export async function downloadSignedPdf(
	fetchUnauthenticated: FetchUnauthenticated,
	download: SignedPdfDownload,
	settings: { retry: RetryPolicy; clock: Clock; timeoutMs: number; maxResponseBytes?: number },
): Promise<Buffer> {
	const { link, label, expiresAt } = download;
	const refetchAdvice = 'Run the operation again for fresh links; PatSnap signs each link for a limited time.';
	const attempt = async (): Promise<Buffer> => {
		if (expiresAt && settings.clock.now() > expiresAt.getTime()) {
			throw linkFailure(`The PDF link of ${label} expired at ${expiresAt.toISOString()}`, 'unexpected', undefined, refetchAdvice);
		}
		const outcome = await settle(fetchUnauthenticated(link, settings.timeoutMs));
		if ('error' in outcome) {
			const reason = outcome.error instanceof TransportError ? outcome.error.message : String((outcome.error as Error)?.message ?? outcome.error);
			throw linkFailure(`The PDF of ${label} could not be downloaded (${reason})`, 'transient');
		}
		const { status, body } = outcome.value;
		if (settings.maxResponseBytes !== undefined) {
			refuseOversizedAnswer('PatSnap', outcome.value, settings.maxResponseBytes, { what: `The PDF of ${label}`, mayHaveBeenCharged: false });
		}
		if (status === 429 || status >= 500) {
			throw linkFailure(`The PDF of ${label} could not be downloaded (HTTP ${status})`, 'transient', status);
		}
		if (status >= 300) {
			throw linkFailure(`The storage host refused the PDF link of ${label} (HTTP ${status})`, 'unexpected', status, refetchAdvice);
		}
		if (!body.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
			throw linkFailure(`The download of ${label} is not a PDF (${body.length} bytes)`, 'malformed', status);
		}
		return body;
	};
	return await withRetries(attempt, (failure) => failure.kind === 'transient' || failure.kind === 'malformed', settings.retry, settings.clock);
}
