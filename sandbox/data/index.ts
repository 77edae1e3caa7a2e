import { JpoData } from './jpo';
import { PatsnapData } from './patsnap';

/** The live data set. Tests may mutate it; `reset()` regenerates it from the seed. */
export interface SandboxData {
	jpo: JpoData;
	patsnap: PatsnapData;
}

export function createDataSet(seed: number): SandboxData {
	return { jpo: new JpoData(seed), patsnap: new PatsnapData(seed) };
}

export { JpoData, PatsnapData };
export type { JpCase, JpDocument } from './jpo';
export type { PsPatent, LegalStatus } from './patsnap';
