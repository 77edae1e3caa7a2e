// Screenshots of n8n's editor with this package installed, taken in headless Chromium, plus checks
// read from the page (never from pixels) that the editor explains our nodes (issue 13): canvas
// subtitles with the operation's display name, a JPO credential whose first field says which ID,
// number fields whose placeholder or hint shows the forms accepted. Expected texts come from our
// built descriptions (test/editor/expectations.mjs).
//
//   npm run build && node test/editor/screenshots.mjs
//
// Packs and installs the package into a scratch n8n user folder, starts the sandbox and `n8n start`
// (2.41.1 on Node 24), creates the owner over REST, and saves PNGs under docs/screenshots/ even
// when a check fails (EDITOR_SCREENSHOTS_DIR=<folder> saves them elsewhere). Output: `ok - ...` /
// `not ok - ...` lines, `# ...` timings, exit code 1 on any failure. EDITOR_KEEP=1 keeps the user
// folder (.cache/user-folders/editor-<pid>).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import {
	freePort,
	importCredentials,
	importWorkflows,
	n8nEnv,
	packPackage,
	prepareUserFolder,
	sandboxCredentials,
	startSandboxProcess,
} from '../../scripts/lib/n8n.mjs';
import { cacheDir, ensureN8n, repoRoot } from '../../scripts/lib/runtime.mjs';
import { startN8nServer } from '../../scripts/lib/server.mjs';
import * as editor from './editor.mjs';
import * as expected from './expectations.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const workflowFile = path.join(here, 'workflow.json');
const workflow = JSON.parse(readFileSync(workflowFile, 'utf8'));
// The credential dialogs show the sandbox's port, which differs per run, so every run changes the
// PNGs: a run that should leave the work tree clean (npm test) can send them elsewhere.
const shotsDir = path.resolve(repoRoot, process.env.EDITOR_SCREENSHOTS_DIR ?? path.join('docs', 'screenshots'));
const keep = process.env.EDITOR_KEEP === '1';
const started = Date.now();
let passed = 0;
let failed = 0;

const node = (name) => workflow.nodes.find((candidate) => candidate.name === name);
const OUR_NODES = ['JPO', 'PatSnap'];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function report(name, error) {
	if (!error) {
		passed += 1;
		console.log(`ok - ${name}`);
		return;
	}
	failed += 1;
	const [first, ...rest] = (error instanceof Error ? error.message : String(error)).split('\n');
	console.log(`not ok - ${name}: ${first}`);
	for (const line of rest.slice(-20)) console.log(`#   ${line}`);
}

/** One check: `fn` returns nothing on success or throws; it never stops the run. */
async function check(name, fn) {
	try {
		await fn();
		report(name);
	} catch (error) {
		report(name, error);
	}
}

function expect(condition, found, wanted) {
	if (!condition) throw new Error(`found ${JSON.stringify(found)}; expected ${wanted}`);
}

async function shoot(page, file) {
	mkdirSync(shotsDir, { recursive: true });
	writeFileSync(path.join(shotsDir, file), await page.screenshot());
	console.log(`# saved ${path.relative(repoRoot, path.join(shotsDir, file))}`);
}

/**
 * Runs a step that ends in a screenshot; a failed step is reported, what the page showed then is
 * saved under .cache/editor-failures/ (not docs/), and the next step starts afresh.
 */
async function step(page, name, fn) {
	const t0 = Date.now();
	try {
		await fn();
	} catch (error) {
		report(name, error);
		const file = path.join(cacheDir, 'editor-failures', `${name.replace(/\W+/g, '-')}.png`);
		mkdirSync(path.dirname(file), { recursive: true });
		await page
			.screenshot()
			.then((png) => writeFileSync(file, png), () => {})
			.then(() => console.log(`# the page at that moment: ${path.relative(repoRoot, file)}`));
	} finally {
		console.log(`# ${name}: ${seconds(Date.now() - t0)}`);
	}
}

