import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../db/client';
import { notifications, sentNotices, users } from '../db/schema';
import { notFound } from '../errors';
import { notifyNotificationSql, publish } from '../events';
import { queueMailParts } from '../mail/outbox';
import { inOneStatement, partTemplate, type StatementPart } from '../db/statement';
import { NOTIFICATION_MAIL, type NotificationType } from './types';
import { renderText, type NotificationText } from './texts';
import { toNotificationView } from './views';
import { receiptPath } from '$lib/receipts';
import type { Locale } from '$lib/statuses';

/**
 * What to tell a customer. Customer-facing notices give a `text` (texts.ts), shown in each
 * reader's language; a plain title and body stay as written.
 */
export type NewNotification = {
	userId: string;
	type: NotificationType;
	link?: string;
	/** The ledger row whose receipt the mail links to (a completed top-up or charge). */
	receiptFor?: string;
	metadata?: Record<string, unknown>;
} & ({ text: NotificationText } | { text?: undefined; title: string; body: string });

/** The stored English words of a new notification (the columns every row has). */
function englishWords(notification: NewNotification): { title: string; body: string } {
	if (!notification.text) return { title: notification.title, body: notification.body };
	const words = renderText(notification.text, 'en');
	if (!words) throw new Error(`No messages for notification text ${notification.text.key}`);
	return words;
}

/**
 * Tells customers something, in the caller's transaction when one is given: the in-app
 * notifications, their live events, and (for the types NOTIFICATION_MAIL lists) their
 * e-mails, all committed together or not at all. Returns the new notifications' ids.
 */
export async function notifyMany(db: DbOrTx, list: NewNotification[]): Promise<string[]> {
	if (list.length === 0) return [];
	const rows = await inOneStatement(db, notifyParts(list));
	return rows.notifications.map(({ id }) => id as string);
}

/**
 * The notifications, their live events, their mails and the mails' jobs as parts of one
 * statement (db/statement.ts), for a caller that writes them with the change they tell of:
 * `notifications` returns the new notifications' ids.
 */
export function notifyParts(list: NewNotification[]): StatementPart[] {
	if (list.length === 0) return [];
	const words = list.map(englishWords);
	const inserted = insertedNotifications({
		userIds: list.map((n) => n.userId),
		types: list.map((n) => n.type),
		titles: words.map((w) => w.title),
		bodies: words.map((w) => w.body),
		links: list.map((n) => n.link ?? null),
		texts: list.map((n) => (n.text ? JSON.stringify(n.text) : null)),
		metadata: list.map((n) => JSON.stringify(n.metadata ?? {}))
	});
	const mails = list.flatMap((notification, index) => {
		const mail = NOTIFICATION_MAIL[notification.type];
		if (!mail) return [];
		const essential = mail === 'essential';
		return [
			{
				userId: notification.userId,
				kind: 'notification' as const,
				essential,
				// The text is rendered in the recipient's language when the mail is written.
				data: {
					...words[index],
					text: notification.text ?? null,
					link: notification.link ?? null,
					receiptLink: notification.receiptFor ? receiptPath(notification.receiptFor) : null,
					essential
				}
			}
		];
	});
	return [inserted, ...queueMailParts(mails)];
}

// Arrays through unnest keep a batch of hundreds (the renewal sweep's receipts) as cheap to
// parse as a single row; each row's live event is sent by the same statement.
const insertedNotifications = partTemplate(
	'notifications',
	['userIds', 'types', 'titles', 'bodies', 'links', 'texts', 'metadata'],
	(value) => sql`
		INSERT INTO ${notifications} (user_id, type, title, body, link, text, metadata)
		SELECT * FROM unnest(
			${value('userIds')}::uuid[], ${value('types')}::text[], ${value('titles')}::text[], ${value('bodies')}::text[],
			${value('links')}::text[], ${value('texts')}::jsonb[], ${value('metadata')}::jsonb[])
		RETURNING id, ${notifyNotificationSql(sql`user_id`, sql`id`)} AS notified`
);

/** Tells one customer something (see notifyMany); returns the notification's id. */
export async function notify(db: DbOrTx, notification: NewNotification): Promise<string> {
	const [id] = await notifyMany(db, [notification]);
	return id;
}

