import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { seedServices, type SeedService } from '../../../src/lib/server/seed/catalog';
import { fromWire, toWire } from '../../../src/lib/server/kube/wire';
import { ensureGeneratedSecrets, generateSecretValue, resolveEnvironment } from '../../../src/lib/server/kube/environment';
import { templateSecrets } from '../../../src/lib/server/kube/companion';
import type { KubeSettings, ManifestInstance, NamespaceApp } from '../../../src/lib/server/kube/inputs';
import { buildManifests, type KubeManifest } from '../../../src/lib/server/kube/manifests';
import {
	ANNOTATION,
	APP_CONTAINER,
	customDomainTlsSecret,
	LABEL,
	instanceBaseName,
	instanceNames,
	isDns1035Label,
	isDnsLabel,
	isDnsSubdomain,
	isLabelValue,
	namespaceForUser
} from '../../../src/lib/server/kube/names';
import { buildNamespaceManifests, type NamespaceInput } from '../../../src/lib/server/kube/namespace-objects';
import { displayImage } from '../../../src/lib/server/instances/usage';
import { podSecurityViolations } from '../../../standins/kube-emulator/pod-security';

const settings: KubeSettings = {
	baseDomain: 'apps.example.id',
	ingressClass: 'nginx',
	ingressNamespace: 'ingress-nginx',
	clusterIssuer: 'letsencrypt-prod',
	storageClass: 'fast-ssd',
	clusterDns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }
};

const userId = '6f1c2a9e-4b7d-4c3e-9a51-0d2f8e7b6a14';

function instanceFor(service: SeedService, overrides: Partial<ManifestInstance> = {}): ManifestInstance {
	return {
		id: '0b8f6a52-1c3d-4e9f-8a7b-2c5d6e7f8a90',
		userId,
		name: `My ${service.name}`,
		subdomain: `${service.slug}-k3x9q2`,
		...overrides
	};
}

function planOf(service: SeedService, index = 1) {
	return { id: `plan-${service.slug}-${index}`, ...service.plans[index] };
}

function manifestsFor(
	service: SeedService,
	options: { stopped?: boolean; namespaceApps?: NamespaceApp[]; customDomains?: string[] } = {}
) {
	const instance = instanceFor(service);
	const { secrets } = ensureGeneratedSecrets(templateSecrets(service), null);
	return buildManifests({
		service,
		plan: planOf(service),
		instance,
		settings,
		secrets,
		stopped: options.stopped,
		customDomains: options.customDomains,
		namespaceApps: options.namespaceApps ?? []
	});
}

/** Validates the object exactly as client-node puts it on the wire. */
function validate(object: KubeManifest) {
	const wire = toWire(object);
	// Nothing is lost on the way: every field is known to the client's serializer.
	expect(fromWire(wire)).toEqual(object);
	const models = {
		Namespace,
		ResourceQuota,
		LimitRange,
		NetworkPolicy,
		Secret,
		ConfigMap,
		PersistentVolumeClaim,
		Deployment,
		Service,
		Ingress
	} as const;
	const Model = models[object.kind as keyof typeof models];
	expect(Model, `a model for ${object.kind}`).toBeDefined();
	new Model(wire as never).validate();
	return wire as Record<string, unknown>;
}

