// Ctrl-C in the terminal of `npm start` sends SIGINT to the whole foreground process group,
// as Playwright and process supervisors stop a server's whole group. The embedded PostgreSQL
// was in MinisPod's group, got the signal too, and ended every connection at once while
// MinisPod was finishing the requests and jobs in flight (db/embedded.ts), and the stand-ins
// for the cluster and payments stopped under its jobs. Both now run in groups of their own:
// MinisPod stops the database last, and the stand-ins end with it.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAppDataDir, childPids, startApp, stopApp, untilHealthy, type AppProcess } from '../support/app-process';
import { scaled } from '../support/timeouts';

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
function processGroup(pid: number) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}
const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

describe('Ctrl-C in the terminal of npm start', () => {
	it(
		'reaches MinisPod, not its PostgreSQL and stand-ins, which end after it closed its connections',
		async () => {
			app = await startApp(dataDir, {}, [], { processGroup: true });
			await untilHealthy(app);
			const pid = app.child.pid!;
			const postgres = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
			expect(processGroup(pid)).toBe(pid);
			expect(processGroup(postgres)).not.toBe(pid);
			const [standIns] = childPids(pid, 'standins');
			expect(standIns).toBeGreaterThan(0);
			expect(processGroup(standIns)).not.toBe(pid);

			process.kill(-pid, 'SIGINT');
			expect(await app.exited).toBe(0);
			// No connection of MinisPod's was ended under it.
			expect(app.output()).not.toMatch(/database connection lost|terminating connection/);
			expect(alive(postgres)).toBe(false);
			// The stand-ins end when MinisPod's IPC channel to them closes.
			await expect.poll(() => alive(standIns), { timeout: scaled(10_000) }).toBe(false);
		},
		scaled(150_000)
	);
});
