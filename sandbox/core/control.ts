import { jstDate } from './clock';
import type { DeepPartial, SandboxConfig } from './config';
import type { FaultRule } from './faults';
import { json, parseJsonBody, type SandboxResponse } from './http';
import type { ApiName } from './recorder';
import type { SandboxServer } from './server';
import type { JpoLaw } from '../jpo/endpoints';

/**
 * `/__sandbox/*`: the same powers as the in-process API, for tests that drive a real n8n
 * process. Never recorded and never subject to faults.
 */
export async function handleControl(s: SandboxServer, method: string, url: URL, body: Buffer): Promise<SandboxResponse> {
	const path = url.pathname.replace(/\/+$/, '');
	const parts = path.split('/').slice(2);
	const input = parseJsonBody(body);
	if (input === null) return json(400, { error: 'Body must be a JSON object' });
	const route = `${method} ${parts[0] ?? ''}`;

	try {
		switch (route) {
			case 'GET requests': {
				const api = url.searchParams.get('api');
				return json(200, s.recorder.list(api === 'jpo' || api === 'patsnap' ? { api: api as ApiName } : {}));
			}
			case 'DELETE requests':
				s.recorder.clear();
				return json(200, { ok: true });
			case 'POST reset':
				s.reset();
				return json(200, { ok: true });
			case 'GET config':
				return json(200, withoutSecrets(s.config));
			case 'POST config':
				return json(200, withoutSecrets(s.configure(input as DeepPartial<SandboxConfig>)));
			case 'GET faults':
				return json(200, s.faults.list());
			case 'POST faults':
				return json(200, { id: s.faults.add(input as unknown as FaultRule) });
			case 'DELETE faults':
				if (parts[1]) return json(200, { ok: s.faults.remove(parts[1]) });
				s.faults.clear();
				return json(200, { ok: true });
			case 'GET token-fetches':
				return json(200, { jpo: s.tokenFetches('jpo'), patsnap: s.tokenFetches('patsnap') });
			case 'GET issued-tokens':
				// For secret scans of an out-of-process run; the values are sandbox tokens only.
				return json(200, { jpo: s.issuedTokens('jpo'), patsnap: s.issuedTokens('patsnap') });
			case 'GET foreign-host':
				return json(200, { url: s.foreignHost.url, requests: s.foreignHost.requests() });
			case 'DELETE foreign-host':
				s.foreignHost.clear();
				return json(200, { ok: true });
			case 'POST jpo':
				return addJpoDocument(s, parts, input);
			case 'POST patsnap':
				return setLegalStatus(s, parts, input);
			default:
				return json(404, { error: `Unknown control route ${method} ${path}` });
		}
	} catch (err) {
		return json(400, { error: (err as Error).message });
	}
}

/** POST /__sandbox/jpo/applications/:law/:number/documents */
function addJpoDocument(s: SandboxServer, parts: string[], input: Record<string, unknown>): SandboxResponse {
	const [, what, law, number, tail] = parts;
	if (what !== 'applications' || tail !== 'documents' || !['patent', 'design', 'trademark'].includes(law)) {
		return json(404, { error: 'Expected /__sandbox/jpo/applications/{patent|design|trademark}/{number}/documents' });
	}
	if (typeof input.documentCode !== 'string') return json(400, { error: 'documentCode is required, e.g. "A131"' });
	const doc = s.data.jpo.addDocument(law as JpoLaw, number, input as { documentCode: string }, jstDate(s.clock.now()));
	return json(200, doc);
}

/** POST /__sandbox/patsnap/patents/:patentId/legal-status */
function setLegalStatus(s: SandboxServer, parts: string[], input: Record<string, unknown>): SandboxResponse {
	const [, what, id, tail] = parts;
	if (what !== 'patents' || tail !== 'legal-status' || !id) {
		return json(404, { error: 'Expected /__sandbox/patsnap/patents/{patentId or number}/legal-status' });
	}
	const list = (k: string) => (Array.isArray(input[k]) ? (input[k] as unknown[]).map(String) : undefined);
	const p = s.data.patsnap.setLegalStatus(
		decodeURIComponent(id),
		{
			simple_legal_status: list('simple_legal_status'),
			legal_status: list('legal_status'),
			event_status: list('event_status'),
			legal_date: typeof input.legal_date === 'number' ? input.legal_date : undefined,
		},
		s.patsnap.today(),
	);
	return json(200, { pn: p.pn, patent_id: p.patent_id, ...p.legal });
}

/**
 * The control API answers workflows too (an HTTP Request node may change the configuration), and
 * their outputs are scanned for secrets: accounts are shown by name only.
 */
function withoutSecrets(config: SandboxConfig): unknown {
	return {
		...config,
		jpo: { ...config.jpo, users: config.jpo.users.map(({ username }) => ({ username, password: '[redacted]' })) },
		patsnap: {
			...config.patsnap,
			clients: config.patsnap.clients.map(({ clientId }) => ({ clientId, clientSecret: '[redacted]' })),
			apiKeys: config.patsnap.apiKeys.map((key) => `${key.slice(0, 3)}…[redacted]`),
		},
	};
}
