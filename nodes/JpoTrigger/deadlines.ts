import type { IDataObject } from 'n8n-workflow';

import { isoFromCompactDate } from '../Jpo/dates';
import type { JpoLaw } from './watchList';

export type Residence = 'japan' | 'abroad';

/**
 * Japanese national holidays 2024–2028 under the Act on National Holidays (国民の祝日に関する法律,
 * Act No. 178 of 1948): the fixed and Happy Monday days of Art. 2, substitute holidays when a holiday
 * falls on a Sunday (Art. 3(2)) and a day sandwiched between two holidays (Art. 3(3), 22 Sep 2026).
 * The equinox days follow the Cabinet Office and NAOJ announcements up to 2027; those of 2028 are the
 * astronomical dates NAOJ announces in February 2027. Together with weekends and 29 Dec–3 Jan these
 * are the closed days of the Act on Holidays of Administrative Organs (行政機関の休日に関する法律,
 * Art. 1(1)), which Patent Act Art. 3(2) refers to.
 */
const NATIONAL_HOLIDAYS: Readonly<Record<number, readonly string[]>> = {
	2024: ['01-01', '01-08', '02-11', '02-12', '02-23', '03-20', '04-29', '05-03', '05-04', '05-05', '05-06', '07-15', '08-11', '08-12', '09-16', '09-22', '09-23', '10-14', '11-03', '11-04', '11-23'],
	2025: ['01-01', '01-13', '02-11', '02-23', '02-24', '03-20', '04-29', '05-03', '05-04', '05-05', '05-06', '07-21', '08-11', '09-15', '09-23', '10-13', '11-03', '11-23', '11-24'],
	2026: ['01-01', '01-12', '02-11', '02-23', '03-20', '04-29', '05-03', '05-04', '05-05', '05-06', '07-20', '08-11', '09-21', '09-22', '09-23', '10-12', '11-03', '11-23'],
	2027: ['01-01', '01-11', '02-11', '02-23', '03-21', '03-22', '04-29', '05-03', '05-04', '05-05', '07-19', '08-11', '09-20', '09-23', '10-11', '11-03', '11-23'],
	2028: ['01-01', '01-10', '02-11', '02-23', '03-20', '04-29', '05-03', '05-04', '05-05', '07-17', '08-11', '09-18', '09-22', '10-09', '11-03', '11-23'],
};

export const HOLIDAY_TABLE_YEARS = { first: 2024, last: 2028 } as const;

const HOLIDAYS = new Set(
	Object.entries(NATIONAL_HOLIDAYS).flatMap(([year, days]) => days.map((day) => `${year}-${day}`)),
);

const DAY_MS = 86_400_000;

