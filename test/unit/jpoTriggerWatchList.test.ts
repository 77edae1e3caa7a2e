/**
 * Reading the trigger's watch list, its budget arithmetic and the size of what it stores. The
 * polling itself is tested against the sandbox in test/integration/jpoTriggerPoll.test.ts.
 */
import { findJpoEndpoint } from '../../nodes/Jpo/catalog';
import { QuotaBudget, sweepEstimate } from '../../nodes/JpoTrigger/budget';
import { pollsPerDay } from '../../nodes/shared/polling';
import { jstDay } from '../../nodes/Jpo/dates';
import { snapshotOf } from '../../nodes/JpoTrigger/diff';
import { readProgress } from '../../nodes/JpoTrigger/progress';
import { readState, type JpoTriggerState } from '../../nodes/JpoTrigger/state';
import { writeState } from '../../nodes/shared/trigger/pollEntry';
import { parseWatchList } from '../../nodes/JpoTrigger/watchList';

describe('watch list', () => {
	it('reads every form the JPO node accepts and takes the law from prefixes, hints or the default', () => {
		const list = parseWatchList(
			[
				'特願2020-045678',
				'意匠登録願2021-015000, 商願２０２３－０４５６７８',
				'令和3年意匠登録願第1500号',
				'trademark: 2018-067890',
				'意匠：2022010001',
				'Design 2023-020002   # client B',
				'JP2019087654',
				'2021034567',
				'# a comment line',
				'',
				'  令和2年特許願第45678号  ',
			].join('\n'),
			'patent',
		);
		expect(list.invalid).toEqual([]);
		expect(list.entries.map((entry) => [entry.law, entry.applicationNumber, entry.lawFrom, entry.line])).toEqual([
			['patent', '2020045678', 'prefix', 1],
			['design', '2021015000', 'prefix', 2],
			['trademark', '2023045678', 'prefix', 2],
			['design', '2021001500', 'prefix', 3],
			['trademark', '2018067890', 'hint', 4],
			['design', '2022010001', 'hint', 5],
			['design', '2023020002', 'hint', 6],
			['patent', '2019087654', 'default', 7],
			['patent', '2021034567', 'default', 8],
		]);
		// The same patent written a second way is a duplicate, kept once in its first spelling.
		expect(list.duplicates).toBe(1);
		expect(list.entries[2].typed).toBe('商願２０２３－０４５６７８');
	});

	it('uses the default type for bare numbers', () => {
		expect(parseWatchList('2023045678', 'trademark').entries[0]).toMatchObject({ key: 'trademark:2023045678', law: 'trademark', lawFrom: 'default' });
	});

	it('takes an array, as an expression may give one', () => {
		expect(parseWatchList(['2020-045678', '意願2021-015000'], 'patent').entries.map((entry) => entry.key)).toEqual(['patent:2020045678', 'design:2021015000']);
	});

	it('reports unreadable entries with their line instead of dropping them', () => {
		const list = parseWatchList('2020-045678\n2020-12x\n特開2021-097352\n実願2020-001234\n特許第7112139号\ndesign: 特願2020-045678', 'patent');
		expect(list.entries.map((entry) => entry.key)).toEqual(['patent:2020045678']);
		expect(list.invalid.map((invalid) => [invalid.line, invalid.typed])).toEqual([
			[2, '2020-12x'],
			[3, '特開2021-097352'],
			[4, '実願2020-001234'],
			[5, '特許第7112139号'],
			[6, 'design: 特願2020-045678'],
		]);
		expect(list.invalid[0].reason).toMatch(/Accepted forms: 2020123456/);
		// A publication number has the shape of an application number and would watch the wrong case.
		expect(list.invalid[1].reason).toMatch(/publication number, not an application number/);
		expect(list.invalid[2].reason).toMatch(/utility model/);
		expect(list.invalid[3].reason).toMatch(/registration number/);
		expect(list.invalid[4].reason).toMatch(/marked design but its prefix names a patent application/);
	});
});

