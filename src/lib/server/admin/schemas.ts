// What the admin procedures take: customers.
import { z } from 'zod';
import { ROLES } from '$lib/statuses';
import { idSchema, reasonSchema, rupiahSchema } from '../validation';

export const CUSTOMER_FILTERS = ['live', 'past_due', 'blocked'] as const;
export const CUSTOMER_SORTS = ['created', 'name', 'email', 'balance', 'live', 'spend'] as const;

export const customerListInput = z
	.object({
		q: z.string().trim().max(100, 'Keep the search under 100 characters').optional(),
		filter: z.enum(CUSTOMER_FILTERS).optional(),
		role: z.enum(ROLES).optional(),
		balanceAbove: rupiahSchema.min(0, 'Use zero or more').optional(),
		balanceBelow: rupiahSchema.min(0, 'Use zero or more').optional(),
		sort: z.enum(CUSTOMER_SORTS).default('created'),
		order: z.enum(['asc', 'desc']).default('desc'),
		page: z.number().int().min(1).max(100_000).default(1),
		pageSize: z.number().int().min(1).max(100).default(25)
	})
	.default({ sort: 'created', order: 'desc', page: 1, pageSize: 25 });

export type CustomerListInput = z.output<typeof customerListInput>;

export const customerGetInput = z.object({
	userId: idSchema,
	ledgerPage: z.number().int().min(1).max(100_000).default(1)
});

export const blockInput = z.object({ userId: idSchema, reason: reasonSchema });
export const unblockInput = z.object({ userId: idSchema, reason: reasonSchema });
export const setRoleInput = z.object({ userId: idSchema, role: z.enum(ROLES, { error: 'Choose a role' }), reason: reasonSchema });
