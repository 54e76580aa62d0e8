import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { auditActionLabel, auditDetailList, auditEntityLabel } from '../../src/lib/audit';
import { servicePlans, services } from '../../src/lib/server/db/schema';
import { m } from '../../src/lib/paraglide/messages';
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

/** The entity types the server's code records (`entityType: 'subscription'`). */
function recordedEntityTypes(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const full = path.join(dir, entry);
		if (statSync(full).isDirectory()) return recordedEntityTypes(full);
		if (!entry.endsWith('.ts')) return [];
		return [...readFileSync(full, 'utf8').matchAll(/entityType: '([a-z_]+)'/g)].map((match) => match[1]);
	});
}

describe('auditEntityLabel', () => {
	it('names the kind of entity an entry is about in the reader’s language', () => {
		expect(auditEntityLabel('service_category', 'id')).toBe('Kategori layanan');
		expect(auditEntityLabel('transaction', 'en')).toBe('Transaction');
		expect(auditEntityLabel('legacy_thing', 'en')).toBe('Legacy thing');
	});

	it('labels every kind of entity the log records', () => {
		const kinds = [...new Set(recordedEntityTypes(path.resolve(import.meta.dirname, '../../src/lib/server')))];
		expect(kinds).toContain('subscription');
		const messages = m as unknown as Record<string, unknown>;
		expect(kinds.filter((kind) => !messages[`txt9c_audit_entity_${kind}`])).toEqual([]);
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

	it("writes a catalog entry's texts by language, with each variable description under its variable's name", () => {
		const translations = {
			id: {
				description: 'Wiki untuk tim.',
				firstRunSteps: ['Buka aplikasinya.'],
				environment: { SITE_URL: 'Alamat publik' }
			}
		};
		expect(auditDetailList({ translations }, 'en')).toEqual([
			{
				field: 'translations',
				label: 'Translations',
				value:
					'Indonesian: Description: Wiki untuk tim.; First-run steps: Buka aplikasinya.; Environment variables: SITE_URL: Alamat publik'
			}
		]);
		const [changes] = auditDetailList(
			{ changes: { translations: { from: {}, to: { id: { features: ['Dukungan email'] } } } } },
			'id'
		);
		expect(changes.value).toBe('Terjemahan: — → Bahasa Indonesia: Fitur: Dukungan email');
	});

	it("names the fields a template's change touched by their labels in each language, never by their keys", () => {
		const details = {
			changed: ['translations', 'dockerImage'],
			changes: { translations: { from: {}, to: { id: { description: 'Papan kanban.' } } } }
		};
		expect(auditDetailList(details, 'id')).toEqual([
			{ field: 'changed', label: 'Bagian yang diubah', value: 'Terjemahan, Image' },
			{ field: 'changes', label: 'Perubahan', value: 'Terjemahan: — → Bahasa Indonesia: Deskripsi: Papan kanban.' }
		]);
		expect(auditDetailList(details, 'en')[0].value).toBe('Translations, Image');
	});

	it('has a label for every field of a service template, which a change can touch', () => {
		const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
		const messages = m as unknown as Record<string, unknown>;
		const fields = Object.keys(getTableColumns(services)).filter((field) => !['id', 'createdAt', 'updatedAt'].includes(field));
		const unlabelled = fields.filter((field) =>
			['txt9a_audit_field', 'txt10d_audit_field'].every((prefix) => !messages[`${prefix}_${snake(field)}`])
		);
		expect(unlabelled).toEqual([]);
	});

	it('has a label in both languages for every field of a plan, which a change can touch', () => {
		const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
		const messages = m as unknown as Record<string, unknown>;
		const fields = Object.keys(getTableColumns(servicePlans)).filter(
			(field) => !['id', 'serviceId', 'createdAt', 'updatedAt'].includes(field)
		);
		const unlabelled = fields.filter((field) =>
			['txt9a_audit_field', 'txt10d_audit_field', 'txt19a_audit_field'].every((prefix) => !messages[`${prefix}_${snake(field)}`])
		);
		expect(unlabelled).toEqual([]);
	});

	it('writes a plan change wholly in Indonesian on an Indonesian page', () => {
		const changes = {
			storageGb: { from: 5, to: 2 },
			customDomainsAllowed: { from: 1, to: 0 },
			cpuMilli: { from: 500, to: 250 },
			memoryMb: { from: 512, to: 256 },
			bandwidthGb: { from: 100, to: 50 },
			backupSchedule: { from: 'DAILY', to: 'NONE' },
			backupRetention: { from: 7, to: 0 },
			isPopular: { from: false, to: true }
		};
		expect(auditDetailList({ changes }, 'id')[0].value).toBe(
			'Penyimpanan (GB): 5 → 2; Domain kustom per aplikasi: 1 → 0; CPU (milicore): 500 → 250; Memori (MB): 512 → 256; ' +
				'Bandwidth (GB): 100 → 50; Cadangan: Harian → Tidak ada; Cadangan yang disimpan: 7 → 0; Ditandai populer: Tidak → Ya'
		);
		expect(auditDetailList({ changes: { storageGb: changes.storageGb } }, 'en')[0].value).toBe('Storage (GB): 5 → 2');
	});

	it('names a field it has no label for by its code (in words in English), and shows a missing value as a dash', () => {
		expect(auditDetailList({ someNewField: null }, 'en')).toEqual([
			{ field: 'someNewField', label: 'Some new field', value: '—' }
		]);
		expect(auditDetailList({ someNewField: 2 }, 'id')).toEqual([
			{ field: 'someNewField', label: 'Kolom someNewField', value: '2' }
		]);
	});
});
