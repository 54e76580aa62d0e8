// The authorization matrix over every procedure of the app router, generated from the router
// itself: each procedure is called anonymously, by another customer with the victim's ids,
// and by a customer on the admin API. A procedure added without a fixture here fails the
// suite, so no new procedure escapes the matrix. Then the bad-input corpus: every text and
// number field of every fixture gets NUL and control characters, hex and exponent numbers,
// huge numbers, HTML and overlong strings, and must be refused (or taken as plain text),
// never answered with a 500. The invariants hold after both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { appRouter } from '../../src/lib/server/router';
import { backups, customDomains, restores, serviceInstances, services, transactions } from '../../src/lib/server/db/schema';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { PNG_BYTES } from '../support/files';
import { expectInvariants } from '../support/invariants';
import { notify } from '../../src/lib/server/notifications/service';

type Caller = Awaited<ReturnType<typeof callerFor>>;
/** What the victim owns, by id; fixtures build inputs from it. */
type World = {
	victimId: string;
	subscriptionId: string;
	instanceId: string;
	transactionId: string;
	/** The victim's subscription charge, which has a receipt. */
	chargeId: string;
	proofId: string;
	planId: string;
	soldOutPlanId: string;
	waitlistId: string;
	notificationId: string;
	categoryId: string;
	serviceId: string;
	domainId: string;
	backupId: string;
	restoreId: string;
};
/**
 * How a procedure is called, and what another customer calling it with the victim's ids
 * gets: NOT_FOUND for the victim's things, or `own` for procedures that only ever act on
 * the caller's own data (their answer must not show the victim's).
 */
type Fixture = { input: (world: World) => unknown; other: 'NOT_FOUND' | 'own'; access?: 'public' };

const id = () => '00000000-0000-4000-8000-000000000000';
const proofForm = (note = 'Sent from BCA', amount = '50000') => {
	const form = new FormData();
	form.set('amount', amount);
	form.set('note', note);
	form.set('file', new File([PNG_BYTES], 'proof.png', { type: 'image/png' }));
	return form;
};

const serviceFields = (w: World) => ({
	name: 'Matrix App',
	slug: 'matrix-app',
	categoryId: w.categoryId,
	description: 'An app for the authorization matrix',
	longDescription: null,
	icon: null,
	websiteUrl: null,
	version: '1.0.0',
	dockerImage: 'ghcr.io/example/matrix-app:1.0.0',
	defaultPort: 8080,
	healthCheckPath: '/',
	dataMountPath: '/data',
	podSecurityLevel: 'restricted',
	runAsUser: 1000,
	readOnlyRootFilesystem: false,
	writablePaths: ['/tmp'],
	sysctls: [],
	envTemplate: [{ name: 'APP_MODE', description: null, source: 'preset', value: 'production' }],
	tags: ['matrix'],
	isFeatured: false,
	isPublic: true,
	sortOrder: 0
});
const planFields = {
	name: 'Matrix',
	description: null,
	monthlyPrice: 50_000,
	cpuMilli: 250,
	memoryMb: 256,
	storageGb: 1,
	bandwidthGb: 10,
	totalQuota: 5,
	features: ['Priority support'],
	isPopular: false,
	isActive: true,
	sortOrder: 0
};
const range = { from: '2026-01-01', to: '2026-01-31' };