describe.each(seedServices.map((service) => [service.slug, service] as const))('manifests for %s', (_slug, service) => {
	const manifests = manifestsFor(service);

	it('produces every object, each valid against the Kubernetes schema', () => {
		const database = service.companionDatabase
			? ['NetworkPolicy', 'Secret', 'PersistentVolumeClaim', 'Deployment', 'Service']
			: [];
		expect(manifests.objects.map((object) => object.kind)).toEqual([
			'Namespace',
			'ResourceQuota',
			'LimitRange',
			'NetworkPolicy',
			...database,
			'Secret',
			'ConfigMap',
			'PersistentVolumeClaim',
			'Deployment',
			'Service',
			'Ingress'
		]);
		for (const object of manifests.objects) validate(object);
	});

	it('names every object validly, inside the user namespace, with owner labels', () => {
		for (const object of manifests.objects) {
			const { name, namespace, labels } = object.metadata!;
			expect(isDnsLabel(name!), `${object.kind} ${name}`).toBe(true);
			if (object.kind === 'Namespace') expect(namespace).toBeUndefined();
			else expect(namespace).toBe(`user-${userId}`);
			expect(labels?.[LABEL.managedBy]).toBe('minispod');
			expect(labels?.[LABEL.userId]).toBe(userId);
			for (const [key, value] of Object.entries(labels ?? {})) expect(isLabelValue(value), `${key}=${value}`).toBe(true);
		}
		expect(isDns1035Label(manifests.service.metadata!.name!)).toBe(true);
	});

	it('runs the image with the plan limits, probes on the health check, and the data volume', () => {
		const plan = planOf(service);
		const pod = manifests.deployment.spec!.template.spec!;
		const [container] = pod.containers;
		expect(container.name).toBe(APP_CONTAINER);
		expect(container.image).toBe(service.dockerImage);
		expect(container.ports).toEqual([{ name: 'http', containerPort: service.defaultPort, protocol: 'TCP' }]);
		expect(container.resources).toEqual({
			requests: { cpu: `${plan.cpuMilli}m`, memory: `${plan.memoryMb}Mi`, 'ephemeral-storage': '128Mi' },
			limits: { cpu: `${plan.cpuMilli}m`, memory: `${plan.memoryMb}Mi`, 'ephemeral-storage': '1024Mi' }
		});
		for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
			expect(probe?.httpGet).toMatchObject({ path: service.healthCheckPath, port: 'http' });
		}
		expect(container.livenessProbe!.initialDelaySeconds).toBeGreaterThan(container.readinessProbe!.initialDelaySeconds!);
		expect(container.volumeMounts).toEqual([
			{ name: 'data', mountPath: service.dataMountPath },
			...service.writablePaths.map((path, index) => ({ name: `scratch-${index}`, mountPath: path }))
		]);
		expect(pod.volumes).toEqual([
			{ name: 'data', persistentVolumeClaim: { claimName: manifests.names.persistentVolumeClaim } },
			...service.writablePaths.map((_path, index) => ({ name: `scratch-${index}`, emptyDir: { sizeLimit: '256Mi' } }))
		]);
		expect(container.envFrom).toEqual([
			{ configMapRef: { name: manifests.configMap.metadata!.name } },
			{ secretRef: { name: manifests.secret.metadata!.name } }
		]);
		expect(pod.automountServiceAccountToken).toBe(false);
		expect(pod.enableServiceLinks).toBe(false);
		expect(manifests.deployment.spec!.replicas).toBe(1);
		expect(manifests.deployment.spec!.strategy).toEqual({ type: 'Recreate' });
	});

	it('selects its pods with stable labels that the pod template carries', () => {
		const { deployment, service: svc } = manifests;
		const selector = deployment.spec!.selector.matchLabels!;
		expect(selector).toEqual({
			[LABEL.instance]: manifests.names.base,
			[LABEL.instanceId]: instanceFor(service).id
		});
		expect(deployment.spec!.template.metadata!.labels).toMatchObject(selector);
		expect(deployment.spec!.template.metadata!.labels![LABEL.name]).toBe(service.slug);
		expect(svc.spec!.selector).toEqual(selector);
		expect(svc.spec!.type).toBe('ClusterIP');
		expect(svc.spec!.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
	});

	it('sizes the volume from the plan on the configured storage class', () => {
		expect(manifests.persistentVolumeClaim.spec).toEqual({
			accessModes: ['ReadWriteOnce'],
			resources: { requests: { storage: `${planOf(service).storageGb}Gi` } },
			storageClassName: 'fast-ssd'
		});
	});

	it('serves the app at its subdomain with a certificate from the cluster issuer', () => {
		const host = `${service.slug}-k3x9q2.apps.example.id`;
		const { ingress } = manifests;
		expect(ingress.metadata!.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
		expect(ingress.spec!.ingressClassName).toBe('nginx');
		expect(ingress.spec!.tls).toEqual([{ hosts: [host], secretName: manifests.names.tlsSecret }]);
		expect(ingress.spec!.rules![0].host).toBe(host);
		expect(ingress.spec!.rules![0].http!.paths[0].backend.service).toEqual({
			name: manifests.service.metadata!.name,
			port: { name: 'http' }
		});
		expect(manifests.publicUrl).toBe(`https://${host}`);
	});

	it('puts generated secrets in the Secret and the rest of the environment in the ConfigMap', () => {
		// The companion database's password and URL are secrets too.
		const secretNames = service.envTemplate
			.filter((entry) => entry.secret || entry.companion === 'password' || entry.companion === 'url')
			.map((entry) => entry.name);
		expect(Object.keys(manifests.secret.stringData ?? {}).sort()).toEqual(secretNames.sort());
		const configKeys = Object.keys(manifests.configMap.data ?? {});
		for (const name of secretNames) expect(configKeys).not.toContain(name);
		expect(configKeys.length + secretNames.length).toBe(service.envTemplate.length);
	});

	it('passes Pod Security "restricted" as a non-root user, in a namespace that enforces it', () => {
		const pod = manifests.deployment.spec!.template.spec!;
		const container = pod.containers[0];
		expect(service.podSecurityLevel).toBe('restricted');
		expect(manifests.namespace.metadata!.name).toBe(`user-${userId}`);
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
		// The same checks the emulator's PodSecurity admission (and the real one) makes.
		const wire = validate(manifests.deployment) as { spec: { template: { spec: Record<string, unknown> } } };
		expect(podSecurityViolations(wire.spec.template.spec, 'restricted')).toEqual([]);
		expect(service.runAsUser).toBeGreaterThan(0);
		expect(pod.securityContext).toMatchObject({
			runAsNonRoot: true,
			runAsUser: service.runAsUser,
			runAsGroup: service.runAsUser,
			fsGroup: service.runAsUser,
			seccompProfile: { type: 'RuntimeDefault' }
		});
		// Only the template's sysctls, all from the safe set (checked by the admission above).
		expect(pod.securityContext!.sysctls ?? []).toEqual(service.sysctls);
		expect(container.securityContext).toMatchObject({
			allowPrivilegeEscalation: false,
			privileged: false,
			capabilities: { drop: ['ALL'] }
		});
		expect(container.securityContext!.readOnlyRootFilesystem ?? false).toBe(service.readOnlyRootFilesystem);
		if (manifests.companion) {
			const database = validate(manifests.companion.deployment) as { spec: { template: { spec: Record<string, unknown> } } };
			expect(podSecurityViolations(database.spec.template.spec, 'restricted')).toEqual([]);
			expect(pod.initContainers?.map((init) => init.name)).toEqual(['wait-for-database']);
		} else expect(pod.initContainers).toBeUndefined();
	});

	it('pins its image by digest where a public pin was found, else by its exact version tag', () => {
		expect(service.dockerImage).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[0-9a-f]{64})?$/);
		expect(service.dockerImage).not.toMatch(/:latest(@|$)/);
		expect(displayImage(service.dockerImage)).toBe(service.dockerImage.split('@')[0]);
		expect(displayImage(service.dockerImage)).toContain(service.version);
	});
});

