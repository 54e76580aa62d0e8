// deploy/kubernetes: every manifest parses and is a valid Kubernetes object (kubernetes-models),
// the kustomizations point at files and objects that exist, the pods meet the Pod Security
// "restricted" standard, and the deployment has what the issue asks of it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/lib/server/config';

const DEPLOY = path.resolve(import.meta.dirname, '../../../deploy/kubernetes');

type KubeObject = {
	apiVersion: string;
	kind: string;
	metadata: { name: string; annotations?: Record<string, string> };
	[key: string]: unknown;
};
type Container = {
	name: string;
	env?: { name: string; value?: string }[];
	ports?: { name: string; containerPort: number }[];
	readinessProbe?: { httpGet?: { path: string } };
	livenessProbe?: { httpGet?: { path: string } };
	resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
	securityContext?: {
		allowPrivilegeEscalation?: boolean;
		readOnlyRootFilesystem?: boolean;
		runAsNonRoot?: boolean;
		capabilities?: { drop?: string[]; add?: string[] };
		seccompProfile?: { type: string };
	};
};
type PodSpec = {
	securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
	containers: Container[];
	volumes?: Record<string, unknown>[];
	topologySpreadConstraints?: unknown[];
	hostNetwork?: boolean;
	serviceAccountName?: string;
};
type Workload = KubeObject & {
	spec: { replicas: number; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

function yamlFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const full = path.join(dir, entry);
		if (statSync(full).isDirectory()) return yamlFiles(full);
		return /\.ya?ml$/.test(entry) ? [full] : [];
	});
}

const files = yamlFiles(DEPLOY);
const documents = files.flatMap((file) =>
	parseAllDocuments(readFileSync(file, 'utf8')).map((document) => {
		if (document.errors.length) throw new Error(`${file}: ${document.errors[0].message}`);
		return { file, object: document.toJS() as KubeObject };
	})
);
const manifests = documents.filter(({ object }) => object.kind !== 'Kustomization');
const kustomizations = documents.filter(({ object }) => object.kind === 'Kustomization');
const find = <T extends KubeObject>(kind: string, name: string) =>
	manifests.find(({ object }) => object.kind === kind && object.metadata.name === name)?.object as T | undefined;
const web = find<Workload>('Deployment', 'minispod-web')!;
const worker = find<Workload>('Deployment', 'minispod-worker')!;

