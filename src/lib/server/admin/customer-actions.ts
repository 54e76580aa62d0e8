// What an administrator does to an account, each with a reason and audited: block (the
// customer cannot log in and every session ends at once; apps keep running unless their
// subscriptions are suspended too), unblock, and make or remove an administrator (never
// the last one).
import { and, asc, eq, ne } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { sessions, users, type User } from '../db/schema';
import { audit } from '../audit/service';
import { invalidState, notFound } from '../errors';
import type { Role } from '$lib/statuses';
import { toCustomerAccount, type CustomerAccount } from './panel-views';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import { sessionsChangedHere } from '../auth/session-cache';

export type AdminActor = { adminId: string; ipAddress?: string | null };

/**
 * Locks the account, after every administrator row (in id order), so that two
 * administrators demoting or blocking each other at once are serialised without a
 * deadlock, and the second sees the first's change. Returns whether an active
 * administrator other than this account remains.
 */
async function lockAccount(tx: Tx, userId: string): Promise<{ target: User; anotherAdmin: boolean }> {
	const admins = await tx
		.select({ id: users.id, isActive: users.isActive })
		.from(users)
		.where(eq(users.role, 'ADMINISTRATOR'))
		.orderBy(asc(users.id))
		.for('update');
	const [target] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
	if (!target) throw notFound('Customer');
	return { target, anotherAdmin: admins.some((admin) => admin.id !== userId && admin.isActive) };
}

async function endSessions(tx: Tx, userId: string): Promise<number> {
	sessionsChangedHere(userId);
	const ended = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
	return ended.length;
}

export async function blockCustomer(
	db: DbOrTx,
	actor: AdminActor,
	input: { userId: string; reason: string }
): Promise<CustomerAccount> {
	if (input.userId === actor.adminId) throw invalidState(say(m.srv2_block_self));
	return db.transaction(async (tx) => {
		const { target, anotherAdmin } = await lockAccount(tx, input.userId);
		if (!target.isActive) throw invalidState(say(m.srv2_already_blocked));
		if (target.role === 'ADMINISTRATOR' && !anotherAdmin) {
			throw invalidState(say(m.srv2_last_admin_block));
		}
		const [blocked] = await tx.update(users).set({ isActive: false }).where(eq(users.id, target.id)).returning();
		// Login refuses an inactive account and a request with an old session finds none left.
		const sessionsEnded = await endSessions(tx, target.id);
		await audit(tx, {
			actorId: actor.adminId,
			action: 'user.block',
			entityType: 'user',
			entityId: target.id,
			details: { reason: input.reason, sessionsEnded },
			ipAddress: actor.ipAddress
		});
		return toCustomerAccount(blocked, sessionsEnded);
	});
}

export async function unblockCustomer(
	db: DbOrTx,
	actor: AdminActor,
	input: { userId: string; reason: string }
): Promise<CustomerAccount> {
	return db.transaction(async (tx) => {
		const { target } = await lockAccount(tx, input.userId);
		if (target.isActive) throw invalidState(say(m.srv2_not_blocked));
		sessionsChangedHere(target.id);
		const [unblocked] = await tx.update(users).set({ isActive: true }).where(eq(users.id, target.id)).returning();
		await audit(tx, {
			actorId: actor.adminId,
			action: 'user.unblock',
			entityType: 'user',
			entityId: target.id,
			details: { reason: input.reason },
			ipAddress: actor.ipAddress
		});
		return toCustomerAccount(unblocked, 0);
	});
}

/** Makes an account an administrator or a customer; the last active administrator stays one. */
export async function setCustomerRole(
	db: DbOrTx,
	actor: AdminActor,
	input: { userId: string; role: Role; reason: string }
): Promise<CustomerAccount> {
	return db.transaction(async (tx) => {
		const { target, anotherAdmin } = await lockAccount(tx, input.userId);
		if (target.role === input.role) {
			throw invalidState(input.role === 'ADMINISTRATOR' ? say(m.srv2_already_admin) : say(m.srv2_not_admin));
		}
		if (input.role === 'USER' && !anotherAdmin) {
			throw invalidState(say(m.srv2_last_admin_role));
		}
		sessionsChangedHere(target.id);
		const [changed] = await tx
			.update(users)
			.set({ role: input.role })
			.where(and(eq(users.id, target.id), ne(users.role, input.role)))
			.returning();
		await audit(tx, {
			actorId: actor.adminId,
			action: input.role === 'ADMINISTRATOR' ? 'user.make_admin' : 'user.remove_admin',
			entityType: 'user',
			entityId: target.id,
			details: { reason: input.reason, from: target.role, to: input.role },
			ipAddress: actor.ipAddress
		});
		return toCustomerAccount(changed, 0);
	});
}
