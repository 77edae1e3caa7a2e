// The steps a user takes in n8n's editor (2.41.1), as Chrome DevTools Protocol calls through
// scripts/lib/chromium.mjs, and what they read back from the page. Selectors are the data-test-id
// attributes n8n's own end-to-end tests use (packages/testing/playwright in n8n's repository);
// checked against the editor bundle 2.41.1 ships. Canvas subtitles have only a CSS-module class
// (`_subtitle_<hash>`), so that one is matched by prefix.
// The functions handed to page.evaluate() run in the browser, where these globals exist.
/* global document, location */

// The owner of a throwaway instance that lives for one run; not a secret.
const OWNER = { email: 'owner@editor-test.local', firstName: 'Editor', lastName: 'Test', password: 'Editor-test-1' };

/**
 * Creates the instance owner through n8n's REST API and returns the session cookie it sets.
 * /healthz answers before the REST controllers are mounted (404) and the database is ready (503),
 * so those two are retried for a while.
 */
export async function setupOwner(baseUrl, { timeoutMs = 60_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let response;
	let text;
	for (;;) {
		response = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		text = await response.text();
		if (![404, 503].includes(response.status) || Date.now() > deadline) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	if (!response.ok) throw new Error(`POST /rest/owner/setup: HTTP ${response.status} ${text.slice(0, 300)}`);
	const cookie = response.headers.getSetCookie().find((line) => line.startsWith('n8n-auth='));
	if (!cookie) throw new Error('POST /rest/owner/setup set no n8n-auth cookie');
	return { name: 'n8n-auth', value: cookie.slice('n8n-auth='.length).split(';')[0] };
}

export const canvasNode = (name) => `[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`;

/**
 * Shows a workflow's canvas and waits until every named node is on it. When the editor already
 * shows that workflow, an open panel is closed instead of loading the editor again (seconds each).
 */
export async function openWorkflow(page, baseUrl, workflowId, nodeNames) {
	const pathname = `/workflow/${workflowId}`;
	// An open node panel adds the node's id to the path: /workflow/<id>/<node id>.
	const here = await page.evaluate(() => location.pathname);
	if (here !== pathname && !here.startsWith(`${pathname}/`)) await page.goto(`${baseUrl}${pathname}`);
	else await closeOverlays(page);
	for (const name of nodeNames) await page.waitForSelector(canvasNode(name), { timeoutMs: 60_000 });
	// Vue Flow fits the view once the nodes have their size; wait until no node moves any more.
	await waitUntilStill(page, canvasNode(nodeNames[0]));
}

async function waitUntilStill(page, selector) {
	let previous = '';
	await page.waitForFunction(
		(sel) => JSON.stringify(document.querySelector(sel)?.getBoundingClientRect()),
		[selector],
		{ what: `${selector} to be placed` },
	);
	for (let round = 0; round < 40; round++) {
		const now = await page.evaluate((sel) => JSON.stringify(document.querySelector(sel)?.getBoundingClientRect()), selector);
		if (now === previous) return;
		previous = now;
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
}

/** The title and subtitle a canvas node shows. */
export function readCanvasNode(page, name) {
	return page.evaluate((sel) => {
		const node = document.querySelector(sel);
		const text = (element) => element?.textContent.trim() ?? null;
		return {
			label: text(node?.querySelector('[class*="_description_"] > [class*="_label_"]')),
			subtitle: text(node?.querySelector('[class*="_description_"] > [class*="_subtitle_"]')),
		};
	}, canvasNode(name));
}

/** Opens a node's panel (NDV) by double-clicking it on the canvas. */
export async function openNode(page, name) {
	const panel = '[data-test-id="ndv"] [data-test-id="node-parameters"]';
	let lastError;
	// After a run the canvas re-renders and may still move; a double click that lands beside the
	// node zooms the canvas instead. So: wait until it is still, check that the node is what is
	// under the pointer, and try again if no panel opened.
	for (let attempt = 1; attempt <= 3; attempt++) {
		await waitUntilStill(page, canvasNode(name));
		const hit = await page.evaluate((sel) => {
			const node = document.querySelector(sel);
			const box = node.getBoundingClientRect();
			return node.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
		}, canvasNode(name));
		if (hit) {
			await page.click(canvasNode(name), { clickCount: 2 });
			try {
				await page.waitForSelector(panel, { timeoutMs: 10_000 });
				return;
			} catch (error) {
				lastError = error;
			}
		} else {
			lastError = new Error(`something covers the ${name} node on the canvas`);
			await closeOverlays(page);
		}
	}
	throw lastError;
}

/**
 * What a parameter shows: its label, the text of its input (or the selected option), the
 * placeholder and the hint under it. `null` for what is not there.
 */
export async function readParameter(page, name) {
	const selector = `[data-test-id="node-parameters"] [data-test-id="parameter-input-${name}"]`;
	await page.waitForSelector(selector);
	return await page.evaluate((sel) => {
		const input = document.querySelector(sel);
		const item = input.closest('[data-test-id="parameter-item"]') ?? input.parentElement;
		const field = input.querySelector('input, textarea');
		const hint = item.querySelector('[data-test-id="parameter-input-hint"]');
		const label = item.querySelector('[data-test-id="input-label"] label [class*="_title_"]');
		return {
			label: label ? label.textContent.replace(/\s*\*\s*$/, '').trim() : null,
			value: field ? field.value : input.textContent.trim(),
			placeholder: field?.getAttribute('placeholder') || null,
			hint: hint ? hint.textContent.trim() : null,
		};
	}, selector);
}

/** The labels of every parameter the open panel shows, in order. */
export function readParameterLabels(page) {
	return page.evaluate(() =>
		[...document.querySelectorAll('[data-test-id="node-parameters"] [data-test-id="input-label"] label [class*="_title_"]')].map((label) =>
			label.textContent.replace(/\s*\*\s*$/, '').trim(),
		),
	);
}

/**
 * Shows a parameter's description the way a user finds it: hovering the label reveals an info
 * icon, hovering that opens the tooltip. Returns the tooltip's text.
 */
export async function showParameterDescription(page, name) {
	const label = `[data-test-id="node-parameters"] [data-test-id="parameter-item"]:has([data-test-id="parameter-input-${name}"]) label`;
	await page.hover(label);
	await page.hover(`${label} [class*="_infoIcon_"] [data-state]`);
	return await page.waitForFunction(
		() => {
			const tooltip = [...document.querySelectorAll('[role="tooltip"], [data-reka-popper-content-wrapper]')].find(
				(element) => element.getBoundingClientRect().width > 0 && element.textContent.trim() !== '',
			);
			return tooltip?.textContent.trim();
		},
		[],
		{ timeoutMs: 10_000, what: `the description tooltip of ${name}` },
	);
}

/** Opens the dialog of the credential the open node panel uses (its pencil button) and waits for its fields. */
export async function openNodeCredential(page) {
	await page.click('[data-test-id="ndv"] [data-test-id="credential-edit-button"]');
	await page.waitForSelector('[data-test-id="credential-edit-dialog"] [data-test-id="credential-connection-parameter"]');
}

const OVERLAYS = () => {
	const open = (selector) => [...document.querySelectorAll(selector)].some((element) => element.getBoundingClientRect().width > 0);
	return JSON.stringify({
		dialog: open('[data-test-id="credential-edit-dialog"]'),
		panel: open('[data-test-id="ndv"] [data-test-id="node-parameters"]'),
		tooltip: open('[role="tooltip"]'),
	});
};

/** Closes tooltips, dialogs and node panels with Escape, one layer per key press, as a user would. */
async function closeOverlays(page) {
	for (let press = 0; press < 5; press++) {
		const before = await page.evaluate(OVERLAYS);
		if (!Object.values(JSON.parse(before)).some(Boolean)) return;
		await pressEscape(page);
		// Each layer closes with an animation; wait for this one before the next key press.
		const deadline = Date.now() + 5000;
		while (Date.now() < deadline && (await page.evaluate(OVERLAYS)) === before) await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`Escape did not close ${await page.evaluate(OVERLAYS)}`);
}

/** The labels, placeholders and hints of the credential dialog's fields, in order. */
export function readCredentialFields(page) {
	return page.evaluate(() =>
		[...document.querySelectorAll('[data-test-id="credential-edit-dialog"] [data-test-id="credential-connection-parameter"]')]
			.map((form) => {
				const label = form.querySelector('label [class*="_title_"]');
				const field = form.querySelector('input, textarea');
				const hint = form.querySelector('[data-test-id="parameter-input-hint"]');
				return {
					label: label ? label.textContent.replace(/\s*\*\s*$/, '').trim() : null,
					placeholder: field?.getAttribute('placeholder') || null,
					hint: hint ? hint.textContent.trim() : null,
				};
			})
			.filter((field) => field.label !== null),
	);
}

/**
 * Runs the workflow with the editor's "Execute workflow" button and waits until every named node
 * shows success (or one shows an error, which fails at once with what n8n says).
 */
export async function executeWorkflow(page, nodeNames, { timeoutMs = 90_000 } = {}) {
	await page.click('[data-test-id="execute-workflow-button"]');
	const state = await page.waitForFunction(
		(selectors) => {
			const states = selectors.map((sel) => {
				const node = document.querySelector(sel);
				if (node?.querySelector('[data-test-id="canvas-node-status-success"]')) return 'success';
				if (node?.querySelector('[data-test-id="node-issues"], [data-test-id="canvas-node-status-error"]')) return 'error';
				return 'waiting';
			});
			if (states.includes('error')) return { error: states };
			return states.every((s) => s === 'success') ? { ok: true } : false;
		},
		[nodeNames.map(canvasNode)],
		{ timeoutMs, what: `every node (${nodeNames.join(', ')}) to show success after Execute workflow` },
	);
	if (state.error) throw new Error(`a node failed when the workflow ran: ${JSON.stringify(Object.fromEntries(nodeNames.map((n, i) => [n, state.error[i]])))}`);
}

/** Waits until the open panel's output shows data (the table has rendered) and returns its text. */
export function readOutput(page) {
	return page.waitForFunction(
		() => {
			const panel = document.querySelector('[data-test-id="output-panel"]');
			const data = panel?.querySelector('[data-test-id="ndv-data-container"]');
			return data && data.innerText.trim() !== '' ? panel.innerText : false;
		},
		[],
		{ what: 'the output panel to show data' },
	);
}

/** Closes n8n's toasts (Element Plus notifications) with their close buttons, so they cover nothing. */
export async function dismissToasts(page) {
	const visible = '.el-notification:not([style*="display: none"]) .el-notification__closeBtn';
	for (let round = 0; round < 5; round++) {
		const count = await page.evaluate((sel) => document.querySelectorAll(sel).length, visible);
		if (count === 0) return;
		await page.click(visible).catch(() => {});
		await page.waitForFunction((sel, before) => document.querySelectorAll(sel).length < before, [visible, count], {
			timeoutMs: 5000,
			what: 'a toast to close',
		});
	}
}

/** Closes the panel or dialog in front (Escape, as a user would). */
export async function pressEscape(page) {
	await page.pressKey('Escape', 'Escape', 27);
}
