/**
 * The fault matrix: every operation family (families.ts) × every fault the sandbox injects
 * (faults.ts). Each cell runs its phases against the in-process sandbox with real HTTP and checks,
 * from the node's output and the wire alone, that
 * 1. every input item ends as result items or one error item (none lost, none duplicated), and what
 *    succeeded equals a clean run; a trigger emits each change exactly once over a faulted and a
 *    clean poll, and a failed poll records nothing;
 * 2. no PatSnap batch or page is billed twice in a run, and no call is repeated after a whole answer
 *    (so a JPO count is spent twice only for an answer that never arrived whole);
 * 3. no call takes more than Max Attempts tries, and the faulted call takes exactly the tries the
 *    fault calls for; time runs on a fake clock shared with the sandbox, so waits cost nothing;
 * 4. a clean re-run after the fault returns the reference data, and without Continue On Fail the
 *    run fails with an API-named error that says what had been fetched before a stop.
 * The PatSnap Trigger's monitor mode does not fit a row; its own block at the end runs every column.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEMO_PATSNAP_API_KEY, FAULT_KINDS } from '../../sandbox';
import { pollPatSnap } from '../../nodes/PatSnapTrigger/poll';
import { newCredentialStore } from '../helpers/n8nContext';
import { createPollContext, runPoll } from '../helpers/pollContext';
import { checkVictimCall, emptyAccounting, runNodePhase, runTriggerPhase, referenceRun, violations, type PhaseReport } from './cells';
import { FAMILIES, patSnapTrigger } from './families';
import { FAULT_COLUMNS } from './faults';
import { accountWire, answered, FaultHarness } from './harness';

let h: FaultHarness;
beforeAll(async () => {
	h = await FaultHarness.start();
});
afterAll(async () => await h.stop());

/** A phase passes when it has no problems; the report's own words are the failure message. */
function expectClean(reports: PhaseReport[]) {
	expect(reports.flatMap((report) => report.problems.map((problem) => `${report.title}: ${problem}`))).toEqual([]);
	for (const report of reports) expect(report.wallMs).toBeLessThan(10_000);
}

/** Sandbox fault kinds that are not faults to recover from, with the suite that covers them. */
const COVERED_ELSEWHERE: Record<string, string> = {
	redirect: 'test/security: a redirect to another host must not be followed with credentials; nothing to retry',
};

it('has a column for every fault kind the sandbox injects, or says where that kind is tested', () => {
	const covered = new Set(FAULT_COLUMNS.flatMap((column) => [column.rule('jpo').kind, column.rule('patsnap').kind]));
	expect(FAULT_KINDS.filter((kind) => !covered.has(kind) && !COVERED_ELSEWHERE[kind])).toEqual([]);
});

describe.each(FAMILIES.map((family) => [family.name, family] as const))('%s', (_name, family) => {
	let reference: string[][] = [];
	beforeAll(async () => {
		if (family.type === 'node') reference = await referenceRun(h, family);
	});

	it.each(
		FAULT_COLUMNS.map((column) => {
			const reason = family.notApplicable?.[column.id];
			return [`${family.name} × ${column.label}${reason ? ` (n/a by design: ${reason})` : ''}`, column] as const;
		}),
	)('%s', async (_title, column) => {
		const reports: PhaseReport[] = [];
		for (const phase of column.phases(family)) {
			reports.push(family.type === 'node' ? await runNodePhase(h, family, column, phase, reference) : await runTriggerPhase(h, family, column, phase));
		}
		expectClean(reports);
	});
});

/**
 * The PatSnap Trigger's monitor mode does not fit a row: PatSnap's check (P057) hands over the
 * changes once, so nothing may leave them for the next poll. 250 monitored patents change their legal
 * status (two also change owner), and every fault column hits the second of the three legal-status
 * calls (P013) that fetch the details of the reported patents, after the check has answered. The poll
 * must still emit every reported change, once; a patent whose details call was not answered in full
 * has no details and says why in `_meta.detailsError`; the clean poll after it finds the check
 * consumed; no batch is billed twice, and no call goes over Max Attempts.
 */
