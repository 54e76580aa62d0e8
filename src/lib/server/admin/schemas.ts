// What the admin procedures take: customers and the operations view.
import { z } from 'zod';
import { INSTANCE_STATUSES, ROLES } from '$lib/statuses';
import { idSchema, reasonSchema, rupiahSchema } from '../validation';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';

export const CUSTOMER_FILTERS = ['live', 'past_due', 'blocked'] as const;
export const CUSTOMER_SORTS = ['created', 'name', 'email', 'balance', 'live', 'spend'] as const;

export const customerListInput = z
	.object({
		q: z.string().trim().max(100, says(m.srv_search_max)).optional(),
		filter: z.enum(CUSTOMER_FILTERS).optional(),
		role: z.enum(ROLES).optional(),
		balanceAbove: rupiahSchema.min(0, says(m.srv2_zero_or_more)).optional(),
		balanceBelow: rupiahSchema.min(0, says(m.srv2_zero_or_more)).optional(),
		sort: z.enum(CUSTOMER_SORTS).default('created'),
		order: z.enum(['asc', 'desc']).default('desc'),
		page: z.number().int().min(1).max(100_000).default(1),
		pageSize: z.number().int().min(1).max(100).default(25)
	})
	.refine(
		(input) => input.balanceAbove === undefined || input.balanceBelow === undefined || input.balanceAbove <= input.balanceBelow,
		{
			path: ['balanceBelow'],
			...says(m.txt11a_balance_range_reversed)
		}
	)
	.default({ sort: 'created', order: 'desc', page: 1, pageSize: 25 });

export type CustomerListInput = z.output<typeof customerListInput>;

export const customerGetInput = z.object({
	userId: idSchema,
	ledgerPage: z.number().int().min(1).max(100_000).default(1)
});

export const blockInput = z.object({ userId: idSchema, reason: reasonSchema });
export const unblockInput = z.object({ userId: idSchema, reason: reasonSchema });
export const setRoleInput = z.object({ userId: idSchema, role: z.enum(ROLES, says(m.srv2_choose_role)), reason: reasonSchema });

// -- Operations ------------------------------------------------------------------------------

const page = z.number().int().min(1).max(100_000).default(1);
const dateSchema = z.iso.date(says(m.srv_date_format));

export const APP_FILTERS = ['error', 'unhealthy', 'stuck'] as const;

export const appsInput = z
	.object({
		filter: z.enum(APP_FILTERS).optional(),
		status: z.enum(INSTANCE_STATUSES).optional(),
		/** With `stuck`: set-ups pending or provisioning longer than this. */
		minutes: z.number().int().min(1).max(10_080).default(10),
		q: z.string().trim().max(100).optional(),
		page
	})
	.default({ minutes: 10, page: 1 });

export const failedJobsInput = z.object({ queue: z.string().trim().max(100).optional(), page }).default({ page: 1 });
export const retryJobInput = z.object({ queue: z.string().trim().min(1).max(100), id: idSchema });

export const webhookLogInput = z
	.object({
		outcome: z.string().trim().max(40).optional(),
		orderId: z.string().trim().max(60).optional(),
		page
	})
	.default({ page: 1 });

export const auditLogInput = z
	.object({
		/** Name or e-mail of the actor. */
		actor: z.string().trim().max(100).optional(),
		/** An action or the start of one (`user.` finds every account action). */
		action: z.string().trim().max(100).optional(),
		entityType: z.string().trim().max(60).optional(),
		entityId: z.string().trim().max(100).optional(),
		from: dateSchema.optional(),
		to: dateSchema.optional(),
		page
	})
	.refine((input) => !input.from || !input.to || input.from <= input.to, {
		path: ['to'],
		...says(m.srv_end_before_start)
	})
	.default({ page: 1 });

export type AppsInput = z.output<typeof appsInput>;
export type AuditLogInput = z.output<typeof auditLogInput>;
export type WebhookLogInput = z.output<typeof webhookLogInput>;