describe('budget', () => {
	const progress = findJpoEndpoint('patent', 'getSimpleProgress')!;
	const state = () => ({ day: '2026-11-21', spent: {}, remain: {}, blockedUntil: {} });

	it('allows share × daily limit calls a JST day, keeps the reserve JPO reports and honours a 203 until the reset', () => {
		let now = Date.UTC(2026, 10, 21, 3);
		const budget = new QuotaBudget(state(), { share: 0.5, dailyLimit: () => 7, reserve: 2 }, () => now);
		expect(budget.allowance(progress)).toBe(3);
		budget.record(progress, 100);
		budget.record(progress, 99);
		expect(budget.available(progress)).toEqual({ ok: true });
		budget.record(progress, 98);
		expect(budget.available(progress)).toMatchObject({ ok: false, reason: 'share' });

		const reserve = new QuotaBudget(state(), { share: 1, dailyLimit: () => 400, reserve: 2 }, () => now);
		reserve.record(progress, 3);
		expect(reserve.available(progress)).toEqual({ ok: true });
		reserve.record(progress, 2);
		expect(reserve.available(progress)).toMatchObject({ ok: false, reason: 'reserve', message: expect.stringContaining('2 calls left') });

		const blocked = new QuotaBudget(state(), { share: 1, dailyLimit: () => 400, reserve: 0 }, () => now);
		blocked.block(progress, Date.UTC(2026, 10, 21, 15));
		expect(blocked.available(progress)).toMatchObject({ ok: false, reason: 'blocked' });
		now = Date.UTC(2026, 10, 21, 15);
		expect(blocked.available(progress)).toMatchObject({ ok: false, reason: 'reserve' });
	});

	it('starts the counters afresh at 00:00 JST', () => {
		const stored = { version: 1, apps: {}, parties: {}, lastMark: 5, reportedInvalid: [], budget: { day: '2026-11-21', spent: { '1-2': 200 }, remain: { '1-2': 0 }, blockedUntil: { '1-2': Date.UTC(2026, 10, 21, 15) } } };
		expect(readState(stored, Date.UTC(2026, 10, 21, 14, 59)).budget.spent).toEqual({ '1-2': 200 });
		expect(jstDay(Date.UTC(2026, 10, 21, 15))).toBe('2026-11-22');
		expect(readState(stored, Date.UTC(2026, 10, 21, 15)).budget).toEqual({ day: '2026-11-22', spent: {}, remain: {}, blockedUntil: {} });
		expect(stored.budget.spent).toEqual({ '1-2': 200 });
	});

	it('derives the poll frequency from Poll Times, and not from custom cron expressions', () => {
		expect(pollsPerDay({ item: [{ mode: 'everyMinute' }] })).toBe(1440);
		expect(pollsPerDay({ item: [{ mode: 'everyHour', minute: 5 }] })).toBe(24);
		expect(pollsPerDay({ item: [{ mode: 'everyX', value: 7, unit: 'minutes' }] })).toBe(24 * 9);
		expect(pollsPerDay({ item: [{ mode: 'everyX', value: 5, unit: 'hours' }] })).toBe(5);
		expect(pollsPerDay({ item: [{ mode: 'everyDay', hour: 9 }, { mode: 'everyDay', hour: 17 }] })).toBe(2);
		expect(pollsPerDay({ item: [{ mode: 'custom', cronExpression: '0 0 9 * * 1-5' }] })).toBeUndefined();
		expect(pollsPerDay(undefined)).toBeUndefined();
	});

	it('says how long a sweep takes and what limits it', () => {
		const allowance = { patent: 200, design: 200, trademark: 200 };
		const bySchedule = sweepEstimate({ counts: { patent: 50, design: 10, trademark: 0 }, perPoll: 20, dailyAllowance: allowance, pollsPerDay: 24 });
		expect(bySchedule).toMatchObject({ applications: 60, pollsPerSweep: 3, pollIntervalMinutes: 60, estimatedMinutes: 180, estimatedDuration: '3 h', limitedBy: 'pollSchedule' });
		expect(bySchedule.description).toBe('60 applications, up to 20 per poll: a full sweep takes 3 polls, about 3 h at one poll every 60 min.');

		// 200 checks today, the reset at 00:00 JST, then 100 more in 5 hourly polls.
		const byBudget = sweepEstimate({ counts: { patent: 300, design: 0, trademark: 0 }, perPoll: 20, dailyAllowance: allowance, pollsPerDay: 24 });
		expect(byBudget).toMatchObject({ pollsPerSweep: 15, estimatedMinutes: 1440 + 5 * 60, estimatedDuration: '29 h', limitedBy: 'dailyQuotaShare' });
		expect(byBudget.description).toBe('300 applications, up to 20 per poll: a full sweep takes 15 polls, but the daily quota share allows 200 patent checks a day, so it takes about 29 h.');
		expect(sweepEstimate({ counts: { patent: 300, design: 0, trademark: 0 }, perPoll: 20, dailyAllowance: allowance, pollsPerDay: undefined }).description).toBe(
			'300 applications, up to 20 per poll: a full sweep takes 15 polls, and the daily quota share allows 200 patent checks a day, so it spreads over 2 JST days. The duration cannot be derived from custom poll times.',
		);

		expect(sweepEstimate({ counts: { patent: 5, design: 0, trademark: 0 }, perPoll: 20, dailyAllowance: allowance, pollsPerDay: undefined })).toMatchObject({
			pollsPerSweep: 1,
			estimatedDuration: null,
			description: expect.stringMatching(/cannot be derived from custom poll times/),
		});
		expect(sweepEstimate({ counts: { patent: 5, design: 0, trademark: 0 }, perPoll: 20, dailyAllowance: { ...allowance, patent: 0 }, pollsPerDay: 24 }).description).toMatch(/never completes/);
	});
});

