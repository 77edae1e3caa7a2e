import { XMLParser } from 'fast-xml-parser';
import type { IDataObject } from 'n8n-workflow';

import { documentCodeFromName, englishDocumentName, japaneseDocumentName } from './documentNames';
import { applicationNumberIn, htmDates, htmFields, htmText, htmTitle, tagText, xmlDates, xmlText } from './documentText';
import { readZip, ZipFormatError, type ZipEntry } from './zip';

/**
 * Reads a JPO document archive the way a person would: one document per folder (opinions and
 * amendments: `A53_52400900476/…`) or per document number (mailed documents: `06124084096-jpntce.xml`,
 * `06322013724P.HTM` with its page images), each body decoded from Shift_JIS, its bibliographic
 * facts lifted out and its text rendered plainly.
 */
export interface DocumentFile {
	name: string;
	content: Buffer;
	mimeType: string;
}

export interface ExtractedDocument {
	json: IDataObject;
	/** The XML or HTM body as JPO sent it (Shift_JIS bytes), when there is one. */
	body?: DocumentFile;
	/** Page images and anything else that came in the same folder or under the same number. */
	attachments: DocumentFile[];
}

const shiftJis = new TextDecoder('shift_jis');
const utf8 = new TextDecoder('utf-8');

/** JPO's bodies are Shift_JIS, but a body that declares another encoding is read as it says. */
function decodeBody(content: Buffer): string {
	const declared = /(?:encoding|charset)\s*=\s*["']?([\w-]+)/i.exec(content.subarray(0, 512).toString('latin1'))?.[1];
	return declared && /^utf-?8$/i.test(declared) ? utf8.decode(content) : shiftJis.decode(content);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
	xml: 'application/xml',
	htm: 'text/html',
	html: 'text/html',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	tif: 'image/tiff',
	tiff: 'image/tiff',
	png: 'image/png',
	gif: 'image/gif',
	pdf: 'application/pdf',
};

function extensionOf(name: string): string {
	return /\.([A-Za-z0-9]+)$/.exec(name)?.[1].toLowerCase() ?? '';
}

function mimeTypeOf(name: string): string {
	return MIME_TYPES[extensionOf(name)] ?? 'application/octet-stream';
}

function baseName(name: string): string {
	return name.split('/').pop() ?? name;
}

interface DocumentGroup {
	key: string;
	codeFromPath?: string;
	numberFromPath?: string;
	entries: ZipEntry[];
}

/** Folder `A53_52400900476/` or file-name prefix `06124084096` decides which document a file belongs to. */
function groupEntries(entries: ZipEntry[]): DocumentGroup[] {
	const groups = new Map<string, DocumentGroup>();
	for (const entry of entries) {
		if (entry.isDirectory) continue;
		const parts = entry.name.split('/').filter(Boolean);
		let group: Omit<DocumentGroup, 'entries'>;
		if (parts.length > 1) {
			const folder = parts[0];
			const match = /^([A-Z][0-9A-Z]*)_(\d+)$/.exec(folder);
			group = { key: folder, codeFromPath: match?.[1], numberFromPath: match?.[2] };
		} else {
			const number = /^(\d{11})/.exec(parts[0])?.[1];
			group = number ? { key: number, numberFromPath: number } : { key: parts[0].replace(/\.[^.]*$/, '') };
		}
		const existing = groups.get(group.key) ?? { ...group, entries: [] };
		existing.entries.push(entry);
		groups.set(group.key, existing);
	}
	return [...groups.values()];
}

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	removeNSPrefix: true,
	parseTagValue: false,
	trimValues: true,
	processEntities: true,
	htmlEntities: true,
	// Paragraph bodies mix text with <br/>; keep them as text so nothing is lost to the parser.
	stopNodes: ['*.p', '*.claim-text'],
	ignoreDeclaration: true,
	ignorePiTags: true,
});

/**
 * A mailed document's own dispatch number is the last six digits of its document number (JPO FAQ).
 * The dispatch number written inside an opinion or amendment is that of the notice it answers.
 */
function dispatchNumbers(group: DocumentGroup, written: string | undefined): IDataObject {
	const submitted = group.codeFromPath !== undefined;
	if (submitted) return { inResponseToDispatchNumber: written ?? null };
	const own = group.numberFromPath?.length === 11 ? group.numberFromPath.slice(-6) : undefined;
	return { dispatchNumber: written ?? own ?? null };
}

