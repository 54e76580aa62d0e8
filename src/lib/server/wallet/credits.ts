// A credit reached a customer's wallet (a settled top-up, an approved transfer, an
// administrator's credit): whatever waits for money, such as a past-due renewal, is retried
// at once by the `renewal-retry` job. The job is sent in the crediting transaction, so it
// runs if and only if the credit commits. The wallet only names the job; the subscriptions
// domain handles it, so dependencies keep pointing from subscriptions to the wallet.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { subscriptions } from '../db/schema';
import { inOneStatement, partTemplate, type StatementPart } from '../db/statement';
import { insertJobsSql } from '../queue';
import { renewalDueWhere } from '../subscriptions/renewal';

export async function afterCredit(tx: Tx, userId: string, at: Date) {
	await inOneStatement(tx, [afterCreditPart(userId, at)]);
}

/**
 * The `renewal-retry` job as a part of one statement (db/statement.ts), sent only when the
 * customer has a renewal the job would charge: the condition is the job's own selection
 * (retryDueRenewals: auto-renewing, ACTIVE or PAST_DUE, ended by `at`, the billing clock's
 * now), so a credit to a customer with nothing due writes no job. A renewal falling due
 * later is the renewal sweep's. `renewal_retry` returns the job's id, if one was sent.
 */
export function afterCreditPart(userId: string, at: Date): StatementPart {
	return renewalRetry({ userId, at: at.toISOString() });
}

const renewalRetry = partTemplate('renewal_retry', ['userId', 'at'], (value) => {
	const due = and(eq(subscriptions.userId, value('userId')), renewalDueWhere(value('at')));
	return insertJobsSql(
		'renewal-retry',
		sql`SELECT jsonb_build_object('userId', ${value('userId')}::text), NULL::text
			WHERE EXISTS (SELECT 1 FROM ${subscriptions} WHERE ${due})`
	);
});
