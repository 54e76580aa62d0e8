// What customers see of their notifications: built here only, never a raw row (metadata is
// for MinisPod's own bookkeeping and stays on the server).
import { z } from 'zod';
import type { Notification } from '../db/schema';
import { notificationWords } from './texts';
import type { Locale } from '$lib/statuses';

export const notificationViewSchema = z.object({
	id: z.string(),
	type: z.string(),
	title: z.string(),
	body: z.string(),
	link: z.string().nullable(),
	readAt: z.date().nullable(),
	createdAt: z.date()
});
export type NotificationView = z.infer<typeof notificationViewSchema>;

/** A notification in the reader's language (rows from before texts keep their stored words). */
export function toNotificationView(notification: Notification, locale: Locale): NotificationView {
	const { title, body } = notificationWords(notification, locale);
	return {
		id: notification.id,
		type: notification.type,
		title,
		body,
		link: notification.link,
		readAt: notification.readAt,
		createdAt: notification.createdAt
	};
}

/** A page of the list, with the whole list's unread count (for "mark all as read"). */
export const notificationPageSchema = z.object({
	items: z.array(notificationViewSchema),
	total: z.number(),
	unread: z.number(),
	page: z.number(),
	pageSize: z.number(),
	pageCount: z.number()
});

/**
 * What the live stream sends: the unread count, the newest notification if one arrived, and
 * the balance now with its version (most notices come with a move of it: a settled top-up, a
 * credit, a renewal), so the header shows it without a reload.
 */
export const notificationUpdateSchema = z.object({
	unread: z.number(),
	latest: notificationViewSchema.nullable(),
	balance: z.object({ amount: z.number(), version: z.number() })
});

/** A customer's mail settings. */
export const mailSettingsView = z.object({
	/** Receipts, notices and other mails that are not reminders of money owed. */
	optionalMails: z.boolean()
});

export const toMailSettingsView = (settings: { optionalMails: boolean }): z.infer<typeof mailSettingsView> => ({
	optionalMails: settings.optionalMails
});
