import { XMLParser } from 'fast-xml-parser';
import {
	NodeConnectionTypes,
	type IBinaryKeyData,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { maxAnswerBytes } from '../shared/answerSize';
import { ApiFailure } from '../shared/failure';
import { credentialReloader, loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../shared/http';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { defaultRetryPolicy } from '../shared/retry';
import { findJpoEndpoint, JPO_PARAMETER_LABELS, type JpoEndpoint, type JpoParameterKind } from './catalog';
import { jpoProperties } from './description';
import { tryExtractDocuments } from './documents';
import {
	checkApplicantName,
	checkDocumentId,
	checkKind,
	normaliseApplicantCode,
	normaliseApplicationNumber,
	normaliseDocdbNumber,
	normalisePctNumber,
	normalisePublicationNumber,
	normaliseRegistrationNumber,
	NumberFormatError,
} from './numbers';
import { simplifyJpoData } from './simplify';
import { JPO_DEFAULT_MAX_RESPONSE_BYTES, JpoTransport, type JpoAnswer } from './transport';

type ParameterValues = Partial<Record<JpoParameterKind, string>>;

/** What the user typed for each path parameter, echoed on success and on failure alike. */
function readTyped(context: IExecuteFunctions, endpoint: JpoEndpoint, itemIndex: number): IDataObject {
	const typed: IDataObject = {};
	for (const kind of endpoint.parameters) typed[kind] = context.getNodeParameter(kind, itemIndex) as string;
	return typed;
}

function normaliseParameters(endpoint: JpoEndpoint, typed: IDataObject): ParameterValues {
	const sent: ParameterValues = {};
	for (const kind of endpoint.parameters) {
		const raw = String(typed[kind] ?? '');
		switch (kind) {
			case 'applicationNumber':
				sent[kind] = normaliseApplicationNumber(raw);
				break;
			case 'applicantCode':
				sent[kind] = normaliseApplicantCode(raw);
				break;
			case 'applicantName':
				sent[kind] = checkApplicantName(raw);
				break;
			case 'referenceNumber':
				sent[kind] =
					sent.numberReferenceKind === 'registration'
						? normaliseRegistrationNumber(raw)
						: sent.numberReferenceKind === 'publication'
							? normalisePublicationNumber(raw)
							: normaliseApplicationNumber(raw);
				break;
			case 'pctNumber':
				sent[kind] = normalisePctNumber(raw, String(sent.pctKind));
				break;
			case 'docdbNumber':
				sent[kind] = normaliseDocdbNumber(raw);
				break;
			case 'documentId':
				sent[kind] = checkDocumentId(raw);
				break;
			default:
				// The kind selectors are option lists, but an expression can put anything there, and
				// it becomes a path segment.
				sent[kind] = endpoint.kinds ? checkKind(JPO_PARAMETER_LABELS[kind], raw, endpoint.kinds) : raw;
		}
	}
	return sent;
}

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	removeNSPrefix: true,
	parseTagValue: false,
	ignoreDeclaration: true,
	isArray: (_name, path) => /(^|\.)(family|family-item|family-list|publication-number|registration-number|document-list|ipc|originals\.original|patent-literature|non-patent-literature)$/.test(String(path)),
});

function parseOpdXml(xml: string): IDataObject {
	const parsed = xmlParser.parse(xml) as IDataObject;
	const root = (parsed['api-data'] ?? parsed) as IDataObject;
	const payload: IDataObject = {};
	for (const [key, value] of Object.entries(root)) {
		if (!['statusCode', 'errorMessage', 'remainAccessCount', '@xmlns'].includes(key)) payload[key] = value as IDataObject;
	}
	return payload;
}

interface OutputSettings {
	binaryPropertyName: string;
	simplify: boolean;
	extractDocuments: boolean;
}

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

async function toItems(
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
	const raw = answer.type === 'xml' ? parseOpdXml(answer.xml) : answer.data;
	const data = settings.simplify ? simplifyJpoData(raw) : raw;
	return [{ json: { found: true, ...data, _meta: meta }, pairedItem: { item: itemIndex } }];
}

/** Why an item was not sent: its API is out of quota, or the run cannot go on at all. */
interface Stop {
	failure: ApiFailure;
	/** Only items of this endpoint are affected; a run-wide stop has none. */
	endpointNumber?: string;
}

