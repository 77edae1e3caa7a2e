/**
 * The rows of the fault matrix: one object per operation family. The matrix test runs every row
 * against every fault column (faults.ts), and the soak draws its items from the rows' pools, so a
 * new family is one more object in FAMILIES below: a NodeFamily or a TriggerFamily (family.ts says
 * what each field means).
 *
 * Every row scopes its faults to its own endpoints and lets `scope.skip` matching requests through
 * first, so the fault lands in the middle of the run with results already fetched before it.
 */
import type { IDataObject } from 'n8n-workflow';

import { cstDateInt, jstDate } from '../../sandbox/core/clock';
import { addDays } from '../../sandbox/data/dates';
import { pollJpoWatchList } from '../../nodes/JpoTrigger/poll';
import { nextJstMidnight } from '../../nodes/Jpo/dates';
import { nextChinaMidnight } from '../../nodes/PatSnap/dailyLimit';
import { pollPatSnap } from '../../nodes/PatSnapTrigger/poll';
import { newCredentialStore } from '../helpers/n8nContext';
import { createPollContext, runPoll } from '../helpers/pollContext';
import type { ItemSpec, NodeFamily, TriggerFamily, Unit } from './family';
import type { FaultHarness } from './harness';
import { Jpo, PatSnap } from './nodeClasses';

/** The node option that sets the retry budget; the matrix uses 3 so "beyond budget" is short. */
const MAX_ATTEMPTS = 3;

const NOT_A_ZIP = 'no ZIP on these endpoints: the sandbox cuts the answer in half anyway, so the cell runs as a cut answer';

/** One unit per item, in item order: the JPO node makes one call per input item. */
const oneCallPerItem = (items: ItemSpec[]): Unit[] => items.map((item, index) => ({ items: [index], group: item.group }));

/** Distinct keys in first-seen order, each one call (P048) or cut into batches (batch endpoints). */
function callsByKey(items: ItemSpec[], perCall: number): Unit[] {
	const byKey = new Map<string, number[]>();
	items.forEach((item, index) => byKey.set(item.key, [...(byKey.get(item.key) ?? []), index]));
	const keys = [...byKey.keys()];
	const units: Unit[] = [];
	for (let start = 0; start < keys.length; start += perCall) {
		units.push({ items: keys.slice(start, start + perCall).flatMap((key) => byKey.get(key)!), group: items[0].group });
	}
	return units;
}

function jpoItem(resource: string, operation: string, endpoint: string, values: IDataObject): ItemSpec {
	return {
		key: `${resource}/${operation}/${Object.values(values).join('/')}`,
		group: endpoint,
		parameters: { resource, operation, ...values, options: { maxAttempts: MAX_ATTEMPTS } },
	};
}

const progress = (applicationNumber: string) => jpoItem('patent', 'getProgress', '1-1', { applicationNumber });
const mailed = (applicationNumber: string) => jpoItem('patent', 'getMailedDocuments', '1-9', { applicationNumber });
const opd = (operation: string, docdbNumber: string) =>
	jpoItem('opd', operation, operation, operation === 'getFamily' || operation === 'getFamilyList' ? { docdbKind: 'application', docdbNumber } : { docdbNumber });

/** Every sandbox application of one law, for the soak pools. */
const applications = (h: FaultHarness, law: 'patent' | 'design' | 'trademark') => h.sb.data.jpo.all(law).map((entry) => entry.applicationNumber);

export const jpoJson: NodeFamily = {
	type: 'node',
	name: 'JPO JSON',
	api: 'jpo',
	node: () => new Jpo(),
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: true,
	scope: { path: '/api/patent/v1/app_progress/', skip: 1 },
	victimUnit: 1,
	quotaPerGroup: true,
	shape: 'one',
	notApplicable: { truncatedZip: NOT_A_ZIP },
	outputKey: () => 'result',
	// A repeated number (not next to its twin: each item is its own call), an unknown one (107).
	items: () => ['2020045678', '2021034567', '2019087654', '2020045678', '2017000001', '2018076543'].map(progress),
	units: oneCallPerItem,
	pool: (h) => [...applications(h, 'patent'), '2017000001', '2016000002'].map(progress),
	soakRunSize: 50,
};

