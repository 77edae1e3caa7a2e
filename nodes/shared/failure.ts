/**
 * What went wrong, as data. Every documented status or error code of both APIs maps to one kind,
 * and the kind alone decides what the transport and the node do next.
 */
export type FailureKind =
	/** Worth another try after a pause: timeouts, 5xx, "too fast", a dropped connection. */
	| 'transient'
	/** A daily or account quota is used up: stop, say when it resets, never retry. */
	| 'quota'
	/** The token was refused: renew it once, then stop. */
	| 'auth'
	/** The account or configuration is wrong (permissions, base URL, API key pairing): stop. */
	| 'configuration'
	/** This item's input is wrong: fail this item only, name the field. */
	| 'input'
	/** The answer could not be read. */
	| 'malformed'
	/**
	 * Fail the item, without a retry and without stopping the run: a code no table documents (shown
	 * as it came), or an answer larger than the node's Max Answer Size.
	 */
	| 'unexpected';

export type ApiName = 'JPO' | 'PatSnap';

export interface FailureDetails {
	api: ApiName;
	kind: FailureKind;
	/** The API's own code (JPO statusCode, PatSnap error_code) or the HTTP status when there is none. */
	code?: string | number;
	httpStatus?: number;
	/** What the API said in its own words (Japanese or Chinese messages are kept as they are). */
	originalMessage?: string;
	/** What the user should do about it. */
	description?: string;
	retryAfterMs?: number;
	resetsAt?: Date;
	/**
	 * The call was not sent: the API had already reported this daily limit used up at this time,
	 * and it has not reset since.
	 */
	notSentSince?: Date;
	/** Which operation was being called, in words a user recognises. */
	operation?: string;
	attempts?: number;
	/** The request reached the server and may have been counted or billed. */
	mayHaveBeenCharged?: boolean;
	/**
	 * An `auth` failure that a new token cannot cure: the login itself was refused, or the token was
	 * refused again right after n8n renewed it. Renewing once more would log in with the same secret.
	 */
	renewalWontHelp?: boolean;
}

export class ApiFailure extends Error {
	readonly details: FailureDetails;

	constructor(message: string, details: FailureDetails) {
		super(message);
		this.name = 'ApiFailure';
		this.details = details;
	}

	get kind(): FailureKind {
		return this.details.kind;
	}

	/** A failure that ends the whole run rather than just one item. */
	get stopsRun(): boolean {
		return this.kind === 'quota' || this.kind === 'configuration' || this.kind === 'auth';
	}

	withDetails(extra: Partial<FailureDetails>): ApiFailure {
		return new ApiFailure(this.message, { ...this.details, ...extra });
	}
}
