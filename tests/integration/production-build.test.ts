// The app that tests, benchmarks and `npm start` run is a production build, whatever NODE_ENV
// the process that builds it has (scripts/build-if-stale.js). Vitest sets NODE_ENV=test, and a
// build under it compiled Svelte's development checks into every page: the nesting of each
// element checked on every render (`push_element`), a third more CPU for the catalog page.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEnv, buildIfStale } from '../../scripts/build-if-stale.js';
import { ROOT } from '../support/app-process';

describe('the build', () => {
	it('is made for production when the builder runs under NODE_ENV=test', () => {
		expect(process.env.NODE_ENV).toBe('test');
		expect(buildEnv().NODE_ENV).toBe('production');
		buildIfStale();
		const pagesDir = path.join(ROOT, 'build/server/chunks/entries/pages');
		const pages = readdirSync(pagesDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
		expect(pages.length).toBeGreaterThan(10);
		const withDevChecks = pages.filter((file) => readFileSync(path.join(pagesDir, file), 'utf8').includes('push_element'));
		expect(withDevChecks).toEqual([]);
	}, 900_000);
});
