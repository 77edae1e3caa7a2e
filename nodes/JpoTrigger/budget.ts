import type { IDataObject } from 'n8n-workflow';

import type { JpoEndpoint } from '../Jpo/catalog';
import type { DailyUsage } from '../shared/coordination';
import { describeDuration } from '../shared/polling';
import type { BudgetState } from './state';
import { LAWS, type JpoLaw } from './watchList';

export interface BudgetSettings {
	/** Share of each API's daily limit the trigger may spend, 0–1. */
	share: number;
	/** The daily limit of an API for this ID: the handbook's base limit unless the user says otherwise. */
	dailyLimit(endpoint: JpoEndpoint): number;
	/** Calls to leave untouched, judged by the remainAccessCount JPO reports. */
	reserve: number;
}

export type Availability = { ok: true } | { ok: false; reason: 'share' | 'reserve' | 'blocked'; message: string };

/**
 * The trigger's spending rule, per JPO API and JST day: at most share × daily limit calls, never
 * below the reserve of what JPO says is left (other workflows use the same ID), and nothing at all
 * after JPO answered 203 until its reset at 00:00 JST.
 */
export class QuotaBudget {
	/**
	 * The ID's use today by every n8n process (queue mode), refreshed around each call; undefined
	 * where nothing is shared. The trigger's share then counts what the workers spent as well.
	 */
	idWide: DailyUsage | undefined;

	constructor(
		readonly state: BudgetState,
		private readonly settings: BudgetSettings,
		private readonly now: () => number,
	) {}

	allowance(endpoint: JpoEndpoint): number {
		return Math.max(0, Math.floor(this.settings.share * this.settings.dailyLimit(endpoint) + 1e-9));
	}

	/** The trigger's own calls today, or the ID's, when that is known and higher. */
	spent(endpoint: JpoEndpoint): number {
		return Math.max(this.ownSpent(endpoint), this.idWide?.spent[endpoint.number] ?? 0);
	}

	private ownSpent(endpoint: JpoEndpoint): number {
		return this.state.spent[endpoint.number] ?? 0;
	}

	private remain(endpoint: JpoEndpoint): number | undefined {
		const known = [this.state.remain[endpoint.number], this.idWide?.remain[endpoint.number]].filter((value): value is number => value !== undefined);
		return known.length > 0 ? Math.min(...known) : undefined;
	}

	available(endpoint: JpoEndpoint): Availability {
		const api = `JPO ${endpoint.number}`;
		const blockedUntil = this.state.blockedUntil[endpoint.number];
		if (blockedUntil !== undefined && blockedUntil > this.now()) {
			return { ok: false, reason: 'blocked', message: `${api} answered that its daily limit is used up; it resets at ${new Date(blockedUntil).toISOString()}` };
		}
		const allowance = this.allowance(endpoint);
		if (this.spent(endpoint) >= allowance) {
			const byOthers = this.spent(endpoint) > this.ownSpent(endpoint);
			const message = byOthers
				? `this JPO ID has made ${this.spent(endpoint)} ${api} calls today across all n8n processes, which uses up the trigger's share (${allowance} calls)`
				: `the trigger has spent its share of ${api} for today (${allowance} calls)`;
			return { ok: false, reason: 'share', message };
		}
		const remain = this.remain(endpoint);
		if (remain !== undefined && remain <= this.settings.reserve) {
			return { ok: false, reason: 'reserve', message: `${api} has ${remain} calls left today, at or below the reserve of ${this.settings.reserve}` };
		}
		return { ok: true };
	}

	/** A call JPO answered (100, 107 or 108 count against the limit). */
	record(endpoint: JpoEndpoint, remainAccessCount: number | undefined): void {
		this.state.spent[endpoint.number] = this.ownSpent(endpoint) + 1;
		if (remainAccessCount !== undefined) this.state.remain[endpoint.number] = remainAccessCount;
	}

	block(endpoint: JpoEndpoint, untilMs: number): void {
		this.state.blockedUntil[endpoint.number] = untilMs;
		this.state.remain[endpoint.number] = 0;
	}