describe('a template that cannot run restricted', () => {
	const memos = seedServices.find((service) => service.slug === 'memos')!;
	const legacy: SeedService = { ...memos, podSecurityLevel: 'baseline', runAsUser: null };
	const manifests = manifestsFor(legacy);

	it('runs in a namespace of its own that enforces baseline, leaving the user namespace restricted', () => {
		expect(manifests.names.namespace).toMatch(new RegExp(`^user-${userId}-[0-9a-f]{8}$`));
		expect(isDnsLabel(manifests.names.namespace)).toBe(true);
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('baseline');
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/warn']).toBe('restricted');
		for (const object of manifests.objects.filter((o) => o.kind !== 'Namespace')) {
			expect(object.metadata!.namespace).toBe(manifests.names.namespace);
		}
		const pod = manifests.deployment.spec!.template.spec!;
		expect(pod.securityContext!.runAsNonRoot).toBeUndefined();
		expect(pod.containers[0].securityContext!.capabilities).toEqual({ drop: ['NET_RAW'] });
		const wire = validate(manifests.deployment) as { spec: { template: { spec: Record<string, unknown> } } };
		expect(podSecurityViolations(wire.spec.template.spec, 'baseline')).toEqual([]);
	});
});

describe('derived environment', () => {
	const n8n = seedServices.find((service) => service.slug === 'n8n')!;

	it('fills public URL, host, instance name and data directory', () => {
		const service = {
			...n8n,
			envTemplate: [
				{ name: 'URL', derived: 'PUBLIC_URL' as const },
				{ name: 'HOST', derived: 'PUBLIC_HOST' as const },
				{ name: 'NAME', derived: 'INSTANCE_NAME' as const },
				{ name: 'DATA', derived: 'DATA_DIR' as const },
				{ name: 'LITERAL', value: 'yes' },
				{ name: 'KEY', secret: { length: 8 } }
			]
		};
		expect(resolveEnvironment(service, { name: 'Team flows', subdomain: 'flows' }, settings)).toEqual({
			URL: 'https://flows.apps.example.id',
			HOST: 'flows.apps.example.id',
			NAME: 'Team flows',
			DATA: '/home/node/.n8n',
			LITERAL: 'yes'
		});
	});

	it('gives n8n its webhook URL and host', () => {
		const manifests = manifestsFor(n8n);
		expect(manifests.configMap.data).toMatchObject({
			WEBHOOK_URL: 'https://n8n-k3x9q2.apps.example.id',
			N8N_HOST: 'n8n-k3x9q2.apps.example.id',
			N8N_PROTOCOL: 'https'
		});
		expect(manifests.environment).toEqual(manifests.configMap.data);
	});
});

