import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditDetailList } from '../../src/lib/audit';
import { AUDIT_ACTIONS } from '../../src/lib/statuses';

describe('auditActionLabel', () => {
	it('names an action in the reader’s language', () => {
		expect(auditActionLabel('subscription.extend', 'en')).toBe('Extended a subscription');
		expect(auditActionLabel('subscription.extend', 'id')).toBe('Memperpanjang langganan');
		expect(auditActionLabel('wallet.adjustment.credit', 'en')).toBe('Credited a wallet');
	});

	it('labels every action the log records, and puts an unknown code in words', () => {
		const inWords = AUDIT_ACTIONS.filter(
			(action) => auditActionLabel(action, 'en').toLowerCase() === action.replace(/[._]/g, ' ')
		);
		expect(inWords).toEqual([]);
		expect(auditActionLabel('legacy.thing_done', 'en')).toBe('Legacy thing done');
	});
});

describe('auditDetailList', () => {
	it('labels the fields and formats money, instants, yes/no and lists', () => {
		const details = {
			amount: 150_000,
			reason: 'Welcome credit',
			override: true,
			from: '2026-11-25T07:05:00.000Z',
			names: ['ADMIN_TOKEN', 'DB_PASSWORD'],
			sessionsEnded: 2
		};
		expect(auditDetailList(details, 'en')).toEqual([
			{ field: 'amount', label: 'Amount', value: 'Rp 150.000' },
			{ field: 'reason', label: 'Reason', value: 'Welcome credit' },
			{ field: 'override', label: 'Above the balance cap', value: 'Yes' },
			{ field: 'from', label: 'From', value: '25 Nov 2026 14:05 WIB' },
			{ field: 'names', label: 'Secrets', value: 'ADMIN_TOKEN, DB_PASSWORD' },
			{ field: 'sessionsEnded', label: 'Sessions ended', value: '2' }
		]);
		expect(auditDetailList({ override: false, from: '2026-11-25T07:05:00.000Z' }, 'id')).toEqual([
			{ field: 'override', label: 'Melebihi batas saldo', value: 'Tidak' },
			{ field: 'from', label: 'Dari', value: '25 Nov 2026 14.05 WIB' }
		]);
	});

	it('writes a change as what it was and what it became, money in rupiah', () => {
		const [changes] = auditDetailList(
			{ changes: { monthlyPrice: { from: 39_000, to: 49_000 }, totalQuota: { from: 10, to: 20 } } },
			'en'
		);
		expect(changes).toEqual({
			field: 'changes',
			label: 'Changes',
			value: 'Monthly price: Rp 39.000 → Rp 49.000; Slots: 10 → 20'
		});
	});

	it('names a field it has no label for in words, and shows a missing value as a dash', () => {
		expect(auditDetailList({ someNewField: null }, 'en')).toEqual([
			{ field: 'someNewField', label: 'Some new field', value: '—' }
		]);
	});
});
