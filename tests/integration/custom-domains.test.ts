// Custom domains end to end: the owner adds a domain, a real DNS server on a loopback port
// (filled by the test) answers MinisPod's resolver, the domain joins the app's Ingress with a
// TLS entry of its own, the Kubernetes emulator issues its certificate Secret as cert-manager
// would, and removal, giving up and suspension take it off the cluster again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { V1Ingress } from '@kubernetes/client-node';
import {
	customDomains,
	notifications,
	serviceInstances,
	servicePlans,
	type ServiceInstance
} from '../../src/lib/server/db/schema';
import { customDomainTlsSecret, instanceNames } from '../../src/lib/server/kube/names';
import { checkCustomDomain, cleanUpDomains, pauseDomains } from '../../src/lib/server/provisioning/domains';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';
import { eventually } from '../support/kube';
import { scaled } from '../support/timeouts';
import { waitForInstance } from '../support/waits';
import { startTestDnsServer, type TestDnsServer } from '../support/dns-server';

const INGRESS_IP = '203.0.113.10';
let runtime: TestRuntime;
let dns: TestDnsServer;

beforeAll(async () => {
	dns = await startTestDnsServer();
	runtime = await startTestRuntime({ work: true, env: { MINISPOD_DNS_SERVERS: dns.address, MINISPOD_INGRESS_IP: INGRESS_IP } });
}, 120_000);
afterAll(async () => {
	await runtime?.close();
	await dns?.close();
});
afterEach(async () => {
	dns.clear();
	await expectInvariants(runtime.db);
});

/** A customer with a running app on a plan that allows one custom domain. */
async function runningProApp(slug = 'vaultwarden') {
	const { user, api } = await newCustomer(runtime, 3_000_000);
	const plan = await planOf(runtime.db, slug, 'PRO');
	expect(plan.customDomainsAllowed).toBe(1);
	const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
	const instance = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
	return { user, api, instance };
}

const domainRow = async (id: string) => (await runtime.db.select().from(customDomains).where(eq(customDomains.id, id)))[0];

function ingressOf(instance: ServiceInstance) {
	const names = instanceNames(instance);
	return runtime.emulator!.get('Ingress', names.namespace, names.ingress) as unknown as V1Ingress;
}
const hostsOf = (ingress: V1Ingress) => ingress.spec?.rules?.map((rule) => rule.host) ?? [];

/** Puts the records the domain's view asks for into the test DNS server. */
function publish(records: { type: 'TXT' | 'CNAME' | 'A'; name: string; value: string }[]) {
	for (const record of records) dns.set(record);
}

