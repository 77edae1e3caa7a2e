import { XMLParser } from 'fast-xml-parser';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ApiFailure } from '../shared/failure';
import { loadCredentialHandle, n8nPlainFetcher, n8nSender } from '../shared/http';
import { errorItemJson, toNodeError } from '../shared/nodeErrors';
import { defaultRetryPolicy } from '../shared/retry';
import { findJpoEndpoint, type JpoEndpoint, type JpoParameterKind } from './catalog';
import { jpoProperties } from './description';
import {
	checkApplicantName,
	checkDocumentId,
	normaliseApplicantCode,
	normaliseApplicationNumber,
	normaliseDocdbNumber,
	normalisePctNumber,
	normaliseRegistrationNumber,
	NumberFormatError,
} from './numbers';
import { JpoTransport, type JpoAnswer } from './transport';

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
						: normaliseApplicationNumber(raw, `${sent.numberReferenceKind} number`);
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
				// The kind selectors come from a fixed option list.
				sent[kind] = raw;
		}
	}
	return sent;
}

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	removeNSPrefix: true,
	parseTagValue: false,
	isArray: (_name, path) => /(^|\.)(family|family-item|family-list|publication-number|registration-number|document-list|ipc|original|patent-literature|non-patent-literature)$/.test(String(path)),
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

async function toItem(
context: IExecuteFunctions,
	endpoint: JpoEndpoint,
	answer: JpoAnswer,
	parameters: { sent: ParameterValues; typed: IDataObject },
	itemIndex: number,
	binaryPropertyName: string,
): Promise<INodeExecutionData> {
	const meta: IDataObject = {
		api: `JPO ${endpoint.number}`,
		operation: `${endpoint.resource}/${endpoint.operation}`,
		input: parameters.typed,
		sent: parameters.sent as IDataObject,
	};
	if (answer.type === 'file') {
		const binary = await context.helpers.prepareBinaryData(answer.buffer, answer.fileName, answer.mimeType);
		return {
			json: {
				fileName: answer.fileName,
				mimeType: answer.mimeType,
				fileSize: answer.buffer.length,
				_meta: { ...meta, statusCode: '100', viaDownloadUrl: answer.viaDownloadUrl },
			},
			binary: { [binaryPropertyName]: binary },
			pairedItem: { item: itemIndex },
		};
	}
	meta.statusCode = answer.status.code;
	if (answer.remainAccessCount !== undefined) meta.remainAccessCount = answer.remainAccessCount;
	if (answer.type === 'empty') {
		return {
			json: {
				found: false,
				reason: answer.status.outcome.type === 'empty' ? answer.status.outcome.reason : 'noData',
				message: answer.status.messageEn,
				messageJa: answer.status.messageJa,
				_meta: meta,
			},
			pairedItem: { item: itemIndex },
		};
	}
	const data = answer.type === 'xml' ? parseOpdXml(answer.xml) : answer.data;
	return { json: { found: true, ...data, _meta: meta }, pairedItem: { item: itemIndex } };
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
			},
		);
		const binaryPropertyName = String(options.binaryPropertyName ?? 'data');

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const endpoint = findJpoEndpoint(resource, operation);
			if (!endpoint) {
				throw new NodeOperationError(this.getNode(), `Unknown operation ${resource}/${operation}`, { itemIndex });
			}
			const typed = readTyped(this, endpoint, itemIndex);
			try {
				const parameters = { typed, sent: normaliseParameters(endpoint, typed) };
				const answer = await transport.call(endpoint, parameters.sent);
				output.push(await toItem(this, endpoint, answer, parameters, itemIndex, binaryPropertyName));
			} catch (caught) {
				const error =
					caught instanceof NumberFormatError
						? new ApiFailure(caught.message, { api: 'JPO', kind: 'input', description: `Field: ${caught.field}` })
						: caught;
				if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
				output.push({ json: errorItemJson(error, { input: typed }), pairedItem: { item: itemIndex } });
				if (error instanceof ApiFailure && error.stopsRun) {
					// A used-up quota or a broken credential fails every later item the same way:
					// say so for each of them instead of spending more calls.
					for (let rest = itemIndex + 1; rest < items.length; rest++) {
						output.push({ json: errorItemJson(error, { notAttempted: true }), pairedItem: { item: rest } });
					}
					break;
				}
			}
		}
		return [output];
	}
}
