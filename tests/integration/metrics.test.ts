// Prometheus metrics of a running MinisPod, scraped over HTTP from their own port: tRPC calls
// by procedure, jobs by queue, queue depth, the database pool, business counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serviceInstances } from '../../src/lib/server/db/schema';
import { startMetricsServer, type MetricsServer } from '../../src/lib/server/metrics';
import { newCustomer, type TestRuntime } from '../support/runtime';
import { startWalletRuntime, completeHostedPayment, type WalletTestRuntime } from '../support/payments';
import { seedCatalog } from '../../src/lib/server/seed';
import { planOf } from '../support/fixtures';
import { rejection } from '../support/errors';
import { scaled } from '../support/timeouts';

let runtime: WalletTestRuntime;
let metrics: MetricsServer;
beforeAll(async () => {
	runtime = await startWalletRuntime({ work: true, env: { MINISPOD_METRICS_PORT: '0', MINISPOD_METRICS_HOST: '127.0.0.1' } });
	await seedCatalog(runtime.db);
	metrics = (await startMetricsServer(runtime))!;
});
afterAll(async () => {
	await metrics?.close();
	await runtime?.close();
});

const scrape = async () => {
	const response = await fetch(metrics.url);
	expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
	return response.text();
};

/** The value of one sample, e.g. value(text, 'minispod_provisioning_total{outcome="running"}'). */
function value(text: string, sample: string): number | undefined {
	const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
	return line ? Number(line.slice(sample.length + 1)) : undefined;
}

const instanceStatus = async (id: string) =>
	(await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id)))[0].status;

describe('metrics', () => {
	it('count calls, jobs, business events and cluster errors where they happen', async () => {
		// Counters live in the process's registry, which other test files share: count the change.
		const before = await scrape();
		const { api } = await newCustomer(runtime as unknown as TestRuntime, 0);
		const topUp = await api.wallet.topUp({ amount: 100_000, method: 'E_WALLET', wallet: 'gopay' });
		await completeHostedPayment(topUp.redirectUrl, 'gopay', 'pay');
		await expect.poll(async () => (await api.wallet.balance()).balance, { timeout: 15_000 }).toBe(100_000);

		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		// One failed cluster call, retried by the client.
		runtime.emulator!.faults.apiError({ method: 'POST', path: '/namespaces', status: 503 });
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		await expect.poll(() => instanceStatus(instanceId), { timeout: scaled(15_000), interval: 100 }).toBe('RUNNING');
		await rejection(api.subscriptions.subscribe({ planId: plan.id }));

		const text = await scrape();
		const delta = (sample: string) => (value(text, sample) ?? 0) - (value(before, sample) ?? 0);
		expect(delta('minispod_topups_created_total{method="MIDTRANS_E_WALLET"}')).toBe(1);
		expect(delta('minispod_topups_settled_total{method="MIDTRANS_E_WALLET"}')).toBe(1);
		expect(
			delta('minispod_trpc_call_duration_seconds_count{procedure="subscriptions.subscribe",type="mutation",code="OK"}')
		).toBe(1);
		expect(
			delta('minispod_trpc_errors_total{procedure="subscriptions.subscribe",code="CONFLICT",app_code="DUPLICATE_SUBSCRIPTION"}')
		).toBe(1);
		expect(delta('minispod_provisioning_total{outcome="running"}')).toBe(1);
		expect(delta('minispod_provisioning_time_to_running_seconds_count')).toBe(1);
		expect(delta('minispod_job_duration_seconds_count{queue="provision-instance",outcome="completed"}')).toBe(1);
		expect(delta('minispod_cluster_api_errors_total{status="503"}')).toBe(1);
		expect(value(text, 'minispod_queue_jobs{queue="provision-instance",state="created"}')).toBe(0);
		expect(value(text, 'minispod_db_pool_clients{state="total"}')).toBeGreaterThan(0);
		expect(value(text, 'minispod_db_pool_max_clients')).toBe(10);
		expect(value(text, 'minispod_sse_streams_open')).toBe(0);
		expect(delta('minispod_renewals_total{outcome="charged"}')).toBe(0);
		expect(text).toContain('process_cpu_seconds_total');
	});

	it('serve only /metrics', async () => {
		expect((await fetch(metrics.url.replace('/metrics', '/'))).status).toBe(404);
	});
});
