// The receipt (kwitansi) as a PDF, drawn with pdfkit on the server in the customer's
// language, in an embedded Unicode font (font.ts) so names, addresses and app names print
// as typed. pdfkit stays external to the server bundle (a dependency, not bundled by Vite's
// SSR build), and so does the font package it reads the TrueType files from.
// https://pdfkit.org/docs/text.html#fonts
import PDFDocument from 'pdfkit';
import { m } from '$lib/paraglide/messages';
import { formatDateTime, formatRupiah, paymentMethodLabel, transactionTypeLabel } from '$lib/format';
import type { Locale } from '$lib/statuses';
import type { Receipt, Transaction } from '../db/schema';
import { renderLedgerText } from '../wallet/ledger-texts';
import { receiptCoverage, receiptFontFiles, receiptText } from './font';

export type ReceiptDocument = {
	receipt: Pick<Receipt, 'number' | 'issuedAt' | 'recipient'>;
	transaction: Pick<Transaction, 'type' | 'amount' | 'description' | 'text' | 'paymentMethod' | 'orderId' | 'completedAt'>;
	locale: Locale;
};

/** Label and value rows, in the order they are printed. */
function receiptLines({ receipt, transaction, locale }: ReceiptDocument): [string, string][] {
	const options = { locale };
	const recipient = receipt.recipient;
	const lines: [string, string][] = [
		[m.receipt_number({}, options), receipt.number],
		[m.receipt_date({}, options), formatDateTime(transaction.completedAt ?? receipt.issuedAt, locale)],
		[m.receipt_received_from({}, options), recipient.name]
	];
	if (recipient.address) lines.push([m.receipt_address({}, options), recipient.address]);
	if (recipient.npwp) lines.push([m.receipt_npwp({}, options), recipient.npwp]);
	// The same sentence the wallet history shows, in the receipt's language; rows from before
	// ledger texts keep their stored English.
	const description = (transaction.text && renderLedgerText(transaction.text, locale)) ?? transaction.description;
	lines.push(
		[m.receipt_for({}, options), `${transactionTypeLabel(transaction.type, locale)}: ${description}`],
		[m.receipt_method({}, options), paymentMethodLabel(transaction.paymentMethod ?? 'CREDIT', locale)]
	);
	if (transaction.orderId) lines.push([m.receipt_order_id({}, options), transaction.orderId]);
	return lines;
}

/** The receipt as PDF bytes. */
export async function renderReceiptPdf(document: ReceiptDocument): Promise<Buffer> {
	const options = { locale: document.locale };
	const prints = await receiptCoverage();
	const pdf = new PDFDocument({
		size: 'A5',
		margin: 40,
		info: { Title: `${m.receipt_title({}, options)} ${document.receipt.number}`, Author: 'MinisPod' }
	});
	pdf.registerFont('Body', receiptFontFiles.regular);
	pdf.registerFont('Body-Bold', receiptFontFiles.bold);
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
		pdf.on('end', () => resolve(Buffer.concat(chunks)));
		pdf.on('error', reject);
	});
	pdf.font('Body-Bold').fontSize(20).text(m.receipt_title({}, options).toUpperCase());
	pdf.font('Body').fontSize(9).fillColor('#475569').text('MinisPod').moveDown(1.5);
	pdf.fillColor('#0f172a');
	for (const [label, value] of receiptLines(document)) {
		pdf.font('Body-Bold').fontSize(9).text(label);
		// Values come from people and the catalog (names, addresses, app names): what the font
		// has no glyph for prints as "?" (font.ts), the rest of the line as typed.
		pdf.font('Body').fontSize(11).text(receiptText(value, prints)).moveDown(0.6);
	}
	pdf.moveDown(0.5).font('Body-Bold').fontSize(9).text(m.receipt_amount({}, options));
	pdf.fontSize(18).text(formatRupiah(Math.abs(document.transaction.amount)));
	pdf.moveDown(2).font('Body').fontSize(8).fillColor('#475569').text(m.receipt_footer({}, options));
	pdf.end();
	return done;
}
