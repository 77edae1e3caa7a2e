export type ApiName = 'jpo' | 'patsnap';

export interface RecordedRequest {
	seq: number;
	/** Sandbox clock, epoch ms. */
	at: number;
	api: ApiName;
	kind: 'token' | 'data' | 'download';
	method: string;
	path: string;
	/** Query parameters with secret values (API keys, URL signatures) replaced by '[redacted]'. */
	query: Record<string, string>;
	/** Stable id, e.g. 'patent/app_progress', 'opd/family', 'P013', 'token'. */
	endpoint: string;
	/** JPO username, PatSnap client id, or 'apiKey'. Never a secret. */
	credential: string | null;
	authorization: 'bearer' | 'basic' | 'none';
	httpStatus: number;
	/** JPO statusCode (string) or PatSnap error_code (number) when the answer carried one. */
	resultCode: string | number | null;
	/** Number of ids/numbers sent to a PatSnap batch endpoint. */
	batchSize: number | null;
	/** PatSnap results billed for this call. */
	billed: number | null;
	/** Kind of the fault applied, if any. */
	fault: string | null;
}

export interface RequestFilter {
	api?: ApiName;
	kind?: RecordedRequest['kind'];
	endpoint?: string;
}

export class Recorder {
	private items: RecordedRequest[] = [];
	private seq = 0;

	add(entry: Omit<RecordedRequest, 'seq'>): void {
		this.seq += 1;
		this.items.push({ seq: this.seq, ...entry });
	}

	list(filter: RequestFilter = {}): RecordedRequest[] {
		return this.items
			.filter(
				(r) =>
					(!filter.api || r.api === filter.api) &&
					(!filter.kind || r.kind === filter.kind) &&
					(!filter.endpoint || r.endpoint === filter.endpoint),
			)
			.map((r) => ({ ...r, query: { ...r.query } }));
	}

	clear(): void {
		this.items = [];
	}
}
