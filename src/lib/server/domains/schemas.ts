import { z } from 'zod';

export const addDomainInput = z.object({
	instanceId: z.uuid(),
	/** Checked and normalised by the service (normalizeHostname), which names the field in its errors. */
	hostname: z.string().max(300, 'A domain name has at most 253 characters')
});

export const domainIdInput = z.object({ id: z.uuid() });
export const instanceDomainsInput = z.object({ instanceId: z.uuid() });
