import { createHmac, randomBytes } from 'node:crypto';
import { cstDateInt, type Clock } from '../core/clock';
import type { PatsnapConfig } from '../core/config';
import { binary, parseJsonBody, text, type RequestContext, type SandboxResponse } from '../core/http';
import { makePdf } from '../core/pdf';
import type { PatsnapData, PsPatent } from '../data/patsnap';
import { Alerts } from './alerts';
import { PatsnapAuth, type Caller } from './auth';
import { fail, ok } from './errors';
import { PatsnapLimits } from './limits';
import * as R from './records';

/** What a handler produced: data to wrap (and how many results to bill) or a finished answer. */
type Outcome = { data: unknown; billed: number } | { response: SandboxResponse };

interface Route {
	id: string;
	method: 'GET' | 'POST' | 'DELETE';
	handle: (ctx: RequestContext, caller: Caller) => Outcome;
}

export interface PatsnapDeps {
	clock: Clock;
	config: () => PatsnapConfig;
	data: () => PatsnapData;
}

const OWNED_PREFIXES = ['/oauth/', '/basic-patent-data/', '/advanced-patent-data/', '/high-value-data/', '/search/patent/', '/patent-alert/', '/__pdf/'];

export class PatsnapApi {
	readonly auth: PatsnapAuth;
	readonly limits: PatsnapLimits;
	readonly alerts: Alerts;
	private readonly routes: Record<string, Route>;
	/** Signs the P048 document links, as COS pre-signed URLs are signed. */
	private readonly signingKey = randomBytes(32);

	constructor(private readonly deps: PatsnapDeps) {
		this.auth = new PatsnapAuth(deps.clock, deps.config);
		this.limits = new PatsnapLimits(deps.clock, deps.config);
		this.alerts = new Alerts(deps.data);
		const lang = () => deps.config().language;
		const batch = (id: string, build: (p: PsPatent) => unknown | null): Route => ({ id, method: 'GET', handle: (ctx) => this.batch(ctx, build) });
		const p048: Route = { id: 'P048', method: 'POST', handle: (ctx) => this.documents(ctx) };
		this.routes = {
			'/basic-patent-data/simple-bibliography': batch('P011', R.simpleBibliography),
			'/basic-patent-data/bibliography': batch('P012', R.bibliography),
			'/basic-patent-data/legal-status': batch('P013', (p) => R.legalStatus(p, lang())),
			'/basic-patent-data/patent-family': batch('P014', R.family),
			'/advanced-patent-data/legal-data': batch('P026', R.legalData),
			'/advanced-patent-data/transfer-data': batch('P029', (p) => (p.transfers.length ? R.transferData(p) : null)),
			'/high-value-data/litigation': batch('P034', (p) => (p.litigations.length ? R.litigationData(p) : null)),
			'/basic-patent-data/simple-legal-status': batch('P041', (p) => R.simpleLegalStatus(p, lang())),
			'/advanced-patent-data/overseas-patent-documents': p048,
			'/advanced-patent-data/file-wrapper': p048,
			'/search/patent/patent-search-pn': { id: 'P069', method: 'POST', handle: (ctx) => this.search(ctx) },
			'/patent-alert/create': { id: 'P056', method: 'GET', handle: (ctx) => this.alerts.create(ctx) },
			'/patent-alert/check': { id: 'P057', method: 'GET', handle: (ctx) => this.alerts.check(ctx) },
			'/patent-alert/update': { id: 'P058', method: 'GET', handle: (ctx) => this.alerts.update(ctx) },
			'/patent-alert/delete': { id: 'P059', method: 'DELETE', handle: (ctx) => this.alerts.remove(ctx) },
		};
	}

	static owns(path: string): boolean {
		return OWNED_PREFIXES.some((p) => path.startsWith(p));
	}

	reset(): void {
		this.auth.clear();
		this.limits.clear();
		this.alerts.clear();
	}

