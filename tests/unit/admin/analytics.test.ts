import { describe, expect, it } from 'vitest';
import { daysIn, defaultGranularity, presetRange, todayInWib } from '../../../src/lib/analytics';
import { rangeInput, toRange } from '../../../src/lib/server/admin/analytics/range';
import { csvField, csvLine } from '../../../src/lib/server/admin/analytics/csv';
import { reportSchema, toReportRows } from '../../../src/lib/server/admin/analytics/views';

describe('date ranges', () => {
	// 16:30 UTC on 31 March is already 1 April in Jakarta.
	const now = new Date('2026-03-31T17:30:00Z');

	it('reads days in WIB', () => {
		expect(todayInWib(now)).toBe('2026-04-01');
		expect(presetRange('month', now)).toEqual({ from: '2026-04-01', to: '2026-04-01' });
		expect(presetRange('30d', now)).toEqual({ from: '2026-03-03', to: '2026-04-01' });
		expect(presetRange('90d', now)).toEqual({ from: '2026-01-02', to: '2026-04-01' });
		expect(presetRange('year', now)).toEqual({ from: '2026-01-01', to: '2026-04-01' });
		expect(daysIn('2026-01-02', '2026-04-01')).toBe(90);
	});

	it('spans whole WIB days, grouped by day up to a quarter and by month beyond', () => {
		const range = toRange(rangeInput.parse({ from: '2026-01-01', to: '2026-01-31' }));
		expect(range.start.toISOString()).toBe('2025-12-31T17:00:00.000Z');
		expect(range.end.toISOString()).toBe('2026-01-31T17:00:00.000Z');
		expect(range.unit).toBe('day');
		expect(defaultGranularity('2026-01-01', '2026-12-31')).toBe('month');
	});

	it('refuses a range that ends before it starts or is longer than two years', () => {
		expect(rangeInput.safeParse({ from: '2026-02-01', to: '2026-01-01' }).error?.issues[0]).toMatchObject({ path: ['to'] });
		expect(rangeInput.safeParse({ from: '2020-01-01', to: '2026-01-01' }).error?.issues[0]).toMatchObject({ path: ['from'] });
	});
});

describe('CSV', () => {
	it('quotes only what needs quoting, and ends lines with CRLF', () => {
		expect(csvLine(['2026-01-01', 'Gitea, Pro', 'say "hi"', null, 42])).toBe('2026-01-01,"Gitea, Pro","say ""hi""",,42\r\n');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
	});
});

describe('report views', () => {
	it('keep exactly the report columns, in order, a missing one as null', () => {
		const rows = [{ period: '2026-01-01', mrr: '1000', extra: 'leaked', new: 5 }];
		const view = toReportRows(rows, ['period', 'mrr', 'new', 'churn']);
		expect(view).toEqual([{ period: '2026-01-01', mrr: '1000', new: 5, churn: null }]);
		expect(Object.keys(view[0])).toEqual(['period', 'mrr', 'new', 'churn']);
		expect(reportSchema.parse({ name: 'mrr', columns: ['period'], rows: view }).rows[0]).not.toHaveProperty('extra');
	});

	it('refuse a report name the dashboard does not know', () => {
		expect(reportSchema.safeParse({ name: 'passwords', columns: [], rows: [] }).success).toBe(false);
	});
});
