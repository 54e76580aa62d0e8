import type { DbOrTx } from '../db/client';
import { auditLog } from '../db/schema';
import { inOneStatement, type StatementPart } from '../db/statement';

export type AuditEntry = {
	actorId: string | null;
	action: string;
	entityType: string;
	entityId?: string | null;
	details?: Record<string, unknown>;
	ipAddress?: string | null;
};

/** The administrator doing something, and where from (for the audit log). */
export type AuditActor = { adminId: string; ipAddress?: string | null };

/** Records an administrative or security-relevant action. */
export async function audit(db: DbOrTx, entry: AuditEntry) {
	await inOneStatement(db, [auditPart(db, entry)]);
}

/**
 * The audit row as a part of one statement (db/statement.ts), for a caller that writes it
 * with the action it records: `audit` returns the row's id.
 */
export function auditPart(db: DbOrTx, entry: AuditEntry): StatementPart {
	const insert = db
		.insert(auditLog)
		.values({
			actorId: entry.actorId,
			action: entry.action,
			entityType: entry.entityType,
			entityId: entry.entityId ?? null,
			details: entry.details ?? {},
			ipAddress: entry.ipAddress ?? null
		})
		.returning({ id: auditLog.id });
	return { name: 'audit', sql: insert.getSQL() };
}
