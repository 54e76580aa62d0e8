// What an audit entry points at, by name: its target and the ids its details hold (a
// customer, a plan, a service), read for a page of entries in one query per kind, with the
// admin page of each where there is one.
import { inArray, eq } from 'drizzle-orm';
import { formatRupiah } from '$lib/format';
import type { DbOrTx } from '../db/client';
import {
	serviceCategories,
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	transactions,
	users,
	type AuditLogEntry
} from '../db/schema';

export type AuditName = { name: string; link: string | null };
/** The name of the entity of a kind (an audit entity type) with an id, if it is known. */
export type AuditNames = (kind: string, id: unknown) => AuditName | null;

/** The kind of entity each id field of an entry's details points at. */
export const DETAIL_ID_KINDS: Record<string, string> = {
	userId: 'user',
	planId: 'service_plan',
	serviceId: 'service',
	subscriptionId: 'subscription',
	transactionId: 'transaction',
	instanceId: 'instance'
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const customerPage = (userId: string) => `/admin/customers/${userId}`;
const person = (user: { name: string; email: string }) => `${user.name} (${user.email})`;

type Lookup = (db: DbOrTx, ids: string[]) => Promise<[string, AuditName][]>;

const LOOKUPS: Record<string, Lookup> = {
	user: async (db, ids) =>
		(await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ids))).map(
			(user) => [user.id, { name: person(user), link: customerPage(user.id) }]
		),
	// The transaction itself (its order id, or the start of its id, and its amount), then whose it is.
	transaction: async (db, ids) =>
		(
			await db
				.select({
					id: transactions.id,
					orderId: transactions.orderId,
					amount: transactions.amount,
					userId: users.id,
					name: users.name,
					email: users.email
				})
				.from(transactions)
				.innerJoin(users, eq(users.id, transactions.userId))
				.where(inArray(transactions.id, ids))
		).map((row) => [
			row.id,
			{
				name: `${row.orderId ?? `#${row.id.slice(0, 8)}`} · ${formatRupiah(row.amount)} · ${person(row)}`,
				link: customerPage(row.userId)
			}
		]),
	subscription: async (db, ids) =>
		(
			await db
				.select({
					id: subscriptions.id,
					userId: users.id,
					name: users.name,
					email: users.email,
					service: services.name,
					plan: servicePlans.name
				})
				.from(subscriptions)
				.innerJoin(users, eq(users.id, subscriptions.userId))
				.innerJoin(servicePlans, eq(servicePlans.id, subscriptions.planId))
				.innerJoin(services, eq(services.id, servicePlans.serviceId))
				.where(inArray(subscriptions.id, ids))
		).map((row) => [row.id, { name: `${row.service} ${row.plan} · ${person(row)}`, link: customerPage(row.userId) }]),
	instance: async (db, ids) =>
		(
			await db
				.select({
					id: serviceInstances.id,
					instance: serviceInstances.name,
					userId: users.id,
					name: users.name,
					email: users.email
				})
				.from(serviceInstances)
				.innerJoin(users, eq(users.id, serviceInstances.userId))
				.where(inArray(serviceInstances.id, ids))
		).map((row) => [row.id, { name: `${row.instance} · ${person(row)}`, link: customerPage(row.userId) }]),
	service: async (db, ids) =>
		(await db.select({ id: services.id, name: services.name }).from(services).where(inArray(services.id, ids))).map((service) => [
			service.id,
			{ name: service.name, link: `/admin/catalog/services/${service.id}` }
		]),
	service_plan: async (db, ids) =>
		(
			await db
				.select({ id: servicePlans.id, plan: servicePlans.name, serviceId: services.id, service: services.name })
				.from(servicePlans)
				.innerJoin(services, eq(services.id, servicePlans.serviceId))
				.where(inArray(servicePlans.id, ids))
		).map((row) => [row.id, { name: `${row.service} ${row.plan}`, link: `/admin/catalog/services/${row.serviceId}` }]),
	service_category: async (db, ids) =>
		(
			await db
				.select({ id: serviceCategories.id, name: serviceCategories.name })
				.from(serviceCategories)
				.where(inArray(serviceCategories.id, ids))
		).map((category) => [category.id, { name: category.name, link: '/admin/catalog' }])
};

/** The names the entries point at: one query per kind of entity among them, none per entry. */
export async function auditNames(
	db: DbOrTx,
	entries: Pick<AuditLogEntry, 'entityType' | 'entityId' | 'details'>[]
): Promise<AuditNames> {
	const wanted = new Map<string, Set<string>>();
	const want = (kind: string, id: unknown) => {
		if (!(kind in LOOKUPS) || typeof id !== 'string' || !UUID.test(id)) return;
		wanted.set(kind, (wanted.get(kind) ?? new Set()).add(id));
	};
	for (const entry of entries) {
		want(entry.entityType, entry.entityId);
		for (const [field, kind] of Object.entries(DETAIL_ID_KINDS)) want(kind, entry.details[field]);
	}
	const found = new Map<string, AuditName>();
	await Promise.all(
		[...wanted].map(async ([kind, ids]) => {
			for (const [id, name] of await LOOKUPS[kind](db, [...ids])) found.set(`${kind}:${id}`, name);
		})
	);
	return (kind, id) => found.get(`${kind}:${String(id)}`) ?? null;
}