async function canvasStep(page, url) {
	await editor.openWorkflow(page, url, workflow.id, workflow.nodes.map((n) => n.name));
	await shoot(page, '1-canvas.png');
	for (const name of OUR_NODES) {
		const { type, parameters } = node(name);
		const description = expected.nodeDescription(type);
		const shown = await editor.readCanvasNode(page, name);
		await check(`canvas: ${name} node is titled with its name`, () => expect(shown.label === name, shown.label, JSON.stringify(name)));
		const operation = expected.optionDisplayName(description, parameters, 'operation');
		await check(`canvas: ${name} subtitle names the operation "${operation}"`, () =>
			expect(
				shown.subtitle?.includes(operation) && !shown.subtitle.includes(parameters.operation),
				shown.subtitle,
				`a subtitle with the display name "${operation}" and without the code name "${parameters.operation}"`,
			),
		);
	}
}

async function panelStep(page, url, name, { numberField, file }) {
	await editor.openWorkflow(page, url, workflow.id, [name]);
	await editor.openNode(page, name);
	const { type, parameters } = node(name);
	const description = expected.nodeDescription(type);
	const field = await editor.readParameter(page, numberField);
	const property = expected.shownProperty(description, parameters, numberField);
	await shoot(page, `${file}.png`);
	// A second one shows the field's description as a user sees it when hovering (its tooltip
	// covers the Operation field, hence not in the first).
	const tooltip = await editor.showParameterDescription(page, numberField).catch((error) => error);
	await shoot(page, `${file}-number-help.png`);
	await check(`${name} panel: hovering ${property.displayName} shows our description`, () => {
		if (tooltip instanceof Error) throw tooltip;
		expect(expected.plainText(tooltip) === expected.plainText(property.description), tooltip, JSON.stringify(property.description));
	});
	const labels = await editor.readParameterLabels(page);
	const wantedLabels = expected
		.shownProperties(description.properties, parameters)
		.filter((property) => property.type !== 'collection' && property.type !== 'notice')
		.map((property) => property.displayName);
	await check(`${name} panel: shows the parameters of our description`, () =>
		expect(wantedLabels.every((label) => labels.includes(label)), labels, `to include ${JSON.stringify(wantedLabels)}`),
	);
	const operation = await editor.readParameter(page, 'operation');
	const operationName = expected.optionDisplayName(description, parameters, 'operation');
	await check(`${name} panel: Operation shows "${operationName}"`, () => expect(operation.value === operationName, operation.value, JSON.stringify(operationName)));
	await check(`${name} panel: ${property.displayName} shows our placeholder and hint`, () =>
		expect(
			field.label === property.displayName &&
				field.placeholder === (property.placeholder ?? null) &&
				expected.plainText(field.hint) === expected.plainText(property.hint),
			field,
			`label ${JSON.stringify(property.displayName)}, placeholder ${JSON.stringify(property.placeholder ?? null)}, hint ${JSON.stringify(property.hint ?? null)}`,
		),
	);
	return field;
}

async function credentialStep(page, url, { nodeName, type, values, file }) {
	await editor.openWorkflow(page, url, workflow.id, [nodeName]);
	await editor.openNode(page, nodeName);
	await editor.openNodeCredential(page);
	await shoot(page, file);
	const fields = await editor.readCredentialFields(page);
	const credential = expected.credentialType(type);
	const wanted = expected.shownProperties(credential.properties, values).map((property) => property.displayName);
	// n8n adds fields of its own after ours (Allowed HTTP Request Domains).
	const labels = fields.map((field) => field.label);
	await check(`${credential.displayName} dialog: shows the fields of our credential in order`, () =>
		expect(JSON.stringify(labels.slice(0, wanted.length)) === JSON.stringify(wanted), labels, `to begin with ${JSON.stringify(wanted)}`),
	);
	return fields;
}

async function outputStep(page, url) {
	await editor.openWorkflow(page, url, workflow.id, OUR_NODES);
	await editor.executeWorkflow(page, OUR_NODES);
	await check('run: both nodes succeed against the sandbox from the editor', () => {});
	await editor.openNode(page, 'JPO');
	const output = await editor.readOutput(page);
	await editor.dismissToasts(page);
	await shoot(page, '6-jpo-output.png');
	const number = node('JPO').parameters.applicationNumber.replace(/\D/g, '');
	await check('JPO output: shows one item with the application number', () =>
		expect(/\b1 item\b/.test(output) && output.includes(number), output.slice(0, 300), `"1 item" and ${number}`),
	);
}

