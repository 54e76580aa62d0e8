import { describe, expect, it } from 'vitest';
import { detectProofType, safeFileName } from '../../../src/lib/server/wallet/proofs';

const bytes = (...values: (number | string)[]) =>
	new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...Buffer.from(value)] : [value])));

describe('transfer proof types', () => {
	it('come from the file’s first bytes', () => {
		expect(detectProofType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toEqual({ mimeType: 'image/png', extension: 'png' });
		expect(detectProofType(bytes(0xff, 0xd8, 0xff, 0xe0, 0))).toEqual({ mimeType: 'image/jpeg', extension: 'jpg' });
		expect(detectProofType(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toEqual({ mimeType: 'image/webp', extension: 'webp' });
		expect(detectProofType(bytes('%PDF-1.4\n'))).toEqual({ mimeType: 'application/pdf', extension: 'pdf' });
	});

	it('refuse everything else, whatever it is called', () => {
		expect(detectProofType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
		expect(detectProofType(bytes('GIF89a'))).toBeNull();
		expect(detectProofType(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeNull();
		expect(detectProofType(bytes('PK', 3, 4))).toBeNull();
		expect(detectProofType(bytes(0x89, 'PN'))).toBeNull();
		expect(detectProofType(new Uint8Array())).toBeNull();
	});
});

describe('proof file names', () => {
	it('keep a readable name with the detected extension, nothing that could escape a header or a path', () => {
		expect(safeFileName('bukti transfer.PNG', 'png')).toBe('bukti transfer.png');
		expect(safeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
		expect(safeFileName('a"b;\r\nc.jpg', 'jpg')).toBe('abc.jpg');
		expect(safeFileName('', 'webp')).toBe('proof.webp');
		expect(safeFileName('x'.repeat(300) + '.png', 'png')).toHaveLength(84);
	});
});
