// Headless Chromium (Debian's `chromium` package) driven over the Chrome DevTools Protocol, for
// tests that look at n8n's editor the way a user's browser does. No npm dependency: the protocol
// runs over --remote-debugging-pipe (fd 3 carries our commands, fd 4 Chromium's answers, messages
// end with a NUL byte), so no debugging port is opened at all and the system Node 20 can drive it
// (it has no global WebSocket). Host resolution is limited to loopback, so the page cannot reach
// anything but the n8n under test; a request for anything else fails at once instead of timing out.
// The functions handed to page.evaluate() run in the browser, where these globals exist.
/* global document */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from './services.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const running = new Set();
// Last resort for a script that dies without calling close(): 'exit' allows no waiting, so the
// process group only gets SIGKILL (its profile folder is in the system's temporary folder).
process.once('exit', () => {
	for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/**
 * Installs Debian's chromium if it is missing (apt-get, as for Redis and PostgreSQL), and a
 * Japanese font: JPO answers are Japanese, and without a CJK font Chromium draws them as boxes.
 */
export async function ensureChromium() {
	await ensureDebianPackages(process.env.CHROMIUM_BIN ? ['fonts-ipafont-gothic'] : ['chromium', 'fonts-ipafont-gothic']);
	return CHROMIUM;
}

/**
 * Starts headless Chromium with a throwaway profile and returns a browser handle with one page
 * (`page`, see Page below). `close()` always ends Chromium and removes the profile.
 */
export async function launchChromium({ width = 1440, height = 900, timeoutMs = 30_000 } = {}) {
	const binary = await ensureChromium();
	const profile = mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-chromium-'));
	const args = [
		'--headless=new',
		// Running as root (CI containers) requires it; the page only ever loads our local n8n.
		'--no-sandbox',
		'--disable-gpu',
		'--disable-dev-shm-usage',
		'--no-first-run',
		'--no-default-browser-check',
		'--disable-extensions',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--disable-features=Translate,MediaRouter,OptimizationHints',
		'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
		'--lang=en-US',
		`--window-size=${width},${height}`,
		`--user-data-dir=${profile}`,
		'--remote-debugging-pipe',
		'about:blank',
	];
	const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], detached: true });
	running.add(child);
	const stderr = [];
	child.stderr.on('data', (chunk) => stderr.push(chunk.toString('utf8')));
	child.stdout.resume();
	const exited = new Promise((resolve) => child.once('exit', resolve));
	void exited.then(() => running.delete(child));
	const connection = new Connection(child.stdio[3], child.stdio[4], () => stderr.join('').slice(-2000));
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		if (child.exitCode === null && child.signalCode === null) {
			// Browser.close lets Chromium shut down its own helpers; the group kill catches the rest.
			await Promise.race([connection.send('Browser.close').catch(() => {}), sleep(3000)]);
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
			killGroup(child, 'SIGTERM');
			await exited;
			clearTimeout(timer);
		}
		connection.dispose();
		rmSync(profile, { recursive: true, force: true });
	};
	try {
		const version = await withTimeout(connection.send('Browser.getVersion'), timeoutMs, 'Chromium to answer');
		const { targetInfos } = await connection.send('Target.getTargets');
		const target = targetInfos.find((info) => info.type === 'page');
		if (!target) throw new Error('Chromium opened no page');
		const { sessionId } = await connection.send('Target.attachToTarget', { targetId: target.targetId, flatten: true });
		const page = new Page(connection, sessionId);
		await page.init({ width, height });
		return { page, version: version.product, close, stderr: () => stderr.join('') };
	} catch (error) {
		await close();
		throw error;
	}
}

async function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** NUL-framed JSON messages over Chromium's debugging pipe; answers matched to commands by id. */
class Connection {
	constructor(writable, readable, describeExit) {
		this.writable = writable;
		this.nextId = 1;
		this.pending = new Map();
		this.listeners = new Set();
		let buffered = '';
		readable.on('data', (chunk) => {
			buffered += chunk.toString('utf8');
			let end;
			while ((end = buffered.indexOf('\0')) !== -1) {
				const message = JSON.parse(buffered.slice(0, end));
				buffered = buffered.slice(end + 1);
				this.dispatch(message);
			}
		});
		readable.on('close', () => {
			for (const { reject, method } of this.pending.values()) {
				reject(new Error(`Chromium closed the pipe during ${method}\n${describeExit()}`));
			}
			this.pending.clear();
		});
		// A write after Chromium died must not crash the test with EPIPE; the pending call rejects.
		writable.on('error', () => {});
	}

