import type { DailyUsage } from './index';

/**
 * Today's JPO counts per identity as this process saw them. An AI Agent runs the node once per tool
 * call, so without this a new execution would know nothing of the remaining count the last one
 * read, and Stop Below Remaining would hold within one run only. Only the current day is kept.
 */
class ProcessDailyUsage {
	private readonly byIdentity = new Map<string, { day: string; usage: DailyUsage }>();

	record(key: string, day: string, endpoint: string, reading: { counted: boolean; remain?: number }): void {
		let entry = this.byIdentity.get(key);
		if (!entry || entry.day !== day) {
			entry = { day, usage: { spent: {}, remain: {} } };
			this.byIdentity.set(key, entry);
		}
		if (reading.counted) entry.usage.spent[endpoint] = (entry.usage.spent[endpoint] ?? 0) + 1;
		if (reading.remain !== undefined) entry.usage.remain[endpoint] = Math.min(entry.usage.remain[endpoint] ?? Infinity, reading.remain);
	}

	get(key: string, day: string): DailyUsage | undefined {
		const entry = this.byIdentity.get(key);
		if (!entry || entry.day !== day) return undefined;
		return { spent: { ...entry.usage.spent }, remain: { ...entry.usage.remain } };
	}

	clear(): void {
		this.byIdentity.clear();
	}
}

export const processDailyUsage = new ProcessDailyUsage();
