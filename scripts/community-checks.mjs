// The checks n8n admins run on a community package, run offline on what this package ships:
// - @n8n/node-cli's lint: its ESLint configuration for self-hosted packages
//   (configWithoutCloudSupport) on the shipped sources, as `n8n-node lint` applies it;
// - @n8n/scan-community-package's rules: the scanner itself wants a published package with npm
//   provenance and downloads it and its GitHub source, so its own configuration (buildScanConfig)
//   is applied here as the scanner applies it: to the sources (its SOURCE_FILE_PATTERNS, inline
//   disables ignored) and to the packed tarball's JavaScript and package.json.
// A finding fails the run unless its rule is in ARGUED; every argued rule must be named, with its
// reason, in the README's "Community-package checks" section. Needs a built dist/ (npm run build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { packPackage } from './lib/n8n.mjs';
import { cacheDir, repoRoot } from './lib/runtime.mjs';

/** Rules whose findings stay, each for the reason the README gives. */
const ARGUED = [
	'@n8n/community-nodes/no-runtime-dependencies',
	'@n8n/community-nodes/valid-peer-dependencies',
	'@n8n/community-nodes/no-restricted-imports',
	'@n8n/community-nodes/no-restricted-globals',
	'n8n-nodes-base/node-param-default-missing',
];

async function lint({ label, cwd, patterns, config, allowInlineConfig }) {
	const eslint = new ESLint({ cwd, allowInlineConfig, overrideConfigFile: true, overrideConfig: config });
	const files = glob.sync(patterns, { cwd, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	if (files.length === 0) throw new Error(`${label}: no files to lint in ${cwd}`);
	const findings = [];
	for (const result of await eslint.lintFiles(files)) {
		for (const message of result.messages.filter((m) => m.severity === 2)) {
			findings.push({ file: path.relative(cwd, result.filePath), line: message.line, rule: message.ruleId ?? '(parse error)', text: message.message });
		}
	}
	return { label, files: files.length, findings };
}

function unpackedTarball() {
	return packPackage({ name: 'community-checks' }).then((pack) => {
		const dir = path.join(cacheDir, 'pack', 'community-checks', 'package');
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		execFileSync('tar', ['-xzf', pack.tarball, '-C', dir, '--strip-components=1']);
		return { dir, remove: pack.remove };
	});
}

async function main() {
	const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const section = readme.split(/^## /m).find((part) => part.startsWith('Community-package checks')) ?? '';
	const unargued = ARGUED.filter((rule) => !section.includes(`\`${rule}\``));
	if (unargued.length > 0) throw new Error(`argued in this script but not in the README's "Community-package checks": ${unargued.join(', ')}`);

	const scanConfig = await buildScanConfig();
	const tarball = await unpackedTarball();
	const runs = [];
	try {
		runs.push(await lint({ label: 'node-cli lint (sources)', cwd: repoRoot, patterns: SOURCE_FILE_PATTERNS, config: configWithoutCloudSupport, allowInlineConfig: true }));
		runs.push(await lint({ label: 'scanner rules (sources)', cwd: repoRoot, patterns: SOURCE_FILE_PATTERNS, config: scanConfig, allowInlineConfig: false }));
		runs.push(await lint({ label: 'scanner rules (packed tarball)', cwd: tarball.dir, patterns: ['**/*.js', 'package.json'], config: scanConfig, allowInlineConfig: false }));
	} finally {
		tarball.remove();
	}
	let failures = 0;
	for (const run of runs) {
		const open = run.findings.filter((finding) => !ARGUED.includes(finding.rule));
		const argued = {};
		for (const finding of run.findings.filter((f) => ARGUED.includes(f.rule))) argued[finding.rule] = (argued[finding.rule] ?? 0) + 1;
		const arguedText = Object.entries(argued).map(([rule, count]) => `${rule} ${count}`).join(', ') || 'none';
		console.log(`${open.length === 0 ? 'ok' : 'not ok'} - ${run.label}: ${run.files} files, ${open.length} finding(s); argued in the README: ${arguedText}`);
		for (const finding of open) console.log(`#   ${finding.file}:${finding.line} ${finding.rule}: ${finding.text}`);
		failures += open.length;
	}
	process.exitCode = failures > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
