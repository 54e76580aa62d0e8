import { z } from 'zod';

export const slugSchema = z
	.string()
	.trim()
	.min(1)
	.max(100)
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lowercase letters, digits and dashes');

export const servicesInput = z
	.object({
		categorySlug: slugSchema.optional(),
		q: z.string().trim().max(100).optional(),
		featured: z.boolean().optional()
	})
	.optional();