export const jpoDocuments: NodeFamily = {
	type: 'node',
	name: 'JPO documents',
	api: 'jpo',
	node: () => new Jpo(),
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: true,
	scope: { path: '/app_doc_cont_', skip: 1 },
	victimUnit: 1,
	quotaPerGroup: true,
	shape: 'documents',
	outputKey: (json) => (json.found === false ? 'none' : `${String(json.documentCode)}:${String(json.documentNumber)}`),
	// Archives of two and one documents, "no documents" (108), and a design archive with page images.
	items: () => [
		mailed('2020045678'),
		mailed('2021034567'),
		mailed('2024056789'),
		mailed('2018076543'),
		jpoItem('design', 'getApplicationDocuments', '2-7', { applicationNumber: '2021015000' }),
		mailed('2020045678'),
	],
	units: oneCallPerItem,
	// The 12 MB archive of 2020099001 comes through a download link outside this scope; it is left out.
	pool: (h) =>
		applications(h, 'patent')
			.filter((number) => number !== '2020099001')
			.flatMap((number) => [mailed(number), jpoItem('patent', 'getRefusalNotices', '1-10', { applicationNumber: number })]),
	soakRunSize: 20,
};

const NO_TOKEN_ON_LINK = 'the pre-signed download link carries no token and no JPO status (the storage host answers it); applied anyway';

/**
 * Archives over 10 MB come as a pre-signed link valid for 5 minutes (docs/jpo.md, JPO output). The
 * threshold is lowered to one byte so every archive takes that way, and the faults hit the link:
 * JPO has counted the call that gave the link, so a failed download must not cost a second count.
 */
export const jpoDownloadLink: NodeFamily = {
	type: 'node',
	name: 'JPO documents via download link',
	api: 'jpo',
	node: () => new Jpo(),
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: true,
	sandbox: { jpo: { largeArchiveThresholdBytes: 1, largeDocuments: { '2020099001': 0 } } },
	scope: { path: '/__download/', skip: 1 },
	victimUnit: 1,
	quotaPerGroup: true,
	shape: 'documents',
	notApplicable: { expireTokens: NO_TOKEN_ON_LINK, tokenRefused: NO_TOKEN_ON_LINK, rateLimited: NO_TOKEN_ON_LINK, dailyQuota: NO_TOKEN_ON_LINK },
	outputKey: jpoDocuments.outputKey,
	items: () => [mailed('2020045678'), mailed('2021034567'), mailed('2018076543'), jpoItem('patent', 'getApplicationDocuments', '1-8', { applicationNumber: '2020045678' })],
	units: oneCallPerItem,
	pool: (h) =>
		applications(h, 'patent')
			.filter((number) => number !== '2020099001')
			.flatMap((number) => [mailed(number), jpoItem('patent', 'getApplicationDocuments', '1-8', { applicationNumber: number })]),
	soakRunSize: 10,
};

export const jpoOpd: NodeFamily = {
	type: 'node',
	name: 'OPD',
	api: 'jpo',
	node: () => new Jpo(),
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: true,
	scope: { path: '/opdapi/', skip: 1 },
	victimUnit: 1,
	quotaPerGroup: true,
	shape: 'one',
	notApplicable: { truncatedZip: NOT_A_ZIP },
	outputKey: () => 'result',
	// Four XML operations (each its own daily limit), an unknown DOCDB number (107) and a repeat.
	items: () => [
		opd('getFamily', 'JP.2020045678.A'),
		opd('getFamilyList', 'JP.2020045678.A'),
		opd('getDocumentList', 'JP.2021034567.A'),
		opd('getCitationClassification', 'JP.2020045678.A'),
		opd('getFamily', 'JP.2017000001.A'),
		opd('getFamily', 'JP.2020045678.A'),
	],
	units: oneCallPerItem,
	pool: (h) =>
		applications(h, 'patent').flatMap((number) =>
			['getFamily', 'getFamilyList', 'getDocumentList', 'getCitationClassification'].map((operation) => opd(operation, `JP.${number}.A`)),
		),
	soakRunSize: 20,
};

const legalStatus = (number: string, batchSize = 100): ItemSpec => ({
	key: number.toUpperCase(),
	group: 'P013',
	parameters: { resource: 'patent', operation: 'getLegalStatus', numbers: number, options: { maxAttempts: MAX_ATTEMPTS, batchSize } },
});