describe('generated secrets', () => {
	const template = [
		{ name: 'HEX', secret: { length: 32, encoding: 'hex' as const } },
		{ name: 'URLSAFE', secret: { length: 48, encoding: 'base64url' as const } },
		{ name: 'ALNUM', secret: { length: 64, encoding: 'alphanumeric' as const } },
		{ name: 'DEFAULT', secret: { length: 20 } },
		{ name: 'PLAIN', value: 'x' }
	];

	it('generates each missing secret with its length and encoding', () => {
		const { secrets, generated } = ensureGeneratedSecrets(template, null);
		expect(generated.sort()).toEqual(['ALNUM', 'DEFAULT', 'HEX', 'URLSAFE']);
		expect(secrets.HEX).toMatch(/^[0-9a-f]{32}$/);
		expect(secrets.URLSAFE).toMatch(/^[A-Za-z0-9_-]{48}$/);
		expect(secrets.ALNUM).toMatch(/^[A-Za-z0-9]{64}$/);
		expect(secrets.DEFAULT).toMatch(/^[A-Za-z0-9]{20}$/);
		expect(secrets.PLAIN).toBeUndefined();
	});

	it('keeps existing secrets across calls and generates only what is missing', () => {
		const first = ensureGeneratedSecrets(template, null).secrets;
		const again = ensureGeneratedSecrets(template, first);
		expect(again.secrets).toEqual(first);
		expect(again.generated).toEqual([]);

		const partial = { HEX: first.HEX, REMOVED_FROM_TEMPLATE: 'kept' };
		const completed = ensureGeneratedSecrets(template, partial);
		expect(completed.secrets.HEX).toBe(first.HEX);
		expect(completed.secrets.REMOVED_FROM_TEMPLATE).toBe('kept');
		expect(completed.generated.sort()).toEqual(['ALNUM', 'DEFAULT', 'URLSAFE']);
		expect(completed.secrets.ALNUM).not.toBe(first.ALNUM);
	});

	it('is random, not repeated', () => {
		const values = new Set(Array.from({ length: 50 }, () => generateSecretValue({ length: 16 })));
		expect(values.size).toBe(50);
	});

	it('maps bytes to alphanumerics without bias by rejecting the top bytes', () => {
		// 255 and 250 are rejected; 0 -> 'A', 61 -> '9', 62 -> 'A'.
		const bytes = [255, 0, 250, 61, 62];
		let call = 0;
		const random = (size: number) => Buffer.from(Array.from({ length: size }, () => bytes[call++ % bytes.length]));
		expect(generateSecretValue({ length: 3, encoding: 'alphanumeric' }, random)).toBe('A9A');
	});

	it('refuses to build a Secret with a template secret missing', () => {
		const gitea = seedServices.find((service) => service.slug === 'gitea')!;
		expect(() =>
			buildManifests({
				service: gitea,
				plan: planOf(gitea),
				instance: instanceFor(gitea),
				settings,
				secrets: {},
				namespaceApps: []
			})
		).toThrow(/GITEA__security__SECRET_KEY/);
	});

	it('rolls the pods when the environment changes, not otherwise', () => {
		const vaultwarden = seedServices.find((service) => service.slug === 'vaultwarden')!;
		const { secrets } = ensureGeneratedSecrets(vaultwarden.envTemplate, null);
		const build = (baseDomain: string, values: Record<string, string>) =>
			buildManifests({
				service: vaultwarden,
				plan: planOf(vaultwarden),
				instance: instanceFor(vaultwarden),
				settings: { ...settings, baseDomain },
				secrets: values,
				namespaceApps: []
			}).deployment.spec!.template.metadata!.annotations![ANNOTATION.configHash];
		expect(build('a.example', secrets)).toBe(build('a.example', { ...secrets }));
		expect(build('a.example', secrets)).not.toBe(build('b.example', secrets));
		expect(build('a.example', secrets)).not.toBe(build('a.example', { ...secrets, ADMIN_TOKEN: 'rotated' }));
	});
});

