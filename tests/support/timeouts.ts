// Timeouts in tests catch hangs; they do not measure speed. Each one is written as what an
// idle machine needs and multiplied by one scale for the run: at least 2, more while the
// machine is loaded (a test that takes 5 s on an idle 2-core machine took 30 s on a busy
// one). TEST_TIMEOUT_SCALE overrides it. The configs set it for their workers, so the
// whole run uses the value chosen when it started.
import os from 'node:os';

function machineScale() {
	const loadPerCore = os.loadavg()[0] / os.availableParallelism();
	return Math.max(2, Math.ceil(loadPerCore + 1));
}

export const TIMEOUT_SCALE = Number(process.env.TEST_TIMEOUT_SCALE) || machineScale();
process.env.TEST_TIMEOUT_SCALE = String(TIMEOUT_SCALE);

/** A timeout of `ms` on an idle machine, scaled for this run. */
export function scaled(ms: number): number {
	return ms * TIMEOUT_SCALE;
}
