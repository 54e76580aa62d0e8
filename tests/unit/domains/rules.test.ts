import { describe, expect, it } from 'vitest';
import {
	domainsOverAllowance,
	isApexDomain,
	normalizeHostname,
	requiredRecords,
	unicodeHostname
} from '../../../src/lib/server/domains/rules';
import { planPromiseLines, promisesAField } from '../../../src/lib/server/catalog/plan-features';
import { seedServices } from '../../../src/lib/server/seed/catalog';
import { INDONESIAN } from '../../../src/lib/server/seed/indonesian';

const BASE = 'apps.minispod.id';

describe('normalizeHostname', () => {
	it('keeps a public hostname in lower case, without the trailing dot', () => {
		expect(normalizeHostname(' Shop.Example.CO.ID. ', BASE)).toEqual({ ok: true, hostname: 'shop.example.co.id' });
	});

	it('turns an internationalised name into its punycode form, and back for people to read', () => {
		expect(normalizeHostname('toko.bücher.de', BASE)).toEqual({ ok: true, hostname: 'toko.xn--bcher-kva.de' });
		expect(unicodeHostname('toko.xn--bcher-kva.de')).toBe('toko.bücher.de');
		expect(unicodeHostname('_minispod-challenge.toko.xn--bcher-kva.de')).toBe('_minispod-challenge.toko.bücher.de');
		// Nothing to show beside an ASCII name, or a label that is not valid punycode.
		expect(unicodeHostname('shop.example.co.id')).toBeNull();
		expect(unicodeHostname('xn--zz-bad.de')).toBeNull();
	});

	it.each([
		['', 'Enter a domain name'],
		['https://shop.example.com', 'without https://'],
		['shop.example.com/path', 'without https://'],
		['203.0.113.5', 'not an IP address'],
		['localhost', 'not a valid domain'],
		['-bad.example.com', 'not a valid domain'],
		['bad_label.example.com', 'not a valid domain'],
		[`${'a'.repeat(64)}.example.com`, 'not a valid domain'],
		['shop.example.123', 'not a valid domain'],
		['shop.example.c0m', 'no valid top-level domain'],
		['printer.local', 'not on the public internet'],
		['app.internal', 'not on the public internet'],
		[BASE, "MinisPod's own"],
		[`blog.${BASE}`, "MinisPod's own"],
		[`BLOG.${BASE.toUpperCase()}.`, "MinisPod's own"]
	])('refuses %j', (input, message) => {
		const result = normalizeHostname(input, BASE);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message('en')).toContain(message);
	});
});

describe('records and allowance', () => {
	it('tells apex domains from subdomains, Indonesian second levels included', () => {
		expect(isApexDomain('tokoku.com')).toBe(true);
		expect(isApexDomain('tokoku.co.id')).toBe(true);
		expect(isApexDomain('www.tokoku.co.id')).toBe(false);
		expect(isApexDomain('shop.tokoku.com')).toBe(false);
	});

	it('asks for a TXT proof and a CNAME, or an A record for an apex domain', () => {
		const target = { appHost: `blog-x1.${BASE}`, ingressIp: '203.0.113.10' };
		const sub = requiredRecords({ hostname: 'www.tokoku.co.id', verificationToken: 't0k' }, target);
		expect(sub).toEqual([
			expect.objectContaining({ type: 'TXT', name: '_minispod-challenge.www.tokoku.co.id', value: 't0k' }),
			expect.objectContaining({ type: 'CNAME', name: 'www.tokoku.co.id', value: `blog-x1.${BASE}` })
		]);
		const apex = requiredRecords({ hostname: 'tokoku.co.id', verificationToken: 't0k' }, target);
		expect(apex[1]).toMatchObject({ type: 'A', name: 'tokoku.co.id', value: '203.0.113.10' });
	});

	it('gives up the newest domains beyond the allowance', () => {
		const at = (minute: number, hostname: string) => ({ hostname, createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)) });
		const domains = [at(3, 'c'), at(1, 'a'), at(2, 'b')];
		expect(domainsOverAllowance(domains, 1).map((d) => d.hostname)).toEqual(['b', 'c']);
		expect(domainsOverAllowance(domains, 0).map((d) => d.hostname)).toEqual(['a', 'b', 'c']);
		expect(domainsOverAllowance(domains, 5)).toEqual([]);
	});
});

describe('plan promises', () => {
	it('are written from the plan fields', () => {
		expect(planPromiseLines({ customDomainsAllowed: 0, backupSchedule: 'NONE', backupRetention: 0 })).toEqual([]);
		expect(planPromiseLines({ customDomainsAllowed: 1, backupSchedule: 'DAILY', backupRetention: 7 })).toEqual([
			'1 custom domain',
			'Daily backups (last 7 kept)'
		]);
		expect(planPromiseLines({ customDomainsAllowed: 3, backupSchedule: 'HOURLY', backupRetention: 48 })).toEqual([
			'3 custom domains',
			'Hourly backups (last 48 kept)'
		]);
		expect(planPromiseLines({ customDomainsAllowed: 0, backupSchedule: 'DAILY', backupRetention: 0 })).toEqual(['Daily backups']);
	});

	it('are written in the language the customer reads', () => {
		expect(planPromiseLines({ customDomainsAllowed: 1, backupSchedule: 'DAILY', backupRetention: 7 }, 'id')).toEqual([
			'1 domain kustom',
			'Cadangan harian (7 terakhir disimpan)'
		]);
		expect(planPromiseLines({ customDomainsAllowed: 3, backupSchedule: 'HOURLY', backupRetention: 0 }, 'id')).toEqual([
			'3 domain kustom',
			'Cadangan setiap jam'
		]);
	});

	it('cannot be made by a feature string', () => {
		expect(promisesAField('Custom domain')).toBe(true);
		expect(promisesAField('Daily backups')).toBe(true);
		expect(promisesAField('Priority support')).toBe(false);
	});

	it('cannot be made by a feature string in Indonesian either', () => {
		expect(promisesAField('1 domain kustom')).toBe(true);
		expect(promisesAField('Cadangan harian')).toBe(true);
		expect(promisesAField('Pencadangan otomatis')).toBe(true);
		expect(promisesAField('Backup harian')).toBe(true);
		expect(promisesAField('Dukungan prioritas')).toBe(false);
	});

	it('cannot be made by another way of saying it', () => {
		for (const line of [
			'Data dicadangkan setiap hari',
			'Pakai domain Anda sendiri',
			'Domain milik Anda',
			'Snapshot harian',
			'Your own domain name',
			'Bring your domain',
			'Nightly back-ups',
			'A domain of your own'
		]) {
			expect(promisesAField(line), line).toBe(true);
		}
		for (const line of ['HTTPS subdomain', 'Subdomain HTTPS', 'Unlimited workflows', 'Sumber daya khusus']) {
			expect(promisesAField(line), line).toBe(false);
		}
	});

	it('leave every seeded line, in either language, one an operator can save again', () => {
		const lines = seedServices.flatMap((service) => service.plans.flatMap((plan) => plan.features));
		const refused = [...lines, ...lines.map((line) => INDONESIAN[line])].filter(promisesAField);
		expect(refused).toEqual([]);
	});
});
