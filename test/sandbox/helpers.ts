import { startSandbox, type DeepPartial, type Sandbox, type SandboxConfig } from '../../sandbox';

/** A clock the test moves by hand. Starts at 2026-05-10 12:00 JST. */
export class FakeClock {
	static readonly START = Date.UTC(2026, 4, 10, 3, 0, 0);
	ms = FakeClock.START;
	now = (): number => this.ms;
	rewind(): void {
		this.ms = FakeClock.START;
	}
	advance(ms: number): void {
		this.ms += ms;
	}
}

export async function start(config: DeepPartial<SandboxConfig> = {}): Promise<{ sb: Sandbox; clock: FakeClock }> {
	const clock = new FakeClock();
	const sb = await startSandbox({ port: 0, clock, config });
	return { sb, clock };
}

export async function jpoLogin(sb: Sandbox): Promise<{ access_token: string; refresh_token: string }> {
	const r = await fetch(`${sb.url}/auth/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'password', username: 'sandbox-user', password: 'sandbox-password' }),
	});
	return (await r.json()) as { access_token: string; refresh_token: string };
}

export interface JpoResult {
	statusCode: string;
	errorMessage: string;
	remainAccessCount: string;
	data?: Record<string, unknown>;
}

export async function jpoGet(sb: Sandbox, token: string, path: string): Promise<{ status: number; result: JpoResult }> {
	const r = await fetch(`${sb.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
	const body = (await r.json()) as { result: JpoResult };
	return { status: r.status, result: body.result };
}

export async function patsnapToken(sb: Sandbox): Promise<string> {
	const r = await fetch(`${sb.url}/oauth/token`, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
		},
		body: 'grant_type=client_credentials',
	});
	const j = (await r.json()) as { token?: string; data?: { token: string } };
	return j.token ?? j.data!.token;
}

export interface PatsnapEnvelope {
	data: unknown;
	status: boolean;
	error_code: number;
	error_msg: string;
}

export async function psGet(sb: Sandbox, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: PatsnapEnvelope }> {
	const r = await fetch(`${sb.url}${path}`, { headers });
	return { status: r.status, body: (await r.json()) as PatsnapEnvelope };
}

export async function psPost(sb: Sandbox, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: PatsnapEnvelope }> {
	const r = await fetch(`${sb.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
	return { status: r.status, body: (await r.json()) as PatsnapEnvelope };
}

export const API_KEY = 'sk-sandbox-demo-key-0000000000000000000000000000';
export const keyAuth = { Authorization: `Bearer ${API_KEY}` };
