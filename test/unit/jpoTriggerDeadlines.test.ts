/**
 * The estimated deadline rule of the JPO Trigger: Patent Act Art. 3 period counting (first day not
 * counted, calendar months, month end when there is no corresponding day) and the shift of a last day
 * on a closed day. Expected dates were worked out by hand from a calendar; the holiday table is also
 * checked against an independent derivation from the Act on National Holidays.
 */
import {
	closedReason,
	estimateDeadline,
	HOLIDAY_TABLE_YEARS,
	lastDayOfPeriod,
	nextWorkingDay,
	type Residence,
} from '../../nodes/JpoTrigger/deadlines';
import type { JpoLaw } from '../../nodes/JpoTrigger/watchList';

const estimate = (law: JpoLaw, documentCode: string, legalDate: string, residence: Residence = 'japan', today = '2026-11-21') =>
	estimateDeadline({ law, documentCode, legalDate, residence, today });

describe('period counting (Patent Act Art. 3(1))', () => {
	it.each([
		['days: the first day is not counted', '2026-08-12', { days: 60 }, '2026-10-11'],
		['months from mid-month: the day before the corresponding day', '2026-01-10', { months: 3 }, '2026-04-10'],
		['months with no corresponding day: the end of that month', '2026-11-29', { months: 3 }, '2027-02-28'],
		['months with no corresponding day in a leap year', '2027-11-29', { months: 3 }, '2028-02-29'],
		['a period starting on the 1st ends at the end of its last month, not on the 28th', '2027-02-28', { months: 3 }, '2027-05-31'],
		['over the year end', '2026-12-31', { months: 3 }, '2027-03-31'],
	])('%s', (_label, dispatch, period, expected) => {
		expect(lastDayOfPeriod(dispatch, period)).toBe(expected);
	});
});

describe('closed days (Patent Act Art. 3(2) and the Act on Holidays of Administrative Organs)', () => {
	it('knows weekends, national holidays and the year-end closure', () => {
		expect(closedReason('2026-10-10')).toBe('a Saturday');
		expect(closedReason('2026-10-11')).toBe('a Sunday');
		expect(closedReason('2026-10-12')).toBe('a national holiday');
		expect(closedReason('2026-12-29')).toMatch(/year-end closure/);
		expect(closedReason('2027-01-03')).toBe('a Sunday');
		expect(closedReason('2027-01-04')).toBeUndefined();
		expect(closedReason('2026-09-22')).toBe('a national holiday');
	});

	it('moves a last day on a closed day to the next working day and says why', () => {
		expect(nextWorkingDay('2026-05-03')).toEqual({
			date: '2026-05-07',
			shiftedBecause: ['2026-05-03 is a Sunday', '2026-05-04 is a national holiday', '2026-05-05 is a national holiday', '2026-05-06 is a national holiday'],
		});
		expect(nextWorkingDay('2026-10-14')).toEqual({ date: '2026-10-14', shiftedBecause: [] });
	});

	it('holds exactly the holidays the Act on National Holidays gives for 2024–2028', () => {
		const day = (year: number, month: number, date: number) => new Date(Date.UTC(year, month - 1, date));
		const iso = (date: Date) => date.toISOString().slice(0, 10);
		const nthMonday = (year: number, month: number, n: number) => {
			const first = day(year, month, 1);
			const offset = (8 - first.getUTCDay()) % 7;
			return day(year, month, 1 + offset + 7 * (n - 1));
		};
		for (let year = HOLIDAY_TABLE_YEARS.first; year <= HOLIDAY_TABLE_YEARS.last; year++) {
			// Equinox days by the usual approximation, valid for 1980–2099.
			const spring = Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
			const autumn = Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
			const base = [
				day(year, 1, 1),
				nthMonday(year, 1, 2),
				day(year, 2, 11),
				day(year, 2, 23),
				day(year, 3, spring),
				day(year, 4, 29),
				day(year, 5, 3),
				day(year, 5, 4),
				day(year, 5, 5),
				nthMonday(year, 7, 3),
				day(year, 8, 11),
				nthMonday(year, 9, 3),
				day(year, 9, autumn),
				nthMonday(year, 10, 2),
				day(year, 11, 3),
				day(year, 11, 23),
			].map(iso);
			const holidays = new Set(base);
			for (const holiday of base) {
				if (new Date(holiday).getUTCDay() !== 0) continue;
				let substitute = new Date(holiday);
				do substitute = new Date(substitute.getTime() + 86_400_000);
				while (holidays.has(iso(substitute)));
				holidays.add(iso(substitute));
			}
			for (let time = day(year, 1, 2).getTime(); time < day(year, 12, 31).getTime(); time += 86_400_000) {
				const [before, current, after] = [time - 86_400_000, time, time + 86_400_000].map((ms) => iso(new Date(ms)));
				if (base.includes(before) && base.includes(after) && !holidays.has(current)) holidays.add(current);
			}
			for (let time = day(year, 1, 1).getTime(); time <= day(year, 12, 31).getTime(); time += 86_400_000) {
				const date = iso(new Date(time));
				const weekday = new Date(time).getUTCDay();
				const yearEnd = date.slice(5) >= '12-29' || date.slice(5) <= '01-03';
				const expected = weekday === 0 || weekday === 6 || holidays.has(date) || yearEnd;
				expect([date, closedReason(date) !== undefined]).toEqual([date, expected]);
			}
		}
	});
});