export class Jpo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JPO Patent Information',
		name: 'jpo',
		icon: { light: 'file:jpo.svg', dark: 'file:jpo.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["resource"] + ": " + $parameter["operation"]}}',
		description: 'Read Japanese patent, design and trademark dossiers from the JPO Patent Information Retrieval APIs',
		defaults: { name: 'JPO Patent Information' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jpoApi', required: true }],
		properties: jpoProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const transport = new JpoTransport(
			n8nSender(this),
			n8nPlainFetcher(this),
			await loadCredentialHandle(this, 'jpoApi'),
			{
				rates: {
					domesticPerMinute: Number(options.requestsPerMinute ?? 10),
					opdPerMinute: Number(options.opdRequestsPerMinute ?? 5),
				},
				retry: { ...defaultRetryPolicy, maxAttempts: Number(options.maxAttempts ?? defaultRetryPolicy.maxAttempts) },
				maxResponseBytes: maxAnswerBytes(options.maxAnswerSizeMb, JPO_DEFAULT_MAX_RESPONSE_BYTES),
				reloadCredentials: credentialReloader(this, 'jpoApi'),
				onWarning: (message) => this.addExecutionHints({ type: 'warning', location: 'outputPane', message }),
			},
		);
		const binaryPropertyName = String(options.binaryPropertyName ?? 'data');
		const stopBelowRemaining = Number(options.stopBelowRemaining ?? 0);
		const stops: Stop[] = [];
		const skippedByReserve = new Map<string, number>();

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const endpoint = findJpoEndpoint(resource, operation);
			if (!endpoint) {
				throw new NodeOperationError(this.getNode(), `Unknown operation ${resource}/${operation}`, { itemIndex });
			}
			const typed = readTyped(this, endpoint, itemIndex);
			const stop = stops.find((candidate) => candidate.endpointNumber === undefined || candidate.endpointNumber === endpoint.number);
			if (stop) {
				output.push({ json: errorItemJson(stop.failure, { input: typed, notAttempted: true }), pairedItem: { item: itemIndex } });
				continue;
			}
			const remaining = stopBelowRemaining > 0 ? await transport.remainingToday(endpoint) : undefined;
			if (stopBelowRemaining > 0 && remaining !== undefined && remaining <= stopBelowRemaining) {
				skippedByReserve.set(endpoint.number, remaining);
				output.push({
					json: {
						skipped: true,
						reason: 'stopBelowRemaining',
						message: `Not requested: JPO ${endpoint.number} has ${remaining} calls left today, at or below Stop Below Remaining (${stopBelowRemaining})`,
						input: typed,
						_meta: { api: `JPO ${endpoint.number}`, operation: `${endpoint.resource}/${endpoint.operation}`, remainAccessCount: remaining },
					},
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			try {
				const parameters = { typed, sent: normaliseParameters(endpoint, typed) };
				const answer = await transport.call(endpoint, parameters.sent);
				const settings = {
					binaryPropertyName,
					simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
					extractDocuments: this.getNodeParameter('extractDocuments', itemIndex, true) as boolean,
				};
				output.push(...(await toItems(this, endpoint, answer, parameters, itemIndex, settings)));
			} catch (caught) {
				const error =
					caught instanceof NumberFormatError
						? new ApiFailure(caught.message, { api: 'JPO', kind: 'input', description: `Field: ${caught.field}` })
						: caught;
				if (!this.continueOnFail()) {
					throw toNodeError(this.getNode(), withProgress(error, output.length), itemIndex);
				}
				output.push({ json: errorItemJson(error, { input: typed }), pairedItem: { item: itemIndex } });
				if (error instanceof ApiFailure && error.stopsRun) {
					// A daily limit is per API, so only that endpoint's later items are affected; a broken
					// credential or configuration affects them all. Either way no more calls are spent on them.
					stops.push({ failure: error, endpointNumber: error.kind === 'quota' ? endpoint.number : undefined });
				}
			}
		}
		for (const [endpointNumber, remaining] of skippedByReserve) {
			this.addExecutionHints({
				type: 'warning',
				location: 'outputPane',
				message: `Stopped calling JPO ${endpointNumber} with ${remaining} calls left today (Stop Below Remaining is ${stopBelowRemaining}); later items for it are marked skipped.`,
			});
		}
		return [output];
	}
}

/** Without Continue On Fail n8n discards the node's output, so the error says how far the run got. */
function withProgress(error: unknown, itemsDone: number): unknown {
	if (!(error instanceof ApiFailure) || !error.stopsRun || itemsDone === 0) return error;
	const progress = `${itemsDone} result item(s) had been fetched before this; set the node's On Error setting to Continue to keep them and get an error item for each of the rest.`;
	return error.withDetails({ description: [error.details.description, progress].filter(Boolean).join(' ') });
}
