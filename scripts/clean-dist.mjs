// Empties dist/ before a build: a file tsc no longer emits (a renamed module, an old source map)
// would otherwise stay behind and end up in the packed tarball.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'), { recursive: true, force: true });
