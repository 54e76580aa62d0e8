// Why a subscription ended, as its view and the termination notice read it: MinisPod's reason
// in the reader's language, an administrator's words and rows from before keys as stored.
import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../../src/lib/server/db/schema';
import { toSubscriptionView } from '../../../src/lib/server/subscriptions/views';
import { endReasons, endReasonColumns } from '../../../src/lib/server/subscriptions/end-reasons';
import { asEndReason, renderText } from '../../../src/lib/server/notifications/texts';
import type { Locale } from '../../../src/lib/statuses';
import { inLocale } from '../../support/locale';

const at = new Date('2026-11-01T03:00:00Z');
const ended = (columns: Pick<Subscription, 'cancelReason' | 'cancelReasonText'>) =>
	({
		id: 's',
		serviceId: 'v',
		planId: 'p',
		name: 'My app',
		status: 'CANCELLED',
		startDate: at,
		currentPeriodStart: at,
		endDate: at,
		monthlyPrice: 49_000,
		autoRenew: false,
		cancelAtPeriodEnd: false,
		cancelledAt: at,
		isGrant: false,
		createdAt: at,
		updatedAt: at,
		...columns
	}) as unknown as Subscription;

const reasonIn = (row: Subscription, locale: Locale) => inLocale(locale, async () => toSubscriptionView(row).cancelReason);

describe('why a subscription ended, in the viewer’s language', () => {
	it('shows a row written before reason keys, and an administrator’s words, as stored', async () => {
		expect(await reasonIn(ended({ cancelReason: 'Terminated by the customer', cancelReasonText: null }), 'id')).toBe(
			'Terminated by the customer'
		);
		const staff = ended(endReasonColumns('Permintaan pelanggan lewat telepon'));
		expect(await reasonIn(staff, 'en')).toBe('Permintaan pelanggan lewat telepon');
	});

	it('writes MinisPod’s reason in each language, its English kept beside the key', async () => {
		const row = ended(endReasonColumns(endReasons.reason('deleted_unpaid')));
		expect(row.cancelReason).toBe('Deleted after suspension for non-payment');
		expect(await reasonIn(row, 'en')).toBe('Deleted after suspension for non-payment');
		expect(await reasonIn(row, 'id')).toBe('Dihapus setelah ditangguhkan karena tidak dibayar');
	});

	it('is said in the termination notice in the recipient’s language', () => {
		const reason = endReasons.reason('customer_terminated');
		const notice = {
			key: 'terminated' as const,
			params: { service: 'Memos', reason: asEndReason(reason, 'Terminated by the customer') }
		};
		expect(renderText(notice, 'id')?.body).toMatch(/^Diakhiri oleh pelanggan\. Aplikasi Anda/);
		expect(renderText(notice, 'en')?.body).toMatch(/^Terminated by the customer\. Your app/);
	});
});