const fixtures: Record<string, Fixture> = {
	'auth.register': {
		input: () => ({ name: 'New', email: 'matrix-new@example.com', password: 'matrix password 1234' }),
		other: 'own',
		access: 'public'
	},
	'auth.login': { input: () => ({ email: 'nobody@example.com', password: 'password-1234' }), other: 'own', access: 'public' },
	'auth.logout': { input: () => undefined, other: 'own' },
	'auth.me': { input: () => undefined, other: 'own', access: 'public' },
	'auth.changePassword': { input: () => ({ currentPassword: 'wrong', newPassword: 'another password' }), other: 'own' },
	'auth.sessions': { input: () => undefined, other: 'own' },
	'auth.logoutOthers': { input: () => undefined, other: 'own' },
	'auth.setLocale': { input: () => ({ locale: 'en' as const }), other: 'own' },
	'auth.confirmEmail': { input: () => ({ token: 'a'.repeat(32) }), other: 'own', access: 'public' },
	'auth.resendVerification': { input: () => undefined, other: 'own' },
	'auth.requestPasswordReset': { input: () => ({ email: 'nobody@example.com' }), other: 'own', access: 'public' },
	'auth.resetLinkUsable': { input: () => ({ token: 'a'.repeat(32) }), other: 'own', access: 'public' },
	'auth.resetPassword': {
		input: () => ({ token: 'a'.repeat(32), password: 'a new long passphrase' }),
		other: 'own',
		access: 'public'
	},
	'auth.changeName': { input: () => ({ name: 'Renamed Customer' }), other: 'own' },
	'auth.requestEmailChange': { input: () => ({ email: 'moved@example.com', currentPassword: 'wrong' }), other: 'own' },
	'auth.pendingEmailChange': { input: () => undefined, other: 'own' },
	'auth.cancelEmailChange': { input: () => undefined, other: 'own' },
	'catalog.categories': { input: () => undefined, other: 'own' },
	'catalog.services': { input: () => ({ q: 'vault' }), other: 'own' },
	'catalog.featured': { input: () => undefined, other: 'own' },
	'catalog.service': { input: () => ({ slug: 'vaultwarden' }), other: 'own' },
	'subscriptions.list': { input: () => undefined, other: 'own' },
	'subscriptions.forecast': { input: () => undefined, other: 'own' },
	'subscriptions.billing': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.reactivate': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.get': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.quote': { input: (w) => ({ planId: w.planId }), other: 'own' },
	'subscriptions.subscribe': { input: () => ({ planId: id() }), other: 'own' },
	'subscriptions.upgradeQuote': { input: (w) => ({ id: w.subscriptionId, planId: w.planId }), other: 'NOT_FOUND' },
	'subscriptions.upgrade': { input: (w) => ({ id: w.subscriptionId, planId: w.planId }), other: 'NOT_FOUND' },
	'subscriptions.cancel': { input: (w) => ({ id: w.subscriptionId, when: 'now' }), other: 'NOT_FOUND' },
	'subscriptions.stop': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.start': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.restart': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.retryProvisioning': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.resume': { input: (w) => ({ id: w.subscriptionId }), other: 'NOT_FOUND' },
	'subscriptions.setAutoRenew': { input: (w) => ({ id: w.subscriptionId, autoRenew: false }), other: 'NOT_FOUND' },
	'waitlist.join': { input: (w) => ({ planId: w.soldOutPlanId }), other: 'own' },
	'waitlist.leave': { input: (w) => ({ id: w.waitlistId }), other: 'NOT_FOUND' },
	'waitlist.list': { input: () => undefined, other: 'own' },
	'waitlist.plans': { input: () => undefined, other: 'own' },
	'instances.list': { input: () => undefined, other: 'own' },
	'instances.get': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.stop': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.start': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.restart': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.repair': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.usage': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.usageTotals': { input: () => undefined, other: 'own' },
	'instances.retry': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.logs': { input: (w) => ({ id: w.instanceId, tailLines: 10 }), other: 'NOT_FOUND' },
	'instances.events': { input: (w) => ({ id: w.instanceId }), other: 'NOT_FOUND' },
	'instances.revealSecrets': { input: (w) => ({ id: w.instanceId, password: 'password-1234' }), other: 'NOT_FOUND' },
	'instances.rotateSecret': { input: (w) => ({ id: w.instanceId, name: 'ADMIN_TOKEN' }), other: 'NOT_FOUND' },
	'domains.list': { input: (w) => ({ instanceId: w.instanceId }), other: 'NOT_FOUND' },
	'domains.check': { input: (w) => ({ instanceId: w.instanceId, hostname: 'check.matrix-victim.co.id' }), other: 'NOT_FOUND' },
	'domains.add': { input: (w) => ({ instanceId: w.instanceId, hostname: 'shop.matrix-victim.co.id' }), other: 'NOT_FOUND' },
	'domains.remove': { input: (w) => ({ id: w.domainId }), other: 'NOT_FOUND' },
	'backups.list': { input: (w) => ({ instanceId: w.instanceId }), other: 'NOT_FOUND' },
	'backups.create': { input: (w) => ({ instanceId: w.instanceId }), other: 'NOT_FOUND' },
	'backups.restore': { input: (w) => ({ backupId: w.backupId }), other: 'NOT_FOUND' },
	'backups.delete': { input: (w) => ({ backupId: w.backupId }), other: 'NOT_FOUND' },
	'backups.undoRestore': { input: (w) => ({ restoreId: w.restoreId }), other: 'NOT_FOUND' },
	'backups.keepRestored': { input: (w) => ({ restoreId: w.restoreId }), other: 'NOT_FOUND' },
	'notifications.list': { input: () => ({ page: 1 }), other: 'own' },
	'notifications.unreadCount': { input: () => undefined, other: 'own' },
	'notifications.markRead': { input: (w) => ({ ids: [w.notificationId] }), other: 'own' },
	'notifications.stream': { input: () => undefined, other: 'own' },
	'notifications.mailSettings': { input: () => undefined, other: 'own' },
	'notifications.setMailSettings': { input: () => ({ optionalMails: false }), other: 'own' },
	'wallet.balance': { input: () => undefined, other: 'own' },
	'wallet.topUp': { input: () => ({ amount: 10_000, method: 'QRIS' }), other: 'own' },
	'wallet.transactions': { input: () => ({}), other: 'own' },
	'wallet.transaction': { input: (w) => ({ id: w.transactionId }), other: 'NOT_FOUND' },
	'wallet.refreshStatus': { input: (w) => ({ id: w.transactionId }), other: 'NOT_FOUND' },
	'wallet.cancelTopUp': { input: (w) => ({ id: w.transactionId }), other: 'NOT_FOUND' },
	'wallet.uploadProof': { input: () => proofForm(), other: 'own' },
	'receipts.get': { input: (w) => ({ id: w.chargeId }), other: 'NOT_FOUND' },
	'receipts.billingProfile': { input: () => undefined, other: 'own' },
	'receipts.saveBillingProfile': {
		input: () => ({ kind: 'COMPANY', name: 'PT Matrix', address: 'Jl. Matrix 1, Jakarta', npwp: '012345678901000' }),
		other: 'own'
	},
	'admin.overview': { input: () => undefined, other: 'own' },
	'admin.users': { input: () => ({ q: 'example' }), other: 'own' },
	'admin.subscriptions.list': { input: () => ({ q: 'victim', page: 1, pageSize: 25 }), other: 'own' },
	'admin.subscriptions.grant': { input: (w) => ({ userId: w.victimId, planId: w.planId, months: 1 }), other: 'own' },
	'admin.subscriptions.extend': { input: (w) => ({ id: w.subscriptionId, days: 3, reason: 'Outage credit' }), other: 'own' },
	'admin.subscriptions.suspend': { input: (w) => ({ id: w.subscriptionId, reason: 'Abuse report' }), other: 'own' },
	'admin.subscriptions.resume': { input: (w) => ({ id: w.subscriptionId }), other: 'own' },
	'admin.subscriptions.terminationRefund': { input: (w) => ({ id: w.subscriptionId }), other: 'own' },
	'admin.subscriptions.terminate': {
		input: (w) => ({ id: w.subscriptionId, refund: true, reason: 'Abuse report' }),
		other: 'own'
	},
	'admin.backups.restorable': { input: (w) => ({ userId: w.victimId }), other: 'own' },
	'admin.backups.restoreTerminated': {
		input: (w) => ({ subscriptionId: w.subscriptionId, reason: 'Terminated by mistake' }),
		other: 'own'
	},
	'admin.customers.list': { input: () => ({ q: 'victim', sort: 'created', order: 'desc', page: 1 }), other: 'own' },
	'admin.customers.get': { input: (w) => ({ userId: w.victimId, ledgerPage: 1 }), other: 'own' },
	'admin.customers.block': { input: (w) => ({ userId: w.victimId, reason: 'Abuse report' }), other: 'own' },
	'admin.customers.unblock': { input: (w) => ({ userId: w.victimId, reason: 'Resolved now' }), other: 'own' },
	'admin.customers.setRole': { input: (w) => ({ userId: w.victimId, role: 'USER', reason: 'Role review' }), other: 'own' },
	'admin.catalog.categories': { input: () => undefined, other: 'own' },
	'admin.catalog.createCategory': {
		input: () => ({ name: 'Matrix', slug: 'matrix', description: null, icon: null }),
		other: 'own'
	},
	'admin.catalog.updateCategory': { input: (w) => ({ id: w.categoryId, name: 'Renamed' }), other: 'own' },
	'admin.catalog.reorderCategories': { input: (w) => ({ ids: [w.categoryId] }), other: 'own' },
	'admin.catalog.services': { input: () => undefined, other: 'own' },
	'admin.catalog.service': { input: (w) => ({ id: w.serviceId }), other: 'own' },
	'admin.catalog.preview': { input: (w) => ({ service: serviceFields(w) }), other: 'own' },
	'admin.catalog.createService': { input: (w) => serviceFields(w), other: 'own' },
	'admin.catalog.updateService': { input: (w) => ({ id: w.serviceId, service: serviceFields(w) }), other: 'own' },
	'admin.catalog.deleteService': { input: (w) => ({ id: w.serviceId }), other: 'own' },
	'admin.catalog.createPlan': {
		input: (w) => ({ ...planFields, serviceId: w.serviceId, planType: 'BASIC' }),
		other: 'own'
	},
	'admin.catalog.updatePlan': {
		input: (w) => ({ id: w.planId, plan: { monthlyPrice: 60_000 }, reason: 'Price review' }),
		other: 'own'
	},
	'admin.analytics.overview': { input: () => range, other: 'own' },
	'admin.analytics.report': { input: () => ({ ...range, report: 'revenue-earned' }), other: 'own' },
	'admin.operations.apps': { input: () => ({ filter: 'error', minutes: 10, page: 1 }), other: 'own' },
	'admin.operations.failedJobs': { input: () => ({ queue: 'provision-instance', page: 1 }), other: 'own' },
	'admin.operations.retryJob': { input: () => ({ queue: 'provision-instance', id: id() }), other: 'own' },
	'admin.operations.webhooks': { input: () => ({ outcome: 'applied', page: 1 }), other: 'own' },
	'admin.operations.audit': { input: () => ({ action: 'user.', page: 1 }), other: 'own' },
	'admin.billing.overview': { input: () => undefined, other: 'own' },
	'admin.billing.extendGrace': { input: (w) => ({ id: w.subscriptionId, days: 3, reason: 'Bank outage' }), other: 'own' },
	'admin.billing.waiveRenewal': { input: (w) => ({ id: w.subscriptionId, reason: 'Goodwill gesture' }), other: 'own' },
	'admin.billing.advanceClock': { input: () => ({ days: 0 }), other: 'own' },
	'admin.mail.outbox': { input: () => ({ page: 1, pageSize: 25 }), other: 'own' },
	'admin.quota.overview': { input: () => undefined, other: 'own' },
	'admin.quota.setTotal': { input: (w) => ({ planId: w.planId, totalQuota: 50 }), other: 'own' },
	'admin.wallet.adjust': {
		input: (w) => ({ userId: w.victimId, direction: 'credit', amount: 1000, reason: 'Goodwill' }),
		other: 'own'
	},
	'admin.wallet.recentAdjustments': { input: () => undefined, other: 'own' },
	'admin.wallet.pendingProofs': { input: () => undefined, other: 'own' },
	'admin.wallet.approveProof': { input: (w) => ({ id: w.proofId }), other: 'own' },
	'admin.wallet.rejectProof': { input: (w) => ({ id: w.proofId, reason: 'Not our account' }), other: 'own' },
	'admin.wallet.flagged': { input: () => ({ includeResolved: true }), other: 'own' },
	'admin.wallet.resolveFlag': { input: (w) => ({ id: w.transactionId, note: 'Checked with the bank' }), other: 'own' }
};

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const paths = Object.keys(procedures).sort();

