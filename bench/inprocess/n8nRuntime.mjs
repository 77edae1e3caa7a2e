// n8n 2.41's own request and binary-data helpers, loaded in-process from the pinned n8n install,
// so the in-process scenarios measure the HTTP client (axios behind @n8n/backend-network), the
// credential wrapper (n8n-core's httpRequestWithAuthentication) and the binary-data store that
// real n8n uses, not the fetch-based stand-ins of the unit tests. Only the credentials helper
// (pre-authentication, authenticate, persisting the token) is emulated, following n8n's
// CredentialsHelper step by step, as test/helpers/n8nContext.ts does.
//
// Needs N8N_USER_FOLDER (binary data and n8n's instance settings go there) and, for the binary
// mode, N8N_DEFAULT_BINARY_DATA_MODE; the parent sets both.
import { createRequire } from 'node:module';
import path from 'node:path';
import { n8nDir } from '../../scripts/lib/runtime.mjs';

const modules = path.join(n8nDir, 'node_modules');
const requireFromN8n = createRequire(path.join(modules, 'n8n', 'package.json'));
requireFromN8n('reflect-metadata');
const { Container } = requireFromN8n('@n8n/di');
const { OutboundHttp } = requireFromN8n('@n8n/backend-network');
const { BinaryDataService } = requireFromN8n('n8n-core');
const helpersDir = path.join(modules, 'n8n-core', 'dist', 'execution-engine', 'node-execution-context', 'utils');
const { httpRequestWithAuthentication } = requireFromN8n(path.join(helpersDir, 'request-helpers', 'authentication.js'));
const { prepareBinaryData } = requireFromN8n(path.join(helpersDir, 'binary-helper-functions.js'));

const requireHere = createRequire(import.meta.url);
const { JpoApi } = requireHere('../../dist/credentials/JpoApi.credentials.js');
const { PatSnapApi } = requireHere('../../dist/credentials/PatSnapApi.credentials.js');
const credentialTypes = { jpoApi: new JpoApi(), patSnapApi: new PatSnapApi() };

let binaryDataReady;

/** Starts n8n's binary-data service in the configured mode (filesystem by default in 2.41). */
export async function initBinaryData() {
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
	return Container.get(BinaryDataService).mode;
}

export function n8nHttpRequest(options) {
	return Container.get(OutboundHttp).requests().request(options);
}

function resolveCredentialExpression(template, credentials) {
	const text = template.startsWith('=') ? template.slice(1) : template;
	return text.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, name) => String(credentials[name] ?? ''));
}

function credentialsHelper(store) {
	return {
		getParentTypes: () => [],
		async preAuthentication(helpers, credentials, typeName, _node, expired) {
			const type = credentialTypes[typeName];
			const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
			if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
			if (credentials[expirable.name] !== '' && !expired) return undefined;
			store.preAuthenticationCalls[typeName] = (store.preAuthenticationCalls[typeName] ?? 0) + 1;
			const output = await type.preAuthentication.call(helpers, credentials);
			if (!output || output[expirable.name] === undefined) return undefined;
			// n8n writes the new token to the database; the store plays that part.
			store.records[typeName] = { ...store.records[typeName], ...output };
			return Object.assign(credentials, output);
		},
		async authenticate(credentials, typeName, requestOptions) {
			const auth = credentialTypes[typeName].authenticate;
			if (typeof auth === 'function') return await auth(credentials, requestOptions);
			if (!auth) return requestOptions;
			const headers = { ...requestOptions.headers };
			for (const [key, value] of Object.entries(auth.properties.headers ?? {})) headers[key] = resolveCredentialExpression(String(value), credentials);
			return { ...requestOptions, headers };
		},
	};
}

/**
 * Replaces the request and binary helpers of a test execution context with n8n's own. `onBinary`
 * is told about every binary handed over (for memory checkpoints).
 */
export function useN8nHelpers(context, store, { onBinary, onDownload } = {}) {
	const additionalData = { credentialsHelper: credentialsHelper(store) };
	const workflow = { id: 'bench-workflow' };
	context.logger = { warn() {}, debug() {}, info() {}, error() {} };
	context.helpers.httpRequest = async (options) => {
		const response = await n8nHttpRequest(options);
		onDownload?.(options);
		return response;
	};
	context.helpers.httpRequestWithAuthentication = function (type, options, additional) {
		return httpRequestWithAuthentication.call(context, type, options, workflow, context.getNode(), additionalData, additional);
	};
	context.helpers.prepareBinaryData = async (buffer, filePath, mimeType) => {
		onBinary?.(buffer, filePath);
		return await prepareBinaryData(buffer, 'bench-execution', workflow.id, filePath, mimeType);
	};
	return context;
}
