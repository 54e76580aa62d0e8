import { describe, expect, it } from 'vitest';
import { assertValidPreviews } from '../../../src/lib/server/catalog/preview';
import { AppError } from '../../../src/lib/server/errors';

const refusal = (preview: { planId: string | null; planName: string }) => {
	try {
		assertValidPreviews([{ ...preview, yaml: '', problems: ['port out of range'] }]);
	} catch (error) {
		if (error instanceof AppError) return error.sentence;
	}
	throw new Error('expected a refusal');
};

describe('assertValidPreviews', () => {
	it('names the sample plan in the reader’s language, a real plan by its own name', () => {
		const sample = refusal({ planId: null, planName: 'Sample plan' });
		expect(sample('id')).toBe('Objek Kubernetes untuk Paket contoh tidak valid: port out of range');
		expect(sample('en')).toBe('The Kubernetes objects for Sample plan are not valid: port out of range');
		expect(refusal({ planId: 'p1', planName: 'Starter' })('id')).toBe(
			'Objek Kubernetes untuk Starter tidak valid: port out of range'
		);
	});
});
