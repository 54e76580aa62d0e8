import { describe, expect, it } from 'vitest';
import { endedAt } from '../../../src/lib/server/subscriptions/status';

const periodEnd = new Date('2026-11-27T10:00:00Z');
const earlier = new Date('2026-11-20T10:00:00Z');
const later = new Date('2026-12-04T10:00:00Z');

describe('when a subscription ended', () => {
	it('is nothing while it is live, even when it is set to end', () => {
		for (const status of ['ACTIVE', 'PAST_DUE', 'SUSPENDED', 'PENDING_UPGRADE', 'PENDING_PAYMENT'] as const) {
			expect(endedAt({ status, endDate: periodEnd, cancelledAt: earlier })).toBeNull();
		}
	});

	it('is the end of its period when it expired after being cancelled at the period’s end', () => {
		expect(endedAt({ status: 'EXPIRED', endDate: periodEnd, cancelledAt: earlier })).toEqual(periodEnd);
	});

	it('is the moment it was terminated (its end date moved there)', () => {
		expect(endedAt({ status: 'CANCELLED', endDate: earlier, cancelledAt: earlier })).toEqual(earlier);
	});

	it('is its deletion when that came after the unpaid period’s end', () => {
		expect(endedAt({ status: 'EXPIRED', endDate: periodEnd, cancelledAt: later })).toEqual(later);
	});

	it('is the period’s end when no cancellation was recorded', () => {
		expect(endedAt({ status: 'EXPIRED', endDate: periodEnd, cancelledAt: null })).toEqual(periodEnd);
	});
});
