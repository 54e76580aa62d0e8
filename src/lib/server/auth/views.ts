// What an account sees of itself: built here only, never the users row (its password hash
// and balances stay on the server).
import { z } from 'zod';
import { ROLES } from '$lib/statuses';
import type { SessionUser } from './sessions';

export const accountViewSchema = z.object({
	id: z.string(),
	name: z.string(),
	email: z.string(),
	role: z.enum(ROLES),
	isActive: z.boolean()
});
export type AccountView = z.infer<typeof accountViewSchema>;

export function toAccountView(user: SessionUser): AccountView {
	return { id: user.id, name: user.name, email: user.email, role: user.role, isActive: user.isActive };
}
