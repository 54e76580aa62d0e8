// Every Prometheus metric MinisPod exports, defined once here (prom-client) and served on a
// port of its own (MINISPOD_METRICS_PORT), never through the public ingress. Code records
// a measurement where the thing happens, with one call; gauges of the running process (the
// database pool, queue depth, open event streams) are read when Prometheus scrapes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import client from 'prom-client';
import type { Runtime } from './runtime';
import { openEventStreams } from './http/event-streams';

export const registry = new client.Registry();

const seconds = (buckets: number[]) => ({ buckets, registers: [registry] });
const FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SLOW = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600];

// -- Requests ----------------------------------------------------------------------------

export const httpRequestDuration = new client.Histogram({
	name: 'minispod_http_request_duration_seconds',
	help: 'HTTP requests by method, route (SvelteKit route id) and status, until the response headers.',
	labelNames: ['method', 'route', 'status'] as const,
	...seconds(FAST)
});

export const trpcCallDuration = new client.Histogram({
	name: 'minispod_trpc_call_duration_seconds',
	help: 'tRPC procedure calls by procedure, type and result code (OK or the tRPC error code).',
	labelNames: ['procedure', 'type', 'code'] as const,
	...seconds(FAST)
});

export const trpcErrors = new client.Counter({
	name: 'minispod_trpc_errors_total',
	help: 'tRPC calls that failed, by procedure, tRPC error code and MinisPod error code.',
	labelNames: ['procedure', 'code', 'app_code'] as const,
	registers: [registry]
});

// -- Jobs --------------------------------------------------------------------------------

export const jobDuration = new client.Histogram({
	name: 'minispod_job_duration_seconds',
	help: 'pg-boss jobs worked by this process, by queue and outcome (completed or failed).',
	labelNames: ['queue', 'outcome'] as const,
	...seconds(SLOW)
});

export const jobFailures = new client.Counter({
	name: 'minispod_job_failures_total',
	help: 'pg-boss jobs whose handler failed (pg-boss retries them until their retry limit), by queue.',
	labelNames: ['queue'] as const,
	registers: [registry]
});

/** Runs a job's handler, timing it and counting its failure. */
export async function observeJob<T>(queue: string, handle: () => Promise<T>): Promise<T> {
	const stop = jobDuration.startTimer({ queue });
	try {
		const result = await handle();
		stop({ outcome: 'completed' });
		return result;
	} catch (error) {
		stop({ outcome: 'failed' });
		jobFailures.inc({ queue });
		throw error;
	}
}

// -- Business events ---------------------------------------------------------------------

export const topUpsCreated = new client.Counter({
	name: 'minispod_topups_created_total',
	help: 'Top-ups started at the payment gateway, by payment method.',
	labelNames: ['method'] as const,
	registers: [registry]
});

export const topUpsSettled = new client.Counter({
	name: 'minispod_topups_settled_total',
	help: 'Top-ups credited to a wallet after the gateway confirmed payment, by payment method.',
	labelNames: ['method'] as const,
	registers: [registry]
});

/** Incremented by the renewal job (charged: a period paid from credit; failed: not enough credit). */
export const renewals = new client.Counter({
	name: 'minispod_renewals_total',
	help: 'Subscription renewals by outcome (charged, failed).',
	labelNames: ['outcome'] as const,
	registers: [registry]
});

export const provisioningOutcomes = new client.Counter({
	name: 'minispod_provisioning_total',
	help: 'Provisioning attempts that ended, by outcome (running, failed).',
	labelNames: ['outcome'] as const,
	registers: [registry]
});

export const timeToRunning = new client.Histogram({
	name: 'minispod_provisioning_time_to_running_seconds',
	help: 'From an instance being queued for provisioning to RUNNING.',
	...seconds(SLOW)
});

