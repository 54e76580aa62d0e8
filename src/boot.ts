// The composition root: starts the runtime, seeds what the configuration asks for and
// registers the queues (working them unless this process is a web-only replica). The server
// hook boots through here, and so do the integration tests, so both run the same wiring.
import type { Logger } from 'pino';
import { registerQueues } from '$jobs/index';
import type { Config } from '$lib/server/config';
import { setRuntime, startRuntime, type Runtime, type StartOptions } from '$lib/server/runtime';
import { ensureAdmin, seedCatalog, seedDemoAccounts } from '$lib/server/seed';

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

async function seedAll({ db, config }: Runtime, log: Logger) {
	if (await seedCatalog(db)) log.info('seeded the demo catalog');
	if (config.admin) {
		const admin = await ensureAdmin(db, config.admin);
		if (admin.created) log.info({ email: config.admin.email }, 'administrator created from ADMIN_EMAIL');
	}
	if (config.demo) {
		const created = await seedDemoAccounts(db);
		if (created.length > 0) {
			// Shown once, on the first start: the passwords are not stored anywhere readable.
			const lines = created.map((a) => `  ${a.role === 'ADMINISTRATOR' ? 'admin   ' : 'customer'}  ${a.email}  ${a.password}`);
			console.log(`\nDemo accounts (shown only this once):\n${lines.join('\n')}\n`);
		}
	}
}

let starting: Promise<Runtime> | undefined;

/** Boots the process-wide runtime once (later calls return the same one) and stops it on SIGINT/SIGTERM. */
export function bootGlobalRuntime(config: Config, options?: BootOptions): Promise<Runtime> {
	starting ??= bootMinisPod(config, options).then((runtime) => {
		setRuntime(runtime);
		const shutdown = (signal: string) => {
			runtime.log.info({ signal }, 'shutting down');
			void runtime.close().finally(() => process.exit(0));
		};
		process.once('SIGINT', shutdown);
		process.once('SIGTERM', shutdown);
		return runtime;
	});
	return starting;
}