/** Calls a procedure by its dotted path; a stream is opened and closed again. */
async function call(caller: Caller, path: string, input: unknown) {
	const target = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
		input: unknown
	) => Promise<unknown>;
	const result = await target(input);
	if (procedures[path]._def.type === 'subscription') {
		const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
		await iterator.return?.(undefined);
	}
	return result;
}

async function refusal(promise: Promise<unknown>): Promise<TRPCError | null> {
	try {
		await promise;
		return null;
	} catch (error) {
		if (error instanceof TRPCError) return error;
		throw error;
	}
}

let runtime: TestRuntime;
let world: World;
let anonymous: Caller;
let attacker: Caller;
let victimCaller: Caller;
let admin: Caller;

beforeAll(async () => {
	runtime = await startTestRuntime();
	const victim = await createUser(runtime, { name: 'Victim Customer', credit: 2_000_000 });
	victimCaller = await callerFor(runtime, victim);
	attacker = await callerFor(runtime, await createUser(runtime, { name: 'Attacker', credit: 2_000_000 }));
	anonymous = await callerFor(runtime, null);
	admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
	const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
	const { subscriptionId, instanceId } = await victimCaller.subscriptions.subscribe({ planId: plan.id });
	await runtime.db.update(serviceInstances).set({ status: 'RUNNING' }).where(eq(serviceInstances.id, instanceId));
	const topUp = await victimCaller.wallet.topUp({ amount: 10_000, method: 'QRIS' });
	const proof = await victimCaller.wallet.uploadProof(proofForm());
	const soldOut = await planOf(runtime.db, 'gitea', 'BASIC');
	await admin.admin.quota.setTotal({ planId: soldOut.id, totalQuota: 0 });
	const waitlist = await victimCaller.waitlist.join({ planId: soldOut.id });
	const notification: string = await notify(runtime.db, {
		userId: victim.id,
		type: 'WALLET_ADJUSTED',
		title: 'For the victim',
		body: 'x'
	});
	const [domain] = await runtime.db
		.insert(customDomains)
		.values({
			instanceId,
			userId: victim.id,
			hostname: 'www.matrix-victim.co.id',
			verificationToken: 'minispod-verify=matrix',
			checkUntil: new Date(Date.now() + 3600_000)
		})
		.returning();
	const [backup] = await runtime.db
		.insert(backups)
		.values({ instanceId, userId: victim.id, kind: 'MANUAL', status: 'READY', readyToUse: true, namespace: 'matrix' })
		.returning();
	const [restore] = await runtime.db
		.insert(restores)
		.values({
			instanceId,
			userId: victim.id,
			backupId: backup.id,
			status: 'RESTORED',
			step: 'done',
			restoredSuffix: 'rmatrix',
			startAfter: true
		})
		.returning();
	world = {
		victimId: victim.id,
		subscriptionId,
		instanceId,
		transactionId: topUp.transactionId,
		chargeId: (
			await runtime.db
				.select()
				.from(transactions)
				.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'SUBSCRIPTION')))
		)[0].id,
		proofId: proof.id,
		planId: plan.id,
		soldOutPlanId: soldOut.id,
		waitlistId: waitlist.id,
		notificationId: notification,
		categoryId: (await runtime.db.select().from(services).where(eq(services.id, plan.serviceId)))[0].categoryId,
		serviceId: plan.serviceId,
		domainId: domain.id,
		backupId: backup.id,
		restoreId: restore.id
	};
}, 120_000);
afterAll(() => runtime?.close());

