import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema> & { $client: pg.Pool };
export type Tx = PgTransaction<NodePgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction on it. */
export type DbOrTx = Db | Tx;

/**
 * Reads bigint (int8) values as JavaScript numbers instead of strings. node-postgres keeps
 * type parsers per process, so this is process-wide; it is safe because every int8 MinisPod
 * stores (rupiah, counts) is far below 2^53. Called by createDb, before any query.
 */
function readInt8AsNumber() {
	pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
}

/** Each pool's connected clients, until their connection has closed (closeDb waits for that). */
const openClients = new WeakMap<pg.Pool, Set<pg.PoolClient>>();

export function createDb(connectionString: string, options: { max?: number; onPoolError?: (error: Error) => void } = {}): Db {
	readInt8AsNumber();
	const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
	// An idle client losing its connection (the server restarted) must not crash the process;
	// the pool replaces it on the next query. The error is still worth a line in the log.
	pool.on('error', (error) => options.onPoolError?.(error));
	const open = new Set<pg.PoolClient>();
	openClients.set(pool, open);
	pool.on('connect', (client) => open.add(client));
	pool.on('remove', (client) => open.delete(client));
	return drizzle({ client: pool, schema, casing: 'snake_case' }) as Db;
}

/**
 * Closes the pool once each of its connections has closed. pg-pool's end() resolves when it has
 * asked every client to end, before their connections have (`_remove` in pg-pool's index.js
 * ends a client without waiting); a PostgreSQL stopped right after then ended those still
 * closing, and each logged "terminating connection due to administrator command" (57P01) as
 * the process shut down cleanly. A connection that does not close in `waitMs` is not waited for.
 */
export async function closeDb(db: Db, waitMs = 5_000) {
	const pool = db.$client;
	const open = openClients.get(pool);
	const closed = new Promise<void>((resolve) => {
		const check = () => {
			if (!open || open.size === 0) resolve();
		};
		pool.on('remove', check);
		setTimeout(resolve, waitMs).unref();
	});
	await pool.end();
	if (open && open.size > 0) await closed;
}

/** Runs `work` in a transaction, or inside the caller's transaction if one is given. */
export function inTransaction<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
	if (db instanceof PgTransaction) return work(db as Tx);
	return (db as Db).transaction(work);
}

const preparedByDb = new WeakMap<object, Map<string, unknown>>();

/**
 * A hot query built once per database and prepared under `name` (drizzle's `.prepare()`,
 * a named statement that PostgreSQL parses and plans once per connection): building a
 * query's SQL anew on every call was most of the CPU a cheap read cost. Inside a
 * transaction the query is prepared on the transaction's connection each call, as a
 * prepared query belongs to the connection it was made on.
 * https://orm.drizzle.team/docs/perf-queries#prepared-statement
 */
export function prepared<P>(db: DbOrTx, name: string, build: (db: DbOrTx) => P): P {
	if (db instanceof PgTransaction) return build(db);
	let statements = preparedByDb.get(db);
	if (!statements) preparedByDb.set(db, (statements = new Map()));
	if (!statements.has(name)) statements.set(name, build(db));
	return statements.get(name) as P;
}

/**
 * The open transaction as pg-boss's `db` option, so a job sent with it exists if and only
 * if the transaction commits. pg-boss hands over SQL text with `$n` placeholders and their
 * values; they are rebuilt as a drizzle statement with the same parameters, so the job's
 * INSERT runs on the transaction's own connection through drizzle's public API.
 */
export function jobConnection(tx: Tx) {
	return { executeSql: (text: string, values: unknown[] = []) => tx.execute(withPlaceholders(text, values)) };
}

function withPlaceholders(text: string, values: unknown[]): SQL {
	// split with a capture group alternates literal text and placeholder numbers.
	const parts = text.split(/\$(\d+)/);
	const chunks = parts.map((part, index) => (index % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1])));
	return sql.join(chunks, sql.raw(''));
}
