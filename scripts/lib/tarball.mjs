// What the packed tarball may hold: what n8n loads (the compiled JavaScript, each node's codex JSON,
// icons) plus the files npm and the package page show (package.json, README, LICENSE, CHANGELOG).
// Anything else (source maps, declaration files, sources, tests) is dead weight in every install.
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT_FILES = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
const DIST_FILE = /^dist\/(nodes|credentials)\/.+\.(js|node\.json|svg|png)$/;

/**
 * Problems with a packed file list (paths as `npm pack --json` reports them) and the package.json
 * that went into it; `packageDir` is where the files are (the repository, or the unpacked tarball).
 */
export function tarballProblems(files, manifest, packageDir) {
	const problems = [];
	const listed = new Set(files);
	for (const file of files) {
		if (file.endsWith('.map')) problems.push(`${file}: source map`);
		else if (file.endsWith('.d.ts')) problems.push(`${file}: declaration file`);
		else if (!ROOT_FILES.has(file) && !DIST_FILE.test(file)) problems.push(`${file}: not something n8n loads`);
	}
	for (const required of ROOT_FILES) {
		if (!listed.has(required)) problems.push(`${required} is missing`);
	}
	for (const field of ['main', 'types', 'typings']) {
		const target = manifest[field];
		if (target !== undefined && !listed.has(path.posix.normalize(target))) {
			problems.push(`"${field}": "${target}" names a file that is not in the tarball`);
		}
	}
	for (const entry of [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])]) {
		if (!listed.has(entry)) problems.push(`n8n entry ${entry} is not in the tarball`);
	}
	for (const node of manifest.n8n?.nodes ?? []) {
		const codex = node.replace(/\.js$/, '.json');
		if (!listed.has(codex)) problems.push(`${node} has no codex file ${codex} beside it`);
	}
	if (packageDir) {
		for (const file of files) {
			if (!existsSync(path.join(packageDir, file))) problems.push(`${file} is listed but not on disk`);
		}
	}
	return problems;
}
