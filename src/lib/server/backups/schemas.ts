import { z } from 'zod';

export const instanceBackupsInput = z.object({ instanceId: z.string().uuid() });
export const restoreBackupInput = z.object({ backupId: z.string().uuid() });
export const restoreInput = z.object({ restoreId: z.string().uuid() });