describe('the authorization matrix', () => {
	it('has a fixture for every procedure of the router', () => {
		expect(paths.filter((path) => !fixtures[path])).toEqual([]);
		expect(Object.keys(fixtures).filter((path) => !procedures[path])).toEqual([]);
	});

	it('refuses anonymous callers everything but the public procedures', async () => {
		for (const path of paths) {
			const fixture = fixtures[path];
			if (fixture.access === 'public') continue;
			const error = await refusal(call(anonymous, path, fixture.input(world)));
			expect(error?.code, path).toBe('UNAUTHORIZED');
		}
	});

	it('refuses customers every admin procedure', async () => {
		for (const path of paths.filter((p) => p.startsWith('admin.'))) {
			const error = await refusal(call(attacker, path, fixtures[path].input(world)));
			expect(error?.code, path).toBe('FORBIDDEN');
		}
	});

	it('shows and gives another customer nothing of the victim’s', async () => {
		const before = JSON.stringify(await victimCaller.subscriptions.get({ id: world.subscriptionId }));
		for (const path of paths.filter((p) => !p.startsWith('admin.'))) {
			const fixture = fixtures[path];
			const outcome = await call(attacker, path, fixture.input(world)).then(
				(answer) => ({ answer, error: null }),
				(error: unknown) => ({ answer: null, error: error as TRPCError })
			);
			if (fixture.other === 'NOT_FOUND') {
				expect(outcome.error?.code, path).toBe('NOT_FOUND');
				continue;
			}
			expect(outcome.error?.code, path).not.toBe('INTERNAL_SERVER_ERROR');
			const shown = JSON.stringify(outcome.answer ?? '');
			for (const [name, value] of Object.entries(world)) {
				// The catalog's plans, services and categories are public.
				if (['planId', 'soldOutPlanId', 'categoryId', 'serviceId'].includes(name)) continue;
				expect(shown.includes(value), `${path} shows the victim's ${name}`).toBe(false);
			}
		}
		expect(JSON.stringify(await victimCaller.subscriptions.get({ id: world.subscriptionId }))).toBe(before);
		expect((await victimCaller.notifications.list()).items.every((n) => n.readAt === null)).toBe(true);
		await expectInvariants(runtime.db);
	});
});

