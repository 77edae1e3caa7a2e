// Lets `npm test` and `npm start` work on a fresh clone: installs the locked dependencies when
// node_modules is missing or older than the lockfile, and does nothing otherwise.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = path.join(root, 'package-lock.json');
const installedLock = path.join(root, 'node_modules', '.package-lock.json');

const upToDate =
	existsSync(installedLock) && statSync(installedLock).mtimeMs >= statSync(lockfile).mtimeMs;
if (!upToDate) {
	// `npm install` honours the lockfile; `npm ci` would refuse it here because the registry lacks
	// some optional platform packages that the lockfile mentions (esbuild, unrs resolver bindings).
	process.stderr.write('[ensure-deps] installing dependencies from package-lock.json\n');
	const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	process.exit(result.status ?? 1);
}
