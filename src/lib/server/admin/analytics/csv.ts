// A report as CSV, streamed: the rows come from a server-side cursor a batch at a time, as
// the client reads, so an export never sits in memory whole.
// PostgreSQL cursors: https://www.postgresql.org/docs/current/sql-declare.html
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Db } from '../../db/client';
import type { ReportName } from '$lib/analytics';
import type { Range } from './range';
import { REPORT_QUERIES } from './reports';

const BATCH = 500;
const dialect = new PgDialect();

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = value instanceof Date ? value.toISOString() : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: unknown[]) => `${values.map(csvField).join(',')}\r\n`;

export function reportCsv(db: Db, name: ReportName, range: Range): ReadableStream<Uint8Array> {
	const report = REPORT_QUERIES[name];
	const query = dialect.sqlToQuery(report.query(range));
	const encoder = new TextEncoder();
	let client: pg.PoolClient | undefined;

	const release = async (error?: Error) => {
		const held = client;
		client = undefined;
		if (!held) return;
		await held.query(error ? 'ROLLBACK' : 'COMMIT').catch(() => undefined);
		held.release(error);
	};

	return new ReadableStream<Uint8Array>({
		async start(controller) {
			const connection = await db.$client.connect();
			client = connection;
			try {
				// A cursor lives in a transaction; READ ONLY keeps the export from ever writing.
				await connection.query('BEGIN READ ONLY');
				await connection.query({ text: `DECLARE report_rows NO SCROLL CURSOR FOR ${query.sql}`, values: query.params });
			} catch (error) {
				await release(error as Error);
				throw error;
			}
			controller.enqueue(encoder.encode(csvLine([...report.columns])));
		},
		async pull(controller) {
			try {
				const batch = await client!.query<Record<string, unknown>>(`FETCH ${BATCH} FROM report_rows`);
				if (batch.rows.length > 0) {
					controller.enqueue(encoder.encode(batch.rows.map((row) => csvLine(report.columns.map((c) => row[c]))).join('')));
				}
				if (batch.rows.length < BATCH) {
					await release();
					controller.close();
				}
			} catch (error) {
				await release(error as Error);
				controller.error(error);
			}
		},
		async cancel() {
			await release();
		}
	});
}
