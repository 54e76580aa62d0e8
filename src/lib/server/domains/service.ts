// Custom domains of an app: the owner adds one (checked, claimed, within the plan's
// allowance), sees the DNS records to create, and removes it. The DNS check and the
// cluster work are jobs (provisioning/domains.ts); these functions only change rows and
// send those jobs in the same transaction.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	customDomains,
	serviceInstances,
	servicePlans,
	subscriptions,
	type CustomDomain,
	type CustomDomainStatus,
	type InstanceStatus,
	type ServiceInstance
} from '../db/schema';
import { AppError, badRequest, invalidState, notFound } from '../errors';
import { publicHost } from '../kube/names';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import type { Actor } from '../instances/service';
import { INSTANCE_ENDING_STATUSES, isEndingInstance } from '$lib/statuses';
import { CHECK_WINDOW_MS, isApexDomain, normalizeHostname, unicodeHostname } from './rules';
import { toCustomDomainView, type DomainTarget } from './views';
import { planAsSold } from '../catalog/plan-terms';
import { formatCount } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { say, sayIn } from '../sentences';

/** Instance statuses in which an app can take no new domain: it is going or gone. */
const ENDING = INSTANCE_ENDING_STATUSES;
/** While the app is in one of these, none of its domains is served or checked. */
export const UNROUTED: readonly InstanceStatus[] = ['SUSPENDED', ...ENDING];
/** Domains in these statuses are on the app's Ingress. */
export const ROUTED: CustomDomainStatus[] = ['ISSUING_CERTIFICATE', 'ACTIVE'];

/** The custom domains the app's Ingress serves now (its manifests read this). */
export async function routedHostnames(db: DbOrTx, instance: { id: string; status: InstanceStatus }): Promise<string[]> {
	if (UNROUTED.includes(instance.status)) return [];
	const rows = await db
		.select({ hostname: customDomains.hostname })
		.from(customDomains)
		.where(and(eq(customDomains.instanceId, instance.id), inArray(customDomains.status, ROUTED)));
	return rows.map((row) => row.hostname).sort();
}

export function domainTarget(runtime: Pick<Runtime, 'config'>, instance: Pick<ServiceInstance, 'subdomain'>): DomainTarget {
	return {
		appHost: publicHost(instance.subdomain, runtime.config.kube.baseDomain),
		ingressIp: runtime.config.kube.ingressIp
	};
}

/** How many custom domains the instance's plan allows, as it was sold to its subscriber. */
export async function domainAllowance(db: DbOrTx, instance: Pick<ServiceInstance, 'subscriptionId'>): Promise<number> {
	const [row] = await db
		.select({
			plan: { id: servicePlans.id, customDomainsAllowed: servicePlans.customDomainsAllowed },
			subscription: { planId: subscriptions.planId, soldTerms: subscriptions.soldTerms }
		})
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.where(eq(subscriptions.id, instance.subscriptionId));
	return row ? planAsSold(row.plan, row.subscription).customDomainsAllowed : 0;
}

/** The instance's domains, oldest first. */
export function domainsOf(db: DbOrTx, instanceId: string): Promise<CustomDomain[]> {
	return db.select().from(customDomains).where(eq(customDomains.instanceId, instanceId)).orderBy(asc(customDomains.createdAt));
}

export async function listDomains(runtime: Runtime, instance: ServiceInstance) {
	const [allowed, domains] = await Promise.all([domainAllowance(runtime.db, instance), domainsOf(runtime.db, instance.id)]);
	const target = domainTarget(runtime, instance);
	return { allowed, domains: domains.map((domain) => toCustomDomainView(domain, target)) };
}

const isClaimConflict = (error: unknown) => {
	const cause =
		(error as { cause?: { code?: string; constraint?: string } }).cause ?? (error as { code?: string; constraint?: string });
	return cause.code === '23505' && cause.constraint === 'custom_domains_live_hostname_unique';
};

/**
 * The name is another live domain's. On another of the customer's own apps they can remove it
 * there; another account's claim they cannot touch: it is freed when that account removes it,
 * or, never verified, when its DNS check gives up (CHECK_WINDOW_MS, counted again after a
 * suspension).
 */
const claimedElsewhere = (claim: { userId: string } | undefined, userId: string) =>
	new AppError('CONFLICT', say(claim?.userId === userId ? m.srv2_domain_claimed : m.txt13_domain_claimed_by_other), {
		field: 'hostname'
	});

const liveClaim = async (db: DbOrTx, hostname: string) =>
	(
		await db
			.select({ userId: customDomains.userId })
			.from(customDomains)
			.where(and(eq(customDomains.hostname, hostname), ne(customDomains.status, 'FAILED')))
	)[0];