/** A provisioning job ended; `queuedAt` is when the instance was last queued for it. */
export function provisioningEnded(outcome: 'running' | 'failed', queuedAt: Date) {
	provisioningOutcomes.inc({ outcome });
	if (outcome === 'running') timeToRunning.observe((Date.now() - queuedAt.getTime()) / 1000);
}

export const clusterApiErrors = new client.Counter({
	name: 'minispod_cluster_api_errors_total',
	help: 'Failed Kubernetes API calls by HTTP status (0: the API server was not reached).',
	labelNames: ['status'] as const,
	registers: [registry]
});

// -- The running process -----------------------------------------------------------------

let observed: Runtime | undefined;

new client.Gauge({
	name: 'minispod_sse_streams_open',
	help: 'Server-sent event streams (live logs, instance events, notifications) open in this process.',
	registers: [registry],
	collect() {
		this.set(openEventStreams());
	}
});

new client.Gauge({
	name: 'minispod_db_pool_clients',
	help: 'Database pool clients of this process by state (total, idle, waiting: queries queued for a client).',
	labelNames: ['state'] as const,
	registers: [registry],
	collect() {
		const pool = observed?.db.$client;
		if (!pool) return;
		this.set({ state: 'total' }, pool.totalCount);
		this.set({ state: 'idle' }, pool.idleCount);
		this.set({ state: 'waiting' }, pool.waitingCount);
	}
});

new client.Gauge({
	name: 'minispod_db_pool_max_clients',
	help: 'Largest number of clients the database pool of this process opens.',
	registers: [registry],
	collect() {
		const max = observed?.db.$client.options.max;
		if (max !== undefined) this.set(max);
	}
});

const JOB_STATES = ['created', 'retry', 'active'] as const;

new client.Gauge({
	name: 'minispod_queue_jobs',
	help: 'pg-boss jobs waiting (created, retry) or running (active), by queue; the same in every process.',
	labelNames: ['queue', 'state'] as const,
	registers: [registry],
	async collect() {
		if (!observed) return;
		this.reset();
		// pg-boss v10 keeps every queue's jobs in pgboss.job (partitioned by queue name).
		const rows = await observed.db.execute<{ name: string; state: string; jobs: number }>(
			sql`SELECT name, state::text AS state, count(*)::int AS jobs FROM pgboss.job
				WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`
		);
		const queues = await observed.boss.getQueues();
		for (const queue of queues) for (const state of JOB_STATES) this.set({ queue: queue.name, state }, 0);
		for (const row of rows.rows) this.set({ queue: row.name, state: row.state }, row.jobs);
	}
});

// -- Serving -----------------------------------------------------------------------------

export type MetricsServer = { url: string; close(): Promise<void> };

/**
 * Serves GET /metrics for this process's runtime on MINISPOD_METRICS_HOST:PORT (port 0: a
 * free one). A port in use is logged, not fatal: metrics are not worth refusing to serve.
 */
export async function startMetricsServer(runtime: Runtime): Promise<MetricsServer | null> {
	observed = runtime;
	if (!defaultsCollected) {
		client.collectDefaultMetrics({ register: registry });
		defaultsCollected = true;
	}
	const { host, port } = runtime.config.metrics;
	const server = http.createServer((request, response) => {
		if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
			response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found; metrics are at /metrics\n');
			return;
		}
		registry.metrics().then(
			(text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
			(error: Error) => {
				runtime.log.warn({ err: error }, 'collecting metrics failed');
				response.writeHead(500, { 'content-type': 'text/plain' }).end('Collecting metrics failed\n');
			}
		);
	});
	const listening = await new Promise<boolean>((resolve) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			runtime.log.error({ err: error, host, port }, 'metrics are not served: their port could not be opened');
			resolve(false);
		});
		server.listen(port, host, () => resolve(true));
	});
	if (!listening) return null;
	const address = server.address() as AddressInfo;
	const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`;
	runtime.log.info({ url }, 'serving metrics');
	return {
		url,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

let defaultsCollected = false;
