// The service editor keeps a variable's Indonesian description on its row: renamed, the
// variable keeps it, and it is saved under the new name.
import { describe, expect, it } from 'vitest';
import { descriptionsByName, rowDescriptions } from '../../../src/lib/components/admin/env-descriptions';

describe('a variable’s Indonesian description in the service editor', () => {
	it('starts on the row of the variable it describes', () => {
		const rows = [{ name: 'APP_URL' }, { name: 'ADMIN_TOKEN' }];
		expect(rowDescriptions(rows, { ADMIN_TOKEN: 'Token admin' })).toEqual(['', 'Token admin']);
		expect(rowDescriptions(rows, undefined)).toEqual(['', '']);
	});

	it('is saved under the name the row has now, a renamed variable keeping its description', () => {
		const descriptions = rowDescriptions([{ name: 'APP_URL' }, { name: 'ADMIN_TOKEN' }], { ADMIN_TOKEN: 'Token admin' });
		const renamed = [{ name: 'APP_URL' }, { name: 'ROOT_TOKEN' }];
		expect(descriptionsByName(renamed, descriptions)).toEqual({ APP_URL: null, ROOT_TOKEN: 'Token admin' });
	});

	it('leaves out a row without a name yet', () => {
		expect(descriptionsByName([{ name: '' }, { name: 'PORT' }], ['Tanpa nama', 'Port'])).toEqual({ PORT: 'Port' });
	});
});
