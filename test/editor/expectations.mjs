// What the editor should show, read from our own built node and credential descriptions (dist/),
// so the editor test follows the texts wherever they change instead of repeating them.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/runtime.mjs';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** The class each built file is named after (n8n's convention: Jpo.node.js exports Jpo), instantiated. */
function instances(files) {
	return files.map((file) => {
		const absolute = path.join(repoRoot, file);
		if (!existsSync(absolute)) throw new Error(`${file} is not built: run npm run build`);
		const Class = require(absolute)[path.basename(file).split('.')[0]];
		if (typeof Class !== 'function') throw new Error(`${file} does not export ${path.basename(file).split('.')[0]}`);
		return new Class();
	});
}

/** The description of a node type (`<package>.<name>`, as in a workflow). */
export function nodeDescription(type) {
	const name = type.slice(type.indexOf('.') + 1);
	const found = instances(manifest.n8n.nodes).find((node) => node.description?.name === name);
	if (!found) throw new Error(`no built node is called ${name}`);
	return found.description;
}

/** The credential type called `name` (name, displayName, properties). */
export function credentialType(name) {
	const found = instances(manifest.n8n.credentials).find((credential) => credential.name === name);
	if (!found) throw new Error(`no built credential type is called ${name}`);
	return found;
}

/** The value a parameter has: the configured one, else its default. */
function valueOf(properties, values, name) {
	if (name in values) return values[name];
	return properties.find((property) => property.name === name)?.default;
}

/**
 * Whether n8n shows a property for these values. Our descriptions use only `show`/`hide` lists of
 * plain values, which is all this evaluates.
 */
export function isShown(property, properties, values) {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	const matches = (name, wanted) => wanted.includes(valueOf(properties, values, name));
	return (
		Object.entries(show).every(([name, wanted]) => matches(name, wanted)) &&
		!Object.entries(hide).some(([name, wanted]) => matches(name, wanted))
	);
}

/** The properties n8n shows for these values, in order, without hidden ones. */
export function shownProperties(properties, values) {
	return properties.filter((property) => property.type !== 'hidden' && isShown(property, properties, values));
}

/** The display name of the option an `options` parameter is set to (e.g. operation → "Get Progress"). */
export function optionDisplayName(description, parameters, name) {
	const property = description.properties.find(
		(candidate) => candidate.name === name && isShown(candidate, description.properties, parameters),
	);
	const option = property?.options?.find((candidate) => candidate.value === valueOf(description.properties, parameters, name));
	if (!option) throw new Error(`${description.name}: no ${name} option for ${JSON.stringify(parameters)}`);
	return option.name;
}

/** The shown property called `name` for these parameters (there may be several with one name). */
export function shownProperty(description, parameters, name) {
	const property = shownProperties(description.properties, parameters).find((candidate) => candidate.name === name);
	if (!property) throw new Error(`${description.name}: ${name} is not shown for ${JSON.stringify(parameters)}`);
	return property;
}

/**
 * What issue 13 asks the JPO application-number field to tell without hovering (its placeholder
 * and hint): the hyphenated form and at least one of the other accepted forms (office prefix,
 * Japanese era year, full-width digits), each as a test on the visible text.
 */
export const APPLICATION_NUMBER_FORMS = [
	{ form: 'a hyphenated number (2020-123456)', test: (text) => /\d{4}-\d{6}/.test(text) },
	{
		form: 'a prefixed, era or full-width form (特願…, 令和…, ２０２０…)',
		test: (text) => /特願|特許願|令和|平成|[０-９]|full-width|era/i.test(text),
	},
];

/** A field that takes several numbers must show more than one in its placeholder or hint. */
export function showsSeveralNumbers(text) {
	return /[A-Z]{2} ?\d[\dA-Z ]*\s*[,\n;]\s*[A-Z]{2} ?\d/.test(text) || /several|one per line|comma/i.test(text);
}

/** A description or hint as the editor shows it as text: n8n renders them as HTML, so no tags, single spaces. */
export function plainText(value) {
	if (value === undefined || value === null) return null;
	return String(value)
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}
