import type { Clock } from '../core/clock';
import type { JpoConfig } from '../core/config';
import type { DownloadStore } from '../core/downloads';
import { bearerToken, binary, text, type RequestContext, type SandboxResponse } from '../core/http';
import type { JpCase, JpoData } from '../data/jpo';
import { buildArchive, bundleDocuments, streamLargeArchive } from './documents';
import { JpoAuth } from './auth';
import { BUNDLE_FILE_PREFIX, findDomestic, type DomesticEndpoint, type JpoLaw } from './endpoints';
import { envelope, stringify } from './envelope';
import { handleOpd } from './opd';
import { JpoQuota } from './quota';
import * as R from './responses';
import { COUNTED_STATUSES } from './status';

/** Characters JPO rejects with 208 (spec text says ';', the message says ':'; both are refused). */
const FORBIDDEN = /[\t,;:|]/;

type Answer = { code: string; data?: unknown } | { response: SandboxResponse; code: '100' };

export interface JpoDeps {
	clock: Clock;
	config: () => JpoConfig;
	data: () => JpoData;
	downloads: DownloadStore;
}

export class JpoApi {
	readonly auth: JpoAuth;
	readonly quota: JpoQuota;

	constructor(private readonly deps: JpoDeps) {
		this.auth = new JpoAuth(deps.clock, deps.config);
		this.quota = new JpoQuota(deps.clock, deps.config);
	}

	static owns(path: string): boolean {
		return path === '/auth/token' || path.startsWith('/api/') || path.startsWith('/opdapi/') || path.startsWith('/__download/');
	}

	reset(): void {
		this.auth.clear();
		this.quota.clear();
	}

	async handle(ctx: RequestContext): Promise<SandboxResponse> {
		if (ctx.path === '/auth/token') {
			if (ctx.method !== 'POST') return text(405, 'Method Not Allowed');
			return this.auth.handleToken(ctx);
		}
		if (ctx.path.startsWith('/__download/')) return this.download(ctx);
		if (ctx.path.startsWith('/opdapi/')) {
			return handleOpd(ctx, { ...this.deps, auth: this.auth, quota: this.quota });
		}
		return this.domestic(ctx);
	}

	/** Answers with an envelope and records the status code. */
	private reply(ctx: RequestContext, code: string, remaining: number | null, data?: unknown): SandboxResponse {
		ctx.meta.resultCode = code;
		return envelope(code, remaining, data);
	}

	private domestic(ctx: RequestContext): SandboxResponse {
		const [, , law, version, name, ...raw] = ctx.path.split('/');
		const endpoint = version === 'v1' ? findDomestic(law, name) : undefined;
		ctx.meta.endpoint = endpoint?.id ?? `${law}/${name ?? ''}`;
		const username = this.auth.verify(bearerToken(ctx.headers));
		if (!username) return this.reply(ctx, '210', null);
		ctx.meta.credential = username;
		if (!endpoint || ctx.method !== 'GET') return this.reply(ctx, '301', null);
		if (!this.quota.domesticWindow.tryHit(username)) return this.reply(ctx, '303', null);

		let params: string[];
		try {
			params = raw.map((s) => decodeURIComponent(s));
		} catch {
			return this.reply(ctx, '204', null);
		}
		if (params.some((p) => FORBIDDEN.test(p))) return this.reply(ctx, '208', null);
		if (!validParams(endpoint, params)) return this.reply(ctx, '204', null);
		if (this.quota.exhausted(username, endpoint.id)) return this.reply(ctx, '203', null);

		const answer = this.answer(ctx, endpoint, params);
		const remaining = COUNTED_STATUSES.has(answer.code) ? this.quota.consume(username, endpoint.id) : null;
		if ('response' in answer) {
			ctx.meta.resultCode = answer.code;
			return answer.response;
		}
		return this.reply(ctx, answer.code, remaining, answer.data === undefined ? undefined : stringify(answer.data));
	}

	private answer(ctx: RequestContext, e: DomesticEndpoint, params: string[]): Answer {
		const data = this.deps.data();
		const law = e.law;
		if (e.params === 'applicantCode') {
			const found = data.parties().find((p) => p.code === params[0]);
			return found ? { code: '100', data: { applicantAttorneyName: found.name } } : { code: '107' };
		}
		if (e.params === 'applicantName') {
			const found = data.parties().filter((p) => p.name === params[0]);
			return found.length
				? { code: '100', data: { applicantAttorney: found.map((p) => ({ applicantAttorneyCd: p.code, name: p.name })) } }
				: { code: '107' };
		}
		if (e.name === 'case_number_reference') return caseNumberReference(data, law, params[0], params[1]);
		if (e.name === 'pct_national_phase_application_number') {
			const field = params[0] === 'international_application' ? 'internationalApplicationNumber' : 'internationalPublicationNumber';
			const c = data.all('patent').find((x) => x[field] === params[1]);
			return c ? { code: '100', data: { applicationNumber: c.applicationNumber } } : { code: '107' };
		}
		const c = data.get(law, params[0]);
		if (!c) return { code: '107' };
		if (e.bundle) return this.documents(ctx, c, e);
		switch (e.name) {
			case 'app_progress':
				return { code: '100', data: R.progress(c, data, false) };
			case 'app_progress_simple':
				return { code: '100', data: R.progress(c, data, true) };
			case 'divisional_app_info':
				return { code: '100', data: R.divisionalInfo(c, data) };
			case 'priority_right_app_info':
				return { code: '100', data: R.priorityInfo(c) };
			case 'registration_info':
				return c.registrationNumber ? { code: '100', data: R.registrationInfo(c) } : { code: '107' };
			case 'cite_doc_info':
				return c.citations.length ? { code: '100', data: R.citations(c) } : { code: '107' };
			case 'jpp_fixed_address':
				return { code: '100', data: R.jppAddress(c) };
			default:
				return { code: '999' };
		}
	}