describe('custom domains', () => {
	let app: Awaited<ReturnType<typeof runningProApp>>;
	beforeAll(async () => {
		app = await runningProApp();
	}, 120_000);

	it('a verified domain joins the Ingress with its own certificate and becomes active; removal cleans up', async () => {
		const { api, instance } = app;
		const domain = await api.domains.add({ instanceId: instance.id, hostname: '  Shop.Tokoku-Test.co.id. ' });
		expect(domain.hostname).toBe('shop.tokoku-test.co.id');
		expect(domain.status).toBe('PENDING_DNS');
		const appHost = `${instance.subdomain}.${runtime.config.kube.baseDomain}`;
		expect(domain.records).toEqual([
			expect.objectContaining({
				type: 'TXT',
				name: '_minispod-challenge.shop.tokoku-test.co.id',
				value: expect.stringMatching(/^minispod-verify=/)
			}),
			expect.objectContaining({ type: 'CNAME', name: 'shop.tokoku-test.co.id', value: appHost })
		]);

		publish(domain.records);
		await eventually(async () => {
			await checkCustomDomain(runtime, domain.id);
			return (await domainRow(domain.id)).status === 'ACTIVE';
		}, scaled(15_000));

		const names = instanceNames(instance);
		const ingress = ingressOf(instance);
		expect(hostsOf(ingress)).toEqual([appHost, 'shop.tokoku-test.co.id']);
		const domainSecret = customDomainTlsSecret(names, 'shop.tokoku-test.co.id');
		expect(ingress.spec?.tls).toEqual([
			{ hosts: [appHost], secretName: names.tlsSecret },
			{ hosts: ['shop.tokoku-test.co.id'], secretName: domainSecret }
		]);
		expect(runtime.emulator!.get('Secret', names.namespace, domainSecret)?.type).toBe('kubernetes.io/tls');
		const listed = await api.domains.list({ instanceId: instance.id });
		expect(listed.allowed).toBe(1);
		expect(listed.domains[0]).toMatchObject({ status: 'ACTIVE', url: 'https://shop.tokoku-test.co.id' });
		const told = await runtime.db.select().from(notifications).where(eq(notifications.userId, app.user.id));
		expect(told.map((n) => n.type)).toContain('DOMAIN_ACTIVE');

		await api.domains.remove({ id: domain.id });
		expect(await domainRow(domain.id)).toBeUndefined();
		await cleanUpDomains(runtime, instance.id, [domain.hostname]);
		expect(hostsOf(ingressOf(instance))).toEqual([appHost]);
		expect(ingressOf(instance).spec?.tls).toEqual([{ hosts: [appHost], secretName: names.tlsSecret }]);
		expect(runtime.emulator!.get('Secret', names.namespace, domainSecret)).toBeUndefined();
		// The app's own certificate stays.
		expect(runtime.emulator!.get('Secret', names.namespace, names.tlsSecret)).toBeDefined();
	});

	it('a wrong token keeps the domain pending, off the Ingress', async () => {
		const { api, instance } = app;
		const domain = await api.domains.add({ instanceId: instance.id, hostname: 'wrong.tokoku-test.co.id' });
		publish([{ ...domain.records[0], value: 'minispod-verify=someone-else' }, domain.records[1]]);
		const result = await checkCustomDomain(runtime, domain.id);
		expect(result).toMatchObject({ outcome: 'pending' });
		const row = await domainRow(domain.id);
		expect(row.status).toBe('PENDING_DNS');
		expect(row.statusReason).toContain('does not hold the value');
		expect(hostsOf(ingressOf(instance))).not.toContain('wrong.tokoku-test.co.id');
		await api.domains.remove({ id: domain.id });
	});

	it('shows an international name as a person writes it, beside the ASCII form its records are typed in', async () => {
		const { api, instance } = app;
		const domain = await api.domains.add({ instanceId: instance.id, hostname: 'Blog.Bücher-Test.de' });
		expect(domain).toMatchObject({ hostname: 'blog.xn--bcher-test-9db.de', unicodeHostname: 'blog.bücher-test.de' });
		expect(domain.records.map(({ name, unicodeName }) => ({ name, unicodeName }))).toEqual([
			{ name: '_minispod-challenge.blog.xn--bcher-test-9db.de', unicodeName: '_minispod-challenge.blog.bücher-test.de' },
			{ name: 'blog.xn--bcher-test-9db.de', unicodeName: 'blog.bücher-test.de' }
		]);
		const [listed] = (await api.domains.list({ instanceId: instance.id })).domains;
		expect(listed.unicodeHostname).toBe('blog.bücher-test.de');
		// Live, the customer is told in the name as written, not in punycode.
		publish(domain.records);
		await eventually(async () => {
			await checkCustomDomain(runtime, domain.id);
			return (await domainRow(domain.id)).status === 'ACTIVE';
		}, scaled(15_000));
		const told = await runtime.db.select().from(notifications).where(eq(notifications.userId, app.user.id));
		const live = told.filter((n) => n.type === 'DOMAIN_ACTIVE').map((n) => n.title);
		expect(live).toContain('blog.bücher-test.de is live');
		expect(live.join(' ')).not.toContain('xn--');
		await api.domains.remove({ id: domain.id });
		await cleanUpDomains(runtime, instance.id, [domain.hostname]);
	});

	it('refuses a domain another customer has claimed, MinisPod’s own names and more than the plan allows', async () => {
		const { api, instance } = app;
		await api.domains.add({ instanceId: instance.id, hostname: 'claimed.tokoku-test.co.id' });

		const other = await newCustomer(runtime, 3_000_000);
		const plan = await planOf(runtime.db, 'gitea', 'PRO');
		const { instanceId } = await other.api.subscriptions.subscribe({ planId: plan.id });
		const claimed = await rejection(other.api.domains.add({ instanceId, hostname: 'CLAIMED.tokoku-test.co.id' }));
		expect(claimed.code).toBe('CONFLICT');
		// They cannot remove another account's claim: they are told what they can do.
		expect(claimed.message).toBe(
			'hostname: Another MinisPod account has claimed this domain. If it is yours, contact MinisPod support; a claim that is never verified is released when its 72-hour DNS check gives up.'
		);
		// The owner's other app: they can remove it from the first.
		const second = await api.subscriptions.subscribe({ planId: plan.id });
		const ownClaim = await rejection(api.domains.add({ instanceId: second.instanceId, hostname: 'claimed.tokoku-test.co.id' }));
		expect(ownClaim.code).toBe('CONFLICT');
		expect(ownClaim.message).toBe('hostname: This domain is already claimed on MinisPod. Remove it there first.');
		await api.subscriptions.cancel({ id: second.subscriptionId, when: 'now' });

		const own = await rejection(other.api.domains.add({ instanceId, hostname: `x.${runtime.config.kube.baseDomain}` }));
		expect(own.code).toBe('BAD_REQUEST');
		expect(own.message).toMatch(/^hostname: /);

		const full = await rejection(api.domains.add({ instanceId: instance.id, hostname: 'second.tokoku-test.co.id' }));
		expect(full.code).toBe('UPGRADE_REQUIRED');
		expect(full.message).toContain('allows 1 custom domain');

		const basic = await newCustomer(runtime, 3_000_000);
		const basicPlan = await planOf(runtime.db, 'memos', 'BASIC');
		const basicApp = await basic.api.subscriptions.subscribe({ planId: basicPlan.id });
		const none = await rejection(basic.api.domains.add({ instanceId: basicApp.instanceId, hostname: 'memo.tokoku-test.co.id' }));
		expect(none.code).toBe('UPGRADE_REQUIRED');
		expect(await runtime.db.select().from(customDomains).where(eq(customDomains.instanceId, basicApp.instanceId))).toEqual([]);
		const [claim] = await runtime.db.select().from(customDomains).where(eq(customDomains.hostname, 'claimed.tokoku-test.co.id'));
		await api.domains.remove({ id: claim.id });
	});

	it('checks a name before the owner confirms it, with add’s own refusals, writing nothing', async () => {
		const { api, instance } = app;
		const before = await runtime.db.select().from(customDomains);
		// A name that could be added: as it would be stored, and as a person writes it.
		expect(await api.domains.check({ instanceId: instance.id, hostname: ' Blog.Bücher-Check.de. ' })).toEqual({
			hostname: 'blog.xn--bcher-check-thb.de',
			unicodeHostname: 'blog.bücher-check.de'
		});
		for (const [hostname, code, text] of [
			['printer.local', 'BAD_REQUEST', 'not on the public internet'],
			['http://shop.tokoku-test.co.id/path', 'BAD_REQUEST', 'without https://'],
			[`x.${runtime.config.kube.baseDomain}`, 'BAD_REQUEST', "MinisPod's own"]
		]) {
			const refused = await rejection(api.domains.check({ instanceId: instance.id, hostname }));
			expect([refused.code, refused.message], hostname).toEqual([code, expect.stringContaining(text)]);
			expect(refused.message).toMatch(/^hostname: /);
		}
		// Another account's claim, and the plan's allowance once it is used, as add refuses them.
		const other = await newCustomer(runtime, 3_000_000);
		const plan = await planOf(runtime.db, 'gitea', 'PRO');
		const { instanceId } = await other.api.subscriptions.subscribe({ planId: plan.id });
		const mine = await api.domains.add({ instanceId: instance.id, hostname: 'checked.tokoku-test.co.id' });
		expect((await rejection(other.api.domains.check({ instanceId, hostname: 'checked.tokoku-test.co.id' }))).code).toBe(
			'CONFLICT'
		);
		expect((await rejection(api.domains.check({ instanceId: instance.id, hostname: 'more.tokoku-test.co.id' }))).code).toBe(
			'UPGRADE_REQUIRED'
		);
		// Another customer's app is not theirs to ask about.
		expect((await rejection(other.api.domains.check({ instanceId: instance.id, hostname: 'x.tokoku-test.co.id' }))).code).toBe(
			'NOT_FOUND'
		);
		await api.domains.remove({ id: mine.id });
		expect(await runtime.db.select().from(customDomains)).toEqual(before);
	});

	it('gives up after 72 hours with a clear message, and the name is free again', async () => {
		const { api, instance } = app;
		const domain = await api.domains.add({ instanceId: instance.id, hostname: 'tokoku-apex-test.com' });
		expect(domain.records[1]).toMatchObject({ type: 'A', name: 'tokoku-apex-test.com', value: INGRESS_IP });
		const before = await checkCustomDomain(runtime, domain.id, new Date(Date.now() + 71 * 3600_000));
		expect(before.outcome).toBe('pending');
		const after = await checkCustomDomain(runtime, domain.id, new Date(Date.now() + 73 * 3600_000));
		expect(after.outcome).toBe('failed');
		const row = await domainRow(domain.id);
		expect(row.status).toBe('FAILED');
		expect(row.statusReason).toContain('not found within 72 hours');
		expect(row.statusReason).toContain('No TXT record _minispod-challenge.tokoku-apex-test.com');
		// A failed claim holds no name: it can be added again.
		const again = await api.domains.add({ instanceId: instance.id, hostname: 'tokoku-apex-test.com' });
		await api.domains.remove({ id: again.id });
	});

	it('suspension takes an active domain off the cluster and keeps it waiting', async () => {
		const { api, instance } = app;
		const domain = await api.domains.add({ instanceId: instance.id, hostname: 'paused.tokoku-test.co.id' });
		publish(domain.records);
		await eventually(async () => {
			await checkCustomDomain(runtime, domain.id);
			return (await domainRow(domain.id)).status === 'ACTIVE';
		}, scaled(15_000));
		const names = instanceNames(instance);
		const secret = customDomainTlsSecret(names, domain.hostname);
		await runtime.db.update(serviceInstances).set({ status: 'SUSPENDED' }).where(eq(serviceInstances.id, instance.id));
		await pauseDomains(runtime, instance.id);
		expect(hostsOf(ingressOf(instance))).not.toContain(domain.hostname);
		expect(runtime.emulator!.get('Secret', names.namespace, secret)).toBeUndefined();
		expect((await domainRow(domain.id)).status).toBe('PENDING_DNS');
		expect(await checkCustomDomain(runtime, domain.id)).toEqual({ outcome: 'paused' });
		await runtime.db.update(serviceInstances).set({ status: 'RUNNING' }).where(eq(serviceInstances.id, instance.id));
		await api.domains.remove({ id: domain.id });
	});

	it('an upgrade to a plan that allows fewer domains gives up the newest, off the cluster', async () => {
		const { user, api } = await newCustomer(runtime, 3_000_000);
		const pro = await planOf(runtime.db, 'uptime-kuma', 'PRO');
		const premium = await planOf(runtime.db, 'uptime-kuma', 'PREMIUM');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: pro.id });
		const running = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
		const domain = await api.domains.add({ instanceId, hostname: 'status.tokoku-test.co.id' });
		publish(domain.records);
		await eventually(async () => {
			await checkCustomDomain(runtime, domain.id);
			return (await domainRow(domain.id)).status === 'ACTIVE';
		}, scaled(15_000));
		// An operator sells this tier without custom domains.
		await runtime.db.update(servicePlans).set({ customDomainsAllowed: 0 }).where(eq(servicePlans.id, premium.id));
		try {
			await api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id });
			const row = await eventually(async () => {
				const current = await domainRow(domain.id);
				return current.status === 'FAILED' && current;
			}, scaled(30_000));
			expect(row.statusReason).toContain('plan allows 0 custom domains');
			const names = instanceNames(running);
			// The job takes it off the cluster right after giving it up.
			await eventually(
				() => runtime.emulator!.get('Secret', names.namespace, customDomainTlsSecret(names, domain.hostname)) === undefined,
				scaled(10_000)
			);
			expect(hostsOf(ingressOf(running))).toEqual([`${running.subdomain}.${runtime.config.kube.baseDomain}`]);
			const told = await runtime.db.select().from(notifications).where(eq(notifications.userId, user.id));
			expect(told.map((n) => n.type)).toContain('DOMAIN_FAILED');
		} finally {
			await runtime.db
				.update(servicePlans)
				.set({ customDomainsAllowed: premium.customDomainsAllowed })
				.where(eq(servicePlans.id, premium.id));
		}
	});

	it("termination deletes the domains' certificates with the app and frees their names", async () => {
		const { api } = await newCustomer(runtime, 3_000_000);
		const plan = await planOf(runtime.db, 'n8n', 'PRO');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const running = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
		const domain = await api.domains.add({ instanceId, hostname: 'flows.tokoku-test.co.id' });
		publish(domain.records);
		await eventually(async () => {
			await checkCustomDomain(runtime, domain.id);
			return (await domainRow(domain.id)).status === 'ACTIVE';
		}, scaled(15_000));
		const names = instanceNames(running);
		const secret = customDomainTlsSecret(names, domain.hostname);
		expect(runtime.emulator!.get('Secret', names.namespace, secret)).toBeDefined();

		await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		await waitForInstance(runtime, instanceId, (changed) => changed.status === 'TERMINATED', 'TERMINATED');
		expect(runtime.emulator!.get('Secret', names.namespace, secret)).toBeUndefined();
		expect(await domainRow(domain.id)).toBeUndefined();
		// The name is free for whoever owns it next.
		const next = await newCustomer(runtime, 3_000_000);
		const nextApp = await next.api.subscriptions.subscribe({ planId: plan.id });
		const claimed = await next.api.domains.add({ instanceId: nextApp.instanceId, hostname: 'flows.tokoku-test.co.id' });
		expect(claimed.status).toBe('PENDING_DNS');
	});
});
