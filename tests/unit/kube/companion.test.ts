import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { COMPANION_ENGINES } from '../../../src/lib/statuses';
import { COMPANION_PASSWORD_KEY, companionResources, templateSecrets } from '../../../src/lib/server/kube/companion';
import { ensureGeneratedSecrets } from '../../../src/lib/server/kube/environment';
import type { KubeSettings } from '../../../src/lib/server/kube/inputs';
import { buildManifests } from '../../../src/lib/server/kube/manifests';
import { LABEL } from '../../../src/lib/server/kube/names';
import { namespaceQuota } from '../../../src/lib/server/kube/namespace-objects';
import { toWire } from '../../../src/lib/server/kube/wire';
import { seedServices, type SeedService } from '../../../src/lib/server/seed/catalog';
import { podSecurityViolations } from '../../../standins/kube-emulator/pod-security';

const settings: KubeSettings = {
	baseDomain: 'apps.example.id',
	ingressClass: 'nginx',
	ingressNamespace: 'ingress-nginx',
	clusterIssuer: 'letsencrypt-prod',
	storageClass: undefined,
	clusterDns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }
};
const instance = { id: '0b8f6a52-1c3d-4e9f-8a7b-2c5d6e7f8a90', userId: 'u1', name: 'Stats', subdomain: 'stats-k3x9q2' };
const umami = seedServices.find((service) => service.slug === 'umami')!;

function build(service: SeedService, planIndex = 1) {
	const plan = { id: 'plan', ...service.plans[planIndex] };
	const { secrets } = ensureGeneratedSecrets(templateSecrets(service), null);
	return { plan, secrets, manifests: buildManifests({ service, plan, instance, settings, secrets, namespaceApps: [] }) };
}

/** A template wiring every field of a companion database of the given engine. */
function wiredTo(engine: (typeof COMPANION_ENGINES)[number]): SeedService {
	return {
		...umami,
		companionDatabase: { engine },
		envTemplate: [
			{ name: 'H', companion: 'host' },
			{ name: 'P', companion: 'port' },
			{ name: 'U', companion: 'user' },
			{ name: 'D', companion: 'database' },
			{ name: 'PW', companion: 'password' },
			{ name: 'URL', companion: 'url' }
		]
	};
}

