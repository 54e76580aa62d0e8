// What a custom domain's check found, read in each viewer's language; older rows as stored.
import { describe, expect, it } from 'vitest';
import { domainReason, domainReasonFor, domainStatusReason } from '../../../src/lib/server/domains/reasons';

describe('a custom domain’s status reason', () => {
	it('shows a row written before reason texts with its stored text', () => {
		const old = { statusReason: 'No TXT record _minispod-challenge.toko.id was found yet.', statusReasonText: null };
		expect(domainReasonFor(old, 'id')).toBe(old.statusReason);
	});

	it('writes a keyed reason in the viewer’s language, with the English beside it', () => {
		const row = domainStatusReason(
			domainReason('cname_wrong', { name: 'www.toko.id', found: 'old.host.example', expected: 'toko.minispod.test' })
		);
		expect(row.statusReason).toBe('The CNAME record of www.toko.id points at old.host.example, not toko.minispod.test.');
		expect(domainReasonFor(row, 'id')).toBe('Record CNAME www.toko.id mengarah ke old.host.example, bukan toko.minispod.test.');
	});

	it('quotes the last check inside the sentence that gives up, in the same language', () => {
		const last = domainReason('txt_missing', { name: '_minispod-challenge.toko.id' });
		const row = domainStatusReason(domainReason('dns_gave_up', { last }));
		expect(row.statusReason).toContain('The last check found: No TXT record _minispod-challenge.toko.id was found yet.');
		expect(domainReasonFor(row, 'id')).toContain(
			'Pemeriksaan terakhir menemukan: Record TXT _minispod-challenge.toko.id belum ditemukan.'
		);
	});

	it('counts the allowance in words that agree with it', () => {
		expect(domainStatusReason(domainReason('over_allowance', { allowed: 0 })).statusReason).toContain('allows 0 custom domains');
		expect(domainStatusReason(domainReason('over_allowance', { allowed: 1 })).statusReason).toContain('allows 1 custom domain,');
	});
});