/**
 * Notifies once per key (`renewal-notice:<subscription>:<period end>`, ...): the key is
 * claimed in the same transaction, so a second call, even a concurrent one, sends nothing.
 * Returns whether this call sent it.
 */
export async function notifyOnce(db: DbOrTx, key: string, notification: NewNotification): Promise<boolean> {
	return inTransaction(db, async (tx) => {
		const [claimed] = await tx
			.insert(sentNotices)
			.values({ userId: notification.userId, key })
			.onConflictDoNothing({ target: sentNotices.key })
			.returning({ id: sentNotices.id });
		if (!claimed) return false;
		await notifyMany(tx, [notification]);
		return true;
	});
}

/** How many notifications a page of the list holds unless asked for another number. */
export const NOTIFICATIONS_PAGE_SIZE = 25;

/**
 * A page of the user's notifications, newest first, in the reader's language, with how many
 * there are and how many of them are unread: the unread count is the whole list's, so a page
 * that shows none unread still knows there are some further on.
 */
export async function listNotifications(
	db: DbOrTx,
	userId: string,
	locale: Locale,
	{ page = 1, pageSize = NOTIFICATIONS_PAGE_SIZE }: { page?: number; pageSize?: number } = {}
) {
	const [counted] = await db
		.select({
			total: count(),
			unread: sql<number>`count(*) filter (where ${notifications.readAt} is null)`.mapWith(Number)
		})
		.from(notifications)
		.where(eq(notifications.userId, userId));
	const rows = await db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, userId))
		// A batch of notices shares its transaction's time: the id breaks the tie, so a page never
		// repeats or skips one.
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize);
	return {
		items: rows.map((row) => toNotificationView(row, locale)),
		total: counted.total,
		unread: counted.unread,
		page,
		pageSize,
		pageCount: Math.max(1, Math.ceil(counted.total / pageSize))
	};
}

/** One of the user's notifications in the reader's language; null when it is not theirs (or gone). */
export async function findNotification(db: DbOrTx, userId: string, id: string, locale: Locale) {
	const [row] = await db
		.select()
		.from(notifications)
		.where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
	return row ? toNotificationView(row, locale) : null;
}

export async function unreadCount(db: DbOrTx, userId: string) {
	const [row] = await db
		.select({ value: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return row.value;
}

/** The unread count and the balance with its version, in one read: what the live stream sends. */
export async function streamState(db: DbOrTx, userId: string) {
	const [row] = await db
		.select({
			// By the value, not by users.id: in a one-table select drizzle writes a column without
			// its table, and inside this subquery "id" would be the notification's.
			unread: sql<number>`(SELECT count(*) FROM ${notifications}
				WHERE ${notifications.userId} = ${userId} AND ${notifications.readAt} IS NULL)::int`,
			amount: users.creditBalance,
			version: users.balanceVersion
		})
		.from(users)
		.where(eq(users.id, userId));
	if (!row) throw notFound('User');
	return { unread: row.unread, balance: { amount: row.amount, version: row.version } };
}

/**
 * Marks the given notifications (or all) of the user as read; returns how many changed.
 * Tells the user's open pages, so the bell's count drops everywhere without a reload.
 */
export async function markRead(db: DbOrTx, userId: string, ids?: string[]) {
	const conditions = [eq(notifications.userId, userId), isNull(notifications.readAt)];
	if (ids) conditions.push(inArray(notifications.id, ids));
	return inTransaction(db, async (tx) => {
		const changed = await tx
			.update(notifications)
			.set({ readAt: new Date() })
			.where(and(...conditions))
			.returning({ id: notifications.id });
		if (changed.length > 0) await publish(tx, { type: 'notifications-read', userId });
		return changed.length;
	});
}

/** The customer's mail setting: whether optional mails (receipts, notices) are sent. */
export async function mailSettings(db: DbOrTx, userId: string) {
	const [user] = await db.select({ optionalMails: users.optionalMails }).from(users).where(eq(users.id, userId));
	if (!user) throw notFound('Account');
	return user;
}

export async function setMailSettings(db: DbOrTx, userId: string, settings: { optionalMails: boolean }) {
	const [user] = await db
		.update(users)
		.set({ optionalMails: settings.optionalMails })
		.where(eq(users.id, userId))
		.returning({ optionalMails: users.optionalMails });
	if (!user) throw notFound('Account');
	return user;
}