export const patSnapBatch: NodeFamily = {
	type: 'node',
	name: 'PatSnap batch',
	api: 'patsnap',
	node: () => new PatSnap(),
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: false,
	scope: { path: '/basic-patent-data/legal-status', skip: 1 },
	victimUnit: 1,
	quotaPerGroup: false,
	shape: 'one',
	notApplicable: { truncatedZip: NOT_A_ZIP },
	outputKey: () => 'result',
	// 250 distinct patents (three batches: 100, 100, 50) and five repeats in another spelling,
	// which go into the batch of their first spelling and must not be sent or billed again.
	items: (h) => {
		const numbers = h.sb.data.patsnap.patents.slice(0, 250).map((patent) => patent.pn);
		return [...numbers, ...[5, 120, 130, 210, 240].map((index) => numbers[index].toLowerCase())].map((number) => legalStatus(number));
	},
	units: (items) => callsByKey(items, 100),
	// Small batches in the soak: more calls per item, so more of them meet a fault.
	pool: (h) => [...h.sb.data.patsnap.patents.map((patent) => patent.pn), 'US0000001B1', 'EP0000002A1'].map((number) => legalStatus(number, 5)),
	soakRunSize: 100,
};

const examinationDocuments = (number: string): ItemSpec => ({
	key: number.toUpperCase(),
	group: 'P048',
	parameters: { resource: 'patent', operation: 'getExaminationDocuments', numbers: number, returnAll: true, options: { pageSize: 10, maxAttempts: MAX_ATTEMPTS } },
});

export const patSnapPaging: NodeFamily = {
	type: 'node',
	name: 'PatSnap P048 paging',
	api: 'patsnap',
	node: () => new PatSnap(),
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: false,
	// The third page of the first patent: two pages (20 documents) are in hand when it fails.
	scope: { path: '/advanced-patent-data/', skip: 2 },
	victimUnit: 0,
	victimKeeps: 20,
	quotaPerGroup: false,
	shape: 'pages',
	notApplicable: { truncatedZip: NOT_A_ZIP },
	// Signed links carry their signing time.
	volatile: ['path', 'pathExpiresAt', 'pathNote'],
	outputKey: (json) => (json.position === undefined ? 'none' : String(json.position)),
	// 46 documents (5 pages of 10), 26 (3 pages), an unknown patent, and a repeat that shares the first fetch.
	items: () => ['US11223344B2', 'US20230123456A1', 'US0000001B1', 'us11223344b2'].map(examinationDocuments),
	units: (items) => callsByKey(items, 1),
	pool: (h) => [...h.sb.data.patsnap.patents.filter((patent) => patent.country !== 'CN').map((patent) => patent.pn), 'CN112345678A', 'US0000001B1'].map(examinationDocuments),
	soakRunSize: 10,
};

const HOURLY = { item: [{ mode: 'everyHour', minute: 0 }] };

export const jpoTrigger: TriggerFamily = {
	type: 'trigger',
	name: 'JPO Trigger',
	api: 'jpo',
	// The trigger has no Max Attempts option: its transport uses the default policy.
	maxAttempts: 4,
	retriesUnreadable: true,
	scope: { path: '/app_progress_simple/', skip: 1 },
	notApplicable: { truncatedZip: NOT_A_ZIP },
	watched: () => ['特願2021-034567', '2019087654', '2020045678', '意願2021-015000', '商願2023-045678'],
	victim: 1,
	changed: [0, 1, 3],
	poller(h, watched) {
		const staticData: IDataObject = {};
		const store = newCredentialStore(h.credentials());
		return {
			staticData,
			poll: async () => {
				const context = createPollContext({
					parameters: { watchList: watched.join('\n'), defaultLaw: 'patent', residence: 'japan', pollTimes: HOURLY, options: {} },
					credentials: h.credentials(),
					store,
					staticData,
				});
				return await runPoll(context, async (pollContext) => await pollJpoWatchList(pollContext, h.clock));
			},
		};
	},
	change(h, entry) {
		const law = entry.startsWith('意願') ? 'design' : entry.startsWith('商願') ? 'trademark' : 'patent';
		const applicationNumber = entry.replace(/^\D+/, '').replace('-', '').replace(/^(\d{4})(\d+)$/, (_, year: string, serial: string) => `${year}${serial.padStart(6, '0')}`);
		const document = h.sb.data.jpo.addDocument(law, applicationNumber, { documentCode: 'A131' }, jstDate(h.clock.now()));
		return `${law}:${applicationNumber}:newDocument:${document.documentNumber}`;
	},
	changeKey: (json) => `${String(json.law)}:${String(json.applicationNumber)}:${String(json.change)}:${String((json.document as IDataObject | null)?.documentNumber ?? '')}`,
	// After a daily-limit stop the trigger waits for JPO's reset at 00:00 JST.
	beforeCleanPoll: (h) => {
		h.clock.time = nextJstMidnight(h.clock.now()).getTime() + 60_000;
	},
};

