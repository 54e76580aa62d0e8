// Reads the text of a PDF as pdfkit writes it: pages whose content streams (Flate-compressed
// or not) show text by `[<hex> kerning <hex>] TJ` or `<hex> Tj` after a `/F1 11 Tf`. A font
// with a ToUnicode CMap (pdfkit writes one for every embedded font, its codes being glyph
// ids) is decoded through it; a standard font's codes are WinAnsi, read as Latin-1. Enough
// to check what a receipt says, not a general PDF parser.
import { inflateSync } from 'node:zlib';

type PdfObject = { dictionary: string; stream: Buffer | null };

/** Every `N 0 obj`, its dictionary and its (inflated) stream. */
function objects(pdf: Buffer): Map<string, PdfObject> {
	const found = new Map<string, PdfObject>();
	const text = pdf.toString('latin1');
	const start = /(\d+) 0 obj\b/g;
	for (let match = start.exec(text); match; match = start.exec(text)) {
		const end = text.indexOf('endobj', start.lastIndex);
		const streamAt = text.indexOf('stream', start.lastIndex);
		if (streamAt === -1 || streamAt > end) {
			found.set(match[1], { dictionary: text.slice(start.lastIndex, end), stream: null });
			continue;
		}
		const dictionary = text.slice(start.lastIndex, streamAt);
		const bodyStart = streamAt + (text.startsWith('stream\r\n', streamAt) ? 8 : 7);
		const bodyEnd = text.indexOf('endstream', bodyStart);
		const body = pdf.subarray(bodyStart, bodyEnd);
		found.set(match[1], { dictionary, stream: dictionary.includes('/FlateDecode') ? inflateSync(body) : body });
		start.lastIndex = bodyEnd;
	}
	return found;
}

const hexCodes = (hex: string, bytes: number) =>
	(hex.replace(/\s+/g, '').match(new RegExp(`.{1,${bytes * 2}}`, 'g')) ?? []).map((code) => parseInt(code, 16));
const utf16 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').swap16().toString('utf16le');

/** A font's codes as text: through its ToUnicode CMap, or as Latin-1. */
type Decoder = (hex: string) => string;
const latin1: Decoder = (hex) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').toString('latin1');

function cmapDecoder(cmap: string): Decoder {
	const bytes = (/begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(cmap)?.[1].length ?? 4) / 2;
	const unicode = new Map<number, string>();
	for (const [, block] of cmap.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
		for (const [, code, text] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g))
			unicode.set(parseInt(code, 16), utf16(text));
	}
	for (const [, block] of cmap.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
		// <low> <high> [<text> <text> …], the form pdfkit writes: one text per code from low on.
		for (const [, low, list] of block.matchAll(/<([0-9a-fA-F]+)>\s*<[0-9a-fA-F]+>\s*\[([^\]]*)\]/g)) {
			const from = parseInt(low, 16);
			[...list.matchAll(/<([0-9a-fA-F\s]*)>/g)].forEach(([, text], i) => unicode.set(from + i, utf16(text)));
		}
	}
	return (hex) =>
		hexCodes(hex, bytes)
			.map((code) => unicode.get(code) ?? '\uFFFD')
			.join('');
}

/** The decoder of each font resource name (`F1`) used by the document's pages. */
function fontDecoders(all: Map<string, PdfObject>): Map<string, Decoder> {
	const decoders = new Map<string, Decoder>();
	for (const { dictionary } of all.values()) {
		const fonts = /\/Font\s*<<([^>]*)>>/.exec(dictionary)?.[1] ?? '';
		for (const [, name, ref] of fonts.matchAll(/\/([^\s/]+)\s+(\d+) 0 R/g)) {
			const toUnicode = /\/ToUnicode\s+(\d+) 0 R/.exec(all.get(ref)?.dictionary ?? '')?.[1];
			const cmap = toUnicode && all.get(toUnicode)?.stream;
			decoders.set(name, cmap ? cmapDecoder(cmap.toString('latin1')) : latin1);
		}
	}
	return decoders;
}

/** The text lines of a PDF, one per text-showing operator, in drawing order. */
export function pdfText(pdf: Buffer): string[] {
	const all = objects(pdf);
	const decoders = fontDecoders(all);
	const lines: string[] = [];
	const pages = [...all.values()].filter(({ dictionary }) => /\/Type\s*\/Page\b/.test(dictionary));
	for (const page of pages) {
		const contents = /\/Contents\s+(\d+) 0 R/.exec(page.dictionary)?.[1];
		const content = (contents && all.get(contents)?.stream?.toString('latin1')) ?? '';
		let decode = latin1;
		const operators = /\/([^\s/]+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F\s]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj/g;
		for (const [, font, shown, single] of content.matchAll(operators)) {
			if (font !== undefined) {
				decode = decoders.get(font) ?? latin1;
				continue;
			}
			const parts = shown !== undefined ? [...shown.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((part) => part[1]) : [single];
			lines.push(parts.map(decode).join(''));
		}
	}
	return lines;
}
