import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';

export const emailSchema = z.email(says(m.srv_email_invalid)).max(254).trim();

export const registerInput = z.object({
	name: z.string().trim().min(1, says(m.srv_enter_name)).max(100, says(m.txt11a_name_max)),
	email: emailSchema,
	password: z.string().min(8, says(m.srv_password_min)).max(200)
});

export const loginInput = z.object({
	email: emailSchema,
	password: z.string().min(1, says(m.srv_enter_password)).max(200)
});

export const changePasswordInput = z
	.object({
		currentPassword: z.string().min(1, says(m.srv_enter_current_password)).max(200),
		newPassword: z.string().min(8, says(m.srv_password_min)).max(200)
	})
	.refine((input) => input.newPassword !== input.currentPassword, {
		path: ['newPassword'],
		...says(m.srv_password_not_current)
	});

export const nameSchema = z.string().trim().min(1, says(m.srv_enter_name)).max(100, says(m.txt11a_name_max));
/** A link's token: 32 base32 characters (generateSessionToken). */
export const tokenSchema = z.string().min(1, says(m.srv_link_incomplete)).max(100);

export const changeNameInput = z.object({ name: nameSchema });
export const changeEmailInput = z.object({
	email: emailSchema,
	currentPassword: z.string().min(1, says(m.srv_enter_current_password)).max(200)
});
export const requestPasswordResetInput = z.object({ email: emailSchema });
export const resetPasswordInput = z.object({
	token: tokenSchema,
	password: z.string().min(8, says(m.srv_password_min)).max(200)
});
export const confirmEmailInput = z.object({ token: tokenSchema });
export const resetLinkInput = z.object({ token: tokenSchema });