/** Legal statuses a watched patent moves through, one step per change: [simple, detailed]. */
const STATUS_STEPS: ReadonlyArray<[string, string]> = [
	['Inactive', 'Expired'],
	['Active', 'Granted'],
	['Inactive', 'Non-Payment'],
	['Active', 'Restored'],
];

/** Makes codes of new legal events unique across a run, so each event is its own change. */
let legalEventSerial = 0;

/**
 * The PatSnap Trigger on a watch list of 250 sandbox patents (three P013 and three P026 batches:
 * 100, 100, 50), watching Legal Status and Events. Faults hit the second Legal Status batch: the
 * first batch is read before it and the third after it. Even-numbered patents of the data set get a
 * new legal status, odd-numbered ones a new legal event (P026), so the victim batch holds one change
 * its failed call would read and one that the other call for the same patents reads anyway.
 */
export const patSnapTrigger: TriggerFamily = {
	type: 'trigger',
	name: 'PatSnap Trigger',
	api: 'patsnap',
	maxAttempts: MAX_ATTEMPTS,
	retriesUnreadable: false,
	// P013 /basic-patent-data/legal-status and P026 /advanced-patent-data/legal-data; the first
	// batch's two calls pass, so the fault starts with the second batch's P013 call.
	scope: { path: 'patent-data/legal-', skip: 2 },
	notApplicable: { truncatedZip: NOT_A_ZIP },
	watched: (h) => h.sb.data.patsnap.patents.slice(0, 250).map((patent) => patent.pn),
	// Three patents (two get new statuses, one new events): more polls, so more faults, per soak item.
	soakWatched: (h) => h.sb.data.patsnap.patents.slice(0, 3).map((patent) => patent.pn),
	victim: 100,
	victimCount: 100,
	// Nothing changes in the first batch, so a poll stopped at the second has nothing to emit and fails.
	changed: [100, 101, 200, 201],
	readByFaultedCall: (key) => key.includes(':legal:'),
	partialPolls: true,
	replacedByNextChange: (key) => key.includes(':legal:'),
	poller(h, watched) {
		const staticData: IDataObject = {};
		const store = newCredentialStore(h.credentials());
		return {
			staticData,
			poll: async () => {
				const context = createPollContext({
					parameters: {
						source: 'watchList',
						patents: watched.join('\n'),
						watch: ['legalStatus', 'events'],
						pollTimes: HOURLY,
						options: { maxAttempts: MAX_ATTEMPTS },
					},
					credentials: h.credentials(),
					store,
					staticData,
				});
				return await runPoll(context, async (pollContext) => await pollPatSnap(pollContext, h.clock));
			},
		};
	},
	change(h, entry) {
		const data = h.sb.data.patsnap;
		const patent = data.find(entry)!;
		if (data.patents.indexOf(patent) % 2 === 1) {
			const code = `EV${++legalEventSerial}`;
			data.addLegalEvent(entry, { event_code: code, event_desc: 'FAULT MATRIX EVENT' }, cstDateInt(h.clock.now()));
			return `${entry}:event:${code}`;
		}
		// The next status, dated a day after the last update, so no two changes of a patent look alike.
		const step = STATUS_STEPS.findIndex(([, legal]) => patent.legal.legal_status.includes(legal));
		const [simple, legal] = STATUS_STEPS[(step + 1) % STATUS_STEPS.length];
		const date = Number(addDays(String(patent.legal.legal_date), 1));
		data.setLegalStatus(entry, { simple_legal_status: [simple], legal_status: [legal], legal_date: date }, date);
		return `${entry}:legal:${date}`;
	},
	changeKey(json) {
		const input = String((json.patent as IDataObject | null)?.input);
		const value = (json.newValue ?? {}) as IDataObject;
		if (json.aspect === 'legalStatus') return `${input}:legal:${String(value.legalDate)}`;
		if (json.aspect === 'events') return `${input}:event:${String(value.code)}`;
		return `${input}:${String(json.change)}`;
	},
	// After a daily-limit stop the next poll comes after PatSnap's reset at 00:00 China time.
	beforeCleanPoll: (h) => {
		h.clock.time = nextChinaMidnight(h.clock.now()).getTime() + 60_000;
	},
};

/** The matrix rows, in the order the test prints them; every fault column and the soak cover each. */
export const FAMILIES: ReadonlyArray<NodeFamily | TriggerFamily> = [jpoJson, jpoDocuments, jpoDownloadLink, jpoOpd, patSnapBatch, patSnapPaging, jpoTrigger, patSnapTrigger];
