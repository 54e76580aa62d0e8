// Item 13 of the hardening issue: after `kill -9` of `npm start`, the embedded PostgreSQL was
// left running, holding the data directory, and the next start refused ("Is another MinisPod
// using this data directory?"). Tested for real: the built app in a child process, killed
// with SIGKILL, started again; a second MinisPod on a directory a live one uses is refused.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createDb } from '../../src/lib/server/db/client';
import { builtAppDataDir, embeddedConnection, startApp, stopApp, untilHealthy, type AppProcess } from '../support/app-process';
import { expectInvariants } from '../support/invariants';

let dataDir: string;
const running: AppProcess[] = [];
beforeAll(() => {
	dataDir = builtAppDataDir('minispod-crash-');
}, 900_000);
afterAll(async () => {
	for (const app of running) await stopApp(app);
	rmSync(dataDir, { recursive: true, force: true });
});

const PASSWORD = 'crash survivor passphrase';

async function call(app: AppProcess, path: string, input: Record<string, string>) {
	const response = await fetch(`${app.url}/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: app.url },
		body: JSON.stringify({ json: input })
	});
	return response.status;
}
const register = (app: AppProcess, email: string) =>
	call(app, 'auth.register', { name: 'Crash Survivor', email, password: PASSWORD });
const login = (app: AppProcess, email: string) => call(app, 'auth.login', { email, password: PASSWORD });

describe('npm start after kill -9', () => {
	it('stops the PostgreSQL the dead MinisPod left running and starts again with the data intact', async () => {
		const first = await startApp(dataDir);
		running.push(first);
		await untilHealthy(first);
		expect(await register(first, 'before-crash@example.com')).toBe(200);

		first.child.kill('SIGKILL');
		await first.exited;

		const second = await startApp(dataDir);
		running.push(second);
		await untilHealthy(second);
		// The account made before the crash is still there: it logs in.
		expect(await login(second, 'before-crash@example.com')).toBe(200);
		expect(await register(second, 'after-crash@example.com')).toBe(200);

		const db = createDb(embeddedConnection(dataDir), { max: 1 });
		try {
			await expectInvariants(db);
		} finally {
			await closeDb(db);
		}
	}, 400_000);

	it('refuses to start on a data directory a live MinisPod uses, and leaves that one running', async () => {
		const live = running.at(-1)!;
		const intruder = await startApp(dataDir);
		running.push(intruder);
		expect(await intruder.exited).not.toBe(0);
		expect(intruder.output()).toMatch(/Another MinisPod \(process \d+\) is using the embedded database/);
		await untilHealthy(live, 10_000);
	}, 200_000);
});
