import { XMLParser } from 'fast-xml-parser';
import type { IDataObject } from 'n8n-workflow';

import { isoFromCompactDate, isoFromJapaneseDate } from './dates';
import { documentCodeFromName, englishDocumentName, japaneseDocumentName } from './documentNames';
import { normaliseApplicationNumber } from './numbers';
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

const entityReplacements: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
		if (entity.startsWith('#')) {
			const codePoint = entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
			// JPO pads numbers with no-break spaces; as text they are plain spaces.
			return codePoint === 160 ? ' ' : String.fromCodePoint(codePoint);
		}
		return entityReplacements[entity.toLowerCase()] ?? whole;
	});
}

function tidyLines(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/[ \t]+$/, ''))
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Elements that hold what a reader reads; the rest of a patent XML document is bibliographic data. */
const READABLE_ELEMENTS = /<((?:\w+:)?(?:p|claim|article|item-of-amendment|way-of-amendment))(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/\1>)/g;

/**
 * The readable part of a patent XML document: its name, then its paragraphs, claims and cited
 * articles in document order, with line breaks where JPO put them.
 */
function xmlText(xml: string, documentName: string | null): string {
	const blocks: string[] = [];
	for (const match of xml.matchAll(READABLE_ELEMENTS)) {
		const inner = match[2] ?? '';
		const text = decodeEntities(inner.replace(/<br\s*\/?>\s*\n?/gi, '\n').replace(/<[^>]+>/g, ''));
		if (text.trim() !== '') blocks.push(text);
	}
	return tidyLines([documentName ?? '', ...blocks].join('\n\n'));
}

/** The design and trademark pages are preformatted text; page markers and rules are layout, not content. */
function htmText(html: string): string {
	const pre = /<pre[^>]*>([\s\S]*?)<\/pre>/i.exec(html)?.[1] ?? html.replace(/^[\s\S]*?<body[^>]*>/i, '');
	const text = decodeEntities(
		pre
			.replace(/<br\s*\/?>/gi, '\n')
			.replace(/<hr[^>]*>/gi, '\n')
			.replace(/<[^>]+>/g, ''),
	);
	const withoutPageMarkers = text
		.split(/\r?\n/)
		.filter((line) => !/^\s*\d+\/\s*(?:E|\d+)?\s*$/.test(line))
		.join('\n');
	return tidyLines(withoutPageMarkers);
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

function tagText(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>\\s*([^<]*?)\\s*</(?:\\w+:)?${tag}>`).exec(xml);
	return match ? decodeEntities(match[1]).trim() : undefined;
}

function camelCase(hyphenated: string): string {
	return hyphenated.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `<jp:drafting-date><jp:date>20240220</jp:date></jp:drafting-date>` → draftingDate / draftingDateIso. */
function xmlDates(xml: string): IDataObject {
	const dates: IDataObject = {};
	const pattern = /<(?:\w+:)?([a-z-]+-date)(?:\s[^>]*)?>\s*(?:<(?:\w+:)?date>)?\s*(\d{8})\s*</g;
	for (const match of xml.matchAll(pattern)) {
		const key = camelCase(match[1]);
		if (key in dates) continue;
		dates[key] = match[2];
		dates[`${key}Iso`] = isoFromCompactDate(match[2]);
	}
	return dates;
}

/** The labels the HTM documents put before a date, and the field each date becomes. */
const HTM_DATE_LABELS: ReadonlyArray<[string, string]> = [
	['起案日', 'draftingDate'],
	['【提出日】', 'submissionDate'],
	['発送日', 'dispatchDate'],
];
const WRITTEN_DATE = '((?:令和|平成|昭和)?[\\s0-9０-９元]+年[\\s0-9０-９]+月[\\s0-9０-９]+日)';

function htmDates(text: string): IDataObject {
	const dates: IDataObject = {};
	for (const [label, key] of HTM_DATE_LABELS) {
		const found = new RegExp(`${label}\\s*${WRITTEN_DATE}`).exec(text)?.[1].trim();
		if (!found) continue;
		dates[key] = found;
		dates[`${key}Iso`] = isoFromJapaneseDate(found);
	}
	return dates;
}

/** 【書類名】 手続補正書 … lines of a submitted design or trademark document. */
function htmFields(text: string): IDataObject {
	const fields: IDataObject = {};
	// Only labels that open a line: the body may quote 【…】 in running text.
	for (const match of text.matchAll(/^[ \t\u3000]*【([^】\n]+)】[ \t\u3000]*([^\n]*)$/gm)) {
		const value = match[2].trim();
		if (value !== '' && !(match[1] in fields)) fields[match[1]] = value;
	}
	return fields;
}

function applicationNumberIn(text: string): string | null {
	const found = /(?:特願|意願|商願)[\s]*[0-9０-９]{4}[\s]*[-－−‐][\s]*[0-9０-９]{1,6}/.exec(text)?.[0];
	if (!found) return null;
	try {
		return normaliseApplicationNumber(found);
	} catch {
		return null;
	}
}

/** The title: a large-font heading (mailed documents), 【書類名】 (submitted ones), or a short first line. */
function htmTitle(html: string, text: string): string | null {
	const font = /<font[^>]*size="?6"?[^>]*>([^<]+)<\/font>/i.exec(html)?.[1];
	const firstLine = text.split('\n').find((line) => line.trim() !== '')?.trim();
	const title =
		font ?? /【書類名】\s*([^\n]+)/.exec(text)?.[1] ?? (firstLine && firstLine.length <= 30 && !firstLine.includes('【') ? firstLine : undefined);
	return title ? decodeEntities(title).replace(/\s+/g, '') : null;
}

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