	dispatch(message) {
		if (message.id !== undefined) {
			const waiter = this.pending.get(message.id);
			if (!waiter) return;
			this.pending.delete(message.id);
			if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
			else waiter.resolve(message.result);
			return;
		}
		for (const listener of this.listeners) listener(message);
	}

	send(method, params = {}, sessionId) {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject, method });
			this.writable.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
		});
	}

	dispose() {
		this.listeners.clear();
	}
}

/** One tab. Selectors are CSS; every wait polls the DOM with a deadline, never a fixed sleep. */
class Page {
	constructor(connection, sessionId) {
		this.connection = connection;
		this.sessionId = sessionId;
		this.consoleErrors = [];
		connection.listeners.add((message) => {
			if (message.sessionId !== sessionId) return;
			if (message.method === 'Runtime.exceptionThrown') {
				this.consoleErrors.push(message.params.exceptionDetails?.exception?.description ?? message.params.exceptionDetails?.text);
			} else if (message.method === 'Runtime.consoleAPICalled' && message.params.type === 'error') {
				this.consoleErrors.push(message.params.args.map((arg) => arg.value ?? arg.description ?? '').join(' '));
			}
		});
	}

	send(method, params) {
		return this.connection.send(method, params, this.sessionId);
	}

	async init({ width, height }) {
		await this.send('Page.enable');
		await this.send('Runtime.enable');
		await this.send('Network.enable');
		await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
	}

	async setCookie(cookie) {
		const { success } = await this.send('Network.setCookie', cookie);
		if (success === false) throw new Error(`Chromium refused the cookie ${cookie.name}`);
	}

	async goto(url) {
		const { errorText } = await this.send('Page.navigate', { url });
		if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
	}

	/** Runs `fn(...args)` in the page (fn is serialised, so it may use only its arguments) and returns its JSON result. */
	async evaluate(fn, ...args) {
		const expression = `(${fn.toString()})(...${JSON.stringify(args)})`;
		const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
		if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
		return result.value;
	}

	/** Waits until `fn(...args)` returns a truthy value in the page and returns that value. */
	async waitForFunction(fn, args = [], { timeoutMs = 30_000, what = 'a condition in the page' } = {}) {
		const deadline = Date.now() + timeoutMs;
		let lastError;
		while (Date.now() < deadline) {
			try {
				const value = await this.evaluate(fn, ...args);
				if (value) return value;
			} catch (error) {
				// The page may be between documents during a navigation.
				lastError = error;
			}
			await sleep(150);
		}
		throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (${lastError.message})` : ''}`);
	}

	/** Waits for a visible element matching `selector`. */
	waitForSelector(selector, { timeoutMs = 30_000 } = {}) {
		return this.waitForFunction(
			(sel) => {
				const element = document.querySelector(sel);
				if (!element) return false;
				const box = element.getBoundingClientRect();
				return box.width > 0 && box.height > 0;
			},
			[selector],
			{ timeoutMs, what: `the selector ${selector}` },
		);
	}

	/** The centre of the first visible element matching `selector`, scrolled into view. */
	async centreOf(selector, { timeoutMs } = {}) {
		await this.waitForSelector(selector, { timeoutMs });
		return await this.evaluate((sel) => {
			const element = document.querySelector(sel);
			element.scrollIntoView({ block: 'center', inline: 'center' });
			const box = element.getBoundingClientRect();
			return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
		}, selector);
	}

	/** Real mouse events (Vue Flow and Element Plus react to those, not to element.click()). */
	async click(selector, { clickCount = 1, timeoutMs } = {}) {
		const { x, y } = await this.centreOf(selector, { timeoutMs });
		await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
		for (let count = 1; count <= clickCount; count++) {
			await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: count });
			await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: count });
		}
	}

	async hover(selector, { timeoutMs } = {}) {
		const { x, y } = await this.centreOf(selector, { timeoutMs });
		await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
	}

	async pressKey(key, code = key, keyCode = 0) {
		await this.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, windowsVirtualKeyCode: keyCode });
		await this.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode });
	}

	/** A PNG of the viewport (Buffer). */
	async screenshot() {
		const { data } = await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
		return Buffer.from(data, 'base64');
	}
}
