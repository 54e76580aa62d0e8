import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';
import { subscriptionStatusEnum } from '../db/schema';
import { idSchema, reasonSchema, wholeNumberSchema } from '../validation';

export { idSchema };

export const instanceNameSchema = z
	.string()
	.trim()
	.min(1, says(m.srv_app_name_required))
	.max(50, says(m.srv_app_name_max))
	.regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, says(m.srv_app_name_chars));

export const subscribeInput = z.object({ planId: idSchema, name: instanceNameSchema.optional() });
export const subscriptionIdInput = z.object({ id: idSchema });
export const changePlanInput = z.object({ id: idSchema, planId: idSchema });
export const cancelInput = z.object({ id: idSchema, when: z.enum(['period_end', 'now']).default('period_end') });
export const autoRenewInput = z.object({ id: idSchema, autoRenew: z.boolean() });

export const adminListInput = z
	.object({
		status: z.enum(subscriptionStatusEnum.enumValues).optional(),
		serviceId: idSchema.optional(),
		planId: idSchema.optional(),
		q: z.string().trim().max(100).optional(),
		page: z.number().int().min(1).default(1),
		pageSize: z.number().int().min(1).max(100).default(25)
	})
	.default({ page: 1, pageSize: 25 });

export const grantInput = z.object({
	userId: idSchema,
	planId: idSchema,
	months: wholeNumberSchema(1, 36, says(m.txt11a_months_range, { max: 36 })).default(1),
	name: instanceNameSchema.optional()
});
export const extendInput = z.object({
	id: idSchema,
	days: wholeNumberSchema(1, 366, says(m.txt11a_days_range, { min: 1, max: 366 })),
	reason: reasonSchema
});
export const suspendInput = z.object({ id: idSchema, reason: reasonSchema });
export const adminTerminateInput = z.object({ id: idSchema, refund: z.boolean(), reason: reasonSchema });
export const extendGraceInput = z.object({
	id: idSchema,
	days: wholeNumberSchema(1, 60, says(m.txt11a_days_range, { min: 1, max: 60 })),
	reason: reasonSchema
});
export const waiveRenewalInput = z.object({ id: idSchema, reason: reasonSchema });
export const advanceClockInput = z.object({
	days: z.number().int(says(m.srv2_whole_days)).min(0, says(m.srv2_clock_forward)).max(366, says(m.srv2_days_max))
});
export const setQuotaInput = z.object({
	planId: idSchema,
	totalQuota: wholeNumberSchema(0, 100_000, says(m.txt11a_slots_range, { max: 100_000 }))
});
