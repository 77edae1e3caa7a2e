/**
 * The README is the package page n8n and npm show, so it stays short (the internals live in docs/),
 * and a link that points nowhere on that page, or in docs/, is a defect like any other.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const README_LIMIT_BYTES = 20_000;

const pages = [
	'README.md',
	'CHANGELOG.md',
	'examples/README.md',
	...readdirSync(path.join(root, 'docs'))
		.filter((file) => file.endsWith('.md'))
		.map((file) => `docs/${file}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[`*_]/g, '')
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
	const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
	return new Set(
		text
			.split('\n')
			.filter((line) => /^#{1,6}\s/.test(line))
			.map((line) => slug(line.replace(/^#+\s*/, ''))),
	);
}

/** Relative links `[text](target)` outside code blocks and inline code. */
function relativeLinks(file: string): string[] {
	const text = readFileSync(file, 'utf8')
		.replace(/```[\s\S]*?```/g, '')
		.replace(/`[^`\n]*`/g, '');
	return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
		.map((match) => match[1])
		.filter((target) => !/^[a-z]+:/i.test(target));
}

describe('package page and docs', () => {
	it(`keeps the README under ${README_LIMIT_BYTES} bytes`, () => {
		expect(statSync(path.join(root, 'README.md')).size).toBeLessThan(README_LIMIT_BYTES);
	});

	it.each(pages)('every relative link in %s resolves', (page) => {
		const file = path.join(root, page);
		const broken = relativeLinks(file).filter((target) => {
			const [target_path, anchor] = target.split('#');
			const resolved = target_path === '' ? file : path.resolve(path.dirname(file), target_path);
			if (!existsSync(resolved)) return true;
			if (anchor === undefined) return false;
			return !resolved.endsWith('.md') || !anchors(resolved).has(anchor);
		});
		expect(broken).toEqual([]);
	});

	it('finds the links it checks (a checker that sees none proves nothing)', () => {
		expect(relativeLinks(path.join(root, 'README.md')).length).toBeGreaterThan(5);
		expect(anchors(path.join(root, 'README.md')).has('dependencies')).toBe(true);
	});
});
