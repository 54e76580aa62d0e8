// The simulator's merchant account on disk (server key and transactions), so the stand-ins
// process can restart without losing payments in progress.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SimulatedTransaction } from './index';

export type SavedAccount = { serverKey: string; transactions: SimulatedTransaction[] };

const DATE_FIELDS = ['createdAt', 'expiresAt', 'transactionTime', 'settlementTime'] as const;

export function loadTransactions(file: string): SavedAccount | undefined {
	if (!existsSync(file)) return undefined;
	const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedAccount;
	for (const record of saved.transactions) {
		for (const field of DATE_FIELDS) {
			const value = record[field] as unknown;
			(record as Record<string, unknown>)[field] = typeof value === 'string' ? new Date(value) : null;
		}
	}
	return saved;
}

/** Writes atomically (a crash mid-write leaves the previous state). */
export function saveTransactions(file: string, account: SavedAccount) {
	writeFileSync(`${file}.tmp`, JSON.stringify(account), { mode: 0o600 });
	renameSync(`${file}.tmp`, file);
}
