import { randomBytes } from 'node:crypto';
import type { RequestContext, SandboxResponse } from '../core/http';
import type { PatsnapData } from '../data/patsnap';
import { fail } from './errors';

const CONTENT_TYPES = ['new', 'invention', 'legal', 'transfer', 'expired', 'license', 'litigation'];

interface Alert {
	alert_id: string;
	alert_name: string;
	content: string[];
	query: string;
	patentIds: Set<string>;
	/** Position in the data set's change log up to which changes were already reported. */
	cursor: number;
}

type Outcome = { data: unknown; billed: number } | { response: SandboxResponse };

/**
 * Monitors P056–P059. A check reports patents whose status changed (through the control API or
 * `data.patsnap.setLegalStatus`) since the previous check, then starts over: the real docs do
 * not say whether checking resets, and resetting makes polling triggers testable.
 */
export class Alerts {
	private alerts = new Map<string, Alert>();

	constructor(private readonly data: () => PatsnapData) {}

	clear(): void {
		this.alerts.clear();
	}

	create(ctx: RequestContext): Outcome {
		const query = ctx.query.get('query') ?? '';
		const content = this.content(ctx.query.get('content'));
		const name = ctx.query.get('alert_name') ?? '';
		if (!query || !content || name.length > 50) return this.invalid(ctx);
		const alert: Alert = {
			alert_id: randomBytes(16).toString('hex'),
			alert_name: name,
			content,
			query,
			patentIds: this.match(query),
			cursor: this.data().changeLog.length,
		};
		this.alerts.set(alert.alert_id, alert);
		return { data: { alert_id: alert.alert_id, alert_name: alert.alert_name, number: alert.patentIds.size }, billed: 0 };
	}

	check(ctx: RequestContext): Outcome {
		const alert = this.alerts.get(ctx.query.get('alert_id') ?? '');
		if (!alert) return this.invalid(ctx);
		const log = this.data().changeLog;
		const byType = new Map<string, Set<string>>();
		for (const change of log.slice(alert.cursor)) {
			if (!alert.patentIds.has(change.patent_id) || !alert.content.includes(change.type)) continue;
			if (!byType.has(change.type)) byType.set(change.type, new Set());
			byType.get(change.type)!.add(change.patent_id);
		}
		alert.cursor = log.length;
		const data = [...byType].map(([type, ids]) => ({ type, count: ids.size, alert_name: alert.alert_name, patent_ids: [...ids] }));
		return { data, billed: 0 };
	}

	update(ctx: RequestContext): Outcome {
		const alert = this.alerts.get(ctx.query.get('alert_id') ?? '');
		if (!alert) return this.invalid(ctx);
		const name = ctx.query.get('alert_name');
		const contentParam = ctx.query.get('content');
		const query = ctx.query.get('query');
		if (name !== null) {
			if (name.length > 50) return this.invalid(ctx);
			alert.alert_name = name;
		}
		if (contentParam !== null) {
			const content = this.content(contentParam);
			if (!content) return this.invalid(ctx);
			alert.content = content;
		}
		if (query) {
			alert.query = query;
			alert.patentIds = this.match(query);
		}
		return { data: { alert_id: alert.alert_id, alert_name: alert.alert_name, number: alert.patentIds.size }, billed: 0 };
	}

	remove(ctx: RequestContext): Outcome {
		const id = ctx.query.get('alert_id') ?? '';
		if (!this.alerts.delete(id)) return this.invalid(ctx);
		return { data: {}, billed: 0 };
	}

	private invalid(ctx: RequestContext): Outcome {
		ctx.meta.resultCode = 68300004;
		return { response: fail(68300004) };
	}

	private content(raw: string | null): string[] | null {
		const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
		return list.length > 0 && list.every((c) => CONTENT_TYPES.includes(c)) ? list : null;
	}

	/** Understands `PN:(a OR b)`, `PN:a`, `PATENT_ID:(…)` and `ANC:(assignee)`; terms joined by OR. */
	private match(query: string): Set<string> {
		const data = this.data();
		const ids = new Set<string>();
		const re = /(PN|PATENT_ID|ANC):\s*(?:\(([^)]*)\)|(\S+))/gi;
		for (const m of query.matchAll(re)) {
			const field = m[1].toUpperCase();
			const terms = (m[2] ?? m[3]).split(/\s+OR\s+|,/i).map((t) => t.trim().replace(/^"|"$/g, '')).filter(Boolean);
			for (const term of terms) {
				if (field === 'ANC') {
					for (const p of data.patents) if (p.current_assignee.toUpperCase() === term.toUpperCase()) ids.add(p.patent_id);
				} else {
					const p = data.find(term);
					if (p) ids.add(p.patent_id);
				}
			}
		}
		return ids;
	}
}
