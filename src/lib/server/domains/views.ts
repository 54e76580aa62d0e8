// What procedures return about custom domains: built here only, with the DNS records the
// owner must create, never a raw row.
import { z } from 'zod';
import { CUSTOM_DOMAIN_STATUSES } from '$lib/statuses';
import type { CustomDomain } from '../db/schema';
import { requiredRecords, unicodeHostname } from './rules';
import { domainReasonFor } from './reasons';
import { sentenceLocale } from '../sentences';

export const dnsRecordSchema = z.object({
	type: z.enum(['TXT', 'CNAME', 'A']),
	/** As it must be typed at the DNS provider (ASCII, punycode for an international name). */
	name: z.string(),
	/** The same name as a person writes it, when it has international letters. */
	unicodeName: z.string().nullable(),
	value: z.string(),
	purpose: z.string()
});

export const customDomainViewSchema = z.object({
	id: z.string(),
	instanceId: z.string(),
	/** The name in ASCII, as DNS and certificates carry it (`blog.xn--bcher-kva.de`). */
	hostname: z.string(),
	/** The name as a person writes it (`blog.bücher.de`), when it differs from `hostname`. */
	unicodeHostname: z.string().nullable(),
	status: z.enum(CUSTOM_DOMAIN_STATUSES),
	statusReason: z.string().nullable(),
	records: z.array(dnsRecordSchema),
	checkAttempts: z.number(),
	lastCheckedAt: z.date().nullable(),
	checkUntil: z.date(),
	activeAt: z.date().nullable(),
	createdAt: z.date(),
	url: z.string().nullable()
});
export type CustomDomainView = z.infer<typeof customDomainViewSchema>;

/** A name that could be added now (domains.check), as it would be stored and as a person writes it. */
export const checkedDomainSchema = customDomainViewSchema.pick({ hostname: true, unicodeHostname: true });

export const customDomainListSchema = z.object({
	/** How many custom domains the app's plan allows. */
	allowed: z.number(),
	domains: z.array(customDomainViewSchema)
});

export const removedDomainSchema = z.object({ id: z.string(), hostname: z.string() });

/** Where the domain must point: the app's own address, or for an apex domain the ingress address. */
export type DomainTarget = { appHost: string; ingressIp?: string };

export function toCustomDomainView(domain: CustomDomain, target: DomainTarget): CustomDomainView {
	return {
		id: domain.id,
		instanceId: domain.instanceId,
		hostname: domain.hostname,
		unicodeHostname: unicodeHostname(domain.hostname),
		status: domain.status,
		statusReason: domainReasonFor(domain, sentenceLocale()),
		records: requiredRecords(domain, target).map((record) => ({ ...record, unicodeName: unicodeHostname(record.name) })),
		checkAttempts: domain.checkAttempts,
		lastCheckedAt: domain.lastCheckedAt,
		checkUntil: domain.checkUntil,
		activeAt: domain.activeAt,
		createdAt: domain.createdAt,
		url: domain.status === 'ACTIVE' ? `https://${domain.hostname}` : null
	};
}
