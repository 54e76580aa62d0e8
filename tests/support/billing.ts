// Helpers for billing tests: subscriptions started at a chosen moment, the test clock moved
// by an administrator, and what a customer was told and mailed.
import { and, eq } from 'drizzle-orm';
import type { Runtime } from '../../src/lib/server/runtime';
import { mailOutbox, notifications, type ServicePlan, type User } from '../../src/lib/server/db/schema';
import type { NotificationType } from '../../src/lib/server/notifications/types';
import { createSubscription } from '../../src/lib/server/subscriptions/subscribe';
import { loadPlan } from '../../src/lib/server/subscriptions/queries';
import { advanceClock } from '../../src/lib/server/subscriptions/billing-upkeep';
import { createUser } from './runtime';

/** Subscribes `user` to `plan` as if it happened at `at` (charging the first period then). */
export async function subscribeAt(runtime: Runtime, user: Pick<User, 'id'>, plan: ServicePlan, at: Date, name?: string) {
	const { service } = await loadPlan(runtime.db, plan.id);
	return runtime.db.transaction(async (tx) => {
		const { subscription } = await createSubscription(runtime, tx, { userId: user.id, plan, service, name, now: at });
		return subscription;
	});
}

const clockAdmins = new WeakMap<Runtime, User>();

/** Moves the billing clock forward by whole days, running each day's due work (the admin's test clock). */
export async function advanceDays(runtime: Runtime, days: number) {
	let admin = clockAdmins.get(runtime);
	if (!admin) {
		admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		clockAdmins.set(runtime, admin);
	}
	return advanceClock(runtime, admin, { days });
}

/** The customer's notifications of one type, oldest first. */
export async function notificationsOf(runtime: Runtime, userId: string, type: NotificationType) {
	const rows = await runtime.db
		.select()
		.from(notifications)
		.where(and(eq(notifications.userId, userId), eq(notifications.type, type)))
		.orderBy(notifications.createdAt);
	return rows;
}

/** Mails queued for the customer, oldest first. */
export async function mailsOf(runtime: Runtime, userId: string) {
	return runtime.db.select().from(mailOutbox).where(eq(mailOutbox.userId, userId)).orderBy(mailOutbox.createdAt);
}

/** A WIB wall-clock time as a Date. */
export const wib = (text: string) => new Date(`${text}+07:00`);
