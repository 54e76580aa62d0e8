// The outbox: every e-mail is written here in the transaction of the event that causes it,
// with a `mail-send` job in the same transaction, so a mail exists if and only if its event
// commits and is never lost. The job sends it once over SMTP (retried by pg-boss when the
// server fails) or, without SMTP_URL, keeps it here and names it in the log; the worker takes
// the jobs in batches and delivers a batch's mails in one transaction (deliverMails).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count, desc, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { inOneStatement, partTemplate, type StatementPart } from '../db/statement';
import { mailOutbox, users, type MailOutboxRow } from '../db/schema';
import { insertJobsSql } from '../queue';
import type { Runtime } from '../runtime';
import { asError } from '../errors';
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
		locale: locale === 'en' ? 'en' : 'id',
		supportEmail: runtime.config.supportEmail
	});
}

export type DeliveryOutcome = 'sent' | 'kept' | 'skipped';

/** One mail to deliver, and whether pg-boss will try again if this attempt fails. */
export type MailAttempt = { mailId: string; final: boolean };

/**
 * Delivers one queued mail (see deliverMails); a failure is recorded and rethrown for pg-boss
 * to retry; on the final attempt the mail is marked FAILED.
 */
export async function deliverMail(
	runtime: Runtime,
	mailId: string,
	attempt: { final: boolean } = { final: true }
): Promise<DeliveryOutcome> {
	const [outcome] = await deliverMails(runtime, [{ mailId, final: attempt.final }]);
	if (outcome instanceof Error) throw outcome;
	return outcome;
}

/**
 * Delivers queued mails: over SMTP when SMTP_URL is set, else kept in the outbox (and named
 * in the log). The rows stay locked while sending (in id order, so batches sharing a mail
 * cannot deadlock), so a second job for the same mail waits and then finds it delivered.
 * Several mails share one transaction and one UPDATE: a mail took five round trips of its
 * own, which with its job's share was most of the CPU an administrator's credit caused
 * (issue 16). A mail that fails is recorded (attempts, the error, FAILED on its final attempt)
 * and its outcome is the error, for pg-boss to retry that mail's job alone; the others are
 * done. Outcomes come in the order of `attempts`.
 */
export async function deliverMails(runtime: Runtime, attempts: MailAttempt[]): Promise<(DeliveryOutcome | Error)[]> {
	const outcomes = new Map<string, DeliveryOutcome | Error>();
	const final = new Set(attempts.filter((attempt) => attempt.final).map((attempt) => attempt.mailId));
	const ids = [...new Set(attempts.map((attempt) => attempt.mailId))].sort();
	try {
		await runtime.db.transaction(async (tx) => {
			const rows = await tx.select().from(mailOutbox).where(inArray(mailOutbox.id, ids)).orderBy(mailOutbox.id).for('update');
			const transport = await smtpTransport(runtime.config.mail);
			const delivered: { id: string; mail: RenderedMail }[] = [];
			const failed: { id: string; error: string }[] = [];
			for (const row of rows) {
				if (row.status !== 'QUEUED') continue;
				try {
					const mail = render(runtime, row);
					await deliver(runtime, transport, row, mail);
					delivered.push({ id: row.id, mail });
					outcomes.set(row.id, transport ? 'sent' : 'kept');
				} catch (error) {
					failed.push({ id: row.id, error: errorText(error) });
					outcomes.set(row.id, asError(error));
					runtime.log.warn({ err: error, mailId: row.id, final: final.has(row.id) }, 'sending a mail failed');
				}
			}
			if (delivered.length > 0) {
				await tx.execute(sql`UPDATE ${mailOutbox} SET status = ${transport ? 'SENT' : 'KEPT'}, subject = d.subject, text = d.text,
						html = d.html, attempts = ${mailOutbox.attempts} + 1, delivered_at = now(), last_error = NULL
					FROM unnest(${sql.param(delivered.map((d) => d.id))}::uuid[], ${sql.param(delivered.map((d) => d.mail.subject))}::text[],
						${sql.param(delivered.map((d) => d.mail.text))}::text[], ${sql.param(delivered.map((d) => d.mail.html))}::text[])
						AS d(id, subject, text, html)
					WHERE ${mailOutbox.id} = d.id`);
			}
			if (failed.length > 0) await recordFailures(tx, failed, final);
		});
	} catch (error) {
		// The transaction itself failed: every mail of it is an attempt that failed.
		await recordFailures(
			runtime.db,
			ids.map((id) => ({ id, error: errorText(error) })),
			final
		);
		runtime.log.warn({ err: error, mailIds: ids }, 'sending mails failed');
		return attempts.map(() => asError(error));
	}
	return attempts.map((attempt) => outcomes.get(attempt.mailId) ?? 'skipped');
}

const errorText = (error: unknown) => asError(error).message.slice(0, 500);

/** Counts a failed attempt on each mail still queued, marking FAILED those on their final attempt. */
async function recordFailures(db: DbOrTx, failed: { id: string; error: string }[], final: Set<string>) {
	await db.execute(sql`UPDATE ${mailOutbox} SET attempts = ${mailOutbox.attempts} + 1, last_error = f.error,
			status = CASE WHEN f.final THEN 'FAILED'::mail_status ELSE ${mailOutbox.status} END
		FROM unnest(${sql.param(failed.map((f) => f.id))}::uuid[], ${sql.param(failed.map((f) => f.error))}::text[],
			${sql.param(failed.map((f) => final.has(f.id)))}::boolean[]) AS f(id, error, final)
		WHERE ${mailOutbox.id} = f.id AND ${mailOutbox.status} = 'QUEUED'`);
}

/** Sends one rendered mail over SMTP, or keeps it (a file, and a line in the log) without SMTP_URL. */
async function deliver(
	runtime: Runtime,
	transport: Awaited<ReturnType<typeof smtpTransport>>,
	row: MailOutboxRow,
	mail: RenderedMail
) {
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
		return;
	}
	await keepMailFile(runtime, row, mail);
	runtime.log.info(
		{ mailId: row.id, kind: row.kind, to: row.to, subject: mail.subject },
		'mail kept in the outbox (no SMTP_URL)'
	);
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
	const headers = [`To: ${row.to}`, `Kind: ${row.kind}`, `Subject: ${mail.subject}`];
	const content = `${headers.join('\n')}\n\n${mail.text}`;
	try {
		await writeFile(file, content, { mode: 0o600 });
	} catch (error) {
		// The folder is made by the first mail kept, not looked for by every one.
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
		await writeFile(file, content, { mode: 0o600 });
	}
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
