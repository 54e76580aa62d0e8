// Ctrl-C in the terminal of `npm start` sends SIGINT to the whole foreground process group,
// as Playwright and process supervisors stop a server's whole group. The embedded PostgreSQL
// was in MinisPod's group, got the signal too, and ended every connection at once while
// MinisPod was finishing the requests and jobs in flight (db/embedded.ts). It now runs in a
// group of its own and MinisPod stops it last.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppDataDir, startApp, stopApp, untilHealthy, type AppProcess } from '../support/app-process';

let dataDir: string;
let app: AppProcess | undefined;
beforeAll(() => {
	dataDir = builtAppDataDir('minispod-interrupt-');
}, 900_000);
afterAll(async () => {
	if (app) await stopApp(app);
	rmSync(dataDir, { recursive: true, force: true });
});

/** A process's group (the fifth field of /proc/<pid>/stat, after the command in parentheses). */
const processGroup = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

describe('Ctrl-C in the terminal of npm start', () => {
	it('reaches MinisPod, not its PostgreSQL, which MinisPod stops after its own connections closed', async () => {
		app = await startApp(dataDir, {}, [], { processGroup: true });
		await untilHealthy(app);
		const pid = app.child.pid!;
		const postgres = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
		expect(processGroup(pid)).toBe(pid);
		expect(processGroup(postgres)).not.toBe(pid);

		process.kill(-pid, 'SIGINT');
		expect(await app.exited).toBe(0);
		// No connection of MinisPod's was ended under it.
		expect(app.output()).not.toMatch(/database connection lost|terminating connection/);
		expect(alive(postgres)).toBe(false);
	}, 300_000);
});
