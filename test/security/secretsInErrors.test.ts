/**
 * No secret in anything a node produces, whatever goes wrong. Every node family runs against every
 * sandbox fault (on every request, and on all but the first so the token call gets through), with
 * and without Continue On Fail, and everything is scanned for the demo password, client secret and
 * API key and for every token the sandbox handed out: output items (binary data decoded), the
 * thrown error with its message, description, context and cause, execution hints, the node's logger,
 * the console, the sandbox's request log. Nothing may reach the sandbox's foreign host either.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { FAULT_KINDS, startSandbox, type DeepPartial, type FaultRule, type Sandbox, type SandboxConfig } from '../../sandbox';
import { Jpo } from '../../nodes/Jpo/Jpo.node';
import { pollJpoWatchList } from '../../nodes/JpoTrigger/poll';
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { pollPatSnap } from '../../nodes/PatSnapTrigger/poll';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';
import { createExecuteContext, newCredentialStore } from '../helpers/n8nContext';
import { createPollContext } from '../helpers/pollContext';
import { createRecordingLogger, findSecrets, sandboxSecrets, SANDBOX_SECRETS } from '../helpers/secretScan';

/** What one run left behind, all of it scanned. */
interface Trace {
	output?: INodeExecutionData[] | null;
	error?: unknown;
	hints?: unknown;
	/** A trigger's static data, which n8n stores in the workflow. */
	state?: unknown;
	logged: unknown[];
}

interface Scenario {
	name: string;
	configure?: DeepPartial<SandboxConfig>;
	/** Set-up before the faults, once per test (after the sandbox reset). */
	prepare?(sb: Sandbox): Promise<void>;
	run(sb: Sandbox, continueOnFail: boolean): Promise<Trace>;
}

const API_KEY = SANDBOX_SECRETS[2];
const JPO_OPTIONS = { requestsPerMinute: 600, opdRequestsPerMinute: 600, maxAttempts: 1 };
const PATSNAP_OPTIONS = { requestsPerSecond: 100, maxAttempts: 1 };

const jpoCredentials = (sb: Sandbox) => ({
	jpoApi: { username: 'sandbox-user', password: 'sandbox-password', tokenUrl: `${sb.url}/auth/token`, baseUrl: sb.url, accessToken: '' },
});
const patSnapOAuth = (sb: Sandbox) => ({
	patSnapApi: { authMode: 'clientCredentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', environment: 'custom', baseUrl: sb.url, accessToken: '' },
});
const patSnapKey = (sb: Sandbox) => ({ patSnapApi: { authMode: 'apiKey', apiKey: API_KEY, environment: 'custom', baseUrl: sb.url, accessToken: '' } });

/** Runs an action node the way n8n does, with a recording logger in its context. */
function actionNode(node: () => INodeType, credentials: (sb: Sandbox) => Record<string, IDataObject>, items: IDataObject[]) {
	return async (sb: Sandbox, continueOnFail: boolean): Promise<Trace> => {
		const { logger, calls } = createRecordingLogger();
		const context = createExecuteContext({
			node: node(),
			items: items.map(() => ({ json: {} })),
			parameters: (index) => items[index],
			credentials: credentials(sb) as never,
			continueOnFail,
		});
		Object.assign(context, { logger });
		try {
			const output = (await node().execute!.call(context as IExecuteFunctions)) as INodeExecutionData[][];
			return { output: output[0], hints: context.hints, logged: calls };
		} catch (error) {
			return { error, hints: context.hints, logged: calls };
		}
	};
}

const HOURLY = { item: [{ mode: 'everyHour', minute: 0 }] };

/**
 * The PatSnap Trigger, polled the way n8n polls it: one workflow's static data and credential store
 * across the polls. Before each poll `change` edits the sandbox data (no request), so a poll that
 * gets through emits items. Every poll's items and errors are kept.
 */
