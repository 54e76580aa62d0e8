import { z } from 'zod';

export const emailSchema = z.email('Enter a valid email address').max(254).trim();

export const registerInput = z.object({
	name: z.string().trim().min(1, 'Enter your name').max(100),
	email: emailSchema,
	password: z.string().min(8, 'Use at least 8 characters').max(200)
});

export const loginInput = z.object({
	email: emailSchema,
	password: z.string().min(1, 'Enter your password').max(200)
});

export const changePasswordInput = z
	.object({
		currentPassword: z.string().min(1, 'Enter your current password').max(200),
		newPassword: z.string().min(8, 'Use at least 8 characters').max(200)
	})
	.refine((input) => input.newPassword !== input.currentPassword, {
		path: ['newPassword'],
		message: 'Choose a password other than your current one'
	});

export const nameSchema = z.string().trim().min(1, 'Enter your name').max(100);
/** A link's token: 32 base32 characters (generateSessionToken). */
export const tokenSchema = z.string().min(1, 'This link is incomplete').max(100);

export const changeNameInput = z.object({ name: nameSchema });
export const changeEmailInput = z.object({
	email: emailSchema,
	currentPassword: z.string().min(1, 'Enter your current password').max(200)
});
export const requestPasswordResetInput = z.object({ email: emailSchema });
export const resetPasswordInput = z.object({
	token: tokenSchema,
	password: z.string().min(8, 'Use at least 8 characters').max(200)
});
export const confirmEmailInput = z.object({ token: tokenSchema });
