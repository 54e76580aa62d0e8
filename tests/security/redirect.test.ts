// Item 4 of the hardening issue: `/login?redirectTo=%2F%09%2Fevil.example` sent a logged-in
// browser to a path it opens as http://evil.example/ (browsers drop tabs and line breaks from
// URLs), and `%0A` gave a 500 (a line break in the Location header).
import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from '../../src/lib/redirect';

describe('the target after login', () => {
	it('is followed when it is a path on this site', () => {
		expect(safeRedirectTarget('/wallet')).toBe('/wallet');
		expect(safeRedirectTarget('/instances/abc?tab=logs#top')).toBe('/instances/abc?tab=logs#top');
		expect(safeRedirectTarget('/catalog?q=a%2Fb')).toBe('/catalog?q=a%2Fb');
	});

	it('is replaced by the catalog when a browser could read it as another site, or it is no valid path', () => {
		const attacks = [
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r/evil.example',
			'//evil.example',
			'/\\evil.example',
			'\\/evil.example',
			'/ /evil.example',
			'https://evil.example/',
			'http:evil.example',
			'javascript:alert(1)',
			'/\u0000/evil.example',
			'/\u3000/evil.example',
			'',
			null,
			undefined,
			'wallet'
		];
		for (const attack of attacks) expect(safeRedirectTarget(attack), JSON.stringify(attack)).toBe('/catalog');
	});
});
