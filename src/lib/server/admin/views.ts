// What the admin panel's own procedures return: built here only, never a raw users row.
import { z } from 'zod';
import { ROLES } from '$lib/statuses';
import type { User } from '../db/schema';

export const overviewSchema = z.object({
	customers: z.number(),
	/** Apps customers see in the catalog. */
	services: z.number(),
	/** Apps they do not: retired, private, or in a hidden category. */
	unlistedServices: z.number(),
	liveSubscriptions: z.number(),
	creditHeld: z.number()
});

export const customerSummarySchema = z.object({
	id: z.string(),
	name: z.string(),
	email: z.string(),
	role: z.enum(ROLES),
	creditBalance: z.number(),
	totalTopUp: z.number(),
	totalSpent: z.number()
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export function toCustomerSummary(
	user: Pick<User, 'id' | 'name' | 'email' | 'role' | 'creditBalance' | 'totalTopUp' | 'totalSpent'>
): CustomerSummary {
	return {
		id: user.id,
		name: user.name,
		email: user.email,
		role: user.role,
		creditBalance: user.creditBalance,
		totalTopUp: user.totalTopUp,
		totalSpent: user.totalSpent
	};
}