	handle(ctx: RequestContext): SandboxResponse {
		if (ctx.path === '/oauth/token') {
			if (ctx.method !== 'POST') return text(405, 'Method Not Allowed');
			return this.auth.handleToken(ctx);
		}
		if (ctx.path.startsWith('/__pdf/')) return this.pdf(ctx);
		const route = this.routes[ctx.path];
		ctx.meta.endpoint = route?.id ?? ctx.path;
		if (!route) return this.error(ctx, 68300007, 404, 'Not Found');
		if (route.method !== ctx.method) return this.error(ctx, 68300007, 405, 'Method Not Allowed');

		const caller = this.auth.authenticate(ctx);
		if ('status' in caller) return caller;
		if (!this.limits.qps.tryHit(caller.limitKey)) return this.error(ctx, 67200002);
		if (!this.limits.tryCall(caller.limitKey)) return this.error(ctx, 67200007);

		const outcome = route.handle(ctx, caller);
		if ('response' in outcome) return outcome.response;
		if (outcome.billed > 0) {
			if (!this.limits.canBill(caller.limitKey, outcome.billed)) return this.error(ctx, 67200005);
			this.limits.bill(caller.limitKey, outcome.billed);
		}
		ctx.meta.billed = outcome.billed;
		ctx.meta.resultCode = 0;
		return ok(outcome.data);
	}

	private error(ctx: RequestContext, code: number, http = 200, message?: string): SandboxResponse {
		ctx.meta.resultCode = code;
		return fail(code, http, message);
	}

	private invalid(ctx: RequestContext, message?: string): Outcome {
		return { response: this.error(ctx, 68300004, 200, message) };
	}

	/** GET batch endpoints: up to maxBatchSize ids/numbers in total, one item per patent found. */
	private batch(ctx: RequestContext, build: (p: PsPatent) => unknown | null): Outcome {
		const split = (v: string | null) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
		const ids = split(ctx.query.get('patent_id'));
		const numbers = split(ctx.query.get('patent_number'));
		const total = ids.length + numbers.length;
		ctx.meta.batchSize = total;
		if (total === 0 || total > this.deps.config().maxBatchSize) return this.invalid(ctx);
		const wanted = this.deps.config().bothParams === 'patentIdWins' && ids.length ? ids : [...ids, ...numbers];
		const data = this.deps.data();
		const seen = new Set<string>();
		const items: unknown[] = [];
		for (const key of wanted) {
			const p = data.find(key);
			if (!p || seen.has(p.patent_id)) continue;
			seen.add(p.patent_id);
			const item = build(p);
			if (item !== null) items.push(item);
		}
		return { data: items, billed: items.length };
	}

