import { describe, expect, it } from 'vitest';
import {
	formatCount,
	formatClaimedAmount,
	begunEarlier,
	formatCpu,
	formatNumber,
	formatMemory,
	formatRupiah,
	formatSignedRupiah,
	formatSize,
	environmentKindLabel,
	healthLabel,
	reversalLabel,
	statusLabel,
	statusTone
} from '../../src/lib/format';
import { ENVIRONMENT_KINDS, HEALTH_STATUSES } from '../../src/lib/statuses';

describe('formatRupiah', () => {
	it('writes rupiah with dot thousands separators and no decimals', () => {
		expect(formatRupiah(150_000)).toBe('Rp 150.000');
		expect(formatRupiah(1_250_000)).toBe('Rp 1.250.000');
		expect(formatRupiah(0)).toBe('Rp 0');
	});

	it('signs ledger amounts', () => {
		expect(formatSignedRupiah(50_000)).toBe('+Rp 50.000');
		expect(formatSignedRupiah(-25_000)).toBe('-Rp 25.000');
	});
});

describe('an amount a gateway claims', () => {
	it('reads in rupiah when whole, and as claimed otherwise', () => {
		expect(formatClaimedAmount('75000.00')).toBe('Rp 75.000');
		expect(formatClaimedAmount('250000')).toBe('Rp 250.000');
		expect(formatClaimedAmount('75000.50')).toBe('75000.50');
		expect(formatClaimedAmount('1e5')).toBe('1e5');
	});
});

describe('what a gateway took back of a top-up', () => {
	it('says whether it was a refund or a chargeback, whole or partial, and how much, in either language', () => {
		expect(reversalLabel({ kind: 'partial_refund', amount: 75_000 }, 'en')).toBe('Partly refunded: Rp 75.000');
		expect(reversalLabel({ kind: 'partial_refund', amount: 75_000 }, 'id')).toBe('Dikembalikan sebagian: Rp 75.000');
		expect(reversalLabel({ kind: 'refund', amount: 200_000 }, 'en')).toBe('Refunded in full: Rp 200.000');
		expect(reversalLabel({ kind: 'chargeback', amount: 50_000 }, 'id')).toBe(
			'Ditarik kembali (chargeback) seluruhnya: Rp 50.000'
		);
		expect(reversalLabel({ kind: 'partial_chargeback', amount: null }, 'en')).toBe('Partly charged back: amount not reported');
	});
});

describe('resource figures', () => {
	it('shows cores, below one as a fraction of one rather than millicores', () => {
		expect(formatCpu(250, 'id')).toBe('0,25 vCPU');
		expect(formatCpu(250, 'en')).toBe('0.25 vCPU');
		expect(formatCpu(125, 'en')).toBe('0.125 vCPU');
		expect(formatCpu(2000)).toBe('2 vCPU');
		expect(formatCpu(1500, 'en')).toBe('1.5 vCPU');
		expect(formatCpu(1500, 'id')).toBe('1,5 vCPU');
		expect(formatCpu(1250, 'id')).toBe('1,25 vCPU');
	});

	it('shows memory in MB below a gigabyte and GB above', () => {
		expect(formatMemory(512)).toBe('512 MB RAM');
		expect(formatMemory(2048)).toBe('2 GB RAM');
		expect(formatMemory(1536, 'en')).toBe('1.5 GB RAM');
		expect(formatMemory(1536, 'id')).toBe('1,5 GB RAM');
	});

	it('writes numbers in the language’s digits', () => {
		expect(formatNumber(2.5, 'id')).toBe('2,5');
		expect(formatNumber(1234, 'id')).toBe('1.234');
		expect(formatNumber(1234.56, 'en', 2)).toBe('1,234.56');
	});
});

describe('status labels', () => {
	it('turns codes into words', () => {
		expect(statusLabel('PENDING_UPGRADE', 'en')).toBe('Pending upgrade');
		expect(statusLabel('RUNNING', 'en')).toBe('Running');
		expect(statusLabel('RUNNING', 'id')).toBe('Berjalan');
	});

	it('colours statuses by meaning', () => {
		expect(statusTone('RUNNING')).toBe('green');
		expect(statusTone('ERROR')).toBe('red');
		expect(statusTone('PENDING')).toBe('amber');
		expect(statusTone('PAST_DUE')).toBe('amber');
		expect(statusLabel('PAST_DUE', 'en')).toBe('Past due');
		expect(statusTone('PROVISIONING')).toBe('blue');
	});
});

describe("words the server keeps in English, shown in the reader's language", () => {
	it("names an app's health", () => {
		expect(healthLabel('healthy', 'id')).toBe('sehat');
		expect(healthLabel('healthy', 'en')).toBe('healthy');
		for (const health of HEALTH_STATUSES) expect(healthLabel(health, 'id')).not.toBe(healthLabel(health, 'en'));
	});

	it("names where each setting of an app's plan gets its value", () => {
		expect(environmentKindLabel('generated secret', 'id')).toBe('Rahasia dibuat otomatis');
		expect(environmentKindLabel('set by MinisPod', 'en')).toBe('Set by MinisPod');
		const indonesian = ENVIRONMENT_KINDS.map((kind) => environmentKindLabel(kind, 'id'));
		expect(new Set(indonesian).size).toBe(ENVIRONMENT_KINDS.length);
		for (const kind of ENVIRONMENT_KINDS) expect(indonesian).not.toContain(kind);
	});
});

describe('formatCount', () => {
	it('puts the noun in the right number', () => {
		expect(formatCount(1, 'slot')).toBe('1 slot');
		expect(formatCount(0, 'slot')).toBe('0 slots');
		expect(formatCount(12, 'slot')).toBe('12 slots');
	});
});

describe('formatSize', () => {
	it("writes a backup's size in the page's language", () => {
		expect(formatSize(1.5 * 2 ** 30, 'id')).toBe('1,5 GB');
		expect(formatSize(1.5 * 2 ** 30, 'en')).toBe('1.5 GB');
		expect(formatSize(300 * 2 ** 20, 'id')).toBe('300 MB');
	});
});

describe('a ledger row begun before it took effect', () => {
	it('is one completed a minute or more after it began, never one completed at once or not at all', () => {
		const began = '2026-11-27T10:00:00.000Z';
		expect(begunEarlier({ createdAt: began, completedAt: '2026-11-27T10:01:00.000Z' })).toBe(true);
		expect(begunEarlier({ createdAt: new Date(began), completedAt: new Date('2026-11-29T08:00:00Z') })).toBe(true);
		// Two clocks a millisecond apart, either way, across a minute's edge.
		expect(begunEarlier({ createdAt: '2026-11-27T10:00:59.999Z', completedAt: '2026-11-27T10:01:00.000Z' })).toBe(false);
		expect(begunEarlier({ createdAt: '2026-11-27T10:01:00.001Z', completedAt: '2026-11-27T10:01:00.000Z' })).toBe(false);
		expect(begunEarlier({ createdAt: began, completedAt: null })).toBe(false);
	});
});
