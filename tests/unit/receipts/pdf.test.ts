// The receipt PDF prints names, addresses and app names as typed in its embedded font
// (DejaVu Sans); a character the font has no glyph for prints as "?", and the rest of the
// line exactly.
import { describe, expect, it } from 'vitest';
import { renderReceiptPdf, type ReceiptDocument } from '../../../src/lib/server/receipts/pdf';
import { receiptCoverage, receiptText, unprintable } from '../../../src/lib/server/receipts/font';
import { pdfText } from '../../support/pdf';

function receiptFor(recipient: ReceiptDocument['receipt']['recipient'], description = 'Vaultwarden Basic'): ReceiptDocument {
	return {
		receipt: { number: 'KW/2026/000042', issuedAt: new Date('2026-03-01T03:00:00Z'), recipient },
		transaction: {
			type: 'SUBSCRIPTION',
			amount: -150_000,
			description,
			text: null,
			paymentMethod: 'CREDIT',
			orderId: null,
			completedAt: new Date('2026-03-01T03:00:00Z')
		},
		locale: 'id'
	};
}

describe('receipt text', () => {
	it('keeps what the font prints and puts one "?" for each grapheme it cannot', async () => {
		const prints = await receiptCoverage();
		expect(receiptText('PT Sinar Jaya — Ēkspor “Nusantara” Café Müller', prints)).toBe(
			'PT Sinar Jaya — Ēkspor “Nusantara” Café Müller'
		);
		// Two CJK characters, a flag (two code points), an emoji with its variation selector.
		expect(receiptText('PT 華僑 Jaya 🇮🇩 ✨\uFE0F Café', prints)).toBe('PT ?? Jaya ? ? Café');
		expect(receiptText('Jl.\tSudirman 1\r\nJakarta', prints)).toBe('Jl. Sudirman 1\nJakarta');
		expect(unprintable('Budi 🇮🇩 華 🇮🇩 ñ', prints)).toEqual(['🇮🇩', '華']);
	});
});

describe('receipt PDF', () => {
	it('prints a name with diacritics and typographic punctuation exactly', async () => {
		const name = 'PT Sinar Jaya — Ēkspor “Nusantara” Café Müller';
		const address = 'Jl. Gajah Mada 7, Kelapa Gading\nJakarta Utara';
		const text = pdfText(await renderReceiptPdf(receiptFor({ kind: 'COMPANY', name, address, npwp: '012345678901000' })));
		expect(text[0]).toBe('KWITANSI');
		expect(text).toEqual(
			expect.arrayContaining([
				'KW/2026/000042',
				'Telah diterima dari',
				name,
				'Jl. Gajah Mada 7, Kelapa Gading',
				'Jakarta Utara',
				'012345678901000',
				'Rp 150.000'
			])
		);
	});

	it('prints "?" for what the font lacks and the rest of the line intact', async () => {
		const text = pdfText(
			await renderReceiptPdf(
				receiptFor(
					{ kind: 'PERSONAL', name: 'Budi Santoso 🇮🇩 華僑 — Ēkspor “Nusantara”', address: null, npwp: null },
					'Aplikasi Uji ✨ Café'
				)
			)
		);
		expect(text).toContain('Budi Santoso ? ?? — Ēkspor “Nusantara”');
		expect(text.join(' ')).toContain('Aplikasi Uji ? Café');
		expect(text).toContain('Rp 150.000');
	});
});
