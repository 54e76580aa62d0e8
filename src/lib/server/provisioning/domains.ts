// Custom domains on the cluster. The check job looks at a domain's DNS records (right away,
// then every few minutes for 72 hours); once both are right the domain joins the app's
// Ingress with a TLS entry of its own, and it is ACTIVE when cert-manager has written that
// entry's Secret. Removal, suspension, termination and a smaller plan take the domain's rule
// off the Ingress and delete its certificate Secret (cert-manager leaves Secrets behind:
// https://cert-manager.io/docs/usage/certificate/#cleaning-up-secrets-when-certificates-are-deleted).
import type { V1Ingress, V1Secret } from '@kubernetes/client-node';
import { and, eq, inArray } from 'drizzle-orm';
import { customDomains, type CustomDomain, type CustomDomainStatus } from '../db/schema';
import { checkDnsRecords } from '../domains/dns';
import { domainReason, domainStatusReason, renderDomainReason, type DomainReason } from '../domains/reasons';
import {
	CERTIFICATE_LOOK_MS,
	CERTIFICATE_WINDOW_MS,
	CHECK_INTERVAL_MS,
	CHECK_WINDOW_MS,
	domainsOverAllowance,
	requiredRecords,
	unicodeHostname
} from '../domains/rules';
import { ROUTED, UNROUTED, domainAllowance, domainTarget, domainsOf, routedHostnames } from '../domains/service';
import { customDomainTlsSecret } from '../kube/names';
import { notify } from '../notifications/service';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import type { DbOrTx } from '../db/client';
import { loadInstance, type LoadedInstance } from './job-data';
import { manifestsFor, namesOf } from './objects';
import { asDomainReason } from '../notifications/texts';

/**
 * Brings the app's Ingress in line with its routed domains. Only an Ingress that exists is
 * replaced: before the app's first set-up (or after its removal) there is none, and
 * provisioning applies the domains with the rest of the app's objects.
 */
async function applyRouting(runtime: Runtime, loaded: LoadedInstance): Promise<boolean> {
	if (UNROUTED.includes(loaded.instance.status) && loaded.instance.status !== 'SUSPENDED') return false;
	const names = namesOf(loaded.instance);
	if (!(await runtime.cluster.read<V1Ingress>('Ingress', names.namespace, names.ingress))) return false;
	const manifests = await manifestsFor(runtime, loaded, loaded.plan);
	await runtime.cluster.apply<V1Ingress>(manifests.ingress);
	return true;
}

const lookAgain = (runtime: Runtime, domainId: string, afterMs: number) =>
	enqueue(runtime.boss, 'custom-domain-check', { domainId }, { startAfter: new Date(Date.now() + afterMs) });

/** Sets the domain's fields if it is still in `from` (a removal or another job may have gone first). */
async function moveDomain(db: DbOrTx, domain: CustomDomain, from: CustomDomainStatus, set: Partial<CustomDomain>) {
	const [row] = await db
		.update(customDomains)
		.set(set)
		.where(and(eq(customDomains.id, domain.id), eq(customDomains.status, from)))
		.returning();
	return row;
}

