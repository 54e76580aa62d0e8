import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
	envEntryInput,
	planCreateInput,
	planFields,
	serviceFields,
	toEnvTemplateEntry
} from '../../../src/lib/server/catalog/editor-schemas';
import { inLocale } from '../../support/locale';
import { previewPlan, schemaProblems, SAMPLE_PLAN } from '../../../src/lib/server/catalog/preview';
import type { KubeManifest } from '../../../src/lib/server/kube/manifests';
import { toEnvEntryInput } from '../../../src/lib/server/catalog/editor-views';
import { seedServices } from '../../../src/lib/server/seed/catalog';

const settings = {
	baseDomain: 'apps.example.id',
	ingressClass: 'nginx',
	ingressNamespace: 'ingress-nginx',
	clusterIssuer: 'letsencrypt-prod',
	storageClass: undefined,
	clusterDns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }
};

describe('image references', () => {
	const image = serviceFields.shape.dockerImage;
	it.each([
		'ghost:5.105.0-alpine',
		'docker.n8n.io/n8nio/n8n:1.72.1',
		'localhost:5000/team/app:2.0',
		`ghcr.io/a/b@sha256:${'a'.repeat(64)}`
	])('accepts a pinned %s', (reference) => expect(image.safeParse(reference).success).toBe(true));
	it.each([
		['ghcr.io/requarks/wiki', 'Pin a tag or digest'],
		['localhost:5000/app', 'Pin a tag or digest'],
		['nginx:latest', 'Pin a release tag, not latest'],
		['Not An Image', 'Use an image reference like ghcr.io/owner/app:1.2.3']
	])('refuses %s', (reference, message) => {
		const result = image.safeParse(reference);
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].message).toBe(message);
	});
});

describe('website links', () => {
	const website = serviceFields.shape.websiteUrl;
	it.each(['https://ghost.org', 'http://example.org/docs?page=1'])('accepts a web address %s', (url) =>
		expect(website.parse(url)).toBe(url)
	);
	it('keeps none for an empty one', () => {
		expect(website.parse('')).toBeNull();
		expect(website.parse(null)).toBeNull();
		expect(website.parse(undefined)).toBeNull();
	});
	it.each([
		'javascript:alert(1)',
		'JavaScript://example.org/%0Aalert(1)',
		'data:text/html,<script>alert(1)</script>',
		'ftp://example.org',
		'https:example.org',
		'example.org'
	])('refuses %s, in either language', async (url) => {
		expect(website.safeParse(url).error?.issues[0].message).toBe(
			'Use a web address starting with http:// or https://, like https://example.org'
		);
		const indonesian = await inLocale('id', async () => website.safeParse(url).error?.issues[0].message);
		expect(indonesian).toBe('Gunakan alamat web yang diawali http:// atau https://, seperti https://example.org');
	});
	it('accepts every seeded website', () => {
		for (const service of seedServices) expect(website.safeParse(service.websiteUrl).success, service.slug).toBe(true);
	});
});

describe('environment entries', () => {
	it('keeps exactly one source per entry and reads back the same', () => {
		for (const service of seedServices) {
			for (const entry of service.envTemplate) {
				const input = envEntryInput.parse(toEnvEntryInput(entry));
				expect(toEnvTemplateEntry(input)).toEqual(entry);
			}
		}
	});

	it('asks for what a source needs', () => {
		expect(envEntryInput.safeParse({ name: 'URL', source: 'minispod' }).error?.issues[0]).toMatchObject({ path: ['derived'] });
		expect(envEntryInput.safeParse({ name: '1X', source: 'preset', value: 'a' }).success).toBe(false);
	});
});