function patSnapTriggerPolls(credentials: (sb: Sandbox) => Record<string, ICredentialDataDecryptedObject>, parameters: (sb: Sandbox) => IDataObject, polls: number, change: (sb: Sandbox) => void) {
	return async (sb: Sandbox): Promise<Trace> => {
		const { logger, calls } = createRecordingLogger();
		const staticData: IDataObject = {};
		const store = newCredentialStore(credentials(sb));
		const output: INodeExecutionData[] = [];
		const errors: unknown[] = [];
		for (let poll = 0; poll < polls; poll++) {
			change(sb);
			const context = createPollContext({ parameters: { pollTimes: HOURLY, ...parameters(sb) }, credentials: credentials(sb), store, staticData });
			Object.assign(context, { logger });
			try {
				output.push(...((await pollPatSnap(context, new FakeClock()))?.[0] ?? []));
			} catch (error) {
				errors.push(error);
			}
		}
		return { output, error: errors.length > 0 ? errors : undefined, state: staticData, logged: calls };
	};
}

const TODAY = 20261121;
let triggerChanges = 0;
/** A new legal status and a new legal event for EP3456789A1, different each time. */
function changeEp(sb: Sandbox) {
	triggerChanges += 1;
	sb.data.patsnap.setLegalStatus('EP3456789A1', { simple_legal_status: [triggerChanges % 2 ? 'Active' : 'Pending'], legal_status: [triggerChanges % 2 ? 'Granted' : 'Examining'] }, TODAY);
	sb.data.patsnap.addLegalEvent('EP3456789A1', { event_code: `EV${triggerChanges}` }, TODAY);
}

const WATCH_LIST = () => ({
	source: 'watchList',
	patents: 'US11223344B2\nEP3456789A1',
	watch: ['legalStatus', 'events', 'transfers'],
	options: { requestsPerSecond: 100, maxAttempts: 1 },
});

/** The monitor project the monitor scenario checks, created before the faults. */
let alertId = '';

