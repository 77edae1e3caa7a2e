import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { IDataObject } from 'n8n-workflow';

/**
 * JPO wraps every JSON or XML answer in the same envelope: a status code, JPO's own message, the
 * calls left today for this API and ID, and the payload. This module is its only reader; it is
 * pure, so the transport decides what a status means and the node never sees the envelope.
 */
export interface JpoEnvelope {
	/** Absent when the body has no readable status at all (an HTML error page, a cut JSON body). */
	statusCode?: string;
	/** JPO's own message, '' when it sent none. */
	errorMessage: string;
	remainAccessCount?: number;
	/** What JPO answered inside the envelope: `result.data` of JSON, the root's children of XML. */
	payload: IDataObject;
	/** False for XML that is not well formed: a cut answer still starts with its status. */
	complete: boolean;
}

const ENVELOPE_FIELDS = new Set(['statusCode', 'errorMessage', 'remainAccessCount', '@xmlns']);

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	removeNSPrefix: true,
	parseTagValue: false,
	ignoreDeclaration: true,
	isArray: (_name, path) =>
		/(^|\.)(family|family-item|family-list|publication-number|registration-number|document-list|ipc|originals\.original|patent-literature|non-patent-literature)$/.test(
			String(path),
		),
});

function remainFrom(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const count = Number(value);
	return Number.isNaN(count) ? undefined : count;
}

export function bodyLooksLike(body: Buffer, kind: 'zip' | 'pdf' | 'json' | 'xml'): boolean {
	const head = body.subarray(0, 8).toString('latin1').trimStart();
	if (kind === 'zip') return body.length >= 4 && body.readUInt32LE(0) === 0x04034b50;
	if (kind === 'pdf') return head.startsWith('%PDF');
	if (kind === 'json') return head.startsWith('{');
	return head.startsWith('<');
}

function readJson(text: string): JpoEnvelope | undefined {
	let parsed: { result?: Record<string, unknown> };
	try {
		parsed = JSON.parse(text) as { result?: Record<string, unknown> };
	} catch {
		return undefined;
	}
	const result = parsed.result ?? {};
	return {
		statusCode: result.statusCode === undefined ? undefined : String(result.statusCode),
		errorMessage: String(result.errorMessage ?? ''),
		remainAccessCount: remainFrom(result.remainAccessCount),
		payload: (result.data ?? {}) as IDataObject,
		complete: true,
	};
}

/** The first value of a tag, namespace prefix or not; only for a cut document, whose tree cannot be built. */
function leadingTag(xml: string, tag: string): string | undefined {
	return new RegExp(`<(?:\\w+:)?${tag}>([^<]*)</(?:\\w+:)?${tag}>`).exec(xml)?.[1];
}

function readXml(xml: string): JpoEnvelope {
	if (XMLValidator.validate(xml) !== true) {
		return {
			statusCode: leadingTag(xml, 'statusCode'),
			errorMessage: leadingTag(xml, 'errorMessage') ?? '',
			remainAccessCount: remainFrom(leadingTag(xml, 'remainAccessCount')),
			payload: {},
			complete: false,
		};
	}
	const parsed = xmlParser.parse(xml) as IDataObject;
	const root = (parsed['api-data'] ?? parsed) as IDataObject;
	const payload: IDataObject = {};
	for (const [key, value] of Object.entries(root)) {
		if (!ENVELOPE_FIELDS.has(key)) payload[key] = value as IDataObject;
	}
	return {
		statusCode: root.statusCode === undefined ? undefined : String(root.statusCode),
		errorMessage: String(root.errorMessage ?? ''),
		remainAccessCount: remainFrom(root.remainAccessCount),
		payload,
		complete: true,
	};
}

/** The envelope of a JSON or XML body, read once; undefined when the body is neither. */
export function readJpoEnvelope(body: Buffer): (JpoEnvelope & { format: 'json' | 'xml' }) | undefined {
	if (bodyLooksLike(body, 'json')) {
		const envelope = readJson(body.toString('utf8'));
		return envelope && { ...envelope, format: 'json' };
	}
	if (bodyLooksLike(body, 'xml')) return { ...readXml(body.toString('utf8')), format: 'xml' };
	return undefined;
}
