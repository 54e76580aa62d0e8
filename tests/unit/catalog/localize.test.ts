import { describe, expect, it } from 'vitest';
import { categoryTexts, environmentText, localized, planTexts, serviceTexts } from '../../../src/lib/server/catalog/localize';

describe('a catalog entry’s texts in a language', () => {
	const service = {
		description: 'Workflow automation.',
		longDescription: 'Connects your apps.',
		firstRunSteps: ['Open the app.', 'Create the owner account.'],
		translations: {
			id: {
				description: 'Otomasi alur kerja.',
				firstRunSteps: ['Buka aplikasinya.', 'Buat akun pemilik.'],
				environment: { TZ: 'Zona waktu aplikasi.' }
			}
		}
	};

	it('are the translated ones in Indonesian, each text that has none in English', () => {
		expect(serviceTexts(service, 'id')).toEqual({
			description: 'Otomasi alur kerja.',
			longDescription: 'Connects your apps.',
			firstRunSteps: ['Buka aplikasinya.', 'Buat akun pemilik.']
		});
		expect(serviceTexts(service, 'en')).toEqual({
			description: 'Workflow automation.',
			longDescription: 'Connects your apps.',
			firstRunSteps: ['Open the app.', 'Create the owner account.']
		});
	});

	it('take an empty or blank translation, or an empty list, as none', () => {
		expect(localized({ a: 'A', b: ['B'] }, { id: { a: '  ', b: [] } }, 'id')).toEqual({ a: 'A', b: ['B'] });
		expect(categoryTexts({ name: 'Security', description: null, translations: { id: { name: '' } } }, 'id')).toEqual({
			name: 'Security',
			description: null
		});
		expect(planTexts({ description: 'For teams.', features: ['Priority support'], translations: {} }, 'id')).toEqual({
			description: 'For teams.',
			features: ['Priority support']
		});
		expect(
			categoryTexts({ name: 'Security', description: null, translations: { id: { description: 'Keamanan data.' } } }, 'id')
		).toEqual({
			name: 'Security',
			description: 'Keamanan data.'
		});
	});

	it('give an environment variable’s description in the language, else its own', () => {
		expect(environmentText(service, { name: 'TZ', description: 'Time zone of the app.' }, 'id')).toBe('Zona waktu aplikasi.');
		expect(environmentText(service, { name: 'TZ', description: 'Time zone of the app.' }, 'en')).toBe('Time zone of the app.');
		expect(environmentText(service, { name: 'PORT', description: 'Port.' }, 'id')).toBe('Port.');
		expect(environmentText(service, { name: 'PORT' }, 'id')).toBeNull();
	});
});
