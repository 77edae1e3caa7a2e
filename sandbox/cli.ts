import { DEMO_JPO_USER, DEMO_PATSNAP_API_KEY, DEMO_PATSNAP_CLIENT, startSandbox } from './index';

function parsePort(argv: string[]): number {
	const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
	const raw = i < 0 ? process.env.SANDBOX_PORT : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
	const port = raw === undefined || raw === '' ? 8765 : Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		console.error(`Invalid port '${raw}'`);
		process.exit(2);
	}
	return port;
}

async function main(): Promise<void> {
	const sandbox = await startSandbox({ port: parsePort(process.argv.slice(2)) });
	// Other tools wait for exactly this line (docs/CONTRACTS.md); keep it first and unchanged.
	console.log(`Sandbox listening on ${sandbox.url}`);
	console.log('Demo accounts (sandbox only):');
	console.log(`  JPO      username ${DEMO_JPO_USER.username}  password ${DEMO_JPO_USER.password}  token URL ${sandbox.url}/auth/token`);
	console.log(`  PatSnap  client id ${DEMO_PATSNAP_CLIENT.clientId}  secret ${DEMO_PATSNAP_CLIENT.clientSecret}  token URL ${sandbox.url}/oauth/token`);
	console.log(`  PatSnap  API key ${DEMO_PATSNAP_API_KEY}`);
	console.log(`Control API: ${sandbox.url}/__sandbox/ (see sandbox/README.md)`);

	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
	console.error(`Sandbox failed to start: ${err.message}`);
	process.exit(1);
});
