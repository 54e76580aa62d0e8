import { sql } from 'drizzle-orm';
import type { AuditAction } from '$lib/statuses';
import type { DbOrTx } from '../db/client';
import { auditLog } from '../db/schema';
import { inOneStatement, partTemplate, type StatementPart } from '../db/statement';

export type { AuditAction };

export type AuditEntry = {
	actorId: string | null;
	action: AuditAction;
	entityType: string;
	entityId?: string | null;
	details?: Record<string, unknown>;
	ipAddress?: string | null;
};

/** The administrator doing something, and where from (for the audit log). */
export type AuditActor = { adminId: string; ipAddress?: string | null };

/** Records an administrative or security-relevant action. */
export async function audit(db: DbOrTx, entry: AuditEntry) {
	await inOneStatement(db, [auditPart(entry)]);
}

const auditRow = partTemplate(
	'audit',
	['actorId', 'action', 'entityType', 'entityId', 'details', 'ipAddress'],
	(value) => sql`INSERT INTO ${auditLog} (actor_id, action, entity_type, entity_id, details, ip_address)
		VALUES (${value('actorId')}::uuid, ${value('action')}::text, ${value('entityType')}::text, ${value('entityId')}::text,
			${value('details')}::jsonb, ${value('ipAddress')}::text)
		RETURNING id`
);

/**
 * The audit row as a part of one statement (db/statement.ts), for a caller that writes it
 * with the action it records: `audit` returns the row's id.
 */
export function auditPart(entry: AuditEntry): StatementPart {
	return auditRow({
		actorId: entry.actorId,
		action: entry.action,
		entityType: entry.entityType,
		entityId: entry.entityId ?? null,
		details: JSON.stringify(entry.details ?? {}),
		ipAddress: entry.ipAddress ?? null
	});
}
