// `npm start`: a local n8n (2.41.1 on Node 24; N8N_LINE=1 for 1.123.81) with this package installed, the sandbox behind it,
// credentials pointing at the sandbox and the example workflows loaded, plus a local mail catcher
// (SMTP) and a Slack stand-in (webhook receiver) that print what the examples send. Nothing but
// the npm registry is needed; no account anywhere.
//
//   npm start                       build, install, start the sandbox and n8n
//   node scripts/start.mjs --no-build   skip `npm run build` (dist/ must be current)
//
// Settings (environment): N8N_PORT (editor, default 5678), N8N_RUNNERS_BROKER_PORT (n8n's task
// broker, default 5679), SANDBOX_PORT (default 8765); for the "Ask about our docket" chat example,
// any OpenAI-compatible chat model: CHAT_MODEL_BASE_URL (default https://api.openai.com/v1),
// CHAT_MODEL_API_KEY (default $OPENAI_API_KEY) and CHAT_MODEL (default gpt-4o-mini). State (database, owner account, your own
// workflows) persists in .n8n-start/ at the repository root; delete that folder to start over.
// Our package is reinstalled and the sandbox credentials and example workflows are re-imported on
// every start, so they always match the current code (edits to the examples themselves are
// overwritten: save a copy under another name to keep them).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { N8N_LINE, N8N_VERSION, ensureN8n, n8nDir, repoRoot } from './lib/runtime.mjs';
import {
	AGENT_CREDENTIALS,
	CREDENTIALS,
	agentCredentials,
	exportCredentialsDecrypted,
	SLACK_WEBHOOK_PLACEHOLDER,
	SMTP_CREDENTIAL,
	importCredentials,
	importWorkflows,
	missingPackageFiles,
	n8nEnv,
	packPackage,
	portInUse,
	prepareUserFolder,
	runN8n,
	sandboxCredentials,
	smtpCredential,
	startSandboxProcess,
} from './lib/n8n.mjs';
import { startN8nServer, startSmtpSink, startWebhookReceiver } from './lib/server.mjs';

const n8nPort = Number(process.env.N8N_PORT ?? 5678);
const brokerPort = Number(process.env.N8N_RUNNERS_BROKER_PORT ?? 5679);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8765);
const userFolder = path.join(repoRoot, '.n8n-start');
const examplesDir = path.join(repoRoot, 'examples');
const skipBuild = process.argv.includes('--no-build');

function say(message) {
	process.stdout.write(`[start] ${message}\n`);
}

/**
 * The chat login and the MCP client token of this local instance: made once, kept in
 * .n8n-start/agent-access.json (readable only by you) so a connected MCP client keeps working
 * across starts. They are never printed.
 */
function agentAccess() {
	const file = path.join(userFolder, 'agent-access.json');
	if (existsSync(file)) return { file, ...JSON.parse(readFileSync(file, 'utf8')) };
	const access = { chatUser: 'docket', chatPassword: randomBytes(12).toString('hex'), mcpToken: randomBytes(24).toString('hex') };
	writeFileSync(file, `${JSON.stringify(access, null, 2)}\n`, { mode: 0o600 });
	return { file, ...access };
}

const AGENT_EXAMPLES = { chat: 'ask-about-our-docket.json', mcp: 'docket-tools-over-mcp.json' };

function die(message) {
	process.stderr.write(`[start] ${message}\n`);
	process.exit(1);
}

