import type { IDataObject, INode } from 'n8n-workflow';

import { indexResults } from '../PatSnap/batching';
import { toNodeError } from '../shared/nodeErrors';
import { COMPLETE_ANSWER, fetchBatch, identityFor, readingOf, readPatentDocuments, type DocumentsOutcome } from './aspects';
import type { TriggerCalls } from './calls';
import { legalChanges } from './diffs';
import { currentStateJson, latestAsChangeJson, legalChangeJson, notFoundJson } from './items';
import { identityOf, readDocuments, type Aspect } from './readings';
import type { PatentSnapshot } from './state';
import type { WatchedPatent } from './watchList';

/**
 * Fetch Test Event: one call for the patent and aspect, its most recent entry shaped like a real
 * change. At most one result (or one document page) is billed; `stored` is only read.
 */
export async function sampleOf(
	calls: TriggerCalls,
	node: INode,
	patent: WatchedPatent,
	aspect: Aspect,
	stored: PatentSnapshot | undefined,
	detectedAt: string,
): Promise<IDataObject> {
	if (aspect === 'examinationDocuments') {
		const chinese = /^CN/i.test(identityFor(patent).pn ?? '');
		const outcome: DocumentsOutcome = chinese ? { kind: 'unavailable' } : await readPatentDocuments(calls, patent, true);
		if (outcome.kind === 'failed') throw toNodeError(node, outcome.failure);
		if (outcome.kind === 'unknown') return notFoundJson(identityFor(patent), detectedAt);
		const identity = identityFor(patent, outcome.kind === 'documents' ? outcome.identity : undefined);
		const reading = { aspect, entries: outcome.kind === 'documents' ? readDocuments(outcome.details) : [] } as const;
		if (outcome.kind === 'unavailable') {
			const json = currentStateJson(identity, reading, detectedAt);
			json.summary = `P048 does not cover ${patent.input} (Chinese patents are not covered), so the trigger does not watch its examination documents.`;
			return json;
		}
		return latestAsChangeJson(identity, reading, detectedAt) ?? currentStateJson(identity, reading, detectedAt);
	}
	const outcome = await fetchBatch(calls, aspect, [patent], 'sample');
	if ('failure' in outcome) throw toNodeError(node, outcome.failure);
	const result = indexResults(outcome.value).get(patent.key);
	const identity = identityFor(patent, identityOf(result));
	if (!result && aspect === COMPLETE_ANSWER) return notFoundJson(identity, detectedAt);
	const reading = readingOf(aspect, result);
	if (reading.aspect === 'legalStatus') {
		const previous = stored?.legal && legalChanges(stored.legal, reading.view).length > 0 ? stored.legal : null;
		return legalChangeJson('legalStatusChanged', identity, previous, reading.view, detectedAt);
	}
	return latestAsChangeJson(identity, reading, detectedAt) ?? currentStateJson(identity, reading, detectedAt);
}
