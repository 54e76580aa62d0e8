import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { publish } from '../events';
import { hashPassword } from '../auth/passwords';
import { applyBalanceChange } from '../wallet/ledger';
import type { DbOrTx, Tx } from '../db/client';
import { catalogSeedEntries, serviceCategories, servicePlans, services, users } from '../db/schema';
import { seedCategories, seedServices, type SeedService } from './catalog';
import { ledgerText } from '../wallet/ledger-texts';
import { categoryTranslations, planTranslations, serviceTranslations } from './translations';

export type SeededCatalog = { categories: number; services: number; plans: number };

type SeedState = {
	tx: Tx;
	/** Keys of what the seed has put in before (catalogSeedEntries). */
	offered: Set<string>;
	/** Keys offered now, recorded at the end. */
	offering: string[];
	categoryBySlug: Map<string, string>;
	categoryByName: Map<string, string>;
	added: SeededCatalog;
};

/**
 * Adds the seeded catalog entries this installation has not been offered yet: the whole
 * catalog on a new installation; after an upgrade, the apps, plans and categories added to
 * the seed since. An entry that exists (matched by slug, a plan by its service and tier) is
 * never overwritten, so an operator's edits stay; the seed deletes nothing, and an entry it
 * offered once is not offered again, so one the operator deleted stays deleted.
 */
