// The audit log's details as an administrator reads them: a flag reason, or why MinisPod ended
// a subscription, kept as a key beside its English in their language, an entry from before keys
// as it was stored.
import { describe, expect, it } from 'vitest';
import type { AuditLogEntry } from '../../../src/lib/server/db/schema';
import { toAuditEntry } from '../../../src/lib/server/admin/panel-views';
import { flagReason, flagReasonEnglish } from '../../../src/lib/server/wallet/flag-reasons';
import { endReasonColumns, endReasons } from '../../../src/lib/server/subscriptions/end-reasons';
import type { Locale } from '../../../src/lib/statuses';
import { inLocale } from '../../support/locale';

const resolved = (details: Record<string, unknown>): AuditLogEntry => ({
	id: 'a',
	actorId: null,
	action: 'wallet.flag.resolve',
	entityType: 'transaction',
	entityId: 't',
	details,
	ipAddress: null,
	createdAt: new Date('2026-11-01T03:00:00Z')
});

const detailsIn = (entry: AuditLogEntry, locale: Locale) =>
	inLocale(locale, async () => toAuditEntry(entry, null, () => null).details);

describe('an audit entry’s flag reason, in the administrator’s language', () => {
	it('reads a keyed reason in Indonesian and English, the key itself not shown', async () => {
		const reason = flagReason('amount_mismatch', { reported: '75000.00', amount: 50_000 });
		const entry = resolved({ userId: 'u', flagReason: flagReasonEnglish(reason), flagText: reason, note: 'Dicek' });
		expect(await detailsIn(entry, 'en')).toEqual({
			userId: 'u',
			flagReason: 'The gateway reported an amount of 75000.00 for a top-up of Rp 50.000.',
			note: 'Dicek'
		});
		expect(await detailsIn(entry, 'id')).toEqual({
			userId: 'u',
			flagReason: 'Gateway melaporkan nominal 75000.00 untuk top-up sebesar Rp 50.000.',
			note: 'Dicek'
		});
	});

	it('shows an entry written before keys as stored', async () => {
		const entry = resolved({ userId: 'u', flagReason: 'Gateway reported refund for a credited top-up', note: 'ok' });
		for (const locale of ['id', 'en'] as const) expect(await detailsIn(entry, locale)).toEqual(entry.details);
	});
});

describe('an audit entry’s end reason, in the administrator’s language', () => {
	const terminated = (details: Record<string, unknown>): AuditLogEntry => ({
		...resolved(details),
		action: 'subscription.terminate',
		entityType: 'subscription'
	});

	it('reads MinisPod’s keyed reason in each language, and an administrator’s own words as written', async () => {
		const ended = endReasonColumns(endReasons.reason('deleted_unpaid'));
		const entry = terminated({ refund: false, refunded: 0, reason: ended.cancelReason, reasonText: ended.cancelReasonText });
		const english = await detailsIn(entry, 'en');
		const indonesian = await detailsIn(entry, 'id');
		expect(english).toEqual({ refund: false, refunded: 0, reason: endReasons.render(endReasons.reason('deleted_unpaid'), 'en') });
		expect(indonesian.reason).toBe(endReasons.render(endReasons.reason('deleted_unpaid'), 'id'));
		expect(indonesian.reason).not.toBe(english.reason);

		const own = terminated({ refund: true, refunded: 5000, reason: 'Permintaan pelanggan lewat telepon' });
		for (const locale of ['id', 'en'] as const) expect(await detailsIn(own, locale)).toEqual(own.details);
	});
});
