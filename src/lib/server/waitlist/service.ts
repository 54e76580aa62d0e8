// Waitlists of sold-out plans. When a slot frees up, the first customers in line are
// offered it (one offer per free slot); an offer lapses after a day without a purchase.
import { and, asc, count, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { inTransaction, prepared, type DbOrTx } from '../db/client';
import { servicePlans, services, waitlistEntries } from '../db/schema';
import { badRequest, notFound } from '../errors';
import { notify } from '../notifications/service';
import { availableSlots } from '../catalog/service';
import { toWaitlistItem } from './views';
import { partTemplate, type StatementPart } from '../db/statement';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

export const OFFER_HOURS = 24;

export async function joinWaitlist(db: DbOrTx, userId: string, planId: string) {
	return db.transaction(async (tx) => {
		const [plan] = await tx.select().from(servicePlans).where(eq(servicePlans.id, planId));
		if (!plan || !plan.isActive) throw notFound('Plan');
		if (availableSlots(plan) > 0) {
			throw badRequest('planId', say(m.srv_plan_has_slots));
		}
		const [entry] = await tx.insert(waitlistEntries).values({ userId, planId }).onConflictDoNothing().returning();
		if (entry) return entry;
		// Joining twice is harmless: the open entry stays where it is in line.
		const [open] = await tx
			.select()
			.from(waitlistEntries)
			.where(
				and(
					eq(waitlistEntries.userId, userId),
					eq(waitlistEntries.planId, planId),
					inArray(waitlistEntries.status, ['WAITING', 'NOTIFIED'])
				)
			);
		return open;
	});
}

/**
 * The customer leaves a waitlist. An open offer they leave (a free slot they were told of) is
 * made to the next in line in the same transaction: open offers count against the free slots,
 * so it would otherwise wait for the offer to lapse.
 */
export async function leaveWaitlist(db: DbOrTx, userId: string, entryId: string) {
	return inTransaction(db, async (tx) => {
		const [before] = await tx
			.select({ status: waitlistEntries.status })
			.from(waitlistEntries)
			.where(and(eq(waitlistEntries.id, entryId), eq(waitlistEntries.userId, userId)))
			.for('update');
		const [entry] = await tx
			.update(waitlistEntries)
			.set({ status: 'LEFT' })
			.where(
				and(
					eq(waitlistEntries.id, entryId),
					eq(waitlistEntries.userId, userId),
					inArray(waitlistEntries.status, ['WAITING', 'NOTIFIED'])
				)
			)
			.returning();
		if (!entry) throw notFound('Waitlist entry');
		if (before?.status === 'NOTIFIED') await offerFreeSlots(tx, entry.planId);
		return entry;
	});
}

/**
 * The plans (and their apps) the customer waits for, read per request beside the catalog,
 * whose cached views are the same for everyone: one indexed read, nothing else.
 */
export async function waitlistedPlans(db: DbOrTx, userId: string) {
	return db
		.select({ planId: waitlistEntries.planId, serviceId: servicePlans.serviceId })
		.from(waitlistEntries)
		.innerJoin(servicePlans, eq(waitlistEntries.planId, servicePlans.id))
		.where(and(eq(waitlistEntries.userId, userId), inArray(waitlistEntries.status, ['WAITING', 'NOTIFIED'])));
}

/** The customer's open waitlist entries, newest first, each with its place in line: one prepared read. */
const openEntries = (db: DbOrTx) =>
	db
		.select({
			entry: waitlistEntries,
			plan: {
				id: servicePlans.id,
				name: servicePlans.name,
				planType: servicePlans.planType,
				monthlyPrice: servicePlans.monthlyPrice
			},
			service: { slug: services.slug, name: services.name },
			// Earlier entries still waiting for the same plan: the place in line, less one.
			ahead: sql<number>`(SELECT count(*) FROM waitlist_entries ahead WHERE ahead.plan_id = ${waitlistEntries.planId}
				AND ahead.status = 'WAITING' AND ahead.created_at < ${waitlistEntries.createdAt})::int`
		})
		.from(waitlistEntries)
		.innerJoin(servicePlans, eq(waitlistEntries.planId, servicePlans.id))
		.innerJoin(services, eq(servicePlans.serviceId, services.id))
		.where(and(eq(waitlistEntries.userId, sql.placeholder('userId')), inArray(waitlistEntries.status, ['WAITING', 'NOTIFIED'])))
		.orderBy(desc(waitlistEntries.createdAt))
		.prepare('waitlist_open_entries');

export async function listWaitlist(db: DbOrTx, userId: string) {
	const rows = await prepared(db, 'waitlist_open_entries', openEntries).execute({ userId });
	return rows.map(({ entry, plan, service, ahead }) =>
		toWaitlistItem(entry, entry.status === 'WAITING' ? ahead + 1 : 0, plan, service)
	);
}

/**
 * Offers free slots of a plan to the first customers in line: one open offer per free
 * slot. Runs in the transaction that freed the slot (or raised the total).
 */
export async function offerFreeSlots(db: DbOrTx, planId: string, now = new Date()): Promise<number> {
	return inTransaction(db, async (tx) => {
		const [plan] = await tx.select().from(servicePlans).where(eq(servicePlans.id, planId));
		if (!plan) return 0;
		const [offers] = await tx
			.select({ value: count() })
			.from(waitlistEntries)
			.where(
				and(eq(waitlistEntries.planId, planId), eq(waitlistEntries.status, 'NOTIFIED'), gt(waitlistEntries.offerExpiresAt, now))
			);
		const toOffer = availableSlots(plan) - offers.value;
		if (toOffer <= 0) return 0;

		const next = await tx
			.select()
			.from(waitlistEntries)
			.where(and(eq(waitlistEntries.planId, planId), eq(waitlistEntries.status, 'WAITING')))
			.orderBy(asc(waitlistEntries.createdAt))
			.limit(toOffer)
			.for('update', { skipLocked: true });
		if (next.length === 0) return 0;

		const [service] = await tx.select().from(services).where(eq(services.id, plan.serviceId));
		const expires = new Date(now.getTime() + OFFER_HOURS * 3_600_000);
		for (const entry of next) {
			await tx
				.update(waitlistEntries)
				.set({ status: 'NOTIFIED', notifiedAt: now, offerExpiresAt: expires })
				.where(eq(waitlistEntries.id, entry.id));
			await notify(tx, {
				userId: entry.userId,
				type: 'WAITLIST_SLOT_AVAILABLE',
				text: { key: 'waitlist_slot', params: { service: service.name, plan: plan.name, hours: OFFER_HOURS } },
				link: `/catalog/${service.slug}`,
				metadata: { planId, waitlistEntryId: entry.id }
			});
		}
		return next.length;
	});
}

/**
 * Marks the customer's open entry for the plan as fulfilled after they subscribe, as a part
 * of the subscription's statement (db/statement.ts): `waitlist` returns the entries fulfilled.
 */
export function fulfilWaitlistPart(userId: string, planId: string): StatementPart {
	return fulfilledEntries({ userId, planId });
}

const fulfilledEntries = partTemplate(
	'waitlist',
	['userId', 'planId'],
	(value) => sql`UPDATE ${waitlistEntries} SET status = 'FULFILLED', updated_at = now()
		WHERE ${waitlistEntries.userId} = ${value('userId')} AND ${waitlistEntries.planId} = ${value('planId')}
			AND ${waitlistEntries.status} IN ('WAITING', 'NOTIFIED')
		RETURNING ${waitlistEntries.id}`
);

/** Lapses unanswered offers and offers their slots to the next in line. */
export async function lapseOffers(db: DbOrTx, now = new Date()) {
	return db.transaction(async (tx) => {
		const lapsed = await tx
			.update(waitlistEntries)
			.set({ status: 'LAPSED' })
			.where(and(eq(waitlistEntries.status, 'NOTIFIED'), lte(waitlistEntries.offerExpiresAt, now)))
			.returning();
		let offered = 0;
		for (const planId of new Set(lapsed.map((entry) => entry.planId))) offered += await offerFreeSlots(tx, planId, now);
		return { lapsed: lapsed.length, offered };
	});
}
