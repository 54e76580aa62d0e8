// Money writes are short transactions whose cost is mostly round trips and parsing: an admin
// credit used to be eight statements (the ledger, the renewal retry, the audit row, the
// notification, its mail and the mail's job, between BEGIN and COMMIT). Here each domain
// describes its writes as named parts of one statement (data-modifying CTEs), so a caller can
// run the writes of several domains in one round trip, and statements go by a name derived
// from their text, so PostgreSQL parses and plans each shape once per connection.
import { createHash } from 'node:crypto';
import { sql, type Placeholder, type Query, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client';

/**
 * One write of a statement: `WITH <name> AS (<sql>)`. The SQL is a data-modifying statement
 * with a RETURNING clause (its rows come back under `name`); a part may read an earlier
 * part by its name. Names are fixed per domain, so one statement holds each kind once.
 * A part made by a template (partTemplate) has the template's SQL, with placeholders, and
 * the values of this call in `values`.
 */
export type StatementPart = { name: string; sql: SQL; values?: StatementValues };

/** What fills a statement's placeholders, by placeholder name. */
export type StatementValues = Record<string, unknown>;

/** Each template's number, for the shape of a statement made of templates. */
const templateNumbers = new WeakMap<SQL, number>();
let nextTemplate = 0;

/**
 * A part whose SQL is the same on every call, built once with a placeholder for each of
 * `keys` (named `<part>.<key>`); the function returned gives the part for one call's values.
 * Drizzle renders SQL by walking every column, table and parameter of it, which was most of
 * the CPU of building a money write (some 0.17 ms of an adjustment's 0.24 ms outside the
 * database, issue 16); a statement made only of templates is rendered once per shape
 * (executeShaped) and afterwards only has its placeholders filled.
 */
export function partTemplate<K extends string>(
	name: string,
	keys: readonly K[],
	build: (value: (key: K) => Placeholder) => SQL
): (values: Record<K, unknown>) => StatementPart {
	const template = build((key) => sql.placeholder(`${name}.${key}`));
	templateNumbers.set(template, nextTemplate++);
	return (values) => {
		const filled: StatementValues = {};
		for (const key of keys) filled[`${name}.${key}`] = values[key];
		return { name, sql: template, values: filled };
	};
}

/**
 * The shape of parts made only of templates (their names and templates), so a statement of
 * them can be rendered once; null when one of them is not a template.
 */
function partsShape(parts: StatementPart[]): string | null {
	let shape = '';
	for (const part of parts) {
		const number = part.values ? templateNumbers.get(part.sql) : undefined;
		if (number === undefined) return null;
		shape += `${part.name}:${number};`;
	}
	return shape;
}

/** Every part's values in one record (placeholder names are scoped by part name). */
function partsValues(parts: StatementPart[]): StatementValues {
	return Object.assign({}, ...parts.map((part) => part.values ?? {}));
}

export type StatementRows = Record<string, Record<string, unknown>[]>;

/** Renders SQL exactly as the app's drizzle instance does (createDb: snake_case columns). */
const dialect = new PgDialect({ casing: 'snake_case' });

/** Statement names by text, so the hash is computed once per shape. */
const names = new Map<string, string>();

function nameOf(text: string) {
	let name = names.get(text);
	if (!name) {
		name = `m_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
		names.set(text, name);
	}
	return name;
}

/**
 * A constant fragment (columns and tables, no parameters) rendered once, so that a hot
 * statement does not walk its parts again on every call: drizzle renders each column anew
 * (a ledger row's RETURNING list is some sixty parts).
 */
export function renderedOnce(fragment: SQL): SQL {
	const query = dialect.sqlToQuery(fragment);
	if (query.params.length > 0) throw new Error('A fragment with parameters is not constant');
	return sql.raw(query.sql);
}

/**
 * Runs a statement as a named prepared statement: node-postgres parses a name once per
 * connection and afterwards sends only Bind/Execute (https://node-postgres.com/features/queries#prepared-statements).
 * The name is a hash of the text, so two shapes never share a name and a connection holds
 * one statement per shape (the hot statements take their rows as arrays through unnest, so
 * their text does not grow with the number of rows). The result is drizzle's, as from `execute`.
 */
export async function executePrepared<T extends Record<string, unknown>>(
	db: DbOrTx,
	statement: SQL,
	values: StatementValues = {}
): Promise<{ rows: T[] }> {
	return execute<T>(db, dialect.sqlToQuery(statement), values);
}

function execute<T>(db: DbOrTx, query: Query, values: StatementValues) {
	return db._.session.prepareQuery(query, undefined, nameOf(query.sql), false).execute(values) as Promise<{ rows: T[] }>;
}

/** Rendered statements by shape. */
const shapes = new Map<string, Query>();

/**
 * executePrepared for a statement that `build` makes the same way each time (`name` says which
 * way) around `parts`: when every part is a template (partTemplate), it is rendered the first
 * time and afterwards taken as it is, with `values` and the parts' values in its
 * placeholders; otherwise it is rendered every time.
 */
export async function executeShaped<T extends Record<string, unknown>>(
	db: DbOrTx,
	statement: { name: string; parts?: StatementPart[]; build: () => SQL; values?: StatementValues }
): Promise<{ rows: T[] }> {
	const { name, parts = [], build } = statement;
	const values = { ...statement.values, ...partsValues(parts) };
	const shape = partsShape(parts);
	if (shape === null) return executePrepared<T>(db, build(), values);
	const key = `${name}|${shape}`;
	let query = shapes.get(key);
	if (!query) {
		query = dialect.sqlToQuery(build());
		shapes.set(key, query);
	}
	return execute<T>(db, query, values);
}

/**
 * Runs the parts as one statement, in one round trip: every part is executed exactly once
 * whatever the others return (PostgreSQL runs each data-modifying CTE to completion,
 * https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING), and all
 * of them commit or roll back with the caller's transaction. Returns each part's rows.
 */
export async function inOneStatement(db: DbOrTx, parts: StatementPart[]): Promise<StatementRows> {
	if (parts.length === 0) return {};
	const { rows } = await executeShaped<StatementRows>(db, {
		name: 'parts',
		parts,
		build: () => {
			const { ctes, results } = partsSql(parts);
			return sql`WITH ${ctes} SELECT ${results}`;
		}
	});
	return rows[0];
}

/**
 * The parts as the CTEs of a statement (`<name> AS (<sql>), …`) and as its result columns,
 * one per part, each the part's rows as a JSON array under its name: for inOneStatement, and
 * for a statement that writes more beside them (wallet/ledger.ts).
 */
export function partsSql(parts: StatementPart[]): { ctes: SQL; results: SQL } {
	const ctes = sql.join(
		parts.map((part) => sql`${sql.identifier(part.name)} AS (${part.sql})`),
		sql`, `
	);
	const results = sql.join(
		parts.map(
			(part) => sql`(SELECT coalesce(json_agg(r), '[]') FROM ${sql.identifier(part.name)} r) AS ${sql.identifier(part.name)}`
		),
		sql`, `
	);
	return { ctes, results };
}
