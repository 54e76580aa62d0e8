// The outbox: every e-mail is written here in the transaction of the event that causes it,
// with a `mail-send` job in the same transaction, so a mail exists if and only if its event
// commits and is never lost. The job sends it once over SMTP (retried by pg-boss when the
// server fails) or, without SMTP_URL, keeps it here and names it in the log.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { inOneStatement, partTemplate, type StatementPart } from '../db/statement';
import { mailOutbox, users, type MailOutboxRow } from '../db/schema';
import { insertJobsSql } from '../queue';
import type { Runtime } from '../runtime';
import { isMailKind, renderMail, type MailKind, type MailTemplates, type RenderedMail } from './templates';
import { smtpTransport } from './transport';
import type { Locale } from '$lib/statuses';
import { toOutboxMailView } from './views';

export type QueuedMail<K extends MailKind = MailKind> = {
	kind: K;
	data: MailTemplates[K];
	/** Reminders of money owed and data at risk: sent even when optional mails are off. */
	essential: boolean;
} & (
	| { userId: string; to?: never; locale?: never }
	/** To an address: in `locale` (the account's language, or the request's before login), else Indonesian. */
	| { to: string; userId?: never; locale?: Locale }
);

/**
 * Queues mails in the caller's transaction: one outbox row and one `mail-send` job each.
 * A customer who turned optional mails off gets only the essential ones. Returns the ids
 * of the mails queued.
 */
export async function queueMails(db: DbOrTx, mails: QueuedMail[]): Promise<string[]> {
	if (mails.length === 0) return [];
	const rows = await inOneStatement(db, queueMailParts(mails));
	return rows.mails.map(({ id }) => id as string);
}

/**
 * The outbox rows and their `mail-send` jobs as parts of one statement (db/statement.ts),
 * for a caller that writes them with the change that causes them: `mails` returns the
 * queued mails' ids, `mail_jobs` their jobs' ids.
 */
export function queueMailParts(mails: QueuedMail[]): StatementPart[] {
	if (mails.length === 0) return [];
	// A mail to an address is written in the language its sender gave, if any.
	const data = (mail: QueuedMail) => (mail.userId || !mail.locale ? mail.data : { ...mail.data, locale: mail.locale });
	return [
		queuedMails({
			userIds: mails.map((mail) => mail.userId ?? null),
			to: mails.map((mail) => mail.to ?? null),
			kinds: mails.map((mail) => mail.kind),
			data: mails.map((mail) => JSON.stringify(data(mail))),
			essential: mails.map((mail) => Boolean(mail.essential))
		}),
		mailJobs({})
	];
}

// One statement however many (see notifyMany), recipients included: a customer's mail goes
// to their address of now, in their language (written when it is sent, render below), and
// an optional one only if they have not turned optional mails off; a mail to a deleted
// account is dropped.
const queuedMails = partTemplate(
	'mails',
	['userIds', 'to', 'kinds', 'data', 'essential'],
	(value) => sql`
		INSERT INTO ${mailOutbox} (user_id, "to", kind, data, essential)
		SELECT recipient.id, coalesce(recipient.email, mail.to), mail.kind,
			CASE WHEN recipient.id IS NULL THEN mail.data
				ELSE mail.data || jsonb_build_object('locale', coalesce(recipient.locale::text, 'id')) END,
			mail.essential
		FROM unnest(${value('userIds')}::uuid[], ${value('to')}::text[], ${value('kinds')}::text[], ${value('data')}::jsonb[],
			${value('essential')}::boolean[]) AS mail(user_id, "to", kind, data, essential)
		LEFT JOIN ${users} AS recipient ON recipient.id = mail.user_id
		WHERE mail.user_id IS NULL OR (recipient.id IS NOT NULL AND (mail.essential OR recipient.optional_mails))
		RETURNING id`
);

const mailJobs = partTemplate('mail_jobs', [], () =>
	insertJobsSql('mail-send', sql`SELECT jsonb_build_object('mailId', id), NULL::text FROM mails`)
);

export async function queueMail<K extends MailKind>(db: DbOrTx, mail: QueuedMail<K>): Promise<string | null> {
	const [id] = await queueMails(db, [mail as QueuedMail]);
	return id ?? null;
}

