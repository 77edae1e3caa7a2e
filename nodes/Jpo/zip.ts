import { inflateRawSync } from 'node:zlib';

/**
 * A reader for the ZIP archives JPO sends: central directory first, so a truncated download is
 * caught before any document is read, and each entry inflated only when asked for, so a large
 * archive never sits in memory twice over. Node's zlib does the inflating; the format parsing is
 * the few dozen lines below, which is why no ZIP library is a dependency.
 */
export class ZipFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ZipFormatError';
	}
}

export interface ZipEntry {
	name: string;
	isDirectory: boolean;
	uncompressedSize: number;
	read(): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const UTF8_NAME_FLAG = 0x0800;
const ZIP64_MARKER = 0xffffffff;
const shiftJis = new TextDecoder('shift_jis');

function findEndOfCentralDirectory(archive: Buffer): number {
	// The record is 22 bytes plus a comment of at most 65535 bytes, counted from the end.
	const earliest = Math.max(0, archive.length - 22 - 0xffff);
	for (let offset = archive.length - 22; offset >= earliest; offset--) {
		if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
	}
	throw new ZipFormatError('the archive is incomplete: its table of contents is missing (the download was probably cut off)');
}

function decodeName(bytes: Buffer, flags: number): string {
	// JPO's archiver writes Shift_JIS names without the UTF-8 flag; plain ASCII reads the same either way.
	return flags & UTF8_NAME_FLAG ? bytes.toString('utf8') : shiftJis.decode(bytes);
}

function inflate(raw: Buffer): Buffer | Error {
	try {
		return inflateRawSync(raw);
	} catch (error) {
		return error as Error;
	}
}

export function readZip(archive: Buffer): ZipEntry[] {
	if (archive.length < 22) throw new ZipFormatError(`the archive is only ${archive.length} bytes long`);
	const end = findEndOfCentralDirectory(archive);
	const count = archive.readUInt16LE(end + 10);
	const directorySize = archive.readUInt32LE(end + 12);
	const directoryOffset = archive.readUInt32LE(end + 16);
	if (directoryOffset === ZIP64_MARKER || directorySize === ZIP64_MARKER) {
		throw new ZipFormatError('ZIP64 archives (over 4 GB) are not supported');
	}
	if (directoryOffset + directorySize > end) throw new ZipFormatError('the table of contents points outside the archive');

	const entries: ZipEntry[] = [];
	let cursor = directoryOffset;
	for (let index = 0; index < count; index++) {
		if (cursor + 46 > end || archive.readUInt32LE(cursor) !== CENTRAL_DIRECTORY_HEADER) {
			throw new ZipFormatError(`entry ${index + 1} of ${count} in the table of contents is damaged`);
		}
		const flags = archive.readUInt16LE(cursor + 8);
		const method = archive.readUInt16LE(cursor + 10);
		const compressedSize = archive.readUInt32LE(cursor + 20);
		const uncompressedSize = archive.readUInt32LE(cursor + 24);
		const nameLength = archive.readUInt16LE(cursor + 28);
		const extraLength = archive.readUInt16LE(cursor + 30);
		const commentLength = archive.readUInt16LE(cursor + 32);
		const localHeaderOffset = archive.readUInt32LE(cursor + 42);
		const name = decodeName(archive.subarray(cursor + 46, cursor + 46 + nameLength), flags);
		cursor += 46 + nameLength + extraLength + commentLength;

		if (localHeaderOffset + 30 > archive.length || archive.readUInt32LE(localHeaderOffset) !== LOCAL_FILE_HEADER) {
			throw new ZipFormatError(`the data of "${name}" is missing from the archive`);
		}
		const dataStart =
			localHeaderOffset + 30 + archive.readUInt16LE(localHeaderOffset + 26) + archive.readUInt16LE(localHeaderOffset + 28);
		if (dataStart + compressedSize > directoryOffset) {
			throw new ZipFormatError(`the data of "${name}" runs past the end of the archive`);
		}
		if (method !== 0 && method !== 8) {
			throw new ZipFormatError(`"${name}" uses compression method ${method}; only stored and deflated entries are supported`);
		}
		entries.push({
			name,
			isDirectory: name.endsWith('/'),
			uncompressedSize,
			read: () => {
				const raw = archive.subarray(dataStart, dataStart + compressedSize);
				// A stored entry is handed out as a view of the archive, not a copy: the archive stays
				// in memory anyway (it rides on the first document as binary data), and copying a
				// stored 50 MB attachment would add a whole ZIP's size to the peak.
				const content = method === 0 ? raw : inflate(raw);
				if (content instanceof Error) throw new ZipFormatError(`"${name}" could not be decompressed: ${content.message}`);
				if (content.length !== uncompressedSize) {
					throw new ZipFormatError(`"${name}" decompressed to ${content.length} bytes instead of ${uncompressedSize}`);
				}
				return content;
			},
		});
	}
	return entries;
}
