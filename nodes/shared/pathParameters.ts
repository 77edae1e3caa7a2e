import { ApiFailure, type ApiName } from './failure';

const MAX_PATH_PARAMETER_LENGTH = 256;

/**
 * Every value that becomes part of a URL path passes here first. Anything that could change which
 * resource the path names (a slash, an escaped slash, dot segments, control characters) is refused
 * before a request is spent, then the value is percent-encoded as UTF-8.
 */
export function encodePathParameter(api: ApiName, field: string, value: string): string {
	const problem =
		value === ''
			? 'is empty'
			: value.length > MAX_PATH_PARAMETER_LENGTH
				? `is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`
				: // C0, DEL and C1: none belongs in a number or a name, and some servers act on them.
					// eslint-disable-next-line no-control-regex
					/[\u0000-\u001f\u007f-\u009f]/.test(value)
					? 'contains a control character'
					: /[/\\]/.test(value)
						? 'contains a slash'
						: /%[0-9a-f]{2}/i.test(value)
							? 'contains a percent-encoded sequence'
							: value === '.' || value === '..'
								? 'is a dot segment'
								: undefined;
	if (problem) {
		throw new ApiFailure(`The ${field} ${problem}. Enter the plain value, for example as shown in the field's hint.`, {
			api,
			kind: 'input',
			description: `Field: ${field}`,
		});
	}
	return encodeURIComponent(value);
}
