import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { PatsnapConfig } from '../core/config';
import { basicCredentials, bearerToken, json, parseForm, type RequestContext, type SandboxResponse } from '../core/http';
import { fail } from './errors';

interface Token {
	clientId: string;
	expiresAt: number;
	revoked: boolean;
}

/** Who is calling: a client id (OAuth model) or 'apiKey' (sk- key model), plus the key itself. */
export interface Caller {
	credential: string;
	/** The quota/billing key: client id or the API key. Never recorded. */
	limitKey: string;
}

/**
 * Both credential models of NOTES §1: client-credentials tokens (Bearer plus `apikey=<client id>`)
 * and static `sk-` keys (Bearer, or `?apikey=` alone).
 */
export class PatsnapAuth {
	private tokens = new Map<string, Token>();
	/** Every token ever handed out, for secret scans; clear() keeps it. */
	private readonly issued: string[] = [];

	constructor(
		private readonly clock: Clock,
		private readonly config: () => PatsnapConfig,
	) {}

	handleToken(ctx: RequestContext): SandboxResponse {
		ctx.meta.kind = 'token';
		ctx.meta.endpoint = 'token';
		const cfg = this.config();
		const basic = basicCredentials(ctx.headers);
		if (basic) ctx.meta.credential = basic.user;
		const client = basic && cfg.clients.find((c) => c.clientId === basic.user && c.clientSecret === basic.pass);
		if (!client) {
			ctx.meta.resultCode = 67200003;
			return fail(67200003, 401, 'The key and secret parameters for applying for the token are incorrect or the client has been disabled!');
		}
		if (parseForm(ctx.body).get('grant_type') !== 'client_credentials') {
			ctx.meta.resultCode = 68300004;
			return fail(68300004, 400, 'grant_type must be client_credentials');
		}
		const now = this.clock.now();
		const token = randomBytes(24).toString('base64url');
		this.tokens.set(token, { clientId: client.clientId, expiresAt: now + cfg.tokenTtlSeconds * 1000, revoked: false });
		this.issued.push(token);
		ctx.meta.resultCode = 0;
		if (cfg.tokenResponseShape === 'wrapped') {
			return json(200, {
				data: { token, token_type: 'BearerToken', expires_in: String(cfg.tokenTtlSeconds) },
				status: true,
				error_code: 0,
				error_msg: '',
			});
		}
		return json(200, { token, token_type: 'BearerToken', expires_in: cfg.tokenTtlSeconds, status: 'approved', issued_at: String(now) });
	}

	/** Resolves the caller or returns the error answer to send. */
	authenticate(ctx: RequestContext): Caller | SandboxResponse {
		const cfg = this.config();
		const bearer = bearerToken(ctx.headers);
		const apikey = ctx.query.get('apikey');
		const fault = (code: number, http = 200): SandboxResponse => {
			ctx.meta.resultCode = code;
			return fail(code, http);
		};
		const keyCaller = (key: string): Caller => {
			ctx.meta.credential = 'apiKey';
			return { credential: 'apiKey', limitKey: key };
		};

		if (bearer?.startsWith('sk-')) {
			if (!cfg.apiKeys.includes(bearer)) return fault(67200003, 401);
			if (apikey !== null && apikey !== bearer) return fault(67200009);
			return keyCaller(bearer);
		}
		if (bearer) {
			const t = this.tokens.get(bearer);
			if (!t) return fault(67200003, 401);
			ctx.meta.credential = t.clientId;
			if (t.revoked || t.expiresAt <= this.clock.now()) return fault(67200003, cfg.expiredTokenHttpStatus);
			if (apikey === null || apikey === '') return fault(67200008);
			if (apikey !== t.clientId) return fault(67200009);
			return { credential: t.clientId, limitKey: t.clientId };
		}
		if (apikey) {
			if (apikey.startsWith('sk-') && cfg.apiKeys.includes(apikey)) return keyCaller(apikey);
			return fault(67200003, 401);
		}
		return fault(67200008, 401);
	}

	/** Marks every issued token expired (expireTokens fault); they then get 67200003. */
	expireAll(): void {
		for (const t of this.tokens.values()) t.revoked = true;
	}

	clear(): void {
		this.tokens.clear();
	}

	issuedTokens(): string[] {
		return [...this.issued];
	}
}
