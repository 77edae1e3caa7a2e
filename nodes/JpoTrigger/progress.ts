import type { IDataObject } from 'n8n-workflow';

import { fingerprint } from '../shared/polling';

export interface JpoDocumentView {
	documentCode: string;
	documentName: string;
	documentNumber: string;
	legalDate: string;
	availabilityFlag: string;
	fingerprint: string;
}

/** The parts of a progress answer (app_progress_simple) the trigger compares or reports. */
export interface ProgressView {
	title: string | null;
	documents: JpoDocumentView[];
	registrationNumber: string;
	registrationDate: string;
	erasureIdentifier: string;
	disappearanceDate: string;
	expireDate: string;
	applicants: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value));

function documentIdentity(document: IDataObject): string {
	const code = text(document.documentCode);
	const number = text(document.documentNumber);
	// The parts of one filing (request, claims, description…) share code and number: one document.
	return number ? `${code}|${number}` : `${code}|${text(document.legalDate)}|${text(document.documentDescription)}`;
}

function asArray(value: unknown): IDataObject[] {
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

export function partyList(entries: IDataObject[], codeField: string, nameField: string): string[] {
	return entries.map((entry) => `${text(entry[codeField])} ${text(entry[nameField])}`.trim()).sort();
}

export function readProgress(data: IDataObject): ProgressView {
	const documents = new Map<string, JpoDocumentView>();
	for (const bibliography of asArray(data.bibliographyInformation)) {
		for (const document of asArray(bibliography.documentList)) {
			const print = fingerprint(documentIdentity(document));
			if (documents.has(print)) continue;
			documents.set(print, {
				documentCode: text(document.documentCode),
				documentName: text(document.documentDescription),
				documentNumber: text(document.documentNumber),
				legalDate: text(document.legalDate),
				availabilityFlag: text(document.availabilityFlag),
				fingerprint: print,
			});
		}
	}
	const title = text(data.inventionTitle ?? data.designArticle ?? data.trademarkForDisplay);
	return {
		title: title || null,
		documents: [...documents.values()].sort((a, b) => a.legalDate.localeCompare(b.legalDate)),
		registrationNumber: text(data.registrationNumber),
		registrationDate: text(data.registrationDate),
		erasureIdentifier: text(data.erasureIdentifier),
		disappearanceDate: text(data.disappearanceDate),
		expireDate: text(data.expireDate),
		applicants: partyList(
			asArray(data.applicantAttorney).filter((party) => text(party.applicantAttorneyClass) === '1'),
			'applicantAttorneyCd',
			'name',
		),
	};
}

export function readRightHolders(data: IDataObject): string[] {
	return partyList(asArray(data.rightPersonInformation), 'rightPersonCd', 'rightPersonName');
}