describe('sysctls', () => {
	const sysctls = serviceFields.shape.sysctls;
	it('accepts the safe sysctls Pod Security allows under restricted', () => {
		expect(sysctls.parse([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }])).toEqual([
			{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }
		]);
		expect(sysctls.safeParse([{ name: 'net.ipv4.ip_local_port_range', value: '32768 60999' }]).success).toBe(true);
	});

	it.each(['kernel.msgmax', 'net.core.somaxconn', 'vm.max_map_count'])('refuses %s, which is not in the safe set', (name) => {
		const result = sysctls.safeParse([{ name, value: '1' }]);
		expect(result.error?.issues[0]).toMatchObject({ path: [0, 'name'] });
		expect(result.error?.issues[0].message).toMatch(
			new RegExp(`^Line 1: ${name} is not allowed; use one of the safe sysctls: kernel.shm_rmid_forced, `)
		);
	});

	it('names the line of each refused entry and what is on it, as the editor shows them one a line', () => {
		const result = sysctls.safeParse([
			{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' },
			{ name: 'net.ipv4.ping_group_range', value: '0 2147483647' },
			{ name: 'net.ipv4.foo', value: '1' },
			{ name: 'net.ipv4.tcp_syncookies', value: '1; reboot' },
			{ name: 'net.ipv4.ip_unprivileged_port_start', value: '443' },
			{ name: 'net.ipv4.tcp_fin_timeout', value: '' },
			{ name: '', value: '5' }
		]);
		expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
			['2.name', expect.stringMatching(/^Line 3: net\.ipv4\.foo is not allowed; use one of the safe sysctls: /)],
			['3.value', 'Line 4: net.ipv4.tcp_syncookies=1; reboot has no valid value; write a value like 80 or "32768 60999"'],
			['4.name', 'Line 5: net.ipv4.ip_unprivileged_port_start is already set on line 1'],
			['5.value', 'Line 6: net.ipv4.tcp_fin_timeout has no valid value; write a value like 80 or "32768 60999"'],
			['6.name', expect.stringMatching(/^Line 7: =5 is not allowed/)]
		]);
	});

	it('says which line is wrong in Indonesian too, and cuts a long entry short', async () => {
		const refused = await inLocale('id', async () => sysctls.safeParse([{ name: `net.ipv4.${'x'.repeat(200)}`, value: '1' }]));
		expect(refused.error?.issues[0].message).toMatch(
			/^Baris 1: net\.ipv4\.x{50}… tidak diizinkan; pakai salah satu sysctl yang aman: kernel\.shm_rmid_forced, /
		);
	});

	it('refuses a sysctl set twice and a value that is not one', () => {
		const wordpress = seedServices.find((service) => service.slug === 'wordpress')!;
		const template = { ...wordpress, categoryId: '00000000-0000-4000-8000-000000000009', isPublic: true };
		const twice = serviceFields.safeParse({
			...template,
			envTemplate: [],
			companionDatabase: null,
			sysctls: [...wordpress.sysctls, ...wordpress.sysctls]
		});
		expect(twice.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['sysctls.1.name']);
		expect(twice.error?.issues[0].message).toBe(`Line 2: ${wordpress.sysctls[0].name} is already set on line 1`);
		expect(sysctls.safeParse([{ name: 'kernel.shm_rmid_forced', value: '1; reboot' }]).success).toBe(false);
	});
});

describe('lists one a line', () => {
	const steps = serviceFields.shape.firstRunSteps;
	const features = planFields.shape.features;

	it('accept a line of exactly the most characters', () => {
		expect(steps.safeParse(['a'.repeat(500)]).success).toBe(true);
		expect(features.safeParse(['a'.repeat(100)]).success).toBe(true);
	});

	it('refuse a longer line by its number, saying "at most" in either language', async () => {
		const tooLong = steps.safeParse(['Sign in', 'a'.repeat(501)]);
		expect(tooLong.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
			{ path: [1], message: 'Step 2: use at most 500 characters' }
		]);
		const feature = await inLocale('id', async () => features.safeParse(['a'.repeat(101), 'Dukungan email']));
		expect(feature.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
			{ path: [0], message: 'Fitur 1: gunakan paling banyak 100 karakter' }
		]);
	});
});

describe('what a plan offers', () => {
	const plan = (overrides: Record<string, unknown>) => ({
		serviceId: '00000000-0000-4000-8000-000000000009',
		planType: 'BASIC',
		name: 'Basic',
		monthlyPrice: 25_000,
		cpuMilli: 250,
		memoryMb: 512,
		storageGb: 2,
		bandwidthGb: 100,
		totalQuota: 5,
		features: [],
		isPopular: false,
		isActive: true,
		...overrides
	});
	const refusals = (overrides: Record<string, unknown>) =>
		planCreateInput.safeParse(plan(overrides)).error?.issues.map(({ path, message }) => ({ path, message }));

	it('refuses a free tier that costs money, on its price, in either language', async () => {
		expect(refusals({ planType: 'FREE', monthlyPrice: 25_000 })).toEqual([
			{ path: ['monthlyPrice'], message: 'A free plan costs Rp 0' }
		]);
		const indonesian = await inLocale('id', async () => refusals({ planType: 'FREE', monthlyPrice: 25_000 }));
		expect(indonesian).toEqual([{ path: ['monthlyPrice'], message: 'Paket gratis harus seharga Rp 0' }]);
		expect(planCreateInput.safeParse(plan({ planType: 'FREE', monthlyPrice: 0 })).success).toBe(true);
	});

	it('refuses backups that keep no copy, on the retention, in either language', async () => {
		expect(refusals({ backupSchedule: 'DAILY', backupRetention: 0 })).toEqual([
			{ path: ['backupRetention'], message: 'Keep at least 1 backup when backups are on' }
		]);
		expect(refusals({ backupSchedule: 'HOURLY' })).toEqual([
			{ path: ['backupRetention'], message: 'Keep at least 1 backup when backups are on' }
		]);
		const indonesian = await inLocale('id', async () => refusals({ backupSchedule: 'DAILY', backupRetention: 0 }));
		expect(indonesian).toEqual([{ path: ['backupRetention'], message: 'Simpan setidaknya 1 cadangan bila cadangan aktif' }]);
		expect(planCreateInput.safeParse(plan({ backupSchedule: 'DAILY', backupRetention: 1 })).success).toBe(true);
		expect(planCreateInput.safeParse(plan({ backupSchedule: 'NONE', backupRetention: 0 })).success).toBe(true);
	});

	it('accepts every seeded plan', () => {
		for (const service of seedServices) {
			for (const seeded of service.plans) {
				const result = planCreateInput.safeParse(plan({ ...seeded }));
				expect(result.error?.issues ?? [], `${service.slug} ${seeded.planType}`).toEqual([]);
			}
		}
	});
});

