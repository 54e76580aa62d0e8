// What the account flows (account.ts, service.ts) share about mailing the account: which
// language a mail to its address is in, and the notices that tell its owner what was done.
import type { Locale } from '$lib/statuses';
import { requestLocale } from '../sentences';
import type { DbOrTx } from '../db/client';
import { queueMail } from '../mail/outbox';

/**
 * The language of a mail to an account's address: the one the account chose, else the
 * language of the request that causes the mail (a visitor registering), else Indonesian.
 */
export const mailLocale = (user: { locale: Locale | null }): Locale => user.locale ?? requestLocale() ?? 'id';

/** The notices to an account's own address that carry only its name. */
type AccountNotice = 'register-existing' | 'email-change-existing' | 'password-changed';

/**
 * Tells an account's owner, at its address and in its language, that something was done or
 * tried with it (a registration or an e-mail change naming their address, a password changed):
 * a security notice, always sent.
 */
export async function mailAccountNotice(
	db: DbOrTx,
	owner: { name: string; email: string; locale: Locale | null },
	kind: AccountNotice
) {
	await queueMail(db, { to: owner.email, locale: mailLocale(owner), kind, data: { name: owner.name }, essential: true });
}
