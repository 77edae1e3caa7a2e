import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { JpoConfig } from '../core/config';
import { json, parseForm, type RequestContext, type SandboxResponse } from '../core/http';

interface Grant {
	username: string;
	expiresAt: number;
}

/**
 * Keycloak-like token endpoint (NOTES §1.1): password and refresh_token grants, opaque random
 * tokens, refresh rotation. Several live tokens per user are fine, as JPO's FAQ says.
 */
export class JpoAuth {
	private access = new Map<string, Grant>();
	private refresh = new Map<string, Grant>();
	/** Every access and refresh token ever handed out, for secret scans; clear() keeps it. */
	private readonly issued: string[] = [];

	constructor(
		private readonly clock: Clock,
		private readonly config: () => JpoConfig,
	) {}

	handleToken(ctx: RequestContext): SandboxResponse {
		ctx.meta.kind = 'token';
		ctx.meta.endpoint = 'token';
		const form = parseForm(ctx.body);
		const grant = form.get('grant_type');
		if (grant === 'password') {
			const username = form.get('username') ?? '';
			const password = form.get('password') ?? '';
			ctx.meta.credential = username || null;
			const user = this.config().users.find((u) => u.username === username && u.password === password);
			if (!user) return oauthError(401, 'invalid_grant', 'Invalid user credentials', ctx);
			return this.issue(username);
		}
		if (grant === 'refresh_token') {
			const token = form.get('refresh_token') ?? '';
			const found = this.refresh.get(token);
			if (found) ctx.meta.credential = found.username;
			if (!found || found.expiresAt <= this.clock.now()) {
				return oauthError(400, 'invalid_grant', 'Token is not active', ctx);
			}
			// Rotation: the presented refresh token is spent.
			this.refresh.delete(token);
			return this.issue(found.username);
		}
		return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type', ctx);
	}

	/** Username behind a live access token, or null. */
	verify(token: string | null): string | null {
		if (!token) return null;
		const g = this.access.get(token);
		return g && g.expiresAt > this.clock.now() ? g.username : null;
	}

	/** Invalidates every issued access token (expireTokens fault); refresh tokens survive. */
	expireAll(): void {
		this.access.clear();
	}

	clear(): void {
		this.access.clear();
		this.refresh.clear();
	}

	issuedTokens(): string[] {
		return [...this.issued];
	}

	private issue(username: string): SandboxResponse {
		const cfg = this.config();
		const now = this.clock.now();
		const accessToken = `jpo-at-${randomBytes(24).toString('base64url')}`;
		const refreshToken = `jpo-rt-${randomBytes(24).toString('base64url')}`;
		this.access.set(accessToken, { username, expiresAt: now + cfg.accessTokenTtlSeconds * 1000 });
		this.refresh.set(refreshToken, { username, expiresAt: now + cfg.refreshTokenTtlSeconds * 1000 });
		this.issued.push(accessToken, refreshToken);
		return json(
			200,
			{
				access_token: accessToken,
				expires_in: cfg.accessTokenTtlSeconds,
				refresh_expires_in: cfg.refreshTokenTtlSeconds,
				refresh_token: refreshToken,
				token_type: 'Bearer',
				'not-before-policy': 0,
				session_state: randomBytes(16).toString('hex'),
				scope: 'openid profile',
			},
			{ 'Cache-Control': 'no-store' },
		);
	}
}

function oauthError(status: number, error: string, description: string, ctx: RequestContext): SandboxResponse {
	ctx.meta.resultCode = error;
	return json(status, { error, error_description: description }, { 'Cache-Control': 'no-store' });
}
