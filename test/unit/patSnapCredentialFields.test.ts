import { PatSnapApi } from '../../credentials/PatSnapApi.credentials';

const fields = new PatSnapApi().properties;
const field = (name: string) => fields.find((property) => property.name === name)!;

describe('the PatSnap credential dialog explains each field', () => {
	it('gives every field the user sees a description', () => {
		for (const property of fields.filter((entry) => entry.type !== 'hidden')) {
			expect(`${property.name}: ${property.description ?? ''}`).toMatch(/^\w+: .{20,}/);
		}
	});

	it('tells the client ID and secret apart from an sk- API key', () => {
		expect(field('clientId').description).toMatch(/client ID PatSnap issued/);
		expect(field('clientId').description).toMatch(/not an sk- API key/);
		expect(field('clientSecret').description).toMatch(/client secret .* with that client ID/);
		expect(field('apiKey').description).toMatch(/starting with sk-/);
		expect(field('apiKey').description).toMatch(/not a client ID or secret/);
		expect(field('apiKey').placeholder).toBe('sk-...');
	});
});