/** One look at a domain: its DNS records while PENDING_DNS, its certificate while ISSUING_CERTIFICATE. */
export async function checkCustomDomain(runtime: Runtime, domainId: string, now = new Date()) {
	const [domain] = await runtime.db.select().from(customDomains).where(eq(customDomains.id, domainId));
	if (!domain) return { outcome: 'missing' as const };
	const loaded = await loadInstance(runtime.db, domain.instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	// Suspended or going: looked at again when the app is back (resumeDomains).
	if (UNROUTED.includes(loaded.instance.status)) return { outcome: 'paused' as const };
	if (domain.status === 'PENDING_DNS') return checkDns(runtime, loaded, domain, now);
	if (domain.status === 'ISSUING_CERTIFICATE') return lookForCertificate(runtime, loaded, domain, now);
	return { outcome: 'settled' as const };
}

async function checkDns(runtime: Runtime, loaded: LoadedInstance, domain: CustomDomain, now: Date) {
	if (now >= domain.checkUntil) {
		await failDomain(runtime, domain, domainReason('dns_gave_up', { last: domain.statusReasonText }));
		return { outcome: 'failed' as const };
	}
	const records = requiredRecords(domain, domainTarget(runtime, loaded.instance));
	const result = await checkDnsRecords(runtime.config.dns.servers, records);
	const checked = { checkAttempts: domain.checkAttempts + 1, lastCheckedAt: now };
	if (!result.ok) {
		if (!(await moveDomain(runtime.db, domain, 'PENDING_DNS', { ...checked, ...domainStatusReason(result.problem) })))
			return { outcome: 'missing' as const };
		await lookAgain(runtime, domain.id, CHECK_INTERVAL_MS);
		return { outcome: 'pending' as const, problem: renderDomainReason(result.problem, 'en') };
	}
	const verified = await moveDomain(runtime.db, domain, 'PENDING_DNS', {
		...checked,
		status: 'ISSUING_CERTIFICATE',
		...domainStatusReason(domainReason('waiting_for_certificate', {})),
		verifiedAt: now
	});
	if (!verified) return { outcome: 'missing' as const };
	await applyRouting(runtime, loaded);
	await lookAgain(runtime, domain.id, CERTIFICATE_LOOK_MS);
	return { outcome: 'verified' as const };
}

/**
 * cert-manager writes the certificate and key into the TLS entry's Secret once the
 * certificate is issued (https://cert-manager.io/docs/usage/certificate/): a `kubernetes.io/tls`
 * Secret with `tls.crt` means the domain is served over HTTPS.
 */
async function lookForCertificate(runtime: Runtime, loaded: LoadedInstance, domain: CustomDomain, now: Date) {
	const names = namesOf(loaded.instance);
	// The Ingress may have been replaced without the domain meanwhile (a repair that raced the check).
	await applyRouting(runtime, loaded);
	const secret = await runtime.cluster.read<V1Secret>('Secret', names.namespace, customDomainTlsSecret(names, domain.hostname));
	if (secret?.type === 'kubernetes.io/tls' && secret.data?.['tls.crt']) {
		await runtime.db.transaction(async (tx) => {
			const active = await moveDomain(tx, domain, 'ISSUING_CERTIFICATE', {
				status: 'ACTIVE',
				...domainStatusReason(null),
				activeAt: now
			});
			if (!active) return;
			await notify(tx, {
				userId: domain.userId,
				type: 'DOMAIN_ACTIVE',
				text: { key: 'domain_active', params: { name: loaded.instance.name, hostname: writtenHostname(domain) } },
				link: `/instances/${domain.instanceId}`
			});
		});
		return { outcome: 'active' as const };
	}
	const since = domain.verifiedAt ?? domain.updatedAt;
	if (now.getTime() - since.getTime() > CERTIFICATE_WINDOW_MS) {
		await failDomain(runtime, domain, domainReason('no_certificate', {}));
		return { outcome: 'failed' as const };
	}
	await lookAgain(runtime, domain.id, CERTIFICATE_LOOK_MS);
	return { outcome: 'issuing' as const };
}

/** The name as its owner writes it in what they are told (`blog.bücher.de`, not `blog.xn--bcher-kva.de`). */
const writtenHostname = (domain: CustomDomain) => unicodeHostname(domain.hostname) ?? domain.hostname;

/** Gives the domain up with the reason, tells the owner, and takes it off the cluster. */
async function failDomain(runtime: Runtime, domain: CustomDomain, why: DomainReason) {
	const failed = await runtime.db.transaction(async (tx) => {
		const columns = domainStatusReason(why);
		const row = await moveDomain(tx, domain, domain.status, { status: 'FAILED', ...columns });
		// Read in the owner's language; the English stays for versions that do not know the key.
		const reason = asDomainReason(why, columns.statusReason ?? '');
		if (!row) return false;
		await notify(tx, {
			userId: domain.userId,
			type: 'DOMAIN_FAILED',
			text: { key: 'domain_failed', params: { hostname: writtenHostname(domain), reason } },
			link: `/instances/${domain.instanceId}`
		});
		return true;
	});
	if (failed) await cleanUpDomains(runtime, domain.instanceId, [domain.hostname]);
}

/**
 * Takes the named domains off the app's Ingress and deletes their certificate Secrets; a
 * name the app serves again meanwhile (removed and added back) keeps its Secret.
 */
export async function cleanUpDomains(runtime: Runtime, instanceId: string, hostnames: string[]) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const names = namesOf(loaded.instance);
	if ((await runtime.cluster.namespaceState(names.namespace)) === 'absent') return { outcome: 'cleaned' as const };
	await applyRouting(runtime, loaded);
	const routed = await routedHostnames(runtime.db, loaded.instance);
	for (const hostname of hostnames.filter((name) => !routed.includes(name))) {
		await runtime.cluster.delete('Secret', names.namespace, customDomainTlsSecret(names, hostname));
	}
	return { outcome: 'cleaned' as const };
}

/** The app is suspended: its domains leave the cluster and wait, to be checked again when it is back. */
export async function pauseDomains(runtime: Runtime, instanceId: string) {
	const paused = await runtime.db
		.update(customDomains)
		.set({
			status: 'PENDING_DNS',
			...domainStatusReason(domainReason('paused', {})),
			verifiedAt: null,
			activeAt: null
		})
		.where(and(eq(customDomains.instanceId, instanceId), inArray(customDomains.status, ROUTED)))
		.returning({ hostname: customDomains.hostname });
	if (paused.length > 0)
		await cleanUpDomains(
			runtime,
			instanceId,
			paused.map((row) => row.hostname)
		);
}

/** The app is back from a suspension: its waiting domains are checked again, for a fresh 72 hours. */
export async function resumeDomains(runtime: Runtime, instanceId: string) {
	const waiting = await runtime.db
		.update(customDomains)
		.set({ checkAttempts: 0, checkUntil: new Date(Date.now() + CHECK_WINDOW_MS) })
		.where(and(eq(customDomains.instanceId, instanceId), eq(customDomains.status, 'PENDING_DNS')))
		.returning({ id: customDomains.id });
	for (const { id } of waiting) await enqueue(runtime.boss, 'custom-domain-check', { domainId: id });
}

/** After a plan change: the newest domains beyond the plan's allowance are given up and taken off. */
export async function enforceDomainAllowance(runtime: Runtime, instanceId: string) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return;
	const allowed = await domainAllowance(runtime.db, loaded.instance);
	const live = (await domainsOf(runtime.db, instanceId)).filter((domain) => domain.status !== 'FAILED');
	const reason = domainReason('over_allowance', { allowed });
	for (const domain of domainsOverAllowance(live, allowed)) await failDomain(runtime, domain, reason);
}

/** The certificate Secrets of all the instance's domains (termination deletes them with the app). */
export async function domainSecretNames(db: DbOrTx, instance: LoadedInstance['instance']): Promise<string[]> {
	const names = namesOf(instance);
	const rows = await db
		.select({ hostname: customDomains.hostname })
		.from(customDomains)
		.where(eq(customDomains.instanceId, instance.id));
	return rows.map((row) => customDomainTlsSecret(names, row.hostname));
}
