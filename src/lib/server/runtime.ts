// The running MinisPod's infrastructure: configuration, database (migrated), queue, live
// events, the cluster and the payment gateway (or the stand-ins for them), started once
// per process and shut down together. What runs on it (queues, seed) is wired by the
// composition root, src/boot.ts.
import type { Logger } from 'pino';
import PgBoss from 'pg-boss';
import { sql } from 'drizzle-orm';
import type { Config } from './config';
import { closeDb, createDb, type Db } from './db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { migrateOnce } from './db/migrate';
import { createLogger, setLogger } from './log';
import { startEventHub, type EventHub } from './events';
import { startBillingClock, type BillingClock } from './clock';
import type { Cluster } from './kube/cluster';
import { connectCluster } from './kube/connect';
import type { KubeEmulator } from '$standins/kube-emulator';
import { startPayments, type Payments } from './payments';
import { QUEUE_NAMES, QUEUE_SCHEMA } from './queue';
import path from 'node:path';
import { resolveKeyring, setKeyring } from './secrets/keyring';
import { resealInstanceSecrets } from './secrets/instance-secrets';

export interface Runtime {
	config: Config;
	db: Db;
	boss: PgBoss;
	/** Live events (instance changes, notifications) across processes. */
	events: EventHub;
	/** Billing time (periods, renewals, grace, suspension); security time stays on `new Date()`. */
	clock: BillingClock;
	log: Logger;
	/** The Kubernetes cluster apps are provisioned into (the emulator when none is configured). */
	cluster: Cluster;
	/** The Kubernetes emulator standing in for a cluster, if it is (tests inject faults here). */
	emulator?: KubeEmulator;
	/** Which outside services are replaced by local stand-ins (shown as banners). */
	standIns: { database: boolean; payments: boolean; cluster: boolean };
	/** The payment gateway adapter, and the Midtrans simulator when it stands in. */
	payments: Pick<Payments, 'gateway' | 'simulator'>;
	/** True once a shutdown began: not ready for new traffic (`/healthz/ready` answers 503). */
	readonly draining: boolean;
	/**
	 * Begins a shutdown: workers take no new jobs while those running go on, for up to
	 * SHUTDOWN_TIMEOUT seconds counted from here, which `close()` waits for.
	 */
	drain(): Promise<void>;
	close(): Promise<void>;
}

export type StartOptions = {
	/** Run queue workers in this process (defaults from MINISPOD_ROLE). */
	work?: boolean;
	logger?: Logger;
};

export async function startRuntime(config: Config, options: StartOptions = {}): Promise<Runtime> {
	const log = options.logger ?? createLogger({ level: config.logLevel, pretty: !config.isProduction });
	setLogger(log);
	// Before anything else: a key that cannot be read stops the start with its reason.
	setKeyring(resolveKeyring(config));
	const closers: (() => Promise<void>)[] = [];

	try {
		let databaseUrl = config.databaseUrl;
		let embedded: EmbeddedDatabase | undefined;
		if (!databaseUrl) {
			log.info({ dir: path.join(config.dataDir, 'postgres') }, 'starting embedded PostgreSQL');
			embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), ownProcessGroup: true });
			closers.unshift(() => embedded!.stop());
			databaseUrl = embedded.url;
		}

		const db = createDb(databaseUrl, {
			onPoolError: (error) => log.warn({ err: error }, 'database connection lost; the pool will reconnect')
		});
		closers.unshift(() => closeDb(db));
		await migrateOnce(db);
		const { resealed, unreadable } = await resealInstanceSecrets(db);
		if (resealed > 0) log.info({ instances: resealed }, 'sealed generated secrets under the current key');
		if (unreadable.length > 0) {
			log.error(
				{ instanceIds: unreadable },
				'generated secrets sealed with a key MinisPod does not have: set MINISPOD_SECRET_KEY_PREVIOUS to it'
			);
		}

		const kube = await connectCluster(config.kube, log);
		closers.unshift(() => kube.close());
		const payments = await startPayments(config, log);
		closers.unshift(() => payments.close());

		const work = options.work ?? config.role !== 'web';
		const boss = new PgBoss({
			connectionString: databaseUrl,
			schema: QUEUE_SCHEMA,
			max: 5,
			supervise: work,
			schedule: work,
			// Expired jobs (a worker died holding them) are handed out again at the next
			// maintenance: every 30 s instead of pg-boss's 2 minutes, so work in flight at a
			// crash resumes within about a minute (the instance jobs expire after 30-45 s).
			maintenanceIntervalSeconds: 30
		});
		let stopping = false;
		boss.on('error', (error) => {
			if (!stopping) log.error({ err: error }, 'queue error');
		});
		await boss.start();
		let drainingSince: number | undefined;
		// pg-boss waits for running jobs up to the timeout, then fails them so they are retried
		// (https://github.com/timgit/pg-boss/blob/10.4.2/docs/readme.md#stopoptions).
		const jobDeadline = () =>
			drainingSince === undefined ? 10_000 : drainingSince + config.shutdownTimeoutSeconds * 1000 - Date.now();
		closers.unshift(() => boss.stop({ graceful: true, timeout: Math.max(1000, jobDeadline()), wait: true }));

		const events = await startEventHub(databaseUrl, (error) => log.warn({ err: error }, 'event listener error'));
		closers.unshift(() => events.close());
		const clock = await startBillingClock(db, events, (error) => log.warn({ err: error }, 'billing clock refresh failed'));
		closers.unshift(async () => clock.close());

		const runtime: Runtime = {
			config,
			db,
			boss,
			events,
			clock,
			log,
			cluster: kube.cluster,
			emulator: kube.emulator,
			standIns: {
				database: Boolean(embedded),
				payments: Boolean(payments.simulator) || config.standIns.payments,
				cluster: Boolean(kube.emulator) || config.standIns.cluster
			},
			payments: { gateway: payments.gateway, simulator: payments.simulator },
			get draining() {
				return drainingSince !== undefined;
			},
			drain: async () => {
				drainingSince ??= Date.now();
				// Stops fetching; jobs already running finish (or are failed by stop's timeout).
				await Promise.all(QUEUE_NAMES.map((name) => boss.offWork(name)));
			},
			close: async () => {
				stopping = true;
				for (const close of closers.splice(0)) {
					await close().catch((error) => log.warn({ err: error }, 'error during shutdown'));
				}
			}
		};
		return runtime;
	} catch (error) {
		for (const close of closers.splice(0)) await close().catch(() => undefined);
		throw error;
	}
}

/** Database and queue health for /healthz. */
export async function checkHealth(runtime: Runtime) {
	const database = await runtime.db
		.execute(sql`SELECT 1`)
		.then(() => ({ ok: true as const }))
		.catch((error: Error) => ({ ok: false as const, error: error.message }));
	const queue = await runtime.boss
		.getQueues()
		.then((queues) => ({ ok: true as const, queues: queues.length }))
		.catch((error: Error) => ({ ok: false as const, error: error.message }));
	return { ok: database.ok && queue.ok, database, queue };
}

let current: Runtime | undefined;

/** Makes this the process-wide runtime that requests use (set once by the composition root). */
export function setRuntime(runtime: Runtime) {
	current = runtime;
}

export function getRuntime(): Runtime {
	if (!current) throw new Error('MinisPod runtime is not started');
	return current;
}