describe('PatSnap Trigger monitor mode × faults in the details call', () => {
	const DETAILS_PATH = '/basic-patent-data/legal-status';
	const MONITORED = 250;
	/** Patents without details after each outcome: none, the victim batch, the victim batch and the one after. */
	const WITHOUT_DETAILS = { recovers: 0, victimFails: 100, stops: 150 };

	async function createMonitor(numbers: string[]): Promise<string> {
		const query = new URLSearchParams({ query: `PN:(${numbers.join(' OR ')})`, content: 'legal,transfer', alert_name: 'fault matrix' });
		const response = await fetch(`${h.sb.url}/patent-alert/create?${query}`, { headers: { Authorization: `Bearer ${DEMO_PATSNAP_API_KEY}` } });
		return ((await response.json()) as { data: { alert_id: string } }).data.alert_id;
	}

	it.each(
		FAULT_COLUMNS.flatMap((column) => {
			const reason = patSnapTrigger.notApplicable?.[column.id];
			return column.phases(patSnapTrigger).map((phase) => [`monitor × ${column.label} (${phase.name})${reason ? ` (n/a by design: ${reason})` : ''}`, column, phase] as const);
		}),
	)('%s', async (_title, column, phase) => {
		const inapplicable = patSnapTrigger.notApplicable?.[column.id] !== undefined;
		h.reset();
		const data = h.sb.data.patsnap;
		const patents = data.patents.slice(0, MONITORED);
		const alertId = await createMonitor(patents.map((patent) => patent.pn));
		const staticData: IDataObject = {};
		const store = newCredentialStore(h.credentials());
		const poll = async () =>
			await runPoll(
				createPollContext({
					parameters: { source: 'monitor', alertId, fetchDetails: true, pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] }, options: { maxAttempts: patSnapTrigger.maxAttempts } },
					credentials: h.credentials(),
					store,
					staticData,
				}),
				async (context) => await pollPatSnap(context, h.clock),
			);

		const expected = new Set<string>();
		for (const patent of patents) {
			data.setLegalStatus(patent.pn, { simple_legal_status: ['Inactive'], legal_status: ['Expired'] }, 20260101);
			expected.add(`legal:${patent.patent_id}`);
		}
		for (const patent of [patents[0], patents[150]]) {
			data.recordTransfer(patent.pn, { transferees: ['Heron Labs Ltd.'] }, 20260101);
			expected.add(`transfer:${patent.patent_id}`);
		}
		h.sb.faults.add({ api: 'patsnap', path: DETAILS_PATH, skip: 1, ...(phase.count !== undefined ? { count: phase.count } : {}), ...column.rule('patsnap') });
		h.clearLog();
		const faulted = await poll();
		const wire = h.wire();
		h.sb.faults.clear();
		patSnapTrigger.beforeCleanPoll(h);
		const clean = await poll();

		const problems: string[] = [];
		if (faulted.error) problems.push(`the poll failed after the check had answered: ${faulted.error.message}`);
		if (clean.error || clean.items) problems.push(`the clean poll after it was not quiet: ${clean.error?.message ?? `${clean.items?.length} items`}`);
		const checks = wire.filter((request) => request.path.endsWith('/patent-alert/check'));
		if (checks.length !== 1) problems.push(`the check was sent ${checks.length} times`);
		// The patents of the details calls that were answered in full.
		const detailed = new Set(wire.filter((request) => request.path === DETAILS_PATH && answered(request)).flatMap((request) => String(request.query.patent_id).split(',')));
		const seen = new Set<string>();
		let withoutDetails = 0;
		for (const { json } of faulted.items ?? []) {
			const patentId = String((json.patent as IDataObject).patentId);
			const key = `${String((json.monitor as IDataObject).type)}:${patentId}`;
			if (seen.has(key)) problems.push(`duplicated: ${key}`);
			if (!expected.has(key)) problems.push(`emitted but never made: ${key}`);
			seen.add(key);
			const detailsError = (json._meta as IDataObject).detailsError;
			if (detailed.has(patentId)) {
				if (detailsError !== undefined || (json.newValue as IDataObject | null)?.legalStatus?.toString() !== 'Expired') {
					problems.push(`${key}: details were fetched, but the item has ${JSON.stringify({ newValue: json.newValue, detailsError })}`);
				}
			} else {
				withoutDetails += 1;
				if (json.details !== null || !/^(Not fetched: )?PatSnap: /.test(String(detailsError))) problems.push(`${key}: no details were fetched, but the item says ${JSON.stringify({ detailsError })}`);
			}
		}
		for (const key of expected) if (!seen.has(key)) problems.push(`lost: ${key}`);
		const patentsWithout = new Set((faulted.items ?? []).filter(({ json }) => json.details === null).map(({ json }) => (json.patent as IDataObject).patentId)).size;
		if (!inapplicable && patentsWithout !== WITHOUT_DETAILS[phase.expect.outcome]) {
			problems.push(`${patentsWithout} patents have no details, expected ${WITHOUT_DETAILS[phase.expect.outcome]} (${withoutDetails} items)`);
		}
		problems.push(...violations({ ...emptyAccounting(), ...accountWire(wire, patSnapTrigger.maxAttempts) }));
		if (!inapplicable) problems.push(...checkVictimCall(wire, phase.expect));
		expect(problems).toEqual([]);
	});
});
