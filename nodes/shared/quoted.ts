/** Longer inputs are cut in messages: a model or a bad upstream node may send kilobytes. */
const QUOTED_MAX_CHARACTERS = 40;

/**
 * What a user or a model typed, quoted for an error message. A long value is cut and its length
 * given, so a 10 kB string neither floods the message nor travels back whole to whoever sent it.
 */
export function quoted(value: unknown): string {
	const text = String(value);
	const characters = [...text];
	if (characters.length <= QUOTED_MAX_CHARACTERS) return `"${text}"`;
	return `"${characters.slice(0, QUOTED_MAX_CHARACTERS).join('')}…" (${characters.length} characters)`;
}
