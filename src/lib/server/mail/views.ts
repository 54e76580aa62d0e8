// What administrators see of the outbox: built here only, never a raw row.
import { z } from 'zod';
import { MAIL_STATUSES } from '$lib/statuses';
import type { MailOutboxRow } from '../db/schema';
import type { RenderedMail } from './templates';

export const outboxMailView = z.object({
	id: z.string(),
	to: z.string(),
	kind: z.string(),
	essential: z.boolean(),
	status: z.enum(MAIL_STATUSES),
	subject: z.string(),
	text: z.string(),
	html: z.string(),
	attempts: z.number(),
	lastError: z.string().nullable(),
	createdAt: z.date(),
	deliveredAt: z.date().nullable()
});

export type OutboxMailView = z.infer<typeof outboxMailView>;

// An account link's token (verification, reset, e-mail change) opens the account it was
// mailed for: administrators see the mail without it. Without SMTP_URL the full mail is in
// the data directory's outbox folder only (keptMailPath in outbox.ts).
const TOKEN = /([?&](?:amp;)?token=)[^&\s"'<>]+/g;
export const maskTokens = (content: string) => content.replace(TOKEN, '$1[hidden]');

/** A mail as delivered, or as it would be rendered now while it is still queued. */
export function toOutboxMailView(row: MailOutboxRow, preview: RenderedMail | null): OutboxMailView {
	return {
		id: row.id,
		to: row.to,
		kind: row.kind,
		essential: row.essential,
		status: row.status,
		subject: row.subject ?? preview?.subject ?? '',
		text: maskTokens(row.text ?? preview?.text ?? ''),
		html: maskTokens(row.html ?? preview?.html ?? ''),
		attempts: row.attempts,
		lastError: row.lastError,
		createdAt: row.createdAt,
		deliveredAt: row.deliveredAt
	};
}

export const outboxPageView = z.object({
	items: z.array(outboxMailView),
	total: z.number(),
	page: z.number(),
	pageSize: z.number(),
	/** Whether mails leave over SMTP; without it they are only kept here. */
	smtp: z.boolean()
});
