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
import type { KubeSettings, ManifestInstance, NamespaceApp } from '../../../src/lib/server/kube/inputs';
import { buildManifests, type KubeManifest } from '../../../src/lib/server/kube/manifests';
import {
	ANNOTATION,
	APP_CONTAINER,
	LABEL,
	instanceBaseName,
	instanceNames,
	isDns1035Label,
	isDnsLabel,
	isDnsSubdomain,
	isLabelValue,
	namespaceForUser
} from '../../../src/lib/server/kube/names';
import { buildNamespaceManifests } from '../../../src/lib/server/kube/namespace-objects';
import { namespaceSecurityLevel } from '../../../src/lib/server/kube/security';

const settings: KubeSettings = {
	baseDomain: 'apps.example.id',
	ingressClass: 'nginx',
	ingressNamespace: 'ingress-nginx',
	clusterIssuer: 'letsencrypt-prod',
	storageClass: 'fast-ssd'
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

function manifestsFor(service: SeedService, options: { stopped?: boolean; userApps?: NamespaceApp[] } = {}) {
	const instance = instanceFor(service);
	const { secrets } = ensureGeneratedSecrets(service.envTemplate, null);
	return buildManifests({
		service,
		plan: planOf(service),
		instance,
		settings,
		secrets,
		stopped: options.stopped,
		userApps: options.userApps ?? []
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
		expect(manifests.objects.map((object) => object.kind)).toEqual([
			'Namespace',
			'ResourceQuota',
			'LimitRange',
			'NetworkPolicy',
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
			requests: { cpu: `${plan.cpuMilli}m`, memory: `${plan.memoryMb}Mi` },
			limits: { cpu: `${plan.cpuMilli}m`, memory: `${plan.memoryMb}Mi` }
		});
		for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
			expect(probe?.httpGet).toMatchObject({ path: service.healthCheckPath, port: 'http' });
		}
		expect(container.livenessProbe!.initialDelaySeconds).toBeGreaterThan(container.readinessProbe!.initialDelaySeconds!);
		expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: service.dataMountPath }]);
		expect(pod.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: manifests.names.persistentVolumeClaim } }]);
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
		const secretNames = service.envTemplate.filter((entry) => entry.secret).map((entry) => entry.name);
		expect(Object.keys(manifests.secret.stringData ?? {}).sort()).toEqual(secretNames.sort());
		const configKeys = Object.keys(manifests.configMap.data ?? {});
		for (const name of secretNames) expect(configKeys).not.toContain(name);
		expect(configKeys.length + secretNames.length).toBe(service.envTemplate.length);
	});

	it(`runs under the ${service.podSecurityLevel} Pod Security level`, () => {
		const pod = manifests.deployment.spec!.template.spec!;
		const container = pod.containers[0];
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe(service.podSecurityLevel);
		expect(pod.securityContext!.seccompProfile).toEqual({ type: 'RuntimeDefault' });
		expect(container.securityContext!.allowPrivilegeEscalation).toBe(false);
		expect(container.securityContext!.privileged).toBe(false);
		if (service.podSecurityLevel === 'restricted') {
			expect(pod.securityContext!.runAsNonRoot).toBe(true);
			expect(container.securityContext!.capabilities).toEqual({ drop: ['ALL'] });
			expect(container.securityContext!.runAsNonRoot).toBe(true);
			if (service.runAsUser !== null) {
				expect(pod.securityContext).toMatchObject({
					runAsUser: service.runAsUser,
					runAsGroup: service.runAsUser,
					fsGroup: service.runAsUser
				});
			}
		} else {
			expect(pod.securityContext!.runAsNonRoot).toBeUndefined();
			expect(container.securityContext!.capabilities).toEqual({ drop: ['NET_RAW'] });
		}
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
				userApps: []
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
				userApps: []
			}).deployment.spec!.template.metadata!.annotations![ANNOTATION.configHash];
		expect(build('a.example', secrets)).toBe(build('a.example', { ...secrets }));
		expect(build('a.example', secrets)).not.toBe(build('b.example', secrets));
		expect(build('a.example', secrets)).not.toBe(build('a.example', { ...secrets, ADMIN_TOKEN: 'rotated' }));
	});
});

