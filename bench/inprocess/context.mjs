// What the in-process children share: the compiled nodes from dist/ (what the package ships), the
// execution context of the tests (test/helpers/n8nContext.ts: items, parameters, credentials)
// with its request and binary helpers swapped for n8n 2.41's own (n8nRuntime.mjs), and the
// sandbox credentials. Loaded with `node --import tsx`, since the context helper is TypeScript.
import { createRequire } from 'node:module';
import { createExecuteContext, newCredentialStore } from '../../test/helpers/n8nContext.ts';
import { SANDBOX_ACCOUNTS } from '../../scripts/lib/n8n.mjs';
import { useN8nHelpers } from './n8nRuntime.mjs';

const require = createRequire(import.meta.url);
export const { PatSnap } = require('../../dist/nodes/PatSnap/PatSnap.node.js');
export const { Jpo } = require('../../dist/nodes/Jpo/Jpo.node.js');
export const { forgetSharedLimiters } = require('../../dist/nodes/shared/rateLimiter.js');
export { newCredentialStore };

/** An execution context for one node run, with n8n's own HTTP client and binary-data store. */
export function n8nExecuteContext({ node, items, parameters, store, onBinary, onDownload }) {
	const context = createExecuteContext({ node, items, parameters, credentials: store.records, store });
	return useN8nHelpers(context, store, { onBinary, onDownload });
}

export function sandboxCredentialRecords(sandboxUrl) {
	return {
		patSnapApi: {
			authMode: 'clientCredentials',
			clientId: SANDBOX_ACCOUNTS.patSnap.clientId,
			clientSecret: SANDBOX_ACCOUNTS.patSnap.clientSecret,
			environment: 'custom',
			baseUrl: sandboxUrl,
			accessToken: '',
		},
		jpoApi: {
			username: SANDBOX_ACCOUNTS.jpo.username,
			password: SANDBOX_ACCOUNTS.jpo.password,
			tokenUrl: `${sandboxUrl}/auth/token`,
			baseUrl: sandboxUrl,
			accessToken: '',
		},
	};
}

/** Progress goes to stderr (the parent prints it); the result is the last stdout line. */
export function progress(line) {
	process.stderr.write(`${line}\n`);
}

export function finish(result) {
	process.stdout.write(`${JSON.stringify(result)}\n`);
}
