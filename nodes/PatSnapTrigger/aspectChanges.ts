import type { IDataObject } from 'n8n-workflow';

import { caseChanges, casesPrint, legalChanges, legalPrint, printsOf, unseenEntries } from './diffs';
import { caseChangeJson, legalChangeJson, newDocumentJson, newLegalEventJson, newTransferJson } from './items';
import type { AspectReading, PatentIdentity } from './readings';
import type { PatentSnapshot } from './state';

/**
 * Compares one aspect of a patent with its stored fingerprint and stores the new one. Returns the
 * change items, or null when the aspect had no fingerprint yet: this reading is its baseline.
 */
export function recordAspect(snapshot: PatentSnapshot, patent: PatentIdentity, reading: AspectReading, detectedAt: string): IDataObject[] | null {
	switch (reading.aspect) {
		case 'legalStatus': {
			const previous = snapshot.legal;
			snapshot.legal = legalPrint(reading.view);
			return previous === undefined ? null : legalChanges(previous, reading.view).map((kind) => legalChangeJson(kind, patent, previous, reading.view, detectedAt));
		}
		case 'events': {
			const previous = snapshot.events;
			snapshot.events = printsOf(reading.entries);
			return previous === undefined ? null : unseenEntries(previous, reading.entries).map(({ entry, occurrence }) => newLegalEventJson(patent, entry, occurrence, detectedAt));
		}
		case 'transfers': {
			const previous = snapshot.transfers;
			snapshot.transfers = printsOf(reading.entries);
			return previous === undefined ? null : unseenEntries(previous, reading.entries).map(({ entry, occurrence }) => newTransferJson(patent, entry, occurrence, detectedAt));
		}
		case 'litigation': {
			const previous = snapshot.cases;
			snapshot.cases = casesPrint(reading.entries);
			return previous === undefined ? null : caseChanges(previous, reading.entries).map((change) => caseChangeJson(patent, change, detectedAt));
		}
		case 'examinationDocuments': {
			const previous = snapshot.docs;
			snapshot.docs = printsOf(reading.entries);
			return previous === undefined ? null : unseenEntries(previous, reading.entries).map(({ entry, occurrence }) => newDocumentJson(patent, entry, occurrence, detectedAt));
		}
	}
}
