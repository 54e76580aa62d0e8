// One worker process of the renewal benchmark: boots a MinisPod runtime (its own pool and
// pg-boss) on the benchmark's database, says `ready`, waits for `go` on stdin, runs the
// renewal sweep at the given moment and prints what it did as one JSON line.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '$lib/server/config';
import { startRuntime } from '$lib/server/runtime';
import { createLogger } from '$lib/server/log';
import { sweepDueRenewals } from '$lib/server/subscriptions/renewal';

const [databaseUrl, nowIso] = process.argv.slice(2);
const dataDir = process.env.BENCH_DATA_DIR ?? '.';
// Outside Vite the stand-ins are not loaded (kube/connect.ts, payments/index.ts). Renewals
// touch neither the cluster nor the gateway, so a cluster that is never called and a
// placeholder key are enough.
const kubeconfig = path.join(dataDir, 'kubeconfig.json');
writeFileSync(
	kubeconfig,
	JSON.stringify({
		apiVersion: 'v1',
		kind: 'Config',
		clusters: [{ name: 'unused', cluster: { server: 'https://127.0.0.1:1' } }],
		users: [{ name: 'unused', user: { token: 'unused' } }],
		contexts: [{ name: 'unused', context: { cluster: 'unused', user: 'unused' } }],
		'current-context': 'unused'
	})
);
const config = parseConfig({
	NODE_ENV: 'test',
	DATABASE_URL: databaseUrl,
	MINISPOD_DATA_DIR: dataDir,
	KUBECONFIG: kubeconfig,
	MIDTRANS_SERVER_KEY: 'SB-Mid-server-bench',
	MINISPOD_METRICS_PORT: '0'
});
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
