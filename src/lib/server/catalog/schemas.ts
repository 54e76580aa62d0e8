import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';

export const slugSchema = z
	.string()
	.trim()
	.min(1, says(m.txt8_slug_required))
	.max(100, says(m.txt8_slug_too_long))
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, says(m.srv2_slug_chars));

export const servicesInput = z
	.object({
		categorySlug: slugSchema.optional(),
		q: z.string().trim().max(100).optional(),
		featured: z.boolean().optional()
	})
	.optional();