async function main() {
	for (const [name, port] of [
		['N8N_PORT', n8nPort],
		['N8N_RUNNERS_BROKER_PORT', brokerPort],
		['SANDBOX_PORT', sandboxPort],
	]) {
		if (!Number.isInteger(port) || port <= 0 || port > 65535) die(`${name}=${port} is not a port number`);
		if (await portInUse(port)) {
			die(`port ${port} (${name}) is already in use: stop what runs there (another npm start?) or set ${name}`);
		}
	}

	if (!skipBuild) {
		say('npm run build');
		const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
		if (build.status !== 0) die('npm run build failed (see above)');
	}
	if (!existsSync(path.join(n8nDir, '.complete'))) {
		say(`installing Node 24 and n8n ${N8N_VERSION} into .cache (first run only: a few minutes)`);
	}
	ensureN8n();
	// A fixed folder: the user folder's nodes/package.json keeps pointing at this tarball.
	const { tarball } = await packPackage({ name: 'start' });
	const folder = await prepareUserFolder({ userFolder, tarball, fresh: false });
	const missing = missingPackageFiles(folder.packageDir);
	if (missing.length > 0) say(`warning: the package lacks ${missing.join(', ')}; n8n will not show those nodes`);
	say(`installed ${path.basename(tarball)} into ${path.relative(repoRoot, folder.nodesDir)}`);

	const sandbox = await startSandboxProcess({ port: sandboxPort, onLine: (line) => process.stdout.write(`[sandbox] ${line}\n`) });
	const mailbox = path.join(userFolder, 'mailbox');
	mkdirSync(mailbox, { recursive: true });
	const mail = await startSmtpSink({
		onMessage: (message) => {
			const file = path.join(mailbox, `${new Date(message.at).toISOString().replace(/[:.]/g, '-')}.eml`);
			writeFileSync(file, message.raw);
			const subject = /^Subject: (.*)$/im.exec(message.raw)?.[1] ?? '(no subject)';
			say(`mail to ${message.to.join(', ')}: "${subject}" saved as ${path.relative(repoRoot, file)}`);
		},
	});
	const slack = await startWebhookReceiver({
		onRequest: (request) => say(`Slack message: ${typeof request.body === 'object' ? request.body.text : request.body}`),
	});
	const env = n8nEnv({ userFolder, brokerPort, port: n8nPort, extra: { N8N_SECURE_COOKIE: 'false' } });
	let n8n;
	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n and the sandbox');
		await n8n?.stop();
		await sandbox.stop();
		await mail.close();
		await slack.close();
		say('stopped');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		const access = agentAccess();
		const model = {
			modelUrl: process.env.CHAT_MODEL_BASE_URL || 'https://api.openai.com/v1',
			modelKey: process.env.CHAT_MODEL_API_KEY || process.env.OPENAI_API_KEY || '',
		};
		// A model key typed into the editor survives restarts: the model credential is written only when
		// the environment names a key, or when it does not exist yet.
		// A fresh folder has no credentials, and n8n's export then fails: nothing exists yet.
		const existing = new Set(
			(await exportCredentialsDecrypted(env).catch(() => ({ credentials: [] }))).credentials.map((credential) => credential.id),
		);
		const agents = agentCredentials({ ...model, modelKey: model.modelKey || 'set-your-chat-model-key', ...access }).filter(
			(credential) => credential.id !== AGENT_CREDENTIALS.chatModel.id || model.modelKey || !existing.has(credential.id),
		);
		await importCredentials([...sandboxCredentials(sandbox.url), smtpCredential(mail.port), ...agents], env);
		const examples = readdirSync(examplesDir)
			.filter((file) => file.endsWith('.json'))
			.sort()
			.map((file) => path.join(examplesDir, file));
		const imported =
			examples.length > 0
				? (
						await importWorkflows(examples, env, {
							replacements: { [SLACK_WEBHOOK_PLACEHOLDER]: `${slack.url}/slack`, ...(process.env.CHAT_MODEL ? { 'gpt-4o-mini': process.env.CHAT_MODEL } : {}) },
						})
					).workflows
				: [];
		// The MCP server needs no model (the client brings its own), so it is published at once; the
		// chat is published when a model is configured, and otherwise runs from the editor's chat
		// panel once the model credential is filled in. 1.x's AI nodes are older than these examples.
		const published = [];
		if (N8N_LINE !== '1') {
			for (const { id, file } of imported.map((w) => ({ id: w.id, file: path.basename(w.file ?? '') }))) {
				if (file === AGENT_EXAMPLES.mcp || (file === AGENT_EXAMPLES.chat && model.modelKey)) {
					const res = await runN8n(['publish:workflow', `--id=${id}`], env);
					if (res.exitCode === 0) published.push(file);
					else say(`could not publish ${file}: ${`${res.stdout}\n${res.stderr}`.trim().split('\n').slice(-3).join(' ')}`);
				}
			}
		}

		say(`starting n8n on http://localhost:${n8nPort}`);
		// n8n runs in its own process group: Ctrl-C reaches this script, which stops n8n and its task runner.
		n8n = await startN8nServer(env, { timeoutMs: 180_000, onLine: (line) => process.stdout.write(`[n8n] ${line}\n`) });
		void n8n.exited.then(({ code, signal }) => {
			if (!stopping) {
				say(`n8n exited (${code ?? signal})`);
				void stop(code ?? 1);
			}
		});
		const editorUrl = `http://localhost:${n8nPort}`;

		const lines = [
			'',
			'='.repeat(78),
			` n8n is running:     ${editorUrl}`,
			` Sandbox (JPO + PatSnap APIs, fake data): ${sandbox.url}`,
			'',
			' First open: n8n asks you to set up an owner account. It is local to this',
			' machine (stored in .n8n-start/); any email and password will do. Later starts',
			' keep it: sign in with it (forgotten? stop, delete .n8n-start/, start again).',
			'',
			' Credentials (pointing at the sandbox, demo accounts from docs/CONTRACTS.md):',
			`   - "${CREDENTIALS.jpo.name}" (JPO API, id ${CREDENTIALS.jpo.id})`,
			`   - "${CREDENTIALS.patSnap.name}" (PatSnap API, id ${CREDENTIALS.patSnap.id})`,
			`   - "${CREDENTIALS.patSnapKey.name}" (PatSnap API with an sk- key, id ${CREDENTIALS.patSnapKey.id})`,
			`   - "${SMTP_CREDENTIAL.name}" (SMTP, id ${SMTP_CREDENTIAL.id}): mails are printed here and`,
			`     saved in ${path.relative(repoRoot, mailbox)}/; Slack messages of the examples are printed here too`,
			' Example workflows (Overview > Workflows; see examples/README.md):',
			...imported.map((w) => `   - "${w.name}"  ${editorUrl}/workflow/${w.id}`),
			'',
			' Agents (see README "Agents: the nodes as tools"):',
			published.includes(AGENT_EXAMPLES.mcp)
				? `   - MCP server: ${editorUrl}/mcp/jpo-patsnap-docket (Streamable HTTP), header "Authorization: Bearer <mcpToken>"`
				: '   - MCP server: not published (n8n 1.x: import the example into an n8n 2.x)',
			published.includes(AGENT_EXAMPLES.chat)
				? `   - Docket chat: ${editorUrl}/webhook/3f0c9a52-7d1e-4b8a-9c55-d0c6e7a1b201/chat (login chatUser / chatPassword)`
				: `   - Docket chat: set CHAT_MODEL_API_KEY (and CHAT_MODEL_BASE_URL, CHAT_MODEL) and start again, or fill in "${AGENT_CREDENTIALS.chatModel.name}"`,
			`     mcpToken, chatUser and chatPassword are in ${path.relative(repoRoot, access.file)}`,
			'',
			' Open a workflow and press "Execute workflow".',
			' Stop with Ctrl-C (stops n8n and the sandbox).',
			'='.repeat(78),
			'',
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} catch (error) {
		process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
		await stop(1);
	}
}

main().catch((error) => die(error instanceof Error ? error.stack : String(error)));
