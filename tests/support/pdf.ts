// Reads the text of a PDF as pdfkit writes it: content streams (Flate-compressed or not)
// with text shown by `[<hex> kerning <hex>] TJ` or `<hex> Tj` in the standard fonts'
// WinAnsi encoding. Enough to check what a receipt says, not a general PDF parser.
import { inflateSync } from 'node:zlib';

function streams(pdf: Buffer): Buffer[] {
	const found: Buffer[] = [];
	const text = pdf.toString('latin1');
	const pattern = /(<<[^]*?>>)\s*stream\r?\n/g;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		const start = match.index + match[0].length;
		const end = text.indexOf('endstream', start);
		const body = pdf.subarray(start, end);
		found.push(match[1].includes('/FlateDecode') ? inflateSync(body) : body);
	}
	return found;
}

const decodeHex = (hex: string) => Buffer.from(hex, 'hex').toString('latin1');

/** The text lines of a PDF, one per text-showing operator, in drawing order. */
export function pdfText(pdf: Buffer): string[] {
	const lines: string[] = [];
	for (const stream of streams(pdf)) {
		const content = stream.toString('latin1');
		for (const match of content.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
			const parts = match[1] !== undefined ? [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((part) => part[1]) : [match[2]];
			lines.push(parts.map(decodeHex).join(''));
		}
	}
	return lines;
}