/** The hostname as it is stored, if a customer may claim it at all (else a refusal naming the field). */
function claimableHostname(runtime: Runtime, input: { hostname: string }): string {
	const checked = normalizeHostname(input.hostname, runtime.config.kube.baseDomain);
	if (!checked.ok) throw badRequest('hostname', checked.message);
	const { hostname } = checked;
	if (isApexDomain(hostname) && !runtime.config.kube.ingressIp) {
		throw badRequest('hostname', say(m.srv2_domain_apex, { hostname }));
	}
	return hostname;
}

/**
 * Why `hostname` cannot be added to `instance` as `db` reads it now, or null: the app is being
 * deleted, already has the name, has used its plan's allowance, or the name is another live
 * domain's. addDomain asks inside its transaction, under the instance's lock; checkDomain asks
 * before the customer confirms.
 */
async function addRefusal(db: DbOrTx, instance: ServiceInstance | undefined, hostname: string): Promise<AppError | null> {
	if (!instance || isEndingInstance(instance.status)) return invalidState(say(m.srv2_app_being_deleted));
	const live = await db
		.select({ hostname: customDomains.hostname })
		.from(customDomains)
		.where(and(eq(customDomains.instanceId, instance.id), ne(customDomains.status, 'FAILED')));
	if (live.some((row) => row.hostname === hostname)) return badRequest('hostname', say(m.srv2_domain_already_on_app));
	const allowed = await domainAllowance(db, instance);
	if (live.length >= allowed) return overAllowance(allowed, instance.subscriptionId);
	const taken = await liveClaim(db, hostname);
	return taken ? claimedElsewhere(taken, instance.userId) : null;
}

/**
 * What addDomain would make of `input` now, without adding it: the name as it would be
 * stored (and its Unicode form), or addDomain's refusal. The page asks before its confirmation
 * dialog, so a name that cannot be claimed is refused beside the field, not after "Add?".
 */
export async function checkDomain(runtime: Runtime, instance: ServiceInstance, input: { hostname: string }) {
	const hostname = claimableHostname(runtime, input);
	const refusal = await addRefusal(runtime.db, instance, hostname);
	if (refusal) throw refusal;
	return { hostname, unicodeHostname: unicodeHostname(hostname) };
}

/** Adds a domain to the instance and sends its first DNS check at once. */
export async function addDomain(runtime: Runtime, instance: ServiceInstance, input: { hostname: string }) {
	const hostname = claimableHostname(runtime, input);
	try {
		const domain = await runtime.db.transaction(async (tx) => {
			// The instance's row is the lock that counts its domains one request at a time.
			const [current] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, instance.id)).for('update');
			const refusal = await addRefusal(tx, current, hostname);
			if (refusal || !current) throw refusal;
			const [row] = await tx
				.insert(customDomains)
				.values({
					instanceId: instance.id,
					userId: current.userId,
					hostname,
					verificationToken: `minispod-verify=${randomBytes(18).toString('base64url')}`,
					checkUntil: new Date(Date.now() + CHECK_WINDOW_MS)
				})
				.returning();
			await enqueue(runtime.boss, 'custom-domain-check', { domainId: row.id }, { tx });
			return row;
		});
		return toCustomDomainView(domain, domainTarget(runtime, instance));
	} catch (error) {
		// Two customers adding the same name at once: the unique index lets one through.
		if (isClaimConflict(error)) throw claimedElsewhere(await liveClaim(runtime.db, hostname), instance.userId);
		throw error;
	}
}

function overAllowance(allowed: number, subscriptionId: string) {
	const message =
		allowed === 0
			? say(m.srv2_domains_none)
			: sayIn(m.srv2_domains_limit, (locale) => ({
					domains: locale === 'en' ? formatCount(allowed, 'custom domain') : `${allowed} domain kustom`
				}));
	return new AppError('UPGRADE_REQUIRED', message, { field: 'hostname', details: { subscriptionId, allowed } });
}

/** The domain, if the actor owns its app (or is an administrator). */
export async function getDomainFor(db: DbOrTx, actor: Actor, id: string): Promise<CustomDomain> {
	const [domain] = await db.select().from(customDomains).where(eq(customDomains.id, id));
	if (!domain || (domain.userId !== actor.id && actor.role !== 'ADMINISTRATOR')) throw notFound('Domain');
	return domain;
}

/**
 * Removes the domain: its row goes at once (the name is free to claim again) and a job takes
 * its rule off the app's Ingress and deletes its certificate Secret.
 */
export async function removeDomain(runtime: Runtime, domain: CustomDomain) {
	await runtime.db.transaction(async (tx) => {
		await tx.delete(customDomains).where(eq(customDomains.id, domain.id));
		await enqueue(runtime.boss, 'custom-domain-cleanup', { instanceId: domain.instanceId, hostnames: [domain.hostname] }, { tx });
	});
	return { id: domain.id, hostname: domain.hostname };
}