describe('stored state', () => {
	function storedBytes(documents: number): { bytes: number; state: JpoTriggerState } {
		const state: JpoTriggerState = { version: 1, apps: {}, parties: {}, lastMark: 0, reportedInvalid: [], budget: { day: '2026-11-21', spent: { '1-2': 200 }, remain: { '1-2': 600 }, blockedUntil: {} } };
		for (let index = 0; index < 300; index++) {
			const applicationNumber = `2020${String(index).padStart(6, '0')}`;
			const view = readProgress({
				registrationNumber: '7112139',
				registrationDate: '20250101',
				erasureIdentifier: '00',
				expireDate: '20400101',
				applicantAttorney: [
					{ applicantAttorneyCd: '000100001', name: 'みらい電機株式会社', applicantAttorneyClass: '1' },
					{ applicantAttorneyCd: '000100002', name: 'アトラス　ツールズ　コーポレイション', applicantAttorneyClass: '1' },
					{ applicantAttorneyCd: '100000001', name: '弁理士　山田　太郎', applicantAttorneyClass: '2' },
				],
				bibliographyInformation: [
					{
						numberType: '01',
						number: applicationNumber,
						documentList: Array.from({ length: documents }, (_, document) => ({ documentCode: 'A53', documentNumber: `5${applicationNumber}${document}`, legalDate: '20250101' })),
					},
				],
			});
			state.apps[`patent:${applicationNumber}`] = snapshotOf(view, Date.UTC(2026, 10, 21), state.parties, ['000100001 みらい電機株式会社']);
		}
		const staticData = {};
		writeState(staticData, state);
		return { bytes: Buffer.byteLength(JSON.stringify(staticData)), state };
	}

	it('stays small: 300 registered applications with 30 documents, two applicants and a right holder each stay under 100 kB', () => {
		const { bytes, state } = storedBytes(30);
		expect(bytes).toBeLessThan(100_000);
		expect(Object.keys(state.apps)).toHaveLength(300);
		// Each party name is stored once for the whole list, each document as a 6-character fingerprint.
		expect(Object.values(state.parties).sort()).toEqual(['000100001 みらい電機株式会社', '000100002 アトラス　ツールズ　コーポレイション']);
		expect(storedBytes(40).bytes - bytes).toBe(300 * 10 * 6);
		expect(state.apps['patent:2020000000']).toEqual({ checked: Date.UTC(2026, 10, 21), docs: expect.stringMatching(/^[0-9a-z]{180}$/), reg: '7112139', applicants: expect.stringMatching(/^[0-9a-z]{12}$/), holders: expect.stringMatching(/^[0-9a-z]{6}$/) });
	});
});
