// What the account flows (account.ts, service.ts) share about mailing the account: which
// language a mail to its address is in, and the notice that its password changed.
import type { Locale } from '$lib/statuses';
import { requestLocale } from '../sentences';
import type { DbOrTx } from '../db/client';
import { queueMail } from '../mail/outbox';

/**
 * The language of a mail to an account's address: the one the account chose, else the
 * language of the request that causes the mail (a visitor registering), else Indonesian.
 */
export const mailLocale = (user: { locale: Locale | null }): Locale => user.locale ?? requestLocale() ?? 'id';

/** Tells the account's address that its password changed: a security notice, always sent. */
export async function mailPasswordChanged(db: DbOrTx, user: { name: string; email: string; locale: Locale | null }) {
	await queueMail(db, {
		to: user.email,
		locale: mailLocale(user),
		kind: 'password-changed',
		data: { name: user.name },
		essential: true
	});
}
