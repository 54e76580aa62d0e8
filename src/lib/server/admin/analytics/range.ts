// A report's date range: calendar days in WIB, inclusive, as the instants they span.
import { z } from 'zod';
import { MAX_RANGE_DAYS, daysIn, defaultGranularity } from '$lib/analytics';
import { m } from '$lib/paraglide/messages';
import { says } from '../../sentences';

const dateSchema = z.iso.date(says(m.srv_date_format));

export const rangeInput = z
	.object({ from: dateSchema, to: dateSchema, by: z.enum(['day', 'month']).optional() })
	.refine((range) => range.from <= range.to, { path: ['to'], ...says(m.srv_end_before_start) })
	.refine((range) => daysIn(range.from, range.to) <= MAX_RANGE_DAYS, {
		path: ['from'],
		...says(m.srv2_at_most_days, { max: MAX_RANGE_DAYS })
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
