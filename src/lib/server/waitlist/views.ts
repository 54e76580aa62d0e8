// What customers see of their waitlist entries: built here only, never a raw row.
import { z } from 'zod';
import type { Service, ServicePlan } from '../db/schema';
import type { waitlistEntries } from '../db/schema';
import { PLAN_TYPES, WAITLIST_STATUSES } from '$lib/statuses';

type WaitlistEntry = typeof waitlistEntries.$inferSelect;

export const waitlistEntryViewSchema = z.object({
	id: z.string(),
	planId: z.string(),
	status: z.enum(WAITLIST_STATUSES),
	notifiedAt: z.date().nullable(),
	offerExpiresAt: z.date().nullable(),
	createdAt: z.date()
});
export type WaitlistEntryView = z.infer<typeof waitlistEntryViewSchema>;

export function toWaitlistEntryView(entry: WaitlistEntry): WaitlistEntryView {
	return {
		id: entry.id,
		planId: entry.planId,
		status: entry.status,
		notifiedAt: entry.notifiedAt,
		offerExpiresAt: entry.offerExpiresAt,
		createdAt: entry.createdAt
	};
}

export const waitlistItemSchema = waitlistEntryViewSchema.extend({
	/** Place in line (1 = next); 0 once a slot has been offered. */
	position: z.number(),
	plan: z.object({ id: z.string(), name: z.string(), planType: z.enum(PLAN_TYPES), monthlyPrice: z.number() }),
	service: z.object({ slug: z.string(), name: z.string() })
});
export type WaitlistItem = z.infer<typeof waitlistItemSchema>;

export function toWaitlistItem(
	entry: WaitlistEntry,
	position: number,
	plan: Pick<ServicePlan, 'id' | 'name' | 'planType' | 'monthlyPrice'>,
	service: Pick<Service, 'slug' | 'name'>
): WaitlistItem {
	return {
		...toWaitlistEntryView(entry),
		position,
		plan: { id: plan.id, name: plan.name, planType: plan.planType, monthlyPrice: plan.monthlyPrice },
		service: { slug: service.slug, name: service.name }
	};
}
