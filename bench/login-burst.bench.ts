// `npm run bench`: how the server answers while a burst of logins arrives (item 3 of the
// hardening issue: 200 parallel logins for unknown e-mails pushed /healthz from 73 ms to
// 3.1 s, argon2 taking both cores). Prints /healthz latency at rest and during 200 parallel
// logins from 200 addresses (a botnet, so the per-address budget does not cut it short),
// through the real request path (server hook, tRPC route). Nothing here fails on timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { startTestRuntime, type TestRuntime } from '../tests/support/runtime';
import { appFetch, trpcCall } from '../tests/support/http';
import { summary } from './stats';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

async function healthLatency() {
	const started = performance.now();
	const response = await appFetch(runtime, '/healthz');
	expect(response.status).toBe(200);
	return performance.now() - started;
}

describe('a burst of logins', () => {
	it('leaves /healthz answering quickly', async () => {
		const idle: number[] = [];
		for (let i = 0; i < 30; i++) idle.push(await healthLatency());

		const started = performance.now();
		let done = false;
		const logins = Promise.all(
			Array.from({ length: 200 }, (_, i) =>
				trpcCall(
					runtime,
					'auth.login',
					{ email: `nobody-${i}@example.com`, password: 'password-1234' },
					{ address: `10.9.${i >> 8}.${i & 255}` }
				)
			)
		).finally(() => (done = true));
		const busy: number[] = [];
		while (!done) {
			busy.push(await healthLatency());
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const answers = await logins;
		const burstMs = performance.now() - started;
		expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
		console.table([summary('/healthz at rest', idle), summary('/healthz during 200 parallel logins', busy)]);
		console.log(`200 logins answered in ${(burstMs / 1000).toFixed(1)} s`);
	});
});
