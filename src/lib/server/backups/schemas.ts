import { z } from 'zod';

export const instanceBackupsInput = z.object({ instanceId: z.string().uuid() });
