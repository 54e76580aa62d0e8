import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';

export const instanceBackupsInput = z.object({ instanceId: z.string().uuid() });
export const restoreBackupInput = z.object({ backupId: z.string().uuid() });
export const restoreInput = z.object({ restoreId: z.string().uuid() });

/** An administrator's restore of a terminated app: the reason goes into the audit log. */
export const restoreTerminatedInput = z.object({
	subscriptionId: z.string().uuid(),
	reason: z.string().trim().min(5, says(m.rst2_reason_required)).max(500)
});
export const restorableTerminationsInput = z.object({ userId: z.string().uuid().optional() });
