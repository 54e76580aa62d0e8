// A credit reached a customer's wallet (a settled top-up, an approved transfer, an
// administrator's credit): whatever waits for money, such as a past-due renewal, is retried
// at once by the `renewal-retry` job. The job is sent in the crediting transaction, so it
// runs if and only if the credit commits. The wallet only names the job; the subscriptions
// domain handles it, so dependencies keep pointing from subscriptions to the wallet.
import type { Tx } from '../db/client';
import { enqueueIn } from '../queue';

export async function afterCredit(tx: Tx, userId: string) {
	await enqueueIn(tx, 'renewal-retry', { userId });
}
