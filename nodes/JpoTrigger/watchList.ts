import { normaliseApplicationNumber, NumberFormatError } from '../Jpo/numbers';
import type { InvalidWatchEntry } from '../shared/trigger/watchRun';
import { quoted } from '../shared/quoted';

/** The three laws whose applications the JPO APIs cover (utility models are not provided). */
export type JpoLaw = 'patent' | 'design' | 'trademark';

export const LAWS: readonly JpoLaw[] = ['patent', 'design', 'trademark'];

export interface WatchEntry {
	/** `law:number`, the identity of an application in the trigger's state. */
	key: string;
	law: JpoLaw;
	/** The 10-digit form the API takes. */
	applicationNumber: string;
	/** The entry as the user wrote it, hint and comment removed. */
	typed: string;
	/** 1-based line of the watch list, for messages. */
	line: number;
	/** Where the law came from: a 特願/意願/商願-style prefix, a `design:` hint, or the node's default. */
	lawFrom: 'prefix' | 'hint' | 'default';
}

export interface WatchList {
	entries: WatchEntry[];
	invalid: InvalidWatchEntry[];
	/** Entries naming an application already listed; the first spelling is kept. */
	duplicates: number;
}

/**
 * A leading word saying which law a bare number belongs to. Japanese hints need a colon or a
 * space after them, so 特許願2020-123456 is read as a prefix rather than as 特許 + 願….
 */
const HINT = /^(patent|design|trademark|特許|意匠|商標)(?:\s*:\s*|\s+)(.+)$/i;

const HINT_LAWS: Readonly<Record<string, JpoLaw>> = {
	patent: 'patent',
	design: 'design',
	trademark: 'trademark',
	特許: 'patent',
	意匠: 'design',
	商標: 'trademark',
};

// Longest spellings first; they may also sit inside an era form such as 令和3年意匠登録願第1500号.
const PREFIX_LAWS: ReadonlyArray<[RegExp, JpoLaw]> = [
	[/意匠登録願|意願/, 'design'],
	[/商標登録願|商願/, 'trademark'],
	[/特許願|特願/, 'patent'],
];

/**
 * Numbers the shared normaliser would read as an application number although they are not one:
 * publication numbers have the same 10-digit shape and would silently watch the wrong case.
 */
const NOT_APPLICATIONS: ReadonlyArray<[RegExp, string]> = [
	[/^(特開|特表|再表|特公)/, 'a publication number, not an application number; find the application number with the JPO node (Get Number Reference)'],
	[/^(実願|実開|実登|実用新案)/, 'a utility model; the JPO APIs do not provide utility models'],
	[/^(特許|意匠登録|商標登録)?第\d/, 'a registration number, not an application number; find the application number with the JPO node (Get Number Reference)'],
];

function splitEntries(input: unknown): Array<{ text: string; line: number }> {
	const text = Array.isArray(input) ? input.map((value) => String(value ?? '')).join('\n') : String(input ?? '');
	const pieces: Array<{ text: string; line: number }> = [];
	text.split(/\r?\n/).forEach((rawLine, index) => {
		const withoutComment = rawLine.replace(/(^|\s)#.*$/, '');
		for (const piece of withoutComment.split(/[,;、，；]/)) {
			const trimmed = piece.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
			if (trimmed !== '') pieces.push({ text: trimmed, line: index + 1 });
		}
	});
	return pieces;
}

function readEntry(text: string, line: number, defaultLaw: JpoLaw): WatchEntry | InvalidWatchEntry {
	const normalised = text.normalize('NFKC');
	const hint = HINT.exec(normalised);
	const hintLaw = hint ? HINT_LAWS[hint[1].toLowerCase()] : undefined;
	const numberPart = hint ? hint[2].trim() : normalised;
	const compact = numberPart.replace(/\s+/g, '');

	for (const [pattern, reason] of NOT_APPLICATIONS) {
		if (pattern.test(compact)) return { typed: text, line, reason: `${quoted(text)} is ${reason}.` };
	}
	const prefixLaw = PREFIX_LAWS.find(([pattern]) => pattern.test(compact))?.[1];
	if (hintLaw && prefixLaw && hintLaw !== prefixLaw) {
		return { typed: text, line, reason: `${quoted(text)} is marked ${hintLaw} but its prefix names a ${prefixLaw} application.` };
	}
	let applicationNumber: string;
	try {
		applicationNumber = normaliseApplicationNumber(numberPart);
	} catch (error) {
		const reason = error instanceof NumberFormatError ? error.message : `${quoted(text)} could not be read.`;
		return { typed: text, line, reason };
	}
	const law = prefixLaw ?? hintLaw ?? defaultLaw;
	return {
		key: `${law}:${applicationNumber}`,
		law,
		applicationNumber,
		typed: text,
		line,
		lawFrom: prefixLaw ? 'prefix' : hintLaw ? 'hint' : 'default',
	};
}

/**
 * Reads the watch list: one application per line or comma-separated, in any form the JPO node
 * accepts, optionally preceded by `patent:`, `design:` or `trademark:`; `#` starts a comment.
 * Unreadable entries are returned, never dropped, so the node can report them.
 */
export function parseWatchList(input: unknown, defaultLaw: JpoLaw): WatchList {
	const entries: WatchEntry[] = [];
	const invalid: InvalidWatchEntry[] = [];
	const seen = new Set<string>();
	let duplicates = 0;
	for (const { text, line } of splitEntries(input)) {
		const entry = readEntry(text, line, defaultLaw);
		if (!('key' in entry)) {
			invalid.push(entry);
			continue;
		}
		if (seen.has(entry.key)) {
			duplicates += 1;
			continue;
		}
		seen.add(entry.key);
		entries.push(entry);
	}
	return { entries, invalid, duplicates };
}

/** How the application is usually written in Japanese, e.g. 特願2020-045678, for summaries. */
export function displayNumber(law: JpoLaw, applicationNumber: string): string {
	const prefix = law === 'design' ? '意願' : law === 'trademark' ? '商願' : '特願';
	return `${prefix}${applicationNumber.slice(0, 4)}-${applicationNumber.slice(4)}`;
}