async function main() {
	ensureN8n();
	let t0 = Date.now();
	const pack = await packPackage({ name: `editor-${process.pid}` });
	const folder = await prepareUserFolder({ name: 'editor', tarball: pack.tarball });
	console.log(`# pack and install: ${seconds(Date.now() - t0)}`);
	const sandbox = await startSandboxProcess();
	const env = n8nEnv({
		userFolder: folder.userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		// The editor is served over plain http on loopback; a Secure cookie would not be sent back.
		extra: { N8N_SECURE_COOKIE: 'false' },
	});
	let server;
	let browser;
	// Ctrl-C or a CI timeout must not leave n8n, the sandbox or Chromium running.
	const cleanUp = async () => {
		await browser?.close();
		await server?.stop();
		await sandbox.stop();
		if (!keep) folder.remove();
		pack.remove();
	};
	onSignal = cleanUp;
	try {
		t0 = Date.now();
		await importCredentials(sandboxCredentials(sandbox.url), env);
		await importWorkflows([workflowFile], env);
		console.log(`# import credentials and workflow: ${seconds(Date.now() - t0)}`);
		t0 = Date.now();
		server = await startN8nServer(env);
		console.log(`# n8n start: ${seconds(Date.now() - t0)}`);
		const cookie = await editor.setupOwner(server.url);
		t0 = Date.now();
		browser = await launchChromium();
		console.log(`# ${browser.version} started: ${seconds(Date.now() - t0)}`);
		const { page } = browser;
		await page.setCookie({ ...cookie, url: server.url, httpOnly: true });
		const url = server.url;

		await step(page, 'canvas', () => canvasStep(page, url));
		let jpoNumber;
		await step(page, 'JPO panel', async () => {
			jpoNumber = await panelStep(page, url, 'JPO', { numberField: 'applicationNumber', file: '2-jpo-node' });
		});
		if (jpoNumber) {
			const visible = [jpoNumber.placeholder, jpoNumber.hint].filter(Boolean).join(' | ');
			for (const { form, test } of expected.APPLICATION_NUMBER_FORMS) {
				await check(`JPO panel: the Application Number placeholder or hint shows ${form}`, () =>
					expect(test(visible), { placeholder: jpoNumber.placeholder, hint: jpoNumber.hint }, form),
				);
			}
		}
		await step(page, 'PatSnap panel', async () => {
			const numbers = await panelStep(page, url, 'PatSnap', { numberField: 'numbers', file: '3-patsnap-node' });
			const visible = [numbers.placeholder, numbers.hint].filter(Boolean).join(' | ');
			await check('PatSnap panel: the numbers placeholder or hint shows that several numbers go in one field', () =>
				expect(expected.showsSeveralNumbers(visible), { placeholder: numbers.placeholder, hint: numbers.hint }, 'two or more numbers, or words saying so'),
			);
		});
		await step(page, 'JPO credential dialog', async () => {
			const fields = await credentialStep(page, url, { nodeName: 'JPO', type: 'jpoApi', values: {}, file: '4-jpo-credential.png' });
			const first = fields[0]?.label ?? null;
			await check('JPO credential dialog: the first field says it is the user ID JPO issued, not just "ID"', () =>
				expect(
					first !== null && first !== 'ID' && /\bID\b/i.test(first) && /user|JPO|issued/i.test(first),
					first,
					'a label naming the user ID JPO issued (e.g. "User ID" or "JPO User ID")',
				),
			);
		});
		await step(page, 'PatSnap credential dialog', () =>
			credentialStep(page, url, {
				nodeName: 'PatSnap',
				type: 'patSnapApi',
				values: { authMode: 'clientCredentials', environment: 'custom' },
				file: '5-patsnap-credential.png',
			}),
		);
		await step(page, 'run and output', () => outputStep(page, url));
		if (page.consoleErrors.length > 0) console.log(`# editor console errors: ${page.consoleErrors.slice(0, 5).join(' | ').slice(0, 600)}`);
	} finally {
		onSignal = undefined;
		await cleanUp();
	}
}

let onSignal;
const stopBySignal = async () => {
	console.log('not ok - interrupted');
	await onSignal?.().catch(() => {});
	process.exit(1);
};
process.once('SIGINT', stopBySignal);
process.once('SIGTERM', stopBySignal);

main()
	.catch((error) => report('editor screenshots could not run', error instanceof Error ? error.stack ?? error.message : error))
	.finally(() => {
		console.log(`# total: ${seconds(Date.now() - started)}`);
		console.log(`${passed} passed, ${failed} failed`);
		process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
	});