describe('namespace sharing', () => {
	const app = (instanceId: string, cpuMilli: number, memoryMb: number, storageGb: number): NamespaceApp => ({
		instanceId,
		plan: { cpuMilli, memoryMb, storageGb }
	});
	const shared = (apps: NamespaceApp[]): NamespaceInput => ({
		namespace: namespaceForUser(userId),
		userId,
		level: 'restricted',
		apps,
		settings
	});

	it('sums the quota over the apps, with room for one more pod of the largest', () => {
		const { resourceQuota, limitRange } = buildNamespaceManifests(
			shared([app('a', 250, 256, 1), app('b', 1000, 1024, 8), app('c', 500, 512, 2)])
		);
		expect(resourceQuota.spec!.hard).toEqual({
			'requests.cpu': '2750m',
			'limits.cpu': '2750m',
			'requests.memory': '2816Mi',
			'limits.memory': '2816Mi',
			'requests.ephemeral-storage': '512Mi',
			'limits.ephemeral-storage': '4096Mi',
			'requests.storage': '11Gi',
			persistentvolumeclaims: '3',
			pods: '4',
			services: '3',
			'services.loadbalancers': '0',
			'services.nodeports': '0'
		});
		const [container, claim] = limitRange.spec!.limits;
		expect(container).toMatchObject({
			type: 'Container',
			max: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '1024Mi' },
			_default: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '1024Mi' },
			defaultRequest: { cpu: '250m', memory: '256Mi', 'ephemeral-storage': '128Mi' }
		});
		expect(claim).toEqual({ type: 'PersistentVolumeClaim', max: { storage: '8Gi' } });
	});

	it('counts this instance once, with its current plan, among the namespace apps', () => {
		const n8n = seedServices.find((service) => service.slug === 'n8n')!;
		const instance = instanceFor(n8n);
		const manifests = manifestsFor(n8n, { namespaceApps: [app(instance.id, 1, 1, 1), app('ghost-instance', 500, 512, 4)] });
		const plan = planOf(n8n);
		expect(manifests.resourceQuota.spec!.hard!['limits.cpu']).toBe(`${plan.cpuMilli + 500 + Math.max(plan.cpuMilli, 500)}m`);
		expect(manifests.resourceQuota.spec!.hard!['requests.storage']).toBe(`${plan.storageGb + 4}Gi`);
		expect(manifests.resourceQuota.spec!.hard!.pods).toBe('3');
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
	});

	it('denies by default, lets the ingress controller in, and only cluster DNS and the internet out', () => {
		const { networkPolicy } = buildNamespaceManifests(shared([app('a', 1, 1, 1)]));
		const spec = networkPolicy.spec!;
		expect(spec.podSelector).toEqual({});
		expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
		expect(spec.ingress).toEqual([
			{
				_from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
				ports: [{ protocol: 'TCP', port: 'http' }]
			}
		]);
		const [dns, internet] = spec.egress!;
		// One peer with both selectors: the DNS pods in their namespace, nothing else there.
		expect(dns.to).toEqual([
			{
				namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
				podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }
			}
		]);
		expect(dns.ports).toEqual([
			{ protocol: 'UDP', port: 53 },
			{ protocol: 'TCP', port: 53 }
		]);
		expect(internet.to![0].ipBlock).toEqual({
			cidr: '0.0.0.0/0',
			except: expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'])
		});
		expect(internet.ports).toBeUndefined();
		const wire = validate(networkPolicy) as { spec: { ingress: { from: unknown[] }[] } };
		expect(wire.spec.ingress[0].from).toHaveLength(1);
	});

	it('needs at least one app to size a namespace', () => {
		expect(() => buildNamespaceManifests(shared([]))).toThrow(/at least one app/);
	});
});