function toMs(iso: string): number {
	return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

function fromMs(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function addDaysIso(iso: string, days: number): string {
	return fromMs(toMs(iso) + days * DAY_MS);
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoOf(year: number, month: number, day: number): string {
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Why JPO is closed on a day, or undefined on a working day. */
export function closedReason(iso: string): string | undefined {
	const weekday = new Date(toMs(iso)).getUTCDay();
	if (weekday === 6) return 'a Saturday';
	if (weekday === 0) return 'a Sunday';
	if (HOLIDAYS.has(iso)) return 'a national holiday';
	const monthDay = iso.slice(5);
	if (monthDay >= '12-29' || monthDay <= '01-03') return 'in the year-end closure (29 Dec–3 Jan)';
	return undefined;
}

export type Period = { days: number } | { months: number };

/**
 * The last day of a period counted from a dispatch date, before the working-day shift. Patent Act
 * Art. 3(1): the first day is not counted, so the period starts the next day; a period in months
 * follows the calendar and ends the day before the day corresponding to that start in the last month,
 * or at the end of that month when it has no such day; a period starting on the 1st ends at the end
 * of its last month.
 */
export function lastDayOfPeriod(dispatchIso: string, period: Period): string {
	if ('days' in period) return addDaysIso(dispatchIso, period.days);
	const start = addDaysIso(dispatchIso, 1);
	const year = Number(start.slice(0, 4));
	const month = Number(start.slice(5, 7));
	const day = Number(start.slice(8, 10));
	const monthIndex = month - 1 + (day === 1 ? period.months - 1 : period.months);
	const targetYear = year + Math.floor(monthIndex / 12);
	const targetMonth = (monthIndex % 12) + 1;
	const lastOfMonth = daysInMonth(targetYear, targetMonth);
	if (day === 1 || day > lastOfMonth) return isoOf(targetYear, targetMonth, lastOfMonth);
	return addDaysIso(isoOf(targetYear, targetMonth, day), -1);
}

/** Patent Act Art. 3(2): a last day on a closed day becomes the next day JPO is open. */
export function nextWorkingDay(iso: string): { date: string; shiftedBecause: string[] } {
	const shiftedBecause: string[] = [];
	let date = iso;
	for (let reason = closedReason(date); reason !== undefined; reason = closedReason(date)) {
		shiftedBecause.push(`${date} is ${reason}`);
		date = addDaysIso(date, 1);
	}
	return { date, shiftedBecause };
}

interface PeriodRule {
	action: string;
	period: Period;
	/** Where the period comes from, for the `rule` text. */
	source: string;
	/** Whether the applicant's residence changes the period. */
	dependsOnResidence: boolean;
}

const ARTICLE_3: Readonly<Record<JpoLaw, string>> = {
	patent: 'Patent Act Art. 3',
	design: 'Patent Act Art. 3, applied to designs by Design Act Art. 68(1)',
	trademark: 'Patent Act Art. 3, applied to trademarks by Trademark Act Art. 77(1)',
};

/**
 * Documents that open a period for the applicant, by document code.
 * - A131 notice of reasons for refusal: the examiner designates the period to respond (Patent Act
 *   Art. 50; Design Act Art. 19; Trademark Act Art. 15-2). JPO designates 60 days for patent
 *   applicants resident in Japan, 40 days for designs and trademarks, and 3 months for applicants
 *   resident abroad.
 * - A01 decision to grant or register: the first fees are due within 30 days of service (Patent Act
 *   Art. 108(1); Design Act Art. 43(1); Trademark Act Art. 41(1)).
 * - A02 decision of refusal: an appeal may be requested within 3 months of service (Patent Act
 *   Art. 121(1); Design Act Art. 46(1); Trademark Act Art. 44(1)).
 * Invitations to correct formalities are left out: their period and code vary with the procedure and
 * could not be confirmed from the API documentation, and a wrong date is worse than none.
 */
function ruleFor(law: JpoLaw, documentCode: string, residence: Residence): PeriodRule | undefined {
	switch (documentCode) {
		case 'A131': {
			const abroad = residence === 'abroad';
			const source = { patent: 'Patent Act Art. 50', design: 'Design Act Art. 19, applying Patent Act Art. 50', trademark: 'Trademark Act Art. 15-2' }[law];
			return {
				action: 'File a written opinion or amendment in response to the notice of reasons for refusal',
				period: abroad ? { months: 3 } : { days: law === 'patent' ? 60 : 40 },
				source: `${source}; the period JPO designates for applicants resident ${abroad ? 'abroad' : 'in Japan'}`,
				dependsOnResidence: true,
			};
		}
		case 'A01':
			return {
				action: law === 'patent' ? 'Pay the patent fees for the first three years' : 'Pay the registration fee',
				period: { days: 30 },
				source: { patent: 'Patent Act Art. 108(1)', design: 'Design Act Art. 43(1)', trademark: 'Trademark Act Art. 41(1)' }[law],
				dependsOnResidence: false,
			};
		case 'A02':
			return {
				action: 'Request an appeal against the decision of refusal',
				period: { months: 3 },
				source: { patent: 'Patent Act Art. 121(1)', design: 'Design Act Art. 46(1)', trademark: 'Trademark Act Art. 44(1)' }[law],
				dependsOnResidence: false,
			};
		default:
			return undefined;
	}
}

export const DEADLINE_DOCUMENT_CODES: readonly string[] = ['A131', 'A01', 'A02'];

function periodText(period: Period): string {
	if ('days' in period) return `${period.days} days`;
	return period.months === 1 ? '1 month' : `${period.months} months`;
}

export interface DeadlineInput {
	law: JpoLaw;
	documentCode: string;
	/** The document's legalDate as JPO sends it (YYYYMMDD): the dispatch date of a mailed document. */
	legalDate: string;
	residence: Residence;
	/** Today in Japan (YYYY-MM-DD), for daysLeft. */
	today: string;
}

/**
 * The estimated last day to act on a document, or null when the document opens no period this
 * node knows. Always an estimate: it assumes the period runs from the dispatch date (JPO serves
 * electronically notified documents on dispatch), the usual designated period and no extension.
 */
export function estimateDeadline(input: DeadlineInput): IDataObject | null {
	const rule = ruleFor(input.law, input.documentCode, input.residence);
	const dispatch = isoFromCompactDate(input.legalDate);
	if (!rule || !dispatch) return null;
	const unadjusted = lastDayOfPeriod(dispatch, rule.period);
	const { date, shiftedBecause } = nextWorkingDay(unadjusted);
	const year = Number(date.slice(0, 4));
	const covered = Number(dispatch.slice(0, 4)) >= HOLIDAY_TABLE_YEARS.first && year <= HOLIDAY_TABLE_YEARS.last;
	const who = rule.dependsOnResidence ? `, applicant resident ${input.residence === 'abroad' ? 'abroad' : 'in Japan'}` : '';
	const ruleText = `${input.law}${who}: ${periodText(rule.period)} from dispatch (${rule.source}; the period starts the day after dispatch and a last day on a Saturday, Sunday, national holiday or 29 Dec–3 Jan moves to the next working day, ${ARTICLE_3[input.law]})`;
	const notes = [
		'Estimate only, computed from the dispatch date in the progress data; check the document itself and your docket before relying on it.',
		'Extensions of time, a different designated period and a later date of service are not reflected.',
	];
	if (!covered) notes.push(`National holidays are known for ${HOLIDAY_TABLE_YEARS.first}–${HOLIDAY_TABLE_YEARS.last} only; outside those years only weekends and 29 Dec–3 Jan were taken into account.`);
	return {
		isEstimate: true,
		estimatedDate: date,
		action: rule.action,
		period: periodText(rule.period),
		dispatchDate: dispatch,
		periodStartsOn: addDaysIso(dispatch, 1),
		unadjustedLastDay: unadjusted,
		shiftedBecause,
		rule: ruleText,
		residence: rule.dependsOnResidence ? input.residence : null,
		daysLeft: Math.round((toMs(date) - toMs(input.today)) / DAY_MS),
		holidayTableCovers: covered,
		note: notes.join(' '),
	};
}
