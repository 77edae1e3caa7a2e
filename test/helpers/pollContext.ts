/**
 * A minimal n8n poll context for trigger tests, the IPollFunctions counterpart of n8nContext.ts.
 * Requests are real HTTP through the same credential-helper emulation (pre-authentication, token
 * write-back, one renewal on 401). `getWorkflowStaticData('node')` returns one plain object that the
 * test owns: it survives from poll to poll like n8n's in-memory static data, and it is never reset
 * when a poll throws, which is the stricter of n8n's two modes (the durable-cursor mode discards a
 * failed poll's changes; the classic mode keeps whatever the node wrote before throwing).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { httpRequest, httpRequestWithAuthentication, newCredentialStore, type CredentialStore } from './n8nContext';

export interface PollContextOptions {
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Share one store across polls so a token fetched in one poll is reused by the next, as in n8n. */
	store?: CredentialStore;
	/** The node's static data; pass the same object to every poll of one "workflow". */
	staticData?: IDataObject;
	mode?: 'trigger' | 'manual';
	/** What getPollBudgetMs() answers; n8n's default is 5 minutes. */
	pollBudgetMs?: number;
	/** Polls of one node in one workflow share this id (default 'workflow-under-test'). */
	workflowId?: string;
}

export type TestPollContext = IPollFunctions & { store: CredentialStore; staticData: IDataObject; staticDataReads: number };

export function createPollContext(options: PollContextOptions): TestPollContext {
	const store = options.store ?? newCredentialStore(options.credentials);
	const staticData = options.staticData ?? {};
	const node = {
		id: 'trigger-under-test',
		name: 'Trigger under test',
		type: 'n8n-nodes-jpo-patsnap.jpoTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: options.parameters,
		credentials: Object.fromEntries(Object.keys(store.records).map((name) => [name, { id: `${name}-id`, name }])),
	};
	const context = {
		store,
		staticData,
		staticDataReads: 0,
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getNode: () => node,
		getWorkflow: () => ({ id: options.workflowId ?? 'workflow-under-test', name: 'Workflow under test', active: true }),
		getPollBudgetMs: () => options.pollBudgetMs ?? 5 * 60_000,
		getWorkflowStaticData(this: { staticDataReads: number }, type: string) {
			if (type !== 'node') throw new Error(`The trigger should only use node static data, not ${type}`);
			this.staticDataReads += 1;
			return staticData;
		},
		getCredentials: async (type: string) => ({ ...store.records[type] }),
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = options.parameters[name];
			return value === undefined ? fallback : value;
		},
		helpers: {
			httpRequest,
			httpRequestWithAuthentication(this: unknown, type: string, requestOptions: IHttpRequestOptions, additional?: never) {
				return httpRequestWithAuthentication(store, type, requestOptions, additional);
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		},
	};
	return context as unknown as TestPollContext;
}

export interface PollOutcome {
	/** The first output of the poll, or null when the poll returned null. */
	items: INodeExecutionData[] | null;
	/** What the poll threw, if it threw. */
	error?: Error & { description?: string; context?: IDataObject };
	/** Deep copies of the static data before and after the poll. */
	before: IDataObject;
	after: IDataObject;
}

const copy = (value: IDataObject): IDataObject => JSON.parse(JSON.stringify(value)) as IDataObject;

/** Runs one poll and records its result, its error and the static data around it. */
export async function runPoll(
	context: TestPollContext,
	poll: (context: IPollFunctions) => Promise<INodeExecutionData[][] | null>,
): Promise<PollOutcome> {
	const before = copy(context.staticData);
	try {
		const output = await poll(context);
		return { items: output === null ? null : output[0], before, after: copy(context.staticData) };
	} catch (error) {
		return { items: null, error: error as PollOutcome['error'], before, after: copy(context.staticData) };
	}
}
