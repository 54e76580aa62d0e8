// The composition root: starts the runtime, seeds what the configuration asks for and
// registers the queues (working them unless this process is a web-only replica). The server
// hook boots through here, and so do the integration tests, so both run the same wiring.
import type { Logger } from 'pino';
import { registerQueues } from '$jobs/index';
import type { Config } from '$lib/server/config';
import { setRuntime, startRuntime, type Runtime, type StartOptions } from '$lib/server/runtime';
import { ensureAdmin, seedCatalog, seedDemoAccounts } from '$lib/server/seed';
import { endEventStreams } from '$lib/server/http/event-streams';
import { takeOverShutdownSignals } from '$lib/server/db/embedded';
import { startMetricsServer, type MetricsServer } from '$lib/server/metrics';

export type BootOptions = StartOptions & {
	/** Seed catalog and accounts (the app does; tests seed what they need). */
	seed?: boolean;
};

export async function bootMinisPod(config: Config, options: BootOptions = {}): Promise<Runtime> {
	const runtime = await startRuntime(config, options);
	try {
		if (options.seed ?? true) await seedAll(runtime, runtime.log);
		await registerQueues(runtime, { work: options.work ?? config.role !== 'web' });
		return runtime;
	} catch (error) {
		await runtime.close();
		throw error;
	}
}

async function seedAll({ db, config, clock }: Runtime, log: Logger) {
	const seeded = await seedCatalog(db);
	if (seeded.services + seeded.plans + seeded.categories > 0)
		log.info(seeded, 'added the seeded catalog entries not offered before');
	if (config.admin) {
		const admin = await ensureAdmin(db, config.admin);
		if (admin.created) log.info({ email: config.admin.email }, 'administrator created from ADMIN_EMAIL');
	}
	if (config.demo) {
		const created = await seedDemoAccounts(db, clock.now());
		if (created.length > 0) {
			// Shown once, on the first start: the passwords are not stored anywhere readable.
			const lines = created.map((a) => `  ${a.role === 'ADMINISTRATOR' ? 'admin   ' : 'customer'}  ${a.email}  ${a.password}`);
			console.log(`\nDemo accounts (shown only this once):\n${lines.join('\n')}\n`);
		}
	}
}

let starting: Promise<Runtime> | undefined;

/**
 * Boots the process-wide runtime once (later calls return the same one), serves its metrics,
 * and shuts it down gracefully on SIGINT/SIGTERM.
 */
export function bootGlobalRuntime(config: Config, options?: BootOptions): Promise<Runtime> {
	starting ??= bootMinisPod(config, options).then(async (runtime) => {
		setRuntime(runtime);
		const metrics = await startMetricsServer(runtime);
		takeOverShutdownSignals();
		process.once('SIGINT', () => shutDown(runtime, metrics, 'SIGINT'));
		process.once('SIGTERM', () => shutDown(runtime, metrics, 'SIGTERM'));
		return runtime;
	});
	return starting;
}

/**
 * The shutdown, in the order Kubernetes expects of a pod being stopped: not ready any more,
 * live streams ended with a reconnect hint, no new jobs taken; then the HTTP server (which
 * registered its own signal handler after this one: scripts/start.js, or adapter-node's)
 * stops accepting and lets requests in flight finish, and emits `sveltekit:shutdown`
 * (https://svelte.dev/docs/kit/adapter-node#Graceful-shutdown); then running jobs get the
 * rest of SHUTDOWN_TIMEOUT, and the queue, pool and database close.
 */
function shutDown(runtime: Runtime, metrics: MetricsServer | null, signal: string) {
	runtime.log.info({ signal }, 'shutting down: finishing requests and jobs in flight');
	endEventStreams();
	void runtime.drain();
	let closing: Promise<void> | undefined;
	const close = () => {
		closing ??= Promise.all([runtime.close(), metrics?.close()])
			.then(() => runtime.log.info('shut down'))
			.finally(() => process.exit(0));
	};
	// `vite dev` has no server that hands over; a built server does, or its timeout passes.
	if (import.meta.env.DEV) return close();
	process.once('sveltekit:shutdown', close);
	setTimeout(close, (runtime.config.shutdownTimeoutSeconds + 5) * 1000).unref();
}