export async function seedCatalog(db: DbOrTx): Promise<SeededCatalog> {
	return db.transaction(async (tx) => {
		// Replicas that boot at once seed one after the other; the later ones find it all offered.
		await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('minispod:seed-catalog'))`);
		const offered = new Set((await tx.select({ key: catalogSeedEntries.key }).from(catalogSeedEntries)).map((row) => row.key));
		const categories = await tx.select().from(serviceCategories);
		const state: SeedState = {
			tx,
			offered,
			offering: [],
			categoryBySlug: new Map(categories.map((category) => [category.slug, category.id])),
			categoryByName: new Map(categories.map((category) => [category.name, category.id])),
			added: { categories: 0, services: 0, plans: 0 }
		};
		for (const category of seedCategories) {
			if (offer(state, `category:${category.slug}`)) await ensureCategory(state, category.slug);
		}
		for (const [index, service] of seedServices.entries()) await seedService(state, service, index);
		if (offer(state, TRANSLATIONS_KEY)) await translateSeeded(state);
		if (state.offering.length > 0) {
			await tx
				.insert(catalogSeedEntries)
				.values(state.offering.map((key) => ({ key })))
				.onConflictDoNothing();
		}
		return state.added;
	});
}

/** True the first time the seed offers this entry. */
function offer(state: SeedState, key: string) {
	if (state.offered.has(key)) return false;
	state.offering.push(key);
	return true;
}

/** The category's id: the existing one with its slug (or its name, if the operator changed the slug), else a new one. */
async function ensureCategory(state: SeedState, slug: string): Promise<string> {
	const seeded = seedCategories.find((category) => category.slug === slug)!;
	const existing = state.categoryBySlug.get(slug) ?? state.categoryByName.get(seeded.name);
	if (existing) return existing;
	const [row] = await state.tx
		.insert(serviceCategories)
		.values({ ...seeded, translations: categoryTranslations(seeded) })
		.returning();
	state.categoryBySlug.set(row.slug, row.id);
	state.categoryByName.set(row.name, row.id);
	state.added.categories += 1;
	return row.id;
}

async function seedService(state: SeedState, seeded: SeedService, sortOrder: number) {
	const { plans, category, ...fields } = seeded;
	const { tx } = state;
	const [existing] = await tx.select({ id: services.id }).from(services).where(eq(services.slug, seeded.slug));
	let serviceId = existing?.id;
	if (offer(state, `service:${seeded.slug}`) && !existing) {
		const categoryId = await ensureCategory(state, category);
		[{ id: serviceId }] = await tx
			.insert(services)
			.values({ ...fields, categoryId, sortOrder, translations: serviceTranslations(fields) })
			.returning({ id: services.id });
		state.added.services += 1;
	}
	// Offered before and deleted by the operator since: its plans go with it.
	if (!serviceId) return;
	for (const [index, plan] of plans.entries()) {
		if (!offer(state, `plan:${seeded.slug}:${plan.planType}`)) continue;
		const inserted = await tx
			.insert(servicePlans)
			.values({ ...plan, serviceId, sortOrder: index, isPopular: plan.isPopular ?? false, translations: planTranslations(plan) })
			.onConflictDoNothing()
			.returning({ id: servicePlans.id });
		state.added.plans += inserted.length;
	}
}

/** Recorded once the catalog of an installation from before translations has been given them. */
const TRANSLATIONS_KEY = 'translations:id';

/**
 * Once, on an installation seeded before the catalog had Indonesian texts: each entry without
 * translations gets those of its texts that are still the seed's (one an operator rewrote stays
 * English). A new installation's entries had them when they were put in.
 */
async function translateSeeded({ tx }: SeedState) {
	const untranslated = sql`translations = '{}'::jsonb`;
	let changed = 0;
	for (const category of await tx.select().from(serviceCategories).where(untranslated)) {
		const translations = categoryTranslations(category);
		if (!translations.id) continue;
		await tx.update(serviceCategories).set({ translations }).where(eq(serviceCategories.id, category.id));
		changed += 1;
	}
	for (const service of await tx.select().from(services).where(untranslated)) {
		const translations = serviceTranslations(service);
		if (!translations.id) continue;
		await tx.update(services).set({ translations }).where(eq(services.id, service.id));
		changed += 1;
	}
	for (const plan of await tx.select().from(servicePlans).where(untranslated)) {
		const translations = planTranslations(plan);
		if (!translations.id) continue;
		await tx.update(servicePlans).set({ translations }).where(eq(servicePlans.id, plan.id));
		changed += 1;
	}
	// Web processes already running show the catalog from their copy of it.
	if (changed > 0) await publish(tx, { type: 'catalog' });
}

type Account = { name: string; email: string; password: string; role: 'ADMINISTRATOR' | 'USER' };

/** Creates the account unless the e-mail is taken; returns whether it was created. */
export async function ensureAccount(db: DbOrTx, account: Account): Promise<{ created: boolean; id: string }> {
	const email = account.email.toLowerCase();
	const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
	if (existing) return { created: false, id: existing.id };
	const [row] = await db
		.insert(users)
		.values({
			name: account.name,
			email,
			role: account.role,
			passwordHash: await hashPassword(account.password),
			// Seeded accounts (the demo customer tops up) are set up by the operator: verified.
			emailVerifiedAt: new Date()
		})
		.onConflictDoNothing()
		.returning({ id: users.id });
	if (!row) return { created: false, id: (await db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0].id };
	return { created: true, id: row.id };
}

/** Makes sure the configured administrator exists and has the admin role. */
export async function ensureAdmin(db: DbOrTx, admin: { email: string; password: string }) {
	const result = await ensureAccount(db, {
		name: 'Administrator',
		email: admin.email,
		password: admin.password,
		role: 'ADMINISTRATOR'
	});
	if (!result.created) await db.update(users).set({ role: 'ADMINISTRATOR' }).where(eq(users.id, result.id));
	return result;
}

export const DEMO_ADMIN_EMAIL = 'admin@minispod.local';
export const DEMO_CUSTOMER_EMAIL = 'demo@minispod.local';
export const DEMO_WELCOME_CREDIT = 500_000;

/**
 * Creates a demo administrator and a demo customer with welcome credit the first time;
 * returns their credentials only when they were just created (they are shown once).
 */
export async function seedDemoAccounts(db: DbOrTx, now: Date): Promise<Account[]> {
	const created: Account[] = [];
	const accounts: Account[] = [
		{ name: 'Demo Admin', email: DEMO_ADMIN_EMAIL, password: randomBytes(9).toString('base64url'), role: 'ADMINISTRATOR' },
		{ name: 'Demo Customer', email: DEMO_CUSTOMER_EMAIL, password: randomBytes(9).toString('base64url'), role: 'USER' }
	];
	for (const account of accounts) {
		const result = await ensureAccount(db, account);
		if (!result.created) continue;
		created.push(account);
		if (account.role === 'USER') {
			await applyBalanceChange(db, {
				userId: result.id,
				type: 'ADMIN_ADJUSTMENT',
				amount: DEMO_WELCOME_CREDIT,
				idempotencyKey: `demo-welcome-credit:${result.id}`,
				description: 'Welcome credit for the demo account',
				text: ledgerText('welcome_credit', {}),
				at: now,
				paymentMethod: 'ADMIN_MANUAL',
				// An adjustment's reason, as the adjustments list and history show it for any other.
				adminNotes: 'Welcome credit for the demo account',
				metadata: { reason: 'Welcome credit for the demo account' }
			});
		}
	}
	return created;
}