describe('namespace sharing', () => {
	const app = (instanceId: string, level: string, cpuMilli: number, memoryMb: number, storageGb: number): NamespaceApp => ({
		instanceId,
		podSecurityLevel: level,
		plan: { cpuMilli, memoryMb, storageGb }
	});

	it('sums the quota over all the user apps', () => {
		const { resourceQuota, limitRange } = buildNamespaceManifests({
			userId,
			apps: [app('a', 'restricted', 250, 256, 1), app('b', 'restricted', 1000, 1024, 8), app('c', 'baseline', 500, 512, 2)],
			settings
		});
		expect(resourceQuota.spec!.hard).toEqual({
			'requests.cpu': '1750m',
			'limits.cpu': '1750m',
			'requests.memory': '1792Mi',
			'limits.memory': '1792Mi',
			'requests.storage': '11Gi',
			persistentvolumeclaims: '3',
			pods: '6',
			services: '3',
			'services.loadbalancers': '0',
			'services.nodeports': '0'
		});
		const [container, claim] = limitRange.spec!.limits;
		expect(container).toMatchObject({
			type: 'Container',
			max: { cpu: '1000m', memory: '1024Mi' },
			_default: { cpu: '250m', memory: '256Mi' },
			defaultRequest: { cpu: '250m', memory: '256Mi' }
		});
		expect(claim).toEqual({ type: 'PersistentVolumeClaim', max: { storage: '8Gi' } });
	});

	it('enforces the least restrictive level any app needs', () => {
		expect(namespaceSecurityLevel(['restricted', 'restricted'])).toBe('restricted');
		expect(namespaceSecurityLevel(['restricted', 'baseline'])).toBe('baseline');
		expect(() => namespaceSecurityLevel(['privileged'])).toThrow(/privileged/);
	});

	it('counts this instance once, with its current plan, among the user apps', () => {
		const n8n = seedServices.find((service) => service.slug === 'n8n')!;
		const ghost = seedServices.find((service) => service.slug === 'ghost')!;
		const instance = instanceFor(n8n);
		const manifests = manifestsFor(n8n, {
			userApps: [app(instance.id, 'restricted', 1, 1, 1), app('ghost-instance', ghost.podSecurityLevel, 500, 512, 4)]
		});
		const plan = planOf(n8n);
		expect(manifests.resourceQuota.spec!.hard!['limits.cpu']).toBe(`${plan.cpuMilli + 500}m`);
		expect(manifests.resourceQuota.spec!.hard!['requests.storage']).toBe(`${plan.storageGb + 4}Gi`);
		expect(manifests.resourceQuota.spec!.hard!.pods).toBe('4');
		// Ghost needs baseline, so the shared namespace does too, while n8n's pod stays restricted.
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/enforce']).toBe('baseline');
		expect(manifests.namespace.metadata!.labels!['pod-security.kubernetes.io/warn']).toBe('restricted');
		expect(manifests.deployment.spec!.template.spec!.containers[0].securityContext!.capabilities).toEqual({ drop: ['ALL'] });
	});

	it('denies by default, lets the ingress controller in and DNS and the internet out', () => {
		const { networkPolicy } = buildNamespaceManifests({ userId, apps: [app('a', 'restricted', 1, 1, 1)], settings });
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
		expect(dns.to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }]);
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
		expect(() => buildNamespaceManifests({ userId, apps: [], settings })).toThrow(/at least one app/);
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
		const podName = `${names.deployment}-${'b'.repeat(10)}-${'c'.repeat(5)}`;
		expect(podName.length).toBeLessThanOrEqual(63);
		for (const value of Object.values(names)) expect(isDnsLabel(value), value).toBe(true);
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
