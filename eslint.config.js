import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'.data/',
			'node_modules/',
			'drizzle/',
			'test-results/',
			'playwright-report/',
			'src/lib/paraglide/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// MinisPod is served at the root (no `paths.base`), so plain hrefs are correct.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		// The stand-ins stay out of the app's bundle: product code loads them only with a
		// dynamic import() where no cluster or Midtrans key is configured.
		files: ['src/**', 'jobs/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['$standins', '$standins/*', '**/standins', '**/standins/*'],
							allowTypeImports: true,
							message: 'Import stand-ins with `import type`, or load them lazily with import().'
						}
					]
				}
			]
		}
	},
	{
		// A page used before it is hydrated ignores clicks on what only works with JavaScript,
		// and hydration puts an input's typed text back: browser tests open pages with visit().
		files: ['tests/e2e/**/*.spec.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: "CallExpression[callee.property.name='goto']",
					message: 'Open pages with visit() (tests/e2e/helpers.ts), which waits until the page is hydrated.'
				}
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	}
);
