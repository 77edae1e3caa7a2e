// Prints the numbers the sandbox knows for its default seed, as JSON on stdout. Run with
// `node --import tsx`, because the data set is TypeScript; the benchmark reads it once so the
// tables can say how many of the numbers sent the sandbox actually knew.
import { createDataSet } from '../../sandbox/data/index.ts';
import { defaultConfig } from '../../sandbox/core/config.ts';

const data = createDataSet(defaultConfig().seed);
process.stdout.write(
	JSON.stringify({
		seed: defaultConfig().seed,
		patsnapNumbers: data.patsnap.patents.map((p) => p.pn),
		jpoPatentApplications: data.jpo.all('patent').map((c) => c.applicationNumber),
	}),
);
