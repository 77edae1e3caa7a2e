import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { classifyReference, splitReferences } from '../../nodes/PatSnap/batching';
import { PATSNAP_MAX_BATCH } from '../../nodes/PatSnap/catalog';
import { ApiFailure } from '../../nodes/shared/failure';
import {
	normaliseApplicationNumber,
	normalisePublicationNumber,
	parseAuthorities,
	parseDocumentCodes,
	parseDocumentDate,
	splitNumberList,
} from '../../nodes/PatSnap/lookupInputs';
import { signedLinkExpiry } from '../../nodes/PatSnap/signedLinks';

function failureOf(action: () => unknown): ApiFailure {
	try {
		action();
	} catch (error) {
		return error as ApiFailure;
	}
	throw new Error('expected a failure');
}

describe('number lists for P048 and P069', () => {
	it.each([
		['US14/706838, US15/123456', ['US14/706838', 'US15/123456']],
		['14/706,838', ['14/706838']],
		['US 11,205,304 B2; EP3456789A1', ['US 11205304 B2', 'EP3456789A1']],
		['US1,234,567B1,US2,345,678B1', ['US1234567B1', 'US2345678B1']],
		['US14/706838,15/123456', ['US14/706838', '15/123456']],
		[['US14/706838', 'CN202010123456.7\nEP20123456'], ['US14/706838', 'CN202010123456.7', 'EP20123456']],
		['  ,\n ', []],
	])('%j → %j', (input, expected) => {
		expect(splitNumberList(input)).toEqual(expected);
	});

	it('keeps the separators of application numbers and refuses what cannot be one', () => {
		expect(normaliseApplicationNumber(' us14/706838 ', 'Patents')).toBe('US14/706838');
		expect(normaliseApplicationNumber('PCT/US2020/012345', 'Patents')).toBe('PCT/US2020/012345');
		expect(normaliseApplicationNumber('CN202010123456.7', 'Patents')).toBe('CN202010123456.7');
		const failure = failureOf(() => normaliseApplicationNumber('US?', 'Patents'));
		expect(failure).toBeInstanceOf(ApiFailure);
		expect(failure.kind).toBe('input');
		expect(failure.details.description).toBe('Field: Patents');
		// An AI Agent hands a model the message alone: it names the field and the forms.
		expect(failure.message).toBe('Patents field: "US?" is not an application number. Use a form such as US14/706838, EP20123456 or CN202010123456.7.');
	});

	it('reads publication numbers with or without country and kind code', () => {
		expect(normalisePublicationNumber('US 11,205,304 B2', 'Numbers')).toBe('US11205304B2');
		expect(normalisePublicationNumber('us11205304', 'Numbers')).toBe('US11205304');
		expect(normalisePublicationNumber('11205304', 'Numbers')).toBe('11205304');
		expect(normalisePublicationNumber('EP-3456789-A1', 'Numbers')).toBe('EP3456789A1');
		expect(failureOf(() => normalisePublicationNumber('patent one', 'Numbers')).details.description).toBe('Field: Numbers');
		expect(() => normalisePublicationNumber('USA', 'Numbers')).toThrow(/not a publication number/);
	});
});

describe('P048 filters', () => {
	it.each([
		['2025-01-31T00:00:00', 20250131],
		['2025-01-31', 20250131],
		['20250131', 20250131],
		['2025-01-31T23:59:59.000+09:00', 20250131],
		['', undefined],
		[undefined, undefined],
	])('date %p → %p', (input, expected) => {
		expect(parseDocumentDate(input, 'Date From')).toBe(expected);
	});

	it.each(['yesterday', '2025-13-01', '2025-02-00', '31.01.2025'])('refuses the date %p, naming the field', (input) => {
		expect(failureOf(() => parseDocumentDate(input, 'Date To')).details.description).toBe('Field: Date To');
	});

	it('joins document codes as P048 wants them, once each', () => {
		expect(parseDocumentCodes('ctnf, CTFR;noa CTNF', 'Document Codes')).toBe('CTNF,CTFR,NOA');
		expect(parseDocumentCodes('ISSUE.NTF', 'Document Codes')).toBe('ISSUE.NTF');
		expect(parseDocumentCodes(' ', 'Document Codes')).toBeUndefined();
		expect(failureOf(() => parseDocumentCodes('CTNF, N*A', 'Document Codes')).message).toMatch(/"N\*A" is not a document code/);
	});

	it('reads P069 authorities as two-letter codes', () => {
		expect(parseAuthorities('us, EP;us', 'Authorities')).toEqual(['US', 'EP']);
		expect(parseAuthorities('', 'Authorities')).toBeUndefined();
		expect(failureOf(() => parseAuthorities('USA', 'Authorities')).details.description).toBe('Field: Authorities');
	});
});