describe('stopped instances', () => {
	it('keep every object but run no pods', () => {
		const memos = seedServices.find((service) => service.slug === 'memos')!;
		const manifests = manifestsFor(memos, { stopped: true });
		expect(manifests.deployment.spec!.replicas).toBe(0);
		expect(manifests.objects).toHaveLength(10);
		validate(manifests.deployment);
	});
});

describe('custom domains', () => {
	const ghost = seedServices.find((service) => service.slug === 'ghost')!;

	it("each get a rule and a TLS entry of their own beside the app's own address", () => {
		const manifests = manifestsFor(ghost, { customDomains: ['blog.tokoku.co.id', 'tokoku.co.id'] });
		const { ingress, names } = manifests;
		const own = 'ghost-k3x9q2.apps.example.id';
		expect(ingress.spec!.rules!.map((rule) => rule.host)).toEqual([own, 'blog.tokoku.co.id', 'tokoku.co.id']);
		expect(ingress.spec!.tls).toEqual([
			{ hosts: [own], secretName: names.tlsSecret },
			{ hosts: ['blog.tokoku.co.id'], secretName: customDomainTlsSecret(names, 'blog.tokoku.co.id') },
			{ hosts: ['tokoku.co.id'], secretName: customDomainTlsSecret(names, 'tokoku.co.id') }
		]);
		expect(new Set(ingress.spec!.tls!.map((entry) => entry.secretName)).size).toBe(3);
		for (const entry of ingress.spec!.tls!) expect(isDnsSubdomain(entry.secretName!)).toBe(true);
		validate(ingress);
	});

	it('refuses a custom domain that is not a DNS name', () => {
		expect(() => manifestsFor(ghost, { customDomains: ['bad host'] })).toThrow(/not a valid DNS name/);
	});
});

describe('names', () => {
	it('puts every user in the namespace user-<id>', () => {
		expect(namespaceForUser(userId)).toBe(`user-${userId}`);
		expect(() => namespaceForUser('Not A Uuid!')).toThrow();
	});

	it('derives stable, valid object names from the subdomain', () => {
		expect(instanceBaseName('n8n-k3x9q2')).toBe('n8n-k3x9q2');
		expect(instanceBaseName('n8n-k3x9q2')).toBe(instanceBaseName('n8n-k3x9q2'));
		// Service names must start with a letter.
		expect(instanceBaseName('1password-clone')).toBe('app-1password-clone');
		const long = 'a-very-long-subdomain-that-somebody-picked-for-their-blog-x';
		const name = instanceBaseName(long);
		expect(name.length).toBeLessThanOrEqual(40);
		expect(isDns1035Label(name)).toBe(true);
		expect(name).not.toBe(instanceBaseName(`${long.slice(0, -1)}y`));
		expect(() => instanceBaseName('Bad_Subdomain')).toThrow(/not a valid DNS label/);
		expect(() => instanceBaseName('-leading')).toThrow();
	});

	it('leaves room for the pod name suffixes within 63 characters', () => {
		const names = instanceNames({ userId, subdomain: 'x'.repeat(63) });
		const { database, ...own } = names;
		for (const deployment of [names.deployment, database.deployment]) {
			const podName = `${deployment}-${'b'.repeat(10)}-${'c'.repeat(5)}`;
			expect(podName.length).toBeLessThanOrEqual(63);
		}
		for (const value of [...Object.values(own), ...Object.values(database)]) expect(isDnsLabel(value), value).toBe(true);
	});

	it('checks DNS names', () => {
		expect(isDnsLabel('abc-1')).toBe(true);
		expect(isDnsLabel('Abc')).toBe(false);
		expect(isDnsLabel('a'.repeat(64))).toBe(false);
		expect(isDns1035Label('1abc')).toBe(false);
		expect(isDnsSubdomain('n8n.apps.example.id')).toBe(true);
		expect(isDnsSubdomain('n8n..example')).toBe(false);
		expect(isLabelValue('1.72.1')).toBe(true);
		expect(isLabelValue('-x')).toBe(false);
	});
});
