// `npm start`: a local n8n (2.41.1 on Node 24; N8N_LINE=1 for 1.123.81) with this package installed, the sandbox behind it,
// credentials pointing at the sandbox and the example workflows loaded, plus a local mail catcher
// (SMTP) and a Slack stand-in (webhook receiver) that print what the examples send. Nothing but
// the npm registry is needed; no account anywhere.
//
//   npm start                       build, install, start the sandbox and n8n
//   node scripts/start.mjs --no-build   skip `npm run build` (dist/ must be current)
//
// Settings (environment): N8N_PORT (editor, default 5678), N8N_RUNNERS_BROKER_PORT (n8n's task
// broker, default 5679), SANDBOX_PORT (default 8765). State (database, owner account, your own
// workflows) persists in .n8n-start/ at the repository root; delete that folder to start over.
// Our package is reinstalled and the sandbox credentials and example workflows are re-imported on
// every start, so they always match the current code (edits to the examples themselves are
// overwritten: save a copy under another name to keep them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { N8N_VERSION, ensureN8n, n8nDir, repoRoot } from './lib/runtime.mjs';
import {
	CREDENTIALS,
	SLACK_WEBHOOK_PLACEHOLDER,
	SMTP_CREDENTIAL,
	importCredentials,
	importWorkflows,
	missingPackageFiles,
	n8nEnv,
	packPackage,
	portInUse,
	prepareUserFolder,
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
		await importCredentials([...sandboxCredentials(sandbox.url), smtpCredential(mail.port)], env);
		const examples = readdirSync(examplesDir)
			.filter((file) => file.endsWith('.json'))
			.sort()
			.map((file) => path.join(examplesDir, file));
		const imported =
			examples.length > 0
				? (await importWorkflows(examples, env, { replacements: { [SLACK_WEBHOOK_PLACEHOLDER]: `${slack.url}/slack` } })).workflows
				: [];

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
