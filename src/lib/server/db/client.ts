import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = NodePgDatabase<Schema> & { $client: pg.Pool };
export type Tx = PgTransaction<NodePgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction on it. */
export type DbOrTx = Db | Tx;

// bigint (int8) columns come back as strings by default; MinisPod's amounts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
	const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
	// An idle client losing its connection must not crash the process.
	pool.on('error', () => undefined);
	return drizzle({ client: pool, schema, casing: 'snake_case' }) as Db;
}

export async function closeDb(db: Db) {
	await db.$client.end();
}

/** Runs `work` in a transaction, or inside the caller's transaction if one is given. */
export function inTransaction<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
	if (db instanceof PgTransaction) return work(db as Tx);
	return (db as Db).transaction(work);
}

/**
 * The open transaction as pg-boss's `db` option, so a job sent with it exists if and only
 * if the transaction commits.
 */
export function jobConnection(tx: Tx) {
	const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
	return {
		executeSql: (text: string, values: unknown[]) => client.query(text, values)
	};
}
