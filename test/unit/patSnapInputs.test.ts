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
