// What an administrator's change to a plan means for its subscribers. A new price applies
// from each subscriber's next renewal: it waits on the subscription (pendingMonthlyPrice,
// from the end of the period already paid) and the subscriber is told the price and the
// date. New resources, custom domains and backups apply to new subscriptions and upgrades:
// subscribers keep what they were sold (soldTerms), so no running app is resized, loses a
// domain or its backups by an edit.
import { and, eq, isNotNull, ne, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { ENDED_SUBSCRIPTION_STATUSES, subscriptions, type ServicePlan } from '../db/schema';
import { notifyMany } from '../notifications/service';
import { asDate, asRupiah } from '../notifications/texts';
import { soldTermsOf, termsChanged } from '../catalog/plan-terms';

export type PlanChange = { before: ServicePlan; after: ServicePlan; serviceName: string; now?: Date };

// A grant renews from the credit at its plan's price once it ends, so it hears of a new price too.
const onPlan = (planId: string) =>
	and(eq(subscriptions.planId, planId), notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES]));

/** Applies a plan's edit to its subscribers, in the editor's transaction. */
export async function applyPlanChange(tx: Tx, change: PlanChange) {
	const pricesAnnounced = change.before.monthlyPrice === change.after.monthlyPrice ? 0 : await announcePriceChange(tx, change);
	const termsKept = termsChanged(change.before, change.after) ? await keepSoldTerms(tx, change.before) : 0;
	return { pricesAnnounced, termsKept };
}

async function announcePriceChange(tx: Tx, change: PlanChange) {
	const { after, serviceName } = change;
	const now = change.now ?? new Date();
	const newPrice = after.monthlyPrice;
	// Subscribers who pay another price get the new one from the end of their paid period; one
	// whose renewal is already due (past due, or not yet swept) pays that renewal at the price it
	// was told of, and the new one from the next.
	const announced = await tx
		.update(subscriptions)
		.set({ pendingMonthlyPrice: newPrice, pendingPriceFrom: sql`GREATEST(${subscriptions.endDate}, ${now})` })
		.where(and(onPlan(after.id), ne(subscriptions.monthlyPrice, newPrice)))
		.returning();
	// Subscribers already paying the new price had a change announced that is now withdrawn.
	const withdrawn = await tx
		.update(subscriptions)
		.set({ pendingMonthlyPrice: null, pendingPriceFrom: null })
		.where(and(onPlan(after.id), eq(subscriptions.monthlyPrice, newPrice), isNotNull(subscriptions.pendingMonthlyPrice)))
		.returning();
	const plan = `${serviceName} ${after.name}`;
	await notifyMany(tx, [
		...announced.map((subscription) => {
			const from = subscription.endDate;
			const prices = { plan, price: asRupiah(newPrice), previous: asRupiah(subscription.monthlyPrice) };
			return {
				userId: subscription.userId,
				type: 'PLAN_PRICE_CHANGED' as const,
				text:
					from > now
						? { key: 'price_changed' as const, params: { ...prices, date: asDate(from) } }
						: { key: 'price_changed_next' as const, params: prices },
				link: `/subscriptions/${subscription.id}`,
				metadata: {
					subscriptionId: subscription.id,
					planId: after.id,
					previousPrice: subscription.monthlyPrice,
					newPrice,
					effectiveFrom: (subscription.pendingPriceFrom ?? from).toISOString()
				}
			};
		}),
		...withdrawn.map((subscription) => ({
			userId: subscription.userId,
			type: 'PLAN_PRICE_CHANGED' as const,
			text: { key: 'price_withdrawn' as const, params: { plan, price: asRupiah(newPrice) } },
			link: `/subscriptions/${subscription.id}`,
			metadata: { subscriptionId: subscription.id, planId: after.id, previousPrice: newPrice, newPrice, effectiveFrom: null }
		}))
	]);
	return announced.length + withdrawn.length;
}

/** Subscribers not yet holding terms of their own keep the plan's terms from before the edit. */
async function keepSoldTerms(tx: Tx, before: ServicePlan) {
	const kept = await tx
		.update(subscriptions)
		.set({ soldTerms: soldTermsOf(before) })
		.where(
			and(
				eq(subscriptions.planId, before.id),
				notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES]),
				sql`(${subscriptions.soldTerms} IS NULL OR ${subscriptions.soldTerms}->>'planId' <> ${before.id})`
			)
		)
		.returning({ id: subscriptions.id });
	return kept.length;
}
