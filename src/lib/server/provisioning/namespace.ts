// The objects a namespace holds for all of its apps (the namespace, its quota, limits and
// network policy) are written from the database's answer to "which apps live here", one
// writer at a time per customer: a PostgreSQL advisory lock keyed on the user, held by the
// transaction that reads the apps and writes the objects. Two set-ups of one customer can
// then never size the quota from two different views, and a termination never deletes a
// namespace that a new set-up is about to use.
// https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { restores, serviceInstances, servicePlans, services, subscriptions } from '../db/schema';
import type { NamespaceApp } from '../kube/inputs';
import type { KubeManifest } from '../kube/manifests';
import { appNamespace, namespaceForUser } from '../kube/names';
import { buildNamespaceManifests } from '../kube/namespace-objects';
import type { Runtime } from '../runtime';
import { planAsSold } from '../catalog/plan-terms';

/**
 * The apps whose objects are (or are about to be) in `namespace`: every instance of the
 * user that is not terminated and is not a failed set-up whose objects were removed
 * (ERROR with the subscription unpaid), each sized by its subscription's current plan as sold to it (the
 * new plan while an upgrade is applied, so a rollback shrinks it again). A terminating app
 * still counts until its objects are gone; an app with a restore open holds two generations
 * of volumes.
 */
export async function namespaceApps(db: DbOrTx, userId: string, namespace: string, excluding?: string): Promise<NamespaceApp[]> {
	const rows = await db
		.select({
			id: serviceInstances.id,
			userId: serviceInstances.userId,
			podSecurityLevel: services.podSecurityLevel,
			companionDatabase: services.companionDatabase,
			plan: {
				id: servicePlans.id,
				cpuMilli: servicePlans.cpuMilli,
				memoryMb: servicePlans.memoryMb,
				storageGb: servicePlans.storageGb
			},
			subscription: { planId: subscriptions.planId, soldTerms: subscriptions.soldTerms },
			restoring: sql<boolean>`EXISTS (SELECT 1 FROM ${restores} WHERE ${restores.instanceId} = ${serviceInstances.id}
				AND ${restores.status} IN ('RESTORING', 'RESTORED', 'UNDOING'))`
		})
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(
			and(
				eq(serviceInstances.userId, userId),
				ne(serviceInstances.status, 'TERMINATED'),
				or(ne(serviceInstances.status, 'ERROR'), ne(subscriptions.status, 'PENDING_PAYMENT')),
				excluding ? ne(serviceInstances.id, excluding) : undefined
			)
		);
	return rows
		.filter((row) => appNamespace(row, row) === namespace)
		.map((row) => ({
			instanceId: row.id,
			plan: planAsSold(row.plan, row.subscription),
			companion: row.companionDatabase?.engine ?? null,
			restoring: row.restoring
		}));
}

/** Holds the customer's namespace lock until the transaction ends. */
async function lockCustomerNamespaces(tx: Tx, userId: string) {
	await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`minispod:namespaces:${userId}`}, 0))`);
}

export type NamespaceSync =
	/** The namespace and its shared objects match its apps. */
	| 'ready'
	/** It is still being deleted (a previous app's clean-up): try again once it is gone. */
	| 'terminating'
	/** It holds no app any more: its deletion has started (or it is gone already). */
	| 'removing'
	| 'gone';

/**
 * Brings a namespace in line with its apps, under the customer's lock: sized for them when
 * it holds any (created if need be), deleted when it holds none. `excluding` leaves out an
 * app on its way out (its objects are already gone).
 */
export async function syncNamespace(
	runtime: Runtime,
	input: {
		userId: string;
		namespace: string;
		excluding?: string;
		/**
		 * Runs under the same lock once the namespace is in line, so a change of the apps it
		 * makes (an app marked terminated) is what the next writer sees.
		 */
		then?: (tx: Tx, sync: NamespaceSync) => Promise<void>;
	}
): Promise<NamespaceSync> {
	const { userId, namespace, excluding, then } = input;
	return runtime.db.transaction(async (tx) => {
		await lockCustomerNamespaces(tx, userId);
		const sync = await bringInLine(runtime, await namespaceApps(tx, userId, namespace, excluding), { userId, namespace });
		await then?.(tx, sync);
		return sync;
	});
}

async function bringInLine(runtime: Runtime, apps: NamespaceApp[], input: { userId: string; namespace: string }) {
	const { cluster } = runtime;
	const { userId, namespace } = input;
	const state = await cluster.namespaceState(namespace);
	if (apps.length === 0) {
		if (state === 'absent') return 'gone' as const;
		await cluster.delete('Namespace', undefined, namespace);
		return 'removing' as const;
	}
	if (state === 'terminating') return 'terminating' as const;
	const objects = buildNamespaceManifests({
		namespace,
		userId,
		level: namespace === namespaceForUser(userId) ? 'restricted' : 'baseline',
		apps,
		settings: runtime.config.kube
	});
	for (const object of [objects.namespace, objects.resourceQuota, objects.limitRange, objects.networkPolicy]) {
		// A namespace just found absent holds none of them yet: create them at once.
		await cluster.apply<KubeManifest>(object, { expectAbsent: state === 'absent' });
	}
	return 'ready' as const;
}
