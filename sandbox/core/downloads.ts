import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import type { ResponseBody } from './http';

interface Entry {
	expiresAt: number;
	contentType: string;
	fileName: string;
	body: ResponseBody;
}

/**
 * Temporary links standing in for S3 pre-signed URLs: random id, fixed lifetime on the sandbox
 * clock. Bodies are kept as producers when large, so nothing big sits in memory.
 */
export class DownloadStore {
	private entries = new Map<string, Entry>();

	constructor(private readonly clock: Clock) {}

	create(body: ResponseBody, contentType: string, fileName: string, ttlMs: number): string {
		this.sweep();
		const id = randomBytes(18).toString('base64url');
		this.entries.set(id, { expiresAt: this.clock.now() + ttlMs, contentType, fileName, body });
		return id;
	}

	/** 'expired' is kept distinct from unknown so the answer can mimic S3 (403 either way). */
	get(id: string): Entry | 'expired' | undefined {
		const e = this.entries.get(id);
		if (!e) return undefined;
		return e.expiresAt <= this.clock.now() ? 'expired' : e;
	}

	clear(): void {
		this.entries.clear();
	}

	private sweep(): void {
		const now = this.clock.now();
		// Keep expired entries for a while so their URLs answer "expired" rather than "unknown".
		for (const [id, e] of this.entries) if (e.expiresAt + 3_600_000 < now) this.entries.delete(id);
	}
}
