// Assertions shared by the e2e case files.
import assert from 'node:assert/strict';

/** Fails with n8n's own error message when the execution did not succeed. */
export function assertSucceeded({ exitCode, error }) {
	if (error) {
		const where = error.node?.name ? ` in node "${error.node.name}"` : '';
		assert.fail(`execution failed${where}: ${error.message}${error.description ? ` (${error.description})` : ''}`);
	}
	assert.equal(exitCode, 0, 'n8n execute exit code');
}

/** The input item indexes an output item is paired with. */
export function pairedIndexes(item) {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
	return paired.map((p) => (typeof p === 'number' ? p : p?.item));
}

/** One output item per input item, each a JSON object paired with its own input item. */
export function assertOnePerInput(items, count, node) {
	assert.ok(Array.isArray(items), `${node} produced no output`);
	assert.equal(items.length, count, `${node}: one output item per input item`);
	items.forEach((item, i) => {
		assert.equal(typeof item.json, 'object', `${node} item ${i}: json`);
		assert.notEqual(item.pairedItem, undefined, `${node} item ${i}: pairedItem`);
		assert.ok(pairedIndexes(item).includes(i), `${node} item ${i}: paired with input item ${i}`);
	});
}

export function count(requests, filter) {
	return requests.filter((r) => Object.entries(filter).every(([key, value]) => r[key] === value));
}
