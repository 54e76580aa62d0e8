import { describe, expect, it } from 'vitest';
import { readRupiah, rupiahReadingProblem } from '../../src/lib/amount';

const amountOf = (text: string) => readRupiah(text).amount;
const problemOf = (text: string) => readRupiah(text).problem;

describe('a rupiah amount typed into a field', () => {
	it('is read as Indonesians write it: dots between thousands, spaces, a leading "Rp", a closing ",-" or ",00"', () => {
		expect(amountOf('50000')).toBe(50_000);
		expect(amountOf('50.000')).toBe(50_000);
		expect(amountOf('1.500.000')).toBe(1_500_000);
		expect(amountOf('Rp 1.500.000')).toBe(1_500_000);
		expect(amountOf('Rp50.000')).toBe(50_000);
		expect(amountOf('rp. 75.000')).toBe(75_000);
		expect(amountOf(' 50 000 ')).toBe(50_000);
		expect(amountOf('Rp 50.000,-')).toBe(50_000);
		expect(amountOf('50.000,00')).toBe(50_000);
	});

	it('with a fraction of a rupiah is refused as such, not rounded', () => {
		expect(problemOf('50,5')).toBe('fraction');
		expect(problemOf('50.000,50')).toBe('fraction');
		expect(rupiahReadingProblem(readRupiah('50,5'), 'id')).toBe('Rupiah tidak memakai sen: tulis jumlah bulat, misalnya 50.000');
	});

	it('with thousands grouped by commas, the English way, is refused as ambiguous, saying how to write it', () => {
		// "50,000" is fifty thousand in English and fifty in Indonesian: not guessed either way.
		expect(readRupiah('50,000')).toEqual({ amount: null, problem: 'ambiguous', written: '50.000' });
		expect(readRupiah('Rp 1,500,000')).toEqual({ amount: null, problem: 'ambiguous', written: '1.500.000' });
		expect(rupiahReadingProblem(readRupiah('50,000'), 'id')).toBe('Tulis ribuan dengan titik: 50.000');
		expect(rupiahReadingProblem(readRupiah('Rp 1,500,000'), 'en')).toBe('Write thousands with dots: 1.500.000');
		// Not grouped in threes: a fraction, or nothing an amount is written as.
		expect(problemOf('1,50')).toBe('fraction');
		for (const text of ['50,0000', '1,50,000', ',500', '50,000,-']) expect(problemOf(text), text).toBe('unreadable');
	});

	it('that could mean two amounts, or none, is refused rather than guessed', () => {
		// "50.5" and "100000.00" use the dot as a decimal point; hexadecimal and exponents are not
		// amounts people type.
		for (const text of [
			'50.5',
			'100000.00',
			'1.50.000',
			'.500',
			'0x2710',
			'1e5',
			'+100000',
			'-100000',
			'1_000',
			'lima puluh ribu',
			'Infinity'
		])
			expect(problemOf(text), text).toBe('unreadable');
		expect(rupiahReadingProblem(readRupiah('abc'), 'id')).toBe('Tulis jumlahnya dengan angka, misalnya 50000 atau 50.000');
	});

	it('left empty is told apart from one that cannot be read', () => {
		expect(problemOf('')).toBe('empty');
		expect(problemOf('  Rp ')).toBe('empty');
		expect(rupiahReadingProblem(readRupiah(''), 'en')).toBe('Enter an amount');
		expect(rupiahReadingProblem(readRupiah('50.000'))).toBeNull();
	});
});
