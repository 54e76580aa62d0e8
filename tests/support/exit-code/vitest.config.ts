// One failing test on the integration tests' own global set-up (the embedded PostgreSQL), for
// tests/integration/exit-code.test.ts: the run must end with a failing exit code.
import { defineConfig } from 'vitest/config';
import base from '../../../vite.config';

export default defineConfig({
	plugins: base.plugins,
	test: {
		include: ['tests/support/exit-code/failing.check.ts'],
		globalSetup: ['tests/support/global-setup.ts'],
		pool: 'forks'
	}
});
