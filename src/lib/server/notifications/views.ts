// What notification procedures return besides the notifications themselves.
import { z } from 'zod';

export const mailSettingsView = z.object({
	/** Receipts, notices and other mails that are not reminders of money owed. */
	optionalMails: z.boolean()
});

export const toMailSettingsView = (settings: { optionalMails: boolean }): z.infer<typeof mailSettingsView> => ({
	optionalMails: settings.optionalMails
});
