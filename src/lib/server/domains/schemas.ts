import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';

export const addDomainInput = z.object({
	instanceId: z.uuid(),
	/** Checked and normalised by the service (normalizeHostname), which names the field in its errors. */
	hostname: z.string().max(300, says(m.srv2_domain_max))
});

export const domainIdInput = z.object({ id: z.uuid() });
export const instanceDomainsInput = z.object({ instanceId: z.uuid() });
