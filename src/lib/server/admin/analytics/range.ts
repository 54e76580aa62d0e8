// A report's date range: calendar days in WIB, inclusive, as the instants they span.
import { z } from 'zod';
import { MAX_RANGE_DAYS, daysIn, defaultGranularity } from '$lib/analytics';

const dateSchema = z.iso.date('Use a date like 2025-01-31');

export const rangeInput = z
	.object({ from: dateSchema, to: dateSchema, by: z.enum(['day', 'month']).optional() })
	.refine((range) => range.from <= range.to, { path: ['to'], message: 'The end date is before the start date' })
	.refine((range) => daysIn(range.from, range.to) <= MAX_RANGE_DAYS, {
		path: ['from'],
		message: `Choose at most ${MAX_RANGE_DAYS} days`
	});

export type RangeInput = z.output<typeof rangeInput>;

export type Range = {
	from: string;
	to: string;
	/** The first instant of `from` in WIB. */
	start: Date;
	/** The first instant after `to` in WIB. */
	end: Date;
	/** The unit rows are grouped by. */
	unit: 'day' | 'month';
};

const WIB_OFFSET = '+07:00';

export function toRange(input: RangeInput): Range {
	const end = new Date(`${input.to}T00:00:00${WIB_OFFSET}`);
	end.setUTCDate(end.getUTCDate() + 1);
	return {
		from: input.from,
		to: input.to,
		start: new Date(`${input.from}T00:00:00${WIB_OFFSET}`),
		end,
		unit: input.by ?? defaultGranularity(input.from, input.to)
	};
}
