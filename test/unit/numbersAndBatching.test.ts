import {
	normaliseApplicationNumber,
	normaliseDocdbNumber,
	normalisePctNumber,
	normaliseRegistrationNumber,
	NumberFormatError,
} from '../../nodes/Jpo/numbers';
import { batchQueryString, classifyReference, indexResults, planBatches, splitReferences } from '../../nodes/PatSnap/batching';

describe('JPO application numbers as people type them', () => {
	it.each([
		['2020123456', '2020123456'],
		['2020-123456', '2020123456'],
		['2020-8423', '2020008423'],
		['特願2020-123456', '2020123456'],
		['特願２０２０－１２３４５６', '2020123456'],
		['令和2年特許願第123456号', '2020123456'],
		['平成30年特許願第5678号', '2018005678'],
		['平成元年特許願第1号', '1989000001'],
		['JP2020123456', '2020123456'],
		[' 2020/123456 ', '2020123456'],
	])('%s → %s', (input, expected) => {
		expect(normaliseApplicationNumber(input)).toBe(expected);
	});

	it.each(['', '12345', '2020-1234567', '2020,123456', 'abc', '20201234567', '2020\t123456', '2020|123456'])(
		'rejects %p before any request, naming the accepted forms',
		(input) => {
			expect(() => normaliseApplicationNumber(input)).toThrow(NumberFormatError);
			expect(() => normaliseApplicationNumber(input)).toThrow(/Accepted forms: 2020123456, 2020-123456/);
		},
	);

	it('reads registration, PCT and DOCDB numbers', () => {
		expect(normaliseRegistrationNumber('特許第7533889号')).toBe('7533889');
		expect(normaliseRegistrationNumber('12345')).toBe('0012345');
		expect(normalisePctNumber('PCT/JP2019/011858', 'international_application')).toBe('JP2019011858');
		expect(normalisePctNumber('JP2019011858', 'international_application')).toBe('JP2019011858');
		expect(normalisePctNumber('WO2019/011858', 'international_publication')).toBe('WO2019011858');
		expect(normaliseDocdbNumber('jp.2015500001.a')).toBe('JP.2015500001.A');
		expect(() => normaliseDocdbNumber('JP2015500001A')).toThrow(/CC.number.kind/);
	});
});

describe('PatSnap batching', () => {
	it('splits lists, tells ids from numbers and cleans pasted numbers', () => {
		expect(splitReferences('US11205304B2, EP3456789A1\nCN112345678A;')).toEqual(['US11205304B2', 'EP3456789A1', 'CN112345678A']);
		expect(splitReferences(['US1B2', ['US2B2, US3B2']])).toEqual(['US1B2', 'US2B2', 'US3B2']);
		expect(classifyReference('US 11,205,304 B2', 'auto')).toEqual({ input: 'US 11,205,304 B2', kind: 'patentNumber', value: 'US11205304B2' });
		expect(classifyReference('1A2B3C4D-0000-4000-8000-1234567890AB', 'auto').kind).toBe('patentId');
		expect(() => classifyReference('not a number!', 'auto')).toThrow(/neither a PatSnap patent id nor a publication number/);
		expect(() => classifyReference('US11205304B2', 'patentId')).toThrow();
	});

	it('makes ceil(distinct / batch size) batches, keeping first-seen order and dropping duplicates', () => {
		const queries = Array.from({ length: 250 }, (_, index) => ({
			itemIndex: index,
			input: `US${1000 + (index % 210)}B2`,
			kind: 'patentNumber' as const,
			value: `US${1000 + (index % 210)}B2`,
		}));
		const batches = planBatches(queries, 100);
		expect(batches.map((batch) => batch.length)).toEqual([100, 100, 10]);
		expect(batches[0][0].value).toBe('US1000B2');
		expect(planBatches(queries.slice(0, 101), 100).length).toBe(2);
		expect(planBatches(queries.slice(0, 1), 100).length).toBe(1);
	});

	it('sends ids and numbers of one batch together, and finds results by either', () => {
		const batch = [
			{ itemIndex: 0, input: 'a', kind: 'patentId' as const, value: '1a2b3c4d-0000-4000-8000-1234567890ab' },
			{ itemIndex: 1, input: 'b', kind: 'patentNumber' as const, value: 'US11205304B2' },
		];
		expect(batchQueryString(batch)).toEqual({ patent_id: '1a2b3c4d-0000-4000-8000-1234567890ab', patent_number: 'US11205304B2' });
		const index = indexResults([{ patent_id: '1A2B3C4D-0000-4000-8000-1234567890AB', pn: 'US11205304B2' }]);
		expect(index.has('patentId:1a2b3c4d-0000-4000-8000-1234567890ab')).toBe(true);
		expect(index.has('patentNumber:US11205304B2')).toBe(true);
	});
});

describe('what was typed, quoted in refusals', () => {
	// A model or a broken upstream node may send kilobytes; the refusal must not send them back.
	it('cuts a 10 kB application number to its start and its length', () => {
		const huge = '2'.repeat(10 * 1024);
		let message = '';
		try {
			normaliseApplicationNumber(huge);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain(`"${'2'.repeat(40)}…" (10240 characters) is not an application number`);
		expect(message.length).toBeLessThan(400);
	});

	it('cuts a PatSnap reference the same way and keeps a short one whole', () => {
		expect(() => classifyReference('X'.repeat(5000), 'auto')).toThrow(/"X{40}…" \(5000 characters\) is neither/);
		expect(() => classifyReference('??', 'auto')).toThrow(/"\?\?" is neither/);
	});
});
