// Browser tests against the built app on embedded defaults, in Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { TEST_TRANSFER_ACCOUNTS, withHeapBudget } from './tests/support/app-process';
import { scaled } from './tests/support/timeouts';

// Chosen once in the main process; workers inherit the environment.
if (!process.env.E2E_PORT) {
	process.env.E2E_PORT = execFileSync(process.execPath, [
		'-e',
		"const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
	])
		.toString()
		.trim();
}
if (!process.env.E2E_DATA_DIR) {
	process.env.E2E_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'minispod-e2e-'));
	// As root the embedded PostgreSQL runs as user `postgres`, which must reach it.
	chmodSync(process.env.E2E_DATA_DIR, 0o755);
}

const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
export const englishCookie = {
	name: 'minispod_locale',
	value: 'en',
	domain: '127.0.0.1',
	path: '/',
	expires: -1,
	httpOnly: false,
	secure: false,
	sameSite: 'Lax' as const
};
export const E2E_ADMIN = { email: 'e2e-admin@minispod.local', password: 'e2e-admin-password' };

/** Browser tests that move the shared billing clock. */
const CLOCK_TESTS = /renewal\.spec\.ts$/;

export default defineConfig({
	testDir: 'tests/e2e',
	// Each test signs up its own customer and reads nothing another test changes, so tests
	// run two at a time: a browser test mostly waits on the browser and the server. The one
	// thing they share is the billing clock: a test that moves it (renewal.spec.ts moves it a
	// month) runs after all the others, or a termination backup another test is waiting on
	// would expire under it.
	projects: [
		{ name: 'browser', testIgnore: CLOCK_TESTS },
		{ name: 'billing clock', testMatch: CLOCK_TESTS, dependencies: ['browser'] }
	],
	fullyParallel: true,
	workers: 2,
	retries: 0,
	timeout: scaled(60_000),
	expect: { timeout: scaled(15_000) },
	forbidOnly: Boolean(process.env.CI),
	// A failed test's steps and last page are printed: in CI the trace is lost with the machine.
	reporter: [['list'], ['./tests/e2e/failure-report.ts']],
	use: {
		baseURL,
		// The browser tests written in English read the English texts; a new visitor gets
		// Indonesian, which tests/e2e/i18n.spec.ts checks with an empty cookie jar.
		storageState: { cookies: [englishCookie], origins: [] },
		// A failed test keeps its trace of actions and page snapshots. Screenshots are left
		// out: encoding the screencast was a quarter of Chromium's CPU time.
		trace: { mode: 'retain-on-failure', screenshots: false },
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-dev-shm-usage'
			]
		}
	},
	webServer: {
		command: 'node scripts/start.js',
		url: `${baseURL}/healthz`,
		timeout: scaled(60_000),
		reuseExistingServer: false,
		stdout: 'pipe',
		stderr: 'pipe',
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseURL,
			MINISPOD_DATA_DIR: process.env.E2E_DATA_DIR,
			MINISPOD_DEMO: 'false',
			ADMIN_EMAIL: E2E_ADMIN.email,
			ADMIN_PASSWORD: E2E_ADMIN.password,
			LOG_LEVEL: 'warn',
			// Every browser test registers from this one address.
			MINISPOD_RATE_LIMIT_EXEMPT: '127.0.0.1',
			// Any free port, so test runs side by side do not collide on the metrics port.
			MINISPOD_METRICS_PORT: '0',
			MINISPOD_TRANSFER_ACCOUNTS: TEST_TRANSFER_ACCOUNTS,
			MINISPOD_SUPPORT_EMAIL: 'support@minispod.test',
			NODE_ENV: 'production',
			NODE_OPTIONS: withHeapBudget()
		}
	}
});
