import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { JpoEndpoint } from './catalog';
import { tryExtractDocuments } from './documents';
import type { OutputSettings, ParameterValues } from './parameters';
import { simplifiedLead, simplifyJpoData } from './simplify';
import type { JpoAnswer } from './answers';

type FileAnswer = Extract<JpoAnswer, { type: 'file' }>;

/** One item per document in the archive; the archive itself rides on the first of them. */
async function documentItems(
	context: IExecuteFunctions,
	answer: FileAnswer,
	meta: IDataObject,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<INodeExecutionData[] | undefined> {
	const extraction = tryExtractDocuments(answer.buffer);
	if ('problem' in extraction) {
		meta.extractionError = `The archive is output as it came because its documents could not be read: ${extraction.problem}`;
		return undefined;
	}
	const { documents } = extraction;
	if (documents.length === 0) return undefined;
	const archive = await context.helpers.prepareBinaryData(answer.buffer, answer.fileName, answer.mimeType);
	const items: INodeExecutionData[] = [];
	for (const [index, document] of documents.entries()) {
		const binary: IBinaryKeyData = {};
		if (document.body) {
			binary[binaryPropertyName] = await context.helpers.prepareBinaryData(document.body.content, document.body.name, document.body.mimeType);
		}
		const attachments: IDataObject[] = [];
		for (const [position, attachment] of document.attachments.entries()) {
			const property = `attachment${position + 1}`;
			binary[property] = await context.helpers.prepareBinaryData(attachment.content, attachment.name, attachment.mimeType);
			attachments.push({ binaryProperty: property, fileName: attachment.name, mimeType: attachment.mimeType, fileSize: attachment.content.length });
		}
		if (index === 0) binary.archive = archive;
		items.push({
			json: {
				...document.json,
				attachments,
				archive: {
					fileName: answer.fileName,
					fileSize: answer.buffer.length,
					documentIndex: index + 1,
					documentCount: documents.length,
					binaryProperty: index === 0 ? 'archive' : null,
				},
				_meta: meta,
			},
			binary,
			pairedItem: { item: itemIndex },
		});
	}
	return items;
}

/** The output items of one answered input item, each paired with it. */
export async function toItems(
	context: IExecuteFunctions,
	endpoint: JpoEndpoint,
	answer: JpoAnswer,
	parameters: { sent: ParameterValues; typed: IDataObject },
	itemIndex: number,
	settings: OutputSettings,
): Promise<INodeExecutionData[]> {
	const meta: IDataObject = {
		api: `JPO ${endpoint.number}`,
		operation: `${endpoint.resource}/${endpoint.operation}`,
		input: parameters.typed,
		sent: parameters.sent as IDataObject,
	};
	if (answer.type === 'file') {
		Object.assign(meta, { statusCode: '100', viaDownloadUrl: answer.viaDownloadUrl });
		if (answer.mimeType === 'application/zip' && settings.extractDocuments) {
			const items = await documentItems(context, answer, meta, itemIndex, settings.binaryPropertyName);
			if (items) return items;
		}
		const binary = await context.helpers.prepareBinaryData(answer.buffer, answer.fileName, answer.mimeType);
		return [
			{
				json: { fileName: answer.fileName, mimeType: answer.mimeType, fileSize: answer.buffer.length, _meta: meta },
				binary: { [settings.binaryPropertyName]: binary },
				pairedItem: { item: itemIndex },
			},
		];
	}
	meta.statusCode = answer.status.code;
	if (answer.remainAccessCount !== undefined) meta.remainAccessCount = answer.remainAccessCount;
	if (answer.type === 'empty') {
		return [
			{
				json: {
					found: false,
					reason: answer.status.outcome.type === 'empty' ? answer.status.outcome.reason : 'noData',
					message: answer.status.messageEn,
					messageJa: answer.status.messageJa,
					_meta: meta,
				},
				pairedItem: { item: itemIndex },
			},
		];
	}
	if (!settings.simplify) return [{ json: { found: true, ...answer.data, _meta: meta }, pairedItem: { item: itemIndex } }];
	const data = simplifyJpoData(answer.data);
	return [{ json: { ...simplifiedLead(data), found: true, ...data, _meta: meta }, pairedItem: { item: itemIndex } }];
}