	private documents(ctx: RequestContext, c: JpCase, e: DomesticEndpoint): Answer {
		const bundle = e.bundle!;
		const docs = bundleDocuments(c, bundle);
		if (docs.length === 0) return { code: '108' };
		const cfg = this.deps.config();
		const fileName = `${BUNDLE_FILE_PREFIX[bundle]}${c.applicationNumber}.zip`;
		const fillerBytes = bundle === 'opinionAmendment' ? (cfg.largeDocuments[c.applicationNumber] ?? 0) : 0;
		if (fillerBytes > 0) {
			const url = this.link(ctx, { stream: () => streamLargeArchive(c, docs, fillerBytes), length: fillerBytes }, fileName);
			return { code: '100', data: { URL: url } };
		}
		const zip = buildArchive(c, docs);
		if (zip.length > cfg.largeArchiveThresholdBytes) return { code: '100', data: { URL: this.link(ctx, zip, fileName) } };
		return {
			code: '100',
			response: binary('application/zip', zip, { 'Content-Disposition': `attachment;filename=${fileName}` }),
		};
	}

	private link(ctx: RequestContext, body: Parameters<DownloadStore['create']>[0], fileName: string): string {
		const ttl = this.deps.config().downloadUrlTtlSeconds;
		const id = this.deps.downloads.create(body, 'application/zip', fileName, ttl * 1000);
		const expires = Math.floor((this.deps.clock.now() + ttl * 1000) / 1000);
		return `${ctx.baseUrl}/__download/${id}/${fileName}?Expires=${expires}`;
	}

	/** The pre-signed download: S3 refuses a second auth mechanism and expired links. */
	private download(ctx: RequestContext): SandboxResponse {
		ctx.meta.kind = 'download';
		ctx.meta.endpoint = 'download';
		const id = ctx.path.split('/')[2] ?? '';
		if (ctx.headers.authorization) {
			return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
		}
		const entry = this.deps.downloads.get(id);
		if (entry === 'expired') return s3Error(403, 'AccessDenied', 'Request has expired');
		if (!entry) return s3Error(403, 'AccessDenied', 'Access Denied');
		return { status: 200, headers: { 'Content-Type': entry.contentType, 'Content-Disposition': `attachment;filename=${entry.fileName}` }, body: entry.body };
	}
}

function s3Error(status: number, code: string, message: string): SandboxResponse {
	return text(status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`, 'application/xml');
}

function validParams(e: DomesticEndpoint, p: string[]): boolean {
	switch (e.params) {
		case 'applicationNumber':
			return p.length === 1 && /^\d{10}$/.test(p[0]);
		case 'applicantCode':
			return p.length === 1 && /^\d{9}$/.test(p[0]);
		case 'applicantName':
			return p.length === 1 && p[0].length > 0;
		case 'kindNumber': {
			if (p.length !== 2) return false;
			const [kind, n] = p;
			if (e.name === 'pct_national_phase_application_number') {
				if (kind === 'international_application') return /^[A-Z]{2}\d{10}$/.test(n);
				return kind === 'international_publication' && /^WO\d{10}$/.test(n);
			}
			const kinds = e.law === 'patent' ? ['application', 'publication', 'registration'] : ['application', 'registration'];
			if (!kinds.includes(kind)) return false;
			return kind === 'registration' ? /^\d{7}$/.test(n) : /^\d{10}$/.test(n);
		}
	}
}

function caseNumberReference(data: JpoData, law: JpoLaw, kind: string, n: string): Answer {
	// Publication numbers from before the Heisei era (1989) are outside the service: 111.
	if (kind === 'publication' && Number(n.slice(0, 4)) < 1989) return { code: '111' };
	const c = data.all(law).find((x) =>
		kind === 'application'
			? x.applicationNumber === n
			: kind === 'registration'
				? x.registrationNumber === n
				: x.adPublicationNumber === n || x.adNationalPublicationNumber === n,
	);
	return c ? { code: '100', data: R.caseNumbers(c) } : { code: '107' };
}
