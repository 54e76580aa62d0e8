// The web process's heap budget (README, "Memory"): `npm start` and the image give it in
// NODE_OPTIONS, and it is the web process's own. What that process starts gets V8's usual
// ceiling: a build (vite runs out of 160 MB, so `npm start` on a fresh clone could not build)
// and the stand-ins. The built app in a child process, started as npm start starts it.
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	builtAppDataDir,
	childPids,
	HEAP_BUDGET,
	startApp,
	stopApp,
	untilHealthy,
	type AppProcess
} from '../support/app-process';

let dataDir: string;
let app: AppProcess | undefined;
beforeAll(() => {
	dataDir = builtAppDataDir('minispod-heap-');
}, 900_000);
afterAll(async () => {
	if (app) await stopApp(app);
	rmSync(dataDir, { recursive: true, force: true });
});

/** The NODE_OPTIONS a process was started with (Linux /proc). */
function nodeOptionsOf(pid: number): string {
	const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
		.split('\0')
		.find((variable) => variable.startsWith('NODE_OPTIONS='));
	return entry?.slice('NODE_OPTIONS='.length) ?? '';
}

describe('the heap budget', () => {
	it("is the web process's own: the stand-ins it starts run without it", async () => {
		app = await startApp(dataDir);
		await untilHealthy(app);
		expect(nodeOptionsOf(app.child.pid!)).toContain(HEAP_BUDGET);
		const [standIns] = childPids(app.child.pid!, 'standins/main.ts');
		expect(standIns, 'the stand-ins process').toBeDefined();
		expect(nodeOptionsOf(standIns)).not.toContain('--max-old-space-size');
		expect(nodeOptionsOf(standIns)).not.toContain('--max-semi-space-size');
	});
});
