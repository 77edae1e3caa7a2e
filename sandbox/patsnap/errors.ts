import { json, type SandboxResponse } from '../core/http';

/** PatSnap error codes (NOTES §4.2) with the message the sandbox sends. */
export const PATSNAP_ERRORS: Readonly<Record<number, string>> = {
	67200000: 'Server Internal Error!',
	67200001: 'API call exceeds the total limit set by the platform!',
	67200002: 'The current call rate is too fast, exceeding the current configuration limit QPS!',
	67200003: 'Access token expired or authentication error!',
	67200004: 'No permission or API package quota exceeded!',
	67200005: 'Insufficient balance, call failed!',
	67200006: 'This client has expired and call failed!',
	67200007: 'Exceeded the call limit!',
	67200008: 'required apikey missing',
	67200009: 'apikey does not match the token',
	67200100: 'Server busy, please try again later!',
	67200101: 'Server timeout, please try again later!',
	68300004: 'Invalid parameter!',
	68300005: 'Search api failure!',
	68300006: 'Analytic basic access error!',
	68300007: 'Bad request!',
	68300008: 'Service error, please try again later!',
};

export function ok(data: unknown): SandboxResponse {
	return json(200, { data, status: true, error_code: 0, error_msg: '' });
}

/** Business errors come back with HTTP 200 and status:false unless told otherwise. */
export function fail(code: number, httpStatus = 200, message?: string): SandboxResponse {
	return json(httpStatus, { data: null, status: false, error_code: code, error_msg: message ?? PATSNAP_ERRORS[code] ?? 'Unknown error' });
}