describe('numbers typed in the plan editor', () => {
	// Each gets one sentence naming the field and its range whichever way it is wrong, not
	// zod's "Too big: expected number to be <=1000000" (bandwidth said that) or "expected number, received NaN".
	const numbers: [keyof typeof planFields.shape, number, number, string, string][] = [
		['cpuMilli', 10, 64_000, 'Enter the CPU as a whole number of millicores', 'Isi CPU dengan bilangan bulat milicore'],
		['memoryMb', 32, 262_144, 'Enter the memory as a whole number of MB', 'Isi memori dengan bilangan bulat MB'],
		['storageGb', 1, 10_000, 'Enter the storage as a whole number of GB', 'Isi penyimpanan dengan bilangan bulat GB'],
		['bandwidthGb', 0, 1_000_000, 'Enter the bandwidth as a whole number of GB', 'Isi bandwidth dengan bilangan bulat GB'],
		['totalQuota', 0, 100_000, 'Enter a whole number of slots', 'Isi jumlah slot dengan bilangan bulat'],
		['customDomainsAllowed', 0, 100, 'Enter a whole number of custom domains', 'Isi jumlah domain kustom dengan bilangan bulat'],
		[
			'backupRetention',
			0,
			1000,
			'Enter a whole number of backups to keep',
			'Isi jumlah cadangan yang disimpan dengan bilangan bulat'
		],
		['sortOrder', 0, 100_000, 'Enter the sort order as a whole number', 'Isi urutan dengan bilangan bulat']
	];

	it.each(numbers)('%s: accepts its range, and names it for anything else', async (field, min, max, english, indonesian) => {
		const schema = planFields.shape[field];
		expect(schema.safeParse(min).success).toBe(true);
		expect(schema.safeParse(max).success).toBe(true);
		for (const wrong of [min - 1, min + 0.5, max + 1, Number.NaN]) {
			const [en, id] = await Promise.all(
				(['en', 'id'] as const).map((locale) =>
					inLocale(locale, async () => schema.safeParse(wrong).error?.issues.map((issue) => issue.message))
				)
			);
			expect(en, `${field} ${wrong}`).toEqual([`${english} from ${min} to ${max}`]);
			expect(id, `${field} ${wrong}`).toEqual([`${indonesian} dari ${min} sampai ${max}`]);
		}
	});
});

describe('numbers typed in the service editor', () => {
	const sentences = async (schema: z.ZodType, value: unknown) =>
		Promise.all(
			(['en', 'id'] as const).map((locale) =>
				inLocale(locale, async () => schema.safeParse(value).error?.issues.map((issue) => issue.message))
			)
		);

	it("name the run-as user and the sort order in a sentence, not zod's 'expected number, received NaN'", async () => {
		const { runAsUser, sortOrder } = serviceFields.shape;
		expect(await sentences(runAsUser, Number.NaN)).toEqual([
			['Use a non-root user id (1 or more)'],
			['Gunakan id pengguna selain root (1 atau lebih)']
		]);
		expect(runAsUser.safeParse(null).success).toBe(true);
		for (const wrong of [-1, 0.5, 100_001, Number.NaN]) {
			expect(await sentences(sortOrder, wrong), String(wrong)).toEqual([
				['Enter the sort order as a whole number from 0 to 100000'],
				['Isi urutan dengan bilangan bulat dari 0 sampai 100000']
			]);
		}
	});
});

describe('manifest preview', () => {
	const service = seedServices[0];

	it('builds valid objects for a plan', () => {
		const preview = previewPlan(service, SAMPLE_PLAN, settings);
		expect(preview.problems).toEqual([]);
		expect(preview.yaml).toContain('kind: Deployment');
		expect(preview.yaml).toContain(`image: ${service.dockerImage}`);
	});

	it('reports what the Kubernetes schema refuses', () => {
		const broken = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } };
		expect(schemaProblems(broken as unknown as KubeManifest)).toEqual(['Service x/spec/ports/0/port: must be integer']);
	});

	it('reports what the builder refuses instead of failing', () => {
		const preview = previewPlan({ ...service, podSecurityLevel: 'privileged' }, SAMPLE_PLAN, settings);
		expect(preview.yaml).toBe('');
		expect(preview.problems[0]).toMatch(/Unsupported Pod Security level/);
	});
});
