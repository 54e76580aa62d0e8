// An administrator works through a payment the gateway took money back from after it was
// credited: what it took back is shown, and a refused note keeps the dialog open.
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { E2E_ADMIN } from '../../playwright.config';
import { embeddedConnection } from '../support/app-process';
import { login, logout, register, topUp, uniqueEmail, visit } from './helpers';

/**
 * Flags a credited top-up as the gateway's report of a partial refund does
 * (wallet/gateway-status.ts, flagReversal). The refund itself is a control of the Midtrans
 * simulator's own process, which the browser tests' app starts out of their reach.
 */
async function flagPartialRefund(transactionId: string, amount: number) {
	const db = new pg.Client({ connectionString: embeddedConnection(process.env.E2E_DATA_DIR!) });
	await db.connect();
	try {
		const patch = {
			reversals: [{ status: 'partial_refund', amount, at: new Date().toISOString() }],
			flagText: { key: 'reversed', params: { status: 'partial_refund' } }
		};
		const flagged = await db.query(
			`UPDATE transactions SET flagged_at = now(), flag_reason = $2, metadata = metadata || $3::jsonb
			 WHERE id = $1 AND status = 'COMPLETED'`,
			[transactionId, 'The gateway reports a partial refund of this credited top-up.', JSON.stringify(patch)]
		);
		expect(flagged.rowCount).toBe(1);
	} finally {
		await db.end();
	}
}

test('a partly refunded top-up shows the amount refunded, and its flag is resolved only with a note', async ({ page }) => {
	const email = uniqueEmail('refunded');
	await register(page, 'Refunded Customer', email);
	await topUp(page, 'Rp 250.000');
	const transactionId = new URL(page.url()).pathname.split('/').pop()!;
	await flagPartialRefund(transactionId, 75_000);
	await logout(page);

	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin/wallet/flagged');
	const row = page.getByTestId('flagged-payment').filter({ hasText: email });
	await expect(row).toContainText('Rp 250.000');
	await expect(row).toContainText('The gateway reports a partial refund of this credited top-up.');
	await expect(row.getByTestId('reversals')).toHaveText('Partly refunded: Rp 75.000');

	await row.getByRole('button', { name: 'Resolve' }).click();
	const dialog = page.getByRole('dialog', { name: 'Resolve this flag?' });
	await expect(dialog.getByTestId('reversals')).toHaveText('Partly refunded: Rp 75.000');
	// Too short a note is refused under its field, the dialog open with what was typed.
	await dialog.getByLabel('What was done').fill('ok');
	await dialog.getByRole('button', { name: 'Resolve' }).click();
	await expect(dialog.getByText('at least 3 characters')).toBeVisible();
	await expect(dialog.getByLabel('What was done')).toHaveAttribute('aria-invalid', 'true');
	await expect(dialog.getByLabel('What was done')).toHaveValue('ok');

	await dialog.getByLabel('What was done').fill('Debited Rp 75.000 by hand');
	await dialog.getByRole('button', { name: 'Resolve' }).click();
	await expect(dialog).toBeHidden();
	await expect(row).toBeHidden();
	await visit(page, '/admin/wallet/flagged?resolved=1');
	await expect(row).toContainText('Resolved: Debited Rp 75.000 by hand');
	await expect(row.getByTestId('reversals')).toHaveText('Partly refunded: Rp 75.000');
});
