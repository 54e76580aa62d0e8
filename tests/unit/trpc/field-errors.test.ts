import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrorsOf } from '../../../src/lib/server/trpc/init';

describe('field errors', () => {
	it('names each failed check by the whole path of its field, so a form can show it beside that input', () => {
		const input = z.object({
			id: z.string(),
			plan: z.object({ name: z.string().min(1, 'Enter a name'), features: z.array(z.string().max(3, 'Too long')) })
		});
		const result = input.safeParse({ plan: { name: '', features: ['ok', 'far too long'] } });
		expect(fieldErrorsOf(result.error!)).toEqual({
			id: [expect.any(String)],
			'plan.name': ['Enter a name'],
			'plan.features.1': ['Too long']
		});
	});
});
