import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatPeriod, formatTime } from '../../../src/lib/format';

describe('dates in WIB', () => {
	// 07:05 UTC is 14:05 in Jakarta (UTC+7).
	const afternoon = new Date('2026-11-25T07:05:00Z');

	it('writes one format in both languages, with WIB', () => {
		expect(formatDateTime(afternoon, 'id')).toBe('25 Nov 2026 14.05 WIB');
		expect(formatDateTime(afternoon, 'en')).toBe('25 Nov 2026 14:05 WIB');
	});

	it('writes a time alone (a chart axis) in WIB and 24-hour, whatever the browser says', () => {
		expect(formatTime(new Date('2026-11-27T09:37:00Z'), 'id')).toBe('16.37');
		expect(formatTime(new Date('2026-11-27T09:37:00Z'), 'en')).toBe('16:37');
		expect(formatTime(new Date('2026-11-27T17:05:00Z'), 'en')).toBe('00:05');
	});

	it('names the months in the language', () => {
		expect(formatDate(new Date('2026-08-10T03:00:00Z'), 'id')).toBe('10 Agu 2026');
		expect(formatDate(new Date('2026-08-10T03:00:00Z'), 'en')).toBe('10 Aug 2026');
		expect(formatDate(new Date('2026-05-01T03:00:00Z'), 'id')).toBe('1 Mei 2026');
	});

	it('counts the day in Jakarta, not in UTC', () => {
		// 18:30 UTC on 31 December is already 1 January in Jakarta.
		expect(formatDateTime(new Date('2026-12-31T18:30:00Z'), 'en')).toBe('1 Jan 2027 01:30 WIB');
	});

	it('defaults to Indonesian outside a request', () => {
		expect(formatDateTime(afternoon)).toBe('25 Nov 2026 14.05 WIB');
		expect(formatPeriod(new Date('2026-04-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'))).toBe('1 Apr 2026 – 1 Mei 2026');
	});
});
