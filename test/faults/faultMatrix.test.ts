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
 */
import { FAULT_KINDS } from '../../sandbox';
import { runNodePhase, runTriggerPhase, referenceRun, type PhaseReport } from './cells';
import { FAMILIES } from './families';
import { FAULT_COLUMNS } from './faults';
import { FaultHarness } from './harness';

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
