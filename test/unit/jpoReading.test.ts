/**
 * The pieces that read JPO's formats, on inputs the sandbox and the recordings do not produce:
 * hand-built archives (Shift_JIS names, damaged entries), era dates at the edges, odd values.
 */
import { deflateRawSync } from 'node:zlib';

import { isoFromCompactDate, isoFromJapaneseDate } from '../../nodes/Jpo/dates';
import { englishDocumentName } from '../../nodes/Jpo/documentNames';
import { extractDocuments, tryExtractDocuments } from '../../nodes/Jpo/documents';
import { simplifyJpoData } from '../../nodes/Jpo/simplify';
import { readZip } from '../../nodes/Jpo/zip';

interface Entry {
	name: Buffer;
	content: Buffer;
	deflate?: boolean;
	utf8Flag?: boolean;
}

/** A minimal ZIP writer, so the reader is tested against bytes laid out by the format, not by itself. */
function buildZip(entries: Entry[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const data = entry.deflate ? deflateRawSync(entry.content) : entry.content;
		const flags = entry.utf8Flag ? 0x0800 : 0;
		const method = entry.deflate ? 8 : 0;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(flags, 6);
		local.writeUInt16LE(method, 8);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(entry.content.length, 22);
		local.writeUInt16LE(entry.name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(flags, 8);
		central.writeUInt16LE(method, 10);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(entry.content.length, 24);
		central.writeUInt16LE(entry.name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, entry.name, data);
		centrals.push(central, entry.name);
		offset += local.length + entry.name.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

const sjis = (text: string) => {
	// Shift_JIS bytes for the few characters these tests use, so no encoder library is needed.
	const table: Record<string, number[]> = { 拒: [0x8b, 0x91], 絶: [0x90, 0xe2], 理: [0x97, 0x9d], 由: [0x97, 0x52] };
	return Buffer.from([...text].flatMap((char) => table[char] ?? [char.charCodeAt(0)]));
};

describe('readZip', () => {
	it('reads stored and deflated entries and decodes names by their flag: Shift_JIS without it, UTF-8 with it', () => {
		const archive = buildZip([
			{ name: sjis('拒絶理由/a.xml'), content: Buffer.from('<x/>') },
			{ name: Buffer.from('ü.txt', 'utf8'), content: Buffer.from('hello '.repeat(100)), deflate: true, utf8Flag: true },
		]);
		const entries = readZip(archive);
		expect(entries.map((entry) => entry.name)).toEqual(['拒絶理由/a.xml', 'ü.txt']);
		expect(entries[0].read().toString()).toBe('<x/>');
		expect(entries[1].read().toString()).toBe('hello '.repeat(100));
	});

	it('names what is wrong with a cut-off, damaged or oversized archive', () => {
		const archive = buildZip([{ name: Buffer.from('a.xml'), content: Buffer.from('<x>'.repeat(50)), deflate: true }]);
		expect(() => readZip(archive.subarray(0, archive.length - 30))).toThrow(/table of contents is missing/);
		expect(() => readZip(Buffer.from('PK'))).toThrow(/only 2 bytes/);

		const corrupted = Buffer.from(archive);
		corrupted.fill(0xff, 30 + 5, 30 + 7);
		expect(() => readZip(corrupted)[0].read()).toThrow(/"a\.xml" (could not be decompressed|decompressed to)/);

		const zip64 = Buffer.from(archive);
		zip64.writeUInt32LE(0xffffffff, zip64.length - 6);
		expect(() => readZip(zip64)).toThrow(/ZIP64/);
	});
});

describe('extractDocuments', () => {
	it('groups flat files by document number and folders by code and number, keeping other files as attachments', () => {
		const xml = (name: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><jp:x xmlns:jp="j" jp:kind-of-law="patent"><jp:document-name>${name}</jp:document-name><p>本文</p></jp:x>`);
		const archive = buildZip([
			{ name: Buffer.from('06100000001-jpntce.xml'), content: xml('特許査定') },
			{ name: Buffer.from('A53_52400000001/JPOXMLDOC01-jpbibl.xml'), content: xml('意見書'), deflate: true },
			{ name: Buffer.from('A53_52400000001/figure.png'), content: Buffer.from([0x89, 0x50]) },
		]);
		const documents = extractDocuments(archive);
		expect(documents.map((document) => [document.json.documentNumber, document.json.documentName, document.json.documentCode])).toEqual([
			['06100000001', '特許査定', null],
			['52400000001', '意見書', 'A53'],
		]);
		expect(documents[0].json).toMatchObject({ dispatchNumber: '000001', text: '特許査定\n\n本文' });
		expect(documents[1].json).toMatchObject({ inResponseToDispatchNumber: null });
		expect(documents[1].attachments).toEqual([{ name: 'figure.png', content: Buffer.from([0x89, 0x50]), mimeType: 'image/png' }]);
	});

	it('reports an unreadable archive as a problem instead of throwing, so the archive itself can still be output', () => {
		expect(tryExtractDocuments(Buffer.from('PK\u0003\u0004 not really a zip at all, just bytes'))).toEqual({ problem: expect.stringMatching(/table of contents/) });
	});
});

describe('dates', () => {
	it.each([
		['令和元年５月１日', '2019-05-01'],
		['平成３１年４月３０日', '2019-04-30'],
		['令和　４年　３月１０日', '2022-03-10'],
		['昭和６４年１月７日', '1989-01-07'],
		['２０２４年１２月３１日', '2024-12-31'],
		['令和　４年　２月３０日', null],
		['3月10日', null],
	])('%s → %s', (written, iso) => {
		expect(isoFromJapaneseDate(written)).toBe(iso);
	});

	it.each([
		['20240229', '2024-02-29'],
		['20230229', null],
		['00000000', null],
		['', null],
		['2024-02-29', null],
	])('compact %p → %p', (compact, iso) => {
		expect(isoFromCompactDate(compact)).toBe(iso);
	});
});

describe('simplifyJpoData', () => {
	it('types counts, keeps what is not a count, and never drops a field', () => {
		const raw = { numberOfClaims: '015', numberOfPages: '', lastPaymentYearly: '3年', similarCode: '32A01 35K03', expireDate: '', unknownField: 'x' };
		const simplified = simplifyJpoData(raw);
		expect(simplified).toEqual({
			numberOfClaims: 15,
			numberOfPages: null,
			lastPaymentYearly: '3年',
			similarCode: '32A01 35K03',
			similarCodes: ['32A01', '35K03'],
			expireDate: '',
			expireDateIso: null,
			unknownField: 'x',
		});
		for (const key of Object.keys(raw)) expect(simplified).toHaveProperty([key]);
	});
});

describe('englishDocumentName', () => {
	it('knows names with qualifiers by their base name, and says null rather than guessing', () => {
		expect(englishDocumentName('手続補正書（方式）')).toBe('Written amendment (formalities)');
		expect(englishDocumentName('意見書（第２回）')).toBe('Written opinion');
		expect(englishDocumentName(undefined, 'A131')).toBe('Notice of reasons for refusal');
		expect(englishDocumentName('見たことのない書類')).toBeNull();
	});
});