function render(runtime: Runtime, row: MailOutboxRow): RenderedMail {
	if (!isMailKind(row.kind)) throw new Error(`Unknown mail kind ${row.kind}`);
	const { locale } = row.data as { locale?: unknown };
	return renderMail(row.kind, row.data as MailTemplates[typeof row.kind], {
		origin: runtime.config.origin,
		locale: locale === 'en' ? 'en' : 'id'
	});
}

export type DeliveryOutcome = 'sent' | 'kept' | 'skipped';

/**
 * Delivers one queued mail: over SMTP when SMTP_URL is set, else kept in the outbox (and
 * named in the log). The row stays locked while sending, so a second job for the same mail
 * waits and then finds it delivered. A failure is recorded and rethrown for pg-boss to
 * retry; on the final attempt the mail is marked FAILED.
 */
export async function deliverMail(
	runtime: Runtime,
	mailId: string,
	attempt: { final: boolean } = { final: true }
): Promise<DeliveryOutcome> {
	try {
		return await runtime.db.transaction(async (tx) => {
			const [row] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, mailId)).for('update');
			if (!row || row.status !== 'QUEUED') return 'skipped';
			const mail = render(runtime, row);
			const transport = smtpTransport(runtime.config.mail);
			if (transport) {
				await transport.sendMail({
					from: runtime.config.mail.from,
					to: row.to,
					subject: mail.subject,
					text: mail.text,
					html: mail.html,
					// Stable per mail, so a receiving server can tell a rare resend (a crash after
					// the SMTP server accepted it, before this commit) from a new mail.
					messageId: `<${row.id}@minispod>`
				});
			} else {
				await keepMailFile(runtime, row, mail);
				runtime.log.info(
					{ mailId: row.id, kind: row.kind, to: row.to, subject: mail.subject },
					'mail kept in the outbox (no SMTP_URL)'
				);
			}
			await tx
				.update(mailOutbox)
				.set({
					...mail,
					status: transport ? 'SENT' : 'KEPT',
					attempts: row.attempts + 1,
					deliveredAt: new Date(),
					lastError: null
				})
				.where(eq(mailOutbox.id, row.id));
			return transport ? 'sent' : 'kept';
		});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const [row] = await runtime.db.select({ attempts: mailOutbox.attempts }).from(mailOutbox).where(eq(mailOutbox.id, mailId));
		await runtime.db
			.update(mailOutbox)
			.set({
				attempts: (row?.attempts ?? 0) + 1,
				lastError: message.slice(0, 500),
				...(attempt.final ? { status: 'FAILED' } : {})
			})
			.where(eq(mailOutbox.id, mailId));
		runtime.log.warn({ err: error, mailId, final: attempt.final }, 'sending a mail failed');
		throw error;
	}
}

/** Where a mail kept without SMTP_URL is written in full, links with their tokens included. */
export const keptMailPath = (dataDir: string, mailId: string) => path.join(dataDir, 'outbox', `${mailId}.txt`);

/**
 * Without SMTP_URL the only full copy of a kept mail (the admin Outbox page hides account
 * links' tokens) is a file in the data directory, readable by whoever runs MinisPod (0600):
 * on embedded defaults that is the developer, who opens a verification or reset link from it.
 */
async function keepMailFile(runtime: Runtime, row: MailOutboxRow, mail: RenderedMail) {
	const file = keptMailPath(runtime.config.dataDir, row.id);
	await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
	const headers = [`To: ${row.to}`, `Kind: ${row.kind}`, `Subject: ${mail.subject}`];
	await writeFile(file, `${headers.join('\n')}\n\n${mail.text}`, { mode: 0o600 });
}

/** The outbox, newest first, for the admin page: what was sent, kept or failed. */
export async function listOutbox(runtime: Runtime, options: { page: number; pageSize: number }) {
	const [rows, [total]] = await Promise.all([
		runtime.db
			.select()
			.from(mailOutbox)
			.orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
			.limit(options.pageSize)
			.offset((options.page - 1) * options.pageSize),
		runtime.db.select({ value: count() }).from(mailOutbox)
	]);
	return {
		items: rows.map((row) => toOutboxMailView(row, row.subject ? null : render(runtime, row))),
		total: total.value,
		page: options.page,
		pageSize: options.pageSize,
		smtp: Boolean(runtime.config.mail.smtpUrl)
	};
}
