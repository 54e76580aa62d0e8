// One worker process of the renewal benchmark: boots a MinisPod runtime (its own pool and
// pg-boss) on the benchmark's database, says `ready`, waits for `go` on stdin, runs the
// renewal sweep at the given moment and prints what it did as one JSON line.
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '$lib/server/config';
import { startRuntime } from '$lib/server/runtime';
import { createLogger } from '$lib/server/log';
import { sweepDueRenewals } from '$lib/server/subscriptions/renewal';

const [databaseUrl, nowIso] = process.argv.slice(2);
const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, MINISPOD_DATA_DIR: process.env.BENCH_DATA_DIR });
const runtime = await startRuntime(config, { work: false, logger: createLogger({ level: 'warn', pretty: false }) });
const lines = createInterface({ input: process.stdin });
console.log('ready');
for await (const line of lines) {
	if (line.trim() !== 'go') continue;
	const started = performance.now();
	const tally = await sweepDueRenewals(runtime, { now: new Date(nowIso) });
	console.log(JSON.stringify({ ...tally, ms: performance.now() - started }));
	break;
}
lines.close();
await runtime.close();
