// The receipt (kwitansi) as a PDF, drawn with pdfkit on the server in the customer's
// language. pdfkit's standard fonts (Helvetica) are AFM files inside the package, read at
// run time, so the package stays external to the server bundle (a dependency, not bundled
// by Vite's SSR build) and needs no font files of ours.
// https://pdfkit.org/docs/text.html#fonts
import PDFDocument from 'pdfkit';
import { m } from '$lib/paraglide/messages';
import { formatDateTime, formatRupiah, paymentMethodLabel, transactionTypeLabel } from '$lib/format';
import type { Locale } from '$lib/statuses';
import type { Receipt, Transaction } from '../db/schema';
import { renderLedgerText } from '../wallet/ledger-texts';

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
export function renderReceiptPdf(document: ReceiptDocument): Promise<Buffer> {
	const options = { locale: document.locale };
	const pdf = new PDFDocument({
		size: 'A5',
		margin: 40,
		info: { Title: `${m.receipt_title({}, options)} ${document.receipt.number}`, Author: 'MinisPod' }
	});
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
		pdf.on('end', () => resolve(Buffer.concat(chunks)));
		pdf.on('error', reject);
	});
	pdf.font('Helvetica-Bold').fontSize(20).text(m.receipt_title({}, options).toUpperCase());
	pdf.font('Helvetica').fontSize(9).fillColor('#475569').text('MinisPod').moveDown(1.5);
	pdf.fillColor('#0f172a');
	for (const [label, value] of receiptLines(document)) {
		pdf.font('Helvetica-Bold').fontSize(9).text(label);
		pdf.font('Helvetica').fontSize(11).text(value).moveDown(0.6);
	}
	pdf.moveDown(0.5).font('Helvetica-Bold').fontSize(9).text(m.receipt_amount({}, options));
	pdf.fontSize(18).text(formatRupiah(Math.abs(document.transaction.amount)));
	pdf.moveDown(2).font('Helvetica').fontSize(8).fillColor('#475569').text(m.receipt_footer({}, options));
	pdf.end();
	return done;
}
