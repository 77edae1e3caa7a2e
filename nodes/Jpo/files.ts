import { ApiFailure } from '../shared/failure';
import { headerValue, type RawResponse } from '../shared/http';
import { bodyLooksLike } from './envelope';
import { readZip } from './zip';

/** A ZIP or PDF JPO sent as it is, not wrapped in an envelope. */
export interface JpoFile {
	type: 'file';
	buffer: Buffer;
	fileName: string;
	mimeType: string;
	/** The archive was over 10 MB and came from JPO's pre-signed download link. */
	viaDownloadUrl: boolean;
}

export const DOWNLOAD_URL_LIFETIME_NOTE = 'JPO download links are valid for 5 minutes';

export function fileNameFrom(headers: RawResponse['headers'], fallback: string): string {
	const disposition = headerValue(headers, 'content-disposition') ?? '';
	const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
	return match ? decodeURIComponent(match[1].trim()) : fallback;
}

function archiveProblem(body: Buffer): string | undefined {
	try {
		readZip(body);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/** A cut-off archive still starts like a ZIP; its table of contents at the end tells. */
export function checkArchive(body: Buffer, httpStatus: number): void {
	const problem = archiveProblem(body);
	if (problem) {
		throw new ApiFailure(`JPO sent an incomplete or damaged file: ${problem}`, { api: 'JPO', kind: 'malformed', httpStatus, mayHaveBeenCharged: true });
	}
}

export function downloadFailure(error: unknown): ApiFailure {
	return new ApiFailure(`Could not download the large JPO archive (${(error as Error).message}); ${DOWNLOAD_URL_LIFETIME_NOTE}`, {
		api: 'JPO',
		kind: 'transient',
	});
}

/** The archive behind a pre-signed download link, checked as a direct answer would be. */
export function archiveFromLink(response: RawResponse, url: string, operation: string): JpoFile {
	if (response.status >= 300 || !bodyLooksLike(response.body, 'zip')) {
		throw new ApiFailure(`The large JPO archive could not be downloaded (HTTP ${response.status}); ${DOWNLOAD_URL_LIFETIME_NOTE}`, {
			api: 'JPO',
			kind: response.status >= 500 || response.status === 429 ? 'transient' : 'malformed',
			httpStatus: response.status,
			mayHaveBeenCharged: true,
		});
	}
	checkArchive(response.body, response.status);
	const fallback = new URL(url).pathname.split('/').pop() || `${operation}.zip`;
	return {
		type: 'file',
		buffer: response.body,
		fileName: fileNameFrom(response.headers, fallback.endsWith('.zip') ? fallback : `${fallback}.zip`),
		mimeType: 'application/zip',
		viaDownloadUrl: true,
	};
}