describe('estimated deadlines per document and law', () => {
	it('patent refusal notice, applicant in Japan: 60 days, moved over a Sunday and Sports Day', () => {
		const deadline = estimate('patent', 'A131', '20260812')!;
		expect(deadline).toMatchObject({
			isEstimate: true,
			estimatedDate: '2026-10-13',
			period: '60 days',
			dispatchDate: '2026-08-12',
			periodStartsOn: '2026-08-13',
			unadjustedLastDay: '2026-10-11',
			shiftedBecause: ['2026-10-11 is a Sunday', '2026-10-12 is a national holiday'],
			residence: 'japan',
			holidayTableCovers: true,
		});
		expect(deadline.rule).toBe(
			'patent, applicant resident in Japan: 60 days from dispatch (Patent Act Art. 50; the period JPO designates for applicants resident in Japan; the period starts the day after dispatch and a last day on a Saturday, Sunday, national holiday or 29 Dec–3 Jan moves to the next working day, Patent Act Art. 3)',
		);
		expect(deadline.note).toMatch(/^Estimate only/);
		expect(deadline.daysLeft).toBe(-39);
	});

	it('patent refusal notice over Golden Week: a Sunday, two holidays and a substitute holiday', () => {
		expect(estimate('patent', 'A131', '20260304')!.estimatedDate).toBe('2026-05-07');
	});

	it('patent refusal notice ending in the year-end closure moves to 4 January', () => {
		const deadline = estimate('patent', 'A131', '20261030')!;
		expect(deadline.unadjustedLastDay).toBe('2026-12-29');
		expect(deadline.estimatedDate).toBe('2027-01-04');
		expect(deadline.shiftedBecause).toHaveLength(6);
	});

	it('design and trademark refusal notices, applicant in Japan: 40 days', () => {
		const design = estimate('design', 'A131', '20260302')!;
		expect(design).toMatchObject({ period: '40 days', unadjustedLastDay: '2026-04-11', estimatedDate: '2026-04-13' });
		expect(design.rule).toMatch(/^design, applicant resident in Japan: 40 days from dispatch \(Design Act Art\. 19, applying Patent Act Art\. 50;.*Design Act Art\. 68\(1\)\)$/);
		expect(estimate('trademark', 'A131', '20260915')!).toMatchObject({ period: '40 days', estimatedDate: '2026-10-26' });
	});

	it('refusal notices for applicants abroad: 3 months, month end included', () => {
		expect(estimate('patent', 'A131', '20260110', 'abroad')!).toMatchObject({ period: '3 months', estimatedDate: '2026-04-10', residence: 'abroad' });
		const trademark = estimate('trademark', 'A131', '20261130', 'abroad')!;
		expect(trademark).toMatchObject({ unadjustedLastDay: '2027-02-28', estimatedDate: '2027-03-01', shiftedBecause: ['2027-02-28 is a Sunday'] });
		expect(trademark.rule).toMatch(/^trademark, applicant resident abroad: 3 months from dispatch \(Trademark Act Art\. 15-2;/);
		expect(estimate('design', 'A131', '20271129', 'abroad')!.estimatedDate).toBe('2028-02-29');
	});

	it('decisions: 30 days to pay after a grant, 3 months to appeal a refusal, whatever the residence', () => {
		const grant = estimate('design', 'A01', '20260901', 'abroad')!;
		expect(grant).toMatchObject({ period: '30 days', estimatedDate: '2026-10-01', residence: null });
		expect(grant.rule).toMatch(/^design: 30 days from dispatch \(Design Act Art\. 43\(1\);/);
		const refusal = estimate('trademark', 'A02', '20260630')!;
		expect(refusal).toMatchObject({ period: '3 months', estimatedDate: '2026-09-30', action: 'Request an appeal against the decision of refusal' });
		expect(refusal.rule).toMatch(/Trademark Act Art\. 44\(1\)/);
	});

	it('says so when the deadline falls outside the holiday table', () => {
		const deadline = estimate('patent', 'A131', '20281101', 'abroad')!;
		expect(deadline).toMatchObject({ estimatedDate: '2029-02-01', holidayTableCovers: false });
		expect(deadline.note).toMatch(/2024–2028 only/);
	});

	it('gives no deadline for documents without a period, or without a readable date', () => {
		expect(estimate('patent', 'A53', '20260812')).toBeNull();
		expect(estimate('patent', 'A131', '')).toBeNull();
	});
});
