import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { notifications } from '../db/schema';
import { publish } from '../events';
import type { NotificationType } from './types';

export type NewNotification = {
	userId: string;
	type: NotificationType;
	title: string;
	body: string;
	link?: string;
	metadata?: Record<string, unknown>;
};

/** Tells a customer something; written in the caller's transaction when one is given. */
export async function notify(db: DbOrTx, notification: NewNotification) {
	const [row] = await db
		.insert(notifications)
		.values({ ...notification, metadata: notification.metadata ?? {} })
		.returning();
	await publish(db, { type: 'notification', userId: row.userId, notificationId: row.id });
	return row;
}

/** Tells many customers at once (one insert), each told live when the transaction commits. */
export async function notifyMany(db: DbOrTx, list: NewNotification[]) {
	if (list.length === 0) return [];
	const rows = await db
		.insert(notifications)
		.values(list.map((notification) => ({ ...notification, metadata: notification.metadata ?? {} })))
		.returning();
	for (const row of rows) await publish(db, { type: 'notification', userId: row.userId, notificationId: row.id });
	return rows;
}

export async function listNotifications(db: DbOrTx, userId: string, limit = 50) {
	return db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
}

export async function unreadCount(db: DbOrTx, userId: string) {
	const [row] = await db
		.select({ value: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return row.value;
}

/** Marks the given notifications (or all) of the user as read; returns how many changed. */
export async function markRead(db: DbOrTx, userId: string, ids?: string[]) {
	const conditions = [eq(notifications.userId, userId), isNull(notifications.readAt)];
	if (ids) conditions.push(inArray(notifications.id, ids));
	const changed = await db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(and(...conditions))
		.returning({ id: notifications.id });
	return changed.length;
}
