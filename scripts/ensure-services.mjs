// Installs the Debian packages the tests start services from (Redis for the coordination tests,
// PostgreSQL for n8n in queue mode), so `npm test` works on a fresh machine. Does nothing when
// both are installed; the services themselves are started and stopped by the tests that use them.
import { ensureDebianPackages } from './lib/services.mjs';

await ensureDebianPackages(['redis-server', 'postgresql']);
