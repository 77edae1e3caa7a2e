import type { IDataObject } from 'n8n-workflow';

import { isoFromCompactDate, isoFromJapaneseDate } from './dates';
import { normaliseApplicationNumber } from './numbers';

/**
 * The text and the facts a reader looks for in one JPO document body: paragraphs and claims of the
 * patent XML, the preformatted pages of the design and trademark HTM, dates, numbers and titles.
 */

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
export function xmlText(xml: string, documentName: string | null): string {
	const blocks: string[] = [];
	for (const match of xml.matchAll(READABLE_ELEMENTS)) {
		const inner = match[2] ?? '';
		const text = decodeEntities(inner.replace(/<br\s*\/?>\s*\n?/gi, '\n').replace(/<[^>]+>/g, ''));
		if (text.trim() !== '') blocks.push(text);
	}
	return tidyLines([documentName ?? '', ...blocks].join('\n\n'));
}

/** The design and trademark pages are preformatted text; page markers and rules are layout, not content. */
export function htmText(html: string): string {
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

export function tagText(xml: string, tag: string): string | undefined {
	const match = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>\\s*([^<]*?)\\s*</(?:\\w+:)?${tag}>`).exec(xml);
	return match ? decodeEntities(match[1]).trim() : undefined;
}

function camelCase(hyphenated: string): string {
	return hyphenated.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `<jp:drafting-date><jp:date>20240220</jp:date></jp:drafting-date>` → draftingDate / draftingDateIso. */
export function xmlDates(xml: string): IDataObject {
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

export function htmDates(text: string): IDataObject {
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
export function htmFields(text: string): IDataObject {
	const fields: IDataObject = {};
	// Only labels that open a line: the body may quote 【…】 in running text.
	for (const match of text.matchAll(/^[ \t\u3000]*【([^】\n]+)】[ \t\u3000]*([^\n]*)$/gm)) {
		const value = match[2].trim();
		if (value !== '' && !(match[1] in fields)) fields[match[1]] = value;
	}
	return fields;
}

export function applicationNumberIn(text: string): string | null {
	const found = /(?:特願|意願|商願)[\s]*[0-9０-９]{4}[\s]*[-－−‐][\s]*[0-9０-９]{1,6}/.exec(text)?.[0];
	if (!found) return null;
	try {
		return normaliseApplicationNumber(found);
	} catch {
		return null;
	}
}

/** The title: a large-font heading (mailed documents), 【書類名】 (submitted ones), or a short first line. */
export function htmTitle(html: string, text: string): string | null {
	const font = /<font[^>]*size="?6"?[^>]*>([^<]+)<\/font>/i.exec(html)?.[1];
	const firstLine = text.split('\n').find((line) => line.trim() !== '')?.trim();
	const title =
		font ?? /【書類名】\s*([^\n]+)/.exec(text)?.[1] ?? (firstLine && firstLine.length <= 30 && !firstLine.includes('【') ? firstLine : undefined);
	return title ? decodeEntities(title).replace(/\s+/g, '') : null;
}
