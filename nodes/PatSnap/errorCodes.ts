import type { FailureKind } from '../shared/failure';

/**
 * Every PatSnap error code the documentation, PatSnap's own client code or field reports name.
 * PatSnap usually answers errors with HTTP 200 and `status: false`, so this table, not the HTTP
 * status, decides what happens.
 */
export interface PatSnapErrorCode {
	code: number;
	kind: FailureKind;
	/** "too fast": the throttle waits a whole window before the next call. */
	rateLimited?: boolean;
	/** `{api}` stands for the API called, e.g. "P013 Get Legal Status". */
	message: string;
	advice: string;
	/** For a quota that does not come back by itself: what brings it back, said in the message. */
	restoredBy?: string;
}

/** PatSnap's own daily call limit, as opposed to the balance or the platform total. */
export const PATSNAP_DAILY_LIMIT = 67200007;
export const PATSNAP_INVALID_PARAMETER = 68300004;

const rows: PatSnapErrorCode[] = [
	{
		code: 67200000,
		kind: 'transient',
		message: 'PatSnap server error or platform total limit',
		advice: 'Retried with backoff; PatSnap documents this code both ways.',
	},
	{
		code: 67200001,
		kind: 'quota',
		message: 'The API call exceeds the total limit set by the platform',
		advice: 'Contact PatSnap to raise the account limit.',
		restoredBy: 'only when PatSnap raises the account total limit',
	},
	{
		code: 67200002,
		kind: 'transient',
		rateLimited: true,
		message: 'Called too fast: over the account QPS limit',
		advice: 'Retried after a pause; lower Requests per Second if it persists.',
	},
	{
		code: 67200003,
		kind: 'auth',
		message: 'The access token expired, or the client ID and secret or the API key are wrong',
		advice: 'The token was renewed once; check the client ID and secret or API key if it persists.',
	},
	{
		code: 67200004,
		kind: 'configuration',
		message: 'No permission for {api}, or the package quota for it is used up',
		advice: 'Check the APIs included in your PatSnap package and their quotas.',
	},
	{
		code: 67200005,
		kind: 'quota',
		message: 'Insufficient balance',
		advice: 'Top up the PatSnap account balance.',
		restoredBy: 'only when the PatSnap account balance is topped up',
	},
	{
		code: 67200006,
		kind: 'configuration',
		message: 'This client has expired',
		advice: 'Renew the PatSnap client or create a new one.',
	},
	{
		code: PATSNAP_DAILY_LIMIT,
		kind: 'quota',
		message: 'The daily call limit is used up',
		advice: 'The limit resets the next day, at 00:00 China time (UTC+8).',
	},
	{
		code: 67200008,
		kind: 'configuration',
		message: 'The apikey parameter is missing',
		advice: 'Use authentication "Client ID and Secret" or an sk- API key in the credential.',
	},
	{
		code: 67200009,
		kind: 'auth',
		message: 'The apikey does not match the token',
		advice: 'The token was renewed once; check that the client ID belongs to the secret.',
	},
	{
		code: 67200100,
		kind: 'transient',
		message: 'PatSnap server busy',
		advice: 'Retried with backoff.',
	},
	{
		code: 67200101,
		kind: 'transient',
		message: 'PatSnap server timeout',
		advice: 'Retried with backoff.',
	},
	{
		code: 67200202,
		kind: 'configuration',
		message: 'API key verification failed',
		advice: 'Keys only work on the host that issued them: check Environment (global or China).',
	},
	{
		code: 67200203,
		kind: 'configuration',
		message: '{api} is not included in your PatSnap package',
		advice: 'Ask PatSnap to enable this API for your account.',
	},
	{
		code: PATSNAP_INVALID_PARAMETER,
		kind: 'input',
		message: 'Invalid parameter',
		advice: 'Check the patent numbers or IDs and the other parameters.',
	},
	{
		code: 68300005,
		kind: 'transient',
		message: 'Search API failure',
		advice: 'Retried with backoff.',
	},
	{
		code: 68300006,
		kind: 'transient',
		message: 'Analytic basic access error',
		advice: 'Retried with backoff.',
	},
	{ code: 68300007, kind: 'input', message: 'Bad request', advice: 'Check the parameters.' },
	{
		code: 68300008,
		kind: 'transient',
		message: 'PatSnap service error',
		advice: 'Retried with backoff.',
	},
	{
		code: 68300010,
		kind: 'input',
		message: 'File does not comply with upload specifications',
		advice: 'Check the uploaded file.',
	},
	{ code: 10001, kind: 'input', message: 'A required parameter is missing', advice: 'Check the parameters.' },
];

export const PATSNAP_ERROR_CODES: ReadonlyMap<number, PatSnapErrorCode> = new Map(rows.map((row) => [row.code, row]));

export function patSnapError(code: number): PatSnapErrorCode {
	return (
		PATSNAP_ERROR_CODES.get(code) ?? {
			code,
			kind: 'unexpected',
			message: `Undocumented PatSnap error code ${code}`,
			advice: 'Please report this code to the package maintainers.',
		}
	);
}

/** HTTP statuses that carry no PatSnap body we can read. */
export function patSnapHttpFailureKind(status: number): FailureKind {
	if (status === 401) return 'auth';
	if (status === 403 || status === 404) return 'configuration';
	if (status === 408 || status === 425 || status === 429 || status >= 500) return 'transient';
	return 'input';
}

