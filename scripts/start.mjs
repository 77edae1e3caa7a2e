// `npm start`: a local n8n (2.41.1 on Node 24) with this package installed, the sandbox behind it,
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
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { N8N_VERSION, ensureN8n, n8nBin, n8nDir, node24Bin, repoRoot } from './lib/runtime.mjs';
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
import { startSmtpSink, startWebhookReceiver } from './lib/server.mjs';

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

/** Prints a child's output line by line with a prefix. */
function pipeLines(stream, prefix) {
	let rest = '';
	stream.on('data', (chunk) => {
		const lines = (rest + chunk.toString('utf8')).split('\n');
		rest = lines.pop();
		for (const line of lines) process.stdout.write(`${prefix} ${line}\n`);
	});
	stream.on('end', () => {
		if (rest) process.stdout.write(`${prefix} ${rest}\n`);
	});
}

async function waitForHttp(url, { timeoutMs, isAlive }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isAlive()) return false;
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			if (res.status === 200) return true;
		} catch {
			// not up yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return false;
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
		if (n8n && n8n.exitCode === null && n8n.signalCode === null) {
			const exited = new Promise((resolve) => n8n.once('exit', resolve));
			try {
				process.kill(-n8n.pid, 'SIGTERM');
			} catch {
				// already gone
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-n8n.pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}, 20_000);
			await exited;
			clearTimeout(timer);
		}
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
		n8n = spawn(node24Bin, [n8nBin, 'start'], {
			cwd: userFolder,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: Ctrl-C reaches this script, which stops n8n and its task runner
		});
		pipeLines(n8n.stdout, '[n8n]');
		pipeLines(n8n.stderr, '[n8n]');
		n8n.once('exit', (code, signal) => {
			if (!stopping) {
				say(`n8n exited (${code ?? signal})`);
				void stop(code ?? 1);
			}
		});

		const editorUrl = `http://localhost:${n8nPort}`;
		const up = await waitForHttp(`${editorUrl}/`, {
			timeoutMs: 180_000,
			isAlive: () => n8n.exitCode === null && n8n.signalCode === null,
		});
		if (!up) throw new Error(`n8n did not answer on ${editorUrl} within 3 minutes`);

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
