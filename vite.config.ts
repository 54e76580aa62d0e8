import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';
import { scaled } from './tests/support/timeouts';
import { paraglideOptions } from './scripts/i18n.js';
import { pageEtag } from './scripts/page-etag.js';

export default defineConfig({
	// Vitest compiles the messages in its global setup instead (tests/support/i18n-setup.ts).
	plugins: [
		...(process.env.VITEST ? [] : [paraglideVitePlugin(paraglideOptions)]),
		tailwindcss(),
		sveltekit(),
		// No ETag on pages that carry a CSP nonce: it could never match (scripts/page-etag.js).
		pageEtag()
	],
	// `npm run dev` serves on PORT (3000) like `npm start`, so the payment simulator's
	// notifications reach the dev server.
	server: { port: Number(process.env.PORT ?? 3000), strictPort: true },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/support/i18n-setup.ts'],
					testTimeout: scaled(5_000),
					// Test files share a worker's loaded modules: importing the server code once per
					// worker, not once per file, is most of the run's CPU time. Files keep no state in
					// modules (each integration file starts its own runtime on its own database).
					isolate: false,
					// Projects with different worker limits run as separate groups.
					sequence: { groupOrder: 0 }
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/support/i18n-setup.ts', 'tests/support/global-setup.ts'],
					testTimeout: scaled(60_000),
					hookTimeout: scaled(120_000),
					pool: 'forks',
					isolate: false,
					maxWorkers: 2,
					sequence: { groupOrder: 1 }
				}
			},
			{
				// The attacks, crashes and outages MinisPod must survive (`npm run test:security`).
				extends: true,
				test: {
					name: 'security',
					include: ['tests/security/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/support/i18n-setup.ts', 'tests/support/global-setup.ts'],
					testTimeout: 120_000,
					hookTimeout: 120_000,
					pool: 'forks',
					maxWorkers: 2,
					sequence: { groupOrder: 2 }
				}
			},
			{
				extends: true,
				test: {
					name: 'bench',
					include: ['bench/**/*.bench.ts'],
					environment: 'node',
					globalSetup: ['tests/support/i18n-setup.ts', 'tests/support/global-setup.ts'],
					testTimeout: 600_000,
					hookTimeout: 120_000,
					pool: 'forks',
					maxWorkers: 1
				}
			}
		]
	}
});
