/**
 * The words of PatSnap failures as a user reads them: the API named rather than "this API", and
 * PatSnap's own text shown only when it adds something to the code and our message.
 */
import { PatSnap } from '../../nodes/PatSnap/PatSnap.node';
import { PatSnapTransport, type PatSnapCall } from '../../nodes/PatSnap/transport';
import { ApiFailure } from '../../nodes/shared/failure';
import { loadCredentialHandle, n8nSender } from '../../nodes/shared/http';
import { forgetSharedLimiters } from '../../nodes/shared/rateLimiter';
import { FakeClock } from '../helpers/fakeClock';
import { createExecuteContext, runNode } from '../helpers/n8nContext';
import { startScriptedServer } from '../helpers/scriptedServer';

async function failureFor(code: number, errorMessage: string, operation: string): Promise<ApiFailure> {
	forgetSharedLimiters();
	const server = await startScriptedServer(() => ({ body: { status: false, error_code: code, error_msg: errorMessage, data: null } }));
	try {
		const context = createExecuteContext({
			node: {} as never,
			parameters: {},
			credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-scripted-key', environment: 'custom', baseUrl: server.url, accessToken: '' } },
		});
		const transport = new PatSnapTransport(n8nSender(context), await loadCredentialHandle(context, 'patSnapApi'), { clock: new FakeClock() });
		const call: PatSnapCall = { method: 'GET', path: '/x', billed: true, operation };
		return await transport.call(call).then(
			() => {
				throw new Error('expected a failure');
			},
			(error: ApiFailure) => error,
		);
	} finally {
		await server.close();
	}
}

describe('PatSnap failure messages', () => {
	it.each([
		[67200004, 'P013 Get Legal Status, batch 1 of 3', 'No permission for P013 Get Legal Status, or the package quota for it is used up'],
		[67200203, 'P048 Get Examination Documents for US11205304B2, call 2', 'P048 Get Examination Documents is not included in your PatSnap package'],
		[67200203, 'P069 Look Up Numbers for US16/123456', 'P069 Look Up Numbers is not included in your PatSnap package'],
		[67200203, 'P057 Check monitor', 'P057 Check monitor is not included in your PatSnap package'],
	])('%i names the API of "%s"', async (code, operation, message) => {
		const failure = await failureFor(code, 'permission denied', operation);
		expect(failure.message).toBe(`${message} (PatSnap error ${code}: permission denied)`);
		expect(failure.message).not.toMatch(/this API/i);
	});

	it('falls back to "this PatSnap API" for a call that names no PatSnap code', async () => {
		expect((await failureFor(67200203, '', 'a call')).message).toBe('this PatSnap API is not included in your PatSnap package (PatSnap error 67200203)');
	});

	it.each([
		['Invalid parameter!', 'Invalid parameter (PatSnap error 68300004)'],
		['68300004', 'Invalid parameter (PatSnap error 68300004)'],
		['  ', 'Invalid parameter (PatSnap error 68300004)'],
		['patent_number is too long', 'Invalid parameter (PatSnap error 68300004: patent_number is too long)'],
	])('shows PatSnap\'s text %j only when it adds something', async (errorMessage, message) => {
		const failure = await failureFor(68300004, errorMessage, 'P013 Get Legal Status');
		expect(failure.message).toBe(message);
		if (errorMessage.trim()) expect(failure.details.originalMessage).toBe(errorMessage);
	});

	it('calls 68300008 a PatSnap service error and says the node already retried it', async () => {
		const failure = await failureFor(68300008, 'Service error, please try again later!', 'P013 Get Legal Status');
		expect(failure.message).toBe('PatSnap service error (PatSnap error 68300008: Service error, please try again later!)');
		expect(failure.details.description).toBe('Retried with backoff.');
	});
});

describe('PatSnap input messages', () => {
	const runEmpty = async (parameters: Record<string, unknown>) => {
		const { output } = await runNode({
			node: new PatSnap(),
			parameters: { numbers: '  ', ...parameters },
			credentials: { patSnapApi: { authMode: 'apiKey', apiKey: 'sk-scripted-key', environment: 'custom', baseUrl: 'http://127.0.0.1:9', accessToken: '' } },
			continueOnFail: true,
		});
		return String(output[0].json.error);
	};

	it('asks for a number when a Numbers field is empty, instead of calling "" no number', async () => {
		expect(await runEmpty({ resource: 'patent', operation: 'getLegalStatus' })).toBe('PatSnap: Enter at least one publication number or PatSnap patent ID.');
		expect(await runEmpty({ resource: 'patent', operation: 'lookUpNumbers' })).toBe('PatSnap: Enter at least one application or publication number.');
	});
});
