import { randomBytes } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords';
import { applyBalanceChange } from '../wallet/ledger';
import type { DbOrTx } from '../db/client';
import { serviceCategories, servicePlans, services, users } from '../db/schema';
import { seedCategories, seedServices } from './catalog';
import { ledgerText } from '../wallet/ledger-texts';

/** Inserts the demo catalog when the database has no services yet. */
export async function seedCatalog(db: DbOrTx): Promise<boolean> {
	return db.transaction(async (tx) => {
		// Replicas that boot at once seed one after the other; the later ones find the catalog.
		await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('minispod:seed-catalog'))`);
		const [existing] = await tx.select({ value: count() }).from(services);
		if (existing.value > 0) return false;
		const categories = await tx.insert(serviceCategories).values(seedCategories).returning();
		const categoryId = new Map(categories.map((c) => [c.slug, c.id]));
		for (const [index, { plans, category, ...service }] of seedServices.entries()) {
			const [row] = await tx
				.insert(services)
				.values({ ...service, categoryId: categoryId.get(category)!, sortOrder: index })
				.returning({ id: services.id });
			await tx
				.insert(servicePlans)
				.values(plans.map((plan, sortOrder) => ({ ...plan, serviceId: row.id, sortOrder, isPopular: plan.isPopular ?? false })));
		}
		return true;
	});
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
