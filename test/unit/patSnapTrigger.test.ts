/**
 * The PatSnap Trigger's pure parts: reading the watch list, reading and comparing answers, the
 * items' shape, and what it stores. Polling itself is tested against the sandbox in
 * test/integration/patSnapTriggerPoll.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { nextChinaMidnight } from '../../nodes/PatSnap/dailyLimit';
import { caseChanges, casesPrint, legalChanges, legalPrint, printsOf, unseenEntries } from '../../nodes/PatSnapTrigger/diffs';
import {
	caseChangeJson,
	currentStateJson,
	invalidEntryJson,
	legalChangeJson,
	newDocumentJson,
	newLegalEventJson,
	newTransferJson,
	notFoundJson,
} from '../../nodes/PatSnapTrigger/items';
import { readCases, readDocuments, readLegalEvents, readLegalStatus, readTransfers, type PatentIdentity } from '../../nodes/PatSnapTrigger/readings';
import { readState, type PatSnapTriggerState } from '../../nodes/PatSnapTrigger/state';
import { writeState } from '../../nodes/shared/trigger/pollEntry';
import { batchesOf, parsePatentList } from '../../nodes/PatSnapTrigger/watchList';

const ID = '1a2b3c4d-0000-4000-8000-1234567890ab';
const PATENT: PatentIdentity = { key: 'patentNumber:US11205304B2', input: 'US 11205304 B2', patentId: ID, pn: 'US11205304B2' };
const AT = '2026-11-21T03:00:00.000Z';

const legalResult = (simple: string[], legal: string[], events: string[], date = 20261121): IDataObject => ({
	pn: 'US11205304B2',
	patent_id: ID,
	legal_date: date,
	patent_legal: { simple_legal_status: simple, legal_status: legal, event_status: events },
});

describe('watch list', () => {
	it('reads numbers and IDs one per line or comma-separated, with comments, and reports the rest by line', () => {
		const list = parsePatentList(
			['US11205304B2 # client A', 'ep 3456789 a1; CN112345678A', '', `${ID.toUpperCase()},12345`, '# only a comment', 'US11205304B2', '2020-12x'].join('\n'),
			'auto',
		);
		expect(list.patents.map((patent) => [patent.key, patent.input, patent.line])).toEqual([
			['patentNumber:US11205304B2', 'US11205304B2', 1],
			['patentNumber:EP3456789A1', 'ep 3456789 a1', 2],
			['patentNumber:CN112345678A', 'CN112345678A', 2],
			[`patentId:${ID}`, ID.toUpperCase(), 4],
		]);
		expect(list.duplicates).toBe(1);
		expect(list.invalid.map((invalid) => [invalid.typed, invalid.line])).toEqual([
			['12345', 4],
			['2020-12x', 7],
		]);
		expect(list.invalid[0].reason).toMatch(/neither a PatSnap patent id nor a publication number/);
	});

	it('takes an array from an expression, and a forced number type', () => {
		expect(parsePatentList(['US11205304B2', ['EP3456789A1', 'KR102345678B1']], 'auto').patents.map((patent) => patent.value)).toEqual([
			'US11205304B2',
			'EP3456789A1',
			'KR102345678B1',
		]);
		const forced = parsePatentList(`US11205304B2\n${ID}`, 'patentId');
		expect(forced.patents.map((patent) => patent.key)).toEqual([`patentId:${ID}`]);
		expect(forced.invalid.map((invalid) => invalid.typed)).toEqual(['US11205304B2']);
	});

	it('cuts batches of at most 100 and never mixes IDs with numbers', () => {
		const numbers = Array.from({ length: 150 }, (_, index) => `US${11000000 + index}B2`);
		const ids = Array.from({ length: 3 }, (_, index) => `1a2b3c4d-0000-4000-8000-12345678900${index}`);
		const list = parsePatentList([ids[0], ...numbers, ids[1], ids[2]], 'auto');
		const batches = batchesOf(list.patents, 100);
		expect(batches.map((batch) => [batch.length, [...new Set(batch.map((patent) => patent.kind))]])).toEqual([
			[100, ['patentNumber']],
			[50, ['patentNumber']],
			[3, ['patentId']],
		]);
	});
});

describe('reading and comparing the legal status', () => {
	it('keeps English values, translates Chinese ones and keeps what PatSnap sent', () => {
		expect(readLegalStatus(legalResult(['Active'], ['Granted'], ['Transfer']))).toEqual({
			simple: ['Active'],
			legal: ['Granted'],
			events: ['Transfer'],
			date: 20261121,
			untranslated: [],
		});
		const chinese = readLegalStatus(legalResult(['有效'], ['授权'], ['转让', '未知事件']));
		expect(chinese).toEqual({
			simple: ['Active'],
			legal: ['Granted'],
			events: ['Transfer', '未知事件'],
			date: 20261121,
			asSent: { simple: ['有效'], legal: ['授权'], events: ['转让', '未知事件'] },
			untranslated: ['未知事件'],
		});
		// A P041-shaped answer (status at the top, no date) reads too.
		expect(readLegalStatus({ simple_legal_status: ['审中'] })).toMatchObject({ simple: ['Pending'], legal: [], date: null });
	});

	it('tells a status change, a change of event flags and a bare new date apart, and ignores order', () => {
		const before = legalPrint(readLegalStatus(legalResult(['Pending'], ['Examining'], ['Transfer', 'License'], 20260101)));
		const same = (simple: string[], legal: string[], events: string[], date: number) => legalChanges(before, readLegalStatus(legalResult(simple, legal, events, date)));
		expect(same(['Pending'], ['Examining'], ['License', 'Transfer'], 20260101)).toEqual([]);
		expect(same(['Active'], ['Granted'], ['Transfer', 'License'], 20261121)).toEqual(['legalStatusChanged']);
		expect(same(['Pending'], ['Examining'], ['Transfer'], 20261121)).toEqual(['eventStatusChanged']);
		expect(same(['Active'], ['Granted'], ['Transfer'], 20261121)).toEqual(['legalStatusChanged', 'eventStatusChanged']);
		expect(same(['Pending'], ['Examining'], ['Transfer', 'License'], 20261121)).toEqual(['legalDateChanged']);
		// Chinese answers compare on their meaning.
		expect(same(['审中'], ['实质审查'], ['转让', '许可'], 20260101)).toEqual([]);
	});

	it('builds a change item with old and new values and a changeId that differs for every transition', () => {
		const previous = legalPrint(readLegalStatus(legalResult(['Pending'], ['Examining'], [], 20260101)));
		const view = readLegalStatus(legalResult(['有效'], ['授权'], [], 20261121));
		const json = legalChangeJson('legalStatusChanged', PATENT, previous, view, AT);
		expect(json).toMatchObject({
			change: 'legalStatusChanged',
			oldValue: { simpleLegalStatus: ['Pending'], legalStatus: ['Examining'], legalDate: 20260101, legalDateIso: '2026-01-01' },
			newValue: { simpleLegalStatus: ['Active'], legalStatus: ['Granted'], asSent: { simpleLegalStatus: ['有效'], legalStatus: ['授权'] } },
			added: ['Active', 'Granted'],
			removed: ['Pending', 'Examining'],
		});
		const back = legalChangeJson('legalStatusChanged', PATENT, legalPrint(view), readLegalStatus(legalResult(['Pending'], ['Examining'], [], 20261201)), AT);
		expect(back.changeId).not.toBe(json.changeId);
		expect(legalChangeJson('legalStatusChanged', PATENT, previous, view, AT).changeId).toBe(json.changeId);
	});
});

describe('entries: events, transfers, cases and documents', () => {
	it('identifies events and documents by what does not get reworded, and never by the signed link', () => {
		const events = readLegalEvents({
			patsnap_legal_data: {
				inpadoc_legal_data: [{ event_code: 'AS', event_date: 20261101, event_desc: 'ASSIGNMENT', ref_country_code: 'US' }],
				official_legal_data: [{ event_code: 'C14', event_date: 20261102, event_desc: '授权', event_legal_status: '授权' }],
			},
		});
		const reworded = readLegalEvents({ patsnap_legal_data: { inpadoc_legal_data: [{ event_code: 'AS', event_date: 20261101, event_desc: 'ASSIGNMENT OF ASSIGNORS INTEREST', ref_country_code: 'US' }] } });
		expect(reworded[0].print).toBe(events[0].print);
		expect(events.map((event) => [event.source, event.code, event.date])).toEqual([
			['inpadoc', 'AS', 20261101],
			['official', 'C14', 20261102],
		]);
		const [first, second] = readDocuments([
			{ date: 20261118, doc_code: 'CTNF', description: 'Non-Final Rejection', page_number: 12, path: 'https://example.invalid/a?q-sign-time=1;2' },
			{ date: 20261118, doc_code: 'CTNF', description: 'Non-Final Rejection', page_number: 12, path: 'https://example.invalid/b?q-sign-time=3;4' },
		]);
		expect(first.print).toBe(second.print);
		expect(readTransfers(undefined)).toEqual([]);
		expect(readCases({})).toEqual([]);
	});

	it('counts entries as a multiset: a repeat of a known entry is new', () => {
		const docs = readDocuments([
			{ date: 20260101, doc_code: 'IDS' },
			{ date: 20260101, doc_code: 'IDS' },
			{ date: 20260201, doc_code: 'CTNF' },
		]);
		const stored = printsOf(docs.slice(0, 1));
		expect(unseenEntries(stored, docs).map(({ entry, occurrence }) => [entry.code, occurrence])).toEqual([
			['IDS', 2],
			['CTNF', 1],
		]);
		expect(unseenEntries(printsOf(docs), docs)).toEqual([]);
		// An entry that disappeared is not reported, and does not hide a new one.
		expect(unseenEntries(printsOf(docs), docs.slice(2))).toEqual([]);
	});

	it('reports a new court case, and a verdict date that appeared on a known one', () => {
		const filed = readCases({ patent_litigation_data: [{ case_number: '1:26-cv-01234', court: 'D. Del.', title: 'A v. B', filing_date: 20261110, verdict_date: null }] });
		expect(caseChanges('', filed).map((change) => change.kind)).toEqual(['newLitigation']);
		const stored = casesPrint(filed);
		expect(caseChanges(stored, filed)).toEqual([]);
		const decided = readCases({ patent_litigation_data: [{ case_number: '1:26-cv-01234', court: 'D. Del.', title: 'A v. B', filing_date: 20261110, verdict_date: 20261201 }] });
		const [change] = caseChanges(stored, decided);
		expect(change).toMatchObject({ kind: 'litigationUpdated', previousVerdictDate: null });
		expect(caseChangeJson(PATENT, change, AT)).toMatchObject({ oldValue: { verdictDate: null }, newValue: { verdictDate: 20261201, verdictDateIso: '2026-12-01' } });
		expect(caseChanges(casesPrint(decided), decided)).toEqual([]);
	});

	it('gives every kind of item the same keys, so later nodes can rely on them', () => {
		const view = readLegalStatus(legalResult(['Active'], ['Granted'], []));
		const [event] = readLegalEvents({ patsnap_legal_data: { inpadoc_legal_data: [{ event_code: 'AS', event_date: 20261101 }] } });
		const [transfer] = readTransfers({ patent_transfer_data: [{ effective_date: 20261101, transferers: [{ name: 'A' }], transferees: [{ name: 'B' }] }] });
		const [entry] = readCases({ patent_litigation_data: [{ case_number: '1', court: 'C' }] });
		const [doc] = readDocuments([{ date: 20261118, doc_code: 'NOA' }]);
		const items = [
			legalChangeJson('legalStatusChanged', PATENT, null, view, AT),
			newLegalEventJson(PATENT, event, 1, AT),
			newTransferJson(PATENT, transfer, 1, AT),
			caseChangeJson(PATENT, { kind: 'newLitigation', entry, occurrence: 1 }, AT),
			newDocumentJson(PATENT, doc, 1, AT),
			currentStateJson(PATENT, { aspect: 'transfers', entries: [transfer] }, AT),
			notFoundJson(PATENT, AT),
		];
		const keys = Object.keys(items[0]).sort();
		for (const item of items) expect(Object.keys(item).sort()).toEqual(keys);
		expect(Object.keys(invalidEntryJson('12345', 2, 'bad', AT)).sort()).toEqual([...keys, 'error', 'line'].sort());
		expect(new Set(items.map((item) => item.changeId)).size).toBe(items.length);
		expect(items.every((item) => typeof item.summary === 'string' && /^[A-Z].*\.$/.test(String(item.summary)))).toBe(true);
	});
});

describe('state', () => {
	it('starts afresh from anything it does not recognise and keeps a monitor memory it does', () => {
		expect(readState({})).toEqual({ version: 1, patents: {}, lastMark: 0, reportedInvalid: [] });
		expect(readState({ version: 99, patents: { x: { checked: 1 } } }).patents).toEqual({});
		expect(readState({ version: 1, patents: 'nonsense' } as unknown as IDataObject).patents).toEqual({});
		const monitor = { alertId: 'abc', patents: { [ID]: { legal: { s: [], l: [], e: [], d: null }, seen: 5 } } };
		expect(readState({ version: 1, patents: {}, lastMark: 5, reportedInvalid: [], monitor } as unknown as IDataObject).monitor).toEqual(monitor);
	});

	it('writes in place, removing keys the state no longer has, and hands out private copies', () => {
		const staticData: IDataObject = { leftover: true, version: 1, patents: {} };
		const state = readState(staticData);
		state.patents['patentNumber:US11205304B2'] = { checked: 1 };
		expect(staticData.patents).toEqual({});
		writeState(staticData, state);
		expect(staticData).toEqual({ version: 1, patents: { 'patentNumber:US11205304B2': { checked: 1 } }, lastMark: 0, reportedInvalid: [] });
	});

	it('stays near 130 bytes a patent for a watch list of legal statuses', () => {
		const state: PatSnapTriggerState = { version: 1, patents: {}, lastMark: 0, reportedInvalid: [] };
		for (let index = 0; index < 1000; index++) {
			state.patents[`patentNumber:US${11000000 + index}B2`] = { checked: 1795230000000, legal: legalPrint(readLegalStatus(legalResult(['Active'], ['Granted'], ['Transfer']))) };
		}
		const size = JSON.stringify(state).length;
		expect(size).toBeLessThan(130_000);
	});
});

describe('PatSnap day', () => {
	it('starts at 00:00 China time (UTC+8)', () => {
		expect(nextChinaMidnight(Date.UTC(2026, 10, 21, 3, 0)).toISOString()).toBe('2026-11-21T16:00:00.000Z');
		expect(nextChinaMidnight(Date.UTC(2026, 10, 21, 16, 0)).toISOString()).toBe('2026-11-22T16:00:00.000Z');
		expect(nextChinaMidnight(Date.UTC(2026, 10, 21, 15, 59)).toISOString()).toBe('2026-11-21T16:00:00.000Z');
	});
});