describe('a companion database', () => {
	it('wires host, port, user and database into the ConfigMap, the password and URL into the Secret', () => {
		const { manifests, secrets } = build(wiredTo('postgresql'));
		const password = secrets[COMPANION_PASSWORD_KEY];
		expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
		expect(manifests.configMap.data).toEqual({ H: 'stats-k3x9q2-db', P: '5432', U: 'app', D: 'app' });
		expect(manifests.secret.stringData).toEqual({
			PW: password,
			URL: `postgresql://app:${password}@stats-k3x9q2-db:5432/app?sslmode=disable`
		});
		// The recorded environment never holds the password.
		expect(JSON.stringify(manifests.environment)).not.toContain(password);
		expect(manifests.companion!.secret.stringData).toEqual({ password });
	});

	it.each([
		['postgresql', 5432, 70, 'postgresql://app:'],
		['mariadb', 3306, 999, 'mysql://app:'],
		['redis', 6379, 999, 'redis://:']
	] as const)('runs %s on its port as its image user, restricted, with its own volume', (engine, port, uid, url) => {
		const { manifests, plan } = build(wiredTo(engine));
		const companion = manifests.companion!;
		for (const [Model, object] of [
			[Deployment, companion.deployment],
			[Service, companion.service],
			[PersistentVolumeClaim, companion.persistentVolumeClaim],
			[Secret, companion.secret],
			[NetworkPolicy, companion.networkPolicy]
		] as const) {
			new Model(toWire(object) as never).validate();
		}
		const pod = toWire(companion.deployment) as { spec: { template: { spec: Record<string, unknown> } } };
		expect(podSecurityViolations(pod.spec.template.spec, 'restricted')).toEqual([]);
		expect(companion.deployment.spec!.template.spec!.securityContext).toMatchObject({ runAsUser: uid, runAsNonRoot: true });
		expect(companion.deployment.spec!.strategy).toEqual({ type: 'Recreate' });
		expect(companion.service.spec!.ports).toEqual([{ name: 'db', port, targetPort: 'db', protocol: 'TCP' }]);
		const size = companionResources(engine, plan);
		expect(companion.persistentVolumeClaim.spec!.resources!.requests).toEqual({ storage: `${size.storageGb}Gi` });
		expect(companion.deployment.spec!.template.spec!.containers[0].resources!.limits).toMatchObject({
			cpu: `${size.cpuMilli}m`,
			memory: `${size.memoryMb}Mi`
		});
		expect(manifests.secret.stringData!.URL.startsWith(url)).toBe(true);
		// The app waits for it with the database's own image, also restricted.
		const app = toWire(manifests.deployment) as { spec: { template: { spec: Record<string, unknown> } } };
		expect(podSecurityViolations(app.spec.template.spec, 'restricted')).toEqual([]);
		expect(manifests.deployment.spec!.template.spec!.initContainers![0].image).toBe(
			companion.deployment.spec!.template.spec!.containers[0].image
		);
	});

	it('is not selected by the app: its pods carry another instance label, and only its app reaches it', () => {
		const { manifests } = build(umami);
		const appSelector = manifests.deployment.spec!.selector.matchLabels!;
		const databaseLabels = manifests.companion!.deployment.spec!.template.metadata!.labels!;
		expect(Object.entries(appSelector).every(([key, value]) => databaseLabels[key] === value)).toBe(false);
		expect(databaseLabels[LABEL.component]).toBe('database');
		const policy = manifests.companion!.networkPolicy.spec!;
		expect(policy.podSelector).toEqual({ matchLabels: { [LABEL.instanceId]: instance.id } });
		expect(policy.ingress![0]._from).toEqual([{ podSelector: { matchLabels: { [LABEL.instanceId]: instance.id } } }]);
	});

	it('is half of the plan on top of it, at least what the engine needs, and the quota counts it', () => {
		const plan = { cpuMilli: 250, memoryMb: 256, storageGb: 1 };
		expect(companionResources('postgresql', plan)).toEqual({ cpuMilli: 125, memoryMb: 128, storageGb: 1 });
		expect(companionResources('mariadb', plan)).toEqual({ cpuMilli: 125, memoryMb: 256, storageGb: 1 });
		expect(companionResources('redis', { cpuMilli: 2000, memoryMb: 2048, storageGb: 8 })).toEqual({
			cpuMilli: 1000,
			memoryMb: 1024,
			storageGb: 4
		});
		const quota = namespaceQuota([{ instanceId: 'a', plan, companion: 'postgresql' }]);
		// App 250m + database 125m, plus room for one more pod of the largest (250m).
		expect(quota['requests.cpu']).toBe('625m');
		expect(quota['requests.memory']).toBe(`${256 + 128 + 256}Mi`);
		expect(quota['requests.storage']).toBe('2Gi');
		expect(quota.pods).toBe('3');
		expect(quota.persistentvolumeclaims).toBe('2');
		expect(quota.services).toBe('2');
	});

	it('keeps a template without one as it was', () => {
		const ghost = seedServices.find((service) => service.slug === 'ghost')!;
		const { manifests } = build(ghost);
		expect(manifests.companion).toBeUndefined();
		expect(manifests.deployment.spec!.template.spec!.initContainers).toBeUndefined();
		expect(templateSecrets(ghost)).toBe(ghost.envTemplate);
	});

	it('refuses a template that wires a database it does not declare', () => {
		expect(() => build({ ...wiredTo('redis'), companionDatabase: null })).toThrow(/does not declare/);
	});
});

describe('the seeded catalog', () => {
	it('has at least 20 apps, several with a companion database', () => {
		expect(seedServices.length).toBeGreaterThanOrEqual(20);
		expect(new Set(seedServices.map((service) => service.slug)).size).toBe(seedServices.length);
		expect(seedServices.filter((service) => service.companionDatabase).length).toBeGreaterThanOrEqual(5);
	});
});