const SCENARIOS: Scenario[] = [
	{
		// One item: after a 303 the shared per-minute throttle (on the real clock) would hold a second one for a minute.
		name: 'JPO progress (JSON)',
		run: actionNode(() => new Jpo(), jpoCredentials, [{ resource: 'patent', operation: 'getProgress', applicationNumber: '2020045678', options: JPO_OPTIONS }]),
	},
	{
		name: 'JPO refusal notices (ZIP, extracted)',
		run: actionNode(() => new Jpo(), jpoCredentials, [{ resource: 'patent', operation: 'getRefusalNotices', applicationNumber: '2021034567', options: JPO_OPTIONS }]),
	},
	{
		name: 'JPO mailed documents (archive behind a download link)',
		configure: { jpo: { largeArchiveThresholdBytes: 1024 } },
		run: actionNode(() => new Jpo(), jpoCredentials, [{ resource: 'patent', operation: 'getMailedDocuments', applicationNumber: '2020045678', options: JPO_OPTIONS }]),
	},
	{
		name: 'JPO OPD family (XML)',
		run: actionNode(() => new Jpo(), jpoCredentials, [{ resource: 'opd', operation: 'getFamily', docdbKind: 'application', docdbNumber: 'JP.2020045678.A', options: JPO_OPTIONS }]),
	},
	{
		name: 'PatSnap legal status (client ID and secret)',
		run: actionNode(() => new PatSnap(), patSnapOAuth, [
			{ resource: 'patent', operation: 'getLegalStatus', numbers: 'US11223344B2', options: PATSNAP_OPTIONS },
			{ resource: 'patent', operation: 'getLegalStatus', numbers: 'EP3456789A1', options: PATSNAP_OPTIONS },
		]),
	},
	{
		name: 'PatSnap legal status (sk- API key)',
		run: actionNode(() => new PatSnap(), patSnapKey, [{ resource: 'patent', operation: 'getSimpleLegalStatus', numbers: 'US11223344B2', options: PATSNAP_OPTIONS }]),
	},
	{
		name: 'PatSnap examination documents with PDFs (signed links)',
		run: actionNode(() => new PatSnap(), patSnapOAuth, [
			{ resource: 'patent', operation: 'getExaminationDocuments', lookUpBy: 'patent', numbers: 'US11223344B2', returnAll: false, limit: 2, downloadPdfs: true, options: PATSNAP_OPTIONS },
		]),
	},
	{
		name: 'PatSnap number lookup',
		run: actionNode(() => new PatSnap(), patSnapOAuth, [{ resource: 'patent', operation: 'lookUpNumbers', lookupNumberType: 'publicationNumber', numbers: 'US11223344B2', options: PATSNAP_OPTIONS }]),
	},
	{
		name: 'PatSnap monitor create (sk- API key)',
		run: actionNode(() => new PatSnap(), patSnapKey, [{ resource: 'monitor', operation: 'create', query: 'PN:(US11223344B2)', content: ['legal'], options: PATSNAP_OPTIONS }]),
	},
	{
		name: 'JPO Trigger poll',
		run: async (sb) => {
			const { logger, calls } = createRecordingLogger();
			const context = createPollContext({
				parameters: { watchList: '2020045678\n2021034567', defaultLaw: 'patent', residence: 'japan', pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] }, options: { requestsPerMinute: 600 } },
				credentials: jpoCredentials(sb),
			});
			Object.assign(context, { logger });
			try {
				const output = await pollJpoWatchList(context, new FakeClock());
				return { output: output?.[0] ?? null, logged: calls };
			} catch (error) {
				return { error, logged: calls };
			}
		},
	},
	{
		// A baseline, then a poll that finds a new status and a new event.
		name: 'PatSnap Trigger watch list (client ID and secret)',
		run: patSnapTriggerPolls(patSnapOAuth, WATCH_LIST, 2, changeEp),
	},
	{
		name: 'PatSnap Trigger watch list (sk- API key)',
		run: patSnapTriggerPolls(patSnapKey, WATCH_LIST, 2, changeEp),
	},
	{
		// The check reports the change, then the details call reads the reported patent.
		name: 'PatSnap Trigger monitor project (sk- API key)',
		prepare: async (sb) => {
			const query = new URLSearchParams({ query: 'PN:(US11223344B2 OR EP3456789A1)', content: 'legal', alert_name: 'secret scan' });
			const response = await fetch(`${sb.url}/patent-alert/create?${query}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
			alertId = ((await response.json()) as { data: { alert_id: string } }).data.alert_id;
		},
		run: patSnapTriggerPolls(patSnapKey, () => ({ source: 'monitor', alertId, fetchDetails: true, options: { requestsPerSecond: 100, maxAttempts: 1 } }), 1, changeEp),
	},
];

/** One rule per fault kind, and the codes that take different paths through the nodes. */
const FAULTS: FaultRule[] = [
	{ kind: 'latency', ms: 5 },
	{ kind: 'http5xx' },
	{ kind: 'http5xx', status: 500 },
	{ kind: 'reset' },
	{ kind: 'malformedJson' },
	{ kind: 'truncatedZip' },
	{ kind: 'expireTokens' },
	{ kind: 'jpoStatus', code: '210' },
	{ kind: 'jpoStatus', code: '203' },
	{ kind: 'jpoStatus', code: '999' },
	{ kind: 'patsnapError', code: 67200003 },
	{ kind: 'patsnapError', code: 67200007 },
	{ kind: 'patsnapError', code: 68300004 },
	{ kind: 'http429', retryAfter: 1 },
	{ kind: 'redirect' },
	{ kind: 'redirect', status: 307 },
];

const faultName = (rule: FaultRule) => [rule.kind, rule.code ?? rule.status ?? ''].join(' ').trim();

describe('no secret in outputs, errors, hints or logs under any fault', () => {
	let sb: Sandbox;
	const consoleCalls: unknown[] = [];
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, config: { jpo: { perMinute: { limit: 100_000, windowMs: 60_000 }, opdPerMinute: { limit: 100_000, windowMs: 60_000 } }, patsnap: { qps: 10_000 } } });
		for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
				consoleCalls.push(args);
			});
		}
	});
	afterAll(async () => {
		jest.restoreAllMocks();
		await sb.close();
	});

	it('tries every fault kind the sandbox has', () => {
		expect(new Set(FAULTS.map((rule) => rule.kind))).toEqual(new Set(FAULT_KINDS));
	});

	describe.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
		it.each(FAULTS.map((rule) => [faultName(rule), rule] as const))('under %s', async (_fault, rule) => {
			const traces: unknown[] = [];
			let faultsApplied = 0;
			sb.reset();
			if (scenario.configure) sb.configure(scenario.configure);
			await scenario.prepare?.(sb);
			for (const skip of [0, 1]) {
				for (const continueOnFail of [true, false]) {
					// A full reset rebuilds the data set (about 40 ms); between the runs of one test only
					// the fault, the logs and the throttle need to start over.
					sb.faults.clear();
					sb.clearRequests();
					sb.foreignHost.clear();
					forgetSharedLimiters();
					sb.faults.add({ ...rule, skip });
					consoleCalls.length = 0;
					const trace = await scenario.run(sb, continueOnFail);
					const log = sb.requests();
					faultsApplied += log.filter((request) => request.fault !== null).length;
					traces.push({ skip, continueOnFail, trace, console: [...consoleCalls], log, foreign: sb.foreignHost.requests() });
					expect({ skip, continueOnFail, foreignHost: sb.foreignHost.requests() }).toEqual({ skip, continueOnFail, foreignHost: [] });
					// A run must end in output or a thrown error, never in silence.
					expect(trace.output !== undefined || trace.error !== undefined).toBe(true);
				}
			}
			// Scanned once all runs are done, so tokens issued during them are known too.
			expect(findSecrets(traces, sandboxSecrets(sb))).toEqual([]);
			const onlyForTheOtherApi = (rule.kind === 'jpoStatus' && /PatSnap/.test(scenario.name)) || (rule.kind === 'patsnapError' && /JPO/.test(scenario.name));
			if (!onlyForTheOtherApi) expect(faultsApplied).toBeGreaterThan(0);
		});
	});
});

describe('the scanner itself', () => {
	it('finds secrets in nested output, error properties, binary data, map keys and percent-encoded URLs', () => {
		const token = 'jpo-at-abcdefghijklmnopqrstuvwx';
		const error = Object.assign(new Error('login failed'), { description: `Bearer ${token}`, context: { request: { auth: { password: 'sandbox-password' } } } });
		Object.defineProperty(error, 'cause', { value: { headers: { authorization: `Bearer ${API_KEY}` } }, enumerable: false });
		const binary = { data: Buffer.from(`client_secret=sandbox-secret`).toString('base64'), mimeType: 'text/plain' };
		const found = findSecrets(
			{ items: [{ json: { ok: true }, binary: { data: binary } }], error, logged: [new Map([[token, 1]])], url: `https://x/?k=${encodeURIComponent(API_KEY)}&t=%2B` },
			[...SANDBOX_SECRETS, token],
		);
		expect(found.map((entry) => entry.replace(/^"(.{4})….*? at /, '$1 at '))).toEqual(
			expect.arrayContaining([
				'sand at $.items[0].binary.data.data(decoded)',
				`jpo- at $.error.description`,
				'sand at $.error.context.request.auth.password',
				'sk-s at $.error.cause.headers.authorization',
				'jpo- at $.logged[0]<key>',
				'sk-s at $.url',
			]),
		);
		expect(found.join(' ')).not.toContain(token);
		expect(findSecrets({ fine: 'nothing here', short: 'abc' }, [...SANDBOX_SECRETS, 'abc'])).toEqual([]);
	});
});
