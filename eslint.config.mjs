// Mirrors the configuration @n8n/node-cli generates for self-hosted packages
// (configWithoutCloudSupport), plus a lighter block for the sandbox, tests and scripts, which are
// not shipped and legitimately use timers, process and the file system.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;

// The deliberate departures from n8n's defaults, each argued in the README ("Community-package
// checks"): this package ships runtime dependencies (see the README's dependency table), and its
// peer range names the n8n-workflow versions of the two n8n lines it is tested on instead of "*".
const deliberateDepartures = {
	'@n8n/community-nodes/no-runtime-dependencies': 'off',
	'@n8n/community-nodes/valid-peer-dependencies': 'off',
};

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityRecommended],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
			...deliberateDepartures,
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		files: ['package.json'],
		extends: [communityRecommended],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.community.rules, ...deliberateDepartures },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['sandbox/**/*.ts', 'test/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		// Japanese sample text legitimately contains the full-width space U+3000.
		rules: { 'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }] },
	},
	{
		files: ['scripts/**/*.mjs', 'test/**/*.mjs', '*.mjs', '*.js', 'bench/**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: {
			globals: {
				process: 'readonly',
				console: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
				URL: 'readonly',
				Buffer: 'readonly',
				fetch: 'readonly',
				AbortController: 'readonly',
				AbortSignal: 'readonly',
				require: 'readonly',
				module: 'writable',
				exports: 'writable',
				__dirname: 'readonly',
			},
		},
	},
);
