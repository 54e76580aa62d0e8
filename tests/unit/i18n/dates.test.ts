import { describe, expect, it } from 'vitest';
import { axisTimeFormat, formatDate, formatDateTime, formatPeriod, formatTime } from '../../../src/lib/format';

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

	it('labels a chart axis without two ticks alike, with seconds while the data spans minutes', () => {
		// The tick step d3 (layerchart's scale) takes for `count` ticks over `span`: the one of its
		// steps nearest span / count by ratio (d3-time's tickInterval).
		const steps = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600].map((s) => s * 1000);
		const d3Step = (span: number, count: number) => {
			const target = span / count;
			const i = steps.findIndex((step) => step > target);
			if (i <= 0) return steps[i === 0 ? 0 : steps.length - 1];
			return target / steps[i - 1] < steps[i] / target ? steps[i - 1] : steps[i];
		};
		// An app started a minute to three minutes ago, up to a day of data; 5 to 20 ticks (the
		// chart's width over layerchart's spacing).
		const start = new Date('2026-11-27T20:23:07Z').getTime();
		for (const minutes of [1, 2, 3, 10, 19, 20, 45, 60 * 24]) {
			const span = minutes * 60_000;
			for (const count of [5, 10, 12, 20]) {
				const step = d3Step(span, count);
				const ticks: Date[] = [];
				for (let at = Math.ceil(start / step) * step; at <= start + span; at += step) ticks.push(new Date(at));
				const labels = ticks.map(axisTimeFormat(span, 'id'));
				expect(
					labels.filter((label, i) => label === labels[i - 1]),
					`${minutes} min, ${count} ticks`
				).toEqual([]);
			}
		}
		expect(axisTimeFormat(3 * 60_000, 'id')(new Date('2026-11-27T20:23:15Z'))).toBe('03.23.15');
		expect(axisTimeFormat(3 * 60_000, 'en')(new Date('2026-11-27T20:23:15Z'))).toBe('03:23:15');
		expect(axisTimeFormat(24 * 3_600_000, 'id')(new Date('2026-11-27T20:23:15Z'))).toBe('03.23');
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