describe('deploy/kubernetes', () => {
	it('has only valid Kubernetes objects', async () => {
		expect(manifests.length).toBeGreaterThanOrEqual(12);
		for (const { file, object } of manifests) {
			const models = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<
				string,
				new (data: unknown) => { validate(): void }
			>;
			expect(() => new models[object.kind](object).validate(), `${path.relative(DEPLOY, file)}: ${object.kind}`).not.toThrow();
		}
	});

	it('has kustomizations whose resources and patch targets exist', () => {
		expect(kustomizations.map(({ file }) => path.relative(DEPLOY, file)).sort()).toEqual([
			'base/kustomization.yaml',
			'overlays/production/kustomization.yaml',
			'overlays/staging/kustomization.yaml'
		]);
		for (const { file, object } of kustomizations) {
			const spec = object as unknown as {
				resources: string[];
				patches?: { target: { kind: string; name: string } }[];
				secretGenerator?: { envs: string[] }[];
			};
			for (const resource of spec.resources) expect(existsSync(path.resolve(path.dirname(file), resource)), resource).toBe(true);
			for (const { target } of spec.patches ?? [])
				expect(find(target.kind, target.name), `${target.kind} ${target.name}`).toBeDefined();
			for (const generator of spec.secretGenerator ?? []) {
				for (const env of generator.envs) expect(existsSync(path.resolve(path.dirname(file), `${env}.example`)), env).toBe(true);
			}
		}
	});

	it('runs every pod under Pod Security "restricted"', () => {
		const namespace = find<KubeObject & { metadata: { labels: Record<string, string> } }>('Namespace', 'minispod')!;
		expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
		for (const workload of [web, worker]) {
			const pod = workload.spec.template.spec;
			expect(pod.securityContext?.runAsNonRoot).toBe(true);
			expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
			expect(pod.hostNetwork).toBeUndefined();
			for (const volume of pod.volumes ?? []) expect(Object.keys(volume).sort()).not.toContain('hostPath');
			for (const container of pod.containers) {
				expect(container.securityContext).toMatchObject({
					allowPrivilegeEscalation: false,
					readOnlyRootFilesystem: true,
					capabilities: { drop: ['ALL'] }
				});
				expect(container.securityContext?.capabilities?.add).toBeUndefined();
				expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
				expect(container.resources?.limits).toMatchObject({ memory: expect.any(String) });
			}
		}
	});

	it('splits web (two replicas, probed, spread, disruption budget) from the worker', () => {
		const [webContainer] = web.spec.template.spec.containers;
		const [workerContainer] = worker.spec.template.spec.containers;
		expect(web.spec.replicas).toBe(2);
		expect(webContainer.env).toContainEqual({ name: 'MINISPOD_ROLE', value: 'web' });
		expect(workerContainer.env).toContainEqual({ name: 'MINISPOD_ROLE', value: 'worker' });
		expect(webContainer.readinessProbe?.httpGet?.path).toBe('/healthz/ready');
		expect(webContainer.livenessProbe?.httpGet?.path).toBe('/healthz/live');
		expect(web.spec.template.spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
		expect(web.spec.template.spec.serviceAccountName).toBe('minispod');
		const pdb = find<KubeObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(
			'PodDisruptionBudget',
			'minispod-web'
		)!;
		expect(web.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
		const service = find<KubeObject & { spec: { selector: Record<string, string> } }>('Service', 'minispod-web')!;
		expect(web.spec.template.metadata.labels).toMatchObject(service.spec.selector);
		expect(worker.spec.template.metadata.labels).not.toMatchObject(service.spec.selector);
	});

	it('serves the web through a cert-manager Ingress, and metrics only inside the cluster', () => {
		const ingress = find<
			KubeObject & {
				spec: { tls: unknown[]; rules: { http: { paths: { backend: { service: { port: { name: string } } } }[] } }[] };
			}
		>('Ingress', 'minispod')!;
		expect(ingress.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBeTruthy();
		expect(ingress.spec.tls).toHaveLength(1);
		const ports = ingress.spec.rules.flatMap((rule) => rule.http.paths.map((p) => p.backend.service.port.name));
		expect(ports).toEqual(['http']);
		const [container] = web.spec.template.spec.containers;
		expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9464 });
		expect(find('NetworkPolicy', 'minispod')).toBeDefined();
	});

	it('configures MinisPod with values it accepts, secrets from a Secret template', () => {
		const configMap = find<KubeObject & { data: Record<string, string> }>('ConfigMap', 'minispod')!;
		const secretTemplate = Object.fromEntries(
			readFileSync(path.join(DEPLOY, 'overlays/production/minispod.env.example'), 'utf8')
				.split('\n')
				.filter((line) => line && !line.startsWith('#'))
				.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
		);
		for (const name of ['DATABASE_URL', 'MIDTRANS_SERVER_KEY', 'MIDTRANS_CLIENT_KEY', 'MINISPOD_SECRET_KEY', 'SMTP_URL']) {
			expect(secretTemplate, name).toHaveProperty(name);
			expect(configMap.data, name).not.toHaveProperty(name);
		}
		const config = parseConfig({
			...configMap.data,
			...secretTemplate,
			MINISPOD_ROLE: 'web',
			KUBERNETES_SERVICE_HOST: '10.0.0.1'
		});
		expect(config.isProduction).toBe(true);
		expect(config.kube.inCluster).toBe(true);
		expect(config.metrics.port).toBe(9464);
	});
});
