// The receipt's typeface and what it can print. pdfkit's standard fonts (Helvetica) know
// only WinAnsi: anything else came out garbled, and a code point past 0xFF shifted the rest
// of the line. A receipt embeds DejaVu Sans instead (pdfkit subsets an embedded TrueType
// font to the glyphs used, https://pdfkit.org/docs/text.html#fonts): Latin with its
// extensions and diacritics, Greek, Cyrillic and typographic punctuation. Its licence
// (Bitstream Vera's) lets it be redistributed and embedded.
//
// The files come from the `dejavu-fonts-ttf` package, a run-time dependency resolved in
// node_modules beside pdfkit (both stay out of the server bundle), so nothing is fetched at
// install or run time.
import { createRequire } from 'node:module';
import type { Font } from 'fontkit';

const require = createRequire(import.meta.url);

/** The TrueType files a receipt is drawn with. */
export const receiptFontFiles = {
	regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
	bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')
};

/** Whether a code point prints on a receipt. */
export type PrintsOnReceipt = (codePoint: number) => boolean;

/** Line breaks and tabs need no glyph: receiptText writes them as pdfkit lays text out. */
const LAYOUT = /^[\t\n\r]+$/;

let coverage: Promise<PrintsOnReceipt> | undefined;

/**
 * The receipt font's coverage, read on first use (fontkit and the font file stay unloaded
 * until a receipt is drawn or a billing profile saved). Checked against the regular face,
 * the one every value (names, address, description) is printed in.
 */
export function receiptCoverage(): Promise<PrintsOnReceipt> {
	coverage ??= import('fontkit').then((fontkit) => {
		const font = fontkit.openSync(receiptFontFiles.regular) as Font;
		return (codePoint) => font.hasGlyphForCodePoint(codePoint);
	});
	return coverage;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

const printable = (grapheme: string, prints: PrintsOnReceipt) =>
	LAYOUT.test(grapheme) || [...grapheme].every((character) => prints(character.codePointAt(0)!));

/**
 * The text as a receipt prints it: every grapheme (a character with its accents, an emoji
 * with its modifiers, a flag) that the font lacks a glyph for, even in part, becomes one "?",
 * so the reader sees that something stood there and the rest of the line prints exactly.
 * pdfkit breaks lines at "\n" only and would draw a tab or a "\r" as a missing glyph, so a
 * tab becomes a space and "\r\n" or "\r" a "\n".
 */
export function receiptText(text: string, prints: PrintsOnReceipt): string {
	let result = '';
	for (const { segment } of graphemes.segment(text.replace(/\r\n?/g, '\n').replaceAll('\t', ' '))) {
		result += printable(segment, prints) ? segment : '?';
	}
	return result;
}

/** The graphemes of the text a receipt cannot print, each once, in order. */
export function unprintable(text: string, prints: PrintsOnReceipt): string[] {
	const found = new Set<string>();
	for (const { segment } of graphemes.segment(text)) if (!printable(segment, prints)) found.add(segment);
	return [...found];
}