describe('signed link expiry', () => {
	it('reads the end of q-sign-time inside the percent-encoded sign parameter (the documented shape)', () => {
		const link =
			'https://open.patsnap.com/pdf/watermark/US/A1/x/US_20050262868_A1.pdf?sign=q-sign-algorithm%3Dsha1%26q-ak%3DAKIDexample%26q-sign-time%3D1729564854%3B1729568454%26q-key-time%3D1729564854%3B1729568454%26q-header-list%3Dhost%26q-url-param-list%3Dresponse-expires%26q-signature%3Dabc&response-expires=Tue%2C%2022%20Oct%202024%2003%3A40%3A54%20GMT';
		expect(signedLinkExpiry(link)?.toISOString()).toBe('2024-10-22T03:40:54.000Z');
	});

	it('reads a plain q-sign-time, then falls back to response-expires, else undefined', () => {
		expect(signedLinkExpiry('http://127.0.0.1:1/__pdf/x?q-sign-time=1700000000;1700003600&q-signature=s')?.toISOString()).toBe('2023-11-14T23:13:20.000Z');
		expect(signedLinkExpiry('https://cdn.example/x.pdf?response-expires=Tue%2C%2022%20Oct%202024%2003%3A40%3A54%20GMT')?.toISOString()).toBe(
			'2024-10-22T03:40:54.000Z',
		);
		expect(signedLinkExpiry('https://cdn.example/x.pdf')).toBeUndefined();
		expect(signedLinkExpiry('not a url')).toBeUndefined();
	});
});

describe('what the number fields say they accept is accepted', () => {
	const fields = new PatSnap().description.properties.filter((property) => property.name === 'numbers');
	const field = (operation: string) => fields.find((property) => (property.displayOptions?.show?.operation ?? []).includes(operation))!;
	const mentions = (operation: string, examples: string[]) => {
		const text = String(field(operation).description);
		for (const example of examples) expect(text).toContain(example);
	};

	it('batch lookups: numbers with country code in any spelling, PatSnap IDs, several per field', () => {
		mentions('getLegalStatus', ['US11205304B2', 'EP 3456789 A1', 'commas, semicolons or new lines', 'thousands commas', `up to ${PATSNAP_MAX_BATCH} per call`]);
		const values = splitReferences('US11205304B2; ep 3456789 a1\nEP-3456789-A1,1a2b3c4d-0000-4000-8000-1234567890ab').map((input) => classifyReference(input, 'auto').value);
		expect(values).toEqual(['US11205304B2', 'EP3456789A1', 'EP3456789A1', '1a2b3c4d-0000-4000-8000-1234567890ab']);
		expect(splitReferences(field('getLegalStatus').placeholder).map((input) => classifyReference(input, 'auto').value)).toEqual(['US11205304B2', 'EP3456789A1']);
	});

	it('examination documents: patents as for batches, application numbers with their separators', () => {
		mentions('getExaminationDocuments', ['US11205304B2', 'US14/706838', 'US 14/706,838', 'PCT/US2020/012345', 'Chinese']);
		expect(splitNumberList('US14/706838, US 14/706,838;PCT/US2020/012345').map((input) => normaliseApplicationNumber(input, 'Patents'))).toEqual([
			'US14/706838',
			'US14/706838',
			'PCT/US2020/012345',
		]);
		expect(splitReferences(field('getExaminationDocuments').placeholder)).toHaveLength(2);
	});

	it('number lookup: publication numbers with or without country and kind code, application numbers', () => {
		mentions('lookUpNumbers', ['US11205304B2', 'US 11,205,304 B2', '11205304', 'US16/123456', 'US 16/123,456', 'CN202010123456.7']);
		expect(splitNumberList('US11205304B2, US 11,205,304 B2\n11205304').map((input) => normalisePublicationNumber(input, 'Numbers'))).toEqual([
			'US11205304B2',
			'US11205304B2',
			'11205304',
		]);
		expect(splitNumberList('US16/123456; US 16/123,456, CN202010123456.7').map((input) => normaliseApplicationNumber(input, 'Numbers'))).toEqual([
			'US16/123456',
			'US16/123456',
			'CN202010123456.7',
		]);
		expect(splitNumberList(field('lookUpNumbers').placeholder).map((input) => normalisePublicationNumber(input, 'Numbers'))).toEqual(['US11205304B2', 'EP3456789A1']);
	});
});