	report(endpoint: JpoEndpoint): IDataObject {
		const blockedUntil = this.state.blockedUntil[endpoint.number];
		return {
			api: `${endpoint.resource}/${endpoint.operation}`,
			spentToday: this.ownSpent(endpoint),
			...(this.idWide ? { spentTodayByThisId: this.idWide.spent[endpoint.number] ?? 0 } : {}),
			allowedToday: this.allowance(endpoint),
			dailyLimit: this.settings.dailyLimit(endpoint),
			remainAccessCount: this.remain(endpoint) ?? null,
			blockedUntil: blockedUntil ? new Date(blockedUntil).toISOString() : null,
			day: this.state.day,
		};
	}
}

export interface SweepInput {
	/** Watched applications per law. */
	counts: Record<JpoLaw, number>;
	perPoll: number;
	/** Progress calls the trigger may make per day, per law. */
	dailyAllowance: Record<JpoLaw, number>;
	pollsPerDay: number | undefined;
}

/**
 * How long one pass over the whole watch list takes. The poll size and schedule set one bound; the
 * daily share of each law's progress API sets the other: a law with more applications than its
 * daily allowance waits for the 00:00 JST reset once per allowance, then needs the polls for the
 * rest. The slower bound wins. An estimate: the laws share each poll's slots, which it ignores.
 */
export function sweepEstimate(input: SweepInput): IDataObject {
	const applications = LAWS.reduce((sum, law) => sum + input.counts[law], 0);
	const perPoll = Math.max(1, input.perPoll);
	const pollsPerSweep = applications === 0 ? 0 : Math.ceil(applications / perPoll);
	const interval = input.pollsPerDay ? 1440 / input.pollsPerDay : undefined;
	let budgetMinutes = 0;
	let budgetDays = 1;
	let bindingLaw: JpoLaw | undefined;
	for (const law of LAWS) {
		const count = input.counts[law];
		const allowance = input.dailyAllowance[law];
		if (count === 0 || count <= allowance) continue;
		if (allowance === 0) {
			budgetMinutes = Infinity;
			bindingLaw = law;
			break;
		}
		const waits = Math.ceil(count / allowance) - 1;
		const minutes = waits * 1440 + (interval ? Math.ceil((count - waits * allowance) / perPoll) * interval : 0);
		if (minutes > budgetMinutes) {
			budgetMinutes = minutes;
			budgetDays = waits + 1;
			bindingLaw = law;
		}
	}
	const sweep: IDataObject = {
		applications,
		perPoll: input.perPoll,
		pollsPerSweep,
		dailyAllowance: { ...input.dailyAllowance },
		pollsPerDay: input.pollsPerDay === undefined ? null : Math.round(input.pollsPerDay * 100) / 100,
		pollIntervalMinutes: interval === undefined ? null : Math.round(interval * 10) / 10,
		estimatedMinutes: null,
		estimatedDuration: null,
		limitedBy: null,
	};
	if (applications === 0) {
		sweep.description = 'The watch list is empty.';
		return sweep;
	}
	if (budgetMinutes === Infinity) {
		sweep.limitedBy = 'dailyQuotaShare';
		sweep.description = `The ${bindingLaw} progress API has no calls to spare under the daily quota share, so the sweep never completes.`;
		return sweep;
	}
	const head = `${applications} application${applications === 1 ? '' : 's'}, up to ${input.perPoll} per poll: a full sweep takes ${pollsPerSweep} poll${pollsPerSweep === 1 ? '' : 's'}`;
	const budgetNote = bindingLaw ? `the daily quota share allows ${input.dailyAllowance[bindingLaw]} ${bindingLaw} checks a day` : '';
	if (interval === undefined) {
		sweep.limitedBy = bindingLaw ? 'dailyQuotaShare' : null;
		sweep.description = `${head}${bindingLaw ? `, and ${budgetNote}, so it spreads over ${budgetDays} JST days` : ''}. The duration cannot be derived from custom poll times.`;
		return sweep;
	}
	const scheduleMinutes = pollsPerSweep * interval;
	const minutes = Math.max(scheduleMinutes, budgetMinutes);
	sweep.estimatedMinutes = Math.round(minutes);
	sweep.estimatedDuration = describeDuration(minutes);
	sweep.limitedBy = budgetMinutes > scheduleMinutes ? 'dailyQuotaShare' : 'pollSchedule';
	sweep.description =
		budgetMinutes > scheduleMinutes
			? `${head}, but ${budgetNote}, so it takes about ${describeDuration(minutes)}.`
			: `${head}, about ${describeDuration(minutes)} at one poll every ${describeDuration(interval)}.`;
	return sweep;
}
