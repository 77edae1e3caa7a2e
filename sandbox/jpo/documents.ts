/**
 * Document archives of the 1-8/1-9/1-10, 2-7/2-8/2-9 and 3-7/3-8/3-9 endpoints (NOTES §2.3):
 * which progress documents go into which bundle, the file layout per law, Shift_JIS bodies.
 */
import { Zip, ZipPassThrough, zipSync, type Zippable } from 'fflate';
import iconv from 'iconv-lite';
import { TINY_JPEG } from '../core/pdf';
import type { JpCase, JpDocument } from '../data/jpo';
import { DOCUMENT_CODES, type DocumentRole } from '../data/jpoVocabulary';
import type { DocumentBundle } from './endpoints';
import { htmMailed, htmSubmitted, patentAmendment, patentDecision, patentOpinion, patentRefusalNotice } from './documentText';

const BUNDLE_ROLES: Record<DocumentBundle, DocumentRole[]> = {
	opinionAmendment: ['opinion', 'amendment'],
	refusalReasonDecision: ['refusalNotice', 'decision'],
	refusalReason: ['refusalNotice'],
};

export function sjis(s: string): Uint8Array {
	return iconv.encode(s, 'Shift_JIS');
}

/** Downloadable documents of a bundle: the right kind, and availabilityFlag "1". */
export function bundleDocuments(c: JpCase, bundle: DocumentBundle): JpDocument[] {
	return c.documents.filter(
		(d) => d.availabilityFlag === '1' && BUNDLE_ROLES[bundle].includes(DOCUMENT_CODES[d.documentCode]?.role ?? 'other'),
	);
}

function isSubmitted(d: JpDocument): boolean {
	const role = DOCUMENT_CODES[d.documentCode]?.role;
	return role === 'opinion' || role === 'amendment';
}

/** Body of one document as the patent XML or design/trademark HTM, already Shift_JIS. */
export function documentBody(c: JpCase, d: JpDocument): Uint8Array {
	if (c.law === 'patent') {
		if (d.documentCode === 'A131') return sjis(patentRefusalNotice(c, d));
		if (d.documentCode === 'A53') return sjis(patentOpinion(c, d));
		if (d.documentCode === 'A523') return sjis(patentAmendment(c, d));
		return sjis(patentDecision(c, d));
	}
	return sjis(isSubmitted(d) ? htmSubmitted(c, d) : htmMailed(c, d));
}

/** File entries (path → bytes) of one document, following the real layout per law. */
export function documentEntries(c: JpCase, d: JpDocument): Record<string, Uint8Array> {
	const body = documentBody(c, d);
	if (isSubmitted(d)) {
		const dir = `${d.documentCode}_${d.documentNumber}/`;
		if (c.law === 'patent') return { [dir]: new Uint8Array(0), [`${dir}JPOXMLDOC01-jpbibl.xml`]: body };
		return { [dir]: new Uint8Array(0), [`${dir}JPOSGMLDOC1P.HTM`]: body, [`${dir}JPOSGMLDOC10001.JPG`]: TINY_JPEG };
	}
	if (c.law === 'patent') return { [`${d.documentNumber}-jpntce.xml`]: body };
	const out: Record<string, Uint8Array> = { [`${d.documentNumber}P.HTM`]: body };
	if (c.law === 'trademark' && d.documentCode === 'A131') out[`${d.documentNumber}0001.JPG`] = TINY_JPEG;
	return out;
}

export function buildArchive(c: JpCase, docs: JpDocument[]): Buffer {
	const files: Zippable = {};
	for (const d of docs) Object.assign(files, documentEntries(c, d));
	return Buffer.from(zipSync(files, { level: 6 }));
}

const FILLER_CHUNK = 64 * 1024;

/**
 * Streams an archive with a large page-image file added to the last submitted document, for the
 * over-10 MB path. The filler is one 64 KiB block repeated (with a counter so blocks differ),
 * stored uncompressed, so the archive really is that big but is never held in memory whole.
 */
export async function* streamLargeArchive(c: JpCase, docs: JpDocument[], fillerBytes: number): AsyncIterable<Uint8Array> {
	const out: Uint8Array[] = [];
	let failure: Error | null = null;
	const zip = new Zip((err, chunk) => {
		if (err) failure = err;
		else out.push(chunk);
	});
	const drain = function* (): Iterable<Uint8Array> {
		if (failure) throw failure;
		while (out.length) yield out.shift()!;
	};
	const addWhole = (name: string, data: Uint8Array): void => {
		const f = new ZipPassThrough(name);
		zip.add(f);
		f.push(data, true);
	};
	for (const d of docs) for (const [name, data] of Object.entries(documentEntries(c, d))) addWhole(name, data);
	yield* drain();

	const host = [...docs].reverse().find(isSubmitted) ?? docs[docs.length - 1];
	const dir = isSubmitted(host) ? `${host.documentCode}_${host.documentNumber}/` : '';
	const filler = new ZipPassThrough(`${dir}JPOXMLDOC01-appb-D000001.TIF`);
	zip.add(filler);
	const block = new Uint8Array(FILLER_CHUNK);
	for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
	block.set([0x49, 0x49, 0x2a, 0x00]);
	for (let sent = 0, n = 0; sent < fillerBytes; n++) {
		const size = Math.min(FILLER_CHUNK, fillerBytes - sent);
		const chunk = block.slice(0, size);
		if (n > 0 && size >= 8) new DataView(chunk.buffer).setUint32(4, n);
		sent += size;
		filler.push(chunk, sent >= fillerBytes);
		yield* drain();
	}
	if (fillerBytes <= 0) filler.push(new Uint8Array(0), true);
	zip.end();
	yield* drain();
}