const BAD_TEXT = ['\u0000', 'a\u0000b', '\u001b[31mred', '\u0007', 'x'.repeat(100_000), '<script>alert(1)</script>', ''];
const BAD_NUMBERS: unknown[] = ['0x10', '1e5', Infinity, -Infinity, NaN, -1, 1.5, 2 ** 53 + 1, 1e21, '12'];

/** Every way to spoil one field of an input: the input with that field replaced. */
function* spoiled(input: unknown, path: string[] = []): Generator<[string, unknown]> {
	if (typeof input === 'string') for (const bad of BAD_TEXT) yield [path.join('.'), bad];
	else if (typeof input === 'number') for (const bad of BAD_NUMBERS) yield [path.join('.'), bad];
	else if (Array.isArray(input)) {
		for (const [index, item] of input.entries()) {
			for (const [field, bad] of spoiled(item, [...path, String(index)])) {
				yield [field, input.map((other, i) => (i === index ? bad : other))];
			}
		}
	} else if (input && typeof input === 'object' && !(input instanceof FormData)) {
		for (const [key, value] of Object.entries(input)) {
			for (const [field, bad] of spoiled(value, [key])) yield [[...path, field].join('.'), { ...input, [key]: bad }];
		}
	}
}

describe('the bad-input corpus', () => {
	it('is refused or taken as plain text by every procedure, never answered with a 500', async () => {
		const failures: string[] = [];
		for (const path of paths) {
			const fixture = fixtures[path];
			const caller = path.startsWith('admin.') ? admin : victimCaller;
			const input = fixture.input(world);
			const cases = [...spoiled(input)];
			if (input instanceof FormData) {
				for (const bad of [...BAD_TEXT, '0x2710', '1e5']) cases.push([`amount`, proofForm('note', String(bad))]);
				for (const bad of BAD_TEXT) cases.push(['note', proofForm(bad)]);
			}
			for (const [field, spoiledInput] of cases) {
				const error = await refusal(call(caller, path, spoiledInput));
				if (error?.code === 'INTERNAL_SERVER_ERROR') failures.push(`${path} ${field}: ${error.message}`);
			}
		}
		expect(failures).toEqual([]);
		await expectInvariants(runtime.db);
	});
});