function readXmlDocument(xml: string, group: DocumentGroup): IDataObject {
	const root = /<(?:\w+:)?([a-z0-9-]+)\s+[^>]*kind-of-law/.exec(xml)?.[1];
	const codeFromRoot = root ? /-(a\d+)(?:-|$)/.exec(root)?.[1]?.toUpperCase() : undefined;
	const documentCode = group.codeFromPath ?? codeFromRoot ?? null;
	const documentName =
		tagText(xml, 'document-name') ?? (documentCode ? japaneseDocumentName(documentCode) : undefined) ?? null;
	let content: IDataObject | null = null;
	let parseError: string | undefined;
	try {
		content = xmlParser.parse(xml) as IDataObject;
	} catch (error) {
		parseError = (error as Error).message;
	}
	const applicationNumber = tagText(xml, 'doc-number') ?? null;
	return {
		documentCode,
		documentName,
		documentNameEn: englishDocumentName(documentName ?? undefined, documentCode ?? undefined),
		documentNumber: group.numberFromPath ?? null,
		applicationNumber,
		...dispatchNumbers(group, tagText(xml, 'dispatch-number')),
		inventionTitle: tagText(xml, 'invention-title') ?? undefined,
		...xmlDates(xml),
		format: 'xml',
		text: xmlText(xml, documentName),
		content,
		...(parseError ? { contentError: `The XML could not be parsed into JSON: ${parseError}` } : {}),
	};
}

function readHtmDocument(html: string, group: DocumentGroup): IDataObject {
	const text = htmText(html);
	const documentName = htmTitle(html, text);
	const documentCode = group.codeFromPath ?? (documentName ? documentCodeFromName(documentName) : undefined) ?? null;
	const fields = htmFields(text);
	return {
		documentCode,
		documentName,
		documentNameEn: englishDocumentName(documentName ?? undefined, documentCode ?? undefined),
		documentNumber: group.numberFromPath ?? null,
		applicationNumber: applicationNumberIn(text),
		...dispatchNumbers(group, typeof fields.発送番号 === 'string' ? fields.発送番号.normalize('NFKC') : undefined),
		...htmDates(text),
		format: 'htm',
		text,
		...(Object.keys(fields).length > 0 ? { fields } : {}),
	};
}

function isBody(name: string): boolean {
	return ['xml', 'htm', 'html'].includes(extensionOf(name));
}

/** Every document in a JPO archive, in archive order. Throws ZipFormatError for a damaged archive. */
export function extractDocuments(archive: Buffer): ExtractedDocument[] {
	return groupEntries(readZip(archive)).map((group) => {
		const bodyEntry = group.entries.find((entry) => isBody(entry.name));
		const attachments = group.entries
			.filter((entry) => entry !== bodyEntry)
			.map((entry) => ({ name: baseName(entry.name), content: entry.read(), mimeType: mimeTypeOf(entry.name) }));
		const files = group.entries.map((entry) => entry.name);
		if (!bodyEntry) {
			return {
				json: { documentCode: group.codeFromPath ?? null, documentNumber: group.numberFromPath ?? null, format: 'other', files },
				attachments,
			};
		}
		const content = bodyEntry.read();
		const decoded = decodeBody(content);
		const json = extensionOf(bodyEntry.name) === 'xml' ? readXmlDocument(decoded, group) : readHtmDocument(decoded, group);
		return {
			json: { ...json, files },
			body: { name: baseName(bodyEntry.name), content, mimeType: mimeTypeOf(bodyEntry.name) },
			attachments,
		};
	});
}

/**
 * The documents, or why the archive could not be read. Whatever goes wrong, the caller still has
 * the archive itself to output, so nothing the API sent is lost to a reading problem.
 */
export function tryExtractDocuments(archive: Buffer): { documents: ExtractedDocument[] } | { problem: string } {
	try {
		return { documents: extractDocuments(archive) };
	} catch (error) {
		return { problem: error instanceof ZipFormatError ? error.message : `unexpected ${(error as Error).name}: ${(error as Error).message}` };
	}
}