	/** P048: one patent per call, filtered and paged, each document with a signed 1-hour link. */
	private documents(ctx: RequestContext): Outcome {
		ctx.meta.batchSize = 1;
		const body = parseJsonBody(ctx.body);
		if (!body) return this.invalid(ctx, 'The request parameter format is incorrect!');
		const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
		const int = (k: string, d: number) => (body[k] === undefined || body[k] === null ? d : Number(body[k]));
		const id = str('patent_id') || str('patent_number');
		const apno = str('apno');
		if ((!id && !apno) || id.includes(',')) return this.invalid(ctx);
		const offset = int('offset', 0);
		const limit = int('limit', 10);
		if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) return this.invalid(ctx);
		const data = this.deps.data();
		const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
		const p = id ? data.find(id) : data.patents.find((x) => norm(x.apno) === norm(apno) || norm(x.apno).slice(2) === norm(apno));
		if (p?.country === 'CN') return this.invalid(ctx, 'Querying Chinese patents is not supported temporarily!');
		if (!p) return { data: { apno, patent_id: '', patent_number: '', doc_count: 0, doc_detail_count: 0, doc_detail: [] }, billed: 0 };
		const from = int('date_from', 0);
		const to = int('date_to', 99_999_999);
		const codes = str('doc_code') ? str('doc_code').split(',').map((c) => c.trim().toUpperCase()) : null;
		const matching = p.exam_documents
			.map((d, index) => ({ d, index }))
			.filter(({ d }) => d.date >= from && d.date <= to && (!codes || codes.includes(d.doc_code)));
		const page = matching.slice(offset, offset + limit);
		return {
			data: {
				apno: p.apno,
				patent_id: p.patent_id,
				patent_number: p.pn,
				doc_count: matching.length,
				doc_detail_count: page.length,
				doc_detail: page.map(({ d, index }) => ({
					date: d.date,
					doc_code: d.doc_code,
					description: d.description,
					page_number: d.page_number,
					path: this.signedPdfUrl(ctx.baseUrl, `${p.pn}_${String(index + 1).padStart(3, '0')}_${d.doc_code}`),
				})),
			},
			billed: page.length > 0 ? 1 : 0,
		};
	}

	private signedPdfUrl(baseUrl: string, docId: string): string {
		const start = Math.floor(this.deps.clock.now() / 1000);
		const end = start + this.deps.config().pdfLinkTtlSeconds;
		const sig = this.sign(docId, start, end);
		const expires = new Date(end * 1000).toUTCString();
		return `${baseUrl}/__pdf/${encodeURIComponent(docId)}?q-sign-algorithm=sha1&q-ak=AKIDsandbox&q-sign-time=${start};${end}&q-key-time=${start};${end}&q-header-list=host&q-url-param-list=response-expires&q-signature=${sig}&response-expires=${encodeURIComponent(expires)}`;
	}

	private sign(docId: string, start: number, end: number): string {
		return createHmac('sha1', this.signingKey).update(`${docId}|${start};${end}`).digest('hex');
	}

	private pdf(ctx: RequestContext): SandboxResponse {
		ctx.meta.kind = 'download';
		ctx.meta.endpoint = 'pdf';
		const docId = decodeURIComponent(ctx.path.slice('/__pdf/'.length));
		const [start, end] = (ctx.query.get('q-sign-time') ?? '').split(';').map(Number);
		const denied = (msg: string) => text(403, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${msg}</Message></Error>`, 'application/xml');
		if (!start || !end || ctx.query.get('q-signature') !== this.sign(docId, start, end)) return denied('Signature mismatch');
		if (this.deps.clock.now() / 1000 > end) return denied('Request has expired');
		return binary('application/pdf', makePdf(docId));
	}

	/** P069: number lookup by publication or application number, optionally per authority. */
	private search(ctx: RequestContext): Outcome {
		const body = parseJsonBody(ctx.body);
		if (!body) return this.invalid(ctx, 'The request parameter format is incorrect!');
		const norm = (v: unknown) => (typeof v === 'string' ? v.toUpperCase().replace(/[^A-Z0-9]/g, '') : '');
		const pn = norm(body.pn);
		const apno = norm(body.apno);
		if (!pn && !apno) return this.invalid(ctx);
		const authority = Array.isArray(body.authority) ? body.authority.map((a) => String(a).toUpperCase()) : null;
		const offset = Number(body.offset ?? 0);
		const limit = Number(body.limit ?? 10);
		if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 1000) return this.invalid(ctx);
		const hits = this.deps.data().patents.filter((p) => {
			if (authority && !authority.includes(p.country)) return false;
			if (pn) return p.pn === pn || p.pn === `${pn}${p.kind}` || `${p.doc_number}${p.kind}` === pn || p.doc_number === pn;
			const a = norm(p.apno);
			return a === apno || a.slice(2) === apno;
		});
		const page = hits.slice(offset, offset + limit);
		return {
			data: {
				results: page.map((p) => ({
					patent_id: p.patent_id,
					pn: p.pn,
					apno: p.apno,
					apdt: p.apdt,
					pbdt: p.pbdt,
					title: p.title,
					inventor: p.inventors.join(' | '),
					current_assignee: p.current_assignee,
					original_assignee: p.original_assignee,
				})),
				result_count: page.length,
				total_search_result_count: hits.length,
			},
			billed: page.length > 0 ? 1 : 0,
		};
	}

	/** For the control API: today's date in PatSnap's form and time zone. */
	today(): number {
		return cstDateInt(this.deps.clock.now());
	}
}
