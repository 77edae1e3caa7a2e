/** JPO's envelope is read in one place, once: status, message, remaining count and payload. */
import { readJpoEnvelope } from '../../nodes/Jpo/envelope';
import { ApiFailure } from '../../nodes/shared/failure';
import { CrossOriginRedirectError, TransportError } from '../../nodes/shared/http';
import { fromTransportError, type TransportErrorTexts } from '../../nodes/shared/transportErrors';

const xml = (inner: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<api-data xmlns="https://www.jpo.go.jp">${inner}</api-data>\n`);

describe('readJpoEnvelope', () => {
	it('takes status, message, remaining count and data from a JSON answer', () => {
		const body = Buffer.from(JSON.stringify({ result: { statusCode: '100', errorMessage: '', remainAccessCount: '399', data: { applicationNumber: '2020123456' } } }));
		expect(readJpoEnvelope(body)).toEqual({
			format: 'json',
			statusCode: '100',
			errorMessage: '',
			remainAccessCount: 399,
			payload: { applicationNumber: '2020123456' },
			complete: true,
		});
	});

	it('leaves the remaining count out when JPO sends it empty, as on 203', () => {
		const body = Buffer.from(JSON.stringify({ result: { statusCode: '203', errorMessage: '1日のアクセス上限を超過したため閲覧を制限します。', remainAccessCount: '' } }));
		expect(readJpoEnvelope(body)).toMatchObject({ statusCode: '203', remainAccessCount: undefined, payload: {} });
	});

	it('parses an OPD XML answer once and hands over the payload without the envelope fields', () => {
		const envelope = readJpoEnvelope(
			xml('<statusCode>100</statusCode><errorMessage></errorMessage><remainAccessCount>99</remainAccessCount><family><family-item><a>1</a></family-item></family>'),
		);
		expect(envelope).toEqual({
			format: 'xml',
			statusCode: '100',
			errorMessage: '',
			remainAccessCount: 99,
			payload: { family: [{ 'family-item': [{ a: '1' }] }] },
			complete: true,
		});
	});

	it('still reads the status of a cut XML answer, and says it is incomplete', () => {
		const whole = xml('<statusCode>100</statusCode><errorMessage></errorMessage><remainAccessCount>98</remainAccessCount><family><family-item><a>1</a></family-item></family>');
		expect(readJpoEnvelope(whole.subarray(0, whole.length - 30))).toMatchObject({ format: 'xml', statusCode: '100', remainAccessCount: 98, payload: {}, complete: false });
	});

	it('finds no envelope in an HTML page or a broken JSON body', () => {
		expect(readJpoEnvelope(Buffer.from('<html><body>Bad gateway</body></html>'))?.statusCode).toBeUndefined();
		expect(readJpoEnvelope(Buffer.from('{"result": {"statusCode": "10'))).toBeUndefined();
		expect(readJpoEnvelope(Buffer.from('Service Unavailable'))).toBeUndefined();
	});
});

describe('fromTransportError, one table for both APIs', () => {
	const texts = (): TransportErrorTexts => ({
		api: 'JPO',
		redirectWouldCarry: 'the access token',
		redirectAdvice: 'Check the API Base URL.',
		loginBusyAdvice: 'The token URL was busy.',
		refusedAfterRenewal: { message: 'JPO refused the access token even after renewing it', code: '210', description: 'Check the ID.' },
		unreachableAdvice: 'Retried with backoff.',
	});

	it('maps each way a request can get no usable answer to one kind', () => {
		const kinds = (table: TransportErrorTexts) =>
			[
				new Error('socket hang up'),
				new CrossOriginRedirectError('https://elsewhere.example', 302),
				new TransportError('JPO token URL answered 503', 503, undefined, true, true),
				new TransportError('JPO refused the login (invalid_grant)', 401, undefined, true, false),
				new TransportError('HTTP 401', 401),
				new TransportError('network error ECONNRESET', undefined, 'ECONNRESET'),
			].map((error) => fromTransportError(error, table).kind);
		expect(kinds(texts())).toEqual(['transient', 'configuration', 'transient', 'auth', 'auth', 'transient']);
	});

	it('says what the redirect would have carried, and never follows it', () => {
		const failure = fromTransportError(new CrossOriginRedirectError('https://elsewhere.example', 307), texts());
		expect(failure.message).toBe('JPO answered with a redirect to another host (https://elsewhere.example); it was not followed, so the access token was not sent there');
		expect(failure.details).toMatchObject({ httpStatus: 307, description: 'Check the API Base URL.' });
	});

	it('lets an API keep a call it may have carried out from being retried', () => {
		const notRetried = new ApiFailure('not retried', { api: 'PatSnap', kind: 'malformed' });
		expect(fromTransportError(new TransportError('timeout', undefined, 'ETIMEDOUT'), texts(), () => notRetried)).toBe(notRetried);
		expect(fromTransportError(new TransportError('HTTP 401', 401), texts(), () => notRetried).kind).toBe('auth');
	});

	it('marks a refused login and a 401 after renewal as failures a new token cannot cure', () => {
		const refused = [new TransportError('refused the login (invalid_grant)', 401, undefined, true, false), new TransportError('HTTP 401', 401)];
		for (const error of refused) expect(fromTransportError(error, texts()).details).toMatchObject({ kind: 'auth', renewalWontHelp: true });
	});
});
